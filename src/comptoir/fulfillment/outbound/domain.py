"""Outbound shipment rules (spec 15.4): the lifecycle's transition table, delivery modes and their
carriers, how an item names a product, why a shipment is rejected. Pure: no database, no HTTP."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from comptoir.errors import Conflict, ValidationFailed
from comptoir.fulfillment import domain as core
from comptoir.fulfillment.items import ProductKey, describe


class Status(StrEnum):
    CREATED = "Created"  # received, not yet checked by the warehouse
    ACCEPTED = "Accepted"  # products known, units allocated
    IN_PREPARATION = "InPreparation"
    SHIPPED = "Shipped"
    REJECTED = "Rejected"  # unknown product, missing stock, a destination no warehouse serves...
    CANCELLED = "Cancelled"  # by the seller, before it was shipped


STATUSES = tuple(s.value for s in Status)
FINAL = frozenset({Status.SHIPPED, Status.REJECTED, Status.CANCELLED})
# Units are held in Allocated from acceptance until they ship or are released.
ALLOCATED = frozenset({Status.ACCEPTED, Status.IN_PREPARATION})


class Action(StrEnum):
    ACCEPT = "accept"  # warehouse: every item known and allocated
    REJECT = "reject"  # warehouse: checks failed, or it could not prepare the shipment
    PREPARE = "prepare"  # warehouse: picking and packing started
    SHIP = "ship"  # warehouse: handed to the carrier
    CANCEL = "cancel"  # seller: a cancellation request before shipment


S, A = Status, Action
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (S.CREATED, A.ACCEPT): S.ACCEPTED,
    (S.ACCEPTED, A.PREPARE): S.IN_PREPARATION,
    (S.IN_PREPARATION, A.SHIP): S.SHIPPED,
    **{(status, A.REJECT): S.REJECTED for status in Status if status not in FINAL},
    **{(status, A.CANCEL): S.CANCELLED for status in Status if status not in FINAL},
}

_PAST = {
    A.ACCEPT: "accepted",
    A.REJECT: "rejected",
    A.PREPARE: "put in preparation",
    A.SHIP: "shipped",
    A.CANCEL: "cancelled",
}


class TransitionRefused(Conflict):
    code = "InvalidOutboundShipmentStatus"


def transition(status: str, action: Action) -> Status:
    """The status after `action`, or a 409 naming the status that forbids it."""
    target = TRANSITIONS.get((Status(status), action))
    if target is None:
        raise TransitionRefused(f"The outbound shipment is {status}: it cannot be {_PAST[action]}.")
    return target


def allowed(status: str, action: Action) -> bool:
    return (Status(status), action) in TRANSITIONS


# Validity, as the `state` filter of clients names it: not checked yet, accepted, or rejected; a
# cancellation leaves it as it was.
PENDING, VALID, INVALID = "Pending", "Valid", "Invalid"
VALIDITIES = (PENDING, VALID, INVALID)
VALIDITY_AFTER = {A.ACCEPT: VALID, A.REJECT: INVALID}


def state_filter(values: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`state` values, case-insensitive: validities (Valid, Invalid, Pending) or statuses. Answers
    (validities, statuses); an unknown value is a 400 naming `state`."""
    validities: list[str] = []
    statuses: list[str] = []
    for value in values:
        found = _one_of(value, VALIDITIES)
        if found is not None:
            validities.append(found)
            continue
        found = _one_of(value, STATUSES)
        if found is None:
            allowed_values = ", ".join((*VALIDITIES, *STATUSES))
            raise ValidationFailed.field("state", f"Unknown state {value!r}; one of {allowed_values}.")
        statuses.append(found)
    return tuple(dict.fromkeys(validities)), tuple(dict.fromkeys(statuses))


def _one_of(value: str, known: Iterable[str]) -> str | None:
    return next((k for k in known if k.lower() == value.strip().lower()), None)


# --- delivery modes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Carrier:
    name: str
    tracking_prefix: str
    tracking_url: str  # `{}` takes the tracking number


# The delivery modes a shipping order may ask for, and the carrier the warehouse hands each to.
DELIVERY_MODES: dict[str, Carrier] = {
    "Standard": Carrier("Colissimo", "6A", "https://www.laposte.fr/outils/suivre-vos-envois?code={}"),
    "Express": Carrier(
        "Chronopost", "XY", "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={}"
    ),
    "Relay": Carrier(
        "Mondial Relay", "MR", "https://www.mondialrelay.fr/suivi-de-colis/?NumeroExpedition={}"
    ),
}


def delivery_mode(value: str) -> str:
    """The mode's documented spelling from any casing, or a 400 naming `deliveryMode`."""
    found = _one_of(value, DELIVERY_MODES)
    if found is None:
        raise ValidationFailed.field(
            "deliveryMode", f"Unknown delivery mode {value!r}; one of {', '.join(DELIVERY_MODES)}."
        )
    return found


def tracking_number(mode: str, digits: str) -> str:
    return f"{DELIVERY_MODES[mode].tracking_prefix}{digits}"


# --- rejection ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rejection:
    code: str
    message: str
    item_index: int | None = None


UNKNOWN_PRODUCT = "UnknownProduct"
INSUFFICIENT_STOCK = "InsufficientStock"
DESTINATION_NOT_SERVED = "DestinationNotServed"
# The sandbox's `fail` policy and a validation that could not run end shipments with these.
REJECTED_BY_WAREHOUSE = "RejectedByWarehouse", "The warehouse rejected the shipping order."
UNAVAILABLE = "ValidationUnavailable", "The warehouse could not check the shipping order: send it again."


def unknown_product(index: int, key: ProductKey) -> Rejection:
    return Rejection(UNKNOWN_PRODUCT, f"The {describe(key)} is not referenced for fulfillment.", index)


def insufficient_stock(index: int, key: ProductKey, quantity: int, countries: Iterable[str]) -> Rejection:
    where = " or ".join(countries) or "any warehouse"
    return Rejection(
        INSUFFICIENT_STOCK, f"{quantity} units of the {describe(key)} are not available in {where}.", index
    )


def warehouses(requested: str | None, delivery_country: str) -> list[str]:
    """The warehouses to try, nearest first: those that deliver the destination, or the one asked
    for alone if it does (none otherwise). Like marketplace orders, a shipment leaves a warehouse
    whatever countries are open to the seller for inbound shipments: stored units always ship."""
    serving = core.serving_countries(delivery_country)
    if requested:
        return [requested] if requested in serving else []
    return list(serving)


def destination_not_served(delivery_country: str, requested: str | None) -> Rejection:
    where = f"The {requested} warehouse does not" if requested else "No warehouse can"
    return Rejection(DESTINATION_NOT_SERVED, f"{where} deliver to {delivery_country.upper()}.")
