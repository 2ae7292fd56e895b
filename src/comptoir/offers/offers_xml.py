"""Reading Offers.xml (spec 11.2) into offer requests, safely: no DTD, no entities, no external references."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from comptoir.clock import parse_iso
from comptoir.offers import domain as d
from comptoir.offers.offer_requests import OfferInput, TaxInput

T = TypeVar("T")

PACKAGE_TYPES = ("Full", "StockAndPrice")

# Legacy Cdiscount delivery mode names; codes (TRK, THD...) are accepted as they are.
DELIVERY_MODE_NAMES = {
    "standard": "STD",
    "tracked": "TRK",
    "registered": "REG",
    "express": "EXP",
    "fast": "FST",
    "relaiscolis": "RCO",
    "mondialrelay": "REL",
    "socolissimo": "SO1",
    "magasin": "MAG",
    "bigparceleco": "LV1",
    "bigparcelstandard": "LV2",
    "bigparcelcomfort": "LV3",
}
DISCOUNT_UNITS = {
    "1": "Amount",
    "amount": "Amount",
    "currency": "Amount",
    "2": "Percentage",
    "percentage": "Percentage",
    "percent": "Percentage",
}
DISCOUNT_TYPES = {
    "1": "Sales",
    "sales": "Sales",
    "sale": "Sales",
    "2": "FlashSale",
    "flashsale": "FlashSale",
    "flashsales": "FlashSale",
}


class XmlPackageError(Exception):
    """The whole package is refused; the message is shown to the seller."""


@dataclass
class ParsedPackage:
    name: str | None
    package_type: str
    purge_and_replace: bool
    channel_ids: list[str]
    offers: list[OfferInput]


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attrs(element: Element) -> dict[str, str]:
    """Attribute names are matched case-insensitively, namespaces ignored."""
    return {_local(k).lower(): v.strip() for k, v in element.attrib.items()}


def _bool(text: str) -> bool | None:
    return {"true": True, "1": True, "false": False, "0": False}.get(text.lower())


def parse_offers_xml(data: bytes) -> ParsedPackage:
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise XmlPackageError("Offers.xml declares a DTD, entities or external references; refused.") from exc
    except ParseError as exc:
        raise XmlPackageError(f"Offers.xml is not well-formed XML: {exc}.") from exc
    if _local(root.tag) != "OfferPackage":
        raise XmlPackageError("The root element of Offers.xml must be OfferPackage.")
    attrs = _attrs(root)
    package_type = attrs.get("packagetype") or "Full"
    if package_type not in PACKAGE_TYPES:
        raise XmlPackageError(f"PackageType must be {' or '.join(PACKAGE_TYPES)}, not {package_type!r}.")
    purge = _bool(attrs.get("purgeandreplace", "false"))
    if purge is None:
        raise XmlPackageError("PurgeAndReplace must be true or false.")
    channel_ids: list[str] = []
    offers: list[OfferInput] = []
    for element in root.iter():
        name = _local(element.tag)
        if name == "PublicationPool":
            channel = _attrs(element).get("saleschannelid")
            if not channel:
                raise XmlPackageError("Each PublicationPool needs a SalesChannelId.")
            if channel not in channel_ids:
                channel_ids.append(channel)
        elif name == "Offer":
            if len(offers) == d.MAX_XML_OFFERS:
                raise XmlPackageError(f"A package holds at most {d.MAX_XML_OFFERS} offers.")
            offers.append(_offer(element))
    return ParsedPackage(attrs.get("name") or None, package_type, purge, channel_ids, offers)


class _Reader:
    """Typed attribute reads; a malformed value becomes a problem of the offer, not of the package."""

    def __init__(self, attrs: dict[str, str]) -> None:
        self.attrs = attrs
        self.problems: list[d.Problem] = []

    def get(self, names: tuple[str, ...], parse: Callable[[str], T], code: str, what: str) -> T | None:
        for name in names:
            text = self.attrs.get(name.lower())
            if text:
                try:
                    return parse(text)
                except (ValueError, ArithmeticError):
                    self.problems.append(d.problem(code, "xml_value_invalid", field=what, value=text))
                    return None
        return None

    def decimal(self, *names: str, code: str = d.Code.INVALID_PRICE) -> Decimal | None:
        return self.get(names, _decimal, code, names[0])


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


def _boolean(text: str) -> bool:
    value = _bool(text)
    if value is None:
        raise ValueError(text)
    return value


def _offer(element: Element) -> OfferInput:
    r = _Reader(_attrs(element))
    taxes = [
        TaxInput(code, value)
        for code, value in (
            (d.TAX_VAT, r.decimal("Vat", code=d.Code.INVALID_TAXES)),
            (d.TAX_ECO, r.decimal("EcoPart", code=d.Code.INVALID_TAXES)),
            (d.TAX_DEA, r.decimal("DeaTax", code=d.Code.INVALID_TAXES)),
        )
        if value is not None
    ]
    shipping_lists = [e for e in element.iter() if _local(e.tag) == "ShippingInformationList"]
    modes = None
    if shipping_lists:
        modes = []
        for e in element.iter():
            if _local(e.tag) == "ShippingInformation":
                mode = _delivery_mode(_Reader(_attrs(e)), r.problems)
                if mode:
                    modes.append(mode)
    discounts = [
        disc
        for e in element.iter()
        if _local(e.tag) == "DiscountComponent"
        for disc in [_discount(_Reader(_attrs(e)), r.problems)]
        if disc
    ]
    return OfferInput(
        reference=r.attrs.get("sellerproductid", ""),
        gtin=r.attrs.get("productean") or None,
        condition=r.attrs.get("productcondition") or None,
        price=r.decimal("Price"),
        origin_price=r.decimal("StrikedPrice"),
        taxes=taxes or None,
        quantity=r.get(("Stock",), int, d.Code.INVALID_QUANTITY, "Stock"),
        delivery_modes=modes,
        preparation_time=r.get(("PreparationTime",), int, d.Code.INVALID_PREPARATION_TIME, "PreparationTime"),
        price_must_be_aligned=r.get(
            ("PriceMustBeAligned",), _boolean, d.Code.INVALID_PRICE_ALIGNMENT, "PriceMustBeAligned"
        ),
        # Both spellings are in Octopia's documents.
        minimum_price_for_alignment=r.decimal(
            "MinimumPriceForPriceAlignment", "MinimumPriceForAlignment", code=d.Code.INVALID_PRICE_ALIGNMENT
        ),
        packaging_unit=r.attrs.get("productpackagingunit") or None,
        packaging_value=r.decimal("ProductPackagingValue", code=d.Code.INVALID_PACKAGING),
        discounts=discounts or None,
        problems=r.problems,
    )


def _delivery_mode(r: _Reader, problems: list[d.Problem]) -> d.DeliveryMode | None:
    name = r.attrs.get("deliverymode", "")
    charges = r.decimal("ShippingCharges", code=d.Code.INVALID_DELIVERY_MODE)
    extra = r.decimal("AdditionalShippingCharges", code=d.Code.INVALID_DELIVERY_MODE)
    if not name or charges is None:
        r.problems.append(d.problem(d.Code.INVALID_DELIVERY_MODE, "xml_shipping_information"))
    problems.extend(r.problems)
    if r.problems:
        return None
    assert charges is not None
    return d.DeliveryMode(DELIVERY_MODE_NAMES.get(name.lower(), name), charges, extra or Decimal(0))


def _discount(r: _Reader, problems: list[d.Problem]) -> d.Discount | None:
    unit = DISCOUNT_UNITS.get(r.attrs.get("discountunit", "").lower())
    kind = DISCOUNT_TYPES.get(r.attrs.get("type", "").lower())
    value = r.decimal("DiscountValue", code=d.Code.INVALID_DISCOUNT)
    start = r.get(("StartDate",), parse_iso, d.Code.INVALID_DISCOUNT, "StartDate")
    end = r.get(("EndDate",), parse_iso, d.Code.INVALID_DISCOUNT, "EndDate")
    reference_price = r.decimal("SalesReferencePrice", code=d.Code.INVALID_DISCOUNT)
    if unit is None or kind is None or value is None:
        r.problems.append(d.problem(d.Code.INVALID_DISCOUNT, "xml_discount_component"))
    problems.extend(r.problems)
    if r.problems:
        return None
    assert unit is not None and kind is not None and value is not None
    return d.Discount(kind, unit, value, start, end, reference_price)
