"""Pure offer rules every use case shares: package states, Active/Inactive, the price customers see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from comptoir.errors import Conflict, ValidationFailed
from comptoir.offers import domain as d

D = Decimal


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


# --- prices -------------------------------------------------------------------------


def test_facial_price_follows_a_running_commercial_operation_on_cdiscount():
    now = datetime(2026, 6, 1, tzinfo=UTC)
    sale = d.Discount("Sales", "Percentage", D(10), now - timedelta(days=1), now + timedelta(days=1))
    flash = d.Discount("FlashSale", "Amount", D("1.50"), now + timedelta(days=2), None)
    assert d.facial_price(D("49.99"), [sale, flash], now, cdiscount=True) == D("44.99")
    assert d.facial_price(D("49.99"), [sale, flash], now + timedelta(days=3), cdiscount=True) == D("48.49")
    assert d.facial_price(D("49.99"), [sale], now, cdiscount=False) == D("49.99")
