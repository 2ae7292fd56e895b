"""Inbound shipments (spec 15.2) over HTTP: the seller's announcement and its checks, the code and
the delivery note (a PDF read back with pypdf), the lists, the warehouse's counting with
discrepancies and damaged units, the stock it leaves, and the sandbox warehouse moving on by itself.

The demo opens the French and Spanish warehouses to seller 98979; its products are referenced over
HTTP, on catalogue products written straight in the database (the catalogue is tested apart)."""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

import pytest
from pypdf import PdfReader

from comptoir import clock
from comptoir.catalog import Product
from comptoir.errors import Conflict
from comptoir.fulfillment.inbound import domain as d
from conftest import assert_problem, sandbox_headers
from fulfillment.ref_support import BASE, reference
from sandbox.test_progress import SANDBOX, set_policy

API = f"{BASE}/inbound-shipments"
OPERATOR = "/operator/v1/inbound-shipments"
KIND = "inbound-shipments"
KETTLE, LAMP = "PRDKETTLE01", "PRDLAMP0001"


def catalogue_product(db: Any, product_id: str, gtin: str, title: str) -> dict[str, Any]:
    with db.transaction() as s:
        s.add(
            Product(
                product_reference=product_id,
                gtin=gtin,
                seller_id="98979",
                category_code="010201",
                language="fr-FR",
                title=title,
                description="A product for inbound tests.",
                attributes=[],
                pictures=[],
                created_at=clock.now(),
                updated_at=clock.now(),
            )
        )
    return {"product_id": product_id, "gtin": gtin}


@pytest.fixture
def catalog(client, db, seller_headers):
    """Seller 98979 referenced two products: a new kettle and a like-new lamp."""
    kettle = catalogue_product(db, KETTLE, "4000000800001", "Bouilloire")
    lamp = catalogue_product(db, LAMP, "4000000800002", "Lampe")
    reference(client, seller_headers, kettle, "SKU-KETTLE", label="Bouilloire électrique 1,7 L")
    reference(client, seller_headers, lamp, "SKU-LAMP", productCondition="LikeNew", label="Desk lamp")


def body(reference: str = "SUP-1", country: str = "FR", lines: Any = None) -> dict[str, Any]:
    return {
        "reference": reference,
        "storageCountry": country,
        "lines": lines
        or [
            {"sellerProductReference": "SKU-KETTLE", "quantity": 10},
            {"productId": LAMP, "productCondition": "likenew", "quantity": 4},
        ],
    }


def post(client: Any, headers: dict[str, str], data: dict[str, Any]) -> str:
    r = client.post(API, json=data, headers=headers)
    assert r.status_code == 201, r.text
    inbound_id = r.json()["inboundShipmentId"]
    assert uuid.UUID(inbound_id).version == 4
    assert r.headers["content-location"] == f"/inbound-shipments/{inbound_id}"
    assert r.headers["location"].endswith(f"/seller/v2/inbound-shipments/{inbound_id}")
    return str(inbound_id)


