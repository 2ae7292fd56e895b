"""Named snapshots: save the whole database, list, restore, delete, over /sandbox/v1/snapshots."""

from __future__ import annotations

import gzip

import pytest

from comptoir.sandbox import snapshots
from conftest import assert_problem, fresh_headers, sandbox_headers

ADDRESS = {
    "firstName": "Marie",
    "lastName": "Curie",
    "addressLine1": "1 rue Curie",
    "postalCode": "75005",
    "city": "Paris",
    "countryCode": "FR",
}


@pytest.fixture(autouse=True)
def _no_snapshots(settings):
    """Each test starts without snapshots (the data directory lives as long as the test session)."""
    folder = settings.data_dir / "snapshots"
    for path in folder.glob("*") if folder.is_dir() else []:
        path.unlink()


def _views(client, seller_headers, other_headers) -> list:
    """What the sellers see: their orders, offers, packages, products and the competitor's stock."""
    paths = [
        (seller_headers, "/seller/v2/orders"),
        (seller_headers, "/seller/v2/offer-packages"),
        (seller_headers, "/seller/v2/products"),
        (seller_headers, "/seller/v2/sellers"),
        (other_headers, "/seller/v2/orders"),
        (other_headers, "/seller/v2/offers?salesChannelId=SELLZZ"),
        (other_headers, "/seller/v2/offers?salesChannelId=CDISFR"),
    ]
    answers = []
    for headers, path in paths:
        r = client.get(path, headers=headers)
        assert r.status_code == 200, r.text
        answers.append(r.json())
    return answers


def _order(client, operator_headers, other_headers, drain) -> str:
    reference = client.get("/seller/v2/offers?salesChannelId=SELLZZ&limit=1", headers=other_headers).json()
    r = client.post(
        "/operator/v1/orders",
        json={
            "salesChannelId": "SELLZZ",
            "customer": {"reference": "c-1"},
            "shippingAddress": ADDRESS,
            "lines": [
                {
                    "sellerId": "12345",
                    "sellerExternalReference": reference["items"][0]["sellerExternalReference"],
                    "quantity": 1,
                }
            ],
        },
        headers=operator_headers,
    )
    assert r.status_code == 201, r.text
    drain()
    return str(r.json()["orderId"])


