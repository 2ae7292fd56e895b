"""XML offer integration packages: the seed sample, package options, hostile XML, ZIP bombs, bad URLs."""

from __future__ import annotations

import http.server
import io
import threading
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from litestar.testing import TestClient

from comptoir.api.app import create_app
from comptoir.offers import fetch
from comptoir.offers.offers_xml import XmlPackageError, parse_offers_xml
from conftest import assert_problem
from offers.support import BASE

NS = "clr-namespace:Cdiscount.Service.OfferIntegration.Pivot;assembly=Cdiscount.Service.OfferIntegration"

# The Offers.xml sample of the documentation (seed 000), inside its OfferPackage element.
SEED_OFFER = """<Offer ProductEan="{ean}" SellerProductId="YourInternalReference" Price="27.3"
    StrikedPrice="29.90" EcoPart="0.50" Vat="20" DeaTax="0.10" PriceMustBeAligned="true"
    MinimumPriceForAlignment="22.50" Stock="1337" ProductPackagingUnit="Piece" ProductPackagingValue="1"
    PreparationTime="3">
  <Offer.ShippingInformationList>
    <ShippingInformationList Capacity="1">
      <ShippingInformation DeliveryMode="Tracked" ShippingCharges="3.50" AdditionalShippingCharges="0.50" />
    </ShippingInformationList>
  </Offer.ShippingInformationList>
</Offer>"""


def package_xml(offers: str, *, attrs: str = 'PackageType="Full"', channels: tuple[str, ...] = ()) -> str:
    publication = ""
    if channels:
        pools = "".join(f'<PublicationPool SalesChannelId="{c}" />' for c in channels)
        publication = (
            f'<OfferPackage.OfferPublicationList><OfferPublicationList Capacity="{len(channels)}">{pools}'
            "</OfferPublicationList></OfferPackage.OfferPublicationList>"
        )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<OfferPackage Name="Test package" {attrs} xmlns="{NS}">'
        f'{publication}<OfferPackage.Offers><OfferCollection Capacity="1">{offers}</OfferCollection>'
        "</OfferPackage.Offers></OfferPackage>"
    )


def offer_xml(
    ref: str,
    ean: str,
    *,
    price: str = "19.90",
    stock: str = "5",
    mode: str = "Tracked",
    extra: str = "",
    inner: str = "",
) -> str:
    return (
        f'<Offer SellerProductId="{ref}" ProductEan="{ean}" ProductCondition="6" Price="{price}" '
        f'Stock="{stock}" Vat="20" PreparationTime="2" {extra}>'
        '<Offer.ShippingInformationList><ShippingInformationList Capacity="1">'
        f'<ShippingInformation DeliveryMode="{mode}" ShippingCharges="2.50" /></ShippingInformationList>'
        f"</Offer.ShippingInformationList>{inner}</Offer>"
    )


def zip_bytes(xml: str | bytes, *, name: str = "Content/Offers.xml", layout: bool = True) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        if layout:
            z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
            z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        z.writestr(name, xml)
    return out.getvalue()


@pytest.fixture
def xml_package(client, seller_headers, tmp_path, drain):
    """Serves a ZIP from a file:// URL (sandbox mode allows it), submits it, runs the worker."""
    counter = iter(range(1_000_000))

    def submit(data: bytes, *, run: bool = True) -> dict:
        path = tmp_path / f"package-{next(counter)}.zip"
        path.write_bytes(data)
        r = client.post(
            f"{BASE}/offer-integration-packages", json={"url": path.as_uri()}, headers=seller_headers
        )
        assert r.status_code == 201, r.text
        package_id = r.json()["packageId"]
        # The id is a string, as in the JSON family; the headers follow the one rule of every create.
        assert isinstance(package_id, str) and package_id.isdigit()
        assert r.headers["content-location"] == f"/offer-integration-packages/{package_id}"
        assert r.headers["location"] == f"{client.base_url}{BASE}/offer-integration-packages/{package_id}"
        if run:
            drain()
        return status(package_id)

    def status(package_id: str, headers: dict | None = None, **params: object) -> dict:
        r = client.get(
            f"{BASE}/offer-integration-packages/{package_id}",
            params=params or None,
            headers={**seller_headers, **(headers or {})},
        )
        assert r.status_code == 200, r.text
        assert r.json()["packageId"] == str(package_id)
        return dict(r.json())

    submit.status = status  # type: ignore[attr-defined]
    return submit


