"""A refused filing comes back by post/redirect/get (``web.drafts``): no POST body stays in the
browser's history, and the server keeps only ciphertext whose key is in the browser's cookie."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from complaints.models import FormDraft
from complaints.web import drafts
from complaints.workflow import jobs
from tests.test_web_privacy import _database_bytes
from tests.web_helpers import CORRUPTION, GENERAL, category_id, client_for, counts, tokens

STORY = "CANARYDRAFTSTORY เจ้าหน้าที่เรียกรับเงิน"
NAME = "CANARYDRAFTNAME สมชาย"


def _refused_post(app, session, channel="corruption"):
    """POST a form the rules refuse (a bad email), without following the redirect."""
    client = client_for(app)
    page = client.get(f"/{channel}/new").get_data(as_text=True)
    base = CORRUPTION if channel == "corruption" else GENERAL
    data = {**base, **tokens(page), "category": category_id(session, channel), "description": STORY,
            "name": NAME, "email": "not-an-email"}
    return client, client.open(f"/{channel}/new", method="POST", data=data)


def _drafts(session) -> int:
    found = session.scalar(select(func.count()).select_from(FormDraft))
    session.rollback()
    return int(found)


@pytest.mark.parametrize("channel", ["general", "corruption"])
def test_a_refusal_redirects_to_the_form_which_shows_the_words_once(app, session, channel):
    before = counts(session)
    client, refused = _refused_post(app, session, channel)
    # The answer to the POST is a redirect: the history entry becomes the GET, without a body.
    assert refused.status_code == 303 and refused.location.endswith(f"/{channel}/new")
    assert STORY not in refused.get_data(as_text=True) and refused.headers["Cache-Control"] == "no-store"
    cookie = refused.headers["Set-Cookie"]
    assert f"Path=/{channel}/new" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Max-Age=600" in cookie and STORY.encode().hex() not in cookie
    assert _drafts(session) == 1

    shown = client.get(f"/{channel}/new")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 400 and STORY in html and NAME in html and "อีเมลไม่ถูกต้อง" in html
    assert 'role="alert"' in html and shown.headers["Cache-Control"] == "no-store"
    assert "draft=;" in shown.headers["Set-Cookie"]  # taken out of the browser
    assert _drafts(session) == 0  # and out of the database
    again = client.get(f"/{channel}/new")  # Reload: nothing comes back
    assert again.status_code == 200 and STORY not in again.get_data(as_text=True)
    assert counts(session) == before


def test_the_server_keeps_only_ciphertext_and_a_day(app, store, session, db_url):
    _refused_post(app, session)
    row = session.scalars(select(FormDraft)).one()
    session.rollback()
    assert STORY.encode() not in row.sealed and NAME.encode() not in row.sealed
    local = row.expires_at.astimezone(timezone(timedelta(hours=7)))
    assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)
    session.close()
    assert b"CANARYDRAFT" not in _database_bytes(db_url, store)


@pytest.mark.parametrize("cookie", ["garbage", "AAAA", "x" * 64])
def test_a_forged_or_unknown_draft_cookie_shows_an_empty_form(app, session, cookie):
    client = client_for(app)
    client.set_cookie("draft", cookie, path="/corruption/new")
    response = client.get("/corruption/new")
    assert response.status_code == 200 and 'role="alert"' not in response.get_data(as_text=True)


def test_another_key_opens_nothing(app, session):
    client, _ = _refused_post(app, session)
    stored = client.get_cookie("draft", path="/corruption/new")
    forged = stored.value[:-8] + ("A" * 8 if not stored.value.endswith("A" * 8) else "B" * 8)
    client.set_cookie("draft", forged, path="/corruption/new")
    response = client.get("/corruption/new")
    assert response.status_code == 200 and STORY not in response.get_data(as_text=True)


def test_an_expired_draft_is_not_shown(app, session, monkeypatch):
    client, _ = _refused_post(app, session)
    later = datetime.now(timezone.utc) + drafts.DRAFT_TTL + timedelta(seconds=5)
    monkeypatch.setattr("complaints.web.filing.utcnow", lambda: later)
    response = client.get("/corruption/new")
    assert response.status_code == 200 and STORY not in response.get_data(as_text=True)


def test_drafts_no_browser_came_back_for_are_purged_after_their_day(app, session):
    _refused_post(app, session)
    session.rollback()
    with session.begin():
        assert jobs.forget_expired_drafts(session, datetime.now(timezone.utc)) == 0
    with session.begin():
        assert jobs.forget_expired_drafts(session, datetime.now(timezone.utc) + timedelta(days=3)) == 1
    assert _drafts(session) == 0


def test_an_expired_form_comes_back_by_redirect_too(app, session, monkeypatch):
    client = client_for(app)
    page = client.get("/corruption/new").get_data(as_text=True)
    too_late = int(time.time()) + app.config["WTF_CSRF_TIME_LIMIT"] + 60
    data = {**CORRUPTION, **tokens(page), "category": category_id(session, "corruption"), "description": STORY}
    with monkeypatch.context() as later:
        later.setattr(TimestampSigner, "get_timestamp", lambda _self: too_late)
        refused = client.open("/corruption/new", method="POST", data=data)
    assert refused.status_code == 303 and STORY not in refused.get_data(as_text=True)
    shown = client.get("/corruption/new").get_data(as_text=True)
    assert STORY in shown and "เปิดไว้นานเกินกำหนด" in shown
