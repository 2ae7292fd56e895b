"""Marketplace orders shipped by the warehouse, and the offers they are placed on, over HTTP: a
Fulfillment offer sells what the warehouses hold (a package cannot set it), its order lines hold
units (Available to Allocated) in a warehouse that delivers the customer or are rejected OutOfStock,
the warehouse's shipment draws them, a refusal or cancellation gives them back; after a long mixed
scenario every stock record's ledger sums to its quantities."""

from __future__ import annotations

import threading
from typing import Any

from comptoir.jobs.runtime import Worker
from conftest import assert_problem
from fulfillment.ref_support import BASE, OP, adjust, catalogue_product, reference, stock_in, warehouse_offer
from offers.support import Packages, ProductRef, offer_request
from order_helpers import ADDRESS, make_offer, order_body, place

WAREHOUSE_SHIPMENT = {"parcelNumber": "WH-1", "carrierName": "GLS"}


def stock(client: Any, headers: dict[str, str], stock_id: str) -> dict[str, Any]:
    r = client.get(f"{BASE}/stocks/{stock_id}", headers=headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def held(client: Any, headers: dict[str, str], stock_id: str) -> tuple[int, int]:
    quantities = stock(client, headers, stock_id)["quantities"]
    return quantities["available"], quantities["allocated"]


def offer(client: Any, headers: dict[str, str], reference_: str, channel: str = "SELLZZ") -> dict[str, Any]:
    r = client.get(
        f"{BASE}/offers",
        params={"salesChannelId": channel, "sellerExternalReferences": reference_},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    (found,) = r.json()["items"]
    return dict(found)


def order(client: Any, headers: dict[str, str], order_id: str) -> dict[str, Any]:
    r = client.get(f"{BASE}/orders/{order_id}", headers=headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def line(quantity: int, reference_: str = "REF1", **extra: Any) -> list[dict[str, Any]]:
    return [{"sellerId": "98979", "sellerExternalReference": reference_, "quantity": quantity, **extra}]


def test_fulfillment_offers_show_what_the_warehouses_hold(client, db, operator_headers, seller_headers):
    make_offer(db, quantity=10)
    assert offer(client, seller_headers, "REF1")["quantity"] == 10
    fr = warehouse_offer(client, db, seller_headers, operator_headers, make_offer(db, reference="REF2"), 4)
    sold = offer(client, seller_headers, "REF2")
    assert (sold["quantity"], sold["offerState"]) == (4, "Active")
    es = stock_in(client, operator_headers, "FFM-REF2", 2, country="ES")
    assert offer(client, seller_headers, "REF2")["quantity"] == 6
    adjust(client, operator_headers, reason="Damage", stockId=fr["id"], quantity=1)
    assert offer(client, seller_headers, "REF2")["quantity"] == 5
    for record in (fr, es):
        adjust(client, operator_headers, reason="Inventory", stockId=record["id"], countedQuantity=0)
    emptied = offer(client, seller_headers, "REF2")
    assert (emptied["quantity"], emptied["offerState"]) == (0, "Inactive")
    # Referencing alone makes an offer a Fulfillment one: nothing stored yet, nothing to sell.
    product = make_offer(db, reference="REF3", quantity=7)
    warehouse_offer(client, db, seller_headers, operator_headers, product, 0)
    assert offer(client, seller_headers, "REF3")["quantity"] == 0
    assert offer(client, seller_headers, "REF1")["quantity"] == 10


def test_an_offer_package_cannot_set_a_fulfillment_offers_quantity(
    client, db, drain, operator_headers, seller_headers
):
    stored, plain = catalogue_product(db), catalogue_product(db)
    reference(client, seller_headers, stored, "STORED")
    stock_in(client, operator_headers, "STORED", 3)
    packages = Packages(client, seller_headers, drain)
    stored_ref = ProductRef(stored["id"], stored["gtin"], stored["product_id"])
    plain_ref = ProductRef(plain["id"], plain["gtin"], plain["product_id"])
    package_id = packages.create()
    requests = [offer_request("PKG-STORED", stored_ref, quantity=50), offer_request("PKG-PLAIN", plain_ref)]
    assert packages.upload(package_id, requests).status_code == 200
    assert packages.ready(package_id).status_code == 200
    drain()
    results = packages.results(package_id)
    assert [[x["resultCode"] for x in r["results"]] for r in results] == [["8000", "8003"], ["8000"]]
    assert [r["integrationStatus"] for r in results] == ["Integrated", "Integrated"]
    assert "(3)" in results[0]["results"][1]["message"]
    assert offer(client, seller_headers, "PKG-STORED")["quantity"] == 3
    assert offer(client, seller_headers, "PKG-PLAIN")["quantity"] == 10
    # Updates too: the price changes, the quantity stays the warehouses'.
    again = packages.run(
        [
            offer_request(
                "PKG-STORED",
                stored_ref,
                quantity=99,
                price={"price": 39.99, "taxes": [{"code": "VAT", "value": 20}]},
            )
        ]
    )
    assert [x["resultCode"] for x in again[0]["results"]] == ["8001", "8003"]
    updated = offer(client, seller_headers, "PKG-STORED")
    assert (updated["quantity"], updated["integrationPrice"]) == (3, 39.99)
    french = client.get(
        f"{BASE}/offer-packages/{package_id}/offer-requests-results",
        headers={**seller_headers, "Accept-Language": "fr-FR"},
    )
    assert "entrepôts Octopia" in french.json()["items"][0]["results"][1]["message"]


def test_a_fulfillment_line_holds_warehouse_units_that_the_warehouse_ships(
    client, db, drain, operator_headers, seller_headers
):
    record = warehouse_offer(client, db, seller_headers, operator_headers, make_offer(db), 5)
    order_id = place(client, operator_headers, drain, lines=line(2))["orderId"]
    placed = order(client, seller_headers, order_id)
    assert placed["status"] == "InPreparation"
    assert (
        placed["supplyMode"] == "Fulfillment" and placed["lines"][0]["offer"]["supplyMode"] == "Fulfillment"
    )
    assert held(client, seller_headers, record["id"]) == (3, 2)
    allocated = stock(client, seller_headers, record["id"])["movements"][0]
    assert (allocated["reason"], allocated["sourceType"], allocated["sourceId"]) == (
        "OrderAllocated",
        "Order",
        order_id,
    )
    assert offer(client, seller_headers, "REF1")["quantity"] == 3
    # The seller does not ship it; the warehouse does, from the units held.
    parcel = [{"parcelNumber": "P1", "carrierName": "UPS"}]
    assert_problem(
        client.post(f"{BASE}/orders/{order_id}/shipments", json=parcel, headers=seller_headers), 409
    )
    r = client.post(
        f"{OP}/orders/{order_id}/warehouse-shipment", json=WAREHOUSE_SHIPMENT, headers=operator_headers
    )
    assert r.status_code == 200, r.text
    assert order(client, seller_headers, order_id)["status"] == "Shipped"
    assert held(client, seller_headers, record["id"]) == (3, 0)
    shipped = stock(client, seller_headers, record["id"])["movements"][0]
    assert (shipped["reason"], shipped["changes"]["allocated"], shipped["changes"]["available"]) == (
        "OrderShipped",
        -2,
        0,
    )
    assert offer(client, seller_headers, "REF1")["quantity"] == 3
    # Shipping again is refused, and draws nothing.
    assert_problem(
        client.post(
            f"{OP}/orders/{order_id}/warehouse-shipment", json=WAREHOUSE_SHIPMENT, headers=operator_headers
        ),
        409,
    )
    assert held(client, seller_headers, record["id"]) == (3, 0)


def test_a_fulfillment_line_is_rejected_when_the_warehouses_hold_too_few(
    client, db, drain, operator_headers, seller_headers
):
    record = warehouse_offer(client, db, seller_headers, operator_headers, make_offer(db), 1)
    rejected = place(client, operator_headers, drain, lines=line(2))["orderId"]
    body = order(client, seller_headers, rejected)
    assert body["status"] == "Rejected" and [x["code"] for x in body["rejectionReasons"]] == ["OutOfStock"]
    assert held(client, seller_headers, record["id"]) == (1, 0)
    assert [m["reason"] for m in stock(client, seller_headers, record["id"])["movements"]] == ["Inventory"]
    # Empty, the offer is inactive: the line is still refused for stock.
    adjust(client, operator_headers, reason="Inventory", stockId=record["id"], countedQuantity=0)
    empty = place(client, operator_headers, drain, lines=line(1))["orderId"]
    assert [x["code"] for x in order(client, seller_headers, empty)["rejectionReasons"]] == ["OutOfStock"]
    # A Fulfillment line on a product the warehouses do not store.
    make_offer(db, reference="NOT-STORED")
    unstored = place(client, operator_headers, drain, lines=line(1, "NOT-STORED", supplyMode="Fulfillment"))
    assert [x["code"] for x in order(client, seller_headers, unstored["orderId"])["rejectionReasons"]] == [
        "OutOfStock"
    ]


def test_the_warehouse_that_delivers_the_customer_holds_the_units(
    client, db, drain, operator_headers, seller_headers
):
    fr = warehouse_offer(client, db, seller_headers, operator_headers, make_offer(db), 5)
    es = stock_in(client, operator_headers, "FFM-REF1", 5, country="ES")
    to_spain = place(
        client, operator_headers, drain, lines=line(1), shippingAddress={**ADDRESS, "countryCode": "ES"}
    )
    assert order(client, seller_headers, to_spain["orderId"])["status"] == "InPreparation"
    assert (held(client, seller_headers, fr["id"]), held(client, seller_headers, es["id"])) == (
        (5, 0),
        (4, 1),
    )
    place(client, operator_headers, drain, lines=line(1))
    assert held(client, seller_headers, fr["id"]) == (4, 1)
    # France's warehouse holds too few: Spain's delivers France too.
    place(client, operator_headers, drain, lines=line(4))
    place(client, operator_headers, drain, lines=line(3))
    assert (held(client, seller_headers, fr["id"]), held(client, seller_headers, es["id"])) == (
        (0, 5),
        (1, 4),
    )
    # No warehouse delivers the United States.
    far = place(
        client, operator_headers, drain, lines=line(1), shippingAddress={**ADDRESS, "countryCode": "US"}
    )
    assert [x["code"] for x in order(client, seller_headers, far["orderId"])["rejectionReasons"]] == [
        "OutOfStock"
    ]


def test_refused_and_cancelled_orders_give_the_units_back(
    client, db, drain, operator_headers, seller_headers
):
    record = warehouse_offer(
        client, db, seller_headers, operator_headers, make_offer(db, channel="CDISFR"), 3
    )
    waiting = place(client, operator_headers, drain, channel="CDISFR", lines=line(1))["orderId"]
    assert order(client, seller_headers, waiting)["status"] == "WaitingAcceptance"
    assert held(client, seller_headers, record["id"]) == (2, 1)
    r = client.post(
        f"{BASE}/orders/{waiting}/approval-status", json={"status": "Refused"}, headers=seller_headers
    )
    assert r.status_code == 204, r.text
    assert held(client, seller_headers, record["id"]) == (3, 0)
    released = stock(client, seller_headers, record["id"])["movements"][0]
    assert (released["reason"], released["sourceId"], released["changes"]["available"]) == (
        "OrderReleased",
        waiting,
        1,
    )
    accepted = place(client, operator_headers, drain, channel="CDISFR", lines=line(2))["orderId"]
    r = client.post(
        f"{BASE}/orders/{accepted}/approval-status", json={"status": "Accepted"}, headers=seller_headers
    )
    assert r.status_code == 204
    drain()
    assert held(client, seller_headers, record["id"]) == (1, 2)
    r = client.post(
        f"{OP}/orders/{accepted}/customer-service-cancellation",
        json={"reason": "fraud"},
        headers=operator_headers,
    )
    assert r.status_code == 200 and r.json()["status"] == "Cancelled"
    assert held(client, seller_headers, record["id"]) == (3, 0)
    assert offer(client, seller_headers, "REF1", channel="CDISFR")["quantity"] == 3


def test_concurrent_orders_on_few_units_take_exactly_those_units(
    client, db, operator_headers, seller_headers
):
    record = warehouse_offer(client, db, seller_headers, operator_headers, make_offer(db), 5)
    ids = []
    for _ in range(20):
        r = client.post(f"{OP}/orders", json=order_body(lines=line(1)), headers=operator_headers)
        assert r.status_code == 201, r.text
        ids.append(r.json()["orderId"])
    # Four workers run the controls at once, each order in its own transaction.
    threads = [
        threading.Thread(target=Worker(db, lease_seconds=30, poll_seconds=0.01).drain) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = [order(client, seller_headers, i)["status"] for i in ids]
    assert statuses.count("InPreparation") == 5 and statuses.count("Rejected") == 15
    assert held(client, seller_headers, record["id"]) == (0, 5)
    assert offer(client, seller_headers, "REF1")["quantity"] == 0


BUCKETS = ("available", "allocated", "blocked", "litigation", "removal", "return", "logisticOperations")


def test_the_ledger_sums_to_the_quantities_after_a_long_mixed_scenario(
    client, db, drain, operator_headers, seller_headers
):
    """Referencing, inbound receptions, inventory counts, damage, removal, marketplace orders shipped,
    refused, cancelled and rejected, outbound shipments shipped and cancelled, a customer return:
    every record's movements add up to its quantities, none below zero, and the offers sell Available."""
    products = [make_offer(db, reference=f"MIX{i}", quantity=1) for i in range(3)]
    records = [warehouse_offer(client, db, seller_headers, operator_headers, p, 6) for p in products]
    # Supply: an inbound shipment the sandbox warehouse receives as announced.
    inbound = client.post(
        f"{BASE}/inbound-shipments",
        json={
            "reference": "MIX-IN",
            "storageCountry": "ES",
            "lines": [{"sellerProductReference": f"FFM-MIX{i}", "quantity": 4 + i} for i in range(3)],
        },
        headers=seller_headers,
    )
    assert inbound.status_code == 201, inbound.text
    drain()
    # The warehouse's own corrections.
    adjust(client, operator_headers, reason="Damage", stockId=records[0]["id"], quantity=2)
    adjust(client, operator_headers, reason="Removal", stockId=records[1]["id"], quantity=1)
    adjust(client, operator_headers, reason="Inventory", stockId=records[2]["id"], countedQuantity=8)
    # Marketplace orders: shipped, cancelled, rejected.
    shipped = place(client, operator_headers, drain, lines=line(2, "MIX0"))["orderId"]
    r = client.post(
        f"{OP}/orders/{shipped}/warehouse-shipment", json=WAREHOUSE_SHIPMENT, headers=operator_headers
    )
    assert r.status_code == 200, r.text
    cancelled = place(client, operator_headers, drain, lines=line(3, "MIX1"))["orderId"]
    client.post(
        f"{OP}/orders/{cancelled}/customer-service-cancellation",
        json={"reason": "fraud"},
        headers=operator_headers,
    )
    rejected = place(client, operator_headers, drain, lines=line(50, "MIX2"))["orderId"]
    assert order(client, seller_headers, rejected)["status"] == "Rejected"
    # Outbound shipping orders: one shipped, one cancelled before it leaves.
    address = {**ADDRESS, "countryCode": "FR"}
    outbound = client.post(
        f"{BASE}/outbound-shipments",
        json={
            "reference": "MIX-OUT",
            "deliveryAddress": address,
            "deliveryMode": "Standard",
            "items": [
                {"sellerProductReference": "FFM-MIX2", "quantity": 2},
                {"sellerProductReference": "FFM-MIX1", "quantity": 1},
            ],
        },
        headers=seller_headers,
    )
    assert outbound.status_code == 201, outbound.text
    drain()
    outbound_id = outbound.json()["outboundShipmentId"]
    assert (
        client.get(f"{BASE}/outbound-shipments/{outbound_id}", headers=seller_headers).json()["status"]
        == "Shipped"
    )
    # A customer sends back one unit, found damaged.
    back = client.post(
        f"{BASE}/returns",
        json={
            "outboundShipmentId": outbound_id,
            "reason": "Retraction",
            "lines": [{"sellerProductReference": "FFM-MIX2", "quantity": 1}],
        },
        headers=seller_headers,
    )
    assert back.status_code == 201, back.text
    return_url = f"{OP}/fulfillment/returns/{back.json()['returnId']}"
    assert (
        client.post(
            f"{return_url}/reception",
            json={"lines": [{"lineNumber": 1, "receivedQuantity": 1}]},
            headers=operator_headers,
        ).status_code
        == 200
    )
    assert (
        client.post(
            f"{return_url}/inspection",
            json={"lines": [{"lineNumber": 1, "blockedQuantity": 1}]},
            headers=operator_headers,
        ).status_code
        == 200
    )
    # An order still held when the books are read.
    still_held = place(client, operator_headers, drain, lines=line(1, "MIX2"))["orderId"]
    assert order(client, seller_headers, still_held)["status"] == "InPreparation"

    page = client.get(f"{BASE}/stocks", params={"limit": 1000}, headers=seller_headers).json()["items"]
    assert {x["storageCountry"] for x in page} == {"FR", "ES"} and len(page) == 6
    reasons: set[str] = set()
    for record in page:
        detail = stock(client, seller_headers, record["id"])
        for bucket in BUCKETS:
            assert detail["quantities"][bucket] >= 0
            assert sum(m["changes"][bucket] for m in detail["movements"]) == detail["quantities"][bucket], (
                record["id"],
                bucket,
            )
        reasons |= {m["reason"] for m in detail["movements"]}
    assert reasons >= {
        "InboundReceived",
        "Inventory",
        "Damage",
        "Removal",
        "OrderAllocated",
        "OrderShipped",
        "OrderReleased",
        "OutboundAllocated",
        "OutboundShipped",
        "ReturnReceived",
        "ReturnBlocked",
    }
    for i in range(3):
        available = sum(
            x["quantities"]["available"] for x in page if x["sellerProductReference"] == f"FFM-MIX{i}"
        )
        assert offer(client, seller_headers, f"MIX{i}")["quantity"] == available
