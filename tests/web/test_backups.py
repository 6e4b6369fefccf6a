"""`maillage backup` and `maillage restore`: a backup restored into an empty database holds
every row of every table (the suite runs on SQLite and on PostgreSQL, so both engines are
tested: pg_dump/pg_restore, and SQLite's online backup)."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import timezone

from maillage.appointments.models import BookingEvent
from maillage.mediation.labels import LogAction
from maillage.mediation.services import log
from maillage.web.backups import BackupError, backup_extension, database_restore
from tests.appointments.factories import BookingFactory
from tests.factories import MembershipFactory
from tests.mediation.factories import BeneficiaryFactory
from tests.plan.factories import MeasurementFactory

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def populated():
    """Rows in many apps: people and roles, the plan and its history, a beneficiary and the
    access log, a booking and its events (with dates, decimals, JSON, unicode)."""
    MembershipFactory.create_batch(3)
    MeasurementFactory(value="12.5", date=dt.date(2024, 6, 30))
    beneficiary = BeneficiaryFactory(named=True, first_name="Éloïse")
    log(beneficiary, LogAction.VIEWED, None, reason="accès « test »")
    start = timezone.now()
    booking = BookingFactory(starts_at=start, ends_at=start + dt.timedelta(hours=1), name="Jeanne")
    BookingEvent.objects.create(booking=booking, action="booked", note="première note")


@pytest.fixture
def scratch(tmp_path):
    """The URL of an empty database beside the test database: a file for SQLite, a database
    named after the test database for PostgreSQL (created here, dropped after)."""
    default = connections["default"].settings_dict
    if connections["default"].vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{default['NAME']}_restore"
    _postgres(default, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    credentials = default["USER"] + (f":{default['PASSWORD']}" if default["PASSWORD"] else "")
    yield f"postgres://{credentials}@{default['HOST']}:{default['PORT'] or 5432}/{name}"
    _postgres(default, f'DROP DATABASE IF EXISTS "{name}"')


def _postgres(database: dict, *statements: str) -> None:
    with psycopg.connect(
        dbname="postgres",
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
        autocommit=True,
    ) as admin:
        for statement in statements:
            admin.execute(statement)


def content(alias: str = "default") -> dict[str, list[str]]:
    """Every row of every table, as sorted text (read through Django, whatever the engine)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {quote(table)}")
            tables[table] = sorted(repr(row) for row in cursor.fetchall())
    return tables


RESTORE = """
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connections
from tests.web.test_backups import content
assert connections["default"].introspection.table_names() == [], "not an empty database"
call_command("restore", sys.argv[1], verbosity=0)
print(json.dumps(content()))
"""


def test_backup_restored_into_an_empty_database_holds_every_row(populated, scratch, tmp_path):
    """`maillage backup` here, `maillage restore` in another process whose DATABASE_URL is an
    empty database, as an operator moving to a new server would."""
    path = tmp_path / f"maillage{backup_extension()}"
    call_command("backup", str(path), verbosity=0)
    assert path.stat().st_size > 0
    environment = {**os.environ, "DATABASE_URL": scratch}
    result = subprocess.run(
        [sys.executable, "-c", RESTORE, str(path)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    source, restored = content(), json.loads(result.stdout)
    assert restored.keys() == source.keys()
    for table, rows in source.items():
        assert restored[table] == rows, table
    # Not an empty comparison: the fixture's rows are there, including the history and logs.
    assert sum(map(len, source.values())) > 50
    assert any("Éloïse" in row for row in restored["mediation_beneficiary"])
    assert restored["plan_historicalmeasurement"]
    assert restored["mediation_beneficiarylog"] and restored["appointments_bookingevent"]


def test_the_commands_refuse_a_database_that_is_not_empty_and_a_foreign_file(tmp_path):
    path = tmp_path / f"maillage{backup_extension()}"
    call_command("backup", str(path), verbosity=0)
    with pytest.raises(CommandError, match="contient déjà des tables"):
        call_command("restore", str(path))
    foreign = tmp_path / "notes.txt"
    foreign.write_text("pas une sauvegarde")
    with pytest.raises(CommandError, match="n'est pas une sauvegarde"):
        call_command("restore", str(foreign), "--remplacer")
    with pytest.raises(BackupError, match="introuvable"):
        database_restore(path=tmp_path / "absent.dump")
