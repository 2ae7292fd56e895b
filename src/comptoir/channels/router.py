"""Operator routes for sales channels."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, patch, post

from comptoir.api.deps import app_db
from comptoir.auth.tokens import Principal
from comptoir.channels import service
from comptoir.channels.schemas import ChannelIn, ChannelOut, ChannelPatch


@post("/channels", sync_to_thread=True, tags=["operator: channels"])
def create_channel(request: Request[Any, Any, Any], operator: Principal, data: ChannelIn) -> ChannelOut:
    """Declares a sales channel with its behaviour and delivery modes."""
    with app_db(request).transaction() as session:
        return service.to_out(session, service.create_channel(session, data))


@get("/channels", sync_to_thread=True, tags=["operator: channels"])
def list_channels(request: Request[Any, Any, Any], operator: Principal) -> dict[str, Any]:
    with app_db(request).read() as session:
        items = [service.to_out(session, c) for c in service.list_channels(session)]
        return {"itemsPerPage": len(items), "items": items}


@get("/channels/{channel_id:str}", sync_to_thread=True, tags=["operator: channels"])
def get_channel(request: Request[Any, Any, Any], operator: Principal, channel_id: str) -> ChannelOut:
    with app_db(request).read() as session:
        return service.to_out(session, service.get_channel(session, channel_id))


@patch("/channels/{channel_id:str}", sync_to_thread=True, tags=["operator: channels"])
def update_channel(
    request: Request[Any, Any, Any], operator: Principal, channel_id: str, data: ChannelPatch
) -> ChannelOut:
    """Changes what is given; `deliveryModes`, when given, replaces the whole list."""
    with app_db(request).transaction() as session:
        return service.to_out(session, service.update_channel(session, channel_id, data))


operator_routes = [create_channel, list_channels, get_channel, update_channel]