# --- the documentation's sample ---------------------------------------------------------------------


def test_the_seed_sample_is_read_attribute_by_attribute():
    parsed = parse_offers_xml(package_xml(SEED_OFFER.format(ean="12345678901231")).encode())
    assert (parsed.name, parsed.package_type, parsed.purge_and_replace, parsed.channel_ids) == (
        "Test package",
        "Full",
        False,
        [],
    )
    (offer,) = parsed.offers
    assert offer.reference == "YourInternalReference" and offer.gtin == "12345678901231"
    assert (offer.price, offer.origin_price, offer.quantity, offer.preparation_time) == (
        Decimal("27.3"),
        Decimal("29.90"),
        1337,
        3,
    )
    assert [(t.code, t.value) for t in offer.taxes] == [
        ("VAT", Decimal("20")),
        ("EcoTax", Decimal("0.50")),
        ("DeaTax", Decimal("0.10")),
    ]
    assert offer.price_must_be_aligned is True
    assert offer.minimum_price_for_alignment == Decimal("22.50")
    assert (offer.packaging_unit, offer.packaging_value) == ("Piece", Decimal("1"))
    (mode,) = offer.delivery_modes
    assert (mode.code, mode.cost, mode.additional_cost) == ("TRK", Decimal("3.50"), Decimal("0.50"))
    assert offer.problems == []


def test_the_seed_sample_integrates_on_cdiscount(xml_package, packages, make_products):
    (p,) = make_products(1)
    status = xml_package(zip_bytes(package_xml(SEED_OFFER.format(ean=p.gtin))))
    assert status["status"] == "Integrated", status
    assert (status["salesChannelIds"], status["packageType"], status["packageName"]) == (
        ["CDISFR"],
        "Full",
        "Test package",
    )
    assert (status["offerCount"], status["integratedOfferCount"], status["rejectedOfferCount"]) == (1, 1, 0)
    (log,) = status["offerLogs"]["items"]
    assert log["offerIntegrationStatus"] == "Integrated" and log["sellerProductId"] == "YourInternalReference"
    (offer,) = packages.offers("CDISFR")
    assert offer["integrationPrice"] == 27.3 and offer["quantity"] == 1337 and offer["offerState"] == "Active"
    assert offer["minimumPriceForPriceAlignment"] == 22.5 and offer["priceMustBeAligned"] is True
    assert offer["taxes"] == [
        {"code": "VAT", "value": 20.0},
        {"code": "EcoTax", "value": 0.5},
        {"code": "DeaTax", "value": 0.1},
    ]


def test_the_seed_sample_as_is_is_refused_per_offer_on_cdiscount(xml_package):
    # Its EAN has 14 digits; Cdiscount takes 13.
    status = xml_package(zip_bytes(package_xml(SEED_OFFER.format(ean="12345678901231"))))
    assert status["status"] == "Integrated"
    (log,) = status["offerLogs"]["items"]
    assert log["offerIntegrationStatus"] == "Rejected"
    assert [r["resultCode"] for r in log["results"]] == ["4101"]


# --- request forms and URLs -------------------------------------------------------------------------


def test_the_url_may_be_a_bare_string_or_an_object(client, seller_headers, tmp_path, make_products):
    (p,) = make_products(1)
    path = tmp_path / "p.zip"
    path.write_bytes(zip_bytes(package_xml(offer_xml("A", p.gtin))))
    for body in (
        path.as_uri(),
        {"url": path.as_uri()},
        {"PackageUrl": path.as_uri()},
        {"zipFileFullPath": path.as_uri()},
    ):
        r = client.post(f"{BASE}/offer-integration-packages", json=body, headers=seller_headers)
        assert r.status_code == 201, r.text
        assert r.json()["packageId"].isdigit()
    for body in ({}, "", {"url": "  "}):
        assert_problem(
            client.post(f"{BASE}/offer-integration-packages", json=body, headers=seller_headers), 400
        )


