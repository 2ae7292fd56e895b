"""Inbound shipment rules (spec 15.2): the status enum and its transition table, how a line names a
product, why the warehouse refuses an inbound, what a reception count may say and when it differs
from what was announced, the warehouses' addresses and the code printed on the delivery note. Pure:
no database, no HTTP."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from comptoir.errors import Conflict, ValidationFailed
from comptoir.fulfillment import domain as core
from comptoir.fulfillment.items import ProductKey, describe


class InboundStatus(StrEnum):
    """Where an inbound shipment stands; the spec names no values, these are comptoir's."""

    CREATED = "Created"  # announced by the seller, not yet checked by the warehouse
    ACCEPTED = "Accepted"  # checked: it has a code and a delivery note, the seller may send it
    REFUSED = "Refused"  # refused with reasons, at the checks or at the warehouse's dock
    IN_TRANSIT = "InTransit"  # on its way to the warehouse
    RECEPTION_IN_PROGRESS = "ReceptionInProgress"  # the warehouse is counting it, some units in stock
    RECEIVED = "Received"  # counted, every line as announced
    RECEIVED_WITH_DISCREPANCIES = "ReceivedWithDiscrepancies"  # counted: missing, extra or damaged units


STATUSES = tuple(s.value for s in InboundStatus)
FINAL = frozenset({InboundStatus.REFUSED, InboundStatus.RECEIVED, InboundStatus.RECEIVED_WITH_DISCREPANCIES})
# The states in which the inbound has a code, so a delivery note.
WITH_DELIVERY_NOTE = frozenset(InboundStatus) - {InboundStatus.CREATED, InboundStatus.REFUSED}


class Action(StrEnum):
    ACCEPT = "accept"  # the checks passed
    REFUSE = "refuse"  # the checks failed, or the warehouse turned the delivery away
    SHIP = "ship"  # the carrier took it to the warehouse
    COUNT = "count"  # the warehouse counted part of it
    RECEIVE = "receive"  # the count is closed, every line as announced
    RECEIVE_WITH_DISCREPANCIES = "receive-with-discrepancies"  # the count is closed, some line differs


S, A = InboundStatus, Action
# Before any unit is counted the warehouse may still turn it away; a count may start before the
# carrier's transit was reported (the transit step is optional).
_RECEIVABLE = (S.ACCEPTED, S.IN_TRANSIT, S.RECEPTION_IN_PROGRESS)
TRANSITIONS: dict[tuple[InboundStatus, Action], InboundStatus] = {
    (S.CREATED, A.ACCEPT): S.ACCEPTED,
    **{(status, A.REFUSE): S.REFUSED for status in (S.CREATED, S.ACCEPTED, S.IN_TRANSIT)},
    (S.ACCEPTED, A.SHIP): S.IN_TRANSIT,
    **{(status, A.COUNT): S.RECEPTION_IN_PROGRESS for status in _RECEIVABLE},
    **{(status, A.RECEIVE): S.RECEIVED for status in _RECEIVABLE},
    **{(status, A.RECEIVE_WITH_DISCREPANCIES): S.RECEIVED_WITH_DISCREPANCIES for status in _RECEIVABLE},
}

_PAST = {
    A.ACCEPT: "accepted",
    A.REFUSE: "refused",
    A.SHIP: "put in transit",
    A.COUNT: "counted",
    A.RECEIVE: "received",
    A.RECEIVE_WITH_DISCREPANCIES: "received",
}


class TransitionRefused(Conflict):
    code = "InvalidInboundShipmentStatus"


def transition(status: str, action: Action) -> InboundStatus:
    """The status after `action`, or a 409 naming the status that forbids it."""
    target = TRANSITIONS.get((InboundStatus(status), action))
    if target is None:
        raise TransitionRefused(f"The inbound shipment is {status}: it cannot be {_PAST[action]}.")
    return target


def allowed(status: str, action: Action) -> bool:
    return (InboundStatus(status), action) in TRANSITIONS


def statuses(values: Iterable[str]) -> tuple[str, ...]:
    """The `status` filter, any casing; an unknown value is a 400 naming `status`."""
    found = []
    for value in values:
        known = next((s for s in STATUSES if s.lower() == value.strip().lower()), None)
        if known is None:
            raise ValidationFailed.field("status", f"Unknown status {value!r}; one of {', '.join(STATUSES)}.")
        found.append(known)
    return tuple(dict.fromkeys(found))


def storage_country(field: str, value: str) -> str:
    """FR, ES or UK from a code or a country name, or a 400 naming `field`."""
    country = core.storage_country(value)
    if country is None:
        raise ValidationFailed.field(
            field, f"Unknown storage country {value!r}; one of {', '.join(core.STORAGE_COUNTRIES)}."
        )
    return country


# --- lines ----------------------------------------------------------------------------------------


