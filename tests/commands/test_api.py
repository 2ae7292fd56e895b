"""Allegro-style change-additional-platforms commands over HTTP (seed 004)."""

from __future__ import annotations

from decimal import Decimal

from commands.conftest import PATH, SEED_ID, allegro, body
from comptoir.commands.domain import MEDIA_TYPE
from conftest import assert_problem, sandbox_headers

SEED_OFFERS = ["658468381164", "658468381165"]
NOT_FOUND_PL = {
    "code": "OfferNotFoundException",
    "message": "Received offers numbers that don't exist",
    "details": None,
    "userMessage": "Otrzymano numery ofert, które nie istnieją",
}


def document(offer_ids, status, errors=None, command_id=SEED_ID, platforms=("ALLEGRO_DE",)):
    """The seed's command document, key for key."""
    return {
        "id": command_id,
        "input": {"offers": [{"id": i} for i in offer_ids], "platforms": list(platforms)},
        "output": {"status": status, "errors": errors},
    }


def not_found(offer_id):
    return {**NOT_FOUND_PL, "path": f"offers.{offer_id}"}


# --- the seed's four responses ---------------------------------------------------------------------


def test_put_answers_running(client, commands, make_offers):
    ids = [o["offerId"] for o in make_offers(2)]
    r = commands.put(SEED_ID, body(ids))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == MEDIA_TYPE
    assert r.json() == document(ids, "RUNNING")
    assert list(r.json()) == ["id", "input", "output"]
    # Still running until the job has run.
    assert commands.get(SEED_ID).json() == document(ids, "RUNNING")


def test_successful_publishes_the_offers(commands, make_offers, listing):
    sources = make_offers(2)
    ids = [o["offerId"] for o in sources]
    r = commands.run(SEED_ID, body(ids))
    assert r == document(ids, "SUCCESSFUL")
    published = listing("ALLEGRO_DE")
    for source in sources:
        copy = published[source["sellerExternalReference"]]
        assert copy["offerId"] == source["offerId"].replace("_SELLZZ", "_ALLEGRO_DE")
        for key in (
            "productReference",
            "gtin",
            "condition",
            "quantity",
            "integrationPrice",
            "originPrice",
            "taxes",
            "preparationTime",
        ):
            assert copy[key] == source[key], key
        # ALLEGRO_DE declares STD for what SELLZZ calls THD (see test_delivery.py).
        assert copy["deliveryModes"] == [{**m, "code": "STD"} for m in source["deliveryModes"]]
        assert copy["offerState"] == "Active"
        assert copy["facialPrice"] == {"price": source["integrationPrice"], "currencyCode": "EUR"}


def test_partial_success(commands, make_offers):
    real = make_offers(1)[0]["offerId"]
    ids = [real, SEED_OFFERS[1]]
    r = commands.run(SEED_ID, body(ids))
    assert r == document(ids, "PARTIAL_SUCCESS", [not_found(SEED_OFFERS[1])])
    assert list(r["output"]["errors"][0]) == ["code", "message", "details", "path", "userMessage"]


def test_error_is_the_seed_response(client, commands):
    """The seed's exact request; its offers do not exist here."""
    r = commands.run(SEED_ID, body(SEED_OFFERS))
    assert r == document(SEED_OFFERS, "ERROR", [not_found(SEED_OFFERS[0]), not_found(SEED_OFFERS[1])])
    raw = client.get(f"{PATH}/{SEED_ID}", headers={**commands.headers}).content.decode()
    assert '"details":null' in raw and "Otrzymano numery ofert, które nie istnieją" in raw


def test_user_message_follows_accept_language(commands):
    commands.run(SEED_ID, body(SEED_OFFERS[:1]))
    english = commands.get(SEED_ID, **{"Accept-Language": "en-US"}).json()["output"]["errors"][0]
    assert english["userMessage"] == "Received offer numbers that don't exist"
    assert english["message"] == NOT_FOUND_PL["message"]
    fallback = commands.get(SEED_ID, **{"Accept-Language": "fr-FR"}).json()["output"]["errors"][0]
    assert fallback["userMessage"] == english["userMessage"]
    polish = commands.get(SEED_ID, **{"Accept-Language": "de-DE, pl;q=0.5"}).json()["output"]["errors"][0]
    assert polish["userMessage"] == NOT_FOUND_PL["userMessage"]


