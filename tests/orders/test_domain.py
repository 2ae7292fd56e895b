from __future__ import annotations

from decimal import Decimal

import pytest

from comptoir.errors import Conflict, ValidationFailed
from comptoir.orders import domain as d

S, A = d.Status, d.Action

EXPECTED = {
    (S.PROCESSING, A.CONTROLS_NEED_ACCEPTANCE): S.WAITING_ACCEPTANCE,
    (S.PROCESSING, A.CONTROLS_PASSED): S.ACCEPTED,
    (S.PROCESSING, A.CONTROLS_FAILED): S.REJECTED,
    (S.PROCESSING, A.CANCEL): S.CANCELLED,
    (S.WAITING_ACCEPTANCE, A.APPROVE): S.ACCEPTED,
    (S.WAITING_ACCEPTANCE, A.REFUSE): S.REFUSED,
    (S.WAITING_ACCEPTANCE, A.EXPIRE): S.CANCELLED,
    (S.WAITING_ACCEPTANCE, A.CANCEL): S.CANCELLED,
    (S.ACCEPTED, A.PREPARE): S.IN_PREPARATION,
    (S.ACCEPTED, A.CANCEL): S.CANCELLED,
    (S.IN_PREPARATION, A.SHIP_ALL): S.SHIPPED,
    (S.IN_PREPARATION, A.SHIP_SOME): S.IN_PREPARATION,
    (S.IN_PREPARATION, A.CANCEL): S.CANCELLED,
    (S.SHIPPED, A.DELIVER): S.DELIVERED,
    (S.SHIPPED, A.CANCEL): S.CANCELLED,
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(A))
def test_every_status_and_action(status, action):
    expected = EXPECTED.get((status, action))
    if expected is None:
        with pytest.raises(Conflict) as refused:
            d.transition(status.value, action)
        assert refused.value.status == 409
        assert status.value in refused.value.detail
        assert not d.allowed(status.value, action)
    else:
        assert d.transition(status.value, action) == expected
        assert d.allowed(status.value, action)


def test_final_statuses_accept_nothing():
    for status in d.FINAL:
        assert not any(d.allowed(status.value, action) for action in A)


def test_approval_values_and_channel():
    assert d.approval_action("Accepted", manual_acceptance=True) == A.APPROVE
    assert d.approval_action("Refused", manual_acceptance=True) == A.REFUSE
    with pytest.raises(ValidationFailed):
        d.approval_action("accepted", manual_acceptance=True)
    with pytest.raises(Conflict):
        d.approval_action("Accepted", manual_acceptance=False)


LINES = [d.LineView("A", "InPreparation", "Seller"), d.LineView("B", "InPreparation", "Seller")]
OCTOPIA = d.ChannelShipping(line_level=True, partial=True, one_parcel_per_order=False)
CDISCOUNT = d.ChannelShipping(line_level=False, partial=False, one_parcel_per_order=True)


def parcel(lines=None, number="P1", url="https://track.example.com/P1"):
    return d.Parcel(number, "Colissimo", url, tuple(lines) if lines is not None else None)


def test_parcel_without_lines_ships_everything():
    assert d.plan_shipment("InPreparation", LINES, [parcel()], CDISCOUNT) == ({"A", "B"}, A.SHIP_ALL)


def test_partial_shipment_where_the_channel_allows_it():
    assert d.plan_shipment("InPreparation", LINES, [parcel(["A"])], OCTOPIA) == ({"A"}, A.SHIP_SOME)
    with pytest.raises(ValidationFailed):
        d.plan_shipment("InPreparation", LINES, [parcel(["A"])], CDISCOUNT)


def test_one_parcel_per_order_on_cdiscount_but_a_line_in_several_parcels_elsewhere():
    two = [parcel(["A", "B"]), parcel(["B"], number="P2")]
    assert d.plan_shipment("InPreparation", LINES, two, OCTOPIA) == ({"A", "B"}, A.SHIP_ALL)
    with pytest.raises(ValidationFailed):
        d.plan_shipment("InPreparation", LINES, two, CDISCOUNT)


