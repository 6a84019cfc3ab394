"""Rate limits on filing (and later tracking and login) without keeping anyone's IP address.

The limiter's key is an HMAC of the client address under a key that changes every day, so the
counters in memory or Redis hold no address, and yesterday's keys cannot be linked to today's.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timezone

from flask import Flask, current_app, request
from flask_limiter import Limiter


def anonymous_client_key() -> str:
    """A per-day pseudonym of the client address, never the address itself."""
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    secret = hmac.new(str(current_app.config["SECRET_KEY"]).encode(), f"ratelimit:{day}".encode(),
                      hashlib.sha256).digest()
    return hmac.new(secret, (request.remote_addr or "").encode(), hashlib.sha256).hexdigest()[:32]


limiter = Limiter(key_func=anonymous_client_key, default_limits=[])


def filing_limit() -> str:
    """The configured limit on filings per client (``FILING_RATE_LIMIT``)."""
    return str(current_app.config["FILING_RATE_LIMIT"])


def register_limits(app: Flask) -> None:
    """Attach the limiter; storage comes from ``RATELIMIT_STORAGE_URI`` (memory:// by default)."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    limiter.init_app(app)
