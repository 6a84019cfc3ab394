"""A refused filing comes back by post/redirect/get, so its words never stay in a POST body.

Chromium keeps each history entry's POST body with its tabs, on disk, even after the browser is
closed, and Back then Reload sends it again: a refusal answered to the POST left a report's words,
and the reporter's name, there for whoever uses the computer next. A refusal is answered with a
303 to the form instead. Its words and messages are sealed into a ``form_draft`` row under a fresh
key that only the browser holds (a cookie sent to that form's path only, for minutes); the GET
shows them once and deletes both. Without the cookie the row is ciphertext no one can open.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import after_this_request, current_app, redirect, request
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from complaints import crypto, thaidate
from complaints.models import FormDraft
from complaints.web.context import get_store

DRAFT_TTL = timedelta(minutes=10)
_AD = b"form-draft:v1"
_ID_BYTES = 16
# Twice the longest field's cap: a longer paste is cut here, and its "too long" message still says why.
_MAX_CHARS = 20_000
_NOT_KEPT = ("csrf_token", "form_nonce", "attachments")


def _cookie_name() -> str:
    return "__Secure-draft" if current_app.config.get("SESSION_COOKIE_SECURE") else "draft"


def _cookie_scope(path: str | None = None) -> dict[str, Any]:
    # Sent back to the page it is for only, never from another site.
    return {"path": path or request.path, "secure": bool(current_app.config.get("SESSION_COOKIE_SECURE")),
            "httponly": True, "samesite": "Strict"}


def _digest(draft_id: bytes) -> bytes:
    return hashlib.sha256(draft_id).digest()


def keep_draft(form: Any, status: int, now: datetime, *, to: str | None = None,
               fields: dict[str, list[str]] | None = None, **extra: Any) -> Response:
    """Seal what ``form`` was posted with and its messages, and redirect (303) to the form's GET
    (or to ``to``).

    ``status`` (400, 409, 429; 200 for a page that merely follows a POST) is the one the page is
    shown with. ``fields`` replaces the posted values; ``extra`` travels beside them.
    """
    if fields is None:
        fields = {name: request.form.getlist(name) for name in form._fields
                  if name not in _NOT_KEPT and name in request.form}
    payload = {
        **extra,
        "fields": {name: [value[:_MAX_CHARS] for value in values] for name, values in fields.items()},
        "status": status, "expires": (now + DRAFT_TTL).isoformat(),
        "errors": {name: [str(e) for e in field.errors] for name, field in form._fields.items() if field.errors},
        "form_errors": [str(e) for e in form.form_errors],
        "contact_errors": [str(e) for e in getattr(form, "contact_errors", [])],
    }
    key, draft_id = crypto.new_key(), secrets.token_bytes(_ID_BYTES)
    # A day, not a moment: the purge needs a bound, and the row must not date the refusal.
    until = thaidate.bangkok_midnight(thaidate.local_date(now) + timedelta(days=2))
    with get_store().sessions() as session, session.begin():
        session.add(FormDraft(digest=_digest(draft_id), sealed=crypto.seal(key, json.dumps(payload).encode(), _AD),
                              expires_at=until))
    target = to or request.path
    response = redirect(target, code=303)
    response.set_cookie(_cookie_name(), base64.urlsafe_b64encode(draft_id + key).decode(),
                        max_age=int(DRAFT_TTL.total_seconds()), **_cookie_scope(target))
    return response


def take_draft(now: datetime) -> dict[str, Any] | None:
    """The draft this browser was sent back with, removed from the database and the cookie; None
    if there is none, it expired, or the cookie was forged."""
    raw = request.cookies.get(_cookie_name())
    if raw is None:
        return None

    @after_this_request
    def _drop(response: Response) -> Response:
        response.delete_cookie(_cookie_name(), **_cookie_scope())
        return response

    try:
        blob = base64.urlsafe_b64decode(raw.encode())
    except (binascii.Error, ValueError):
        return None
    if len(blob) != _ID_BYTES + crypto.KEY_BYTES:
        return None
    draft_id, key = blob[:_ID_BYTES], blob[_ID_BYTES:]
    with get_store().sessions() as session, session.begin():
        row = session.get(FormDraft, _digest(draft_id))
        if row is None:
            return None
        sealed = row.sealed
        session.delete(row)
    try:
        payload: dict[str, Any] = json.loads(crypto.open_sealed(key, sealed, _AD))
    except (crypto.DecryptionError, ValueError):
        return None
    return payload if datetime.fromisoformat(payload["expires"]) >= now else None


def restore(form_cls: type, draft: dict[str, Any]) -> Any:
    """The form filled in with the draft's words and carrying its messages (no CSRF check: it
    is shown, not submitted)."""
    form = form_cls(formdata=MultiDict([(name, value) for name, values in draft["fields"].items()
                                        for value in values]))
    for name, errors in draft["errors"].items():
        if name in form._fields:
            form[name].errors = list(errors)
    form.form_errors.extend(draft["form_errors"])
    if hasattr(form, "contact_errors"):
        form.contact_errors.extend(draft["contact_errors"])
    return form

