"""Returns over HTTP (spec 15.5): customer returns on shipped outbound shipments (never more than was
shipped), the FR label as a real PDF and the ES label by mail, carrier returns, the warehouse's
reception into Return and inspection into Available or Blocked, lists, counts and tenancy."""

from __future__ import annotations

import io
import uuid
from typing import Any

from pypdf import PdfReader

from conftest import assert_problem
from fulfillment import test_outbound
from fulfillment.ref_support import warehouse_offer
from fulfillment.test_outbound import (
    ADDRESS,
    Ffm,
    body,
    create,
    item,
    ledger,
    product,
    quantities,
    set_policy,
    shipment,
    stock_in,
)
from order_helpers import make_offer, place

# The outbound tests' fixture: referencing and stock over HTTP.
ffm = test_outbound.ffm

API = "/seller/v2"
OP = "/operator/v1/fulfillment"
# The Fulfillment offer's product, as `warehouse_offer` references it.
LAMP = {"sellerProductReference": "FFM-LAMP"}


def shipped(
    client: Any, ffm: Ffm, headers: Any, drain: Any, *counts: int, country: str = "FR"
) -> tuple[str, list[dict[str, str]], list[str]]:
    """A shipment of `counts` units of as many products, shipped from `country`: its id, the products
    and their stock records."""
    refs = [product(ffm) for _ in counts]
    stocks = [stock_in(ffm, ref, country, 10) for ref in refs]
    shipment_id = create(
        client,
        headers,
        body(*(item(ref, n) for ref, n in zip(refs, counts, strict=True)), storageCountry=country),
    )
    drain()
    assert shipment(client, headers, shipment_id)["status"] == "Shipped"
    return shipment_id, refs, stocks


def declare(client: Any, headers: Any, **payload: Any) -> Any:
    return client.post(f"{API}/returns", json={"reason": "Retraction", **payload}, headers=headers)


