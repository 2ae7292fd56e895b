"""Commands name offers as the catalogue does: by composite id, also on the platforms' channels;
the row ids clients may still hold are read, and answered with the composite id."""

from __future__ import annotations

from commands.conftest import SEED_ID, body
from offers.support import Packages, offer_row

OTHER_ID = "0b7b2d0e-6f0a-4b5e-9d5c-3f1e2a4b5c6d"


def test_a_row_id_is_answered_with_the_composite_id(commands, make_offers, listing, db):
    source = make_offers(1)[0]
    row_id = str(offer_row(db, "98979", "SELLZZ", source["sellerExternalReference"]).id)
    r = commands.put(SEED_ID, body([row_id]))
    assert r.status_code == 200, r.text
    assert r.json()["input"]["offers"] == [{"id": source["offerId"]}]
    # Sent again, by either id, it is the same command.
    assert commands.put(SEED_ID, body([row_id])).status_code == 200
    assert commands.put(SEED_ID, body([source["offerId"]])).status_code == 200
    commands.drain()
    done = commands.get(SEED_ID).json()
    assert done["input"]["offers"] == [{"id": source["offerId"]}]
    assert done["output"] == {"status": "SUCCESSFUL", "errors": None}
    assert source["sellerExternalReference"] in listing("ALLEGRO_DE")


def test_errors_name_the_offer_by_its_composite_id(client, operator_headers, commands, make_offers, db):
    # The platform now sells in PLN, and no rate converts the offer's EUR.
    r = client.patch("/operator/v1/channels/ALLEGRO_DE", json={"currency": "PLN"}, headers=operator_headers)
    assert r.status_code == 200, r.text
    source = make_offers(1)[0]
    row_id = str(offer_row(db, "98979", "SELLZZ", source["sellerExternalReference"]).id)
    [error] = commands.run(SEED_ID, body([row_id]))["output"]["errors"]
    assert (error["code"], error["path"]) == ("ExchangeRateNotFoundException", f"offers.{source['offerId']}")


def test_another_sellers_row_id_names_no_offer(commands, other_commands, make_offers, db):
    source = make_offers(1)[0]
    row_id = str(offer_row(db, "98979", "SELLZZ", source["sellerExternalReference"]).id)
    r = other_commands.run(SEED_ID, body([row_id]))
    assert r["input"]["offers"] == [{"id": row_id}]
    assert r["output"]["status"] == "ERROR"
    assert r["output"]["errors"][0]["path"] == f"offers.{row_id}"


def test_copies_are_found_by_their_composite_id(client, commands, make_offers, seller_headers, drain):
    """The platform's channel id holds an underscore: its composite ids still name the copies, in
    GET /offers and in a later command."""
    source = make_offers(1)[0]
    commands.run(SEED_ID, body([source["offerId"]]))
    copy_id = source["offerId"].replace("_SELLZZ", "_ALLEGRO_DE")
    packages = Packages(client, seller_headers, drain)
    [copy] = packages.offers("ALLEGRO_DE", offerIds=copy_id)
    assert copy["offerId"] == copy_id
    assert commands.run(OTHER_ID, body([copy_id]))["output"] == {"status": "SUCCESSFUL", "errors": None}
