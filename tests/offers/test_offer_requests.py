"""Pure checks of offer requests: each request on its own, normalized into a change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from comptoir.offers import domain as d
from comptoir.offers import offer_requests as r
from offers.support import CDISFR_RULES as CDISFR
from offers.support import SELLZZ_RULES as SELLZZ

D = Decimal


def full(**overrides):
    values = {
        "reference": "REF-1",
        "gtin": "3000000000017",
        "condition": "New",
        "price": D("49.99"),
        "origin_price": D("59.99"),
        "taxes": [r.TaxInput("VAT", D("20"))],
        "quantity": 10,
        "delivery_modes": [d.DeliveryMode("THD", D("1.99"), D("0.5"))],
        "preparation_time": 2,
    }
    values.update(overrides)
    return r.OfferInput(**values)


def codes(result):
    assert isinstance(result, list), result
    return [p.code for p in result]


# --- offer requests ---------------------------------------------------------------------------------


def test_a_complete_upsert_is_accepted_and_normalized():
    change = r.normalize(full(condition="new", price=D("49.994")), r.Mode.UPSERT, SELLZZ)
    assert isinstance(change, r.Change)
    assert change.condition == "New"
    assert change.fields["price"] == D("49.99")
    assert change.fields["vat_rate"] == D("20.00")
    assert change.fields["eco_tax"] is None
    assert change.fields["delivery_modes"] == (d.DeliveryMode("THD", D("1.99"), D("0.50")),)


@pytest.mark.parametrize("reference", ["A", "x" * 50, "Ref {1}@%;$=[a]/,-(b)'\"\\&!#^?_+:. end", "123 456"])
def test_references_accepted(reference):
    assert isinstance(r.normalize(full(reference=reference), r.Mode.UPSERT, SELLZZ), r.Change)


@pytest.mark.parametrize("reference", ["", "x" * 51, "réf", "a<b", "tab\there", "a|b"])
def test_references_refused(reference):
    assert codes(r.normalize(full(reference=reference), r.Mode.UPSERT, SELLZZ)) == [d.Code.INVALID_REFERENCE]


@pytest.mark.parametrize(
    ("rules", "gtin", "ok"),
    [
        (CDISFR, "3000000000017", True),
        (CDISFR, "300000000001", False),
        (CDISFR, "30000000000170", False),
        (SELLZZ, "12345678", True),
        (SELLZZ, "12345678901234", True),
        (SELLZZ, "1234567", False),
        (SELLZZ, "123456789012345", False),
        (SELLZZ, "1234567a", False),
    ],
)
def test_gtin_format_per_channel(rules, gtin, ok):
    inp = full(gtin=gtin, delivery_modes=[d.DeliveryMode(sorted(rules.seller_modes)[0], D(1), D(0))])
    result = r.normalize(inp, r.Mode.UPSERT, rules)
    assert isinstance(result, r.Change) if ok else codes(result) == [d.Code.INVALID_GTIN]


@pytest.mark.parametrize("missing", ["price", "taxes", "condition", "quantity", "delivery_modes"])
def test_upsert_needs_every_offer_field(missing):
    assert codes(r.normalize(full(**{missing: None}), r.Mode.UPSERT, SELLZZ)) == [d.Code.MISSING_FIELD]


def test_upsert_needs_a_product():
    assert codes(r.normalize(full(gtin=None), r.Mode.UPSERT, SELLZZ)) == [d.Code.MISSING_FIELD]
    assert isinstance(r.normalize(full(gtin=None, product_reference="P1"), r.Mode.UPSERT, SELLZZ), r.Change)


def test_upsert_needs_at_least_one_delivery_mode():
    assert d.Code.MISSING_FIELD in codes(r.normalize(full(delivery_modes=[]), r.Mode.UPSERT, SELLZZ))


def test_update_carries_only_what_it_sends():
    change = r.normalize(r.OfferInput(reference="REF-1", price=D("10")), r.Mode.UPDATE, SELLZZ)
    assert change.fields == {"price": D("10.00")}
    change = r.normalize(r.OfferInput(reference="REF-1", quantity=0), r.Mode.UPDATE, SELLZZ)
    assert change.fields == {"quantity": 0}


def test_update_replaces_the_whole_tax_list():
    change = r.normalize(
        r.OfferInput(reference="R", taxes=[r.TaxInput("vat", D("5.5"))]), r.Mode.UPDATE, SELLZZ
    )
    assert change.fields == {"vat_rate": D("5.50"), "eco_tax": None, "dea_tax": None}
    refused = r.normalize(
        r.OfferInput(reference="R", taxes=[r.TaxInput("EcoTax", D("1"))]), r.Mode.UPDATE, SELLZZ
    )
    assert codes(refused) == [d.Code.INVALID_TAXES]


def test_delete_needs_only_the_reference():
    change = r.normalize(r.OfferInput(reference="R"), r.Mode.DELETE, SELLZZ)
    assert isinstance(change, r.Change) and change.fields == {}


def test_tax_codes_are_matched_case_insensitively_in_both_conventions():
    taxes = [
        r.TaxInput("vat", D("0.2"), "Rate"),
        r.TaxInput("ECOTAX", D("1.5"), "amount"),
        r.TaxInput("deatax", D("0.1")),
    ]
    change = r.normalize(full(taxes=taxes), r.Mode.UPSERT, SELLZZ)
    assert (change.fields["vat_rate"], change.fields["eco_tax"], change.fields["dea_tax"]) == (
        D("20.00"),
        D("1.50"),
        D("0.10"),
    )


@pytest.mark.parametrize(
    "taxes",
    [
        [r.TaxInput("GST", D("5")), r.TaxInput("VAT", D("20"))],
        [r.TaxInput("VAT", D("20")), r.TaxInput("vat", D("10"))],
        [r.TaxInput("VAT", D("120"))],
        [r.TaxInput("VAT", D("20"), "Amount")],
        [r.TaxInput("EcoTax", D("1"))],
        [r.TaxInput("VAT", D("20")), r.TaxInput("DeaTax", D("-1"))],
    ],
)
def test_tax_lists_refused(taxes):
    assert d.Code.INVALID_TAXES in codes(r.normalize(full(taxes=taxes), r.Mode.UPSERT, SELLZZ))


def test_delivery_modes_must_be_the_sellers_on_the_channel():
    assert codes(
        r.normalize(full(delivery_modes=[d.DeliveryMode("TRK", D(1), D(0))]), r.Mode.UPSERT, SELLZZ)
    ) == [d.Code.INVALID_DELIVERY_MODE]
    accepted = r.normalize(full(delivery_modes=[d.DeliveryMode("ehd", D(1), D(0))]), r.Mode.UPSERT, SELLZZ)
    assert accepted.fields["delivery_modes"][0].code == "EHD"


@pytest.mark.parametrize(
    "modes",
    [
        [d.DeliveryMode("THD", D(1), D(0)), d.DeliveryMode("THD", D(2), D(0))],
        [d.DeliveryMode("THD", D(-1), D(0))],
        [d.DeliveryMode("THD", D(1), D(-1))],
    ],
)
def test_delivery_mode_lists_refused(modes):
    assert codes(r.normalize(full(delivery_modes=modes), r.Mode.UPSERT, SELLZZ)) == [
        d.Code.INVALID_DELIVERY_MODE
    ]


@pytest.mark.parametrize(("days", "ok"), [(1, True), (10, True), (0, False), (11, False), (-3, False)])
def test_preparation_time_range(days, ok):
    result = r.normalize(full(preparation_time=days), r.Mode.UPSERT, SELLZZ)
    assert isinstance(result, r.Change) if ok else codes(result) == [d.Code.INVALID_PREPARATION_TIME]


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"condition": "Broken"}, d.Code.INVALID_CONDITION),
        ({"price": D(0)}, d.Code.INVALID_PRICE),
        ({"price": D("1000001")}, d.Code.INVALID_PRICE),
        ({"quantity": -1}, d.Code.INVALID_QUANTITY),
        ({"quantity": 1_000_000}, d.Code.INVALID_QUANTITY),
        ({"currency": "USD"}, d.Code.INVALID_CURRENCY),
        ({"packaging_unit": "P" * 21}, d.Code.INVALID_PACKAGING),
        ({"packaging_value": D(0)}, d.Code.INVALID_PACKAGING),
        ({"discounts": [d.Discount("Sales", "Percentage", D(10))]}, d.Code.DISCOUNT_NOT_ALLOWED),
    ],
)
def test_field_values_refused(overrides, code):
    assert code in codes(r.normalize(full(**overrides), r.Mode.UPSERT, SELLZZ))


def test_conditions_accept_names_any_case_and_legacy_numbers():
    assert [r.parse_condition(c) for c in ("new", "LIKENEW", "6", "5", "1")] == [
        "New",
        "LikeNew",
        "New",
        "Refurbished",
        "LikeNew",
    ]
    assert r.parse_condition("7") is None


def test_full_packages_default_to_new_and_need_only_the_ean():
    change = r.normalize(r.OfferInput(reference="R", gtin="3000000000017"), r.Mode.FULL, CDISFR)
    assert change.condition == "New"
    assert change.fields["price"] is None and "quantity" not in change.fields
    assert codes(r.normalize(r.OfferInput(reference="R"), r.Mode.FULL, CDISFR)) == [d.Code.MISSING_FIELD]


def test_stock_and_price_ignores_other_fields_and_needs_one_of_them():
    change = r.normalize(full(quantity=3, price=None), r.Mode.STOCK_AND_PRICE, CDISFR)
    assert change.fields == {"quantity": 3}
    assert codes(r.normalize(r.OfferInput(reference="R"), r.Mode.STOCK_AND_PRICE, CDISFR)) == [
        d.Code.MISSING_FIELD
    ]


def test_discounts_are_for_cdiscount_and_checked():
    sale = d.Discount("Sales", "Percentage", D(10))
    inp = full(delivery_modes=[d.DeliveryMode("TRK", D(1), D(0))], discounts=[sale])
    assert isinstance(r.normalize(inp, r.Mode.FULL, CDISFR), r.Change)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for bad in (
        d.Discount("Sales", "Percentage", D(100)),
        d.Discount("Sales", "Amount", D(0)),
        d.Discount("Nope", "Amount", D(1)),
        d.Discount("Sales", "Amount", D(1), now, now - timedelta(days=1)),
    ):
        inp = full(delivery_modes=[d.DeliveryMode("TRK", D(1), D(0))], discounts=[bad])
        assert codes(r.normalize(inp, r.Mode.FULL, CDISFR)) == [d.Code.INVALID_DISCOUNT]


def test_format_problems_of_the_reader_are_kept():
    problem = d.Problem(d.Code.INVALID_PRICE, "Price 'abc' is not valid.")
    assert codes(r.normalize(full(problems=[problem]), r.Mode.FULL, SELLZZ)) == [d.Code.INVALID_PRICE]


def test_duplicated_references():
    assert r.duplicated_references(["A", "B", "A", "C", "C", "C"]) == {"A", "C"}
    assert r.duplicated_references(["A", "a"]) == set()
