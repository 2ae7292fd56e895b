"""Cancellation reasons and requests over HTTP (spec 12.8 to 12.11), seller and marketplace sides."""

from __future__ import annotations

from typing import Any

from conftest import assert_problem
from fulfillment.ref_support import warehouse_offer
from order_helpers import make_offer, place, row_offer_id, stock

PARCEL = {"parcelNumber": "PARCEL-001", "carrierName": "Colissimo"}
REASONS = "/seller/v2/cancellation-reasons"
FULL = "/seller/v2/order-cancellation-requests"
PARTIAL = "/seller/v2/order-partial-cancellation-requests"


def order_of(client: Any, headers: dict[str, str], order_id: str) -> dict[str, Any]:
    r = client.get(f"/seller/v2/orders/{order_id}", headers=headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def two_line_order(
    client: Any, db: Any, drain: Any, operator_headers: dict[str, str], channel: str = "SELLZZ"
) -> str:
    make_offer(db, channel=channel, reference="A", quantity=5)
    make_offer(db, channel=channel, reference="B", quantity=5)
    lines = [{"sellerId": "98979", "sellerExternalReference": ref, "quantity": 1} for ref in ("A", "B")]
    return str(place(client, operator_headers, drain, channel=channel, lines=lines)["orderId"])


def approve(client: Any, headers: dict[str, str], drain: Any, order_id: str) -> None:
    r = client.post(
        f"/seller/v2/orders/{order_id}/approval-status", json={"approval_status": "Accepted"}, headers=headers
    )
    assert r.status_code == 204, r.text
    drain()


def line_ask(line: dict[str, Any], reason: str = "seller-out-of-stock", **extra: Any) -> dict[str, Any]:
    return {"lineId": line["orderLineId"], "offerId": line["offer"]["id"], "reason": reason, **extra}


def reason_codes(
    client: Any, headers: dict[str, str], channel: str, user_type: str, status: str
) -> list[str]:
    r = client.get(
        REASONS,
        params={"salesChannel": channel, "userType": user_type, "orderStatus": status},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["itemsPerPage"] == len(body["items"]) and all(i["label"] for i in body["items"])
    return [i["code"] for i in body["items"]]


# --- reasons --------------------------------------------------------------------------------------


def test_reasons_vary_by_channel_requester_and_status(client, seller_headers):
    cdis = reason_codes(client, seller_headers, "CDISFR", "Seller", "WaitingAcceptance")
    assert {"seller-refusal", "seller-out-of-stock", "reference-mistake", "missing-product"} <= set(cdis)
    assert "seller-refusal" not in reason_codes(
        client, seller_headers, "SELLZZ", "Seller", "WaitingAcceptance"
    )
    by_status = [
        reason_codes(client, seller_headers, "CDISFR", "Seller", status)
        for status in ("WaitingAcceptance", "Accepted", "InPreparation", "Shipped", "Delivered")
    ]
    assert [len(x) for x in by_status] == sorted((len(x) for x in by_status), reverse=True)
    assert len(by_status[0]) > len(by_status[2]) > len(by_status[4]) > 0
    assert "parcel-lost" in by_status[3] and "seller-out-of-stock" not in by_status[3]
    customer = reason_codes(client, seller_headers, "CDISFR", "Customer", "Accepted")
    assert "customer-withdrawal" in customer and not set(customer) & set(by_status[1])
    assert reason_codes(client, seller_headers, "SELLZZ", "Customer", "Shipped") == []
    assert reason_codes(client, seller_headers, "SELLZZ", "Seller", "Cancelled") == []
    assert "fraud-suspicion" in reason_codes(client, seller_headers, "SELLZZ", "CustomerService", "Accepted")


def test_reasons_query_is_validated(client, seller_headers):
    body = assert_problem(client.get(REASONS, headers=seller_headers), 400)
    assert set(body["errors"]) == {"salesChannel", "userType", "orderStatus"}
    bad = {"salesChannel": "NOPE", "userType": "Robot", "orderStatus": "Lost"}
    body = assert_problem(client.get(REASONS, params=bad, headers=seller_headers), 400)
    assert set(body["errors"]) == {"salesChannel", "userType", "orderStatus"}
    # Query names in any casing, and the channel as salesChannelId.
    r = client.get(
        REASONS,
        params={"SalesChannelId": "SELLZZ", "usertype": "Seller", "orderStatus": "Shipped"},
        headers=seller_headers,
    )
    assert r.status_code == 200 and r.json()["items"]


# --- seller requests ------------------------------------------------------------------------------


def test_full_cancellation_goes_through_cancel_request_then_cancelled(
    client, db, drain, operator_headers, seller_headers
):
    offer = make_offer(db, quantity=3)
    order_id = place(
        client,
        operator_headers,
        drain,
        lines=[{"sellerId": "98979", "sellerExternalReference": "REF1", "quantity": 2}],
    )["orderId"]
    assert stock(db, offer["offer_id"])[0] == 1
    r = client.post(
        FULL,
        json={"orderSellerId": order_id, "reason": "seller-out-of-stock", "shippingCostRefund": True},
        headers=seller_headers,
    )
    assert r.status_code == 201, r.text
    created = r.json()
    request_id = created["cancellationRequestId"]
    assert created["requestId"] == request_id and created["partialCancellationRequestId"] is None
    assert created["status"] == "InProgress" and created["cancellationType"] == "Total"
    assert (created["requesterType"], created["requesterId"]) == ("Seller", "98979")
    assert [x["status"] for x in created["lines"]] == ["InProgress"]
    order = order_of(client, seller_headers, order_id)
    assert order["status"] == "InPreparation" and order["lines"][0]["status"] == "CancelRequest"
    drain()
    order = order_of(client, seller_headers, order_id)
    assert order["status"] == "Cancelled" and order["lines"][0]["status"] == "Cancelled"
    assert stock(db, offer["offer_id"])[0] == 3
    assert order["statusEvents"][-1] == {
        **order["statusEvents"][-1],
        "status": "Cancelled",
        "actor": "Seller",
    }
    listed = client.get(FULL, params={"cancellationRequestId": request_id}, headers=seller_headers).json()
    line = listed["items"][0]["lines"][0]
    assert listed["items"][0]["status"] == "Accepted" and line["status"] == "Accepted"
    # 19.99 x 2 with shipping 4.90 + 1.00 for the second unit.
    assert line["refund"] == {
        "productAmount": 39.98,
        "shippingAmount": 5.9,
        "totalAmount": 45.88,
        "currencyCode": "EUR",
    }
    again = client.post(
        FULL, json={"orderSellerId": order_id, "reason": "seller-out-of-stock"}, headers=seller_headers
    )
    assert_problem(again, 409)


def test_full_cancellation_refusals(client, db, drain, operator_headers, seller_headers, other_headers):
    make_offer(db)
    order_id = place(client, operator_headers, drain)["orderId"]
    body = assert_problem(
        client.post(
            FULL, json={"orderSellerId": order_id, "reason": "seller-refusal"}, headers=seller_headers
        ),
        400,
    )
    assert "seller-out-of-stock" in body["errors"]["reason"][0]
    body = assert_problem(
        client.post(FULL, json={"reason": "seller-out-of-stock"}, headers=seller_headers), 400
    )
    assert "orderSellerId" in body["errors"]
    assert (
        "reason"
        in assert_problem(client.post(FULL, json={"orderSellerId": order_id}, headers=seller_headers), 400)[
            "errors"
        ]
    )
    for headers, order in ((seller_headers, "2611010000NOPE"), (other_headers, order_id)):
        r = client.post(FULL, json={"orderSellerId": order, "reason": "seller-out-of-stock"}, headers=headers)
        assert_problem(r, 404)
    # One SDK sends orderId: it works too, and property names in any casing.
    r = client.post(FULL, json={"OrderId": order_id, "Reason": "customer-request"}, headers=seller_headers)
    assert r.status_code == 201, r.text


def test_full_cancellation_refused_after_a_partial_one(client, db, drain, operator_headers, seller_headers):
    order_id = two_line_order(client, db, drain, operator_headers)
    a, _ = order_of(client, seller_headers, order_id)["lines"]
    r = client.post(PARTIAL, json={"orderSellerId": order_id, "lines": [line_ask(a)]}, headers=seller_headers)
    assert r.status_code == 201, r.text
    # Requests have no route of their own: Content-Location names the list filtered on the new id.
    location = r.headers["content-location"]
    assert (
        location == f"/order-cancellation-requests?cancellationRequestId={r.json()['cancellationRequestId']}"
    )
    assert r.headers["location"] == f"{client.base_url}/seller/v2{location}"
    listed = client.get(f"/seller/v2{location}", headers=seller_headers).json()["items"]
    assert [x["cancellationRequestId"] for x in listed] == [r.json()["cancellationRequestId"]]
    body = assert_problem(
        client.post(
            FULL, json={"orderSellerId": order_id, "reason": "seller-out-of-stock"}, headers=seller_headers
        ),
        409,
    )
    assert a["orderLineId"] in body["detail"]
    drain()
    assert_problem(
        client.post(
            FULL, json={"orderSellerId": order_id, "reason": "seller-out-of-stock"}, headers=seller_headers
        ),
        409,
    )


def test_partial_cancellation_rules(client, db, drain, operator_headers, seller_headers):
    order_id = two_line_order(client, db, drain, operator_headers)
    a, b = order_of(client, seller_headers, order_id)["lines"]
    cases = [
        ({"lines": [{**line_ask(a), "offerId": b["offer"]["id"]}]}, "lines[0].offerId"),
        ({"lines": [{**line_ask(a), "offerId": None}]}, "lines[0].offerId"),
        ({"lines": [{**line_ask(a), "lineId": "ZZZZ"}]}, "lines[0].lineId"),
        ({"lines": [line_ask(a), line_ask(a)]}, "lines[1].lineId"),
        ({"lines": [{**line_ask(a), "reason": None}]}, "lines[0].reason"),
        ({"lines": [line_ask(a, "parcel-lost")]}, "lines[0].reason"),
        ({"lines": []}, "lines"),
    ]
    for body, field in cases:
        problem = assert_problem(
            client.post(PARTIAL, json={"orderSellerId": order_id, **body}, headers=seller_headers), 400
        )
        assert field in problem["errors"], (body, problem)
    # A top-level reason serves lines without one; the offer may be named by the row id that order
    # lines showed before the composite id, even as a number.
    body = {
        "orderSellerId": order_id,
        "reason": "reference-mistake",
        "lines": [{**line_ask(a), "reason": None}],
    }
    body["lines"][0]["offerId"] = row_offer_id(db, "A")
    r = client.post(PARTIAL, json=body, headers=seller_headers)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["partialCancellationRequestId"] == created["cancellationRequestId"]
    assert created["lines"][0]["reason"] == "reference-mistake" and created["cancellationType"] == "Partial"
    # The same line again: 409, before and after it is cancelled.
    assert_problem(
        client.post(
            PARTIAL, json={"orderSellerId": order_id, "lines": [line_ask(a)]}, headers=seller_headers
        ),
        409,
    )
    drain()
    assert_problem(
        client.post(
            PARTIAL, json={"orderSellerId": order_id, "lines": [line_ask(a)]}, headers=seller_headers
        ),
        409,
    )
    order = order_of(client, seller_headers, order_id)
    assert order["status"] == "InPreparation" and [x["status"] for x in order["lines"]] == [
        "Cancelled",
        "InPreparation",
    ]
    # The last line too: the order is then Cancelled.
    assert (
        client.post(
            PARTIAL, json={"orderSellerId": order_id, "lines": [line_ask(b)]}, headers=seller_headers
        ).status_code
        == 201
    )
    drain()
    assert order_of(client, seller_headers, order_id)["status"] == "Cancelled"


def test_partial_cancellation_needs_line_level_management(
    client, db, drain, operator_headers, seller_headers
):
    order_id = two_line_order(client, db, drain, operator_headers, channel="CDISFR")
    a, b = order_of(client, seller_headers, order_id)["lines"]
    reason = "seller-refusal"
    r = client.post(
        PARTIAL, json={"orderSellerId": order_id, "lines": [line_ask(a, reason)]}, headers=seller_headers
    )
    assert "POST /order-cancellation-requests" in assert_problem(r, 409)["detail"]
    # Naming every line is cancelling the whole order: accepted.
    body = {"orderSellerId": order_id, "lines": [line_ask(a, reason), line_ask(b, reason)]}
    assert client.post(PARTIAL, json=body, headers=seller_headers).status_code == 201
    drain()
    assert order_of(client, seller_headers, order_id)["status"] == "Cancelled"


def test_cancelling_the_unshipped_rest_completes_the_shipment(
    client, db, drain, operator_headers, seller_headers
):
    order_id = two_line_order(client, db, drain, operator_headers)
    a, b = order_of(client, seller_headers, order_id)["lines"]
    r = client.post(
        f"/seller/v2/orders/{order_id}/shipments",
        json=[{**PARCEL, "orderLineIds": [a["orderLineId"]]}],
        headers=seller_headers,
    )
    assert r.status_code == 201
    # The shipped line takes Shipped reasons only; the other InPreparation ones.
    assert_problem(
        client.post(
            PARTIAL, json={"orderSellerId": order_id, "lines": [line_ask(a)]}, headers=seller_headers
        ),
        400,
    )
    r = client.post(PARTIAL, json={"orderSellerId": order_id, "lines": [line_ask(b)]}, headers=seller_headers)
    assert r.status_code == 201
    drain()
    order = order_of(client, seller_headers, order_id)
    assert order["status"] == "Shipped" and [x["status"] for x in order["lines"]] == ["Shipped", "Cancelled"]


def test_fulfillment_lines_cancel_only_once_shipped(client, db, drain, operator_headers, seller_headers):
    warehouse_offer(client, db, seller_headers, operator_headers, make_offer(db), 5)
    lines = [
        {"sellerId": "98979", "sellerExternalReference": "REF1", "quantity": 1, "supplyMode": "Fulfillment"}
    ]
    order_id = place(client, operator_headers, drain, lines=lines)["orderId"]
    body = {"orderSellerId": order_id, "reason": "seller-out-of-stock"}
    assert (
        "Shipped or Delivered"
        in assert_problem(client.post(FULL, json=body, headers=seller_headers), 409)["detail"]
    )
    r = client.post(
        f"/operator/v1/orders/{order_id}/warehouse-shipment",
        json={"parcelNumber": "WH-1", "carrierName": "GLS"},
        headers=operator_headers,
    )
    assert r.status_code == 200
    r = client.post(
        FULL,
        json={"orderSellerId": order_id, "reason": "parcel-lost", "shippingCostRefund": True},
        headers=seller_headers,
    )
    assert r.status_code == 201, r.text
    drain()
    assert order_of(client, seller_headers, order_id)["status"] == "Cancelled"


def test_delivered_order_refund_keeps_it_delivered(client, db, drain, operator_headers, seller_headers):
    make_offer(db)
    order_id = place(client, operator_headers, drain)["orderId"]
    assert (
        client.post(
            f"/seller/v2/orders/{order_id}/shipments", json=PARCEL, headers=seller_headers
        ).status_code
        == 201
    )
    assert (
        client.post(f"/operator/v1/orders/{order_id}/delivery", headers=operator_headers).status_code == 200
    )
    body = {"orderSellerId": order_id, "reason": "product-returned"}
    assert client.post(FULL, json=body, headers=seller_headers).status_code == 201
    drain()
    order = order_of(client, seller_headers, order_id)
    assert order["status"] == "Delivered" and order["lines"][0]["status"] == "Cancelled"


def test_not_yet_actionable_or_final_orders_refuse(client, db, drain, operator_headers, seller_headers):
    make_offer(db, quantity=0)
    rejected = place(client, operator_headers, drain)["orderId"]
    assert order_of(client, seller_headers, rejected)["status"] == "Rejected"
    body = {"orderSellerId": rejected, "reason": "seller-out-of-stock"}
    assert "Rejected" in assert_problem(client.post(FULL, json=body, headers=seller_headers), 409)["detail"]


def test_seller_refusal_before_approval_on_cdiscount(client, db, drain, operator_headers, seller_headers):
    offer = make_offer(db, channel="CDISFR", quantity=1)
    order_id = place(client, operator_headers, drain, channel="CDISFR")["orderId"]
    assert stock(db, offer["offer_id"])[0] == 0
    body = {"orderSellerId": order_id, "reason": "seller-refusal"}
    assert client.post(FULL, json=body, headers=seller_headers).status_code == 201
    drain()
    assert order_of(client, seller_headers, order_id)["status"] == "Cancelled"
    assert stock(db, offer["offer_id"]) == (1, "Active")


# --- listing --------------------------------------------------------------------------------------


def test_listing_requires_a_filter_and_filters(
    client, db, drain, operator_headers, seller_headers, other_headers
):
    order_id = two_line_order(client, db, drain, operator_headers)
    a, b = order_of(client, seller_headers, order_id)["lines"]
    first = client.post(
        PARTIAL, json={"orderSellerId": order_id, "lines": [line_ask(a)]}, headers=seller_headers
    ).json()
    second = client.post(
        PARTIAL, json={"orderSellerId": order_id, "lines": [line_ask(b)]}, headers=seller_headers
    ).json()
    body = assert_problem(client.get(FULL, headers=seller_headers), 400)
    assert {"orderSellerId", "cancellationRequestId"} <= set(body["errors"])
    assert_problem(client.get(FULL, params={"lineId": a["orderLineId"]}, headers=seller_headers), 400)

    def ids(**params: Any) -> list[str]:
        r = client.get(FULL, params=params, headers=seller_headers)
        assert r.status_code == 200, r.text
        return [x["cancellationRequestId"] for x in r.json()["items"]]

    both = [second["cancellationRequestId"], first["cancellationRequestId"]]
    assert sorted(ids(orderSellerId=order_id)) == sorted(both)
    assert ids(orderSellerId=order_id, lineId=b["orderLineId"]) == [second["cancellationRequestId"]]
    assert ids(orderSellerId=order_id, offerId=a["offer"]["id"]) == [first["cancellationRequestId"]]
    assert ids(orderSellerId=order_id, salesChannel="CDISFR") == []
    assert ids(cancellationRequestId=first["cancellationRequestId"]) == [first["cancellationRequestId"]]
    r = client.get(FULL, params={"orderSellerId": order_id, "pageSize": 1}, headers=seller_headers)
    assert r.json()["itemsPerPage"] == 1 and 'rel="next"' in r.headers["link"]
    page2 = client.get(
        FULL, params={"orderSellerId": order_id, "pageSize": 1, "pageIndex": 2}, headers=seller_headers
    )
    assert len(page2.json()["items"]) == 1 and 'rel="next"' not in page2.headers["link"]
    assert_problem(
        client.get(FULL, params={"orderSellerId": order_id, "pageSize": 101}, headers=seller_headers), 400
    )
    # Another seller's requests are not found.
    r = client.get(
        FULL, params={"cancellationRequestId": first["cancellationRequestId"]}, headers=other_headers
    )
    assert r.status_code == 200 and r.json()["items"] == []


# --- customer requests and the marketplace's decision ---------------------------------------------


def customer_request(client: Any, operator_headers: dict[str, str], order_id: str, **body: Any) -> Any:
    return client.post(
        f"/operator/v1/orders/{order_id}/customer-cancellation-requests",
        json={"reason": "customer-withdrawal", **body},
        headers=operator_headers,
    )


def decide(client: Any, operator_headers: dict[str, str], request_id: str, decision: str) -> Any:
    return client.post(
        f"/operator/v1/cancellation-requests/{request_id}/decision",
        json={"decision": decision, "message": "Checked with the customer."},
        headers=operator_headers,
    )


def test_customer_request_granted_by_the_marketplace(client, db, drain, operator_headers, seller_headers):
    offer = make_offer(db, quantity=2)
    order_id = place(client, operator_headers, drain)["orderId"]
    r = customer_request(client, operator_headers, order_id)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["requesterType"] == "Customer" and created["requesterId"] == "c-1"
    drain()  # customer requests wait for the marketplace
    order = order_of(client, seller_headers, order_id)
    assert order["lines"][0]["status"] == "CancelRequest" and order["status"] == "InPreparation"
    # The seller sees it, and cannot ship it on a channel without the Cdiscount exception.
    listed = client.get(FULL, params={"orderSellerId": order_id}, headers=seller_headers).json()["items"]
    assert [x["requesterType"] for x in listed] == ["Customer"]
    assert_problem(
        client.post(f"/seller/v2/orders/{order_id}/shipments", json=PARCEL, headers=seller_headers), 409
    )
    r = decide(client, operator_headers, created["cancellationRequestId"], "Accepted")
    assert r.status_code == 200 and r.json()["status"] == "Accepted"
    assert r.json()["lines"][0]["refund"]["shippingAmount"] == 4.9
    assert order_of(client, seller_headers, order_id)["status"] == "Cancelled"
    assert stock(db, offer["offer_id"])[0] == 2
    assert_problem(decide(client, operator_headers, created["cancellationRequestId"], "Refused"), 409)
    assert_problem(decide(client, operator_headers, "no-such-request", "Refused"), 404)


def test_customer_request_refused_gives_the_lines_back(client, db, drain, operator_headers, seller_headers):
    order_id = two_line_order(client, db, drain, operator_headers)
    a, b = order_of(client, seller_headers, order_id)["lines"]
    created = customer_request(client, operator_headers, order_id, lineIds=[b["orderLineId"]]).json()
    assert created["cancellationType"] == "Partial"
    assert_problem(customer_request(client, operator_headers, order_id, lineIds=[b["orderLineId"]]), 409)
    r = decide(client, operator_headers, created["cancellationRequestId"], "Refused")
    assert r.status_code == 200
    line = r.json()["lines"][0]
    assert r.json()["status"] == "Refused" and line["error"]["code"] == "RefusedByMarketplace"
    order = order_of(client, seller_headers, order_id)
    assert [x["status"] for x in order["lines"]] == ["InPreparation", "InPreparation"]


def test_customer_request_validation(client, db, drain, operator_headers, seller_headers):
    make_offer(db)
    order_id = place(client, operator_headers, drain)["orderId"]
    assert_problem(customer_request(client, operator_headers, order_id, reason="seller-out-of-stock"), 400)
    assert_problem(customer_request(client, operator_headers, order_id, lineIds=["ZZZZ"]), 400)
    assert_problem(customer_request(client, operator_headers, "2611010000NOPE"), 404)
    assert (
        client.post(
            f"/seller/v2/orders/{order_id}/shipments", json=PARCEL, headers=seller_headers
        ).status_code
        == 201
    )
    # Once shipped, a customer returns the product rather than cancelling.
    assert_problem(customer_request(client, operator_headers, order_id), 409)


def test_cdiscount_seller_may_ship_what_the_customer_asked_to_cancel(
    client, db, drain, operator_headers, seller_headers
):
    make_offer(db, channel="CDISFR")
    order_id = place(client, operator_headers, drain, channel="CDISFR")["orderId"]
    approve(client, seller_headers, drain, order_id)
    created = customer_request(client, operator_headers, order_id).json()
    r = client.post(f"/seller/v2/orders/{order_id}/shipments", json=PARCEL, headers=seller_headers)
    assert r.status_code == 201, r.text
    assert order_of(client, seller_headers, order_id)["status"] == "Shipped"
    r = decide(client, operator_headers, created["cancellationRequestId"], "Accepted")
    assert r.json()["status"] == "Refused" and r.json()["lines"][0]["error"]["code"] == "LineShipped"
    assert order_of(client, seller_headers, order_id)["status"] == "Shipped"


def test_seller_cancellation_grants_the_customer_request(client, db, drain, operator_headers, seller_headers):
    make_offer(db, channel="CDISFR")
    order_id = place(client, operator_headers, drain, channel="CDISFR")["orderId"]
    asked = customer_request(client, operator_headers, order_id, reason="better-price-found").json()
    r = client.post(
        FULL, json={"orderSellerId": order_id, "reason": "customer-request"}, headers=seller_headers
    )
    assert r.status_code == 201, r.text
    drain()
    statuses = {
        x["requesterType"]: x["status"]
        for x in client.get(FULL, params={"orderSellerId": order_id}, headers=seller_headers).json()["items"]
    }
    assert statuses == {"Customer": "Accepted", "Seller": "Accepted"}
    assert order_of(client, seller_headers, order_id)["status"] == "Cancelled"
    assert asked["status"] == "InProgress"
