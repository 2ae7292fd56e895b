from __future__ import annotations

from conftest import assert_problem


def test_unknown_route_is_a_problem(client):
    body = assert_problem(client.get("/seller/v2/no-such-route"), 404)
    assert body["instance"] == "/seller/v2/no-such-route"
    assert body["traceId"].startswith("00-") and len(body["traceId"]) == 55


def test_wrong_method_is_405(client):
    assert_problem(client.delete("/health"), 405)


def test_every_response_carries_a_trace_id(client):
    r = client.get("/health")
    assert r.headers["x-trace-id"].startswith("00-")


def test_incoming_traceparent_is_kept(client):
    trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    r = client.get("/nope", headers={"traceparent": trace})
    assert r.json()["traceId"].startswith("00-0af7651916cd43dd8448eb211c80319c-")


def test_validation_errors_name_each_field(client, operator_headers):
    r = client.post("/operator/v1/sellers", json={"id": "77777", "shopName": 12}, headers=operator_headers)
    body = assert_problem(r, 400)
    assert body["title"] == "Validation Failed"
    assert "shopName" in body["errors"]


def test_missing_required_field_is_named(client, operator_headers):
    body = assert_problem(
        client.post("/operator/v1/sellers", json={"id": "77777"}, headers=operator_headers), 400
    )
    assert "shopName" in body["errors"]


def test_nested_field_errors_carry_their_path(client, operator_headers):
    r = client.post(
        "/operator/v1/channels",
        json={
            "id": "NEWCH",
            "name": "New",
            "deliveryModes": [{"code": "A", "name": "A", "deliveryDelay": "x"}],
        },
        headers=operator_headers,
    )
    body = assert_problem(r, 400)
    assert any(k.startswith("deliveryModes") for k in body["errors"])


def test_malformed_json_is_400(client, operator_headers):
    r = client.post(
        "/operator/v1/sellers",
        content=b'{"id": "1",',
        headers={**operator_headers, "content-type": "application/json"},
    )
    assert "body" in assert_problem(r, 400)["errors"]


def test_empty_body_is_400(client, operator_headers):
    r = client.post(
        "/operator/v1/sellers", content=b"", headers={**operator_headers, "content-type": "application/json"}
    )
    assert_problem(r, 400)


def test_non_json_content_type_is_415(client, operator_headers):
    r = client.post(
        "/operator/v1/sellers", content=b"id=1", headers={**operator_headers, "content-type": "text/plain"}
    )
    assert_problem(r, 415)


def test_property_names_are_matched_case_insensitively(client, operator_headers):
    r = client.post(
        "/operator/v1/sellers",
        json={"ID": "77777", "ShopName": "Case Shop", "AUTOACCEPTORDER": True},
        headers=operator_headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["shopName"] == "Case Shop" and r.json()["autoAcceptOrder"] is True


def test_json_patch_content_type_is_accepted_for_json_bodies(client, operator_headers):
    r = client.post(
        "/operator/v1/sellers",
        content=b'{"id": "77778", "shopName": "Patchy"}',
        headers={**operator_headers, "content-type": "application/json-patch+json"},
    )
    assert r.status_code == 201, r.text


def test_gets_with_a_json_content_type_and_no_accept_work(client, seller_headers):
    headers = {**seller_headers, "content-type": "application/json-patch+json"}
    r = client.get("/seller/v2/sellers", headers=headers)
    assert r.status_code == 200


def test_no_stack_trace_on_unexpected_errors(client, app, seller_headers, monkeypatch):
    from comptoir.sellers import service

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(service, "profile", boom)
    body = assert_problem(client.get("/seller/v2/sellers", headers=seller_headers), 500)
    assert "secret internals" not in str(body) and "Traceback" not in str(body)


def test_openapi_and_docs_are_served(client):
    schema = client.get("/openapi.json").json()
    assert any(p.startswith("/operator/v1/sellers") for p in schema["paths"])
    assert client.get("/docs").status_code == 200


def test_query_parameters_are_named_as_sent(client, seller_headers):
    # `$limit` and `$page` are `limit` and `page` in the handler: the problem names what the client sent.
    for query, name in (("$limit=0", "$limit"), ("$page=0", "$page"), ("$page=x", "$page")):
        r = client.get(f"/seller/v2/offer-integration-packages/1?{query}", headers=seller_headers)
        errors = assert_problem(r, 400)["errors"]
        assert list(errors) == [name], errors
    errors = assert_problem(client.get("/seller/v2/offers?limit=0", headers=seller_headers), 400)["errors"]
    assert list(errors) == ["limit"], errors
