"""Sandbox progress policies on every asynchronous family but offer packages (`test_progress.py`),
over HTTP: `immediate` (done when the creating request answers, no worker), `manual` (held until
POST /sandbox/v1/progress/{kind}/{id} finishes it) and `fail` (ended in the family's rejected state
with the chosen code and message, as its client reads it), and `after-polls` on orders."""

from __future__ import annotations

from typing import Any

import pytest

from catalog.support import REMOVE, report, submit, toy
from commands import conftest as commands_conftest
from commands.conftest import SEED_ID, Commands, allegro, body
from conftest import sandbox_headers
from offers import test_xml
from offers.support import product_maker
from offers.test_xml import offer_xml, package_xml, zip_bytes
from order_helpers import make_offer, place, stock
from orders.test_cancellations import FULL, approve, order_of
from orders.test_gestures import GESTURES, gesture, shipped_order
from orders.test_invoices import IMPORTS, new_order, pdf_bytes, upload
from orders.test_invoices import report as invoice_report
from sandbox.test_progress import SANDBOX, set_policy

# The families' own fixtures: an XML package submitted from a file:// URL, offers to publish.
xml_package = test_xml.xml_package
make_offers = commands_conftest.make_offers


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


# --- Allegro commands -----------------------------------------------------------------------------


@pytest.fixture
def commands(client: Any, seller_headers: dict[str, str], drain: Any) -> Commands:
    return Commands(client, allegro(seller_headers), drain)


def put_command(commands: Commands, make_offers: Any) -> list[str]:
    ids = [o["offerId"] for o in make_offers(2)]
    assert commands.put(SEED_ID, body(ids)).status_code == 200
    return ids


def test_allegro_commands_immediate(client, commands, make_offers):
    set_policy(client, "allegro-commands", mode="immediate")
    put_command(commands, make_offers)
    assert commands.get(SEED_ID).json()["output"] == {"status": "SUCCESSFUL", "errors": None}


def test_allegro_commands_manual(client, commands, make_offers, drain):
    set_policy(client, "allegro-commands", mode="manual")
    put_command(commands, make_offers)
    assert drain() == 0 and commands.get(SEED_ID).json()["output"]["status"] == "RUNNING"
    finish(client, "allegro-commands", SEED_ID)
    assert commands.get(SEED_ID).json()["output"]["status"] == "SUCCESSFUL"


def test_allegro_commands_fail(client, commands, make_offers, drain):
    set_policy(
        client, "allegro-commands", mode="fail", resultCode="PlatformMaintenanceException", message="Closed."
    )
    ids = put_command(commands, make_offers)
    drain()
    output = commands.get(SEED_ID).json()["output"]
    assert output["status"] == "ERROR"
    assert output["errors"] == [
        {
            "code": "PlatformMaintenanceException",
            "message": "Closed.",
            "details": None,
            "path": f"offers.{offer_id}",
            "userMessage": "Wystąpił błąd, spróbuj ponownie później",
        }
        for offer_id in ids
    ]


def test_allegro_commands_fail_with_the_usual_error(client, commands, make_offers, drain):
    set_policy(client, "allegro-commands", mode="fail")
    put_command(commands, make_offers)
    drain()
    output = commands.get(SEED_ID).json()["output"]
    assert output["status"] == "ERROR"
    assert {(e["code"], e["message"]) for e in output["errors"]} == {
        ("CommandProcessingException", "The command could not be processed")
    }


# --- orders: the marketplace controls of a new order ----------------------------------------------


def test_orders_immediate(client, db, operator_headers, seller_headers):
    set_policy(client, "orders", mode="immediate")
    make_offer(db)
    order_id = place(client, operator_headers, lambda: None)["orderId"]
    # Controls, acceptance and preparation ran before the order was answered.
    assert order_of(client, seller_headers, order_id)["status"] == "InPreparation"


def test_orders_manual_then_the_seller_approves_as_ever(client, db, drain, operator_headers, seller_headers):
    set_policy(client, "orders", mode="manual")
    make_offer(db, channel="CDISFR")
    order_id = place(client, operator_headers, drain, channel="CDISFR")["orderId"]
    assert order_of(client, seller_headers, order_id)["status"] == "Processing"
    assert [job["kind"] for job in finish(client, "orders", order_id)["jobs"]] == ["orders.run_controls"]
    assert order_of(client, seller_headers, order_id)["status"] == "WaitingAcceptance"
    # Preparing an order the seller approved is the seller's doing, not a step the sandbox holds.
    approve(client, seller_headers, drain, order_id)
    assert order_of(client, seller_headers, order_id)["status"] == "InPreparation"


