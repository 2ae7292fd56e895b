from __future__ import annotations

from conftest import TOKEN_URL, assert_problem


def test_operator_routes_need_an_operator_token(client, seller_headers):
    assert_problem(client.get("/operator/v1/sellers"), 401)
    assert_problem(client.get("/operator/v1/sellers", headers=seller_headers), 403)


def test_new_seller_with_client_address_and_subscription(client, operator_headers):
    r = client.post(
        "/operator/v1/sellers",
        json={"id": "55555", "shopName": "New Shop", "siret": "11122233344455", "autoAcceptOrder": True},
        headers=operator_headers,
    )
    assert r.status_code == 201 and r.json()["id"] == "55555"
    r = client.post(
        "/operator/v1/sellers/55555/clients", json={"clientId": "new-shop"}, headers=operator_headers
    )
    assert r.status_code == 201
    secret = r.json()["clientSecret"]
    listed = client.get("/operator/v1/sellers/55555/clients", headers=operator_headers).json()["items"]
    assert listed[0]["clientId"] == "new-shop" and "clientSecret" not in listed[0]
    r = client.post(
        "/operator/v1/sellers/55555/addresses",
        json={"type": "Billing", "address": "1 rue A", "zipCode": "75001", "city": "Paris", "country": "FR"},
        headers=operator_headers,
    )
    assert r.status_code == 201
    r = client.post(
        "/operator/v1/sellers/55555/subscriptions",
        json={"salesChannelId": "SELLZZ", "deliveryModes": ["THD", "EHD"]},
        headers=operator_headers,
    )
    assert r.status_code == 201 and r.json()["deliveryModes"] == ["EHD", "THD"]

    token = client.post(
        TOKEN_URL, data={"grant_type": "client_credentials", "client_id": "new-shop", "client_secret": secret}
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}", "SellerId": "55555"}
    assert client.get("/seller/v2/sellers", headers=headers).json()["shop_name"] == "New Shop"
    assert client.get("/seller/v2/sellers/addresses", headers=headers).json()["count"] == 1
    subs = client.get("/seller/v2/sellers/subscriptions", headers=headers).json()["items"]
    assert [s["sales_channel_id"] for s in subs] == ["SELLZZ"]
    # The new client is bound to its seller only.
    assert_problem(client.get("/seller/v2/sellers", headers={**headers, "SellerId": "98979"}), 403)


def test_duplicate_seller_is_409(client, operator_headers):
    assert_problem(
        client.post(
            "/operator/v1/sellers", json={"id": "98979", "shopName": "Dup"}, headers=operator_headers
        ),
        409,
    )


def test_unknown_seller_is_404(client, operator_headers):
    assert_problem(client.get("/operator/v1/sellers/00000", headers=operator_headers), 404)
    assert_problem(client.post("/operator/v1/sellers/00000/clients", json={}, headers=operator_headers), 404)


def test_subscription_with_a_mode_the_channel_lacks_is_400(client, operator_headers):
    r = client.post(
        "/operator/v1/sellers/98979/subscriptions",
        json={"salesChannelId": "CDISFR", "deliveryModes": ["SHD"]},
        headers=operator_headers,
    )
    assert "deliveryModes" in assert_problem(r, 400)["errors"]


def test_terminated_subscription_leaves_the_seller_list(client, operator_headers, seller_headers):
    r = client.post("/operator/v1/sellers/98979/subscriptions/SELLZZ/termination", headers=operator_headers)
    assert r.status_code == 204
    subs = client.get("/seller/v2/sellers/subscriptions", headers=seller_headers).json()["items"]
    assert {s["sales_channel_id"]: s["status"] for s in subs}["SELLZZ"] == "Terminated"


def test_channels_create_configure_and_list(client, operator_headers):
    r = client.post(
        "/operator/v1/channels",
        json={
            "id": "MKTDE",
            "name": "Marketplace DE",
            "currency": "EUR",
            "countryCode": "DE",
            "manualAcceptance": True,
            "lineLevelManagement": False,
            "partialShipment": False,
            "acceptanceDeadlineHours": 24,
            "deliveryModes": [{"code": "STD", "name": "Standard", "deliveryDelay": 3}],
        },
        headers=operator_headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["deliveryModes"][0]["code"] == "STD"
    r = client.patch(
        "/operator/v1/channels/MKTDE",
        json={
            "acceptanceDeadlineHours": 72,
            "deliveryModes": [{"code": "EXP", "name": "Express", "isExpressDelivery": True}],
        },
        headers=operator_headers,
    )
    assert r.status_code == 200
    body = r.json()
    assert body["acceptanceDeadlineHours"] == 72 and body["manualAcceptance"] is True
    assert [m["code"] for m in body["deliveryModes"]] == ["EXP"]
    ids = [c["id"] for c in client.get("/operator/v1/channels", headers=operator_headers).json()["items"]]
    assert {"CDISFR", "MKTDE", "SELLZZ"} <= set(ids) and ids == sorted(ids)
    assert_problem(client.get("/operator/v1/channels/NOPE", headers=operator_headers), 404)


def test_demo_channels_behave_as_documented(client, operator_headers):
    cdis = client.get("/operator/v1/channels/CDISFR", headers=operator_headers).json()
    sell = client.get("/operator/v1/channels/SELLZZ", headers=operator_headers).json()
    assert cdis["manualAcceptance"] and not cdis["lineLevelManagement"] and not cdis["partialShipment"]
    assert not sell["manualAcceptance"] and sell["lineLevelManagement"] and sell["partialShipment"]


def test_operator_can_add_carriers(client, operator_headers, seller_headers):
    r = client.post(
        "/operator/v1/carriers", json={"code": "pcc", "label": "Colissimo Pro"}, headers=operator_headers
    )
    assert r.status_code == 201
    labels = [c["label"] for c in client.get("/seller/v2/carriers", headers=seller_headers).json()]
    assert "Colissimo Pro" in labels
