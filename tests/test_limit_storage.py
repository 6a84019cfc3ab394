"""Rate-limit counters expire at their window's end on the Bangkok clock, so neither the in-process
store nor Redis (nor a Redis dump) keeps when a client first filed: for a corruption report that
was its exact time."""
from __future__ import annotations

import os
import secrets
import threading
from datetime import datetime, timedelta, timezone

import pytest
import redis

from complaints import create_app
from complaints.web import limits
from complaints.web.limit_storage import aligned_storage_uri, window_end
from tests.conftest import make_test_app
from tests.web_helpers import CORRUPTION, category_id, client_for, post_form

BANGKOK = timezone(timedelta(hours=7))
REDIS_URL = os.environ.get("COMPLAINTS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _on_a_boundary(unix: float, window: int) -> bool:
    """True when ``unix`` is the end of a ``window``-second window counted from Bangkok midnight."""
    return abs((unix + 7 * 3600 + 0.5) % window - 0.5) < 0.001


def test_a_window_ends_at_bangkok_midnight_or_the_minutes_end():
    now = datetime(2026, 11, 23, 23, 34, 40, 250000, tzinfo=BANGKOK).timestamp()
    assert datetime.fromtimestamp(window_end(86400, now), BANGKOK) == datetime(2026, 11, 24, tzinfo=BANGKOK)
    assert datetime.fromtimestamp(window_end(60, now), BANGKOK) == datetime(2026, 11, 23, 23, 35, tzinfo=BANGKOK)
    # At 06:59 Bangkok (23:59 UTC the day before) the day still ends at the coming Bangkok midnight.
    early = datetime(2026, 11, 23, 6, 59, tzinfo=BANGKOK).timestamp()
    assert datetime.fromtimestamp(window_end(86400, early), BANGKOK) == datetime(2026, 11, 24, tzinfo=BANGKOK)


WINDOWS = {"FILING_RATE_LIMIT": "100 per minute;1000 per day", "FILING_ATTEMPT_LIMIT": "100 per minute;1000 per day"}


def test_in_memory_counters_of_a_report_expire_at_window_ends(app, session):
    app.config.update(WINDOWS)
    assert post_form(client_for(app), "/corruption/new",
                     {**CORRUPTION, "category": category_id(session, "corruption")}).status_code == 303
    expirations = limits.limiter.storage.expirations
    # Both limits, both windows: the attempt counted by the decorator and the filing's slot.
    assert len(expirations) == 4
    assert all(_on_a_boundary(at, 60) for at in expirations.values())
    assert sum(_on_a_boundary(at, 86400) for at in expirations.values()) == 2


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as problem:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: {problem} (CI requires it)", pytrace=False)
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    return client


def test_redis_counters_of_a_report_expire_at_window_ends_not_a_window_after_it(tmp_path, db_url, session):
    # Before, "window - PTTL" was the millisecond of the report, readable for a day.
    server = _redis_or_skip()
    prefix = f"test-{secrets.token_hex(6)}"
    app = make_test_app(tmp_path / "redis", db_url, RATELIMIT_STORAGE_URI=REDIS_URL,
                        RATELIMIT_STORAGE_OPTIONS={"key_prefix": prefix}, **WINDOWS)
    try:
        assert post_form(client_for(app), "/corruption/new",
                         {**CORRUPTION, "category": category_id(session, "corruption")}).status_code == 303
        keys = server.keys(f"{prefix}:*")
        ends = [server.pexpiretime(key) / 1000 for key in keys]
        assert len(keys) == 4 and all(int(server.get(key)) == 1 for key in keys)
        assert all(_on_a_boundary(end, 60) for end in ends)
        assert sum(_on_a_boundary(end, 86400) for end in ends) == 2
    finally:
        for key in server.keys(f"{prefix}:*"):
            server.delete(key)


@pytest.mark.parametrize("config", [{"RATELIMIT_STORAGE_URI": "memcached://127.0.0.1:11211"},
                                    {"RATELIMIT_STRATEGY": "moving-window"}])
def test_stores_and_strategies_that_keep_hit_times_are_refused_at_start(tmp_path, config):
    with pytest.raises(ValueError, match="keep the time"):
        create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "s" * 40,
                    "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", **config})