def check_distinct(keys: Sequence[ProductKey]) -> None:
    """One line per product: a product named twice is a 400 naming the second line."""
    seen: set[ProductKey] = set()
    for index, key in enumerate(keys):
        if key in seen:
            raise ValidationFailed.field(f"lines[{index}]", f"The {describe(key)} is on two lines.")
        seen.add(key)


# --- refusal --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str
    # The line it is about (1-based, as lines are numbered on the wire), when it is about one.
    line_number: int | None = None


PRODUCT_NOT_REFERENCED = "ProductNotReferenced"
COUNTRY_NOT_ENABLED = "StorageCountryNotEnabled"
# The sandbox's `fail` policy and checks that could not run end inbounds with these.
REFUSED_BY_WAREHOUSE = "RefusedByWarehouse", "The warehouse refused the inbound shipment."
UNAVAILABLE = "ValidationUnavailable", "The warehouse could not check the inbound shipment: send it again."


def refusals(
    country: str, enabled: Iterable[str], referenced: Sequence[bool], keys: Sequence[ProductKey]
) -> list[Refusal]:
    """Why the warehouse refuses an inbound (empty: it accepts it): the country must be open to the
    seller, every line's product referenced for fulfillment."""
    found = []
    if country not in set(enabled):
        found.append(Refusal(COUNTRY_NOT_ENABLED, f"Storage in {country} is not enabled for this seller."))
    for number, (key, known) in enumerate(zip(keys, referenced, strict=True), start=1):
        if not known:
            found.append(
                Refusal(
                    PRODUCT_NOT_REFERENCED, f"The {describe(key)} is not referenced for fulfillment.", number
                )
            )
    return found


# --- reception ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """What the warehouse counted of one line in one pass: every unit, damaged ones included."""

    line_number: int
    received: int
    damaged: int = 0


@dataclass(frozen=True)
class Line:
    """A line as it stands: announced, and counted so far."""

    declared: int
    received: int = 0
    damaged: int = 0

    @property
    def discrepancy(self) -> int:
        """Units counted beyond (positive) or short of (negative) what was announced."""
        return self.received - self.declared

    @property
    def differs(self) -> bool:
        return self.discrepancy != 0 or self.damaged > 0


def check_counts(line_count: int, counts: Sequence[Count]) -> None:
    """Each count names an existing line once, and no more damaged units than it counted; 400s name
    the field (`lines[i].lineNumber`, `lines[i].damagedQuantity`)."""
    seen: set[int] = set()
    for index, count in enumerate(counts):
        if not 1 <= count.line_number <= line_count:
            raise ValidationFailed.field(
                f"lines[{index}].lineNumber", f"The inbound shipment has lines 1 to {line_count}."
            )
        if count.line_number in seen:
            raise ValidationFailed.field(
                f"lines[{index}].lineNumber", f"Line {count.line_number} is counted twice."
            )
        seen.add(count.line_number)
        if count.damaged > count.received:
            raise ValidationFailed.field(
                f"lines[{index}].damagedQuantity",
                "damagedQuantity counts units of receivedQuantity: no more.",
            )


def counted(lines: Sequence[Line], counts: Iterable[Count]) -> list[Line]:
    """The lines after a pass of counting: counts add to what earlier passes found."""
    after = list(lines)
    for count in counts:
        line = after[count.line_number - 1]
        after[count.line_number - 1] = Line(
            line.declared, line.received + count.received, line.damaged + count.damaged
        )
    return after


def closing(lines: Iterable[Line]) -> Action:
    """How a closed count ends the inbound: as announced, or with discrepancies."""
    return A.RECEIVE_WITH_DISCREPANCIES if any(line.differs for line in lines) else A.RECEIVE


# --- warehouses and codes ------------------------------------------------------------------------


@dataclass(frozen=True)
class Warehouse:
    name: str
    lines: tuple[str, ...]  # street lines, then postal code and city, then country


# Demo addresses, one warehouse per storage country: where the seller sends its units.
WAREHOUSES = {
    "FR": Warehouse(
        "Octopia Fulfillment - Entrepôt de Cestas",
        ("Parc logistique de Marticot", "1 avenue de Marticot", "33610 Cestas", "France"),
    ),
    "ES": Warehouse(
        "Octopia Fulfillment - Almacén de Illescas",
        ("Polígono Industrial Los Pradillos", "Calle Río Tajo 4", "45200 Illescas (Toledo)", "España"),
    ),
    "UK": Warehouse(
        "Octopia Fulfillment - Daventry Warehouse",
        ("Unit 3, Danes Way", "Crick", "Northampton NN6 7GX", "United Kingdom"),
    ),
}

CODE_LETTERS = 8


def code(country: str, letters: str) -> str:
    """The code the warehouse knows an inbound by: `IN`, the country, random capitals
    (`INFRQWERTYUI`); Code 39 encodes every character of it."""
    return f"IN{country}{letters}"
