"""Wire models of the product referential and of product integration (spec sections 7 and 8)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import UNSET, UnsetType

from comptoir.api.wire import Wire

MAX_PACKAGE_PRODUCTS = 10_000

# Submitted products: every field is optional and loosely typed on purpose, so that one bad
# product is reported as Refused by the integration job instead of failing the whole package.


class AttributeIn(Wire):
    property_reference: str
    values: list[str] = []
    files: list[str] = []


class PictureIn(Wire):
    index: int
    url: str


class ProductIn(Wire, omit_defaults=True):
    gtin: str | None = None
    seller_product_reference: str | None = None
    title: str | None = None
    description: str | None = None
    rich_marketing_description: str | None = None
    brand: str | None = None
    category_code: str | None = None
    language: str | None = None
    variant_group_reference: str | None = None
    attributes: list[AttributeIn] = []
    seller_picture_urls: list[PictureIn] = []


def inline_schema(struct: type) -> dict[str, Any]:
    """The JSON schema of a struct with the structs it holds written out in place."""
    (root,), definitions = msgspec.json.schema_components([struct], ref_template="{name}")

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            return (
                inline(definitions[node["$ref"]])
                if "$ref" in node
                else {k: inline(v) for k, v in node.items()}
            )
        return [inline(v) for v in node] if isinstance(node, list) else node

    return dict(inline(root))


class PackageIn(Wire):
    """`{"products": [...]}`: the envelope is checked at once, each product later by the job."""

    # Plain objects here, so that a product with a field of the wrong type is refused alone, in
    # the report, rather than failing the whole package; the documentation shows ProductIn.
    products: Annotated[
        list[dict[str, Any]],
        msgspec.Meta(
            min_length=1,
            max_length=MAX_PACKAGE_PRODUCTS,
            description="1 to 10,000 products.",
            extra_json_schema={"extra": {"items": inline_schema(ProductIn)}},
        ),
    ]


class PackageAccepted(Wire):
    package_id: str


class Message(Wire):
    code: str
    field: str
    message: str
    type: str


class AttributeOut(Wire):
    property_reference: str
    values: list[str]
    files: list[str]


class PictureOut(Wire):
    index: int
    url: str


class PropertyOut(Wire):
    property_reference: str
    label: str
    # Text, Number, List or File
    type: str
    is_variation: bool
    is_size: bool
    is_multi_valued: bool
    choices: list[str]
    file_formats: list[str]
    max_file_size: int | None


class CategoryPropertyOut(PropertyOut):
    necessity: str


# Resources listed with `fields`: a field left UNSET is absent from the answer, not null. The routes
# that answer one of them (GET /categories/{ref}, POST /operator/v1/brands) set every field.


class ProductOut(Wire):
    """The product model of spec 8.2 (seed 000's "Product Schema Example"): one submitted product
    and its verdict in a report, or an integrated product with the verdict of its last report item
    in GET /products. Null where a refused product gave nothing."""

    gtin: str | None | UnsetType = UNSET
    gtin_reference: str | None | UnsetType = UNSET
    variant_group_reference: str | None | UnsetType = UNSET
    product_reference: str | None | UnsetType = UNSET
    seller_product_reference: str | None | UnsetType = UNSET
    title: str | None | UnsetType = UNSET
    description: str | None | UnsetType = UNSET
    rich_marketing_description: str | None | UnsetType = UNSET
    brand: str | None | UnsetType = UNSET
    category_code: str | None | UnsetType = UNSET
    language: str | None | UnsetType = UNSET
    attributes: list[AttributeOut] | UnsetType = UNSET
    created_at: str | UnsetType = UNSET
    updated_at: str | UnsetType = UNSET
    integrated_product_id: str | None | UnsetType = UNSET
    package_id: str | None | UnsetType = UNSET
    seller_id: int | str | UnsetType = UNSET
    submission_date: str | UnsetType = UNSET
    submission_type: str | UnsetType = UNSET
    status: str | UnsetType = UNSET
    operation_type: str | UnsetType = UNSET
    seller_picture_urls: list[PictureOut] | UnsetType = UNSET
    integration_picture_urls: list[PictureOut] | UnsetType = UNSET
    publication_completeness: int | UnsetType = UNSET
    was_marketable: bool | UnsetType = UNSET
    was_allowed_to_edit: bool | UnsetType = UNSET
    was_allowed_to_enrich: bool | UnsetType = UNSET
    errors: list[Message] | UnsetType = UNSET
    warnings: list[Message] | UnsetType = UNSET
    infos: list[Message] | UnsetType = UNSET


class CategoryOut(Wire):
    category_reference: str | UnsetType = UNSET
    label: str | UnsetType = UNSET
    level: int | UnsetType = UNSET
    is_active: bool | UnsetType = UNSET
    is_brand_mandatory: bool | UnsetType = UNSET
    is_variant: bool | UnsetType = UNSET
    parent_references: list[str] | UnsetType = UNSET


class BrandOut(Wire):
    brand_id: int | UnsetType = UNSET
    name: str | UnsetType = UNSET


# Operator API

Reference = Annotated[str, msgspec.Meta(pattern=r"^[0-9A-Z]{6}$", description="6 characters, 0-9 and A-Z.")]
PropertyRef = Annotated[str, msgspec.Meta(pattern=r"^[0-9A-Za-z_-]{1,20}$")]
Label = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class Labels(Wire):
    fr_fr: Label = msgspec.field(name="fr-FR")
    en_us: Label = msgspec.field(name="en-US")
    es_es: Label = msgspec.field(name="es-ES")


class LabelsPatch(Wire, omit_defaults=True):
    fr_fr: Label | None = msgspec.field(default=None, name="fr-FR")
    en_us: Label | None = msgspec.field(default=None, name="en-US")
    es_es: Label | None = msgspec.field(default=None, name="es-ES")


class CategoryIn(Wire):
    category_reference: Reference
    labels: Labels
    parent_reference: Reference | None = None
    is_active: bool = True
    is_brand_mandatory: bool = False
    is_variant: bool = False


class CategoryPatch(Wire, omit_defaults=True):
    labels: LabelsPatch | None = None
    is_active: bool | None = None
    is_brand_mandatory: bool | None = None
    is_variant: bool | None = None


class CategoryOpOut(Wire):
    category_reference: str
    labels: Labels
    level: int
    parent_reference: str | None
    parent_references: list[str]
    is_active: bool
    is_brand_mandatory: bool
    is_variant: bool


Necessity = Annotated[str, msgspec.Meta(pattern=r"^(Mandatory|Recommended|Optional)$")]


class CategoryPropertyIn(Wire):
    property_reference: PropertyRef
    necessity: Necessity


class CategoryPropertiesIn(Wire):
    properties: list[CategoryPropertyIn]


class CategoryPropertyOpOut(Wire):
    property_reference: str
    necessity: str


PropertyType = Annotated[str, msgspec.Meta(pattern=r"^(Text|Number|List|File)$")]
Choice = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
FileFormat = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9]{1,10}$")]


class PropertyIn(Wire):
    property_reference: PropertyRef
    labels: Labels
    type: PropertyType
    is_variation: bool = False
    is_size: bool = False
    is_multi_valued: bool = False
    choices: list[Choice] = []
    file_formats: list[FileFormat] = []


class PropertyPatch(Wire, omit_defaults=True):
    labels: LabelsPatch | None = None
    is_variation: bool | None = None
    is_size: bool | None = None
    is_multi_valued: bool | None = None
    choices: list[Choice] | None = None
    file_formats: list[FileFormat] | None = None


class PropertyOpOut(Wire):
    property_reference: str
    labels: Labels
    type: str
    is_variation: bool
    is_size: bool
    is_multi_valued: bool
    choices: list[str]
    file_formats: list[str]


class BrandIn(Wire):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
