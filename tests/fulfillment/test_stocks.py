"""Storage countries, stock adjustments and the stock reads (spec 15.3) over HTTP."""

from __future__ import annotations

from conftest import assert_problem
from fulfillment.ref_support import BASE, OP, adjust, catalogue_product, reference, stock_in


def link(response, rel):
    for part in response.headers.get("link", "").split(", "):
        if f'rel="{rel}"' in part:
            return part[part.index("<") + 1 : part.index(">")]
    return None


def test_the_operator_opens_and_closes_storage_countries(client, operator_headers):
    path = f"{OP}/sellers/98979/fulfillment-storage-countries"
    assert client.get(path, headers=operator_headers).json() == {
        "sellerId": "98979",
        "storageCountries": ["FR", "ES"],
    }
    r = client.put(path, json={"storageCountries": ["uk", "France"]}, headers=operator_headers)
    assert r.status_code == 200 and r.json()["storageCountries"] == ["FR", "UK"]
    assert client.put(path, json=["ES"], headers=operator_headers).json()["storageCountries"] == ["ES"]
    assert client.get(path, headers=operator_headers).json()["storageCountries"] == ["ES"]
    problem = assert_problem(
        client.put(path, json={"storageCountries": ["ES", "DE"]}, headers=operator_headers), 400
    )
    assert "storageCountries[1]" in problem["errors"]
    other = f"{OP}/sellers/12345/fulfillment-storage-countries"
    assert client.get(other, headers=operator_headers).json()["storageCountries"] == []
    assert_problem(
        client.get(f"{OP}/sellers/nobody/fulfillment-storage-countries", headers=operator_headers), 404
    )
    assert_problem(
        client.put(
            f"{OP}/sellers/nobody/fulfillment-storage-countries", json=["FR"], headers=operator_headers
        ),
        404,
    )


def test_adjustments_move_stock_with_their_reason(client, db, operator_headers, seller_headers):
    p = catalogue_product(db)
    reference(client, seller_headers, p, "ADJ")
    counted = stock_in(client, operator_headers, "ADJ", 10)
    assert counted["quantities"]["available"] == 10 and counted["storageCountry"] == "FR"
    stock_id = counted["id"]
    r = adjust(client, operator_headers, reason="damage", stockId=stock_id, quantity=3, comment="Crushed")
    assert r.status_code == 200, r.text
    assert r.json()["stock"]["quantities"] | {} == {
        "available": 7,
        "allocated": 0,
        "blocked": 3,
        "litigation": 0,
        "removal": 0,
        "return": 0,
        "logisticOperations": 0,
    }
    assert r.json()["movement"]["reason"] == "Damage" and r.json()["movement"]["comment"] == "Crushed"
    r = adjust(client, operator_headers, reason="Removal", stockId=stock_id, quantity=2)
    assert (
        r.json()["stock"]["quantities"]["removal"] == 2 and r.json()["stock"]["quantities"]["available"] == 5
    )
    assert (
        "Only 5 units"
        in assert_problem(
            adjust(client, operator_headers, reason="Damage", stockId=stock_id, quantity=6), 409
        )["detail"]
    )
    r = adjust(client, operator_headers, reason="Inventory", stockId=stock_id, countedQuantity=5)
    assert r.status_code == 200 and r.json()["movement"] is None
    assert (
        adjust(client, operator_headers, reason="Inventory", stockId=stock_id, countedQuantity=4).json()[
            "movement"
        ]["changes"]["available"]
        == -1
    )
    # Refusals: reason, missing quantities, unknown stock, product or country.
    assert (
        "reason"
        in assert_problem(
            adjust(client, operator_headers, reason="Theft", stockId=stock_id, quantity=1), 400
        )["errors"]
    )
    assert (
        "countedQuantity"
        in assert_problem(adjust(client, operator_headers, reason="Inventory", stockId=stock_id), 400)[
            "errors"
        ]
    )
    assert (
        "quantity"
        in assert_problem(adjust(client, operator_headers, reason="Damage", stockId=stock_id), 400)["errors"]
    )
    assert_problem(adjust(client, operator_headers, reason="Damage", stockId="nope", quantity=1), 404)
    assert_problem(adjust(client, operator_headers, reason="Inventory", countedQuantity=1), 400)
    unknown = {
        "reason": "Inventory",
        "sellerId": "98979",
        "sellerProductReference": "NOPE",
        "storageCountry": "FR",
        "countedQuantity": 1,
    }
    assert_problem(adjust(client, operator_headers, **unknown), 404)
    closed = {**unknown, "sellerProductReference": "ADJ", "storageCountry": "UK"}
    assert "UK" in assert_problem(adjust(client, operator_headers, **closed), 409)["detail"]
    bad_country = {**unknown, "sellerProductReference": "ADJ", "storageCountry": "Mars"}
    assert "storageCountry" in assert_problem(adjust(client, operator_headers, **bad_country), 400)["errors"]
    by_product = {
        **unknown,
        "sellerProductReference": None,
        "productId": p["product_id"],
        "productCondition": "new",
        "storageCountry": "Spain",
    }
    r = adjust(client, operator_headers, **by_product)
    assert r.status_code == 200 and r.json()["stock"]["storageCountry"] == "ES"
    assert_problem(adjust(client, seller_headers, **by_product), 403)


