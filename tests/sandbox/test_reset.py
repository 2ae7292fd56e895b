"""POST /sandbox/v1/reset: back to a seed pack's state, whatever was done before, in every process."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

from comptoir import clock
from comptoir.sandbox.reset import reset
from conftest import assert_problem, sandbox_headers

ADDRESS = {
    "firstName": "Marie",
    "lastName": "Curie",
    "addressLine1": "1 rue Curie",
    "postalCode": "75005",
    "city": "Paris",
    "countryCode": "FR",
}


def _competitor_offers(client, other_headers) -> dict[str, tuple]:
    r = client.get("/seller/v2/offers?salesChannelId=SELLZZ", headers=other_headers)
    assert r.status_code == 200, r.text
    return {o["offerId"]: (o["integrationPrice"], o["quantity"], o["offerState"]) for o in r.json()["items"]}


def test_reset_brings_back_the_demo(client, drain, seller_headers, other_headers, operator_headers):
    demo_offers = _competitor_offers(client, other_headers)
    assert demo_offers
    reference = client.get("/seller/v2/offers?salesChannelId=SELLZZ&limit=1", headers=other_headers).json()
    # An order takes stock from one of the competitor's demo offers.
    r = client.post(
        "/operator/v1/orders",
        json={
            "salesChannelId": "SELLZZ",
            "customer": {"reference": "c-1"},
            "shippingAddress": ADDRESS,
            "lines": [
                {
                    "sellerId": "12345",
                    "sellerExternalReference": reference["items"][0]["sellerExternalReference"],
                    "quantity": 2,
                }
            ],
        },
        headers=operator_headers,
    )
    assert r.status_code == 201, r.text
    order_id = r.json()["orderId"]
    drain()
    assert (
        client.get(f"/seller/v2/orders/{order_id}", headers=other_headers).json()["status"] == "InPreparation"
    )
    assert _competitor_offers(client, other_headers) != demo_offers
    package = client.post(
        "/seller/v2/offer-packages",
        json={"packageType": "Upsert", "salesChannelId": "SELLZZ"},
        headers=seller_headers,
    )
    assert package.status_code == 201, package.text

    r = client.post("/sandbox/v1/reset", headers=operator_headers)
    assert r.status_code == 200, r.text
    assert r.json()["pack"] == "demo" and r.json()["tookSeconds"] < 5

    # The tokens issued before the reset (operator's and sellers') still work.
    assert_problem(client.get(f"/seller/v2/orders/{order_id}", headers=other_headers), 404)
    assert client.get("/seller/v2/orders/count", headers=other_headers).json() == 0
    assert client.get("/seller/v2/offer-packages", headers=seller_headers).json()["items"] == []
    assert _competitor_offers(client, other_headers) == demo_offers
    assert client.get("/operator/v1/jobs", headers=operator_headers).json()["items"] == []


def test_reset_takes_the_pack_and_seed_from_its_body(client, seller_headers, operator_headers):
    r = client.post("/sandbox/v1/reset", json={"pack": "empty", "seed": 7}, headers=operator_headers)
    assert r.status_code == 200, r.text
    assert (r.json()["pack"], r.json()["seed"]) == ("empty", 7)
    # Sellers, clients and channels are there; no seller has a product or an offer.
    assert client.get("/seller/v2/sellers", headers=seller_headers).json()["seller_id"] == "98979"
    assert client.get("/seller/v2/products", headers=seller_headers).json()["items"] == []
    for channel in ("CDISFR", "SELLZZ", "ALLEGRO_DE"):
        offers = client.get(f"/seller/v2/offers?salesChannelId={channel}", headers=seller_headers)
        assert offers.status_code == 200 and offers.json()["items"] == [], offers.text
    # The referential stays: a connector can integrate products from an empty marketplace.
    assert client.get("/seller/v2/categories/count", headers=seller_headers).json() > 0
    channels = client.get("/operator/v1/channels", headers=operator_headers)
    assert {c["id"] for c in channels.json()["items"]} == {"CDISFR", "SELLZZ", "ALLEGRO_DE"}, channels.text


def test_reset_refuses_an_unknown_pack_or_a_bad_seed(client, operator_headers):
    body = assert_problem(
        client.post("/sandbox/v1/reset", json={"pack": "full"}, headers=operator_headers), 400
    )
    assert "pack" in body["errors"]
    assert_problem(client.post("/sandbox/v1/reset", json={"seed": -1}, headers=operator_headers), 400)
    assert_problem(client.post("/sandbox/v1/reset", json={"seed": "one"}, headers=operator_headers), 400)


def test_reset_needs_an_operator(client, seller_headers):
    assert_problem(client.post("/sandbox/v1/reset"), 401)
    assert_problem(
        client.post("/sandbox/v1/reset", headers={"Authorization": seller_headers["Authorization"]}), 403
    )


def test_reset_puts_the_clock_back_to_system_time(client):
    headers = sandbox_headers(client)
    moved = client.post("/sandbox/v1/clock", json={"advanceSeconds": 3600}, headers=headers)
    assert moved.json()["offsetSeconds"] > 3599
    assert client.post("/sandbox/v1/reset", headers=headers).status_code == 200
    assert abs(client.get("/sandbox/v1/clock", headers=headers).json()["offsetSeconds"]) < 1
    assert abs((clock.now() - clock.system_now()).total_seconds()) < 1


def test_a_reset_by_another_process_empties_this_ones_caches(client, db, seller_headers, operator_headers):
    r = client.patch(
        "/operator/v1/sellers/98979", json={"fidelityProfile": "production"}, headers=operator_headers
    )
    assert r.status_code == 200, r.text
    # The production profile refuses an Accept the route cannot satisfy; this process caches the profile.
    csv = {**seller_headers, "Accept": "text/csv"}
    assert_problem(client.get("/seller/v2/sellers", headers=csv), 406)
    # Another process (the CLI, another API process) resets: all this one sees is the database.
    started = time.monotonic()
    with db.transaction() as session:
        reset(session)
    assert client.get("/seller/v2/sellers", headers=csv).status_code == 200
    # Well within the profile cache's own two seconds: the generation told this process at once.
    assert time.monotonic() - started < 2


def _busy(client, operator_headers, seed: int) -> None:
    r = client.post("/sandbox/v1/reset", json={"pack": "busy-seller", "seed": seed}, headers=operator_headers)
    assert r.status_code == 200, r.text


def _answers(client, seller_headers) -> list:
    """What a connector reads first: order pages, the offers of both channels, the discussions."""
    paths = [
        "/seller/v2/orders?pageSize=100",
        "/seller/v2/orders?pageSize=100&pageIndex=30",
        "/seller/v2/orders?status=Shipped&pageSize=100",
        "/seller/v2/offers?salesChannelId=CDISFR&limit=1000",
        "/seller/v2/offers?salesChannelId=SELLZZ&limit=1000",
        "/seller/v2/discussions?pageSize=100",
    ]
    answers = []
    for path in paths:
        r = client.get(path, headers=seller_headers)
        assert r.status_code == 200, r.text
        answers.append(r.content)
    return answers


def _next(response) -> str | None:
    """The path of the Link header's next page, if any."""
    found = re.search(r'<([^>]+)>; rel="next"', response.headers.get("link", ""))
    if found is None:
        return None
    url = urlsplit(found.group(1))
    return f"{url.path}?{url.query}"