def _package(client, headers) -> int:
    r = client.post(
        "/seller/v2/offer-packages",
        json={"packageType": "Upsert", "salesChannelId": "SELLZZ"},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    return int(r.headers["Content-Location"].rsplit("/", 1)[1])


def test_a_restored_snapshot_answers_as_at_save(
    client, drain, seller_headers, other_headers, operator_headers
):
    first_order = _order(client, operator_headers, other_headers, drain)
    first_package = _package(client, seller_headers)
    saved = _views(client, seller_headers, other_headers)
    r = client.post("/sandbox/v1/snapshots", json={"name": "before-orders"}, headers=operator_headers)
    assert r.status_code == 201, r.text
    assert r.headers["Content-Location"] == "/snapshots/before-orders"
    assert r.json()["name"] == "before-orders" and r.json()["rows"] > 0 and r.json()["sizeBytes"] > 0

    later_order = _order(client, operator_headers, other_headers, drain)
    later_package = _package(client, seller_headers)
    assert _views(client, seller_headers, other_headers) != saved

    r = client.post("/sandbox/v1/snapshots/before-orders/restore", headers=operator_headers)
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "before-orders" and r.json()["rows"] > 0
    assert _views(client, seller_headers, other_headers) == saved
    assert client.get(f"/seller/v2/orders/{first_order}", headers=other_headers).status_code == 200
    assert_problem(client.get(f"/seller/v2/orders/{later_order}", headers=other_headers), 404)
    # New rows take ids after the restored ones (PostgreSQL's sequences were moved past them).
    assert _package(client, seller_headers) == later_package == first_package + 1


def test_list_get_and_delete_snapshots(client, operator_headers):
    assert client.get("/sandbox/v1/snapshots", headers=operator_headers).json()["items"] == []
    for name in ("b-snap", "a.snap_1"):
        assert (
            client.post("/sandbox/v1/snapshots", json={"name": name}, headers=operator_headers).status_code
            == 201
        )
    listed = client.get("/sandbox/v1/snapshots", headers=operator_headers).json()["items"]
    assert [s["name"] for s in listed] == ["a.snap_1", "b-snap"]
    assert all(s["sizeBytes"] > 0 and s["rows"] > 0 and s["createdAt"].endswith("Z") for s in listed)
    one = client.get("/sandbox/v1/snapshots/b-snap", headers=operator_headers)
    assert one.status_code == 200 and one.json() == listed[1]

    deleted = client.delete("/sandbox/v1/snapshots/b-snap", headers=operator_headers)
    assert deleted.status_code == 204 and deleted.content == b""
    assert [
        s["name"] for s in client.get("/sandbox/v1/snapshots", headers=operator_headers).json()["items"]
    ] == ["a.snap_1"]
    assert_problem(client.get("/sandbox/v1/snapshots/b-snap", headers=operator_headers), 404)
    assert_problem(client.delete("/sandbox/v1/snapshots/b-snap", headers=operator_headers), 404)
    assert_problem(client.post("/sandbox/v1/snapshots/b-snap/restore", headers=operator_headers), 404)


def test_saving_again_under_a_name_replaces_the_snapshot(client, seller_headers, operator_headers):
    client.post("/sandbox/v1/snapshots", json={"name": "s"}, headers=operator_headers)
    _package(client, seller_headers)
    client.post("/sandbox/v1/snapshots", json={"name": "s"}, headers=operator_headers)
    packages = client.get("/seller/v2/offer-packages", headers=seller_headers).json()
    client.post("/sandbox/v1/reset", headers=operator_headers)
    client.post("/sandbox/v1/snapshots/s/restore", headers=operator_headers)
    assert client.get("/seller/v2/offer-packages", headers=seller_headers).json() == packages
    assert len(client.get("/sandbox/v1/snapshots", headers=operator_headers).json()["items"]) == 1


def test_snapshot_names_are_checked(client, operator_headers):
    for name in ("../escape", "", "with space", "-dash-first", "x" * 65):
        body = assert_problem(
            client.post("/sandbox/v1/snapshots", json={"name": name}, headers=operator_headers), 400
        )
        assert "name" in body["errors"], name
    assert_problem(client.post("/sandbox/v1/snapshots", json={}, headers=operator_headers), 400)
    assert_problem(client.get("/sandbox/v1/snapshots/with%20space", headers=operator_headers), 400)


def test_tokens_issued_after_the_save_survive_a_restore(client, operator_headers):
    client.post("/sandbox/v1/snapshots", json={"name": "s"}, headers=operator_headers)
    # Tokens issued after the save: the signing key is not restored with the rest.
    seller = fresh_headers(client)
    operator = sandbox_headers(client)
    assert client.post("/sandbox/v1/snapshots/s/restore", headers=operator).status_code == 200
    assert client.get("/seller/v2/sellers", headers=seller).status_code == 200
    assert client.get("/sandbox/v1/snapshots", headers=operator).status_code == 200


def test_a_restore_brings_back_the_clock_and_empties_the_caches(client, seller_headers, operator_headers):
    client.post("/sandbox/v1/clock", json={"advanceSeconds": 600}, headers=operator_headers)
    client.post("/sandbox/v1/snapshots", json={"name": "s"}, headers=operator_headers)
    client.post("/sandbox/v1/clock", json={"reset": True}, headers=operator_headers)
    client.patch(
        "/operator/v1/sellers/98979", json={"fidelityProfile": "production"}, headers=operator_headers
    )
    csv = {**seller_headers, "Accept": "text/csv"}
    assert_problem(client.get("/seller/v2/sellers", headers=csv), 406)

    client.post("/sandbox/v1/snapshots/s/restore", headers=operator_headers)
    assert 590 < client.get("/sandbox/v1/clock", headers=operator_headers).json()["offsetSeconds"] < 700
    assert client.get("/seller/v2/sellers", headers=csv).status_code == 200


def test_a_damaged_or_foreign_snapshot_is_refused(client, settings, operator_headers):
    client.post("/sandbox/v1/snapshots", json={"name": "good"}, headers=operator_headers)
    folder = settings.data_dir / "snapshots"
    (folder / f"broken{snapshots.SUFFIX}").write_bytes(b"not a snapshot")
    body = assert_problem(client.post("/sandbox/v1/snapshots/broken/restore", headers=operator_headers), 409)
    assert body["detail"].startswith("The snapshot file")
    # A snapshot saved by another version of the schema.
    with gzip.open(folder / f"good{snapshots.SUFFIX}", "rb") as stream:
        content = stream.read()
    header = snapshots._decoder.decode(content[4 : 4 + int.from_bytes(content[:4], "big")])
    with gzip.open(folder / f"old{snapshots.SUFFIX}", "wb") as out:
        snapshots._write_frame(out, {**header, "revision": "0001"})
    assert_problem(client.post("/sandbox/v1/snapshots/old/restore", headers=operator_headers), 409)
    # Listing skips what cannot be read; the damaged file can still be deleted by name.
    names = [s["name"] for s in client.get("/sandbox/v1/snapshots", headers=operator_headers).json()["items"]]
    assert names == ["good", "old"]
    assert client.delete("/sandbox/v1/snapshots/broken", headers=operator_headers).status_code == 204
