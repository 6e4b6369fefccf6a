"""Two-factor authentication (TOTP, django-otp): who must, enrolment, codes, the login gate.

* Who: `permissions.two_factor_required` (platform administrators and staff, who reach the
  admin) and `permissions.two_factor_offered` (whoever may read beneficiaries' records).
* Enrolment: a TOTP device is created unconfirmed, shown as a QR code (SVG made here by the
  `qrcode` package, no outside service) and its key in text; the first right code confirms it,
  replaces any previous phone and hands out ten single-use backup codes (django-otp's static
  device). Tokens are checked per device, with django-otp's growing delays after failures.
* Login: the password step logs nobody in when the person has a device; the code step does
  (`LoginCodeView` in `account_views`). `TwoFactorMiddleware` keeps people who must use it
  to the enrolment page until they have, and sends an unverified session back to the login.
"""

from __future__ import annotations

import base64
import io
import re

from django.contrib import admin
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import devices_for_user, user_has_device, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from .permissions import two_factor_required

BACKUP_CODES = 10
TOTP_NAME = "Application d'authentification"
BACKUP_NAME = "Codes de secours"
_TOTP_CODE = re.compile(r"\d{6}")


def has_two_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def totp_enrolment(user) -> TOTPDevice:
    """The device being enrolled: an unconfirmed TOTP key, kept until confirmed or replaced."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def totp_secret(device: TOTPDevice) -> str:
    """The key as people type it in an app (base32, by groups of four)."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The enrolment QR code as an SVG data URI (an <img>: nothing inline, nothing outside)."""
    buffer = io.BytesIO()
    write_qrcode_image(device.config_url, buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@transaction.atomic
def totp_confirm(*, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the enrolment with the app's first code; None if the code is wrong.

    The new phone replaces any previous one; the session counts as verified; fresh backup
    codes are returned, to be shown once.
    """
    user = device.user
    if not _TOTP_CODE.fullmatch(code) or not device.verify_token(code):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return backup_codes_renew(user=user)


@transaction.atomic
def backup_codes_renew(*, user) -> list[str]:
    """Ten new single-use backup codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify_code(user, code: str):
    """The device that accepts `code` (six digits from the app, or a backup code), or None."""
    code = re.sub(r"\s+", "", code or "").lower()
    kind = TOTPDevice if _TOTP_CODE.fullmatch(code) else StaticDevice
    for device in devices_for_user(user):
        if isinstance(device, kind) and verify_token(user, device.persistent_id, code):
            return device
    return None


@transaction.atomic
def two_factor_disable(*, user) -> None:
    """Remove every device (the person asked, after giving a valid code)."""
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()


# Pages a person who must use two-factor authentication reaches before enrolling.
OPEN_PATHS = ("/static/", "/sante/")
OPEN_URL_NAMES = ("logout", "login", "login_code", "organisations:two_factor_enable")


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware: people who must use two-factor authentication reach
    nothing but the enrolment page until they have a device, and a session opened without a
    code (before this rule, or by the admin's own form) goes back through the login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and two_factor_required(user)
            and not user.is_verified()
            and not self._open(request.path)
        ):
            if has_two_factor(user):
                logout(request)
                return redirect_to_login(request.get_full_path())
            enable = reverse("organisations:two_factor_enable")
            return redirect(f"{enable}?next={request.get_full_path()}")
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        return path.startswith(OPEN_PATHS) or path in {reverse(n) for n in OPEN_URL_NAMES}


class AdminSite(admin.AdminSite):
    """The admin, entered through Maillage's own login (password, then code)."""

    def login(self, request, extra_context=None):
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))

    def has_permission(self, request) -> bool:
        user = request.user
        return super().has_permission(request) and (
            user.is_verified() or not two_factor_required(user)
        )
