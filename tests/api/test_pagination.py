from __future__ import annotations

import re

from conftest import assert_problem


def links(response):
    header = response.headers.get("link", "")
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', header)}


def make_sellers(client, operator_headers, n):
    for i in range(n):
        r = client.post(
            "/operator/v1/sellers", json={"id": f"9{i:04d}", "shopName": f"S{i}"}, headers=operator_headers
        )
        assert r.status_code == 201


def test_short_list_has_first_but_no_next(client, operator_headers):
    r = client.get("/operator/v1/sellers?pageSize=10", headers=operator_headers)
    assert r.json()["itemsPerPage"] == 2
    rels = links(r)
    assert "first" in rels and "next" not in rels and "prev" not in rels


def test_long_list_walks_pages_with_link_headers(client, operator_headers):
    make_sellers(client, operator_headers, 7)  # 9 sellers with the demo ones
    seen = []
    url = "/operator/v1/sellers?pageSize=4&unknown=kept"
    pages = 0
    while url:
        r = client.get(url, headers=operator_headers)
        pages += 1
        seen += [s["id"] for s in r.json()["items"]]
        rels = links(r)
        assert "unknown=kept" in rels["first"]
        if pages > 1:
            assert "prev" in rels
        url = rels.get("next")
    assert pages == 3 and len(seen) == 9 == len(set(seen))
    last = client.get("/operator/v1/sellers?pageSize=4&pageIndex=3", headers=operator_headers)
    assert last.json()["itemsPerPage"] == 1


def test_page_size_over_100_is_refused(client, operator_headers):
    body = assert_problem(client.get("/operator/v1/sellers?pageSize=101", headers=operator_headers), 400)
    assert "pageSize" in body["errors"]


def test_query_names_are_case_insensitive(client, operator_headers):
    r = client.get("/operator/v1/sellers?PAGESIZE=1&pageindex=2", headers=operator_headers)
    assert [s["id"] for s in r.json()["items"]] == ["98979"]


def test_cursor_pages_walk_forward_and_back(client, operator_headers, db):
    from comptoir.jobs import enqueue

    with db.transaction() as session:
        for i in range(5):
            enqueue(session, "test.noop", {"i": i})
    first = client.get("/operator/v1/jobs?limit=2", headers=operator_headers)
    assert [j["kind"] for j in first.json()["items"]] == ["test.noop"] * 2
    ids = [j["id"] for j in first.json()["items"]]
    rels = links(first)
    assert "next" in rels and "prev" not in rels
    second = client.get(rels["next"], headers=operator_headers)
    ids2 = [j["id"] for j in second.json()["items"]]
    assert ids2 and max(ids2) < min(ids)
    third = client.get(links(second)["next"], headers=operator_headers)
    assert len(third.json()["items"]) == 1 and "next" not in links(third)
    back = client.get(links(second)["prev"], headers=operator_headers)
    assert [j["id"] for j in back.json()["items"]] == ids
    # Cursor also accepted as "Cursor".
    again = client.get(rels["next"].replace("cursor=", "Cursor="), headers=operator_headers)
    assert [j["id"] for j in again.json()["items"]] == ids2


def test_bad_cursor_is_400(client, operator_headers):
    body = assert_problem(client.get("/operator/v1/jobs?cursor=garbage", headers=operator_headers), 400)
    assert "cursor" in body["errors"]
