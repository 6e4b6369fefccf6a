"""The one locking helper for scarce things: agents' time, rooms, workshop seats.

Inside the caller's transaction, `lock(...)` takes `SELECT … FOR UPDATE` row locks on the
agents, resources, sessions and bookings involved, always in the same order (model, then
id) so two bookings never wait for each other in a cycle, under a short `lock_timeout`
(setting MAILLAGE_APPOINTMENTS_LOCK_TIMEOUT, 2 s). The caller then re-checks availability
under the lock and writes. A lock not obtained in time becomes `SlotBusy`, answered to
people as "Créneau très demandé, réessayez dans un instant."

On SQLite (the single-user default) every write transaction is already serialised
(`transaction_mode = IMMEDIATE` in the settings), so there is nothing to lock; the same
service code runs. `MAILLAGE_APPOINTMENTS_LOCKING = False` switches the locks off: only the
concurrency test does that, to show the oversell they prevent.

`translate_errors` turns the database's own refusals into domain errors: a lock timeout
(SQLSTATE 55P03), a deadlock or serialisation failure (40P01, 40001) or SQLite's
"database is locked" → `SlotBusy`; an exclusion or unique
violation (23P01, 23505) → `SlotTaken`.
"""

import re
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction

from . import labels

_TIMEOUT = re.compile(r"^\d+(ms|s)?$")


class BookingError(Exception):
    """A booking that cannot be done; its message is for people (French)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SlotBusy(BookingError):
    def __init__(self, message: str = labels.ERR_SLOT_BUSY) -> None:
        super().__init__(message)


class SlotTaken(BookingError):
    def __init__(self, message: str = labels.ERR_SLOT_TAKEN) -> None:
        super().__init__(message)


def locking_enabled() -> bool:
    return bool(getattr(settings, "MAILLAGE_APPOINTMENTS_LOCKING", True))


def lock(
    *,
    agents: Iterable[int] = (),
    resources: Iterable[int] = (),
    sessions: Iterable[int] = (),
    bookings: Iterable[int] = (),
) -> None:
    """Lock the given rows for the rest of the current transaction (PostgreSQL)."""
    if not connection.in_atomic_block:
        raise RuntimeError("lock() must run inside transaction.atomic()")
    if not locking_enabled() or connection.vendor != "postgresql":
        return
    from .models import Agent, Booking, Resource, Session

    timeout = getattr(settings, "MAILLAGE_APPOINTMENTS_LOCK_TIMEOUT", "2s")
    if not _TIMEOUT.match(timeout):
        raise ValueError(f"Invalid lock timeout: {timeout!r}")
    # One round trip: the timeout, then each row in the helper's order (model, then id;
    # a single IN query may lock in any order), as statements run one after the other.
    # Plain SQL with the ids written in (integers): the ORM spent more time writing these
    # one-row statements than PostgreSQL running them.
    statements = [f"SET LOCAL lock_timeout = '{timeout}'"]
    for model, ids in (
        (Agent, agents),
        (Resource, resources),
        (Session, sessions),
        (Booking, bookings),
    ):
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(model._meta.pk.column)
        statements.extend(
            f"SELECT 1 FROM {table} WHERE {column} = {pk:d} FOR UPDATE"
            for pk in sorted({int(pk) for pk in ids if pk})
        )
    with connection.cursor() as cursor:
        cursor.execute("; ".join(statements))


def for_update(queryset):
    """`queryset` locking the rows it reads (of its own model only), when the helper locks:
    for the last rows of `lock()`'s order, read and locked in one query. Runs after
    `lock()`, which sets the short lock timeout."""
    if not locking_enabled() or connection.vendor != "postgresql":
        return queryset
    return queryset.select_for_update(of=("self",))


def _sqlstate(error: BaseException) -> str | None:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)


def translate_errors(function: Callable) -> Callable:
    """Run a service in its own transaction (savepoint) and translate database refusals."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        try:
            with transaction.atomic():
                return function(*args, **kwargs)
        except IntegrityError as error:
            if _sqlstate(error) in {"23P01", "23505"}:
                raise SlotTaken() from error
            raise
        except OperationalError as error:
            if _sqlstate(error) in {"55P03", "40P01", "40001"} or "database is locked" in str(
                error
            ):
                raise SlotBusy() from error
            raise
        except DatabaseError as error:
            if _sqlstate(error) in {"55P03", "40001", "40P01"}:
                raise SlotBusy() from error
            raise

    return wrapper
