"""The deprecated offer routes old connectors still call (spec 9.2, 9.3, 17), over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conftest import assert_problem, fresh_headers, sandbox_headers
from offers.support import BASE, offer_request

DEPRECATION = f"@{int(datetime(2025, 6, 1, tzinfo=UTC).timestamp())}"
SUCCESSOR = '</seller/v2/offers>; rel="successor-version"'
TRK = [{"code": "TRK", "cost": 2}]


def named(problem, field):
    """Whether the problem names the field by its wire name (`$limit`, never the Python `limit`)."""
    return field in problem.get("errors", {})


def refs(response):
    assert response.status_code == 200, response.text
    return [o["sellerExternalReference"] for o in response.json()["items"]]


# --- POST /offers/search --------------------------------------------------------------------------


@pytest.fixture
def four_offers(packages, make_products):
    products = make_products(4)
    packages.run([offer_request(f"S{i}", products[i], quantity=i) for i in range(4)])
    return {o["sellerExternalReference"]: o for o in packages.offers()}, products


def test_search_answers_as_get_offers_with_a_deprecation_header(client, packages, four_offers):
    offers, _ = four_offers
    r = client.post(f"{BASE}/offers/search", json={"salesChannelId": "SELLZZ"}, headers=packages.headers)
    assert r.status_code == 200, r.text
    assert r.headers["deprecation"] == DEPRECATION == "@1748736000"
    assert r.headers["link"] == SUCCESSOR
    assert r.json() == {"itemsPerPage": 4, "items": list(offers.values())}


def test_search_filters_come_in_the_body(client, packages, four_offers):
    offers, products = four_offers

    def search(body, **params):
        return refs(client.post(f"{BASE}/offers/search", json=body, params=params, headers=packages.headers))

    sellzz = {"salesChannelId": "SELLZZ"}
    assert search({**sellzz, "offerIds": [offers["S1"]["offerId"], offers["S3"]["offerId"]]}) == ["S1", "S3"]
    assert search({**sellzz, "sellerExternalReferences": "S2,S0"}) == ["S0", "S2"]
    assert search({**sellzz, "gtins": [products[2].gtin]}) == ["S2"]
    assert search({**sellzz, "offerStates": ["Inactive"]}) == ["S0"]
    assert search({**sellzz, "updatedAtMin": "2999-01-01T00:00:00Z"}) == []
    # Property names in any casing; the channel from the query or the SalesChannelId header too.
    assert search({"OfferStates": "Active", "SellerExternalReferences": ["S1"]}, salesChannelId="SELLZZ") == [
        "S1"
    ]
    r = client.post(
        f"{BASE}/offers/search", json={}, headers={**packages.headers, "SalesChannelId": "SELLZZ"}
    )
    assert refs(r) == ["S0", "S1", "S2", "S3"]
    # Without a body, every offer of the channel.
    r = client.post(f"{BASE}/offers/search?salesChannelId=SELLZZ", headers=packages.headers)
    assert refs(r) == ["S0", "S1", "S2", "S3"]


def test_search_pages_by_limit_and_page(client, packages, four_offers):
    def page(number, size=3):
        return refs(
            client.post(
                f"{BASE}/offers/search?$limit={size}&$page={number}",
                json={"salesChannelId": "SELLZZ"},
                headers=packages.headers,
            )
        )

    assert page(1) == ["S0", "S1", "S2"]
    assert page(2) == ["S3"]
    assert page(3) == []
    assert page(2, size=1) == ["S1"]


@pytest.mark.parametrize(
    ("query", "body", "field"),
    [
        ("", {}, "salesChannelId"),
        ("", {"salesChannelId": "NOPE"}, "salesChannelId"),
        ("?$limit=0", {"salesChannelId": "SELLZZ"}, "$limit"),
        ("?$limit=1001", {"salesChannelId": "SELLZZ"}, "$limit"),
        ("?$page=0", {"salesChannelId": "SELLZZ"}, "$page"),
        ("", {"salesChannelId": "SELLZZ", "offerStates": ["active"]}, "offerStates"),
        ("", {"salesChannelId": "SELLZZ", "updatedAtMin": "yesterday"}, "updatedAtMin"),
        ("", {"salesChannelId": "SELLZZ", "gtins": 5}, "gtins"),
        ("", {"salesChannelId": "SELLZZ", "offerIds": ["x"] * 1001}, "offerIds"),
    ],
)
def test_search_refusals_are_problems(client, seller_headers, query, body, field):
    r = client.post(f"{BASE}/offers/search{query}", json=body, headers=seller_headers)
    problem = assert_problem(r, 400)
    assert named(problem, field), problem


def test_search_bodies_that_are_not_a_search(client, seller_headers):
    assert_problem(client.post(f"{BASE}/offers/search", content=b"{not json", headers=seller_headers), 400)
    assert_problem(client.post(f"{BASE}/offers/search", json=["S1"], headers=seller_headers), 400)


def test_search_is_the_sellers_own(client, packages, other_packages, four_offers):
    r = client.post(
        f"{BASE}/offers/search", json={"salesChannelId": "SELLZZ"}, headers=other_packages.headers
    )
    assert not {"S0", "S1", "S2", "S3"} & set(refs(r))


# --- competition ------------------------------------------------------------------------------------


@pytest.fixture
def competition(packages, other_packages, make_products):
    """MINE competes with THEIRS on CDISFR; ALONE has no competitor."""
    p, q = make_products(2)
    packages.run(
        [offer_request("MINE", p, deliveryModes=TRK), offer_request("ALONE", q, deliveryModes=TRK)],
        channel="CDISFR",
    )
    other_packages.run(
        [
            offer_request(
                "THEIRS", p, deliveryModes=TRK, price={"price": 45, "taxes": [{"code": "VAT", "value": 20}]}
            )
        ],
        channel="CDISFR",
    )
    return p, q


def test_competing_offers_answer_as_their_successor(client, packages, competition):
    p, q = competition
    r = client.get(f"{BASE}/competing-offers?products={p.reference}", headers=packages.headers)
    assert r.status_code == 200, r.text
    assert r.headers["deprecation"] == DEPRECATION
    assert r.headers["link"] == SUCCESSOR
    [mine] = r.json()["items"]
    [successor] = packages.offers("CDISFR", expand="salesChannelFeedback", sellerExternalReferences="MINE")
    feedback = successor["salesChannelFeedback"]
    assert mine == {
        "offerId": successor["offerId"],
        "salesChannelId": "CDISFR",
        "sellerExternalReference": "MINE",
        "gtin": p.gtin,
        "productReference": p.reference,
        "condition": "New",
        "offerState": "Active",
        "facialPrice": successor["facialPrice"],
        "createdAt": successor["createdAt"],
        "updatedAt": successor["updatedAt"],
        "salesChannelFeedback": {
            "bestOfferDetails": feedback["bestOfferDetails"],
            "competingOffers": feedback["competingOffers"],
        },
    }
    assert [c["sellerId"] for c in feedback["competingOffers"]] == ["12345"]


def test_competing_offers_name_products_by_reference_or_gtin_in_any_list_form(client, packages, competition):
    p, q = competition

    def named(query):
        return refs(client.get(f"{BASE}/competing-offers?{query}", headers=packages.headers))

    assert named(f"products={p.reference}&products={q.gtin}") == ["ALONE", "MINE"]
    assert named(f"products={q.reference},{p.gtin}") == ["ALONE", "MINE"]
    assert named(f"products[0]={p.reference}&products[1]={q.reference}") == ["ALONE", "MINE"]
    assert named(f"products%5B%5D={q.gtin}") == ["ALONE"]
    assert named(f"Products={q.reference}") == ["ALONE"]
    assert named(f"products={p.reference}&$limit=1&$page=1") == ["MINE"]
    assert named(f"products={p.reference},{q.reference}&$limit=1&$page=2") == ["MINE"]
    assert named("products=NOPE") == []
    # On another channel when named: the seller sells neither product on SELLZZ.
    assert named(f"products={p.reference}&salesChannelId=SELLZZ") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "products"),
        ("products=", "products"),
        ("products=X&salesChannelId=NOPE", "salesChannelId"),
        ("products=X&$limit=5000", "$limit"),
        ("products=" + ",".join(["X"] * 1001), "products"),
    ],
)
def test_competing_offers_refusals_are_problems(client, seller_headers, query, field):
    problem = assert_problem(client.get(f"{BASE}/competing-offers?{query}", headers=seller_headers), 400)
    assert named(problem, field), problem


def test_competing_offer_changes_list_the_offers_whose_competition_changed(
    client, packages, other_packages, competition
):
    p, _ = competition
    r = client.get(f"{BASE}/competing-offer-changes", headers=packages.headers)
    assert refs(r) == ["MINE"]
    assert r.headers["deprecation"] == DEPRECATION
    assert r.headers["link"] == SUCCESSOR
    [mine] = r.json()["items"]
    assert mine["salesChannelFeedback"]["competingOffers"][0]["price"] == 45.0
    assert (
        refs(
            client.get(
                f"{BASE}/competing-offer-changes?updatedAtMin=2999-01-01T00:00:00Z", headers=packages.headers
            )
        )
        == []
    )
    # The seller's own changes are not competition changes; the competitor's are.
    r = client.get(f"{BASE}/competing-offer-changes", headers=other_packages.headers)
    assert "THEIRS" in refs(r)


def test_competing_offer_changes_look_back_a_day_by_default(client, packages, competition):
    r = client.post("/sandbox/v1/clock", json={"advanceSeconds": 2 * 86400}, headers=sandbox_headers(client))
    assert r.status_code == 200, r.text
    try:
        headers = fresh_headers(client)
        assert refs(client.get(f"{BASE}/competing-offer-changes", headers=headers)) == []
        r = client.get(f"{BASE}/competing-offer-changes?updatedAtMin=2000-01-01T00:00:00Z", headers=headers)
        assert refs(r) == ["MINE"]
    finally:
        client.post("/sandbox/v1/clock", json={"reset": True}, headers=sandbox_headers(client))


def test_competing_offer_changes_refusals_are_problems(client, seller_headers):
    for query, field in (
        ("updatedAtMin=yesterday", "updatedAtMin"),
        ("salesChannelId=NOPE", "salesChannelId"),
    ):
        problem = assert_problem(
            client.get(f"{BASE}/competing-offer-changes?{query}", headers=seller_headers), 400
        )
        assert named(problem, field), problem
    assert_problem(client.get(f"{BASE}/competing-offer-changes?$page=0", headers=seller_headers), 400)


# --- OpenAPI ----------------------------------------------------------------------------------------


def test_openapi_marks_them_deprecated(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path, method in (
        ("/seller/v2/offers/search", "post"),
        ("/seller/v2/competing-offers", "get"),
        ("/seller/v2/competing-offer-changes", "get"),
    ):
        operation = paths[path][method]
        assert operation["deprecated"] is True, path
        assert {"Deprecation", "Link"} <= set(operation["responses"]["200"]["headers"]), path
    assert not paths["/seller/v2/offers"]["get"].get("deprecated")
