import os
import subprocess
import sys
from pathlib import Path

import pytest

from maillage import cli

ROOT = Path(__file__).resolve().parents[2]


def test_help_is_in_french_by_default(monkeypatch, capsys):
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    cli.main(["maillage", "--help"])
    out = capsys.readouterr().out
    assert "Usage : maillage COMMANDE" in out
    assert "import-communes" in out
    assert "Sert l'application" in out


def test_help_in_english_when_asked(monkeypatch, capsys):
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    cli.main(["maillage", "--help"])
    out = capsys.readouterr().out
    assert "Usage: maillage COMMAND" in out
    assert "Serve the app" in out


@pytest.mark.parametrize("name,command", [("import-communes", "import_communes")])
def test_dashed_names_run_the_django_command(monkeypatch, name, command):
    seen = {}

    def fake_execute(argv):
        seen["argv"] = argv

    monkeypatch.setattr("django.core.management.execute_from_command_line", fake_execute)
    cli.main(["maillage", name, "--dry-run"])
    assert seen["argv"][1:] == [command, "--dry-run"]


def test_the_worker_loads_the_planners_compiled_loops_before_it_starts(monkeypatch):
    from maillage.transport.darp import kernel

    order = []
    monkeypatch.setattr(kernel, "warm_up", lambda: order.append("warm_up"))
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: order.append(argv[1:])
    )
    cli.main(["maillage", "worker"])
    assert order == ["warm_up", ["db_worker"]]
    order.clear()
    cli.main(["maillage", "import-communes"])
    assert order == [["import_communes"]]  # no other command pays for it


def _python(code: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _python(
        "import django; django.setup()", DJANGO_SETTINGS_MODULE="maillage.settings.base"
    )
    assert result.returncode != 0
    assert "SECRET_KEY doit être défini" in result.stderr


def test_production_settings_read_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.ALLOWED_HOSTS, s.DEBUG, s.TIME_ZONE, "
        "s.LANGUAGE_CODE)"
    )
    result = _python(
        code,
        DJANGO_SETTINGS_MODULE="maillage.settings.base",
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://maillage@db.example:5432/maillage",
        ALLOWED_HOSTS="maillage.lacharente.fr",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "['maillage.lacharente.fr']",
        "False",
        "Europe/Paris",
        "fr",
    ]


def test_every_listed_command_exists():
    from django.core.management import get_commands

    available = set(get_commands())
    for name in cli.COMMANDS:
        target = cli.ALIASES.get(name, [name.replace("-", "_")])[0]
        assert target in available, name


def test_make_run_serves_links_to_the_address_served_and_runs_the_worker():
    """`make run HOST=… PORT=…`: messages' links point to that address, which Django accepts,
    and background work waits for the worker started beside the server (as in production)."""
    dry_run = subprocess.run(
        ["make", "-n", "run", "HOST=192.168.1.20", "PORT=8107"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert dry_run.returncode == 0, dry_run.stderr
    assert "MAILLAGE_SITE_URL=${MAILLAGE_SITE_URL:-http://192.168.1.20:8107}" in dry_run.stdout
    assert "maillage worker &" in dry_run.stdout and "kill $worker" in dry_run.stdout
    assert "runserver 192.168.1.20:8107" in dry_run.stdout
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.MAILLAGE_SITE_URL, '192.168.1.20' in s.ALLOWED_HOSTS, "
        "s.TASKS['default']['BACKEND'])"
    )
    served = _python(
        code,
        DJANGO_SETTINGS_MODULE="maillage.settings.dev",
        MAILLAGE_SITE_URL="http://192.168.1.20:8107",
        MAILLAGE_TASKS_WORKER="1",
    )
    assert served.returncode == 0, served.stderr
    assert served.stdout.split() == [
        "http://192.168.1.20:8107",
        "True",
        "django_tasks_db.DatabaseBackend",
    ]
    alone = _python(code, DJANGO_SETTINGS_MODULE="maillage.settings.dev")
    assert alone.stdout.split()[-1] == "django_tasks.backends.immediate.ImmediateBackend"
