"""JSON offer packages and the live offer catalogue over HTTP: each rule accepted and refused."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select, update

from comptoir.jobs.models import Job
from comptoir.jobs.runtime import Worker
from comptoir.offers.models import Offer, OfferPackage, OfferPackageResults, OfferPackageUpload
from conftest import assert_problem, sandbox_headers, token_for
from offers.support import BASE, offer_request, offer_row

MY_OFFERS = select(func.count()).select_from(Offer).where(Offer.seller_id == "98979")


def links(response):
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers.get("link", ""))}


def result_codes(item):
    return [r["resultCode"] for r in item["results"]]


# --- creating packages ------------------------------------------------------------------------------


def test_create_package_answers_201_with_its_location_and_no_body(client, seller_headers):
    r = client.post(
        f"{BASE}/offer-packages",
        json={"packageType": "Upsert"},
        headers={**seller_headers, "SalesChannelId": "SELLZZ"},
    )
    assert r.status_code == 201
    assert r.content == b""
    package_id = r.headers["content-location"].rsplit("/", 1)[-1]
    assert r.headers["content-location"] == f"/offer-packages/{package_id}"
    # One rule for every create: Content-Location relative to the API base, Location absolute.
    assert r.headers["location"] == f"{client.base_url}/seller/v2/offer-packages/{package_id}"
    body = client.get(f"{BASE}/offer-packages/{package_id}", headers=seller_headers).json()
    assert body == {
        "offerRequestCount": 0,
        "packageId": package_id,
        "state": "WaitingForCompletion",
        "type": "Upsert",
        "salesChannelId": "SELLZZ",
        "submissionDate": body["submissionDate"],
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00", body["submissionDate"])


@pytest.mark.parametrize(
    ("where", "json_body", "headers"),
    [
        ("header", {"packageType": "Delete"}, {"salesChannelId": "CDISFR"}),
        ("query", {"packageType": "Delete"}, {}),
        ("body", {"PackageType": "Delete", "SalesChannelId": "CDISFR"}, {}),
    ],
)
def test_the_channel_may_come_from_header_query_or_body(client, seller_headers, where, json_body, headers):
    url = f"{BASE}/offer-packages" + ("?SalesChannelId=CDISFR" if where == "query" else "")
    r = client.post(url, json=json_body, headers={**seller_headers, **headers})
    assert r.status_code == 201, r.text
    package = client.get(f"{BASE}{r.headers['content-location']}", headers=seller_headers).json()
    assert (package["salesChannelId"], package["type"]) == ("CDISFR", "Delete")


@pytest.mark.parametrize(
    ("json_body", "headers", "field"),
    [
        ({"packageType": "upsert"}, {"SalesChannelId": "SELLZZ"}, "packageType"),
        ({"packageType": "Replace"}, {"SalesChannelId": "SELLZZ"}, "packageType"),
        ({}, {"SalesChannelId": "SELLZZ"}, "packageType"),
        ({"packageType": "Upsert"}, {}, "SalesChannelId"),
        ({"packageType": "Upsert"}, {"SalesChannelId": "NOPE"}, "SalesChannelId"),
    ],
)
def test_create_package_refusals(client, seller_headers, json_body, headers, field):
    r = client.post(f"{BASE}/offer-packages", json=json_body, headers={**seller_headers, **headers})
    assert field in assert_problem(r, 400)["errors"]


def test_packages_belong_to_their_seller(client, packages, other_headers):
    package_id = packages.create()
    assert_problem(client.get(f"{BASE}/offer-packages/{package_id}", headers=other_headers), 404)
    assert_problem(client.get(f"{BASE}/offer-packages/999999", headers=packages.headers), 404)
    for unknown in ("AAA0000001", "99999999999", "2147483648", "%C2%B2"):
        assert_problem(client.get(f"{BASE}/offer-packages/{unknown}", headers=packages.headers), 404)
    r = client.post(
        f"{BASE}/offer-packages/{package_id}/offer-requests",
        json=[{"sellerExternalReference": "A"}],
        headers=other_headers,
    )
    assert_problem(r, 404)
    assert_problem(
        client.patch(f"{BASE}/offer-packages/{package_id}", json={"state": "Ready"}, headers=other_headers),
        404,
    )
    listed = client.get(f"{BASE}/offer-packages", headers=other_headers).json()
    assert package_id not in [p["packageId"] for p in listed["items"]]


def test_list_packages_filters_and_pages(client, packages, make_products):
    ids = [packages.create("Upsert", "SELLZZ") for _ in range(3)] + [packages.create("Delete", "CDISFR")]
    packages.ready(ids[0])
    r = client.get(f"{BASE}/offer-packages?limit=2", headers=packages.headers)
    assert r.json()["itemsPerPage"] == 2
    assert [p["packageId"] for p in r.json()["items"]] == [ids[3], ids[2]]  # newest first
    second = client.get(links(r)["next"], headers=packages.headers)
    assert [p["packageId"] for p in second.json()["items"]] == [ids[1], ids[0]]
    assert "next" not in links(second)
    by_channel = client.get(f"{BASE}/offer-packages?salesChannelId=CDISFR", headers=packages.headers).json()
    assert [p["packageId"] for p in by_channel["items"]] == [ids[3]]
    ready = client.get(f"{BASE}/offer-packages?state=Ready", headers=packages.headers).json()
    assert [p["packageId"] for p in ready["items"]] == [ids[0]]
    assert (
        "state"
        in assert_problem(client.get(f"{BASE}/offer-packages?state=ready", headers=packages.headers), 400)[
            "errors"
        ]
    )
    assert_problem(client.get(f"{BASE}/offer-packages?limit=1001", headers=packages.headers), 400)


# --- uploads ----------------------------------------------------------------------------------------


def test_upload_counts_requests(packages, make_products):
    (p,) = make_products(1)
    package_id = packages.create()
    r = packages.upload(package_id, [offer_request("A", p), offer_request("B", p)])
    assert r.status_code == 200
    assert r.json() == {"packageId": package_id, "offerRequestCount": 2}
    assert packages.upload(package_id, [offer_request("C", p)]).json()["offerRequestCount"] == 3
    assert packages.get(package_id)["offerRequestCount"] == 3


def test_upload_sizes_are_bounded(client, db, packages, make_products):
    (p,) = make_products(1)
    package_id = packages.create()
    assert (
        "body"
        in assert_problem(packages.upload(package_id, [offer_request(f"R{i}", p) for i in range(101)]), 400)[
            "errors"
        ]
    )
    assert_problem(packages.upload(package_id, []), 400)
    assert packages.upload(package_id, [offer_request(f"R{i}", p) for i in range(100)]).status_code == 200
    # The package limit, without uploading 50,000 requests first.
    with db.transaction() as s:
        s.execute(
            update(OfferPackage).where(OfferPackage.id == int(package_id)).values(offer_request_count=49_950)
        )
    assert_problem(packages.upload(package_id, [offer_request(f"S{i}", p) for i in range(51)]), 400)
    assert (
        packages.upload(package_id, [offer_request(f"S{i}", p) for i in range(50)]).json()[
            "offerRequestCount"
        ]
        == 50_000
    )
    assert_problem(packages.upload(package_id, [offer_request("T", p)]), 400)


def test_upload_schema_errors_are_400(client, packages):
    package_id = packages.create()
    url = f"{BASE}/offer-packages/{package_id}/offer-requests"
    for body in (
        {"sellerExternalReference": "A"},
        [{"quantity": 1}],
        [{"sellerExternalReference": "A", "price": 5}],
    ):
        assert_problem(client.post(url, json=body, headers=packages.headers), 400)
    r = client.post(
        url, json=[{"sellerExternalReference": "A", "preparationTime": "four"}], headers=packages.headers
    )
    assert "[0].preparationTime" in assert_problem(r, 400)["errors"]
    r = client.post(url, content=b"[{", headers={**packages.headers, "Content-Type": "application/json"})
    assert_problem(r, 400)
    r = client.post(url, content=b"", headers={**packages.headers, "Content-Type": "application/json"})
    assert_problem(r, 400)
    r = client.post(url, content=b"[]", headers={**packages.headers, "Content-Type": "text/plain"})
    assert_problem(r, 415)
    assert packages.get(package_id)["offerRequestCount"] == 0


def test_uploads_accept_any_property_casing_unknown_properties_and_json_patch(
    client, packages, make_products
):
    (p,) = make_products(1)
    package_id = packages.create()
    request = {
        "SellerExternalReference": "CASED",
        "Product": {"GTIN": p.gtin},
        "CONDITION": "New",
        "Price": {"Price": 12.5, "Taxes": [{"Code": "VAT", "Value": 20}]},
        "DeliveryModes": [{"Code": "THD", "Cost": 1, "AdditionalCost": 0}],
        "quantity": "7",
        "comment": "ignored",
    }
    r = client.post(
        f"{BASE}/offer-packages/{package_id}/offer-requests",
        content=json.dumps([request]),
        headers={**packages.headers, "Content-Type": "application/json-patch+json"},
    )
    assert r.status_code == 200, r.text
    packages.ready(package_id)
    packages.drain()
    (result,) = packages.results(package_id)
    assert result["integrationStatus"] == "Integrated", result
    (offer,) = packages.offers(sellerExternalReferences="CASED")
    assert (offer["integrationPrice"], offer["quantity"], offer["offerState"]) == (12.5, 7, "Active")


# --- state machine ----------------------------------------------------------------------------------


def test_package_lifecycle_through_the_worker(db, packages, make_products):
    (p,) = make_products(1)
    package_id = packages.create()
    packages.upload(package_id, [offer_request("A", p)])
    r = packages.ready(package_id)
    assert r.status_code == 200 and r.json()["state"] == "Ready"
    assert packages.results(package_id) == []  # known package, not processed yet: empty, not 404
    worker = Worker(db)
    assert worker.run_one()
    assert packages.get(package_id)["state"] == "IntegrationPending"
    assert worker.run_one()
    package = packages.get(package_id)
    assert package["state"] == "Integrated" and "result" not in package
    (result,) = packages.results(package_id)
    assert result == {
        "sellerExternalReference": "A",
        "integrationStatus": "Integrated",
        "results": [{"resultCode": "8000", "message": "Offer created"}],
        "offerId": f"98979_{p.reference}_New_SELLZZ",
    }
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(OfferPackageUpload)) == 0


@pytest.mark.parametrize("stage", ["Ready", "IntegrationPending", "Integrated"])
def test_no_uploads_and_no_second_ready_after_ready(db, packages, make_products, stage):
    (p,) = make_products(1)
    package_id = packages.create()
    packages.upload(package_id, [offer_request("A", p)])
    packages.ready(package_id)
    worker = Worker(db)
    for _ in range({"Ready": 0, "IntegrationPending": 1, "Integrated": 2}[stage]):
        worker.run_one()
    assert packages.get(package_id)["state"] == stage
    assert_problem(packages.upload(package_id, [offer_request("B", p)]), 409)
    assert_problem(packages.ready(package_id), 409)


@pytest.mark.parametrize(
    "state", ["ready", "Integrated", "IntegrationPending", "WaitingForCompletion", "Rejected"]
)
def test_only_ready_can_be_requested(client, packages, state):
    package_id = packages.create()
    r = client.patch(f"{BASE}/offer-packages/{package_id}", json={"state": state}, headers=packages.headers)
    assert "state" in assert_problem(r, 400)["errors"]
    assert packages.get(package_id)["state"] == "WaitingForCompletion"


def test_ready_accepts_any_property_casing(client, packages):
    package_id = packages.create()
    r = client.patch(f"{BASE}/offer-packages/{package_id}", json={"State": "Ready"}, headers=packages.headers)
    assert r.status_code == 200 and r.json()["state"] == "Ready"


def test_a_package_of_an_unsubscribed_seller_is_rejected_whole(
    client, packages, make_products, operator_headers
):
    (p,) = make_products(1)
    package_id = packages.create()
    packages.upload(package_id, [offer_request("A", p)])
    r = client.post("/operator/v1/sellers/98979/subscriptions/SELLZZ/termination", headers=operator_headers)
    assert r.status_code == 204
    packages.ready(package_id)
    packages.drain()
    package = packages.get(package_id)
    assert package["state"] == "Rejected"
    assert package["result"]["resultCode"] == "2390"
    assert "SELLZZ" in package["result"]["message"]
    assert packages.results(package_id) == []
    assert packages.offers() == []


def test_an_empty_package_integrates_nothing(packages):
    package_id = packages.create()
    packages.ready(package_id)
    packages.drain()
    assert packages.get(package_id)["state"] == "Integrated"
    assert packages.results(package_id) == []


# --- per-request rules ------------------------------------------------------------------------------


def test_each_rule_refuses_its_request_and_the_others_integrate(packages, make_products, db):
    products = make_products(3)
    english = make_products(1, language="en-US")[0]
    p = products[0]
    cases = {
        "OK": (offer_request("OK", p), None),
        "TOO-LONG": (offer_request("X" * 51, products[1]), "4100"),
        "bad<ref": (offer_request("bad<ref", products[1]), "4100"),
        "GTIN15": (offer_request("GTIN15", None, product={"gtin": "123456789012345"}), "4101"),
        "UNKNOWN": (offer_request("UNKNOWN", None, product={"gtin": "3999999999994"}), "4001"),
        "UNKNOWN-REF": (offer_request("UNKNOWN-REF", None, product={"reference": "NOPE"}), "4001"),
        "MISMATCH": (
            offer_request("MISMATCH", None, product={"gtin": p.gtin, "reference": products[1].reference}),
            "4112",
        ),
        "NO-PRICE": (
            offer_request("NO-PRICE", products[1], price={"taxes": [{"code": "VAT", "value": 20}]}),
            "4102",
        ),
        "NO-TAXES": (offer_request("NO-TAXES", products[1], price={"price": 10}), "4102"),
        "NO-CONDITION": (offer_request("NO-CONDITION", products[1], condition=None), "4102"),
        "NO-QUANTITY": (offer_request("NO-QUANTITY", products[1], quantity=None), "4102"),
        "NO-MODES": (offer_request("NO-MODES", products[1], deliveryModes=None), "4102"),
        "BAD-CONDITION": (offer_request("BAD-CONDITION", products[1], condition="Broken"), "4103"),
        "ZERO-PRICE": (
            offer_request(
                "ZERO-PRICE", products[1], price={"price": 0, "taxes": [{"code": "VAT", "value": 20}]}
            ),
            "4104",
        ),
        "STRIKE": (
            offer_request(
                "STRIKE",
                products[1],
                price={"price": 10, "originPrice": 9, "taxes": [{"code": "VAT", "value": 20}]},
            ),
            "4104",
        ),
        "GST": (
            offer_request("GST", products[1], price={"price": 10, "taxes": [{"code": "GST", "value": 20}]}),
            "4105",
        ),
        "NEGATIVE": (offer_request("NEGATIVE", products[1], quantity=-1), "4106"),
        "TRK": (offer_request("TRK", products[1], deliveryModes=[{"code": "TRK", "cost": 1}]), "4107"),
        "TWICE-MODE": (
            offer_request(
                "TWICE-MODE",
                products[1],
                deliveryModes=[{"code": "THD", "cost": 1}, {"code": "thd", "cost": 2}],
            ),
            "4107",
        ),
        "PREP-0": (offer_request("PREP-0", products[1], preparationTime=0), "4108"),
        "PREP-11": (offer_request("PREP-11", products[1], preparationTime=11), "4108"),
        "USD": (
            offer_request(
                "USD",
                products[1],
                price={"price": 10, "currencyCode": "USD", "taxes": [{"code": "VAT", "value": 20}]},
            ),
            "4118",
        ),
        "SAME-PRODUCT": (offer_request("SAME-PRODUCT", p), "4111"),
        "EN-OK": (offer_request("EN-OK", english), None),
        "DUP": (offer_request("DUP", products[2]), "4200"),
    }
    requests = [request for request, _ in cases.values()] + [offer_request("DUP", products[2], quantity=3)]
    results = packages.run(requests)
    assert len(results) == len(requests)
    by_ref = {}
    for item in results:
        by_ref.setdefault(item["sellerExternalReference"], []).append(item)
    for ref, (request, code) in cases.items():
        items = by_ref[request["sellerExternalReference"]]
        for item in items:
            if code is None:
                assert item["integrationStatus"] == "Integrated", item
            elif code == "4200":
                assert item["integrationStatus"] == "Duplicated" and result_codes(item) == ["4200"], item
            else:
                assert item["integrationStatus"] == "Rejected" and code in result_codes(item), (ref, item)
                assert "offerId" not in item
    assert len(by_ref["DUP"]) == 2
    assert {o["sellerExternalReference"] for o in packages.offers()} == {"OK", "EN-OK"}
    assert offer_row(db, "98979", "SELLZZ", "DUP") is None


def test_gtin_and_language_rules_on_cdiscount(packages, make_products):
    fr, en = make_products(1)[0], make_products(1, language="en-US")[0]
    short = make_products(1, gtin_length=8)[0]
    modes = [{"code": "TRK", "cost": 2.5}]
    results = packages.run(
        [
            offer_request("FR", fr, deliveryModes=modes),
            offer_request("EN", en, deliveryModes=modes),
            offer_request("SHORT", short, deliveryModes=modes),
        ],
        channel="CDISFR",
    )
    assert [(r["integrationStatus"], result_codes(r)) for r in results] == [
        ("Integrated", ["8000"]),
        ("Rejected", ["4113"]),
        ("Rejected", ["4101"]),
    ]
    # 8 digits are fine elsewhere.
    assert packages.run([offer_request("SHORT", short)])[0]["integrationStatus"] == "Integrated"


def test_special_characters_and_50_character_references(packages, make_products):
    products = make_products(2)
    refs = ["Ref {1}@%;$=[a]/,-(b)'\"\\&!#^?_+:. x", "y" * 50]
    results = packages.run([offer_request(refs[0], products[0]), offer_request(refs[1], products[1])])
    assert [r["integrationStatus"] for r in results] == ["Integrated", "Integrated"]
    assert {o["sellerExternalReference"] for o in packages.offers()} == set(refs)


def test_product_reference_names_the_product(packages, make_products):
    (p,) = make_products(1)
    (result,) = packages.run([offer_request("BY-REF", None, product={"reference": p.reference})])
    assert result["offerId"] == f"98979_{p.reference}_New_SELLZZ"
    assert packages.offers()[0]["gtin"] == p.gtin


def test_delivery_modes_follow_the_sellers_configuration(client, packages, make_products, operator_headers):
    (p,) = make_products(1)
    r = client.post(
        "/operator/v1/sellers/98979/subscriptions",
        json={"salesChannelId": "SELLZZ", "deliveryModes": ["THD"]},
        headers=operator_headers,
    )
    assert r.status_code in (200, 201), r.text
    results = packages.run(
        [
            offer_request("THD", p),
            offer_request("EHD", make_products(1)[0], deliveryModes=[{"code": "EHD", "cost": 9}]),
        ]
    )
    assert [result_codes(r) for r in results] == [["8000"], ["4107"]]


def test_tax_codes_and_conditions_are_case_insensitive(packages, make_products):
    (p,) = make_products(1)
    taxes = [
        {"code": "vat", "type": "Rate", "value": 0.055},
        {"code": "ECOTAX", "value": 0.5},
        {"code": "deaTax", "value": 0.1},
    ]
    (result,) = packages.run(
        [offer_request("T", p, condition="likenew", price={"price": 20, "taxes": taxes})]
    )
    assert result["integrationStatus"] == "Integrated", result
    (offer,) = packages.offers()
    assert offer["condition"] == "LikeNew"
    assert offer["taxes"] == [
        {"code": "VAT", "value": 5.5},
        {"code": "EcoTax", "value": 0.5},
        {"code": "DeaTax", "value": 0.1},
    ]


def test_upsert_replaces_update_changes_what_it_carries_delete_removes(packages, make_products):
    p, q = make_products(2)
    packages.run([offer_request("A", p), offer_request("B", q)])
    (a,) = packages.offers(sellerExternalReferences="A")
    assert a["originPrice"] == 59.99 and a["preparationTime"] == 2

    # Upsert replaces the whole offer: what it does not carry is gone.
    packages.run(
        [
            offer_request(
                "A", p, price={"price": 30, "taxes": [{"code": "VAT", "value": 10}]}, preparationTime=None
            )
        ]
    )
    (a,) = packages.offers(sellerExternalReferences="A")
    assert (a["integrationPrice"], a["originPrice"], a["preparationTime"], a["taxes"]) == (
        30.0,
        None,
        None,
        [{"code": "VAT", "value": 10.0}],
    )

    # Update changes only what it carries; taxes and delivery modes are replaced as whole lists.
    results = packages.run(
        [
            {"sellerExternalReference": "A", "price": {"price": 25}},
            {
                "sellerExternalReference": "B",
                "price": {"taxes": [{"code": "VAT", "value": 5.5}]},
                "deliveryModes": [{"code": "EHD", "cost": 7}],
            },
            {"sellerExternalReference": "NOPE", "quantity": 1},
            {"sellerExternalReference": "A2", "product": {"gtin": q.gtin}, "quantity": 1},
        ],
        package_type="Update",
    )
    assert [result_codes(r) for r in results] == [["8001"], ["8001"], ["4109"], ["4109"]]
    (a,) = packages.offers(sellerExternalReferences="A")
    assert (a["integrationPrice"], a["quantity"], a["taxes"]) == (25.0, 10, [{"code": "VAT", "value": 10.0}])
    (b,) = packages.offers(sellerExternalReferences="B")
    assert b["taxes"] == [{"code": "VAT", "value": 5.5}]
    assert b["deliveryModes"] == [{"code": "EHD", "cost": 7.0, "additionalCost": 0.0}]
    assert b["integrationPrice"] == 49.99

    # The product and condition of an offer cannot change.
    results = packages.run(
        [
            {"sellerExternalReference": "A", "product": {"gtin": q.gtin}},
            {"sellerExternalReference": "B", "condition": "LikeNew"},
            {"sellerExternalReference": "B", "condition": "Used"},
        ],
        package_type="Update",
    )
    assert [result_codes(r) for r in results] == [["4110"], ["4200"], ["4200"]]
    results = packages.run([{"sellerExternalReference": "B", "condition": "LikeNew"}], package_type="Update")
    assert [result_codes(r) for r in results] == [["4110"]]

    results = packages.run(
        [{"sellerExternalReference": "A"}, {"sellerExternalReference": "GONE"}], package_type="Delete"
    )
    assert [result_codes(r) for r in results] == [["8002"], ["4109"]]
    assert [o["sellerExternalReference"] for o in packages.offers()] == ["B"]


# --- Active / Inactive and shared stock -------------------------------------------------------------


def test_active_only_with_everything_and_stock(packages, make_products):
    p, q = make_products(2)
    packages.run([offer_request("STOCK", p), offer_request("EMPTY", q, quantity=0)])
    assert {o["sellerExternalReference"]: o["offerState"] for o in packages.offers()} == {
        "STOCK": "Active",
        "EMPTY": "Inactive",
    }
    packages.run([{"sellerExternalReference": "STOCK", "deliveryModes": []}], package_type="Update")
    assert packages.offers(sellerExternalReferences="STOCK")[0]["offerState"] == "Inactive"
    packages.run([{"sellerExternalReference": "EMPTY", "quantity": 4}], package_type="Update")
    assert packages.offers(sellerExternalReferences="EMPTY")[0]["offerState"] == "Active"
    assert [o["sellerExternalReference"] for o in packages.offers(offerStates="Inactive")] == ["STOCK"]


def test_stock_is_shared_across_channels_for_the_same_product_and_condition(packages, make_products):
    (p,) = make_products(1)
    packages.run(
        [offer_request("CD", p, deliveryModes=[{"code": "TRK", "cost": 3}], quantity=5)], channel="CDISFR"
    )
    packages.run([offer_request("ZZ", p, quantity=8)], channel="SELLZZ")
    assert packages.offers("CDISFR")[0]["quantity"] == 8
    packages.run([{"sellerExternalReference": "ZZ", "quantity": 0}], package_type="Update", channel="SELLZZ")
    cd = packages.offers("CDISFR")[0]
    assert (cd["quantity"], cd["offerState"]) == (0, "Inactive")
    assert packages.offers("SELLZZ")[0]["offerState"] == "Inactive"
    # Another condition is another stock.
    packages.run([offer_request("ZZ-USED", p, condition="GoodState", quantity=2)], channel="SELLZZ")
    assert packages.offers("CDISFR")[0]["quantity"] == 0


# --- results: paging and retention ------------------------------------------------------------------


def test_results_are_paged_with_link_cursors(client, packages, make_products):
    products = make_products(250)
    package_id = packages.create()
    requests = [offer_request(f"R{i:03d}", products[i]) for i in range(250)]
    for start in range(0, 250, 100):
        packages.upload(package_id, requests[start : start + 100])
    packages.ready(package_id)
    packages.drain()
    url = f"{BASE}/offer-packages/{package_id}/offer-requests-results?limit=100"
    seen, pages = [], []
    while url:
        r = client.get(url, headers=packages.headers)
        pages.append(r)
        seen += [i["sellerExternalReference"] for i in r.json()["items"]]
        url = links(r).get("next")
    assert seen == [f"R{i:03d}" for i in range(250)]
    assert [p.json()["itemsPerPage"] for p in pages] == [100, 100, 50]
    back = client.get(links(pages[2])["prev"], headers=packages.headers).json()["items"]
    assert back[0]["sellerExternalReference"] == "R100" and len(back) == 100
    r = client.get(
        f"{BASE}/offer-packages/{package_id}/offer-requests-results?Cursor=garbage", headers=packages.headers
    )
    assert_problem(r, 400)


def test_results_are_kept_three_days_by_the_platform_clock(client, db, packages, make_products):
    def relog():
        # Tokens live 2 hours of the same clock.
        packages.headers["Authorization"] = f"Bearer {token_for(client, 'demo-client', 'demo-secret')}"

    (p,) = make_products(1)
    package_id = packages.create()
    packages.upload(package_id, [offer_request("A", p)])
    packages.ready(package_id)
    packages.drain()
    assert len(packages.results(package_id)) == 1
    client.post("/sandbox/v1/clock", json={"advanceSeconds": 3 * 86400 - 60}, headers=sandbox_headers(client))
    relog()
    assert packages.drain() == 0
    assert len(packages.results(package_id)) == 1
    client.post("/sandbox/v1/clock", json={"advanceSeconds": 120}, headers=sandbox_headers(client))
    relog()
    assert packages.results(package_id) == []
    assert packages.drain() == 0  # moving the clock past it ran the purge
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(OfferPackageResults)) == 0
    assert packages.get(package_id)["state"] == "Integrated"
    assert len(packages.offers()) == 1  # the offers stay, only the results go


# --- each offer applied exactly once ----------------------------------------------------------------


def test_running_the_integration_twice_applies_it_once(db, packages, make_products):
    from comptoir.offers import packages as json_packages

    products = make_products(3)
    package_id = packages.create()
    packages.upload(package_id, [offer_request(f"R{i}", products[i]) for i in range(3)])
    packages.ready(package_id)
    Worker(db).run_one()  # Ready -> IntegrationPending
    with db.transaction() as s:
        json_packages.integrate_package(s, int(package_id))
    with db.transaction() as s:
        json_packages.integrate_package(s, int(package_id))  # a redelivered job finds the package done
    assert len(packages.results(package_id)) == 3
    with db.read() as s:
        assert s.scalar(MY_OFFERS) == 3
        jobs = s.scalars(select(Job.kind).where(Job.kind == "offers.purge_results")).all()
    assert len(jobs) == 1


KILLED_WORKER = """
import sys, threading, time
from pathlib import Path
from comptoir import features
features.load_models(); features.register_jobs()
from comptoir.offers import rows
from comptoir.db import Database
from comptoir.jobs.runtime import Worker

