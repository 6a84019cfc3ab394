"""A filing whose COMMIT fails on its way, and the files no case recorded (``blobkeeping``).

The database connection can drop after the server has written a COMMIT and before its answer
arrives: the case is there, though the application saw an error. The driver's ``do_commit`` is
wrapped here to do exactly that, on both databases.
"""
from __future__ import annotations

import io
import os
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from complaints.blobkeeping import ORPHAN_AFTER, ORPHAN_BRAKE, QUARANTINE, QUARANTINE_DAYS, remove_orphans
from complaints.models import Attachment, Case
from complaints.scheduler import run_orphan_purge
from complaints.uploads import IncomingFile
from complaints.web.context import get_store
from complaints.workflow.intake import file_complaint
from tests.test_store import IDENTITY, NOW, STORY
from tests.test_uploads import png_bytes
from tests.web_helpers import CODE, CSRF, GENERAL, category_id, client_for, tokens

LOST = "server closed the connection unexpectedly"


class Outage:
    """The database as the filing's COMMIT meets it: the answer lost after the COMMIT was
    written (``after=True``) or before (``after=False``); ``down`` makes every later statement
    fail too, so the filing cannot be checked."""

    def __init__(self, engine, monkeypatch, *, after: bool, down: bool = False, before_commit: bool = False) -> None:
        dialect = engine.dialect
        self.error = dialect.loaded_dbapi.OperationalError
        self.commit, self.armed, self.down_after = dialect.do_commit, True, down
        self.down = False
        monkeypatch.setattr(dialect, "do_commit", self._commit)
        for name in ("do_execute", "do_execute_no_params"):
            monkeypatch.setattr(dialect, name, self._refusing(getattr(dialect, name)))
        self.after = after
        if before_commit:  # down already for the filing's own statements
            self.down, self.armed = True, False

    def _commit(self, dbapi_connection) -> None:
        if not self.armed:
            return self.commit(dbapi_connection)
        self.armed, self.down = False, self.down_after
        if self.after:
            self.commit(dbapi_connection)
        raise self.error(LOST)

    def _refusing(self, original):
        def execute(*args, **kwargs):
            if self.down:
                raise self.error(LOST)
            return original(*args, **kwargs)
        return execute


def _filing_form(app, session):
    """A client that has opened the general form, and the filled form with a photo to post."""
    client = client_for(app)
    data = {**GENERAL, "category": str(category_id(session, "general"))}
    page = client.get("/general/new")
    return client, {**tokens(page.get_data(as_text=True)), **data,
                    "attachments": [(io.BytesIO(png_bytes()), "ถนน.png")]}


def _post_with_file(app, session, monkeypatch, **outage):
    client, body = _filing_form(app, session)
    outage_now = Outage(get_store(app).engine, monkeypatch, **outage)  # after the form's GET
    response = client.post("/general/new", data=body, content_type="multipart/form-data")
    outage_now.down = False
    return client, response


def _track(app, code: str) -> str:
    client = client_for(app)
    token = CSRF.search(client.get("/track").get_data(as_text=True)).group(1)
    return client.post("/track", data={"csrf_token": token, "code": code}).get_data(as_text=True)


def _blob_files(app) -> list:
    return sorted(p for p in get_store(app).vault.blob_dir.rglob("*") if p.is_file())


def _rows(session) -> tuple[int, int]:
    session.rollback()
    found = (session.scalar(select(func.count()).select_from(Case)),
             session.scalar(select(func.count()).select_from(Attachment)))
    session.rollback()
    return found


