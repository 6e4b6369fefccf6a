"""Local settings for `make run`: embedded SQLite, console email and SMS, a local secret."""

import os
import secrets

from .base import *  # noqa: F403
from .base import STATIC_ROOT, VAR_DIR

DEBUG = True
MAILLAGE_DEMO_ACCOUNTS = True
VAR_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing


def _local_secret_key() -> str:
    """Generate the secret key once and keep it under var/ (never committed)."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
SESSION_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False  # served over plain HTTP
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One process for `make run`: tasks run as soon as their transaction commits.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