def line(ref: dict[str, str], quantity: int) -> dict[str, Any]:
    return {"sellerProductReference": ref["sellerProductReference"], "quantity": quantity}


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_customer_return_is_labelled_received_and_inspected(
    client, ffm, seller_headers, operator_headers, drain
):
    shipment_id, (lamp, shade), (lamp_stock, _) = shipped(client, ffm, seller_headers, drain, 3, 1)
    r = declare(
        client,
        seller_headers,
        outboundShipmentId=shipment_id,
        reason="retraction",
        comment="Too bright",
        lines=[line(lamp, 2)],
    )
    assert r.status_code == 201, r.text
    found = r.json()
    return_id = found["returnId"]
    assert str(uuid.UUID(return_id)) == return_id
    assert r.headers["content-location"] == f"/returns/{return_id}"
    sent = shipment(client, seller_headers, shipment_id)
    assert {
        k: found[k] for k in ("type", "status", "reason", "comment", "outboundShipmentId", "reference")
    } == {
        "type": "Customer",
        "status": "Created",
        "reason": "Retraction",
        "comment": "Too bright",
        "outboundShipmentId": shipment_id,
        "reference": sent["reference"],
    }
    assert (found["storageCountry"], found["hasLabel"], found["labelUrl"]) == (
        "FR",
        True,
        f"/returns/{return_id}/label",
    )
    assert found["parcelId"].startswith("RT") and found["parcelId"].endswith("FR")
    assert found["receiptDate"] is None and found["recommendedReturnReason"] is None
    assert found["lines"] == [
        {
            "lineNumber": 1,
            "sellerProductReference": lamp["sellerProductReference"],
            "productId": lamp["productId"],
            "productCondition": "New",
            "declaredQuantity": 2,
            "receivedQuantity": None,
            "restockedQuantity": None,
            "blockedQuantity": None,
        }
    ]
    assert client.get(f"{API}/returns/{return_id}", headers=seller_headers).json() == found

    # The label, under both spellings: a PDF naming the parcel, the sender, the warehouse, the contents.
    label = client.get(f"{API}/returns/{return_id}/label", headers=seller_headers)
    assert label.status_code == 200 and label.headers["content-type"] == "application/pdf"
    text = pdf_text(label.content)
    for expected in (
        "RETURN LABEL",
        found["parcelId"],
        "Marie Curie",
        ADDRESS["addressLine1"],
        "33610 Cestas",
        sent["reference"],
        f"2 x {lamp['sellerProductReference']}",
    ):
        assert expected in text, expected
    assert client.get(f"{API}/returns/{return_id}/labels", headers=seller_headers).content == label.content

    # The warehouse receives the parcel: two units into Return.
    url = f"{OP}/returns/{return_id}"
    assert_problem(client.post(f"{url}/inspection", json={}, headers=operator_headers), 409)
    r = client.post(
        f"{url}/reception",
        json={"lines": [{"lineNumber": 1, "receivedQuantity": 2}], "warehouseComment": "Box opened"},
        headers=operator_headers,
    )
    assert r.status_code == 200, r.text
    received = r.json()
    assert (received["status"], received["warehouseComment"]) == ("Pending", "Box opened")
    assert received["receiptDate"] is not None and received["lines"][0]["receivedQuantity"] == 2
    assert quantities(ffm, lamp_stock) == {"Available": 7, "Return": 2}
    assert_problem(client.post(f"{url}/reception", json={"lines": []}, headers=operator_headers), 409)

    # Inspection: one unit is fine, one is not.
    r = client.post(
        f"{url}/inspection",
        json={"lines": [{"lineNumber": 1, "blockedQuantity": 1}], "recommendedReturnReason": "damaged"},
        headers=operator_headers,
    )
    assert r.status_code == 200, r.text
    done = client.get(f"{API}/returns/{return_id}", headers=seller_headers).json()
    assert (done["status"], done["recommendedReturnReason"], done["warehouseComment"]) == (
        "Completed",
        "Damaged",
        "Box opened",
    )
    assert {k: done["lines"][0][k] for k in ("receivedQuantity", "restockedQuantity", "blockedQuantity")} == {
        "receivedQuantity": 2,
        "restockedQuantity": 1,
        "blockedQuantity": 1,
    }
    assert quantities(ffm, lamp_stock) == {"Available": 8, "Blocked": 1}
    assert ledger(ffm, lamp_stock)[-3:] == ["ReturnReceived", "ReturnRestocked", "ReturnBlocked"]
    assert_problem(client.post(f"{url}/inspection", json={}, headers=operator_headers), 409)
    assert_problem(
        client.post(f"{OP}/returns/{uuid.uuid4()}/reception", json={"lines": []}, headers=operator_headers),
        404,
    )


def test_a_return_takes_back_no_more_than_was_shipped(client, ffm, seller_headers, other_headers, drain):
    shipment_id, (lamp, shade), _ = shipped(client, ffm, seller_headers, drain, 3, 1)
    assert (
        declare(client, seller_headers, outboundShipmentId=shipment_id, lines=[line(lamp, 2)]).status_code
        == 201
    )
    problem = assert_problem(
        declare(client, seller_headers, outboundShipmentId=shipment_id, lines=[line(lamp, 2)]), 400
    )
    assert problem["errors"] == {"lines[0].quantity": ["3 shipped and 2 already returned: at most 1 more."]}
    # Two lines of one product count together.
    assert_problem(
        declare(client, seller_headers, outboundShipmentId=shipment_id, lines=[line(lamp, 1), line(lamp, 1)]),
        400,
    )
    # By product id and condition, and the shipment by its seller reference.
    reference = shipment(client, seller_headers, shipment_id)["reference"]
    r = declare(
        client,
        seller_headers,
        reference=reference,
        lines=[{"productId": lamp["productId"], "productCondition": "new", "quantity": 1}, line(shade, 1)],
    )
    assert r.status_code == 201, r.text
    assert [ln["declaredQuantity"] for ln in r.json()["lines"]] == [1, 1]
    assert_problem(
        declare(client, seller_headers, outboundShipmentId=shipment_id, lines=[line(lamp, 1)]), 400
    )

    other = product(ffm)
    problem = assert_problem(
        declare(client, seller_headers, outboundShipmentId=shipment_id, lines=[line(other, 1)]), 400
    )
    assert "lines[0]" in problem["errors"]
    assert_problem(declare(client, seller_headers, outboundShipmentId=shipment_id, lines=[]), 400)
    assert_problem(
        declare(
            client, seller_headers, outboundShipmentId=shipment_id, reason="Bored", lines=[line(lamp, 1)]
        ),
        400,
    )
    problem = assert_problem(declare(client, seller_headers, lines=[line(lamp, 1)]), 400)
    assert "outboundShipmentId" in problem["errors"]
    assert_problem(
        declare(client, seller_headers, outboundShipmentId=str(uuid.uuid4()), lines=[line(lamp, 1)]), 404
    )
    assert_problem(declare(client, seller_headers, reference="NO-SUCH-ORDER", lines=[line(lamp, 1)]), 404)
    # Another seller's shipment is not there for this one.
    assert_problem(declare(client, other_headers, outboundShipmentId=shipment_id, lines=[line(lamp, 1)]), 404)
    assert_problem(declare(client, other_headers, reference=reference, lines=[line(lamp, 1)]), 404)