# --- offers: ids, tenancy, publication rules ---------------------------------------------------------


def test_numbers_as_json_numbers_are_echoed_as_strings(commands):
    r = commands.put(SEED_ID, {"input": {"offers": [{"id": 658468381164}], "platforms": ["ALLEGRO_DE"]}})
    assert r.status_code == 200, r.text
    assert r.json()["input"]["offers"] == [{"id": "658468381164"}]


def test_property_names_in_any_case(commands):
    r = commands.put(SEED_ID, {"Input": {"Offers": [{"Id": "1"}], "Platforms": ["ALLEGRO_DE"]}})
    assert r.status_code == 200, r.text
    assert r.json()["input"] == {"offers": [{"id": "1"}], "platforms": ["ALLEGRO_DE"]}


def test_another_sellers_offers_are_not_found(commands, other_commands, make_offers, listing):
    ids = [o["offerId"] for o in make_offers(1)]
    r = other_commands.run(SEED_ID, body(ids))
    assert r["output"]["status"] == "ERROR"
    assert r["output"]["errors"] == [not_found(ids[0])]
    assert listing("ALLEGRO_DE") == {}


def test_republishing_is_idempotent(commands, make_offers, listing):
    ids = [o["offerId"] for o in make_offers(2)]
    commands.run(SEED_ID, body(ids))
    first = listing("ALLEGRO_DE")
    again = commands.run("0b7b2d0e-6f0a-4b5e-9d5c-3f1e2a4b5c6d", body(ids + ids))
    assert again["output"] == {"status": "SUCCESSFUL", "errors": None}
    second = listing("ALLEGRO_DE")
    assert {k: {**v, "updatedAt": None} for k, v in second.items()} == {
        k: {**v, "updatedAt": None} for k, v in first.items()
    }


def test_publishing_an_offer_already_on_the_platform_changes_nothing(commands, make_offers, listing):
    ids = [o["offerId"] for o in make_offers(1)]
    commands.run(SEED_ID, body(ids))
    on_platform = next(iter(listing("ALLEGRO_DE").values()))
    r = commands.run("0b7b2d0e-6f0a-4b5e-9d5c-3f1e2a4b5c6d", body([on_platform["offerId"]]))
    assert r["output"]["status"] == "SUCCESSFUL"
    assert next(iter(listing("ALLEGRO_DE").values()))["integrationPrice"] == on_platform["integrationPrice"]


def test_stock_stays_shared_with_the_platform(commands, make_offers, listing, seller_headers, drain, client):
    from offers.support import Packages

    source = make_offers(1)[0]
    commands.run(SEED_ID, body([source["offerId"]]))
    packages = Packages(client, seller_headers, drain)
    results = packages.run(
        [{"sellerExternalReference": source["sellerExternalReference"], "quantity": 3}], package_type="Update"
    )
    assert results[0]["integrationStatus"] == "Integrated", results
    assert listing("ALLEGRO_DE")[source["sellerExternalReference"]]["quantity"] == 3


def test_one_product_under_two_references_conflicts_on_the_platform(commands, make_offers, db):
    """The seller sells one product under reference A on SELLZZ and B on CDISFR: one platform row only."""
    from sqlalchemy import select

    from comptoir.offers.models import Offer

    a = make_offers(1, "SELLZZ")[0]
    b = make_offers(1, "CDISFR")[0]
    with db.transaction() as s:
        row = s.scalar(select(Offer).where(Offer.seller_external_reference == b["sellerExternalReference"]))
        row.product_id = s.scalar(
            select(Offer.product_id).where(Offer.seller_external_reference == a["sellerExternalReference"])
        )
    b_id = b["offerId"].replace(b["productReference"], a["productReference"])
    r = commands.run(SEED_ID, body([a["offerId"], b_id]))
    assert r["output"]["status"] == "PARTIAL_SUCCESS"
    assert r["output"]["errors"] == [
        {
            "code": "OfferConflictException",
            "message": "Another offer of the seller has this reference, or this product and condition, "
            "on the platform",
            "details": "ALLEGRO_DE",
            "path": f"offers.{b_id}",
            "userMessage": "Masz już na tej platformie inną ofertę z tą sygnaturą lub tym produktem",
        }
    ]


# --- platforms and rates -----------------------------------------------------------------------------


