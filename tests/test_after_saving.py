"""A filing that fails after its case was saved is answered by a redirect to the receipt page
(``web.public``), never by a page in answer to its POST, whose body (the report) a history entry
would keep. The receipt page then shows the code when the receipt was sealed, and otherwise says
what happened to the report."""
from __future__ import annotations

import pytest

from complaints.web.context import get_store
from tests.test_lost_commit import Outage, _filing_form, _rows
from tests.web_helpers import CODE, GENERAL, category_id, client_for, post_form, tokens


@pytest.fixture
def failing_pages(app, monkeypatch):
    """The app as a citizen meets it: a failure gets the error handler's answer, not a traceback."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    return app


def _post(client, body):
    return client.open("/general/new", method="POST", data=body, content_type="multipart/form-data")


def _file_again(client, data):
    """Open the general form in ``client`` and send ``data`` with its tokens, not following."""
    return _post(client, {**data, **tokens(client.get("/general/new").get_data(as_text=True))})


def _no_receipt(monkeypatch):
    monkeypatch.setattr("complaints.web.filing.put_receipt", lambda *a, **k: 1 / 0)


def test_a_failure_after_the_receipt_was_sealed_still_shows_the_code(failing_pages, session, monkeypatch):
    # The receipt's cookie is set by an after-request hook, which runs for the error's answer
    # too: the redirect to the receipt page gives the citizen the code after all.
    def fails(*_args, **_kwargs):
        raise RuntimeError("the redirect could not be made")

    monkeypatch.setattr("complaints.web.filing.redirect", fails)
    client, body = _filing_form(failing_pages, session)
    answer = _post(client, body)
    assert answer.status_code == 303 and answer.location == "/receipt"
    assert GENERAL["description"] not in answer.get_data(as_text=True)
    receipt = client.get("/receipt")
    assert receipt.status_code == 200 and CODE.search(receipt.get_data(as_text=True))
    assert _rows(session) == (1, 1)


def test_an_earlier_receipt_is_not_shown_as_the_failed_filings_and_waits_for_a_reload(
        failing_pages, session, monkeypatch):
    client = client_for(failing_pages)
    data = {**GENERAL, "category": category_id(session, "general")}
    assert post_form(client, "/general/new", data).status_code == 303  # its receipt page not opened yet
    _no_receipt(monkeypatch)
    assert _file_again(client, data).location == "/receipt"
    said = client.get("/receipt")
    html = said.get_data(as_text=True)
    assert said.status_code == 500 and "แสดงรหัสติดตามเรื่องไม่ได้" in html
    assert not CODE.search(html)  # the earlier report's code would pass for this one's
    earlier = client.get("/receipt")
    assert earlier.status_code == 200 and CODE.search(earlier.get_data(as_text=True))
    assert _rows(session) == (2, 0)


def test_a_later_filings_receipt_replaces_a_mark_left_unread(failing_pages, session, monkeypatch):
    # A failed filing's redirect not followed (the tab closed), then another report sent: its
    # receipt is shown, not the first one's "the code cannot be shown".
    client = client_for(failing_pages)
    data = {**GENERAL, "category": category_id(session, "general")}
    with monkeypatch.context() as patched:
        _no_receipt(patched)
        assert _file_again(client, data).location == "/receipt"
    assert post_form(client, "/general/new", data).status_code == 303
    receipt = client.get("/receipt")
    assert receipt.status_code == 200 and CODE.search(receipt.get_data(as_text=True))
    assert _rows(session) == (2, 0)


def test_a_filing_whose_commit_is_in_doubt_and_lost_its_receipt_says_it_may_be_received(
        failing_pages, session, monkeypatch):
    client, body = _filing_form(failing_pages, session)
    Outage(get_store(failing_pages).engine, monkeypatch, after=False)  # the COMMIT's answer lost
    _no_receipt(monkeypatch)
    answer = _post(client, body)
    assert answer.status_code == 303 and answer.location == "/receipt"
    shown = client.get("/receipt").get_data(as_text=True)  # an error page: in both languages
    assert "อาจได้รับเรื่องนี้สองครั้ง" in shown and "may receive it twice" in shown
    assert "ไม่ต้องส่งซ้ำ" not in shown
    assert _rows(session) == (0, 0)  # here the COMMIT never reached the database: "may" was the truth
