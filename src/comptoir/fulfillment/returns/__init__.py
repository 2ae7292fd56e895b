"""Returns (spec 15.5): customer returns the seller declares on a shipped outbound shipment, with a
label for the FR warehouse, and carrier returns the warehouse records; both received into Return,
then put back into Available or Blocked.

This file imports nothing: `features.load_models` loads `returns.models`, the use cases the rest.
"""
