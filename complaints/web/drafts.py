"""A refused filing comes back by post/redirect/get, so its words never stay in a POST body.

Chromium keeps each history entry's POST body with its tabs, on disk, even after the browser is
closed, and Back then Reload sends it again: a refusal answered to the POST left a report's words,
and the reporter's name, there for whoever uses the computer next. A refusal is answered with a
303 to the form instead. Its words and messages are sealed into a ``form_draft`` row under a fresh
key that only the browser holds (a cookie sent to that form's path only, for minutes); the GET
shows them once and deletes both. Without the cookie the row is ciphertext no one can open; the
seal is bound to the page and the browser's session, so a draft opens nowhere else. Drafts are
counted per client and bounded in size, so refused POSTs cannot fill the database: past the
client's allowance the redirect still comes, and the page says its words were not kept.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
from datetime import datetime, timedelta
from typing import Any, Literal, overload

from flask import after_this_request, current_app, redirect, request
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from complaints import crypto, thaidate
from complaints.models import FormDraft
from complaints.web.context import get_store
from complaints.web.limits import take_draft_slot
from complaints.web.refusal_marks import (ERROR_SUMMARY, REFUSAL_TTL, clear_mark, refuse_without_words, session_salt,
                                          take_mark)

DRAFT_TTL = REFUSAL_TTL
_AD = b"form-draft:v1"
_ID_BYTES = 16
# Each field is cut a little past the longest field's cap (10,000), so its "too long" message still
# says why, and a draft holds at most twice that in all: a refused POST cannot write megabytes.
_FIELD_CHARS = 12_000
_TOTAL_CHARS = 30_000
_NOT_KEPT = ("csrf_token", "form_nonce", "attachments")


class DraftForNonPost(RuntimeError):
    """Only a POST is answered by a draft; a GET or HEAD that reached one is a programming error."""


def _cookie_name() -> str:
    return "__Secure-draft" if current_app.config.get("SESSION_COOKIE_SECURE") else "draft"


def _cookie_scope(path: str | None = None) -> dict[str, Any]:
    # Sent back to the page it is for only, never from another site.
    return {"path": path or request.path, "secure": bool(current_app.config.get("SESSION_COOKIE_SECURE")),
            "httponly": True, "samesite": "Strict"}


def _digest(draft_id: bytes) -> bytes:
    return hashlib.sha256(draft_id).digest()


def _ad(path: str) -> bytes:
    # Bound to the page it opens on and to this browser's session: a draft made for the lookup
    # page cannot open the case page, and a draft cookie planted from elsewhere opens nothing.
    return b"|".join((_AD, path.encode(), session_salt().encode()))


def _bounded(fields: dict[str, str]) -> dict[str, str]:
    kept, budget = {}, _TOTAL_CHARS
    for name, value in fields.items():
        kept[name] = value[: min(_FIELD_CHARS, budget)]
        budget -= len(kept[name])
    return kept


@overload
def keep_draft(form: Any, status: int, now: datetime, *, to: str | None = None,
               fields: dict[str, str] | None = None, required: Literal[False] = False, past_limit: bool = False,
               **extra: Any) -> Response: ...
@overload
def keep_draft(form: Any, status: int, now: datetime, *, to: str | None = None,
               fields: dict[str, str] | None = None, required: bool, past_limit: bool = False,
               **extra: Any) -> Response | None: ...
def keep_draft(form: Any, status: int, now: datetime, *, to: str | None = None,  # noqa: E302
               fields: dict[str, str] | None = None, required: bool = False, past_limit: bool = False,
               **extra: Any) -> Response | None:
    """Seal what ``form`` was posted with and its messages, and redirect (303) to the form's GET
    (or to ``to``).

    ``status`` (400, 404, 409, 429; 200 for a page that merely follows a POST) is the one the page
    is shown with. ``fields`` replaces the posted values; ``extra`` travels beside them. A
    refusal's draft is counted (``take_draft_slot``; the limiter's own refusals, ``past_limit``,
    against an allowance of their own). Past the allowance the redirect carries no words, only a
    mark in the session that the page shows as its "not kept" message (``web.refusal_marks``); or,
    ``required``, None is returned, for a caller whose message must not be lost with the draft.
    A page that follows a success (status below 400: a lookup, a saved answer) is not counted:
    its route's own limit bounds it, and a success must not be reported as lost.
    """
    if request.method != "POST":
        raise DraftForNonPost(request.method)
    target = to or request.path
    if status >= 400 and not take_draft_slot(past_limit):  # no row: the form comes back empty, saying why
        if required:
            return None
        dropped = refuse_without_words(target, now, "not_kept")
        # An earlier refusal's draft is out of date: the page shows that this one was not kept.
        dropped.delete_cookie(_cookie_name(), **_cookie_scope(target))
        return dropped
    clear_mark(target, now)  # an earlier refusal's: this one kept its words
    response = redirect(target + (ERROR_SUMMARY if status >= 400 else ""), code=303)
    if fields is None:  # one value a field: a repeated name is not kept twice
        fields = {name: request.form.get(name, "") for name in form._fields
                  if name not in _NOT_KEPT and name in request.form}
    payload = {
        **extra,
        "fields": _bounded(fields), "status": status, "expires": (now + DRAFT_TTL).isoformat(),
        "errors": {name: [str(e) for e in field.errors] for name, field in form._fields.items() if field.errors},
        "form_errors": [str(e) for e in form.form_errors],
        "contact_errors": [str(e) for e in getattr(form, "contact_errors", [])],
    }
    key, draft_id = crypto.new_key(), secrets.token_bytes(_ID_BYTES)
    sealed = crypto.seal(key, json.dumps(payload, ensure_ascii=False).encode(), _ad(target))
    # A day, not a moment: the purge needs a bound, and the row must not date the refusal.
    until = thaidate.bangkok_midnight(thaidate.local_date(now) + timedelta(days=2))
    with get_store().sessions() as db, db.begin():
        db.add(FormDraft(digest=_digest(draft_id), sealed=sealed, expires_at=until))
    response.set_cookie(_cookie_name(), base64.urlsafe_b64encode(draft_id + key).decode(),
                        max_age=int(DRAFT_TTL.total_seconds()), **_cookie_scope(target))
    return response


def take_draft(now: datetime) -> dict[str, Any] | None:
    """The draft this browser was sent back here with, removed from the database and the
    cookie; None if there is none, it expired, it was made for another page or session, or the
    cookie was forged. A refusal that kept no words (``web.refusal_marks``) comes back as a
    draft with no fields, saying why. A HEAD request takes nothing: it is safe by definition
    (RFC 9110 §9.3.2), and the GET that follows must still bring the words back."""
    if request.method == "HEAD":
        return None
    marked = take_mark(now)
    if marked is not None:
        return marked
    values = request.cookies.getlist(_cookie_name())  # a shorter path's cookie comes along too
    if not values:
        return None

    @after_this_request
    def _drop(response: Response) -> Response:
        response.delete_cookie(_cookie_name(), **_cookie_scope())
        return response

    for raw in values:
        try:
            blob = base64.urlsafe_b64decode(raw.encode())
        except (binascii.Error, ValueError):
            continue
        if len(blob) != _ID_BYTES + crypto.KEY_BYTES:
            continue
        draft_id, key = blob[:_ID_BYTES], blob[_ID_BYTES:]
        with get_store().sessions() as db, db.begin():
            row = db.get(FormDraft, _digest(draft_id))
            if row is None:
                continue
            try:
                payload: dict[str, Any] = json.loads(crypto.open_sealed(key, row.sealed, _ad(request.path)))
            except (crypto.DecryptionError, ValueError):
                continue  # another page's draft: left for that page
            db.delete(row)
        return payload if datetime.fromisoformat(payload["expires"]) >= now else None
    return None


def restore(form_cls: type, draft: dict[str, Any]) -> Any:
    """The form filled in with the draft's words and carrying its messages (no CSRF check: it
    is shown, not submitted)."""
    form = form_cls(formdata=MultiDict(draft["fields"]))
    for name, errors in draft["errors"].items():
        if name in form._fields:
            form[name].errors = list(errors)
    form.form_errors.extend(draft["form_errors"])
    if hasattr(form, "contact_errors"):
        form.contact_errors.extend(draft["contact_errors"])
    return form

