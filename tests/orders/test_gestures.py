"""Commercial gestures over HTTP (spec 12.12): configuration, available amounts, requests and their
asynchronous outcome, listing, and the marketplace's settlement."""

from __future__ import annotations

import itertools
from typing import Any

from conftest import assert_problem
from order_helpers import make_offer, place

PARCEL = {"parcelNumber": "PARCEL-001", "carrierName": "Colissimo"}
GESTURES = "/seller/v2/order-commercial-gesture-requests"
_refs = itertools.count()
SELLZZ_CONFIG = {"allowsGesture": True, "maximumRate": 20, "maximumAmount": 50, "currencyCode": "EUR"}


def shipped_order(
    client: Any, db: Any, drain: Any, operator_headers: Any, seller_headers: Any, lines: int = 2
) -> str:
    refs = [f"R{next(_refs)}" for _ in range(lines)]
    for ref in refs:
        make_offer(db, reference=ref)
    body = [{"sellerId": "98979", "sellerExternalReference": ref, "quantity": 1} for ref in refs]
    order_id = str(place(client, operator_headers, drain, lines=body)["orderId"])
    r = client.post(f"/seller/v2/orders/{order_id}/shipments", json=PARCEL, headers=seller_headers)
    assert r.status_code == 201, r.text
    return order_id


