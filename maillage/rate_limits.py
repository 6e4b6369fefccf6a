"""Counting attempts per key (an address, a booking…) in the shared cache.

The cache is Redis in production (`REDIS_URL`), shared by every web worker, so a limit holds
whichever worker answers; without Redis it is the process's memory (the embedded default,
one process with `make run`). One fixed window per key: the first hit starts it.
"""

from django.core.cache import cache as default_cache


def hit(key: str, *, limit: int, window_seconds: int, store=None) -> bool:
    """Count one attempt for `key`; True when it goes beyond `limit` within the window."""
    store = store or default_cache
    key = f"rate:{key}"
    # Counting first: within a window (the usual case) that is all, two round trips to
    # Redis instead of three; the window's first hit then starts it.
    try:
        count = store.incr(key)
    except ValueError:
        if store.add(key, 1, timeout=window_seconds):
            count = 1
        else:  # another worker started the window meanwhile
            try:
                count = store.incr(key)
            except ValueError:  # ...and it ended at once
                store.set(key, 1, timeout=window_seconds)
                count = 1
    return count > limit