def test_orders_after_polls(client, db, drain, operator_headers, seller_headers, other_headers):
    set_policy(client, "orders", mode="after-polls", polls=2)
    make_offer(db)
    order_id = place(client, operator_headers, drain)["orderId"]
    assert client.get(f"/seller/v2/orders/{order_id}", headers=other_headers).status_code == 404
    statuses = [order_of(client, seller_headers, order_id)["status"] for _ in range(3)]
    assert statuses == ["Processing", "InPreparation", "InPreparation"]


def test_orders_fail(client, db, drain, operator_headers, seller_headers):
    set_policy(client, "orders", mode="fail", resultCode="OfferInactive", message="Closed for the tests.")
    offer = make_offer(db, quantity=3)
    order_id = place(client, operator_headers, drain)["orderId"]
    order = order_of(client, seller_headers, order_id)
    assert order["status"] == "Rejected"
    assert order["rejectionReasons"] == [
        {
            "lineId": order["lines"][0]["orderLineId"],
            "code": "OfferInactive",
            "message": "Closed for the tests.",
        }
    ]
    assert stock(db, offer["offer_id"])[0] == 3


def test_orders_fail_with_the_usual_reason(client, db, drain, operator_headers, seller_headers):
    set_policy(client, "orders", mode="fail")
    make_offer(db)
    order_id = place(client, operator_headers, drain)["orderId"]
    order = order_of(client, seller_headers | {"Accept-Language": "fr-FR"}, order_id)
    assert order["status"] == "Rejected"
    assert [(r["code"], r["message"]) for r in order["rejectionReasons"]] == [
        ("OutOfStock", "Stock insuffisant pour cette quantité.")
    ]


# --- cancellation requests ------------------------------------------------------------------------


def request_cancellation(client: Any, db: Any, drain: Any, operator_headers: Any, seller_headers: Any) -> Any:
    """A seller's request to cancel a whole order in preparation; answers (order id, request id)."""
    make_offer(db, quantity=3)
    order_id = place(client, operator_headers, drain)["orderId"]
    body = {"orderSellerId": order_id, "reason": "seller-out-of-stock"}
    r = client.post(FULL, json=body, headers=seller_headers)
    assert r.status_code == 201, r.text
    return order_id, r.json()["cancellationRequestId"]


def cancellation(client: Any, headers: Any, request_id: str) -> dict[str, Any]:
    r = client.get(FULL, params={"cancellationRequestId": request_id}, headers=headers)
    assert r.status_code == 200, r.text
    return dict(r.json()["items"][0])


def test_cancellation_requests_immediate(client, db, drain, operator_headers, seller_headers):
    set_policy(client, "cancellation-requests", mode="immediate")
    order_id, request_id = request_cancellation(client, db, drain, operator_headers, seller_headers)
    assert cancellation(client, seller_headers, request_id)["status"] == "Accepted"
    assert order_of(client, seller_headers, order_id)["status"] == "Cancelled"


def test_cancellation_requests_manual(client, db, drain, operator_headers, seller_headers):
    set_policy(client, "cancellation-requests", mode="manual")
    order_id, request_id = request_cancellation(client, db, drain, operator_headers, seller_headers)
    assert drain() == 0 and cancellation(client, seller_headers, request_id)["status"] == "InProgress"
    assert order_of(client, seller_headers, order_id)["lines"][0]["status"] == "CancelRequest"
    finish(client, "cancellation-requests", request_id)
    assert cancellation(client, seller_headers, request_id)["status"] == "Accepted"
    assert order_of(client, seller_headers, order_id)["status"] == "Cancelled"