@pytest.mark.parametrize("url", ["ftp://example.com/p.zip", "gopher://x/", "not a url", "http:///nohost.zip"])
def test_only_http_urls(client, seller_headers, url):
    r = client.post(f"{BASE}/offer-integration-packages", json={"url": url}, headers=seller_headers)
    assert "url" in assert_problem(r, 400)["errors"]


@pytest.fixture
def hosted_client(settings, db):
    """The app as a hosted marketplace runs it: no sandbox mode."""
    with TestClient(app=create_app(replace(settings, sandbox=False), db)) as c:
        yield c


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/p.zip",
        "http://localhost:8000/p.zip",
        "https://10.0.0.8/p.zip",
        "http://192.168.1.1/p.zip",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/p.zip",
        "http://[::ffff:127.0.0.1]/p.zip",
        "http://0.0.0.0/p.zip",
    ],
)
def test_a_hosted_marketplace_refuses_local_and_private_addresses(client, hosted_client, seller_headers, url):
    r = hosted_client.post(f"{BASE}/offer-integration-packages", json={"url": url}, headers=seller_headers)
    assert "url" in assert_problem(r, 400)["errors"]


def test_host_names_are_checked_once_resolved(monkeypatch):
    monkeypatch.setattr(fetch.socket, "getaddrinfo", lambda *_, **__: [(2, 1, 6, "", ("127.0.0.1", 80))])
    with pytest.raises(fetch.PackageFetchError, match="private"):
        fetch.fetch("http://innocent.example/p.zip", allow_local=False)


def test_unreachable_and_missing_packages_are_rejected(xml_package, client, seller_headers, drain, tmp_path):
    r = client.post(
        f"{BASE}/offer-integration-packages", json={"url": "http://127.0.0.1:9/p.zip"}, headers=seller_headers
    )
    drain()
    status = xml_package.status(r.json()["packageId"])
    assert status["status"] == "Rejected" and "could not be downloaded" in status["message"]
    missing = (tmp_path / "missing.zip").as_uri()
    r = client.post(f"{BASE}/offer-integration-packages", json=missing, headers=seller_headers)
    drain()
    status = xml_package.status(r.json()["packageId"])
    assert status["status"] == "Rejected" and "cannot be read" in status["message"]


@pytest.fixture
def http_server(tmp_path):
    files: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path == "/moved.zip":
                self.send_response(302)
                self.send_header("Location", "/p.zip")
                self.end_headers()
                return
            body = files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", files
    server.shutdown()


def test_packages_are_downloaded_over_http_following_redirects(
    client, seller_headers, drain, xml_package, http_server, make_products, packages
):
    base, files = http_server
    (p,) = make_products(1)
    files["/p.zip"] = zip_bytes(package_xml(offer_xml("HTTP", p.gtin)))
    for path in ("/p.zip", "/moved.zip"):
        r = client.post(f"{BASE}/offer-integration-packages", json=base + path, headers=seller_headers)
        drain()
        assert xml_package.status(r.json()["packageId"])["status"] == "Integrated"
    r = client.post(f"{BASE}/offer-integration-packages", json=base + "/gone.zip", headers=seller_headers)
    drain()
    status = xml_package.status(r.json()["packageId"])
    assert status["status"] == "Rejected" and "404" in status["message"]
    assert [o["sellerExternalReference"] for o in packages.offers("CDISFR")] == ["HTTP"]


def test_downloads_are_bounded(monkeypatch, http_server, tmp_path):
    base, files = http_server
    files["/big.zip"] = b"x" * 2048
    monkeypatch.setattr(fetch, "MAX_DOWNLOAD_BYTES", 1024)
    with pytest.raises(fetch.PackageFetchError, match="larger"):
        fetch.fetch(base + "/big.zip", allow_local=True)
    path = tmp_path / "big.zip"
    path.write_bytes(files["/big.zip"])
    with pytest.raises(fetch.PackageFetchError, match="larger"):
        fetch.fetch(path.as_uri(), allow_local=True)


