"""Rate limits on filing (and later tracking and login) without keeping anyone's IP address.

The limiter's key is an HMAC of the client address (an IPv6 client's /64) under a salt for the
Bangkok day, derived from a random seed made when this module is first imported and kept only in
memory: gunicorn's ``--preload`` imports it once in the master, so its workers share the seed and
count together. Neither the counters (in
memory or in Redis) nor the instance folder can turn a key back into an address, as a key derived
from ``SECRET_KEY`` could by trying every address of an office's network. The key also differs per
route, so the counters cannot link a named general complaint to a corruption report sent from the
same address.

Two limits guard filing. ``FILING_RATE_LIMIT`` counts filings that go through: ``take_filing_slot``
is called inside the filing's transaction, after everything that could refuse it, and a filing
that finds no slot rolls back, so mistakes on the form never use up a slot and concurrent filings
cannot all slip under it. The looser ``FILING_ATTEMPT_LIMIT`` counts every try, so refused tries
(each may cost a PDF sandbox run) are bounded too.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from datetime import datetime, timezone

from flask import Flask, current_app, request
from flask_limiter import Limiter
from limits import parse_many
from limits.strategies import FixedWindowRateLimiter
from werkzeug.middleware.proxy_fix import ProxyFix

from complaints import thaidate
from complaints.web.limit_storage import ALIGNED, AlignedMemoryStorage, aligned_storage_uri

_seed = secrets.token_bytes(32)  # never written anywhere; a restart starts new counters


def _todays_salt() -> bytes:
    # Derived, not drawn: workers forked from one master agree on it without talking. The day is
    # Bangkok's, as the daily windows' ends are: a UTC day would change the key at 07:00 and
    # give every client a second day's allowance.
    day = thaidate.local_date(datetime.now(timezone.utc)).isoformat()
    return hmac.new(_seed, f"ratelimit:{day}".encode(), hashlib.sha256).digest()


def client_network(address: str) -> str:
    """The address the limits count by: an IPv4 address itself, an IPv6 address's /64.

    One IPv6 subscriber holds a whole /64 (2^64 addresses), so counting each address would let
    one client rotate past every limit.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # an IPv4 client seen through a dual-stack socket
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def anonymous_client_key() -> str:
    """A per-day, per-route pseudonym of the client's network, never the address itself."""
    message = f"{request.endpoint}\0{client_network(request.remote_addr or '')}".encode()
    return hmac.new(_todays_salt(), message, hashlib.sha256).hexdigest()[:32]


limiter = Limiter(key_func=anonymous_client_key, default_limits=[])


def filing_limit() -> str:
    """The configured limit on filings that went through, per client (``FILING_RATE_LIMIT``)."""
    return str(current_app.config["FILING_RATE_LIMIT"])


def attempt_limit() -> str:
    """The configured limit on every filing POST, per client (``FILING_ATTEMPT_LIMIT``)."""
    return str(current_app.config["FILING_ATTEMPT_LIMIT"])


def take_filing_slot() -> bool:
    """Count one filing against ``FILING_RATE_LIMIT`` for this client; False when none is left.

    Each hit is atomic in the storage, so of many filings sent at once only as many as the limit
    allows get a slot.
    """
    if not limiter.enabled:  # RATELIMIT_ENABLED=False switches this limit off too
        return True
    key, items = anonymous_client_key(), parse_many(filing_limit())
    # Every window is tested before any is counted, so a filing refused by one ("per minute")
    # does not use up another ("per day").
    if not all(limiter.limiter.test(item, "filing", key) for item in items):
        return False
    return all([limiter.limiter.hit(item, "filing", key) for item in items])


def take_draft_slot(past_limit: bool = False) -> bool:
    """Count one sealed draft (``web.drafts``) against ``FILING_ATTEMPT_LIMIT`` for this client;
    False when none is left.

    A refusal decided before a view's own limit (an expired form) writes a draft too, so drafts
    have a count of their own: past it, a client's refusals write no rows. The limiter's own
    refusals (``past_limit``) count apart, against the same allowance: they come after the
    refusals that used up the first, and would otherwise never keep the words they bounce.
    """
    if not limiter.enabled:
        return True
    key, scope = anonymous_client_key(), "draft-past-limit" if past_limit else "draft"
    return all([limiter.limiter.hit(item, scope, key) for item in parse_many(attempt_limit())])


def register_limits(app: Flask) -> None:
    """Attach the limiter; storage comes from ``RATELIMIT_STORAGE_URI`` (memory:// by default,
    or redis://), made to expire every counter at its window's end.

    Behind ``TRUSTED_PROXIES`` reverse proxies, the client address and scheme are taken from
    their X-Forwarded-For and X-Forwarded-Proto headers; otherwise every request would share the
    proxy's address, and one person's tries would lock out a whole town.
    """
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    # Counters must not keep when a client first came (limit_storage): fixed windows that end
    # together, in memory or Redis; a moving window keeps every hit's time and is refused.
    app.config["RATELIMIT_STORAGE_URI"] = aligned_storage_uri(app.config["RATELIMIT_STORAGE_URI"])
    if app.config.setdefault("RATELIMIT_STRATEGY", "fixed-window") != "fixed-window":
        raise ValueError("RATELIMIT_STRATEGY must be fixed-window: other strategies keep the time of each request")
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    limiter.init_app(app)
    _align_fallback(limiter)


def _align_fallback(extension: Limiter) -> None:
    # Flask-Limiter counts in a stock MemoryStorage while Redis does not answer, whose counters
    # expire a window after a client's first hit: the moment a report was sent, for a day. Ours
    # takes its place (private attributes of Flask-Limiter 4, pinned in pyproject.toml; a test
    # reads the counters' expiry). One limiter serves every app of the process, so a Redis that
    # stopped answering for one app must not send a later app to the fallback.
    extension._storage_dead = False
    if extension._fallback_limiter is not None:
        extension._fallback_storage = AlignedMemoryStorage(ALIGNED + "memory://")
        extension._fallback_limiter = FixedWindowRateLimiter(extension._fallback_storage)
