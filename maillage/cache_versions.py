"""Versions in the shared cache, for values that must never be served stale.

A value is cached under a key that names the current version of what it was computed from;
whoever changes that data renews the version (`renew`): the old value can no longer be found
and ages out. Versions are renewed at once and again when the transaction commits, so a value
computed from rows read before the commit, under the first renewal, is not found after it. A
version missing from the cache (evicted) gets a new token before use, never an old one back.

Only worth it with a cache every worker shares (Redis): a per-process cache would keep one
worker's values through another worker's changes.
"""

import functools
import hashlib
import secrets

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 40 * 86400  # a version outlives any value it keys


def current(keys: list[str]) -> dict[str, str]:
    """The current version of each key; a missing one gets a new token first."""
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, secrets.token_hex(8), timeout=TIMEOUT)
        found.update(cache.get_many(missing))
    return found


def _set_new(keys: list[str]) -> None:
    cache.set_many({key: secrets.token_hex(8) for key in keys}, timeout=TIMEOUT)


def renew(keys: list[str]) -> None:
    """New versions for these keys, at once and again when the transaction commits."""
    _set_new(keys)
    transaction.on_commit(lambda: _set_new(keys))


@functools.cache
def schema() -> str:
    """A digest of every model's columns: a key naming it is never read by code whose
    models differ (model instances kept in the shared cache by a previous deployment, a
    field added or removed since, are not read back)."""
    from django.apps import apps

    columns = sorted(
        f"{model._meta.label}.{field.attname}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
    )
    return hashlib.blake2b("|".join(columns).encode(), digest_size=8).hexdigest()