# --- hostile content --------------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<OfferPackage Name="&lol9;"><OfferPackage.Offers /></OfferPackage>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE OfferPackage [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<OfferPackage Name="&secret;"><OfferPackage.Offers /></OfferPackage>"""


@pytest.mark.parametrize(
    "xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["entity-expansion", "external-entity"]
)
def test_hostile_xml_is_refused(xml_package, xml):
    status = xml_package(zip_bytes(xml))
    assert status["status"] == "Rejected"
    assert "DTD" in status["message"]
    assert status["offerLogs"]["items"] == []


def test_zip_bombs_are_refused(xml_package):
    padding = "<!--" + " " * (20 * 1024 * 1024) + "-->"
    bomb = zip_bytes(package_xml("") + padding)
    assert len(bomb) < 100_000
    status = xml_package(bomb)
    assert status["status"] == "Rejected" and "ZIP bomb" in status["message"]


def test_zip_directory_sizes_are_not_trusted():
    data = bytearray(zip_bytes("<OfferPackage>" + " " * 100_000 + "</OfferPackage>", layout=False))
    # Shrink the declared uncompressed size in the central directory: the real size still counts.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    with pytest.raises(fetch.PackageFetchError):
        fetch.open_offers_xml(bytes(data))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip at all", "not a ZIP"),
        (zip_bytes("<OfferPackage/>", name="Content/Other.xml"), "no Content/Offers.xml"),
        (zip_bytes("<OfferPackage><unclosed></OfferPackage>"), "not well-formed"),
        (zip_bytes('<Offers><Offer SellerProductId="A"/></Offers>'), "root element"),
        (zip_bytes('<OfferPackage PackageType="Light"/>'), "PackageType"),
        (zip_bytes('<OfferPackage PurgeAndReplace="maybe"/>'), "PurgeAndReplace"),
        (zip_bytes("<OfferPackage><PublicationPool/></OfferPackage>"), "SalesChannelId"),
    ],
)
def test_broken_packages_are_rejected_with_a_message(xml_package, data, message):
    status = xml_package(data)
    assert status["status"] == "Rejected" and message in status["message"], status


def test_long_names_and_values_do_not_break_the_package(xml_package, make_products):
    (p,) = make_products(1)
    offer = offer_xml("A", p.gtin, extra=f'ProductPackagingUnit="{"U" * 300}"')
    status = xml_package(zip_bytes(package_xml(offer).replace('Name="Test package"', f'Name="{"N" * 500}"')))
    assert status["status"] == "Integrated" and len(status["packageName"]) == 200
    assert [r["resultCode"] for r in status["offerLogs"]["items"][0]["results"]] == ["4117"]


def test_lowercase_offers_xml_and_no_layout_files_are_accepted(xml_package, make_products):
    (p,) = make_products(1)
    status = xml_package(
        zip_bytes(package_xml(offer_xml("A", p.gtin)), name="content/offers.xml", layout=False)
    )
    assert status["status"] == "Integrated" and status["integratedOfferCount"] == 1


def test_too_many_offers_are_refused(monkeypatch):
    monkeypatch.setattr("comptoir.offers.domain.MAX_XML_OFFERS", 2)
    xml = package_xml("".join(offer_xml(f"R{i}", "3000000000017") for i in range(3)))
    with pytest.raises(XmlPackageError, match="at most 2"):
        parse_offers_xml(xml.encode())


# --- package options --------------------------------------------------------------------------------


