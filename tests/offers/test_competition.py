"""Pure competition rules: the best offer on a product and the quality of one's own."""

from __future__ import annotations

from decimal import Decimal

from comptoir.offers import competition as co
from comptoir.offers import domain as d

D = Decimal


def test_best_offer_is_the_lowest_total_price():
    cheap_price = co.Competitor("A", "New", D(10), D(8))
    cheap_total = co.Competitor("B", "New", D(12), D(1))
    free_shipping = co.Competitor("C", "New", D(13), None)
    assert co.best_offer([cheap_price, cheap_total, free_shipping]) == cheap_total
    assert co.best_offer([]) is None
    assert co.cheapest_shipping([d.DeliveryMode("A", D(3), D(0)), d.DeliveryMode("B", D(2), D(0))]) == D(2)


def test_offer_quality_reasons():
    assert co.offer_quality(is_best=True, quantity=10, preparation_time=1, has_origin_price=True) == (100, [])
    score, reasons = co.offer_quality(is_best=False, quantity=1, preparation_time=5, has_origin_price=False)
    assert score == 0 and reasons == [
        "NotBestOffer",
        "LowStock",
        "LongPreparationTime",
        "NoStrikethroughPrice",
    ]