def declare_czech_platform(client, operator_headers, rates):
    r = client.post(
        "/operator/v1/channels",
        json={
            "id": "ALLEGRO_CZ",
            "name": "Allegro.cz",
            "currency": "CZK",
            "countryCode": "CZ",
            "deliveryModes": [{"code": "THD", "name": "Doručení domů", "deliveryDelay": 3}],
        },
        headers=operator_headers,
    )
    assert r.status_code == 201, r.text
    r = client.put(
        "/operator/v1/additional-platforms/ALLEGRO_CZ",
        json={"salesChannelId": "ALLEGRO_CZ", "rates": rates},
        headers=operator_headers,
    )
    assert r.status_code == 200, r.text
    return r.json()


def test_prices_are_converted_at_the_operators_rate(client, operator_headers, commands, make_offers, listing):
    declare_czech_platform(client, operator_headers, [{"sourceCurrency": "EUR", "rate": 25.1}])
    source = make_offers(1)[0]
    r = commands.run(SEED_ID, body([source["offerId"]], ["ALLEGRO_DE", "ALLEGRO_CZ"]))
    assert r["output"] == {"status": "SUCCESSFUL", "errors": None}
    assert r["input"]["platforms"] == ["ALLEGRO_DE", "ALLEGRO_CZ"]
    copy = listing("ALLEGRO_CZ")[source["sellerExternalReference"]]
    rate = Decimal("25.1")

    def czk(eur):
        return float((Decimal(str(eur)) * rate).quantize(Decimal("0.01")))

    assert copy["integrationPrice"] == czk(source["integrationPrice"]) == 1254.75
    assert copy["originPrice"] == czk(source["originPrice"])
    assert copy["deliveryModes"] == [
        {"code": m["code"], "cost": czk(m["cost"]), "additionalCost": czk(m["additionalCost"])}
        for m in source["deliveryModes"]
    ]
    assert copy["facialPrice"]["currencyCode"] == "CZK"
    assert copy["quantity"] == source["quantity"]
    assert (
        listing("ALLEGRO_DE")[source["sellerExternalReference"]]["integrationPrice"]
        == source["integrationPrice"]
    )


def test_missing_rate_fails_on_that_platform_only(client, operator_headers, commands, make_offers):
    declare_czech_platform(client, operator_headers, [])
    ids = [o["offerId"] for o in make_offers(1)]
    r = commands.run(SEED_ID, body(ids, ["ALLEGRO_DE", "ALLEGRO_CZ"]))
    assert r["output"]["status"] == "PARTIAL_SUCCESS"
    [error] = r["output"]["errors"]
    assert (error["code"], error["details"], error["path"]) == (
        "ExchangeRateNotFoundException",
        "ALLEGRO_CZ",
        f"offers.{ids[0]}",
    )
    assert error["userMessage"] == "Nie można przeliczyć waluty oferty na walutę platformy"


def test_closed_platform_channel(client, operator_headers, commands, make_offers):
    ids = [o["offerId"] for o in make_offers(1)]
    assert commands.put(SEED_ID, body(ids)).status_code == 200
    r = client.patch("/operator/v1/channels/ALLEGRO_DE", json={"active": False}, headers=operator_headers)
    assert r.status_code == 200
    commands.drain()
    r = commands.get(SEED_ID).json()
    assert r["output"]["status"] == "ERROR"
    assert r["output"]["errors"][0]["code"] == "PlatformUnavailableException"


