from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from comptoir.api.wire import SnakeWire, Wire

SellerIdText = Annotated[str, msgspec.Meta(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z_-]+$")]
Country = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}$")]
Currency = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$")]
ShortText = Annotated[str, msgspec.Meta(max_length=200)]

# Seller API (snake_case, as production serves the seller-configuration routes)


class LegalInformation(SnakeWire):
    company_name: str
    legal_form: str
    siret: str
    vat_number: str
    share_capital: int


class SellerProfile(SnakeWire):
    seller_id: str
    login: str
    shop_name: str
    email: str
    phone: str
    seller_state: str
    seller_sub_state: str
    subscription_step: str
    auto_accept_order: bool
    fulfillment_profile_id: str | None
    seller_legal_information: LegalInformation
    created_at: str


class AddressOut(SnakeWire):
    type: str
    address: str
    address_complement: str
    zip_code: str
    city: str
    country: str


class SubscriptionOut(SnakeWire):
    subscription_id: int
    sales_channel_id: str
    sales_channel_name: str
    status: str
    action: str
    offer_submission_currency: str
    seller_payment_currency: str
    created_at: str


class SellerDeliveryModeOut(SnakeWire):
    code: str
    name: str
    delivery_delay: int
    is_express_delivery: bool
    more_than30_kg_product: bool
    sales_channel_ids: list[str]


class IndicatorOut(SnakeWire):
    indicator: str
    value: float
    numerator: int
    denominator: int
    period_start: str
    period_end: str


class CarrierOut(SnakeWire):
    code: str
    label: str


# Operator API (camelCase)


class SellerIn(Wire):
    id: SellerIdText
    shop_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    login: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    email: ShortText = ""
    phone: Annotated[str, msgspec.Meta(max_length=40)] = ""
    auto_accept_order: bool = False
    fulfillment_profile_id: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    company_name: ShortText = ""
    legal_form: Annotated[str, msgspec.Meta(max_length=40)] = ""
    siret: Annotated[str, msgspec.Meta(pattern=r"^([0-9]{14})?$")] = ""
    vat_number: Annotated[str, msgspec.Meta(max_length=20)] = ""
    share_capital: Annotated[int, msgspec.Meta(ge=0)] = 0


class SellerPatch(Wire, omit_defaults=True):
    shop_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None
    email: ShortText | None = None
    phone: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    seller_state: Annotated[str, msgspec.Meta(pattern=r"^(Activated|Deactivated|PutOnNotice)$")] | None = None
    seller_sub_state: (
        Annotated[str, msgspec.Meta(pattern=r"^(ActiveSeller|Holidays|BannedSeller)$")] | None
    ) = None
    auto_accept_order: bool | None = None
    fulfillment_profile_id: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    # `default` goes back to the server's profile.
    fidelity_profile: Literal["lenient", "production", "default"] | None = None


class SellerOut(Wire):
    id: str
    login: str
    shop_name: str
    email: str
    phone: str
    seller_state: str
    seller_sub_state: str
    subscription_step: str
    auto_accept_order: bool
    fulfillment_profile_id: str | None
    company_name: str
    legal_form: str
    siret: str
    vat_number: str
    share_capital: int
    # null: the server's profile (COMPTOIR_PROFILE).
    fidelity_profile: str | None
    created_at: str


class AddressIn(Wire):
    type: Annotated[str, msgspec.Meta(pattern=r"^(Billing|Shipping|Return)$")]
    address: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
    zip_code: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    city: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    country: Country
    address_complement: Annotated[str, msgspec.Meta(max_length=300)] = ""


class SubscriptionIn(Wire):
    sales_channel_id: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    # Codes among the channel's; all of the channel's modes when omitted.
    delivery_modes: list[str] | None = None
    offer_currency: Currency | None = None
    payment_currency: Currency | None = None


class SubscriptionOpOut(Wire):
    id: int
    sales_channel_id: str
    status: str
    delivery_modes: list[str]
    offer_currency: str
    payment_currency: str


class ClientIn(Wire):
    client_id: (
        Annotated[str, msgspec.Meta(min_length=3, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")] | None
    ) = None


class ClientCreated(Wire):
    client_id: str
    client_secret: str
    kind: str
    seller_ids: list[str]


class ClientOut(Wire):
    client_id: str
    kind: str
    active: bool
    seller_ids: list[str]
    created_at: str


class CarrierIn(Wire):
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    label: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
