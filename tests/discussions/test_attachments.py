"""Message attachments over HTTP (spec 13.6, 13.8): multipart and base64 JSON, stored with their
sha256, listed by discussion or message, downloaded with the seller's headers; and the hostile cases:
content that is not what the extension says, too many files, too many bytes."""

from __future__ import annotations

import base64
import hashlib
import json

from conftest import assert_problem
from discussions.support import (
    BMP,
    DOC,
    GIF,
    JPG,
    OPERATOR,
    PDF,
    PNG,
    SELLER,
    TIF,
    XLS,
    discussion,
    docx,
    opened,
    order_in,
    reply,
    seller_opens,
)

ATTACHMENTS = f"{SELLER}/attachments"
MB = 1024 * 1024


def _discussion(client, db, drain, operator_headers, seller_headers) -> str:
    order_id = order_in(client, db, drain, operator_headers, seller_headers)["orderId"]
    return opened(client, operator_headers, order_id)


def _multipart(client, headers, discussion_id, files, **fields):
    data = {"discussionId": discussion_id, "body": "Here is the label and a photo.", **fields}
    return client.post(f"{SELLER}/messages", data=data, files=files, headers=headers)


def _b64(name: str, data: bytes) -> dict[str, str]:
    return {"fileName": name, "content": base64.b64encode(data).decode()}


def test_multipart_attachments_are_stored_listed_and_downloaded(
    client, db, drain, operator_headers, seller_headers, other_headers
):
    discussion_id = _discussion(client, db, drain, operator_headers, seller_headers)
    files = [
        ("attachments", ("label.pdf", PDF, "application/pdf")),
        ("files", ("photo.png", PNG, "image/png")),
    ]
    r = _multipart(
        client,
        seller_headers,
        discussion_id,
        files,
        receivers=json.dumps([{"userType": "Customer", "userId": "c-1"}]),
    )
    assert r.status_code == 201, r.text
    message = r.json()
    assert message["receivers"] == [{"userType": "Customer", "userId": "c-1"}]
    stored = {a["fileName"]: a for a in message["attachments"]}
    assert set(stored) == {"label.pdf", "photo.png"}
    pdf = stored["label.pdf"]
    assert (pdf["contentType"], pdf["size"], pdf["sha256"]) == (
        "application/pdf",
        len(PDF),
        hashlib.sha256(PDF).hexdigest(),
    )
    assert pdf["url"].endswith(f"/seller/v2/attachments/{pdf['attachmentId']}")
    download = client.get(pdf["url"], headers=seller_headers)
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"].startswith("application/pdf")
    assert 'filename="label.pdf"' in download.headers["content-disposition"]
    by_discussion = client.get(
        ATTACHMENTS, params={"discussionId": discussion_id}, headers=seller_headers
    ).json()
    assert by_discussion["itemsPerPage"] == 2
    by_message = client.get(
        ATTACHMENTS, params={"messageId": message["messageId"]}, headers=seller_headers
    ).json()
    assert {a["attachmentId"] for a in by_message["items"]} == {a["attachmentId"] for a in stored.values()}
    page = client.get(
        ATTACHMENTS, params={"discussionId": discussion_id, "pageSize": 1}, headers=seller_headers
    )
    assert len(page.json()["items"]) == 1 and 'rel="next"' in page.headers["link"]
    # The discussion shows them on its message; the customer downloads them from the operator API.
    last = discussion(client, seller_headers, discussion_id)["messages"][-1]
    assert len(last["attachments"]) == 2
    theirs = client.get(f"{OPERATOR}/discussions/{discussion_id}", headers=operator_headers).json()
    url = theirs["messages"][-1]["attachments"][0]["url"]
    assert "/operator/v1/attachments/" in url
    assert client.get(url, headers=operator_headers).status_code == 200
    assert_problem(client.get(pdf["url"], headers=other_headers), 404)
    assert_problem(client.get(f"{ATTACHMENTS}/NOPE", headers=seller_headers), 404)
    assert_problem(client.get(ATTACHMENTS, headers=seller_headers), 400)


