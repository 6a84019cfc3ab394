"""What the pages tell a whistleblower about staying safe: what the site cannot hide for them is
said, nothing is promised that a browser or an inquiry would break, and a browser set to block
cookies is told what to change instead of being sent back to an empty form."""
from __future__ import annotations

import re

import pytest

from tests.web_helpers import CODE, CORRUPTION, CSRF, GENERAL, category_id, client_for, counts, post_form, tokens

DUE = re.compile(r'id="due-date">([^<]+)<')


def _receipt(app, session, channel: str) -> tuple[object, str]:
    client = client_for(app)
    data = GENERAL if channel == "general" else CORRUPTION
    assert post_form(client, f"/{channel}/new", {**data, "category": category_id(session, channel)}).status_code == 303
    return client, client.get("/receipt").get_data(as_text=True)


def test_the_corruption_form_says_what_the_site_cannot_hide(app):
    client = app.test_client()
    thai = client.get("/corruption/new").get_data(as_text=True).replace("\u00a0", " ")
    # An insider on the office Wi-Fi is on the office network, whatever phone they hold.
    assert "ให้ใช้โทรศัพท์ของท่านเองผ่านอินเทอร์เน็ตมือถือ" in thai and "อย่าแจ้งผ่าน Wi-Fi ของหน่วยงาน (รวมถึง Wi-Fi ฟรีที่สำนักงาน)" in thai
    # The browser's history keeps the visit; the site cannot stop that.
    assert "ประวัติการใช้งานของเบราว์เซอร์บันทึกว่าเคยเปิดหน้านี้" in thai
    # An inquiry tells the accused the allegations; a detail only the reporter knew names them.
    assert "รายละเอียดหรือเอกสารที่รู้กันอยู่ไม่กี่คนอาจทำให้เดาได้ว่าใครเป็นผู้แจ้ง" in thai
    # Contact details given go where the result is sent: a work phone or mailbox is read by others.
    assert "หากจะให้ช่องทางติดต่อ ควรใช้เบอร์โทรศัพท์หรืออีเมลส่วนตัว ไม่ใช่ของที่ทำงาน" in thai
    # The office's own legal officer serves under the mayor a report may name.
    assert "ท่านแจ้งสำนักงาน ป.ป.ช. โดยตรงได้เช่นกัน" in thai
    # What an outside agency gets is the report; the reporter's name does not go with it.
    assert "หน่วยงานนั้นจะได้รับเนื้อเรื่องที่แจ้ง ส่วนชื่อและช่องทางติดต่อของท่านจะไม่ถูกเปิดเผยหรือส่งไปด้วย" in thai
    client.get("/lang/en")
    english = client.get("/corruption/new").get_data(as_text=True)
    for said in ("use your own phone on mobile data", "s history records that you opened this page",
                 "a detail or a document that few people know could let them guess who made the report",
                 "use your own phone number or email, not ones from work", "You may also report directly to the NACC",
                 "your name and contact are not disclosed or sent with it"):
        assert said in english, said
    general = app.test_client().get("/general/new").get_data(as_text=True)
    assert "ประวัติการใช้งานของเบราว์เซอร์" not in general  # a named complaint hides no one


@pytest.mark.parametrize("channel", ["general", "corruption"])
def test_a_reporters_receipt_says_when_to_come_back_and_not_to_print_it_at_work(app, session, channel):
    client, html = _receipt(app, session, channel)
    due = DUE.search(html).group(1)
    come_back = re.search(r'<p id="come-back">([^<]+)</p>', html)
    caution = '<p class="no-print" id="print-caution">ภาพหน้าจออาจถูกสำรองขึ้นคลาวด์โดยอัตโนมัติ'
    # A phone reloads a page left for another app, and the code is shown once: keep it first.
    assert "ก่อนออกจากหน้านี้หรือสลับไปใช้แอปอื่น" in html
    # On the screen only: on paper there is no page to leave (the browser journey prints it).
    assert re.search(r'<span class="no-print">[^<]*ก่อนออกจากหน้านี้หรือสลับไปใช้แอปอื่น\s*'
                     r'อย่ากดรีเฟรชหรือปิดหน้านี้ก่อนจดรหัส</span>', html)
    if channel == "general":  # the office writes to a named complainant
        assert come_back is None and caution not in html and "ถ่ายภาพหน้าจอ" in html
        return
    # A reporter is told paper, not a screenshot: a phone's photos are backed up and seen by others.
    assert "โปรดจดรหัสลงกระดาษแล้วเก็บไว้ในที่ปลอดภัย" in html and "หรือถ่ายภาพหน้าจอ" not in html
    # With no contact given, the tracking page is the only place a question or a notice reaches.
    assert come_back and f"อย่างช้าไม่เกินวันที่ {due} " in come_back.group(1) and "หากท่านไม่ตอบ" in come_back.group(1)
    assert caution in html


def test_the_tracking_page_does_not_claim_to_stay_out_of_the_browsers_history(app, session):
    client, html = _receipt(app, session, "corruption")
    code = CODE.search(html).group(1)
    token = CSRF.search(client.get("/track").get_data(as_text=True)).group(1)
    page = client.post("/track", data={"csrf_token": token, "code": code}).get_data(as_text=True)
    assert 'id="state"' in page
    assert "ไม่ถูกเก็บไว้ในประวัติการใช้งาน" not in page
    assert "ประวัติของเบราว์เซอร์ยังบันทึกว่าเคยเปิดหน้าติดตามเรื่อง" in page
    assert "ผู้อื่นอาจกดย้อนกลับแล้วเปิดดูได้อีก" in page and "ให้ใช้หน้าต่างส่วนตัว (ไม่ระบุตัวตน)" in page


