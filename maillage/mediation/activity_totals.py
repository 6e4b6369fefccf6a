"""The pre-aggregated activity tables `ActivityDay`, `PersonDay` and `PersonYear`: where they
are kept, and their backfill.

On PostgreSQL, statement-level triggers (migrations 0004, 0006) keep the tables exact on every
write of an accompaniment or a participation, in the writing transaction, whatever writes it
(services, admin, bulk inserts, raw SQL). The indicator sources (`indicator_sources.count_*`)
then count there: sums over a few rows per day and organisation for activities and sessions,
COUNT DISTINCT over narrow rows without joins for people (one row per person, organisation
and year when only organisations, the period and the person are filtered), with the same
filters as on the records. The record-based counts stay as the oracle
(`tests/mediation/test_activity_totals.py`) and as the path on SQLite, where no trigger keeps
the tables. Plans: docs/indicators-performance.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def available() -> bool:
    """True where the triggers keep the tables (PostgreSQL), unless the setting
    `MAILLAGE_INDICATOR_TOTALS` is False (counting on the records, e.g. the bench's baseline)."""
    return connection.vendor == "postgresql" and settings.MAILLAGE_INDICATOR_TOTALS


def rebuild() -> None:
    """Recompute the tables from the records (the backfill; the triggers keep them after).

    Run it inside a transaction (the command does): it empties and refills the tables.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute("SELECT mediation_activity_totals_rebuild()")
        cursor.execute("SELECT mediation_person_years_rebuild()")
