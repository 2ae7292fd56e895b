from __future__ import annotations

import pytest

from comptoir.catalog import domain
from comptoir.catalog.domain import Code, Kind, Necessity, Operation, Status
from comptoir.catalog.schemas import AttributeIn, PictureIn, ProductIn

# Published GS1 examples of each length.
VALID_GTINS = ["73513537", "036000291452", "4006381333931", "00012345600012"]


@pytest.mark.parametrize("gtin", VALID_GTINS)
def test_valid_gtins_of_each_length(gtin):
    assert domain.gtin_problem(gtin) is None
    assert domain.with_check_digit(gtin[:-1]) == gtin


@pytest.mark.parametrize(
    ("gtin", "code", "text"),
    [
        (None, Code.MISSING_FIELD, "required"),
        ("", Code.MISSING_FIELD, "required"),
        ("400638133393A", Code.INCORRECT_FORMAT, "digits only"),
        ("４００６３８１３３３９３１", Code.INCORRECT_FORMAT, "digits only"),  # full-width digits
        ("40063813339", Code.INCORRECT_FORMAT, "8, 12, 13 or 14"),
        ("400638133393100", Code.INCORRECT_FORMAT, "8, 12, 13 or 14"),
        ("4006381333932", Code.INCORRECT_VALUE, "should be 1"),
    ],
)
def test_invalid_gtins(gtin, code, text):
    problem = domain.gtin_problem(gtin)
    assert problem is not None
    assert problem["code"] == code and problem["field"] == "Gtin" and text in problem["message"]


def test_duplicates_ignore_blanks():
    assert domain.duplicates(["1", "2", "1", None, "", "", "3", "3", "3"]) == {"1", "3"}


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
    assert domain.is_web_url(url) is ok


def test_file_format_ignores_case_and_query_and_reads_jpeg_as_jpg():
    assert domain.file_format("https://x.example/Manual.PDF?v=2") == "pdf"
    assert domain.file_format("https://x.example/label.jpeg") == "jpg"
    assert domain.file_format("https://x.example/download") == ""


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "fr-FR"),
        ("en-US", "en-US"),
        ("en-GB,en;q=0.9", "en-US"),
        ("es", "es-ES"),
        ("de-DE", "fr-FR"),
        ("de-DE, es-MX;q=0.5, en;q=0.4", "es-ES"),
        ("en;q=0.2, es;q=0.8", "es-ES"),
        ("en;q=0, es", "es-ES"),
        ("*", "fr-FR"),
        ("fr-CA;q=abc, en", "en-US"),
    ],
)
def test_accept_language(header, language):
    assert domain.pick_language(header) == language


def test_only_french_products_are_sellable_on_cdiscount():
    assert domain.sellable_on("fr-FR", "CDISFR")
    assert not domain.sellable_on("en-US", "CDISFR")
    assert domain.sellable_on("en-US", "SELLZZ")


def test_product_references():
    assert domain.product_reference(148) == "AAAAA00148"
    assert domain.product_reference(100_000) == "AAAAB00000"
    assert domain.product_reference(26 * 100_000 + 7) == "AAABA00007"
    with pytest.raises(ValueError):
        domain.product_reference(26**5 * 100_000)


def test_decisions_against_the_known_product():
    content = {"title": "A"}
    mine = domain.KnownProduct("98979", content)
    assert domain.decide(None, "98979", content) == domain.Decision(Operation.CREATION, True, False)
    assert domain.decide(mine, "98979", {"title": "A"}).operation == Operation.IDENTICAL
    assert domain.decide(mine, "98979", {"title": "B"}).operation == Operation.MODIFICATION
    theirs = domain.decide(mine, "12345", {"title": "B"})
    assert theirs.operation == Operation.IDENTICAL and not theirs.allowed_to_edit and theirs.was_marketable


