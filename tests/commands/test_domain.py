from __future__ import annotations

from decimal import Decimal

import pytest

from comptoir.commands import domain as d


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("pl-PL", "pl-PL"),
        ("pl", "pl-PL"),
        ("PL-pl", "pl-PL"),
        ("en-US", "en-US"),
        ("en-GB", "en-US"),
        ("fr-FR", "en-US"),
        (None, "en-US"),
        ("", "en-US"),
        ("*", "en-US"),
        ("fr-FR,pl;q=0.8,en;q=0.5", "pl-PL"),
        ("en;q=0.4,pl-PL;q=0.9", "pl-PL"),
        ("pl-PL;q=0,en-US", "en-US"),
        ("pl-PL;q=bad", "en-US"),
    ],
)
def test_language_of_accept_language(header, expected):
    assert d.language(header) == expected


def test_user_messages_are_localized_with_en_us_fallback():
    assert d.user_message(d.OFFER_NOT_FOUND, "pl-PL") == "Otrzymano numery ofert, które nie istnieją"
    assert d.user_message(d.OFFER_NOT_FOUND, "en-US") == "Received offer numbers that don't exist"
    assert d.user_message("NotFoundException", "pl-PL", 404) == "Nie znaleziono żądanego zasobu"
    assert d.user_message("NotFoundException", "en-US", 404) == "The requested resource was not found"
    assert d.user_message("ConflictException", "xx-XX", 409).startswith("The request conflicts")
    # A status without a message of its own gets the generic one of its class.
    assert d.user_message("ValidationException", "en-US", 413) == "The request could not be processed"
    assert d.user_message("InternalServerErrorException", "en-US", 503).startswith("Something went wrong")
    assert all(set(text.user) == set(d.LANGUAGES) for text in d.TEXTS.values())


def test_status_code_names():
    assert d.status_code_name(404) == "NotFoundException"
    assert d.status_code_name(406) == "NotAcceptableException"
    assert d.status_code_name(413) == "ValidationException"
    assert d.status_code_name(502) == "InternalServerErrorException"


@pytest.mark.parametrize(
    ("accept", "ok"),
    [
        (None, True),
        ("", True),
        (d.MEDIA_TYPE, True),
        ("application/VND.allegro.public.v1+json; charset=utf-8", True),
        ("*/*", True),
        ("application/*", True),
        ("application/json, */*;q=0.1", True),
        ("application/json", False),
        ("text/html, application/xml", False),
        (f"{d.MEDIA_TYPE};q=0", False),
    ],
)
def test_accept(accept, ok):
    assert d.accepts_allegro(accept) is ok


def test_content_type():
    assert d.is_allegro_content_type(d.MEDIA_TYPE)
    assert d.is_allegro_content_type(f"{d.MEDIA_TYPE}; charset=UTF-8")
    assert not d.is_allegro_content_type("application/json")
    assert not d.is_allegro_content_type(None)


def test_command_id_must_be_a_uuid():
    assert d.command_id("82D14F47-AC1C-43E7-9BF7-93BCEA88FC59") == "82d14f47-ac1c-43e7-9bf7-93bcea88fc59"
    with pytest.raises(d.InvalidInput) as caught:
        d.command_id("not-a-uuid")
    assert caught.value.path == "commandId"


def test_input_limits():
    d.check_input(["1"] * d.MAX_OFFERS, ["ALLEGRO_DE"])
    with pytest.raises(d.InvalidInput) as caught:
        d.check_input(["1"] * (d.MAX_OFFERS + 1), ["ALLEGRO_DE"])
    assert (caught.value.code, caught.value.path) == (d.TOO_MANY_OFFERS, "input.offers")
    for offers, platforms, path in [
        ([], ["ALLEGRO_DE"], "input.offers"),
        (["1", " "], ["ALLEGRO_DE"], "input.offers[1].id"),
        (["1"], [], "input.platforms"),
    ]:
        with pytest.raises(d.InvalidInput) as caught:
            d.check_input(offers, platforms)
        assert caught.value.path == path


def test_final_status_counts_offer_platform_items():
    assert d.final_status(2, 0) is d.Status.SUCCESSFUL
    assert d.final_status(2, 1) is d.Status.PARTIAL_SUCCESS
    assert d.final_status(2, 2) is d.Status.ERROR


def test_unique_keeps_first_seen_order():
    assert d.unique(["2", "1", "2", "3", "1"]) == ["2", "1", "3"]


def test_convert_rounds_half_up_to_the_cent():
    assert d.convert(Decimal("10.00"), Decimal("4.3215")) == Decimal("43.22")
    assert d.convert(Decimal("0.01"), Decimal("0.5")) == Decimal("0.01")
    assert d.convert(Decimal("19.99"), Decimal("1")) == Decimal("19.99")


def test_item_error_path():
    assert d.ItemError(d.OFFER_NOT_FOUND, "658468381165").path == "offers.658468381165"
