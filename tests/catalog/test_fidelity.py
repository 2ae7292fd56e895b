"""What a strict client of production trips on (issue 11): the product model on GET /products,
report messages in the reader's language, the documented category references, and the production
profile's quirks, each tried in both profiles."""

from __future__ import annotations

import pytest

from catalog.support import API, OP, PRODUCT_MODEL, REMOVE, codes, gtin, integrate, links, report, submit, toy
from conftest import fresh_headers, sandbox_headers

VERDICT = (
    *("packageId", "submissionDate", "submissionType", "status", "operationType", "wasMarketable"),
    *("wasAllowedToEdit", "wasAllowedToEnrich", "errors", "warnings", "infos"),
)


@pytest.fixture(params=["lenient", "production"])
def profile(request, client, operator_headers) -> str:
    """Seller 98979's fidelity profile, set through the operator API."""
    if request.param == "production":
        r = client.patch(
            f"{OP}/sellers/98979", json={"fidelityProfile": "production"}, headers=operator_headers
        )
        assert r.status_code == 200, r.text
    return str(request.param)


def product_of(client, headers, n: int) -> dict:
    [product] = client.get(f"{API}/products?gtin={gtin(n)}", headers=headers).json()["items"]
    return dict(product)


# GET /products: the whole product model


def test_products_carry_the_product_model_with_their_last_verdict(client, seller_headers, drain):
    [created] = integrate(client, seller_headers, drain, [toy(1, sellerPictureUrls=[])])
    product = product_of(client, seller_headers, 1)
    assert set(product) == PRODUCT_MODEL
    assert {key: product[key] for key in VERDICT} == {key: created[key] for key in VERDICT}
    assert (product["status"], product["operationType"], product["submissionType"]) == (
        "Integrated",
        "Creation",
        "Api",
    )
    assert codes(product["warnings"]) == [("MissingField", "SellerPictureUrls")]

    # A later submission refused for its title is the product's last verdict; the product is unchanged.
    [refused] = integrate(client, seller_headers, drain, [toy(1, title="t" * 133)])
    product = product_of(client, seller_headers, 1)
    assert (product["status"], product["packageId"]) == ("Refused", refused["packageId"])
    assert codes(product["errors"]) == [("MaxLengthExceeded", "Title")]
    assert product["title"] == "Wooden blocks 1" and product["submissionDate"] == refused["submissionDate"]


def test_demo_products_read_as_integrated_on_their_creation(client, seller_headers):
    demo = client.get(f"{API}/products?limit=1", headers=seller_headers).json()["items"][0]
    assert set(demo) == PRODUCT_MODEL
    assert (demo["status"], demo["operationType"], demo["submissionDate"]) == (
        "Integrated",
        "Creation",
        demo["createdAt"],
    )
    assert demo["errors"] == demo["warnings"] == demo["infos"] == []
    assert demo["wasAllowedToEdit"] is demo["wasAllowedToEnrich"] is True


# Report messages follow Accept-Language


def test_report_messages_follow_the_readers_accept_language(client, seller_headers, drain):
    wrong_choice = [
        {"propertyReference": "60001", "values": ["3"]},
        {"propertyReference": "20004", "values": ["Papier"]},
    ]
    package_id = submit(
        client, seller_headers, [toy(1, attributes=wrong_choice)], **{"Accept-Language": "fr-FR"}
    )
    drain()

    def message(language: str | None) -> str:
        headers = {**seller_headers, **({"Accept-Language": language} if language else {})}
        [item] = report(client, headers, package_id)
        return str(item["errors"][0]["message"])

    english = message(None)
    assert english.startswith("The field must contain at least one correct value: 'Papier'")
    assert message("de-DE") == message("en-US") == english
    # seed 000's French text
    assert message("fr-FR").startswith("Le champ doit contenir au moins une valeur correcte : 'Papier'")
    assert message("fr-BE, en;q=0.5") == message("fr-FR")
    assert message("es-ES").startswith("El campo debe contener al menos un valor correcto")


def test_product_messages_follow_the_readers_accept_language(client, seller_headers, drain):
    integrate(client, seller_headers, drain, [toy(1, sellerPictureUrls=[])])

    def warning(language: str) -> str:
        product = product_of(client, {**seller_headers, "Accept-Language": language}, 1)
        return str(product["warnings"][0]["message"])

    assert warning("en-US") == "No picture: the product page will have none."
    assert warning("fr-FR") == "Aucune image : la fiche produit n'en aura pas."
    assert warning("es-ES") == "Sin imagen: la ficha del producto no tendrá ninguna."


# The documented category references


