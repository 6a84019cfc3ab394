"""What the public pages say comes from the settings that apply, promises nothing that is not
there yet, and reads right on a phone and in either language."""
from __future__ import annotations

import re

import pytest

from complaints.web.context import get_store
from tests.web_helpers import CORRUPTION, GENERAL, category_id, client_for, post_form, tokens


def test_time_frame_and_file_limits_on_home_and_forms_follow_the_settings(app, session, org):
    org.notice_days, org.working_days = 10, True
    session.add(org)
    session.commit()
    get_store(app).orgs.invalidate()
    app.config.update(MAX_ATTACHMENTS=3, MAX_ATTACHMENT_BYTES=2 * 1024 * 1024)
    client = app.test_client()
    home, general = client.get("/").get_data(as_text=True), client.get("/general/new").get_data(as_text=True)
    corruption = client.get("/corruption/new").get_data(as_text=True)
    assert "ภายใน 10 วันทำการ" in home and "ภายใน 10 วันทำการ" in general
    assert "15 วัน" not in home + general
    assert "ไม่เกิน 3 ไฟล์ ไฟล์ละไม่เกิน 2 MB" in general and "ไม่เกิน 3 ไฟล์ ไฟล์ละไม่เกิน 2 MB" in corruption
    client.get("/lang/en")
    assert "within 10 working days" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("path, data, channel", [("/general/new", GENERAL, "general"),
                                                 ("/corruption/new", CORRUPTION, "corruption")])
def test_the_receipt_says_where_to_follow_the_case(app, session, path, data, channel):
    client = client_for(app)
    assert post_form(client, path, {**data, "category": category_id(session, channel)}).status_code == 303
    html = client.get("/receipt").get_data(as_text=True)
    # The address is written out too: a printed receipt has no link to click.
    assert 'href="/track"' in html and "http://localhost/track" in html
    # A named complainant is not told they filed without revealing who they are.
    assert ("โดยไม่ต้องเปิดเผยตัวตน" in html) is (channel == "corruption")
    assert "ยังไม่เปิดให้บริการ" not in html + client.get("/").get_data(as_text=True)


def test_no_category_is_chosen_for_the_citizen(app, session):
    client = client_for(app)
    page = client.get("/general/new").get_data(as_text=True)
    assert '<option selected value="">— เลือก —</option>' in page or '<option value="">— เลือก —</option>' in page
    response = client.post("/general/new", data={**GENERAL, "category": "", **tokens(page)})
    # A list is chosen from: the message says choose, not "fill in".
    assert response.status_code == 400 and "กรุณาเลือกหมวดเรื่อง" in response.get_data(as_text=True)


def test_misconduct_is_never_split_across_lines_in_headings(app):
    html = app.test_client().get("/corruption/new").get_data(as_text=True)
    assert '<span class="nowrap">ประพฤติมิชอบ</span>ของเจ้าหน้าที่</h1>' in html


def test_a_form_opened_before_a_dozen_others_can_still_be_sent(app, session):
    # Tabs, re-shown forms and language switches each issue a one-time token; the first form's
    # token must not be pushed out of the cookie, or its first sending is refused as "already sent".
    client = client_for(app)
    first = tokens(client.get("/corruption/new").get_data(as_text=True))
    for _ in range(12):
        client.get("/general/new")
    data = {**CORRUPTION, "category": category_id(session, "corruption"), **first}
    assert client.post("/corruption/new", data=data).status_code == 303


def test_the_english_error_summary_is_english_once(app, session):
    client = client_for(app)
    client.get("/lang/en")
    html = post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general"),
                                              "description": ""}).get_data(as_text=True)
    assert '<h2 id="error-summary" tabindex="-1">Not sent yet: please correct 1 item</h2>' in html
    assert "ยังไม่ได้ส่งเรื่อง" not in html


