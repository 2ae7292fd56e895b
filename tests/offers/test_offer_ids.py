"""One offer id everywhere: the composite id of `GET /offers`, and the row ids clients may still hold."""

from __future__ import annotations

from comptoir.offers import domain as d
from offers.support import BASE, offer_request, offer_row

CHANNELS = ["CDISFR", "ALLEGRO_DE", "DE"]


def test_composite_ids_are_read_from_the_right_among_known_channels():
    rows, composite = d.read_offer_ids(
        [
            "98979_TST0001_New_CDISFR",
            "98979_TST0002_Used_ALLEGRO_DE",
            # The longest channel ending the id wins; "DE" still names its own offers.
            "98979_TST0003_New_DE",
            "12345_TST0001_New_CDISFR",
            "98979_New_CDISFR",
            "98979_TST0001_New_NOPE",
            "abc",
            "",
        ],
        "98979",
        CHANNELS,
    )
    assert rows == {}
    assert composite == {
        d.CompositeOfferId("98979", "TST0001", "New", "CDISFR"): "98979_TST0001_New_CDISFR",
        d.CompositeOfferId("98979", "TST0002", "Used", "ALLEGRO_DE"): "98979_TST0002_Used_ALLEGRO_DE",
        d.CompositeOfferId("98979", "TST0003", "New", "DE"): "98979_TST0003_New_DE",
    }


def test_row_ids_are_digits_within_32_bits():
    rows, composite = d.read_offer_ids(
        ["13", " 7 ", str(2**31 - 1), "658468381164", "-3", "1e3"], "98979", CHANNELS
    )
    assert rows == {13: "13", 7: " 7 ", 2**31 - 1: str(2**31 - 1)}
    assert composite == {}
    # Allegro's own offer numbers are beyond comptoir's row ids: they name no offer.
    assert d.offer_row_id("658468381164") is None


def test_offer_ids_filter_takes_composite_and_row_ids(client, db, packages, other_packages, make_products):
    products = make_products(3)
    packages.run([offer_request(f"ID{i}", products[i]) for i in range(3)])
    other_packages.run([offer_request("THEIRS", products[0])])
    offers = {o["sellerExternalReference"]: o for o in packages.offers()}
    row = {ref: offer_row(db, "98979", "SELLZZ", ref).id for ref in offers}
    theirs = offer_row(db, "12345", "SELLZZ", "THEIRS").id

    def refs(offer_ids):
        return sorted(o["sellerExternalReference"] for o in packages.offers(offerIds=offer_ids))

    assert refs(offers["ID0"]["offerId"]) == ["ID0"]
    assert refs(f"{row['ID1']},{offers['ID2']['offerId']}") == ["ID1", "ID2"]
    # Each found offer says the id to use from now on.
    assert [o["offerId"] for o in packages.offers(offerIds=str(row["ID1"]))] == [offers["ID1"]["offerId"]]
    # Another seller's row id, or one on another channel, names none of the seller's offers here.
    assert refs(str(theirs)) == []
    cdisfr = packages.offers("CDISFR", offerIds=str(row["ID0"]))
    assert cdisfr == []
    r = client.get(
        f"{BASE}/offers",
        params={"salesChannelId": "SELLZZ", "offerIds": ["658468381164", offers["ID0"]["offerId"]]},
        headers=packages.headers,
    )
    assert [o["sellerExternalReference"] for o in r.json()["items"]] == ["ID0"]
