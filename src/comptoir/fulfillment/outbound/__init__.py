"""Outbound shipping orders (spec 15.4): the seller asks the warehouse to ship stored units to an
address; the warehouse checks and allocates them, prepares and ships them, or the seller cancels
before they leave. Cancellation requests live here too.

This file imports nothing: `features.load_models` loads `outbound.models`, the use cases the rest.
"""
