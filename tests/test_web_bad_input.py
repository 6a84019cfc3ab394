"""Bad input on the filing forms: a clear Thai and English message or a 4xx, and nothing stored."""
from __future__ import annotations

from html import unescape

import io
import re
import unicodedata

import pytest
from PIL import Image

from tests.web_helpers import (
    CORRUPTION,
    GENERAL,
    category_id,
    client_for,
    counts,
    post_form,
    tokens,
)

def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


CASES = {
    "empty description": ({"description": ""}, [], "description"),
    "empty name": ({"name": "  "}, [], "name"),
    "no contact": ({"phone": "", "email": "", "address": ""}, [], "ช่องทางติดต่อ"),
    "oversized subject": ({"subject": "ก" * 201}, [], "ยาวเกิน 200"),
    "1 MB description": ({"description": "ข" * 1_000_000}, [], None),
    "control characters": ({"description": "ข้อความ\x00\x1b[31mซ่อน"}, [], "อักขระพิเศษที่มองไม่เห็น"),
    "bidi override": ({"subject": "abc\u202eexe.pdf"}, [], "อักขระพิเศษที่มองไม่เห็น"),
    "bad phone": ({"phone": "โทรมาสิ"}, [], "หมายเลขโทรศัพท์"),
    "phone without digits": ({"phone": "(((---)))", "email": "", "address": ""}, [], "หมายเลขโทรศัพท์"),
    "invisible name": ({"name": "\u200b\ufeff"}, [], "กรุณากรอกข้อมูลนี้"),
    "invisible description": ({"description": "\u200b\u200c\u00ad"}, [], "กรุณากรอกข้อมูลนี้"),
    "invisible contact": ({"phone": "", "email": "", "address": "\u2060\u200b"}, [], "ช่องทางติดต่อ"),
    "village not a number": ({"village_no": "ห้า"}, [], "หมู่ที่ต้องเป็นตัวเลข"),
    "no declaration": ({"declaration": ""}, [], "รับรอง"),
    "unknown category": ({"category": 99999}, [], "กรุณาเลือกจากรายการ"),
    "category not a number": ({"category": "ห้า"}, [], "กรุณาเลือกจากรายการ"),
    "kind of the other channel": ({"kind": "tip"}, [], "กรุณาเลือกจากรายการ"),
    "text file disguised as pdf": ({}, [("report.pdf", b"just text, not a PDF")], "ไม่ใช่ชนิดที่รับได้"),
    "html disguised as png": ({}, [("photo.png", b"<html><script>alert(1)</script>")], "ไม่ใช่ชนิดที่รับได้"),
    "six files": ({}, [(f"{i}.png", _png()) for i in range(6)], "แนบไฟล์ได้ไม่เกิน 5 ไฟล์"),
    # Caps and checks each field has, not only the request's: the mutation review's gaps.
    "description over its cap": ({"description": "ข" * 10_001}, [], "ยาวเกิน 10000"),
    "C1 control character": ({"description": "ข้อความ\x85ซ่อน\x9b"}, [], "อักขระพิเศษที่มองไม่เห็น"),
    "bad email": ({"email": "not an email"}, [], "อีเมลไม่ถูกต้อง"),
    # Each range of the control-character rule: bidi isolates hide text as overrides do, and a
    # vertical tab or form feed is no line break a browser sends.
    "bidi isolate": ({"subject": "abc\u2067x"}, [], "อักขระพิเศษที่มองไม่เห็น"),
    "first bidi isolate": ({"subject": "abc\u2066x"}, [], "อักขระพิเศษที่มองไม่เห็น"),
    "pop directional isolate": ({"subject": "abc\u2069x"}, [], "อักขระพิเศษที่มองไม่เห็น"),
    "vertical tab": ({"description": "ข้อความ\x0bซ่อน"}, [], "อักขระพิเศษที่มองไม่เห็น"),
    "form feed": ({"description": "ข้อความ\x0cซ่อน"}, [], "อักขระพิเศษที่มองไม่เห็น"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_general_input_is_refused_with_a_message_and_stores_nothing(app, session, name):
    overrides, files, expected = CASES[name]
    client = client_for(app)
    before = counts(session)
    data = {**GENERAL, "category": category_id(session, "general"), **overrides}
    response = post_form(client, "/general/new", data, files)
    assert 400 <= response.status_code < 500
    html = response.get_data(as_text=True)
    if response.status_code == 400 and expected:
        assert expected in html and 'role="alert"' in html
    if response.status_code == 400:  # what was typed is kept
        assert (GENERAL["subject"] if "name" in overrides else GENERAL["name"]) in html
    assert counts(session) == before


def test_oversized_file_is_refused(app, session):
    app.config["MAX_ATTACHMENT_BYTES"] = 1024
    client = client_for(app)
    before = counts(session)
    response = post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general")},
                         [("big.png", _png() + b"\0" * 2048)])
    assert response.status_code == 400 and "big.png" in response.get_data(as_text=True)
    assert counts(session) == before


def test_request_larger_than_the_limit_gets_413(app, session):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    client = client_for(app)
    before = counts(session)
    response = post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general")},
                         [("big.pdf", b"%PDF-" + b"x" * 20_000)])
    assert response.status_code == 413 and "ใหญ่เกิน" in response.get_data(as_text=True)
    assert counts(session) == before