def get(client: Any, headers: dict[str, str], inbound_id: str) -> dict[str, Any]:
    r = client.get(f"{API}/{inbound_id}", headers=headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def advance(client: Any, inbound_id: str, action: str = "advance", **extra: Any) -> None:
    r = client.post(
        f"{SANDBOX}/progress/{KIND}/{inbound_id}",
        json={"action": action, **extra},
        headers=sandbox_headers(client),
    )
    assert r.status_code == 200, r.text


def accepted(client: Any, headers: dict[str, str], data: dict[str, Any] | None = None) -> str:
    """An inbound the warehouse accepted, which then waits for the operator (manual progress)."""
    set_policy(client, KIND, mode="manual", sellerId="98979")
    inbound_id = post(client, headers, data or body())
    advance(client, inbound_id)
    assert get(client, headers, inbound_id)["status"] == "Accepted"
    return inbound_id


def stocks(client: Any, headers: dict[str, str]) -> dict[tuple[str, str, str], tuple[int, int]]:
    """The seller's stock records, as GET /stocks shows them: (available, blocked) by product,
    condition and country."""
    r = client.get(f"{BASE}/stocks?limit=1000", headers=headers)
    assert r.status_code == 200, r.text
    return {
        (x["productId"], x["productCondition"], x["storageCountry"]): (
            x["quantities"]["available"],
            x["quantities"]["blocked"],
        )
        for x in r.json()["items"]
    }


def movements(client: Any, headers: dict[str, str], product_id: str) -> list[tuple[Any, ...]]:
    """The inbound movements of a product's stock in FR, oldest first, from GET /stocks/{id}."""
    found = client.get(f"{BASE}/stocks?limit=1000&storageCountry=FR", headers=headers).json()["items"]
    stock_id = next(x["id"] for x in found if x["productId"] == product_id)
    r = client.get(f"{BASE}/stocks/{stock_id}", headers=headers)
    assert r.status_code == 200, r.text
    return [
        (m["reason"], m["changes"]["available"], m["changes"]["blocked"], m["sourceId"])
        for m in reversed(r.json()["movements"])
        if m["sourceType"] == "Inbound"
    ]


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- rules ----------------------------------------------------------------------------------------


def test_transition_table():
    S, A = d.InboundStatus, d.Action
    assert d.transition("Created", A.ACCEPT) == S.ACCEPTED
    assert d.transition("Accepted", A.SHIP) == S.IN_TRANSIT
    for status in ("Accepted", "InTransit", "ReceptionInProgress"):
        assert d.transition(status, A.COUNT) == S.RECEPTION_IN_PROGRESS
        assert d.transition(status, A.RECEIVE) == S.RECEIVED
        assert d.transition(status, A.RECEIVE_WITH_DISCREPANCIES) == S.RECEIVED_WITH_DISCREPANCIES
    # Turned away before any unit is counted, never after.
    assert {s for s in S if d.allowed(s, A.REFUSE)} == {S.CREATED, S.ACCEPTED, S.IN_TRANSIT}
    for final in d.FINAL:
        assert not any(d.allowed(final, action) for action in A)
    with pytest.raises(Conflict, match="InTransit: it cannot be put in transit"):
        d.transition("InTransit", A.SHIP)
    assert not d.allowed("Created", A.COUNT)


def test_counting_rules():
    lines = [d.Line(10), d.Line(4)]
    after = d.counted(lines, [d.Count(1, 6, 1)])
    after = d.counted(after, [d.Count(1, 4), d.Count(2, 4)])
    assert after == [d.Line(10, 10, 1), d.Line(4, 4, 0)]
    assert d.closing(after) == d.Action.RECEIVE_WITH_DISCREPANCIES  # a damaged unit differs
    assert d.closing([d.Line(10, 10), d.Line(4, 4)]) == d.Action.RECEIVE
    assert [d.Line(10, 8).discrepancy, d.Line(10, 12).discrepancy] == [-2, 2]
    assert d.code("FR", "ABCDEFGH") == "INFRABCDEFGH"


# --- the announcement -----------------------------------------------------------------------------


def test_accepted_inbound_gets_a_code_and_a_delivery_note(client, seller_headers, catalog):
    set_policy(client, KIND, mode="manual", sellerId="98979")
    inbound_id = post(client, seller_headers, body(country="france"))
    created = get(client, seller_headers, inbound_id)
    assert created["status"] == "Created" and created["code"] is None
    assert created["storageCountry"] == "FR" and created["deliveryNoteAvailable"] is False
    assert [line["sellerProductReference"] for line in created["lines"]] == ["SKU-KETTLE", None]
    problem = assert_problem(client.get(f"{API}/{inbound_id}/delivery-notes", headers=seller_headers), 409)
    assert "not accepted yet" in problem["detail"]

    advance(client, inbound_id)
    inbound = get(client, seller_headers, inbound_id)
    assert inbound["status"] == "Accepted" and inbound["deliveryNoteAvailable"] is True
    assert re.fullmatch(r"INFR[A-Z]{8}", inbound["code"])
    assert inbound["acceptedAt"] and inbound["refusalReasons"] == []
    assert (
        inbound["warehouse"]["countryCode"] == "FR" and "33610 Cestas" in inbound["warehouse"]["addressLines"]
    )
    # Lines are resolved to the referenced products, however the seller named them.
    assert [
        (x["sellerProductReference"], x["productId"], x["productCondition"]) for x in inbound["lines"]
    ] == [
        ("SKU-KETTLE", KETTLE, "New"),
        ("SKU-LAMP", LAMP, "LikeNew"),
    ]
    assert [x["label"] for x in inbound["lines"]] == ["Bouilloire électrique 1,7 L", "Desk lamp"]

    r = client.get(f"{API}/{inbound_id}/delivery-notes", headers=seller_headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == f'attachment; filename="delivery-note-{inbound["code"]}.pdf"'
    assert r.content.startswith(b"%PDF-")
    text = pdf_text(r.content)
    for expected in (
        inbound["code"],
        "SUP-1",
        inbound_id,
        "Octopia Fulfillment - Entrepôt de Cestas",
        "1 avenue de Marticot",
        "33610 Cestas",
        "1 SKU-KETTLE PRDKETTLE01 New Bouilloire électrique 1,7 L 10",
        "2 SKU-LAMP PRDLAMP0001 LikeNew Desk lamp 4",
        "Total units 14",
    ):
        assert expected in text, (expected, text)
    # The barcode: Code 39 draws five bars per character, start and stop characters included.
    page = PdfReader(io.BytesIO(r.content)).pages[0]
    assert page.get_contents().get_data().count(b" re") >= 5 * (len(inbound["code"]) + 2)
    # The same inbound always gives the same note.
    assert client.get(f"{API}/{inbound_id}/delivery-notes", headers=seller_headers).content == r.content


def test_warehouse_refuses_unreferenced_products_and_closed_countries(
    client, seller_headers, operator_headers, catalog, drain
):
    lines = [
        {"sellerProductReference": "SKU-KETTLE", "quantity": 1},
        {"sellerProductReference": "SKU-UNKNOWN", "quantity": 2},
        {"productId": KETTLE, "productCondition": "Used", "quantity": 3},
    ]
    inbound_id = post(client, seller_headers, body(country="UK", lines=lines))
    drain()
    inbound = get(client, seller_headers, inbound_id)
    assert inbound["status"] == "Refused" and inbound["code"] is None
    assert [(r["code"], r["lineNumber"]) for r in inbound["refusalReasons"]] == [
        ("StorageCountryNotEnabled", None),
        ("ProductNotReferenced", 2),
        ("ProductNotReferenced", 3),
    ]
    assert "SKU-UNKNOWN" in inbound["refusalReasons"][1]["message"]
    problem = assert_problem(client.get(f"{API}/{inbound_id}/delivery-notes", headers=seller_headers), 409)
    assert "refused" in problem["detail"]
    assert stocks(client, seller_headers) == {}
    # The countries are read when the warehouse checks: once the operator opens UK, it accepts.
    opened = client.put(
        "/operator/v1/sellers/98979/fulfillment-storage-countries",
        json=["FR", "UK"],
        headers=operator_headers,
    )
    assert opened.status_code == 200, opened.text
    uk_id = post(client, seller_headers, body("SUP-UK", "united kingdom"))
    drain()
    assert get(client, seller_headers, uk_id)["code"].startswith("INUK")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"storageCountry": "DE"}, "storageCountry"),
        ({"storageCountry": ""}, "storageCountry"),
        ({"reference": ""}, "reference"),
        ({"lines": []}, "lines"),
        ({"lines": [{"quantity": 1}]}, "lines[0]"),
        ({"lines": [{"productId": KETTLE, "quantity": 1}]}, "lines[0]"),
        (
            {"lines": [{"productId": "P", "productCondition": "Broken", "quantity": 1}]},
            "lines[0].productCondition",
        ),
        ({"lines": [{"sellerProductReference": "SKU-KETTLE", "quantity": 0}]}, "lines[0].quantity"),
        ({"lines": [{"sellerProductReference": "SKU-KETTLE", "quantity": "two"}]}, "lines[0].quantity"),
        (
            {
                "lines": [
                    {"sellerProductReference": "A", "quantity": 1},
                    {"sellerProductReference": "A", "quantity": 2},
                ]
            },
            "lines[1]",
        ),
    ],
)
def test_malformed_announcements_are_400s_naming_the_field(client, seller_headers, change, field):
    problem = assert_problem(client.post(API, json={**body(), **change}, headers=seller_headers), 400)
    assert field in problem["errors"], problem
    assert client.get(f"{API}/count", headers=seller_headers).json() == 0


