"""Product integration, first half: a package is taken in as submitted, then the checks job checks
every product against the referential, loaded once into plain dicts, and stores one report item
each (Validated or Refused) in one bulk insert (COPY on PostgreSQL). `publishing` writes the valid ones.
"""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir import clock, ids
from comptoir.api.wire import normalize
from comptoir.catalog import schemas as s
from comptoir.catalog.checks import CreationQuota, check_product
from comptoir.catalog.domain import VALIDATION, Code, Message, Status, message
from comptoir.catalog.formats import coerce_product
from comptoir.catalog.models import ProductPackage, ReportItem
from comptoir.catalog.products import known_products
from comptoir.catalog.quota import creations_left, spend_creations
from comptoir.catalog.referential import checks_context
from comptoir.db import table
from comptoir.db.bulk import BulkWriter
from comptoir.jobs import Subject, enqueue

# A package's statuses: taken in, checked, written.
PENDING, VALIDATED, INTEGRATED = "Pending", "Validated", "Integrated"
INTEGRATE_JOB, PUBLISH_JOB = "catalog.integrate_products", "catalog.publish_products"
# The sandbox progress controls' name for these packages (`/sandbox/v1/progress/product-packages/{id}`).
PROGRESS_KIND = "product-packages"
# The report item columns the checks job writes, in the order of its rows.
REPORT_COLUMNS = [
    *("package_id", "seller_id", "position", "gtin", "status", "operation_type", "product_reference"),
    *("publication_completeness", "was_marketable", "was_allowed_to_edit", "content", "messages"),
    *("created_at", "updated_at"),
]


def submit_package(
    session: Session,
    seller_id: str,
    products: list[dict[str, Any]],
    language: str,
    creation_quota: int | None = None,
) -> str:
    """Stores the package as submitted and enqueues its checking; the products are read by the job.
    `creation_quota` (the production profile's creations per hour) travels with the job, so the
    package is checked under the profile it was submitted in."""
    package = ProductPackage(
        id=ids.new_uuid(),
        seller_id=seller_id,
        status=PENDING,
        product_count=len(products),
        language=language,
        payload=msgspec.json.encode(products).decode(),
        submitted_at=clock.now(),
    )
    session.add(package)
    session.flush()
    job: dict[str, Any] = {"package_id": package.id}
    if creation_quota is not None:
        job["creation_quota"] = creation_quota
    enqueue(session, INTEGRATE_JOB, job, subject=progress_subject(package.id, seller_id))
    return package.id


def progress_subject(package_id: str, seller_id: str) -> Subject:
    return Subject(PROGRESS_KIND, package_id, seller_id)


def refusal(code: str | None, text: str | None) -> Message:
    """What every product of a package refused as a whole carries (sandbox policy `fail`): the chosen
    code and text, or the platform's usual refusal, written in the reader's language."""
    found = message(Code.PACKAGE_REFUSED, "Gtin", "package_refused")
    if text is not None:
        # A text without a key is shown as stored, whatever the reader's language.
        found = {"field": "Gtin", "message": text, "type": VALIDATION}
    return {**found, "code": code or Code.PACKAGE_REFUSED.value}


def locked_package(session: Session, package_id: str, status: str) -> ProductPackage | None:
    """The package if it is at `status`; a job re-run after its transaction committed finds nothing to do."""
    package = session.get(ProductPackage, package_id, with_for_update=True)
    return package if package is not None and package.status == status else None


_PRODUCT_KEYS = frozenset(f.encode_name for f in msgspec.structs.fields(s.ProductIn))
_NESTED_KEYS = {
    "attributes": frozenset(f.encode_name for f in msgspec.structs.fields(s.AttributeIn)),
    "sellerPictureUrls": frozenset(f.encode_name for f in msgspec.structs.fields(s.PictureIn)),
}


def _wire_cased(raw: dict[str, Any]) -> bool:
    """Whether a product already uses the documented names, as most do: they then skip the
    (slower) case-insensitive renaming."""
    if not raw.keys() <= _PRODUCT_KEYS:
        return False
    for name, keys in _NESTED_KEYS.items():
        for item in raw.get(name) or ():
            if isinstance(item, dict) and not item.keys() <= keys:
                return False
    return True


def validate_package(
    session: Session, package_id: str, creation_quota: int | None = None, refused: Message | None = None
) -> None:
    """Checks every product of a package and stores one report item each (Validated or Refused);
    under a `creation_quota`, valid creations beyond what is left of it are refused; with `refused`,
    every product is, with that error (the package refused as a whole)."""
    package = locked_package(session, package_id, PENDING)
    if package is None:
        return
    drafts = [
        coerce_product(raw if _wire_cased(raw) else normalize(raw, s.ProductIn))
        for raw in msgspec.json.decode(package.payload or "[]")
    ]
    products = [product for product, _, _ in drafts]
    known = known_products(session, (p.gtin for p in products if p.gtin))
    context = checks_context(
        session,
        products,
        known={gtin: entry[2] for gtin, entry in known.items()},
        default_language=package.language,
    )
    now = clock.now()
    # Plain locals: ORM attribute access 10,000 times over shows in the profile.
    package_id, seller_id = package.id, package.seller_id
    quota = None
    if creation_quota is not None:
        quota = CreationQuota(creation_quota, creations_left(session, seller_id, creation_quota))
    rows = []
    for position, (product, errors, infos) in enumerate(drafts):
        verdict = check_product(product, seller_id=seller_id, context=context, errors=errors, infos=infos)
        if refused is not None:
            verdict.errors.append(refused)
        elif quota is not None:
            quota.admit(verdict)
        entry = known.get(product.gtin or "")
        rows.append(
            (
                package_id,
                seller_id,
                position,
                product.gtin[:100] if product.gtin is not None else None,
                verdict.status.value,
                verdict.decision.operation.value,
                entry[1] if entry else None,
                verdict.completeness,
                verdict.decision.was_marketable,
                verdict.decision.allowed_to_edit,
                verdict.content,
                {"errors": verdict.errors, "warnings": verdict.warnings, "infos": verdict.infos},
                now,
                now,
            )
        )
    BulkWriter(session, table(ReportItem)).insert(REPORT_COLUMNS, rows)
    if quota is not None:
        spend_creations(session, seller_id, quota.spent)
    package.status, package.validated_at, package.payload = VALIDATED, now, None
    session.flush()
    enqueue(session, PUBLISH_JOB, {"package_id": package_id}, subject=progress_subject(package_id, seller_id))


def refuse_package(session: Session, package_id: str, code: str | None, text: str | None) -> None:
    """Refuses a package still in progress as a whole (sandbox policy `fail`): every product is
    Refused with the refusal, the way the checks refuse one; products already checked are refused
    before they are written, and the package ends with nothing to write."""
    refused = refusal(code, text)
    package = session.get(ProductPackage, package_id, with_for_update=True)
    if package is None:
        return
    if package.status == PENDING:
        validate_package(session, package_id, refused=refused)
    elif package.status == VALIDATED:
        now = clock.now()
        checked = session.scalars(
            select(ReportItem).where(
                ReportItem.package_id == package_id, ReportItem.status == Status.VALIDATED
            )
        )
        for item in checked:
            item.status, item.updated_at = Status.REFUSED.value, now
            item.messages = {**item.messages, "errors": [*item.messages["errors"], refused]}
        package.status, package.integrated_at = INTEGRATED, now
