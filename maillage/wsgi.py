"""The WSGI application, for gunicorn (`gunicorn maillage.wsgi --preload`).

Everything a worker needs is loaded here, once, before serving: the URL configuration (and
all it pulls in: the API, every view), what the code imports on first use so that commands
and tests start quickly (`DEFERRED_IMPORTS`: numpy, scipy, openpyxl, frictionless, icalendar,
pygal, shapely, highspy, the access computations), the holiday calendar, the Redis client
and every template, compiled into the cached loader (≈ 0.3 s),
so no worker spends its first requests (seconds of CPU) importing or compiling. Then
`gc.freeze()` moves those start-up objects out of the garbage collector's sight: a full
collection no longer walks the hundreds of thousands of objects of Django and its
libraries, which made every few requests that build many objects (slot searches) wait a
hundred milliseconds or more. With `--preload` this runs in the master before the workers
fork, so it is done once and the frozen pages stay shared between workers.
"""

import datetime as dt
import gc
import importlib
import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.base")
application = get_wsgi_application()

# Imported on first use by the one module that wraps each (see them); loaded here before the fork.
DEFERRED_IMPORTS = (
    "numpy",
    "scipy.spatial",
    "openpyxl",
    "frictionless",
    "icalendar",
    "shapely",
    "maillage.access.siting_compute",
)


def load_everything() -> int:
    """Import every view module, build the URL reverse index, load this year's and next
    year's public holidays (the slot search's calendar: its first use imports a few hundred
    modules), compile every app template; returns the number of templates."""
    from django.conf import settings
    from django.template import engines
    from django.template.utils import get_app_template_dirs
    from django.urls import get_resolver

    from maillage.appointments.intervals import is_public_holiday
    from maillage.highs import highspy_module
    from maillage.plan.charts import pygal_library

    get_resolver().reverse_dict  # noqa: B018  (imports the URL configuration, then indexes it)
    for name in DEFERRED_IMPORTS:
        importlib.import_module(name)
    pygal_library()  # through its wrapper, which removes pygal's import hook
    highspy_module()
    if getattr(settings, "REDIS_URL", ""):
        # The shared cache's client library, imported only: no connection may cross the fork.
        importlib.import_module("redis")
    this_year = dt.date.today().year
    for year in (this_year, this_year + 1):
        is_public_holiday(dt.date(year, 1, 1))
    engine = engines["django"]
    compiled = 0
    for directory in get_app_template_dirs("templates"):
        for path in Path(directory).rglob("*.html"):
            engine.get_template(path.relative_to(directory).as_posix())
            compiled += 1
    return compiled


load_everything()
gc.collect()
gc.freeze()