def test_coercion_keeps_what_converts_and_reports_the_rest():
    product, errors, infos = domain.coerce_product(
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
    product, errors, infos = domain.coerce_product({"gtin": "73513537", "title": "T"})
    assert product == ProductIn(gtin="73513537", title="T") and errors == [] and infos == []


# check_product against a small referential

TOYS = domain.CategoryRule(
    reference="090101",
    level=3,
    properties={
        "age": domain.PropertyRule("age", Kind.NUMBER, Necessity.MANDATORY),
        "sheet": domain.PropertyRule(
            "sheet", Kind.FILE, Necessity.RECOMMENDED, file_formats=frozenset({"pdf"})
        ),
        "material": domain.PropertyRule(
            "material",
            Kind.LIST,
            Necessity.OPTIONAL,
            choices=frozenset({"Bois", "Métal"}),
            is_multi_valued=True,
        ),
        "colour": domain.PropertyRule("colour", Kind.LIST, Necessity.OPTIONAL, choices=frozenset({"Rouge"})),
        "model": domain.PropertyRule("model", Kind.TEXT, Necessity.OPTIONAL),
    },
)
SHIRTS = domain.CategoryRule(
    reference="050201",
    level=3,
    is_variant=True,
    properties={
        "colour": domain.PropertyRule(
            "colour", Kind.LIST, Necessity.OPTIONAL, choices=frozenset({"Rouge"}), is_variation=True
        ),
    },
)
LAPTOPS = domain.CategoryRule(reference="010103", level=3, is_brand_mandatory=True)
CONTEXT = domain.Context(
    categories={
        "090101": TOYS,
        "050201": SHIRTS,
        "010103": LAPTOPS,
        "090100": domain.CategoryRule("090100", level=2),
        "100105": domain.CategoryRule("100105", level=3, is_active=False),
    },
    brands={"juntek": "Juntek", "soltek": "Soltek"},
    known={},
    duplicate_gtins={"73513537"},
)


def toy(**changes) -> ProductIn:
    values = {
        "gtin": "4006381333931",
        "title": "Blocks",
        "description": "Wooden blocks",
        "category_code": "090101",
        "brand": "Juntek",
        "attributes": [
            AttributeIn("age", ["3"]),
            AttributeIn("sheet", files=["https://x.example/sheet.pdf"]),
            AttributeIn("material", ["Bois", "Métal"]),
        ],
        "seller_picture_urls": [PictureIn(1, "https://x.example/1.jpg")],
    }
    values.update(changes)
    return ProductIn(**values)


def codes(messages):
    return [(m["code"], m["field"]) for m in messages]


def check(product, **kwargs):
    return domain.check_product(product, seller_id="98979", context=kwargs.pop("context", CONTEXT), **kwargs)


def test_complete_product_passes_with_full_completeness():
    verdict = check(toy())
    assert verdict.status == Status.VALIDATED
    assert verdict.errors == [] and verdict.warnings == [] and verdict.infos == []
    assert verdict.completeness == 100
    assert verdict.decision.operation == Operation.CREATION
    assert verdict.content["brand"] == "Juntek" and verdict.content["language"] == "fr-FR"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"gtin": "4006381333932"}, ("IncorrectValue", "Gtin")),
        ({"gtin": "73513537"}, ("DuplicateValue", "Gtin")),
        ({"title": None}, ("MissingField", "Title")),
        ({"title": "  "}, ("MissingField", "Title")),
        ({"title": "t" * 133}, ("MaxLengthExceeded", "Title")),
        ({"description": "d" * 2001}, ("MaxLengthExceeded", "Description")),
        ({"rich_marketing_description": "r" * 20_001}, ("MaxLengthExceeded", "RichMarketingDescription")),
        ({"seller_product_reference": "s" * 51}, ("MaxLengthExceeded", "SellerProductReference")),
        ({"language": "de-DE"}, ("IncorrectValue", "Language")),
        ({"category_code": None}, ("MissingField", "CategoryReference")),
        ({"category_code": "999999"}, ("CategorizationError", "CategoryReference")),
        ({"category_code": "090100"}, ("CategorizationError", "CategoryReference")),
        ({"category_code": "100105"}, ("CategorizationError", "CategoryReference")),
        ({"attributes": [AttributeIn("sheet", files=["https://x.example/s.pdf"])]}, ("MissingField", "age")),
        ({"attributes": [AttributeIn("age", ["three"])]}, ("IncorrectFormat", "age")),
        ({"attributes": [AttributeIn("age", ["3", "4"])]}, ("IncorrectValue", "age")),
        ({"attributes": [AttributeIn("age", ["3"]), AttributeIn("age", ["4"])]}, ("DuplicateValue", "age")),
        (
            {"attributes": [AttributeIn("age", ["3"]), AttributeIn("material", ["Bambou"])]},
            ("IncorrectValue", "material"),
        ),
        (
            {"attributes": [AttributeIn("age", ["3"]), AttributeIn("colour", [" "])]},
            ("IncorrectValue", "colour"),
        ),
        (
            {"attributes": [AttributeIn("age", ["3"]), AttributeIn("model", ["m" * 1001])]},
            ("MaxLengthExceeded", "model"),
        ),
        (
            {
                "attributes": [
                    AttributeIn("age", ["3"]),
                    AttributeIn("sheet", files=["https://x.example/s.docx"]),
                ]
            },
            ("IncorrectFormat", "sheet"),
        ),
        (
            {"attributes": [AttributeIn("age", ["3"]), AttributeIn("sheet", files=["s.pdf"])]},
            ("IncorrectFormat", "sheet"),
        ),
        (
            {"attributes": [AttributeIn("age", ["3"]), AttributeIn("sheet", ["s.pdf"])]},
            ("IncorrectValue", "sheet"),
        ),
        (
            {"attributes": [AttributeIn("age", ["3"], files=["https://x.example/a.pdf"])]},
            ("IncorrectValue", "age"),
        ),
        ({"seller_picture_urls": [PictureIn(1, "not a url")]}, ("IncorrectFormat", "SellerPictureUrls[0]")),
        (
            {"seller_picture_urls": [PictureIn(0, "https://x.example/1.jpg")]},
            ("IncorrectValue", "SellerPictureUrls[0]"),
        ),
        (
            {
                "seller_picture_urls": [
                    PictureIn(1, "https://x.example/1.jpg"),
                    PictureIn(1, "https://x.example/2.jpg"),
                ]
            },
            ("DuplicateValue", "SellerPictureUrls[1]"),
        ),
        ({"category_code": "010103", "brand": None, "attributes": []}, ("MissingField", "Brand")),
        ({"category_code": "010103", "brand": "Nobrand", "attributes": []}, ("IncorrectValue", "Brand")),
        (
            {"category_code": "050201", "attributes": [AttributeIn("colour", ["Rouge"])]},
            ("MissingField", "VariantGroupReference"),
        ),
        (
            {"category_code": "050201", "variant_group_reference": "G", "attributes": []},
            ("MissingField", "colour"),
        ),
    ],
)
def test_each_refusal(changes, expected):
    verdict = check(toy(**changes))
    assert verdict.status == Status.REFUSED
    assert expected in codes(verdict.errors), verdict.errors