write = rows.write
def write_then_hang(*args, **kwargs):
    write(*args, **kwargs)  # the offers are written, in the job's transaction, not committed
    Path(sys.argv[2]).write_text("written")
    time.sleep(60)
rows.write = write_then_hang
Worker(Database(sys.argv[1]), lease_seconds=1.5, poll_seconds=0.05).run_forever(threading.Event())
"""


def test_a_worker_killed_during_integration_leaves_it_to_the_next_one(
    db, settings, packages, make_products, tmp_path
):
    products = make_products(5)
    package_id = packages.create()
    packages.upload(package_id, [offer_request(f"R{i}", products[i]) for i in range(5)])
    packages.ready(package_id)
    Worker(db).run_one()  # Ready -> IntegrationPending; the killed worker takes the integration
    marker = tmp_path / "written"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WORKER, settings.database_url, str(marker)])
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert time.monotonic() < deadline, "the worker never reached the writes"
            assert proc.poll() is None, "the worker died on its own"
            time.sleep(0.05)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert packages.get(package_id)["state"] == "IntegrationPending"
    with db.read() as s:
        assert s.scalar(MY_OFFERS) == 0  # nothing of the killed transaction
    time.sleep(1.6)  # the killed worker's lease expires
    assert packages.drain() >= 1
    assert packages.get(package_id)["state"] == "Integrated"
    results = packages.results(package_id)
    assert [r["results"][0]["resultCode"] for r in results] == ["8000"] * 5
    with db.read() as s:
        assert s.scalar(MY_OFFERS) == 5
        assert s.scalar(select(func.count()).select_from(OfferPackageUpload)) == 0


# --- live catalogue ---------------------------------------------------------------------------------


def test_offers_need_a_known_channel_and_a_sane_limit(client, seller_headers):
    assert (
        "salesChannelId"
        in assert_problem(client.get(f"{BASE}/offers", headers=seller_headers), 400)["errors"]
    )
    assert_problem(client.get(f"{BASE}/offers?salesChannelId=NOPE", headers=seller_headers), 400)
    assert_problem(client.get(f"{BASE}/offers?salesChannelId=SELLZZ&limit=1001", headers=seller_headers), 400)
    assert_problem(client.get(f"{BASE}/offers?salesChannelId=SELLZZ&limit=0", headers=seller_headers), 400)
    r = client.get(f"{BASE}/offers?salesChannelId=SELLZZ&limit=1000", headers=seller_headers)
    assert r.status_code == 200 and r.json() == {"itemsPerPage": 0, "items": []}


def test_offer_filters(client, packages, make_products):
    products = make_products(4)
    packages.run([offer_request(f"R{i}", products[i], quantity=i) for i in range(4)])
    offers = packages.offers()
    assert [o["sellerExternalReference"] for o in offers] == ["R0", "R1", "R2", "R3"]
    assert {
        o["sellerExternalReference"]
        for o in packages.offers(offerIds=f"{offers[1]['offerId']},{offers[3]['offerId']}")
    } == {
        "R1",
        "R3",
    }
    assert packages.offers(offerIds="98979_X_New_CDISFR,junk") == []
    assert [o["sellerExternalReference"] for o in packages.offers(sellerExternalReferences="R2,R0")] == [
        "R0",
        "R2",
    ]
    r = client.get(
        f"{BASE}/offers?salesChannelId=SELLZZ&sellerExternalReferences=R1&sellerExternalReferences=R3",
        headers=packages.headers,
    )
    assert [o["sellerExternalReference"] for o in r.json()["items"]] == ["R1", "R3"]
    assert [o["sellerExternalReference"] for o in packages.offers(gtins=products[2].gtin)] == ["R2"]
    assert [o["sellerExternalReference"] for o in packages.offers(offerStates="Inactive")] == ["R0"]
    assert len(packages.offers(offerStates="Active,Inactive")) == 4
    assert_problem(
        client.get(f"{BASE}/offers?salesChannelId=SELLZZ&offerStates=active", headers=packages.headers), 400
    )
    assert len(packages.offers(updatedAtMin="2000-01-01T00:00:00Z")) == 4
    assert packages.offers(updatedAtMin="2999-01-01T00:00:00.0000000+00:00") == []
    assert_problem(
        client.get(f"{BASE}/offers?salesChannelId=SELLZZ&updatedAtMin=yesterday", headers=packages.headers),
        400,
    )


def test_offers_are_paged_with_link_cursors(client, packages, make_products):
    products = make_products(5)
    packages.run([offer_request(f"R{i}", products[i]) for i in range(5)])
    url, seen = f"{BASE}/offers?salesChannelId=SELLZZ&limit=2", []
    while url:
        r = client.get(url, headers=packages.headers)
        seen += [o["sellerExternalReference"] for o in r.json()["items"]]
        url = links(r).get("next")
    assert seen == ["R0", "R1", "R2", "R3", "R4"]


def test_offers_belong_to_their_seller(client, packages, other_packages, make_products):
    (p,) = make_products(1)
    packages.run([offer_request("MINE", p)])
    theirs = other_packages.offers()
    assert {o["sellerId"] for o in theirs} <= {"12345"}
    assert "MINE" not in {o["sellerExternalReference"] for o in theirs}


def test_fields_select_with_base_fields_and_win_over_expand(client, packages, make_products):
    (p,) = make_products(1)
    packages.run([offer_request("A", p)])
    (offer,) = packages.offers(fields="condition,facialPrice.price")
    assert set(offer) == {
        "offerId",
        "sellerExternalReference",
        "offerState",
        "createdAt",
        "updatedAt",
        "condition",
        "facialPrice",
    }
    assert offer["facialPrice"] == {"price": 49.99}
    # expand is ignored when fields is given (even where expand would be refused).
    (offer,) = packages.offers(fields="condition", expand="salesChannelFeedback")
    assert "salesChannelFeedback" not in offer
    r = client.get(
        f"{BASE}/offers?salesChannelId=SELLZZ&expand=salesChannelFeedback", headers=packages.headers
    )
    assert "expand" in assert_problem(r, 400)["errors"]
    r = client.get(
        f"{BASE}/offers?salesChannelId=SELLZZ&fields=salesChannelFeedback", headers=packages.headers
    )
    assert_problem(r, 400)
    r = client.get(f"{BASE}/offers?salesChannelId=CDISFR&expand=somethingElse", headers=packages.headers)
    assert_problem(r, 400)


def test_competition_comes_from_other_sellers_offers(client, packages, other_packages, make_products):
    p, q = make_products(2)
    trk = [{"code": "TRK", "cost": 2}]
    packages.run(
        [offer_request("MINE", p, deliveryModes=trk), offer_request("ALONE", q, deliveryModes=trk)],
        channel="CDISFR",
    )
    other_packages.run(
        [
            offer_request(
                "THEIRS",
                p,
                deliveryModes=[{"code": "TRK", "cost": 1}],
                price={"price": 45, "taxes": [{"code": "VAT", "value": 20}]},
            )
        ],
        channel="CDISFR",
    )
    offers = {o["sellerExternalReference"]: o for o in packages.offers("CDISFR")}
    assert "salesChannelFeedback" not in offers["MINE"]
    assert offers["MINE"]["offerCompetition"] == {
        "competingOfferCount": 1,
        "isBestOffer": False,
        "bestOfferPrice": 45.0,
    }
    assert offers["ALONE"]["offerCompetition"]["isBestOffer"] is True

    expanded = {
        o["sellerExternalReference"]: o for o in packages.offers("CDISFR", expand="salesChannelFeedback")
    }
    feedback = expanded["MINE"]["salesChannelFeedback"]
    assert feedback["onlineStatus"] == "Online"
    assert feedback["bestOfferDetails"] == {
        "sellerId": "12345",
        "price": 45.0,
        "totalPrice": 46.0,
        "isBestOffer": False,
    }
    assert feedback["competingOffers"] == [
        {
            "sellerId": "12345",
            "sellerName": "Other Store",
            "condition": "New",
            "price": 45.0,
            "shippingCost": 1.0,
            "totalPrice": 46.0,
            "isBestOffer": True,
        }
    ]
    assert "NotBestOffer" in feedback["offerQuality"]["scoreReasons"]
    assert feedback["productInformation"] == {"productReviewsAverageRating": None, "productReviewsCount": 0}
    assert expanded["ALONE"]["salesChannelFeedback"]["competingOffers"] == []
    (only,) = packages.offers(
        "CDISFR", fields="salesChannelFeedback.competingOffers", sellerExternalReferences="MINE"
    )
    assert only["salesChannelFeedback"] == {"competingOffers": feedback["competingOffers"]}


def test_octopia_channels_show_best_offer_and_acceptance(packages, other_packages, make_products):
    (p,) = make_products(1)
    packages.run([offer_request("MINE", p)])
    other_packages.run(
        [offer_request("THEIRS", p, price={"price": 99, "taxes": [{"code": "VAT", "value": 20}]})]
    )
    (mine,) = packages.offers()
    assert mine["isBestOffer"] is True
    assert mine["bestOffer"] == {"sellerId": "98979", "price": 49.99, "totalPrice": 51.98}
    assert mine["salesChannelAcceptanceStatus"] == "Accepted"
    assert mine["deliveryOffers"] == [{"storageCountry": "FR", "deliveryModeCode": "THD", "cost": 1.99}]
    assert "offerCompetition" not in mine


def test_operator_reads_a_sellers_offers(client, packages, make_products, operator_headers):
    (p,) = make_products(1)
    packages.run([offer_request("A", p)])
    r = client.get("/operator/v1/sellers/98979/offers?salesChannelId=SELLZZ", headers=operator_headers)
    assert [o["sellerExternalReference"] for o in r.json()["items"]] == ["A"]
    assert_problem(
        client.get("/operator/v1/sellers/98979/offers?salesChannelId=SELLZZ", headers=packages.headers), 403
    )


def test_demo_competitor_offers_are_seeded_on_demo_products(client, db):
    from comptoir.catalog.models import Product

    with db.read() as s:
        products = s.scalar(select(func.count()).select_from(Product).where(Product.language == "fr-FR"))
        offers = s.scalars(select(Offer.offer_state).where(Offer.seller_id == "12345")).all()
    assert len(offers) == 2 * min(products, 6)
    assert set(offers) <= {"Active"}


def test_the_competitor_seed_is_idempotent(client, db):
    from comptoir.offers.demo import seed

    with db.read() as s:
        before = s.scalar(select(func.count()).select_from(Offer))
    with db.transaction() as s:
        seed(s)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Offer)) == before


def test_upload_bodies_are_kept_until_integration(db, packages, make_products):
    (p,) = make_products(1)
    package_id = packages.create()
    packages.upload(package_id, [offer_request("A", p)])
    with db.read() as s:
        (body,) = s.scalars(select(OfferPackageUpload.body)).all()
    assert json.loads(body)[0]["sellerExternalReference"] == "A"


def test_demo_products_have_a_competitor(client, db, packages):
    from comptoir.catalog.models import Product

    with db.read() as s:
        gtin = s.scalar(select(Product.gtin).where(Product.language == "fr-FR").order_by(Product.id).limit(1))
    request = offer_request("DEMO", None, product={"gtin": gtin}, deliveryModes=[{"code": "TRK", "cost": 1}])
    assert packages.run([request], channel="CDISFR")[0]["integrationStatus"] == "Integrated"
    (offer,) = packages.offers("CDISFR", expand="salesChannelFeedback")
    (competitor,) = offer["salesChannelFeedback"]["competingOffers"]
    assert (competitor["sellerId"], competitor["price"], competitor["shippingCost"]) == ("12345", 19.9, 4.9)
    assert offer["offerCompetition"] == {
        "competingOfferCount": 1,
        "isBestOffer": False,
        "bestOfferPrice": 19.9,
    }
