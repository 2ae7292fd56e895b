"""Inbound shipments (spec 15.2, "supply orders"): the seller announces units it sends to a
warehouse; the warehouse checks the announcement, issues a code and a delivery note, and receives
the units into stock, recording what differs from what was announced.

This file imports nothing: `features.load_models` loads `inbound.models`, the use cases the rest.
"""
