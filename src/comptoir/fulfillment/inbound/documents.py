"""The delivery note of an accepted inbound: the sheet that travels with the units, telling the
warehouse's dock which announcement they answer (its code, as text and as a Code 39 barcode) and
what they should count.

Written on demand from the stored inbound (fpdf2), dated at its acceptance, so that the same inbound
always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF

from comptoir import clock
from comptoir.errors import Conflict
from comptoir.fulfillment.inbound import domain as d
from comptoir.fulfillment.inbound.models import InboundLine, InboundShipment

# Column widths (mm) of the lines table on an A4 page with 15 mm margins: 180 mm in all.
COLUMNS = (
    ("#", 10),
    ("Seller reference", 40),
    ("Product id", 28),
    ("Condition", 24),
    ("Label", 58),
    ("Qty", 20),
)
ROW = 7


class NoDeliveryNote(Conflict):
    code = "DeliveryNoteNotAvailable"


def _text(value: object) -> str:
    """Core PDF fonts speak Latin-1: anything else prints as `?` rather than failing the note."""
    return str(value).encode("latin-1", "replace").decode("latin-1")


def file_name(shipment: InboundShipment) -> str:
    return f"delivery-note-{shipment.code}.pdf"


def delivery_note(shipment: InboundShipment, lines: Sequence[InboundLine]) -> bytes:
    """The PDF, or a 409 while the inbound has no code yet (Created) or was refused."""
    if shipment.status not in d.WITH_DELIVERY_NOTE or shipment.code is None or shipment.accepted_at is None:
        reason = "was refused" if shipment.status == d.InboundStatus.REFUSED else "is not accepted yet"
        raise NoDeliveryNote(f"The inbound shipment {reason}: it has no delivery note.")
    warehouse = d.WAREHOUSES[shipment.storage_country]
    pdf = FPDF(format="A4")
    pdf.set_creation_date(shipment.accepted_at)
    pdf.set_title(_text(f"Delivery note {shipment.code}"))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, "Delivery note - inbound shipment", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(
        0, 6, "Put this note in the shipment; show the code on every parcel.", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(4)

    # The code, as the dock scans it (Code 39 between its start and stop characters) and as text.
    top = pdf.get_y()
    pdf.set_fill_color(0, 0, 0)
    pdf.code39(f"*{shipment.code}*", x=15, y=top, w=0.8, h=16)
    pdf.set_y(top + 18)
    pdf.set_font("Courier", "B", 14)
    pdf.cell(0, 7, _text(shipment.code), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    pdf.set_font("Helvetica", "", 10)
    details = (
        ("Inbound code", shipment.code),
        ("Seller reference", shipment.reference),
        ("Inbound shipment id", shipment.id),
        ("Seller id", shipment.seller_id),
        ("Storage country", shipment.storage_country),
        ("Accepted at", clock.iso_z(shipment.accepted_at) or ""),
    )
    for name, value in details:
        pdf.cell(45, 6, _text(f"{name}:"))
        pdf.cell(0, 6, _text(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 6, "Deliver to", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for address_line in (warehouse.name, *warehouse.lines):
        pdf.cell(0, 5, _text(address_line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)

    _table(pdf, lines)
    return bytes(pdf.output())


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """The longest start of `text` that fits `width`: long labels and references are cut to their
    cell rather than spilling over the next. A binary search, as measuring text is most of the cost
    of a note (500 lines: 0.54 s cutting character by character, 0.22 s so)."""
    if pdf.get_string_width(text) <= width:
        return text
    fits, too_long = 0, len(text)
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if pdf.get_string_width(text[:middle]) <= width:
            fits = middle
        else:
            too_long = middle
    return text[:fits]


def _table(pdf: FPDF, lines: Sequence[InboundLine]) -> None:
    def header() -> None:
        pdf.set_font("Helvetica", "B", 9)
        for title, width in COLUMNS:
            pdf.cell(width, ROW, title, border=1)
        pdf.ln(ROW)
        pdf.set_font("Helvetica", "", 9)

    header()
    for line in lines:
        if pdf.will_page_break(ROW):
            pdf.add_page()
            header()
        values = (
            line.line_number,
            line.seller_product_reference or "",
            line.product_id or "",
            line.product_condition or "",
            line.label or "",
            line.quantity,
        )
        for (_, width), value in zip(COLUMNS, values, strict=True):
            pdf.cell(width, ROW, _fit(pdf, _text(value), width - 2), border=1)
        pdf.ln(ROW)
    pdf.set_font("Helvetica", "B", 9)
    total_width = sum(width for _, width in COLUMNS[:-1])
    pdf.cell(total_width, ROW, "Total units", border=1)
    pdf.cell(COLUMNS[-1][1], ROW, str(sum(line.quantity for line in lines)), border=1)
    pdf.ln(ROW)
