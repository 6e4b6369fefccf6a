"""Production settings, read from the environment.

Every setting a deployment may change is an environment variable; `dev` and `test`
only relax what production must not.
"""

import importlib
import importlib.util
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("MAILLAGE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".base"):
    raise ImproperlyConfigured(
        "SECRET_KEY doit être défini en production (variable d'environnement)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "maillage.organisations.apps.AdminConfig",  # the admin, behind two-factor authentication
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "widget_tweaks",
    "dsfr",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "csp",
    "maillage.web",
    "maillage.territory",
    "maillage.organisations",
    "maillage.api",
    "simple_history",
    "maillage.plan",
    "maillage.transport",
    "maillage.places",
    "maillage.mediation",
    "maillage.appointments",
    "maillage.broadband",
    "maillage.networks",
    "maillage.access",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "maillage.nul_bytes.RefuseNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "maillage.organisations.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "maillage.urls"
WSGI_APPLICATION = "maillage.wsgi.application"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maillage.web.site_config.site_config",
                "maillage.web.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'maillage.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Statement and lock timeouts: a stuck query must fail fast, not hold a worker.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c statement_timeout=30000 -c lock_timeout=5000"
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "maillage.organisations.auth_backends.EmailBackend",
]
AUTH_USER_MODEL = "organisations.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Password reset links (emailed) work once, for this long.
PASSWORD_RESET_TIMEOUT = 60 * int(os.environ.get("PASSWORD_RESET_TIMEOUT_MINUTES", "60"))
MAILLAGE_PASSWORD_RESET_PER_HOUR = int(os.environ.get("MAILLAGE_PASSWORD_RESET_PER_HOUR", "5"))
# Two-factor authentication (django-otp, TOTP + backup codes): see organisations/two_factor.py.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Maillage")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows anyone's TOTP key
LOGIN_REDIRECT_URL = "organisations:my_space"
LOGOUT_REDIRECT_URL = "web:home"

# Brute-force protection on login (django-axes): lock a user name + IP pair
# after AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "organisations/lockout.html"
AXES_RESET_ON_SUCCESS = True
# Count failures per normalised email, so changing its case gives no extra attempts.
AXES_USERNAME_CALLABLE = "maillage.organisations.auth_backends.lockout_username"
# The client's address as the reverse proxies report it: one function for every per-address
# rule (login throttling, held slots, rate limits). TRUSTED_PROXY_COUNT is the number of
# proxies in front of Maillage that append to X-Forwarded-For (1 for one nginx); 0 ignores it.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "maillage.client_address.client_address"

# Cache shared by every web worker (rate limits, held-slot caps): Redis in production through
# REDIS_URL (e.g. redis://127.0.0.1:6379/0); without it, each process's memory (embedded).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("MAILLAGE_CACHE_KEY_PREFIX", "maillage"),
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # The layout's fixed parts (style sheets, scripts, footer), rendered once per process
    # (`{% cache … using="layout" %}` in web/base.html). Each process's memory, never the
    # shared cache: a deployment changes the static files' hashed names with the code.
    "layout": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "layout"},
}
# Sessions read from the shared cache, written through to the database: a page no longer
# queries the session table. Only with Redis: a per-process cache would serve one worker's
# stale copy of a session another worker changed.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Leaflet's JS/CSS as shipped by the django-leaflet package, served locally under
# static/leaflet/ (its Django app is not installed: it needs GDAL, which Maillage does not),
# and Leaflet.markercluster as packaged by XStatic, under static/leaflet-markercluster/
# (only the files used, through `web.package_static`).
STATICFILES_DIRS = [
    (
        "leaflet",
        Path(importlib.util.find_spec("leaflet").submodule_search_locations[0])
        / "static"
        / "leaflet",
    ),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "maillage.web.package_static.PackageFileFinder",
]
MAILLAGE_PACKAGE_STATIC = {
    "leaflet-markercluster": (
        Path(importlib.import_module("xstatic.pkg.leaflet_markercluster").BASE_DIR),
        [
            "leaflet.markercluster-src.js",
            "leaflet.markercluster-src.js.map",
            "MarkerCluster.css",
        ],
    ),
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Maillage <ne-pas-repondre@maillage.local>"
)

# SMS: the provider is chosen by name; "console" prints messages (development).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "console")
SMS_API_URL = os.environ.get("SMS_API_URL", "")
SMS_API_KEY = os.environ.get("SMS_API_KEY", "")
SMS_SENDER = os.environ.get("SMS_SENDER", "Maillage")

