from __future__ import annotations

import re
import threading
from decimal import Decimal

from sqlalchemy import select

from comptoir.jobs.runtime import Worker
from comptoir.offers import DeliveryMode, Offer
from comptoir.offers.rows import encode_modes
from comptoir.orders import domain as d
from comptoir.orders.models import OrderLine
from conftest import assert_problem, fresh_headers, sandbox_headers
from fulfillment.ref_support import warehouse_offer
from order_helpers import make_offer, order_body, place, stock

PARCEL = {
    "parcelNumber": "PARCEL-001",
    "carrierName": "Colissimo",
    "trackingUrl": "https://track.example.com/P1",
}


def get(client, headers, order_id):
    r = client.get(f"/seller/v2/orders/{order_id}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def test_sellzz_order_is_accepted_then_in_preparation(client, db, drain, operator_headers, seller_headers):
    offer = make_offer(db, quantity=5)
    r = client.post("/operator/v1/orders", json=order_body(), headers=operator_headers)
    assert r.status_code == 201
    created = r.json()
    assert created["status"] == "Processing"
    assert re.fullmatch(r"\d{10}[A-Z]{5}", created["orderId"])
    drain()
    order = get(client, seller_headers, created["orderId"])
    assert order["status"] == "InPreparation"
    assert [e["status"] for e in order["statusEvents"] if e["lineId"] is None] == [
        "Processing",
        "Accepted",
        "InPreparation",
    ]
    line = order["lines"][0]
    assert line["status"] == "InPreparation" and line["quantity"] == 1
    assert line["offer"]["supplyMode"] == "Seller" and order["supplyMode"] == "Seller"
    assert line["offer"]["sellerProductId"] == "REF1" and line["offer"]["id"] == offer["id"]
    assert line["offerPrice"]["unitSalesPrice"] == 19.99
    assert line["offerPrice"]["commission"]["rate"] == 12.0
    assert line["shippingAddress"]["city"] == "Paris"
    assert line["delivery"]["shippedAtMax"] and order["shippedAtMax"]
    assert order["totalPrice"]["offerPrice"] == 24.89
    assert order["salesChannel"] == {"id": "SELLZZ", "name": "Octopia Sales Channel"}
    assert stock(db, offer["offer_id"]) == (4, "Active")


def test_half_cent_commissions_are_stored_and_shown_as_computed(
    client, db, drain, operator_headers, seller_headers
):
    """25.25 at 12% (SELLZZ) is 3.03 with VAT and 2.525 without; 25.10 at 15% (CDISFR) is 3.765 with
    VAT: half up to the cent, in the code, the table and the answer alike."""
    cases = {"SELLZZ": ("20.35", "12", "3.03", "2.53"), "CDISFR": ("20.20", "15", "3.77", "3.14")}
    for channel, (unit, rate, with_vat, without_vat) in cases.items():
        make_offer(db, channel=channel, price=unit)
        order_id = place(client, operator_headers, drain, channel=channel)["orderId"]
        computed = d.line_price(
            unit_price=Decimal(unit),
            quantity=1,
            shipping_cost=Decimal("4.90"),
            additional_cost=Decimal("1.00"),
            commission_rate=Decimal(rate),
        )
        assert (computed.commission_with_vat, computed.commission_without_vat) == (
            Decimal(with_vat),
            Decimal(without_vat),
        )
        with db.read() as session:
            line = session.scalars(select(OrderLine).where(OrderLine.order_id == order_id)).one()
        assert (line.commission_with_vat, line.commission_without_vat) == (
            computed.commission_with_vat,
            computed.commission_without_vat,
        )
        shown = get(client, seller_headers, order_id)
        commission = shown["lines"][0]["offerPrice"]["commission"]
        assert (commission["amountWithVat"], commission["amountWithoutVat"]) == (
            float(with_vat),
            float(without_vat),
        )
        assert shown["totalPrice"]["offerPrice"] == float(computed.total)


def test_order_by_offer_id(client, db, drain, operator_headers, seller_headers):
    offer = make_offer(db, reference="BYID")
    # The catalogue's composite id, as GET /offers shows it; and the row id older clients send.
    for named in (offer["id"], str(offer["offer_id"])):
        order = place(client, operator_headers, drain, lines=[{"offerId": named, "quantity": 2}])
        shown = get(client, seller_headers, order["orderId"])
        assert shown["status"] == "InPreparation" and shown["lines"][0]["offer"]["id"] == offer["id"]
    # A composite id of another channel, or no offer at all, is rejected by the controls.
    for named in (offer["id"].replace("SELLZZ", "CDISFR"), "98979_NOPE_New_SELLZZ", "99999999999"):
        order = place(
            client, operator_headers, drain, lines=[{"sellerId": "98979", "offerId": named, "quantity": 1}]
        )
        assert get(client, seller_headers, order["orderId"])["rejectionReasons"][0]["code"] == "OfferNotFound"


def test_delivery_mode_is_the_code_on_every_channel(client, db, drain, operator_headers, seller_headers):
    make_offer(db, channel="CDISFR", reference="CODE")
    lines = [{"sellerId": "98979", "sellerExternalReference": "CODE", "quantity": 1}]
    order_id = place(client, operator_headers, drain, channel="CDISFR", lines=lines)["orderId"]
    delivery = get(client, seller_headers, order_id)["lines"][0]["delivery"]
    # Spec 12.2's enum-like value, whatever the channel calls the mode; the name in a field of its own.
    assert delivery["mode"] == delivery["code"] == "TRK"
    assert delivery["modeLabel"] and delivery["modeLabel"] != "TRK"


def test_cdiscount_order_waits_for_acceptance_then_is_approved(
    client, db, drain, operator_headers, seller_headers
):
    offer = make_offer(db, channel="CDISFR", quantity=3)
    order_id = place(client, operator_headers, drain, channel="CDISFR")["orderId"]
    order = get(client, seller_headers, order_id)
    assert order["status"] == "WaitingAcceptance" and order["acceptanceDeadline"]
    assert stock(db, offer["offer_id"])[0] == 2
    r = client.post(
        f"/seller/v2/orders/{order_id}/approval-status",
        json={"approval_status": "Accepted"},
        headers=seller_headers,
    )
    assert r.status_code == 204, r.text
    assert get(client, seller_headers, order_id)["status"] == "Accepted"
    drain()
    assert get(client, seller_headers, order_id)["status"] == "InPreparation"
    r = client.post(
        f"/seller/v2/orders/{order_id}/approval-status",
        json={"approval_status": "Accepted"},
        headers=seller_headers,
    )
    assert_problem(r, 409)


def test_approval_body_key_variants(client, db, drain, operator_headers, seller_headers):
    make_offer(db, channel="CDISFR", quantity=5)
    for body in ({"approvalStatus": "Accepted"}, {"status": "Accepted"}, {"Approval_Status": "Accepted"}):
        order_id = place(client, operator_headers, drain, channel="CDISFR")["orderId"]
        r = client.post(f"/seller/v2/orders/{order_id}/approval-status", json=body, headers=seller_headers)
        assert r.status_code == 204, (body, r.text)


def test_refusal_releases_stock(client, db, drain, operator_headers, seller_headers):
    offer = make_offer(db, channel="CDISFR", quantity=1)
    order_id = place(client, operator_headers, drain, channel="CDISFR")["orderId"]
    assert stock(db, offer["offer_id"]) == (0, "Inactive")
    r = client.post(
        f"/seller/v2/orders/{order_id}/approval-status",
        json={"approval_status": "Refused"},
        headers=seller_headers,
    )
    assert r.status_code == 204
    assert get(client, seller_headers, order_id)["status"] == "Refused"
    assert stock(db, offer["offer_id"]) == (1, "Active")


def test_approval_refusals(client, db, drain, operator_headers, seller_headers):
    make_offer(db, quantity=5)
    make_offer(db, channel="CDISFR", quantity=5)
    sellzz = place(client, operator_headers, drain)["orderId"]
    assert_problem(
        client.post(
            f"/seller/v2/orders/{sellzz}/approval-status",
            json={"approval_status": "Accepted"},
            headers=seller_headers,
        ),
        409,
    )
    cdis = place(client, operator_headers, drain, channel="CDISFR")["orderId"]
    body = assert_problem(
        client.post(
            f"/seller/v2/orders/{cdis}/approval-status",
            json={"approval_status": "Yes"},
            headers=seller_headers,
        ),
        400,
    )
    assert "approval_status" in body["errors"]
    assert_problem(
        client.post(
            "/seller/v2/orders/NOPE/approval-status",
            json={"approval_status": "Accepted"},
            headers=seller_headers,
        ),
        404,
    )


def test_auto_accepting_seller_skips_acceptance_on_cdiscount(
    client, db, drain, operator_headers, other_headers
):
    make_offer(db, seller_id="12345", channel="CDISFR", reference="O1")
    order = place(
        client,
        operator_headers,
        drain,
        channel="CDISFR",
        lines=[{"sellerId": "12345", "sellerExternalReference": "O1", "quantity": 1}],
    )
    assert get(client, other_headers, order["orderId"])["status"] == "InPreparation"


def test_unapproved_order_expires_with_the_clock(client, db, drain, operator_headers, seller_headers):
    offer = make_offer(db, channel="CDISFR", quantity=2)
    order_id = place(client, operator_headers, drain, channel="CDISFR")["orderId"]
    client.post("/sandbox/v1/clock", json={"advanceSeconds": 47 * 3600}, headers=sandbox_headers(client))
    drain()
    seller_headers = fresh_headers(client)
    assert get(client, seller_headers, order_id)["status"] == "WaitingAcceptance"
    client.post("/sandbox/v1/clock", json={"advanceSeconds": 2 * 3600}, headers=sandbox_headers(client))
    drain()
    order = get(client, fresh_headers(client), order_id)
    assert order["status"] == "Cancelled"
    assert order["statusEvents"][-1]["reason"] == "acceptance-deadline-passed"
    assert stock(db, offer["offer_id"])[0] == 2


def test_controls_reject_with_reasons(client, db, drain, operator_headers, seller_headers):
    make_offer(db, reference="OFF", state="Inactive")
    make_offer(db, reference="LOW", quantity=1)
    cases = {
        "OFF": "OfferInactive",
        "LOW": "OutOfStock",
        "NONE": "OfferNotFound",
    }
    for reference, code in cases.items():
        lines = [{"sellerId": "98979", "sellerExternalReference": reference, "quantity": 2}]
        order = get(client, seller_headers, place(client, operator_headers, drain, lines=lines)["orderId"])
        assert order["status"] == "Rejected", reference
        assert order["rejectionReasons"][0]["code"] == code
        assert order["lines"][0]["status"] == "Rejected"
    make_offer(db, reference="MODE")
    lines = [{"sellerId": "98979", "sellerExternalReference": "MODE", "quantity": 1}]
    order_id = place(client, operator_headers, drain, lines=lines, deliveryMode="SHD")["orderId"]
    assert get(client, seller_headers, order_id)["rejectionReasons"][0]["code"] == "DeliveryModeNotOffered"
    # The message follows Accept-Language (fr-FR, en-US, es-ES), English when it names none of them.
    words = {}
    for language in (None, "fr-FR", "es-ES", "fr", "de-DE", "de;q=1, es;q=0.5"):
        headers = seller_headers if language is None else {**seller_headers, "Accept-Language": language}
        words[language] = get(client, headers, order_id)["rejectionReasons"][0]["message"]
    assert words[None] == words["de-DE"] == "The offer is not delivered by SHD."
    assert words["fr-FR"] == words["fr"] == "L'offre n'est pas livrée par le mode de livraison SHD."
    assert (
        words["es-ES"] == words["de;q=1, es;q=0.5"] == "La oferta no se entrega con el modo de entrega SHD."
    )
    page = client.get("/seller/v2/orders", headers={**seller_headers, "Accept-Language": "fr-FR"}).json()
    [listed] = [o for o in page["items"] if o["orderId"] == order_id]
    assert listed["rejectionReasons"][0]["message"] == words["fr-FR"]


def test_rejected_multi_line_order_keeps_all_stock(client, db, drain, operator_headers, seller_headers):
    ok = make_offer(db, reference="OK", quantity=5)
    make_offer(db, reference="SHORT", quantity=1)
    lines = [
        {"sellerId": "98979", "sellerExternalReference": "OK", "quantity": 2},
        {"sellerId": "98979", "sellerExternalReference": "SHORT", "quantity": 2},
    ]
    order_id = place(client, operator_headers, drain, lines=lines)["orderId"]
    assert get(client, seller_headers, order_id)["status"] == "Rejected"
    assert stock(db, ok["offer_id"])[0] == 5


def test_operator_order_validation(client, db, operator_headers):
    make_offer(db)
    make_offer(db, seller_id="12345", reference="X")
    mixed = order_body(
        lines=[
            {"sellerId": "98979", "sellerExternalReference": "REF1", "quantity": 1},
            {"sellerId": "12345", "sellerExternalReference": "X", "quantity": 1},
        ]
    )
    assert_problem(client.post("/operator/v1/orders", json=mixed, headers=operator_headers), 400)
    assert_problem(
        client.post("/operator/v1/orders", json=order_body(channel="NOPE"), headers=operator_headers), 404
    )
    body = order_body()
    del body["shippingAddress"]
    assert (
        "shippingAddress"
        in assert_problem(client.post("/operator/v1/orders", json=body, headers=operator_headers), 400)[
            "errors"
        ]
    )
    assert_problem(
        client.post(
            "/operator/v1/orders", json=order_body(lines=[{"quantity": 1}]), headers=operator_headers
        ),
        400,
    )


def test_other_seller_cannot_see_or_act(client, db, drain, operator_headers, other_headers):
    make_offer(db)
    order_id = place(client, operator_headers, drain)["orderId"]
    assert_problem(client.get(f"/seller/v2/orders/{order_id}", headers=other_headers), 404)
    assert_problem(
        client.post(f"/seller/v2/orders/{order_id}/shipments", json=[PARCEL], headers=other_headers), 404
    )
    assert client.get("/seller/v2/orders/count", headers=other_headers).json() == 0


def test_partial_then_full_shipment_on_sellzz(client, db, drain, operator_headers, seller_headers):
    make_offer(db, reference="A")
    make_offer(db, reference="B")
    lines = [
        {"sellerId": "98979", "sellerExternalReference": "A", "quantity": 1},
        {"sellerId": "98979", "sellerExternalReference": "B", "quantity": 1},
    ]
    order_id = place(client, operator_headers, drain, lines=lines)["orderId"]
    a, b = (line["orderLineId"] for line in get(client, seller_headers, order_id)["lines"])
    r = client.post(
        f"/seller/v2/orders/{order_id}/shipments",
        json=[{**PARCEL, "orderLineIds": [a]}],
        headers=seller_headers,
    )
    assert r.status_code == 201 and r.content == b""
    order = get(client, seller_headers, order_id)
    assert order["status"] == "InPreparation"
    assert [line["status"] for line in order["lines"]] == ["Shipped", "InPreparation"]
    assert order["lines"][0]["parcels"][0]["parcelNumber"] == "PARCEL-001"
    two = [
        {**PARCEL, "parcelNumber": "P2", "orderLineIds": [b]},
        {**PARCEL, "parcelNumber": "P3", "orderLineIds": [b]},
    ]
    assert (
        client.post(f"/seller/v2/orders/{order_id}/shipments", json=two, headers=seller_headers).status_code
        == 201
    )
    order = get(client, seller_headers, order_id)
    assert order["status"] == "Shipped"
    assert [p["parcelNumber"] for p in order["lines"][1]["parcels"]] == ["P2", "P3"]
    assert_problem(
        client.post(f"/seller/v2/orders/{order_id}/shipments", json=PARCEL, headers=seller_headers), 409
    )
    r = client.post(f"/operator/v1/orders/{order_id}/delivery", headers=operator_headers)
    assert r.status_code == 200 and r.json()["status"] == "Delivered"


def test_cdiscount_ships_one_parcel_for_the_whole_order(client, db, drain, operator_headers, seller_headers):
    make_offer(db, channel="CDISFR", reference="A")
    make_offer(db, channel="CDISFR", reference="B")
    lines = [
        {"sellerId": "98979", "sellerExternalReference": "A", "quantity": 1},
        {"sellerId": "98979", "sellerExternalReference": "B", "quantity": 1},
    ]
    order_id = place(client, operator_headers, drain, channel="CDISFR", lines=lines)["orderId"]
    client.post(
        f"/seller/v2/orders/{order_id}/approval-status",
        json={"approval_status": "Accepted"},
        headers=seller_headers,
    )
    drain()
    a, _ = (line["orderLineId"] for line in get(client, seller_headers, order_id)["lines"])
    partial = client.post(
        f"/seller/v2/orders/{order_id}/shipments",
        json=[{**PARCEL, "orderLineIds": [a]}],
        headers=seller_headers,
    )
    assert_problem(partial, 400)
    two = client.post(
        f"/seller/v2/orders/{order_id}/shipments",
        json=[PARCEL, {**PARCEL, "parcelNumber": "P2"}],
        headers=seller_headers,
    )
    assert_problem(two, 400)
    # A single object, without orderLineIds: the whole order.
    assert (
        client.post(
            f"/seller/v2/orders/{order_id}/shipments", json=PARCEL, headers=seller_headers
        ).status_code
        == 201
    )
    order = get(client, seller_headers, order_id)
    assert order["status"] == "Shipped" and all(line["status"] == "Shipped" for line in order["lines"])


def test_shipment_field_errors(client, db, drain, operator_headers, seller_headers):
    make_offer(db)
    order_id = place(client, operator_headers, drain)["orderId"]
    bad = [{"parcelNumber": "", "carrierName": "", "trackingUrl": "javascript:alert(1)"}]
    body = assert_problem(
        client.post(f"/seller/v2/orders/{order_id}/shipments", json=bad, headers=seller_headers), 400
    )
    assert {"[0].parcelNumber", "[0].carrierName", "[0].trackingUrl"} <= set(body["errors"])
    unknown = [{**PARCEL, "orderLineIds": ["ZZZZ"]}]
    assert_problem(
        client.post(f"/seller/v2/orders/{order_id}/shipments", json=unknown, headers=seller_headers), 400
    )
    assert get(client, seller_headers, order_id)["status"] == "InPreparation"


def test_waiting_order_cannot_ship(client, db, drain, operator_headers, seller_headers):
    make_offer(db, channel="CDISFR")
    order_id = place(client, operator_headers, drain, channel="CDISFR")["orderId"]
    assert_problem(
        client.post(f"/seller/v2/orders/{order_id}/shipments", json=[PARCEL], headers=seller_headers), 409
    )


def test_fulfillment_line_hidden_address_and_warehouse_shipping(
    client, db, drain, operator_headers, seller_headers
):
    warehouse_offer(client, db, seller_headers, operator_headers, make_offer(db), 5)
    lines = [
        {"sellerId": "98979", "sellerExternalReference": "REF1", "quantity": 1, "supplyMode": "Fulfillment"}
    ]
    order_id = place(client, operator_headers, drain, lines=lines)["orderId"]
    order = get(client, seller_headers, order_id)
    assert order["supplyMode"] == "Fulfillment" and order["lines"][0]["offer"]["supplyMode"] == "Fulfillment"
    assert order["lines"][0]["shippingAddress"] is None
    assert_problem(
        client.post(f"/seller/v2/orders/{order_id}/shipments", json=[PARCEL], headers=seller_headers), 409
    )
    r = client.post(
        f"/operator/v1/orders/{order_id}/warehouse-shipment",
        json={"parcelNumber": "WH-1", "carrierName": "GLS"},
        headers=operator_headers,
    )
    assert r.status_code == 200, r.text
    order = get(client, seller_headers, order_id)
    assert order["status"] == "Shipped" and order["lines"][0]["shippingAddress"]["city"] == "Paris"


def test_customer_service_cancellation_releases_stock(client, db, drain, operator_headers, seller_headers):
    offer = make_offer(db, quantity=3)
    order_id = place(
        client,
        operator_headers,
        drain,
        lines=[{"sellerId": "98979", "sellerExternalReference": "REF1", "quantity": 2}],
    )["orderId"]
    assert stock(db, offer["offer_id"])[0] == 1
    r = client.post(
        f"/operator/v1/orders/{order_id}/customer-service-cancellation",
        json={"reason": "fraud"},
        headers=operator_headers,
    )
    assert r.status_code == 200 and r.json()["status"] == "Cancelled"
    assert stock(db, offer["offer_id"])[0] == 3
    assert_problem(
        client.post(
            f"/operator/v1/orders/{order_id}/customer-service-cancellation", json={}, headers=operator_headers
        ),
        409,
    )


def test_list_filters_count_and_pages(client, db, drain, operator_headers, seller_headers):
    make_offer(db, quantity=50)
    make_offer(db, channel="CDISFR", quantity=50)
    ids = [place(client, operator_headers, drain)["orderId"] for _ in range(3)]
    waiting = place(client, operator_headers, drain, channel="CDISFR")["orderId"]
    r = client.get("/seller/v2/orders?pageSize=2", headers=seller_headers)
    assert r.json()["itemsPerPage"] == 2 and 'rel="next"' in r.headers["link"]
    assert client.get("/seller/v2/orders/count", headers=seller_headers).json() == 4
    assert client.get("/seller/v2/orders/count?status=InPreparation", headers=seller_headers).json() == 3
    csv = client.get("/seller/v2/orders/count?status=InPreparation,WaitingAcceptance", headers=seller_headers)
    repeated = client.get(
        "/seller/v2/orders/count?status=InPreparation&status=WaitingAcceptance", headers=seller_headers
    )
    assert csv.json() == repeated.json() == 4
    only = client.get("/seller/v2/orders?salesChannelId=CDISFR", headers=seller_headers).json()["items"]
    assert [o["orderId"] for o in only] == [waiting]
    assert client.get("/seller/v2/orders/count?shippingCountry=DE", headers=seller_headers).json() == 0
    assert client.get("/seller/v2/orders/count?supplyMode=Seller", headers=seller_headers).json() == 4
    assert client.get("/seller/v2/orders/count?businessOrder=true", headers=seller_headers).json() == 0
    asc = client.get(
        "/seller/v2/orders?sort=asc:createdAt&status=InPreparation", headers=seller_headers
    ).json()
    desc = client.get(
        "/seller/v2/orders?sort=createdAt&desc=true&status=InPreparation", headers=seller_headers
    ).json()
    assert [o["orderId"] for o in asc["items"]] == list(reversed([o["orderId"] for o in desc["items"]]))
    assert {o["orderId"] for o in asc["items"]} == set(ids)
    assert (
        "status"
        in assert_problem(client.get("/seller/v2/orders?status=Nope", headers=seller_headers), 400)["errors"]
    )
    assert_problem(client.get("/seller/v2/orders?pageSize=101", headers=seller_headers), 400)
    assert_problem(client.get("/seller/v2/orders?createdAtMin=yesterday", headers=seller_headers), 400)
    # limit/offset are ignored, as in production.
    assert (
        client.get("/seller/v2/orders?limit=1&offset=3", headers=seller_headers).json()["itemsPerPage"] == 4
    )


def test_without_a_date_filter_only_recent_orders(client, db, drain, operator_headers, seller_headers):
    make_offer(db)
    order = place(client, operator_headers, drain)
    client.post("/sandbox/v1/clock", json={"advanceSeconds": 31 * 86400}, headers=sandbox_headers(client))
    seller_headers = fresh_headers(client)
    assert client.get("/seller/v2/orders/count", headers=seller_headers).json() == 0
    since = order["createdAt"]
    assert client.get(f"/seller/v2/orders/count?createdAtMin={since}", headers=seller_headers).json() == 1
    items = client.get(f"/seller/v2/orders?updatedAtMin={since}", headers=seller_headers).json()["items"]
    assert [o["orderId"] for o in items] == [order["orderId"]]


def test_page_walk_matches_offset_pages(client, db, drain, operator_headers, seller_headers):
    make_offer(db, quantity=100)
    for _ in range(7):
        place(client, operator_headers, drain)
    since = "2000-01-01T00:00:00Z"
    walked, url = [], f"/seller/v2/orders?updatedAtMin={since}&pageSize=3&status=InPreparation"
    while url:
        r = client.get(url, headers=seller_headers)
        walked += [o["orderId"] for o in r.json()["items"]]
        m = re.search(r'<([^>]+)>; rel="next"', r.headers.get("link", ""))
        url = m.group(1) if m else None
    assert len(walked) == 7 == len(set(walked))
    # Jumping straight to a page gives the same rows as walking to it.
    page3 = client.get(
        f"/seller/v2/orders?updatedAtMin={since}&pageSize=3&status=InPreparation&pageIndex=3",
        headers=seller_headers,
    ).json()["items"]
    assert [o["orderId"] for o in page3] == walked[6:]


def test_indicators_follow_orders(client, db, drain, operator_headers, seller_headers):
    make_offer(db, channel="CDISFR", quantity=10)
    accepted = place(client, operator_headers, drain, channel="CDISFR")["orderId"]
    place(client, operator_headers, drain, channel="CDISFR")
    client.post(
        f"/seller/v2/orders/{accepted}/approval-status",
        json={"approval_status": "Accepted"},
        headers=seller_headers,
    )
    drain()
    client.post(f"/seller/v2/orders/{accepted}/shipments", json=PARCEL, headers=seller_headers)
    items = {
        i["indicator"]: i
        for i in client.get("/seller/v2/sellers/indicators", headers=seller_headers).json()["items"]
    }
    assert (items["order_acceptation"]["numerator"], items["order_acceptation"]["denominator"]) == (1, 2)
    assert items["order_acceptation"]["value"] == 50.0
    assert (items["product_shipping"]["numerator"], items["product_shipping"]["denominator"]) == (1, 1)
    assert items["deadline_compliance"]["value"] == 100.0


def test_concurrent_orders_on_the_last_units(client, db, operator_headers, seller_headers):
    """50 customers race for the last 10 units: exactly 10 orders pass the controls."""
    offer = make_offer(db, quantity=10)
    for _ in range(50):
        assert (
            client.post("/operator/v1/orders", json=order_body(), headers=operator_headers).status_code == 201
        )
    workers = [Worker(db, lease_seconds=60) for _ in range(5)]
    threads = [threading.Thread(target=w.drain) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    Worker(db).drain()
    assert client.get("/seller/v2/orders/count?status=InPreparation", headers=seller_headers).json() == 10
    assert client.get("/seller/v2/orders/count?status=Rejected", headers=seller_headers).json() == 40
    assert stock(db, offer["offer_id"]) == (0, "Inactive")


def test_controls_that_keep_failing_reject_the_order(client, db, drain, operator_headers, monkeypatch):
    from comptoir.orders import placement

    def broken(*args, **kwargs):
        raise RuntimeError("controls down")

    monkeypatch.setattr(placement, "run_controls", broken)
    make_offer(db)
    order_id = place(client, operator_headers, drain)["orderId"]
    for _ in range(6):
        client.post("/sandbox/v1/clock", json={"advanceSeconds": 600}, headers=sandbox_headers(client))
        drain()
    order = client.get(
        f"/operator/v1/orders/{order_id}",
        headers=fresh_headers(client, "operator-client", "operator-secret", None),
    ).json()
    assert order["status"] == "Rejected"
    assert order["rejectionReasons"][0]["code"] == "ControlsUnavailable"


def test_a_mode_the_channel_does_not_declare_is_rejected(client, db, drain, operator_headers, seller_headers):
    # An offer carrying a mode of another channel (a platform copy published before modes were mapped).
    offer = make_offer(db, reference="FOREIGN")
    with db.transaction() as session:
        row = session.get(Offer, offer["offer_id"])
        row.delivery_modes = encode_modes([DeliveryMode("TRK", Decimal("4.90"), Decimal("1.00"))])
    lines = [{"sellerId": "98979", "sellerExternalReference": "FOREIGN", "quantity": 1}]
    order_id = place(client, operator_headers, drain, lines=lines, deliveryMode="TRK")["orderId"]
    order = get(client, seller_headers, order_id)
    assert order["status"] == "Rejected"
    assert order["rejectionReasons"][0]["code"] == "DeliveryModeNotOffered"