def test_configured_addresses_map_to_the_aligned_stores():
    assert aligned_storage_uri("memory://") == "aligned+memory://"
    assert aligned_storage_uri("redis://127.0.0.1:6379/2") == "aligned+redis://127.0.0.1:6379/2"
    assert aligned_storage_uri(aligned_storage_uri("rediss://cache:6380")) == "aligned+rediss://cache:6380"


def test_in_memory_counters_start_no_thread_and_are_forgotten_after_their_window(monkeypatch):
    # The library's store starts a sweeping thread again after every quiet hundredth of a second.
    from complaints.web import limit_storage

    clock = [datetime(2026, 11, 23, 23, 59, 30, tzinfo=BANGKOK).timestamp()]
    monkeypatch.setattr(limit_storage.time, "time", lambda: clock[0])
    started: list[object] = []
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread))
    store = limit_storage.AlignedMemoryStorage("aligned+memory://")
    started.clear()  # the library's constructor starts one, once a process
    assert [store.incr("day/a", 86400), store.incr("day/a", 86400), store.incr("minute/b", 60)] == [1, 2, 1]
    assert started == []
    clock[0] += 31  # 00:00:01 the next Bangkok day: both windows have ended
    assert store.incr("day/c", 86400) == 1
    assert set(store.storage) == set(store.expirations) == {"day/c"}  # a/b swept, not just hidden
    assert store.incr("day/a", 86400) == 1 and started == []


def test_a_sweep_cannot_slip_in_between_a_hits_check_and_its_increment(monkeypatch):
    # With the library's per-key locks, a sweep from another thread could run after a hit had
    # found its counter alive and before it added to it: the counter came back with no expiry,
    # never swept (a per-day key is never hit again). The other thread's sweep is started from
    # inside the hit, at that very moment, and given half a second.
    from collections import Counter

    from complaints.web import limit_storage

    clock = [datetime(2026, 11, 24, 23, 59, 59, tzinfo=BANGKOK).timestamp()]
    monkeypatch.setattr(limit_storage.time, "time", lambda: clock[0])
    store = limit_storage.AlignedMemoryStorage("aligned+memory://")
    assert store.incr("day/a", 86400) == 1

    class SweepInTheMiddle(Counter):
        armed = True

        def __getitem__(self, key):
            if key == "day/a" and SweepInTheMiddle.armed:
                SweepInTheMiddle.armed = False
                clock[0] += 2  # the day has ended; another request comes and sweeps
                others.append(threading.Thread(target=store.incr, args=("day/b", 86400)))
                others[0].start()
                others[0].join(timeout=0.5)
            return super().__getitem__(key)

    others: list[threading.Thread] = []
    store.storage = SweepInTheMiddle(store.storage)
    store.incr("day/a", 86400)
    others[0].join()  # it waited for the hit's lock, if there was one
    clock[0] += 86400 * 3
    store.incr("later", 86400)  # sweeps whatever has an expiry
    assert set(store.storage) == {"later"}, "a counter was left with no expiry"


def test_filing_goes_on_when_the_limiter_s_redis_stops_answering(tmp_path, db_url, session):
    # Before, every filing and lookup failed with a 500 (redis ConnectionError) and lost the words:
    # the counting falls back to the process's memory until Redis answers again, still limiting,
    # and its counters too expire at their windows' ends, not a window after the report.
    app = make_test_app(tmp_path / "redis-down", db_url, RATELIMIT_STORAGE_URI="redis://127.0.0.1:9/7",
                        FILING_RATE_LIMIT="1 per minute;1000 per day")
    client, data = client_for(app), {**CORRUPTION, "category": category_id(session, "corruption")}
    assert post_form(client, "/corruption/new", data).status_code == 303
    assert limits.limiter._storage_dead  # noqa: SLF001 - the fallback is what is under test
    expirations = limits.limiter._fallback_storage.expirations  # noqa: SLF001
    assert expirations and all(_on_a_boundary(at, 60) or _on_a_boundary(at, 86400) for at in expirations.values())
    assert post_form(client, "/corruption/new", data).status_code == 429  # still one a minute
