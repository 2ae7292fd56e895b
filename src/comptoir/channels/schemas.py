from __future__ import annotations

from typing import Annotated

import msgspec

from comptoir.api.wire import Wire

Rate = Annotated[float, msgspec.Meta(ge=0, le=100)]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_-]+$")]


class DeliveryModeIn(Wire):
    code: Code
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    delivery_delay: Annotated[int, msgspec.Meta(ge=0, le=60)] = 0
    is_express_delivery: bool = False
    more_than_30_kg_product: bool = msgspec.field(default=False, name="moreThan30KgProduct")


class ChannelIn(Wire):
    id: Code
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    currency: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$")] = "EUR"
    country_code: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}$")] = "FR"
    manual_acceptance: bool = False
    line_level_management: bool = True
    partial_shipment: bool = True
    acceptance_deadline_hours: Annotated[int, msgspec.Meta(ge=1, le=720)] = 48
    commission_rate: Rate = 15.0
    discussion_escalation_hours: Annotated[int, msgspec.Meta(ge=1, le=720)] = 48
    delivery_modes: list[DeliveryModeIn] = []


class ChannelPatch(Wire, omit_defaults=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None
    currency: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$")] | None = None
    country_code: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}$")] | None = None
    manual_acceptance: bool | None = None
    line_level_management: bool | None = None
    partial_shipment: bool | None = None
    acceptance_deadline_hours: Annotated[int, msgspec.Meta(ge=1, le=720)] | None = None
    commission_rate: Rate | None = None
    discussion_escalation_hours: Annotated[int, msgspec.Meta(ge=1, le=720)] | None = None
    active: bool | None = None
    # Replaces the whole list when given.
    delivery_modes: list[DeliveryModeIn] | None = None


class DeliveryModeOut(Wire):
    code: str
    name: str
    delivery_delay: int
    is_express_delivery: bool
    more_than_30_kg_product: bool = msgspec.field(name="moreThan30KgProduct")


class ChannelOut(Wire):
    id: str
    name: str
    currency: str
    country_code: str
    manual_acceptance: bool
    line_level_management: bool
    partial_shipment: bool
    acceptance_deadline_hours: int
    commission_rate: float
    discussion_escalation_hours: int
    active: bool
    delivery_modes: list[DeliveryModeOut]
    created_at: str
