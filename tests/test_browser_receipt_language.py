"""Chromium journeys of the receipt on paper and of the language switch on a filing form.

A module of its own, so its filings get a server of their own: the filing limit (five a
minute for one client) counts every filing of a module's journeys.
"""
from __future__ import annotations

import pytest

from tests import test_browser
from tests.test_browser import CODE, NARROWEST, SUBJECT, _fill_general

pytestmark = pytest.mark.slow
browser = test_browser.browser  # the same Chromium fixtures, started for this module
server = test_browser.server
seen = test_browser.seen
new_page = test_browser.new_page


def test_a_printed_receipt_keeps_the_advice_that_makes_sense_on_paper(server, new_page):
    # "Take a screenshot before you switch apps" is for the screen; the paper says to keep it safe.
    base, _ = server
    page = new_page()
    page.goto(base + "/general/new")
    _fill_general(page, "นางทดสอบ พิมพ์ใบรับ")
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/receipt")
    screenshot_advice = "ถ่ายภาพหน้าจอ"
    assert screenshot_advice in page.inner_text("main")
    assert "เก็บใบรับเรื่องนี้ไว้ในที่ปลอดภัย" not in page.inner_text("main")
    page.emulate_media(media="print")
    printed = page.inner_text("main")
    assert screenshot_advice not in printed and "อย่ากดรีเฟรช" not in printed
    assert "เก็บใบรับเรื่องนี้ไว้ในที่ปลอดภัย" in printed and CODE.match(page.inner_text("#tracking-code").strip())


def test_switching_language_on_a_form_keeps_what_was_typed_and_enter_still_sends(server, new_page):
    # The switch in the header sends the form; Enter in a field must still press the form's own
    # button, not the switch, which comes first in the page.
    base, _ = server
    page = new_page(viewport={"width": NARROWEST, "height": 640})
    page.goto(base + "/general/new")
    _fill_general(page, "นางทดสอบ สลับภาษา")
    page.click("nav button.lang-switch")
    page.wait_for_url(base + "/general/new")
    assert page.get_attribute("html", "lang") == "en"
    assert page.input_value("#name") == "นางทดสอบ สลับภาษา" and page.input_value("#subject") == SUBJECT
    assert page.is_checked("#declaration")
    page.focus("#subject")
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/receipt")
    assert page.get_attribute("html", "lang") == "en" and CODE.match(page.inner_text("#tracking-code").strip())
