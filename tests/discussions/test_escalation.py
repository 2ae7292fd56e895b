"""Graduation over HTTP (spec 13): the customer or customer service escalates; a discussion the seller
leaves unanswered for the channel's delay escalates by itself on the platform clock; claims feed the
seller indicators."""

from __future__ import annotations

from conftest import assert_problem, fresh_headers, sandbox_headers
from discussions.support import (
    OPERATOR,
    SELLER,
    advance,
    customer_writes,
    discussion,
    escalate,
    opened,
    order_in,
    reply,
    seller_opens,
)

HOUR = 3600


def _indicators(client, headers) -> dict:
    items = client.get(f"{SELLER}/sellers/indicators", headers=headers).json()["items"]
    return {i["indicator"]: i for i in items}


def test_the_customer_and_customer_service_escalate(client, db, drain, operator_headers, seller_headers):
    order_id = order_in(client, db, drain, operator_headers, seller_headers)["orderId"]
    discussion_id = opened(client, operator_headers, order_id)
    assert reply(client, seller_headers, discussion_id).json()  # answered: Treated
    r = escalate(client, operator_headers, discussion_id)
    assert r.status_code == 200, r.text
    claim = r.json()
    # A claim is the seller's to treat again, with customer service in it.
    assert (claim["graduation"], claim["processStatus"]) == ("Claim", "ToTreat")
    assert claim["escalationDueAt"] is not None
    assert {"userType": "GrcOperator", "userId": "GRC"} in claim["eligibleRecipients"]
    answer = reply(client, seller_headers, discussion_id, receiver="GrcOperator")
    assert answer.status_code == 201, answer.text
    assert answer.json()["receivers"] == [{"userType": "GrcOperator", "userId": "GRC"}]
    top = escalate(client, operator_headers, discussion_id, userType="GrcOperator").json()
    assert top["graduation"] == "Level_1" and top["escalationDueAt"] is None
    assert_problem(escalate(client, operator_headers, discussion_id), 409)
    other = opened(client, operator_headers, order_id, sub="wrongProductReceived")
    straight = escalate(client, operator_headers, other, graduation="Level_1")
    assert straight.status_code == 200 and straight.json()["graduation"] == "Level_1"
    third = opened(client, operator_headers, order_id, sub="missingItemInProduct")
    assert escalate(client, operator_headers, third, graduation="Claim").status_code == 200
    assert_problem(escalate(client, operator_headers, third, graduation="Discussion"), 409)
    assert_problem(escalate(client, operator_headers, third, graduation="Level_9"), 400)
    assert_problem(escalate(client, operator_headers, third, userType="Seller"), 400)
    assert_problem(escalate(client, operator_headers, "NOPE"), 404)
    count = client.get(
        f"{SELLER}/discussions/count", params={"graduationCode": "Level_1"}, headers=seller_headers
    )
    assert count.json() == 2


def test_an_unanswered_discussion_escalates_with_the_clock(
    client, db, drain, operator_headers, seller_headers
):
    r = client.patch(
        f"{OPERATOR}/channels/SELLZZ", json={"discussionEscalationHours": 24}, headers=operator_headers
    )
    assert r.status_code == 200 and r.json()["discussionEscalationHours"] == 24
    order_id = order_in(client, db, drain, operator_headers, seller_headers)["orderId"]
    waiting = opened(client, operator_headers, order_id)
    answered = opened(client, operator_headers, order_id, sub="wrongProductReceived")
    advance(client, 23 * HOUR)
    drain()
    headers = fresh_headers(client)
    assert discussion(client, headers, waiting)["graduation"] == "Discussion"
    # Answered in time: nothing escalates, however long the customer then stays silent.
    assert reply(client, headers, answered).status_code == 201
    # The customer writing again does not restart the delay: it runs from the first unanswered message.
    assert customer_writes(client, sandbox_headers(client), waiting).status_code == 201
    advance(client, 2 * HOUR)
    drain()
    headers = fresh_headers(client)
    body = discussion(client, headers, waiting)
    assert (body["graduation"], body["processStatus"]) == ("Claim", "ToTreat")
    assert body["escalationDueAt"] is not None
    assert discussion(client, headers, answered)["graduation"] == "Discussion"
    advance(client, 24 * HOUR)
    drain()
    headers = fresh_headers(client)
    body = discussion(client, headers, waiting)
    assert (body["graduation"], body["escalationDueAt"]) == ("Level_1", None)
    assert discussion(client, headers, answered)["graduation"] == "Discussion"
    # A closed discussion's clock stops; so does the seller's answer.
    later = opened(client, sandbox_headers(client), order_id, sub="missingItemInProduct")
    close = [{"op": "replace", "path": "/isOpen", "value": False}]
    assert client.patch(f"{SELLER}/discussions/{later}", json=close, headers=headers).status_code == 200
    advance(client, 48 * HOUR)  # its escalation job runs on the way, and does nothing
    assert discussion(client, fresh_headers(client), later)["graduation"] == "Discussion"


