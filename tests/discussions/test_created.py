"""Every discussion create answers through the platform's one rule: Content-Location relative to the
API base, naming the new resource, and Location its absolute URL; statuses and bodies unchanged."""

from __future__ import annotations

from discussions.support import (
    OPERATOR,
    SELLER,
    customer_opens,
    customer_writes,
    order_in,
    reply,
    seller_opens,
)


def check_created(client, r, api, path):
    assert r.status_code == 201, r.text
    assert r.headers["content-location"] == path
    assert r.headers["location"] == f"{client.base_url}{api}{path}"
    assert r.headers["content-type"].startswith("application/json")


def test_seller_creates_name_the_discussion_and_the_message(
    client, db, drain, operator_headers, seller_headers
):
    order = order_in(client, db, drain, operator_headers, seller_headers)
    r = seller_opens(client, seller_headers, order["orderId"])
    discussion_id = r.json()["discussionId"]
    check_created(client, r, SELLER, f"/discussions/{discussion_id}")
    assert r.json() == {"discussionId": discussion_id, "id": discussion_id}
    # The id-bearing header leads to the discussion.
    read = client.get(f"{SELLER}{r.headers['content-location']}", headers=seller_headers)
    assert read.status_code == 200 and read.json()["discussionId"] == discussion_id

    answer = reply(client, seller_headers, discussion_id)
    check_created(client, answer, SELLER, f"/messages/{answer.json()['messageId']}")
    assert answer.json()["discussionId"] == discussion_id


def test_operator_creates_name_the_discussion_and_the_message(
    client, db, drain, operator_headers, seller_headers
):
    order = order_in(client, db, drain, operator_headers, seller_headers)
    r = customer_opens(client, operator_headers, order["orderId"])
    discussion_id = r.json()["discussionId"]
    check_created(client, r, OPERATOR, f"/discussions/{discussion_id}")
    read = client.get(f"{OPERATOR}{r.headers['content-location']}", headers=operator_headers)
    assert read.status_code == 200 and read.json() == r.json()

    written = customer_writes(client, operator_headers, discussion_id)
    check_created(client, written, OPERATOR, f"/messages/{written.json()['messageId']}")
