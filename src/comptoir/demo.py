"""Demo data: two sellers, an operator, the CDISFR and SELLZZ channels, carriers. Idempotent.

And the seed packs a sandbox reset loads (`PACKS`): `empty`, `demo`, `busy-seller`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.auth.models import ClientSeller, OAuthClient
from comptoir.auth.secrets import hash_secret
from comptoir.catalog.demo import seed as seed_catalog
from comptoir.catalog.demo import seed_referential, seed_seller_products
from comptoir.channels.models import SalesChannel
from comptoir.channels.schemas import ChannelIn, DeliveryModeIn
from comptoir.channels.service import create_channel
from comptoir.commands.demo import seed as seed_commands
from comptoir.discussions.demo import seed_seller_discussions
from comptoir.fulfillment.demo import seed as seed_fulfillment
from comptoir.offers.demo import seed as seed_offers
from comptoir.offers.demo import seed_seller_offers
from comptoir.orders.demo import seed_seller_orders
from comptoir.orders.gestures.demo import seed as seed_gestures
from comptoir.sellers.models import Carrier, Seller, Subscription
from comptoir.sellers.schemas import AddressIn, SellerIn, SubscriptionIn
from comptoir.sellers.service import add_address, create_seller, subscribe

DEMO_SELLER, OTHER_SELLER = "98979", "12345"
CLIENTS = [
    ("demo-client", "demo-secret", "seller", [DEMO_SELLER]),
    ("other-client", "other-secret", "seller", [OTHER_SELLER]),
    ("operator-client", "operator-secret", "operator", []),
]

CHANNELS = [
    ChannelIn(
        id="CDISFR",
        name="Cdiscount France",
        currency="EUR",
        country_code="FR",
        manual_acceptance=True,
        line_level_management=False,
        partial_shipment=False,
        acceptance_deadline_hours=48,
        commission_rate=15.0,
        delivery_modes=[
            # The codes production clients publish CDISFR offers with today, beside the legacy ones.
            DeliveryModeIn("THD", "Livraison à domicile suivie", 3),
            DeliveryModeIn("NTHD", "Livraison à domicile non suivie", 4),
            DeliveryModeIn("STD", "Standard", 3),
            DeliveryModeIn("TRK", "Envoi Suivi", 2),
            DeliveryModeIn("REG", "Recommandé", 2),
            DeliveryModeIn("MAG", "Retrait en magasin", 4),
            DeliveryModeIn("RCO", "Relais Colis", 4),
            DeliveryModeIn("REL", "Point relais", 4),
            DeliveryModeIn("EXP", "Express", 1, is_express_delivery=True),
            DeliveryModeIn("LV1", "Livraison sur rendez-vous", 5, more_than_30_kg_product=True),
        ],
    ),
    ChannelIn(
        id="SELLZZ",
        name="Octopia Sales Channel",
        currency="EUR",
        country_code="FR",
        manual_acceptance=False,
        line_level_management=True,
        partial_shipment=True,
        acceptance_deadline_hours=24,
        commission_rate=12.0,
        delivery_modes=[
            DeliveryModeIn("THD", "Home delivery", 3),
            DeliveryModeIn("NTHD", "Non-tracked home delivery", 4),
            DeliveryModeIn("EHD", "Express home delivery", 1, is_express_delivery=True),
            DeliveryModeIn("SHD", "Big and bulky home delivery", 6, more_than_30_kg_product=True),
        ],
    ),
]

SELLERS = [
    SellerIn(
        id=DEMO_SELLER,
        shop_name="Comptoir Demo Shop",
        login="demo-shop",
        email="contact@demo-shop.example",
        phone="+33 1 23 45 67 89",
        auto_accept_order=False,
        company_name="Demo Shop SAS",
        legal_form="SAS",
        siret="12345678900012",
        vat_number="FR12123456789",
        share_capital=10000,
    ),
    SellerIn(
        id=OTHER_SELLER,
        shop_name="Other Store",
        login="other-store",
        email="hello@other-store.example",
        phone="+33 4 56 78 90 12",
        auto_accept_order=True,
        company_name="Other Store SARL",
        legal_form="SARL",
        siret="98765432100021",
        vat_number="FR98987654321",
        share_capital=5000,
    ),
]

ADDRESSES = {
    DEMO_SELLER: [
        AddressIn("Billing", "12 rue de la Paix", "75002", "Paris", "FR"),
        AddressIn("Shipping", "ZA des Entrepôts, 4 allée Nord", "33000", "Bordeaux", "FR"),
        AddressIn("Return", "ZA des Entrepôts, 4 allée Nord", "33000", "Bordeaux", "FR", "Quai 3"),
    ],
    OTHER_SELLER: [
        AddressIn("Billing", "8 place Bellecour", "69002", "Lyon", "FR"),
        AddressIn("Shipping", "8 place Bellecour", "69002", "Lyon", "FR"),
    ],
}

# As in production: codes are not unique (pcc stands for four La Poste group carriers).
CARRIERS = [
    ("pcc", "La Poste"),
    ("pcc", "Colissimo"),
    ("pcc", "Chronopost"),
    ("pcc", "Chronofresh"),
    ("dpd", "DPD"),
    ("ups", "UPS"),
    ("gls", "GLS"),
    ("brt", "BRT"),
    ("tnt", "TNT"),
    ("fex", "FedEx"),
    ("mre", "Mondial Relay"),
    ("cpr", "Colis Privé"),
    ("rlc", "Relais Colis"),
    ("geo", "GEODIS"),
    ("dhl", "DHL Express"),
    ("dhldp", "DHL"),
    ("dhldp", "Deutsche Post"),
    ("kne", "Kuehne + Nagel"),
    ("db", "DB Schenker"),
    ("hem", "Heppner"),
    ("dbs", "Dachser"),
    ("cal", "Calberson"),
    ("fmx", "France Express"),
    ("tdc", "TDL Transport"),
    ("stu", "Stuart"),
    ("ctr", "Ciblex"),
    ("seu", "Seur"),
    ("crr", "Correos"),
    ("pst", "PostNL"),
    ("bpo", "bpost"),
    ("ita", "Poste Italiane"),
    ("asd", "Asendia"),
    ("exa", "Exapaq "),
    ("agx", "Agediss"),
    ("dvx", "Dvs Logistics"),
    ("default", "autre"),
]


@lru_cache(maxsize=8)
def _hash(secret: str) -> str:
    # Demo secrets are public; caching their hash keeps repeated seeding (tests) fast.
    return hash_secret(secret)


def seed_platform(session: Session) -> None:
    """The marketplace without any seller's catalogue: channels (ALLEGRO_DE too), sellers with their
    addresses, subscriptions and storage countries, OAuth clients, carriers, the referential, gesture
    limits."""
    for channel in CHANNELS:
        if session.get(SalesChannel, channel.id) is None:
            create_channel(session, channel)
    for seller in SELLERS:
        if session.get(Seller, seller.id) is None:
            create_seller(session, seller)
            for address in ADDRESSES[seller.id]:
                add_address(session, seller.id, address)
        for channel in CHANNELS:
            # A subscription the operator terminated stays terminated.
            known = session.scalar(
                select(Subscription.id).where(
                    Subscription.seller_id == seller.id, Subscription.sales_channel_id == channel.id
                )
            )
            if known is None:
                subscribe(session, seller.id, SubscriptionIn(sales_channel_id=channel.id))
    for client_id, secret, kind, seller_ids in CLIENTS:
        if session.get(OAuthClient, client_id) is None:
            session.add(
                OAuthClient(
                    client_id=client_id,
                    secret_hash=_hash(secret),
                    kind=kind,
                    active=True,
                    created_at=clock.now(),
                )
            )
            session.flush()
            session.add_all(ClientSeller(client_id=client_id, seller_id=s) for s in seller_ids)
    if session.scalar(select(Carrier.id).limit(1)) is None:
        session.add_all(Carrier(code=code, label=label) for code, label in CARRIERS)
    session.flush()
    seed_referential(session)
    seed_commands(session)
    seed_gestures(session)
    seed_fulfillment(session)


def seed(session: Session) -> None:
    """The demo: the platform, the demo sellers' products and the competitor's offers."""
    seed_platform(session)
    seed_catalog(session)
    seed_offers(session)


BUSY_PRODUCTS, ORDERS_PER_STATUS = 5_000, 500
# The busy seller's catalogue is older than its oldest order (27 days).
CATALOGUE_AGE = timedelta(days=28)


def seed_busy_seller(session: Session, rng: random.Random, anchor: datetime) -> None:
    """The demo, and for seller 98979: 5,000 products, their 10,000 offers on CDISFR and SELLZZ, 500
    orders in every order status and discussions on a fifth of those being prepared, shipped or
    delivered, all drawn from `rng` and dated before `anchor`."""
    seed(session)
    gtins = seed_seller_products(session, rng, DEMO_SELLER, BUSY_PRODUCTS, anchor - CATALOGUE_AGE)
    seed_seller_offers(session, rng, DEMO_SELLER, gtins, anchor - CATALOGUE_AGE)
    seed_seller_orders(session, rng, DEMO_SELLER, ORDERS_PER_STATUS, anchor)
    seed_seller_discussions(session, rng, DEMO_SELLER, anchor)


# A pack loads into an emptied database: (session, random numbers from the seed, the instant its rows
# are dated from). Packs that draw nothing ignore the last two.
Pack = Callable[[Session, random.Random, datetime], None]
PACKS: dict[str, Pack] = {
    "empty": lambda session, _rng, _anchor: seed_platform(session),
    "demo": lambda session, _rng, _anchor: seed(session),
    "busy-seller": seed_busy_seller,
}
