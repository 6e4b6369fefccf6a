"""Fixtures shared by every app's tests.

Log people in with the `login` fixture (or `client.force_login(user, backend=BACKEND)`):
`client.login()` cannot work, the brute-force protection needs the request.
"""

import pytest
from django.core.cache import cache
from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from maillage.organisations.labels import Role
from maillage.organisations.permissions import two_factor_required

from .charente import import_charente
from .factories import DEFAULT_PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

BACKEND = "maillage.organisations.auth_backends.EmailBackend"


@pytest.fixture
def password() -> str:
    return DEFAULT_PASSWORD


@pytest.fixture
def user(db):
    """A logged-out person without any membership."""
    return UserFactory()


@pytest.fixture
def superuser(db):
    return UserFactory(superuser=True, email="admin@exemple.fr")


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Espace numérique de test")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Autre organisation")


@pytest.fixture
def member(db, organisation):
    """`member(role)` → a new person holding `role` in `organisation` (or `organisation=`)."""

    def make(role: str = Role.VIEWER, organisation=organisation, **user_fields):
        person = UserFactory(**user_fields)
        MembershipFactory(user=person, organisation=organisation, role=role)
        return person

    return make


def logged_in(client, person):
    """`client` logged in as `person`, with a verified second factor when their account
    requires one (as the real login would leave them)."""
    client.force_login(person, backend=BACKEND)
    if two_factor_required(person):
        device = TOTPDevice.objects.create(user=person, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def login(client):
    """`login(user)` → the test client, logged in as `user` (with a verified second factor
    when their account requires one, as the real login would leave them)."""

    def log_in(person):
        return logged_in(client, person)

    return log_in


@pytest.fixture
def admin_client(db, admin_user, login):
    """pytest-django's admin client, with the second factor the admin requires."""
    return login(admin_user)


@pytest.fixture(scope="module")
def charente(django_db_setup, django_db_blocker):
    """Charente's communes, imported once per test module and rolled back after it.

    The import runs in an outer transaction that each test's own transaction (tests still need
    `pytest.mark.django_db`) nests into as a savepoint; rolling it back leaves the test
    database as it was, without deleting rows that other apps' tables may point to.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        report = import_charente()
        yield report
        transaction.set_rollback(True)


@pytest.fixture(params=list(Role), ids=lambda role: role.value)
def any_role(request) -> str:
    """Parametrise a test over every role."""
    return request.param


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """`pytest --reuse-db` keeps the migrated test database between local runs. On SQLite that
    needs a file (`var/test_maillage.sqlite3`, one per pytest-xdist worker), not the in-memory
    database a plain run uses; PostgreSQL keeps `test_<name>` (`_gw0`… per worker) anyway."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    reuse = request.config.getvalue("reuse_db") and not request.config.getvalue("create_db")
    if reuse and database["ENGINE"] == "django.db.backends.sqlite3":
        worker = getattr(request.config, "workerinput", {}).get("workerid")
        name = f"test_maillage_{worker}.sqlite3" if worker else "test_maillage.sqlite3"
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        database.setdefault("TEST", {})["NAME"] = str(settings.VAR_DIR / name)


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate limits and held-slot caps count in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()
