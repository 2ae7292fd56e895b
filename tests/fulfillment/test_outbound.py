"""Outbound shipping orders over HTTP (spec 15.4): creation and its checks, the warehouse's checks and
allocation (a job), its preparation and shipment (by itself in the sandbox, or by the operator),
cancellation requests, lists and counts, tenancy, and 50 concurrent shipments on 10 units.

Products are referenced over HTTP and stocked by an operator's inventory count; stock is read back
with GET /stocks/{id}, its quantities and its movements."""

from __future__ import annotations

import itertools
import threading
import uuid
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest

from comptoir.jobs.runtime import Worker
from conftest import assert_problem, cached_token, sandbox_headers
from fulfillment.ref_support import catalogue_product, reference
from fulfillment.ref_support import stock_in as counted

API = "/seller/v2"
OP = "/operator/v1/fulfillment"
SANDBOX = "/sandbox/v1"
ADDRESS = {
    "firstName": "Marie",
    "lastName": "Curie",
    "addressLine1": "1 rue Pierre et Marie Curie",
    "postalCode": "75005",
    "city": "Paris",
    "countryCode": "FR",
}
_n = itertools.count(1)


# --- set-up helpers -------------------------------------------------------------------------------


class Ffm:
    """Referencing and stock over HTTP, through the referencing and stock routes."""

    def __init__(self, client: Any, db: Any) -> None:
        self.client, self.db = client, db
        self.operator = {
            "Authorization": f"Bearer {cached_token(client, 'operator-client', 'operator-secret')}"
        }

    def seller(self, seller_id: str) -> dict[str, str]:
        client_id, secret = CLIENTS[seller_id]
        return {
            "Authorization": f"Bearer {cached_token(self.client, client_id, secret)}",
            "SellerId": seller_id,
        }


CLIENTS = {"98979": ("demo-client", "demo-secret"), "12345": ("other-client", "other-secret")}


@pytest.fixture
def ffm(client: Any, db: Any) -> Ffm:
    return Ffm(client, db)


def product(ffm: Ffm, *, seller_id: str = "98979") -> dict[str, str]:
    """A catalogue product referenced for fulfillment: its seller reference, product id, condition."""
    found = catalogue_product(ffm.db, seller_id)
    ref = f"FFM-{seller_id}-{next(_n)}"
    reference(ffm.client, ffm.seller(seller_id), found, ref)
    return {"sellerProductReference": ref, "productId": found["product_id"], "productCondition": "New"}


def stock_in(ffm: Ffm, ref: dict[str, str], country: str, quantity: int) -> str:
    """Sets the product's Available units in a warehouse (an operator's inventory count)."""
    return str(counted(ffm.client, ffm.operator, ref["sellerProductReference"], quantity, country)["id"])


def _stock(ffm: Ffm, stock_id: str) -> dict[str, Any]:
    r = ffm.client.get(f"{API}/stocks/{stock_id}", headers=ffm.seller("98979"))
    assert r.status_code == 200, r.text
    return dict(r.json())


def quantities(ffm: Ffm, stock_id: str) -> dict[str, int]:
    """The stock record's buckets that hold units, by bucket name."""
    held = _stock(ffm, stock_id)["quantities"]
    return {name[0].upper() + name[1:]: units for name, units in held.items() if units}


def ledger(ffm: Ffm, stock_id: str) -> list[str]:
    """The reasons of the stock record's movements, oldest first."""
    return [m["reason"] for m in reversed(_stock(ffm, stock_id)["movements"])]


def body(*items: dict[str, Any], reference: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "reference": reference or f"SO-{next(_n)}",
        "deliveryAddress": ADDRESS,
        "deliveryMode": "Standard",
        "items": list(items),
        **extra,
    }


def item(ref: dict[str, str], quantity: int, *, by: str = "reference") -> dict[str, Any]:
    if by == "reference":
        return {"sellerProductReference": ref["sellerProductReference"], "quantity": quantity}
    return {"productId": ref["productId"], "productCondition": ref["productCondition"], "quantity": quantity}


def create(client: Any, headers: Any, payload: dict[str, Any]) -> str:
    r = client.post(f"{API}/outbound-shipments", json=payload, headers=headers)
    assert r.status_code == 201, r.text
    shipment_id = str(r.json()["outboundShipmentId"])
    assert str(uuid.UUID(shipment_id)) == shipment_id
    assert r.headers["content-location"] == f"/outbound-shipments/{shipment_id}"
    return shipment_id


