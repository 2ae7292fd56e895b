"""Messages over HTTP (spec 13.5 to 13.7): who spoke last sets the process status, unread counts,
JSON Patch as real clients send it, both shapes of POST /messages, and tenancy."""

from __future__ import annotations

from conftest import assert_problem
from discussions.support import (
    SELLER,
    customer_writes,
    discussion,
    escalate,
    opened,
    order_in,
    reply,
)

CLOSE = [{"op": "replace", "path": "/isOpen", "value": False}]


def _customer_discussion(client, db, drain, operator_headers, seller_headers) -> str:
    order_id = order_in(client, db, drain, operator_headers, seller_headers)["orderId"]
    return opened(client, operator_headers, order_id)


def test_who_spoke_last_sets_the_process_status(client, db, drain, operator_headers, seller_headers):
    discussion_id = _customer_discussion(client, db, drain, operator_headers, seller_headers)
    body = discussion(client, seller_headers, discussion_id)
    assert (body["processStatus"], body["unreadMessageCount"]) == ("ToTreat", 1)
    r = reply(client, seller_headers, discussion_id, receivers=[{"userId": "c-1", "userType": "Customer"}])
    assert r.status_code == 201, r.text
    message = r.json()
    assert message["sender"] == {"userType": "Seller", "userId": "98979"}
    assert message["receivers"] == [{"userType": "Customer", "userId": "c-1"}]
    body = discussion(client, seller_headers, discussion_id)
    assert (body["processStatus"], body["messageCount"], body["escalationDueAt"]) == ("Treated", 2, None)
    assert customer_writes(client, operator_headers, discussion_id).status_code == 201
    assert customer_writes(client, operator_headers, discussion_id).status_code == 201
    body = discussion(client, seller_headers, discussion_id)
    assert (body["processStatus"], body["unreadMessageCount"], body["messageCount"]) == ("ToTreat", 3, 4)
    assert [m["sender"]["userType"] for m in body["messages"]] == [
        "Customer",
        "Seller",
        "Customer",
        "Customer",
    ]