def test_offer_values_are_checked_one_by_one(xml_package, make_products):
    a, b, c, e = make_products(4)
    offers = "".join(
        [
            offer_xml("GOOD", a.gtin),
            offer_xml("BADPRICE", b.gtin, price="abc"),
            offer_xml("BADMODE", c.gtin, mode="Teleport"),
            offer_xml("MINPRICE", e.gtin, extra='MinimumPriceForPriceAlignment="99"'),
            '<Offer SellerProductId="NOEAN" Price="1" />',
        ]
    )
    status = xml_package(zip_bytes(package_xml(offers)))
    logs = {log["sellerProductId"]: log for log in status["offerLogs"]["items"]}
    assert logs["GOOD"]["offerIntegrationStatus"] == "Integrated"
    assert [r["resultCode"] for r in logs["BADPRICE"]["results"]] == ["4104"]
    assert [r["resultCode"] for r in logs["BADMODE"]["results"]] == ["4107"]
    assert [r["resultCode"] for r in logs["MINPRICE"]["results"]] == ["4116"]
    assert [r["resultCode"] for r in logs["NOEAN"]["results"]] == ["4102"]
    assert (status["integratedOfferCount"], status["rejectedOfferCount"]) == (1, 4)


def test_incomplete_full_offers_are_created_inactive(xml_package, packages, make_products):
    (p,) = make_products(1)
    offer = f'<Offer SellerProductId="BARE" ProductEan="{p.gtin}" Price="10" Stock="4" />'
    assert xml_package(zip_bytes(package_xml(offer)))["integratedOfferCount"] == 1
    (created,) = packages.offers("CDISFR")
    assert (created["offerState"], created["condition"], created["taxes"]) == ("Inactive", "New", [])


def test_publication_list_names_the_channels(xml_package, packages, make_products):
    (p,) = make_products(1)
    offer = offer_xml("BOTH", p.gtin, inner="").replace(
        '<ShippingInformation DeliveryMode="Tracked" ShippingCharges="2.50" />',
        '<ShippingInformation DeliveryMode="Tracked" ShippingCharges="2.50" />'
        # Big and bulky home delivery: a SELLZZ mode CDISFR does not have.
        '<ShippingInformation DeliveryMode="SHD" ShippingCharges="4" />',
    )
    status = xml_package(zip_bytes(package_xml(offer, channels=("SELLZZ", "CDISFR"))))
    assert status["salesChannelIds"] == ["SELLZZ", "CDISFR"]
    logs = status["offerLogs"]["items"]
    assert [(x["salesChannelId"], x["offerIntegrationStatus"]) for x in logs] == [
        ("SELLZZ", "Rejected"),
        ("CDISFR", "Rejected"),
    ]
    # Each channel takes the modes the seller has there: give only those.
    zz = offer_xml("ZZ", p.gtin, mode="THD")
    assert xml_package(zip_bytes(package_xml(zz, channels=("SELLZZ",))))["integratedOfferCount"] == 1
    assert [o["sellerExternalReference"] for o in packages.offers("SELLZZ")] == ["ZZ"]
    assert packages.offers("CDISFR") == []


def test_unknown_or_unsubscribed_channels_reject_the_package(
    client, xml_package, make_products, operator_headers
):
    (p,) = make_products(1)
    status = xml_package(zip_bytes(package_xml(offer_xml("A", p.gtin), channels=("NOPE",))))
    assert status["status"] == "Rejected" and "NOPE" in status["message"]
    client.post("/operator/v1/sellers/98979/subscriptions/SELLZZ/termination", headers=operator_headers)
    status = xml_package(zip_bytes(package_xml(offer_xml("A", p.gtin, mode="THD"), channels=("SELLZZ",))))
    assert status["status"] == "Rejected" and "not subscribed" in status["message"]


def test_stock_and_price_is_for_existing_cdiscount_offers(xml_package, packages, make_products):
    p, q = make_products(2)
    xml_package(zip_bytes(package_xml(offer_xml("A", p.gtin, price="20", stock="5"))))
    light = (
        f'<Offer SellerProductId="A" ProductEan="{p.gtin}" Price="18.5" Stock="9" Vat="5.5" />'
        f'<Offer SellerProductId="NEW" ProductEan="{q.gtin}" Price="10" Stock="1" />'
    )
    status = xml_package(zip_bytes(package_xml(light, attrs='PackageType="StockAndPrice"')))
    assert status["packageType"] == "StockAndPrice"
    logs = status["offerLogs"]["items"]
    assert [[r["resultCode"] for r in x["results"]] for x in logs] == [["8001"], ["4109"]]
    (offer,) = packages.offers("CDISFR")
    assert (offer["integrationPrice"], offer["quantity"], offer["taxes"]) == (
        18.5,
        9,
        [{"code": "VAT", "value": 20.0}],
    )
    refused = xml_package(
        zip_bytes(package_xml(light, attrs='PackageType="StockAndPrice"', channels=("SELLZZ",)))
    )
    assert refused["status"] == "Rejected" and "StockAndPrice" in refused["message"]


