"""Commercial gestures (spec 12.12): a seller refunds part of a shipped order to its customer, within
the limits of the sales channel.

This file imports nothing: `orders.models` loads `gestures.models`, and the use cases load
`orders.models`.
"""
