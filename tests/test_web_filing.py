"""Filing through the Flask client on both channels: right channel and keys, one-time receipt."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from complaints import codes, thaidate
from complaints.models import Case, OfficeHolder, Unit
from complaints.web.context import get_store
from complaints.workflow import states
from complaints.workflow.guidelines import state_flow
from complaints.workflow.phones import dial_number
from tests.web_helpers import CORRUPTION, GENERAL, category_id, client_for, post_form

CODE = re.compile(r'id="tracking-code">([0-9A-Z-]{19})<')


@pytest.mark.parametrize("path,data,channel", [
    ("/general/new", GENERAL, "general"),
    ("/corruption/new", CORRUPTION, "corruption"),
])
def test_filing_lands_in_its_channel_and_the_receipt_code_finds_it(app, store, session, path, data, channel):
    client = client_for(app)
    response = post_form(client, path, {**data, "category": category_id(session, channel)})
    assert response.status_code == 303 and response.headers["Location"].endswith("/receipt")
    assert "tracking" not in response.headers["Location"]
    receipt = client.get("/receipt")
    html = receipt.get_data(as_text=True)
    assert receipt.status_code == 200 and receipt.headers["Cache-Control"] == "no-store"
    code = CODE.search(html).group(1)
    case = codes.find_case(session, store.vault.keyring.index_key, code)
    assert case is not None and case.channel == channel and case.source == "web"
    assert case.story_kek_id == store.vault.keyring.current(channel, "story")[0]
    assert store.vault.story(case)["description"] == data["description"]  # Thai digits kept as typed
    # The receipt's due date is the case's, and its channel is the one filed on.
    due = re.search(r'id="due-date">([^<]+)<', html).group(1)
    assert due == thaidate.format_date(case.first_notice_due)
    # The received date is the case's too: with its time for a complaint, the day alone for a report.
    received = re.search(r'id="received-date">([^<]+)<', html).group(1)
    shown_as = thaidate.format_datetime if channel == "general" else thaidate.format_date
    assert received == shown_as(case.received_at)
    label = "แจ้งเรื่องการทุจริตและประพฤติมิชอบ" if channel == "corruption" else "ร้องเรียน/ร้องทุกข์ทั่วไป"
    shown = re.search(r"<dt>ช่องทาง</dt>\s*<dd>(.*?)</dd>", html).group(1)
    assert re.sub(r"<[^>]+>", "", shown) == label  # ประพฤติมิชอบ kept on one line by a span
    # Honest about the first notice: a reporter who left no contact can read it only on the
    # tracking page.
    assert ("หนังสือแจ้งจะอ่านได้ทางหน้าติดตามเรื่องเท่านั้น" in html) == (channel == "corruption")
    session.rollback()  # end the test's read: SQLite serializes transactions
    # Received date in Buddhist Era and the 15-day due date are on the receipt.
    assert re.search(r"25[6-9][0-9]", html)
    assert "ภายในวันที่" in html
    # No language switch: it reloads the page, and the code, shown once, would be gone.
    assert "/lang/" not in html and "/lang/" in client.get("/").get_data(as_text=True)
    # A reload shows no code.
    again = client.get("/receipt")
    assert again.status_code == 410 and code not in again.get_data(as_text=True)
    # 410 is cacheable by default: a browser must not answer the next filing's receipt with it.
    assert again.headers["Cache-Control"] == "no-store"
    assert not CODE.search(again.get_data(as_text=True))
    # It says the report was received, and never sends a reporter to the office with the date
    # they filed: for a corruption report that would give them away.
    gone = again.get_data(as_text=True)
    assert "ไม่ต้องส่งซ้ำ" in gone and "ติดต่อหน่วยงาน" not in gone and "วันที่ยื่น" not in gone


def test_a_page_loading_in_another_tab_cannot_drop_the_receipt(app, session):
    # Any response that touches the session rewrites its cookie whole. A form opened in another
    # tab, sent with the cookie from before the filing and answered between the filing's redirect
    # and the receipt page, puts back a session without the receipt; the code would be lost.
    client = client_for(app)
    client.get("/general/new")
    before_filing = client.get_cookie("session").value
    filed = post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general")})
    assert filed.status_code == 303
    client.set_cookie("session", before_filing)  # the other tab's request left with this cookie
    other_tab = client.get("/corruption/new")
    assert other_tab.status_code == 200 and any(c.startswith("session=") for c in other_tab.headers.getlist("Set-Cookie"))
    receipt = client.get("/receipt")
    assert receipt.status_code == 200 and CODE.search(receipt.get_data(as_text=True))


def test_the_receipt_cookie_goes_to_the_receipt_page_only_and_is_dropped_there(app, session):
    client = client_for(app)
    filed = post_form(client, "/corruption/new", {**CORRUPTION, "category": category_id(session, "corruption")})
    cookie = next(c for c in filed.headers.getlist("Set-Cookie") if c.startswith("receipt="))
    for attribute in ("; HttpOnly", "; Path=/receipt", "; SameSite=Strict", "; Max-Age=1800"):
        assert attribute in cookie
    assert "Domain=" not in cookie and "Secure" not in cookie  # plain HTTP in development
    shown = client.get("/receipt")
    dropped = next(c for c in shown.headers.getlist("Set-Cookie") if c.startswith("receipt="))
    assert dropped.startswith("receipt=;") and "Max-Age=0" in dropped and "; Path=/receipt" in dropped
    assert client.get_cookie("receipt", path="/receipt") is None


@pytest.mark.parametrize("failing", ["current_org", "render_template"])
def test_a_receipt_page_that_fails_keeps_the_receipt_for_a_reload(app, session, monkeypatch, failing):
    # The code is in nothing else: a failed page that dropped it, saying "nothing was filed",
    # left a filed report with no way back to it and its reporter told to send it again.
    from sqlalchemy.exc import OperationalError

    from complaints.web import receipt_pages

    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = client_for(app)
    assert post_form(client, "/corruption/new", {**CORRUPTION, "category": category_id(session, "corruption")}
                     ).status_code == 303

    def fail(*_args, **_kwargs):
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    with monkeypatch.context() as broken:
        broken.setattr(receipt_pages, failing, fail)
        failed = client.get("/receipt")
    html = failed.get_data(as_text=True)
    assert failed.status_code == 500 and "ใบรับเรื่องยังเก็บไว้ กรุณาโหลดหน้านี้ใหม่ภายใน 30 นาที" in html
    assert "เรื่องยังไม่ได้บันทึก" not in html and not CODE.search(html)
    assert not any(c.startswith("receipt=") for c in failed.headers.getlist("Set-Cookie"))
    reloaded = client.get("/receipt")
    assert reloaded.status_code == 200 and CODE.search(reloaded.get_data(as_text=True))


def test_a_receipt_page_that_fails_with_no_receipt_waiting_claims_none(app, monkeypatch):
    from complaints.web import receipt_pages

    app.config["PROPAGATE_EXCEPTIONS"] = False
    monkeypatch.setattr(receipt_pages, "current_org", lambda: 1 / 0)
    html = app.test_client().get("/receipt").get_data(as_text=True)
    assert "ใบรับเรื่องยังเก็บไว้" not in html


def test_general_filing_keeps_identity_under_the_identity_key(app, store, session):
    client = client_for(app)
    post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general")})
    case = session.scalars(select(Case)).one()
    assert case.identity_kek_id == store.vault.keyring.current("general", "identity")[0]
    assert store.vault.identity(case)["name"] == GENERAL["name"]
    assert store.vault.story(case)["village_no"] == "2"  # Thai digit normalized


def test_a_general_complaint_names_who_it_is_about_and_its_evidence_sealed_in_the_story(app, store, session):
    # The regulation's wording asks for the person or unit complained about and the evidence (R3).
    client = client_for(app)
    page = client.get("/general/new").get_data(as_text=True)
    assert 'name="accused"' in page and 'name="evidence"' in page
    extra = {"accused": "กองช่าง", "evidence": "ภาพถ่ายและพยาน นายสมบัติ"}
    post_form(client, "/general/new", {**GENERAL, **extra, "category": category_id(session, "general")})
    case = session.scalars(select(Case)).one()
    story = store.vault.story(case)
    assert (story["accused"], story["evidence"]) == (extra["accused"], extra["evidence"])
    assert "กองช่าง".encode() not in case.story_ct


def test_anonymous_corruption_report_has_no_identity_and_names_executive_is_flagged(app, store, session):
    client = client_for(app)
    post_form(client, "/corruption/new", {**CORRUPTION, "category": category_id(session, "corruption"),
                                          "names_executive": "y"})
    case = session.scalars(select(Case)).one()
    assert case.anonymous and case.identity_ct is None and case.names_executive
    assert case.case_number.startswith("ทจ ")


def test_a_report_naming_an_office_holder_without_title_or_tick_is_flagged(app, session, org):
    # The names come from the organization's snapshot (web/orgcache), read again when settings change.
    data = {**CORRUPTION, "category": category_id(session, "corruption"), "accused": "สมปอง ตัวอย่างดี"}
    assert post_form(client_for(app), "/corruption/new", data).status_code == 303
    newcomer = {**data, "accused": "เจ้าหน้าที่กองคลัง", "description": "นางเพ็ญศรี มาใหม่ สั่งให้เรียกรับเงิน"}
    assert post_form(client_for(app), "/corruption/new", newcomer).status_code == 303
    session.add(OfficeHolder(org_id=org.id, name_th="นางเพ็ญศรี มาใหม่", position_th="สมาชิกสภาเทศบาล เขต 2"))
    session.commit()
    get_store(app).orgs.invalidate()
    assert post_form(client_for(app), "/corruption/new", newcomer).status_code == 303
    cases = sorted(session.scalars(select(Case)), key=lambda case: case.case_number)  # in filing order
    assert [case.names_executive for case in cases] == [True, False, True]


def test_corruption_identity_given_is_stored_under_the_corruption_identity_key(app, store, session):
    client = client_for(app)
    post_form(client, "/corruption/new", {**CORRUPTION, "category": category_id(session, "corruption"),
                                          "name": "ผู้แจ้ง ภายใน", "phone": "๐๘๑-๒๓๔-๕๖๗๘"})
    case = session.scalars(select(Case)).one()
    assert not case.anonymous
    assert case.identity_kek_id == store.vault.keyring.current("corruption", "identity")[0]
    assert store.vault.identity(case) == {"name": "ผู้แจ้ง ภายใน", "phone": "081-234-5678"}


def test_pages_are_thai_and_switch_to_english(app):
    client = app.test_client()
    for path in ("/", "/general/new", "/corruption/new", "/guide/general", "/guide/corruption"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert '<html lang="th">' in page.get_data(as_text=True)
    switch = client.get("/lang/en?next=/guide/general")
    assert switch.status_code == 302 and switch.headers["Location"].endswith("/guide/general")
    english = client.get("/guide/general").get_data(as_text=True)
    assert '<html lang="en">' in english and "Within 15 days of receipt" in english
    assert client.get("/lang/th?next=https://evil.example/").headers["Location"] == "/"
    # A line break in the target went through urlsplit's checks and made the redirect a 500.
    for target in ("/guide%0d%0aX-Injected:%201", "/\t/evil.example", "/%7F"):
        response = client.get(f"/lang/th?next={target}")
        assert response.status_code == 302 and response.headers["Location"] == "/", target


def _count_10_then_20_working_days(session, org) -> None:
    # Not the default 15 calendar days: a figure written into a template instead of read from
    # the organization shows up.
    org.notice_days, org.progress_days, org.working_days = 10, 20, True
    session.add(org)
    session.commit()


def test_guides_show_the_deadline_settings_the_engine_uses(app, session, org):
    _count_10_then_20_working_days(session, org)
    html = app.test_client().get("/guide/corruption").get_data(as_text=True)
    assert "ภายใน 10 วันทำการ" in html and "ทุก 20 วันทำการ" in html
    # What counts as the first notice is what the deadline engine counts: a question or a
    # progress note stops the clock as well as a decision does.
    assert "ไม่รับไว้พิจารณา</span>พร้อมเหตุผล ขอข้อมูลเพิ่มเติม หรือแจ้งความคืบหน้าหรือผล" in html
    assert "งานนิติการ" in html  # the unit that handles corruption cases
    general = app.test_client().get("/guide/general").get_data(as_text=True)
    assert "สำนักปลัดเทศบาล" in general and "งานนิติการ" not in general
    # The office's own divisions are its ส่วนราชการ: หน่วยงาน is the organization itself (or another
    # agency), so "the หน่วยงาน will notify you" and "the responsible หน่วยงาน" cannot be confused.
    assert "<h2>ส่วนราชการที่รับผิดชอบ</h2>" in general and "ส่งเรื่องให้ส่วนราชการ (สำนักหรือกอง) ที่รับผิดชอบ" in general
    assert "หน่วยงานที่รับผิดชอบ" not in general + html


def test_an_english_guide_gives_a_phone_extension_as_ext(app, session, org):
    # Staff write "ต่อ 101" for an extension; an English reader would not know to dial it.
    org.phone = "0 4500 0000 ต่อ 12"
    session.add(org)
    session.commit()
    get_store(app).orgs.invalidate()
    client = app.test_client()
    thai = client.get("/guide/general").get_data(as_text=True)
    client.get("/lang/en")
    english = client.get("/guide/general").get_data(as_text=True)
    # The words as read: a number's groups (kept together) as spaces, and with the tel: links left out.
    thai, english = (re.sub("<[^>]+>", "", page).replace("\u00a0", " ") for page in (thai, english))
    assert "0 0000 0000 ต่อ 101" in thai and "ทางโทรศัพท์ 0 4500 0000 ต่อ 12" in thai
    # The demo office's unit, the office's own line among the ways to complain, and the privacy notice.
    assert "phone 0 0000 0000 ext. 101" in english
    assert "By phone on 0 4500 0000 ext. 12" in english
    assert "Tuayang Subdistrict Municipality, phone 0 4500 0000 ext. 12" in english
    # The data protection officer's contact is free text: its phone label and extension read in English too.
    assert "Data protection officer: dpo@tuayang.example phone 0 0000 0000 ext. 12" in english
    assert "ต่อ" not in english and "โทร" not in english


@pytest.mark.parametrize("channel", ["general", "corruption"])
def test_both_guides_in_both_languages_give_the_configured_time_frames(app, session, org, channel):
    _count_10_then_20_working_days(session, org)
    client = app.test_client()
    thai = client.get(f"/guide/{channel}").get_data(as_text=True)
    client.get("/lang/en")
    english = client.get(f"/guide/{channel}").get_data(as_text=True)
    assert re.search(r'id="notice-days">[^<]*: 10 วันทำการ<', thai)
    assert re.search(r'id="progress-days">[^<]* 20 วันทำการ<', thai)
    assert "ภายใน 10 วันทำการ" in thai and "แจ้งความคืบหน้าทุก 20 วันทำการ" in thai
    assert re.search(r'id="notice-days">[^<]*: 10 working days<', english)
    assert re.search(r'id="progress-days">[^<]* 20 working days<', english)
    assert "Within 10 working days" in english and "a progress notice every 20 working days" in english


def test_mixed_thai_and_ascii_digits_are_accepted_where_numbers_are_expected(app, store, session):
    client = client_for(app)
    response = post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general"),
                                                   "phone": "๐๘1-2๓4-5๖78", "village_no": "1๒"})
    assert response.status_code == 303
    case = session.scalars(select(Case)).one()
    assert store.vault.identity(case)["phone"] == "081-234-5678"
    assert store.vault.story(case)["village_no"] == "12"


@pytest.mark.parametrize("phone, village", [("โทร ๐๘๑ ๒๓๔ ๕๖๗๘", "หมู่ 5"), ("โทร.081-234-5678", "ม.5"),
                                            ("Tel: 081 234 5678", "หมู่ที่ ๕"), ("มือถือ 0812345678", "Moo 5")])
def test_the_word_typed_before_a_phone_or_village_number_is_dropped_not_refused(
        app, store, session, phone, village):
    client = client_for(app)
    response = post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general"),
                                                   "phone": phone, "village_no": village})
    assert response.status_code == 303, response.get_data(as_text=True)
    case = session.scalars(select(Case)).one()
    assert store.vault.identity(case)["phone"].replace("-", " ").replace(" ", "") == "0812345678"
    assert store.vault.story(case)["village_no"] == "5"


@pytest.mark.parametrize("channel", ["general", "corruption"])
def test_invisible_characters_pasted_with_a_phone_or_email_are_dropped_not_refused(app, store, session, channel):
    # A number copied from a phone's contacts comes wrapped in direction marks; a zero-width
    # space or joiner rides along from chat apps. Nothing about them shows on the form.
    client = client_for(app)
    base = CORRUPTION if channel == "corruption" else GENERAL
    response = post_form(client, f"/{channel}/new", {**base, "category": category_id(session, channel),
                                                    "phone": "\u202a+66 81 234 5678\u202c",
                                                    "email": "som\u200bchai@example.\u200dcom\ufeff"})
    assert response.status_code == 303, response.get_data(as_text=True)
    identity = store.vault.identity(session.scalars(select(Case)).one())
    assert identity["phone"] == "+66 81 234 5678" and identity["email"] == "somchai@example.com"


@pytest.mark.parametrize("field, value", [("village_no", "หมู่บ้าน"), ("village_no", "5 หมู่"),
                                          ("phone", "โทรหาผม"), ("phone", "ติดต่อ 081-234-5678"),
                                          ("phone", "081-234-5678 ต่อ \u0661\u0662")])  # Arabic-Indic digits
def test_a_word_alone_or_after_the_number_is_still_refused(app, session, field, value):
    client = client_for(app)
    before = session.scalar(select(func.count()).select_from(Case))
    response = post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general"),
                                                   field: value})
    assert response.status_code == 400
    assert session.scalar(select(func.count()).select_from(Case)) == before


def test_guide_shows_the_state_flow_of_its_channel_from_the_table(app):
    corruption = app.test_client().get("/guide/corruption").get_data(as_text=True)
    general = app.test_client().get("/guide/general").get_data(as_text=True)
    assert "อยู่ระหว่างดำเนินการทางวินัย" in corruption  # disciplinary is corruption-only
    assert "อยู่ระหว่างดำเนินการทางวินัย" not in general
    # The arrow is drawn, not read: the table's column heads already say "from" and "to".
    arrow_then_closed = '<span aria-hidden="true">→ </span>ปิดเรื่อง'
    assert arrow_then_closed in general and arrow_then_closed in corruption
    # Named as the integrity assessment names the item it looks for (rules.md §2.3).
    assert "<h1>แนวปฏิบัติการจัดการเรื่องร้องเรียนการทุจริตและ" in corruption


def test_a_guide_says_what_each_state_of_its_channel_means(app):
    client = app.test_client()
    general = client.get("/guide/general").get_data(as_text=True)
    corruption = client.get("/guide/corruption").get_data(as_text=True)
    listed = re.compile(r'<dl id="state-meanings">(.*?)</dl>', re.S)
    general_states, corruption_states = listed.search(general).group(1), listed.search(corruption).group(1)
    assert "<dt>ส่งต่อหน่วยงานที่มีอำนาจ</dt><dd>ส่งเรื่องให้หน่วยงานอื่นที่มีอำนาจดำเนินการ" in general_states
    assert "ตรวจสอบข้อเท็จจริงว่าเรื่องที่แจ้งมีมูลหรือไม่" in corruption_states
    assert "ตรวจสอบข้อเท็จจริง" not in general_states and "ส่งให้ส่วนราชการที่รับผิดชอบแก้ไข" not in corruption_states
    assert general_states.count("<dt>") == len(guideline_states("general"))
    client.get("/lang/en")
    english = listed.search(client.get("/guide/corruption").get_data(as_text=True)).group(1)
    assert "<dt>Not accepted</dt><dd>Not taken up; the notice gives the reason.</dd>" in english


def test_every_state_has_a_meaning_in_both_languages():
    # A state added to the table without one would fail the guide and the case page at render.
    assert set(states.MEANINGS) == set(states.STATE_CODES)
    assert all(th and en and th != en for th, en in states.MEANINGS.values())


def guideline_states(channel: str) -> set[str]:
    return {code for pair in state_flow(channel) for code in pair}


def test_a_units_phone_in_a_guide_is_one_tap_to_call(app, session, org):
    unit = session.scalars(select(Unit)).first()
    unit.phone = "โทร ๐ ๔๕๐๐ ๑๒๓๔ ต่อ 7"
    session.commit()
    get_store(app).orgs.invalidate()
    html = app.test_client().get("/guide/general").get_data(as_text=True)
    assert '<a href="tel:045001234">' in html
    assert dial_number("สายด่วน 1206") is None and dial_number("081-234-5678, 02 000 0000") == "0812345678"
    # An office's range of lines dials its first; a landline has 9 digits, a mobile 10.
    assert dial_number("0-4461-1222-3") == "044611222" and dial_number("02-123-4567 8") == "021234567"
    assert dial_number("๐๘๑-๒๓๔-๕๖๗๘") == "0812345678" and dial_number("0 0000 0000") is None


def test_the_offices_phone_and_the_hotlines_in_a_guide_are_one_tap_to_call(app, session, org):
    org.phone, org.dpo_contact = "โทร 0-4461-1222-3 ต่อ 12", "dpo@nongbua.example โทร 081-234-5678"
    session.add(org)
    session.commit()
    get_store(app).orgs.invalidate()
    client = app.test_client()
    general, corruption = (client.get(f"/guide/{c}").get_data(as_text=True) for c in ("general", "corruption"))
    ways = re.search(r'<ul id="ways">(.*?)</ul>', general, re.S).group(1)
    # The number inside the sentence is the link (a range of lines dials its first); the words,
    # the extension included, stay text, and the setting's own "โทร" is not said twice.
    assert 'ทางโทรศัพท์ <a href="tel:044611222">0-4461-1222-3</a> ต่อ 12 (' in ways
    elsewhere = re.search(r'<ul id="elsewhere">(.*?)</ul>', corruption, re.S).group(1)
    assert 'สายด่วน <a href="tel:1205">1205</a>' in elsewhere and '<a href="tel:1206">1206</a>' in elsewhere
    assert '<a href="tel:1567">1567</a>' in general and '<a href="tel:1676">1676</a>' in general
    # The privacy notice names the office as data controller, on the guide and on both forms.
    for page in (general, client.get("/general/new").get_data(as_text=True),
                 client.get("/corruption/new").get_data(as_text=True)):
        notice = re.search(r'id="privacy-notice"(.*?)</ul>', page, re.S).group(1)
        assert 'เทศบาลตำบลตัวอย่าง โทร <a href="tel:044611222">0-4461-1222-3</a> ต่อ 12' in notice
        # The data protection officer's contact is free text: the number alone is the link.
        assert 'dpo@nongbua.example โทร <a href="tel:0812345678">081-234-5678</a>' in notice
    client.get("/lang/en")
    english = client.get("/guide/general").get_data(as_text=True)
    assert 'By phone on <a href="tel:044611222">0-4461-1222-3</a> ext. 12' in english
    assert 'hotline <a href="tel:1567">1567</a>' in english
    assert 'dpo@nongbua.example phone <a href="tel:0812345678">081-234-5678</a>' in english


def test_each_number_in_a_phone_setting_is_linked_where_it_is_and_to_itself(app, session, org):
    # Two numbers: a link around both would dial the first when the second is tapped. An office
    # name that holds the number is not the phone. Whatever the office typed is text, escaped.
    org.name_th, org.phone = "เทศบาลตำบลตัวอย่าง (สายตรง 0 4500 0000)", "0 4500 0000 หรือ <b>08 1234 5678</b>"
    session.add(org)
    session.commit()
    get_store(app).orgs.invalidate()
    guide = app.test_client().get("/guide/general").get_data(as_text=True).replace("\u00a0", " ")
    ways = re.search(r'<ul id="ways">(.*?)</ul>', guide, re.S).group(1)
    assert 'ทางโทรศัพท์ <a href="tel:045000000">0 4500 0000</a> หรือ &lt;b&gt;08 1234 5678&lt;/b&gt;' in ways
    notice = re.search(r'id="privacy-notice"(.*?)</ul>', guide, re.S).group(1)
    assert '(สายตรง 0 4500 0000) โทร <a href="tel:045000000">0 4500 0000</a> หรือ' in notice
    assert "<b>" not in ways + notice


def test_a_phone_with_no_number_to_dial_stays_text(app):
    # The demo organization's placeholder "0 0000 0000" dials nowhere.
    html = app.test_client().get("/guide/general").get_data(as_text=True)
    ways = re.search(r'<ul id="ways">(.*?)</ul>', html, re.S).group(1)
    assert "ทางโทรศัพท์ 0\u00a00000\u00a00000" in ways and "tel:" not in ways
    units = re.search(r'<ul id="units">(.*?)</ul>', html, re.S).group(1)
    assert "0\u00a00000\u00a00000" in units and "tel:" not in units


def test_a_channels_flow_leaves_out_states_its_cases_never_reach():
    # Only "accept", a general-channel action, leads into in_progress; its onward rules are
    # shared, but a corruption case never stands there.
    assert all("in_progress" not in pair for pair in state_flow("corruption"))
    assert ("in_progress", "resolved") in state_flow("general")


def test_a_channels_flow_shows_an_answer_taking_the_case_back_to_where_the_question_was_asked():
    # "answer" has no target in the table: the machine restores the state "ask" left.
    assert {("needs_info", "received"), ("needs_info", "in_progress")} <= set(state_flow("general"))
    assert {("needs_info", "received"), ("needs_info", "fact_finding")} <= set(state_flow("corruption"))
    assert ("needs_info", "fact_finding") not in state_flow("general")


@pytest.mark.parametrize("path", ["/general/new", "/corruption/new"])
def test_form_pages_are_kept_by_no_cache_and_refilled_by_no_browser(app, session, path):
    # A report, or one typed in and sent back with an error, must not come back from the
    # browser's cache or form memory to whoever uses the computer next (the browser journey
    # goes back after filing).
    client = client_for(app)
    for response in (client.get(path), post_form(client, path, {"description": "ทดสอบ"})):  # an error
        assert response.headers["Cache-Control"] == "no-store"
        assert re.search(r'<form method="post"[^>]*autocomplete="off"', response.get_data(as_text=True))


@pytest.mark.parametrize("path,data,channel", [("/general/new", GENERAL, "general"),
                                               ("/corruption/new", CORRUPTION, "corruption")])
def test_the_redirect_after_a_filing_is_kept_by_no_cache(app, session, path, data, channel):
    # Chromium kept the 303 in its disk cache with its Date: the moment a report was sent.
    response = post_form(client_for(app), path, {**data, "category": category_id(session, channel)})
    assert response.status_code == 303 and response.headers["Cache-Control"] == "no-store"
    switch = app.test_client().get("/lang/en?next=/guide/corruption")
    assert switch.status_code == 302 and switch.headers["Cache-Control"] == "no-store"


def test_guides_publish_the_ways_to_complain_who_is_responsible_and_where_else_to_go(app, session, org):
    client = app.test_client()
    general = client.get("/guide/general").get_data(as_text=True)
    corruption = client.get("/guide/corruption").get_data(as_text=True)
    # A phone number's digit groups are kept on one line (no-break spaces); read them as spaces.
    assert f"ทางโทรศัพท์ {org.phone.replace(' ', chr(0xA0))}" in general
    # The words as read: a number's groups as spaces, and with a hotline's tel: link left out.
    general, corruption = (re.sub("<[^>]+>", "", page).replace("\u00a0", " ") for page in (general, corruption))
    # The organization's own channels, from its settings (the demo's made-up address and numbers).
    assert f"ด้วยตนเองที่ {org.address_th}" in general and f"ทางโทรศัพท์ {org.phone}" in general
    assert org.office_hours_th in general and f"ทางไปรษณีย์ถึง {org.po_box_th}" in general
    assert "ลับ – เรื่องร้องเรียนการทุจริต" in corruption and org.address_th not in corruption
    # The responsible officer by position, and the unit's phone.
    assert "ผู้รับผิดชอบ: นิติกร · โทร 0 0000 0000 ต่อ 105" in corruption
    # Outside agencies: NACC takes reports on the chief executive and council members.
    assert "สำนักงาน ป.ป.ช. สายด่วน 1205" in corruption and "1205" not in general
    assert "ศูนย์ดำรงธรรม สายด่วน 1567" in general


def test_each_guide_lists_its_own_channels_categories_with_what_people_file_under_them(app):
    client = app.test_client()
    general, corruption = (client.get(f"/guide/{c}").get_data(as_text=True) for c in ("general", "corruption"))
    listed = re.compile(r'<dl id="categories">(.*?)</dl>', re.S)
    general, corruption = listed.search(general).group(1), listed.search(corruption).group(1)
    assert "<dt>ด้านโครงสร้างพื้นฐาน</dt><dd>ถนน ทางเท้า สะพาน" in general
    assert "<dt>เรื่องอื่น ๆ</dt>" in general  # no examples: the name alone
    assert "<dt>การเรียกรับสินบน</dt><dd>เรียกเงินเพื่อออกใบอนุญาต" in corruption
    assert "การเรียกรับสินบน" not in general and "ด้านโครงสร้างพื้นฐาน" not in corruption
    client.get("/lang/en")
    english = listed.search(client.get("/guide/general").get_data(as_text=True)).group(1)
    assert "<dt>Infrastructure</dt><dd>roads, footpaths, bridges" in english


def test_thai_an_english_page_quotes_is_marked_thai(app, session, org):
    # The office's address and its PO box are written in Thai only; marked, a screen reader reads
    # them with a Thai voice instead of spelling them (WCAG 3.1.2).
    client = app.test_client()
    client.get("/lang/en")
    guide = client.get("/guide/general").get_data(as_text=True)
    address = org.address_th.rsplit(" ", 1)[0]  # up to the province; the postcode is no Thai
    assert f'In person at <span lang="th">{address}</span>' in guide.replace("\u00a0", " ")
    corruption = client.get("/guide/corruption").get_data(as_text=True)
    assert 'A letter to <span lang="th">ตู้ ปณ. 100 ที่ทำการไปรษณีย์ตัวอย่าง</span> 00000' in corruption
    assert "0\u00a00000\u00a00000 ext. 105" in corruption  # a unit's extension, as an English reader dials it
    # A Thai page marks nothing: Thai is its language.
    client.get("/lang/th")
    assert 'lang="th"' not in client.get("/guide/general").get_data(as_text=True).split("<body", 1)[1]


def test_a_guide_lists_only_the_channels_an_organization_has_set_up(app, session, org):
    org.address_th = org.phone = org.po_box_th = org.office_hours_th = org.office_hours_en = None
    session.add(org)
    session.commit()
    get_store(app).orgs.invalidate()
    ways = re.search(r'<ul id="ways">(.*?)</ul>', app.test_client().get("/guide/general").get_data(as_text=True), re.S)
    assert ways.group(1).count("<li>") == 1 and "ทางเว็บไซต์นี้" in ways.group(1)


IDENTITY_FIELDS = ("name", "phone", "email", "address")


@pytest.mark.parametrize("path, data, channel, kind", [
    ("/general/new", {**GENERAL, "community": "ชุมชนหนองบัว", "accused": "กองช่าง", "evidence": "ภาพถ่าย"},
     "general", "grievance"),
    ("/corruption/new", {**CORRUPTION, "witnesses": "นางสมศรี", "name": "ผู้แจ้ง ภายใน", "phone": "0812345678",
                         "email": "insider@example.org"}, "corruption", "tip"),
])
def test_every_field_typed_is_filed_under_its_own_key_and_nothing_else_rides_along(
        app, store, session, path, data, channel, kind):
    # What was typed reaches the case whole: the story under the story key, who filed under the
    # identity key only, the kind and category as chosen; and nothing of the request (referrer,
    # user agent) is stored even sealed, nor does the browser get the code in a cookie.
    client = client_for(app)
    category = category_id(session, channel)
    response = post_form(client, path, {**data, "kind": kind, "category": category})
    assert response.status_code == 303
    cookies = response.headers.getlist("Set-Cookie")
    assert sorted(c.split("=")[0] for c in cookies) == ["receipt", "session"]  # no other cookie
    sealed_receipt = client.get_cookie("receipt", path="/receipt").value
    case = session.scalars(select(Case)).one()
    assert (case.kind, case.category_id) == (kind, category)
    story, identity = store.vault.story(case), store.vault.identity(case)
    typed = {k: v for k, v in data.items() if v and k not in ("kind", "declaration")}
    assert identity == {k: v for k, v in typed.items() if k in IDENTITY_FIELDS}
    expected_story = {k: v for k, v in typed.items() if k not in IDENTITY_FIELDS}
    expected_story.pop("village_no", None)  # normalized: checked in the next test
    assert {k: v for k, v in story.items() if k != "village_no"} == expected_story
    sealed = repr((story, identity)) + repr([store.vault.open_text(case, "attachment-name", a.id, a.name_ct)
                                              for a in case.attachments])
    assert "intranet.example" not in sealed and "CanaryBrowser" not in sealed
    code = CODE.search(client.get("/receipt").get_data(as_text=True)).group(1)
    # The session cookie is signed, not encrypted: the code may be there only sealed.
    cookie = app.session_interface.get_signing_serializer(app).loads(client.get_cookie("session").value)
    assert code not in repr(cookie) and code.replace("-", "") not in repr(cookie)
    assert code not in sealed_receipt and code.replace("-", "") not in sealed_receipt
    assert code.replace("-", "").encode().hex() not in sealed_receipt  # the receipt cookie is AES-GCM