def test_operator_declares_platforms_and_rates(client, operator_headers, seller_headers):
    r = client.get("/operator/v1/additional-platforms", headers=operator_headers)
    assert r.status_code == 200
    [demo] = r.json()["items"]
    assert demo == {
        "id": "ALLEGRO_DE",
        "salesChannelId": "ALLEGRO_DE",
        "currency": "EUR",
        "active": True,
        "rates": [],
        "createdAt": demo["createdAt"],
        "updatedAt": demo["updatedAt"],
    }
    declared = declare_czech_platform(client, operator_headers, [{"sourceCurrency": "EUR", "rate": 25.1}])
    assert declared["currency"] == "CZK" and declared["rates"] == [{"sourceCurrency": "EUR", "rate": 25.1}]
    r = client.put(
        "/operator/v1/additional-platforms/ALLEGRO_CZ/rates/PLN", json={"rate": 5.8}, headers=operator_headers
    )
    assert r.status_code == 200, r.text
    r = client.put(
        "/operator/v1/additional-platforms/ALLEGRO_CZ/rates/EUR",
        json={"rate": 24.9},
        headers=operator_headers,
    )
    assert r.json()["rates"] == [
        {"sourceCurrency": "EUR", "rate": 24.9},
        {"sourceCurrency": "PLN", "rate": 5.8},
    ]
    assert (
        client.get("/operator/v1/additional-platforms/ALLEGRO_CZ", headers=operator_headers).json()
        == r.json()
    )

    assert_problem(client.get("/operator/v1/additional-platforms/NOPE", headers=operator_headers), 404)
    assert_problem(
        client.put(
            "/operator/v1/additional-platforms/NOPE/rates/EUR", json={"rate": 1}, headers=operator_headers
        ),
        404,
    )
    assert_problem(
        client.put(
            "/operator/v1/additional-platforms/ALLEGRO_CZ/rates/eur",
            json={"rate": 1},
            headers=operator_headers,
        ),
        400,
    )
    assert_problem(
        client.put(
            "/operator/v1/additional-platforms/ALLEGRO_CZ/rates/EUR",
            json={"rate": 0},
            headers=operator_headers,
        ),
        400,
    )
    taken = client.put(
        "/operator/v1/additional-platforms/ALLEGRO_XX",
        json={"salesChannelId": "ALLEGRO_DE"},
        headers=operator_headers,
    )
    assert_problem(taken, 409)
    unknown = client.put(
        "/operator/v1/additional-platforms/ALLEGRO_XX",
        json={"salesChannelId": "NOPE"},
        headers=operator_headers,
    )
    assert assert_problem(unknown, 400)["errors"] == {
        "salesChannelId": ["Sales channel NOPE does not exist."]
    }
    bad = client.put(
        "/operator/v1/additional-platforms/allegro",
        json={"salesChannelId": "SELLZZ"},
        headers=operator_headers,
    )
    assert "platformId" in assert_problem(bad, 400)["errors"]
    twice = client.put(
        "/operator/v1/additional-platforms/ALLEGRO_CZ",
        headers=operator_headers,
        json={"salesChannelId": "ALLEGRO_CZ", "rates": [{"sourceCurrency": "EUR", "rate": 1}] * 2},
    )
    assert_problem(twice, 400)
    assert_problem(client.get("/operator/v1/additional-platforms", headers=seller_headers), 403)


# --- idempotency and tenancy -------------------------------------------------------------------------


def test_put_is_idempotent(commands, make_offers, db):
    from sqlalchemy import func, select

    from comptoir.jobs.models import Job

    ids = [o["offerId"] for o in make_offers(1)]
    first = commands.put(SEED_ID, body(ids))
    second = commands.put(SEED_ID.upper(), body(ids))
    assert second.status_code == 200 and second.json() == first.json()
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Job).where(Job.kind.like("commands.%"))) == 1
    commands.drain()
    # Once done, sending it again answers the outcome and runs nothing.
    third = commands.put(SEED_ID, body(ids))
    assert third.json() == document(ids, "SUCCESSFUL")
    assert commands.drain() == 0


def test_same_id_with_another_body_conflicts(commands):
    assert commands.put(SEED_ID, body(SEED_OFFERS)).status_code == 200
    for payload in (
        body(SEED_OFFERS[:1]),
        body(list(reversed(SEED_OFFERS))),
        body(SEED_OFFERS, ["ALLEGRO_DE"] * 2),
    ):
        r = commands.put(SEED_ID, payload)
        assert r.status_code == 409, r.text
        assert r.headers["content-type"] == MEDIA_TYPE
        [error] = r.json()["errors"]
        assert error["code"] == "ConflictException"
        assert error["userMessage"] == "Żądanie jest sprzeczne z bieżącym stanem zasobu"


def test_another_sellers_command_is_invisible(commands, other_commands):
    assert commands.put(SEED_ID, body(SEED_OFFERS)).status_code == 200
    r = other_commands.get(SEED_ID)
    assert r.status_code == 404
    assert r.json() == {
        "errors": [
            {
                "code": "NotFoundException",
                "message": f"Command {SEED_ID} does not exist.",
                "details": None,
                "path": None,
                "userMessage": "Nie znaleziono żądanego zasobu",
            }
        ]
    }
    # Its id is taken: the same PUT by another seller is refused without saying more.
    r = other_commands.put(SEED_ID, body(SEED_OFFERS))
    assert r.status_code == 409
    assert commands.get(SEED_ID).json()["output"]["status"] == "RUNNING"


