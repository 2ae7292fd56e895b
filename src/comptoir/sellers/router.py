"""Seller information (spec section 6) and the operator routes that manage sellers."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, patch, post
from sqlalchemy.orm import Session

from comptoir.api.context import AppContext
from comptoir.api.deps import SellerContext
from comptoir.api.pagination import Counted, Page, PageIndex, PageSize, counted, index_links, page_of
from comptoir.db import ReadSession
from comptoir.sellers import schemas as s
from comptoir.sellers import service

TAGS = ["seller information"]


# One indexed single-row read: cheaper on the event loop than the ~130 us hop to a worker thread.
@get("/sellers", sync_to_thread=False, tags=TAGS)
def get_seller(context: AppContext, seller: SellerContext) -> s.SellerProfile:
    with context.db.read_connection() as conn:
        return service.profile(conn, seller.seller_id)


@get("/sellers/addresses", sync_to_thread=True, tags=TAGS)
def get_addresses(reader: ReadSession, seller: SellerContext) -> Counted[s.AddressOut]:
    return counted(service.addresses(reader, seller.seller_id))


@get("/sellers/indicators", sync_to_thread=True, tags=TAGS)
def get_indicators(
    reader: ReadSession, seller: SellerContext, context: AppContext
) -> Counted[s.IndicatorOut]:
    return counted(service.indicators(reader, seller.seller_id, context.indicators))


@get("/sellers/subscriptions", sync_to_thread=True, tags=TAGS)
def get_subscriptions(reader: ReadSession, seller: SellerContext) -> Counted[s.SubscriptionOut]:
    return counted(service.subscriptions(reader, seller.seller_id))


@get("/sellers/delivery-modes", sync_to_thread=True, tags=TAGS, deprecated=True)
def get_delivery_modes(reader: ReadSession, seller: SellerContext) -> Counted[s.SellerDeliveryModeOut]:
    return counted(service.delivery_modes(reader, seller.seller_id))


@get("/carriers", sync_to_thread=True, tags=TAGS)
def get_carriers(reader: ReadSession) -> list[s.CarrierOut]:
    return service.carriers(reader)


seller_routes = [
    get_seller,
    get_addresses,
    get_indicators,
    get_subscriptions,
    get_delivery_modes,
    get_carriers,
]

OP_TAGS = ["operator: sellers"]


@post("/sellers", sync_to_thread=True, tags=OP_TAGS)
def op_create_seller(session: Session, data: s.SellerIn) -> s.SellerOut:
    return service.to_out(service.create_seller(session, data))


@get("/sellers", sync_to_thread=True, tags=OP_TAGS)
def op_list_sellers(
    request: Request[Any, Any, Any], reader: ReadSession, page_index: PageIndex = 1, page_size: PageSize = 50
) -> Response[Page[s.SellerOut]]:
    """Sellers by id, page index pagination with `Link` headers."""
    page = service.list_sellers(reader, page_index=page_index, page_size=page_size)
    items = [service.to_out(x) for x in page.items]
    return Response(page_of(items), headers=index_links(request, page))


@get("/sellers/{seller_id:str}", sync_to_thread=True, tags=OP_TAGS)
def op_get_seller(reader: ReadSession, seller_id: str) -> s.SellerOut:
    return service.to_out(service.get_seller(reader, seller_id))


@patch("/sellers/{seller_id:str}", sync_to_thread=True, tags=OP_TAGS)
def op_update_seller(
    session: Session, context: AppContext, seller_id: str, data: s.SellerPatch
) -> s.SellerOut:
    """`fidelityProfile` (`lenient`, `production`, or `default` for the server's) reaches every API
    process within two seconds."""
    seller = service.update_seller(session, seller_id, data)
    context.profiles.forget(seller_id)
    return service.to_out(seller)


@post("/sellers/{seller_id:str}/clients", sync_to_thread=True, tags=OP_TAGS)
def op_create_client(session: Session, seller_id: str, data: s.ClientIn) -> s.ClientCreated:
    """Creates an OAuth client for the seller. The secret is in this answer only: it is stored hashed."""
    return service.create_seller_client(session, seller_id, data)


@get("/sellers/{seller_id:str}/clients", sync_to_thread=True, tags=OP_TAGS)
def op_list_clients(reader: ReadSession, seller_id: str) -> Page[s.ClientOut]:
    return page_of(service.seller_clients(reader, seller_id))


@post("/clients/{client_id:str}/deactivation", sync_to_thread=True, tags=OP_TAGS, status_code=200)
def op_deactivate_client(session: Session, client_id: str) -> s.ClientOut:
    """Stops the client from getting new tokens; tokens already issued run until they expire."""
    return service.deactivate_client(session, client_id)


@post("/sellers/{seller_id:str}/addresses", sync_to_thread=True, tags=OP_TAGS)
def op_add_address(session: Session, seller_id: str, data: s.AddressIn) -> s.AddressOut:
    return service.add_address(session, seller_id, data)


@get("/sellers/{seller_id:str}/addresses", sync_to_thread=True, tags=OP_TAGS)
def op_list_addresses(reader: ReadSession, seller_id: str) -> Page[s.AddressOut]:
    service.get_seller(reader, seller_id)
    return page_of(service.addresses(reader, seller_id))


@post("/sellers/{seller_id:str}/subscriptions", sync_to_thread=True, tags=OP_TAGS)
def op_subscribe(session: Session, seller_id: str, data: s.SubscriptionIn) -> s.SubscriptionOpOut:
    """Subscribes the seller to a channel, or updates the subscription and its delivery modes."""
    return service.subscribe(session, seller_id, data)


@get("/sellers/{seller_id:str}/subscriptions", sync_to_thread=True, tags=OP_TAGS)
def op_list_subscriptions(reader: ReadSession, seller_id: str) -> Page[s.SubscriptionOpOut]:
    return page_of(service.operator_subscriptions(reader, seller_id))


@post(
    "/sellers/{seller_id:str}/subscriptions/{channel_id:str}/termination",
    sync_to_thread=True,
    tags=OP_TAGS,
    status_code=204,
)
def op_unsubscribe(session: Session, seller_id: str, channel_id: str) -> None:
    service.unsubscribe(session, seller_id, channel_id)


@get("/carriers", sync_to_thread=True, tags=OP_TAGS)
def op_list_carriers(reader: ReadSession) -> list[s.CarrierOut]:
    return service.carriers(reader)


@post("/carriers", sync_to_thread=True, tags=OP_TAGS)
def op_add_carrier(session: Session, data: s.CarrierIn) -> s.CarrierOut:
    return service.add_carrier(session, data)


operator_routes = [
    op_create_seller,
    op_list_sellers,
    op_get_seller,
    op_update_seller,
    op_create_client,
    op_list_clients,
    op_deactivate_client,
    op_add_address,
    op_list_addresses,
    op_subscribe,
    op_list_subscriptions,
    op_unsubscribe,
    op_list_carriers,
    op_add_carrier,
]
