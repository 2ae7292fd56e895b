"""Offers published on an additional platform keep only delivery modes the platform declares."""

from __future__ import annotations

from decimal import Decimal

from commands.conftest import SEED_ID, body
from comptoir.commands.delivery import ModeKind, platform_modes
from comptoir.offers import DeliveryMode
from order_helpers import place

SELLZZ = {
    "THD": ModeKind("THD", 3, False, False),
    "NTHD": ModeKind("NTHD", 4, False, False),
    "EHD": ModeKind("EHD", 1, True, False),
    "SHD": ModeKind("SHD", 6, False, True),
}
ALLEGRO_DE = [ModeKind("STD", 3, False, False), ModeKind("EXP", 1, True, False)]


def mode(code, cost, additional="0.50"):
    return DeliveryMode(code, Decimal(cost), Decimal(additional))


def test_modes_map_to_the_platforms_mode_of_the_same_kind():
    modes = [mode("NTHD", "2.90"), mode("THD", "1.99"), mode("EHD", "6.90"), mode("SHD", "29.00")]
    # THD and NTHD both land on STD: the cheaper stays; SHD (over 30 kg) has no counterpart.
    assert platform_modes(modes, SELLZZ, ALLEGRO_DE) == [mode("STD", "1.99"), mode("EXP", "6.90")]


def test_a_declared_code_is_kept_and_the_nearest_delay_wins():
    platform = [*ALLEGRO_DE, ModeKind("THD", 5, False, False), ModeKind("ECO", 6, False, False)]
    assert platform_modes([mode("THD", "1"), mode("NTHD", "2")], SELLZZ, platform) == [
        mode("THD", "1"),
        mode("STD", "2"),
    ]
    assert platform_modes([mode("SHD", "9")], SELLZZ, [ModeKind("BIG", 9, False, True)]) == [mode("BIG", "9")]


def test_nothing_maps():
    assert platform_modes([mode("SHD", "29")], SELLZZ, ALLEGRO_DE) == []
    # A code its own channel does not declare is of no known kind.
    assert platform_modes([mode("XYZ", "1")], SELLZZ, ALLEGRO_DE) == []
    assert platform_modes([mode("THD", "1")], SELLZZ, []) == []


# --- over HTTP -------------------------------------------------------------------------------------

ALL_SELLZZ = [
    {"code": "THD", "cost": 1.99, "additionalCost": 0.5},
    {"code": "NTHD", "cost": 2.9, "additionalCost": 0.5},
    {"code": "EHD", "cost": 6.9, "additionalCost": 1.0},
    {"code": "SHD", "cost": 29.0, "additionalCost": 5.0},
]


def test_copies_carry_the_platforms_modes(commands, make_offers, listing):
    source = make_offers(1, deliveryModes=ALL_SELLZZ)[0]
    assert [m["code"] for m in source["deliveryModes"]] == ["THD", "NTHD", "EHD", "SHD"]
    r = commands.run(SEED_ID, body([source["offerId"]]))
    assert r["output"] == {"status": "SUCCESSFUL", "errors": None}
    copy = listing("ALLEGRO_DE")[source["sellerExternalReference"]]
    assert copy["deliveryModes"] == [
        {"code": "STD", "cost": 1.99, "additionalCost": 0.5},
        {"code": "EXP", "cost": 6.9, "additionalCost": 1.0},
    ]
    assert [o["deliveryModeCode"] for o in copy["deliveryOffers"]] == ["STD", "EXP"]


def test_an_offer_with_no_mode_the_platform_has_is_refused(commands, make_offers, listing):
    bulky = make_offers(1, deliveryModes=ALL_SELLZZ[3:])[0]
    fine = make_offers(1)[0]
    r = commands.run(SEED_ID, body([bulky["offerId"], fine["offerId"]]))
    assert r["output"]["status"] == "PARTIAL_SUCCESS"
    assert r["output"]["errors"] == [
        {
            "code": "DeliveryMethodUnavailableException",
            "message": "None of the offer's delivery modes is declared by the platform "
            "or maps to one of its modes",
            "details": "ALLEGRO_DE",
            "path": f"offers.{bulky['offerId']}",
            "userMessage": "Platforma nie oferuje żadnej z metod dostawy tej oferty",
        }
    ]
    english = commands.get(SEED_ID, **{"Accept-Language": "en-US"}).json()["output"]["errors"][0]
    assert english["userMessage"] == "The platform offers none of this offer's delivery methods"
    assert set(listing("ALLEGRO_DE")) == {fine["sellerExternalReference"]}


def test_orders_on_the_platform_take_only_its_modes(client, operator_headers, drain, commands, make_offers):
    source = make_offers(1)[0]
    commands.run(SEED_ID, body([source["offerId"]]))
    line = {"sellerId": "98979", "sellerExternalReference": source["sellerExternalReference"], "quantity": 1}

    def status(delivery_mode):
        order = place(
            client, operator_headers, drain, channel="ALLEGRO_DE", lines=[line], deliveryMode=delivery_mode
        )
        r = client.get(f"/operator/v1/orders/{order['orderId']}", headers=operator_headers)
        assert r.status_code == 200, r.text
        return r.json()["status"], [reason["code"] for reason in r.json().get("rejectionReasons") or []]

    assert status("THD") == ("Rejected", ["DeliveryModeNotOffered"])
    assert status("STD")[0] != "Rejected"
