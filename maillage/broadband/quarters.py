"""Quarters ("T3 2024"): the period of the regulator's broadband statistics.

A quarter is stored as the date of its last day (the date ARCEP's files carry in their `date`
column, e.g. 2024-09-30), so that "the latest figure at a date" is a plain date comparison.
`Quarter` reads every spelling the files and people use and writes the French one.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_PATTERNS = (
    re.compile(r"^T\s*(?P<q>[1-4])\s*[-_/ ]?\s*(?P<y>\d{4})$", re.IGNORECASE),  # T3 2024
    re.compile(r"^(?P<y>\d{4})\s*[-_/ ]?\s*T\s*(?P<q>[1-4])$", re.IGNORECASE),  # 2024_T3, 2024T3
    re.compile(r"^(?P<y>\d{4})\s*[-_/ ]?\s*Q\s*(?P<q>[1-4])$", re.IGNORECASE),  # 2024-Q3
)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1–4

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"quarter number out of range: {self.number}")
        if not 1900 <= self.year <= 2200:
            raise ValueError(f"year out of range: {self.year}")

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        """The quarter `day` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def ending(cls, day: dt.date) -> Quarter:
        """The quarter whose last day is `day`; ValueError for any other date."""
        quarter = cls.of(day)
        if quarter.end != day:
            raise ValueError(f"{day} is not the last day of a quarter")
        return quarter

    @classmethod
    def parse(cls, text: str | dt.date) -> Quarter:
        """ "T3 2024", "2024_T3", "2024T3", "2024-Q3" or a quarter's last day (2024-09-30)."""
        if isinstance(text, dt.datetime):
            text = text.date()
        if isinstance(text, dt.date):
            return cls.ending(text)
        value = str(text).strip()
        for pattern in _PATTERNS:
            if match := pattern.match(value):
                return cls(int(match["y"]), int(match["q"]))
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            raise ValueError(f"not a quarter: {value!r}") from None
        return cls.ending(day)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        month = 3 * self.number
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def label(self) -> str:
        """ "T3 2024", as ARCEP's observatory writes it."""
        return f"T{self.number} {self.year}"

    @property
    def slug(self) -> str:
        """ "2024-T3", for URLs and file names (sorts like the quarters)."""
        return f"{self.year}-T{self.number}"

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    def __str__(self) -> str:
        return self.label


def quarter_range(first: Quarter, last: Quarter) -> list[Quarter]:
    """Every quarter from `first` to `last`, both included (empty if last < first)."""
    quarters = []
    current = first
    while current <= last:
        quarters.append(current)
        current = current.next()
    return quarters
