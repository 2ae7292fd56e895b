"""Wire models of order invoices and their import reports (spec 12.13)."""

from __future__ import annotations

from comptoir.api.wire import Wire


class InvoiceFileOut(Wire):
    file_name: str
    order_id: str | None
    status: str
    integration_status: str
    error_code: str | None
    error_message: str | None
    document_id: str | None


class InvoiceImportSummaryOut(Wire):
    import_id: str
    status: str
    order_id: str | None
    created_at: str
    updated_at: str
    file_count: int
    success_count: int
    failure_count: int


class InvoiceImportOut(InvoiceImportSummaryOut):
    """The report of one import, with its per-file results."""

    files: list[InvoiceFileOut]


class InvoiceDocumentOut(Wire):
    document_id: str
    order_id: str
    file_name: str
    format: str
    content_type: str
    size: int
    sha256: str
    import_id: str
    created_at: str