@pytest.mark.parametrize("reference", ["010H0R", "0Z0102", "0C0I05", "190K01", "010201"])
def test_documented_category_references_exist(client, seller_headers, reference):
    category = client.get(f"{API}/categories/{reference}", headers=seller_headers).json()
    parents = [f"{reference[:2]}0000", f"{reference[:4]}00"]
    assert (category["level"], category["isActive"], category["parentReferences"]) == (3, True, parents)
    for parent in parents:
        assert client.get(f"{API}/categories/{parent}", headers=seller_headers).status_code == 200
    r = client.get(f"{API}/categories/{reference}/properties", headers=seller_headers)
    assert r.status_code == 200
    assert any(p["necessity"] == "Mandatory" for p in r.json()["items"])


def test_seed_example_values_integrate_in_a_documented_category(client, seller_headers, drain):
    drill = toy(
        1,
        title="Perceuse-visseuse 18 V",
        brand="Soltek",
        categoryCode="0Z0102",
        attributes=[{"propertyReference": "24077", "values": ["Electrique", "Batterie"]}],
    )
    [item] = integrate(client, seller_headers, drain, [drill])
    assert (item["status"], item["errors"]) == ("Integrated", [])
    properties = client.get(f"{API}/categories/0Z0102/properties", headers=seller_headers).json()["items"]
    [power] = [p for p in properties if p["propertyReference"] == "24077"]
    assert power["necessity"] == "Mandatory" and {"Electrique", "Batterie"} <= set(power["choices"])


# The production profile's quirks, each in both profiles


def test_categories_without_fields(client, seller_headers, profile):
    r = client.get(f"{API}/categories", headers=seller_headers)
    items = r.json()["items"]
    assert [c["categoryReference"] for c in items[:3]] == ["010000", "010100", "010101"]
    assert "next" in links(r)
    if profile == "production":
        assert all(set(c) == {"categoryReference"} for c in items)
    else:
        assert items[0] == {
            "categoryReference": "010000",
            "label": "Informatique",
            "level": 1,
            "isActive": True,
            "isBrandMandatory": True,
            "isVariant": False,
            "parentReferences": [],
        }
    chosen = client.get(f"{API}/categories?pageSize=1&fields=label", headers=seller_headers).json()
    assert chosen["items"] == [{"label": "Informatique"}]


def test_report_of_a_package_of_more_than_25_products(client, seller_headers, drain, profile):
    package_id = submit(client, seller_headers, [toy(n) for n in range(30)])
    drain()
    url = f"{API}/products-integration-reports?packageId={package_id}"
    first = client.get(url, headers=seller_headers)
    asked = client.get(f"{url}&pageSize=100&pageIndex=2", headers=seller_headers)
    if profile == "production":
        # The first 25 items, whatever the page asked for, and no next page.
        for r in (first, asked):
            assert [i["gtin"] for i in r.json()["items"]] == [gtin(n) for n in range(25)]
            assert "next" not in links(r)
    else:
        assert len(first.json()["items"]) == 25 and "next" in links(first)
        second = client.get(links(first)["next"], headers=seller_headers).json()["items"]
        assert [i["gtin"] for i in second] == [gtin(n) for n in range(25, 30)]
        assert asked.json()["items"] == []


def test_product_creation_quota(client, seller_headers, drain, profile):
    integrate(client, seller_headers, drain, [toy(n) for n in range(20)])
    # A modification and an already refused product cost nothing; the quota leaves 5 creations.
    products = [toy(0, title="New title"), toy(99, title=REMOVE), *(toy(n) for n in range(20, 30))]
    items = integrate(client, seller_headers, drain, products)
    statuses = [i["status"] for i in items]
    if profile == "production":
        assert statuses == ["Integrated", "Refused", *["Integrated"] * 5, *["Refused"] * 5]
        assert items[0]["operationType"] == "Modification"
        assert codes(items[1]["errors"]) == [("MissingField", "Title")]
        for item in items[7:]:
            assert codes(item["errors"]) == [("QuotaExceeded", "Gtin")]
            assert "25 product creations per hour" in item["errors"][0]["message"]
        assert client.get(f"{API}/products/count", headers=seller_headers).json() == 9 + 25
        # An hour later on the platform clock, the quota is back.
        advance = {"advanceSeconds": 3601}
        assert client.post("/sandbox/v1/clock", json=advance, headers=sandbox_headers(client)).is_success
        [later] = integrate(client, fresh_headers(client), drain, [toy(25)])
        assert later["status"] == "Integrated"
    else:
        assert statuses == ["Integrated", "Refused", *["Integrated"] * 10]
        assert client.get(f"{API}/products/count", headers=seller_headers).json() == 9 + 30


def test_seller_product_reference_filter(client, seller_headers, profile):
    query = "sellerProductReference=LAP-14-PRO"
    items = client.get(f"{API}/products?{query}", headers=seller_headers).json()["items"]
    count = client.get(f"{API}/products/count?{query}", headers=seller_headers).json()
    if profile == "production":
        # Ignored, as production does: every product comes back.
        assert (len(items), count) == (9, 9)
    else:
        assert ([p["sellerProductReference"] for p in items], count) == (["LAP-14-PRO"], 1)