def test_a_seller_discussion_waits_for_the_customer(client, db, drain, operator_headers, seller_headers):
    order_id = order_in(client, db, drain, operator_headers, seller_headers)["orderId"]
    discussion_id = seller_opens(client, seller_headers, order_id).json()["id"]
    advance(client, 100 * HOUR)
    drain()
    assert discussion(client, fresh_headers(client), discussion_id)["graduation"] == "Discussion"


def test_claims_feed_the_seller_indicators(client, db, drain, operator_headers, seller_headers):
    order_id = order_in(client, db, drain, operator_headers, seller_headers)["orderId"]
    order_in(client, db, drain, operator_headers, seller_headers)
    claims = _indicators(client, seller_headers)["order_claims"]
    assert (claims["numerator"], claims["denominator"]) == (0, 2)
    discussion_id = opened(client, operator_headers, order_id)
    assert (_indicators(client, seller_headers)["order_claims"]["numerator"]) == 0
    escalate(client, operator_headers, discussion_id)
    claims = _indicators(client, seller_headers)["order_claims"]
    assert (claims["numerator"], claims["denominator"], claims["value"]) == (1, 2, 50.0)
    # A second claim on the same order is the same claimed order.
    other = opened(client, operator_headers, order_id, sub="wrongProductReceived")
    escalate(client, operator_headers, other)
    assert _indicators(client, seller_headers)["order_claims"]["numerator"] == 1


def test_answers_in_time_are_counted(client, db, drain, operator_headers, seller_headers):
    order_id = order_in(client, db, drain, operator_headers, seller_headers)["orderId"]
    in_time = opened(client, operator_headers, order_id)
    late = opened(client, operator_headers, order_id, sub="wrongProductReceived")
    escalated = opened(client, operator_headers, order_id, sub="missingItemInProduct")
    assert reply(client, seller_headers, in_time).status_code == 201
    assert reply(client, seller_headers, in_time).status_code == 201  # nothing waited: not an answer
    advance(client, 49 * HOUR)
    drain()  # the third escalates by itself: its next level's delay does not make an answer in time
    headers = fresh_headers(client)
    assert discussion(client, headers, escalated)["graduation"] == "Claim"
    assert reply(client, headers, late).status_code == 201
    assert reply(client, headers, escalated).status_code == 201
    answers = _indicators(client, headers)["response_time_compliance"]
    assert (answers["numerator"], answers["denominator"], answers["value"]) == (1, 3, 33.33)
    # The customer escalating gives the seller a fresh delay.
    assert escalate(client, sandbox_headers(client), late).status_code == 200
    assert reply(client, headers, late).status_code == 201
    answers = _indicators(client, headers)["response_time_compliance"]
    assert (answers["numerator"], answers["denominator"]) == (2, 4)
    other = fresh_headers(client, "other-client", "other-secret", "12345")
    assert _indicators(client, other)["response_time_compliance"]["denominator"] == 0
