"""The English catalog covers every Thai message and the compiled .mo matches the .po."""
from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "complaints/web/translations/en/LC_MESSAGES"
METHODS = [("complaints/**.py", "python"), ("complaints/web/templates/**.html", "jinja2")]


def _source_messages() -> set[tuple[str | None, str]]:
    """(context, msgid) of every message the code and templates ask for."""
    keywords = {"_": None, "gettext": None, "pgettext": ((1, "c"), 2)}
    found = extract_from_dir(str(ROOT), method_map=METHODS, keywords=keywords)
    return {(ctx, message) for _file, _line, message, _comments, ctx in found if isinstance(message, str)}


def test_every_message_in_the_code_has_an_english_translation():
    with open(CATALOG / "messages.po", "rb") as fh:
        po = read_po(fh)
    translated = {(m.context, m.id) for m in po if m.id and m.string}
    missing = _source_messages() - translated
    assert not missing, f"run pybabel extract/update and translate: {sorted(missing)[:5]}"


def _plain(value):
    # A plural message's id and forms come as a tuple from read_po and a list from read_mo.
    return tuple(value) if isinstance(value, (list, tuple)) else value


def test_compiled_catalog_matches_the_po_file():
    with open(CATALOG / "messages.po", "rb") as fh:
        po = {(m.context, _plain(m.id)): _plain(m.string) for m in read_po(fh) if m.id}
    with open(CATALOG / "messages.mo", "rb") as fh:
        # Babel's read_mo leaves a message context as bytes.
        mo = {(m.context.decode() if isinstance(m.context, bytes) else m.context, _plain(m.id)): _plain(m.string)
              for m in read_mo(fh) if m.id}
    assert mo == po, "run: pybabel compile -d complaints/web/translations"


def test_english_pages_use_the_catalog(app):
    client = app.test_client()
    client.get("/lang/en?next=/")
    html = client.get("/corruption/new").get_data(as_text=True)
    assert "แจ้งเรื่องการทุจริตและประพฤติมิชอบของเจ้าหน้าที่</h1>" not in html
    assert "<h1>" in html and html.count("ไม่ต้องเข้าสู่ระบบ") == 0


def test_form_labels_and_choices_are_in_the_pages_language(app):
    client = app.test_client()
    thai = client.get("/corruption/new").get_data(as_text=True)
    client.get("/lang/en")
    english = client.get("/corruption/new").get_data(as_text=True)
    assert '<label for="category">หมวดเรื่อง</label>' in thai and "Category" not in thai
    assert '<label for="category">Category</label>' in english and "หมวดเรื่อง" not in english
    assert "The accused (name or position)" in english and "Tip" in english and "แจ้งเบาะแส" not in english


def test_the_forms_own_messages_are_in_the_pages_language(app, session):
    from tests.web_helpers import GENERAL, category_id, client_for, post_form

    data = {**GENERAL, "category": category_id(session, "general"), "description": "", "subject": "ก" * 201}
    client = client_for(app)
    thai = post_form(client, "/general/new", data).get_data(as_text=True)
    client.get("/lang/en")
    english = post_form(client, "/general/new", data).get_data(as_text=True)
    assert "กรุณากรอกข้อมูลนี้" in thai and "ยาวเกิน 200 ตัวอักษร" in thai and "This field is required" not in thai
    assert "This field is required." in english and "Longer than 200 characters." in english
    assert "กรุณากรอกข้อมูลนี้" not in english


def test_unbroken_keeps_numbers_negations_and_misconduct_on_one_line():
    from complaints.web.i18n import unbroken

    html = str(unbroken("โทร 0 4500 0000 ต่อ 12 · ไม่บังคับระบุชื่อ · ประพฤติมิชอบ <b> 15 วัน"))
    assert "0\u00a04500\u00a00000 ต่อ 12" in html  # the number's groups, not the words around it
    assert '<span class="nowrap">ไม่บังคับ</span>ระบุชื่อ' in html
    assert '<span class="nowrap">ประพฤติมิชอบ</span>' in html
    assert "&lt;b&gt; 15 วัน" in html  # escaped; a number followed by a word may still break


def test_a_phone_number_reads_in_english_and_the_words_around_it_stay_as_written():
    from complaints.workflow.phones import phone_in_english

    assert phone_in_english("0 4500 0000 ต่อ 12") == "0 4500 0000 ext. 12"
    assert phone_in_english("โทรศัพท์ 02-123-4567 ต่อ. 5") == "phone 02-123-4567 ext. 5"
    assert phone_in_english("dpo@tuayang.example โทร. 081-000-0000") == "dpo@tuayang.example phone 081-000-0000"
    # Labels only as words of their own before a number: ติดต่อ (contact) ends in ต่อ.
    assert phone_in_english("ติดต่อ 0 4500 0000 งานนิติการ") == "ติดต่อ 0 4500 0000 งานนิติการ"