def test_only_a_shipped_shipment_is_returned(client, ffm, seller_headers):
    ref = product(ffm)
    stock_in(ffm, ref, "FR", 5)
    set_policy(client, "manual")
    shipment_id = create(client, seller_headers, body(item(ref, 1)))
    problem = assert_problem(
        declare(client, seller_headers, outboundShipmentId=shipment_id, lines=[line(ref, 1)]), 409
    )
    assert "Created" in problem["detail"]


def test_returns_to_spain_get_their_label_by_mail(client, ffm, seller_headers, drain):
    shipment_id, (ref,), _ = shipped(client, ffm, seller_headers, drain, 1, country="ES")
    r = declare(
        client, seller_headers, outboundShipmentId=shipment_id, reason="Damaged", lines=[line(ref, 1)]
    )
    assert r.status_code == 201, r.text
    found = r.json()
    assert (found["storageCountry"], found["hasLabel"], found["labelUrl"]) == ("ES", False, None)
    for spelling in ("label", "labels"):
        problem = assert_problem(
            client.get(f"{API}/returns/{found['returnId']}/{spelling}", headers=seller_headers), 404
        )
        assert "by mail" in problem["detail"] and "ES" in problem["detail"]


def test_carrier_returns_bring_back_what_is_left(client, ffm, seller_headers, operator_headers, drain):
    shipment_id, (lamp, shade), (lamp_stock, shade_stock) = shipped(client, ffm, seller_headers, drain, 3, 1)
    assert (
        declare(client, seller_headers, outboundShipmentId=shipment_id, lines=[line(lamp, 1)]).status_code
        == 201
    )
    r = client.post(
        f"{OP}/carrier-returns", json={"outboundShipmentId": shipment_id}, headers=operator_headers
    )
    assert r.status_code == 201, r.text
    found = r.json()
    tracking = shipment(client, seller_headers, shipment_id)["parcels"][0]["trackingNumber"]
    assert (found["type"], found["reason"], found["parcelId"], found["hasLabel"]) == (
        "Carrier",
        "Undeliverable",
        tracking,
        False,
    )
    assert [(ln["sellerProductReference"], ln["declaredQuantity"]) for ln in found["lines"]] == [
        (lamp["sellerProductReference"], 2),
        (shade["sellerProductReference"], 1),
    ]
    problem = assert_problem(
        client.get(f"{API}/returns/{found['returnId']}/label", headers=seller_headers), 404
    )
    assert "carrier" in problem["detail"].lower()
    problem = assert_problem(
        client.post(
            f"{OP}/carrier-returns", json={"outboundShipmentId": shipment_id}, headers=operator_headers
        ),
        409,
    )
    assert "already returned" in problem["detail"]
    assert_problem(
        client.post(
            f"{OP}/carrier-returns", json={"outboundShipmentId": str(uuid.uuid4())}, headers=operator_headers
        ),
        404,
    )
    assert_problem(
        client.post(
            f"{OP}/carrier-returns", json={"outboundShipmentId": shipment_id}, headers=seller_headers
        ),
        403,
    )

    # Lines the carrier's parcel held are received; lines left out count as none received.
    url = f"{OP}/returns/{found['returnId']}"
    bad = [
        ({"lines": [{"lineNumber": 1, "receivedQuantity": 3}]}, "lines[0]"),
        ({"lines": [{"lineNumber": 3, "receivedQuantity": 1}]}, "lines[0].lineNumber"),
        (
            {"lines": [{"lineNumber": 1, "receivedQuantity": 1}, {"lineNumber": 1, "receivedQuantity": 1}]},
            "lines[1].lineNumber",
        ),
        ({"lines": [{"lineNumber": 1, "receivedQuantity": -1}]}, "receivedQuantity"),
    ]
    for payload, field in bad:
        problem = assert_problem(client.post(f"{url}/reception", json=payload, headers=operator_headers), 400)
        assert field in str(problem.get("errors", problem)), (field, problem)
    r = client.post(
        f"{url}/reception",
        json={"lines": [{"lineNumber": 1, "receivedQuantity": 2}]},
        headers=operator_headers,
    )
    assert r.status_code == 200, r.text
    assert [ln["receivedQuantity"] for ln in r.json()["lines"]] == [2, 0]
    problem = assert_problem(
        client.post(
            f"{url}/inspection",
            json={"lines": [{"lineNumber": 1, "blockedQuantity": 3}]},
            headers=operator_headers,
        ),
        400,
    )
    assert "lines[0]" in problem["errors"]
    r = client.post(f"{url}/inspection", json={}, headers=operator_headers)
    assert r.status_code == 200, r.text
    assert [(ln["restockedQuantity"], ln["blockedQuantity"]) for ln in r.json()["lines"]] == [(2, 0), (0, 0)]
    assert quantities(ffm, lamp_stock) == {"Available": 9}
    assert quantities(ffm, shade_stock) == {"Available": 9}