def shipment(client: Any, headers: Any, shipment_id: str) -> dict[str, Any]:
    r = client.get(f"{API}/outbound-shipments/{shipment_id}", headers=headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def set_policy(client: Any, mode: str, **extra: Any) -> None:
    r = client.put(
        f"{SANDBOX}/progress-policies/outbound-shipments",
        json={"mode": mode, **extra},
        headers=sandbox_headers(client),
    )
    assert r.status_code == 200, r.text


def advance(client: Any, shipment_id: str, action: str = "advance") -> None:
    r = client.post(
        f"{SANDBOX}/progress/outbound-shipments/{shipment_id}",
        json={"action": action},
        headers=sandbox_headers(client),
    )
    assert r.status_code == 200, r.text


def accepted(client: Any, ffm: Ffm, headers: Any, quantity: int = 2, stocked: int = 5) -> tuple[str, str]:
    """A shipment the warehouse accepted and will not move on by itself (policy manual)."""
    ref = product(ffm)
    stock_id = stock_in(ffm, ref, "FR", stocked)
    set_policy(client, "manual")
    shipment_id = create(client, headers, body(item(ref, quantity)))
    advance(client, shipment_id)
    assert shipment(client, headers, shipment_id)["status"] == "Accepted"
    return shipment_id, stock_id


# --- the whole way ----------------------------------------------------------------------------------


def test_the_sandbox_warehouse_checks_allocates_prepares_and_ships(client, ffm, seller_headers, drain):
    ref = product(ffm)
    stock_id = stock_in(ffm, ref, "FR", 5)
    shipment_id = create(client, seller_headers, body(item(ref, 2), reference="ORDER-1"))
    created = shipment(client, seller_headers, shipment_id)
    assert (created["status"], created["state"], created["storageCountry"]) == ("Created", "Pending", None)
    assert created["items"] == [
        {
            "sellerProductReference": ref["sellerProductReference"],
            "productId": None,
            "productCondition": None,
            "quantity": 2,
        }
    ]
    assert created["deliveryAddress"]["lastName"] == "Curie" and created["parcels"] == []

    drain()
    shipped = shipment(client, seller_headers, shipment_id)
    assert (shipped["status"], shipped["state"], shipped["storageCountry"]) == ("Shipped", "Valid", "FR")
    assert shipped["reference"] == "ORDER-1" and shipped["deliveryMode"] == "Standard"
    assert shipped["items"] == [{**ref, "quantity": 2}]
    assert shipped["carrier"] == "Colissimo" and shipped["shippedAt"] == shipped["statusUpdatedAt"]
    (parcel,) = shipped["parcels"]
    assert parcel["trackingNumber"].startswith("6A") and len(parcel["trackingNumber"]) == 13
    assert parcel["trackingUrl"].endswith(parcel["trackingNumber"])
    assert shipped["rejectionReasons"] == []
    # Two units left the warehouse: allocated on acceptance, out of Allocated on shipment.
    assert quantities(ffm, stock_id) == {"Available": 3}
    assert ledger(ffm, stock_id) == ["Inventory", "OutboundAllocated", "OutboundShipped"]


def test_realistic_progress_takes_one_step_per_delay(client, ffm, seller_headers, drain):
    ref = product(ffm)
    stock_in(ffm, ref, "FR", 5)
    set_policy(client, "realistic", delaySeconds=60)
    client.post(f"{SANDBOX}/clock", json={"freeze": True}, headers=sandbox_headers(client))
    shipment_id = create(client, seller_headers, body(item(ref, 1)))
    assert drain() == 0 and shipment(client, seller_headers, shipment_id)["status"] == "Created"
    seen = []
    for _ in range(3):
        # Moving the clock runs the jobs it made due.
        r = client.post(f"{SANDBOX}/clock", json={"advanceSeconds": 60}, headers=sandbox_headers(client))
        assert r.status_code == 200, r.text
        seen.append(shipment(client, seller_headers, shipment_id)["status"])
    assert seen == ["Accepted", "InPreparation", "Shipped"]


def test_immediate_progress_ships_before_the_creation_answers(client, ffm, seller_headers):
    ref = product(ffm)
    stock_in(ffm, ref, "FR", 1)
    set_policy(client, "immediate")
    shipment_id = create(client, seller_headers, body(item(ref, 1)))
    assert shipment(client, seller_headers, shipment_id)["status"] == "Shipped"


def test_the_fail_policy_rejects_with_the_chosen_reason(client, ffm, seller_headers, drain):
    ref = product(ffm)
    stock_id = stock_in(ffm, ref, "FR", 3)
    set_policy(client, "fail", resultCode="WarehouseClosed", message="Closed for inventory.")
    shipment_id = create(client, seller_headers, body(item(ref, 1)))
    drain()
    found = shipment(client, seller_headers, shipment_id)
    assert (found["status"], found["state"]) == ("Rejected", "Invalid")
    assert found["rejectionReasons"] == [
        {"code": "WarehouseClosed", "message": "Closed for inventory.", "itemIndex": None}
    ]
    assert quantities(ffm, stock_id) == {"Available": 3}


def test_a_failure_in_preparation_gives_the_units_back(client, ffm, seller_headers):
    shipment_id, stock_id = accepted(client, ffm, seller_headers)
    assert quantities(ffm, stock_id) == {"Available": 3, "Allocated": 2}
    advance(client, shipment_id, "fail")
    found = shipment(client, seller_headers, shipment_id)
    assert (found["status"], found["rejectionReasons"][0]["code"]) == ("Rejected", "RejectedByWarehouse")
    assert quantities(ffm, stock_id) == {"Available": 5}
    assert ledger(ffm, stock_id)[-1] == "OutboundReleased"


# --- the operator's warehouse -----------------------------------------------------------------------


def test_the_operator_prepares_and_ships(client, ffm, seller_headers, operator_headers):
    shipment_id, stock_id = accepted(client, ffm, seller_headers)
    url = f"{OP}/outbound-shipments/{shipment_id}"
    ship = {
        "carrier": "DHL",
        "parcels": [
            {"trackingNumber": "JD000001", "trackingUrl": "https://dhl.example/JD000001"},
            {"trackingNumber": "JD000002"},
        ],
    }
    assert_problem(client.post(f"{url}/shipment", json=ship, headers=operator_headers), 409)
    r = client.post(f"{url}/preparation", headers=operator_headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "InPreparation"
    assert_problem(client.post(f"{url}/preparation", headers=operator_headers), 409)
    problem = assert_problem(
        client.post(f"{url}/shipment", json={"carrier": "DHL", "parcels": []}, headers=operator_headers), 400
    )
    assert "parcels" in str(problem)
    r = client.post(f"{url}/shipment", json=ship, headers=operator_headers)
    assert r.status_code == 200, r.text
    found = shipment(client, seller_headers, shipment_id)
    assert (found["status"], found["carrier"]) == ("Shipped", "DHL")
    assert [(p["trackingNumber"], p["trackingUrl"]) for p in found["parcels"]] == [
        ("JD000001", "https://dhl.example/JD000001"),
        ("JD000002", None),
    ]
    assert quantities(ffm, stock_id) == {"Available": 3}
    assert_problem(client.post(f"{url}/shipment", json=ship, headers=operator_headers), 409)
    # The sandbox's own steps, released now, find the work done and leave it.
    advance(client, shipment_id, "finish")
    assert shipment(client, seller_headers, shipment_id)["carrier"] == "DHL"
    assert_problem(
        client.post(f"{OP}/outbound-shipments/{uuid.uuid4()}/preparation", headers=operator_headers), 404
    )
    assert_problem(client.post(f"{url}/preparation", headers=seller_headers), 403)


# --- rejections -----------------------------------------------------------------------------------


def test_unknown_products_missing_stock_and_destinations_not_served_reject(
    client, ffm, seller_headers, other_headers, drain
):
    ref = product(ffm)
    stock_id = stock_in(ffm, ref, "FR", 2)
    theirs = product(ffm, seller_id="12345")
    unknown = create(
        client,
        seller_headers,
        body(item(ref, 1), {"sellerProductReference": "NOPE", "quantity": 1}, item(theirs, 1, by="id")),
    )
    short = create(client, seller_headers, body(item(ref, 1), item(ref, 2, by="id")))
    from_uk = create(client, seller_headers, body(item(ref, 1), storageCountry="UK"))
    to_us = create(
        client, seller_headers, body(item(ref, 1), deliveryAddress={**ADDRESS, "countryCode": "US"})
    )
    nowhere = create(client, other_headers, body(item(theirs, 1)))
    drain()
    reasons = shipment(client, seller_headers, unknown)["rejectionReasons"]
    assert [(r["code"], r["itemIndex"]) for r in reasons] == [("UnknownProduct", 1), ("UnknownProduct", 2)]
    assert "NOPE" in reasons[0]["message"]
    found = shipment(client, seller_headers, short)
    assert found["status"] == "Rejected"
    # All items or none: the first item's unit was not kept when the second could not be served.
    assert [(r["code"], r["itemIndex"]) for r in found["rejectionReasons"]] == [("InsufficientStock", 1)]
    assert "FR or ES" in found["rejectionReasons"][0]["message"]
    assert shipment(client, seller_headers, from_uk)["rejectionReasons"] == [
        {
            "code": "DestinationNotServed",
            "message": "The UK warehouse does not deliver to FR.",
            "itemIndex": None,
        }
    ]
    assert shipment(client, seller_headers, to_us)["rejectionReasons"][0]["message"] == (
        "No warehouse can deliver to US."
    )
    assert shipment(client, other_headers, nowhere)["rejectionReasons"][0]["code"] == "InsufficientStock"
    # The stock is untouched.
    assert quantities(ffm, stock_id) == {"Available": 2} and ledger(ffm, stock_id) == ["Inventory"]


def test_the_warehouse_is_the_one_asked_for_or_the_nearest_that_holds_everything(
    client, ffm, seller_headers, drain
):
    ref = product(ffm)
    stock_in(ffm, ref, "FR", 1)
    stock_in(ffm, ref, "ES", 5)
    to_spain = create(
        client, seller_headers, body(item(ref, 1), deliveryAddress={**ADDRESS, "countryCode": "es"})
    )
    to_france = create(client, seller_headers, body(item(ref, 1)))
    too_many_for_france = create(client, seller_headers, body(item(ref, 2)))
    asked = create(client, seller_headers, body(item(ref, 1), storageCountry="Spain"))
    drain()
    assert [
        shipment(client, seller_headers, i)["storageCountry"]
        for i in (to_spain, to_france, too_many_for_france, asked)
    ] == ["ES", "FR", "ES", "ES"]
    assert shipment(client, seller_headers, to_spain)["deliveryAddress"]["countryCode"] == "ES"


def test_the_seller_reference_wins_and_names_are_tolerated(client, ffm, seller_headers, drain):
    ref, other = product(ffm), product(ffm)
    stock_in(ffm, ref, "FR", 1)
    stock_in(ffm, other, "FR", 1)
    payload = {
        "Reference": "TOLERANT-1",
        "DeliveryAddress": {k[0].upper() + k[1:]: v for k, v in ADDRESS.items()},
        "deliverymode": "express",
        "items": [
            {
                "SellerProductReference": ref["sellerProductReference"],
                "productId": other["productId"],
                "productCondition": "NEW",
                "quantity": 1,
            },
            {"productId": other["productId"], "productCondition": "new", "quantity": 1},
        ],
        "storageCountry": "fr",
    }
    shipment_id = create(client, seller_headers, payload)
    drain()
    found = shipment(client, seller_headers, shipment_id)
    assert (found["status"], found["deliveryMode"], found["carrier"]) == ("Shipped", "Express", "Chronopost")
    assert [i["sellerProductReference"] for i in found["items"]] == [
        ref["sellerProductReference"],
        other["sellerProductReference"],
    ]


def test_malformed_orders_are_refused_at_once(client, ffm, seller_headers):
    ref = product(ffm)
    cases = [
        ({**body(item(ref, 1)), "items": []}, "items"),
        (body(item(ref, 1), deliveryMode="Teleport"), "deliveryMode"),
        (body({"productId": "P1", "quantity": 1}), "items[0]"),
        (body({"productId": "P1", "productCondition": "Shiny", "quantity": 1}), "items[0].productCondition"),
        (body(item(ref, 0)), "quantity"),
        (body(item(ref, 1), storageCountry="Mars"), "storageCountry"),
        ({**body(item(ref, 1)), "deliveryAddress": {"firstName": "Marie"}}, "lastName"),
        ({k: v for k, v in body(item(ref, 1)).items() if k != "reference"}, "reference"),
    ]
    for payload, field in cases:
        problem = assert_problem(
            client.post(f"{API}/outbound-shipments", json=payload, headers=seller_headers), 400
        )
        assert field in str(problem.get("errors", problem)), (field, problem)
    create(client, seller_headers, body(item(ref, 1), reference="TWICE"))
    problem = assert_problem(
        client.post(
            f"{API}/outbound-shipments", json=body(item(ref, 1), reference="TWICE"), headers=seller_headers
        ),
        409,
    )
    assert "TWICE" not in problem["detail"] and "already exists" in problem["detail"]
    assert_problem(client.post(f"{API}/outbound-shipments", json=body(item(ref, 1))), 401)


# --- cancellation ---------------------------------------------------------------------------------


def cancel(client: Any, headers: Any, shipment_id: str, **extra: Any) -> Any:
    return client.post(
        f"{API}/outbound-cancellation-requests",
        json={"outboundShipmentId": shipment_id, **extra},
        headers=headers,
    )


def test_cancelling_before_shipment_releases_the_allocation(client, ffm, seller_headers, other_headers):
    shipment_id, stock_id = accepted(client, ffm, seller_headers)
    assert_problem(cancel(client, other_headers, shipment_id), 404)
    r = cancel(client, seller_headers, shipment_id, reason="Customer changed their mind")
    assert r.status_code == 201, r.text
    request = r.json()
    assert (
        r.headers["content-location"] == f"/outbound-cancellation-requests/{request['cancellationRequestId']}"
    )
    assert (request["status"], request["previousStatus"], request["reason"]) == (
        "Accepted",
        "Accepted",
        "Customer changed their mind",
    )
    assert shipment(client, seller_headers, shipment_id)["status"] == "Cancelled"
    assert quantities(ffm, stock_id) == {"Available": 5}
    assert ledger(ffm, stock_id)[-1] == "OutboundReleased"
    url = f"{API}/outbound-cancellation-requests/{request['cancellationRequestId']}"
    assert client.get(url, headers=seller_headers).json() == request
    assert_problem(client.get(url, headers=other_headers), 404)
    problem = assert_problem(cancel(client, seller_headers, shipment_id), 409)
    assert "Cancelled" in problem["detail"]
    # The sandbox's next steps find it cancelled and leave it so.
    advance(client, shipment_id, "finish")
    assert shipment(client, seller_headers, shipment_id)["status"] == "Cancelled"
    assert quantities(ffm, stock_id) == {"Available": 5}


def test_a_shipment_cancelled_before_its_check_allocates_nothing(client, ffm, seller_headers, drain):
    ref = product(ffm)
    stock_id = stock_in(ffm, ref, "FR", 1)
    shipment_id = create(client, seller_headers, body(item(ref, 1)))
    assert cancel(client, seller_headers, shipment_id).json()["previousStatus"] == "Created"
    drain()
    found = shipment(client, seller_headers, shipment_id)
    assert (found["status"], found["state"]) == ("Cancelled", "Pending")
    assert quantities(ffm, stock_id) == {"Available": 1}


def test_a_shipped_shipment_cannot_be_cancelled(client, ffm, seller_headers, drain):
    ref = product(ffm)
    stock_in(ffm, ref, "FR", 1)
    shipment_id = create(client, seller_headers, body(item(ref, 1)))
    drain()
    problem = assert_problem(cancel(client, seller_headers, shipment_id), 409)
    assert "only before it is shipped" in problem["detail"]
    assert_problem(cancel(client, seller_headers, str(uuid.uuid4())), 404)
    assert_problem(client.post(f"{API}/outbound-cancellation-requests", json={}, headers=seller_headers), 400)
    assert_problem(
        client.get(f"{API}/outbound-cancellation-requests/{uuid.uuid4()}", headers=seller_headers), 404
    )


# --- reading --------------------------------------------------------------------------------------


def test_lists_counts_filters_and_tenancy(client, ffm, seller_headers, other_headers, drain):
    ref = product(ffm)
    stock_in(ffm, ref, "FR", 2)
    op = sandbox_headers(client)
    client.post(f"{SANDBOX}/clock", json={"freeze": True}, headers=op)
    ids = [create(client, seller_headers, body(item(ref, 1))) for _ in range(3)]
    drain()  # two ship, the third finds no stock
    assert [shipment(client, seller_headers, i)["status"] for i in ids] == ["Shipped", "Shipped", "Rejected"]
    client.post(f"{SANDBOX}/clock", json={"advanceSeconds": 10}, headers=op)
    pending = create(client, seller_headers, body(item(ref, 1)))

    def listed(query: str = "", headers: Any = seller_headers) -> list[str]:
        r = client.get(f"{API}/outbound-shipments{query}", headers=headers)
        assert r.status_code == 200, r.text
        return [i["outboundShipmentId"] for i in r.json()["items"]]

    def count(query: str = "", headers: Any = seller_headers) -> int:
        r = client.get(f"{API}/outbound-shipments/count{query}", headers=headers)
        assert r.status_code == 200, r.text
        return int(r.json())

    # Latest status change first, then the greatest id.
    assert listed() == [pending, *sorted(ids, reverse=True)]
    assert count() == 4
    assert set(listed("?state=Valid")) == set(ids[:2]) and listed("?state=invalid") == [ids[2]]
    assert listed("?state=Pending") == [pending] and count("?state=Valid,Invalid") == 3
    assert set(listed("?status=Shipped")) == set(ids[:2]) and count("?state=Created") == 1
    assert count("?state=Valid&status=Rejected") == 0
    # Between the first three and the last.
    updated = datetime.fromisoformat(shipment(client, seller_headers, pending)["statusUpdatedAt"])
    between = (updated - timedelta(seconds=5)).isoformat()
    assert listed(f"?statusUpdatedAtMin={quote(between)}") == [pending]
    assert count(f"?statusUpdatedAtMax={quote(between)}") == 3
    assert_problem(client.get(f"{API}/outbound-shipments?state=Lost", headers=seller_headers), 400)
    assert_problem(
        client.get(f"{API}/outbound-shipments?statusUpdatedAtMin=yesterday", headers=seller_headers), 400
    )
    assert_problem(client.get(f"{API}/outbound-shipments?limit=1001", headers=seller_headers), 400)
    assert_problem(client.get(f"{API}/outbound-shipments?cursor=nope", headers=seller_headers), 400)

    # Cursor pages, next in the Link header, none after the last.
    seen, url = [], f"{API}/outbound-shipments?limit=3"
    while url:
        r = client.get(url, headers=seller_headers)
        seen += [i["outboundShipmentId"] for i in r.json()["items"]]
        links = {
            part.split('rel="')[1].rstrip('"'): part.split(">")[0].lstrip("<")
            for part in r.headers["link"].split(", ")
        }
        url = links.get("next", "")
    assert seen == listed()

    # Another seller sees none of them.
    assert listed(headers=other_headers) == [] and count(headers=other_headers) == 0
    assert_problem(client.get(f"{API}/outbound-shipments/{pending}", headers=other_headers), 404)
    assert_problem(client.get(f"{API}/outbound-shipments/{pending}"), 401)
    r = client.get(f"{OP}/outbound-shipments/{pending}", headers=op)
    assert r.status_code == 200 and r.json()["outboundShipmentId"] == pending


# --- concurrency ----------------------------------------------------------------------------------


def test_fifty_concurrent_shipments_on_ten_units_allocate_exactly_ten(client, db, ffm, seller_headers):
    ref = product(ffm)
    stock_id = stock_in(ffm, ref, "FR", 10)
    ids = [create(client, seller_headers, body(item(ref, 1))) for _ in range(50)]
    # Four workers take the checks at once, each allocating in its own transaction.
    workers = [Worker(db, lease_seconds=30, poll_seconds=0.01) for _ in range(4)]
    threads = [threading.Thread(target=w.drain) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = [shipment(client, seller_headers, i)["status"] for i in ids]
    assert statuses.count("Shipped") == 10 and statuses.count("Rejected") == 40
    assert quantities(ffm, stock_id) == {}
    reasons = ledger(ffm, stock_id)
    assert reasons.count("OutboundAllocated") == 10 and reasons.count("OutboundShipped") == 10
    # The ledger adds up to the record.
    movements = _stock(ffm, stock_id)["movements"]
    assert sum(m["changes"]["available"] for m in movements) == 0
    assert sum(m["changes"]["allocated"] for m in movements) == 0