def test_unknown_command(commands):
    r = commands.get(SEED_ID)
    assert r.status_code == 404 and r.json()["errors"][0]["code"] == "NotFoundException"


def test_client_bound_to_several_sellers(client, commands, db):
    from comptoir import clock
    from comptoir.auth.models import ClientSeller, OAuthClient
    from comptoir.auth.secrets import hash_secret
    from conftest import token_for

    with db.transaction() as s:
        s.add(
            OAuthClient(
                client_id="agency",
                secret_hash=hash_secret("agency-secret"),
                kind="seller",
                active=True,
                created_at=clock.now(),
            )
        )
        s.flush()
        s.add_all(
            [
                ClientSeller(client_id="agency", seller_id="98979"),
                ClientSeller(client_id="agency", seller_id="12345"),
            ]
        )
    headers = allegro({"Authorization": f"Bearer {token_for(client, 'agency', 'agency-secret')}"})
    r = client.put(f"{PATH}/{SEED_ID}", json=body(SEED_OFFERS), headers=headers)
    assert r.status_code == 400
    assert r.json()["errors"][0]["path"] == "SellerId"
    r = client.put(f"{PATH}/{SEED_ID}", json=body(SEED_OFFERS), headers={**headers, "SellerId": "12345"})
    assert r.status_code == 200
    # The command is seller 12345's.
    assert commands.get(SEED_ID).status_code == 404
    r = client.get(f"{PATH}/{SEED_ID}", headers={**headers, "SellerId": "55555"})
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "AccessDeniedException"


# --- refusals in Allegro's format --------------------------------------------------------------------


def assert_allegro_error(response, status, code, path=None):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == MEDIA_TYPE
    errors = response.json()["errors"]
    assert errors and all(list(e) == ["code", "message", "details", "path", "userMessage"] for e in errors)
    assert errors[0]["code"] == code and errors[0]["path"] == path
    return errors


def test_more_than_1000_offers_refused(commands):
    ids = [str(n) for n in range(1, 1002)]
    [error] = assert_allegro_error(
        commands.put(SEED_ID, body(ids)), 422, "TooManyOffersException", "input.offers"
    )
    assert error["message"] == "A command takes at most 1000 offers; this one has 1001."
    assert error["userMessage"] == "Jednorazowo możesz zmienić maksymalnie 1000 ofert"
    r = commands.run(SEED_ID, body(ids[:1000]))
    assert r["output"]["status"] == "ERROR" and len(r["output"]["errors"]) == 1000


def test_invalid_commands(commands):
    assert_allegro_error(
        commands.put("not-a-uuid", body(SEED_OFFERS)), 422, "UnprocessableEntityException", "commandId"
    )
    assert_allegro_error(commands.get("not-a-uuid"), 422, "UnprocessableEntityException", "commandId")
    errors = assert_allegro_error(
        commands.put(SEED_ID, body(SEED_OFFERS, ["ALLEGRO_DE", "ALLEGRO_XX"])),
        422,
        "PlatformNotFoundException",
        "input.platforms[1]",
    )
    assert errors[0]["userMessage"] == "Nieznana platforma"
    assert_allegro_error(commands.put(SEED_ID, body([])), 422, "UnprocessableEntityException", "input.offers")
    assert_allegro_error(
        commands.put(SEED_ID, {"input": {"offers": "x"}}), 400, "ValidationException", "input.offers"
    )
    r = commands.client.put(f"{PATH}/{SEED_ID}", content=b"{not json", headers=commands.headers)
    assert_allegro_error(r, 400, "ValidationException", "body")
    # Nothing was created by the refusals.
    assert commands.get(SEED_ID).status_code == 404