def test_a_filing_written_before_its_commit_was_answered_gets_its_receipt_and_keeps_its_file(
        app, session, monkeypatch, caplog):
    # Before: the rollback deleted the attachment's file and the page said nothing was filed,
    # while the case stood in the database with no code anyone had.
    client, response = _post_with_file(app, session, monkeypatch, after=True)
    assert response.status_code == 303 and response.location.endswith("/receipt")
    receipt = client.get("/receipt").get_data(as_text=True)
    code = CODE.search(receipt).group(1)
    assert 'id="unconfirmed"' not in receipt and 'id="receipt-pdf"' in receipt
    assert _rows(session) == (1, 1)
    (attachment,) = session.scalars(select(Attachment))
    case = session.get(Case, attachment.case_id)
    assert b"".join(get_store(app).vault.read_blob(case, attachment)).startswith(b"\x89PNG")
    assert _blob_files(app) == [get_store(app).vault.blob_path(attachment.id)]
    session.rollback()
    assert "สถานะเรื่อง" in _track(app, code)  # the code finds the case
    assert "COMMIT failed on its way; the case was written" in caplog.text


@pytest.mark.parametrize("written, down", [(False, False), (True, True), (False, True)],
                         ids=["never-reached", "written-db-down", "not-written-db-down"])
def test_a_filing_not_seen_after_its_commit_failed_gets_its_code_with_the_truth_and_the_purge_decides(
        app, session, monkeypatch, written, down):
    # A fresh look that finds nothing proves nothing on PostgreSQL (the commit may still be under
    # way), and a database that does not answer says nothing: the code is the only way to find
    # the case, so it is given, with what is known, and the files wait for the purge.
    client, response = _post_with_file(app, session, monkeypatch, after=written, down=down)
    assert response.status_code == 303 and response.location.endswith("/receipt")
    receipt = client.get("/receipt").get_data(as_text=True)
    assert CODE.search(receipt) and 'id="unconfirmed"' in receipt and "ยังยืนยันไม่ได้ว่าได้รับเรื่องนี้" in receipt
    assert 'id="receipt-pdf"' not in receipt  # no paper copy that outlives the warning
    assert _rows(session) == ((1, 1) if written else (0, 0))
    (blob,) = _blob_files(app)  # kept either way, until the purge can tell
    now = datetime.now(timezone.utc)
    assert run_orphan_purge(app, now) == 0  # too young: it could be a filing under way
    assert run_orphan_purge(app, now + ORPHAN_AFTER + timedelta(minutes=1)) == (0 if written else 1)
    assert blob.is_file() is written


def _post_plainly(app, session):
    client, body = _filing_form(app, session)
    return client, client.post("/general/new", data=body, content_type="multipart/form-data")


def test_a_refusal_before_the_commit_still_deletes_its_files(app, session, monkeypatch):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # the page a citizen gets
    monkeypatch.setattr("complaints.web.filing.take_filing_slot", lambda: 1 / 0)  # fails inside the transaction
    _, page = _post_plainly(app, session)  # back on the form, the words kept (the 500 handler)
    assert page.status_code == 500 and "เรื่องยังไม่ได้บันทึก" in page.get_data(as_text=True)
    assert _rows(session) == (0, 0) and _blob_files(app) == []


def test_a_failure_after_the_case_was_saved_never_says_nothing_was_filed(app, session, monkeypatch):
    # The review made the receipt cookie fail after a good commit: the form came back saying
    # "nothing was filed", inviting a second copy of a report that was in the database. Then the
    # 500 page answered the POST itself, whose body (the report) a history entry keeps: now a
    # redirect to the receipt page, which says it.
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr("complaints.web.filing.put_receipt", lambda *a, **k: 1 / 0)
    client, answer = _post_plainly(app, session)
    assert answer.status_code == 303 and answer.location == "/receipt"
    assert GENERAL["description"] not in answer.get_data(as_text=True)
    page = client.get("/receipt")
    shown = page.get_data(as_text=True)
    assert page.status_code == 500 and "เรื่องได้รับไว้แล้ว ไม่ต้องส่งซ้ำ" in shown and "it has been received" in shown
    assert "เรื่องยังไม่ได้บันทึก" not in shown and GENERAL["description"] not in shown
    assert _rows(session) == (1, 1)
    assert client.get("/receipt").status_code == 410  # said once, as a receipt is shown once


