"""Opening discussions over HTTP (spec 13.3, 13.9): the seed's body, the sub-typologies a context
allows, one open discussion per order and sub-typology, and the customer's side on the operator API."""

from __future__ import annotations

from comptoir.catalog import Product
from comptoir.discussions import states
from conftest import assert_problem
from discussions.support import (
    OPERATOR,
    SELLER,
    customer_opens,
    discussion,
    opened,
    order_in,
    seller_opens,
)
from order_helpers import make_offer

TYPOLOGIES = f"{SELLER}/typologies"


def test_the_seed_body_opens_a_discussion(client, db, drain, operator_headers, seller_headers):
    order = order_in(client, db, drain, operator_headers, seller_headers)
    r = seller_opens(client, seller_headers, order["orderId"], productId=order["productId"])
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["discussionId"] == created["id"]
    body = discussion(client, seller_headers, created["id"])
    assert body["orderSellerId"] == order["orderId"] and body["productId"] == order["productId"]
    assert (body["typologyCode"], body["subTypologyCode"]) == ("Order", "broken-product")
    assert (body["graduation"], body["processStatus"], body["isOpen"]) == ("Discussion", "Treated", True)
    assert (body["customerId"], body["salesChannel"], body["messageCount"]) == ("c-1", "SELLZZ", 1)
    assert body["unreadMessageCount"] == 0 and body["escalationDueAt"] is None
    [message] = body["messages"]
    assert message["sender"] == {"userType": "Seller", "userId": "98979"}
    assert message["receivers"] == [{"userType": "Customer", "userId": "c-1"}]
    assert message["body"] == "Your product was broken in transit, sorry." and message["attachments"] == []
    assert body["eligibleRecipients"] == [{"userType": "Customer", "userId": "c-1"}]


def test_both_spellings_of_the_sub_typology(client, db, drain, operator_headers, seller_headers):
    order = order_in(client, db, drain, operator_headers, seller_headers)
    body = {
        "Subject": "Return of the item",
        "OrderId": order["orderId"],
        "subTypologyCode": "returnInstructions",
        "message": {"body": "Please send it back with the label.", "receivers": [{"userType": "Customer"}]},
    }
    r = client.post(f"{SELLER}/discussions", json=body, headers=seller_headers)
    assert r.status_code == 201, r.text
    assert discussion(client, seller_headers, r.json()["id"])["subTypologyCode"] == "returnInstructions"


def test_what_a_new_discussion_must_carry(client, db, drain, operator_headers, seller_headers, other_headers):
    order = order_in(client, db, drain, operator_headers, seller_headers)
    order_id = order["orderId"]
    cases = {
        "subject": {"subject": "Oops"},
        "message.body": {"message": {"body": "Too short.12", "receiver": "Customer"}},
        "subTypologyCode": {"subtypologyCode": "productUnavailable"},  # not once shipped
        "salesChannel": {"salesChannel": "CDISFR"},
        "productId": {"productId": "NOPE"},
        "message.receiver": {"message": {"body": "x" * 13, "receiver": "GrcOperator"}},
    }
    for field, extra in cases.items():
        problem = assert_problem(seller_opens(client, seller_headers, order_id, **extra), 400)
        assert field in problem["errors"], (field, problem)
    assert_problem(seller_opens(client, seller_headers, order_id, subject="x" * 51), 400)
    assert_problem(seller_opens(client, seller_headers, order_id, message={"body": "x" * 5001}), 400)
    # A customer's sub-typology is not the seller's.
    problem = assert_problem(seller_opens(client, seller_headers, order_id, sub="productIsDamaged"), 400)
    assert "broken-product" in problem["errors"]["subTypologyCode"][0]
    missing = client.post(f"{SELLER}/discussions", json={"subject": "Hello there"}, headers=seller_headers)
    assert_problem(missing, 400)
    assert_problem(seller_opens(client, seller_headers, "NOPE12345"), 404)
    assert_problem(seller_opens(client, other_headers, order_id), 404)
    # The shortest and longest texts allowed pass.
    r = seller_opens(client, seller_headers, order_id, subject="x" * 5, message={"body": "y" * 13})
    assert r.status_code == 201, r.text
    other = seller_opens(client, seller_headers, order_id, sub="returnInstructions", subject="x" * 50)
    assert other.status_code == 201, other.text


def test_one_open_discussion_per_order_and_sub_typology(client, db, drain, operator_headers, seller_headers):
    order_id = order_in(client, db, drain, operator_headers, seller_headers)["orderId"]
    first = seller_opens(client, seller_headers, order_id).json()["id"]
    problem = assert_problem(seller_opens(client, seller_headers, order_id), 409)
    assert first in problem["detail"]
    # Another sub-typology is another discussion; the customer's second one is refused too.
    theirs = customer_opens(client, operator_headers, order_id, sub="productIsDamaged")
    assert theirs.status_code == 201, theirs.text
    problem = assert_problem(customer_opens(client, operator_headers, order_id), 409)
    assert theirs.json()["discussionId"] in problem["detail"]
    close = [{"op": "replace", "path": "/isOpen", "value": False}]
    assert (
        client.patch(f"{SELLER}/discussions/{first}", json=close, headers=seller_headers).status_code == 200
    )
    second = seller_opens(client, seller_headers, order_id)
    assert second.status_code == 201, second.text
    reopen = [{"op": "replace", "path": "/isOpen", "value": True}]
    problem = assert_problem(
        client.patch(f"{SELLER}/discussions/{first}", json=reopen, headers=seller_headers), 409
    )
    assert second.json()["id"] in problem["detail"]


