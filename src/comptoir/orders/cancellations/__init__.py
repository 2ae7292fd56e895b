"""Cancellation requests (spec 12.8 to 12.11): a seller or a customer asks to cancel an order or some
of its lines; a job or the marketplace settles the request.

`domain` holds the rules (reasons, who may cancel what, refunds); `opening`, `settlement` and `queries`
the use cases. This file imports nothing: `orders.models` loads `cancellations.models`, and the use
cases load `orders.models`.
"""
