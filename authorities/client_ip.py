"""The client's address, for sign-in throttling and lockout: REMOTE_ADDR, unless the request came
through one of TRUSTED_PROXIES, in which case the nearest address in X-Forwarded-For that is not a
trusted proxy. A header sent by the client itself is never believed: behind a proxy it sits to the
left of the address the proxy appended, and without a trusted proxy the header is ignored."""

from __future__ import annotations

from functools import lru_cache
from ipaddress import ip_address, ip_network

from django.conf import settings
from django.http import HttpRequest


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ip_network(p, strict=False) for p in proxies)


def _trusted(address: str) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if not _trusted(remote):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop):
            try:
                return str(ip_address(hop))
            except ValueError:
                return remote  # a malformed hop: fall back to the proxy rather than believe it
    return remote
