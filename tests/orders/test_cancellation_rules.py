"""Pure cancellation rules: reasons by context, who may cancel what, outcomes and refunds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from comptoir.errors import Conflict, ValidationFailed
from comptoir.orders.cancellations import domain as r

LIFECYCLE = ("WaitingAcceptance", "Accepted", "InPreparation", "Shipped", "Delivered")


def line(
    line_id: str = "L1", status: str = "InPreparation", supply: str = "Seller", pending=()
) -> r.LineState:
    return r.LineState(line_id, "7", status, supply, frozenset(pending))


def ask(line_id: str = "L1", reason: str = "seller-out-of-stock", offer: str | None = "7") -> r.LineAsk:
    return r.LineAsk(line_id, offer, reason, True)


def check(
    lines, asks, *, status="InPreparation", requester=r.SELLER, line_level=True, channel="SELLZZ"
) -> None:
    r.check_lines(
        order_status=status,
        channel_id=channel,
        line_level=line_level,
        requester=requester,
        lines=lines,
        asks=asks,
    )


@pytest.mark.parametrize("channel", ["CDISFR", "SELLZZ"])
@pytest.mark.parametrize("user_type", r.USER_TYPES)
def test_reasons_never_grow_as_the_order_moves_on(channel, user_type):
    counts = [len(r.reasons_for(channel, user_type, status)) for status in LIFECYCLE]
    assert counts == sorted(counts, reverse=True)


def test_reasons_by_channel_and_final_statuses():
    assert "seller-refusal" in [x.code for x in r.reasons_for("CDISFR", r.SELLER, "WaitingAcceptance")]
    assert "seller-refusal" not in [x.code for x in r.reasons_for("SELLZZ", r.SELLER, "WaitingAcceptance")]
    # A channel the operator created gets the reasons valid everywhere.
    assert r.reasons_for("MKTDE", r.SELLER, "InPreparation") == r.reasons_for(
        "SELLZZ", r.SELLER, "InPreparation"
    )
    for status in ("Processing", "Cancelled", "Refused", "Rejected"):
        assert all(not r.reasons_for("CDISFR", user, status) for user in r.USER_TYPES)
    codes = [x.code for x in r.REASONS]
    assert len(codes) == len(set(codes))


def test_context_errors():
    assert r.context_errors("Seller", "Shipped") == {}
    assert set(r.context_errors(None, None)) == {"userType", "orderStatus"}
    assert set(r.context_errors("Robot", "Lost")) == {"userType", "orderStatus"}


def test_field_errors_come_before_conflicts_and_conflicts_before_reasons():
    cancelled = [line(status="Cancelled")]
    with pytest.raises(ValidationFailed) as bad:
        check(cancelled, [ask(offer="8")])
    assert "lines[0].offerId" in bad.value.errors
    with pytest.raises(Conflict):
        check(cancelled, [ask(reason="nonsense")])
    with pytest.raises(ValidationFailed) as bad:
        check([line()], [ask(reason="nonsense")])
    assert "lines[0].reason" in bad.value.errors
    with pytest.raises(ValidationFailed) as bad:
        check([line()], [ask("L9")])
    assert "lines[0].lineId" in bad.value.errors
    with pytest.raises(ValidationFailed) as bad:
        check([line()], [ask(), ask()])
    assert "lines[1].lineId" in bad.value.errors


def test_line_conflicts():
    with pytest.raises(Conflict, match="already requested"):
        check([line(status="CancelRequest", pending=[r.SELLER])], [ask()])
    # The seller may grant what the customer asked for, not the customer twice.
    check([line(status="CancelRequest", pending=[r.CUSTOMER])], [ask()])
    with pytest.raises(Conflict, match="already requested"):
        check(
            [line(status="CancelRequest", pending=[r.CUSTOMER])],
            [ask(reason="customer-withdrawal")],
            requester=r.CUSTOMER,
        )
    with pytest.raises(Conflict, match="warehouse"):
        check([line(supply="Fulfillment")], [ask()])
    check([line(status="Shipped", supply="Fulfillment")], [ask(reason="parcel-lost")], status="Shipped")
    with pytest.raises(Conflict, match="cannot be cancelled"):
        check(
            [line(status="Shipped")],
            [ask(reason="customer-withdrawal", offer=None)],
            status="Shipped",
            requester=r.CUSTOMER,
        )
    with pytest.raises(Conflict, match="by line"):
        check([line("L1"), line("L2")], [ask("L1")], line_level=False, channel="CDISFR")
    check([line("L1"), line("L2")], [ask("L1"), ask("L2")], line_level=False, channel="CDISFR")
    with pytest.raises(Conflict, match="Processing"):
        check([line(status="Processing")], [ask()], status="Processing")


def test_the_reason_follows_each_line_status():
    lines = [line("L1", "Shipped"), line("L2", "InPreparation")]
    check(lines, [ask("L1", "parcel-lost"), ask("L2", "seller-out-of-stock")])
    with pytest.raises(ValidationFailed) as bad:
        check(lines, [ask("L1", "seller-out-of-stock")])
    assert "parcel-lost" in bad.value.errors["lines[0].reason"][0]


def test_whole_order_plans_every_line_or_refuses():
    lines = [line("L1"), line("L2")]
    planned = r.plan_whole(
        order_status="InPreparation",
        channel_id="SELLZZ",
        requester=r.SELLER,
        lines=lines,
        reason="customer-request",
        shipping_cost_refund=False,
    )
    assert [(a.line_id, a.reason, a.shipping_cost_refund) for a in planned] == [
        ("L1", "customer-request", False),
        ("L2", "customer-request", False),
    ]
    for touched in (line("L2", "Cancelled"), line("L2", "CancelRequest", pending=[r.SELLER])):
        with pytest.raises(Conflict, match="partial"):
            r.plan_whole(
                order_status="InPreparation",
                channel_id="SELLZZ",
                requester=r.SELLER,
                lines=[line("L1"), touched],
                reason="customer-request",
                shipping_cost_refund=False,
            )
    # Partly shipped: the one reason must suit both the shipped line and the other.
    with pytest.raises(ValidationFailed):
        r.plan_whole(
            order_status="InPreparation",
            channel_id="SELLZZ",
            requester=r.SELLER,
            lines=[line("L1", "Shipped"), line("L2")],
            reason="seller-out-of-stock",
            shipping_cost_refund=False,
        )


def test_outcomes():
    assert r.grant_outcome("CancelRequest") == "cancel"
    assert r.grant_outcome("InPreparation") == "cancel"  # the order was approved meanwhile
    assert r.grant_outcome("Cancelled") == "met" and r.grant_outcome("Refused") == "met"
    assert r.grant_outcome("Shipped") == "shipped" and r.grant_outcome("Delivered") == "shipped"
    assert r.restored_status("InPreparation", "InPreparation") == "InPreparation"
    assert r.restored_status("Shipped", "Delivered") == "Delivered"
    assert r.request_status(["InProgress", "Accepted"]) == "InProgress"
    assert r.request_status(["Accepted", "Accepted"]) == "Accepted"
    assert r.request_status(["Refused"]) == "Refused"
    assert r.request_status(["Accepted", "Refused"]) == "PartiallyAccepted"


def test_refund():
    paid = r.refund(
        unit_price=Decimal("19.99"), quantity=2, shipping_cost=Decimal("5.90"), shipping_cost_refund=True
    )
    assert (paid.product, paid.shipping, paid.total) == (Decimal("39.98"), Decimal("5.90"), Decimal("45.88"))
    kept = r.refund(
        unit_price=Decimal("19.99"), quantity=1, shipping_cost=Decimal("4.90"), shipping_cost_refund=False
    )
    assert (kept.shipping, kept.total) == (Decimal("0.00"), Decimal("19.99"))
