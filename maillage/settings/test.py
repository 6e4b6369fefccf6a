"""Test settings: fast hashing, in-memory email, strict templates."""

import os

from .base import *  # noqa: F403
from .base import TEMPLATES

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live-server browser tests

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "locmem"
SESSION_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False  # served over plain HTTP
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


class InvalidTemplateVariable(str):
    """Make any undefined template variable fail the test that renders it."""

    def __mod__(self, other):
        raise NameError(f"Variable de gabarit inconnue : {other!r}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
WHITENOISE_AUTOREFRESH = True  # serve from the apps' static folders, no collectstatic in tests
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The per-address cap on held slots is tested on its own; the suite holds many from 127.0.0.1.
MAILLAGE_APPOINTMENTS_HOLDS_PER_ADDRESS = 100_000
# One process, one in-memory cache: the caches for shared use are exercised by the suite.
MAILLAGE_SHARED_CACHE = True
MAILLAGE_SLOT_CACHE = True
