"""Orders driven to a status, discussions opened by each side, and sample files of every format."""

from __future__ import annotations

import io
import itertools
import zipfile
from typing import Any

from order_helpers import make_offer, place

SELLER = "/seller/v2"
OPERATOR = "/operator/v1"
PARCEL = {"parcelNumber": "PARCEL-001", "carrierName": "Colissimo"}
BODY = "The product arrived broken, what can you do?"
_refs = itertools.count()


def order_in(
    client: Any, db: Any, drain: Any, operator_headers: Any, seller_headers: Any, status: str = "Shipped"
) -> dict[str, Any]:
    """An order of seller 98979 on SELLZZ (accepted at once), driven to `status`; returns its id and the
    product reference of its line."""
    ref = f"D{next(_refs)}"
    make_offer(db, reference=ref)
    lines = [{"sellerId": "98979", "sellerExternalReference": ref, "quantity": 1}]
    order_id = str(place(client, operator_headers, drain, lines=lines)["orderId"])
    if status in {"Shipped", "Delivered"}:
        r = client.post(f"{SELLER}/orders/{order_id}/shipments", json=PARCEL, headers=seller_headers)
        assert r.status_code == 201, r.text
    if status == "Delivered":
        r = client.post(f"{OPERATOR}/orders/{order_id}/delivery", headers=operator_headers)
        assert r.status_code == 200, r.text
    if status == "Cancelled":
        r = client.post(
            f"{OPERATOR}/orders/{order_id}/customer-service-cancellation",
            json={"reason": "customer-service"},
            headers=operator_headers,
        )
        assert r.status_code == 200, r.text
    order = client.get(f"{OPERATOR}/orders/{order_id}", headers=operator_headers).json()
    assert order["status"] == status, order
    return {"orderId": order_id, "productId": order["lines"][0]["offer"]["productId"]}


def customer_opens(
    client: Any, operator_headers: Any, order_id: str, sub: str = "productIsDamaged", **extra: Any
) -> Any:
    body = {
        "orderId": order_id,
        "subject": "Broken product",
        "subTypologyCode": sub,
        "message": {"body": BODY},
        **extra,
    }
    return client.post(f"{OPERATOR}/discussions", json=body, headers=operator_headers)


def opened(client: Any, operator_headers: Any, order_id: str, **extra: Any) -> str:
    r = customer_opens(client, operator_headers, order_id, **extra)
    assert r.status_code == 201, r.text
    return str(r.json()["discussionId"])


def seller_opens(client: Any, headers: Any, order_id: str, sub: str = "broken-product", **extra: Any) -> Any:
    body = {
        "subject": "Broken product",
        "orderId": order_id,
        "salesChannel": "SELLZZ",
        "subtypologyCode": sub,
        "message": {"body": "Your product was broken in transit, sorry.", "receiver": "Customer"},
        **extra,
    }
    return client.post(f"{SELLER}/discussions", json=body, headers=headers)


def discussion(client: Any, headers: Any, discussion_id: str) -> dict[str, Any]:
    r = client.get(f"{SELLER}/discussions/{discussion_id}", headers=headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def reply(client: Any, headers: Any, discussion_id: str, **extra: Any) -> Any:
    body = {"discussionId": discussion_id, "body": "We are sending you a new one today.", **extra}
    return client.post(f"{SELLER}/messages", json=body, headers=headers)


def customer_writes(client: Any, operator_headers: Any, discussion_id: str, **extra: Any) -> Any:
    return client.post(
        f"{OPERATOR}/discussions/{discussion_id}/messages",
        json={"body": "Still waiting for an answer here.", **extra},
        headers=operator_headers,
    )


def escalate(client: Any, operator_headers: Any, discussion_id: str, **body: Any) -> Any:
    return client.post(
        f"{OPERATOR}/discussions/{discussion_id}/escalation", json=body, headers=operator_headers
    )


def advance(client: Any, seconds: int) -> None:
    from conftest import sandbox_headers

    r = client.post("/sandbox/v1/clock", json={"advanceSeconds": seconds}, headers=sandbox_headers(client))
    assert r.status_code == 200, r.text


# --- files ----------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40)
GIF = b"GIF89a" + bytes(40)
BMP = b"BM" + bytes(60)
JPG = b"\xff\xd8\xff\xe0" + bytes(40)
TIF = b"II*\x00" + bytes(40)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
DOC = OLE2 + "WordDocument".encode("utf-16-le") + bytes(64)
XLS = OLE2 + "Workbook".encode("utf-16-le") + bytes(64)


def docx(word: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if word else "xl/workbook.xml", "<document/>")
    return buffer.getvalue()
