"""An office sets itself up: ``complaints organization`` and ``complaints day-off``
(``workflow.org_settings``), and what the guides and the deadlines then say."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from complaints.cli import main
from complaints.models import Category, Holiday, Organization
from complaints.web.context import get_store
from complaints.workflow.intake import file_complaint
from complaints.workflow.org_settings import SettingError, set_setting, setting_names
from tests.live_server import FAST_ENV
from tests.test_store import IDENTITY, STORY


def _run(app, *args: str):
    env = {"COMPLAINTS_INSTANCE_PATH": app.instance_path, "COMPLAINTS_DATABASE_URL": app.config["DATABASE_URL"],
           "COMPLAINTS_KEYS_DIR": app.config["KEYS_DIR"], "COMPLAINTS_BLOB_DIR": app.config["BLOB_DIR"], **FAST_ENV}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.mark.parametrize("name, value, stored", [
    ("name_th", "  องค์การบริหารส่วนตำบลหนองบัว ", "องค์การบริหารส่วนตำบลหนองบัว"),
    ("phone", "", None),
    ("address_th", "99 หมู่ 1\nตำบลหนองบัว", "99 หมู่ 1\nตำบลหนองบัว"),
    ("name_en", "Nong Bua Cafe\u0301 District", "Nong Bua Caf\u00e9 District"),  # one spelling of each letter (NFC)
    ("kind", "sao", "sao"),
    # Pasted from a word processor or a chat: its invisible marks go, Windows line breaks are line breaks.
    ("phone", "\ufeff044\u200b-000\u00ad000", "044-000000"),
    ("address_th", "99 หมู่ 1\r\nตำบลหนองบัว\rจังหวัดขอนแก่น\u200b", "99 หมู่ 1\nตำบลหนองบัว\nจังหวัดขอนแก่น"),
    ("name_en", "Nong Bua Cafe\u00ad\u0301", "Nong Bua Caf\u00e9"),  # a mark dropped from between a letter and its accent
    ("notice_days", "7", 7),
    ("progress_days", "30", 30),
    ("working_days", "Yes", True),
    ("thai_digits", "off", False),
])
def test_a_setting_is_checked_and_stored(name, value, stored):
    org = Organization(name_th="x", name_en="x")
    assert set_setting(org, name, value) == stored and getattr(org, name) == stored


@pytest.mark.parametrize("name, value, reason", [
    ("name_th", " ", "cannot be empty"),
    ("name_en", "x" * 201, "at most 200"),
    ("dpo_contact", "โทร\x00 1", "control character"),
    ("name_th", "เทศบาล\nตำบล", "U\\+000A"),  # a line break only in an address
    ("phone", "044\r000", "U\\+000D"),  # a carriage return in a one-line setting
    ("name_en", "Nong\u202eBua", "invisible"),  # a direction override
    ("kind", "city", "one of municipality, sao, other"),
    ("notice_days", "16", "from 1 to 15"),  # the law's 15 days at most
    ("notice_days", "๗", "whole number"),
    ("progress_days", "0", "from 1 to 30"),
    ("working_days", "maybe", "yes or no"),
    ("slug", "other", "no setting"),
])
def test_a_bad_setting_is_refused_with_its_reason(name, value, reason):
    org = Organization(name_th="x", name_en="x", notice_days=15)
    with pytest.raises(SettingError, match=reason):
        set_setting(org, name, value)


def test_an_office_names_itself_and_the_guide_says_so(app, session, org):
    done = _run(app, "organization", "set", "name_th", "เทศบาลตำบลหนองบัว")
    assert done.exit_code == 0 and "name_th = เทศบาลตำบลหนองบัว" in done.output
    assert _run(app, "organization", "set", "dpo_contact", "นายดีพีโอ โทร 044-000-000").exit_code == 0
    shown = _run(app, "organization", "show").output
    assert "name_th\tเทศบาลตำบลหนองบัว" in shown and set(setting_names()) <= {line.split("\t")[0] for line in shown.splitlines()}
    refused = _run(app, "organization", "set", "notice_days", "20")
    assert refused.exit_code != 0 and "from 1 to 15" in refused.output
    get_store(app).orgs.invalidate()
    assert "เทศบาลตำบลหนองบัว" in app.test_client().get("/guide/general").get_data(as_text=True)
    assert "นายดีพีโอ" in app.test_client().get("/general/new").get_data(as_text=True)


def test_a_day_off_of_its_own_moves_the_due_date_of_the_next_filing(app, session, org):
    # Filed Mon 1 Mar 2027, 15 working days: Mon 22 Mar; with the office closed on Fri 5 Mar: Tue 23 Mar.
    org.working_days = True
    session.commit()
    filed = datetime(2027, 3, 1, 3, 0, tzinfo=timezone.utc)
    added = _run(app, "day-off", "add", "2027-03-05", "วันหยุดของเทศบาล")
    assert added.exit_code == 0 and "2027-03-05\tday_off\tวันหยุดของเทศบาล" in added.output
    assert "2027-03-05\tday_off" in _run(app, "day-off", "list").output
    with session.begin():
        case = file_complaint(session, session.merge(org), "general", "complaint", "web", STORY, IDENTITY, [], filed).case
    assert case.first_notice_due == date(2027, 3, 23)
    assert _run(app, "day-off", "remove", "2027-03-05").exit_code == 0
    with session.begin():
        case = file_complaint(session, session.merge(org), "general", "complaint", "web", STORY, IDENTITY, [], filed).case
    assert case.first_notice_due == date(2027, 3, 22)
    assert session.scalar(select(Holiday)) is None
    session.rollback()
    missing = _run(app, "day-off", "remove", "2027-03-05")
    assert missing.exit_code != 0 and "no day off" in missing.output
    buddhist = _run(app, "day-off", "add", "2570-03-05", "x")  # a B.E. year typed by habit
    assert buddhist.exit_code != 0 and "Buddhist Era year: give the Common Era one (2570 → 2027)" in buddhist.output


def test_an_office_puts_its_own_units_in_the_guides(app, session, org):
    assert _run(app, "unit", "set", "legal", "responsible_th", "นิติกรชำนาญการ").exit_code == 0
    assert _run(app, "unit", "set", "legal", "phone", "044-111-222 ต่อ 15").exit_code == 0
    added = _run(app, "unit", "add", "complaint-centre", "ศูนย์รับเรื่องร้องเรียน", "Complaint centre")
    assert added.exit_code == 0
    assert _run(app, "unit", "set", "complaint-centre", "receives_general", "yes").exit_code == 0
    assert _run(app, "unit", "set", "office", "receives_general", "no").exit_code == 0
    # The corruption channel is never left without a unit the guide can name.
    alone = _run(app, "unit", "set", "legal", "handles_corruption", "no")
    assert alone.exit_code != 0 and "only unit with handles_corruption" in alone.output
    assert _run(app, "unit", "add", "Legal Dept", "x", "y").exit_code != 0
    assert "complaint-centre\treceives_general\tศูนย์รับเรื่องร้องเรียน" in _run(app, "unit", "list").output
    client = app.test_client()
    corruption = client.get("/guide/corruption").get_data(as_text=True)
    assert "นิติกรชำนาญการ" in corruption and "044-111-222" in corruption
    general = client.get("/guide/general").get_data(as_text=True)
    assert "ศูนย์รับเรื่องร้องเรียน" in general and "0 0000 0000 ต่อ 101" not in general


def test_an_office_offers_its_own_categories_and_retires_the_demo_s(app, session, org):
    added = _run(app, "category", "add", "general", "stray-dogs", "สุนัขจรจัด", "Stray dogs")
    assert added.exit_code == 0 and "general category stray-dogs" in added.output
    assert _run(app, "category", "retire", "general", "garbage").exit_code == 0
    assert "general\tgarbage\tretired" in _run(app, "category", "list").output
    get_store(app).orgs.invalidate()
    form = app.test_client().get("/general/new").get_data(as_text=True)
    assert "สุนัขจรจัด" in form and "การจัดการขยะ" not in form
    again = _run(app, "category", "add", "general", "stray-dogs", "ซ้ำ", "Again")
    assert again.exit_code != 0 and "already" in again.output
    assert _run(app, "category", "add", "general", "garbage", "ขยะมูลฝอย", "Rubbish").exit_code == 0  # back
    for code in [row.split("\t")[1] for row in _run(app, "category", "list").output.splitlines()
                 if row.startswith("corruption\t")][:-1]:
        assert _run(app, "category", "retire", "corruption", code).exit_code == 0
    last = [row.split("\t")[1] for row in _run(app, "category", "list").output.splitlines()
            if row.startswith("corruption\t") and "on the form" in row]
    refused = _run(app, "category", "retire", "corruption", last[0])
    assert refused.exit_code != 0 and "last corruption category" in refused.output


def test_an_office_lists_what_people_file_under_each_category_on_its_form(app, session, org):
    assert _run(app, "category", "examples", "general", "garbage", "").exit_code == 0  # the demo's, both cleared
    set_th = _run(app, "category", "examples", "general", "garbage", "ถังขยะล้น  รถเก็บขยะไม่มา <&>")
    assert set_th.exit_code == 0 and "general category garbage: ถังขยะล้น  รถเก็บขยะไม่มา <&> / -" in set_th.output
    assert "general\tgarbage\ton the form\tการจัดการขยะ\tGarbage collection\tถังขยะล้น" in _run(
        app, "category", "list").output
    get_store(app).orgs.invalidate()
    client = app.test_client()
    general, corruption = (client.get(f"/{c}/new").get_data(as_text=True) for c in ("general", "corruption"))
    assert "<dt>การจัดการขยะ</dt><dd>ถังขยะล้น  รถเก็บขยะไม่มา &lt;&amp;&gt;</dd>" in general
    # Each form lists its own channel's categories only, both ways.
    assert "ถังขยะล้น" not in corruption and "เรียกเงินเพื่อออกใบอนุญาต" in corruption
    assert "เรียกเงินเพื่อออกใบอนุญาต" not in general
    client.get("/lang/en")
    english = client.get("/general/new").get_data(as_text=True)
    # No English examples: the Thai ones, marked Thai for a screen reader.
    assert '<dt>Garbage collection</dt><dd><span lang="th">ถังขยะล้น  รถเก็บขยะไม่มา</span> &lt;&amp;&gt;</dd>' in english
    # English given later: the English page shows it; Thai given alone again keeps it.
    assert _run(app, "category", "examples", "general", "garbage", "ถังขยะล้น", "overflowing bins").exit_code == 0
    assert _run(app, "category", "examples", "general", "garbage", "ถังขยะล้น รถไม่มา").exit_code == 0
    get_store(app).orgs.invalidate()
    assert "<dt>Garbage collection</dt><dd>overflowing bins</dd>" in client.get("/general/new").get_data(as_text=True)
    # Refused like any setting: too long, an unknown category, English without Thai.
    assert _run(app, "category", "examples", "general", "garbage", "ก" * 301).exit_code != 0
    unknown = _run(app, "category", "examples", "general", "no-such", "x")
    assert unknown.exit_code != 0 and "no general category 'no-such'" in unknown.output
    alone = _run(app, "category", "examples", "general", "garbage", "", "bins")
    assert alone.exit_code != 0 and "examples_en needs examples_th" in alone.output
    # "" clears both.
    assert _run(app, "category", "examples", "general", "garbage", "").exit_code == 0
    assert "general\tgarbage\ton the form\tการจัดการขยะ\tGarbage collection\t-\t-" in _run(
        app, "category", "list").output
    get_store(app).orgs.invalidate()
    assert "ถังขยะล้น" not in app.test_client().get("/general/new").get_data(as_text=True)


def test_a_form_whose_categories_have_no_examples_has_no_examples_list(app, session, org):
    for category in session.scalars(select(Category)):
        category.examples_th = category.examples_en = None
    session.commit()
    get_store(app).orgs.invalidate()
    assert 'id="category-examples"' not in app.test_client().get("/general/new").get_data(as_text=True)
