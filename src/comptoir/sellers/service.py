from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, delete, select
from sqlalchemy.orm import Session

from comptoir import auth, clock
from comptoir.channels import ChannelDeliveryMode, SalesChannel, get_channel
from comptoir.db.pagination import IndexPage, index_page
from comptoir.errors import Conflict, NotFound, ValidationFailed
from comptoir.sellers import schemas as s
from comptoir.sellers.models import Carrier, Seller, SellerAddress, SellerDeliveryMode, Subscription

INDICATOR_WINDOW = timedelta(days=30)
# The five documented ones, then the discussions' answers given within the channel's delay.
INDICATORS = (
    "order_acceptation",
    "product_shipping",
    "deadline_compliance",
    "order_claims",
    "order_refunds",
    "response_time_compliance",
)

# Each indicator counts (numerator, denominator) over a window; the features that own the underlying
# events (orders) provide the counters, wired in `features.py`, so sellers does not depend on them.
IndicatorCounter = Callable[[Session, str, datetime, datetime], tuple[int, int]]


def get_seller(session: Session, seller_id: str) -> Seller:
    seller = session.get(Seller, seller_id)
    if seller is None:
        raise NotFound(f"Seller {seller_id} does not exist.")
    return seller


# Built once: the hottest seller route then skips statement construction on every call.
_PROFILE = select(Seller.__table__).where(Seller.__table__.c.id == bindparam("seller_id"))


def profile(conn: Session | Connection, seller_id: str) -> s.SellerProfile:
    """The seller profile, read with one Core statement: this is the hottest seller route."""
    seller = conn.execute(_PROFILE, {"seller_id": seller_id}).first()
    if seller is None:
        raise NotFound(f"Seller {seller_id} does not exist.")
    return s.SellerProfile(
        seller_id=seller.id,
        login=seller.login,
        shop_name=seller.shop_name,
        email=seller.email,
        phone=seller.phone,
        seller_state=seller.seller_state,
        seller_sub_state=seller.seller_sub_state,
        subscription_step=seller.subscription_step,
        auto_accept_order=seller.auto_accept_order,
        fulfillment_profile_id=seller.fulfillment_profile_id,
        seller_legal_information=s.LegalInformation(
            company_name=seller.company_name,
            legal_form=seller.legal_form,
            siret=seller.siret,
            vat_number=seller.vat_number,
            share_capital=seller.share_capital,
        ),
        created_at=clock.iso_z(seller.created_at) or "",
    )


def addresses(session: Session, seller_id: str) -> list[s.AddressOut]:
    rows = session.scalars(
        select(SellerAddress).where(SellerAddress.seller_id == seller_id).order_by(SellerAddress.id)
    )
    return [
        s.AddressOut(
            type=a.type,
            address=a.address,
            address_complement=a.address_complement,
            zip_code=a.zip_code,
            city=a.city,
            country=a.country,
        )
        for a in rows
    ]


def subscriptions(session: Session, seller_id: str) -> list[s.SubscriptionOut]:
    rows = session.execute(
        select(Subscription, SalesChannel.name)
        .join(SalesChannel, SalesChannel.id == Subscription.sales_channel_id)
        .where(Subscription.seller_id == seller_id)
        .order_by(Subscription.id)
    )
    return [
        s.SubscriptionOut(
            subscription_id=sub.id,
            sales_channel_id=sub.sales_channel_id,
            sales_channel_name=name,
            status=sub.status,
            action=sub.action,
            offer_submission_currency=sub.offer_currency,
            seller_payment_currency=sub.payment_currency,
            created_at=clock.iso_z(sub.created_at) or "",
        )
        for sub, name in rows
    ]


def delivery_modes(session: Session, seller_id: str) -> list[s.SellerDeliveryModeOut]:
    rows = session.execute(
        select(ChannelDeliveryMode, SellerDeliveryMode.sales_channel_id)
        .join(
            SellerDeliveryMode,
            (SellerDeliveryMode.sales_channel_id == ChannelDeliveryMode.channel_id)
            & (SellerDeliveryMode.code == ChannelDeliveryMode.code),
        )
        .where(SellerDeliveryMode.seller_id == seller_id)
        .order_by(ChannelDeliveryMode.code, SellerDeliveryMode.sales_channel_id)
    )
    by_code: dict[str, s.SellerDeliveryModeOut] = {}
    for mode, channel_id in rows:
        out = by_code.get(mode.code)
        if out is None:
            by_code[mode.code] = s.SellerDeliveryModeOut(
                code=mode.code,
                name=mode.name,
                delivery_delay=mode.delivery_delay,
                is_express_delivery=mode.is_express_delivery,
                more_than30_kg_product=mode.more_than_30kg_product,
                sales_channel_ids=[channel_id],
            )
        else:
            out.sales_channel_ids.append(channel_id)
    return list(by_code.values())


