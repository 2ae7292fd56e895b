from __future__ import annotations

import string

import pytest

from comptoir.catalog import domain, messages
from comptoir.catalog.domain import Code, Operation

# Published GS1 examples of each length.
VALID_GTINS = ["73513537", "036000291452", "4006381333931", "00012345600012"]


@pytest.mark.parametrize("gtin", VALID_GTINS)
def test_valid_gtins_of_each_length(gtin):
    assert domain.gtin_problem(gtin) is None
    assert domain.with_check_digit(gtin[:-1]) == gtin


@pytest.mark.parametrize(
    ("gtin", "code", "text"),
    [
        (None, Code.MISSING_FIELD, "required"),
        ("", Code.MISSING_FIELD, "required"),
        ("400638133393A", Code.INCORRECT_FORMAT, "digits only"),
        ("４００６３８１３３３９３１", Code.INCORRECT_FORMAT, "digits only"),  # full-width digits
        ("40063813339", Code.INCORRECT_FORMAT, "8, 12, 13 or 14"),
        ("400638133393100", Code.INCORRECT_FORMAT, "8, 12, 13 or 14"),
        ("4006381333932", Code.INCORRECT_VALUE, "should be 1"),
    ],
)
def test_invalid_gtins(gtin, code, text):
    problem = domain.gtin_problem(gtin)
    assert problem is not None
    assert problem["code"] == code and problem["field"] == "Gtin"
    assert text in messages.text(problem, "en-US")


def test_duplicates_ignore_blanks():
    assert domain.duplicates(["1", "2", "1", None, "", "", "3", "3", "3"]) == {"1", "3"}


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "fr-FR"),
        ("en-US", "en-US"),
        ("en-GB,en;q=0.9", "en-US"),
        ("es", "es-ES"),
        ("de-DE", "fr-FR"),
        ("de-DE, es-MX;q=0.5, en;q=0.4", "es-ES"),
        ("en;q=0.2, es;q=0.8", "es-ES"),
        ("en;q=0, es", "es-ES"),
        ("*", "fr-FR"),
        ("fr-CA;q=abc, en", "en-US"),
    ],
)
def test_accept_language(header, language):
    assert domain.pick_language(header) == language


def test_only_french_products_are_sellable_on_cdiscount():
    assert domain.sellable_on("fr-FR", "CDISFR")
    assert not domain.sellable_on("en-US", "CDISFR")
    assert domain.sellable_on("en-US", "SELLZZ")


def test_product_references():
    assert domain.product_reference(148) == "AAAAA00148"
    assert domain.product_reference(100_000) == "AAAAB00000"
    assert domain.product_reference(26 * 100_000 + 7) == "AAABA00007"
    with pytest.raises(ValueError):
        domain.product_reference(26**5 * 100_000)


def test_decisions_against_the_known_product():
    content = {"title": "A"}
    mine = domain.KnownProduct("98979", content)
    assert domain.decide(None, "98979", content) == domain.Decision(Operation.CREATION, True, False)
    assert domain.decide(mine, "98979", {"title": "A"}).operation == Operation.IDENTICAL
    assert domain.decide(mine, "98979", {"title": "B"}).operation == Operation.MODIFICATION
    theirs = domain.decide(mine, "12345", {"title": "B"})
    assert theirs.operation == Operation.IDENTICAL and not theirs.allowed_to_edit and theirs.was_marketable


def test_every_report_message_is_written_in_each_language_with_the_same_arguments():
    def names(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key, texts in messages.TEXTS.items():
        assert set(texts) == {"en-US", "fr-FR", "es-ES"}, key
        assert names(texts["fr-FR"]) == names(texts["es-ES"]) == names(texts["en-US"]), key
