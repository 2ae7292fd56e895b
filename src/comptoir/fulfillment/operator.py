"""The marketplace's side of the fulfillment core on the operator API: which warehouses a seller may
store in, and the warehouse's stock adjustments."""

from __future__ import annotations

from litestar import get, post, put
from sqlalchemy.orm import Session

from comptoir.db import ReadSession
from comptoir.errors import NotFound
from comptoir.fulfillment import schemas as s
from comptoir.fulfillment import stocks, warehouse
from comptoir.sellers import Seller

TAGS = ["operator: fulfillment"]


@put("/sellers/{seller_id:str}/fulfillment-storage-countries", sync_to_thread=True, tags=TAGS)
def put_storage_countries(
    session: Session, seller_id: str, data: s.StorageCountriesIn | list[str]
) -> s.StorageCountriesOut:
    """Opens exactly the countries given (FR, ES, UK; `{"storageCountries": [...]}` or a bare array)
    to the seller's inbound shipments, and closes the others."""
    countries = data if isinstance(data, list) else data.storage_countries
    opened = warehouse.set_storage_countries(session, seller_id, countries)
    return s.StorageCountriesOut(seller_id=seller_id, storage_countries=list(opened))


@get("/sellers/{seller_id:str}/fulfillment-storage-countries", sync_to_thread=True, tags=TAGS)
def get_storage_countries(reader: ReadSession, seller_id: str) -> s.StorageCountriesOut:
    if reader.get(Seller, seller_id) is None:
        raise NotFound(f"Seller {seller_id} does not exist.")
    return s.StorageCountriesOut(
        seller_id=seller_id, storage_countries=list(warehouse.storage_countries(reader, seller_id))
    )


@post("/fulfillment/stock-adjustments", sync_to_thread=True, tags=TAGS, status_code=200)
def post_stock_adjustment(session: Session, data: s.StockAdjustmentIn) -> s.StockAdjustmentOut:
    """The warehouse corrects a stock record: `Inventory` (Available set to `countedQuantity`; the
    record is created in an open country if need be), `Damage` (`quantity` from Available to
    Blocked), `Removal` (`quantity` from Available to Removal). 409 when Available holds too few."""
    record, movement = warehouse.adjust(session, data)
    return s.StockAdjustmentOut(
        stock=stocks.stock_out(session, record),
        movement=stocks.movement_out(movement) if movement is not None else None,
    )


operator_routes = [put_storage_countries, get_storage_countries, post_stock_adjustment]
