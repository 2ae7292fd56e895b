from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from catalog.support import (
    API,
    OP,
    PRODUCT_MODEL,
    REMOVE,
    codes,
    gtin,
    integrate,
    laptop,
    links,
    report,
    shirt,
    submit,
    toy,
)
from comptoir import clock
from comptoir.catalog import domain, integration, publishing
from comptoir.catalog.models import ProductPackage, ReportItem
from comptoir.jobs.models import Job
from comptoir.jobs.runtime import Worker
from conftest import assert_problem

# Referential


def test_categories_walk_and_count(client, seller_headers):
    assert client.get(f"{API}/categories/count", headers=seller_headers).json() == 455
    seen, url = [], f"{API}/categories?pageSize=200&fields=categoryReference,level"
    while url:
        r = client.get(url, headers=seller_headers)
        seen += r.json()["items"]
        url = links(r).get("next")
    assert len(seen) == len({c["categoryReference"] for c in seen}) == 455
    assert sum(c["level"] == 3 for c in seen) == 388
    assert all(re.fullmatch(r"[0-9A-Z]{6}", c["categoryReference"]) for c in seen)


def test_category_fields_and_labels_follow_accept_language(client, seller_headers):
    fields = "CategoryReference,label,isBrandMandatory,parentReferences,nonsense"
    url = f"{API}/categories?pageSize=3&fields={fields}"
    fr = client.get(url, headers=seller_headers).json()["items"]
    es = client.get(url, headers={**seller_headers, "Accept-Language": "es-ES,es;q=0.9"}).json()["items"]
    assert fr[2] == {
        "categoryReference": "010101",
        "label": "Ordinateurs portables - Entrée de gamme",
        "isBrandMandatory": True,
        "parentReferences": ["010000", "010100"],
    }
    assert es[2]["label"] == "Portátiles - Gama básica"


def test_category_sort(client, seller_headers):
    r = client.get(f"{API}/categories?sort=label&desc=true&pageSize=2&fields=label", headers=seller_headers)
    labels = [c["label"] for c in r.json()["items"]]
    assert labels == sorted(labels, reverse=True)
    assert (
        "sort"
        in assert_problem(client.get(f"{API}/categories?sort=price", headers=seller_headers), 400)["errors"]
    )


def test_category_page_size_bounds(client, seller_headers):
    body = assert_problem(client.get(f"{API}/categories?pageSize=201", headers=seller_headers), 400)
    assert "pageSize" in body["errors"]


def test_category_detail(client, seller_headers):
    r = client.get(f"{API}/categories/050201", headers={**seller_headers, "Accept-Language": "en-US"})
    assert r.json() == {
        "categoryReference": "050201",
        "label": "Men's clothing - Entry level",
        "level": 3,
        "isActive": True,
        "isBrandMandatory": False,
        "isVariant": True,
        "parentReferences": ["050000", "050200"],
    }
    assert_problem(client.get(f"{API}/categories/ZZZZZZ", headers=seller_headers), 404)


def test_category_properties(client, seller_headers):
    items = client.get(f"{API}/categories/050201/properties", headers=seller_headers).json()["items"]
    by_ref = {p["propertyReference"]: p for p in items}
    assert list(by_ref) == ["20001", "20002", "20005", "20004", "20006", "10001"]
    colour, size, guide = by_ref["20001"], by_ref["20002"], by_ref["20006"]
    assert colour["necessity"] == "Mandatory" and colour["isVariation"] and not colour["isSize"]
    assert size["isSize"] and "XL" in size["choices"] and size["type"] == "List"
    assert guide["type"] == "File" and guide["fileFormats"] == ["pdf", "jpg", "png"]
    assert guide["maxFileSize"] == 1_048_576 and guide["necessity"] == "Optional"
    assert client.get(f"{API}/categories/050200/properties", headers=seller_headers).json()["items"] == []
    assert_problem(client.get(f"{API}/categories/999999/properties", headers=seller_headers), 404)


def test_refurbished_and_professional_leaves_require_a_warranty(client, seller_headers):
    def necessity(category):
        items = client.get(f"{API}/categories/{category}/properties", headers=seller_headers).json()["items"]
        return {p["propertyReference"]: p["necessity"] for p in items}.get("10002")

    assert necessity("010101") is None
    assert necessity("010104") == necessity("010105") == "Mandatory"


