"""Counters live in a cache every web worker shares: Redis in production (`REDIS_URL`)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache.backends.redis import RedisCache

from maillage import rate_limits

ROOT = Path(__file__).resolve().parents[2]
# The machine's local Redis (an engineer may pick another database number).
REDIS_URL = os.environ.get("MAILLAGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own, so runs sharing a Redis database never meet."""
    prefix = f"maillage-test-{uuid.uuid4().hex}"
    probe = RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    try:
        probe.get("ping")
    except Exception as error:  # a clear failure, never a skip
        pytest.fail(f"Redis injoignable à {REDIS_URL} ({error}) : démarrez redis-server.")
    yield prefix
    probe.delete_many(["rate:shared"])
    disconnect(probe)


def disconnect(cache: RedisCache) -> None:
    """Close a client's sockets now (Django keeps its pools open for the process)."""
    for pool in cache._cache._pools.values():
        pool.disconnect()


def test_two_cache_clients_share_one_counter(redis_prefix):
    first, second = (RedisCache(REDIS_URL, {"KEY_PREFIX": redis_prefix}) for _ in range(2))
    results = [
        rate_limits.hit("shared", limit=3, window_seconds=60, store=worker)
        for worker in (first, second, first, second, first)
    ]
    # Three attempts allowed in all, whichever client counted them; the 4th and 5th refused.
    assert results == [False, False, False, True, True]
    assert first.get("rate:shared") == second.get("rate:shared") == 5
    disconnect(first)
    disconnect(second)


def test_the_first_hit_starts_the_window_and_the_others_count_within_it(redis_prefix):
    store = RedisCache(REDIS_URL, {"KEY_PREFIX": redis_prefix})
    client = store._cache.get_client(write=True)
    key = store.make_and_validate_key("rate:shared")
    assert not rate_limits.hit("shared", limit=2, window_seconds=60, store=store)
    assert 0 < client.ttl(key) <= 60  # the window ends, counts with it
    client.expire(key, 30)
    assert not rate_limits.hit("shared", limit=2, window_seconds=60, store=store)
    assert 0 < client.ttl(key) <= 30  # counting within it does not stretch it
    assert rate_limits.hit("shared", limit=2, window_seconds=60, store=store)
    disconnect(store)


class _RacingStore:
    """A store where another worker starts the window between our count and our add."""

    def __init__(self):
        self.value = None

    def incr(self, key):
        if self.value is None:
            self.value = 1  # the other worker's first hit lands now
            raise ValueError(key)
        self.value += 1
        return self.value

    def add(self, key, value, timeout):
        return False

    def set(self, key, value, timeout):  # pragma: no cover - not reached here
        raise AssertionError


def test_a_window_started_by_another_worker_meanwhile_is_counted_in():
    store = _RacingStore()
    assert not rate_limits.hit("shared", limit=2, window_seconds=60, store=store)
    assert store.value == 2


WORKER = """
import django; django.setup()
from django.core.cache import caches
from maillage import rate_limits
hits = [rate_limits.hit("shared", limit=2, window_seconds=60) for _ in range(2)]
print(type(caches["default"]).__name__, *hits)
"""


def _worker(**env) -> list[str]:
    """One production process (settings `base`) counting two attempts against a limit of 2."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environment.update(DJANGO_SETTINGS_MODULE="maillage.settings.base", SECRET_KEY="x" * 50)
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", WORKER], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_two_worker_processes_share_the_counter_through_redis(redis_prefix):
    """Production settings with REDIS_URL: the second process sees the first one's attempts
    (without it, each process would count alone in its memory)."""
    redis = {"REDIS_URL": REDIS_URL, "MAILLAGE_CACHE_KEY_PREFIX": redis_prefix}
    assert _worker(**redis) == ["RedisCache", "False", "False"]
    assert _worker(**redis) == ["RedisCache", "True", "True"]
