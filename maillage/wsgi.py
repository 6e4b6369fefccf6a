"""The WSGI application, for gunicorn (`gunicorn maillage.wsgi --preload`).

Everything a worker needs is loaded here, once: the URL configuration (and all it pulls in:
the API, the dial-a-ride solver, OR-Tools, pandas), so no worker spends its first request
importing it. Then `gc.freeze()` moves those start-up objects out of the garbage
collector's sight: a full collection no longer walks the hundreds of thousands of objects of
Django and its libraries, which made every few requests that build many objects (slot
searches) wait a hundred milliseconds or more. With `--preload` this runs in the master
before the workers fork, so the frozen pages also stay shared between workers.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.base")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018  (imports every view module now, not on a request)
gc.collect()
gc.freeze()
