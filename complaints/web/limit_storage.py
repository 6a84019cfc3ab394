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
    """In-process counters (the default) whose expiry is their window's end."""

    STORAGE_SCHEME = [ALIGNED + "memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri.removeprefix(ALIGNED) if uri else uri, wrap_exceptions, **options)

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Add ``amount``; a new counter lives until the end of its window, not ``expiry`` more."""
        now = time.time()
        end = window_end(expiry, now)
        count = super().incr(key, end - now, amount)
        if count == amount:  # new: the parent added "end - now" to its own, later clock reading
            self.expirations[key] = end
        return count


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
