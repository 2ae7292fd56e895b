"""Offers: the live offer catalogue, JSON offer packages and XML offer integration packages.

The offers table belongs to this feature: other features read it through the names below and
change offers only through the functions below (stock taken and given back by orders, copies on
other channels published by commands).
"""

from comptoir.offers.copies import OfferCopy, publish_copies
from comptoir.offers.domain import (
    CDISCOUNT,
    CompositeOfferId,
    DeliveryMode,
    facial_price,
    offer_id,
    offer_row_id,
    read_offer_ids,
    split_offer_id,
)
from comptoir.offers.models import Offer
from comptoir.offers.rows import decode_discounts, decode_modes
from comptoir.offers.stock import release_stock, reserve_stock, set_warehouse_stock

__all__ = [
    "CDISCOUNT",
    "CompositeOfferId",
    "DeliveryMode",
    "Offer",
    "OfferCopy",
    "decode_discounts",
    "decode_modes",
    "facial_price",
    "offer_id",
    "offer_row_id",
    "publish_copies",
    "read_offer_ids",
    "release_stock",
    "reserve_stock",
    "set_warehouse_stock",
    "split_offer_id",
]