def test_errors_are_tied_to_their_fields_and_listed_as_links(app, session):
    client = client_for(app)
    data = {**CORRUPTION, "category": category_id(session, "corruption"), "description": "", "phone": "12"}
    html = post_form(client, "/corruption/new", data).get_data(as_text=True)
    # A field with a hint keeps it, and its errors are read out with it too.
    assert 'aria-describedby="description-hint description-errors"' in html and 'aria-invalid="true"' in html
    assert '<a href="#description">' in html and '<a href="#phone">' in html
    # A radio group's error links to its first choice (the group has no element of its own id).
    html = post_form(client, "/corruption/new", {**data, "kind": "grievance"}).get_data(as_text=True)
    assert '<a href="#kind-0">' in html and 'id="kind-0"' in html

    general = {**GENERAL, "category": category_id(session, "general"), "declaration": ""}
    html = post_form(client, "/general/new", general).get_data(as_text=True)
    assert 'aria-describedby="declaration-errors"' in html


def test_the_error_summary_is_a_heading_that_counts_what_to_correct(app, session):
    client = client_for(app)
    data = {**CORRUPTION, "category": category_id(session, "corruption"), "description": "", "phone": "12"}
    html = post_form(client, "/corruption/new", data).get_data(as_text=True)
    # The refusal's redirect ends in #error-summary (web.drafts): the heading is where the page opens.
    assert '<h2 id="error-summary" tabindex="-1">ยังไม่ได้ส่งเรื่อง กรุณาแก้ไข 2 รายการ</h2>' in html
    # A named complaint with no way to reach its complainant counts that as one more item.
    client.get("/lang/en")
    general = {**GENERAL, "category": category_id(session, "general"), "description": "", "phone": "", "email": "",
               "address": ""}
    html = post_form(client, "/general/new", general).get_data(as_text=True)
    assert '<h2 id="error-summary" tabindex="-1">Not sent yet: please correct 2 items</h2>' in html


def test_the_menu_marks_the_page_it_is_on(app):
    client = app.test_client()
    for path in ("/general/new", "/corruption/new", "/track", "/guide/general"):
        html = client.get(path).get_data(as_text=True)
        assert html.count('aria-current="page"') == 1 and f'<a href="{path}" aria-current="page">' in html
    # The menu's guide link opens the general guide: on the other one it marks the section.
    assert '<a href="/guide/general" aria-current="true">' in client.get("/guide/corruption").get_data(as_text=True)
    assert 'aria-current' not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("path, meanings", [
    ("/general/new", {"complaint": "ไม่พอใจการปฏิบัติงานของหน่วยงานหรือเจ้าหน้าที่",
                      "grievance": "ได้รับความเดือดร้อนและขอความช่วยเหลือ"}),
    ("/corruption/new", {"complaint": "ท่านได้รับความเสียหายจากการทุจริตหรือการประพฤติมิชอบ",
                         "tip": "พบเห็นการทุจริตหรือการประพฤติมิชอบ และแจ้งให้ตรวจสอบ"})])
def test_each_kind_says_what_it_means_under_its_own_choice(app, path, meanings):
    html = app.test_client().get(path).get_data(as_text=True)
    for n, (kind, meaning) in enumerate(meanings.items()):
        # Read out with its radio, and shown under it rather than in one sentence for all.
        radio = re.search(rf'<input[^>]*id="kind-{n}"[^>]*>', html).group()
        assert f'value="{kind}"' in radio and f'aria-describedby="kind-{n}-meaning"' in radio
        assert f'<p class="hint" id="kind-{n}-meaning">{meaning}</p>' in html
    assert html.count('name="kind"') == len(meanings)


def test_a_reporters_phone_and_email_bring_up_the_right_keyboard(app):
    html = app.test_client().get("/corruption/new").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="phone"[^>]*inputmode="tel"|<input[^>]*inputmode="tel"[^>]*id="phone"', html)
    assert re.search(r'<input[^>]*id="email"[^>]*inputmode="email"|<input[^>]*inputmode="email"[^>]*id="email"', html)
    # Still plain text inputs: a browser offers to save type=tel and type=email values.
    assert 'type="tel"' not in html and 'type="email"' not in html


