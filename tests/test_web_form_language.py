"""A form page's language switch sends the form and brings it back in the other language with
what was typed (``web.filing``): a link would lose the words, as the form is never refilled by
the browser."""
from __future__ import annotations

import io
import re

import pytest

from tests.test_web_bad_input import _png
from tests.web_helpers import CORRUPTION, GENERAL, category_id, client_for, counts, tokens

STORY = "CANARYSWITCH ไฟถนนดับทั้งซอย"


@pytest.mark.parametrize("channel, base", [("general", GENERAL), ("corruption", CORRUPTION)])
def test_the_language_button_brings_the_form_back_in_english_with_its_words(app, session, channel, base):
    client = client_for(app)
    page = client.get(f"/{channel}/new").get_data(as_text=True)
    assert re.search(r'<button type="submit" form="filing-form" name="switch_lang" value="en"[^>]*>English<', page)
    before = counts(session)
    data = {**base, **tokens(page), "category": category_id(session, channel), "description": STORY,
            "switch_lang": "en"}
    switched = client.open(f"/{channel}/new", method="POST", data=data)
    assert switched.status_code == 303 and switched.location == f"/{channel}/new"
    shown = client.get(f"/{channel}/new")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and '<html lang="en">' in html and STORY in html
    assert 'role="alert"' not in html  # nothing was checked, so nothing is wrong yet
    assert counts(session) == before  # nothing filed
    # The form as it came back is sent as it stands: its own new token files it.
    del data["switch_lang"]
    filed = client.open(f"/{channel}/new", method="POST", data={**data, **tokens(html)})
    assert filed.status_code == 303 and filed.location == "/receipt"


def test_and_back_to_thai_with_files_said_to_be_attached_again(app, session):
    client = client_for(app)
    client.get("/lang/en")
    page = client.get("/general/new").get_data(as_text=True)
    assert 'value="th" class="lang-switch" lang="th"' in page
    data = {**GENERAL, **tokens(page), "category": category_id(session, "general"), "switch_lang": "th",
            "attachments": [(io.BytesIO(_png()), "photo.png")]}
    client.open("/general/new", method="POST", data=data, content_type="multipart/form-data")
    html = client.get("/general/new").get_data(as_text=True)
    assert '<html lang="th">' in html and GENERAL["name"] in html
    assert "กรุณาแนบอีกครั้งก่อนกดส่ง" in html and "attach them again" not in html


def test_an_unknown_language_keeps_the_page_language_and_the_words(app, session):
    client = client_for(app)
    page = client.get("/general/new").get_data(as_text=True)
    data = {**GENERAL, **tokens(page), "category": category_id(session, "general"), "switch_lang": "fr"}
    assert client.open("/general/new", method="POST", data=data).status_code == 303
    html = client.get("/general/new").get_data(as_text=True)
    assert '<html lang="th">' in html and GENERAL["name"] in html


def test_a_page_without_a_form_keeps_its_link(app):
    html = app.test_client().get("/guide/general").get_data(as_text=True)
    assert 'href="/lang/en?next=/guide/general"' in html and "switch_lang" not in html
