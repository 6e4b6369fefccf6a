"""Local settings for `make run`: embedded SQLite, console email and SMS, a local secret."""

import os
import secrets
from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, MAILLAGE_SITE_URL, STATIC_ROOT, VAR_DIR

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
# `make run` starts a worker beside the server (MAILLAGE_TASKS_WORKER=1): tasks wait in the
# database and pages show their progress, as in production. Without a worker (`maillage
# setup`, a shell), tasks run as soon as their transaction commits.
if os.environ.get("MAILLAGE_TASKS_WORKER") == "1":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The served address (`make run HOST=… PORT=…` sets MAILLAGE_SITE_URL) is an allowed host.
if (_site_host := urlsplit(MAILLAGE_SITE_URL).hostname) and _site_host not in ALLOWED_HOSTS:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, _site_host]
