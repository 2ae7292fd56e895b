"""Logistic referencing (spec 15.1) over HTTP: POST /fulfillment-products with a result per item, the
seller reference added to an existing product, and GET /stock-seller-references."""

from __future__ import annotations

from conftest import assert_problem
from fulfillment.ref_support import BASE, catalogue_product, reference

FULL = {
    "label": "Bluetooth speaker",
    "sellerId": 98979,
    "productCondition": "New",
    "dimensionMinimum": 5.5,
    "dimensionMedium": 10,
    "dimensionMaximum": 20.25,
    "weight": 1.2,
    "categoryUn": "UN3481",
    "categoryIcpe": "2925",
    "hasExpirationDate": False,
    "traceability": "SerialNumber",
    "customsReference": "1234.56.78",
    "productValue": 49.9,
    "originCountryCode": "cn",
    "language": "fr-FR",
}


def post(client, headers, body):
    return client.post(f"{BASE}/fulfillment-products", json=body, headers=headers)


def test_an_array_gets_one_result_per_item_in_order(client, db, seller_headers):
    p, q = catalogue_product(db), catalogue_product(db)
    body = [
        {**FULL, "gtin": p["gtin"], "sellerProductReference": "SPK-1"},
        {"gtin": "123", "sellerProductReference": "BAD-GTIN"},
        {"GTIN": q["gtin"], "SellerProductReference": "SPK-2", "weight": "heavy"},
        {"gtin": "4999999999999", "sellerProductReference": "UNKNOWN"},
        {"gtin": q["gtin"], "productCondition": "Mint", "dimensionMinimum": -1},
        "not an object",
        {"gtin": q["gtin"], "sellerProductReference": "SPK-2B", "productCondition": "likenew"},
    ]
    r = post(client, seller_headers, body)
    assert r.status_code == 200, r.text
    results = r.json()
    assert [x["index"] for x in results] == list(range(7))
    assert [x["status"] for x in results] == [
        "Created",
        "Refused",
        "Refused",
        "Refused",
        "Refused",
        "Refused",
        "Created",
    ]
    assert results[0]["productId"] == p["product_id"] and results[0]["errors"] == []
    assert [(e["code"], e["field"]) for e in results[1]["errors"]] == [("IncorrectFormat", "gtin")]
    assert (
        results[2]["errors"][0]["code"] == "IncorrectFormat" and results[2]["errors"][0]["field"] == "weight"
    )
    assert [(e["code"], e["field"]) for e in results[3]["errors"]] == [("ProductNotFound", "gtin")]
    assert {(e["code"], e["field"]) for e in results[4]["errors"]} == {
        ("MissingField", "sellerProductReference"),
        ("IncorrectValue", "productCondition"),
        ("IncorrectValue", "dimensionMinimum"),
    }
    assert results[5]["errors"][0]["code"] == "IncorrectFormat"
    assert results[6]["productCondition"] == "LikeNew"

    page = client.get(f"{BASE}/stock-seller-references", params={"limit": 10}, headers=seller_headers).json()
    assert [(x["sellerProductReference"], x["productId"], x["productCondition"]) for x in page["items"]] == [
        ("SPK-1", p["product_id"], "New"),
        ("SPK-2B", q["product_id"], "LikeNew"),
    ]
    assert page["items"][0]["label"] == "Bluetooth speaker" and page["items"][1]["label"].startswith(
        "Stored product"
    )


def test_a_single_object_gets_a_single_result(client, db, seller_headers):
    p = catalogue_product(db)
    r = post(client, seller_headers, {"gtin": p["gtin"], "sellerProductReference": "ONE"})
    assert r.status_code == 200
    assert r.json()["status"] == "Created" and r.json()["productCondition"] == "New"


def test_references_are_unique_per_seller_and_per_gtin_and_condition(
    client, db, seller_headers, other_headers
):
    p, q = catalogue_product(db), catalogue_product(db)
    reference(client, seller_headers, p, "REF-A")
    again = post(
        client, seller_headers, [{**FULL, "gtin": p["gtin"], "sellerProductReference": "REF-A", "weight": 3}]
    )
    assert again.json()[0]["status"] == "Updated"
    results = post(
        client,
        seller_headers,
        [
            {"gtin": q["gtin"], "sellerProductReference": "REF-A"},
            {"gtin": p["gtin"], "sellerProductReference": "REF-B"},
            {"gtin": p["gtin"], "sellerProductReference": "REF-C", "productCondition": "Refurbished"},
            {"gtin": q["gtin"], "sellerProductReference": "TWICE"},
            {"gtin": q["gtin"], "sellerProductReference": "TWICE"},
            {"gtin": q["gtin"], "sellerProductReference": "Q", "sellerId": "12345"},
        ],
    ).json()
    assert [r["status"] for r in results] == [
        "Refused",
        "Refused",
        "Created",
        "Refused",
        "Refused",
        "Refused",
    ]
    assert results[0]["errors"][0]["code"] == "ReferenceTaken"
    assert (
        results[1]["errors"][0]["code"] == "ProductConditionTaken"
        and "REF-A" in results[1]["errors"][0]["message"]
    )
    assert results[3]["errors"][0]["code"] == results[4]["errors"][0]["code"] == "DuplicateValue"
    assert results[5]["errors"][0]["field"] == "sellerId"
    # Another seller references the same product under the same reference: each seller has its own.
    assert reference(client, other_headers, p, "REF-A")["status"] == "Created"
    mine = client.get(f"{BASE}/stock-seller-references", params={"limit": 10}, headers=seller_headers).json()
    assert [x["sellerProductReference"] for x in mine["items"]] == ["REF-A", "REF-C"]
    theirs = client.get(f"{BASE}/stock-seller-references", params={"limit": 10}, headers=other_headers).json()
    assert [x["sellerProductReference"] for x in theirs["items"]] == ["REF-A"]


