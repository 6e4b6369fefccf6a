"""The WSGI module loads everything a worker needs before serving, then freezes it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc
import maillage.wsgi
from django.template import engines
from maillage.appointments.intervals import _french_holidays
loader = engines["django"].engine.template_loaders[0]
print(gc.get_freeze_count() > 100_000, len(loader.get_template_cache) > 300,
      _french_holidays.cache_info().currsize >= 2)
"""


def test_the_wsgi_module_loads_templates_and_calendar_then_freezes_the_garbage_collector():
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environment.update(DJANGO_SETTINGS_MODULE="maillage.settings.base", SECRET_KEY="x" * 50)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]