def test_thai_shows_on_a_device_without_thai_fonts(app):
    # The stylesheet names a same-origin Thai web font last, for Thai characters only.
    css = app.test_client().get("/static/style.css").get_data(as_text=True)
    assert 'url("fonts/Sarabun-Regular.woff2")' in css and "unicode-range: U+0E00-0E7F" in css
    assert '"Sarabun Web", sans-serif' in css
    for weight in ("Regular", "Bold"):
        font = app.test_client().get(f"/static/fonts/Sarabun-{weight}.woff2")
        assert font.status_code == 200 and font.data.startswith(b"wOF2")


@pytest.mark.parametrize("path, data, channel", [("/general/new", {**GENERAL, "declaration": ""}, "general"),
                                                 ("/corruption/new", {**CORRUPTION, "kind": "grievance"}, "corruption")])
def test_the_error_summary_follows_the_page_order(app, session, path, data, channel):
    empty = {k: "" for k in data if k not in ("kind", "declaration")}
    html = post_form(client_for(app), path, {**data, **empty, "category": ""}).get_data(as_text=True)
    summary, page = html.split("</div>", 1)[0], html.split('<form method="post"', 1)[1]
    linked = [target.removesuffix("-0") for target in re.findall(r'<a href="#([\w-]+)">', summary)]
    assert len(linked) >= 3
    positions = [page.index(f'id="{field}') for field in linked]
    assert positions == sorted(positions), linked


def test_shared_hints_are_read_with_their_controls(app):
    client = app.test_client()
    general = client.get("/general/new").get_data(as_text=True)
    assert 'id="contact-hint"' in general
    assert re.search(r'<input[^>]*aria-describedby="contact-hint"[^>]*id="phone"', general)
    corruption = client.get("/corruption/new").get_data(as_text=True)
    assert re.search(r'<input[^>]*aria-describedby="names_executive-hint"', corruption)
    assert 'id="names_executive-hint"' in corruption


def test_the_guides_send_people_to_the_tracking_page_and_promise_no_survey_yet(app):
    client = app.test_client()
    for channel in ("general", "corruption"):
        steps = re.search(r'<ol class="steps">(.*?)</ol>', client.get(f"/guide/{channel}").get_data(as_text=True), re.S)
        assert "ที่หน้าติดตามเรื่อง" in steps.group(1) and "เปิดให้บริการ" not in steps.group(1)
        assert "ประเมินความพึงพอใจ" not in steps.group(1)
        # Complaints made in person, by phone or by letter get no code until staff can key them in.
        code_steps = [s for s in re.findall(r"<li>(.*?)</li>", steps.group(1)) if "รหัสติดตามเรื่อง" in s]
        assert code_steps and all("ออนไลน์" in s for s in code_steps), code_steps


NOTICE = re.compile(r'id="privacy-notice".*?</(?:details|section)>', re.S)


def _notice(client, path: str) -> str:
    match = NOTICE.search(client.get(path).get_data(as_text=True))
    assert match, f"no privacy notice on {path}"
    return match.group(0)


@pytest.mark.parametrize("path", ["/general/new", "/corruption/new", "/guide/general", "/guide/corruption"])
def test_forms_and_guides_carry_the_privacy_notice_of_their_channel(app, path):
    # PDPA ss.23-24 (rules.md R21): controller, purpose and basis, recipients, retention, rights and
    # the data protection officer, where the data is collected and where the procedure is published.
    client = app.test_client()
    thai = _notice(client, path)
    for item in ("ผู้ควบคุมข้อมูลส่วนบุคคล: เทศบาลตำบลตัวอย่าง", "มาตรา 24 (4)", "ผู้ที่อ่านได้", "ไม่น้อยกว่า 10 ปีนับจากวันปิดเรื่อง",
                 "ขอเข้าถึงและขอรับสำเนา", "สำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล", "dpo@tuayang.example"):
        assert item in thai, item
    corruption = "corruption" in path
    # Only the corruption channel's readers are legal officers, and its reports may go to NACC.
    assert ("นิติกร" in thai and "ป.ป.ช." in thai) is corruption
    assert ("ชื่อ ช่องทางติดต่อ" in thai) is not corruption  # the general form asks for both
    client.get("/lang/en")
    english = _notice(client, path)
    assert "Data controller: Tuayang Subdistrict Municipality" in english and "section 24(4)" in english
    assert "Data protection officer: dpo@tuayang.example" in english and not re.search(r"[\u0e00-\u0e7f]{4}", english)
    assert "at least 10 years from the day the case is closed" in english


