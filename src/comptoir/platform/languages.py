"""The languages production writes its human-readable messages in (report messages, rejection
reasons, result messages): fr-FR, en-US and es-ES, picked by `Accept-Language`, English when the
header is absent or names none of them. Labels of the referential follow their own default (fr-FR).
"""

from __future__ import annotations

from collections.abc import Mapping

from comptoir.platform.params import preferred_language

MESSAGE_LANGUAGES = ("en-US", "fr-FR", "es-ES")
DEFAULT_MESSAGE_LANGUAGE = "en-US"

# A message's text in each language, `{name}` standing for its arguments.
Texts = Mapping[str, str]


def message_language(accept_language: str | None) -> str:
    """The language messages are written in for this `Accept-Language` (`fr`, `es-MX` count)."""
    return preferred_language(accept_language, MESSAGE_LANGUAGES, DEFAULT_MESSAGE_LANGUAGE)


def localized(texts: Texts, language: str, args: Mapping[str, object] | None = None) -> str:
    """The text in `language`, in English when it has none there, with its arguments filled in."""
    return texts.get(language, texts[DEFAULT_MESSAGE_LANGUAGE]).format_map(dict(args or {}))
