"""The demo referential, generated deterministically.

The tree has 12 universes (level 1), 4 families each (level 2) and 8 segments per family (level 3):
444 categories, 384 of which take products. References are `UUFFSS` (universe, family, segment),
so `010201` is Computers > Desktop computers > Entry level. Production's references mix digits and
capital letters (`010H0R`); the ones its documentation shows as examples are added in the same
shape (`EXAMPLES`), so that requests copied from it answer. Rows are built once per process,
because tests re-seed before every test.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from comptoir.catalog import domain

MAN, REC, OPT = domain.Necessity.MANDATORY, domain.Necessity.RECOMMENDED, domain.Necessity.OPTIONAL
TEXT, NUMBER, LIST, FILE = domain.Kind.TEXT, domain.Kind.NUMBER, domain.Kind.LIST, domain.Kind.FILE

Labels = tuple[str, str, str]  # fr-FR, en-US, es-ES

COLOURS = (
    "Noir",
    "Blanc",
    "Gris",
    "Bleu",
    "Rouge",
    "Vert",
    "Jaune",
    "Rose",
    "Violet",
    "Orange",
    "Marron",
    "Beige",
)
SIZES = ("XS", "S", "M", "L", "XL", "XXL", "3XL", "4XL")


@dataclass(frozen=True)
class Prop:
    labels: Labels
    kind: domain.Kind
    # Choices of a List property, accepted formats of a File property.
    values: tuple[str, ...] = ()
    variation: bool = False
    size: bool = False
    multi: bool = False


PROPERTIES = {
    "10001": Prop(("Modèle", "Model", "Modelo"), TEXT),
    "10002": Prop(("Garantie (mois)", "Warranty (months)", "Garantía (meses)"), NUMBER),
    "10003": Prop(("Poids (kg)", "Weight (kg)", "Peso (kg)"), NUMBER),
    "10004": Prop(("Fiche produit", "Product sheet", "Ficha de producto"), FILE, ("pdf",)),
    "10005": Prop(("Couleur principale", "Main colour", "Color principal"), LIST, COLOURS),
    "20001": Prop(("Couleur", "Colour", "Color"), LIST, COLOURS, variation=True),
    "20002": Prop(("Taille", "Size", "Talla"), LIST, SIZES, variation=True, size=True),
    "20003": Prop(
        ("Pointure", "Shoe size", "Número"),
        LIST,
        tuple(str(n) for n in range(16, 49)),
        variation=True,
        size=True,
    ),
    "20004": Prop(
        ("Matière", "Material", "Material"),
        LIST,
        ("Coton", "Polyester", "Laine", "Lin", "Cuir", "Bois", "Métal", "Plastique", "Verre", "Céramique"),
        multi=True,
    ),
    "20005": Prop(
        ("Genre", "Gender", "Género"), LIST, ("Femme", "Homme", "Mixte", "Fille", "Garçon", "Bébé")
    ),
    "20006": Prop(("Guide des tailles", "Size guide", "Guía de tallas"), FILE, ("pdf", "jpg", "png")),
    "30001": Prop(
        ("Taille d'écran (pouces)", "Screen size (inches)", "Tamaño de pantalla (pulgadas)"), NUMBER
    ),
    "30002": Prop(
        ("Système d'exploitation", "Operating system", "Sistema operativo"),
        LIST,
        ("Windows", "macOS", "Linux", "ChromeOS", "Android", "iOS", "Sans"),
    ),
    "30003": Prop(
        ("Connectivité", "Connectivity", "Conectividad"),
        LIST,
        ("Wi-Fi", "Bluetooth", "USB-C", "USB-A", "HDMI", "Ethernet", "NFC", "4G", "5G"),
        multi=True,
    ),
    "30004": Prop(
        ("Capacité de stockage (Go)", "Storage capacity (GB)", "Capacidad de almacenamiento (GB)"),
        LIST,
        ("32", "64", "128", "256", "512", "1024", "2048"),
    ),
    "30005": Prop(
        ("Mémoire vive (Go)", "RAM (GB)", "Memoria RAM (GB)"), LIST, ("2", "4", "8", "16", "32", "64")
    ),
    "30006": Prop(("Notice d'utilisation", "User manual", "Manual de usuario"), FILE, ("pdf",)),
    "40001": Prop(("Classe énergétique", "Energy class", "Clase energética"), LIST, tuple("ABCDEFG")),
    "40002": Prop(("Étiquette énergie", "Energy label", "Etiqueta energética"), FILE, ("pdf", "jpg", "png")),
    "40003": Prop(("Puissance (W)", "Power (W)", "Potencia (W)"), NUMBER),
    "40004": Prop(("Capacité (L)", "Capacity (l)", "Capacidad (l)"), NUMBER),
    "50001": Prop(("Dimensions (cm)", "Dimensions (cm)", "Dimensiones (cm)"), TEXT),
    "50002": Prop(
        ("Style", "Style", "Estilo"),
        LIST,
        ("Moderne", "Scandinave", "Industriel", "Classique", "Bohème", "Contemporain"),
    ),
    "50003": Prop(("Usage", "Use", "Uso"), LIST, ("Intérieur", "Extérieur", "Intérieur et extérieur")),
    "60001": Prop(("Âge minimum (ans)", "Minimum age (years)", "Edad mínima (años)"), NUMBER),
    "60002": Prop(
        ("Avertissement de sécurité", "Safety warning", "Advertencia de seguridad"), FILE, ("pdf",)
    ),
    "60003": Prop(("Auteur", "Author", "Autor"), TEXT, multi=True),
    "60004": Prop(("Éditeur", "Publisher", "Editorial"), TEXT),
    "60005": Prop(
        ("Langue du contenu", "Content language", "Idioma del contenido"),
        LIST,
        ("Français", "Anglais", "Espagnol", "Allemand", "Italien"),
        multi=True,
    ),
    "60006": Prop(("Format", "Format", "Formato"), LIST, ("Broché", "Relié", "Poche", "Numérique")),
    "70001": Prop(
        ("Compatibilité véhicule", "Vehicle compatibility", "Compatibilidad con vehículos"), TEXT, multi=True
    ),
    "70002": Prop(("Référence constructeur", "Manufacturer reference", "Referencia del fabricante"), TEXT),
    "80001": Prop(("Contenance (ml)", "Volume (ml)", "Contenido (ml)"), NUMBER),
    "80002": Prop(
        ("Type de peau", "Skin type", "Tipo de piel"),
        LIST,
        ("Normale", "Sèche", "Grasse", "Mixte", "Sensible"),
        multi=True,
    ),
    "80003": Prop(
        ("Fiche de données de sécurité", "Safety data sheet", "Ficha de datos de seguridad"), FILE, ("pdf",)
    ),
    "90001": Prop(("Niveau", "Level", "Nivel"), LIST, ("Débutant", "Intermédiaire", "Confirmé", "Expert")),
    # Production's example product gives 24077 the values Electrique and Batterie (seed 000).
    "24077": Prop(
        ("Alimentation", "Power source", "Alimentación"),
        LIST,
        ("Electrique", "Batterie", "Secteur", "Thermique", "Manuelle"),
        multi=True,
    ),
    "30007": Prop(
        ("Mémoire vidéo (Go)", "Video memory (GB)", "Memoria de vídeo (GB)"),
        LIST,
        ("2", "4", "6", "8", "12", "16", "24"),
    ),
    "80004": Prop(("Âge de l'animal", "Pet age", "Edad del animal"), LIST, ("Chiot", "Adulte", "Senior")),
}

# (labels, brand mandatory, variant, properties with their necessity, families)
UNIVERSES: list[tuple[Labels, bool, bool, list[tuple[str, domain.Necessity]], list[Labels]]] = [
    (
        ("Informatique", "Computers", "Informática"),
        True,
        False,
        [
            ("10001", MAN),
            ("30001", REC),
            ("30002", REC),
            ("30004", REC),
            ("30005", REC),
            ("30003", OPT),
            ("30006", OPT),
            ("10003", OPT),
            ("10004", OPT),
            ("10005", OPT),
        ],
        [
            ("Ordinateurs portables", "Laptops", "Portátiles"),
            ("Ordinateurs de bureau", "Desktop computers", "Ordenadores de sobremesa"),
            ("Écrans", "Monitors", "Monitores"),
            ("Périphériques", "Peripherals", "Periféricos"),
        ],
    ),
    (
        ("Téléphonie", "Phones", "Telefonía"),
        True,
        False,
        [
            ("10001", MAN),
            ("30002", MAN),
            ("30004", MAN),
            ("30001", REC),
            ("30003", REC),
            ("10005", REC),
            ("30005", OPT),
            ("30006", OPT),
            ("10003", OPT),
        ],
        [
            ("Smartphones", "Smartphones", "Smartphones"),
            ("Téléphones fixes", "Landline phones", "Teléfonos fijos"),
            ("Montres connectées", "Smartwatches", "Relojes inteligentes"),
            ("Accessoires téléphone", "Phone accessories", "Accesorios de teléfono"),
        ],
    ),
    (
        ("Électroménager", "Home appliances", "Electrodomésticos"),
        True,
        False,
        [
            ("10001", MAN),
            ("40001", MAN),
            ("40002", MAN),
            ("40003", REC),
            ("40004", REC),
            ("10003", REC),
            ("30006", OPT),
            ("10005", OPT),
        ],
        [
            ("Lavage", "Laundry", "Lavado"),
            ("Froid", "Refrigeration", "Frío"),
            ("Cuisson", "Cooking", "Cocción"),
            ("Petit électroménager", "Small appliances", "Pequeño electrodoméstico"),
        ],
    ),
    (
        ("Maison", "Home", "Hogar"),
        False,
        False,
        [
            ("50001", REC),
            ("10005", REC),
            ("50002", OPT),
            ("50003", OPT),
            ("20004", OPT),
            ("10003", OPT),
            ("10004", OPT),
        ],
        [
            ("Décoration", "Decoration", "Decoración"),
            ("Linge de maison", "Home linen", "Ropa de hogar"),
            ("Luminaires", "Lighting", "Iluminación"),
            ("Rangement", "Storage", "Almacenaje"),
        ],
    ),
    (
        ("Mode", "Fashion", "Moda"),
        False,
        True,
        [("20001", MAN), ("20002", MAN), ("20005", MAN), ("20004", REC), ("20006", OPT), ("10001", OPT)],
        [
            ("Vêtements femme", "Women's clothing", "Ropa de mujer"),
            ("Vêtements homme", "Men's clothing", "Ropa de hombre"),
            ("Vêtements enfant", "Children's clothing", "Ropa infantil"),
            ("Lingerie", "Lingerie", "Lencería"),
        ],
    ),
    (
        ("Chaussures", "Shoes", "Calzado"),
        False,
        True,
        [("20001", MAN), ("20003", MAN), ("20005", MAN), ("20004", REC), ("20006", OPT)],
        [
            ("Chaussures femme", "Women's shoes", "Zapatos de mujer"),
            ("Chaussures homme", "Men's shoes", "Zapatos de hombre"),
            ("Chaussures enfant", "Children's shoes", "Zapatos infantiles"),
            ("Chaussures de sport", "Sports shoes", "Zapatillas deportivas"),
        ],
    ),
    (
        ("Sport", "Sports", "Deporte"),
        False,
        False,
        [("90001", REC), ("10005", REC), ("20004", OPT), ("10003", OPT), ("10001", OPT)],
        [
            ("Fitness", "Fitness", "Fitness"),
            ("Cyclisme", "Cycling", "Ciclismo"),
            ("Sports d'eau", "Water sports", "Deportes acuáticos"),
            ("Randonnée", "Hiking", "Senderismo"),
        ],
    ),
    (
        ("Jardin", "Garden", "Jardín"),
        False,
        False,
        [("50001", REC), ("50003", REC), ("40003", OPT), ("20004", OPT), ("10003", OPT)],
        [
            ("Outillage de jardin", "Garden tools", "Herramientas de jardín"),
            ("Mobilier de jardin", "Garden furniture", "Muebles de jardín"),
            ("Arrosage", "Watering", "Riego"),
            ("Barbecues", "Barbecues", "Barbacoas"),
        ],
    ),
    (
        ("Jouets", "Toys", "Juguetes"),
        False,
        False,
        [("60001", MAN), ("60002", REC), ("20004", OPT), ("10005", OPT), ("10001", OPT)],
        [
            ("Jeux de société", "Board games", "Juegos de mesa"),
            ("Poupées", "Dolls", "Muñecas"),
            ("Jeux de construction", "Building toys", "Juegos de construcción"),
            ("Jeux d'extérieur", "Outdoor toys", "Juegos de exterior"),
        ],
    ),
    (
        ("Livres", "Books", "Libros"),
        False,
        False,
        [("60003", MAN), ("60005", MAN), ("60004", REC), ("60006", REC), ("60001", OPT)],
        [
            ("Romans", "Novels", "Novelas"),
            ("Bandes dessinées", "Comics", "Cómics"),
            ("Livres jeunesse", "Children's books", "Libros infantiles"),
            ("Livres pratiques", "Practical books", "Libros prácticos"),
        ],
    ),
    (
        ("Auto-Moto", "Car & motorbike", "Motor"),
        True,
        False,
        [("10001", MAN), ("70001", MAN), ("70002", REC), ("30006", OPT), ("10003", OPT)],
        [
            ("Pièces auto", "Car parts", "Recambios de coche"),
            ("Équipement moto", "Motorbike gear", "Equipamiento moto"),
            ("Entretien", "Maintenance", "Mantenimiento"),
            ("GPS et multimédia", "GPS and multimedia", "GPS y multimedia"),
        ],
    ),
    (
        ("Beauté", "Beauty", "Belleza"),
        False,
        False,
        [("80001", MAN), ("80002", REC), ("80003", OPT), ("10001", OPT)],
        [
            ("Parfums", "Perfumes", "Perfumes"),
            ("Maquillage", "Make-up", "Maquillaje"),
            ("Soins du visage", "Skin care", "Cuidado facial"),
            ("Soins des cheveux", "Hair care", "Cuidado del cabello"),
        ],
    ),
]


@dataclass(frozen=True)
class Example:
    """A leaf whose reference production's documentation shows, under a new family; the universe's
    labels are given when the generated tree does not have it."""

    reference: str
    labels: tuple[Labels | None, Labels, Labels]
    properties: list[tuple[str, domain.Necessity]]
    brand_mandatory: bool = False


EXAMPLES = [
    Example(
        "010H0R",
        (
            None,
            ("Composants", "Components", "Componentes"),
            ("Cartes graphiques", "Graphics cards", "Tarjetas gráficas"),
        ),
        [("10001", MAN), ("30007", MAN), ("10002", REC), ("30003", OPT), ("30006", OPT), ("10003", OPT)],
        brand_mandatory=True,
    ),
    Example(
        "0Z0102",
        (
            ("Bricolage", "DIY", "Bricolaje"),
            ("Outillage électroportatif", "Power tools", "Herramientas eléctricas"),
            ("Perceuses-visseuses", "Drill drivers", "Taladros atornilladores"),
        ),
        [("24077", MAN), ("40003", REC), ("10003", REC), ("10001", OPT), ("30006", OPT)],
        brand_mandatory=True,
    ),
    Example(
        "0C0I05",
        (
            ("Animalerie", "Pet supplies", "Animales"),
            ("Chiens", "Dogs", "Perros"),
            ("Alimentation", "Food", "Alimentación"),
        ),
        [("80004", MAN), ("10003", MAN), ("10001", OPT)],
    ),
    Example(
        "190K01",
        (
            ("Puériculture", "Baby", "Puericultura"),
            ("Poussettes", "Pushchairs", "Cochecitos"),
            ("Poussettes citadines", "City pushchairs", "Cochecitos urbanos"),
        ),
        [("10003", MAN), ("50001", REC), ("10005", REC), ("60002", REC), ("10004", OPT)],
    ),
]

SEGMENTS: list[Labels] = [
    ("Entrée de gamme", "Entry level", "Gama básica"),
    ("Milieu de gamme", "Mid-range", "Gama media"),
    ("Haut de gamme", "High end", "Gama alta"),
    ("Professionnel", "Professional", "Profesional"),
    ("Reconditionné", "Refurbished", "Reacondicionado"),
    ("Éco-conçu", "Eco-designed", "Ecodiseñado"),
    ("Compact", "Compact", "Compacto"),
    ("Édition limitée", "Limited edition", "Edición limitada"),
]
PROFESSIONAL, REFURBISHED = 4, 5
# Refurbished books and cosmetics are not sold: those leaves are closed.
CLOSED_REFURBISHED = {10, 12}

BRAND_STEMS = [
    "Al",
    "Bel",
    "Cor",
    "Dax",
    "El",
    "Fen",
    "Gal",
    "Hel",
    "Ior",
    "Jun",
    "Kal",
    "Lum",
    "Mor",
    "Nor",
    "Or",
    "Pra",
    "Quo",
    "Ros",
    "Sol",
    "Tor",
    "Ul",
    "Vel",
    "Wes",
    "Xan",
    "Yor",
    "Zel",
]
BRAND_ENDINGS = ["ara", "ex", "ia", "on", "ora", "tek", "vo", "wood"]


def _labels(labels: Labels) -> dict[str, str]:
    return dict(zip(("label_fr", "label_en", "label_es"), labels, strict=True))


def _leaf_labels(family: Labels, segment: Labels) -> Labels:
    return (f"{family[0]} - {segment[0]}", f"{family[1]} - {segment[1]}", f"{family[2]} - {segment[2]}")


def _links(necessities: Iterable[tuple[str, domain.Necessity]]) -> list[dict[str, str]]:
    return [{"reference": ref, "necessity": n.value} for ref, n in necessities]


@lru_cache(maxsize=1)
def referential_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of properties, categories (parents first) and brands."""
    properties = [
        {
            "reference": ref,
            **_labels(p.labels),
            "kind": p.kind.value,
            "is_variation": p.variation,
            "is_size": p.size,
            "is_multi_valued": p.multi,
            "choices": list(p.values) if p.kind == LIST else [],
            "file_formats": list(p.values) if p.kind == FILE else [],
        }
        for ref, p in PROPERTIES.items()
    ]
    categories: list[dict[str, Any]] = []

    def node(reference: str, ancestors: list[str], labels: Labels, **values: Any) -> None:
        categories.append(
            {
                "reference": reference,
                "parent_reference": ancestors[-1] if ancestors else None,
                "parent_references": ancestors,
                "level": len(ancestors) + 1,
                **_labels(labels),
                "is_active": True,
                "properties": [],
                **values,
            }
        )

    for u, (labels, brand_mandatory, variant, profile, families) in enumerate(UNIVERSES, 1):
        flags = {"is_brand_mandatory": brand_mandatory, "is_variant": variant}
        top = f"{u:02d}0000"
        node(top, [], labels, **flags)
        for f, family in enumerate(families, 1):
            middle = f"{u:02d}{f:02d}00"
            node(middle, [top], family, **flags)
            for g, segment in enumerate(SEGMENTS, 1):
                necessities = dict(profile)
                if g in (PROFESSIONAL, REFURBISHED):
                    # Professional and refurbished goods must state their warranty.
                    necessities["10002"] = MAN
                node(
                    f"{u:02d}{f:02d}{g:02d}",
                    [top, middle],
                    _leaf_labels(family, segment),
                    is_active=not (g == REFURBISHED and u in CLOSED_REFURBISHED),
                    properties=_links(necessities.items()),
                    **flags,
                )
    for example in EXAMPLES:
        top, middle = f"{example.reference[:2]}0000", f"{example.reference[:4]}00"
        universe, family, segment = example.labels
        flags = {"is_brand_mandatory": example.brand_mandatory, "is_variant": False}
        if universe is not None:
            node(top, [], universe, **flags)
        node(middle, [top], family, **flags)
        node(
            example.reference,
            [top, middle],
            _leaf_labels(family, segment),
            properties=_links(example.properties),
            **flags,
        )
    brands = [
        {"name": stem + ending, "name_key": (stem + ending).casefold()}
        for stem in BRAND_STEMS
        for ending in BRAND_ENDINGS
    ]
    return properties, categories, brands
