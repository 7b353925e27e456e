"""The client's address and scheme behind a reverse proxy, believed only from the proxies the operator trusts.

A proxy that ends TLS tells the app who the client is (`X-Forwarded-For`) and how it came (`X-Forwarded-Proto`). Anyone
can send those headers, so they count only when the connection itself comes from an address in
TRYGG_TRUSTED_PROXIES; from any other peer they are removed before Django or trygg reads them. Everything after this
middleware (the HTTPS redirect, CSRF's origin check, the daily answer limit, the login throttle) sees the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, MutableMapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Every header a client could use to claim another address, host or scheme; only X-Forwarded-For and -Proto are read.
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                     "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_SSL", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Addresses (`10.0.0.5`, `::1`) and networks (`10.0.0.0/24`); ImproperlyConfigured names a bad entry."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(f"TRYGG_TRUSTED_PROXIES: {entry!r} is not an address or network") from None
    return tuple(networks)


def parse_address(value: str) -> Address | None:
    """An address as proxies write it (`203.0.113.7`, `203.0.113.7:5123`, `[2001:db8::1]:443`); None otherwise."""
    text = value.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: Address | None, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def resolve_client(meta: MutableMapping[str, Any], networks: tuple[Network, ...]) -> None:
    """Rewrite a WSGI environ in place: REMOTE_ADDR becomes the client, X-Forwarded-Proto its scheme or nothing.

    From an untrusted peer every forwarded header is dropped and REMOTE_ADDR stays. From a trusted proxy the
    X-Forwarded-For chain is read right to left, skipping trusted proxies: the first other address is the client
    (what a client wrote further left is not believed). A chain that is empty or unreadable leaves the proxy's
    address. X-Forwarded-Proto keeps only the value the nearest proxy appended, if it is http or https.
    """
    peer = parse_address(str(meta.get("REMOTE_ADDR", "")))
    headers = {name: str(meta.pop(name)) for name in FORWARDED_HEADERS if name in meta}
    if not _trusted(peer, networks):
        return
    client = peer
    for hop in reversed(headers.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = parse_address(hop)
        if address is None:
            break
        client = address
        if not _trusted(address, networks):
            break
    meta["REMOTE_ADDR"] = str(client)
    scheme = headers.get("HTTP_X_FORWARDED_PROTO", "").rsplit(",", 1)[-1].strip().lower()
    if scheme in ("http", "https"):
        meta["HTTP_X_FORWARDED_PROTO"] = scheme


class TrustedProxyMiddleware:
    """Django middleware around resolve_client; first in MIDDLEWARE."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.networks = parse_networks(settings.TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        resolve_client(request.META, self.networks)
        return self.get_response(request)
