"""Field selection of `GET /offers`: the base fields plus the fields, nodes and dotted paths named."""

from __future__ import annotations

import msgspec

from comptoir.offers import schemas as s
from comptoir.offers.listing import select_fields

OFFER = s.OfferOut(
    offer_id="o",
    seller_external_reference="r",
    offer_state="Active",
    created_at="c",
    updated_at="u",
    condition="New",
    origin_price=None,
    facial_price=s.FacialPriceOut(price=1.0, currency_code="EUR"),
    delivery_modes=[s.DeliveryModeOut(code="THD", cost=1.0, additional_cost=0.0)],
    taxes=[],
    sales_channel_feedback=s.SalesChannelFeedbackOut(
        competing_offers=[s.CompetingOfferOut(seller_id="x")],
        offer_quality=s.OfferQualityOut(score=3, score_reasons=["LowStock"]),
    ),
)
BASE = {
    "offerId": "o",
    "sellerExternalReference": "r",
    "offerState": "Active",
    "createdAt": "c",
    "updatedAt": "u",
}


def wire(offer: s.OfferOut) -> object:
    return msgspec.json.decode(msgspec.json.encode(offer))


def test_field_selection_keeps_base_fields_and_dotted_paths():
    paths = ["condition", "facialPrice.price", "salesChannelFeedback.competingOffers", "nope.x"]
    assert wire(select_fields(OFFER, paths)) == {
        **BASE,
        "condition": "New",
        "facialPrice": {"price": 1.0},
        "salesChannelFeedback": {"competingOffers": [{"sellerId": "x"}]},
    }
    assert wire(select_fields(OFFER, ["deliveryModes.code"])) == {**BASE, "deliveryModes": [{"code": "THD"}]}


def test_a_null_is_selected_but_absent_fields_stay_absent():
    assert wire(select_fields(OFFER, ["originPrice", "bestOffer", "taxes.code"])) == {
        **BASE,
        "originPrice": None,
        "taxes": [],
    }
    assert wire(select_fields(OFFER, ["facialPrice.nope"])) == {**BASE, "facialPrice": {}}
    assert wire(select_fields(OFFER, ["salesChannelFeedback.offerQuality.scoreReasons.x"])) == {
        **BASE,
        "salesChannelFeedback": {"offerQuality": {}},
    }