def test_lists_counts_filters_and_tenancy(
    client, ffm, seller_headers, other_headers, operator_headers, drain
):
    shipment_id, (ref,), _ = shipped(client, ffm, seller_headers, drain, 5)
    customer = [
        declare(client, seller_headers, outboundShipmentId=shipment_id, lines=[line(ref, 1)]).json()[
            "returnId"
        ]
        for _ in range(3)
    ]
    carrier = client.post(
        f"{OP}/carrier-returns", json={"outboundShipmentId": shipment_id}, headers=operator_headers
    ).json()["returnId"]
    client.post(
        f"{OP}/returns/{customer[0]}/reception",
        json={"lines": [{"lineNumber": 1, "receivedQuantity": 1}]},
        headers=operator_headers,
    )

    def listed(query: str = "", headers: Any = seller_headers) -> list[str]:
        r = client.get(f"{API}/returns{query}", headers=headers)
        assert r.status_code == 200, r.text
        return [i["returnId"] for i in r.json()["items"]]

    def count(query: str = "", headers: Any = seller_headers) -> int:
        r = client.get(f"{API}/returns/count{query}", headers=headers)
        assert r.status_code == 200, r.text
        return int(r.json())

    everything = listed()
    assert set(everything) == {*customer, carrier} and everything[0] == customer[0]  # latest update first
    assert count() == 4 and count("?type=carrier") == 1 and listed("?type=Carrier") == [carrier]
    assert set(listed("?type=Customer&status=Created")) == set(customer[1:])
    assert listed("?status=Pending") == [customer[0]] and count("?status=Completed,Accepted") == 0
    assert (
        count(f"?outboundShipmentId={shipment_id}") == 4 and count(f"?outboundShipmentId={uuid.uuid4()}") == 0
    )
    assert count("?createdAtMin=2000-01-01T00:00:00Z&updatedAtMax=2100-01-01T00:00:00Z") == 4
    assert count("?createdAtMax=2000-01-01T00:00:00Z") == 0
    for query in ("?type=Courier", "?status=Lost", "?updatedAtMin=soon", "?limit=0", "?cursor=nope"):
        assert_problem(client.get(f"{API}/returns{query}", headers=seller_headers), 400)

    seen, url = [], f"{API}/returns?limit=3"
    while url:
        r = client.get(url, headers=seller_headers)
        seen += [i["returnId"] for i in r.json()["items"]]
        links = {
            part.split('rel="')[1].rstrip('"'): part.split(">")[0].lstrip("<")
            for part in r.headers["link"].split(", ")
        }
        url = links.get("next", "")
    assert seen == everything

    assert listed(headers=other_headers) == [] and count(headers=other_headers) == 0
    for path in (f"/returns/{carrier}", f"/returns/{customer[1]}/label", f"/returns/{customer[1]}/labels"):
        assert_problem(client.get(f"{API}{path}", headers=other_headers), 404)
    assert_problem(client.get(f"{API}/returns/{uuid.uuid4()}", headers=seller_headers), 404)
    assert_problem(client.get(f"{API}/returns"), 401)
    r = client.get(f"{OP}/returns/{carrier}", headers=operator_headers)
    assert r.status_code == 200 and r.json()["type"] == "Carrier"