def test_whoever_holds_a_code_is_said_to_read_the_answers_and_answer_too(app):
    page = app.test_client().get("/track").get_data(as_text=True)
    assert "ผู้ที่มีรหัสจะเห็นสถานะ หนังสือแจ้ง และคำตอบที่ท่านเคยส่ง ทั้งยังตอบคำถามของเจ้าหน้าที่แทนท่านได้" in page
    assert "ตัวอักษรภาษาอังกฤษและตัวเลข 16 ตัว" in page  # a Thai keyboard types Thai letters


def test_a_lost_code_still_leaves_a_reporter_who_gave_contact_details_informed(app, session):
    # Corruption reporters may give contact details too: only those who gave none lose the case.
    track = app.test_client().get("/track").get_data(as_text=True)
    assert "ผู้ที่ให้ช่องทางติดต่อไว้จะได้รับหนังสือแจ้งทางช่องทางนั้น" in track
    client, _ = _receipt(app, session, "corruption")
    gone = client.get("/receipt").get_data(as_text=True)  # shown once: the reload finds it gone
    assert "ใบรับเรื่องนี้แสดงไปแล้ว" in gone
    assert "ผู้แจ้งที่ไม่ได้ให้ช่องทางติดต่อและไม่ได้จดรหัสไว้จะติดตามเรื่องเดิมไม่ได้" in gone
    assert "ผู้แจ้งเรื่องการทุจริตที่ไม่ได้จดรหัสไว้" not in gone


def test_the_receipt_page_opened_without_a_filing_claims_nothing_was_received(app):
    # From history or a bookmark, by someone who never finished sending: "what you sent has been
    # received" would tell them a report exists that does not. It says so of a receipt seen.
    gone = app.test_client().get("/receipt")
    html = gone.get_data(as_text=True)
    assert gone.status_code == 410
    assert "หากท่านกดส่งแล้วและเห็นใบรับเรื่องพร้อมรหัสติดตามเรื่อง เรื่องของท่านได้รับไว้แล้ว" in html
    assert 'href="/track"' in html


def test_a_browser_that_blocks_cookies_is_told_to_allow_them_and_nothing_is_filed(app, session):
    page = app.test_client().get("/corruption/new").get_data(as_text=True)
    data = {**CORRUPTION, "category": category_id(session, "corruption"), **tokens(page)}
    before = counts(session)
    cookieless = app.test_client(use_cookies=False)
    refused = cookieless.open("/corruption/new", method="POST", data=data)
    # By a redirect, so no history entry keeps the report in a POST body; with no session to mark,
    # the address says why.
    assert refused.status_code == 303 and refused.location == "/corruption/new?cookies=off#error-summary"
    assert "Set-Cookie" not in refused.headers
    shown = cookieless.get("/corruption/new?cookies=off")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 400 and 'id="error-summary"' in html
    assert "ส่งไม่สำเร็จ เพราะเบราว์เซอร์ไม่ได้ส่งคุกกี้ของเว็บไซต์นี้มาด้วย" in html
    assert "ให้อนุญาตคุกกี้ของเว็บไซต์นี้ก่อน" in html and "ไม่ได้ใช้ระบุหรือเก็บข้อมูลว่าท่านเป็นใคร" in html
    assert CORRUPTION["description"] not in html  # not another site's words
    assert counts(session) == before
    # In English too, marked so: without the cookie no language can be chosen.
    assert '<span lang="en">Not sent: your browser did not send this site&#39;s cookie' in html
    assert "allow them for this site first" in html
    # The address alone says nothing to a browser that sends its cookie: a link cannot make it.
    client = app.test_client()
    client.get("/general/new")
    plain = client.get("/corruption/new?cookies=off")
    assert plain.status_code == 200 and "คุกกี้ของเว็บไซต์นี้มาด้วย" not in plain.get_data(as_text=True)
    # With the cookie but a token from another session, the form did not come from here.
    forged = client.post("/corruption/new", data=data).get_data(as_text=True)
    assert "เรื่องยังไม่ได้ส่ง" in forged and "ไม่ใช่ของเว็บไซต์นี้" in forged and "คุกกี้" not in forged
    assert CORRUPTION["description"] not in forged


def test_leaving_out_a_name_or_a_contact_says_where_it_is_left_out_what_that_means(app):
    # The rule is explained above the form; a reporter deciding to leave the fields blank is two
    # phone screens further down, and is told again there, with a link back to the reasons.
    client = app.test_client()
    html = client.get("/corruption/new").get_data(as_text=True)
    identity = html[html.index("ข้อมูลผู้แจ้ง (ไม่บังคับ)"):html.index('name="name"')]
    assert "ถ้าขาดชื่อหรือช่องทางติดต่ออย่างใดอย่างหนึ่ง เรื่องที่แจ้งจะถือเป็นบัตรสนเท่ห์" in identity
    assert '<a href="#why-h">' in identity and 'id="why-h"' in html
    client.get("/lang/en")
    english = client.get("/corruption/new").get_data(as_text=True)
    assert "If you leave out your name or a way to reach you (either one), the report counts as an anonymous letter" in english
