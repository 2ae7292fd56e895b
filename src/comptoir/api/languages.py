"""The `Accept-Language` header of routes whose human-readable messages production localises."""

from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter

MessageLanguage = Annotated[
    str | None,
    Parameter(
        header="Accept-Language",
        description="en-US (default), fr-FR or es-ES: the language of the human-readable messages.",
    ),
]