def test_a_concurrent_duplicate_is_caught_by_the_index(
    client, db, drain, operator_headers, seller_headers, monkeypatch
):
    # As if a concurrent request opened the same discussion between the check and the write.
    order_id = order_in(client, db, drain, operator_headers, seller_headers)["orderId"]
    first = seller_opens(client, seller_headers, order_id).json()["id"]
    monkeypatch.setattr(states, "refuse_duplicate", lambda *_: None)
    problem = assert_problem(seller_opens(client, seller_headers, order_id), 409)
    assert first in problem["detail"]
    close = [{"op": "replace", "path": "/isOpen", "value": False}]
    client.patch(f"{SELLER}/discussions/{first}", json=close, headers=seller_headers)
    second = seller_opens(client, seller_headers, order_id).json()["id"]
    reopen = [{"op": "replace", "path": "/isOpen", "value": True}]
    problem = assert_problem(
        client.patch(f"{SELLER}/discussions/{first}", json=reopen, headers=seller_headers), 409
    )
    assert second in problem["detail"]
    assert discussion(client, seller_headers, first)["isOpen"] is False


def test_typologies_follow_the_order_status_and_the_user_type(client, seller_headers):
    def codes(**params):
        r = client.get(TYPOLOGIES, params={"salesChannel": "CDISFR", **params}, headers=seller_headers)
        assert r.status_code == 200, r.text
        return [i["subTypologyCode"] for i in r.json()["items"]]

    shipped = codes(orderStatus="Shipped", typologyCode="order", userType="Customer")
    assert {"productIsDamaged", "wrongProductReceived", "orderNotShipped", "printReceipt"} <= set(shipped)
    assert "broken-product" not in shipped
    assert codes(orderStatus="Accepted", userType="Customer") == ["orderNotShipped"]
    assert codes(orderStatus="Cancelled", typologyCode="Order", userType="Customer") == ["printReceipt"]
    assert codes(orderStatus="WaitingAcceptance", typologyCode="Order", userType="Customer") == []
    assert "broken-product" in codes(orderStatus="Delivered")  # the seller's, by default
    assert "productUnavailable" not in codes(orderStatus="Delivered")
    assert "parcelInvestigation" in codes(orderStatus="Shipped", userType="CustomerService")
    assert "parcelInvestigation" in codes(orderStatus="Shipped", userType="GrcOperator")
    product = client.get(
        TYPOLOGIES,
        params={"salesChannel": "SELLZZ", "typologyCode": "Product", "userType": "Customer"},
        headers=seller_headers,
    ).json()["items"]
    assert {
        "typologyCode": "Product",
        "subTypologyCode": "productInformation",
        "label": "Question sur le produit",
    } in product
    for params in (
        {},
        {"salesChannel": "NOPE"},
        {"salesChannel": "CDISFR", "orderStatus": "Lost"},
        {"salesChannel": "CDISFR", "userType": "Robot"},
        {"salesChannel": "CDISFR", "typologyCode": "Weather"},
    ):
        problem = assert_problem(client.get(TYPOLOGIES, params=params, headers=seller_headers), 400)
        assert problem["errors"], params


def test_a_customer_opens_on_an_order(client, db, drain, operator_headers, seller_headers):
    order_id = order_in(client, db, drain, operator_headers, seller_headers, status="Delivered")["orderId"]
    r = customer_opens(client, operator_headers, order_id, sub="wrongProductReceived")
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["processStatus"] == "ToTreat" and created["unreadMessageCount"] == 1
    assert created["messages"][0]["sender"] == {"userType": "Customer", "userId": "c-1"}
    assert created["messages"][0]["receivers"] == [{"userType": "Seller", "userId": "98979"}]
    assert created["escalationDueAt"] is not None
    seen = discussion(client, seller_headers, created["discussionId"])
    assert seen["processStatus"] == "ToTreat" and not seen["messages"][0]["hasRead"]
    # Not for a status the sub-typology does not cover, nor as someone else than the order's customer.
    problem = assert_problem(
        customer_opens(client, operator_headers, order_id, sub="orderCancellation", userId="c-2"), 400
    )
    assert "userId" in problem["errors"]
    placed = order_in(client, db, drain, operator_headers, seller_headers, status="InPreparation")["orderId"]
    assert_problem(customer_opens(client, operator_headers, placed, sub="productIsDamaged"), 400)
    assert_problem(customer_opens(client, operator_headers, "NOPE12345"), 404)
    assert_problem(customer_opens(client, operator_headers, order_id, userType="Seller"), 400)
    assert_problem(customer_opens(client, seller_headers, order_id), 403)