def test_cancellation_requests_fail(client, db, drain, operator_headers, seller_headers):
    set_policy(
        client, "cancellation-requests", mode="fail", resultCode="CancellationClosed", message="Not today."
    )
    order_id, request_id = request_cancellation(client, db, drain, operator_headers, seller_headers)
    drain()
    refused = cancellation(client, seller_headers, request_id)
    assert refused["status"] == "Refused"
    assert [(x["status"], x["error"]) for x in refused["lines"]] == [
        ("Refused", {"code": "CancellationClosed", "message": "Not today."})
    ]
    # As a refused request: the line is back to its status before the request.
    order = order_of(client, seller_headers, order_id)
    assert (order["status"], order["lines"][0]["status"]) == ("InPreparation", "InPreparation")


# --- commercial gesture requests ------------------------------------------------------------------


def request_gesture(client: Any, db: Any, drain: Any, operator_headers: Any, seller_headers: Any) -> str:
    order_id = shipped_order(client, db, drain, operator_headers, seller_headers)
    r = gesture(client, seller_headers, order_id, 5, "Delay")
    assert r.status_code == 201, r.text
    return str(r.json()["requestId"])


def gesture_request(client: Any, headers: Any, request_id: str) -> dict[str, Any]:
    r = client.get(f"{GESTURES}/{request_id}", headers=headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_gesture_requests_immediate(client, db, drain, operator_headers, seller_headers):
    set_policy(client, "gesture-requests", mode="immediate")
    request_id = request_gesture(client, db, drain, operator_headers, seller_headers)
    assert gesture_request(client, seller_headers, request_id)["status"] == "Done"


def test_gesture_requests_manual(client, db, drain, operator_headers, seller_headers):
    set_policy(client, "gesture-requests", mode="manual")
    request_id = request_gesture(client, db, drain, operator_headers, seller_headers)
    assert drain() == 0 and gesture_request(client, seller_headers, request_id)["status"] == "InProgress"
    finish(client, "gesture-requests", request_id)
    assert gesture_request(client, seller_headers, request_id)["status"] == "Done"


def test_gesture_requests_fail(client, db, drain, operator_headers, seller_headers):
    set_policy(client, "gesture-requests", mode="fail", resultCode="GestureClosed", message="Not today.")
    request_id = request_gesture(client, db, drain, operator_headers, seller_headers)
    drain()
    rejected = gesture_request(client, seller_headers, request_id)
    assert (rejected["status"], rejected["errors"]) == (
        "Rejected",
        [{"code": "GestureClosed", "message": "Not today."}],
    )


# --- invoice imports ------------------------------------------------------------------------------


def upload_invoice(client: Any, db: Any, drain: Any, operator_headers: Any, seller_headers: Any) -> str:
    order_id = new_order(client, db, drain, operator_headers)
    r = upload(client, seller_headers, order_id, "facture.pdf", pdf_bytes())
    assert r.status_code == 201, r.text
    return str(r.json()["importId"])


def test_invoice_imports_immediate(client, db, drain, operator_headers, seller_headers):
    set_policy(client, "invoice-imports", mode="immediate")
    import_id = upload_invoice(client, db, drain, operator_headers, seller_headers)
    assert invoice_report(client, seller_headers, import_id)["status"] == "Success"


def test_invoice_imports_manual(client, db, drain, operator_headers, seller_headers):
    set_policy(client, "invoice-imports", mode="manual")
    import_id = upload_invoice(client, db, drain, operator_headers, seller_headers)
    assert drain() == 0 and invoice_report(client, seller_headers, import_id)["status"] == "Running"
    finish(client, "invoice-imports", import_id)
    assert invoice_report(client, seller_headers, import_id)["status"] == "Success"


def test_invoice_imports_fail(client, db, drain, operator_headers, seller_headers):
    set_policy(client, "invoice-imports", mode="fail", resultCode="ImportClosed", message="Not today.")
    import_id = upload_invoice(client, db, drain, operator_headers, seller_headers)
    drain()
    failed = invoice_report(client, seller_headers, import_id)
    assert (failed["status"], failed["successCount"], failed["failureCount"]) == ("Failure", 0, 1)
    [file] = failed["files"]
    assert (file["status"], file["errorCode"], file["errorMessage"]) == (
        "Failure",
        "ImportClosed",
        "Not today.",
    )
    assert file["documentId"] is None
    listed = client.get(IMPORTS, headers=seller_headers).json()["items"]
    assert [(i["importId"], i["status"]) for i in listed] == [(import_id, "Failure")]
