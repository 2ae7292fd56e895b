"""The catalog: categories, properties and brands (the referential), products and their integration.

What other features may use: the names below. The products table is lent for reading and joining
only; products are written by product integration.
"""

from comptoir.catalog.models import Product

__all__ = ["Product"]
