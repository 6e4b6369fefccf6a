"""Backing up and restoring the whole database, whatever its engine.

* PostgreSQL: `pg_dump --format=custom` (compressed, restorable table by table) and
  `pg_restore --single-transaction`, run with the connection's own settings (the password goes
  through `PGPASSWORD`, never the command line). The client tools must match the server's major
  version or be newer (Debian: package `postgresql-client`).
* SQLite: the online backup API (`sqlite3.Connection.backup`), consistent while the app runs.

Maillage keeps everything in its database (no uploaded files), so one file is a full backup.
A restore refuses to overwrite a database that holds tables unless asked to (`replace`).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections

from . import labels

POSTGRESQL_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore that cannot be done, with a French message for the operator."""


def backup_extension(using: str = DEFAULT_DB_ALIAS) -> str:
    return ".dump" if connections[using].vendor == "postgresql" else ".sqlite3"


def database_backup(*, path: Path, using: str = DEFAULT_DB_ALIAS) -> Path:
    """Write a full, consistent copy of the database to `path` (overwritten)."""
    connection = connections[using]
    path = Path(path)
    if connection.vendor == "postgresql":
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(path)],
            connection.settings_dict,
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise BackupError(labels.ERR_BACKUP_ENGINE.format(engine=connection.vendor))
    return path


def database_restore(*, path: Path, using: str = DEFAULT_DB_ALIAS, replace: bool = False) -> None:
    """Load a backup made by `database_backup` into the database `using` points to."""
    connection = connections[using]
    path = Path(path)
    if not path.is_file():
        raise BackupError(labels.ERR_BACKUP_MISSING.format(path=path))
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    expected = POSTGRESQL_MAGIC if connection.vendor == "postgresql" else SQLITE_MAGIC
    if not head.startswith(expected):
        raise BackupError(labels.ERR_BACKUP_FORMAT.format(path=path, engine=connection.vendor))
    if not replace and connection.introspection.table_names():
        raise BackupError(labels.ERR_RESTORE_NOT_EMPTY)
    if connection.vendor == "postgresql":
        connection.close()
        _run(
            [
                "pg_restore",
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-privileges",
                *(["--clean", "--if-exists"] if replace else []),
                str(path),
            ],
            connection.settings_dict,
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()


def _run(command: list[str], database: dict) -> None:
    """Run a PostgreSQL client tool against `database` (Django's connection settings)."""
    if shutil.which(command[0]) is None:
        raise BackupError(labels.ERR_BACKUP_TOOL.format(tool=command[0]))
    environment = {
        **os.environ,
        "PGDATABASE": database["NAME"],
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
    }
    environment = {key: value for key, value in environment.items() if value != ""}
    if command[0] == "pg_restore":
        command = [*command[:-1], "--dbname", database["NAME"], command[-1]]
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            labels.ERR_BACKUP_FAILED.format(tool=command[0], error=result.stderr.strip())
        )