def test_property_detail(client, seller_headers):
    r = client.get(f"{API}/properties/40002", headers={**seller_headers, "Accept-Language": "en"})
    assert r.json() == {
        "propertyReference": "40002",
        "label": "Energy label",
        "type": "File",
        "isVariation": False,
        "isSize": False,
        "isMultiValued": False,
        "choices": [],
        "fileFormats": ["pdf", "jpg", "png"],
        "maxFileSize": 1_048_576,
    }
    assert_problem(client.get(f"{API}/properties/00000", headers=seller_headers), 404)


def test_brands(client, seller_headers):
    first = client.get(f"{API}/brands", headers=seller_headers)
    assert first.json()["itemsPerPage"] == 100 and set(first.json()["items"][0]) == {"brandId", "name"}
    last = client.get(f"{API}/brands?pageIndex=3&pageSize=100&fields=name", headers=seller_headers)
    assert last.json()["itemsPerPage"] == 8 and "next" not in links(last)
    assert set(last.json()["items"][0]) == {"name"}


# Product integration: the package and its report


def test_package_is_answered_at_once_and_reported_after_the_jobs(client, seller_headers, db):
    r = client.post(
        f"{API}/products-integration",
        json={"products": [toy(1), toy(2, title=REMOVE)]},
        headers=seller_headers,
    )
    assert r.status_code == 202
    package_id = r.json()["packageId"]
    assert r.json() == {"packageId": package_id} and uuid.UUID(package_id)
    # The platform's create rule: Content-Location relative to the API base, Location absolute.
    reports = f"/products-integration-reports?packageId={package_id}"
    assert r.headers["content-location"] == reports
    assert r.headers["location"] == f"{client.base_url}{API}{reports}"
    assert r.headers["packageid"] == package_id

    # Pending: 200 and no items, as in production.
    pending = client.get(f"{API}/products-integration-reports?packageId={package_id}", headers=seller_headers)
    assert pending.status_code == 200 and pending.json() == {"itemsPerPage": 0, "items": []}

    worker = Worker(db, lease_seconds=30)
    assert worker.run_one()  # the checks
    checked = report(client, seller_headers, package_id)
    assert [(i["gtin"], i["status"]) for i in checked] == [(gtin(1), "Validated"), (gtin(2), "Refused")]
    assert checked[0]["productReference"] is None and checked[0]["integratedProductId"] is None
    assert checked[0]["integrationPictureUrls"] == []
    assert codes(checked[1]["errors"]) == [("MissingField", "Title")]

    assert worker.run_one()  # the writing
    assert not worker.run_one()
    done = report(client, seller_headers, package_id)
    assert [i["status"] for i in done] == ["Integrated", "Refused"]
    item = done[0]
    assert set(item) == PRODUCT_MODEL
    assert re.fullmatch(r"[A-Z]{5}[0-9]{5}", item["productReference"])
    assert uuid.UUID(item["integratedProductId"])
    assert item["packageId"] == package_id and item["sellerId"] == 98979
    assert item["operationType"] == "Creation" and item["submissionType"] == "Api"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00", item["submissionDate"])
    assert item["attributes"][0] == {"propertyReference": "60001", "values": ["3"], "files": []}
    assert (
        item["sellerPictureUrls"]
        == item["integrationPictureUrls"]
        == [{"index": 1, "url": "https://images.example.com/blocks.jpg"}]
    )
    assert item["publicationCompleteness"] == 100 and item["wasMarketable"] is False
    assert item["wasAllowedToEdit"] is item["wasAllowedToEnrich"] is True
    assert item["errors"] == item["warnings"] == item["infos"] == []
    assert done[1]["productReference"] is None and done[1]["status"] == "Refused"

    products = client.get(f"{API}/products?gtin={gtin(1)}", headers=seller_headers).json()["items"]
    assert [p["productReference"] for p in products] == [item["productReference"]]


ACCEPTED = {
    "13-digit GTIN": toy(1),
    "8-digit GTIN": toy(2, gtin="73513537"),
    "12-digit GTIN": toy(3, gtin="036000291452"),
    "14-digit GTIN": toy(4, gtin="00012345600012"),
    "list value among the choices": toy(
        5,
        attributes=[
            {"propertyReference": "60001", "values": ["3"]},
            {"propertyReference": "20004", "values": ["Bois", "Métal"]},
        ],
    ),
    "brand in a brand-mandatory category": laptop(6),
    "brand in another casing": laptop(7, brand="SOLTEK"),
    "variant with its group and variation properties": shirt(8),
    "longest title and description": toy(9, title="t" * 132, description="d" * 2000),
    "file in an accepted format": toy(
        10,
        attributes=[
            {"propertyReference": "60001", "values": ["3"]},
            {"propertyReference": "60002", "files": ["https://docs.example.com/SAFETY.PDF?v=2"]},
        ],
    ),
    "English product": toy(11, language="en-US"),
}

