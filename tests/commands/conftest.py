"""Fixtures of the Allegro-style command tests: seed-like headers, offers to publish, a command client."""

from __future__ import annotations

from typing import Any

import pytest

from comptoir.commands.domain import MEDIA_TYPE
from offers.support import Packages, offer_request, product_maker

PATH = "/allegro/offers/change-additional-platforms-commands"
SEED_ID = "82d14f47-ac1c-43e7-9bf7-93bcea88fc59"


def allegro(headers: dict[str, str], language: str = "pl-PL") -> dict[str, str]:
    """The seed's headers, with the Bearer token of `headers` (no SellerId: Allegro has none)."""
    return {
        "Authorization": headers["Authorization"],
        "Content-Type": MEDIA_TYPE,
        "Accept": MEDIA_TYPE,
        "Accept-Language": language,
    }


def body(offer_ids: list[str], platforms: list[str] | None = None) -> dict[str, Any]:
    return {"input": {"offers": [{"id": i} for i in offer_ids], "platforms": platforms or ["ALLEGRO_DE"]}}


class Commands:
    def __init__(self, client: Any, headers: dict[str, str], drain: Any) -> None:
        self.client, self.headers, self.drain = client, headers, drain

    def put(self, command_id: str, payload: dict[str, Any], **headers: str) -> Any:
        return self.client.put(f"{PATH}/{command_id}", json=payload, headers={**self.headers, **headers})

    def get(self, command_id: str, **headers: str) -> Any:
        sent = {k: v for k, v in self.headers.items() if k != "Content-Type"}
        return self.client.get(f"{PATH}/{command_id}", headers={**sent, **headers})

    def run(self, command_id: str, payload: dict[str, Any]) -> dict[str, Any]:
        """PUT, run the job, GET: the finished command."""
        assert self.put(command_id, payload).status_code == 200
        self.drain()
        r = self.get(command_id)
        assert r.status_code == 200, r.text
        return dict(r.json())


@pytest.fixture
def commands(client: Any, seller_headers: dict[str, str], drain: Any) -> Commands:
    return Commands(client, allegro(seller_headers), drain)


@pytest.fixture
def other_commands(client: Any, other_headers: dict[str, str], drain: Any) -> Commands:
    return Commands(client, allegro(other_headers), drain)


@pytest.fixture
def make_offers(client: Any, seller_headers: dict[str, str], drain: Any, db: Any) -> Any:
    """Creates offers of seller 98979 through a JSON offer package; their listing documents."""
    packages = Packages(client, seller_headers, drain)
    make_products = product_maker(db)

    def make(count: int = 2, channel: str = "SELLZZ", **overrides: Any) -> list[dict[str, Any]]:
        products = make_products(count)
        refs = [f"REF-{p.reference}" for p in products]
        requests = [offer_request(ref, p, **overrides) for ref, p in zip(refs, products, strict=True)]
        if channel == "CDISFR":
            requests = [
                {**r, "deliveryModes": [{"code": "TRK", "cost": 2.5, "additionalCost": 0.5}]}
                for r in requests
            ]
        results = packages.run(requests, channel=channel)
        assert all(r["integrationStatus"] == "Integrated" for r in results), results
        by_ref = {o["sellerExternalReference"]: o for o in packages.offers(channel, limit=1000)}
        return [by_ref[ref] for ref in refs]

    return make


@pytest.fixture
def listing(client: Any, seller_headers: dict[str, str], drain: Any) -> Any:
    """The seller's offers on a channel, by sellerExternalReference."""
    packages = Packages(client, seller_headers, drain)

    def offers(channel: str = "ALLEGRO_DE") -> dict[str, dict[str, Any]]:
        return {o["sellerExternalReference"]: o for o in packages.offers(channel, limit=1000)}

    return offers
