"""Order invoices over HTTP (spec 12.13): single and bulk uploads, the asynchronous import report, the
order's invoice documents, size limits and tenancy."""

from __future__ import annotations

import io
import itertools
import zipfile
from typing import Any

from fpdf import FPDF

from conftest import assert_problem
from order_helpers import make_offer, place

IMPORTS = "/seller/v2/order-invoice-imports"
_refs = itertools.count()


def pdf_bytes(text: str = "Invoice 2026-0001") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def ubl_bytes(
    order_id: str, namespace: str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="{namespace}"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">
  <cbc:UBLVersionID>2.1</cbc:UBLVersionID>
  <cbc:ID>INV-{order_id}</cbc:ID>
  <cbc:IssueDate>2026-11-23</cbc:IssueDate>
  <cac:OrderReference><cbc:ID>{order_id}</cbc:ID></cac:OrderReference>
</Invoice>""".encode()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def new_order(client: Any, db: Any, drain: Any, operator_headers: Any, channel: str = "SELLZZ") -> str:
    ref = f"INV{next(_refs)}"
    make_offer(db, channel=channel, reference=ref)
    lines = [{"sellerId": "98979", "sellerExternalReference": ref, "quantity": 1}]
    return str(place(client, operator_headers, drain, channel=channel, lines=lines)["orderId"])


def upload(
    client: Any, headers: Any, order_id: str, name: str, data: bytes, content_type: str = "application/pdf"
) -> Any:
    return client.post(
        f"/seller/v2/orders/{order_id}/invoice-documents",
        files=[("file", (name, data, content_type))],
        headers=headers,
    )


def report(client: Any, headers: Any, import_id: str) -> dict[str, Any]:
    r = client.get(f"{IMPORTS}/{import_id}", headers=headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def documents(client: Any, headers: Any, order_id: str) -> list[dict[str, Any]]:
    r = client.get(f"/seller/v2/orders/{order_id}/invoice-documents", headers=headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def test_single_upload_then_replaced(client, db, drain, operator_headers, seller_headers, other_headers):
    order_id = new_order(client, db, drain, operator_headers)
    pdf = pdf_bytes()
    r = upload(client, seller_headers, order_id, "facture.pdf", pdf)
    assert r.status_code == 201, r.text
    created = r.json()
    assert r.headers["content-location"] == f"/order-invoice-imports/{created['importId']}"
    assert r.headers["location"] == f"{client.base_url}{IMPORTS}/{created['importId']}"
    assert created["status"] == "Running" and created["orderId"] == order_id and created["fileCount"] == 1
    assert created["files"] == [
        {
            "fileName": "facture.pdf",
            "orderId": None,
            "status": "Running",
            "integrationStatus": "Received",
            "errorCode": None,
            "errorMessage": None,
            "documentId": None,
        }
    ]
    assert documents(client, seller_headers, order_id) == []
    drain()
    done = report(client, seller_headers, created["importId"])
    assert (done["status"], done["successCount"], done["failureCount"]) == ("Success", 1, 0)
    file = done["files"][0]
    assert (file["status"], file["integrationStatus"], file["orderId"]) == ("Success", "Integrated", order_id)
    [doc] = documents(client, seller_headers, order_id)
    assert (doc["format"], doc["fileName"], doc["size"], doc["documentId"]) == (
        "PDF",
        "facture.pdf",
        len(pdf),
        file["documentId"],
    )
    doc_url = f"/seller/v2/orders/{order_id}/invoice-documents/{doc['documentId']}"
    r = client.get(doc_url, headers=seller_headers)
    assert r.status_code == 200 and r.content == pdf and r.headers["content-type"] == "application/pdf"
    assert_problem(client.get(doc_url, headers=other_headers), 404)
    # A newer upload replaces the invoice.
    r = upload(client, seller_headers, order_id, "facture.xml", ubl_bytes(order_id), "text/xml")
    assert r.status_code == 201
    drain()
    [newer] = documents(client, seller_headers, order_id)
    assert newer["format"] == "UBL" and newer["documentId"] != doc["documentId"]
    assert_problem(client.get(doc_url, headers=seller_headers), 404)


def test_single_upload_refusals(client, db, drain, operator_headers, seller_headers, other_headers):
    order_id = new_order(client, db, drain, operator_headers)
    url = f"/seller/v2/orders/{order_id}/invoice-documents"
    no_file = [("note", (None, "no file"))]
    assert "file" in assert_problem(client.post(url, files=no_file, headers=seller_headers), 400)["errors"]
    two = [
        ("file", ("a.pdf", pdf_bytes(), "application/pdf")),
        ("file", ("b.pdf", pdf_bytes(), "application/pdf")),
    ]
    assert_problem(client.post(url, files=two, headers=seller_headers), 400)
    assert_problem(
        upload(client, seller_headers, order_id, "facture.docx", b"PK..", "application/msword"), 400
    )
    assert_problem(upload(client, seller_headers, order_id, "empty.pdf", b""), 400)
    assert_problem(client.post(url, json={"file": "facture.pdf"}, headers=seller_headers), 415)
    assert_problem(upload(client, seller_headers, "2611010000NOPE", "facture.pdf", pdf_bytes()), 404)
    assert_problem(upload(client, other_headers, order_id, "facture.pdf", pdf_bytes()), 404)
    # Over the file limit (10 MB), and over the request limit.
    big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)
    assert "10 MB" in assert_problem(upload(client, seller_headers, order_id, "big.pdf", big), 413)["detail"]
    huge = big + b"0" * (2 * 1024 * 1024)
    assert "MB" in assert_problem(upload(client, seller_headers, order_id, "huge.pdf", huge), 413)["detail"]
    assert_problem(client.get(url, headers=other_headers), 404)


def test_files_are_checked_for_what_they_claim(client, db, drain, operator_headers, seller_headers):
    order_id = new_order(client, db, drain, operator_headers)
    entity = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><Invoice>&e;</Invoice>'
    cases = [
        ("fake.pdf", ubl_bytes(order_id), "application/pdf", "InvalidPdf"),
        ("cut.pdf", pdf_bytes()[:-200], "application/pdf", "InvalidPdf"),
        ("other.xml", ubl_bytes(order_id, namespace="urn:example:invoice"), "application/xml", "InvalidUbl"),
        ("broken.xml", b"<Invoice><unclosed></Invoice>", "application/xml", "InvalidUbl"),
        ("entity.xml", entity, "application/xml", "InvalidUbl"),
    ]
    for name, data, content_type, code in cases:
        created = upload(client, seller_headers, order_id, name, data, content_type).json()
        drain()
        done = report(client, seller_headers, created["importId"])
        file = done["files"][0]
        assert (done["status"], file["status"], file["integrationStatus"], file["errorCode"]) == (
            "Failure",
            "Failure",
            "FileCheck",
            code,
        ), name
        assert file["errorMessage"]
    assert documents(client, seller_headers, order_id) == []


def test_bulk_upload_by_order_id(client, db, drain, operator_headers, seller_headers, other_headers):
    first = new_order(client, db, drain, operator_headers)
    second = new_order(client, db, drain, operator_headers)
    make_offer(db, seller_id="12345", reference="THEIRS")
    theirs = place(
        client,
        operator_headers,
        drain,
        lines=[{"sellerId": "12345", "sellerExternalReference": "THEIRS", "quantity": 1}],
    )["orderId"]
    waiting = new_order(client, db, drain, operator_headers, channel="CDISFR")
    parts = [
        (f"{first}.pdf", pdf_bytes(), "application/pdf"),
        (f"{second}.xml", ubl_bytes(second), "application/xml"),
        ("invoice.pdf", pdf_bytes(), "application/pdf"),
        ("2611010000ZZZZZ.pdf", pdf_bytes(), "application/pdf"),
        (f"{theirs}.pdf", pdf_bytes(), "application/pdf"),
        (f"{waiting}.pdf", pdf_bytes(), "application/pdf"),
        (f"{first}.docx", b"not an invoice", "application/octet-stream"),
    ]
    r = client.post(IMPORTS, files=[("files", p) for p in parts], headers=seller_headers)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["status"] == "Running" and created["orderId"] is None and created["fileCount"] == 7
    drain()
    done = report(client, seller_headers, created["importId"])
    assert (done["status"], done["successCount"], done["failureCount"]) == ("PartialSuccess", 2, 5)
    results = {f["fileName"]: (f["status"], f["integrationStatus"], f["errorCode"]) for f in done["files"]}
    assert results == {
        f"{first}.pdf": ("Success", "Integrated", None),
        f"{second}.xml": ("Success", "Integrated", None),
        "invoice.pdf": ("Failure", "OrderCheck", "InvalidFileName"),
        "2611010000ZZZZZ.pdf": ("Failure", "OrderCheck", "OrderNotFound"),
        f"{theirs}.pdf": ("Failure", "OrderCheck", "OrderNotFound"),
        f"{waiting}.pdf": ("Failure", "OrderCheck", "OrderNotInvoiceable"),
        f"{first}.docx": ("Failure", "FileCheck", "UnsupportedFileType"),
    }
    assert [d["format"] for d in documents(client, seller_headers, second)] == ["UBL"]
    assert documents(client, other_headers, theirs) == []
    assert_problem(client.get(f"{IMPORTS}/{created['importId']}", headers=other_headers), 404)


def test_bulk_zip_is_opened_safely(client, db, drain, operator_headers, seller_headers):
    first = new_order(client, db, drain, operator_headers)
    second = new_order(client, db, drain, operator_headers)
    archive = zip_bytes(
        {
            f"invoices/{first}.pdf": pdf_bytes(),
            f"{second}.xml": ubl_bytes(second),
            f"../{second}.pdf": pdf_bytes(),
            "nested.zip": zip_bytes({f"{first}.pdf": pdf_bytes()}),
            f"{second}-bomb.pdf": b"%PDF-" + b"\0" * (5 * 1024 * 1024),
        }
    )
    r = client.post(
        IMPORTS, files=[("file", ("invoices.zip", archive, "application/zip"))], headers=seller_headers
    )
    assert r.status_code == 201, r.text
    assert r.json()["files"][0]["fileName"] == "invoices.zip"
    drain()
    done = report(client, seller_headers, r.json()["importId"])
    results = {f["fileName"]: (f["status"], f["integrationStatus"], f["errorCode"]) for f in done["files"]}
    assert results == {
        f"{first}.pdf": ("Success", "Integrated", None),
        f"{second}.xml": ("Success", "Integrated", None),
        f"../{second}.pdf": ("Failure", "Extraction", "UnsafeEntry"),
        "nested.zip": ("Failure", "Extraction", "UnsupportedFileType"),
        f"{second}-bomb.pdf": ("Failure", "Extraction", "UnsafeEntry"),
    }
    assert done["status"] == "PartialSuccess" and done["fileCount"] == 5
    # A later file for the same order wins: here the XML, then nothing else for `second`.
    assert [d["format"] for d in documents(client, seller_headers, second)] == ["UBL"]
    corrupt = client.post(
        IMPORTS, files=[("file", ("x.zip", b"PK\x03\x04broken", "application/zip"))], headers=seller_headers
    )
    drain()
    done = report(client, seller_headers, corrupt.json()["importId"])
    assert done["status"] == "Failure"
    assert (done["files"][0]["integrationStatus"], done["files"][0]["errorCode"]) == (
        "Extraction",
        "InvalidArchive",
    )


def test_bulk_refusals_and_listing(client, db, drain, operator_headers, seller_headers, other_headers):
    order_id = new_order(client, db, drain, operator_headers)
    no_file = [("note", (None, "no file"))]
    assert (
        "files" in assert_problem(client.post(IMPORTS, files=no_file, headers=seller_headers), 400)["errors"]
    )
    assert_problem(
        client.post(IMPORTS, content=b"raw", headers={**seller_headers, "Content-Type": "application/pdf"}),
        415,
    )
    big = b"%PDF-" + b"0" * (10 * 1024 * 1024)
    assert_problem(
        client.post(
            IMPORTS, files=[("file", (f"{order_id}.pdf", big, "application/pdf"))], headers=seller_headers
        ),
        413,
    )
    ids = []
    for _ in range(3):
        r = client.post(
            IMPORTS,
            files=[("file", (f"{order_id}.pdf", pdf_bytes(), "application/pdf"))],
            headers=seller_headers,
        )
        assert r.status_code == 201
        ids.append(r.json()["importId"])
    drain()
    r = client.get(IMPORTS, headers=seller_headers)
    assert r.status_code == 200
    items = r.json()["items"]
    assert [i["importId"] for i in items] == ids[::-1]
    assert items[0]["status"] == "Success" and "files" not in items[0]
    walked = []
    url: str | None = f"{IMPORTS}?pageSize=2"
    while url:
        r = client.get(url, headers=seller_headers)
        walked += [i["importId"] for i in r.json()["items"]]
        nxt = [
            p.split(";")[0].strip("<> ") for p in r.headers.get("link", "").split(",") if 'rel="next"' in p
        ]
        url = nxt[0].replace("http://testserver.local", "") if nxt else None
    assert walked == ids[::-1]
    assert [
        i["importId"]
        for i in client.get(IMPORTS, params={"limit": 1}, headers=seller_headers).json()["items"]
    ] == ids[-1:]
    assert_problem(client.get(IMPORTS, params={"limit": 101}, headers=seller_headers), 400)
    assert client.get(IMPORTS, headers=other_headers).json()["items"] == []


def test_orders_invoices_lists_every_order_invoice(
    client, db, drain, operator_headers, seller_headers, other_headers
):
    # Seed 002's "/orders/invoices API": a name of its own, never read as an order id.
    first = new_order(client, db, drain, operator_headers)
    second = new_order(client, db, drain, operator_headers)
    assert client.get("/seller/v2/orders/invoices", headers=seller_headers).json()["items"] == []
    assert upload(client, seller_headers, first, "a.pdf", pdf_bytes()).status_code == 201
    # Posting there is the bulk import: files named by their order id.
    r = client.post(
        "/seller/v2/orders/invoices",
        files=[("files", (f"{second}.pdf", pdf_bytes(), "application/pdf"))],
        headers=seller_headers,
    )
    assert r.status_code == 201 and r.json()["fileCount"] == 1, r.text
    drain()
    r = client.get("/seller/v2/orders/invoices", params={"limit": 1}, headers=seller_headers)
    assert r.status_code == 200, r.text
    [newest] = r.json()["items"]
    assert newest["orderId"] == second and 'rel="next"' in r.headers["link"]
    everything = client.get("/seller/v2/orders/invoices", headers=seller_headers).json()["items"]
    assert [d["orderId"] for d in everything] == [second, first]
    filtered = client.get("/seller/v2/orders/invoices", params={"orderId": first}, headers=seller_headers)
    assert [d["fileName"] for d in filtered.json()["items"]] == ["a.pdf"]
    download = client.get(
        f"/seller/v2/orders/{first}/invoice-documents/{filtered.json()['items'][0]['documentId']}",
        headers=seller_headers,
    )
    assert download.status_code == 200 and download.content == pdf_bytes()
    assert client.get("/seller/v2/orders/invoices", headers=other_headers).json()["items"] == []
    assert_problem(client.get("/seller/v2/orders/invoices?limit=0", headers=seller_headers), 400)
