"""Return rules (spec 15.5): types, statuses and reasons, what a return may take back, which
warehouses print a label, how received units are counted. Pure: no database, no HTTP."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from comptoir.errors import Conflict, ValidationFailed
from comptoir.fulfillment.items import ProductKey


class Type(StrEnum):
    CUSTOMER = "Customer"  # declared by the seller for its customer, with a label (FR)
    CARRIER = "Carrier"  # the carrier brought the parcel back; informational, no label


class Status(StrEnum):
    """The spec's statuses. comptoir's warehouse moves a return Created -> Pending (the parcel is in,
    its units in Return, under inspection) -> Completed (units back in Available or Blocked);
    Referencing, Referenced and Accepted are production's steps for returned products it must
    identify first, accepted as filters."""

    CREATED = "Created"
    REFERENCING = "Referencing"
    REFERENCED = "Referenced"
    ACCEPTED = "Accepted"
    PENDING = "Pending"
    COMPLETED = "Completed"


TYPES = tuple(t.value for t in Type)
STATUSES = tuple(s.value for s in Status)

# Why a return happens (spec 15.5 names the first four).
REASONS = (
    "Retraction",
    "Damaged",
    "ReferenceError",
    "TransportDamage",
    "NotCompliant",
    "Undeliverable",
    "RefusedByCustomer",
    "Other",
)
CARRIER_REASON = "Undeliverable"


def one_of(field: str, value: str, known: Sequence[str]) -> str:
    """`value` in its documented spelling, from any casing, or a 400 naming `field`."""
    found = next((k for k in known if k.lower() == value.strip().lower()), None)
    if found is None:
        raise ValidationFailed.field(field, f"Unknown {field} {value!r}; one of {', '.join(known)}.")
    return found


# --- labels ---------------------------------------------------------------------------------------

# Only the French warehouse prints return labels; the others send theirs to the customer by mail.
LABEL_COUNTRIES = frozenset({"FR"})


def has_label(type_: str, country: str) -> bool:
    return type_ == Type.CUSTOMER and country in LABEL_COUNTRIES


# --- lines ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shipped:
    """One product a shipment (or an order) took to the customer from one warehouse."""

    seller_product_reference: str
    product_id: str
    product_condition: str
    storage_country: str
    quantity: int

    @property
    def key(self) -> tuple[str, str]:
        return self.seller_product_reference, self.storage_country

    def matches(self, key: ProductKey) -> bool:
        if key.seller_product_reference:
            return key.seller_product_reference == self.seller_product_reference
        return (key.product_id, key.product_condition) == (self.product_id, self.product_condition)


def returnable(
    lines: Sequence[tuple[ProductKey, int]],
    shipped: Sequence[Shipped],
    returned: Mapping[tuple[str, str], int],
) -> list[Shipped]:
    """The shipped product each line takes back, or a 400 naming the lines that name no shipped
    product or would take back more than was shipped (`returned`: what earlier returns declared, by
    seller reference and warehouse)."""
    errors: dict[str, list[str]] = {}
    found: list[Shipped] = []
    wanted: dict[tuple[str, str], int] = {}
    for i, (key, quantity) in enumerate(lines):
        match = next((p for p in shipped if p.matches(key)), None)
        if match is None:
            errors[f"lines[{i}]"] = ["This product was not shipped to the customer."]
            continue
        found.append(match)
        wanted[match.key] = wanted.get(match.key, 0) + quantity
        left = match.quantity - returned.get(match.key, 0)
        if wanted[match.key] > left:
            errors[f"lines[{i}].quantity"] = [
                f"{match.quantity} shipped and {match.quantity - left} already returned: at most {left} more."
            ]
    if errors:
        raise ValidationFailed("The return's lines are not valid.", errors=errors)
    return found


def one_warehouse(products: Sequence[Shipped]) -> str:
    """The warehouse a return goes back to; a 400 when its lines left different ones."""
    countries = sorted({p.storage_country for p in products})
    if len(countries) != 1:
        raise ValidationFailed.field(
            "lines",
            f"These lines left different warehouses ({', '.join(countries)}): one return per warehouse.",
        )
    return countries[0]


class TransitionRefused(Conflict):
    code = "InvalidReturnStatus"


def expect(status: str, wanted: Status, doing: str) -> None:
    if status != wanted:
        raise TransitionRefused(f"The return is {status}: it can be {doing} only when {wanted}.")


def counted(field: str, given: Iterable[tuple[int, int]], limits: Sequence[int], what: str) -> list[int]:
    """Quantities per line from `(lineNumber, quantity)` pairs (lines left out count 0), each at most
    its line's limit; a 400 naming `field[i]` otherwise."""
    quantities = [0] * len(limits)
    errors: dict[str, list[str]] = {}
    seen: set[int] = set()
    for i, (number, quantity) in enumerate(given):
        if number in seen:
            errors[f"{field}[{i}].lineNumber"] = [f"Line {number} is given twice."]
        elif not 1 <= number <= len(limits):
            errors[f"{field}[{i}].lineNumber"] = [f"The return has lines 1 to {len(limits)}."]
        elif quantity > limits[number - 1]:
            errors[f"{field}[{i}]"] = [f"Line {number}: at most {limits[number - 1]} {what}."]
        else:
            quantities[number - 1] = quantity
        seen.add(number)
    if errors:
        raise ValidationFailed("The quantities are not valid.", errors=errors)
    return quantities
