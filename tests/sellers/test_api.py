from __future__ import annotations

from conftest import assert_problem


def test_profile_in_snake_case(client, seller_headers):
    r = client.get("/seller/v2/sellers", headers=seller_headers)
    assert r.status_code == 200
    body = r.json()
    assert body["seller_id"] == "98979"
    assert body["seller_state"] == "Activated"
    assert body["seller_sub_state"] == "ActiveSeller"
    assert body["subscription_step"] == "Finished"
    assert body["auto_accept_order"] is False
    assert body["seller_legal_information"]["siret"] == "12345678900012"


def test_each_seller_sees_its_own_profile(client, seller_headers, other_headers):
    assert client.get("/seller/v2/sellers", headers=other_headers).json()["seller_id"] == "12345"
    assert client.get("/seller/v2/sellers", headers=seller_headers).json()["seller_id"] == "98979"


def test_addresses_envelope(client, seller_headers):
    body = client.get("/seller/v2/sellers/addresses", headers=seller_headers).json()
    assert body["count"] == len(body["items"]) == 3
    assert {a["type"] for a in body["items"]} == {"Billing", "Shipping", "Return"}
    assert set(body["items"][0]) >= {"type", "address", "zip_code", "city", "country"}


def test_indicators_are_zero_without_orders(client, seller_headers):
    body = client.get("/seller/v2/sellers/indicators", headers=seller_headers).json()
    assert [i["indicator"] for i in body["items"]] == [
        "order_acceptation",
        "product_shipping",
        "deadline_compliance",
        "order_claims",
        "order_refunds",
        "response_time_compliance",
    ]
    assert all(i["value"] == 0 and i["denominator"] == 0 for i in body["items"])


def test_subscriptions(client, seller_headers):
    body = client.get("/seller/v2/sellers/subscriptions", headers=seller_headers).json()
    channels = {s["sales_channel_id"]: s for s in body["items"]}
    assert set(channels) == {"CDISFR", "SELLZZ"}
    assert channels["CDISFR"]["status"] == "Active"
    assert channels["CDISFR"]["offer_submission_currency"] == "EUR"


def test_delivery_modes_follow_subscriptions(client, seller_headers, operator_headers):
    body = client.get("/seller/v2/sellers/delivery-modes", headers=seller_headers).json()
    codes = {m["code"] for m in body["items"]}
    assert {"TRK", "REG", "THD", "EHD"} <= codes
    trk = next(m for m in body["items"] if m["code"] == "TRK")
    assert set(trk) >= {"code", "name", "delivery_delay", "is_express_delivery", "more_than30_kg_product"}
    r = client.post(
        "/operator/v1/sellers/98979/subscriptions",
        json={"salesChannelId": "SELLZZ", "deliveryModes": ["THD"]},
        headers=operator_headers,
    )
    assert r.status_code == 201, r.text
    codes = {
        m["code"]
        for m in client.get("/seller/v2/sellers/delivery-modes", headers=seller_headers).json()["items"]
    }
    assert "EHD" not in codes and "THD" in codes


def test_carriers_bare_array_with_shared_codes(client, seller_headers):
    body = client.get("/seller/v2/carriers", headers=seller_headers).json()
    assert isinstance(body, list) and len(body) > 30
    labels = [c["label"] for c in body if c["code"] == "pcc"]
    assert {"La Poste", "Colissimo", "Chronopost"} <= set(labels)


def test_missing_token_is_401(client):
    r = client.get("/seller/v2/sellers", headers={"SellerId": "98979"})
    body = assert_problem(r, 401)
    assert "Bearer" in r.headers["www-authenticate"]
    assert body["title"] == "Unauthorized"


def test_garbage_token_is_401(client):
    assert_problem(
        client.get(
            "/seller/v2/sellers", headers={"Authorization": "Bearer abc.def.ghi", "SellerId": "98979"}
        ),
        401,
    )


def test_other_sellers_id_is_403(client, seller_headers):
    r = client.get("/seller/v2/sellers", headers={**seller_headers, "SellerId": "12345"})
    assert_problem(r, 403)


def test_unknown_seller_id_is_403(client, seller_headers):
    assert_problem(client.get("/seller/v2/sellers", headers={**seller_headers, "SellerId": "55555"}), 403)


def test_missing_seller_id_is_400_naming_the_header(client, seller_headers):
    headers = {"Authorization": seller_headers["Authorization"]}
    body = assert_problem(client.get("/seller/v2/sellers", headers=headers), 400)
    assert "SellerId" in body["errors"]


def test_header_names_are_case_insensitive(client, seller_headers):
    headers = {"authorization": seller_headers["Authorization"], "sellerid": "98979"}
    assert client.get("/seller/v2/sellers", headers=headers).status_code == 200


def test_operator_token_cannot_use_seller_api(client, operator_headers):
    assert_problem(client.get("/seller/v2/sellers", headers={**operator_headers, "SellerId": "98979"}), 403)


def test_unknown_query_parameters_are_ignored(client, seller_headers):
    r = client.get("/seller/v2/sellers?limit=10&offset=3&foo=bar", headers=seller_headers)
    assert r.status_code == 200


def test_subscription_key_header_is_ignored(client, seller_headers):
    r = client.get("/seller/v2/sellers", headers={**seller_headers, "Ocp-Apim-Subscription-Key": "x"})
    assert r.status_code == 200