@pytest.mark.parametrize(
    "url",
    ["ftp://x.example.com/1", "https://x.example.com/a b", "not a url", "https://" + "a" * 260 + ".com"],
)
def test_tracking_url_pattern(url):
    with pytest.raises(ValidationFailed):
        d.plan_shipment("InPreparation", LINES, [parcel(url=url)], OCTOPIA)


@pytest.mark.parametrize("number", ["", "A B", "A*B", "X$", "x" * 51])
def test_parcel_number_rules(number):
    with pytest.raises(ValidationFailed):
        d.plan_shipment("InPreparation", LINES, [parcel(number=number)], OCTOPIA)


@pytest.mark.parametrize("status", ["Refused", "Cancelled", "Shipped", "Delivered", "WaitingAcceptance"])
def test_refused_statuses_cannot_ship(status):
    with pytest.raises(Conflict):
        d.plan_shipment(status, LINES, [parcel()], OCTOPIA)


def test_fulfillment_lines_are_never_declared():
    lines = [d.LineView("A", "InPreparation", "Fulfillment")]
    with pytest.raises(Conflict):
        d.plan_shipment("InPreparation", lines, [parcel()], OCTOPIA)
    mixed = [d.LineView("A", "InPreparation", "Seller"), d.LineView("F", "InPreparation", "Fulfillment")]
    assert d.plan_shipment("InPreparation", mixed, [parcel()], OCTOPIA) == ({"A"}, A.SHIP_ALL)
    with pytest.raises(Conflict):
        d.plan_shipment("InPreparation", mixed, [parcel(["F"])], OCTOPIA)


def test_customer_cancel_request_line_may_still_ship():
    lines = [d.LineView("A", "CancelRequest", "Seller", cancel_requested_by_customer=True)]
    assert d.plan_shipment("InPreparation", lines, [parcel()], CDISCOUNT) == ({"A"}, A.SHIP_ALL)
    seller_asked = [d.LineView("A", "CancelRequest", "Seller", cancel_requested_by_customer=False)]
    with pytest.raises(Conflict):
        d.plan_shipment("InPreparation", seller_asked, [parcel()], CDISCOUNT)


def test_line_price_with_commission():
    p = d.line_price(
        unit_price=Decimal("10"),
        quantity=3,
        shipping_cost=Decimal("4.90"),
        additional_cost=Decimal("1"),
        commission_rate=Decimal("12"),
    )
    assert p.shipping_cost == Decimal("6.90")
    assert p.total == Decimal("36.90")
    assert p.commission_with_vat == Decimal("4.43")
    assert p.commission_without_vat == Decimal("3.69")


def price(unit: str, rate: str, quantity: int = 1) -> d.LinePrice:
    return d.line_price(
        unit_price=Decimal(unit),
        quantity=quantity,
        shipping_cost=Decimal("4.90"),
        additional_cost=Decimal("1"),
        commission_rate=Decimal(rate),
    )


def test_half_cents_round_up():
    # 25.25 x 12% = 3.03 with VAT, 3.03 / 1.2 = 2.525 without: half up gives 2.53 (half even, 2.52).
    assert (price("20.35", "12").commission_with_vat, price("20.35", "12").commission_without_vat) == (
        Decimal("3.03"),
        Decimal("2.53"),
    )
    # 25.10 x 15% = 3.765 with VAT: 3.77 (half even, 3.76).
    assert price("20.20", "15").commission_with_vat == Decimal("3.77")


def test_total_is_the_shown_unit_price_times_the_quantity():
    # 0.125 shows as 0.13: the total of two is 0.26 (not 0.25) plus shipping, 4.90 + 1.00.
    p = price("0.125", "12", quantity=2)
    assert (p.unit_price, p.total) == (Decimal("0.13"), Decimal("6.16"))
    assert p.total == p.unit_price * 2 + p.shipping_cost
