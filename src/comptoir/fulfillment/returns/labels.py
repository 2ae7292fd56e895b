"""The return label a customer sticks on the parcel (FR warehouse): a one-page PDF with the return
parcel's number as a Code 39 barcode, the sender, the warehouse (the one inbound shipments go to)
and the contents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from comptoir.fulfillment.inbound.domain import Warehouse

CARRIER = "Colissimo Retour"


@dataclass(frozen=True)
class LabelLine:
    seller_product_reference: str
    quantity: int


def _latin1(text: str) -> str:
    # The PDF core fonts speak Latin-1: any other character prints as "?" rather than failing.
    return text.encode("latin-1", "replace").decode("latin-1")


def render(
    *,
    return_id: str,
    parcel_id: str,
    reference: str,
    created_at: datetime,
    sender: dict[str, Any] | None,
    to: Warehouse,
    lines: Sequence[LabelLine],
) -> bytes:
    pdf = FPDF(format=(148, 210))  # A5, in mm
    # Dated by the return, not by the clock of the request: the same return, the same file.
    pdf.set_creation_date(created_at)
    pdf.set_title(f"Return label {parcel_id}")
    pdf.add_page()

    def line(text: str, size: int = 10, style: str = "") -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.cell(0, size * 0.5, _latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line("RETURN LABEL", 16, "B")
    line(f"Carrier: {CARRIER}")
    line(f"Parcel: {parcel_id}", 12, "B")
    pdf.code39(f"*{parcel_id}*", x=pdf.l_margin, y=pdf.get_y() + 2, w=0.5, h=14)
    pdf.set_y(pdf.get_y() + 20)

    line("From", 11, "B")
    if sender is None:
        sender = {"lastName": f"The customer of order {reference}"}
    name = f"{sender.get('firstName', '')} {sender.get('lastName', '')}".strip()
    for text in (
        sender.get("companyName"),
        name,
        sender.get("addressLine1"),
        sender.get("addressLine2"),
        sender.get("addressLine3"),
        f"{sender.get('postalCode', '')} {sender.get('city', '')}",
        sender.get("countryCode"),
    ):
        if text:
            line(str(text))
    pdf.ln(3)
    line("To", 11, "B")
    for text in (to.name, *to.lines):
        line(text, 12)
    pdf.ln(3)
    line(f"Return {return_id}", 9)
    line(f"Order reference {reference}", 9)
    line("Contents", 11, "B")
    for item in lines:
        line(f"{item.quantity} x {item.seller_product_reference}", 9)
    return bytes(pdf.output())
