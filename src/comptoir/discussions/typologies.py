"""The sub-typologies of spec 13: why a discussion is opened, by who may open it and in which order
statuses. Pure: no database, no HTTP."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from comptoir.discussions.domain import CUSTOMER, CUSTOMER_SERVICE, SELLER
from comptoir.errors import ValidationFailed

ORDER, PRODUCT = "Order", "Product"
TYPOLOGIES = (ORDER, PRODUCT)


@dataclass(frozen=True)
class SubTypology:
    typology: str
    code: str
    label: str
    user_types: frozenset[str]
    # Order statuses it applies in; empty for product questions, asked before any order.
    statuses: frozenset[str]


def _sub(typology: str, code: str, label: str, users: Iterable[str], statuses: Iterable[str]) -> SubTypology:
    return SubTypology(typology, code, label, frozenset(users), frozenset(statuses))


# The documented customer codes with their statuses, customer service allowed the same ones on the
# customer's behalf; the seller's own (the seed's `broken-product` among them) are ours.
A, P, S, D, C = "Accepted", "InPreparation", "Shipped", "Delivered", "Cancelled"
BUYER = (CUSTOMER, CUSTOMER_SERVICE)
SUB_TYPOLOGIES: tuple[SubTypology, ...] = (
    _sub(ORDER, "missingItemInProduct", "Il manque un élément du produit", BUYER, [S, D]),
    _sub(ORDER, "missingProductsInOrder", "Il manque des produits dans ma commande", BUYER, [S, D]),
    _sub(ORDER, "orderCancellation", "Annulation de la commande", BUYER, [S, D]),
    _sub(ORDER, "orderModification", "Modification de la commande", BUYER, [S, D]),
    _sub(ORDER, "productIsDamaged", "Le produit est endommagé", BUYER, [S, D]),
    _sub(ORDER, "productIsNotWorking", "Le produit ne fonctionne pas", BUYER, [S, D]),
    _sub(ORDER, "wrongProductReceived", "J'ai reçu un autre produit", BUYER, [S, D]),
    _sub(ORDER, "orderNotShipped", "Ma commande n'est pas expédiée", BUYER, [A, P, S, D]),
    _sub(ORDER, "printReceipt", "Imprimer une facture", BUYER, [S, D, C]),
    _sub(ORDER, "parcelInvestigation", "Enquête colis auprès du transporteur", [CUSTOMER_SERVICE], [S]),
    _sub(ORDER, "productUnavailable", "Produit indisponible", [SELLER], [A, P]),
    _sub(ORDER, "addressConfirmation", "Confirmation de l'adresse de livraison", [SELLER], [A, P]),
    _sub(ORDER, "deliveryInformation", "Information sur la livraison", [SELLER], [P, S]),
    _sub(ORDER, "broken-product", "Produit cassé", [SELLER], [S, D]),
    _sub(ORDER, "returnInstructions", "Instructions de retour", [SELLER], [S, D]),
    # Before buying, only the customer asks.
    _sub(PRODUCT, "productInformation", "Question sur le produit", [CUSTOMER], []),
    _sub(PRODUCT, "productAvailability", "Disponibilité du produit", [CUSTOMER], []),
    _sub(PRODUCT, "deliveryConditions", "Conditions de livraison", [CUSTOMER], []),
)


def typology(value: str | None) -> str | None:
    """`Order` or `Product`, in any casing (an SDK sends `order`); None when not given."""
    if not value:
        return None
    for known in TYPOLOGIES:
        if value.lower() == known.lower():
            return known
    raise ValidationFailed.field("typologyCode", f"typologyCode must be one of {', '.join(TYPOLOGIES)}.")


def allowed(user_type: str, typology_code: str | None = None, status: str | None = None) -> list[SubTypology]:
    """What `user_type` may open a discussion for. An order status narrows the list to the order
    sub-typologies of that status, unless product questions (asked with no order) are asked for."""
    return [
        sub
        for sub in SUB_TYPOLOGIES
        if user_type in sub.user_types
        and (typology_code is None or sub.typology == typology_code)
        and (status is None or status in sub.statuses or (typology_code == PRODUCT and not sub.statuses))
    ]


def check(code: str, *, user_type: str, typology_code: str, status: str | None) -> SubTypology:
    """The sub-typology a new discussion names, valid for who opens it and the order's status."""
    valid = allowed(user_type, typology_code, status)
    for sub in valid:
        if sub.code == code:
            return sub
    where = f"a {status} order" if status else "a product"
    if not valid:
        message = f"A {user_type} cannot open a discussion on {where}."
    else:
        message = (
            f"{code!r} is not a sub-typology a {user_type} may use on {where}: "
            f"use {', '.join(s.code for s in valid)}."
        )
    raise ValidationFailed.field("subTypologyCode", message)
