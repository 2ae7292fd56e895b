"""Sellers: profile, addresses, channel subscriptions, indicators and carriers.

What other features may use: the names below. The tables are lent for reading and joining only.
"""

from comptoir.sellers.models import Seller, SellerAddress, Subscription
from comptoir.sellers.service import IndicatorCounter, is_subscribed, profile_of, seller_mode_codes

__all__ = [
    "IndicatorCounter",
    "Seller",
    "SellerAddress",
    "Subscription",
    "is_subscribed",
    "profile_of",
    "seller_mode_codes",
]