REFUSED = {
    "wrong GTIN check digit": (toy(20, gtin="3769000000200"), ("IncorrectValue", "Gtin")),
    "11-digit GTIN": (toy(21, gtin="37690000002"), ("IncorrectFormat", "Gtin")),
    "GTIN with a letter": (toy(22, gtin="376900000022X"), ("IncorrectFormat", "Gtin")),
    "no GTIN": (toy(23, gtin=REMOVE), ("MissingField", "Gtin")),
    "unknown category": (toy(24, categoryCode="999999"), ("CategorizationError", "CategoryReference")),
    "level-2 category": (toy(25, categoryCode="090100"), ("CategorizationError", "CategoryReference")),
    "closed category": (toy(26, categoryCode="100105"), ("CategorizationError", "CategoryReference")),
    "no category": (toy(27, categoryCode=REMOVE), ("MissingField", "CategoryReference")),
    "mandatory property missing": (toy(28, attributes=[]), ("MissingField", "60001")),
    "value not among the choices": (
        toy(
            29,
            attributes=[
                {"propertyReference": "60001", "values": ["3"]},
                {"propertyReference": "20004", "values": ["Bambou"]},
            ],
        ),
        ("IncorrectValue", "20004"),
    ),
    "number property given text": (
        toy(30, attributes=[{"propertyReference": "60001", "values": ["three"]}]),
        ("IncorrectFormat", "60001"),
    ),
    "file in a refused format": (
        toy(
            31,
            attributes=[
                {"propertyReference": "60001", "values": ["3"]},
                {"propertyReference": "60002", "files": ["https://docs.example.com/safety.docx"]},
            ],
        ),
        ("IncorrectFormat", "60002"),
    ),
    "no brand in a brand-mandatory category": (laptop(32, brand=REMOVE), ("MissingField", "Brand")),
    "unknown brand in a brand-mandatory category": (laptop(33, brand="Nobrand"), ("IncorrectValue", "Brand")),
    "variant without its group": (
        shirt(34, variantGroupReference=REMOVE),
        ("MissingField", "VariantGroupReference"),
    ),
    "variant without its size": (
        shirt(
            35,
            attributes=[
                {"propertyReference": "20001", "values": ["Rouge"]},
                {"propertyReference": "20005", "values": ["Homme"]},
            ],
        ),
        ("MissingField", "20002"),
    ),
    "picture URL not http": (
        toy(36, sellerPictureUrls=[{"index": 1, "url": "ftp://images.example.com/a.jpg"}]),
        ("IncorrectFormat", "SellerPictureUrls[0]"),
    ),
    "picture URL relative": (
        toy(37, sellerPictureUrls=[{"index": 1, "url": "images/a.jpg"}]),
        ("IncorrectFormat", "SellerPictureUrls[0]"),
    ),
    "title too long": (toy(38, title="t" * 133), ("MaxLengthExceeded", "Title")),
    "description too long": (toy(39, description="d" * 2001), ("MaxLengthExceeded", "Description")),
    "no description": (toy(40, description=REMOVE), ("MissingField", "Description")),
    "unsupported language": (toy(41, language="de-DE"), ("IncorrectValue", "Language")),
    "title of the wrong type": (toy(42, title=132), ("IncorrectFormat", "Title")),
}


def test_each_check_accepts_and_refuses(client, seller_headers, drain):
    products = list(ACCEPTED.values()) + [product for product, _ in REFUSED.values()]
    items = integrate(client, seller_headers, drain, products)
    assert len(items) == len(products)
    for name, item in zip(ACCEPTED, items, strict=False):
        assert (item["status"], item["errors"]) == ("Integrated", []), name
    for (name, (_, expected)), item in zip(REFUSED.items(), items[len(ACCEPTED) :], strict=True):
        assert item["status"] == "Refused", name
        assert expected in codes(item["errors"]), (name, item["errors"])
    # The valid ones are in the catalogue; the refused ones are not.
    count = client.get(f"{API}/products/count", headers=seller_headers).json()
    assert count == 9 + len(ACCEPTED)
    english = items[list(ACCEPTED).index("English product")]
    assert codes(english["infos"]) == [("NotAvailableOnChannel", "Language")]
    assert items[list(ACCEPTED).index("brand in another casing")]["brand"] == "Soltek"


