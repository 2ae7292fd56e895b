"""The human-readable messages of orders, by code and language (see `platform.languages`)."""

from __future__ import annotations

from collections.abc import Mapping

from comptoir.platform.languages import Texts, localized

# Why the marketplace controls rejected an order line; `{mode}` is the delivery mode asked for.
REJECTION_REASONS: dict[str, Texts] = {
    "OfferNotFound": {
        "en-US": "The offer does not exist on this sales channel.",
        "fr-FR": "L'offre n'existe pas sur ce canal de vente.",
        "es-ES": "La oferta no existe en este canal de venta.",
    },
    "OfferInactive": {
        "en-US": "The offer is not active.",
        "fr-FR": "L'offre n'est pas active.",
        "es-ES": "La oferta no está activa.",
    },
    "DeliveryModeNotOffered": {
        "en-US": "The offer is not delivered by {mode}.",
        "fr-FR": "L'offre n'est pas livrée par le mode de livraison {mode}.",
        "es-ES": "La oferta no se entrega con el modo de entrega {mode}.",
    },
    "OutOfStock": {
        "en-US": "Not enough stock for this quantity.",
        "fr-FR": "Stock insuffisant pour cette quantité.",
        "es-ES": "No hay stock suficiente para esta cantidad.",
    },
    "ControlsUnavailable": {
        "en-US": "The marketplace controls could not be run.",
        "fr-FR": "Les contrôles de la place de marché n'ont pas pu être effectués.",
        "es-ES": "No se han podido realizar los controles del marketplace.",
    },
}


def rejection_message(code: str, language: str, args: Mapping[str, str] | None = None) -> str | None:
    """The reason in that language; None for a code the catalogue does not know."""
    texts = REJECTION_REASONS.get(code)
    return None if texts is None else localized(texts, language, args)
