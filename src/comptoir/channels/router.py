"""Operator routes for sales channels."""

from __future__ import annotations

from litestar import get, patch, post
from sqlalchemy.orm import Session

from comptoir.api.pagination import Page, page_of
from comptoir.channels import service
from comptoir.channels.schemas import ChannelIn, ChannelOut, ChannelPatch
from comptoir.db import ReadSession

TAGS = ["operator: channels"]


@post("/channels", sync_to_thread=True, tags=TAGS)
def create_channel(session: Session, data: ChannelIn) -> ChannelOut:
    """Declares a sales channel with its behaviour and delivery modes."""
    return service.to_out(session, service.create_channel(session, data))


@get("/channels", sync_to_thread=True, tags=TAGS)
def list_channels(reader: ReadSession) -> Page[ChannelOut]:
    return page_of([service.to_out(reader, c) for c in service.list_channels(reader)])


@get("/channels/{channel_id:str}", sync_to_thread=True, tags=TAGS)
def get_channel(reader: ReadSession, channel_id: str) -> ChannelOut:
    return service.to_out(reader, service.get_channel(reader, channel_id))


@patch("/channels/{channel_id:str}", sync_to_thread=True, tags=TAGS)
def update_channel(session: Session, channel_id: str, data: ChannelPatch) -> ChannelOut:
    """Changes what is given; `deliveryModes`, when given, replaces the whole list."""
    return service.to_out(session, service.update_channel(session, channel_id, data))


operator_routes = [create_channel, list_channels, get_channel, update_channel]
