"""Offers: the live offer catalogue, JSON offer packages and XML offer integration packages.

The offers table belongs to this feature: other features read it through the names below and
change offers only through the functions below.
"""

from comptoir.offers.apply import decode_discounts, decode_modes
from comptoir.offers.domain import CDISCOUNT, DeliveryMode, facial_price
from comptoir.offers.models import Offer
from comptoir.offers.stock import release_stock, reserve_stock

__all__ = [
    "CDISCOUNT",
    "DeliveryMode",
    "Offer",
    "decode_discounts",
    "decode_modes",
    "facial_price",
    "release_stock",
    "reserve_stock",
]