def test_wire_tolerance_and_duplicate_references(client, seller_headers, catalog, drain):
    data = {
        "Reference": "SUP-CASE",
        "StorageCountry": "Spain",
        "Lines": [{"SellerProductReference": "SKU-KETTLE", "Quantity": 2}],
    }
    inbound_id = post(client, seller_headers, data)
    problem = assert_problem(client.post(API, json=data, headers=seller_headers), 409)
    assert inbound_id in problem["detail"]
    # The seller reference wins over a product id given beside it.
    both = [
        {
            "sellerProductReference": "SKU-LAMP",
            "productId": KETTLE,
            "productCondition": "New",
            "quantity": 1,
        }
    ]
    other_id = post(client, seller_headers, body("SUP-BOTH", lines=both))
    set_policy(client, KIND, mode="immediate", sellerId="98979")  # objects created before keep theirs
    drain()
    assert get(client, seller_headers, inbound_id)["storageCountry"] == "ES"
    assert get(client, seller_headers, other_id)["lines"][0]["productId"] == LAMP


# --- the warehouse --------------------------------------------------------------------------------


def test_reception_with_discrepancies_and_damaged_units(client, seller_headers, operator_headers, catalog):
    inbound_id = accepted(client, seller_headers)
    r = client.post(f"{OPERATOR}/{inbound_id}/transit", headers=operator_headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "InTransit" and r.json()["inTransitAt"]
    assert_problem(client.post(f"{OPERATOR}/{inbound_id}/transit", headers=operator_headers), 409)

    # A first pass: 6 kettles, one of them damaged; the inbound is being received.
    first = {"lines": [{"lineNumber": 1, "receivedQuantity": 6, "damagedQuantity": 1}], "complete": False}
    r = client.post(f"{OPERATOR}/{inbound_id}/reception", json=first, headers=operator_headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "ReceptionInProgress" and r.json()["receptionStartedAt"]
    assert get(client, seller_headers, inbound_id)["status"] == "ReceptionInProgress"
    assert stocks(client, seller_headers) == {(KETTLE, "New", "FR"): (5, 1)}

    # The last pass: 2 more kettles (8 of 10 in all), 5 lamps for the 4 announced.
    last = {"lines": [{"lineNumber": 1, "receivedQuantity": 2}, {"lineNumber": 2, "receivedQuantity": 5}]}
    r = client.post(f"{OPERATOR}/{inbound_id}/reception", json=last, headers=operator_headers)
    assert r.status_code == 200, r.text
    inbound = get(client, seller_headers, inbound_id)
    assert inbound["status"] == "ReceivedWithDiscrepancies" and inbound["receivedAt"]
    assert [
        (x["quantity"], x["receivedQuantity"], x["damagedQuantity"], x["discrepancyQuantity"])
        for x in inbound["lines"]
    ] == [(10, 8, 1, -2), (4, 5, 0, 1)]
    # Sound units Available, damaged ones Blocked, in the inbound's country.
    assert stocks(client, seller_headers) == {(KETTLE, "New", "FR"): (7, 1), (LAMP, "LikeNew", "FR"): (5, 0)}
    assert movements(client, seller_headers, KETTLE) == [
        ("InboundReceived", 5, 0, inbound_id),
        ("InboundDamaged", 0, 1, inbound_id),
        ("InboundReceived", 2, 0, inbound_id),
    ]
    assert movements(client, seller_headers, LAMP) == [("InboundReceived", 5, 0, inbound_id)]
    # Counted and closed: nothing more to receive.
    assert_problem(
        client.post(f"{OPERATOR}/{inbound_id}/reception", json=last, headers=operator_headers), 409
    )
    assert stocks(client, seller_headers)[(KETTLE, "New", "FR")] == (7, 1)


def test_reception_as_announced_is_received(client, seller_headers, operator_headers, catalog):
    inbound_id = accepted(client, seller_headers, body(country="ES"))
    counts = {"lines": [{"lineNumber": 1, "receivedQuantity": 10}, {"lineNumber": 2, "receivedQuantity": 4}]}
    r = client.post(f"{OPERATOR}/{inbound_id}/reception", json=counts, headers=operator_headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "Received" and r.json()["inTransitAt"] is None  # transit is optional
    assert stocks(client, seller_headers) == {(KETTLE, "New", "ES"): (10, 0), (LAMP, "LikeNew", "ES"): (4, 0)}


def test_reception_rules(client, seller_headers, operator_headers, catalog):
    set_policy(client, KIND, mode="manual", sellerId="98979")
    created_id = post(client, seller_headers, body("SUP-NOT-YET"))
    counts = {"lines": [{"lineNumber": 1, "receivedQuantity": 1}]}
    problem = assert_problem(
        client.post(f"{OPERATOR}/{created_id}/reception", json=counts, headers=operator_headers), 409
    )
    assert "Created" in problem["detail"]
    assert_problem(client.post(f"{OPERATOR}/{created_id}/transit", headers=operator_headers), 409)
    inbound_id = post(client, seller_headers, body())
    advance(client, inbound_id)
    url = f"{OPERATOR}/{inbound_id}/reception"
    for lines, field in (
        ([{"lineNumber": 3, "receivedQuantity": 1}], "lines[0].lineNumber"),
        (
            [{"lineNumber": 1, "receivedQuantity": 1}, {"lineNumber": 1, "receivedQuantity": 1}],
            "lines[1].lineNumber",
        ),
        ([{"lineNumber": 1, "receivedQuantity": 1, "damagedQuantity": 2}], "lines[0].damagedQuantity"),
        ([{"lineNumber": 1, "receivedQuantity": -1}], "lines[0].receivedQuantity"),
    ):
        problem = assert_problem(client.post(url, json={"lines": lines}, headers=operator_headers), 400)
        assert field in problem["errors"], problem
    problem = assert_problem(
        client.post(url, json={"lines": [], "complete": False}, headers=operator_headers), 400
    )
    assert "lines" in problem["errors"]
    assert stocks(client, seller_headers) == {}
    unknown = str(uuid.uuid4())
    assert_problem(client.post(f"{OPERATOR}/{unknown}/reception", json=counts, headers=operator_headers), 404)
    assert_problem(client.get(f"{OPERATOR}/{unknown}", headers=operator_headers), 404)
    # Nothing counted, the count closed: every unit is missing.
    r = client.post(url, json={"lines": []}, headers=operator_headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "ReceivedWithDiscrepancies"
    assert [x["discrepancyQuantity"] for x in r.json()["lines"]] == [-10, -4]
    # The seller cannot drive the warehouse.
    assert client.post(url, json={"lines": []}, headers=seller_headers).status_code in (401, 403)


# --- the sandbox warehouse ------------------------------------------------------------------------


def test_realistic_warehouse_moves_one_step_per_delay(client, seller_headers, catalog, drain):
    set_policy(client, KIND, mode="realistic", delaySeconds=60, sellerId="98979")
    inbound_id = post(client, seller_headers, body())
    seen = []
    for _ in range(3):
        drain()
        seen.append(get(client, seller_headers, inbound_id)["status"])
        client.post(f"{SANDBOX}/clock", json={"advanceSeconds": 60}, headers=sandbox_headers(client))
    drain()
    seen.append(get(client, seller_headers, inbound_id)["status"])
    assert seen == ["Created", "Accepted", "InTransit", "Received"]
    inbound = get(client, seller_headers, inbound_id)
    assert [x["receivedQuantity"] for x in inbound["lines"]] == [10, 4]
    assert stocks(client, seller_headers) == {(KETTLE, "New", "FR"): (10, 0), (LAMP, "LikeNew", "FR"): (4, 0)}


def test_immediate_warehouse_receives_before_the_answer(client, seller_headers, catalog):
    set_policy(client, KIND, mode="immediate", sellerId="98979")
    inbound_id = post(client, seller_headers, body())
    inbound = get(client, seller_headers, inbound_id)
    assert inbound["status"] == "Received" and inbound["code"] and inbound["inTransitAt"]
    assert stocks(client, seller_headers)[(KETTLE, "New", "FR")] == (10, 0)


def test_fail_policy_refuses_with_the_chosen_reason(client, seller_headers, catalog, drain):
    set_policy(
        client, KIND, mode="fail", resultCode="WarehouseFull", message="No room left.", sellerId="98979"
    )
    inbound_id = post(client, seller_headers, body())
    drain()
    inbound = get(client, seller_headers, inbound_id)
    assert inbound["status"] == "Refused"
    assert inbound["refusalReasons"] == [
        {"code": "WarehouseFull", "message": "No room left.", "lineNumber": None}
    ]
    # Failed on a later step: turned away at the dock, with the warehouse's usual reason.
    set_policy(client, KIND, mode="manual", sellerId="98979")
    other_id = post(client, seller_headers, body("SUP-2"))
    advance(client, other_id)
    advance(client, other_id)
    assert get(client, seller_headers, other_id)["status"] == "InTransit"
    advance(client, other_id, "fail")
    other = get(client, seller_headers, other_id)
    assert other["status"] == "Refused" and other["refusalReasons"][0]["code"] == "RefusedByWarehouse"
    assert other["code"] and other["deliveryNoteAvailable"] is False
    assert stocks(client, seller_headers) == {}


def test_operator_takes_over_from_the_sandbox_warehouse(client, seller_headers, operator_headers, catalog):
    inbound_id = accepted(client, seller_headers)  # its transit step is waiting
    counts = {"lines": [{"lineNumber": 1, "receivedQuantity": 3}], "complete": False}
    assert (
        client.post(f"{OPERATOR}/{inbound_id}/reception", json=counts, headers=operator_headers).status_code
        == 200
    )
    advance(client, inbound_id, "finish")  # the waiting step finds the count started and leaves it
    assert get(client, seller_headers, inbound_id)["status"] == "ReceptionInProgress"
    assert stocks(client, seller_headers) == {(KETTLE, "New", "FR"): (3, 0)}


# --- reading --------------------------------------------------------------------------------------


def test_lists_filters_paging_and_count(client, seller_headers, catalog):
    set_policy(client, KIND, mode="immediate", sellerId="98979")
    ids = [
        post(client, seller_headers, body(f"SUP-{n}", country))
        for n, country in enumerate(["FR", "ES", "FR"])
    ]
    refused = post(client, seller_headers, body("SUP-BAD", "UK"))
    r = client.get(API, headers=seller_headers)
    assert r.status_code == 200, r.text
    assert [x["inboundShipmentId"] for x in r.json()["items"]] == [refused, *reversed(ids)]
    assert r.json()["itemsPerPage"] == 4

    def listed(query: str) -> list[str]:
        r = client.get(f"{API}?{query}", headers=seller_headers)
        assert r.status_code == 200, r.text
        count = client.get(f"{API}/count?{query}", headers=seller_headers)
        assert count.json() == len(r.json()["items"])
        return [x["reference"] for x in r.json()["items"]]

    assert listed("status=received") == ["SUP-2", "SUP-1", "SUP-0"]
    assert listed("status=Refused,Received&storageCountry=uk") == ["SUP-BAD"]
    assert listed("storageCountry=Spain") == ["SUP-1"]
    assert listed("storageCountry=FR&storageCountry=ES") == ["SUP-2", "SUP-1", "SUP-0"]
    assert listed("reference=SUP-0") == ["SUP-0"]
    assert listed("createdAtMin=2000-01-01T00:00:00Z&createdAtMax=2100-01-01") == [
        "SUP-BAD",
        "SUP-2",
        "SUP-1",
        "SUP-0",
    ]
    assert listed("createdAtMax=2000-01-01T00:00:00Z") == []

    # Cursor pages, the next one in `Link`.
    walked, url = [], f"{API}?limit=1"
    while url:
        r = client.get(url, headers=seller_headers)
        walked += [x["reference"] for x in r.json()["items"]]
        found = re.search(r'<([^>]+)>; rel="next"', r.headers.get("link", ""))
        url = found.group(1) if found else ""
    assert walked == ["SUP-BAD", "SUP-2", "SUP-1", "SUP-0"]

    for query, field in (
        ("status=Lost", "status"),
        ("storageCountry=DE", "storageCountry"),
        ("createdAtMin=yesterday", "createdAtMin"),
        ("limit=1001", "limit"),
        ("cursor=nope", "cursor"),
    ):
        problem = assert_problem(client.get(f"{API}?{query}", headers=seller_headers), 400)
        assert field in problem["errors"], (query, problem)
    assert_problem(client.get(f"{API}/count?status=Lost", headers=seller_headers), 400)


def test_another_sellers_inbounds_are_not_found(client, seller_headers, other_headers, catalog):
    set_policy(client, KIND, mode="immediate", sellerId="98979")
    inbound_id = post(client, seller_headers, body())
    for path in (f"{API}/{inbound_id}", f"{API}/{inbound_id}/delivery-notes", f"{API}/{uuid.uuid4()}"):
        assert_problem(client.get(path, headers=other_headers), 404)
    assert client.get(API, headers=other_headers).json()["items"] == []
    assert client.get(f"{API}/count", headers=other_headers).json() == 0
    # The same reference is another seller's own.
    r = client.post(API, json=body(), headers=other_headers)
    assert r.status_code == 201, r.text
    assert client.get(API, headers=seller_headers).json()["itemsPerPage"] == 1
    assert client.get(API).status_code == 401