def test_packs_are_deterministic_by_seed(client, seller_headers, operator_headers):
    _busy(client, operator_headers, 1)
    first = _answers(client, seller_headers)
    _busy(client, operator_headers, 1)
    assert _answers(client, seller_headers) == first
    _busy(client, operator_headers, 2)
    again = _answers(client, seller_headers)
    assert all(a != b for a, b in zip(again, first, strict=True))


def test_the_busy_seller_has_orders_in_every_status_and_ten_thousand_offers(
    client, drain, seller_headers, other_headers, operator_headers
):
    _busy(client, operator_headers, 1)
    statuses = [
        "Processing",
        "WaitingAcceptance",
        "Refused",
        "Accepted",
        "InPreparation",
        "Shipped",
        "Delivered",
        "Cancelled",
        "Rejected",
    ]
    for status in statuses:
        assert client.get(f"/seller/v2/orders/count?status={status}", headers=seller_headers).json() == 500
        page = client.get(f"/seller/v2/orders?status={status}&pageSize=100", headers=seller_headers)
        assert page.status_code == 200 and len(page.json()["items"]) == 100, page.text
    offers = 0
    for channel in ("CDISFR", "SELLZZ"):
        path: str | None = f"/seller/v2/offers?salesChannelId={channel}&limit=1000"
        while path:
            r = client.get(path, headers=seller_headers)
            offers += len(r.json()["items"])
            path = _next(r)
    assert offers == 10_000
    assert client.get("/seller/v2/discussions/count", headers=seller_headers).json() > 100
    # The demo is there too.
    assert client.get("/seller/v2/offers?salesChannelId=SELLZZ", headers=other_headers).json()["items"]

    # Pack orders move on like any other: one approved, one shipped, one delivered.
    page = client.get("/seller/v2/orders?status=WaitingAcceptance&pageSize=1", headers=seller_headers).json()
    waiting = page["items"][0]
    assert waiting["acceptanceDeadline"] > waiting["createdAt"]
    r = client.post(
        f"/seller/v2/orders/{waiting['orderId']}/approval-status",
        json={"approval_status": "Accepted"},
        headers=seller_headers,
    )
    assert r.status_code == 204, r.text
    drain()
    assert client.get(f"/seller/v2/orders/{waiting['orderId']}", headers=seller_headers).json()["status"] == (
        "InPreparation"
    )
    prepared = client.get("/seller/v2/orders?status=InPreparation&pageSize=1", headers=seller_headers).json()
    order_id = prepared["items"][0]["orderId"]
    parcel = {
        "parcelNumber": "PARCEL-001",
        "carrierName": "Colissimo",
        "trackingUrl": "https://track.example.com/P1",
    }
    r = client.post(f"/seller/v2/orders/{order_id}/shipments", json=[parcel], headers=seller_headers)
    assert r.status_code == 201, r.text
    shipped = client.get("/seller/v2/orders?status=Shipped&pageSize=1", headers=seller_headers).json()[
        "items"
    ][0]
    r = client.post(f"/operator/v1/orders/{shipped['orderId']}/delivery", headers=operator_headers)
    assert r.status_code == 200, r.text