def test_duplicate_gtins_in_a_package_are_all_refused(client, seller_headers, drain):
    items = integrate(client, seller_headers, drain, [toy(1), toy(2), toy(1, title="Other")])
    assert [i["status"] for i in items] == ["Refused", "Integrated", "Refused"]
    assert ("DuplicateValue", "Gtin") in codes(items[0]["errors"])


def test_warnings_and_infos(client, seller_headers, drain):
    [item] = integrate(
        client,
        seller_headers,
        drain,
        [
            toy(
                1,
                brand="Unheard",
                sellerPictureUrls=[],
                attributes=[
                    {"propertyReference": "60001", "values": ["3"]},
                    {"propertyReference": "77777", "values": ["x"]},
                ],
                images=["https://images.example.com/a.jpg"],
            )
        ],
    )
    assert item["status"] == "Integrated"
    assert codes(item["warnings"]) == [
        ("IncorrectValue", "Brand"),
        ("MissingField", "SellerPictureUrls"),
        ("UnknownProperty", "77777"),
        ("MissingField", "60002"),
    ]
    assert codes(item["infos"]) == [("UnknownField", "images")]
    assert item["publicationCompleteness"] == 67
    assert set(item["warnings"][0]) == {"code", "field", "message", "type"}


def test_property_names_in_any_casing(client, seller_headers, drain):
    product = {
        "GTIN": gtin(1),
        "Title": "Blocks",
        "DESCRIPTION": "Blocks",
        "categorycode": "090101",
        "Attributes": [{"PropertyReference": "60001", "Values": ["3"]}],
        "SellerPictureUrls": [{"Index": 1, "URL": "https://images.example.com/a.jpg"}],
    }
    r = client.post(f"{API}/products-integration", json={"Products": [product]}, headers=seller_headers)
    drain()
    [item] = report(client, seller_headers, r.json()["packageId"])
    assert item["status"] == "Integrated" and item["infos"] == []


def test_language_defaults_to_accept_language(client, seller_headers, drain):
    items = integrate(
        client,
        seller_headers,
        drain,
        [toy(1, language=REMOVE), toy(2, language="fr-FR")],
        **{"Accept-Language": "es-ES"},
    )
    assert [i["language"] for i in items] == ["es-ES", "fr-FR"]
    [default] = integrate(client, seller_headers, drain, [toy(3, language=REMOVE)])
    assert default["language"] == "fr-FR"


def test_operation_types_against_the_known_product(client, seller_headers, other_headers, drain):
    [created] = integrate(client, seller_headers, drain, [toy(1)])
    [identical] = integrate(client, seller_headers, drain, [toy(1)])
    assert (created["operationType"], identical["operationType"]) == ("Creation", "Identical")
    assert identical["productReference"] == created["productReference"] and identical["wasMarketable"] is True
    before = client.get(f"{API}/products?gtin={gtin(1)}", headers=seller_headers).json()["items"][0]
    assert before["updatedAt"] == before["createdAt"]

    [modified] = integrate(client, seller_headers, drain, [toy(1, title="New title")])
    assert modified["operationType"] == "Modification" and modified["status"] == "Integrated"
    after = client.get(f"{API}/products?gtin={gtin(1)}", headers=seller_headers).json()["items"][0]
    assert after["title"] == "New title" and after["packageId"] == modified["packageId"]
    assert (
        after["productReference"] == created["productReference"] and after["updatedAt"] > after["createdAt"]
    )

    # Another seller's submission of the same GTIN leaves the product as it is.
    [theirs] = integrate(client, other_headers, drain, [toy(1, title="Their title")])
    assert (theirs["status"], theirs["operationType"], theirs["wasAllowedToEdit"]) == (
        "Integrated",
        "Identical",
        False,
    )
    assert theirs["productReference"] == created["productReference"]
    assert ("NotAllowedToEdit", "Gtin") in codes(theirs["warnings"])
    still = client.get(f"{API}/products?gtin={gtin(1)}", headers=seller_headers).json()["items"][0]
    assert still["title"] == "New title"


