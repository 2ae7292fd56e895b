"""Listing and counting discussions over HTTP (spec 13.1, 13.2): every filter, the six-month window,
messages on demand, sorts and pages."""

from __future__ import annotations

from datetime import timedelta

from comptoir import clock
from conftest import assert_problem
from discussions.support import (
    OPERATOR,
    SELLER,
    customer_writes,
    escalate,
    opened,
    order_in,
    reply,
    seller_opens,
)

DISCUSSIONS = f"{SELLER}/discussions"


def _iso(delta: timedelta) -> str:
    return (clock.now() + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ids(client, headers, **params) -> list[str]:
    r = client.get(DISCUSSIONS, params=params, headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["itemsPerPage"] == len(body["items"])
    return [i["discussionId"] for i in body["items"]]


def test_filters_and_messages_on_demand(client, db, drain, operator_headers, seller_headers):
    shipped = order_in(client, db, drain, operator_headers, seller_headers)["orderId"]
    other = order_in(client, db, drain, operator_headers, seller_headers)["orderId"]
    mine = seller_opens(client, seller_headers, shipped).json()["id"]  # Treated
    theirs = opened(client, operator_headers, shipped)  # ToTreat
    customer_writes(client, operator_headers, theirs, body="A second message from me.")
    closed = opened(client, operator_headers, other, sub="wrongProductReceived")
    close = [{"op": "replace", "path": "/isOpen", "value": False}]
    client.patch(f"{DISCUSSIONS}/{closed}", json=close, headers=seller_headers)
    question = opened(client, operator_headers, other, sub="orderNotShipped")

    everything = _ids(client, seller_headers)
    assert everything == [question, closed, theirs, mine]  # latest update first
    assert _ids(client, seller_headers, discussionId=theirs) == [theirs]
    assert _ids(client, seller_headers, orderSellerId=shipped) == [theirs, mine]
    assert _ids(client, seller_headers, salesChannel="SELLZZ") == everything
    assert _ids(client, seller_headers, salesChannel="CDISFR") == []
    assert _ids(client, seller_headers, isOpen="false") == [closed]
    assert _ids(client, seller_headers, isOpen="true") == [question, theirs, mine]
    assert _ids(client, seller_headers, processStatus="Treated") == [mine]
    assert _ids(client, seller_headers, processStatus="ToTreat", isOpen=True) == [question, theirs]
    assert _ids(client, seller_headers, typologyCode="order") == everything
    assert _ids(client, seller_headers, typologyCode="Product") == []
    assert _ids(client, seller_headers, subTypologyCode="broken-product") == [mine]
    assert _ids(client, seller_headers, sort="asc:updatedAt") == everything[::-1]
    assert _ids(client, seller_headers, sort="createdAt", desc="false") == everything[::-1]
    assert _ids(client, seller_headers, sort="desc:createdAt") == everything

    plain = client.get(DISCUSSIONS, params={"discussionId": theirs}, headers=seller_headers).json()["items"][
        0
    ]
    assert "messages" not in plain and "eligibleRecipients" not in plain
    assert (plain["messageCount"], plain["unreadMessageCount"]) == (2, 2)
    first = client.get(
        DISCUSSIONS,
        params={"discussionId": theirs, "includeMessages": "FirstMessage"},
        headers=seller_headers,
    )
    [message] = first.json()["items"][0]["messages"]
    assert message["body"].startswith("The product arrived broken")
    last = client.get(
        DISCUSSIONS, params={"discussionId": theirs, "includeMessages": "LastMessage"}, headers=seller_headers
    )
    assert [m["body"] for m in last.json()["items"][0]["messages"]] == ["A second message from me."]
    every = client.get(DISCUSSIONS, params={"includeMessages": "LastMessage"}, headers=seller_headers).json()[
        "items"
    ]
    assert all(len(i["messages"]) == 1 for i in every)

    for params in (
        {"processStatus": "Done"},
        {"includeMessages": "AllMessages"},
        {"isOpen": "maybe"},
        {"sort": "subject"},
        {"typologyCode": "Weather"},
        {"pageSize": 101},
        {"pageIndex": 0},
        {"updatedAtMin": "yesterday"},
    ):
        assert_problem(client.get(DISCUSSIONS, params=params, headers=seller_headers), 400)


def test_the_search_window_is_six_months(client, db, drain, operator_headers, seller_headers):
    order_id = order_in(client, db, drain, operator_headers, seller_headers)["orderId"]
    discussion_id = opened(client, operator_headers, order_id)
    assert _ids(client, seller_headers, updatedAtMin=_iso(-timedelta(days=170))) == [discussion_id]
    assert _ids(client, seller_headers, updatedAtMax=_iso(timedelta(days=1))) == [discussion_id]
    assert _ids(client, seller_headers, updatedAtMax=_iso(-timedelta(days=1))) == []
    assert _ids(client, seller_headers, updatedAtMin=_iso(timedelta(days=1))) == []
    beyond = {"updatedAtMin": _iso(-timedelta(days=200))}
    assert (
        "updatedAtMin"
        in assert_problem(client.get(DISCUSSIONS, params=beyond, headers=seller_headers), 400)["errors"]
    )
    span = {"updatedAtMin": _iso(-timedelta(days=400)), "updatedAtMax": _iso(-timedelta(days=200))}
    assert_problem(client.get(DISCUSSIONS, params=span, headers=seller_headers), 400)
    ok = {"updatedAtMin": _iso(-timedelta(days=360)), "updatedAtMax": _iso(-timedelta(days=200))}
    assert _ids(client, seller_headers, **ok) == []
    reversed_ = {"updatedAtMin": _iso(timedelta(days=1)), "updatedAtMax": _iso(-timedelta(days=1))}
    assert_problem(client.get(DISCUSSIONS, params=reversed_, headers=seller_headers), 400)


def test_pages_and_links(client, db, drain, operator_headers, seller_headers):
    order_id = order_in(client, db, drain, operator_headers, seller_headers)["orderId"]
    subs = [
        "productIsDamaged",
        "wrongProductReceived",
        "missingItemInProduct",
        "orderNotShipped",
        "printReceipt",
    ]
    created = [opened(client, operator_headers, order_id, sub=sub) for sub in subs]
    page = client.get(DISCUSSIONS, params={"pageSize": 2}, headers=seller_headers)
    assert [i["discussionId"] for i in page.json()["items"]] == created[::-1][:2]
    assert 'rel="next"' in page.headers["link"] and 'rel="prev"' not in page.headers["link"]
    third = client.get(DISCUSSIONS, params={"pageSize": 2, "pageIndex": 3}, headers=seller_headers)
    assert [i["discussionId"] for i in third.json()["items"]] == [created[0]]
    assert 'rel="next"' not in third.headers["link"] and 'rel="prev"' in third.headers["link"]


def test_counts_take_their_four_filters(client, db, drain, operator_headers, seller_headers):
    order_id = order_in(client, db, drain, operator_headers, seller_headers)["orderId"]
    waiting = opened(client, operator_headers, order_id)
    answered = opened(client, operator_headers, order_id, sub="wrongProductReceived")
    reply(client, seller_headers, answered)
    escalate(client, operator_headers, waiting)
    closed = seller_opens(client, seller_headers, order_id).json()["id"]
    close = [{"op": "replace", "path": "/isOpen", "value": False}]
    client.patch(f"{DISCUSSIONS}/{closed}", json=close, headers=seller_headers)

    def count(**params):
        r = client.get(f"{DISCUSSIONS}/count", params=params, headers=seller_headers)
        assert r.status_code == 200, r.text
        return r.json()

    assert count() == 3
    assert count(salesChannel="SELLZZ") == 3 and count(salesChannel="CDISFR") == 0
    assert count(graduationCode="Claim") == 1 and count(graduationCode="Discussion") == 2
    assert count(processStatus="ToTreat") == 1 and count(processStatus="Treated") == 2
    assert count(isOpen="true") == 2 and count(isOpen=False) == 1
    assert count(graduationCode="Discussion", isOpen=True, processStatus="Treated") == 1
    # Other list filters are no count filters: they are ignored, as unknown parameters are.
    assert count(discussionId=waiting) == 3
    assert_problem(
        client.get(f"{DISCUSSIONS}/count", params={"graduationCode": "Level_2"}, headers=seller_headers), 400
    )
    channel = client.get(f"{OPERATOR}/channels/CDISFR", headers=operator_headers).json()
    assert channel["discussionEscalationHours"] == 48
    bad = client.patch(
        f"{OPERATOR}/channels/CDISFR", json={"discussionEscalationHours": 0}, headers=operator_headers
    )
    assert_problem(bad, 400)
