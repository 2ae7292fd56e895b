"""Octopia Fulfillment (spec 15, seed 003): the seller's logistic referencing, inbound supply,
warehouse stock, outbound shipping orders and returns, and the warehouse that makes them real.

Stock changes only through `stock.move` (a guarded update and a ledger row); `domain` holds the
rules without a database. Use cases live beside them: referencing, inbound, stocks, outbound,
returns, warehouse.
"""