def seller_mode_codes(session: Session, seller_id: str, channel_id: str) -> set[str]:
    return set(
        session.scalars(
            select(SellerDeliveryMode.code).where(
                SellerDeliveryMode.seller_id == seller_id, SellerDeliveryMode.sales_channel_id == channel_id
            )
        )
    )


def indicators(
    session: Session, seller_id: str, counters: Mapping[str, IndicatorCounter]
) -> list[s.IndicatorOut]:
    """Rates over the last 30 days of the platform clock; 0 where nothing happened yet."""
    end = clock.now()
    start = end - INDICATOR_WINDOW
    out = []
    for name in INDICATORS:
        counter = counters.get(name)
        numerator, denominator = counter(session, seller_id, start, end) if counter else (0, 0)
        out.append(
            s.IndicatorOut(
                indicator=name,
                value=round(100.0 * numerator / denominator, 2) if denominator else 0.0,
                numerator=numerator,
                denominator=denominator,
                period_start=clock.iso_z(start) or "",
                period_end=clock.iso_z(end) or "",
            )
        )
    return out


def carriers(session: Session) -> list[s.CarrierOut]:
    return [
        s.CarrierOut(code=c.code, label=c.label)
        for c in session.scalars(select(Carrier).order_by(Carrier.id))
    ]


def add_carrier(session: Session, data: s.CarrierIn) -> s.CarrierOut:
    session.add(Carrier(code=data.code, label=data.label))
    session.flush()
    return s.CarrierOut(code=data.code, label=data.label)


# Operator side


def to_out(seller: Seller) -> s.SellerOut:
    return s.SellerOut(
        id=seller.id,
        login=seller.login,
        shop_name=seller.shop_name,
        email=seller.email,
        phone=seller.phone,
        seller_state=seller.seller_state,
        seller_sub_state=seller.seller_sub_state,
        subscription_step=seller.subscription_step,
        auto_accept_order=seller.auto_accept_order,
        fulfillment_profile_id=seller.fulfillment_profile_id,
        company_name=seller.company_name,
        legal_form=seller.legal_form,
        siret=seller.siret,
        vat_number=seller.vat_number,
        share_capital=seller.share_capital,
        fidelity_profile=seller.fidelity_profile,
        created_at=clock.iso_z(seller.created_at) or "",
    )


def create_seller(session: Session, data: s.SellerIn) -> Seller:
    if session.get(Seller, data.id) is not None:
        raise Conflict(f"Seller {data.id} already exists.")
    seller = Seller(
        id=data.id,
        login=data.login or data.shop_name.lower().replace(" ", "-"),
        shop_name=data.shop_name,
        email=data.email,
        phone=data.phone,
        seller_state="Activated",
        seller_sub_state="ActiveSeller",
        subscription_step="Finished",
        auto_accept_order=data.auto_accept_order,
        fulfillment_profile_id=data.fulfillment_profile_id,
        company_name=data.company_name,
        legal_form=data.legal_form,
        siret=data.siret,
        vat_number=data.vat_number,
        share_capital=data.share_capital,
        created_at=clock.now(),
    )
    session.add(seller)
    session.flush()
    return seller


def update_seller(session: Session, seller_id: str, patch: s.SellerPatch) -> Seller:
    seller = get_seller(session, seller_id)
    for name in s.SellerPatch.__struct_fields__:
        value = getattr(patch, name)
        if value is not None:
            setattr(seller, name, value)
    if patch.fidelity_profile == "default":
        seller.fidelity_profile = None
    session.flush()
    return seller


_FIDELITY = select(Seller.__table__.c.fidelity_profile).where(Seller.__table__.c.id == bindparam("seller_id"))


def profile_of(conn: Connection, seller_id: str) -> str | None:
    """The seller's own fidelity profile, None when it follows the server's."""
    return conn.execute(_FIDELITY, {"seller_id": seller_id}).scalar()


def list_sellers(session: Session, *, page_index: int, page_size: int) -> IndexPage[Seller]:
    return index_page(session, select(Seller).order_by(Seller.id), page_index=page_index, page_size=page_size)


def add_address(session: Session, seller_id: str, data: s.AddressIn) -> s.AddressOut:
    get_seller(session, seller_id)
    session.add(
        SellerAddress(
            seller_id=seller_id,
            type=data.type,
            address=data.address,
            address_complement=data.address_complement,
            zip_code=data.zip_code,
            city=data.city,
            country=data.country,
        )
    )
    session.flush()
    return addresses(session, seller_id)[-1]


