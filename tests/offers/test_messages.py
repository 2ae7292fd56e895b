"""Offer result messages follow Accept-Language (fr-FR, en-US, es-ES; English when the header is
absent or names none of them), as production localises them; result codes do not change."""

from __future__ import annotations

import re
import string

import pytest

from comptoir.offers.messages import TEXTS
from offers.support import BASE, offer_request

LANGUAGES = ("en-US", "fr-FR", "es-ES")
KEY = re.compile(r"^[a-z0-9_]+$")


@pytest.fixture
def results_by_language(packages, make_products):
    """One package whose requests end in several results; its results read in each language."""
    p, q = make_products(2)
    requests = [
        offer_request("CREATED", p),
        offer_request("BAD-GTIN", None, product={"gtin": "12AB"}),
        offer_request("TWICE", q),
        offer_request("TWICE", q),
        offer_request("BAD-MODE", q, deliveryModes=[{"code": "XXX", "cost": 1}], condition="Mint"),
    ]
    package_id = packages.create()
    assert packages.upload(package_id, requests).status_code == 200
    assert packages.ready(package_id).status_code == 200
    packages.drain()

    def read(accept_language: str | None) -> list[dict]:
        headers = {**packages.headers, **({"Accept-Language": accept_language} if accept_language else {})}
        r = packages.client.get(f"{BASE}/offer-packages/{package_id}/offer-requests-results", headers=headers)
        assert r.status_code == 200, r.text
        return list(r.json()["items"])

    return read


def messages(items: list[dict]) -> dict[str, list[str]]:
    return {item["sellerExternalReference"]: [m["message"] for m in item["results"]] for item in items}


def codes(items: list[dict]) -> list[list[str]]:
    return [[m["resultCode"] for m in item["results"]] for item in items]


def test_request_results_are_written_in_the_callers_language(results_by_language):
    english, french, spanish = (results_by_language(language) for language in LANGUAGES)
    assert codes(english) == codes(french) == codes(spanish)
    assert codes(english) == [["8000"], ["4101"], ["4200"], ["4200"], ["4103", "4107"]]
    assert messages(english)["CREATED"] == ["Offer created"]
    assert messages(french)["CREATED"] == ["Offre créée"]
    assert messages(spanish)["CREATED"] == ["Oferta creada"]
    assert messages(english)["BAD-GTIN"] == ["The GTIN '12AB' must be 8 to 14 digits."]
    assert messages(french)["BAD-GTIN"] == ["Le GTIN '12AB' doit comporter de 8 à 14 chiffres."]
    assert messages(spanish)["BAD-GTIN"] == ["El GTIN '12AB' debe tener de 8 a 14 dígitos."]
    assert messages(french)["TWICE"] == ["Ce sellerExternalReference figure plusieurs fois dans le paquet."]
    condition, mode = messages(french)["BAD-MODE"]
    assert condition.startswith("État inconnu 'Mint' : utilisez New, LikeNew")
    assert mode.startswith(
        "Le mode de livraison 'XXX' ne fait pas partie des modes du vendeur sur SELLZZ (EHD, "
    )
    # Every message is a written text in its language, never a bare key.
    for items in (english, french, spanish):
        assert all(not KEY.match(m) for texts in messages(items).values() for m in texts)
    for reference in messages(english):
        assert messages(english)[reference] != messages(french)[reference] != messages(spanish)[reference]


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        (None, "Offer created"),
        ("de-DE", "Offer created"),
        ("*", "Offer created"),
        ("fr", "Offre créée"),
        ("fr-BE, en;q=0.5", "Offre créée"),
        ("de-DE, es;q=0.8, fr;q=0.3", "Oferta creada"),
    ],
)
def test_english_unless_the_header_names_a_language_production_writes(
    results_by_language, accept_language, expected
):
    assert messages(results_by_language(accept_language))["CREATED"] == [expected]


def test_a_package_refused_whole_says_why_in_the_callers_language(
    client, packages, make_products, operator_headers
):
    (p,) = make_products(1)
    package_id = packages.create()
    packages.upload(package_id, [offer_request("A", p)])
    r = client.post("/operator/v1/sellers/98979/subscriptions/SELLZZ/termination", headers=operator_headers)
    assert r.status_code == 204
    packages.ready(package_id)
    packages.drain()

    def result(language: str | None, listed: bool = False) -> dict:
        headers = {**packages.headers, **({"Accept-Language": language} if language else {})}
        if listed:
            r = client.get(f"{BASE}/offer-packages", headers=headers)
            [package] = [x for x in r.json()["items"] if x["packageId"] == package_id]
        else:
            package = client.get(f"{BASE}/offer-packages/{package_id}", headers=headers).json()
        assert package["state"] == "Rejected"
        return dict(package["result"])

    assert result(None) == {
        "resultCode": "2390",
        "message": "You are not subscribed to the sales channel SELLZZ.",
    }
    assert result("fr-FR")["message"] == "Vous n'êtes pas abonné au canal de vente SELLZZ."
    assert result("es-ES", listed=True) == {
        "resultCode": "2390",
        "message": "No está suscrito al canal de venta SELLZZ.",
    }


def test_every_message_is_written_in_each_language_with_the_same_arguments():
    def arguments(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key, texts in TEXTS.items():
        assert set(texts) == set(LANGUAGES), key
        assert arguments(texts["fr-FR"]) == arguments(texts["en-US"]) == arguments(texts["es-ES"]), key
