"""Octopia Fulfillment (spec 15, seed 003): the seller's logistic referencing, inbound supply,
warehouse stock, outbound shipping orders and returns, and the warehouse that makes them real.

Stock changes only through `stock.move` (a guarded update and a ledger row); `domain` holds the
rules without a database. Use cases live beside them: referencing, inbound, stocks, outbound,
returns, warehouse.

What other features may use: the names below. Orders hold, ship and give back the units of their
Fulfillment lines (`allocate_order_line`, `ship_order_line`, `release_order_line`); offer packages
read which offers sell warehouse stock (`warehouse_quantities`); the fulfillment use cases find a
seller's referenced products and open countries (`referenced`, `storage_countries`).
"""

from comptoir.fulfillment.models import FulfillmentProduct
from comptoir.fulfillment.offer_quantity import warehouse_quantities
from comptoir.fulfillment.referencing import referenced
from comptoir.fulfillment.warehouse import (
    allocate_order_line,
    release_order_line,
    ship_order_line,
    storage_countries,
)

__all__ = [
    "FulfillmentProduct",
    "allocate_order_line",
    "referenced",
    "release_order_line",
    "ship_order_line",
    "storage_countries",
    "warehouse_quantities",
]
