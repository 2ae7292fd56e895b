"""Pure commercial gesture rules: limits, amounts, fields and the reasons a gesture is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from comptoir.errors import ValidationFailed
from comptoir.orders.gestures import domain as g

LIMITS = g.Limits(True, Decimal("20"), Decimal("50.00"), "EUR")


def priced(status: str, unit: str, quantity: int = 1, shipping: str = "0") -> g.PricedLine:
    return g.PricedLine(status, Decimal(unit), quantity, Decimal(shipping))


def test_order_amount_leaves_cancelled_lines_out():
    lines = [priced("Shipped", "19.99", 2, "5.90"), priced("Cancelled", "100"), priced("Delivered", "10")]
    assert g.order_amount(lines) == Decimal("55.88")
    assert g.order_amount([]) == Decimal("0")


def test_ceiling_rounds_down_and_caps():
    assert g.ceiling(Decimal("49.78"), LIMITS) == Decimal("9.95")
    assert g.ceiling(Decimal("1000"), LIMITS) == Decimal("50.00")
    assert g.ceiling(Decimal("1000"), g.Limits(True, Decimal("20"), None, "EUR")) == Decimal("200.00")
    assert g.ceiling(Decimal("1000"), g.Limits(False, Decimal("20"), None, "EUR")) == Decimal("0.00")
    assert g.allowable(Decimal("49.78"), LIMITS, Decimal("9")) == Decimal("0.95")
    assert g.allowable(Decimal("49.78"), LIMITS, Decimal("12")) == Decimal("0.00")


@pytest.mark.parametrize("value", [0, -1, 1.234, float("inf")])
def test_amount_must_be_positive_with_cents(value):
    with pytest.raises(ValidationFailed) as bad:
        g.parse_amount(value)
    assert "amount" in bad.value.errors


def test_amount_parsed_exactly():
    assert g.parse_amount(9.99) == Decimal("9.99")
    assert g.parse_amount(3) == Decimal("3")


def test_fields():
    g.check_fields("MissingProduct", None, None, LIMITS)
    g.check_fields("Other", "Gift wrap forgotten", "EUR", LIMITS)
    with pytest.raises(ValidationFailed) as bad:
        g.check_fields("Whatever", None, "USD", LIMITS)
    assert set(bad.value.errors) == {"reason", "currencyCode"}
    with pytest.raises(ValidationFailed) as bad:
        g.check_fields("Other", " ", None, LIMITS)
    assert set(bad.value.errors) == {"reasonDetails"}


def test_problems():
    assert g.problems("Shipped", LIMITS, Decimal("5"), Decimal("5")) == []
    assert g.problems("Delivered", LIMITS, Decimal("1"), Decimal("5")) == []
    codes = [p.code for p in g.problems("InPreparation", LIMITS, Decimal("6"), Decimal("5"))]
    assert codes == ["OrderStatusNotAllowed", "AmountExceedsLimit"]
    assert [p.code for p in g.problems("Cancelled", LIMITS, Decimal("1"), Decimal("5"))] == ["OrderCancelled"]
    forbidden = g.Limits(False, Decimal("0"), None, "EUR")
    assert [p.code for p in g.problems("Shipped", forbidden, Decimal("1"), Decimal("0"))] == [
        "GestureNotAllowed"
    ]
