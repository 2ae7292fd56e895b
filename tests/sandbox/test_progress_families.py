"""Sandbox progress policies on every asynchronous family but offer packages (`test_progress.py`),
over HTTP: `immediate` (done when the creating request answers, no worker), `manual` (held until
POST /sandbox/v1/progress/{kind}/{id} finishes it) and `fail` (ended in the family's rejected state
with the chosen code and message, as its client reads it), and `after-polls` on orders."""

from __future__ import annotations

from typing import Any

from catalog.support import REMOVE, report, submit, toy
from conftest import sandbox_headers
from offers import test_xml
from offers.support import product_maker
from offers.test_xml import offer_xml, package_xml, zip_bytes
from sandbox.test_progress import SANDBOX, set_policy

# The XML family's own fixture: submits a ZIP served from a file:// URL and answers its status.
xml_package = test_xml.xml_package


def finish(client: Any, kind: str, subject_id: str) -> dict[str, Any]:
    r = client.post(
        f"{SANDBOX}/progress/{kind}/{subject_id}", json={"action": "finish"}, headers=sandbox_headers(client)
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


# --- product packages -----------------------------------------------------------------------------


def test_product_packages_immediate(client, seller_headers):
    set_policy(client, "product-packages", mode="immediate")
    package_id = submit(client, seller_headers, [toy(1), toy(2, title=REMOVE)])
    assert [i["status"] for i in report(client, seller_headers, package_id)] == ["Integrated", "Refused"]


def test_product_packages_manual(client, seller_headers, drain):
    set_policy(client, "product-packages", mode="manual")
    package_id = submit(client, seller_headers, [toy(1)])
    assert drain() == 0 and report(client, seller_headers, package_id) == []
    assert [job["status"] for job in finish(client, "product-packages", package_id)["jobs"]] == [
        "done",
        "done",
    ]
    assert [i["status"] for i in report(client, seller_headers, package_id)] == ["Integrated"]


def test_product_packages_fail(client, seller_headers, drain):
    set_policy(
        client, "product-packages", mode="fail", resultCode="PackageTooLarge", message="Too big today."
    )
    package_id = submit(client, seller_headers, [toy(1), toy(2)])
    drain()
    items = report(client, seller_headers, package_id)
    assert [i["status"] for i in items] == ["Refused", "Refused"]
    assert items[0]["errors"] == [
        {"code": "PackageTooLarge", "field": "Gtin", "message": "Too big today.", "type": "Validation"}
    ]
    # Nothing was written to the catalogue.
    assert (
        client.get(f"/seller/v2/products?gtin={toy(1)['gtin']}", headers=seller_headers).json()["items"] == []
    )


def test_product_packages_fail_after_the_checks_with_the_usual_refusal(client, seller_headers):
    set_policy(client, "product-packages", mode="manual")
    package_id = submit(client, seller_headers, [toy(1)])
    url = f"{SANDBOX}/progress/product-packages/{package_id}"
    assert client.post(url, json={"action": "advance"}, headers=sandbox_headers(client)).status_code == 200
    assert [i["status"] for i in report(client, seller_headers, package_id)] == ["Validated"]
    r = client.post(url, json={"action": "fail"}, headers=sandbox_headers(client))
    assert r.status_code == 200, r.text
    item = report(client, seller_headers, package_id)[0]
    assert item["status"] == "Refused" and item["productReference"] is None
    assert item["errors"] == [
        {
            "code": "PackageRefused",
            "field": "Gtin",
            "message": "The platform refused this product's package: submit the product again.",
            "type": "Validation",
        }
    ]


# --- XML offer packages ---------------------------------------------------------------------------


def xml_zip(db: Any) -> bytes:
    (product,) = product_maker(db)(1)
    return zip_bytes(package_xml(offer_xml("XML-1", product.gtin)))


def test_offer_xml_packages_immediate(client, db, xml_package):
    set_policy(client, "offer-xml-packages", mode="immediate")
    status = xml_package(xml_zip(db), run=False)
    assert (status["status"], status["integratedOfferCount"]) == ("Integrated", 1)


def test_offer_xml_packages_manual(client, db, xml_package, drain):
    set_policy(client, "offer-xml-packages", mode="manual")
    package_id = xml_package(xml_zip(db))["packageId"]
    assert drain() == 0 and xml_package.status(package_id)["status"] == "Pending"
    finish(client, "offer-xml-packages", package_id)
    assert xml_package.status(package_id)["status"] == "Integrated"


def test_offer_xml_packages_fail(client, db, xml_package):
    set_policy(client, "offer-xml-packages", mode="fail", resultCode="4300", message="Closed for tests.")
    status = xml_package(xml_zip(db))
    assert (status["status"], status["message"], status["offerCount"]) == (
        "Rejected",
        "4300: Closed for tests.",
        0,
    )
    assert status["integrationDate"] is not None
