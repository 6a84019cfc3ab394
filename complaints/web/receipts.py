"""The one-time receipt between the filing POST and the receipt page (post/redirect/get).

The tracking code must not travel in a URL, so the POST seals it with AES-GCM under a key derived
from ``SECRET_KEY`` into a cookie of its own, sent only to the receipt page, which takes it out
again, so a reload shows no code. Not into the session cookie: every response that touches the
session rewrites that cookie whole, so a page loading in another tab between the filing's
redirect and the receipt page would put back a session without the receipt, and the code would be
lost. The page may seal it once more for its one PDF download (``PDF_SLOT``, in the session), which
needs the page's own token and ends when the browser goes to any other page. The session is a
client-side cookie, so "once" holds for that cookie: a copy of the cookie taken before the
download could replay it until ``PDF_TTL`` ends (the download is rate-limited). One-time form
tokens live beside it, so a replayed form is refused instead of filed twice; a spent token is
also recorded in the database (``spent_form_token``), which refuses a replay that brings back an
older cookie.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import datetime, timedelta, timezone
from typing import Any

from flask import Response, after_this_request, current_app, g, request, session, url_for

from complaints import crypto, thaidate
from complaints.web.refusal_marks import clear_mark
from complaints.workflow.intake import FormToken

RECEIPT_TTL = timedelta(minutes=30)
PDF_TTL = timedelta(minutes=10)  # the download offered on the receipt page
RECEIPT_SLOT = "receipt"
PDF_SLOT = "receipt_pdf"
# Forms open at once in one browser (tabs, re-shown forms, language switches) whose tokens stay
# valid; each costs 22 bytes of cookie.
MAX_NONCES = 20


def _key() -> bytes:
    return crypto.derive_key(str(current_app.config["SECRET_KEY"]).encode(), "complaints/v1/receipt")


def put_receipt(data: dict[str, Any], now: datetime, slot: str = RECEIPT_SLOT,
                ttl: timedelta = RECEIPT_TTL) -> None:
    """Seal a receipt (with the tracking code) for one later use.

    ``slot`` RECEIPT_SLOT is the receipt page, in its own cookie; ``PDF_SLOT`` is the one PDF
    download the receipt page offers, in the session.
    """
    payload = {**data, "expires": (now + ttl).isoformat()}
    sealed = crypto.seal(_key(), json.dumps(payload).encode(), f"{slot}:v1".encode()).hex()
    if slot != RECEIPT_SLOT:
        session[slot] = sealed
        return
    # The receipt page shows this receipt, not a mark an earlier failed filing left for it.
    clear_mark(url_for("receipt.page"), now)
    g.receipt_sealed = True  # a failure after this still sends the browser to it (web.public)

    @after_this_request
    def _set(response: Response) -> Response:
        response.set_cookie(receipt_cookie_name(), sealed, max_age=int(ttl.total_seconds()), **_cookie_scope())
        return response


def take_receipt(now: datetime, slot: str = RECEIPT_SLOT) -> dict[str, Any] | None:
    """Remove a receipt and return it, or None if absent, expired or forged.

    A HEAD of the receipt page reads it and leaves it: HEAD is safe by definition (RFC 9110
    §9.3.2), and a probe of the page must not use up the one showing of the code.
    """
    if slot == RECEIPT_SLOT:
        sealed = request.cookies.get(receipt_cookie_name())
        if sealed is not None and request.method != "HEAD":
            after_this_request(_drop_receipt_cookie)
    else:
        sealed = session.pop(slot, None)
    if not sealed:
        return None
    try:
        payload = json.loads(crypto.open_sealed(_key(), bytes.fromhex(sealed), f"{slot}:v1".encode()))
    except (crypto.DecryptionError, ValueError):
        return None
    if datetime.fromisoformat(payload["expires"]) < now:
        return None
    return dict(payload)


def receipt_cookie_name() -> str:
    """``__Secure-receipt`` where the session cookie is Secure (``__Host-`` would need the path /)."""
    return "__Secure-receipt" if current_app.config.get("SESSION_COOKIE_SECURE") else "receipt"


def _cookie_scope() -> dict[str, Any]:
    # Sent to the receipt page only (not even to /receipt.pdf), never from another site.
    return {"path": url_for("receipt.page"), "secure": bool(current_app.config.get("SESSION_COOKIE_SECURE")),
            "httponly": True, "samesite": "Strict"}


def _drop_receipt_cookie(response: Response) -> Response:
    # Not from a page that failed (its 500 passes here too): the receipt stays for a reload,
    # as the code is in nothing else.
    if response.status_code < 500:
        response.delete_cookie(receipt_cookie_name(), **_cookie_scope())
    return response


def issue_nonce() -> str:
    """A fresh one-time token for a form about to be shown."""
    nonce = secrets.token_urlsafe(16)
    session["nonces"] = [*session.get("nonces", [])[-(MAX_NONCES - 1):], nonce]
    return nonce


def consume_nonce(nonce: str | None) -> bool:
    """True once per issued token; a replay or a forged token gets False."""
    nonces = list(session.get("nonces", []))
    if not nonce or nonce not in nonces:
        return False
    nonces.remove(nonce)
    session["nonces"] = nonces
    return True


def spent_form_token(nonce: str, now: datetime) -> FormToken:
    """What the database keeps of a filed form's one-time token, so that a replay carrying an
    old cookie (whose nonce list still holds the token) is refused too.

    The digest is keyed, so the table alone cannot be matched to a form page kept in a browser;
    it is kept while the form's CSRF token could still be valid, to a Bangkok midnight counted from
    the filing's day alone, so its expiry gives that day only: an hour, less the general complaints
    of that hour, would have told when the corruption reports came, and an expiry counted from the
    filing's moment plus the token's lifetime still told a filing in the day's last hour.
    """
    key = crypto.derive_key(str(current_app.config["SECRET_KEY"]).encode(), "complaints/v1/form-token")
    lifetime = timedelta(seconds=current_app.config.get("WTF_CSRF_TIME_LIMIT") or 24 * 3600)
    days = -(-lifetime // timedelta(days=1))  # whole days, rounded up: enough from any moment of the day
    until = thaidate.bangkok_midnight(thaidate.local_date(now) + timedelta(days=days + 1))
    return FormToken(hmac.new(key, nonce.encode(), hashlib.sha256).digest(), until)


def utcnow() -> datetime:
    """The request's "now": views read the clock once and pass it down."""
    return datetime.now(timezone.utc)