def test_a_broken_envelope_is_a_400(client, seller_headers):
    assert_problem(post(client, seller_headers, []), 400)
    assert_problem(post(client, seller_headers, "text"), 400)
    r = client.post(f"{BASE}/fulfillment-products", content=b"{", headers=seller_headers)
    assert_problem(r, 400)
    assert_problem(client.post(f"{BASE}/fulfillment-products", json=[{}]), 401)


def test_the_seller_reference_is_added_to_an_existing_product(client, db, seller_headers, other_headers):
    p = catalogue_product(db)
    # The warehouse knows the product from another seller's referencing: its logistic data follow.
    reference(client, other_headers, p, "THEIRS", weight=2.5, dimensionMaximum=30, traceability="LotNumber")
    path = f"{BASE}/fulfillment-products/{p['product_id']}/seller-product-references"
    r = client.put(path, json={"sellerProductReference": "MINE"}, headers=seller_headers)
    assert r.status_code == 201, r.text
    assert r.headers["content-location"] == "/stock-seller-references?sellerProductReference=MINE"
    body = r.json()
    assert (body["productId"], body["gtin"], body["productCondition"]) == (p["product_id"], p["gtin"], "New")
    assert (body["weight"], body["dimensionMaximum"], body["traceability"]) == (2.5, 30.0, "LotNumber")
    assert body["label"].startswith("Stored product")
    assert (
        client.put(path, json={"sellerProductReference": "MINE"}, headers=seller_headers).status_code == 200
    )
    # POST is taken too (clients differ), and the condition matches in any casing.
    r = client.post(
        path,
        json={"sellerProductReference": "MINE-USED", "productCondition": "goodstate"},
        headers=seller_headers,
    )
    assert r.status_code == 201 and r.json()["productCondition"] == "GoodState"
    assert (
        "MINE"
        in assert_problem(
            client.put(path, json={"sellerProductReference": "OTHER"}, headers=seller_headers), 409
        )["detail"]
    )
    q = catalogue_product(db)
    other_path = f"{BASE}/fulfillment-products/{q['product_id']}/seller-product-references"
    assert_problem(
        client.put(other_path, json={"sellerProductReference": "MINE"}, headers=seller_headers), 409
    )
    assert_problem(
        client.put(
            f"{BASE}/fulfillment-products/NOPE/seller-product-references",
            json={"sellerProductReference": "X"},
            headers=seller_headers,
        ),
        404,
    )
    problem = assert_problem(
        client.put(other_path, json={"productCondition": "New"}, headers=seller_headers), 400
    )
    assert "sellerProductReference" in problem["errors"]
    problem = assert_problem(
        client.put(
            other_path,
            json={"sellerProductReference": "Z", "productCondition": "Mint"},
            headers=seller_headers,
        ),
        400,
    )
    assert "productCondition" in problem["errors"]


def test_stock_seller_references_filter_and_page_by_cursor(client, db, seller_headers):
    products = [catalogue_product(db) for _ in range(5)]
    for i, p in enumerate(products):
        reference(client, seller_headers, p, f"R{i}")
    url = f"{BASE}/stock-seller-references"
    r = client.get(url, params={"limit": 2}, headers=seller_headers)
    seen = [x["sellerProductReference"] for x in r.json()["items"]]
    while 'rel="next"' in r.headers.get("link", ""):
        nxt = [part for part in r.headers["link"].split(", ") if 'rel="next"' in part][0]
        r = client.get(nxt[nxt.index("<") + 1 : nxt.index(">")], headers=seller_headers)
        seen += [x["sellerProductReference"] for x in r.json()["items"]]
    assert seen == ["R0", "R1", "R2", "R3", "R4"]
    by_ref = client.get(url, params={"sellerProductReference": "R1,R3"}, headers=seller_headers).json()[
        "items"
    ]
    assert [x["sellerProductReference"] for x in by_ref] == ["R1", "R3"]
    by_product = client.get(
        url, params={"productId": products[2]["product_id"]}, headers=seller_headers
    ).json()
    assert [x["sellerProductReference"] for x in by_product["items"]] == ["R2"]
    by_gtin = client.get(
        url, params=[("gtin", products[0]["gtin"]), ("gtin", products[4]["gtin"])], headers=seller_headers
    )
    assert [x["sellerProductReference"] for x in by_gtin.json()["items"]] == ["R0", "R4"]
    assert client.get(url, params={"productCondition": "used"}, headers=seller_headers).json()["items"] == []
    assert_problem(client.get(url, params={"productCondition": "Mint"}, headers=seller_headers), 400)
    assert_problem(client.get(url, params={"limit": 1001}, headers=seller_headers), 400)
    assert_problem(client.get(url, params={"cursor": "garbage"}, headers=seller_headers), 400)
