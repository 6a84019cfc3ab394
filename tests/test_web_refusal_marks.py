"""Refusals that keep no words go back to their page by a redirect all the same
(``web.refusal_marks``): a page answered to the POST would leave the report's words, or a tracking
code, in the body of a history entry the browser keeps on disk. A form whose CSRF token is refused
(not this session's own, or sent without the session cookie) keeps none, as they may be another
site's; nor does a failure the database could not keep a draft for. The page says why."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from complaints.web import refusal_marks
from tests.web_helpers import CODE, CORRUPTION, CSRF, GENERAL, category_id, client_for, post_form, session_of, tokens

STORY = "CANARYMARKSTORY ปลัดเรียกรับเงินค่าใบอนุญาต"
STALE = "แบบฟอร์มนี้เปิดค้างไว้นานเกินไป"


def _forged(client, session, channel: str):
    """POST the form with a token that is not this session's, not following the redirect."""
    client.get(f"/{channel}/new")
    base = CORRUPTION if channel == "corruption" else GENERAL
    data = {**base, "category": category_id(session, channel), "description": STORY, "csrf_token": "forged"}
    return client.open(f"/{channel}/new", method="POST", data=data)


def _session_cookie(app, client) -> str:
    return repr(session_of(app, client))


@pytest.mark.parametrize("channel", ["general", "corruption"])
def test_a_refused_token_is_a_redirect_whose_mark_names_neither_page_nor_reason(app, session, channel):
    client = client_for(app)
    refused = _forged(client, session, channel)
    assert refused.status_code == 303 and refused.location == f"/{channel}/new#error-summary"
    assert STORY not in refused.get_data(as_text=True)
    # The signed (not sealed) session cookie holds a keyed digest: no page, reason or word.
    kept = _session_cookie(app, client)
    assert refusal_marks._MARK in kept
    assert not any(word in kept for word in (channel, "stale", "refused", "cookie", "CANARY"))
    shown = client.get(f"/{channel}/new")
    assert shown.status_code == 400 and STALE in shown.get_data(as_text=True)
    assert refusal_marks._MARK not in _session_cookie(app, client)  # said once, then gone


def test_a_mark_shows_on_its_own_page_only(app, session):
    client = client_for(app)
    assert _forged(client, session, "corruption").status_code == 303
    other = client.get("/general/new")
    assert other.status_code == 200 and STALE not in other.get_data(as_text=True)
    assert client.get("/track").status_code == 200
    own = client.get("/corruption/new")
    assert own.status_code == 400 and STALE in own.get_data(as_text=True)


def test_a_later_refusal_that_keeps_its_words_is_shown_rather_than_an_older_mark(app, session):
    # A post from elsewhere leaves a mark no one sees (its redirect went to that other tab, or
    # nowhere); the person's own form, refused next by its rules, must come back with its words.
    client = client_for(app)
    own = tokens(client.get("/general/new").get_data(as_text=True))
    assert _forged(client, session, "general").status_code == 303
    data = {**GENERAL, **own, "category": category_id(session, "general"), "description": STORY,
            "email": "not-an-email"}
    assert client.open("/general/new", method="POST", data=data).status_code == 303
    shown = client.get("/general/new")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 400 and STORY in html and STALE not in html


@pytest.mark.parametrize("path", ["/track", "/track/answer"])
def test_the_tracking_forms_refused_without_the_cookie_say_why_on_the_lookup(app, path):
    cookieless = app.test_client(use_cookies=False)
    refused = cookieless.open(path, method="POST", data={"code": "AAAA-AAAA-AAAA-AAAA", "message": STORY})
    assert refused.status_code == 303 and refused.location == "/track?cookies=off#error-summary"
    shown = cookieless.get("/track?cookies=off")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 400 and "ไม่ได้ส่งคุกกี้ของเว็บไซต์นี้" in html
    assert "AAAA-AAAA-AAAA-AAAA" not in html and STORY not in html


