"""The human-readable texts of product integration reports, by key and language.

Production localises report messages by `Accept-Language` (`platform.languages`: fr-FR, en-US,
es-ES; English when the header is absent or names none of them). So a report item stores each
message as its key and arguments, and the text is written in the reader's language when a report
or a product is read.
The French text of `not_a_choice` is the one production shows (seed 000).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from comptoir.catalog import schemas as s
from comptoir.platform.languages import Texts, localized

TEXTS: dict[str, Texts] = {
    # The GTIN and the package
    "gtin_required": {
        "en-US": "The GTIN is required.",
        "fr-FR": "Le GTIN est obligatoire.",
        "es-ES": "El GTIN es obligatorio.",
    },
    "gtin_digits": {
        "en-US": "The GTIN must contain digits only.",
        "fr-FR": "Le GTIN ne doit contenir que des chiffres.",
        "es-ES": "El GTIN solo debe contener dígitos.",
    },
    "gtin_length": {
        "en-US": "The GTIN must have 8, 12, 13 or 14 digits.",
        "fr-FR": "Le GTIN doit comporter 8, 12, 13 ou 14 chiffres.",
        "es-ES": "El GTIN debe tener 8, 12, 13 o 14 dígitos.",
    },
    "gtin_check_digit": {
        "en-US": "The GTIN check digit is wrong: it should be {expected}.",
        "fr-FR": "La clé de contrôle du GTIN est erronée : elle devrait être {expected}.",
        "es-ES": "El dígito de control del GTIN es incorrecto: debería ser {expected}.",
    },
    "gtin_twice": {
        "en-US": "This GTIN appears more than once in the package.",
        "fr-FR": "Ce GTIN figure plusieurs fois dans le paquet.",
        "es-ES": "Este GTIN aparece más de una vez en el paquete.",
    },
    "not_allowed_to_edit": {
        "en-US": "This product already exists and is managed by another seller: it was left unchanged. "
        "You can still sell offers on it.",
        "fr-FR": "Ce produit existe déjà et est géré par un autre vendeur : il n'a pas été modifié. "
        "Vous pouvez tout de même vendre des offres sur ce produit.",
        "es-ES": "Este producto ya existe y lo gestiona otro vendedor: no se ha modificado. "
        "Aun así, puede vender ofertas de este producto.",
    },
    "package_refused": {
        "en-US": "The platform refused this product's package: submit the product again.",
        "fr-FR": "La plateforme a refusé le paquet de ce produit : soumettez de nouveau le produit.",
        "es-ES": "La plataforma ha rechazado el paquete de este producto: vuelva a enviar el producto.",
    },
    "quota_exceeded": {
        "en-US": "The quota of {quota} product creations per hour is reached: "
        "submit this product again later.",
        "fr-FR": "Le quota de {quota} créations de produits par heure est atteint : "
        "soumettez de nouveau ce produit plus tard.",
        "es-ES": "Se ha alcanzado la cuota de {quota} creaciones de productos por hora: "
        "vuelva a enviar este producto más tarde.",
    },
    # Language
    "language_unsupported": {
        "en-US": "The language must be en-US, fr-FR or es-ES.",
        "fr-FR": "La langue doit être en-US, fr-FR ou es-ES.",
        "es-ES": "El idioma debe ser en-US, fr-FR o es-ES.",
    },
    "not_on_cdiscount": {
        "en-US": "Only fr-FR products are sold on Cdiscount (CDISFR).",
        "fr-FR": "Seuls les produits fr-FR sont vendus sur Cdiscount (CDISFR).",
        "es-ES": "Solo los productos fr-FR se venden en Cdiscount (CDISFR).",
    },
    # Category and brand
    "category_required": {
        "en-US": "The category code is required.",
        "fr-FR": "Le code catégorie est obligatoire.",
        "es-ES": "El código de categoría es obligatorio.",
    },
    "category_unknown": {
        "en-US": "Category {category} does not exist.",
        "fr-FR": "La catégorie {category} n'existe pas.",
        "es-ES": "La categoría {category} no existe.",
    },
    "category_not_leaf": {
        "en-US": "Category {category} is not a level-3 category.",
        "fr-FR": "La catégorie {category} n'est pas une catégorie de niveau 3.",
        "es-ES": "La categoría {category} no es una categoría de nivel 3.",
    },
    "category_closed": {
        "en-US": "Category {category} is closed to new products.",
        "fr-FR": "La catégorie {category} est fermée aux nouveaux produits.",
        "es-ES": "La categoría {category} está cerrada a nuevos productos.",
    },
    "brand_required": {
        "en-US": "A brand is mandatory in this category.",
        "fr-FR": "Une marque est obligatoire dans cette catégorie.",
        "es-ES": "La marca es obligatoria en esta categoría.",
    },
    "brand_unknown": {
        "en-US": "Brand '{brand}' is not in the brand referential (GET /brands).",
        "fr-FR": "La marque '{brand}' n'est pas dans le référentiel des marques (GET /brands).",
        "es-ES": "La marca '{brand}' no está en el referencial de marcas (GET /brands).",
    },
    # Properties and variants
    "property_twice": {
        "en-US": "This property is given more than once.",
        "fr-FR": "Cette propriété est renseignée plusieurs fois.",
        "es-ES": "Esta propiedad se indica más de una vez.",
    },
    "property_unknown": {
        "en-US": "Category {category} has no property {reference}: it was kept but not checked.",
        "fr-FR": "La catégorie {category} n'a pas de propriété {reference} : "
        "elle a été conservée sans être contrôlée.",
        "es-ES": "La categoría {category} no tiene la propiedad {reference}: "
        "se ha conservado sin comprobarla.",
    },
    "property_mandatory": {
        "en-US": "This property is mandatory.",
        "fr-FR": "Cette propriété est obligatoire.",
        "es-ES": "Esta propiedad es obligatoria.",
    },
    "property_recommended": {
        "en-US": "This property is recommended.",
        "fr-FR": "Cette propriété est recommandée.",
        "es-ES": "Esta propiedad es recomendada.",
    },
    "variant_group_required": {
        "en-US": "Category {category} holds variant products: variantGroupReference is required.",
        "fr-FR": "La catégorie {category} contient des produits à variantes : "
        "variantGroupReference est obligatoire.",
        "es-ES": "La categoría {category} contiene productos con variantes: "
        "variantGroupReference es obligatorio.",
    },
    "files_not_values": {
        "en-US": "This property takes file URLs in files, not values.",
        "fr-FR": "Cette propriété attend des URL de fichiers dans files, pas des valeurs.",
        "es-ES": "Esta propiedad admite URL de archivos en files, no valores.",
    },
    "values_not_files": {
        "en-US": "This property takes values, not files.",
        "fr-FR": "Cette propriété attend des valeurs, pas des fichiers.",
        "es-ES": "Esta propiedad admite valores, no archivos.",
    },
    "file_url": {
        "en-US": "The file URL must be an absolute http(s) URL.",
        "fr-FR": "L'URL du fichier doit être une URL http(s) absolue.",
        "es-ES": "La URL del archivo debe ser una URL http(s) absoluta.",
    },
    "file_format": {
        "en-US": "Accepted file formats: {accepted}.",
        "fr-FR": "Formats de fichier acceptés : {accepted}.",
        "es-ES": "Formatos de archivo aceptados: {accepted}.",
    },
    "single_value": {
        "en-US": "This property takes a single value.",
        "fr-FR": "Cette propriété n'accepte qu'une seule valeur.",
        "es-ES": "Esta propiedad solo admite un valor.",
    },
    "empty_value": {
        "en-US": "Values must not be empty.",
        "fr-FR": "Les valeurs ne doivent pas être vides.",
        "es-ES": "Los valores no deben estar vacíos.",
    },
    "not_a_choice": {
        "en-US": "The field must contain at least one correct value: "
        "'{value}' is not an allowed value (see GET /properties/{reference}).",
        "fr-FR": "Le champ doit contenir au moins une valeur correcte : "
        "'{value}' n'est pas une valeur autorisée (voir GET /properties/{reference}).",
        "es-ES": "El campo debe contener al menos un valor correcto: "
        "'{value}' no es un valor permitido (véase GET /properties/{reference}).",
    },
    "not_a_number": {
        "en-US": "'{value}' is not a number.",
        "fr-FR": "'{value}' n'est pas un nombre.",
        "es-ES": "'{value}' no es un número.",
    },
    # The shape of fields
    "unknown_field": {
        "en-US": "This field is not part of the product model: it was ignored.",
        "fr-FR": "Ce champ ne fait pas partie du modèle produit : il a été ignoré.",
        "es-ES": "Este campo no forma parte del modelo de producto: se ha ignorado.",
    },
    "wrong_type": {
        "en-US": "{detail}",
        "fr-FR": "La valeur n'a pas le type attendu ({detail}).",
        "es-ES": "El valor no tiene el tipo esperado ({detail}).",
    },
    "text_required": {
        "en-US": "{field} is required.",
        "fr-FR": "{field} est obligatoire.",
        "es-ES": "{field} es obligatorio.",
    },
    "too_long": {
        "en-US": "{field} has {length} characters; the maximum is {limit}.",
        "fr-FR": "{field} comporte {length} caractères ; le maximum est {limit}.",
        "es-ES": "{field} tiene {length} caracteres; el máximo es {limit}.",
    },
    "no_picture": {
        "en-US": "No picture: the product page will have none.",
        "fr-FR": "Aucune image : la fiche produit n'en aura pas.",
        "es-ES": "Sin imagen: la ficha del producto no tendrá ninguna.",
    },
    "picture_index": {
        "en-US": "Picture indexes start at 1.",
        "fr-FR": "Les index des images commencent à 1.",
        "es-ES": "Los índices de las imágenes empiezan en 1.",
    },
    "picture_twice": {
        "en-US": "Picture index {index} is given twice.",
        "fr-FR": "L'index d'image {index} est donné deux fois.",
        "es-ES": "El índice de imagen {index} se indica dos veces.",
    },
    "picture_url": {
        "en-US": "The picture URL must be an absolute http(s) URL.",
        "fr-FR": "L'URL de l'image doit être une URL http(s) absolue.",
        "es-ES": "La URL de la imagen debe ser una URL http(s) absoluta.",
    },
}


def text(stored: dict[str, Any], language: str) -> str:
    """A stored message's text; reports written before messages were localised kept English text."""
    key = stored.get("key")
    if key is None:
        return str(stored.get("message", ""))
    texts = TEXTS.get(key)
    if texts is None:
        return str(key)
    return localized(texts, language, stored.get("args"))


def rendered(stored: Iterable[dict[str, Any]], language: str) -> list[s.Message]:
    return [
        s.Message(code=m["code"], field=m["field"], message=text(m, language), type=m["type"]) for m in stored
    ]
