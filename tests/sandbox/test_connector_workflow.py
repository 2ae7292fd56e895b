"""A connector's whole workflow against the sandbox, as its CI would run it: every asynchronous step
`immediate`, the clock frozen, and no worker at all. Product, offer package, order, approval,
shipment, cancellation: each answer already shows the work done, and the run stays under 2 s."""

from __future__ import annotations

import time
from typing import Any

from catalog.support import report, submit, toy
from conftest import sandbox_headers
from offers.support import Packages, offer_request
from order_helpers import order_body

SELLER = "/seller/v2"
PARCEL = {"parcelNumber": "P-1", "carrierName": "Colissimo", "trackingUrl": "https://track.example.com/P-1"}


def test_the_whole_workflow_is_immediate_with_a_frozen_clock(client, seller_headers, operator_headers):
    started = time.perf_counter()
    op = sandbox_headers(client)
    assert (
        client.put("/sandbox/v1/progress-policies/all", json={"mode": "immediate"}, headers=op).status_code
        == 200
    )
    frozen = client.post("/sandbox/v1/clock", json={"freeze": True}, headers=op).json()

    # The product: integrated when the package's report is first read.
    product = toy(424242)
    package_id = submit(client, seller_headers, [product])
    (item,) = report(client, seller_headers, package_id)
    assert item["status"] == "Integrated", item

    # Its offer on CDISFR: Integrated when the Ready answer came back.
    packages = Packages(client, seller_headers, drain=None)
    offer_package = packages.create(channel="CDISFR")
    offer = offer_request("WF-1", None, product={"gtin": product["gtin"]}, quantity=5)
    offer["deliveryModes"] = [{"code": "STD", "cost": 2.5, "additionalCost": 0}]
    assert packages.upload(offer_package, [offer]).status_code == 200
    assert packages.ready(offer_package).status_code == 200
    assert packages.get(offer_package)["state"] == "Integrated"

    def order() -> dict[str, Any]:
        lines = [{"sellerId": "98979", "sellerExternalReference": "WF-1", "quantity": 1}]
        r = client.post("/operator/v1/orders", json=order_body("CDISFR", lines), headers=operator_headers)
        assert r.status_code == 201, r.text
        r = client.get(f"{SELLER}/orders/{r.json()['orderId']}", headers=seller_headers)
        return dict(r.json())

    # An order: the marketplace controls ran before the customer's request answered.
    first = order()
    assert first["status"] == "WaitingAcceptance", first
    order_id = first["orderId"]
    r = client.post(
        f"{SELLER}/orders/{order_id}/approval-status",
        json={"approvalStatus": "Accepted"},
        headers=seller_headers,
    )
    assert r.status_code == 204, r.text
    assert (
        client.get(f"{SELLER}/orders/{order_id}", headers=seller_headers).json()["status"] == "InPreparation"
    )
    r = client.post(f"{SELLER}/orders/{order_id}/shipments", json=[PARCEL], headers=seller_headers)
    assert r.status_code == 201, r.text
    assert client.get(f"{SELLER}/orders/{order_id}", headers=seller_headers).json()["status"] == "Shipped"

    # A second order, cancelled by the seller: Cancelled when the request's answer came back.
    second = order()["orderId"]
    client.post(
        f"{SELLER}/orders/{second}/approval-status",
        json={"approvalStatus": "Accepted"},
        headers=seller_headers,
    )
    r = client.post(
        f"{SELLER}/order-cancellation-requests",
        json={"orderSellerId": second, "reason": "seller-out-of-stock"},
        headers=seller_headers,
    )
    assert r.status_code == 201, r.text
    assert client.get(f"{SELLER}/orders/{second}", headers=seller_headers).json()["status"] == "Cancelled"

    # Time stood still throughout, and no step of any object waits for a worker: what remains
    # scheduled is housekeeping (acceptance deadlines, the results' purge) on the frozen clock.
    clock = client.get("/sandbox/v1/clock", headers=op).json()
    assert clock["now"] == frozen["now"]
    assert {job["kind"] for job in clock["scheduled"]} == {"orders.expire_acceptance", "offers.purge_results"}
    assert all(job["subjectKind"] is None for job in clock["scheduled"])
    assert time.perf_counter() - started < 2.0
