"""Offer test fixtures (helpers are in support.py)."""

from __future__ import annotations

from typing import Any

import pytest

from offers.support import Packages, product_maker


@pytest.fixture
def make_products(db: Any) -> Any:
    return product_maker(db)


@pytest.fixture
def packages(client: Any, seller_headers: dict[str, str], drain: Any) -> Packages:
    return Packages(client, seller_headers, drain)


@pytest.fixture
def other_packages(client: Any, other_headers: dict[str, str], drain: Any) -> Packages:
    return Packages(client, other_headers, drain)
