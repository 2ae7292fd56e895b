"""Discussion rules (spec 13): who speaks, what a message does to a discussion's process status and
graduation, who may be answered, JSON Patch edits, the search window. Pure: no database, no HTTP."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from comptoir.errors import Conflict, ValidationFailed

# Who speaks in a discussion, as the wire names them: customer service is `GrcOperator`.
SELLER, CUSTOMER, CUSTOMER_SERVICE = "Seller", "Customer", "GrcOperator"
USER_TYPES = (SELLER, CUSTOMER, CUSTOMER_SERVICE)
# Other names clients and the cancellation routes give customer service.
_ALIASES = {"customerservice": CUSTOMER_SERVICE, "grc": CUSTOMER_SERVICE}
# The user id customer service writes under when it gives none.
CUSTOMER_SERVICE_ID = "GRC"

SUBJECT_MIN, SUBJECT_MAX = 5, 50
BODY_MIN, BODY_MAX = 13, 5000
SEARCH_MONTHS = 6


class Graduation(StrEnum):
    """How far a discussion has gone, in order: the marketplace steps in from `Claim` on."""

    DISCUSSION = "Discussion"
    CLAIM = "Claim"
    LEVEL_1 = "Level_1"


GRADUATIONS = tuple(Graduation)


class ProcessStatus(StrEnum):
    TO_TREAT = "ToTreat"  # the customer or customer service spoke last
    TREATED = "Treated"  # the seller did


class IncludeMessages(StrEnum):
    FIRST = "FirstMessage"
    LAST = "LastMessage"


class Sort(StrEnum):
    """Both conventions of the order routes: a field, or a direction and a field."""

    UPDATED = "updatedAt"
    UPDATED_ASC = "asc:updatedAt"
    UPDATED_DESC = "desc:updatedAt"
    CREATED = "createdAt"
    CREATED_ASC = "asc:createdAt"
    CREATED_DESC = "desc:createdAt"


def sort_order(sort: Sort, desc: bool | None) -> tuple[str, bool]:
    """The field and direction: newest first unless `asc:` or `desc=false` says otherwise."""
    direction, _, field = sort.value.rpartition(":")
    if desc is not None:
        return field, desc
    return field, direction != "asc"


def user_type(value: str, field: str = "userType") -> str:
    for known in USER_TYPES:
        if value.lower() == known.lower():
            return known
    alias = _ALIASES.get(value.lower())
    if alias is None:
        raise ValidationFailed.field(field, f"{field} must be one of {', '.join(USER_TYPES)}.")
    return alias


def buyer_type(value: str) -> str:
    """Who the marketplace acts for on the operator API: the customer or customer service."""
    found = user_type(value)
    if found == SELLER:
        raise ValidationFailed.field("userType", f"userType must be {CUSTOMER} or {CUSTOMER_SERVICE}.")
    return found


# --- what a message does --------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    is_open: bool
    graduation: str
    process_status: str


def check_open(state: State) -> None:
    if not state.is_open:
        raise Conflict(
            "The discussion is closed: open a new one, or reopen it first.", code="DiscussionClosed"
        )


def status_after(sender: str) -> ProcessStatus:
    """The seller's word settles the discussion; anyone else's gives the seller something to treat."""
    return ProcessStatus.TREATED if sender == SELLER else ProcessStatus.TO_TREAT


def waits_for_seller(state: State) -> bool:
    """Whether the escalation clock runs: open, the seller to answer, a level left to climb."""
    return (
        state.is_open
        and state.process_status == ProcessStatus.TO_TREAT
        and state.graduation != Graduation.LEVEL_1
    )


def escalated(state: State, target: str | None = None) -> Graduation:
    """One level up, or up to `target`; a closed discussion or one at the top refuses."""
    check_open(state)
    position = GRADUATIONS.index(Graduation(state.graduation))
    if position == len(GRADUATIONS) - 1:
        raise Conflict("The discussion is already at the highest level, Level_1.", code="AlreadyEscalated")
    if target is None:
        return GRADUATIONS[position + 1]
    wanted = Graduation(target)
    if GRADUATIONS.index(wanted) <= position:
        raise Conflict(f"The discussion is already {state.graduation}.", code="AlreadyEscalated")
    return wanted


def is_claim(graduation: str) -> bool:
    return graduation != Graduation.DISCUSSION


# --- who may be answered --------------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    user_type: str
    user_id: str


def recipients(customer_id: str, graduation: str, service_ids: Sequence[str]) -> list[User]:
    """Whom the seller may answer: the customer; customer service too once it took part, which it
    does from a claim on."""
    found = [User(CUSTOMER, customer_id)]
    if service_ids or is_claim(graduation):
        found.append(User(CUSTOMER_SERVICE, service_ids[-1] if service_ids else CUSTOMER_SERVICE_ID))
    return found


@dataclass(frozen=True)
class Asked:
    """A receiver a message names, and the field that named it (for errors)."""

    field: str
    user_type: str
    user_id: str | None = None


def addressed(asked: Sequence[Asked], eligible: Sequence[User]) -> list[User]:
    """The receivers a message names, each one eligible; the customer when it names none."""
    if not asked:
        return [eligible[0]]
    by_type = {u.user_type: u for u in eligible}
    chosen: list[User] = []
    for ask in asked:
        known = by_type.get(user_type(ask.user_type, ask.field))
        if known is None:
            names = ", ".join(u.user_type for u in eligible)
            raise ValidationFailed.field(ask.field, f"This discussion can be answered to {names} only.")
        if ask.user_id and known.user_type == CUSTOMER and ask.user_id != known.user_id:
            raise ValidationFailed.field(
                ask.field, f"The customer of this discussion is {known.user_id}, not {ask.user_id}."
            )
        if known not in chosen:
            chosen.append(known)
    return chosen


# --- JSON Patch -----------------------------------------------------------------------------------


def _bool(value: Any, field: str) -> bool:
    # One SDK sends "true" and "false" as strings.
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    raise ValidationFailed.field(field, f"{field} must be true or false.")


def patched_flag(ops: Sequence[tuple[str | None, str, Any]], member: str) -> bool:
    """The value a JSON Patch (`[{"op": "replace", "path": "/isOpen", "value": false}]`) gives the one
    boolean member a resource lets clients change; the last operation wins. `opt` for `op` (an SDK's
    spelling) is read by the caller."""
    found: bool | None = None
    for i, (op, path, value) in enumerate(ops):
        if (op or "replace").lower() not in {"replace", "add"}:
            raise ValidationFailed.field(f"[{i}].op", "Only replace operations are supported.")
        if path.strip().lstrip("/").lower() != member.lower():
            raise ValidationFailed.field(f"[{i}].path", f"Only /{member} can be changed here.")
        found = _bool(value, f"[{i}].value")
    if found is None:
        raise ValidationFailed.field(
            "body", f"Send [{{'op': 'replace', 'path': '/{member}', 'value': true}}]."
        )
    return found


# --- the search window ----------------------------------------------------------------------------


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` earlier, on the month's last day when it is shorter."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def search_window(
    low: datetime | None, high: datetime | None, now: datetime
) -> tuple[datetime, datetime | None]:
    """At most six months of `updatedAt`: the last six without dates, six before `updatedAtMax`, and a
    400 when the dates given span more."""
    if low is not None and high is not None and low > high:
        raise ValidationFailed.field("updatedAtMin", "updatedAtMin must not be after updatedAtMax.")
    earliest = months_before(high or now, SEARCH_MONTHS)
    if low is None:
        return earliest, high
    if low < earliest:
        end = "updatedAtMax" if high else "now"
        raise ValidationFailed.field(
            "updatedAtMin", f"Discussions are searched over {SEARCH_MONTHS} months at most before {end}."
        )
    return low, high
