from __future__ import annotations

import pytest

from comptoir.catalog import checks, domain, formats, messages
from comptoir.catalog.domain import Kind, Necessity, Operation, Status
from comptoir.catalog.schemas import AttributeIn, PictureIn, ProductIn

# check_product against a small referential

TOYS = checks.CategoryRule(
    reference="090101",
    level=3,
    properties={
        "age": checks.PropertyRule("age", Kind.NUMBER, Necessity.MANDATORY),
        "sheet": checks.PropertyRule(
            "sheet", Kind.FILE, Necessity.RECOMMENDED, file_formats=frozenset({"pdf"})
        ),
        "material": checks.PropertyRule(
            "material",
            Kind.LIST,
            Necessity.OPTIONAL,
            choices=frozenset({"Bois", "Métal"}),
            is_multi_valued=True,
        ),
        "colour": checks.PropertyRule("colour", Kind.LIST, Necessity.OPTIONAL, choices=frozenset({"Rouge"})),
        "model": checks.PropertyRule("model", Kind.TEXT, Necessity.OPTIONAL),
    },
)
SHIRTS = checks.CategoryRule(
    reference="050201",
    level=3,
    is_variant=True,
    properties={
        "colour": checks.PropertyRule(
            "colour", Kind.LIST, Necessity.OPTIONAL, choices=frozenset({"Rouge"}), is_variation=True
        ),
    },
)
LAPTOPS = checks.CategoryRule(reference="010103", level=3, is_brand_mandatory=True)
CONTEXT = checks.Context(
    categories={
        "090101": TOYS,
        "050201": SHIRTS,
        "010103": LAPTOPS,
        "090100": checks.CategoryRule("090100", level=2),
        "100105": checks.CategoryRule("100105", level=3, is_active=False),
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
    return checks.check_product(product, seller_id="98979", context=kwargs.pop("context", CONTEXT), **kwargs)


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
    product, errors, infos = formats.coerce_product({"gtin": "4006381333931", "title": 5, "description": "d"})
    verdict = check(product, errors=errors, infos=infos)
    [title] = [e for e in verdict.errors if e["field"] == "Title"]
    assert (title["code"], title["type"]) == ("IncorrectFormat", "Validation")
    assert messages.text(title, "en-US") == "Expected `str | null`, got `int`"
    assert (
        messages.text(title, "fr-FR")
        == "La valeur n'a pas le type attendu (Expected `str | null`, got `int`)."
    )


def test_another_sellers_product_is_not_edited():
    context = checks.Context(
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
