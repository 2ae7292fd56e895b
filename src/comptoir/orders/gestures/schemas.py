"""Wire models of commercial gestures (spec 12.12)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from comptoir.api.wire import Wire
from comptoir.orders.cancellations.schemas import ErrorOut, Id, Message


class GestureConfigurationOut(Wire):
    sales_channel_id: str
    allows_gesture: bool
    maximum_rate: float
    maximum_amount: float | None
    currency_code: str
    manual_review: bool


class GestureConfigurationIn(Wire):
    allows_gesture: bool
    maximum_rate: Annotated[float, msgspec.Meta(ge=0, le=100)]
    currency_code: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$")]
    maximum_amount: Annotated[float, msgspec.Meta(gt=0)] | None = None
    manual_review: bool = False


class AvailableAmountsOut(Wire):
    order_id: str
    sales_channel_id: str
    allows_gesture: bool
    currency_code: str
    order_amount: float
    maximum_rate: float
    maximum_amount: float | None
    granted_amount: float
    pending_amount: float
    allowable_amount: float


class GestureIn(Wire):
    order_id: Id
    reason: Annotated[str, msgspec.Meta(max_length=20)]
    amount: float
    reason_details: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    currency_code: str | None = None
    currency: str | None = None


class GestureRequestOut(Wire):
    request_id: str
    order_id: str
    sales_channel_id: str
    status: str
    reason: str
    reason_details: str | None
    amount: float
    currency_code: str
    created_at: str
    updated_at: str
    errors: list[ErrorOut]


class GestureDecisionIn(Wire):
    decision: Annotated[str, msgspec.Meta(pattern=r"^(Done|Rejected)$")]
    message: Message | None = None
