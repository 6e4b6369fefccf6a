"""Access figures for the demonstration: computed once by `make run`, so the public page
« Accès aux services numériques » has figures at first launch (production computes them every
night with `maillage compute-access`)."""

from collections.abc import Iterator

from maillage import clock

from .models import AccessRun
from .runs import access_run_execute, latest_run


def load_demo_access() -> Iterator[str]:
    """Compute every kind of help once, from the demonstration places; idempotent (nothing
    happens when a computation exists)."""
    if latest_run() is not None:
        yield "Accès : un calcul existe déjà (maillage compute-access le refait)."
        return
    run = access_run_execute(AccessRun.objects.create(computed_on=clock.today(), kinds=[]))
    yield f"Accès : temps calculés pour {len(run.kinds)} type(s) d'aide."