def test_the_seller_marks_messages_read(client, db, drain, operator_headers, seller_headers):
    discussion_id = _customer_discussion(client, db, drain, operator_headers, seller_headers)
    customer_writes(client, operator_headers, discussion_id)
    first, second = (m["messageId"] for m in discussion(client, seller_headers, discussion_id)["messages"])
    r = client.patch(
        f"{SELLER}/messages/{first}",
        json=[{"op": "replace", "path": "/hasRead", "value": True}],
        headers=seller_headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["hasRead"] is True
    assert discussion(client, seller_headers, discussion_id)["unreadMessageCount"] == 1
    # One SDK's spelling: `opt`, a string boolean, the JSON Patch media type.
    sdk = client.patch(
        f"{SELLER}/messages/{second}",
        content=b'[{"opt": "replace", "path": "/hasRead", "value": "true"}]',
        headers={**seller_headers, "Content-Type": "application/json-patch+json"},
    )
    assert sdk.status_code == 200, sdk.text
    again = client.patch(
        f"{SELLER}/messages/{second}",
        json={"op": "replace", "path": "/hasRead", "value": True},
        headers=seller_headers,
    )
    assert again.status_code == 200  # already read: nothing changes
    assert discussion(client, seller_headers, discussion_id)["unreadMessageCount"] == 0
    unread = [{"op": "replace", "path": "/hasRead", "value": False}]
    assert (
        client.patch(f"{SELLER}/messages/{first}", json=unread, headers=seller_headers).json()["hasRead"]
        is False
    )
    assert discussion(client, seller_headers, discussion_id)["unreadMessageCount"] == 1
    # The seller's own messages are marked read by their receivers, not by the seller.
    mine = reply(client, seller_headers, discussion_id).json()["messageId"]
    read = [{"op": "replace", "path": "/hasRead", "value": True}]
    assert_problem(client.patch(f"{SELLER}/messages/{mine}", json=read, headers=seller_headers), 409)
    r = client.patch(f"/operator/v1/messages/{mine}", json=read, headers=operator_headers)
    assert r.status_code == 200 and r.json()["hasRead"] is True
    assert_problem(client.patch(f"/operator/v1/messages/{first}", json=read, headers=operator_headers), 409)
    for bad in (
        [{"op": "replace", "path": "/body", "value": True}],
        [{"op": "remove", "path": "/hasRead"}],
        [{"op": "replace", "path": "/hasRead", "value": "maybe"}],
        [],
    ):
        assert_problem(client.patch(f"{SELLER}/messages/{first}", json=bad, headers=seller_headers), 400)
    assert_problem(client.patch(f"{SELLER}/messages/NOPE", json=read, headers=seller_headers), 404)


def test_close_and_reopen(client, db, drain, operator_headers, seller_headers):
    discussion_id = _customer_discussion(client, db, drain, operator_headers, seller_headers)
    r = client.patch(f"{SELLER}/discussions/{discussion_id}", json=CLOSE, headers=seller_headers)
    assert r.status_code == 200, r.text
    closed = r.json()
    assert closed["isOpen"] is False and closed["closedAt"] and closed["escalationDueAt"] is None
    assert_problem(reply(client, seller_headers, discussion_id), 409)
    assert_problem(customer_writes(client, operator_headers, discussion_id), 409)
    assert_problem(escalate(client, operator_headers, discussion_id), 409)
    # The SDK's reopening: `opt`, the string "true", sent bare as one operation.
    r = client.patch(
        f"{SELLER}/discussions/{discussion_id}",
        json={"opt": "replace", "path": "/isOpen", "value": "true"},
        headers=seller_headers,
    )
    assert r.status_code == 200, r.text
    reopened = r.json()
    # Still waiting for the seller: the delay starts again.
    assert reopened["isOpen"] is True and reopened["closedAt"] is None and reopened["escalationDueAt"]
    assert reply(client, seller_headers, discussion_id).status_code == 201
    closing = client.post(
        f"/operator/v1/discussions/{discussion_id}/closure",
        json={"userType": "Customer"},
        headers=operator_headers,
    )
    assert closing.status_code == 200 and closing.json()["isOpen"] is False
    # The JSON Patch media type, as clients send it, reopens it; customer service closes it again.
    r = client.patch(
        f"{SELLER}/discussions/{discussion_id}",
        content=b'[{"op": "replace", "path": "/isOpen", "value": true}]',
        headers={**seller_headers, "Content-Type": "application/json-patch+json"},
    )
    assert r.status_code == 200 and r.json()["isOpen"] is True
    as_seller = client.post(
        f"/operator/v1/discussions/{discussion_id}/closure",
        json={"userType": "Seller"},
        headers=operator_headers,
    )
    assert_problem(as_seller, 400)
    closing = client.post(
        f"/operator/v1/discussions/{discussion_id}/closure",
        json={"userType": "GrcOperator"},
        headers=operator_headers,
    )
    assert closing.status_code == 200 and closing.json()["isOpen"] is False
    assert_problem(
        client.post("/operator/v1/discussions/NOPE/closure", json={}, headers=operator_headers), 404
    )
    assert_problem(client.get("/operator/v1/discussions/NOPE", headers=operator_headers), 404)
    assert_problem(
        client.patch(
            f"{SELLER}/discussions/{discussion_id}",
            json=[{"op": "replace", "path": "/subject", "value": "x"}],
            headers=seller_headers,
        ),
        400,
    )


def test_both_shapes_of_a_reply(client, db, drain, operator_headers, seller_headers):
    discussion_id = _customer_discussion(client, db, drain, operator_headers, seller_headers)
    single = reply(client, seller_headers, discussion_id, receiver="Customer", salesChannel="SELLZZ")
    assert single.status_code == 201, single.text
    assert single.json()["receivers"] == [{"userType": "Customer", "userId": "c-1"}]
    bare = reply(client, seller_headers, discussion_id)
    assert bare.status_code == 201 and bare.json()["receivers"][0]["userType"] == "Customer"
    cases = {
        "receivers[0]": {"receivers": [{"userType": "GrcOperator"}]},  # no customer service yet
        "receiver": {"receiver": "Robot"},
        "receivers[1]": {"receivers": [{"userType": "Customer"}, {"userType": "Customer", "userId": "c-2"}]},
        "body": {"body": "Too short.12"},
        "salesChannel": {"salesChannel": "CDISFR"},
    }
    for field, extra in cases.items():
        problem = assert_problem(reply(client, seller_headers, discussion_id, **extra), 400)
        assert field in problem["errors"], (field, problem)
    assert_problem(reply(client, seller_headers, discussion_id, body="x" * 5001), 400)
    assert reply(client, seller_headers, discussion_id, body="x" * 5000).status_code == 201
    assert reply(client, seller_headers, discussion_id, body="x" * 13).status_code == 201
    missing = client.post(f"{SELLER}/messages", json={"body": "x" * 20}, headers=seller_headers)
    assert "discussionId" in assert_problem(missing, 400)["errors"]
    assert_problem(reply(client, seller_headers, "NOPE"), 404)
    text = client.post(
        f"{SELLER}/messages", content=b"hello", headers={**seller_headers, "Content-Type": "text/plain"}
    )
    assert_problem(text, 415)


def test_customer_service_can_be_answered_once_it_took_part(
    client, db, drain, operator_headers, seller_headers
):
    discussion_id = _customer_discussion(client, db, drain, operator_headers, seller_headers)
    r = customer_writes(client, operator_headers, discussion_id, userType="GrcOperator", userId="agent-3")
    assert r.status_code == 201, r.text
    assert r.json()["sender"] == {"userType": "GrcOperator", "userId": "agent-3"}
    answer = reply(
        client,
        seller_headers,
        discussion_id,
        receivers=[
            {"userType": "Customer", "userId": "c-1"},
            {"userType": "GrcOperator", "userId": "agent-3"},
        ],
    )
    assert answer.status_code == 201, answer.text
    assert [u["userType"] for u in answer.json()["receivers"]] == ["Customer", "GrcOperator"]
    assert_problem(customer_writes(client, operator_headers, discussion_id, userId="c-2"), 400)
    assert_problem(customer_writes(client, operator_headers, discussion_id, userType="Seller"), 400)
    assert_problem(customer_writes(client, operator_headers, "NOPE"), 404)


def test_another_sellers_discussion_is_not_found(
    client, db, drain, operator_headers, seller_headers, other_headers
):
    discussion_id = _customer_discussion(client, db, drain, operator_headers, seller_headers)
    message_id = discussion(client, seller_headers, discussion_id)["messages"][0]["messageId"]
    read = [{"op": "replace", "path": "/hasRead", "value": True}]
    assert_problem(client.get(f"{SELLER}/discussions/{discussion_id}", headers=other_headers), 404)
    assert_problem(
        client.patch(f"{SELLER}/discussions/{discussion_id}", json=CLOSE, headers=other_headers), 404
    )
    assert_problem(reply(client, other_headers, discussion_id), 404)
    assert_problem(client.patch(f"{SELLER}/messages/{message_id}", json=read, headers=other_headers), 404)
    assert_problem(
        client.get(f"{SELLER}/attachments", params={"discussionId": discussion_id}, headers=other_headers),
        404,
    )
    assert_problem(
        client.get(f"{SELLER}/attachments", params={"messageId": message_id}, headers=other_headers), 404
    )
    assert client.get(f"{SELLER}/discussions", headers=other_headers).json()["items"] == []
    assert client.get(f"{SELLER}/discussions/count", headers=other_headers).json() == 0
    assert client.get(f"{SELLER}/discussions/count", headers=seller_headers).json() == 1
    assert discussion(client, seller_headers, discussion_id)["messages"][0]["hasRead"] is False
