from __future__ import annotations

import pytest

from comptoir.catalog import formats
from comptoir.catalog.schemas import ProductIn


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://cdn.example.com/a/b.jpg", True),
        ("http://cdn.example.com/p?id=1", True),
        ("http://localhost:8000/x.png", True),
        ("ftp://cdn.example.com/a.jpg", False),
        ("cdn.example.com/a.jpg", False),
        ("https://cdn example.com/a.jpg", False),
        ("https://intranet/a.jpg", False),
        ("https://[::1/a.jpg", False),
        ("https://cdn.example.com/" + "a" * 2100, False),
        ("", False),
    ],
)
def test_web_urls(url, ok):
    assert formats.is_web_url(url) is ok


def test_file_format_ignores_case_and_query_and_reads_jpeg_as_jpg():
    assert formats.file_format("https://x.example/Manual.PDF?v=2") == "pdf"
    assert formats.file_format("https://x.example/label.jpeg") == "jpg"
    assert formats.file_format("https://x.example/download") == ""


def test_coercion_keeps_what_converts_and_reports_the_rest():
    product, errors, infos = formats.coerce_product(
        {
            "gtin": "4006381333931",
            "title": 12,
            "categoryCode": ["010101"],
            "attributes": [{"propertyReference": "1", "values": ["a"]}, {"values": ["b"]}, "junk"],
            "images": ["https://x.example/a.jpg"],
        }
    )
    assert product.gtin == "4006381333931" and product.title is None and product.category_code is None
    assert [a.property_reference for a in product.attributes] == ["1"]
    assert [(e["code"], e["field"]) for e in errors] == [
        ("IncorrectFormat", "Title"),
        ("IncorrectFormat", "CategoryReference"),
        ("IncorrectFormat", "Attributes[1]"),
        ("IncorrectFormat", "Attributes[2]"),
    ]
    assert [(i["code"], i["field"]) for i in infos] == [("UnknownField", "images")]


def test_coercion_fast_path():
    product, errors, infos = formats.coerce_product({"gtin": "73513537", "title": "T"})
    assert product == ProductIn(gtin="73513537", title="T") and errors == [] and infos == []
