"""Pages of one's own account: log in (password, then the second factor), two-factor
enrolment and removal, backup codes, and the password reset by email."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from maillage import rate_limits
from maillage.client_address import client_address

from . import labels, password_reset, permissions, two_factor
from .forms import CodeForm, PasswordResetRequestForm, TotpConfirmForm
from .models import User

PENDING = "maillage_login_pending"  # session key: who gave the right password, awaiting a code
PENDING_SECONDS = 300
PENDING_ATTEMPTS = 5


class LoginView(auth_views.LoginView):
    """Step one: the password. With a second factor, nobody is logged in yet."""

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.has_two_factor(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "since": time.time(),
            "failures": 0,
        }
        return redirect("login_code")


def login_code(request):
    """Step two: the code from the app (or a backup code); then the person is logged in."""
    pending = request.session.get(PENDING)
    if not pending:
        return redirect("login")
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None or time.time() - pending["since"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        messages.error(request, labels.ERR_LOGIN_EXPIRED)
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify_code(user, form.cleaned_data["code"])
        if device is not None:
            request.session.pop(PENDING)
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return redirect(pending["next"])
        pending["failures"] += 1
        request.session[PENDING] = pending
        if pending["failures"] >= PENDING_ATTEMPTS:
            request.session.pop(PENDING)
            messages.error(request, labels.ERR_CODE_TOO_MANY)
            return redirect("login")
        form.add_error("code", labels.ERR_CODE_WRONG)
    return render(request, "registration/login_code.html", {"form": form, "person": user})


def _next_url(request, default: str) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else default


@login_required
def two_factor_home(request):
    """The person's second factor: on or off, backup codes left, what to do."""
    user = request.user
    return render(
        request,
        "organisations/two_factor/home.html",
        {
            "enabled": two_factor.has_two_factor(user),
            "required": permissions.two_factor_required(user),
            "backup_codes_left": two_factor.backup_codes_left(user),
        },
    )


@login_required
def two_factor_enable(request):
    """Scan the QR code (or type the key), then give the first code to confirm."""
    user = request.user
    device = two_factor.totp_enrolment(user)
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.totp_confirm(
            request=request, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            messages.success(request, labels.MSG_TWO_FACTOR_ENABLED)
            return render(
                request,
                "organisations/two_factor/backup_codes.html",
                {"codes": codes, "next": _next_url(request, reverse("organisations:my_space"))},
            )
        form.add_error("code", labels.ERR_CODE_WRONG)
    elif (
        request.method == "GET"
        and permissions.two_factor_required(user)
        and not two_factor.has_two_factor(user)
    ):
        messages.info(request, labels.MSG_TWO_FACTOR_REQUIRED)
    return render(
        request,
        "organisations/two_factor/enable.html",
        {
            "form": form,
            "qr_code": two_factor.qr_code_data_uri(device),
            "secret": two_factor.totp_secret(device),
            "next": _next_url(request, ""),
            "replacing": two_factor.has_two_factor(user),
        },
    )


@require_POST
@login_required
def two_factor_backup_codes(request):
    """New backup codes (the old ones stop working), shown once."""
    if not two_factor.has_two_factor(request.user):
        return redirect("organisations:two_factor")
    codes = two_factor.backup_codes_renew(user=request.user)
    return render(
        request,
        "organisations/two_factor/backup_codes.html",
        {"codes": codes, "next": reverse("organisations:two_factor")},
    )


@login_required
def two_factor_disable(request):
    """Turn the second factor off, with a valid code; not for those who must use it."""
    user = request.user
    if permissions.two_factor_required(user):
        messages.error(request, labels.ERR_TWO_FACTOR_MANDATORY)
        return redirect("organisations:two_factor")
    if not two_factor.has_two_factor(user):
        return redirect("organisations:two_factor")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify_code(user, form.cleaned_data["code"]) is not None:
            two_factor.two_factor_disable(user=user)
            messages.success(request, labels.MSG_TWO_FACTOR_DISABLED)
            return redirect("organisations:two_factor")
        form.add_error("code", labels.ERR_CODE_WRONG)
    return render(request, "organisations/two_factor/disable.html", {"form": form})


# --- Password reset --------------------------------------------------------------------------


def password_reset_request(request):
    """Ask for a reset link. The answer is the same, and the work done the same, whether an
    account has this address or not; a few requests an hour per address and per email."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limit = settings.MAILLAGE_PASSWORD_RESET_PER_HOUR
        email = form.cleaned_data["email"].strip().lower()
        if rate_limits.hit(
            f"password-reset:address:{client_address(request)}", limit=limit, window_seconds=3600
        ):
            form.add_error(None, labels.ERR_RESET_TOO_MANY)
        else:
            # Per email, silently: the answer must not tell whether the address is known.
            if not rate_limits.hit(
                f"password-reset:email:{email}", limit=limit, window_seconds=3600
            ):
                password_reset.enqueue_reset_email(email=email)
            return redirect("password_reset_done")
    return render(request, "organisations/password/reset_form.html", {"form": form})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the emailed link (valid PASSWORD_RESET_TIMEOUT, once)."""

    success_url = reverse_lazy("password_reset_complete")
    template_name = "organisations/password/reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        password_reset.unlock_after_reset(request=self.request, user=form.user)
        return response
