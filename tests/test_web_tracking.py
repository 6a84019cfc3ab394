"""The tracking page: the code from the receipt opens the case (status, dates, notices) and lets the
complainant answer a question; a wrong code of any kind gets one answer, and nothing leaks."""
from __future__ import annotations

import json
import logging
import re
import time
from datetime import date, timedelta

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from complaints import thaidate
from complaints.models import Case, Message
from complaints.store import vault_of
from complaints.web.track import NOT_FOUND
from complaints.workflow import machine, tracking
from complaints.workflow.history import Actor, verify_case
from complaints.workflow.intake_rules import received_stamp
from complaints.workflow.tracking import answer_stamp
from complaints.web.receipts import utcnow
from tests.test_web_privacy import NEEDLES, _database_bytes
from tests.web_helpers import CODE, CORRUPTION, CSRF, GENERAL, category_id, client_for, post_form, unpadded
LEGAL = Actor("staff", None, frozenset({"legal"}))
INTAKE = Actor("staff", None, frozenset({"intake"}))


def _file(client, session, channel: str) -> str:
    data = GENERAL if channel == "general" else CORRUPTION
    path = f"/{channel}/new"
    assert post_form(client, path, {**data, "category": category_id(session, channel)}).status_code == 303
    return CODE.search(client.get("/receipt").get_data(as_text=True)).group(1)


def _csrf(client, path: str = "/track") -> str:
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def _track(client, code: str, **extra: str):
    return client.post("/track", data={"csrf_token": _csrf(client), "code": code, **extra})


def _case(session, code: str) -> Case:
    from complaints import codes

    session.rollback()
    session.expire_all()  # a rollback with no transaction open expires nothing
    return codes.find_case(session, vault_of(session).keyring.index_key, code)


def _question_open(app, session):
    """A general case with the officer's question waiting, opened on the tracking page: the client,
    the code, the answer form's hidden code and its CSRF token."""
    client = client_for(app)
    code = _file(client, session, "general")
    _act(session, _case(session, code), "ask", INTAKE, message="ขอรูปถ่ายเพิ่ม")
    page = _track(client, code).get_data(as_text=True)
    hidden = re.search(r'name="code" type="hidden" value="([^"]+)"', page).group(1)
    return client, code, hidden, CSRF.search(page).group(1)


def _act(session, case: Case, action: str, actor: Actor, **fields) -> None:
    # An officer acts a moment after the filing, which the app stamped with the real clock.
    machine.apply(session, case, action, actor, utcnow() + timedelta(seconds=1), **fields)
    session.commit()


