"""A Chromium journey past the request cap (``MAX_CONTENT_LENGTH``): the refusal comes back by a
redirect to the form (``web.refusal_marks``), so no history entry keeps the report's words in a
POST body, which Chromium writes to disk with its tabs, and the form says what the limits are.

A module of its own: its server runs with a small cap, so that a few ordinary files pass it.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import test_browser
from tests.live_server import live_server
from tests.test_browser import _files_holding, _profile_browser

pytestmark = pytest.mark.slow
browser = test_browser.browser  # the same Chromium fixture, launched for this module
CAP = 1_000_000  # bytes in a whole request: two files of 600 KB pass it


@pytest.fixture(scope="module")
def capped_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A server whose request cap is ``CAP``."""
    with live_server(tmp_path_factory.mktemp("capped-server"),
                     env_extra={"COMPLAINTS_MAX_CONTENT_LENGTH": str(CAP)}) as running:
        yield running


def _send_too_much(page, base: str, canary: str) -> None:
    """Fill the corruption form with ``canary`` and two files that together pass the cap, and send it."""
    page.on("dialog", lambda dialog: dialog.accept())  # a "resubmit the form?" prompt, if any
    page.goto(base + "/corruption/new")
    page.select_option("#category", index=1)
    page.fill("#description", f"{canary} the clerk took 3,000 baht")
    scans = [{"name": f"scan{i}.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n" + bytes(600_000)}
             for i in range(2)]
    page.set_input_files("#attachments", scans)
    page.click("form button[type=submit]")


def test_a_report_too_large_to_read_goes_back_to_its_form_saying_the_limits(capped_server, browser, tmp_path):
    base, _ = capped_server
    profile = tmp_path / "profile"
    context = _profile_browser(browser, profile)
    page = context.new_page()
    _send_too_much(page, base, "CANARYTOOLARGE")
    page.wait_for_url(base + "/corruption/new#error-summary")
    alert = page.locator("[role=alert]").first.inner_text()
    assert "ใหญ่เกินกำหนด" in alert and "ไม่เกิน 5 ไฟล์ ไฟล์ละไม่เกิน 10 MB" in alert
    assert page.input_value("#description") == ""  # nothing of the request was read
    page.go_back()
    page.reload()
    assert "CANARYTOOLARGE" not in page.content()
    context.close()
    assert _files_holding(profile, b"CANARYTOOLARGE") == []


def test_a_browser_that_blocks_cookies_and_sends_too_much_is_told_both(capped_server, browser, tmp_path):
    # The size is refused before the token is looked at: the page says both, so that allowing
    # cookies is not followed by the same files refused again.
    base, _ = capped_server
    profile = tmp_path / "profile"
    context = _profile_browser(browser, profile, {"profile": {"default_content_setting_values": {"cookies": 2}}})
    page = context.new_page()
    _send_too_much(page, base, "CANARYNOCOOKIELARGE")
    page.wait_for_url(base + "/corruption/new?cookies=off&also=too_large_form#error-summary")
    alert = page.locator("[role=alert]").first.inner_text()
    assert "ไม่ได้ส่งคุกกี้ของเว็บไซต์นี้" in alert and "allow them for this site first" in alert
    assert "ใหญ่เกินกำหนด" in alert and "at most 5 files of at most 10 MB each" in alert
    assert context.cookies() == []
    context.close()
    assert _files_holding(profile, b"CANARYNOCOOKIELARGE") == []