def test_media_types(commands):
    json_body = commands.put(SEED_ID, body(SEED_OFFERS), **{"Content-Type": "application/json"})
    [error] = assert_allegro_error(json_body, 415, "UnsupportedMediaTypeException")
    assert error["userMessage"] == "Format żądania nie jest obsługiwany"
    assert_allegro_error(
        commands.put(SEED_ID, body(SEED_OFFERS), Accept="application/json"), 406, "NotAcceptableException"
    )
    assert_allegro_error(commands.get(SEED_ID, Accept="text/html"), 406, "NotAcceptableException")
    with_charset = commands.put(
        SEED_ID, body(SEED_OFFERS), **{"Content-Type": f"{MEDIA_TYPE}; charset=UTF-8"}
    )
    assert with_charset.status_code == 200
    # A GET with Content-Type application/json (spec 21), or with no Accept at all, is fine.
    assert commands.get(SEED_ID, **{"Content-Type": "application/json"}).status_code == 200
    headers = {k: v for k, v in commands.headers.items() if k not in ("Accept", "Content-Type")}
    r = commands.client.get(f"{PATH}/{SEED_ID}", headers=headers)
    assert r.status_code == 200 and r.headers["content-type"] == MEDIA_TYPE
    assert commands.get(SEED_ID, Accept="*/*").status_code == 200


def test_authentication(client, commands, operator_headers):
    no_token = {k: v for k, v in commands.headers.items() if k != "Authorization"}
    r = client.get(f"{PATH}/{SEED_ID}", headers=no_token)
    assert_allegro_error(r, 401, "UnauthorizedException")
    assert r.headers["www-authenticate"].startswith("Bearer")
    r = client.get(f"{PATH}/{SEED_ID}", headers={**no_token, "Authorization": "Bearer nope"})
    assert_allegro_error(r, 401, "UnauthorizedException")
    r = client.get(f"{PATH}/{SEED_ID}", headers=allegro(operator_headers))
    assert_allegro_error(r, 403, "AccessDeniedException")


def test_unknown_routes_and_methods_answer_in_allegro_format(commands):
    r = commands.client.delete(f"{PATH}/{SEED_ID}", headers=commands.headers)
    assert_allegro_error(r, 405, "MethodNotAllowedException")
    assert r.headers["allow"] == "GET, PUT"
    r = commands.client.get("/allegro/sale/offers", headers=commands.headers)
    [error] = assert_allegro_error(r, 404, "NotFoundException")
    assert error["message"] == "No resource matches GET /allegro/sale/offers."


def test_unexpected_errors_hide_their_cause(commands, monkeypatch):
    from comptoir.commands import service

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(service, "get_command", boom)
    r = commands.get(SEED_ID, **{"Accept-Language": "en-US"})
    [error] = assert_allegro_error(r, 500, "InternalServerErrorException")
    assert "secret" not in r.text and "Traceback" not in r.text
    assert error["userMessage"] == "Something went wrong, try again later"


def test_a_command_whose_job_keeps_failing_ends_in_error(client, commands, make_offers, monkeypatch):
    from comptoir.commands import service

    def broken(*args, **kwargs):
        raise RuntimeError("publishing down")

    ids = [o["offerId"] for o in make_offers(1)]
    monkeypatch.setattr(service, "run_command", broken)
    assert commands.put(SEED_ID, body(ids)).status_code == 200
    for _ in range(6):
        client.post("/sandbox/v1/clock", json={"advanceSeconds": 600}, headers=sandbox_headers(client))
        commands.drain()
    r = commands.get(SEED_ID, **{"Accept-Language": "en-US"})
    assert r.json()["output"]["status"] == "ERROR"
    assert [e["code"] for e in r.json()["output"]["errors"]] == ["CommandProcessingException"]
    assert r.json()["output"]["errors"][0]["path"] == f"offers.{ids[0]}"


# --- token ---------------------------------------------------------------------------------------------


def test_allegro_token_url(client):
    import base64

    basic = base64.b64encode(b"demo-client:demo-secret").decode()
    r = client.post(
        "/allegro/auth/oauth/token?grant_type=client_credentials", headers={"Authorization": f"Basic {basic}"}
    )
    assert r.status_code == 200, r.text
    token = r.json()
    assert token["token_type"] == "Bearer" and token["expires_in"] == 7200
    headers = allegro({"Authorization": f"Bearer {token['access_token']}"})
    assert client.put(f"{PATH}/{SEED_ID}", json=body(SEED_OFFERS), headers=headers).status_code == 200
    # Form fields work as on comptoir's own token URL.
    r = client.post(
        "/allegro/auth/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert r.status_code == 200
    bad = base64.b64encode(b"demo-client:wrong").decode()
    r = client.post(
        "/allegro/auth/oauth/token?grant_type=client_credentials", headers={"Authorization": f"Basic {bad}"}
    )
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