# HTTPS only (docs: README, "Production deployment"). Behind the TLS reverse proxy,
# BEHIND_HTTPS_PROXY=1 trusts its X-Forwarded-Proto, so Django knows the request was HTTPS
# (else every request would be redirected again). Plain-HTTP requests are redirected, except
# the health check the proxy or the monitoring call directly.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY") else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
# Strict-Transport-Security on HTTPS answers: a year, subdomains included; "preload" only
# allows a submission to the browsers' list, which stays the domain owner's decision.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Links people receive carry a secret token in their path: never send it to another site.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): every script and style sheet is a file served by
# Maillage itself; no inline script, no eval, no outside host but the map tiles' (when set).
# Style attributes are allowed (`style-src-attr`): they cannot run code nor load anything
# outside img-src, and the admin's and the charts' SVG use a few.
MAILLAGE_MAP_TILE_URL = os.environ.get("MAILLAGE_MAP_TILE_URL", "")


def url_origin(url: str) -> list[str]:
    """The scheme and host of a URL template (for img-src), or nothing."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", *url_origin(MAILLAGE_MAP_TILE_URL)],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
    },
}
# Permissions-Policy (django-permissions-policy): no page needs a camera, a microphone, the
# position or payments (the visio opens Jitsi in its own tab).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# Background tasks (django-tasks; the same API is built into Django 6): stored in the
# database, run by `maillage worker`. Emails, SMS, imports and computations go through them.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# The territory the instance serves (INSEE code of the département) and its name.
MAILLAGE_DEPARTEMENT_CODE = os.environ.get("MAILLAGE_DEPARTEMENT_CODE", "16")
MAILLAGE_DEPARTEMENT_NAME = os.environ.get("MAILLAGE_DEPARTEMENT_NAME", "Charente")
# Places of help: map tiles (none by default: commune contours only, no outside network;
# e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png with its attribution), estimated travel
# times (great-circle km × detour factor ÷ average speed), retention of help requests.
MAILLAGE_MAP_TILE_ATTRIBUTION = os.environ.get("MAILLAGE_MAP_TILE_ATTRIBUTION", "")
MAILLAGE_TRAVEL_DETOUR_FACTOR = float(os.environ.get("MAILLAGE_TRAVEL_DETOUR_FACTOR", "1.3"))
MAILLAGE_TRAVEL_SPEED_KMH = float(os.environ.get("MAILLAGE_TRAVEL_SPEED_KMH", "50"))
MAILLAGE_TRAVEL_URBAN_SPEED_KMH = float(os.environ.get("MAILLAGE_TRAVEL_URBAN_SPEED_KMH", "30"))
MAILLAGE_TRAVEL_URBAN_RADIUS_KM = float(os.environ.get("MAILLAGE_TRAVEL_URBAN_RADIUS_KM", "3"))
# Travel times and addresses (docs/transport.md): an OSRM server (table and route services)
# replaces the estimate when set; the Base Adresse Nationale geocodes riders' addresses
# (https://api-adresse.data.gouv.fr), else the commune's centroid, marked approximate.
MAILLAGE_OSRM_URL = os.environ.get("MAILLAGE_OSRM_URL", "")
MAILLAGE_OSRM_TIMEOUT = float(os.environ.get("MAILLAGE_OSRM_TIMEOUT", "5"))
MAILLAGE_BAN_URL = os.environ.get("MAILLAGE_BAN_URL", "")
MAILLAGE_BAN_TIMEOUT = float(os.environ.get("MAILLAGE_BAN_TIMEOUT", "3"))
MAILLAGE_BAN_MIN_SCORE = float(os.environ.get("MAILLAGE_BAN_MIN_SCORE", "0.5"))
# On-demand transport: planner budget, confirmed pickups' tolerance when re-planning, ride
# time allowed beyond the direct trip, arrival margin before a workshop, data retention.
MAILLAGE_TRANSPORT_PLAN_SECONDS = float(os.environ.get("MAILLAGE_TRANSPORT_PLAN_SECONDS", "10"))
MAILLAGE_TRANSPORT_CONFIRMED_TOLERANCE_MINUTES = int(
    os.environ.get("MAILLAGE_TRANSPORT_CONFIRMED_TOLERANCE_MINUTES", "10")
)
MAILLAGE_TRANSPORT_EXTRA_RIDE_MINUTES = int(
    os.environ.get("MAILLAGE_TRANSPORT_EXTRA_RIDE_MINUTES", "30")
)
MAILLAGE_TRANSPORT_ARRIVAL_WINDOW_MINUTES = int(
    os.environ.get("MAILLAGE_TRANSPORT_ARRIVAL_WINDOW_MINUTES", "30")
)
# Ride requests from a booking's link: attempts an hour per booking and per network address.
MAILLAGE_TRANSPORT_LINK_REQUESTS_PER_HOUR = int(
    os.environ.get("MAILLAGE_TRANSPORT_LINK_REQUESTS_PER_HOUR", "5")
)
MAILLAGE_TRANSPORT_RETENTION_MONTHS = int(
    os.environ.get("MAILLAGE_TRANSPORT_RETENTION_MONTHS", "12")
)
# Appointments (docs/appointments.md): personal details of past bookings erased after
# N months; videoconference rooms on a Jitsi Meet server (optional JWT); locking switch
# kept only so the concurrency test can show the oversell it prevents.
MAILLAGE_APPOINTMENTS_RETENTION_MONTHS = int(
    os.environ.get("MAILLAGE_APPOINTMENTS_RETENTION_MONTHS", "24")
)
# Whether the cache is one every worker shares (Redis): what one worker caches and another
# changes can only be forgotten in a shared cache, so such caching is on with it only.
MAILLAGE_SHARED_CACHE = bool(REDIS_URL)
# Free slots cached per (service, place, day), versioned so that none is served stale
# (appointments/slot_cache.py).
MAILLAGE_SLOT_CACHE = env_bool("MAILLAGE_SLOT_CACHE", MAILLAGE_SHARED_CACHE)
MAILLAGE_APPOINTMENTS_HOLD_MINUTES = int(os.environ.get("MAILLAGE_APPOINTMENTS_HOLD_MINUTES", "5"))
MAILLAGE_APPOINTMENTS_HOLDS_PER_ADDRESS = int(
    os.environ.get("MAILLAGE_APPOINTMENTS_HOLDS_PER_ADDRESS", "20")
)
MAILLAGE_APPOINTMENTS_LOCKING = True
MAILLAGE_APPOINTMENTS_LOCK_TIMEOUT = os.environ.get("MAILLAGE_APPOINTMENTS_LOCK_TIMEOUT", "2s")
MAILLAGE_VISIO_SERVER = os.environ.get("MAILLAGE_VISIO_SERVER", "https://meet.jit.si")
MAILLAGE_VISIO_JWT_SECRET = os.environ.get("MAILLAGE_VISIO_JWT_SECRET", "")
MAILLAGE_VISIO_JWT_APP_ID = os.environ.get("MAILLAGE_VISIO_JWT_APP_ID", "maillage")
# Links sent to people (booking page, cancel and move, ride request, rider's page) work until
# the appointment or the ride is over plus this many hours, then answer "lien expiré".
MAILLAGE_LINK_GRACE_HOURS = int(os.environ.get("MAILLAGE_LINK_GRACE_HOURS", "24"))
MAILLAGE_SITE_URL = os.environ.get("MAILLAGE_SITE_URL", "http://127.0.0.1:8000")
MAILLAGE_HELP_REQUEST_RETENTION_MONTHS = int(
    os.environ.get("MAILLAGE_HELP_REQUEST_RETENTION_MONTHS", "12")
)
# Mediation: beneficiaries' personal data is erased after this many months without activity.
MAILLAGE_MEDIATION_RETENTION_MONTHS = int(
    os.environ.get("MAILLAGE_MEDIATION_RETENTION_MONTHS", "24")
)
# Mediation indicators: counted on the pre-aggregated tables kept by triggers (PostgreSQL);
# "0" counts on the records instead (docs/indicators-performance.md).
MAILLAGE_INDICATOR_TOTALS = os.environ.get("MAILLAGE_INDICATOR_TOTALS", "1") == "1"
# Networks (Promeneurs du Net): members' personal data is erased this many months after they
# left the network (status history and monthly counts stay).
MAILLAGE_NETWORKS_RETENTION_MONTHS = int(os.environ.get("MAILLAGE_NETWORKS_RETENTION_MONTHS", "24"))
# Public statistics: counts below this threshold are masked ("< 5").
MAILLAGE_PUBLIC_STATS_THRESHOLD = int(os.environ.get("MAILLAGE_PUBLIC_STATS_THRESHOLD", "5"))
# Broadband figures: the largest file accepted (the observatory's national workbook is about
# 25 MB) and the most lines read (the national files have about 35 000 communes).
MAILLAGE_BROADBAND_MAX_UPLOAD_MB = int(os.environ.get("MAILLAGE_BROADBAND_MAX_UPLOAD_MB", "40"))
MAILLAGE_BROADBAND_MAX_ROWS = int(os.environ.get("MAILLAGE_BROADBAND_MAX_ROWS", "100000"))
# Demonstration accounts share a published password: never on in production.
MAILLAGE_DEMO_ACCOUNTS = env_bool("MAILLAGE_DEMO_ACCOUNTS", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
