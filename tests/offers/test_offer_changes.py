"""Pure checks of a change against what it lands on: the product it names, the offer's identity,
rules between fields."""

from __future__ import annotations

from decimal import Decimal

import pytest

from comptoir.offers import domain as d
from comptoir.offers import offer_changes as c
from comptoir.offers import offer_requests as r
from offers.support import CDISFR_RULES as CDISFR
from offers.support import SELLZZ_RULES as SELLZZ

D = Decimal


# --- products and identity --------------------------------------------------------------------------

P1 = c.ProductInfo(1, "3000000000017", "PREF1", "fr-FR")
P2 = c.ProductInfo(2, "3000000000024", "PREF2", "fr-FR")
EN = c.ProductInfo(3, "3000000000031", "PREF3", "en-US")
BY_GTIN = {p.gtin: p for p in (P1, P2, EN)}
BY_REF = {p.reference: p for p in (P1, P2, EN)}


def change(gtin=None, reference=None, condition="New"):
    return r.Change("R", gtin, reference, condition, {})


def test_products_by_gtin_or_reference():
    assert c.resolve_product(change(gtin=P1.gtin), BY_GTIN, BY_REF, SELLZZ) == P1
    assert c.resolve_product(change(reference="PREF2"), BY_GTIN, BY_REF, SELLZZ) == P2
    assert c.resolve_product(change(gtin=P1.gtin, reference="PREF1"), BY_GTIN, BY_REF, SELLZZ) == P1
    assert c.resolve_product(change(), BY_GTIN, BY_REF, SELLZZ) is None


@pytest.mark.parametrize(
    ("requested", "rules", "code"),
    [
        (change(gtin="3999999999994"), SELLZZ, d.Code.UNKNOWN_PRODUCT),
        (change(reference="NOPE"), SELLZZ, d.Code.UNKNOWN_PRODUCT),
        (change(gtin=P1.gtin, reference="PREF2"), SELLZZ, d.Code.PRODUCT_MISMATCH),
        (change(gtin=EN.gtin), CDISFR, d.Code.PRODUCT_NOT_ON_CHANNEL),
    ],
)
def test_products_refused(requested, rules, code):
    problem = c.resolve_product(requested, BY_GTIN, BY_REF, rules)
    assert isinstance(problem, d.Problem) and problem.code == code


def test_english_products_are_sold_outside_cdiscount():
    assert c.resolve_product(change(gtin=EN.gtin), BY_GTIN, BY_REF, SELLZZ) == EN


def test_identity_of_an_offer():
    assert c.identity_problem(1, "New", P1, "New") is None
    assert c.identity_problem(1, "New", None, None) is None
    assert c.identity_problem(1, "New", P2, None).code == d.Code.IDENTITY_CHANGED
    assert c.identity_problem(1, "New", None, "LikeNew").code == d.Code.IDENTITY_CHANGED


def test_rules_between_fields():
    assert (
        c.merged_problems({"price": D(10), "origin_price": D(12), "minimum_price_for_alignment": D(9)}) == []
    )
    assert [p.code for p in c.merged_problems({"price": D(10), "origin_price": D(9)})] == [
        d.Code.INVALID_PRICE
    ]
    assert [p.code for p in c.merged_problems({"price": D(10), "minimum_price_for_alignment": D(11)})] == [
        d.Code.INVALID_PRICE_ALIGNMENT
    ]
    discount = d.Discount("Sales", "Amount", D(10))
    assert [p.code for p in c.merged_problems({"price": D(10), "discounts": [discount]})] == [
        d.Code.INVALID_DISCOUNT
    ]
