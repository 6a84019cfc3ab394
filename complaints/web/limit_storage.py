"""Rate-limit counters that expire at the end of their window on the Bangkok clock.

The stock fixed window of the ``limits`` library starts at a client's first hit and sets the
counter to expire one window later, so "window minus time to live" is the millisecond of that
first hit: in Redis, and in every Redis dump, for a day. For the corruption channel that is the
exact time of a report, which can be matched against the office network's logs. Here every
counter of a window expires at the same instant, the window's end (Bangkok midnight for a day, the
minute's end for a minute), so a counter tells only that its window saw a hit.

``aligned_storage_uri`` turns the configured ``memory://`` or ``redis://`` address into the
address of one of these stores; any other store is refused at start-up rather than left to leak.
"""
from __future__ import annotations

import math
import threading
import time
from typing import Any

from limits.storage import MemoryStorage, RedisStorage

BANGKOK_OFFSET = 7 * 3600  # UTC+7 all year: no daylight saving to allow for
ALIGNED = "aligned+"
# INCRBY, and on a new counter an absolute expiry: no time-to-live counted from now.
_INCR_EXPIREAT = b"""
local current = redis.call("incrby", KEYS[1], tonumber(ARGV[2]))
if tonumber(current) == tonumber(ARGV[2]) then
    redis.call("pexpireat", KEYS[1], ARGV[1])
end
return current
"""


def window_end(window_seconds: float, now: float) -> float:
    """The Unix time at which the window of ``window_seconds`` that holds ``now`` ends.

    Windows are counted from Bangkok midnight, so a day's window ends at midnight in Thailand.
    """
    local = now + BANGKOK_OFFSET
    return local - local % window_seconds + window_seconds - BANGKOK_OFFSET


class AlignedMemoryStorage(MemoryStorage):
    """In-process counters (the default) whose expiry is their window's end.

    The parent sweeps expired counters from a timer thread it starts again after every quiet
    hundredth of a second: a new thread for most requests. Here all counters of a window expire
    at one instant, so a hit that comes after the earliest expiry sweeps them instead, in the
    request, and no thread is started. One lock covers a counter's check, its increment and the
    sweep: a per-key lock, which the parent drops along with an expired key, let a sweep slip in
    between and leave a counter with no expiry (never swept), or let two hits count as one.
    """

    STORAGE_SCHEME = [ALIGNED + "memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri.removeprefix(ALIGNED) if uri else uri, wrap_exceptions, **options)
        self.timer.cancel()  # the parent's first sweep: nothing to sweep yet
        self._lock = threading.RLock()
        self._next_sweep = math.inf

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Add ``amount``; a new counter lives until the end of its window, not ``expiry`` more."""
        now = time.time()
        with self._lock:
            if now >= self._next_sweep:
                self._sweep(now)
            if self.expirations.get(key, 0) <= now:  # new, or left over from an ended window
                end = window_end(expiry, now)
                self.storage[key] = 0
                self.expirations[key] = end
                self._next_sweep = min(self._next_sweep, end)
            self.storage[key] += amount
            return self.storage[key]

    def get(self, key: str) -> int:
        """The counter's value in its current window (0 once the window has ended)."""
        with self._lock:
            if self.expirations.get(key, 0) <= time.time():
                self.storage.pop(key, None)
                self.expirations.pop(key, None)
            return self.storage.get(key, 0)

    def clear(self, key: str) -> None:
        """Forget the counter."""
        with self._lock:
            super().clear(key)

    def _sweep(self, now: float) -> None:
        # Under the lock: forget every counter whose window has ended, so a day of distinct
        # clients is forgotten.
        for key, until in list(self.expirations.items()):
            if until <= now:
                self.storage.pop(key, None)
                self.expirations.pop(key, None)
        self._next_sweep = min(self.expirations.values(), default=math.inf)


class AlignedRedisStorage(RedisStorage):
    """Redis counters (shared by workers) whose absolute expiry is their window's end."""

    STORAGE_SCHEME = [ALIGNED + scheme for scheme in ("redis", "rediss", "redis+unix")]

    def __init__(self, uri: str, **options: Any) -> None:
        super().__init__(uri.removeprefix(ALIGNED), **options)
        self._incr_expireat = self.get_connection().register_script(_INCR_EXPIREAT)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add ``amount``; a new counter expires at its window's end (PEXPIREAT, milliseconds)."""
        end_ms = round(window_end(expiry, time.time()) * 1000)
        return int(self._incr_expireat([self.prefixed_key(key)], [end_ms, amount]))


def aligned_storage_uri(uri: str) -> str:
    """The aligned store's address for a configured ``memory://`` or ``redis://`` address.

    Raises ValueError for any other store (memcached, MongoDB, moving windows kept as lists of
    hit times): each would keep when a client first filed.
    """
    if uri.startswith(ALIGNED):
        return uri
    scheme = uri.split("://", 1)[0]
    if scheme in ("memory", "redis", "rediss", "redis+unix"):
        return ALIGNED + uri
    raise ValueError(f"RATELIMIT_STORAGE_URI must be memory:// or redis://, not {scheme}://: other stores "
                     "keep the time of a client's first request")