@pytest.mark.parametrize(
    "changes",
    [
        {"gtin": "036000291452"},
        {"title": "t" * 132, "description": "d" * 2000},
        {"language": "es-ES"},
        {"brand": "JUNTEK"},
        {"category_code": "010103", "brand": "soltek", "attributes": []},
        {
            "category_code": "050201",
            "variant_group_reference": "G",
            "attributes": [AttributeIn("colour", ["Rouge"])],
        },
        {
            "attributes": [
                AttributeIn("age", ["2,5"]),
                AttributeIn("sheet", files=["https://x.example/S.PDF?dl=1"]),
            ]
        },
    ],
)
def test_each_acceptance(changes):
    verdict = check(toy(**changes))
    assert verdict.errors == [], verdict.errors
    assert verdict.status == Status.VALIDATED


def test_warnings_and_infos_do_not_refuse():
    verdict = check(
        toy(
            language="en-US",
            brand="Unknown brand",
            attributes=[AttributeIn("age", ["3"]), AttributeIn("zzz", ["x"])],
            seller_picture_urls=[],
        )
    )
    assert verdict.status == Status.VALIDATED
    assert codes(verdict.warnings) == [
        ("IncorrectValue", "Brand"),
        ("MissingField", "SellerPictureUrls"),
        ("UnknownProperty", "zzz"),
        ("MissingField", "sheet"),
    ]
    assert codes(verdict.infos) == [("NotAvailableOnChannel", "Language")]
    assert verdict.content["brand"] == "Unknown brand"
    # title, description, brand, age: 4 of 6 (no picture, no recommended sheet)
    assert verdict.completeness == 67


def test_a_field_dropped_for_its_type_is_not_also_reported_missing():
    product, errors, infos = domain.coerce_product({"gtin": "4006381333931", "title": 5, "description": "d"})
    verdict = check(product, errors=errors, infos=infos)
    assert [e for e in verdict.errors if e["field"] == "Title"] == [
        {
            "code": "IncorrectFormat",
            "field": "Title",
            "message": "Expected `str | null`, got `int`",
            "type": "Validation",
        }
    ]


def test_another_sellers_product_is_not_edited():
    context = domain.Context(
        categories=CONTEXT.categories,
        brands=CONTEXT.brands,
        known={"4006381333931": domain.KnownProduct("12345", {})},
        duplicate_gtins=set(),
    )
    verdict = check(toy(), context=context)
    assert verdict.status == Status.VALIDATED
    assert verdict.decision.operation == Operation.IDENTICAL and not verdict.decision.allowed_to_edit
    assert ("NotAllowedToEdit", "Gtin") in codes(verdict.warnings)


def test_content_is_canonical():
    content = domain.product_content(
        toy(
            attributes=[AttributeIn("b", ["1"]), AttributeIn("a", ["2"]), AttributeIn("c")],
            seller_picture_urls=[
                PictureIn(2, "https://x.example/2.jpg"),
                PictureIn(1, "https://x.example/1.jpg"),
            ],
        ),
        language="fr-FR",
        brand="Juntek",
    )
    assert [a["propertyReference"] for a in content["attributes"]] == ["a", "b"]
    assert content["pictures"] == ["https://x.example/1.jpg", "https://x.example/2.jpg"]
