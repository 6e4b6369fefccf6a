"""The visitor's network address, as the reverse proxies in front of Maillage report it.

Behind `TRUSTED_PROXY_COUNT` reverse proxies, `REMOTE_ADDR` is the nearest proxy's address and
each proxy appends the address it received the request from to `X-Forwarded-For`. The client is
therefore the N-th entry from the right: entries further left were written by the client and
may be forged. With no trusted proxy (the default), the header is ignored. A header shorter than
the proxy chain, or an entry that is not an IP address, falls back to `REMOTE_ADDR` (the rule of
Werkzeug's ProxyFix).

Every per-address rule asks this function: the login throttling (django-axes, through
`AXES_CLIENT_IP_CALLABLE`), the cap on held slots, the rate limits.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address (never a proxy's when the proxies are configured)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < trusted:
        return remote
    candidate = forwarded[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