@pytest.mark.parametrize("days, thai, english", [(3650, "ไม่น้อยกว่า 10 ปี นับจากวันปิดเรื่อง", "at least 10 years from the day"),
                                                 (400, "ไม่น้อยกว่า 400 วัน นับจากวันปิดเรื่อง", "at least 400 days from the day")])
def test_a_configured_retention_period_is_the_one_the_notice_gives(app, days, thai, english):
    # PDPA s.23(3): the period itself. The retention job reads the same RETENTION_DAYS.
    app.config["RETENTION_DAYS"] = days
    client = app.test_client()
    for path in ("/corruption/new", "/guide/general"):
        notice = _notice(client, path)
        assert thai in notice and "สารบรรณ" not in notice, path
        # Nothing purges a case yet: the notice must not say it is destroyed.
        assert "ทำลาย" not in notice, path
    client.get("/lang/en")
    assert english in _notice(client, "/general/new")


def test_without_a_dpo_contact_the_notice_points_to_the_office(app, session, org):
    org.dpo_contact = None
    session.add(org)
    session.commit()
    get_store(app).orgs.invalidate()
    notice = _notice(app.test_client(), "/corruption/new")
    assert "dpo@" not in notice and "ผ่านช่องทางติดต่อของหน่วยงานข้างต้น" in notice


def test_an_organization_that_writes_thai_digits_gets_them_on_the_receipt(app, session, org):
    org.thai_digits = True
    session.add(org)
    session.commit()
    get_store(app).orgs.invalidate()
    client = client_for(app)
    assert post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general")}).status_code == 303
    html = client.get("/receipt").get_data(as_text=True)
    received, due = (re.search(rf'id="{name}">([^<]+)<', html).group(1) for name in ("received-date", "due-date"))
    assert re.search(r" ๒๕[๖-๙][๐-๙] เวลา [๐-๙]{2}\.[๐-๙]{2} น\.$", received), received
    assert re.search(r" ๒๕[๖-๙][๐-๙]$", due) and not re.search(r"[0-9]", received + due)


def test_home_and_forms_say_what_the_issue_asks_them_to(app):
    client = app.test_client()
    home = client.get("/").get_data(as_text=True)
    main = home[home.index("<main"):home.index("</main>")]
    for link in ("/general/new", "/corruption/new", "/guide/general", "/guide/corruption"):
        assert f'href="{link}"' in main, link
    corruption = client.get("/corruption/new").get_data(as_text=True)
    # What each kind means: test_each_kind_says_what_it_means_under_its_own_choice.
    # Who can read a report, and why specifics matter for an anonymous one.
    assert "อ่านได้เฉพาะนิติกรและผู้ที่ได้รับมอบหมายให้ตรวจสอบเรื่องนี้" in corruption and "ทำไมต้องให้รายละเอียด" in corruption
    # A villager reads เจ้าหน้าที่ as office staff: the mayor and councillors are named too.
    assert "เจ้าหน้าที่ ผู้บริหาร หรือสมาชิกสภาท้องถิ่น" in main and "เจ้าหน้าที่ ผู้บริหาร หรือสมาชิกสภาท้องถิ่น" in corruption
    from complaints.web.forms import CorruptionForm, GeneralForm

    general = client.get("/general/new").get_data(as_text=True)
    for html, form_cls in ((general, GeneralForm), (corruption, CorruptionForm)):
        for name in form_cls.page_order:  # every field the form declares is on its page
            assert f'name="{name}"' in html, name
    assert "EXIF/GPS" in general
    css = client.get("/static/style.css").get_data(as_text=True)
    assert "@media print" in css  # the receipt's print view


