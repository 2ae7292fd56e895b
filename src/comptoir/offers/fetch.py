"""Fetching an XML offer package: a ZIP at a URL, under the limits a hosted marketplace needs.

A hosted marketplace must not be made to read its own files or network: outside sandbox mode only
http(s) URLs resolving to public addresses are fetched, and the connection goes to the address that
was checked (no second DNS lookup to rebind). Sizes are bounded while reading, never trusted from
headers or ZIP directories, and the compression ratio is bounded too (ZIP bombs).
"""

from __future__ import annotations

import io
import ipaddress
import socket
import zipfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.request import url2pathname

import httpx

MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024
MAX_XML_BYTES = 64 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 100
MAX_REDIRECTS = 3
TIMEOUT_SECONDS = 30.0
_READ = 1024 * 1024


class PackageFetchError(Exception):
    """The package cannot be fetched or opened; the message is shown to the seller."""


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_url(url: str, *, allow_local: bool) -> None:
    """What can be refused before any network access."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file":
        if not allow_local:
            raise PackageFetchError("file URLs are only accepted in sandbox mode.")
        return
    if scheme not in ("http", "https") or not parts.hostname:
        raise PackageFetchError("The package URL must be an http or https URL.")
    if allow_local:
        return
    if parts.hostname.lower() == "localhost":
        raise PackageFetchError("The package URL must not name a local address.")
    try:
        if not _is_public(parts.hostname):
            raise PackageFetchError("The package URL must not name a loopback or private address.")
    except ValueError:
        pass  # a host name: checked once resolved


def fetch(url: str, *, allow_local: bool) -> bytes:
    check_url(url, allow_local=allow_local)
    if urlsplit(url).scheme.lower() == "file":
        return _read_file(url)
    for _ in range(MAX_REDIRECTS + 1):
        location, body = _get(url, allow_local=allow_local)
        if body is not None:
            return body
        # Redirects are followed here, so that each target is checked like the first URL.
        url = urljoin(url, location)
        check_url(url, allow_local=allow_local)
    raise PackageFetchError("The package URL redirects too many times.")


def _read_file(url: str) -> bytes:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise PackageFetchError("file URLs must name a local file.")
    try:
        with Path(url2pathname(parts.path)).open("rb") as f:
            data = f.read(MAX_DOWNLOAD_BYTES + 1)
    except OSError as exc:
        raise PackageFetchError(f"The package file cannot be read: {exc.strerror or exc}.") from exc
    if len(data) > MAX_DOWNLOAD_BYTES:
        raise PackageFetchError(f"The package is larger than {MAX_DOWNLOAD_BYTES // (1024 * 1024)} MB.")
    return data


def _resolve(host: str, port: int, *, allow_local: bool) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise PackageFetchError(f"The package host {host} cannot be resolved.") from exc
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise PackageFetchError(f"The package host {host} cannot be resolved.")
    if not allow_local and not all(_is_public(a) for a in addresses):
        raise PackageFetchError("The package URL resolves to a loopback or private address.")
    return addresses[0]


def _get(url: str, *, allow_local: bool) -> tuple[str, bytes | None]:
    """(redirect location, None) or ("", body)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    address = _resolve(host, port, allow_local=allow_local)
    pinned_host = f"[{address}]" if ":" in address else address
    pinned = urlunsplit((parts.scheme, f"{pinned_host}:{port}", parts.path or "/", parts.query, ""))
    try:
        with (
            httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False) as client,
            client.stream(
                "GET",
                pinned,
                headers={"Host": parts.netloc.rsplit("@", 1)[-1]},
                extensions={"sni_hostname": host},
            ) as response,
        ):
            if response.is_redirect and "location" in response.headers:
                return response.headers["location"], None
            if response.status_code != 200:
                raise PackageFetchError(f"The package URL answered HTTP {response.status_code}.")
            declared = response.headers.get("content-length", "")
            if declared.isascii() and declared.isdigit() and int(declared) > MAX_DOWNLOAD_BYTES:
                raise PackageFetchError(
                    f"The package is larger than {MAX_DOWNLOAD_BYTES // (1024 * 1024)} MB."
                )
            body = bytearray()
            for chunk in response.iter_bytes(_READ):
                body += chunk
                if len(body) > MAX_DOWNLOAD_BYTES:
                    raise PackageFetchError(
                        f"The package is larger than {MAX_DOWNLOAD_BYTES // (1024 * 1024)} MB."
                    )
            return "", bytes(body)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise PackageFetchError(f"The package could not be downloaded: {exc.__class__.__name__}.") from exc


def open_offers_xml(data: bytes) -> bytes:
    """Content/Offers.xml (either capitalisation) of an Open Packaging ZIP, within size and ratio limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise PackageFetchError("The package is not a ZIP file.") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise PackageFetchError(f"The package holds more than {MAX_ENTRIES} files.")
        member = next(
            (i for i in infos if i.filename.replace("\\", "/").lower() == "content/offers.xml"), None
        )
        if member is None:
            raise PackageFetchError("The package has no Content/Offers.xml.")
        limit = min(MAX_XML_BYTES, MAX_RATIO * max(member.compress_size, 1))
        if member.file_size > limit:
            raise PackageFetchError("Content/Offers.xml is too large or too compressed (ZIP bomb); refused.")
        out = bytearray()
        try:
            with archive.open(member) as f:
                # The directory's sizes can lie: the limit holds on what is actually inflated.
                while chunk := f.read(_READ):
                    out += chunk
                    if len(out) > limit:
                        raise PackageFetchError(
                            "Content/Offers.xml is too large or too compressed (ZIP bomb); refused."
                        )
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise PackageFetchError(f"Content/Offers.xml cannot be read from the ZIP: {exc}.") from exc
        return bytes(out)