@pytest.mark.parametrize(("path", "said"), [
    ("/track", "ระบบขัดข้อง เปิดเรื่องไม่สำเร็จ"),
    # Its COMMIT may have gone through though its reply was lost: never a firm "not saved".
    ("/track/answer", "ระบบขัดข้อง คำตอบอาจยังไม่ได้บันทึก และคำตอบที่พิมพ์ไว้ไม่ได้เก็บไว้"),
])
def test_a_tracking_form_that_fails_comes_back_by_a_redirect_without_the_code(app, monkeypatch, path, said):
    # A lookup's failure keeps no draft (the database is the likely cause), and an answer's is
    # past the drafts' allowance here: the page says why, and the code is in no body.
    from complaints.web import track

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr("complaints.web.drafts.take_draft_slot", lambda _past_limit=False: False)
    monkeypatch.setattr(track, "_case", lambda *_a: 1 / 0)
    client = client_for(app)
    token = CSRF.search(client.get("/track").get_data(as_text=True)).group(1)
    failed = client.open(path, method="POST", data={"csrf_token": token, "code": "AAAA-AAAA-AAAA-AAAA",
                                                    "message": STORY})
    assert failed.status_code == 303 and failed.location == "/track#error-summary"
    shown = client.get("/track")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 500 and said in html
    assert "AAAA-AAAA-AAAA-AAAA" not in html and STORY not in html


def test_a_refused_token_on_the_receipts_pdf_still_gets_its_own_page(app, session):
    # Not a form anyone typed into: its body holds the PDF's one-time token only.
    client = client_for(app)
    filed = post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general")})
    assert filed.status_code == 303
    refused = client.open("/receipt.pdf", method="POST", data={"csrf_token": "forged", "pdf_token": "x"})
    assert refused.status_code == 400 and "ดาวน์โหลดใบรับเรื่องไม่สำเร็จ" in refused.get_data(as_text=True)


def test_an_unknown_reason_is_a_programming_error(app):
    with app.test_request_context("/general/new"), pytest.raises(KeyError):
        refusal_marks.mark_refusal("/general/new", datetime.now(timezone.utc), "made-up")


def test_a_receipt_download_without_the_cookie_is_never_told_to_file_again(app):
    refused = app.test_client(use_cookies=False).post("/receipt.pdf", data={"pdf_token": "x"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "ดาวน์โหลดใบรับเรื่องไม่สำเร็จ" in html and "ไม่ต้องส่งเรื่องซ้ำ" in html
    assert "กรอกอีกครั้ง" not in html


def test_a_mark_opens_in_its_own_session_only(app, session):
    # Copied into another browser's session cookie (as someone who can sign cookies would), the
    # mark names a page for the first session's salt only.
    first, second = client_for(app), client_for(app)
    assert _forged(first, session, "corruption").status_code == 303
    second.get("/corruption/new")
    mark = session_of(app, first)[refusal_marks._MARK]
    serializer = app.session_interface.get_signing_serializer(app)
    signed = serializer.dumps({**session_of(app, second), refusal_marks._MARK: mark})
    second.set_cookie("session", signed)
    shown = second.get("/corruption/new")
    assert shown.status_code == 200 and STALE not in shown.get_data(as_text=True)


def test_an_answer_refused_past_the_allowance_says_so_on_the_lookup(app, session, monkeypatch):
    # The answer's refusal goes to the case page, which has no code without a draft: it passes
    # the mark on to the lookup page, which says why.
    client = client_for(app)
    token = tokens(client.get("/corruption/new").get_data(as_text=True))["csrf_token"]
    assert post_form(client, "/corruption/new", {**CORRUPTION, "category": category_id(session, "corruption")}
                     ).status_code == 303
    code = CODE.search(client.get("/receipt").get_data(as_text=True)).group(1)
    monkeypatch.setattr("complaints.web.drafts.take_draft_slot", lambda _past_limit=False: False)
    refused = client.open("/track/answer", method="POST", data={"csrf_token": token, "code": code, "message": ""})
    assert refused.status_code == 303 and refused.location.startswith("/track/case")
    onward = client.get("/track/case")
    assert onward.status_code == 303 and onward.location == "/track"
    shown = client.get("/track")
    assert shown.status_code == 429 and "ข้อความที่กรอกไว้ไม่ได้เก็บไว้" in shown.get_data(as_text=True)


def test_the_case_page_never_turns_the_cookie_address_into_a_mark(app):
    # /track/case?cookies=off from a browser with no cookie yet: a mark written then would show
    # the cookie message on /track to a request that does send the cookie.
    client = app.test_client()
    onward = client.get("/track/case?cookies=off")
    assert onward.status_code == 303 and onward.location == "/track"
    shown = client.get("/track")
    assert shown.status_code == 200 and "คุกกี้ของเว็บไซต์นี้มาด้วย" not in shown.get_data(as_text=True)


def test_the_lookup_shows_the_cookie_message_in_both_languages_marked(app):
    html = app.test_client(use_cookies=False).get("/track?cookies=off").get_data(as_text=True)
    alert = html[html.index('id="error-summary"'):]
    alert = alert[:alert.index("</div>")]  # the alert at the top, not the field's own message
    assert '<span lang="en">Not sent: your browser did not send this site&#39;s cookie' in alert
