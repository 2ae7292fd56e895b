"""Demo data: the generated referential (`demo_referential`) and a few integrated products per demo
seller, bulk-inserted because tests re-seed before every test."""

from __future__ import annotations

import random
from datetime import datetime

import msgspec
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from comptoir.catalog import domain
from comptoir.catalog.checks import check_product
from comptoir.catalog.demo_referential import referential_rows
from comptoir.catalog.models import Brand, Category, Product, Property
from comptoir.catalog.publishing import insert_products, product_row
from comptoir.catalog.referential import checks_context
from comptoir.catalog.schemas import AttributeIn, PictureIn, ProductIn
from comptoir.db import table


def _gtin(n: int) -> str:
    """A valid 13-digit GTIN under the French GS1 prefix 376."""
    return domain.with_check_digit(f"376{n:09d}")


def _pictures(slug: str, count: int = 2) -> list[PictureIn]:
    return [
        PictureIn(index=i, url=f"https://images.comptoir.example/{slug}-{i}.jpg") for i in range(1, count + 1)
    ]


def _shirt(n: int, colour: str, size: str) -> ProductIn:
    return ProductIn(
        gtin=_gtin(n),
        seller_product_reference=f"TSH-{colour[:3].upper()}-{size}",
        language="fr-FR",
        title=f"T-shirt coton bio {colour.lower()} taille {size}",
        category_code="050201",
        brand="Velora",
        description="T-shirt col rond en coton biologique, coupe droite.",
        variant_group_reference="TSH-BIO",
        attributes=[
            AttributeIn("20001", [colour]),
            AttributeIn("20002", [size]),
            AttributeIn("20005", ["Homme"]),
            AttributeIn("20004", ["Coton"]),
        ],
        seller_picture_urls=_pictures(f"tshirt-{colour.lower()}"),
    )


# Products of the demo sellers, so that offers have something to sell.
DEMO_PRODUCTS: dict[str, list[ProductIn]] = {
    "98979": [
        ProductIn(
            gtin=_gtin(1),
            seller_product_reference="LAP-14-PRO",
            language="fr-FR",
            category_code="010103",
            title="Ordinateur portable 14 pouces 16 Go 512 Go",
            brand="Soltek",
            description="Ordinateur portable léger, écran 14 pouces, 16 Go de RAM et SSD de 512 Go.",
            attributes=[
                AttributeIn("10001", ["Soltek Air 14"]),
                AttributeIn("30001", ["14"]),
                AttributeIn("30002", ["Windows"]),
                AttributeIn("30004", ["512"]),
                AttributeIn("30005", ["16"]),
                AttributeIn("30003", ["Wi-Fi", "Bluetooth", "USB-C"]),
            ],
            seller_picture_urls=_pictures("laptop-14", 3),
        ),
        ProductIn(
            gtin=_gtin(2),
            seller_product_reference="PHN-6-128",
            language="fr-FR",
            category_code="020102",
            title="Smartphone 6,1 pouces 128 Go noir",
            brand="Kalvo",
            description="Smartphone 5G, écran 6,1 pouces, 128 Go de stockage.",
            attributes=[
                AttributeIn("10001", ["Kalvo One"]),
                AttributeIn("30002", ["Android"]),
                AttributeIn("30004", ["128"]),
                AttributeIn("30001", ["6.1"]),
                AttributeIn("30003", ["5G", "NFC"]),
                AttributeIn("10005", ["Noir"]),
            ],
            seller_picture_urls=_pictures("phone-6"),
        ),
        ProductIn(
            gtin=_gtin(3),
            seller_product_reference="WSH-8KG",
            language="fr-FR",
            category_code="030102",
            title="Lave-linge hublot 8 kg",
            brand="Nortek",
            description="Lave-linge frontal 8 kg, 1400 tours par minute, classe A.",
            attributes=[
                AttributeIn("10001", ["Nortek W8"]),
                AttributeIn("40001", ["A"]),
                AttributeIn("40002", files=["https://docs.comptoir.example/nortek-w8-energie.pdf"]),
                AttributeIn("40003", ["2000"]),
                AttributeIn("40004", ["56"]),
                AttributeIn("10003", ["68"]),
            ],
            seller_picture_urls=_pictures("washer-8"),
        ),
        ProductIn(
            gtin=_gtin(4),
            seller_product_reference="LMP-ARC",
            language="fr-FR",
            category_code="040302",
            title="Lampadaire arc en métal noir",
            brand="Lumora",
            description="Lampadaire arc, pied en marbre, abat-jour en métal.",
            attributes=[
                AttributeIn("50001", ["180 x 40 x 200"]),
                AttributeIn("10005", ["Noir"]),
                AttributeIn("50002", ["Industriel"]),
            ],
            seller_picture_urls=_pictures("lamp-arc"),
        ),
        _shirt(5, "Blanc", "M"),
        _shirt(6, "Blanc", "L"),
        _shirt(7, "Noir", "M"),
        ProductIn(
            gtin=_gtin(8),
            seller_product_reference="BK-ROMAN-1",
            language="fr-FR",
            category_code="100101",
            title="Le Comptoir des rêves - roman",
            brand=None,
            description="Un roman sur un marché qui ne dort jamais.",
            attributes=[
                AttributeIn("60003", ["Camille Durand"]),
                AttributeIn("60005", ["Français"]),
                AttributeIn("60004", ["Éditions du Comptoir"]),
                AttributeIn("60006", ["Broché"]),
            ],
            seller_picture_urls=_pictures("book-roman", 1),
        ),
        ProductIn(
            gtin=domain.with_check_digit("0012345678901"),
            seller_product_reference="TOY-BLK-US",
            language="en-US",
            category_code="090301",
            title="Wooden building blocks, 100 pieces",
            brand="Juntek",
            description="A box of 100 beech wood blocks.",
            attributes=[AttributeIn("60001", ["3"]), AttributeIn("20004", ["Bois"])],
            seller_picture_urls=_pictures("blocks"),
        ),
    ],
    "12345": [
        ProductIn(
            gtin=_gtin(101),
            seller_product_reference="RUN-42-BL",
            language="fr-FR",
            category_code="060402",
            title="Chaussures de running bleues pointure 42",
            brand="Zelon",
            description="Chaussures de course légères, semelle amortissante.",
            variant_group_reference="RUN-AIR",
            attributes=[
                AttributeIn("20001", ["Bleu"]),
                AttributeIn("20003", ["42"]),
                AttributeIn("20005", ["Homme"]),
                AttributeIn("20004", ["Polyester"]),
            ],
            seller_picture_urls=_pictures("run-blue"),
        ),
        ProductIn(
            gtin=_gtin(102),
            seller_product_reference="RUN-43-BL",
            language="fr-FR",
            category_code="060402",
            title="Chaussures de running bleues pointure 43",
            brand="Zelon",
            description="Chaussures de course légères, semelle amortissante.",
            variant_group_reference="RUN-AIR",
            attributes=[
                AttributeIn("20001", ["Bleu"]),
                AttributeIn("20003", ["43"]),
                AttributeIn("20005", ["Homme"]),
                AttributeIn("20004", ["Polyester"]),
            ],
            seller_picture_urls=_pictures("run-blue"),
        ),
        ProductIn(
            gtin=_gtin(103),
            seller_product_reference="BBQ-CHAR",
            language="fr-FR",
            category_code="080401",
            title="Barbecue à charbon 57 cm",
            brand="Galwood",
            description="Barbecue à charbon avec couvercle, grille de 57 cm.",
            attributes=[AttributeIn("50001", ["65 x 57 x 100"]), AttributeIn("50003", ["Extérieur"])],
            seller_picture_urls=_pictures("bbq"),
        ),
        ProductIn(
            gtin=_gtin(104),
            seller_product_reference="PRF-50",
            language="es-ES",
            category_code="120101",
            title="Eau de parfum floral 50 ml",
            brand="Rosia",
            description="Perfume floral con notas de jazmín.",
            attributes=[AttributeIn("80001", ["50"]), AttributeIn("80002", ["Normale"])],
            seller_picture_urls=_pictures("perfume"),
        ),
    ],
}