@pytest.mark.parametrize("channel", ["general", "corruption"])
def test_the_receipts_code_opens_the_case_with_its_state_and_dates(app, session, channel):
    client = client_for(app)
    code = _file(client, session, channel)
    # As people type it back: lower case, no dashes, a look-alike letter, Thai digits.
    typed = code.lower().replace("-", " ")
    response = _track(client, typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    case = _case(session, code)
    assert re.search(r'id="state"><strong>รับเรื่องแล้ว<', html)
    assert f'id="case-number">{case.case_number}<' in html
    due = thaidate.format_date(case.first_notice_due)
    assert f'id="next-due">{due}<' in html and f"ครั้งแรกภายในวันที่ {due}" in html
    # Before any notice, the date due is the first notice's, and the page says so.
    assert re.search(r"ครั้งแรกภายในวันที่</dt>\s*<dd id=\"next-due\">", html)
    # A corruption report was recorded to its day only; the page shows no time of day for it.
    assert ("เวลา" in re.search(r'id="received-date">([^<]+)<', html).group(1)) is (channel == "general")
    assert response.headers["Cache-Control"] == "no-store"
    # The code is never written back into the page (no hidden field until there is a question).
    assert code not in html and code.replace("-", "").lower() not in html.lower()
    # No answer form without a question.
    assert 'action="/track/answer"' not in html


def test_a_letter_keyed_in_days_later_shows_its_received_day_without_a_time(app, session):
    from complaints.models import Organization
    from complaints.workflow.intake import file_complaint

    session.rollback()
    org = session.query(Organization).filter_by(slug="demo").one()
    now = utcnow()
    arrived = thaidate.local_date(now) - timedelta(days=3)
    filing = file_complaint(session, org, "general", "complaint", "letter", {"description": "ถนนชำรุด"},
                            {"name": "นายหนึ่ง ทดสอบ", "phone": "0812345678"}, [], now, received_on=arrived)
    session.commit()
    _act(session, _case(session, filing.tracking_code), "ask", INTAKE, message="ขอสำเนาหนังสือ")
    page = _track(client_for(app), filing.tracking_code).get_data(as_text=True)
    shown = re.search(r'id="received-date">([^<]+)<', page).group(1)
    assert shown == thaidate.format_date(arrived)  # not "… เวลา 00.00 น."
    # The notices sent since were stamped by this system: they keep their time of day.
    stamps = re.findall(r'<p class="when">([^<]+)<', page)
    assert len(stamps) == 2 and all("เวลา" in when for when in stamps)  # the receipt and the question


def test_an_english_tracking_page_marks_the_case_numbers_thai_prefix(app, session):
    client = client_for(app)
    code = _file(client, session, "general")
    client.get("/lang/en")
    number = _case(session, code).case_number  # "รท 2569/0001"
    session.rollback()  # on SQLite the read holds the write lock the lookup's transaction needs
    prefix, rest = number.split(" ", 1)
    html = _track(client, code).get_data(as_text=True)
    assert f'id="case-number"><span lang="th">{prefix}</span> {rest}<' in html


def test_the_home_page_and_receipt_link_to_tracking(app, session):
    client = client_for(app)
    assert 'href="/track"' in client.get("/").get_data(as_text=True)
    assert post_form(client, "/corruption/new", {**CORRUPTION, "category": category_id(session, "corruption")}).status_code == 303
    receipt = client.get("/receipt").get_data(as_text=True)
    assert 'href="/track"' in receipt and "http://localhost/track" in receipt
    assert "ยังไม่เปิดให้บริการ" not in receipt


def test_thai_digits_and_look_alike_letters_in_a_code_are_read_as_meant(app, session, monkeypatch):
    from complaints import codes

    monkeypatch.setattr(codes, "new_tracking_code", lambda: "01AB-CDEF-GHJK-MN01")
    client = client_for(app)
    assert _file(client, session, "general") == "01AB-CDEF-GHJK-MN01"
    # Typed on a Thai keyboard's number row, with O for 0 and l for 1.
    assert _track(client, "O๑ab cdef ghjk mn๐l").status_code == 200


@pytest.mark.parametrize("typed", ["ABCD-EFGH-JKMN-PQRS", "0000-0000-0000-0000", "not a code", "ก" * 16,
                                   "X" * 64, "U" * 16])
def test_every_wrong_code_gets_the_same_answer(app, session, typed):
    client = client_for(app)
    _file(client, session, "general")
    response = _track(client, typed)
    assert response.status_code == 404
    body = unpadded(CSRF.sub("", response.get_data(as_text=True)).replace(typed, "TYPED"))
    reference = unpadded(CSRF.sub("", _track(client, "ZZZZ-ZZZZ-ZZZZ-ZZZZ").get_data(as_text=True)).replace(
        "ZZZZ-ZZZZ-ZZZZ-ZZZZ", "TYPED"))
    assert str(NOT_FOUND) in body
    assert body == reference


def test_an_empty_code_is_asked_for(app):
    client = app.test_client()
    response = _track(client, "  ")
    assert response.status_code == 400 and "กรุณากรอกข้อมูลนี้" in response.get_data(as_text=True)


def test_another_organizations_case_is_unknown_here(app, session):
    from complaints.models import Organization

    client = client_for(app)
    code = _file(client, session, "general")
    case = _case(session, code)
    other = Organization(slug="other", name_th="อบต.อื่น", name_en="Other SAO")
    session.add(other)
    session.flush()
    case.org_id = other.id
    session.commit()
    assert _track(client, code).status_code == 404


def test_a_lookup_needs_the_csrf_token(app, session):
    client = client_for(app)
    code = _file(client, session, "general")
    assert client.post("/track", data={"code": code}).status_code == 400


def test_guessing_is_rate_limited(app, session):
    app.config["TRACKING_RATE_LIMIT"] = "3 per day"
    client = client_for(app)
    token = _csrf(client)
    statuses = [client.post("/track", data={"csrf_token": token, "code": f"AAAA-AAAA-AAAA-AAA{i}"}).status_code
                for i in range(5)]
    assert statuses == [404, 404, 404, 429, 429]


def test_guessing_through_the_answer_form_is_rate_limited_too(app, session):
    # The answer form looks the code up as well: without its own limit it would be an unlimited
    # way to try codes.
    app.config["TRACKING_RATE_LIMIT"] = "2 per day"
    client = client_for(app)
    token = _csrf(client)
    responses = [client.post("/track/answer", data={"csrf_token": token, "code": f"AAAA-AAAA-AAAA-AAA{i}",
                                                    "message": "คำตอบที่พิมพ์ไว้"}) for i in range(3)]
    assert [r.status_code for r in responses] == [404, 404, 429]
    # Refused before any lookup, with the answer kept and the way back explained.
    html = responses[-1].get_data(as_text=True)
    assert "ส่งบ่อยเกินไป" in html and "เก็บไว้ให้แล้ว" in html and "สถานะเรื่อง" not in html
    assert re.search(r'name="draft" type="hidden" value="คำตอบที่พิมพ์ไว้"', html)


def test_the_question_waiting_is_quoted_above_the_answer_box(app, session):
    # On a phone the timeline comes after the box: the question must not be only down there.
    client = client_for(app)
    code = _file(client, session, "general")
    _act(session, _case(session, code), "ask", INTAKE, message="ขอรูปถ่ายเพิ่ม\nจุดที่ไฟดับ")
    page = _track(client, code).get_data(as_text=True)
    quoted = page.index('<blockquote class="question" id="question">ขอรูปถ่ายเพิ่ม\nจุดที่ไฟดับ</blockquote>')
    assert quoted < page.index('<textarea') < page.index("หนังสือแจ้งและคำตอบ")
    hidden = re.search(r'<input id="code" name="code" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/track/answer", data={"csrf_token": CSRF.search(page).group(1), "code": hidden,
                                       "message": "ส่งรูปทางไปรษณีย์แล้ว"})
    session.rollback()
    _act(session, _case(session, code), "ask", INTAKE, message="ขอบ้านเลขที่ใกล้เคียง")
    page = _track(client, code).get_data(as_text=True)
    # The latest question only; the earlier one stays in the timeline.
    assert re.search(r'id="question">ขอบ้านเลขที่ใกล้เคียง<', page) and page.count('id="question"') == 1
    assert "ขอรูปถ่ายเพิ่ม" in page[page.index("หนังสือแจ้งและคำตอบ"):]


