"""comptoir: a self-hostable marketplace speaking the Octopia Seller API v2."""

__version__ = "0.1.0"