def subscribe(session: Session, seller_id: str, data: s.SubscriptionIn) -> s.SubscriptionOpOut:
    """Subscribes a seller to a channel (or updates the subscription) with its delivery modes."""
    get_seller(session, seller_id)
    channel = get_channel(session, data.sales_channel_id)
    offered = {
        m.code
        for m in session.scalars(
            select(ChannelDeliveryMode).where(ChannelDeliveryMode.channel_id == channel.id)
        )
    }
    wanted = sorted(offered) if data.delivery_modes is None else sorted(set(data.delivery_modes))
    unknown = [code for code in wanted if code not in offered]
    if unknown:
        raise ValidationFailed.field(
            "deliveryModes", f"Channel {channel.id} offers no delivery mode {', '.join(unknown)}."
        )
    sub = session.scalar(
        select(Subscription).where(
            Subscription.seller_id == seller_id, Subscription.sales_channel_id == channel.id
        )
    )
    if sub is None:
        sub = Subscription(
            seller_id=seller_id,
            sales_channel_id=channel.id,
            created_at=clock.now(),
            offer_currency=data.offer_currency or channel.currency,
            payment_currency=data.payment_currency or channel.currency,
        )
        session.add(sub)
    else:
        sub.offer_currency = data.offer_currency or sub.offer_currency
        sub.payment_currency = data.payment_currency or sub.payment_currency
    sub.status, sub.action = "Active", "Subscribe"
    session.flush()
    session.execute(
        delete(SellerDeliveryMode).where(
            SellerDeliveryMode.seller_id == seller_id, SellerDeliveryMode.sales_channel_id == channel.id
        )
    )
    session.add_all(
        SellerDeliveryMode(seller_id=seller_id, sales_channel_id=channel.id, code=code) for code in wanted
    )
    session.flush()
    return s.SubscriptionOpOut(
        id=sub.id,
        sales_channel_id=channel.id,
        status=sub.status,
        delivery_modes=wanted,
        offer_currency=sub.offer_currency,
        payment_currency=sub.payment_currency,
    )


def unsubscribe(session: Session, seller_id: str, channel_id: str) -> None:
    sub = session.scalar(
        select(Subscription).where(
            Subscription.seller_id == seller_id, Subscription.sales_channel_id == channel_id
        )
    )
    if sub is None:
        raise NotFound(f"Seller {seller_id} has no subscription to {channel_id}.")
    sub.status, sub.action = "Terminated", "Unsubscribe"
    session.flush()


def is_subscribed(session: Session, seller_id: str, channel_id: str) -> bool:
    return (
        session.scalar(
            select(Subscription.id).where(
                Subscription.seller_id == seller_id,
                Subscription.sales_channel_id == channel_id,
                Subscription.status == "Active",
            )
        )
        is not None
    )


def operator_subscriptions(session: Session, seller_id: str) -> list[s.SubscriptionOpOut]:
    get_seller(session, seller_id)
    out = []
    for sub in session.scalars(
        select(Subscription).where(Subscription.seller_id == seller_id).order_by(Subscription.id)
    ):
        out.append(
            s.SubscriptionOpOut(
                id=sub.id,
                sales_channel_id=sub.sales_channel_id,
                status=sub.status,
                delivery_modes=sorted(seller_mode_codes(session, seller_id, sub.sales_channel_id)),
                offer_currency=sub.offer_currency,
                payment_currency=sub.payment_currency,
            )
        )
    return out


def create_seller_client(session: Session, seller_id: str, data: s.ClientIn) -> s.ClientCreated:
    get_seller(session, seller_id)
    client, secret = auth.create_client(
        session, kind="seller", seller_ids=[seller_id], client_id=data.client_id
    )
    return s.ClientCreated(
        client_id=client.client_id, client_secret=secret, kind="seller", seller_ids=[seller_id]
    )


def client_out(session: Session, client: auth.Client) -> s.ClientOut:
    return s.ClientOut(
        client_id=client.client_id,
        kind=client.kind,
        active=client.active,
        seller_ids=auth.client_sellers(session, client.client_id),
        created_at=clock.iso_z(client.created_at) or "",
    )


def seller_clients(session: Session, seller_id: str) -> list[s.ClientOut]:
    get_seller(session, seller_id)
    return [client_out(session, c) for c in auth.list_clients(session, seller_id=seller_id)]


def deactivate_client(session: Session, client_id: str) -> s.ClientOut:
    return client_out(session, auth.set_client_active(session, client_id, False))
