"""Answers without a body say no content type, and every problem document carries `statusCode` beside
`status`: clients that pick a decoder by content type, or read production's field name, keep working."""

from __future__ import annotations

from conftest import assert_problem
from order_helpers import make_offer, place


def _empty(response: object, status: int) -> None:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.content == b""  # type: ignore[attr-defined]
    assert "content-type" not in response.headers  # type: ignore[attr-defined]


def test_201_and_204_without_a_body_carry_no_content_type(
    client, db, drain, operator_headers, seller_headers
):
    created = client.post(
        "/seller/v2/offer-packages",
        json={"packageType": "Upsert"},
        headers={**seller_headers, "SalesChannelId": "SELLZZ"},
    )
    _empty(created, 201)
    assert created.headers["content-location"].startswith("/offer-packages/")

    make_offer(db, channel="CDISFR", quantity=2)
    order_id = place(client, operator_headers, drain, channel="CDISFR")["orderId"]
    approved = client.post(
        f"/seller/v2/orders/{order_id}/approval-status",
        json={"approvalStatus": "Accepted"},
        headers=seller_headers,
    )
    _empty(approved, 204)
    drain()
    shipped = client.post(
        f"/seller/v2/orders/{order_id}/shipments",
        json={"parcelNumber": "P-1", "carrierName": "Colissimo", "trackingUrl": "https://t.example/1"},
        headers=seller_headers,
    )
    _empty(shipped, 201)


def test_problems_carry_status_code_as_production_names_it(client, seller_headers, other_headers):
    forbidden = client.get("/seller/v2/sellers", headers={**seller_headers, "SellerId": "12345"})
    body = assert_problem(forbidden, 403)
    assert body["statusCode"] == 403 and body["title"] == "Forbidden"
    missing = client.get("/seller/v2/orders/does-not-exist", headers=other_headers)
    assert assert_problem(missing, 404)["statusCode"] == 404
