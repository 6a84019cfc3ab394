"""A Chromium journey of the officer's question, as a phone shows the case page: the question is
quoted above the answer box, the page passes axe in both languages, and the answer goes through.

A module of its own, with its own server: the officer's question is written into that server's
database from here (the staff console comes later), as an officer's action would write it.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from complaints import codes, create_app
from complaints.web.context import get_store
from complaints.web.receipts import utcnow
from complaints.workflow import machine
from complaints.workflow.history import Actor
from tests import test_browser
from tests.live_server import FAST_ENV, live_server
from tests.test_browser import NARROWEST, _accessibility_problems, _file_for_a_code

pytestmark = pytest.mark.slow
browser = test_browser.browser  # the same Chromium fixtures, started for this module
seen = test_browser.seen
new_page = test_browser.new_page
QUESTION = "ขอทราบชื่อพยานที่เห็นเหตุการณ์\nและวันที่โดยประมาณ"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``complaints serve`` on its own instance; yields (base URL, log path beside the instance)."""
    with live_server(tmp_path_factory.mktemp("question-server")) as running:
        yield running


def _ask(instance: Path, code: str, question: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The legal officer asks ``question`` on the case of ``code``, in the server's database."""
    for name, value in {**FAST_ENV, "COMPLAINTS_INSTANCE_PATH": str(instance)}.items():
        monkeypatch.setenv(name, value)
    app = create_app()
    store = get_store(app)
    with store.sessions() as session:
        case = codes.find_case(session, store.vault.keyring.index_key, code)
        officer = Actor("staff", None, frozenset({"legal"}))
        machine.apply(session, case, "ask", officer, utcnow() + timedelta(seconds=1), message=question)
        session.commit()


def test_a_question_is_read_above_the_answer_box_and_answered_on_a_phone(server, new_page, monkeypatch):
    base, log_path = server
    page = new_page(viewport={"width": NARROWEST, "height": 640})
    code = _file_for_a_code(page, base)  # a corruption report: legal staff ask
    _ask(log_path.parent / "instance", code, QUESTION, monkeypatch)
    problems: list[str] = []
    for lang in ("en", "th"):
        page.goto(f"{base}/lang/{lang}?next=/track")
        page.fill("#code", code)
        page.click("form button[type=submit]")
        page.wait_for_url(base + "/track/case")
        question, box = page.locator("#question"), page.locator("#message")
        assert question.inner_text() == QUESTION  # its line breaks kept
        assert question.bounding_box()["y"] < box.bounding_box()["y"]
        problems += _accessibility_problems(page, f"{lang} case with a question")
    assert problems == []
    page.fill("#message", "พยานคือผู้ใหญ่บ้าน ประมาณต้นเดือนมีนาคม")
    page.click("form[action='/track/answer'] button[type=submit]")
    page.wait_for_url(base + "/track/case")
    assert "ส่งคำตอบแล้ว" in page.inner_text("[role=status]")
    assert page.locator("#question").count() == 0
    assert "พยานคือผู้ใหญ่บ้าน ประมาณต้นเดือนมีนาคม" in page.inner_text(".timeline")