def test_stock_record_shows_every_country_and_its_ledger(
    client, db, operator_headers, seller_headers, other_headers
):
    p = catalogue_product(db)
    reference(client, seller_headers, p, "DETAIL")
    fr = stock_in(client, operator_headers, "DETAIL", 8)
    es = stock_in(client, operator_headers, "DETAIL", 3, country="ES")
    adjust(client, operator_headers, reason="Damage", stockId=fr["id"], quantity=1)
    r = client.get(f"{BASE}/stocks/{fr['id']}", headers=seller_headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["productId"], body["productState"], body["productCondition"]) == (
        p["product_id"],
        "New",
        "New",
    )
    assert (body["sellerProductReference"], body["gtin"], body["storageCountry"]) == (
        "DETAIL",
        p["gtin"],
        "FR",
    )
    assert [
        (x["storageCountry"], x["stockId"], x["quantities"]["available"]) for x in body["localizations"]
    ] == [
        ("ES", es["id"], 3),
        ("FR", fr["id"], 7),
    ]
    assert [
        (m["reason"], m["sourceType"], m["changes"]["available"], m["changes"]["blocked"])
        for m in body["movements"]
    ] == [
        ("Damage", "Adjustment", -1, 1),
        ("Inventory", "Adjustment", 8, 0),
    ]
    assert_problem(client.get(f"{BASE}/stocks/{fr['id']}", headers=other_headers), 404)
    assert_problem(client.get(f"{BASE}/stocks/unknown", headers=seller_headers), 404)


def _stock_set(client, db, operator_headers, seller_headers):
    """Five products: FR stock 1..5 Available, and the last two in ES too."""
    ids = []
    for i in range(5):
        p = catalogue_product(db)
        reference(client, seller_headers, p, f"S{i}", productCondition="New" if i % 2 == 0 else "LikeNew")
        ids.append(stock_in(client, operator_headers, f"S{i}", i + 1)["id"])
    for i in (3, 4):
        ids.append(stock_in(client, operator_headers, f"S{i}", 10 * i, country="ES")["id"])
    return ids


def test_stocks_list_filters_sorts_and_pages(client, db, operator_headers, seller_headers, other_headers):
    ids = _stock_set(client, db, operator_headers, seller_headers)
    url = f"{BASE}/stocks"
    problem = assert_problem(client.get(url, headers=seller_headers), 400)
    assert "limit" in problem["errors"]
    assert_problem(client.get(url, params={"limit": 1001}, headers=seller_headers), 400)
    # Walked by cursor: oldest change first, every record once.
    seen, page = [], client.get(url, params={"limit": 3}, headers=seller_headers)
    while True:
        assert page.status_code == 200
        seen += [x["id"] for x in page.json()["items"]]
        nxt = link(page, "next")
        if not nxt:
            break
        page = client.get(nxt, headers=seller_headers)
    assert seen == ids
    assert link(client.get(url, params={"limit": 3}, headers=seller_headers), "next")
    # Sorted by a bucket, either way.
    by_available = client.get(
        url, params={"limit": 100, "sort": "available", "order": "Desc"}, headers=seller_headers
    ).json()
    assert [x["quantities"]["available"] for x in by_available["items"]] == [40, 30, 5, 4, 3, 2, 1]
    asc = client.get(url, params={"limit": 2, "sort": "Available", "order": "asc"}, headers=seller_headers)
    assert [x["quantities"]["available"] for x in asc.json()["items"]] == [1, 2]
    assert [
        x["quantities"]["available"]
        for x in client.get(link(asc, "next"), headers=seller_headers).json()["items"]
    ] == [3, 4]
    spain = client.get(url, params={"limit": 100, "storageCountry": "ES"}, headers=seller_headers).json()[
        "items"
    ]
    assert [x["storageCountry"] for x in spain] == ["ES", "ES"]
    assert [x["productState"] for x in spain] == ["Used", "New"]
    later = client.get(
        url, params={"limit": 100, "updatedAtMin": "2999-01-01T00:00:00Z"}, headers=seller_headers
    )
    assert later.json()["items"] == []
    earlier = client.get(
        url, params={"limit": 100, "updatedAtMax": "2999-01-01T00:00:00Z"}, headers=seller_headers
    )
    assert len(earlier.json()["items"]) == 7
    # deliveryCountry: the warehouses that deliver there; alone.
    to_portugal = client.get(
        url, params={"limit": 100, "deliveryCountry": "PT"}, headers=seller_headers
    ).json()["items"]
    assert len(to_portugal) == 7
    assert (
        client.get(url, params={"limit": 100, "deliveryCountry": "GB"}, headers=seller_headers).json()[
            "items"
        ]
        == []
    )
    problem = assert_problem(
        client.get(
            url,
            params={"limit": 10, "deliveryCountry": "FR", "storageCountry": "FR", "sort": "Blocked"},
            headers=seller_headers,
        ),
        400,
    )
    assert set(problem["errors"]) == {"deliveryCountry", "storageCountry", "sort"}
    assert "storageCountry, sort" in problem["detail"]
    for params in (
        {"sort": "Lost"},
        {"order": "up"},
        {"storageCountry": "DE"},
        {"updatedAtMin": "soon"},
        {"deliveryCountry": "France"},
    ):
        assert_problem(client.get(url, params={"limit": 10, **params}, headers=seller_headers), 400)
    assert client.get(url, params={"limit": 10}, headers=other_headers).json()["items"] == []