def test_reports_by_gtin_across_packages_and_paging(client, seller_headers, drain):
    integrate(client, seller_headers, drain, [toy(1)])
    package_id = submit(client, seller_headers, [toy(n) for n in range(1, 31)])
    drain()
    by_gtin = client.get(f"{API}/products-integration-reports?gtin={gtin(1)}", headers=seller_headers).json()
    assert [i["operationType"] for i in by_gtin["items"]] == ["Identical", "Creation"]  # newest first
    first = client.get(f"{API}/products-integration-reports?packageId={package_id}", headers=seller_headers)
    assert first.json()["itemsPerPage"] == 25
    second = client.get(links(first)["next"], headers=seller_headers)
    assert [i["gtin"] for i in second.json()["items"]] == [gtin(n) for n in range(26, 31)]
    assert "next" not in links(second)
    fields = client.get(
        f"{API}/products-integration-reports?packageId={package_id}&pageSize=2&fields=gtin,status",
        headers=seller_headers,
    )
    assert fields.json()["items"] == [
        {"gtin": gtin(1), "status": "Integrated"},
        {"gtin": gtin(2), "status": "Integrated"},
    ]


def test_reports_are_kept_three_days(client, seller_headers, drain, db):
    package_id = submit(client, seller_headers, [toy(1)])
    drain()
    assert len(report(client, seller_headers, package_id)) == 1
    with db.transaction() as session:
        session.execute(
            update(ProductPackage).values(
                submitted_at=clock.now() - domain.REPORT_RETENTION - timedelta(minutes=1)
            )
        )
    assert report(client, seller_headers, package_id) == []
    assert client.get(f"{API}/products/count?gtin={gtin(1)}", headers=seller_headers).json() == 1


def test_another_sellers_report_is_not_visible(client, seller_headers, other_headers, drain):
    package_id = submit(client, seller_headers, [toy(1)])
    drain()
    assert report(client, other_headers, package_id) == []
    assert client.get(f"{API}/products-integration-reports", headers=other_headers).json()["items"] == []
    assert client.get(f"{API}/products?gtin={gtin(1)}", headers=other_headers).json()["items"] == []
    assert len(report(client, seller_headers, package_id)) == 1


def test_products_need_a_seller_token(client, operator_headers):
    assert_problem(client.get(f"{API}/products"), 401)
    assert_problem(client.get(f"{API}/products", headers={**operator_headers, "SellerId": "98979"}), 403)


MALFORMED = [
    ("not json", "body"),
    ("{}", "products"),
    ('{"products": []}', "products"),
    ('{"products": {"gtin": "3769000000015"}}', "products"),
    ('{"products": [1]}', "products[0]"),
    ('[{"gtin": "3769000000015"}]', "body"),
    ('{"products": [' + ",".join(['{"gtin": "1"}'] * 10_001) + "]}", "products"),
]


@pytest.mark.parametrize(("body", "field"), MALFORMED)
def test_malformed_body_is_a_400_and_creates_no_package(client, seller_headers, db, body, field):
    r = client.post(
        f"{API}/products-integration",
        content=body,
        headers={**seller_headers, "Content-Type": "application/json"},
    )
    problem = assert_problem(r, 400)
    assert field in problem["errors"], problem
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(ProductPackage)) == 0
        assert session.scalar(select(func.count()).select_from(Job)) == 0


def test_xml_body_is_a_415(client, seller_headers):
    r = client.post(
        f"{API}/products-integration",
        content="<products/>",
        headers={**seller_headers, "Content-Type": "text/xml"},
    )
    assert_problem(r, 415)


def test_jobs_rerun_after_a_crash_give_the_same_state(client, seller_headers, db, drain):
    package_id = submit(client, seller_headers, [toy(1), toy(2, title=REMOVE)])

    class Crash(Exception):
        pass

    # A worker that dies before committing leaves nothing behind; the job then runs again.
    with pytest.raises(Crash), db.transaction() as session:
        integration.validate_package(session, package_id)
        raise Crash
    assert drain() == 2
    # Handlers called again on a finished package change nothing.
    with db.transaction() as session:
        integration.validate_package(session, package_id)
        publishing.publish_package(session, package_id)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(ReportItem)) == 2
    assert [i["status"] for i in report(client, seller_headers, package_id)] == ["Integrated", "Refused"]
    assert client.get(f"{API}/products/count?gtin={gtin(1)}", headers=seller_headers).json() == 1


