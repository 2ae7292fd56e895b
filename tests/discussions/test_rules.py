"""The pure rules of discussions: graduation, recipients, JSON Patch, the search window, sub-typologies
and what an attachment's bytes must look like."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from comptoir.discussions import domain as d
from comptoir.discussions import files, typologies
from comptoir.errors import Conflict, ValidationFailed
from discussions.support import BMP, DOC, GIF, JPG, PDF, PNG, TIF, XLS, docx


def test_graduation_climbs_one_level_at_a_time():
    state = d.State(True, "Discussion", "ToTreat")
    assert d.escalated(state) == d.Graduation.CLAIM
    assert d.escalated(state, "Level_1") == d.Graduation.LEVEL_1
    with pytest.raises(Conflict):
        d.escalated(d.State(True, "Level_1", "ToTreat"))
    with pytest.raises(Conflict):
        d.escalated(d.State(True, "Claim", "ToTreat"), "Claim")
    with pytest.raises(Conflict):
        d.escalated(d.State(False, "Discussion", "ToTreat"))
    assert d.waits_for_seller(state)
    assert not d.waits_for_seller(d.State(True, "Discussion", "Treated"))
    assert not d.waits_for_seller(d.State(True, "Level_1", "ToTreat"))
    assert not d.waits_for_seller(d.State(False, "Claim", "ToTreat"))
    assert d.status_after("Seller") == "Treated" and d.status_after("GrcOperator") == "ToTreat"


def test_recipients_and_receivers():
    assert d.recipients("c-1", "Discussion", []) == [d.User("Customer", "c-1")]
    assert d.recipients("c-1", "Claim", []) == [d.User("Customer", "c-1"), d.User("GrcOperator", "GRC")]
    assert d.recipients("c-1", "Discussion", ["a", "b"])[1] == d.User("GrcOperator", "b")
    eligible = d.recipients("c-1", "Claim", [])
    assert d.addressed([], eligible) == [d.User("Customer", "c-1")]
    asked = [d.Asked("receivers[0]", "customerservice"), d.Asked("receivers[1]", "Customer", "c-1")]
    assert d.addressed(asked, eligible) == [eligible[1], eligible[0]]
    with pytest.raises(ValidationFailed) as refused:
        d.addressed([d.Asked("receiver", "Customer", "c-2")], eligible)
    assert "receiver" in refused.value.errors
    assert d.user_type("grcoperator") == "GrcOperator"
    with pytest.raises(ValidationFailed):
        d.buyer_type("Seller")


def test_json_patch_as_clients_send_it():
    assert d.patched_flag([("replace", "/isOpen", False)], "isOpen") is False
    assert d.patched_flag([(None, "isopen", "TRUE")], "isOpen") is True
    assert d.patched_flag([("add", "/hasRead", True), ("replace", "/hasRead", "false")], "hasRead") is False
    for ops in (
        [],
        [("remove", "/isOpen", None)],
        [("replace", "/subject", "x")],
        [("replace", "/isOpen", 1)],
    ):
        with pytest.raises(ValidationFailed):
            d.patched_flag(ops, "isOpen")


def test_six_months_back_keeps_the_day_when_it_can():
    assert d.months_before(datetime(2026, 8, 31, 12, tzinfo=UTC), 6) == datetime(2026, 2, 28, 12, tzinfo=UTC)
    assert d.months_before(datetime(2028, 8, 31, tzinfo=UTC), 6) == datetime(2028, 2, 29, tzinfo=UTC)
    assert d.months_before(datetime(2026, 3, 15, tzinfo=UTC), 6) == datetime(2025, 9, 15, tzinfo=UTC)
    now = datetime(2026, 7, 1, tzinfo=UTC)
    assert d.search_window(None, None, now) == (datetime(2026, 1, 1, tzinfo=UTC), None)
    low = datetime(2026, 1, 1, tzinfo=UTC)
    assert d.search_window(low, None, now) == (low, None)
    with pytest.raises(ValidationFailed):
        d.search_window(datetime(2025, 12, 31, tzinfo=UTC), None, now)
    with pytest.raises(ValidationFailed):
        d.search_window(now, low, now)


def test_sorts():
    assert d.sort_order(d.Sort.UPDATED, None) == ("updatedAt", True)
    assert d.sort_order(d.Sort.CREATED_ASC, None) == ("createdAt", False)
    assert d.sort_order(d.Sort.UPDATED_ASC, True) == ("updatedAt", True)


def test_sub_typologies_by_context():
    shipped = {s.code for s in typologies.allowed("Customer", "Order", "Shipped")}
    assert "productIsDamaged" in shipped and "broken-product" not in shipped
    assert typologies.check("printReceipt", user_type="Customer", typology_code="Order", status="Cancelled")
    with pytest.raises(ValidationFailed):
        typologies.check("printReceipt", user_type="Customer", typology_code="Order", status="Accepted")
    assert typologies.check("productInformation", user_type="Customer", typology_code="Product", status=None)
    with pytest.raises(ValidationFailed):
        typologies.check("productInformation", user_type="Seller", typology_code="Product", status=None)
    assert typologies.typology("ORDER") == "Order" and typologies.typology(None) is None


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("png", PNG),
        ("gif", GIF),
        ("bmp", BMP),
        ("jpg", JPG),
        ("jpeg", JPG),
        ("tif", TIF),
        ("pdf", PDF),
        ("doc", DOC),
        ("xls", XLS),
        ("docx", docx()),
    ],
)
def test_each_format_is_recognised_and_no_other(kind, data):
    assert files.content_matches(kind, data)
    others = [k for k in files.CONTENT_TYPES if k != kind and {k, kind} != {"jpg", "jpeg"}]
    assert not [k for k in others if files.content_matches(k, data)]


def test_file_limits():
    files.check([files.Upload("a.pdf", PDF)] * 3)
    with pytest.raises(ValidationFailed):
        files.check([files.Upload("a.pdf", PDF)] * 4)
    with pytest.raises(ValidationFailed):
        files.check([files.Upload("a.pdf", PDF + bytes(files.MAX_TOTAL_BYTES))])
    with pytest.raises(ValidationFailed):
        files.check([files.Upload("a.docx", b"PK\x03\x04 not really a zip")])
    assert files.safe_name("C:\\Users\\me\\photo 1.png") == "photo 1.png"
    assert files.safe_name("../../") == "attachment"
