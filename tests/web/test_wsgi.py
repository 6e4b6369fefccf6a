"""The WSGI module loads everything a worker needs before serving, then freezes it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc
import sys
import maillage.wsgi
from django.template import engines
from maillage.public_holidays import french_holidays
loader = engines["django"].engine.template_loaders[0]
print(gc.get_freeze_count() > 100_000, len(loader.get_template_cache) > 300,
      french_holidays.cache_info().currsize >= 2)
print(*sorted(name for name in LIBRARIES if name not in sys.modules) or ["every-library"])
"""
# Imported on first use elsewhere (a quick start for commands and tests), preloaded here.
LIBRARIES = [
    "frictionless",
    "highspy",
    "holidays",
    "icalendar",
    "numpy",
    "openpyxl",
    "pygal",
    "scipy.spatial",
    "shapely",
]


def test_the_wsgi_module_loads_templates_and_calendar_then_freezes_the_garbage_collector():
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environment.update(DJANGO_SETTINGS_MODULE="maillage.settings.base", SECRET_KEY="x" * 50)
    probe = PROBE.replace("LIBRARIES", repr(LIBRARIES))
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "every-library"]


COLD = """
import os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.test")
django.setup()
import maillage.urls
print(*sorted(name for name in LIBRARIES if name in sys.modules) or ["none"])
"""


def test_the_url_configuration_imports_none_of_the_heavy_libraries():
    """Every command and test worker imports the URL configuration: the heavy libraries wait
    for the code that uses them (each behind its one wrapper)."""
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = COLD.replace("LIBRARIES", repr([*LIBRARIES, "weasyprint", "ortools", "pandas", "numba"]))
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["none"]
