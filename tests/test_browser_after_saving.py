"""A report that the server saved and then failed on, in Debian's Chromium against ``complaints
serve`` made to fail just after the COMMIT (its receipt cannot be put). The failure comes back by a
redirect to the receipt page (``web.public``), so the history entry is a GET: the report's words
are in no file of the browser's profile, and Back then Reload sends nothing again."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import test_browser
from tests.live_server import live_server
from tests.test_browser import _files_holding, _profile_browser
from tests.web_helpers import CODE

pytestmark = pytest.mark.slow
browser = test_browser.browser  # the same Chromium fixture, launched for this module


@pytest.fixture(scope="module")
def failing_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A served instance whose filings fail after their case is written: ``put_receipt`` raises."""
    root = tmp_path_factory.mktemp("failing-server")
    with live_server(root, breaks="complaints.web.filing.put_receipt") as (base, log):
        yield base, root / "instance" / "complaints.db"


def _cases(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return int(db.execute("SELECT count(*) FROM \"case\"").fetchone()[0])


def test_a_report_saved_before_a_failure_is_said_received_and_its_words_stay_out_of_the_browser(
        failing_server, browser, tmp_path):
    base, database = failing_server
    before = _cases(database)
    profile = tmp_path / "profile"
    context = _profile_browser(browser, profile)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # a "resubmit the form?" prompt, if any
    page.goto(base + "/corruption/new")
    page.select_option("#category", index=1)
    page.fill("#description", "CANARYSAVEDSTORY the clerk took 3,000 baht")
    with page.expect_response(base + "/receipt") as answer:
        page.click("form button[type=submit]")
    page.wait_for_url(base + "/receipt")
    said = page.locator("main").inner_text()
    assert answer.value.status == 500
    assert "เรื่องได้รับไว้แล้ว ไม่ต้องส่งซ้ำ" in said and "do not send it again" in said
    assert not CODE.search(page.content())  # no receipt was put: no code to show, and none made up
    assert _cases(database) == before + 1
    page.go_back()  # the form's entry, a GET: nothing typed comes back
    page.reload()
    assert "CANARYSAVED" not in page.content()
    context.close()
    assert _cases(database) == before + 1  # nothing was sent again
    assert _files_holding(profile, b"CANARYSAVED") == []