def available(client: Any, headers: Any, order_id: str) -> dict[str, Any]:
    r = client.get(f"/seller/v2/orders/{order_id}/commercial-gestures-available-amounts", headers=headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def gesture(
    client: Any, headers: Any, order_id: str, amount: float, reason: str = "Delay", **extra: Any
) -> Any:
    return client.post(
        GESTURES, json={"orderId": order_id, "reason": reason, "amount": amount, **extra}, headers=headers
    )


def configure(client: Any, operator_headers: Any, channel: str = "SELLZZ", **changes: Any) -> None:
    r = client.put(
        f"/operator/v1/channels/{channel}/commercial-gesture-configuration",
        json={**SELLZZ_CONFIG, **changes},
        headers=operator_headers,
    )
    assert r.status_code == 200, r.text


def settle(
    client: Any, operator_headers: Any, request_id: str, decision: str, message: str | None = None
) -> Any:
    return client.post(
        f"/operator/v1/commercial-gesture-requests/{request_id}/decision",
        json={"decision": decision, "message": message},
        headers=operator_headers,
    )


def test_channel_configuration(client, seller_headers, operator_headers):
    r = client.get(
        "/seller/v2/sales-channel-commercial-gesture-configurations/CDISFR", headers=seller_headers
    )
    assert r.status_code == 200
    assert r.json() == {
        "salesChannelId": "CDISFR",
        "allowsGesture": True,
        "maximumRate": 30.0,
        "maximumAmount": 150.0,
        "currencyCode": "EUR",
        "manualReview": False,
    }
    assert_problem(
        client.get("/seller/v2/sales-channel-commercial-gesture-configurations/NOPE", headers=seller_headers),
        404,
    )
    configure(client, operator_headers, allowsGesture=False, maximumAmount=None)
    body = client.get(
        "/operator/v1/channels/SELLZZ/commercial-gesture-configuration", headers=operator_headers
    ).json()
    assert body["allowsGesture"] is False and body["maximumAmount"] is None
    bad = client.put(
        "/operator/v1/channels/SELLZZ/commercial-gesture-configuration",
        json={**SELLZZ_CONFIG, "maximumRate": 120},
        headers=operator_headers,
    )
    assert_problem(bad, 400)
    unknown = client.put(
        "/operator/v1/channels/NOPE/commercial-gesture-configuration",
        json=SELLZZ_CONFIG,
        headers=operator_headers,
    )
    assert_problem(unknown, 404)
    as_seller = client.get(
        "/operator/v1/channels/SELLZZ/commercial-gesture-configuration", headers=seller_headers
    )
    assert_problem(as_seller, 403)
    # A channel the operator creates forbids gestures until configured.
    created = client.post(
        "/operator/v1/channels",
        json={"id": "MKTNEW", "name": "New market", "currency": "PLN"},
        headers=operator_headers,
    )
    assert created.status_code == 201, created.text
    body = client.get(
        "/seller/v2/sales-channel-commercial-gesture-configurations/MKTNEW", headers=seller_headers
    ).json()
    assert body["allowsGesture"] is False and body["currencyCode"] == "PLN"


def test_available_amount_follows_cancelled_lines_and_gestures(
    client, db, drain, operator_headers, seller_headers, other_headers
):
    make_offer(db, reference="A")
    make_offer(db, reference="B")
    body = [{"sellerId": "98979", "sellerExternalReference": ref, "quantity": 1} for ref in ("A", "B")]
    order_id = place(client, operator_headers, drain, lines=body)["orderId"]
    before = available(client, seller_headers, order_id)
    # Two lines of 19.99 + 4.90: 49.78, of which 20 % rounded down.
    assert (before["orderAmount"], before["allowableAmount"]) == (49.78, 9.95)
    assert before["currencyCode"] == "EUR" and before["allowsGesture"] is True
    line_b = client.get(f"/seller/v2/orders/{order_id}", headers=seller_headers).json()["lines"][1]
    r = client.post(
        "/seller/v2/order-partial-cancellation-requests",
        json={
            "orderSellerId": order_id,
            "lines": [
                {
                    "lineId": line_b["orderLineId"],
                    "offerId": line_b["offer"]["id"],
                    "reason": "reference-mistake",
                }
            ],
        },
        headers=seller_headers,
    )
    assert r.status_code == 201
    drain()
    assert (
        client.post(
            f"/seller/v2/orders/{order_id}/shipments", json=PARCEL, headers=seller_headers
        ).status_code
        == 201
    )
    after = available(client, seller_headers, order_id)
    assert (after["orderAmount"], after["allowableAmount"]) == (24.89, 4.97)
    assert gesture(client, seller_headers, order_id, 2).status_code == 201
    pending = available(client, seller_headers, order_id)
    assert (pending["pendingAmount"], pending["allowableAmount"]) == (2.0, 2.97)
    drain()
    done = available(client, seller_headers, order_id)
    assert (done["grantedAmount"], done["pendingAmount"], done["allowableAmount"]) == (2.0, 0.0, 2.97)
    assert_problem(
        client.get(
            f"/seller/v2/orders/{order_id}/commercial-gestures-available-amounts", headers=other_headers
        ),
        404,
    )


def test_request_is_validated_then_done(client, db, drain, operator_headers, seller_headers):
    order_id = shipped_order(client, db, drain, operator_headers, seller_headers)
    r = gesture(client, seller_headers, order_id, 9.5, "MissingProduct", reasonDetails="Left earbud missing")
    assert r.status_code == 201, r.text
    created = r.json()
    # The one rule of every create: Content-Location relative to the API base, Location absolute.
    path = f"/order-commercial-gesture-requests/{created['requestId']}"
    assert r.headers["content-location"] == path
    assert r.headers["location"] == f"{client.base_url}/seller/v2{path}"
    assert r.headers["content-type"].startswith("application/json")
    assert created["status"] == "InProgress" and created["errors"] == []
    assert (created["amount"], created["currencyCode"], created["reasonDetails"]) == (
        9.5,
        "EUR",
        "Left earbud missing",
    )
    drain()
    r = client.get(f"{GESTURES}/{created['requestId']}", headers=seller_headers)
    assert r.status_code == 200 and r.json()["status"] == "Done"
    # The same gesture again is a duplicate; another amount is not, but exceeds what is left.
    assert_problem(gesture(client, seller_headers, order_id, 9.5, "MissingProduct"), 409)
    body = assert_problem(gesture(client, seller_headers, order_id, 1, "ShippingFees"), 400)
    assert "amount" in body["errors"]


def test_request_field_errors(client, db, drain, operator_headers, seller_headers, other_headers):
    order_id = shipped_order(client, db, drain, operator_headers, seller_headers)
    cases = [
        ({"amount": 0}, "amount"),
        ({"amount": -3}, "amount"),
        ({"amount": 1.234}, "amount"),
        ({"amount": 500}, "amount"),
        ({"reason": "Because"}, "reason"),
        ({"reason": "Other"}, "reasonDetails"),
        ({"reason": "Other", "reasonDetails": "  "}, "reasonDetails"),
        ({"currencyCode": "USD"}, "currencyCode"),
    ]
    for change, field in cases:
        body = {"orderId": order_id, "reason": "Delay", "amount": 1, **change}
        problem = assert_problem(client.post(GESTURES, json=body, headers=seller_headers), 400)
        assert field in problem["errors"], (change, problem)
    assert (
        "amount"
        in assert_problem(
            client.post(GESTURES, json={"orderId": order_id, "reason": "Delay"}, headers=seller_headers), 400
        )["errors"]
    )
    assert_problem(gesture(client, seller_headers, "2611010000NOPE", 1), 404)
    assert_problem(gesture(client, other_headers, order_id, 1), 404)
    ok = gesture(
        client, seller_headers, order_id, 1, "Other", reasonDetails="Gift wrap forgotten", currency="EUR"
    )
    assert ok.status_code == 201, ok.text


def test_request_state_conflicts(client, db, drain, operator_headers, seller_headers):
    make_offer(db)
    order_id = place(client, operator_headers, drain)["orderId"]
    body = assert_problem(gesture(client, seller_headers, order_id, 1), 409)
    assert "InPreparation" in body["detail"]
    assert (
        client.post(
            f"/seller/v2/orders/{order_id}/shipments", json=PARCEL, headers=seller_headers
        ).status_code
        == 201
    )
    configure(client, operator_headers, allowsGesture=False)
    assert "does not allow" in assert_problem(gesture(client, seller_headers, order_id, 1), 409)["detail"]
    configure(client, operator_headers)
    # Delivered orders take gestures too.
    assert (
        client.post(f"/operator/v1/orders/{order_id}/delivery", headers=operator_headers).status_code == 200
    )
    assert gesture(client, seller_headers, order_id, 1).status_code == 201


def test_rejected_when_the_order_was_cancelled_meanwhile(client, db, drain, operator_headers, seller_headers):
    order_id = shipped_order(client, db, drain, operator_headers, seller_headers, lines=1)
    created = gesture(client, seller_headers, order_id, 2).json()
    r = client.post(
        f"/operator/v1/orders/{order_id}/customer-service-cancellation",
        json={"reason": "fraud"},
        headers=operator_headers,
    )
    assert r.status_code == 200 and r.json()["status"] == "Cancelled"
    drain()
    body = client.get(f"{GESTURES}/{created['requestId']}", headers=seller_headers).json()
    assert body["status"] == "Rejected" and [e["code"] for e in body["errors"]] == ["OrderCancelled"]
    # A rejected gesture is no duplicate, but the order still is cancelled.
    assert_problem(gesture(client, seller_headers, order_id, 2), 409)


def test_manual_review_and_shrinking_limits(client, db, drain, operator_headers, seller_headers):
    configure(client, operator_headers, manualReview=True)
    order_id = shipped_order(client, db, drain, operator_headers, seller_headers)
    first = gesture(client, seller_headers, order_id, 4).json()
    second = gesture(client, seller_headers, order_id, 5.95, "ReturnFees").json()
    drain()
    assert (
        client.get(f"{GESTURES}/{first['requestId']}", headers=seller_headers).json()["status"]
        == "InProgress"
    )
    # A refund of one shipped line halves the order amount: only the first gesture still fits.
    line = client.get(f"/seller/v2/orders/{order_id}", headers=seller_headers).json()["lines"][1]
    r = client.post(
        "/seller/v2/order-partial-cancellation-requests",
        json={
            "orderSellerId": order_id,
            "lines": [
                {"lineId": line["orderLineId"], "offerId": line["offer"]["id"], "reason": "parcel-lost"}
            ],
        },
        headers=seller_headers,
    )
    assert r.status_code == 201, r.text
    drain()
    r = settle(client, operator_headers, first["requestId"], "Done")
    assert r.status_code == 200 and r.json()["status"] == "Done"
    r = settle(client, operator_headers, second["requestId"], "Done")
    assert r.json()["status"] == "Rejected" and r.json()["errors"][0]["code"] == "AmountExceedsLimit"
    assert_problem(settle(client, operator_headers, second["requestId"], "Rejected"), 409)
    assert_problem(settle(client, operator_headers, "no-such-request", "Done"), 404)
    third = gesture(client, seller_headers, order_id, 0.5).json()
    r = settle(client, operator_headers, third["requestId"], "Rejected", "Not justified.")
    assert r.json()["errors"] == [{"code": "RejectedByMarketplace", "message": "Not justified."}]


def test_listing_newest_update_first_with_cursor(
    client, db, drain, operator_headers, seller_headers, other_headers
):
    first_order = shipped_order(client, db, drain, operator_headers, seller_headers, lines=1)
    second_order = shipped_order(client, db, drain, operator_headers, seller_headers, lines=1)
    a = gesture(client, seller_headers, first_order, 1).json()
    b = gesture(client, seller_headers, second_order, 1).json()
    c = gesture(client, seller_headers, first_order, 2, "ShippingFees").json()
    drain()  # a, b, c updated in that order
    r = client.get(GESTURES, headers=seller_headers)
    assert r.status_code == 200
    assert [x["requestId"] for x in r.json()["items"]] == [c["requestId"], b["requestId"], a["requestId"]]
    ids = []
    url: str | None = f"{GESTURES}?limit=1"
    while url:
        r = client.get(url, headers=seller_headers)
        assert r.json()["itemsPerPage"] <= 1
        ids += [x["requestId"] for x in r.json()["items"]]
        link = r.headers.get("link", "")
        nxt = [p.split(";")[0].strip("<> ") for p in link.split(",") if 'rel="next"' in p]
        url = nxt[0].replace("http://testserver.local", "") if nxt else None
    assert ids == [c["requestId"], b["requestId"], a["requestId"]]

    def listed(**params: Any) -> list[str]:
        r = client.get(GESTURES, params=params, headers=seller_headers)
        assert r.status_code == 200, r.text
        return [x["requestId"] for x in r.json()["items"]]

    assert listed(orderId=first_order) == [c["requestId"], a["requestId"]]
    assert listed(status="Done") == ids and listed(status="Rejected,InProgress") == []
    assert listed(createdAtMin="2000-01-01T00:00:00Z", updatedAtMax="2000-01-01") == []
    assert listed(createdAtMax="2100-01-01", updatedAtMin="2000-01-01T00:00:00.0000000+00:00") == ids
    assert_problem(client.get(GESTURES, params={"status": "Pending"}, headers=seller_headers), 400)
    assert_problem(client.get(GESTURES, params={"limit": 1001}, headers=seller_headers), 400)
    assert client.get(GESTURES, params={"limit": 1000}, headers=seller_headers).status_code == 200
    assert_problem(client.get(GESTURES, params={"createdAtMin": "yesterday"}, headers=seller_headers), 400)
    assert client.get(GESTURES, headers=other_headers).json()["items"] == []
    assert_problem(client.get(f"{GESTURES}/{a['requestId']}", headers=other_headers), 404)


def test_granted_gestures_count_as_refunds(client, db, drain, operator_headers, seller_headers):
    order_id = shipped_order(client, db, drain, operator_headers, seller_headers, lines=1)
    gesture(client, seller_headers, order_id, 1)
    drain()
    items = {
        i["indicator"]: i
        for i in client.get("/seller/v2/sellers/indicators", headers=seller_headers).json()["items"]
    }
    assert (items["order_refunds"]["numerator"], items["order_refunds"]["denominator"]) == (1, 1)