def test_a_product_created_between_checks_and_writing_is_not_taken_over(
    client, seller_headers, other_headers, db
):
    worker = Worker(db, lease_seconds=30)
    mine = submit(client, seller_headers, [toy(1)])
    theirs = submit(client, other_headers, [toy(1, title="Theirs")])
    assert worker.run_one() and worker.run_one()  # both checked while the product does not exist
    assert report(client, other_headers, theirs)[0]["operationType"] == "Creation"
    assert worker.run_one()  # mine is written
    assert worker.run_one()  # theirs finds it
    [item] = report(client, other_headers, theirs)
    assert (item["operationType"], item["wasAllowedToEdit"]) == ("Identical", False)
    assert (
        codes(item["warnings"])[-1] == ("NotAllowedToEdit", "Gtin")
        and item["warnings"][-1]["type"] == "Integration"
    )
    assert report(client, seller_headers, mine)[0]["operationType"] == "Creation"


def test_ten_thousand_products_in_one_package(client, seller_headers, drain):
    products = [toy(n, attributes=[{"propertyReference": "60001", "values": ["3"]}]) for n in range(10_000)]
    products[500]["gtin"] = "1"
    package_id = submit(client, seller_headers, products)
    assert drain() == 2
    assert client.get(f"{API}/products/count", headers=seller_headers).json() == 9 + 9_999
    last = client.get(
        f"{API}/products-integration-reports?packageId={package_id}&pageSize=100&pageIndex=100",
        headers=seller_headers,
    ).json()["items"]
    assert len(last) == 100 and last[-1]["gtin"] == gtin(9_999) and last[-1]["status"] == "Integrated"
    refused = client.get(
        f"{API}/products-integration-reports?packageId={package_id}&pageSize=1&pageIndex=501",
        headers=seller_headers,
    ).json()["items"]
    assert [(i["gtin"], i["status"]) for i in refused] == [("1", "Refused")]


# Products


def test_demo_products_walk_with_cursor(client, seller_headers, other_headers):
    seen, url, pages = [], f"{API}/products?limit=4", 0
    while url:
        r = client.get(url, headers=seller_headers)
        seen += r.json()["items"]
        pages += 1
        url = links(r).get("next")
    assert pages == 3 and len({p["gtin"] for p in seen}) == 9
    french = [p for p in seen if p["language"] == "fr-FR"]
    assert len(french) == 8 and all(
        len(p["gtin"]) == 13 and domain.gtin_problem(p["gtin"]) is None for p in french
    )
    assert all(p["sellerId"] == 98979 for p in seen)
    assert client.get(f"{API}/products/count", headers=other_headers).json() == 4


def test_product_filters_fields_and_count(client, seller_headers):
    shirts = client.get(f"{API}/products?categoryReference=050201", headers=seller_headers).json()["items"]
    assert len(shirts) == 3 and {p["variantGroupReference"] for p in shirts} == {"TSH-BIO"}
    gtins = [shirts[0]["gtin"], shirts[1]["gtin"]]
    r = client.get(
        f"{API}/products?gtin={','.join(gtins)}&fields=gtin,productReference", headers=seller_headers
    )
    assert r.json()["items"] == [
        {"gtin": p["gtin"], "productReference": p["productReference"]} for p in shirts[:2]
    ]
    assert client.get(f"{API}/products/count?categoryReference=050201", headers=seller_headers).json() == 3
    assert client.get(f"{API}/products/count?categoryReference=999999", headers=seller_headers).json() == 0
    assert (
        "limit"
        in assert_problem(client.get(f"{API}/products?limit=1001", headers=seller_headers), 400)["errors"]
    )


# Operator


LABELS = {"fr-FR": "Essai", "en-US": "Trial", "es-ES": "Prueba"}


