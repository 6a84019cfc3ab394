"""Rate limits on filing (and later tracking and login) without keeping anyone's IP address.

The limiter's key is an HMAC of the client address under a random salt that lives only in this
process's memory and is replaced every day. Neither the counters (in memory or in Redis) nor the
instance folder can turn a key back into an address: a key derived from ``SECRET_KEY`` could be,
by trying every address of an office's network. The key also differs per route, so the counters
cannot link a named general complaint to a corruption report sent from the same address.

Two limits guard filing: ``FILING_RATE_LIMIT`` counts filings that went through, so mistakes on
the form never lock anyone out, and the looser ``FILING_ATTEMPT_LIMIT`` counts every try, so
refused tries (each may cost a PDF sandbox run) are bounded too.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from datetime import datetime, timezone

from flask import Flask, current_app, request
from flask_limiter import Limiter
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

_salt_lock = threading.Lock()
_salt: tuple[str, bytes] = ("", b"")


def _todays_salt() -> bytes:
    global _salt
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    with _salt_lock:
        if _salt[0] != day:  # yesterday's salt is forgotten, so yesterday's keys link to nothing
            _salt = (day, secrets.token_bytes(32))
        return _salt[1]


def anonymous_client_key() -> str:
    """A per-day, per-route pseudonym of the client address, never the address itself."""
    message = f"{request.endpoint}\0{request.remote_addr or ''}".encode()
    return hmac.new(_todays_salt(), message, hashlib.sha256).hexdigest()[:32]


limiter = Limiter(key_func=anonymous_client_key, default_limits=[])


def filing_limit() -> str:
    """The configured limit on filings that went through, per client (``FILING_RATE_LIMIT``)."""
    return str(current_app.config["FILING_RATE_LIMIT"])


def attempt_limit() -> str:
    """The configured limit on every filing POST, per client (``FILING_ATTEMPT_LIMIT``)."""
    return str(current_app.config["FILING_ATTEMPT_LIMIT"])


def filed(response: Response) -> bool:
    """A filing went through: the form redirected to its receipt."""
    return response.status_code == 303


def register_limits(app: Flask) -> None:
    """Attach the limiter; storage comes from ``RATELIMIT_STORAGE_URI`` (memory:// by default).

    Behind ``TRUSTED_PROXIES`` reverse proxies, the client address and scheme are taken from
    their X-Forwarded-For and X-Forwarded-Proto headers; otherwise every request would share the
    proxy's address, and one person's tries would lock out a whole town.
    """
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    limiter.init_app(app)