def test_the_english_receipt_writes_buddhist_era_dates_and_names_the_channel(app, session):
    client = client_for(app)
    client.get("/lang/en")
    assert post_form(client, "/corruption/new", {**CORRUPTION, "category": category_id(session, "corruption")}
                     ).status_code == 303
    html = client.get("/receipt").get_data(as_text=True)
    # The era first, as official English writes it; the CE year after it for a foreign reader.
    due = re.search(r'id="due-date">(\d{1,2}) ([A-Z][a-z]+) B\.E\. (25\d\d) \((20\d\d)\)<', html)
    assert due and int(due[3]) - int(due[4]) == 543
    assert re.search(r'id="received-date">\d{1,2} [A-Z][a-z]+ B\.E\. 25\d\d \(20\d\d\)<', html)
    assert "This code is shown only once" in html
    # The channel is named as a channel, not as the form's call to action ("Report corruption …").
    assert re.search(r"<dd>Corruption and misconduct report</dd>", html)
    # A general complaint keeps its time of day: after the date, as in the Thai.
    assert post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general")}
                     ).status_code == 303
    html = client.get("/receipt").get_data(as_text=True)
    assert re.search(r'id="received-date">\d{1,2} [A-Z][a-z]+ B\.E\. 25\d\d \(20\d\d\), \d\d:\d\d<', html)
    assert re.search(r"<dd>General complaint or grievance</dd>", html)


def test_fields_say_they_are_valid_until_they_are_not(app, session):
    # A required select or checkbox is otherwise announced "invalid" before anything is entered.
    client = client_for(app)
    page = client.get("/general/new").get_data(as_text=True)
    for field in ("category", "declaration", "name"):
        assert re.search(rf'<(?:input|select|textarea)[^>]*aria-invalid="false"[^>]*id="{field}"', page), field
    failed = client.post("/general/new", data=tokens(page)).get_data(as_text=True)
    assert re.search(r'<select[^>]*aria-invalid="true"[^>]*id="category"', failed)
    # The page's title says so too: without JavaScript, the reloaded page's title is what a
    # screen reader announces first.
    assert re.search(r"<title>ข้อผิดพลาด: ร้องเรียน/ร้องทุกข์ทั่วไป", failed)
    assert "<title>ข้อผิดพลาด" not in page


def test_a_named_complainants_details_may_be_autofilled_but_a_reporters_may_not(app):
    client = app.test_client()
    general = client.get("/general/new").get_data(as_text=True)
    for field, purpose, kind in (("name", "name", "text"), ("phone", "tel", "tel"), ("email", "email", "email")):
        tag = re.search(rf'<input[^>]*id="{field}"[^>]*>', general).group(0)
        assert f'autocomplete="{purpose}"' in tag and f'type="{kind}"' in tag, tag
    corruption = client.get("/corruption/new").get_data(as_text=True)
    for field in ("name", "phone", "email"):
        tag = re.search(rf'<input[^>]*id="{field}"[^>]*>', corruption).group(0)
        assert "autocomplete=" not in tag and 'type="text"' in tag, tag
    assert re.search(r'<form[^>]*autocomplete="off"', corruption)


def test_the_corruption_forms_errors_come_before_the_safety_notes(app):
    client = app.test_client()
    page = client.get("/corruption/new").get_data(as_text=True)
    failed = client.post("/corruption/new", data=tokens(page)).get_data(as_text=True)
    assert failed.index('role="alert"') < failed.index('id="privacy-h"')
    assert "ช่องที่มีเครื่องหมาย * ต้องกรอก" in page
