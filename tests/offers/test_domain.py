"""Pure offer rules: request checks, Active/Inactive, package states, competition, field selection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from comptoir.errors import Conflict, ValidationFailed
from comptoir.offers import domain as d

SELLZZ = d.ChannelRules("SELLZZ", "EUR", frozenset({"THD", "EHD"}))
CDISFR = d.ChannelRules("CDISFR", "EUR", frozenset({"TRK", "STD"}))
D = Decimal


def full(**overrides):
    values = {
        "reference": "REF-1",
        "gtin": "3000000000017",
        "condition": "New",
        "price": D("49.99"),
        "origin_price": D("59.99"),
        "taxes": [d.TaxInput("VAT", D("20"))],
        "quantity": 10,
        "delivery_modes": [d.DeliveryMode("THD", D("1.99"), D("0.5"))],
        "preparation_time": 2,
    }
    values.update(overrides)
    return d.OfferInput(**values)


def codes(result):
    assert isinstance(result, list), result
    return [p.code for p in result]


# --- package states ---------------------------------------------------------------------------------

S = d.PackageState
ALLOWED = {
    (S.WAITING_FOR_COMPLETION, S.READY),
    (S.READY, S.INTEGRATION_PENDING),
    (S.READY, S.REJECTED),
    (S.INTEGRATION_PENDING, S.INTEGRATED),
    (S.INTEGRATION_PENDING, S.REJECTED),
}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_every_transition_is_allowed_or_refused(current, target):
    if (current, target) in ALLOWED:
        assert d.transition(current, target) == target
    else:
        with pytest.raises(Conflict):
            d.transition(current, target)


def test_ready_is_the_only_state_a_seller_may_request():
    assert d.check_ready_request(S.WAITING_FOR_COMPLETION, "Ready") == S.READY
    for asked in ("ready", "Integrated", "IntegrationPending", "WaitingForCompletion", "Rejected", "Nope"):
        with pytest.raises(ValidationFailed):
            d.check_ready_request(S.WAITING_FOR_COMPLETION, asked)


@pytest.mark.parametrize("current", [s for s in S if s != S.WAITING_FOR_COMPLETION])
def test_ready_is_irreversible_and_once(current):
    with pytest.raises(Conflict):
        d.check_ready_request(current, "Ready")


@pytest.mark.parametrize("state", list(S))
def test_uploads_only_while_waiting(state):
    if state == S.WAITING_FOR_COMPLETION:
        d.check_uploadable(state)
    else:
        with pytest.raises(Conflict):
            d.check_uploadable(state)


def test_package_keys():
    assert [
        d.package_key(t)
        for t in ("1", "2147483647", "2147483648", "99999999999", "²", "-1", "AAA0000001", "")
    ] == [
        1,
        2147483647,
        -1,
        -1,
        -1,
        -1,
        -1,
        -1,
    ]


def test_upload_sizes():
    d.check_upload_size(0, 1)
    d.check_upload_size(49_900, 100)
    for already, adding in ((0, 0), (0, 101), (49_901, 100), (50_000, 1)):
        with pytest.raises(ValidationFailed):
            d.check_upload_size(already, adding)


# --- offer requests ---------------------------------------------------------------------------------


def test_a_complete_upsert_is_accepted_and_normalized():
    change = d.normalize(full(condition="new", price=D("49.994")), d.Mode.UPSERT, SELLZZ)
    assert isinstance(change, d.Change)
    assert change.condition == "New"
    assert change.fields["price"] == D("49.99")
    assert change.fields["vat_rate"] == D("20.00")
    assert change.fields["eco_tax"] is None
    assert change.fields["delivery_modes"] == (d.DeliveryMode("THD", D("1.99"), D("0.50")),)


@pytest.mark.parametrize("reference", ["A", "x" * 50, "Ref {1}@%;$=[a]/,-(b)'\"\\&!#^?_+:. end", "123 456"])
def test_references_accepted(reference):
    assert isinstance(d.normalize(full(reference=reference), d.Mode.UPSERT, SELLZZ), d.Change)


@pytest.mark.parametrize("reference", ["", "x" * 51, "réf", "a<b", "tab\there", "a|b"])
def test_references_refused(reference):
    assert codes(d.normalize(full(reference=reference), d.Mode.UPSERT, SELLZZ)) == [d.Code.INVALID_REFERENCE]


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
    result = d.normalize(inp, d.Mode.UPSERT, rules)
    assert isinstance(result, d.Change) if ok else codes(result) == [d.Code.INVALID_GTIN]


@pytest.mark.parametrize("missing", ["price", "taxes", "condition", "quantity", "delivery_modes"])
def test_upsert_needs_every_offer_field(missing):
    assert codes(d.normalize(full(**{missing: None}), d.Mode.UPSERT, SELLZZ)) == [d.Code.MISSING_FIELD]


def test_upsert_needs_a_product():
    assert codes(d.normalize(full(gtin=None), d.Mode.UPSERT, SELLZZ)) == [d.Code.MISSING_FIELD]
    assert isinstance(d.normalize(full(gtin=None, product_reference="P1"), d.Mode.UPSERT, SELLZZ), d.Change)


def test_upsert_needs_at_least_one_delivery_mode():
    assert d.Code.MISSING_FIELD in codes(d.normalize(full(delivery_modes=[]), d.Mode.UPSERT, SELLZZ))


def test_update_carries_only_what_it_sends():
    change = d.normalize(d.OfferInput(reference="REF-1", price=D("10")), d.Mode.UPDATE, SELLZZ)
    assert change.fields == {"price": D("10.00")}
    change = d.normalize(d.OfferInput(reference="REF-1", quantity=0), d.Mode.UPDATE, SELLZZ)
    assert change.fields == {"quantity": 0}


def test_update_replaces_the_whole_tax_list():
    change = d.normalize(
        d.OfferInput(reference="R", taxes=[d.TaxInput("vat", D("5.5"))]), d.Mode.UPDATE, SELLZZ
    )
    assert change.fields == {"vat_rate": D("5.50"), "eco_tax": None, "dea_tax": None}
    refused = d.normalize(
        d.OfferInput(reference="R", taxes=[d.TaxInput("EcoTax", D("1"))]), d.Mode.UPDATE, SELLZZ
    )
    assert codes(refused) == [d.Code.INVALID_TAXES]


def test_delete_needs_only_the_reference():
    change = d.normalize(d.OfferInput(reference="R"), d.Mode.DELETE, SELLZZ)
    assert isinstance(change, d.Change) and change.fields == {}


def test_tax_codes_are_matched_case_insensitively_in_both_conventions():
    taxes = [
        d.TaxInput("vat", D("0.2"), "Rate"),
        d.TaxInput("ECOTAX", D("1.5"), "amount"),
        d.TaxInput("deatax", D("0.1")),
    ]
    change = d.normalize(full(taxes=taxes), d.Mode.UPSERT, SELLZZ)
    assert (change.fields["vat_rate"], change.fields["eco_tax"], change.fields["dea_tax"]) == (
        D("20.00"),
        D("1.50"),
        D("0.10"),
    )


@pytest.mark.parametrize(
    "taxes",
    [
        [d.TaxInput("GST", D("5")), d.TaxInput("VAT", D("20"))],
        [d.TaxInput("VAT", D("20")), d.TaxInput("vat", D("10"))],
        [d.TaxInput("VAT", D("120"))],
        [d.TaxInput("VAT", D("20"), "Amount")],
        [d.TaxInput("EcoTax", D("1"))],
        [d.TaxInput("VAT", D("20")), d.TaxInput("DeaTax", D("-1"))],
    ],
)
def test_tax_lists_refused(taxes):
    assert d.Code.INVALID_TAXES in codes(d.normalize(full(taxes=taxes), d.Mode.UPSERT, SELLZZ))


def test_delivery_modes_must_be_the_sellers_on_the_channel():
    assert codes(
        d.normalize(full(delivery_modes=[d.DeliveryMode("TRK", D(1), D(0))]), d.Mode.UPSERT, SELLZZ)
    ) == [d.Code.INVALID_DELIVERY_MODE]
    accepted = d.normalize(full(delivery_modes=[d.DeliveryMode("ehd", D(1), D(0))]), d.Mode.UPSERT, SELLZZ)
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
    assert codes(d.normalize(full(delivery_modes=modes), d.Mode.UPSERT, SELLZZ)) == [
        d.Code.INVALID_DELIVERY_MODE
    ]


@pytest.mark.parametrize(("days", "ok"), [(1, True), (10, True), (0, False), (11, False), (-3, False)])
def test_preparation_time_range(days, ok):
    result = d.normalize(full(preparation_time=days), d.Mode.UPSERT, SELLZZ)
    assert isinstance(result, d.Change) if ok else codes(result) == [d.Code.INVALID_PREPARATION_TIME]


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
    assert code in codes(d.normalize(full(**overrides), d.Mode.UPSERT, SELLZZ))


def test_conditions_accept_names_any_case_and_legacy_numbers():
    assert [d.parse_condition(c) for c in ("new", "LIKENEW", "6", "5", "1")] == [
        "New",
        "LikeNew",
        "New",
        "Refurbished",
        "LikeNew",
    ]
    assert d.parse_condition("7") is None


def test_full_packages_default_to_new_and_need_only_the_ean():
    change = d.normalize(d.OfferInput(reference="R", gtin="3000000000017"), d.Mode.FULL, CDISFR)
    assert change.condition == "New"
    assert change.fields["price"] is None and "quantity" not in change.fields
    assert codes(d.normalize(d.OfferInput(reference="R"), d.Mode.FULL, CDISFR)) == [d.Code.MISSING_FIELD]


def test_stock_and_price_ignores_other_fields_and_needs_one_of_them():
    change = d.normalize(full(quantity=3, price=None), d.Mode.STOCK_AND_PRICE, CDISFR)
    assert change.fields == {"quantity": 3}
    assert codes(d.normalize(d.OfferInput(reference="R"), d.Mode.STOCK_AND_PRICE, CDISFR)) == [
        d.Code.MISSING_FIELD
    ]


def test_discounts_are_for_cdiscount_and_checked():
    sale = d.Discount("Sales", "Percentage", D(10))
    inp = full(delivery_modes=[d.DeliveryMode("TRK", D(1), D(0))], discounts=[sale])
    assert isinstance(d.normalize(inp, d.Mode.FULL, CDISFR), d.Change)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for bad in (
        d.Discount("Sales", "Percentage", D(100)),
        d.Discount("Sales", "Amount", D(0)),
        d.Discount("Nope", "Amount", D(1)),
        d.Discount("Sales", "Amount", D(1), now, now - timedelta(days=1)),
    ):
        inp = full(delivery_modes=[d.DeliveryMode("TRK", D(1), D(0))], discounts=[bad])
        assert codes(d.normalize(inp, d.Mode.FULL, CDISFR)) == [d.Code.INVALID_DISCOUNT]


def test_format_problems_of_the_reader_are_kept():
    problem = d.Problem(d.Code.INVALID_PRICE, "Price 'abc' is not valid.")
    assert codes(d.normalize(full(problems=[problem]), d.Mode.FULL, SELLZZ)) == [d.Code.INVALID_PRICE]


def test_duplicated_references():
    assert d.duplicated_references(["A", "B", "A", "C", "C", "C"]) == {"A", "C"}
    assert d.duplicated_references(["A", "a"]) == set()


# --- products and identity --------------------------------------------------------------------------

P1 = d.ProductInfo(1, "3000000000017", "PREF1", "fr-FR")
P2 = d.ProductInfo(2, "3000000000024", "PREF2", "fr-FR")
EN = d.ProductInfo(3, "3000000000031", "PREF3", "en-US")
BY_GTIN = {p.gtin: p for p in (P1, P2, EN)}
BY_REF = {p.reference: p for p in (P1, P2, EN)}


def change(gtin=None, reference=None, condition="New"):
    return d.Change("R", gtin, reference, condition, {})


def test_products_by_gtin_or_reference():
    assert d.resolve_product(change(gtin=P1.gtin), BY_GTIN, BY_REF, SELLZZ) == P1
    assert d.resolve_product(change(reference="PREF2"), BY_GTIN, BY_REF, SELLZZ) == P2
    assert d.resolve_product(change(gtin=P1.gtin, reference="PREF1"), BY_GTIN, BY_REF, SELLZZ) == P1
    assert d.resolve_product(change(), BY_GTIN, BY_REF, SELLZZ) is None


@pytest.mark.parametrize(
    ("c", "rules", "code"),
    [
        (change(gtin="3999999999994"), SELLZZ, d.Code.UNKNOWN_PRODUCT),
        (change(reference="NOPE"), SELLZZ, d.Code.UNKNOWN_PRODUCT),
        (change(gtin=P1.gtin, reference="PREF2"), SELLZZ, d.Code.PRODUCT_MISMATCH),
        (change(gtin=EN.gtin), CDISFR, d.Code.PRODUCT_NOT_ON_CHANNEL),
    ],
)
def test_products_refused(c, rules, code):
    problem = d.resolve_product(c, BY_GTIN, BY_REF, rules)
    assert isinstance(problem, d.Problem) and problem.code == code


def test_english_products_are_sold_outside_cdiscount():
    assert d.resolve_product(change(gtin=EN.gtin), BY_GTIN, BY_REF, SELLZZ) == EN


def test_identity_of_an_offer():
    assert d.identity_problem(1, "New", P1, "New") is None
    assert d.identity_problem(1, "New", None, None) is None
    assert d.identity_problem(1, "New", P2, None).code == d.Code.IDENTITY_CHANGED
    assert d.identity_problem(1, "New", None, "LikeNew").code == d.Code.IDENTITY_CHANGED


def test_rules_between_fields():
    assert (
        d.merged_problems({"price": D(10), "origin_price": D(12), "minimum_price_for_alignment": D(9)}) == []
    )
    assert [p.code for p in d.merged_problems({"price": D(10), "origin_price": D(9)})] == [
        d.Code.INVALID_PRICE
    ]
    assert [p.code for p in d.merged_problems({"price": D(10), "minimum_price_for_alignment": D(11)})] == [
        d.Code.INVALID_PRICE_ALIGNMENT
    ]
    discount = d.Discount("Sales", "Amount", D(10))
    assert [p.code for p in d.merged_problems({"price": D(10), "discounts": [discount]})] == [
        d.Code.INVALID_DISCOUNT
    ]


# --- Active / Inactive ------------------------------------------------------------------------------

COMPLETE = {
    "price": D(10),
    "vat_rate": D(20),
    "quantity": 3,
    "delivery_modes": (d.DeliveryMode("THD", D(1), D(0)),),
}


def test_an_offer_with_everything_and_stock_is_active():
    assert d.offer_state(COMPLETE, "New") == "Active"


@pytest.mark.parametrize(
    ("change_", "condition"),
    [
        ({"quantity": 0}, "New"),
        ({"quantity": None}, "New"),
        ({"price": None}, "New"),
        ({"vat_rate": None}, "New"),
        ({"delivery_modes": ()}, "New"),
        ({"delivery_modes": None}, "New"),
        ({}, None),
    ],
)
def test_an_offer_missing_anything_or_out_of_stock_is_inactive(change_, condition):
    assert d.offer_state({**COMPLETE, **change_}, condition) == "Inactive"


# --- prices and competition -------------------------------------------------------------------------


def test_facial_price_follows_a_running_commercial_operation_on_cdiscount():
    now = datetime(2026, 6, 1, tzinfo=UTC)
    sale = d.Discount("Sales", "Percentage", D(10), now - timedelta(days=1), now + timedelta(days=1))
    flash = d.Discount("FlashSale", "Amount", D("1.50"), now + timedelta(days=2), None)
    assert d.facial_price(D("49.99"), [sale, flash], now, cdiscount=True) == D("44.99")
    assert d.facial_price(D("49.99"), [sale, flash], now + timedelta(days=3), cdiscount=True) == D("48.49")
    assert d.facial_price(D("49.99"), [sale], now, cdiscount=False) == D("49.99")


def test_best_offer_is_the_lowest_total_price():
    cheap_price = d.Competitor("A", "New", D(10), D(8))
    cheap_total = d.Competitor("B", "New", D(12), D(1))
    free_shipping = d.Competitor("C", "New", D(13), None)
    assert d.best_offer([cheap_price, cheap_total, free_shipping]) == cheap_total
    assert d.best_offer([]) is None
    assert d.cheapest_shipping([d.DeliveryMode("A", D(3), D(0)), d.DeliveryMode("B", D(2), D(0))]) == D(2)


def test_offer_quality_reasons():
    assert d.offer_quality(is_best=True, quantity=10, preparation_time=1, has_origin_price=True) == (100, [])
    score, reasons = d.offer_quality(is_best=False, quantity=1, preparation_time=5, has_origin_price=False)
    assert score == 0 and reasons == [
        "NotBestOffer",
        "LowStock",
        "LongPreparationTime",
        "NoStrikethroughPrice",
    ]


def test_field_selection_keeps_base_fields_and_dotted_paths():
    doc = {
        "offerId": "o",
        "sellerExternalReference": "r",
        "offerState": "Active",
        "createdAt": "c",
        "updatedAt": "u",
        "condition": "New",
        "facialPrice": {"price": 1.0, "currencyCode": "EUR"},
        "deliveryModes": [{"code": "THD", "cost": 1.0}],
        "salesChannelFeedback": {"competingOffers": [1], "offerQuality": {"score": 3}},
    }
    out = d.project(doc, ["condition", "facialPrice.price", "salesChannelFeedback.competingOffers", "nope.x"])
    assert out == {
        "offerId": "o",
        "sellerExternalReference": "r",
        "offerState": "Active",
        "createdAt": "c",
        "updatedAt": "u",
        "condition": "New",
        "facialPrice": {"price": 1.0},
        "salesChannelFeedback": {"competingOffers": [1]},
    }
    assert d.project(doc, ["deliveryModes.code"])["deliveryModes"] == [{"code": "THD"}]