def test_no_question_is_quoted_once_it_is_answered(app, session):
    client, _code, hidden, token = _question_open(app, session)  # asked: "ขอรูปถ่ายเพิ่ม"
    answered = client.post("/track/answer", data={"csrf_token": token, "code": hidden,
                                                  "message": "ส่งรูปทางไปรษณีย์แล้ว"}).get_data(as_text=True)
    assert 'id="question"' not in answered and "ขอรูปถ่ายเพิ่ม" in answered


@pytest.mark.parametrize("channel, officer", [("general", INTAKE), ("corruption", LEGAL)])
def test_the_complainant_answers_the_officers_question(app, session, channel, officer):
    client = client_for(app)
    code = _file(client, session, channel)
    case = _case(session, code)
    _act(session, case, "ask", officer, message="ขอทราบวันที่เกิดเหตุที่แน่นอน")
    page = _track(client, code).get_data(as_text=True)
    assert re.search(r'id="state"><strong>ขอข้อมูลเพิ่มเติม<', page)
    assert "คำถามจากเจ้าหน้าที่" in page and "ขอทราบวันที่เกิดเหตุที่แน่นอน" in page
    hidden = re.search(r'<input id="code" name="code" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/track/answer", data={"csrf_token": CSRF.search(page).group(1), "code": hidden,
                                                  "message": "วันที่ ๓ มีนาคม 2568 เวลาบ่าย"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "ส่งคำตอบแล้ว" in html and "วันที่ ๓ มีนาคม 2568 เวลาบ่าย" in html
    assert re.search(r'id="state"><strong>รับเรื่องแล้ว<', html)  # back where it was before the question
    case = _case(session, code)
    assert case.state == "received" and case.resume_state is None
    reply = session.scalar(select(Message).where(Message.case_id == case.id, Message.kind == "reply"))
    sealed = vault_of(session).open_text(case, "message", reply.id, reply.body_ct)
    assert json.loads(sealed)["text"] == "วันที่ ๓ มีนาคม 2568 เวลาบ่าย"
    assert "เวลาบ่าย".encode() not in reply.body_ct
    assert verify_case(session, case, vault_of(session).keyring.audit_key) == []
    session.rollback()  # SQLite: the app's next write waits for this read to end
    # Sent again (a double click, a reload): no question is waiting, nothing more is written.
    again = client.post("/track/answer", data={"csrf_token": CSRF.search(page).group(1), "code": hidden,
                                               "message": "ซ้ำ"})
    assert again.status_code == 409 and "ไม่มีคำถามที่รอคำตอบ" in again.get_data(as_text=True)
    # The redirect opens the page at this alert (web.drafts), so it carries the summary's id.
    assert re.search(r'<div class="alert" role="alert" id="error-summary" tabindex="-1"><ul><li>ไม่มีคำถาม',
                     again.get_data(as_text=True))
    session.rollback()
    assert session.query(Message).filter_by(case_id=case.id, kind="reply").count() == 1


def test_an_empty_or_too_long_answer_is_refused_and_kept(app, session):
    client, code, hidden, token = _question_open(app, session)
    blank = client.post("/track/answer", data={"csrf_token": token, "code": hidden, "message": "\u200b "})
    assert blank.status_code == 400 and "กรุณากรอกข้อมูลนี้" in blank.get_data(as_text=True)
    long = "ก" * 10_001
    refused = client.post("/track/answer", data={"csrf_token": token, "code": hidden, "message": long})
    assert refused.status_code == 400 and long in refused.get_data(as_text=True)
    assert _case(session, code).state == "needs_info"


def test_the_answer_rule_refuses_a_too_long_answer_whoever_calls_it(app, session):
    # The form caps the answer too, but the rule is what every caller (a future API) goes through.
    _client, code, _hidden, _token = _question_open(app, session)
    case = _case(session, code)
    with pytest.raises(tracking.AnswerRefused) as refused:
        tracking.answer(session, case, "ก" * (tracking.ANSWER_MAX + 1), utcnow())
    assert refused.value.reason == "too_long"
    session.rollback()
    assert _case(session, code).state == "needs_info"


def test_an_answer_to_a_wrong_code_is_refused_like_a_wrong_code(app, session):
    client = client_for(app)
    response = client.post("/track/answer", data={"csrf_token": _csrf(client), "code": "AAAA-AAAA-AAAA-AAAA",
                                                  "message": "คำตอบ"})
    assert response.status_code == 404 and str(NOT_FOUND) in response.get_data(as_text=True)


def test_an_expired_answer_form_keeps_the_answer_without_opening_the_case(app, session, monkeypatch):
    client, code, hidden, token = _question_open(app, session)
    too_late = int(time.time()) + app.config["WTF_CSRF_TIME_LIMIT"] + 60
    with monkeypatch.context() as later:
        later.setattr(TimestampSigner, "get_timestamp", lambda _self: too_late)
        refused = client.post("/track/answer", data={"csrf_token": token, "code": hidden,
                                                     "message": "คำตอบที่พิมพ์ยาว"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "เปิดไว้นานเกินกำหนด" in html
    # The code form again, with the answer carried in it; the case itself is not shown.
    assert 'action="/track"' in html and "สถานะเรื่อง" not in html
    assert re.search(r'name="draft" type="hidden" value="คำตอบที่พิมพ์ยาว"', html)
    opened = _track(client, code, draft="คำตอบที่พิมพ์ยาว").get_data(as_text=True)
    assert re.search(r"<textarea[^>]*>\s*คำตอบที่พิมพ์ยาว</textarea>", opened)


def test_an_expired_answer_longer_than_allowed_still_opens_the_case_with_it(app, session, monkeypatch):
    # Carried back in the lookup's hidden field, an answer over the limit made every lookup fail
    # with no message: the hidden field had the answer's length check but no place to say it.
    client, code, hidden, token = _question_open(app, session)
    long = "ก" * (tracking.ANSWER_MAX + 500)
    too_late = int(time.time()) + app.config["WTF_CSRF_TIME_LIMIT"] + 60
    with monkeypatch.context() as later:
        later.setattr(TimestampSigner, "get_timestamp", lambda _self: too_late)
        client.post("/track/answer", data={"csrf_token": token, "code": hidden, "message": long})
    opened = _track(client, code, draft=long)
    html = opened.get_data(as_text=True)
    assert opened.status_code == 200 and "สถานะเรื่อง" in html and re.search(f"<textarea[^>]*>\\s*{long}</textarea>", html)
    # Sent as it stands, the answer's own check says what is wrong with it.
    token = CSRF.search(html).group(1)
    refused = client.post("/track/answer", data={"csrf_token": token, "code": hidden, "message": long})
    assert refused.status_code == 400 and "ยาวเกิน" in refused.get_data(as_text=True)


def test_a_refused_answer_whose_code_came_in_thai_digits_comes_back_to_its_case(app, session, monkeypatch):
    # The lookup takes Thai digits; a refused answer's draft kept the code as sent, which the
    # case page could not find: the answer was lost with no word.
    from complaints import codes

    monkeypatch.setattr(codes, "new_tracking_code", lambda: "0123-4567-89AB-CDEF")  # one with digits
    client, code, hidden, token = _question_open(app, session)
    thai = hidden.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert thai != hidden
    refused = client.post("/track/answer", data={"csrf_token": token, "code": thai, "message": "\u200b "})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "กรุณากรอกข้อมูลนี้" in html and "สถานะเรื่อง" in html


def test_the_timeline_shows_notices_not_internals(app, session):
    client = client_for(app)
    code = _file(client, session, "corruption")
    case = _case(session, code)
    _act(session, case, "open_fact_finding", LEGAL, message="แต่งตั้งคณะกรรมการสืบข้อเท็จจริงแล้ว",
         note="บันทึกภายใน: สงสัยนายสมชาย")
    _act(session, _case(session, code), "forward", LEGAL, agency="nacc", letter_no="มท 0001/1",
         letter_date=date(2026, 1, 5), message="")
    html = _track(client, code).get_data(as_text=True)
    assert "แต่งตั้งคณะกรรมการสืบข้อเท็จจริงแล้ว" in html
    assert "สงสัยนายสมชาย" not in html and "มท 0001/1" not in html
    assert "ส่งเรื่องไปยัง สำนักงาน ป.ป.ช." in html
    assert re.search(r'id="state"><strong>ส่งต่อหน่วยงานที่มีอำนาจ<', html)
    # Notices have been sent: the date due is the next one's.
    assert re.search(r"ครั้งต่อไปภายในวันที่</dt>\s*<dd id=\"next-due\">", html)
    # Newest first.
    assert html.index("แจ้งการส่งเรื่องต่อ") < html.index("แจ้งความคืบหน้า") < html.index("รับเรื่องแล้ว</h3>")


def test_a_not_accepted_notice_gives_its_reason(app, session):
    client = client_for(app)
    code = _file(client, session, "corruption")
    _act(session, _case(session, code), "not_accept", LEGAL, reason="anonymous_no_evidence")
    html = _track(client, code).get_data(as_text=True)
    assert "แจ้งการไม่รับเรื่องไว้พิจารณา" in html and "บัตรสนเท่ห์ที่ไม่ระบุหลักฐาน" in html
    # Closed, the case owes no more notices: no date is promised.
    assert 'id="next-due"' in html
    _act(session, _case(session, code), "close", LEGAL)
    closed = _track(client, code).get_data(as_text=True)
    assert re.search(r'id="state"><strong>ปิดเรื่อง<', closed) and 'id="next-due"' not in closed


def test_a_corruption_answer_keeps_no_time_of_day(app, session):
    client = client_for(app)
    code = _file(client, session, "corruption")
    case = _case(session, code)
    asked_at = thaidate.bangkok_midnight(date(2026, 3, 2)) + timedelta(hours=10)
    machine.apply(session, case, "ask", LEGAL, asked_at, message="ขอชื่อพยาน")
    session.commit()
    # Answered at 15:37:12 the same day: recorded just after the question, not at 15:37.
    late = asked_at + timedelta(hours=5, minutes=37, seconds=12)
    assert answer_stamp(session, case, late) == asked_at + timedelta(microseconds=1)
    # Answered the next day: that day's midnight.
    next_day = late + timedelta(days=1)
    assert answer_stamp(session, case, next_day) == received_stamp("corruption", next_day)
    general = _case(session, _file(client, session, "general"))
    assert answer_stamp(session, general, late) == late


def test_tracking_and_answering_a_corruption_case_leave_no_client_trace(app, store, session, db_url, caplog):
    caplog.set_level(logging.DEBUG)
    client = client_for(app)
    code = _file(client, session, "corruption")
    _act(session, _case(session, code), "ask", LEGAL, message="ขอชื่อพยาน")
    page = _track(client, code).get_data(as_text=True)
    hidden = re.search(r'name="code" type="hidden" value="([^"]+)"', page).group(1)
    answered = client.post("/track/answer", data={"csrf_token": CSRF.search(page).group(1), "code": hidden,
                                                  "message": "พยานคือผู้ใหญ่บ้าน"})
    assert answered.status_code == 200
    session.close()
    raw = _database_bytes(db_url, store)
    assert "พยานคือผู้ใหญ่บ้าน".encode() not in raw  # the answer is sealed
    for needle in NEEDLES:
        assert needle not in raw
        assert needle.decode() not in caplog.text


def test_a_code_or_answer_sent_as_a_file_is_read_as_missing_not_a_server_error(app, session):
    import io

    client, code, hidden, csrf = _question_open(app, session)
    lookup = client.post("/track", data={"csrf_token": _csrf(client), "code": (io.BytesIO(code.encode()), "c.txt")},
                         content_type="multipart/form-data")
    assert lookup.status_code == 400
    answer = client.post("/track/answer", content_type="multipart/form-data",
                         data={"csrf_token": csrf, "code": hidden, "message": (io.BytesIO(b"x"), "m.txt")})
    assert answer.status_code == 400
    wrong = client.post("/track/answer", content_type="multipart/form-data",
                        data={"csrf_token": csrf, "code": (io.BytesIO(b"x"), "c.txt"), "message": "ตอบ"})
    assert wrong.status_code == 404


def test_a_lookup_and_an_answer_are_answered_by_a_redirect_and_the_case_page_shows_once(app, session):
    # No history entry keeps the code, or an answer, in a POST body (web.drafts).
    client = client_for(app)
    code = _file(client, session, "corruption")
    _act(session, _case(session, code), "ask", LEGAL, message="ขอชื่อพยาน")
    lookup = client.open("/track", method="POST", data={"csrf_token": _csrf(client), "code": code})
    assert lookup.status_code == 303 and lookup.location.endswith("/track/case")
    assert code not in lookup.get_data(as_text=True) and "Path=/track/case" in lookup.headers["Set-Cookie"]
    page = client.get("/track/case")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "ขอชื่อพยาน" in html and page.headers["Cache-Control"] == "no-store"
    # The state is explained, not only named: what "more information requested" asks of the reader.
    assert '<dd id="state-meaning">เจ้าหน้าที่ถามข้อมูลเพิ่มเติม โปรดตอบที่หน้าติดตามเรื่อง' in html
    reload = client.get("/track/case")  # a reload, or Back from a later page, asks for the code again
    assert reload.status_code == 303 and reload.location.endswith("/track")
    hidden = re.search(r'name="code" type="hidden" value="([^"]+)"', html).group(1)
    answered = client.open("/track/answer", method="POST", data={
        "csrf_token": CSRF.search(html).group(1), "code": hidden, "message": "CANARYANSWER นายดำ"})
    assert answered.status_code == 303 and answered.location.endswith("/track/case")
    assert "CANARYANSWER" not in answered.get_data(as_text=True)
    after = client.get("/track/case").get_data(as_text=True)
    assert "ส่งคำตอบแล้ว" in after and "CANARYANSWER นายดำ" in after


def test_a_wrong_code_comes_back_to_the_lookup_by_a_redirect_too(app, session):
    client = client_for(app)
    refused = client.open("/track", method="POST", data={"csrf_token": _csrf(client), "code": "0000-0000-0000-0000"})
    assert refused.status_code == 303 and refused.location.endswith("/track#error-summary")
    shown = client.get("/track")
    assert shown.status_code == 404 and str(NOT_FOUND) in shown.get_data(as_text=True)
    assert client.get("/track").status_code == 200  # shown once
