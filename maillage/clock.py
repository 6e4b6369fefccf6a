"""One clock for every availability or deadline check.

`clock.now()` is `django.utils.timezone.now()` unless a test or a demo shifted it with
`clock.travel(moment)` (a context manager) or `clock.set_now(moment)`. Code deciding
whether a slot is in the past, a hold expired, a reminder is due or a record must be
erased asks this module, never the system clock directly.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """The current moment (aware, UTC)."""
    return _frozen if _frozen is not None else timezone.now()


def today() -> dt.date:
    """Today's date in the project's time zone (Europe/Paris)."""
    return timezone.localdate(now())


def set_now(moment: dt.datetime | None) -> None:
    """Freeze the clock at `moment` (aware), or unfreeze it with None."""
    global _frozen
    if moment is not None and timezone.is_naive(moment):
        raise ValueError("clock.set_now() needs an aware datetime")
    _frozen = moment


@contextmanager
def travel(moment: dt.datetime) -> Iterator[None]:
    """Run a block as if it were `moment`."""
    previous = _frozen
    set_now(moment)
    try:
        yield
    finally:
        set_now(previous)
