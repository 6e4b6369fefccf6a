"""Two-factor authentication: required of platform administrators and staff, offered to whoever
reads beneficiaries' records; enrolment with a QR code, login with a code or a backup code,
backup codes renewed, removal with a code."""

import base64
import time

import pytest
import time_machine
from django.urls import reverse
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from maillage.organisations import permissions, two_factor
from maillage.organisations.demo import DEMO_DOMAIN
from maillage.organisations.labels import Role
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """What the person's app shows now (or in `steps_ahead` periods of 30 s)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def unthrottle(device) -> None:
    """Lift django-otp's growing delay after a wrong code (a second, then two, four…)."""
    type(device).objects.filter(pk=device.pk).update(throttling_failure_count=0)


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name="téléphone", confirmed=True)
    return device, two_factor.backup_codes_renew(user=user)


def _password(client, user, next_url=""):
    return client.post(
        reverse("login") + (f"?next={next_url}" if next_url else ""),
        {"username": user.email, "password": DEFAULT_PASSWORD},
    )


def test_who_must_and_who_is_offered(member, settings):
    settings.MAILLAGE_DEMO_ACCOUNTS = True
    assert permissions.two_factor_required(UserFactory(superuser=True))
    assert permissions.two_factor_required(UserFactory(staff=True))
    assert not permissions.two_factor_required(member(Role.MEDIATOR))
    assert permissions.two_factor_offered(member(Role.MEDIATOR))
    assert permissions.two_factor_offered(member(Role.ADMIN))
    assert not permissions.two_factor_offered(member(Role.VIEWER))
    assert not permissions.two_factor_offered(member(Role.PILOT))
    # The demonstration admin of a demonstration instance (published password) is exempt…
    demo_admin = UserFactory(superuser=True, email=f"admin@{DEMO_DOMAIN}")
    assert not permissions.two_factor_required(demo_admin)
    # …never on an instance without demonstration accounts.
    settings.MAILLAGE_DEMO_ACCOUNTS = False
    assert permissions.two_factor_required(demo_admin)


def test_staff_without_a_device_reach_only_the_enrolment(client):
    staff = UserFactory(staff=True)
    response = _password(client, staff, "/admin/")
    assert response.status_code == 302  # no device yet: logged in, then kept to enrolment
    for url in ("/admin/", reverse("organisations:my_space"), "/transport/"):
        answer = client.get(url)
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("organisations:two_factor_enable"))
    page = client.get(reverse("organisations:two_factor_enable") + "?next=/admin/")
    html = page.content.decode()
    assert "obligatoire pour votre compte" in html
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert two_factor.totp_secret(device).replace(" ", "") in html.replace(" ", "")
    qr = html.split('src="data:image/svg+xml;base64,')[1].split('"')[0]
    assert base64.b64decode(qr).startswith(b"<?xml") and b"<svg" in base64.b64decode(qr)

    wrong = client.post(reverse("organisations:two_factor_enable"), {"code": "000000"})
    assert "Code incorrect" in wrong.content.decode()
    unthrottle(device)
    done = client.post(
        reverse("organisations:two_factor_enable"), {"code": code_for(device), "next": "/admin/"}
    )
    codes = StaticToken.objects.filter(device__user=staff).values_list("token", flat=True)
    assert len(codes) == 10 and all(code in done.content.decode() for code in codes)
    assert 'href="/admin/"' in done.content.decode()
    assert client.get("/admin/").status_code == 200  # verified in this session


def test_login_asks_for_the_code_before_logging_in(client):
    person = UserFactory(staff=True)
    device, _codes = enrolled(person)
    response = _password(client, person, "/admin/")
    assert response["Location"] == reverse("login_code")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    wrong = client.post(reverse("login_code"), {"code": "123456"})
    assert "Code incorrect" in wrong.content.decode() and "_auth_user_id" not in client.session
    unthrottle(device)
    right = client.post(reverse("login_code"), {"code": code_for(device, steps_ahead=1)})
    assert right["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_backup_code_works_once(client, member):
    mediator = member(Role.MEDIATOR)
    _device, codes = enrolled(mediator)
    _password(client, mediator)
    response = client.post(reverse("login_code"), {"code": codes[0].upper()})
    assert response["Location"] == reverse("organisations:my_space")
    client.logout()
    _password(client, mediator)
    again = client.post(reverse("login_code"), {"code": codes[0]})
    assert "Code incorrect" in again.content.decode()
    assert two_factor.backup_codes_left(mediator) == 9


def test_five_wrong_codes_send_back_to_the_password(client, member):
    mediator = member(Role.MEDIATOR)
    enrolled(mediator)
    _password(client, mediator)
    for _ in range(5):
        response = client.post(reverse("login_code"), {"code": "999999"})
    assert response["Location"] == reverse("login")
    assert client.get(reverse("login_code"))["Location"] == reverse("login")


def test_the_code_step_expires(client, member):
    mediator = member(Role.MEDIATOR)
    device, _codes = enrolled(mediator)
    _password(client, mediator)
    with time_machine.travel(time.time() + 301, tick=False):
        response = client.post(reverse("login_code"), {"code": code_for(device)})
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_a_session_opened_without_the_code_is_sent_back_to_the_login(client):
    """A session from before the rule, or from a password-only door: logged out."""
    staff = UserFactory(staff=True)
    enrolled(staff)
    client.force_login(staff, backend="maillage.organisations.auth_backends.EmailBackend")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_backup_codes_renewed_replace_the_old_ones(login, member):
    mediator = member(Role.MEDIATOR)
    _device, old = enrolled(mediator)
    page = login(mediator).post(reverse("organisations:two_factor_backup_codes"))
    new = list(StaticToken.objects.filter(device__user=mediator).values_list("token", flat=True))
    assert set(new).isdisjoint(old) and all(code in page.content.decode() for code in new)


def test_offered_users_may_turn_it_off_with_a_code_but_staff_may_not(login, member):
    mediator = member(Role.MEDIATOR)
    _device, codes = enrolled(mediator)
    client = login(mediator)
    home = client.get(reverse("organisations:my_space")).content.decode()
    assert "La double authentification protège votre compte" in home
    refused = client.post(reverse("organisations:two_factor_disable"), {"code": "abcdefgh"})
    assert "Code incorrect" in refused.content.decode()
    for device in devices_for_user(mediator):
        unthrottle(device)
    client.post(reverse("organisations:two_factor_disable"), {"code": codes[1]})
    assert not two_factor.has_two_factor(mediator)

    staff = UserFactory(staff=True)
    staff_client = login(staff)
    response = staff_client.post(reverse("organisations:two_factor_disable"), {"code": "x"})
    assert response["Location"] == reverse("organisations:two_factor")
    assert two_factor.has_two_factor(staff)


def test_a_mediator_is_offered_two_factor_on_her_space(login, member):
    page = login(member(Role.MEDIATOR)).get(reverse("organisations:my_space")).content.decode()
    assert "Activer la double authentification" in page
    viewer_page = login(member(Role.VIEWER)).get(reverse("organisations:my_space"))
    assert "Activer la double authentification" not in viewer_page.content.decode()


def test_a_new_phone_replaces_the_old_one(login, member):
    mediator = member(Role.MEDIATOR)
    old, _codes = enrolled(mediator)
    client = login(mediator)
    client.get(reverse("organisations:two_factor_enable"))
    new = TOTPDevice.objects.get(user=mediator, confirmed=False)
    client.post(reverse("organisations:two_factor_enable"), {"code": code_for(new)})
    assert list(TOTPDevice.objects.filter(user=mediator)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
