"""Journeys in Debian's Chromium whose form token is refused: a browser that blocks cookies, and a
form left open while its session was replaced. The refusal comes back by a redirect
(``web.refusal_marks``), so no history entry keeps the report's words in a POST body, which
Chromium writes to disk with its tabs."""
from __future__ import annotations

from typing import Any

import pytest

from tests import test_browser
from tests.test_browser import _files_holding, _profile_browser

pytestmark = pytest.mark.slow
browser = test_browser.browser  # the same Chromium fixture, launched for this module
server = test_browser.server


def _fill_report(page: Any, base: str, story: str) -> None:
    page.goto(base + "/corruption/new")
    page.select_option("#category", index=1)
    page.fill("#description", story)


def _back_and_reload(page: Any, canary: str) -> None:
    # The form's entry is a GET: nothing is sent again, and nothing typed comes back.
    page.go_back()
    page.reload()
    assert canary not in page.content()


def test_a_browser_that_blocks_cookies_is_told_why_and_keeps_no_words(server, browser, tmp_path):
    base, _ = server
    profile = tmp_path / "profile"
    # Chromium's own setting "Don't allow sites to save data" (content setting 2: block).
    context = _profile_browser(browser, profile, {"profile": {"default_content_setting_values": {"cookies": 2}}})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # a "resubmit the form?" prompt, if any
    _fill_report(page, base, "CANARYNOCOOKIE the clerk took 3,000 baht")
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/corruption/new?cookies=off#error-summary")
    alert = page.locator("[role=alert]").first.inner_text()
    assert "ไม่ได้ส่งคุกกี้ของเว็บไซต์นี้" in alert and "allow them for this site first" in alert
    assert context.cookies() == []  # the setting held: the browser kept no cookie of the site
    _back_and_reload(page, "CANARYNOCOOKIE")
    context.close()
    assert _files_holding(profile, b"CANARYNOCOOKIE") == []


def test_a_form_whose_session_was_replaced_is_refused_without_keeping_its_words(server, browser, tmp_path):
    base, _ = server
    context = _profile_browser(browser, tmp_path / "profile")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    _fill_report(page, base, "CANARYSTALE the clerk took 3,000 baht")
    # The session cookie is lost (cleared, or expired) and another tab starts a new session: the
    # form's token is no longer this session's own.
    context.clear_cookies()
    context.new_page().goto(base + "/general/new")
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/corruption/new#error-summary")
    alert = page.locator("[role=alert]").first.inner_text()
    assert "เรื่องยังไม่ได้ส่ง" in alert and "กรุณากรอกใหม่แล้วกดส่ง" in alert
    assert page.input_value("#description") == ""  # the words may have been another site's
    _back_and_reload(page, "CANARYSTALE")
    context.close()
    assert _files_holding(tmp_path / "profile", b"CANARYSTALE") == []