def test_a_failed_filing_past_the_draft_allowance_comes_back_by_a_redirect_saying_so(app, session, monkeypatch):
    # Not a blank form, and not the error page in answer to the POST, whose body (the report) a
    # history entry would keep: a redirect whose page says what was typed was not kept.
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr("complaints.web.filing.take_filing_slot", lambda: 1 / 0)
    monkeypatch.setattr("complaints.web.drafts.take_draft_slot", lambda _past_limit=False: False)
    client, body = _filing_form(app, session)
    answer = client.open("/general/new", method="POST", data=body, content_type="multipart/form-data")
    assert answer.status_code == 303 and answer.location == "/general/new#error-summary"
    page = client.get("/general/new")
    shown = page.get_data(as_text=True)
    assert page.status_code == 500 and "เรื่องยังไม่ได้บันทึก และข้อความที่กรอกไว้ไม่ได้เก็บไว้" in shown
    assert GENERAL["description"] not in shown and _rows(session) == (0, 0)


def test_a_statement_the_commits_own_flush_refuses_is_no_uncertain_commit(session, org, store):
    from sqlalchemy.exc import IntegrityError

    from complaints.blobkeeping import take_commit_uncertainty
    from complaints.models import Unit

    with pytest.raises(IntegrityError), session.begin():
        file_complaint(session, org, "general", "complaint", "web", STORY, IDENTITY,
                       [IncomingFile("a.png", "image/png", io.BytesIO(png_bytes()))], NOW)
        session.add(Unit(org_id=org.id, code="legal", name_th="ซ้ำ", name_en="Again"))  # flushed by the commit
    assert not take_commit_uncertainty(session)
    assert not [p for p in store.vault.blob_dir.rglob("*.bin")]


def test_a_file_written_in_a_released_savepoint_goes_with_the_outer_rollback(session, org, store):
    with pytest.raises(RuntimeError, match="after the savepoint"), session.begin():
        with session.begin_nested():
            file_complaint(session, org, "general", "complaint", "web", STORY, IDENTITY,
                           [IncomingFile("a.png", "image/png", io.BytesIO(png_bytes()))], NOW)
        raise RuntimeError("after the savepoint")
    assert not [p for p in store.vault.blob_dir.rglob("*.bin")]


def _stray_files(store, count: int) -> list:
    paths = [store.vault.blob_path(uuid.uuid4()) for _ in range(count)]
    for path in paths:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.write_bytes(b"\0" * 64)
    return paths


def test_the_orphan_purge_quarantines_only_old_files_no_row_names_and_deletes_them_a_month_later(
        session, org, store):
    with session.begin():
        file_complaint(session, org, "general", "complaint", "web", STORY, IDENTITY,
                       [IncomingFile("a.png", "image/png", io.BytesIO(png_bytes()))], NOW)
    (kept,) = session.scalars(select(Attachment.id))
    session.rollback()
    (stray,) = _stray_files(store, 1)
    half_written = store.vault.blob_path(uuid.uuid4()).with_suffix(".tmp")
    half_written.write_bytes(b"\0" * 64)
    foreign = stray.parent / "notes.txt"  # not a blob's name: not the purge's to judge
    foreign.write_bytes(b"")
    os.utime(stray.parent, (1_700_000_000, 1_700_000_000))
    later = datetime.now(timezone.utc) + ORPHAN_AFTER + timedelta(minutes=1)
    assert remove_orphans(session, store.vault.blob_dir, later) == 2
    quarantine = store.vault.blob_dir / QUARANTINE
    assert sorted(p.name for p in quarantine.iterdir()) == sorted([stray.name, half_written.name])
    assert not stray.exists() and foreign.exists() and store.vault.blob_path(kept).is_file()
    assert stray.parent.stat().st_mtime == 1_700_000_000
    assert remove_orphans(session, store.vault.blob_dir, later + timedelta(days=QUARANTINE_DAYS - 1)) == 0
    assert len(list(quarantine.iterdir())) == 2  # still there to be put back
    remove_orphans(session, store.vault.blob_dir, later + timedelta(days=QUARANTINE_DAYS + 1))
    assert not list(quarantine.iterdir())


