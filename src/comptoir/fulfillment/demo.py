"""Demo data of fulfillment: seller 98979 may store in the French and Spanish warehouses. Idempotent."""

from __future__ import annotations

from sqlalchemy.orm import Session

from comptoir.fulfillment.models import StorageCountry

STORAGE_COUNTRIES = {"98979": ("FR", "ES")}


def seed(session: Session) -> None:
    for seller_id, countries in STORAGE_COUNTRIES.items():
        for country in countries:
            if session.get(StorageCountry, (seller_id, country)) is None:
                session.add(StorageCountry(seller_id=seller_id, country=country))
    session.flush()
