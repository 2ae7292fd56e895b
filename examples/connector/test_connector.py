"""A connector's tests, as its CI runs them against `comptoir serve --sandbox`."""

from __future__ import annotations

import time

import httpx


def get_with_retries(client: httpx.Client, path: str, attempts: int = 3) -> httpx.Response:
    """The connector code under test: retries what production answers when it is overloaded."""
    for attempt in range(attempts):
        response = client.get(path)
        if response.status_code not in (429, 503):
            return response
        time.sleep(float(response.headers.get("Retry-After", "0")) if attempt < attempts - 1 else 0)
    return response


def test_the_connector_retries_an_overloaded_marketplace(seller, fault, sent):
    fault("503", path="/seller/v2/orders", times=2, retryAfterSeconds=0)
    assert get_with_retries(seller, "/orders").status_code == 200
    calls = sent(path="/seller/v2/orders", method="GET")
    assert [call["status"] for call in calls] == [200, 503, 503]  # newest first
    assert {call["request"]["headers"]["authorization"] for call in calls} == {"Bearer ***"}  # masked


def test_an_offer_package_is_integrated_when_ready_answers(seller, sent):
    r = seller.post("/offer-packages", json={"packageType": "Upsert"}, headers={"SalesChannelId": "SELLZZ"})
    package_id = r.headers["content-location"].rsplit("/", 1)[-1]
    offer = {
        "sellerExternalReference": "MY-SKU-1",
        "product": {"gtin": "3760000000017"},
        "condition": "New",
        "price": {"price": 24.9, "taxes": [{"code": "VAT", "value": 20}]},
        "deliveryModes": [{"code": "THD", "cost": 3.9, "additionalCost": 0}],
        "preparationTime": 1,
        "quantity": 10,
    }
    seller.post(f"/offer-packages/{package_id}/offer-requests", json=[offer]).raise_for_status()
    seller.patch(f"/offer-packages/{package_id}", json={"state": "Ready"}).raise_for_status()
    assert seller.get(f"/offer-packages/{package_id}").json()["state"] == "Integrated"
    assert len(sent(path=f"/seller/v2/offer-packages/{package_id}")) == 3
