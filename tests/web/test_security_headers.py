"""Production security settings: HTTPS only (redirect, HSTS), Content-Security-Policy,
Referrer-Policy, Permissions-Policy; `manage.py check --deploy` clean."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]
PROXY_HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}
PRODUCTION = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
}


def _production_environment(**extra) -> dict:
    """A realistic production environment (nothing here is contacted by `check`)."""
    unset = {"DEBUG", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the last one: test settings
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(
        DJANGO_SETTINGS_MODULE="maillage.settings.base",
        SECRET_KEY="k3V9q-production-like-secret-key-with-enough-entropy-7Hs2xPz",
        DATABASE_URL="postgres://maillage@db.exemple.fr:5432/maillage",
        ALLOWED_HOSTS="maillage.lacharente.fr",
        CSRF_TRUSTED_ORIGINS="https://maillage.lacharente.fr",
        BEHIND_HTTPS_PROXY="1",
        TRUSTED_PROXY_COUNT="1",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    environment.update(extra)
    return environment


def _check_deploy(**extra) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_environment(**extra),
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_the_production_settings():
    result = _check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_production_is_weakened():
    """The check is not silenced: turning HSTS off makes it fail."""
    result = _check_deploy(SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


@pytest.mark.django_db
@override_settings(**PRODUCTION)
def test_plain_http_is_redirected_to_https_but_the_health_check():
    client = Client()
    response = client.get("/lieux/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/lieux/"
    assert client.get("/sante/").json() == {"statut": "ok"}


@pytest.mark.django_db
@override_settings(**PRODUCTION)
def test_https_answers_carry_the_security_headers():
    response = Client().get("/", **PROXY_HTTPS)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    policy = dict(
        directive.partition(" ")[::2]
        for directive in response["Content-Security-Policy"].split("; ")
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in str(policy)
    assert response["Referrer-Policy"] == "same-origin"
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_map_tiles_host_is_allowed_only_when_configured(settings):
    from maillage.settings.base import url_origin

    assert (
        "https://*.tile.openstreetmap.org"
        not in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    )
    assert url_origin("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png") == [
        "https://*.tile.openstreetmap.org"
    ]
    assert url_origin("") == []


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def _with_inline_code(directory: Path) -> set[str]:
    return {
        str(path.relative_to(directory))
        for path in directory.rglob("*.html")
        if INLINE_SCRIPT.search(text := path.read_text(encoding="utf-8", errors="replace"))
        or INLINE_HANDLER.search(text)
    }


def test_no_inline_script_in_our_templates():
    """Keep it so: every <script> has a src (or is a JSON data block), no on…= handler."""
    assert _with_inline_code(ROOT / "maillage") == set()


def test_we_use_no_django_dsfr_template_with_inline_code():
    """A few of django-dsfr's component templates (notice, tag, button, formset) carry
    onclick handlers the policy would block: Maillage writes those components itself."""
    import dsfr

    dsfr_templates = Path(dsfr.__file__).parent / "templates"
    with_code = _with_inline_code(dsfr_templates)
    assert with_code, "django-dsfr changed: review which of its templates are safe"
    tags = {Path(name).stem for name in with_code}  # dsfr/notice.html → {% dsfr_notice %}
    ours = "\n".join(
        path.read_text(encoding="utf-8") for path in (ROOT / "maillage").rglob("*.html")
    )
    used = {
        tag
        for tag in tags
        if re.search(rf"{{%\s*dsfr_{tag}\b(?!s)", ours) or f"dsfr/{tag}.html" in ours
    }
    assert used == set()
