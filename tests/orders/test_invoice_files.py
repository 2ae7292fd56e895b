"""Pure invoice file checks: claimed types, names, PDF and UBL content, archives opened safely."""

from __future__ import annotations

import io
import zipfile

import pytest
from fpdf import FPDF

from comptoir.orders.invoices import domain as f

UBL = b"""<?xml version="1.0"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:UBLVersionID>2.1</cbc:UBLVersionID><cbc:ID>F-1</cbc:ID>
</Invoice>"""


def pdf() -> bytes:
    doc = FPDF()
    doc.add_page()
    return bytes(doc.output())


def archive(entries: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buffer.getvalue()


def test_kind_by_extension_then_content_type():
    assert f.kind_of("A.PDF", None) == f.PDF
    assert f.kind_of("a.xml", "application/pdf") == f.UBL
    assert f.kind_of("upload", "text/xml; charset=utf-8") == f.UBL
    assert f.kind_of("bundle.zip", None) == f.ZIP
    assert f.kind_of("a.docx", "application/msword") is None


def test_names():
    assert f.safe_name("folder/2611231907THLDJ.pdf") == "2611231907THLDJ.pdf"
    assert f.safe_name("..\\x.pdf") is None
    for unsafe in ("../x.pdf", "/etc/passwd", "a/../../x.pdf", "C:\\x.pdf", "dir/"):
        assert f.safe_name(unsafe) is None, unsafe
    assert f.order_id_of("2611231907THLDJ.pdf") == "2611231907THLDJ"
    assert f.order_id_of("SCID01210525142759UT8E.xml") == "SCID01210525142759UT8E"
    for bad in ("invoice.pdf", "2611231907thldj.pdf", "ABC.pdf", "2611 1907.pdf"):
        assert f.order_id_of(bad) is None, bad


def test_pdf_check():
    assert f.check(f.PDF, pdf()) is None
    assert f.check(f.PDF, b"hello").code == "InvalidPdf"
    assert f.check(f.PDF, pdf()[:-100]).code == "InvalidPdf"
    assert f.check(None, pdf()).code == "UnsupportedFileType"


def test_ubl_check():
    assert f.check(f.UBL, UBL) is None
    assert f.check(f.UBL, UBL.replace(b"Invoice-2", b"CreditNote-2")).code == "InvalidUbl"
    assert "2.0" in f.check(f.UBL, UBL.replace(b">2.1<", b">2.0<")).message
    assert "ID" in f.check(f.UBL, UBL.replace(b"<cbc:ID>F-1</cbc:ID>", b"")).message
    assert f.check(f.UBL, b"<Invoice>").code == "InvalidUbl"
    assert f.check(f.UBL, b'<?xml version="1.0" encoding="bogus"?><Invoice/>').code == "InvalidUbl"
    billion_laughs = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><Invoice>&b;</Invoice>'
    )
    assert "entities" in f.check(f.UBL, billion_laughs).message
    external = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Invoice>&e;</Invoice>'
    )
    assert f.check(f.UBL, external).code == "InvalidUbl"


def test_open_zip_keeps_good_entries_and_refuses_bad_ones():
    entries = f.open_zip(
        archive(
            {
                "sub/2611231907THLDJ.pdf": pdf(),
                "../2611231907THLDJ.xml": UBL,
                "inner.zip": archive({"a.pdf": pdf()}),
                "bomb.pdf": b"\0" * (2 * 1024 * 1024),
                "folder/": b"",
            }
        )
    )
    found = {e.file_name: (e.data is not None, e.refusal.code if e.refusal else None) for e in entries}
    assert found == {
        "2611231907THLDJ.pdf": (True, None),
        "../2611231907THLDJ.xml": (False, "UnsafeEntry"),
        "inner.zip": (False, "UnsupportedFileType"),
        "bomb.pdf": (False, "UnsafeEntry"),
    }


def test_open_zip_size_limits():
    stored = f.open_zip(archive({"big.pdf": b"x" * (f.MAX_FILE_BYTES + 1)}, method=zipfile.ZIP_STORED))
    assert stored[0].refusal.code == "FileTooLarge"


def test_archives_refused_as_a_whole(monkeypatch):
    with pytest.raises(f.ArchiveRefused) as refused:
        f.open_zip(b"PK\x03\x04 not really")
    assert refused.value.refusal.code == "InvalidArchive"
    monkeypatch.setattr(f, "MAX_FILES", 2)
    with pytest.raises(f.ArchiveRefused) as refused:
        f.open_zip(archive({"a.pdf": b"1", "b.pdf": b"2", "c.pdf": b"3"}))
    assert refused.value.refusal.code == "TooManyFiles"
    monkeypatch.setattr(f, "MAX_EXPANDED_BYTES", 10)
    with pytest.raises(f.ArchiveRefused) as refused:
        f.open_zip(archive({"a.pdf": b"x" * 11}))
    assert refused.value.refusal.code == "ArchiveTooLarge"
