"""Offers: the live offer catalogue, JSON offer packages and XML offer integration packages.

The offers table belongs to this feature: other features change offers only through the functions
below.
"""

from comptoir.offers.stock import release_stock, reserve_stock

__all__ = ["release_stock", "reserve_stock"]