def seed_referential(session: Session) -> None:
    """Adds the referential when there is none yet."""
    if session.scalar(select(Category.reference).limit(1)) is None:
        properties, categories, brands = referential_rows()
        session.execute(insert(table(Property)), properties)
        session.execute(insert(table(Category)), categories)
        session.execute(insert(table(Brand)), brands)


def seed(session: Session) -> None:
    """Adds the referential when there is none yet, and the demo products that are missing."""
    seed_referential(session)
    wanted = [(seller_id, p) for seller_id, products in DEMO_PRODUCTS.items() for p in products]
    present = set(session.scalars(select(Product.gtin).where(Product.gtin.in_([p.gtin for _, p in wanted]))))
    _insert_checked(session, [(seller_id, p) for seller_id, p in wanted if p.gtin not in present])


def _insert_checked(
    session: Session, products: list[tuple[str, ProductIn]], now: datetime | None = None
) -> None:
    """Writes products that pass the same checks as submitted ones (which compute their completeness)."""
    if not products:
        return
    context = checks_context(session, [p for _, p in products], known={})
    rows = []
    for seller_id, product in products:
        verdict = check_product(product, seller_id=seller_id, context=context)
        if verdict.errors:
            raise ValueError(f"demo product {product.gtin} does not pass the checks: {verdict.errors}")
        rows.append(product_row(verdict.content, product.gtin or "", seller_id, verdict.completeness, None))
    insert_products(session, rows, now)


# What a busy seller sells: the demo seller's French products that are no variants, in many editions.
CATALOGUE_TEMPLATES = [DEMO_PRODUCTS["98979"][i] for i in (0, 1, 2, 3, 7)]
EDITIONS = (
    "Édition 2024",
    "Édition 2025",
    "Série limitée",
    "Pack éco",
    "Reconditionné premium",
    "Version pro",
)
FIRST_CATALOGUE_GTIN = 100_000


def seed_seller_products(
    session: Session, rng: random.Random, seller_id: str, count: int, at: datetime
) -> list[str]:
    """`count` products of `seller_id` drawn from `rng`, created at `at`; their GTINs, which follow
    the demo's."""
    products = []
    for n in range(count):
        template = rng.choice(CATALOGUE_TEMPLATES)
        edition = rng.choice(EDITIONS)
        products.append(
            msgspec.structs.replace(
                template,
                gtin=_gtin(FIRST_CATALOGUE_GTIN + n),
                seller_product_reference=f"{template.seller_product_reference}-{n:05d}",
                title=f"{template.title} - {edition} n°{n + 1}",
            )
        )
    _insert_checked(session, [(seller_id, p) for p in products], at)
    return [p.gtin or "" for p in products]
