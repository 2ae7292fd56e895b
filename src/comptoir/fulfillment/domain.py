"""Octopia Fulfillment rules that need no database: storage countries, product conditions, the stock
buckets and why stock moves."""

from __future__ import annotations

from enum import StrEnum

# Warehouses (spec 15): a seller stores only in the countries the operator enabled for it.
STORAGE_COUNTRIES = ("FR", "ES", "UK")
# Spelled as clients send them: "France", "Spain" in seed examples, ISO codes in SDKs.
COUNTRY_NAMES = {"FRANCE": "FR", "SPAIN": "ES", "ESPANA": "ES", "UNITEDKINGDOM": "UK", "GB": "UK"}

PRODUCT_CONDITIONS = ("New", "LikeNew", "VeryGoodState", "GoodState", "AverageState", "Used", "Refurbished")


class Bucket(StrEnum):
    """The quantity breakdown of a stock record (spec 15.3)."""

    AVAILABLE = "Available"
    ALLOCATED = "Allocated"
    BLOCKED = "Blocked"
    LITIGATION = "Litigation"
    REMOVAL = "Removal"
    RETURN = "Return"
    LOGISTIC_OPERATIONS = "LogisticOperations"


BUCKETS = tuple(Bucket)
# Column of each bucket on `fulfillment_stocks` and `fulfillment_stock_movements`.
COLUMNS = {
    Bucket.AVAILABLE: "available",
    Bucket.ALLOCATED: "allocated",
    Bucket.BLOCKED: "blocked",
    Bucket.LITIGATION: "litigation",
    Bucket.REMOVAL: "removal",
    Bucket.RETURN: "returned",
    Bucket.LOGISTIC_OPERATIONS: "logistic_operations",
}


class Reason(StrEnum):
    """Why a stock movement happened: every ledger row says one."""

    INBOUND_RECEIVED = "InboundReceived"
    INBOUND_DAMAGED = "InboundDamaged"
    OUTBOUND_ALLOCATED = "OutboundAllocated"
    OUTBOUND_RELEASED = "OutboundReleased"
    OUTBOUND_SHIPPED = "OutboundShipped"
    ORDER_ALLOCATED = "OrderAllocated"
    ORDER_RELEASED = "OrderReleased"
    ORDER_SHIPPED = "OrderShipped"
    RETURN_RECEIVED = "ReturnReceived"
    RETURN_RESTOCKED = "ReturnRestocked"
    RETURN_BLOCKED = "ReturnBlocked"
    INVENTORY = "Inventory"
    DAMAGE = "Damage"
    REMOVAL = "Removal"


def storage_country(value: str) -> str | None:
    """FR, ES or UK from what a client sends (`FR`, `fr`, `France`, `Spain`...), None if unknown."""
    key = value.strip().upper().replace(" ", "").replace("-", "")
    code = COUNTRY_NAMES.get(key, key)
    return code if code in STORAGE_COUNTRIES else None


def condition(value: str) -> str | None:
    for known in PRODUCT_CONDITIONS:
        if value.strip().lower() == known.lower():
            return known
    return None


def check_deltas(current: dict[Bucket, int], deltas: dict[Bucket, int]) -> dict[Bucket, int]:
    """The quantities after a movement, or ValueError naming the bucket a movement would empty
    below zero: quantities never go negative."""
    after = dict(current)
    for bucket, delta in deltas.items():
        after[bucket] = after.get(bucket, 0) + delta
        if after[bucket] < 0:
            raise ValueError(f"{bucket} would fall to {after[bucket]}")
    return after


# Spec 15.3 names three product states; the finer conditions of referencing are used states.
PRODUCT_STATES = {"New": "New", "Refurbished": "Refurbished"}

# Which warehouses deliver a destination (spec silent; Octopia's warehouses serve the EU from FR and
# ES, the UK from the UK): the destination's own warehouse first, then the other EU one.
EU_DESTINATIONS = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "MC",
        "AD",
    }
)


def product_state(condition: str) -> str:
    """New, Used or Refurbished: the state GET /stocks shows for a condition."""
    return PRODUCT_STATES.get(condition, "Used")


def serving_countries(delivery_country: str) -> tuple[str, ...]:
    """The storage countries that deliver `delivery_country` (ISO-2; `UK` or `GB`), nearest first."""
    code = delivery_country.strip().upper()
    if code in ("UK", "GB"):
        return ("UK",)
    if code not in EU_DESTINATIONS:
        return ()
    return ("ES", "FR") if code in ("ES", "PT", "AD") else ("FR", "ES")
