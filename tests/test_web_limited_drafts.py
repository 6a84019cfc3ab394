"""The limiter's own refusals go by post/redirect/get as every other refusal does (``web.drafts``):
a page answered to the POST would leave its words, or a tracking code, in the body of a history
entry that the browser keeps on disk. Past the drafts' allowance the page says the words were not
kept, instead of coming back blank."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from complaints.models import FormDraft
from complaints.web import drafts, refusal_marks
from tests.web_helpers import CODE, CORRUPTION, CSRF, GENERAL, category_id, client_for, post_form, session_of, tokens

STORY = "CANARYLIMITSTORY ปลัดเรียกรับเงินค่าใบอนุญาต"
NOT_KEPT = "ข้อความที่กรอกไว้ไม่ได้เก็บไว้"


def _drafts(session) -> int:
    found = session.scalar(select(func.count()).select_from(FormDraft))
    session.rollback()
    return int(found)


def _refused(client, session, channel: str):
    """POST a form the rules refuse (a bad e-mail address), not following the redirect."""
    page = client.get(f"/{channel}/new").get_data(as_text=True)
    base = CORRUPTION if channel == "corruption" else GENERAL
    data = {**base, **tokens(page), "category": category_id(session, channel), "description": STORY,
            "email": "not-an-email"}
    return client.open(f"/{channel}/new", method="POST", data=data)


@pytest.mark.parametrize("channel", ["general", "corruption"])
def test_the_limiters_refusal_of_a_filing_is_a_redirect_and_keeps_the_words(app, session, channel):
    app.config["FILING_ATTEMPT_LIMIT"] = "1 per day"
    client = client_for(app)
    assert _refused(client, session, channel).status_code == 303  # the rules' refusal uses the one try
    client.get(f"/{channel}/new")  # shown and taken, as a browser does
    limited = _refused(client, session, channel)
    # Before, the limiter answered the POST with the filled-in page: 429, the story in its body.
    assert limited.status_code == 303 and limited.location.endswith(f"/{channel}/new#error-summary")
    assert STORY not in limited.get_data(as_text=True) and _drafts(session) == 1
    shown = client.get(f"/{channel}/new")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 429 and "ส่งบ่อยเกินไป" in html and STORY in html
    assert _drafts(session) == 0 and STORY not in client.get(f"/{channel}/new").get_data(as_text=True)


def test_past_both_allowances_the_form_says_its_words_were_not_kept(app, session):
    app.config["FILING_ATTEMPT_LIMIT"] = "1 per day"
    client = client_for(app)
    statuses = []
    for _ in range(3):  # the rules' refusal, then the limiter's twice: each allowance holds one draft
        statuses.append(_refused(client, session, "corruption").status_code)
        client.get("/corruption/new")
    assert statuses == [303, 303, 303] and _drafts(session) == 0
    last = _refused(client, session, "corruption")
    assert last.status_code == 303 and last.location.endswith("/corruption/new#error-summary")
    assert _drafts(session) == 0  # no row past the limit
    # The mark is in the signed (not sealed) session cookie: neither the words nor the page.
    kept = repr(session_of(app, client))
    assert refusal_marks._MARK in kept and STORY not in kept and "corruption" not in kept
    shown = client.get("/corruption/new")
    html = shown.get_data(as_text=True)
    # Not a blank form with no word of why: the message says what happened and what to do.
    assert shown.status_code == 429 and NOT_KEPT in html and STORY not in html
    assert 'id="error-summary"' in html
    again = client.get("/corruption/new")  # said once
    assert again.status_code == 200 and NOT_KEPT not in again.get_data(as_text=True)


def test_a_draft_kept_after_the_mark_is_shown_rather_than_the_mark(app, session, monkeypatch):
    # The newest refusal decides what the page shows: a mark left by an earlier one that kept
    # nothing must not hide words a later one kept.
    client = client_for(app)
    page = client.get("/general/new").get_data(as_text=True)
    data = {**GENERAL, **tokens(page), "category": category_id(session, "general"), "description": STORY,
            "email": "not-an-email"}
    monkeypatch.setattr(drafts, "take_draft_slot", lambda _past_limit=False: False)
    assert client.open("/general/new", method="POST", data=data).status_code == 303
    monkeypatch.undo()  # sent again before the page came back (Back, then Send)
    assert client.open("/general/new", method="POST", data=data).status_code == 303
    html = client.get("/general/new").get_data(as_text=True)
    assert STORY in html and NOT_KEPT not in html


def test_a_refusal_that_kept_nothing_drops_an_earlier_draft(app, session, monkeypatch):
    # The other way round: an earlier refusal's words must not come back on the reload after the
    # page said that the newest words were not kept.
    client = client_for(app)
    page = client.get("/general/new").get_data(as_text=True)
    data = {**GENERAL, **tokens(page), "category": category_id(session, "general"), "description": STORY,
            "email": "not-an-email"}
    assert client.open("/general/new", method="POST", data=data).status_code == 303
    monkeypatch.setattr(drafts, "take_draft_slot", lambda _past_limit=False: False)
    assert client.open("/general/new", method="POST", data=data).status_code == 303
    assert NOT_KEPT in client.get("/general/new").get_data(as_text=True)
    assert STORY not in client.get("/general/new").get_data(as_text=True)


def _file_and_code(client, session) -> str:
    data = {**CORRUPTION, "category": category_id(session, "corruption")}
    assert post_form(client, "/corruption/new", data).status_code == 303
    return CODE.search(client.get("/receipt").get_data(as_text=True)).group(1)


def test_the_limiters_refusal_of_a_lookup_is_a_redirect_and_keeps_the_code(app, session):
    app.config["TRACKING_RATE_LIMIT"] = "1 per day"
    app.config["FILING_ATTEMPT_LIMIT"] = "1 per day"  # the wrong code's refusal uses the refusals' one draft
    client = client_for(app)
    code = _file_and_code(client, session)
    token = CSRF.search(client.get("/track").get_data(as_text=True)).group(1)
    assert client.open("/track", method="POST", data={"csrf_token": token, "code": "AAAA-AAAA-AAAA-AAAA"}).status_code == 303
    client.get("/track")
    limited = client.open("/track", method="POST", data={"csrf_token": token, "code": code})
    # Before, the 429 page answered the POST, and the code stayed in that history entry's body.
    assert limited.status_code == 303 and limited.location.endswith("/track#error-summary")
    assert code not in limited.get_data(as_text=True)
    shown = client.get("/track")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 429 and "ส่งบ่อยเกินไป" in html and "แนบไฟล์" not in html  # its own words
    assert re.search(rf'name="code"[^>]*value="{code}"', html) and 'id="state"' not in html


def test_the_limiters_refusal_of_an_answer_is_a_redirect_and_keeps_the_answer(app, session):
    app.config["TRACKING_RATE_LIMIT"] = "1 per day"
    client = client_for(app)
    code = _file_and_code(client, session)
    token = CSRF.search(client.get("/track").get_data(as_text=True)).group(1)
    client.open("/track/answer", method="POST", data={"csrf_token": token, "code": "AAAA-AAAA-AAAA-AAAA",
                                                      "message": "ไม่ใช่"})
    client.get("/track")
    limited = client.open("/track/answer", method="POST", data={"csrf_token": token, "code": code,
                                                                "message": "CANARYANSWER วันที่ ๑๒"})
    assert limited.status_code == 303 and limited.location.endswith("/track#error-summary")
    html = client.get("/track").get_data(as_text=True)
    assert "ส่งบ่อยเกินไป" in html and "เก็บไว้ให้แล้ว" in html
    assert re.search(r'name="draft" type="hidden" value="CANARYANSWER วันที่ ๑๒"', html)


def test_past_the_refusals_allowance_a_lookup_and_a_saved_answer_still_open_the_case(app, session):
    # A success is not a refusal: its draft is bounded by the tracking limit, and the page must
    # not say "not sent" about an answer that was saved (review of the first version).
    from tests.test_web_tracking import LEGAL, _act, _case

    app.config["FILING_ATTEMPT_LIMIT"] = "1 per day"
    client = client_for(app)
    code = _file_and_code(client, session)
    _act(session, _case(session, code), "ask", LEGAL, message="ขอทราบวันที่เกิดเหตุ")
    token = CSRF.search(client.get("/track").get_data(as_text=True)).group(1)
    client.post("/track", data={"csrf_token": token, "code": "AAAA-AAAA-AAAA-AAAA"})  # the refusals' one draft
    client.post("/track/answer", data={"csrf_token": token, "code": "AAAA-AAAA-AAAA-AAAA", "message": "x"})
    opened = client.post("/track", data={"csrf_token": token, "code": code})
    assert opened.status_code == 200 and 'id="state"' in opened.get_data(as_text=True)
    answered = client.post("/track/answer", data={"csrf_token": token, "code": code, "message": "วันที่ ๑๒"})
    html = answered.get_data(as_text=True)
    assert answered.status_code == 200 and "ส่งคำตอบแล้ว" in html and NOT_KEPT not in html


def test_a_mark_lapses_with_the_drafts_time(app, session, monkeypatch):
    # A redirect not followed (a tab closed) must not leave the message for hours.
    from datetime import timedelta

    from complaints.web import filing
    from complaints.web.receipts import utcnow

    client = client_for(app)
    monkeypatch.setattr(drafts, "take_draft_slot", lambda _past_limit=False: False)
    assert _refused(client, session, "corruption").status_code == 303
    later = utcnow() + drafts.DRAFT_TTL + timedelta(seconds=1)
    monkeypatch.setattr(filing, "utcnow", lambda: later)
    shown = client.get("/corruption/new")
    assert shown.status_code == 200 and NOT_KEPT not in shown.get_data(as_text=True)
    kept = session_of(app, client)
    assert refusal_marks._MARK not in kept  # dropped, not left for later


def test_an_answer_that_failed_before_its_view_comes_back_kept_and_says_so(app, session, monkeypatch):
    # The 500 handler hands an answer to the same refill as the limiter's refusal: it said
    # "the form was open too long" for a failure before the change.
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    client = client_for(app)
    code = _file_and_code(client, session)
    token = CSRF.search(client.get("/track").get_data(as_text=True)).group(1)

    def failing_first() -> None:
        raise RuntimeError("a hook that runs before the view")

    monkeypatch.setitem(app.before_request_funcs, None, [failing_first, *app.before_request_funcs[None]])
    failed = client.open("/track/answer", method="POST", data={"csrf_token": token, "code": code,
                                                               "message": "CANARYANSWER วันที่ ๑๒"})
    monkeypatch.setitem(app.before_request_funcs, None, app.before_request_funcs[None][1:])
    assert failed.status_code == 303 and failed.location.endswith("/track#error-summary")
    shown = client.get("/track")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 500 and "ระบบขัดข้อง" in html and "เปิดไว้นานเกินกำหนด" not in html
    assert re.search(r'name="draft" type="hidden" value="CANARYANSWER วันที่ ๑๒"', html)
    # A failure may follow a COMMIT whose reply was lost: "look before sending again", never
    # "not sent" (which invites a second copy).
    assert "คำตอบอาจยังไม่ได้บันทึก" in html and "ยังไม่ได้ส่ง" not in html and "ยังไม่ได้บันทึก ข้อความ" not in html


def test_an_answer_saved_before_a_failure_is_not_reported_as_not_saved(app, session, monkeypatch):
    from complaints.web import track
    from tests.test_web_tracking import LEGAL, _act, _case

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    client = client_for(app)
    code = _file_and_code(client, session)
    _act(session, _case(session, code), "ask", LEGAL, message="ขอทราบวันที่เกิดเหตุ")
    token = CSRF.search(client.get("/track").get_data(as_text=True)).group(1)
    real = track.keep_draft

    def fails_after_the_commit(form, status, now, **kw):
        if kw.get("answered"):
            raise RuntimeError("the case page's draft could not be written")
        return real(form, status, now, **kw)

    monkeypatch.setattr(track, "keep_draft", fails_after_the_commit)
    failed = client.open("/track/answer", method="POST", data={"csrf_token": token, "code": code, "message": "วันที่ ๑๒"})
    # A redirect, not the 500 page in answer to the POST: its body (the code, the answer) would
    # stay in a history entry.
    assert failed.status_code == 303 and failed.location == "/track#error-summary"
    assert code not in failed.get_data(as_text=True)
    shown = client.get("/track")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 500 and "ยังไม่ได้บันทึก" not in html and "คำตอบได้รับไว้แล้ว" in html
    assert code not in html and "วันที่ ๑๒" not in html