def test_every_documented_format_in_json(client, db, drain, operator_headers, seller_headers):
    discussion_id = _discussion(client, db, drain, operator_headers, seller_headers)
    samples = [
        ("a.png", PNG),
        ("b.gif", GIF),
        ("c.bmp", BMP),
        ("d.jpg", JPG),
        ("e.JPEG", JPG),
        ("f.tif", TIF),
        ("g.pdf", PDF),
        ("h.doc", DOC),
        ("i.docx", docx()),
        ("j.xls", XLS),
    ]
    for i in range(0, len(samples), 3):
        batch = [_b64(name, data) for name, data in samples[i : i + 3]]
        r = reply(client, seller_headers, discussion_id, attachments=batch)
        assert r.status_code == 201, r.text
    # A `data:` URL and the `name`/`data` spellings work too.
    url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    r = reply(client, seller_headers, discussion_id, attachments=[{"name": "k.png", "data": url}])
    assert r.status_code == 201, r.text
    listed = client.get(
        ATTACHMENTS, params={"discussionId": discussion_id, "pageSize": 100}, headers=seller_headers
    )
    assert listed.json()["itemsPerPage"] == len(samples) + 1


def test_the_seller_opens_with_a_file(client, db, drain, operator_headers, seller_headers):
    order_id = order_in(client, db, drain, operator_headers, seller_headers)["orderId"]
    message = {
        "body": "Here is the return label to print.",
        "receiver": "Customer",
        "attachments": [_b64("label.pdf", PDF)],
    }
    r = seller_opens(client, seller_headers, order_id, sub="returnInstructions", message=message)
    assert r.status_code == 201, r.text
    [first] = discussion(client, seller_headers, r.json()["id"])["messages"]
    assert [(a["fileName"], a["sha256"]) for a in first["attachments"]] == [
        ("label.pdf", hashlib.sha256(PDF).hexdigest())
    ]
    fake = {**message, "attachments": [_b64("label.pdf", GIF)]}
    problem = assert_problem(seller_opens(client, seller_headers, order_id, message=fake), 400)
    assert "message.attachments[0]" in problem["errors"]
    # Nothing of the refused discussion was kept.
    assert client.get(f"{SELLER}/discussions/count", headers=seller_headers).json() == 1


def test_the_customer_attaches_files_too(client, db, drain, operator_headers, seller_headers):
    order_id = order_in(client, db, drain, operator_headers, seller_headers)["orderId"]
    body = {
        "orderId": order_id,
        "subject": "Broken screen",
        "subTypologyCode": "productIsDamaged",
        "message": {"body": "See the photo of the screen.", "attachments": [_b64("screen.jpg", JPG)]},
    }
    r = client.post(f"{OPERATOR}/discussions", json=body, headers=operator_headers)
    assert r.status_code == 201, r.text
    discussion_id = r.json()["discussionId"]
    multipart = client.post(
        f"{OPERATOR}/discussions/{discussion_id}/messages",
        data={"body": "And the invoice, as asked.", "userType": "Customer"},
        files=[("file", ("invoice.pdf", PDF, "application/pdf"))],
        headers=operator_headers,
    )
    assert multipart.status_code == 201, multipart.text
    agent = client.post(
        f"{OPERATOR}/discussions/{discussion_id}/messages",
        json={"body": "Customer service: the report.", "userType": "GrcOperator", "userId": "agent-1"},
        headers=operator_headers,
    )
    assert agent.status_code == 201, agent.text
    with_file = client.post(
        f"{OPERATOR}/discussions/{discussion_id}/messages",
        json={
            "body": "Customer service: the carrier's report.",
            "userType": "GrcOperator",
            "attachments": [_b64("report.docx", docx())],
        },
        headers=operator_headers,
    )
    assert with_file.status_code == 201, with_file.text
    assert with_file.json()["sender"] == {"userType": "GrcOperator", "userId": "GRC"}
    names = [
        a["fileName"]
        for a in client.get(
            ATTACHMENTS, params={"discussionId": discussion_id}, headers=seller_headers
        ).json()["items"]
    ]
    assert names == ["screen.jpg", "invoice.pdf", "report.docx"]
    bad = {
        **body,
        "subTypologyCode": "wrongProductReceived",
        "message": {**body["message"], "attachments": [_b64("screen.jpg", PDF)]},
    }
    assert (
        "message.attachments[0]"
        in assert_problem(client.post(f"{OPERATOR}/discussions", json=bad, headers=operator_headers), 400)[
            "errors"
        ]
    )


