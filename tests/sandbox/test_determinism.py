"""Reproducible connector tests: the same seed pack, policy and clock moves give byte-identical API
answers, ids and timestamps included, on two runs; another seed gives other ids."""

from __future__ import annotations

from typing import Any

from catalog.support import toy
from conftest import token_for
from order_helpers import order_body

SANDBOX, SELLER = "/sandbox/v1", "/seller/v2"


def play(client: Any, seed: int) -> list[bytes]:
    """A connector's session after a reset: every answer it reads, as bytes."""

    def operator() -> dict[str, str]:
        return {"Authorization": f"Bearer {token_for(client, 'operator-client', 'operator-secret')}"}

    assert (
        client.post(f"{SANDBOX}/reset", json={"pack": "demo", "seed": seed}, headers=operator()).status_code
        == 200
    )
    client.post(f"{SANDBOX}/clock", json={"now": "2031-03-01T10:00:00Z", "freeze": True}, headers=operator())
    client.put(f"{SANDBOX}/progress-policies/all", json={"mode": "immediate"}, headers=operator())
    seller = {
        "Authorization": f"Bearer {token_for(client, 'demo-client', 'demo-secret')}",
        "SellerId": "98979",
    }
    op = operator()
    answers: list[bytes] = []

    def keep(response: Any, status: int) -> Any:
        assert response.status_code == status, response.text
        answers.append(response.content)
        answers.append(response.headers.get("content-location", "").encode())
        return response.json() if response.content else None

    product = toy(777)
    package = keep(
        client.post(f"{SELLER}/products-integration", json={"products": [product]}, headers=seller), 202
    )
    keep(
        client.get(
            f"{SELLER}/products-integration-reports",
            params={"packageId": package["packageId"]},
            headers=seller,
        ),
        200,
    )
    keep(client.get(f"{SELLER}/products", params={"gtin": product["gtin"]}, headers=seller), 200)
    channel = {**seller, "SalesChannelId": "SELLZZ"}
    r = client.post(f"{SELLER}/offer-packages", json={"packageType": "Upsert"}, headers=channel)
    keep(r, 201)
    offers_package = r.headers["content-location"].rsplit("/", 1)[-1]
    offer = {
        "sellerExternalReference": "DET-1",
        "product": {"gtin": product["gtin"]},
        "condition": "New",
        "price": {"price": 19.9, "taxes": [{"code": "VAT", "value": 20}]},
        "deliveryModes": [{"code": "THD", "cost": 1.5, "additionalCost": 0}],
        "preparationTime": 1,
        "quantity": 4,
    }
    keep(
        client.post(f"{SELLER}/offer-packages/{offers_package}/offer-requests", json=[offer], headers=seller),
        200,
    )
    keep(
        client.patch(f"{SELLER}/offer-packages/{offers_package}", json={"state": "Ready"}, headers=seller),
        200,
    )
    keep(client.get(f"{SELLER}/offer-packages/{offers_package}/offer-requests-results", headers=seller), 200)
    keep(client.get(f"{SELLER}/offers", params={"salesChannelId": "SELLZZ"}, headers=seller), 200)
    lines = [{"sellerId": "98979", "sellerExternalReference": "DET-1", "quantity": 2}]
    order = keep(client.post("/operator/v1/orders", json=order_body("SELLZZ", lines), headers=op), 201)
    keep(client.get(f"{SELLER}/orders/{order['orderId']}", headers=seller), 200)
    keep(client.get(f"{SELLER}/orders", headers=seller), 200)
    keep(client.get(f"{SELLER}/offer-packages/{offers_package}/nope", headers=seller), 404)
    return answers


def test_same_seed_same_answers_byte_for_byte(client):
    first, second = play(client, 7), play(client, 7)
    assert len(first) == len(second)
    for index, (one, two) in enumerate(zip(first, second, strict=True)):
        assert one == two, f"answer {index} differs:\n{one[:600]!r}\n{two[:600]!r}"
    other = play(client, 8)
    assert other != first
