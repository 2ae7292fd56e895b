"""The demo data is shaped like production's, so that the seeds' own examples work against it."""

from __future__ import annotations


def test_demo_seller_publishes_cdisfr_offers_with_thd_and_nthd(client, seller_headers):
    r = client.get("/seller/v2/sellers/delivery-modes", headers=seller_headers)
    assert r.status_code == 200, r.text
    channels = {m["code"]: m["sales_channel_ids"] for m in r.json()["items"]}
    # A real production client sends THD and NTHD on CDISFR, beside the legacy codes.
    for code in ("THD", "NTHD", "TRK", "STD"):
        assert "CDISFR" in channels[code], code