def test_purge_and_replace_removes_offers_absent_from_the_package(xml_package, packages, make_products):
    p, q, r = make_products(3)
    xml_package(zip_bytes(package_xml(offer_xml("A", p.gtin) + offer_xml("B", q.gtin))))
    status = xml_package(
        zip_bytes(
            package_xml(offer_xml("B", q.gtin) + offer_xml("C", r.gtin), attrs='PurgeAndReplace="true"')
        )
    )
    assert (status["purgeAndReplace"], status["purgedOfferCount"]) == (True, 1)
    assert [o["sellerExternalReference"] for o in packages.offers("CDISFR")] == ["B", "C"]


def test_without_purge_other_offers_stay(xml_package, packages, make_products):
    p, q = make_products(2)
    xml_package(zip_bytes(package_xml(offer_xml("A", p.gtin))))
    xml_package(zip_bytes(package_xml(offer_xml("B", q.gtin), attrs='PurgeAndReplace="false"')))
    assert [o["sellerExternalReference"] for o in packages.offers("CDISFR")] == ["A", "B"]


def test_commercial_operations_on_cdiscount(client, xml_package, packages, make_products):
    p, q = make_products(2)
    now = datetime.now(UTC)
    start, end = (
        (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S"),
        (now + timedelta(days=2)).isoformat(),
    )
    discount = (
        '<Offer.PriceAndDiscountList><DiscountComponentList Capacity="1">'
        f'<DiscountComponent DiscountUnit="Percentage" DiscountValue="10" Type="Sales" StartDate="{start}" '
        f'EndDate="{end}" SalesReferencePrice="25" /></DiscountComponentList></Offer.PriceAndDiscountList>'
    )
    status = xml_package(zip_bytes(package_xml(offer_xml("SALE", p.gtin, price="20", inner=discount))))
    assert status["integratedOfferCount"] == 1, status
    (offer,) = packages.offers("CDISFR")
    assert offer["integrationPrice"] == 20.0 and offer["facialPrice"]["price"] == 18.0
    (operation,) = offer["commercialOperations"]
    assert (operation["type"], operation["discountUnit"], operation["discountValue"]) == (
        "Sales",
        "Percentage",
        10.0,
    )
    # Elsewhere commercial operations are refused.
    zz = offer_xml("ZZ", q.gtin, mode="THD", inner=discount)
    status = xml_package(zip_bytes(package_xml(zz, channels=("SELLZZ",))))
    assert [r["resultCode"] for r in status["offerLogs"]["items"][0]["results"]] == ["4115"]
    bad = discount.replace('DiscountUnit="Percentage"', 'DiscountUnit="Bananas"')
    status = xml_package(zip_bytes(package_xml(offer_xml("BAD", q.gtin, inner=bad))))
    assert [r["resultCode"] for r in status["offerLogs"]["items"][0]["results"]] == ["4114"]


def test_both_spellings_of_the_alignment_price(xml_package, packages, make_products):
    p, q = make_products(2)
    xml_package(
        zip_bytes(
            package_xml(
                offer_xml("OLD", p.gtin, extra='MinimumPriceForAlignment="11"')
                + offer_xml("NEW", q.gtin, extra='MinimumPriceForPriceAlignment="12"')
            )
        )
    )
    assert {
        o["sellerExternalReference"]: o["minimumPriceForPriceAlignment"] for o in packages.offers("CDISFR")
    } == {
        "NEW": 12.0,
        "OLD": 11.0,
    }


def test_duplicated_references_in_xml(xml_package, make_products):
    p, q = make_products(2)
    status = xml_package(zip_bytes(package_xml(offer_xml("D", p.gtin) + offer_xml("D", q.gtin))))
    assert [x["offerIntegrationStatus"] for x in status["offerLogs"]["items"]] == ["Rejected", "Rejected"]
    assert [x["results"][0]["resultCode"] for x in status["offerLogs"]["items"]] == ["4200", "4200"]


def test_logs_are_paged(xml_package, make_products, client, seller_headers):
    products = make_products(5)
    status = xml_package(
        zip_bytes(package_xml("".join(offer_xml(f"R{i}", p.gtin) for i, p in enumerate(products))))
    )
    package_id = status["packageId"]
    page = xml_package.status(package_id, **{"$limit": 2, "$page": 3})
    assert page["offerLogs"]["pageIndex"] == 3
    assert [x["sellerProductId"] for x in page["offerLogs"]["items"]] == ["R4"]
    assert len(status["offerLogs"]["items"]) == 5
    for params in ({"$limit": 0}, {"$limit": 1001}, {"$page": 0}):
        r = client.get(
            f"{BASE}/offer-integration-packages/{package_id}", params=params, headers=seller_headers
        )
        assert_problem(r, 400)


def test_xml_packages_belong_to_their_seller(client, xml_package, other_headers, seller_headers):
    status = xml_package(zip_bytes(package_xml("")))
    assert_problem(
        client.get(f"{BASE}/offer-integration-packages/{status['packageId']}", headers=other_headers), 404
    )
    for unknown in ("nope", "99999999999"):
        assert_problem(
            client.get(f"{BASE}/offer-integration-packages/{unknown}", headers=seller_headers), 404
        )


def test_a_pending_package_reads_pending(xml_package):
    status = xml_package(zip_bytes(package_xml("")), run=False)
    assert status["status"] == "Pending" and status["integrationDate"] is None


def test_xml_and_json_packages_share_the_offers(xml_package, packages, make_products):
    (p,) = make_products(1)
    xml_package(zip_bytes(package_xml(offer_xml("SHARED", p.gtin, price="20"))))
    results = packages.run(
        [{"sellerExternalReference": "SHARED", "price": {"price": 21}}], "Update", "CDISFR"
    )
    assert results[0]["results"][0]["resultCode"] == "8001"
    assert packages.offers("CDISFR")[0]["integrationPrice"] == 21.0


def test_an_unexpected_failure_while_reading_still_ends_the_package(xml_package, monkeypatch):
    def broken(data):
        raise RuntimeError("a bug")

    monkeypatch.setattr("comptoir.offers.xml_packages.parse_offers_xml", broken)
    status = xml_package(zip_bytes(package_xml("")))
    assert status["status"] == "Rejected" and status["message"] == "The package could not be read."


def test_log_messages_follow_accept_language(xml_package, make_products):
    (p,) = make_products(1)
    offers = offer_xml("GOOD", p.gtin) + offer_xml("BAD", p.gtin, stock="lots")
    package_id = xml_package(zip_bytes(package_xml(offers)))["packageId"]

    def results(language: str | None) -> dict[str, list[dict]]:
        status = xml_package.status(package_id, headers={"Accept-Language": language} if language else None)
        return {x["sellerProductId"]: x["results"] for x in status["offerLogs"]["items"]}

    english, french, spanish = results(None), results("fr-FR"), results("es-ES")
    assert english["GOOD"] == [{"resultCode": "8000", "message": "Offer created"}]
    assert french["GOOD"] == [{"resultCode": "8000", "message": "Offre créée"}]
    assert spanish["GOOD"] == [{"resultCode": "8000", "message": "Oferta creada"}]
    assert english["BAD"] == [{"resultCode": "4106", "message": "Stock 'lots' is not valid."}]
    assert french["BAD"] == [{"resultCode": "4106", "message": "Stock 'lots' n'est pas valide."}]
    assert results("de-DE") == english
