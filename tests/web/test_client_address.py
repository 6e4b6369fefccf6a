"""One way to know the client's address behind the reverse proxies, used by the login
throttling (django-axes), the cap on held slots and the rate limits."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from maillage.client_address import client_address
from tests.factories import DEFAULT_PASSWORD, UserFactory

PROXY = "10.0.0.1"  # nginx in front of gunicorn: every request comes from it
CLIENT = "203.0.113.7"


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    "proxies,remote,forwarded,expected",
    [
        # No proxy configured: the header is the client's own words, ignored.
        (0, CLIENT, None, CLIENT),
        (0, CLIENT, "198.51.100.1", CLIENT),
        # One proxy: it appends the address it saw; anything to its left was sent by the client.
        (1, PROXY, CLIENT, CLIENT),
        (1, PROXY, f"198.51.100.1, {CLIENT}", CLIENT),
        (1, PROXY, f"1.2.3.4,5.6.7.8 , {CLIENT}", CLIENT),
        (1, PROXY, None, PROXY),  # reached gunicorn directly, not through the proxy
        (1, PROXY, "198.51.100.1, not-an-address", PROXY),
        # Two proxies (a load balancer, then nginx): the client is second from the right.
        (2, PROXY, f"{CLIENT}, 10.0.0.9", CLIENT),
        (2, PROXY, f"198.51.100.1, {CLIENT}, 10.0.0.9", CLIENT),
        (2, PROXY, "10.0.0.9", PROXY),  # shorter than the chain: not trusted
        # IPv6 is written in its canonical form, so one client has one counter.
        (1, PROXY, "2001:DB8:0:0::1", "2001:db8::1"),
    ],
)
def test_client_address_with_trusted_proxies(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(_request(remote, forwarded)) == expected


@given(spoofed=st.lists(st.ip_addresses().map(str), max_size=5))
def test_nothing_the_client_writes_changes_its_address(spoofed):
    """Whatever a client puts in X-Forwarded-For, the proxy's own entry wins."""
    from django.test import override_settings

    with override_settings(TRUSTED_PROXY_COUNT=1):
        header = ", ".join([*spoofed, CLIENT])
        assert client_address(_request(PROXY, header)) == CLIENT
    with override_settings(TRUSTED_PROXY_COUNT=0):
        assert client_address(_request(CLIENT, ", ".join(spoofed))) == CLIENT


def _login(client, email, password, forwarded):
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_login_throttling_counts_the_client_behind_the_proxy(client, settings):
    """An attacker rotating forged addresses is still one client; the victim, elsewhere, is not
    locked out with him (before, both were the proxy's address)."""
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(email="claire@exemple.fr")
    for attempt in range(5):
        _login(client, "claire@exemple.fr", "mauvais", f"198.51.100.{attempt}, {CLIENT}")
    locked = _login(client, "claire@exemple.fr", DEFAULT_PASSWORD, f"192.0.2.99, {CLIENT}")
    assert locked.status_code == 429
    elsewhere = _login(client, "claire@exemple.fr", DEFAULT_PASSWORD, "198.51.100.200")
    assert elsewhere.status_code == 302
