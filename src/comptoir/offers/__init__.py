"""Offers: the live offer catalogue, JSON offer packages and XML offer integration packages."""
