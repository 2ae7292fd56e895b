"""Allegro-style commands: additional platforms (sales channels the operator opens to publication,
with exchange rates) and the change-additional-platforms commands that publish a seller's offers
there, under /allegro in Allegro's media type and error format.

Other features need nothing from it: its tables are its own, and it changes offers only through the
offers feature's `publish_copies`. The composition root wires its routes and jobs.
"""

__all__: list[str] = []