def test_missing_csrf_token_is_refused(app, session):
    client = client_for(app)
    page = client.get("/corruption/new").get_data(as_text=True)
    data = {**CORRUPTION, "category": category_id(session, "corruption"), "form_nonce": tokens(page)["form_nonce"]}
    before = counts(session)
    refused = client.open("/corruption/new", method="POST", data=data)
    # By a redirect to the form, so no history entry keeps the report in a POST body.
    assert refused.status_code == 303 and refused.location == "/corruption/new#error-summary"
    response = client.get("/corruption/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "ส่งไม่สำเร็จ เรื่องยังไม่ได้ส่ง แบบฟอร์มนี้เปิดค้างไว้นานเกินไป" in html
    assert 'id="error-summary"' in html and CORRUPTION["description"] not in html  # maybe another site's words
    assert "<title>ข้อผิดพลาด: " in html  # a tab or a screen reader names the failure
    assert 'name="csrf_token"' in html  # a fresh form, to fill in again
    assert counts(session) == before
    # Said once: a reload is the plain form.
    assert client.get("/corruption/new").status_code == 200


def test_a_refused_token_says_not_sent_only_of_a_filing(app, session):
    # After a filing, "your report has not been sent" would invite a second copy.
    client = client_for(app)
    assert post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general")}).status_code == 303
    client.get("/receipt")
    pdf = client.post("/receipt.pdf", data={"csrf_token": "forged", "pdf_token": "x"}).get_data(as_text=True)
    assert "<h1>ดาวน์โหลดใบรับเรื่องไม่สำเร็จ</h1>" in pdf and "ไม่ต้องส่งเรื่องซ้ำ" in pdf
    assert "เรื่องยังไม่ได้ส่ง" not in pdf
    # A tracking lookup reports nothing: it is "not sent", back on the lookup, by a redirect; an
    # answer says that the answer was not sent, and not kept.
    said = {"/track": "ส่งไม่สำเร็จ หน้านี้เปิดค้างไว้นานเกินไป",
            "/track/answer": "ส่งคำตอบไม่สำเร็จ หน้านี้เปิดค้างไว้นานเกินไป"}
    for path, message in said.items():
        refused = client.open(path, method="POST", data={"csrf_token": "forged", "code": "x", "message": "x"})
        assert refused.status_code == 303 and refused.location == "/track#error-summary"
        track = client.get("/track")
        html = track.get_data(as_text=True)
        assert track.status_code == 400 and message in html
        assert "กรุณากรอกรหัสติดตามเรื่อง" in html and "เรื่องยังไม่ได้ส่ง" not in html


@pytest.mark.parametrize("with_old_cookie", [False, True], ids=["same browser", "with the cookie sent then"])
def test_replayed_form_is_refused_and_filed_only_once(app, session, with_old_cookie):
    # The nonce list lives in the cookie; a replay of the whole request brings back the cookie
    # that still lists the nonce, and only the database's record of spent tokens refuses it.
    client = client_for(app)
    page = client.get("/corruption/new").get_data(as_text=True)
    data = {**CORRUPTION, "category": category_id(session, "corruption"), **tokens(page)}
    cookie_then = client.get_cookie("session").value
    assert client.post("/corruption/new", data=data).status_code == 303
    after_first = counts(session)
    if with_old_cookie:
        client.set_cookie("session", cookie_then)
    replay = client.post("/corruption/new", data=data)
    html = replay.get_data(as_text=True)
    assert replay.status_code == 409 and "ส่งไปแล้ว" in html
    # A double click shows only this answer: it must not say "not sent" (the first went through).
    assert "ยังไม่ได้ส่งเรื่อง" not in html and '<div class="alert" role="alert" id="error-summary" tabindex="-1">' in html
    assert counts(session) == after_first


def test_a_form_without_its_one_time_token_says_why(app, session):
    client = client_for(app)
    page = client.get("/corruption/new").get_data(as_text=True)
    data = {**CORRUPTION, "category": category_id(session, "corruption"), **tokens(page), "form_nonce": ""}
    before = counts(session)
    html = client.post("/corruption/new", data=data).get_data(as_text=True)
    assert "ระบบไม่รับแบบฟอร์มนี้" in html and "กรุณาแก้ไข 0" not in html
    assert counts(session) == before


def test_a_refused_file_keeps_the_typed_fields(app, session):
    client = client_for(app)
    response = post_form(client, "/corruption/new", {**CORRUPTION, "category": category_id(session, "corruption")},
                         [("evidence.jpg", b"MZ\x90\x00 not an image")])
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "เจ้าหน้าที่งานพัสดุ" in html and "สลิปโอนเงิน" in html
    assert "JPEG" in html


def test_no_way_of_contact_marks_all_three_contact_fields(app, session):
    # The error belongs to phone, email and address together: whichever a screen reader lands on
    # is announced invalid and read the error, and the summary links to where they begin.
    no_contact = {**GENERAL, "category": category_id(session, "general"), "phone": "", "email": "", "address": ""}
    html = post_form(client_for(app), "/general/new", no_contact).get_data(as_text=True)
    assert html.count('id="contact-errors"') == 1 and "phone-errors" not in html
    for field in ("phone", "email", "address"):
        control = re.search(rf'<(?:input|textarea)[^>]*\bid="{field}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in control and "contact-hint contact-errors" in control
    assert '<li><a href="#phone">ช่องทางติดต่อ</a>: กรุณาให้ช่องทางติดต่อกลับ' in html
    assert "<title>ข้อผิดพลาด:" in html


def test_no_way_of_contact_is_said_with_the_other_errors_not_on_the_next_try(app, session):
    # Before, a form refused for an empty subject said nothing of the missing contact: the citizen
    # fixed the subject, sent again over slow mobile data, chose the photos again, and only then heard it.
    both_wrong = {**GENERAL, "category": category_id(session, "general"), "subject": "", "phone": "", "email": "",
                  "address": ""}
    page = post_form(client_for(app), "/general/new", both_wrong)
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and 'id="subject-errors"' in html
    assert html.count('id="contact-errors"') == 1 and "กรุณาให้ช่องทางติดต่อกลับ" in html
    # A corruption report needs no contact: nothing of it there.
    wrong = {**CORRUPTION, "category": category_id(session, "corruption"), "description": ""}
    assert "contact-errors" not in post_form(client_for(app), "/corruption/new", wrong).get_data(as_text=True)


def test_a_refused_files_message_marks_the_half_in_the_other_language(app, session):
    # The rules' message is "Thai / English": a screen reader must read each half in its own voice.
    client = client_for(app)
    data = {**CORRUPTION, "category": category_id(session, "corruption")}
    thai_page = post_form(client, "/corruption/new", data, [("หลักฐาน.jpg", b"MZ not an image")]).get_data(as_text=True)
    assert re.search(r"<li>ไฟล์ &#39;หลักฐาน.jpg&#39; [^<]+ / <span lang=\"en\">file &#39;หลักฐาน.jpg&#39; ", thai_page)
    client.get("/lang/en")
    english_page = post_form(client, "/corruption/new", data, [("a.jpg", b"MZ")]).get_data(as_text=True)
    assert re.search(r"<li>file &#39;a.jpg&#39; [^<]+ / <span lang=\"th\">ไฟล์ &#39;a.jpg&#39; ", english_page)


def test_filing_is_rate_limited(app, session):
    app.config["FILING_RATE_LIMIT"] = "2 per day"
    client = client_for(app)
    data = {**CORRUPTION, "category": category_id(session, "corruption")}
    statuses = [post_form(client, "/corruption/new", data).status_code for _ in range(3)]
    assert statuses == [303, 303, 429]


def test_a_filing_the_rules_refuse_is_refused_before_its_files_are_cleaned(app, session, monkeypatch):
    # Cleaning a large photo or PDF costs a worker seconds: a form that cannot be filed anyway
    # (no way to reach the complainant) must not get that far, however many times it is sent.
    from complaints.web import filing as filing_views

    cleaned: list[int] = []
    real = filing_views.sanitize_all
    monkeypatch.setattr(filing_views, "sanitize_all", lambda files, **kw: cleaned.append(len(files)) or real(files, **kw))
    data = {**GENERAL, "category": category_id(session, "general"), "phone": "", "email": "", "address": ""}
    response = post_form(client_for(app), "/general/new", data, [("photo.png", _png())])
    assert response.status_code == 400 and "ช่องทางติดต่อ" in response.get_data(as_text=True)
    assert cleaned == []
    assert post_form(client_for(app), "/general/new", {**data, "phone": "0812345678"},
                     [("photo.png", _png())]).status_code == 303 and cleaned == [1]


def test_required_confinement_refuses_files_on_a_machine_that_cannot_confine_and_keeps_the_text(
        app, session, monkeypatch):
    from complaints import confine

    data = {**CORRUPTION, "category": category_id(session, "corruption")}
    app.config["UPLOAD_CONFINEMENT"] = "required"
    # This machine confines the parsers (tests/test_confine.py): the setting changes nothing here.
    assert post_form(client_for(app), "/corruption/new", data, [("photo.png", _png())]).status_code == 303
    before = counts(session)
    monkeypatch.setattr(confine, "landlock_abi", lambda: 0)  # a kernel without Landlock
    response = post_form(client_for(app), "/corruption/new", data, [("photo.png", _png())])
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "ตรวจไฟล์แนบอย่างปลอดภัยไม่ได้" in html and "cannot check attachments safely" in html
    assert "เจ้าหน้าที่งานพัสดุ" in html and counts(session) == before
    # The words still go through without the file; and best-effort takes the file as before.
    assert post_form(client_for(app), "/corruption/new", data).status_code == 303
    app.config["UPLOAD_CONFINEMENT"] = "best-effort"
    assert post_form(client_for(app), "/corruption/new", data, [("photo.png", _png())]).status_code == 303


def test_an_unknown_confinement_mode_stops_the_app(tmp_path):
    from complaints import create_app

    with pytest.raises(ValueError, match="UPLOAD_CONFINEMENT"):
        create_app({"INSTANCE_PATH": str(tmp_path), "UPLOAD_CONFINEMENT": "strict"})


def test_a_form_sent_back_for_another_field_says_its_files_must_be_attached_again(app, session):
    # A browser never refills a file input: sent again as it stands, the report would go without them.
    data = {**GENERAL, "category": category_id(session, "general"), "email": "bad"}
    response = post_form(client_for(app), "/general/new", data, [("photo.png", _png())])
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "กรุณาแนบอีกครั้งก่อนกดส่ง" in html and counts(session)["case"] == 0
    assert "กรุณาแนบอีกครั้ง" not in post_form(client_for(app), "/general/new", data).get_data(as_text=True)
    client = client_for(app)
    client.get("/lang/en")
    english = post_form(client, "/general/new", data, [("photo.png", _png())]).get_data(as_text=True)
    assert "please attach them again before sending" in english
    # And the phone offers only what is accepted (an iPhone then sends its photos as JPEG).
    assert 'accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"' in html


@pytest.mark.parametrize("files, said", [
    ([("photo.pdf", b"just some text, not a PDF")], "ไฟล์ 'photo.pdf' ไม่ใช่ชนิดที่รับได้"),
    ([("big.png", _png() + b"\0" * 2048)], "ไฟล์ 'big.png' ใหญ่เกินกำหนด"),
    ([(f"p{i}.png", _png()) for i in range(6)], "แนบไฟล์ได้ไม่เกิน 5 ไฟล์"),
    ([("empty.png", b"")], "ไฟล์ 'empty.png' ว่างเปล่า"),
])
def test_a_form_sent_back_for_another_field_also_says_which_file_will_be_refused(app, session, files, said):
    # Told only on the next try, the person would attach the same file again to be refused again.
    app.config["MAX_ATTACHMENT_BYTES"] = 1024
    data = {**GENERAL, "category": category_id(session, "general"), "email": "bad"}
    html = unescape(post_form(client_for(app), "/general/new", data, files).get_data(as_text=True))
    assert "อีเมลไม่ถูกต้อง" in html and said in html and "กรุณาแนบอีกครั้งก่อนกดส่ง" in html
    assert counts(session)["case"] == 0
    # A form refused for its file alone says it once, as this one does, not again from the check.
    refused = unescape(post_form(client_for(app), "/general/new", {**data, "email": ""}, files).get_data(as_text=True))
    assert refused.count(said) == html.count(said) > 0


def test_a_form_sent_back_for_another_field_says_nothing_against_files_that_will_pass(app, session):
    data = {**GENERAL, "category": category_id(session, "general"), "email": "bad"}
    html = post_form(client_for(app), "/general/new", data, [("photo.png", _png()), ("scan.pdf", b"%PDF-1.4 x")]
                     ).get_data(as_text=True)
    assert "กรุณาแนบอีกครั้งก่อนกดส่ง" in html and "ไม่ใช่ชนิดที่รับได้" not in html and "ใหญ่เกินกำหนด" not in html


def test_a_one_line_field_keeps_one_line_as_it_shows(app, store, session):
    # A tab or a line separator (U+2028) pasted into a name shows as a space; stored raw, the name
    # an officer searches for would not be the one on the screen.
    from sqlalchemy import select

    from complaints.models import Case

    data = {**GENERAL, "category": category_id(session, "general"), "name": "สม\tใจ\u2028  ทดสอบ",
            "phone": "081\t234 5678"}
    assert post_form(client_for(app), "/general/new", data).status_code == 303
    identity = store.vault.identity(session.scalars(select(Case)).one())
    assert identity["name"] == "สม ใจ ทดสอบ" and identity["phone"] == "081 234 5678"


def test_the_story_is_stored_in_composed_form(app, store, session):
    # "ปู่" typed with the tone mark before the vowel below looks the same on screen; stored as
    # typed, a search for the word would miss it. NFC puts the marks in their one order (and
    # composes "e" + acute accent into "é").
    from sqlalchemy import select

    from complaints.models import Case

    typed = "ปู่ย่าถูกเรียกเงิน ค่า caf\u00e9 ไม่ใช่"
    decomposed = "\u0e1b\u0e48\u0e39ย่าถูกเรียกเงิน ค่า cafe\u0301 ไม่ใช่"
    assert unicodedata.normalize("NFC", decomposed) == typed != decomposed
    data = {**GENERAL, "category": category_id(session, "general"), "description": decomposed,
            "subject": "ปู\u0e48"}
    assert post_form(client_for(app), "/general/new", data).status_code == 303
    story = store.vault.story(session.scalars(select(Case)).one())
    assert story["description"] == typed and story["subject"] == "\u0e1b\u0e39\u0e48"


@pytest.mark.parametrize("phone", ["02-123-4567 ต่อ 12", "02 123 4567 ext. 105", "044-123456x7", "๐๒-๑๒๓-๔๕๖๗ ต่อ ๑๒"])
def test_an_office_number_may_give_its_extension(app, session, phone):
    data = {**GENERAL, "category": category_id(session, "general"), "phone": phone}
    assert post_form(client_for(app), "/general/new", data).status_code == 303


@pytest.mark.parametrize("phone", ["ต่อ 12", "02-123-4567 ต่อ", "02-123-4567 ต่อ 123456", "02-123-4567 โทรหลัง 5 โมง"])
def test_an_extension_is_no_phone_number_on_its_own(app, session, phone):
    data = {**GENERAL, "category": category_id(session, "general"), "phone": phone}
    response = post_form(client_for(app), "/general/new", data)
    assert response.status_code == 400 and "หมายเลขโทรศัพท์ไม่ถูกต้อง" in response.get_data(as_text=True)


def test_the_configured_number_of_files_is_the_one_filing_allows(app, session):
    # The page says MAX_ATTACHMENTS; the filing rule must not refuse below it with its own default.
    app.config["MAX_ATTACHMENTS"] = 7
    client = client_for(app)
    files = [(f"p{i}.png", _png()) for i in range(6)]
    response = post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general")}, files)
    assert response.status_code == 303, response.get_data(as_text=True)
    app.config["MAX_ATTACHMENTS"] = 3
    refused = post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general")}, files[:4])
    assert refused.status_code == 400 and "ไม่เกิน 3 ไฟล์" in refused.get_data(as_text=True)


def test_a_report_is_received_when_it_arrives_not_when_its_files_are_clean(app, session, monkeypatch):
    # Sent at 23:59:50 Bangkok time, its files cleaned past midnight: received that day.
    from datetime import datetime, timedelta, timezone

    import complaints.web.filing as filing
    from complaints import thaidate
    from complaints.models import Case

    clock = [datetime(2025, 4, 10, 16, 59, 50, tzinfo=timezone.utc)]  # 23:59:50 in Bangkok
    clean = filing.sanitize_all

    def slow_clean(*args, **kwargs):
        clock[0] += timedelta(seconds=25)  # cleaning a large photo takes a while
        return clean(*args, **kwargs)

    monkeypatch.setattr(filing, "sanitize_all", slow_clean)
    monkeypatch.setattr(filing, "utcnow", lambda: clock[0])
    client = client_for(app)
    response = post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general")},
                         [("p.png", _png())])
    assert response.status_code == 303
    case = session.query(Case).one()
    assert thaidate.local_date(case.received_at).isoformat() == "2025-04-10"
    assert case.first_notice_due.isoformat() == "2025-04-25"
    session.rollback()


@pytest.mark.parametrize("channel,field,status", [
    ("general", "description", 400), ("general", "name", 400), ("corruption", "description", 400),
    ("corruption", "form_nonce", 400),
    # optional here (email and address remain), so the complaint is filed without it
    ("general", "phone", 303), ("general", "email", 303), ("corruption", "email", 303),
])
def test_a_text_field_sent_as_a_file_is_read_as_missing_not_a_server_error(app, session, channel, field, status):
    # Flask-WTF merged request.files into the form, so validators got a file where text belongs.
    client = client_for(app)
    before = counts(session)
    base = GENERAL if channel == "general" else CORRUPTION
    page = client.get(f"/{channel}/new").get_data(as_text=True)
    body = {**base, **tokens(page), "category": category_id(session, channel), field: (io.BytesIO(b"x"), "d.txt")}
    response = client.post(f"/{channel}/new", data=body, content_type="multipart/form-data")
    assert response.status_code == status
    if status == 400:
        assert 'role="alert"' in response.get_data(as_text=True) and counts(session) == before
    else:
        assert counts(session)["case"] == before["case"] + 1


def test_a_json_body_is_not_read_as_the_form(app, session):
    client = client_for(app)
    before = counts(session)
    form = tokens(client.get("/general/new").get_data(as_text=True))
    body = {**GENERAL, **form, "category": category_id(session, "general"), "description": 5, "name": ["a"]}
    response = client.post("/general/new", json=body, headers={"X-CSRFToken": form["csrf_token"]})
    assert response.status_code == 400
    assert counts(session) == before


@pytest.mark.parametrize("value", ["0", "off", "no", "false"])
def test_a_declaration_sent_as_no_is_not_a_declaration(app, session, value):
    before = counts(session)
    data = {**GENERAL, "category": category_id(session, "general"), "declaration": value}
    response = post_form(client_for(app), "/general/new", data)
    assert response.status_code == 400 and "รับรอง" in response.get_data(as_text=True)
    assert counts(session) == before