def test_operator_builds_a_category_that_takes_products(client, operator_headers, seller_headers, drain):
    def post(path, body):
        return client.post(f"{OP}{path}", json=body, headers=operator_headers)

    assert post("/categories", {"categoryReference": "ZZ0000", "labels": LABELS}).json()["level"] == 1
    assert (
        post(
            "/categories", {"categoryReference": "ZZ0100", "parentReference": "ZZ0000", "labels": LABELS}
        ).status_code
        == 201
    )
    leaf = post(
        "/categories",
        {
            "categoryReference": "ZZ0101",
            "parentReference": "ZZ0100",
            "labels": LABELS,
            "isBrandMandatory": True,
        },
    )
    assert leaf.status_code == 201 and leaf.json()["parentReferences"] == ["ZZ0000", "ZZ0100"]
    assert leaf.json()["level"] == 3

    assert (
        "parentReference"
        in assert_problem(
            post(
                "/categories", {"categoryReference": "ZZ0102", "parentReference": "ZZ0101", "labels": LABELS}
            ),
            400,
        )["errors"]
    )
    assert_problem(post("/categories", {"categoryReference": "ZZ0101", "labels": LABELS}), 409)
    assert_problem(post("/categories", {"categoryReference": "zz", "labels": LABELS}), 400)
    assert_problem(
        post("/categories", {"categoryReference": "ZZ0300", "parentReference": "YY0000", "labels": LABELS}),
        400,
    )

    assert (
        "choices"
        in assert_problem(
            post("/properties", {"propertyReference": "99001", "labels": LABELS, "type": "List"}), 400
        )["errors"]
    )
    prop = post(
        "/properties",
        {"propertyReference": "99001", "labels": LABELS, "type": "List", "choices": ["Oui", "Non"]},
    )
    assert prop.status_code == 201 and prop.json()["choices"] == ["Oui", "Non"]
    assert_problem(post("/properties", {"propertyReference": "99001", "labels": LABELS, "type": "Text"}), 409)
    r = client.put(
        f"{OP}/categories/ZZ0101/properties",
        json={"properties": [{"propertyReference": "99001", "necessity": "Mandatory"}]},
        headers=operator_headers,
    )
    assert r.status_code == 200 and r.json()["items"] == [
        {"propertyReference": "99001", "necessity": "Mandatory"}
    ]
    assert_problem(
        client.put(f"{OP}/categories/ZZ0100/properties", json={"properties": []}, headers=operator_headers),
        400,
    )
    assert_problem(
        client.put(
            f"{OP}/categories/ZZ0101/properties",
            json={"properties": [{"propertyReference": "nope", "necessity": "Optional"}]},
            headers=operator_headers,
        ),
        400,
    )
    assert post("/brands", {"name": "Acme"}).json()["name"] == "Acme"
    assert_problem(post("/brands", {"name": "ACME"}), 409)

    def product(n, value):
        return toy(
            n,
            categoryCode="ZZ0101",
            brand="acme",
            attributes=[{"propertyReference": "99001", "values": [value]}],
        )

    items = integrate(client, seller_headers, drain, [product(1, "Oui"), product(2, "Peut-être")])
    assert [i["status"] for i in items] == ["Integrated", "Refused"]
    assert items[0]["brand"] == "Acme"

    r = client.patch(
        f"{OP}/properties/99001", json={"choices": ["Oui", "Non", "Peut-être"]}, headers=operator_headers
    )
    assert r.json()["choices"] == ["Oui", "Non", "Peut-être"]
    assert_problem(
        client.patch(f"{OP}/properties/99001", json={"fileFormats": ["pdf"]}, headers=operator_headers), 400
    )
    assert integrate(client, seller_headers, drain, [product(3, "Peut-être")])[0]["status"] == "Integrated"

    r = client.patch(
        f"{OP}/categories/ZZ0101",
        json={"isActive": False, "labels": {"en-US": "Closed trial"}},
        headers=operator_headers,
    )
    assert r.json()["isActive"] is False and r.json()["labels"] == {**LABELS, "en-US": "Closed trial"}
    seen = client.get(
        f"{API}/categories/ZZ0101", headers={**seller_headers, "Accept-Language": "en-US"}
    ).json()
    assert (seen["label"], seen["isActive"]) == ("Closed trial", False)
    [closed] = integrate(client, seller_headers, drain, [product(4, "Oui")])
    assert ("CategorizationError", "CategoryReference") in codes(closed["errors"])

    assert (
        client.get(f"{OP}/categories/ZZ0101", headers=operator_headers).json()["categoryReference"]
        == "ZZ0101"
    )
    assert client.get(f"{OP}/properties/99001", headers=operator_headers).json()["type"] == "List"
    listed = client.get(f"{OP}/categories?pageSize=1", headers=operator_headers).json()["items"]
    assert listed[0]["labels"]["es-ES"] == "Informática"


def test_operator_routes_need_an_operator(client, seller_headers):
    r = client.post(f"{OP}/brands", json={"name": "Acme"}, headers=seller_headers)
    assert_problem(r, 403)
