"""The human-readable messages of offer results, by key and language (see `platform.languages`).

A result is kept as its code, its message key and the arguments of its text (`schemas.StoredResult`);
the text is written in the reader's language when results are read. Results kept before messages
were localised hold their English text where the key goes: a text that is no key is shown as it is.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from comptoir.offers import schemas as s
from comptoir.platform.languages import Texts, localized

TEXTS: dict[str, Texts] = {
    # What became of the offer
    "offer_created": {"en-US": "Offer created", "fr-FR": "Offre créée", "es-ES": "Oferta creada"},
    "offer_updated": {"en-US": "Offer updated", "fr-FR": "Offre mise à jour", "es-ES": "Oferta actualizada"},
    "offer_deleted": {"en-US": "Offer deleted", "fr-FR": "Offre supprimée", "es-ES": "Oferta eliminada"},
    "quantity_from_warehouse": {
        "en-US": "The offer is stocked by the Octopia warehouses: its quantity is theirs ({quantity}), "
        "the quantity sent was not applied.",
        "fr-FR": "L'offre est stockée dans les entrepôts Octopia : sa quantité est la leur ({quantity}), "
        "la quantité envoyée n'a pas été appliquée.",
        "es-ES": "La oferta está almacenada en los almacenes de Octopia: su cantidad es la de ellos "
        "({quantity}), la cantidad enviada no se ha aplicado.",
    },
    "offer_not_found": {
        "en-US": "No offer has this sellerExternalReference on this channel.",
        "fr-FR": "Aucune offre n'a ce sellerExternalReference sur ce canal.",
        "es-ES": "Ninguna oferta tiene este sellerExternalReference en este canal.",
    },
    "reference_twice": {
        "en-US": "This sellerExternalReference is in the package more than once.",
        "fr-FR": "Ce sellerExternalReference figure plusieurs fois dans le paquet.",
        "es-ES": "Este sellerExternalReference aparece más de una vez en el paquete.",
    },
    "reference_invalid": {
        "en-US": "sellerExternalReference must be 1 to 50 letters, digits, spaces or "
        "{{ }} @ % ; $ = [ ] / , - ( ) ' \" \\ & ! # ^ ? _ + : . characters.",
        "fr-FR": "sellerExternalReference doit compter de 1 à 50 lettres, chiffres, espaces ou caractères "
        "{{ }} @ % ; $ = [ ] / , - ( ) ' \" \\ & ! # ^ ? _ + : .",
        "es-ES": "sellerExternalReference debe tener de 1 a 50 letras, dígitos, espacios o caracteres "
        "{{ }} @ % ; $ = [ ] / , - ( ) ' \" \\ & ! # ^ ? _ + : .",
    },
    "field_required": {
        "en-US": "{field} is required.",
        "fr-FR": "{field} est obligatoire.",
        "es-ES": "{field} es obligatorio.",
    },
    # The product
    "product_required": {
        "en-US": "product.gtin or product.reference is required.",
        "fr-FR": "product.gtin ou product.reference est obligatoire.",
        "es-ES": "product.gtin o product.reference es obligatorio.",
    },
    "gtin_13_digits": {
        "en-US": "The GTIN '{gtin}' must be 13 digits on {channel}.",
        "fr-FR": "Le GTIN '{gtin}' doit comporter 13 chiffres sur {channel}.",
        "es-ES": "El GTIN '{gtin}' debe tener 13 dígitos en {channel}.",
    },
    "gtin_8_to_14_digits": {
        "en-US": "The GTIN '{gtin}' must be 8 to 14 digits.",
        "fr-FR": "Le GTIN '{gtin}' doit comporter de 8 à 14 chiffres.",
        "es-ES": "El GTIN '{gtin}' debe tener de 8 a 14 dígitos.",
    },
    "unknown_gtin": {
        "en-US": "No integrated product has the GTIN {gtin}.",
        "fr-FR": "Aucun produit intégré n'a le GTIN {gtin}.",
        "es-ES": "Ningún producto integrado tiene el GTIN {gtin}.",
    },
    "unknown_product_reference": {
        "en-US": "No integrated product has the reference {reference}.",
        "fr-FR": "Aucun produit intégré n'a la référence {reference}.",
        "es-ES": "Ningún producto integrado tiene la referencia {reference}.",
    },
    "gtin_and_reference_differ": {
        "en-US": "product.gtin and product.reference name different products.",
        "fr-FR": "product.gtin et product.reference désignent des produits différents.",
        "es-ES": "product.gtin y product.reference designan productos distintos.",
    },
    "product_language_not_on_channel": {
        "en-US": "Only {language} products can be sold on {channel}.",
        "fr-FR": "Seuls les produits {language} peuvent être vendus sur {channel}.",
        "es-ES": "Solo los productos {language} pueden venderse en {channel}.",
    },
    "product_changed": {
        "en-US": "The product of an existing offer cannot change; delete it first.",
        "fr-FR": "Le produit d'une offre existante ne peut pas changer : supprimez-la d'abord.",
        "es-ES": "El producto de una oferta existente no puede cambiar: elimínela primero.",
    },
    "condition_changed": {
        "en-US": "The condition of an existing offer cannot change; delete it first.",
        "fr-FR": "L'état d'une offre existante ne peut pas changer : supprimez-la d'abord.",
        "es-ES": "El estado de una oferta existente no puede cambiar: elimínela primero.",
    },
    "product_condition_taken": {
        "en-US": "The offer '{reference}' already sells this product in this condition on this channel.",
        "fr-FR": "L'offre '{reference}' vend déjà ce produit dans cet état sur ce canal.",
        "es-ES": "La oferta '{reference}' ya vende este producto en este estado en este canal.",
    },
    "condition_unknown": {
        "en-US": "Unknown condition '{condition}': use {conditions}.",
        "fr-FR": "État inconnu '{condition}' : utilisez {conditions}.",
        "es-ES": "Estado desconocido '{condition}': utilice {conditions}.",
    },
    # Prices and taxes
    "amount_above_zero": {
        "en-US": "{field} must be above 0 and at most {max}.",
        "fr-FR": "{field} doit être supérieur à 0 et au plus {max}.",
        "es-ES": "{field} debe ser mayor que 0 y como máximo {max}.",
    },
    "amount_zero_or_more": {
        "en-US": "{field} must be 0 or more and at most {max}.",
        "fr-FR": "{field} doit être positif ou nul et au plus {max}.",
        "es-ES": "{field} debe ser 0 o más y como máximo {max}.",
    },
    "currency_wrong": {
        "en-US": "Prices on {channel} are in {currency}, not {given}.",
        "fr-FR": "Les prix sur {channel} sont en {currency}, pas en {given}.",
        "es-ES": "Los precios en {channel} están en {currency}, no en {given}.",
    },
    "origin_price_below_price": {
        "en-US": "originPrice (strike-through price) must not be below price.",
        "fr-FR": "originPrice (prix barré) ne doit pas être inférieur à price.",
        "es-ES": "originPrice (precio tachado) no debe ser inferior a price.",
    },
    "alignment_minimum_above_price": {
        "en-US": "The minimum price for alignment is above the price.",
        "fr-FR": "Le prix minimum d'alignement est supérieur au prix.",
        "es-ES": "El precio mínimo de alineación es superior al precio.",
    },
    "tax_unknown": {
        "en-US": "Unknown tax code '{tax}': use VAT, EcoTax or DeaTax.",
        "fr-FR": "Code de taxe inconnu '{tax}' : utilisez VAT, EcoTax ou DeaTax.",
        "es-ES": "Código de impuesto desconocido '{tax}': utilice VAT, EcoTax o DeaTax.",
    },
    "tax_twice": {
        "en-US": "The tax {tax} is given twice.",
        "fr-FR": "La taxe {tax} est donnée deux fois.",
        "es-ES": "El impuesto {tax} se indica dos veces.",
    },
    "tax_is_a_rate": {
        "en-US": "The tax {tax} is a Rate, not '{type}'.",
        "fr-FR": "La taxe {tax} est un taux (Rate), pas '{type}'.",
        "es-ES": "El impuesto {tax} es un tipo (Rate), no '{type}'.",
    },
    "tax_is_an_amount": {
        "en-US": "The tax {tax} is an Amount, not '{type}'.",
        "fr-FR": "La taxe {tax} est un montant (Amount), pas '{type}'.",
        "es-ES": "El impuesto {tax} es un importe (Amount), no '{type}'.",
    },
    "vat_rate_range": {
        "en-US": "The VAT rate must be between 0 and 100 percent.",
        "fr-FR": "Le taux de TVA doit être compris entre 0 et 100 %.",
        "es-ES": "El tipo de IVA debe estar entre 0 y 100 %.",
    },
    "vat_required": {
        "en-US": "The tax list must contain the VAT rate.",
        "fr-FR": "La liste des taxes doit contenir le taux de TVA.",
        "es-ES": "La lista de impuestos debe contener el tipo de IVA.",
    },
    # Stock, delivery and packaging
    "quantity_range": {
        "en-US": "quantity must be 0 to {max}.",
        "fr-FR": "quantity doit être comprise entre 0 et {max}.",
        "es-ES": "quantity debe estar entre 0 y {max}.",
    },
    "stock_or_price_required": {
        "en-US": "Stock or Price is required.",
        "fr-FR": "Stock ou Price est obligatoire.",
        "es-ES": "Stock o Price es obligatorio.",
    },
    "delivery_mode_required": {
        "en-US": "deliveryModes (at least one) is required.",
        "fr-FR": "deliveryModes (au moins un) est obligatoire.",
        "es-ES": "deliveryModes (al menos uno) es obligatorio.",
    },
    "delivery_mode_not_the_sellers": {
        "en-US": "The delivery mode '{mode}' is not one of the seller's modes on {channel} ({allowed}).",
        "fr-FR": "Le mode de livraison '{mode}' ne fait pas partie des modes du vendeur sur {channel} "
        "({allowed}).",
        "es-ES": "El modo de entrega '{mode}' no es uno de los modos del vendedor en {channel} ({allowed}).",
    },
    "seller_has_no_delivery_mode": {
        "en-US": "The delivery mode '{mode}' is not one of the seller's modes on {channel} (none).",
        "fr-FR": "Le mode de livraison '{mode}' ne fait pas partie des modes du vendeur sur {channel} "
        "(il n'en a aucun).",
        "es-ES": "El modo de entrega '{mode}' no es uno de los modos del vendedor en {channel} "
        "(no tiene ninguno).",
    },
    "delivery_mode_twice": {
        "en-US": "The delivery mode {mode} is given twice.",
        "fr-FR": "Le mode de livraison {mode} est donné deux fois.",
        "es-ES": "El modo de entrega {mode} se indica dos veces.",
    },
    "delivery_cost_range": {
        "en-US": "The cost of {mode} must be 0 or more and at most {max}.",
        "fr-FR": "Le coût de {mode} doit être positif ou nul et au plus {max}.",
        "es-ES": "El coste de {mode} debe ser 0 o más y como máximo {max}.",
    },
    "additional_cost_range": {
        "en-US": "The additional cost of {mode} must be 0 or more and at most {max}.",
        "fr-FR": "Le coût additionnel de {mode} doit être positif ou nul et au plus {max}.",
        "es-ES": "El coste adicional de {mode} debe ser 0 o más y como máximo {max}.",
    },
    "preparation_time_range": {
        "en-US": "preparationTime must be {low} to {high} days.",
        "fr-FR": "preparationTime doit être de {low} à {high} jours.",
        "es-ES": "preparationTime debe ser de {low} a {high} días.",
    },
    "packaging_unit_length": {
        "en-US": "ProductPackagingUnit takes 1 to {max} characters.",
        "fr-FR": "ProductPackagingUnit compte de 1 à {max} caractères.",
        "es-ES": "ProductPackagingUnit admite de 1 a {max} caracteres.",
    },
    "packaging_value_positive": {
        "en-US": "ProductPackagingValue must be above 0.",
        "fr-FR": "ProductPackagingValue doit être supérieur à 0.",
        "es-ES": "ProductPackagingValue debe ser mayor que 0.",
    },
    # Commercial operations
    "discounts_cdiscount_only": {
        "en-US": "Commercial operations are only possible on {channel}.",
        "fr-FR": "Les opérations commerciales ne sont possibles que sur {channel}.",
        "es-ES": "Las operaciones comerciales solo son posibles en {channel}.",
    },
    "discount_unknown": {
        "en-US": "Unknown discount type or unit.",
        "fr-FR": "Type ou unité de remise inconnu.",
        "es-ES": "Tipo o unidad de descuento desconocido.",
    },
    "discount_value_range": {
        "en-US": "A discount value must be above 0 (and below 100 percent).",
        "fr-FR": "La valeur d'une remise doit être supérieure à 0 (et inférieure à 100 %).",
        "es-ES": "El valor de un descuento debe ser mayor que 0 (e inferior al 100 %).",
    },
    "discount_dates": {
        "en-US": "A discount must end after it starts.",
        "fr-FR": "Une remise doit se terminer après son début.",
        "es-ES": "Un descuento debe terminar después de empezar.",
    },
    "discount_amount_above_price": {
        "en-US": "A discount amount must be below the price.",
        "fr-FR": "Le montant d'une remise doit être inférieur au prix.",
        "es-ES": "El importe de un descuento debe ser inferior al precio.",
    },
    # Offers.xml attributes
    "xml_value_invalid": {
        "en-US": "{field} '{value}' is not valid.",
        "fr-FR": "{field} '{value}' n'est pas valide.",
        "es-ES": "{field} '{value}' no es válido.",
    },
    "xml_shipping_information": {
        "en-US": "ShippingInformation needs DeliveryMode and ShippingCharges.",
        "fr-FR": "ShippingInformation doit contenir DeliveryMode et ShippingCharges.",
        "es-ES": "ShippingInformation debe contener DeliveryMode y ShippingCharges.",
    },
    "xml_discount_component": {
        "en-US": "DiscountComponent needs a known DiscountUnit, Type and DiscountValue.",
        "fr-FR": "DiscountComponent doit contenir un DiscountUnit, un Type et un DiscountValue connus.",
        "es-ES": "DiscountComponent debe contener un DiscountUnit, un Type y un DiscountValue conocidos.",
    },
    # A package refused as a whole
    "channel_not_open": {
        "en-US": "The sales channel {channel} is not open.",
        "fr-FR": "Le canal de vente {channel} n'est pas ouvert.",
        "es-ES": "El canal de venta {channel} no está abierto.",
    },
    "not_subscribed": {
        "en-US": "You are not subscribed to the sales channel {channel}.",
        "fr-FR": "Vous n'êtes pas abonné au canal de vente {channel}.",
        "es-ES": "No está suscrito al canal de venta {channel}.",
    },
}


def text(key: str, language: str, args: Iterable[tuple[str, str]] = ()) -> str:
    """The text of a message key in the language; a text kept before localisation, as it is."""
    texts = TEXTS.get(key)
    return key if texts is None else localized(texts, language, dict(args))


@functools.lru_cache(maxsize=8192)
def result_out(stored: s.StoredResult, language: str) -> s.ResultOut:
    # Most results are the same few (8000 Offer created...): each is written once per language.
    return s.ResultOut(result_code=stored.result_code, message=text(stored.message, language, stored.args))


def results_out(stored: Sequence[s.StoredResult], language: str) -> list[s.ResultOut]:
    return [result_out(result, language) for result in stored]