def test_hostile_attachments_are_refused(client, db, drain, operator_headers, seller_headers):
    discussion_id = _discussion(client, db, drain, operator_headers, seller_headers)
    zip_not_docx = docx(word=False)
    wrong = {
        "fake.pdf": PNG,  # not a PDF
        "fake.png": PDF,
        "fake.doc": XLS,  # an Excel file named as a Word one
        "fake.xls": DOC,
        "fake.docx": zip_not_docx,  # an archive, not a Word document
        "fake.jpg": b"\xff\xd8",
        "empty.gif": b"",
        "tool.exe": b"MZ" + bytes(100),
        "noextension": PDF,
    }
    for name, data in wrong.items():
        problem = assert_problem(
            reply(client, seller_headers, discussion_id, attachments=[_b64(name, data)]), 400
        )
        assert any(key.startswith("attachments[0]") for key in problem["errors"]), (name, problem)
        files = [("attachments", (name, data, "application/octet-stream"))]
        assert_problem(_multipart(client, seller_headers, discussion_id, files), 400)
    four = [_b64(f"p{i}.png", PNG) for i in range(4)]
    problem = assert_problem(reply(client, seller_headers, discussion_id, attachments=four), 400)
    assert "at most 3" in problem["errors"]["attachments"][0]
    parts = [("attachments", (f"p{i}.png", PNG, "image/png")) for i in range(4)]
    problem = assert_problem(_multipart(client, seller_headers, discussion_id, parts), 400)
    assert "at most 3" in problem["errors"]["attachments"][0]
    big = PDF + bytes(2 * MB)
    heavy = [_b64("a.pdf", big), _b64("b.pdf", big)]
    problem = assert_problem(reply(client, seller_headers, discussion_id, attachments=heavy), 400)
    assert "4 MB" in problem["errors"]["attachments"][0]
    files = [
        ("attachments", ("a.pdf", big, "application/pdf")),
        ("attachments", ("b.pdf", big, "application/pdf")),
    ]
    assert_problem(_multipart(client, seller_headers, discussion_id, files), 400)
    just_under = PDF + bytes(4 * MB - len(PDF))
    assert (
        reply(client, seller_headers, discussion_id, attachments=[_b64("max.pdf", just_under)]).status_code
        == 201
    )
    not_base64 = [{"fileName": "a.pdf", "content": "%%%not base64%%%"}]
    assert (
        "attachments[0].content"
        in assert_problem(reply(client, seller_headers, discussion_id, attachments=not_base64), 400)["errors"]
    )
    no_name = [{"content": base64.b64encode(PDF).decode()}]
    assert_problem(reply(client, seller_headers, discussion_id, attachments=no_name), 400)
    # Beyond what any valid message weighs, the body itself is refused before it is read.
    huge = [("attachments", ("huge.pdf", PDF + bytes(8 * MB), "application/pdf"))]
    assert_problem(_multipart(client, seller_headers, discussion_id, huge), 413)
    # Nothing refused was stored.
    listed = client.get(ATTACHMENTS, params={"discussionId": discussion_id}, headers=seller_headers).json()[
        "items"
    ]
    assert [a["fileName"] for a in listed] == ["max.pdf"]
    # A file name cannot reach the download headers as it was sent.
    odd = reply(client, seller_headers, discussion_id, attachments=[_b64('../x"\r\n.pdf', PDF)])
    assert odd.status_code == 201, odd.text
    assert odd.json()["attachments"][0]["fileName"] == "x___.pdf"
