"""Journeys in Debian's Chromium past the rate limits: the limiter's refusal comes back by a
redirect too (``web.drafts``), so no history entry keeps a report's words or a tracking code in a
POST body, which Chromium writes to disk with its tabs."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import test_browser
from tests.live_server import live_server
from tests.test_browser import _file_for_a_code, _files_holding, _profile_browser

pytestmark = pytest.mark.slow
browser = test_browser.browser  # the same Chromium fixture, launched for this module


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A server that allows two tries a day on each form and on the lookup."""
    limits = {"COMPLAINTS_FILING_ATTEMPT_LIMIT": "2 per day", "COMPLAINTS_TRACKING_RATE_LIMIT": "2 per day"}
    with live_server(tmp_path_factory.mktemp("limited-server"), env_extra=limits) as running:
        yield running


def _send(page: Any, url: str) -> None:
    page.click("form button[type=submit]")
    page.wait_for_url(url)


def test_past_the_limits_no_words_and_no_code_stay_in_the_browser_profile(limited_server, browser, tmp_path):
    base, _ = limited_server
    context = _profile_browser(browser, tmp_path / "profile")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # a "resubmit the form?" prompt, if any
    # A report that goes through, for a code to look up (one try of the corruption form's two).
    code = _file_for_a_code(page, base)

    # The general form refused twice by its rules, then by the limiter: its words come back. (Its
    # name and e-mail fields are autofillable by design, WCAG 1.3.5: the browser may keep those.)
    page.goto(base + "/general/new")
    page.fill("#name", "สมชาย ใจดี")
    page.fill("#email", "not-an-email")
    page.select_option("#category", index=1)
    page.fill("#subject", "CANARYLIMITSUBJECT")
    page.fill("#description", "CANARYLIMITSTORY ไฟถนนดับ")
    page.check("#declaration")
    for _ in range(3):
        _send(page, base + "/general/new#error-summary")
    assert "ส่งบ่อยเกินไป" in page.locator("[role=alert]").first.inner_text()
    assert page.input_value("#description") == "CANARYLIMITSTORY ไฟถนนดับ"

    # Two wrong codes, then the right one refused by the limiter: the code comes back in its box.
    page.goto(base + "/track")
    for wrong in ("AAAA-AAAA-AAAA-AAAA", "BBBB-BBBB-BBBB-BBBB"):
        page.fill("#code", wrong)
        _send(page, base + "/track#error-summary")
    page.fill("#code", code)
    _send(page, base + "/track#error-summary")
    assert "ส่งบ่อยเกินไป" in page.content() and page.input_value("#code") == code

    # Back through the lookups and the refused forms, reloading each: every entry is a GET, so
    # nothing is sent again and nothing comes back.
    for _ in range(6):
        page.go_back()
        page.reload()
        assert "CANARYLIMIT" not in page.content() and code not in page.content()
    context.close()
    spellings = [s.encode() for s in (code, code.lower(), code.replace("-", ""))]
    assert _files_holding(tmp_path / "profile", b"CANARYLIMIT", *spellings) == []
