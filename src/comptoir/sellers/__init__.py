"""Seller profiles, addresses, channel subscriptions, indicators and carriers."""
