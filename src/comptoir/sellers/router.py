"""Seller information (spec section 6) and the operator routes that manage sellers."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, patch, post

from comptoir.api.deps import SellerContext, app_db
from comptoir.api.pagination import PageIndex, PageSize, envelope, index_links
from comptoir.auth import service as auth_service
from comptoir.auth.tokens import Principal
from comptoir.db.pagination import check_page_params
from comptoir.sellers import schemas as s
from comptoir.sellers import service

TAGS = ["seller information"]


def counted(items: list[Any]) -> dict[str, Any]:
    """The `{"count", "items"}` envelope of the seller-configuration routes."""
    return {"count": len(items), "items": items}


# One indexed single-row read: cheaper on the event loop than the ~130 us hop to a worker thread.
@get("/sellers", sync_to_thread=False, tags=TAGS)
def get_seller(request: Request[Any, Any, Any], seller: SellerContext) -> s.SellerProfile:
    with app_db(request).read_connection() as conn:
        return service.profile(conn, seller.seller_id)


@get("/sellers/addresses", sync_to_thread=True, tags=TAGS)
def get_addresses(request: Request[Any, Any, Any], seller: SellerContext) -> dict[str, Any]:
    with app_db(request).read() as session:
        return counted(service.addresses(session, seller.seller_id))


@get("/sellers/indicators", sync_to_thread=True, tags=TAGS)
def get_indicators(request: Request[Any, Any, Any], seller: SellerContext) -> dict[str, Any]:
    with app_db(request).read() as session:
        return counted(service.indicators(session, seller.seller_id))


@get("/sellers/subscriptions", sync_to_thread=True, tags=TAGS)
def get_subscriptions(request: Request[Any, Any, Any], seller: SellerContext) -> dict[str, Any]:
    with app_db(request).read() as session:
        return counted(service.subscriptions(session, seller.seller_id))


@get("/sellers/delivery-modes", sync_to_thread=True, tags=TAGS, deprecated=True)
def get_delivery_modes(request: Request[Any, Any, Any], seller: SellerContext) -> dict[str, Any]:
    with app_db(request).read() as session:
        return counted(service.delivery_modes(session, seller.seller_id))


@get("/carriers", sync_to_thread=True, tags=TAGS)
def get_carriers(request: Request[Any, Any, Any], seller: SellerContext) -> list[s.CarrierOut]:
    with app_db(request).read() as session:
        return service.carriers(session)


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
def op_create_seller(request: Request[Any, Any, Any], operator: Principal, data: s.SellerIn) -> s.SellerOut:
    with app_db(request).transaction() as session:
        return service.to_out(service.create_seller(session, data))


@get("/sellers", sync_to_thread=True, tags=OP_TAGS)
def op_list_sellers(
    request: Request[Any, Any, Any], operator: Principal, page_index: PageIndex = 1, page_size: PageSize = 50
) -> Response[Any]:
    """Sellers by id, page index pagination with `Link` headers."""
    check_page_params(page_index, page_size)
    with app_db(request).read() as session:
        page = service.list_sellers(session, page_index=page_index, page_size=page_size)
        items = [service.to_out(x) for x in page.items]
    return Response(content=envelope(items), headers=index_links(request, page))


@get("/sellers/{seller_id:str}", sync_to_thread=True, tags=OP_TAGS)
def op_get_seller(request: Request[Any, Any, Any], operator: Principal, seller_id: str) -> s.SellerOut:
    with app_db(request).read() as session:
        return service.to_out(service.get_seller(session, seller_id))


@patch("/sellers/{seller_id:str}", sync_to_thread=True, tags=OP_TAGS)
def op_update_seller(
    request: Request[Any, Any, Any], operator: Principal, seller_id: str, data: s.SellerPatch
) -> s.SellerOut:
    with app_db(request).transaction() as session:
        return service.to_out(service.update_seller(session, seller_id, data))


@post("/sellers/{seller_id:str}/clients", sync_to_thread=True, tags=OP_TAGS)
def op_create_client(
    request: Request[Any, Any, Any], operator: Principal, seller_id: str, data: s.ClientIn
) -> s.ClientCreated:
    """Creates an OAuth client for the seller. The secret is in this answer only: it is stored hashed."""
    with app_db(request).transaction() as session:
        return service.create_seller_client(session, seller_id, data)


@get("/sellers/{seller_id:str}/clients", sync_to_thread=True, tags=OP_TAGS)
def op_list_clients(request: Request[Any, Any, Any], operator: Principal, seller_id: str) -> dict[str, Any]:
    with app_db(request).read() as session:
        return envelope(service.seller_clients(session, seller_id))


@post("/clients/{client_id:str}/deactivation", sync_to_thread=True, tags=OP_TAGS, status_code=200)
def op_deactivate_client(request: Request[Any, Any, Any], operator: Principal, client_id: str) -> s.ClientOut:
    """Stops the client from getting new tokens; tokens already issued run until they expire."""
    with app_db(request).transaction() as session:
        return service.client_out(session, auth_service.set_client_active(session, client_id, False))


@post("/sellers/{seller_id:str}/addresses", sync_to_thread=True, tags=OP_TAGS)
def op_add_address(
    request: Request[Any, Any, Any], operator: Principal, seller_id: str, data: s.AddressIn
) -> s.AddressOut:
    with app_db(request).transaction() as session:
        return service.add_address(session, seller_id, data)


@get("/sellers/{seller_id:str}/addresses", sync_to_thread=True, tags=OP_TAGS)
def op_list_addresses(request: Request[Any, Any, Any], operator: Principal, seller_id: str) -> dict[str, Any]:
    with app_db(request).read() as session:
        service.get_seller(session, seller_id)
        return envelope(service.addresses(session, seller_id))


@post("/sellers/{seller_id:str}/subscriptions", sync_to_thread=True, tags=OP_TAGS)
def op_subscribe(
    request: Request[Any, Any, Any], operator: Principal, seller_id: str, data: s.SubscriptionIn
) -> s.SubscriptionOpOut:
    """Subscribes the seller to a channel, or updates the subscription and its delivery modes."""
    with app_db(request).transaction() as session:
        return service.subscribe(session, seller_id, data)


@get("/sellers/{seller_id:str}/subscriptions", sync_to_thread=True, tags=OP_TAGS)
def op_list_subscriptions(
    request: Request[Any, Any, Any], operator: Principal, seller_id: str
) -> dict[str, Any]:
    with app_db(request).read() as session:
        return envelope(service.operator_subscriptions(session, seller_id))


@post(
    "/sellers/{seller_id:str}/subscriptions/{channel_id:str}/termination",
    sync_to_thread=True,
    tags=OP_TAGS,
    status_code=204,
)
def op_unsubscribe(
    request: Request[Any, Any, Any], operator: Principal, seller_id: str, channel_id: str
) -> None:
    with app_db(request).transaction() as session:
        service.unsubscribe(session, seller_id, channel_id)


@get("/carriers", sync_to_thread=True, tags=OP_TAGS)
def op_list_carriers(request: Request[Any, Any, Any], operator: Principal) -> list[s.CarrierOut]:
    with app_db(request).read() as session:
        return service.carriers(session)


@post("/carriers", sync_to_thread=True, tags=OP_TAGS)
def op_add_carrier(request: Request[Any, Any, Any], operator: Principal, data: s.CarrierIn) -> s.CarrierOut:
    with app_db(request).transaction() as session:
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