def test_customer_service_opens_on_an_order(client, db, drain, operator_headers, seller_headers):
    order_id = order_in(client, db, drain, operator_headers, seller_headers)["orderId"]
    discussion_id = opened(
        client,
        operator_headers,
        order_id,
        sub="parcelInvestigation",
        userType="CustomerService",
        userId="agent-7",
    )
    body = discussion(client, seller_headers, discussion_id)
    assert body["messages"][0]["sender"] == {"userType": "GrcOperator", "userId": "agent-7"}
    assert body["customerId"] == "c-1"
    assert body["eligibleRecipients"] == [
        {"userType": "Customer", "userId": "c-1"},
        {"userType": "GrcOperator", "userId": "agent-7"},
    ]


def test_a_customer_asks_about_a_product(client, db, operator_headers, seller_headers):
    product_id = make_offer(db, reference="Q1")["product_id"]
    with db.read() as session:
        product_reference = session.get(Product, product_id).product_reference
    question = {
        "subject": "Is it waterproof?",
        "subTypologyCode": "productInformation",
        "sellerId": "98979",
        "salesChannel": "SELLZZ",
        "userId": "c-9",
        "message": {"body": "Can I take it in the rain?"},
    }
    r = client.post(
        f"{OPERATOR}/discussions", json={**question, "productId": product_reference}, headers=operator_headers
    )
    assert r.status_code == 201, r.text
    body = discussion(client, seller_headers, r.json()["discussionId"])
    assert (body["typologyCode"], body["orderSellerId"], body["productId"]) == (
        "Product",
        None,
        product_reference,
    )
    assert body["customerId"] == "c-9"
    again = client.post(
        f"{OPERATOR}/discussions", json={**question, "productId": product_reference}, headers=operator_headers
    )
    assert_problem(again, 409)
    problem = assert_problem(
        client.post(f"{OPERATOR}/discussions", json=question, headers=operator_headers), 400
    )
    assert "productId" in problem["errors"]
    unknown = client.post(
        f"{OPERATOR}/discussions", json={**question, "productId": "NOPE"}, headers=operator_headers
    )
    assert_problem(unknown, 404)
    wrong = client.post(
        f"{OPERATOR}/discussions",
        json={**question, "productId": product_reference, "subTypologyCode": "productIsDamaged"},
        headers=operator_headers,
    )
    assert_problem(wrong, 400)


def test_a_channels_discussion_configuration(client, operator_headers, seller_headers, other_headers):
    url = f"{SELLER}/sales-channel-configurations"
    r = client.patch(
        f"{OPERATOR}/channels/SELLZZ", json={"discussionEscalationHours": 12}, headers=operator_headers
    )
    assert r.status_code == 200, r.text
    r = client.get(f"{url}/SELLZZ", headers=seller_headers)
    assert r.status_code == 200, r.text
    config = r.json()
    assert (config["salesChannelId"], config["escalationDelayHours"]) == ("SELLZZ", 12)
    assert config["graduations"] == ["Discussion", "Claim", "Level_1"]
    assert config["searchWindowMonths"] == 6
    assert (config["subjectMinLength"], config["subjectMaxLength"]) == (5, 50)
    assert (config["messageMinLength"], config["messageMaxLength"]) == (13, 5000)
    assert config["attachments"] == {
        "maxCount": 3,
        "maxTotalBytes": 4 * 1024 * 1024,
        "extensions": ["png", "gif", "bmp", "jpg", "jpeg", "tif", "pdf", "doc", "docx", "xls"],
    }
    rules = {rule["subTypologyCode"]: rule for rule in config["subTypologies"]}
    assert rules["orderNotShipped"] == {
        "typologyCode": "Order",
        "subTypologyCode": "orderNotShipped",
        "label": "Ma commande n'est pas expédiée",
        "userTypes": ["Customer", "GrcOperator"],
        "orderStatuses": ["Accepted", "InPreparation", "Shipped", "Delivered"],
    }
    assert rules["broken-product"]["userTypes"] == ["Seller"]
    assert (rules["productInformation"]["typologyCode"], rules["productInformation"]["orderStatuses"]) == (
        "Product",
        [],
    )
    # What /typologies answers for a context is drawn from the same rules.
    shipped = client.get(
        TYPOLOGIES,
        params={"salesChannel": "SELLZZ", "orderStatus": "Shipped", "userType": "Customer"},
        headers=seller_headers,
    ).json()["items"]
    assert {i["subTypologyCode"] for i in shipped} == {
        code
        for code, rule in rules.items()
        if "Customer" in rule["userTypes"] and "Shipped" in rule["orderStatuses"]
    }
    cdisfr = client.get(f"{url}/CDISFR", headers=other_headers).json()
    assert (cdisfr["salesChannelId"], cdisfr["escalationDelayHours"]) == ("CDISFR", 48)
    assert "NOPE" in assert_problem(client.get(f"{url}/NOPE", headers=seller_headers), 404)["detail"]
    assert_problem(client.get(f"{url}/SELLZZ"), 401)
