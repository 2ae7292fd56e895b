"""Discussions (spec 13): customers and customer service talk to sellers about orders and products.

No other feature uses discussions, so this face lends nothing; `features.py` wires its routes, its
escalation job and the seller indicators it feeds. By use case: `opening` (a new discussion and its
sub-typology, `typologies`), `messaging` (messages, attachments, read marks), `states` (closing,
reopening, escalation and its clock), `queries` and `documents` (reading), `indicators`; the rules
are in `domain` and, for files, `files`. `router` and `operator` are the seller and operator routes.
"""
