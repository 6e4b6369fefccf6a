"""French public holidays, from the `holidays` package: the one place it is imported.

The package builds every country's calendar classes when imported (about half a second of a
cold start), so it is imported on first use: the slot search's calendar
(`appointments.intervals.is_public_holiday`) and the names shown beside opening hours
(`places.hours.holiday_name`) both read this. Production loads it before serving
(`maillage/wsgi.py`).
"""

import datetime as dt
from functools import cache


@cache
def french_holidays(year: int) -> dict[dt.date, str]:
    """The year's public holidays in France, by date, with their French names."""
    import holidays

    return dict(holidays.France(years=year, language="fr").items())
