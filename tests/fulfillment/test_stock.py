"""The stock ledger: quantities move only by guarded movements, never below zero, and the ledger
sums to what the stock records say, under concurrent movements too."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from comptoir.fulfillment import domain as d
from comptoir.fulfillment import stock
from comptoir.fulfillment.models import Stock, StockMovement

A, AL = d.Bucket.AVAILABLE, d.Bucket.ALLOCATED


def test_movements_are_guarded_and_ledgered(client, db):  # noqa: ARG001 (a clean database)
    with db.transaction() as s:
        record = stock.record(s, "98979", "PRD1", "New", "FR")
        stock.move(s, record, {A: 10}, d.Reason.INBOUND_RECEIVED, stock.Source("inbound", "in-1"))
        stock.move(s, record, {A: -3, AL: 3}, d.Reason.OUTBOUND_ALLOCATED, stock.Source("outbound", "out-1"))
        with pytest.raises(stock.InsufficientStock):
            stock.move(s, record, {A: -8, AL: 8}, d.Reason.OUTBOUND_ALLOCATED)
        assert stock.record(s, "98979", "PRD1", "New", "FR").id == record.id
    with db.read() as s:
        row = s.scalars(select(Stock)).one()
        assert (row.available, row.allocated) == (7, 3)
        reasons = s.scalars(select(StockMovement.reason).order_by(StockMovement.id)).all()
        assert reasons == ["InboundReceived", "OutboundAllocated"]


def test_fifty_concurrent_allocations_on_ten_units_take_exactly_ten(client, db):  # noqa: ARG001
    with db.transaction() as s:
        stock_id = stock.record(s, "98979", "PRD2", "New", "FR").id
        stock.move(s, s.get(Stock, stock_id), {A: 10}, d.Reason.INBOUND_RECEIVED)

    def allocate(n: int) -> bool:
        try:
            with db.transaction() as s:
                stock.move(
                    s,
                    s.get(Stock, stock_id),
                    {A: -1, AL: 1},
                    d.Reason.OUTBOUND_ALLOCATED,
                    stock.Source("outbound", str(n)),
                )
            return True
        except stock.InsufficientStock:
            return False

    with ThreadPoolExecutor(max_workers=8) as pool:
        taken = sum(pool.map(allocate, range(50)))
    assert taken == 10
    with db.read() as s:
        row = s.get(Stock, stock_id)
        assert (row.available, row.allocated) == (0, 10)
        sums = s.execute(
            select(func.sum(StockMovement.available), func.sum(StockMovement.allocated)).where(
                StockMovement.stock_id == stock_id
            )
        ).one()
        assert tuple(sums) == (0, 10)
