"""The fulfillment round trip over HTTP, as the README walks it with curl: a demo catalogue product
referenced, sent to the French warehouse (its delivery note read back), received with a discrepancy,
sold on a marketplace order the warehouse ships, returned by the customer with a label, received
and put back on the shelf."""

from __future__ import annotations

from typing import Any

from conftest import sandbox_headers
from fulfillment.test_returns import pdf_text
from offers.support import Packages, ProductRef, offer_request
from sandbox.test_progress import SANDBOX, set_policy

API = "/seller/v2"
OP = "/operator/v1"
# The demo seller's laptop (catalog/demo.py), integrated in the catalogue.
LAPTOP = "3760000000017"


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def quantities(client: Any, headers: dict[str, str], stock_id: str) -> dict[str, int]:
    found = ok(client.get(f"{API}/stocks/{stock_id}", headers=headers))["quantities"]
    return {bucket: n for bucket, n in found.items() if n}


def test_reference_supply_sell_ship_return_restock(client, drain, seller_headers, operator_headers):
    # Referencing: the seller's reference on the catalogue product.
    product = ok(
        client.post(
            f"{API}/fulfillment-products",
            json=[{"gtin": LAPTOP, "sellerProductReference": "FFM-LAP", "productCondition": "New"}],
            headers=seller_headers,
        )
    )[0]
    assert product["status"] == "Created", product
    product_id = product["productId"]

    # Inbound: 10 laptops announced to Cestas; the warehouse accepts it and gives it a code.
    set_policy(client, "inbound-shipments", mode="manual", sellerId="98979")
    announced = {
        "reference": "SUP-LAP-1",
        "storageCountry": "FR",
        "lines": [{"sellerProductReference": "FFM-LAP", "quantity": 10}],
    }
    inbound_id = ok(client.post(f"{API}/inbound-shipments", json=announced, headers=seller_headers), 201)[
        "inboundShipmentId"
    ]
    ok(
        client.post(
            f"{SANDBOX}/progress/inbound-shipments/{inbound_id}",
            json={"action": "advance"},
            headers=sandbox_headers(client),
        )
    )
    inbound = ok(client.get(f"{API}/inbound-shipments/{inbound_id}", headers=seller_headers))
    assert inbound["status"] == "Accepted" and inbound["deliveryNoteAvailable"] is True

    # The delivery note is a PDF with the code and the lines.
    note = client.get(f"{API}/inbound-shipments/{inbound_id}/delivery-notes", headers=seller_headers)
    assert note.status_code == 200 and note.headers["content-type"] == "application/pdf"
    text = pdf_text(note.content)
    for expected in (
        inbound["code"],
        "SUP-LAP-1",
        f"1 FFM-LAP {product_id} New",
        "Total units 10",
        "33610 Cestas",
    ):
        assert expected in text, (expected, text)

    # The warehouse counts 9 sound laptops and a damaged one of the 10 announced... and one missing.
    counts = {"lines": [{"lineNumber": 1, "receivedQuantity": 9, "damagedQuantity": 1}]}
    received = ok(
        client.post(f"{OP}/inbound-shipments/{inbound_id}/reception", json=counts, headers=operator_headers)
    )
    assert received["status"] == "ReceivedWithDiscrepancies"
    assert [
        (x["receivedQuantity"], x["damagedQuantity"], x["discrepancyQuantity"]) for x in received["lines"]
    ] == [(9, 1, -1)]

    # Stock appears: 8 available, 1 blocked, in FR.
    (stock,) = ok(client.get(f"{API}/stocks?limit=10", headers=seller_headers))["items"]
    assert (stock["productId"], stock["storageCountry"]) == (product_id, "FR")
    assert quantities(client, seller_headers, stock["id"]) == {"available": 8, "blocked": 1}

    # An offer on SELLZZ, and a customer's order of 2 laptops shipped by the warehouse.
    packages = Packages(client, seller_headers, drain)
    results = packages.run([offer_request("FFM-LAP-OFFER", ProductRef(0, LAPTOP, ""), quantity=50)])
    # Integrated (8000), and the warehouses' quantity kept (8003): a Fulfillment offer sells their units.
    assert [x["resultCode"] for x in results[0]["results"]] == ["8000", "8003"], results
    order = {
        "salesChannelId": "SELLZZ",
        "customer": {"reference": "c-1"},
        "shippingAddress": {
            "firstName": "Marie",
            "lastName": "Curie",
            "addressLine1": "1 rue Curie",
            "postalCode": "75005",
            "city": "Paris",
            "countryCode": "FR",
        },
        "lines": [
            {
                "sellerId": "98979",
                "sellerExternalReference": "FFM-LAP-OFFER",
                "quantity": 2,
                "supplyMode": "Fulfillment",
            }
        ],
    }
    order_id = ok(client.post(f"{OP}/orders", json=order, headers=operator_headers), 201)["orderId"]
    drain()
    placed = ok(client.get(f"{API}/orders/{order_id}", headers=seller_headers))
    assert placed["status"] == "InPreparation", placed
    assert quantities(client, seller_headers, stock["id"]) == {"available": 6, "allocated": 2, "blocked": 1}
    ok(
        client.post(
            f"{OP}/orders/{order_id}/warehouse-shipment",
            json={"parcelNumber": "WH-LAP-1", "carrierName": "GLS"},
            headers=operator_headers,
        )
    )
    assert ok(client.get(f"{API}/orders/{order_id}", headers=seller_headers))["status"] == "Shipped"
    assert quantities(client, seller_headers, stock["id"]) == {"available": 6, "blocked": 1}

    # The customer sends one back: a return on the order, with its label.
    declared = {
        "orderSellerId": order_id,
        "reason": "Retraction",
        "lines": [{"sellerProductReference": "FFM-LAP", "quantity": 1}],
    }
    found = ok(client.post(f"{API}/returns", json=declared, headers=seller_headers), 201)
    assert (found["type"], found["status"], found["storageCountry"], found["hasLabel"]) == (
        "Customer",
        "Created",
        "FR",
        True,
    )
    label = client.get(f"{API}/returns/{found['returnId']}/label", headers=seller_headers)
    assert label.status_code == 200 and label.headers["content-type"] == "application/pdf"
    text = pdf_text(label.content)
    for expected in ("RETURN LABEL", found["parcelId"], f"order {order_id}", "33610 Cestas", "1 x FFM-LAP"):
        assert expected in text, (expected, text)

    # The warehouse receives it (into Return), inspects it and puts it back on the shelf.
    url = f"{OP}/fulfillment/returns/{found['returnId']}"
    received = {"lines": [{"lineNumber": 1, "receivedQuantity": 1}]}
    assert ok(client.post(f"{url}/reception", json=received, headers=operator_headers))["status"] == "Pending"
    assert quantities(client, seller_headers, stock["id"]) == {"available": 6, "blocked": 1, "return": 1}
    assert ok(client.post(f"{url}/inspection", json={}, headers=operator_headers))["status"] == "Completed"
    assert quantities(client, seller_headers, stock["id"]) == {"available": 7, "blocked": 1}
    reasons = [
        m["reason"]
        for m in ok(client.get(f"{API}/stocks/{stock['id']}", headers=seller_headers))["movements"]
    ]
    assert reasons[::-1] == [
        "InboundReceived",
        "InboundDamaged",
        "OrderAllocated",
        "OrderShipped",
        "ReturnReceived",
        "ReturnRestocked",
    ]