def test_a_marketplace_orders_fulfillment_lines_are_returned(
    client, db, ffm, seller_headers, other_headers, operator_headers, drain
):
    stock = warehouse_offer(client, db, seller_headers, operator_headers, make_offer(db, reference="LAMP"), 5)
    lines = [
        {"sellerId": "98979", "sellerExternalReference": "LAMP", "quantity": 2, "supplyMode": "Fulfillment"}
    ]
    order_id = place(client, operator_headers, drain, lines=lines)["orderId"]
    problem = assert_problem(
        declare(client, seller_headers, orderSellerId=order_id, lines=[line(LAMP, 1)]), 409
    )
    assert "shipped nothing" in problem["detail"]
    r = client.post(
        f"/operator/v1/orders/{order_id}/warehouse-shipment",
        json={"parcelNumber": "WH-1", "carrierName": "GLS"},
        headers=operator_headers,
    )
    assert r.status_code == 200, r.text

    r = declare(client, seller_headers, orderSellerId=order_id, reason="Damaged", lines=[line(LAMP, 1)])
    assert r.status_code == 201, r.text
    found = r.json()
    assert (found["orderSellerId"], found["outboundShipmentId"], found["reference"]) == (
        order_id,
        None,
        order_id,
    )
    assert (found["storageCountry"], found["hasLabel"]) == ("FR", True)
    assert found["lines"][0]["sellerProductReference"] == LAMP["sellerProductReference"]
    text = pdf_text(client.get(f"{API}/returns/{found['returnId']}/label", headers=seller_headers).content)
    assert found["parcelId"] in text and f"order {order_id}" in text and "33610 Cestas" in text
    problem = assert_problem(declare(client, seller_headers, orderId=order_id, lines=[line(LAMP, 2)]), 400)
    assert problem["errors"] == {"lines[0].quantity": ["2 shipped and 1 already returned: at most 1 more."]}
    assert_problem(declare(client, other_headers, orderSellerId=order_id, lines=[line(LAMP, 1)]), 404)
    assert client.get(f"{API}/returns/count?orderSellerId={order_id}", headers=seller_headers).json() == 1

    # The carrier brings back the unit left; both are received and put back on the shelf.
    r = client.post(f"{OP}/carrier-returns", json={"orderSellerId": order_id}, headers=operator_headers)
    assert r.status_code == 201, r.text
    carried = r.json()
    assert (carried["parcelId"], carried["lines"][0]["declaredQuantity"]) == (order_id, 1)
    for return_id in (found["returnId"], carried["returnId"]):
        url = f"{OP}/returns/{return_id}"
        received = {"lines": [{"lineNumber": 1, "receivedQuantity": 1}]}
        assert client.post(f"{url}/reception", json=received, headers=operator_headers).status_code == 200
        assert client.post(f"{url}/inspection", json={}, headers=operator_headers).status_code == 200
    assert quantities(ffm, stock["id"]) == {"Available": 5}
    assert ledger(ffm, stock["id"])[-4:] == [
        "ReturnReceived",
        "ReturnRestocked",
        "ReturnReceived",
        "ReturnRestocked",
    ]