def test_the_orphan_purge_moves_nothing_when_the_database_names_too_few_of_the_files(
        session, org, store, caplog):
    # The scheduler started against an old database (a leftover complaints.db, a restored copy)
    # would otherwise take every newer case's evidence away.
    strays = _stray_files(store, ORPHAN_BRAKE + 1)
    later = datetime.now(timezone.utc) + ORPHAN_AFTER + timedelta(minutes=1)
    assert remove_orphans(session, store.vault.blob_dir, later) == 0
    assert all(p.is_file() for p in strays) and "is it the database they belong to" in caplog.text
    # The brake holds the moves, not the month's deletions from the quarantine.
    quarantine = store.vault.blob_dir / QUARANTINE
    quarantine.mkdir(mode=0o700, exist_ok=True)
    (quarantine / f"{uuid.uuid4().hex}.bin").write_bytes(b"\0")
    assert remove_orphans(session, store.vault.blob_dir, later + timedelta(days=QUARANTINE_DAYS + 1)) == 0
    assert not list(quarantine.iterdir())


def test_a_filing_that_fails_inside_its_view_comes_back_with_its_words(app, session, monkeypatch):
    # Before, any 500 while filing (a full disk, a cleaner that crashed) lost what was typed.
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("complaints.store.Vault.write_blob", full_disk)
    client, body = _filing_form(app, session)
    answer = client.open("/general/new", method="POST", data=body, content_type="multipart/form-data")
    assert answer.status_code == 303  # to the form, the words sealed in a draft as for any refusal
    back = client.get(answer.location)
    shown = back.get_data(as_text=True)
    assert back.status_code == 500 and "เรื่องยังไม่ได้บันทึก ข้อความที่กรอกไว้ยังอยู่" in shown
    assert GENERAL["description"] in shown and _rows(session) == (0, 0)


def test_when_the_database_cannot_keep_a_draft_the_redirect_still_comes(app, session, monkeypatch):
    # The mark that says why is in the session cookie: it needs no database.
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    client, body = _filing_form(app, session)
    outage = Outage(get_store(app).engine, monkeypatch, after=False, down=True, before_commit=True)
    answer = client.open("/general/new", method="POST", data=body, content_type="multipart/form-data")
    outage.down = False
    assert answer.status_code == 303 and answer.location == "/general/new#error-summary"
    page = client.get("/general/new")
    shown = page.get_data(as_text=True)
    assert page.status_code == 500 and "เรื่องยังไม่ได้บันทึก และข้อความที่กรอกไว้ไม่ได้เก็บไว้" in shown
    assert _rows(session) == (0, 0)


@pytest.mark.parametrize("own", [True, False], ids=["own-token", "another-sessions-token"])
def test_a_500_before_the_token_was_checked_shows_the_words_only_for_the_sessions_own_token(
        app, session, monkeypatch, own):
    # A failure ahead of CSRFProtect (an earlier before_request hook) reaches the 500 handler with
    # a token no one has checked yet. Words posted with another session's token may be another
    # site's: shown back, they would be put into this browser's form as if typed there.
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def failing_first() -> None:
        if getattr(failing_first, "armed", False):
            raise RuntimeError("a hook that runs before CSRFProtect")

    monkeypatch.setitem(app.before_request_funcs, None, [failing_first, *app.before_request_funcs[None]])
    client, body = _filing_form(app, session)
    if not own:
        _, foreign = _filing_form(app, session)
        body["csrf_token"] = foreign["csrf_token"]
    failing_first.armed = True
    answer = client.open("/general/new", method="POST", data=body, content_type="multipart/form-data")
    # To the form either way, so no history entry keeps the POST body; the words sealed in a
    # draft for the session's own token only.
    assert answer.status_code == 303 and answer.location == "/general/new#error-summary"
    failing_first.armed = False
    answer = client.get(answer.location)
    shown = answer.get_data(as_text=True)
    assert answer.status_code == 500 and "เรื่องยังไม่ได้บันทึก" in shown
    assert (GENERAL["description"] in shown) is own
    assert _rows(session) == (0, 0)
