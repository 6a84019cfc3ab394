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

from complaints.blobkeeping import ORPHAN_AFTER, remove_orphans
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

    def __init__(self, engine, monkeypatch, *, after: bool, down: bool = False) -> None:
        dialect = engine.dialect
        self.error = dialect.loaded_dbapi.OperationalError
        self.commit, self.armed, self.down_after = dialect.do_commit, True, down
        self.down = False
        monkeypatch.setattr(dialect, "do_commit", self._commit)
        for name in ("do_execute", "do_execute_no_params"):
            monkeypatch.setattr(dialect, name, self._refusing(getattr(dialect, name)))
        self.after = after

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


def _post_with_file(app, session, monkeypatch, **outage):
    client = client_for(app)
    data = {**GENERAL, "category": str(category_id(session, "general"))}
    page = client.get("/general/new")
    body = {**tokens(page.get_data(as_text=True)), **data, "attachments": [(io.BytesIO(png_bytes()), "ถนน.png")]}
    outage_now = Outage(get_store(app).engine, monkeypatch, **outage)
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
    code = CODE.search(client.get("/receipt").get_data(as_text=True)).group(1)
    assert _rows(session) == (1, 1)
    (attachment,) = session.scalars(select(Attachment))
    case = session.get(Case, attachment.case_id)
    assert b"".join(get_store(app).vault.read_blob(case, attachment)).startswith(b"\x89PNG")
    assert _blob_files(app) == [get_store(app).vault.blob_path(attachment.id)]
    session.rollback()
    assert "สถานะเรื่อง" in _track(app, code)  # the code finds the case
    assert "COMMIT failed on its way but the case was written" in caplog.text


def test_a_commit_that_never_reached_the_database_files_nothing_and_leaves_no_file(app, session, monkeypatch):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # the page a citizen gets
    _, response = _post_with_file(app, session, monkeypatch, after=False)
    assert response.status_code == 500 and "เรื่องยังไม่ได้บันทึก" in response.get_data(as_text=True)
    assert _rows(session) == (0, 0)
    assert _blob_files(app) == []


@pytest.mark.parametrize("written", [True, False], ids=["written", "not-written"])
def test_when_the_outcome_cannot_be_asked_the_page_says_so_and_the_orphan_purge_decides(
        app, session, monkeypatch, written):
    _, response = _post_with_file(app, session, monkeypatch, after=written, down=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "ยังยืนยันไม่ได้ว่าได้รับเรื่องไว้แล้วหรือไม่" in page
    assert "nothing was filed" not in page and "เรื่องยังไม่ได้บันทึก" not in page
    assert _rows(session) == ((1, 1) if written else (0, 0))
    (blob,) = _blob_files(app)  # kept either way, until the purge can tell
    now = datetime.now(timezone.utc)
    assert run_orphan_purge(app, now) == 0  # too young: it could be a filing under way
    assert run_orphan_purge(app, now + ORPHAN_AFTER + timedelta(minutes=1)) == (0 if written else 1)
    assert blob.is_file() is written


def test_the_orphan_purge_removes_only_old_files_no_row_names_and_keeps_each_folders_time(session, org, store):
    with session.begin():
        file_complaint(session, org, "general", "complaint", "web", STORY, IDENTITY,
                       [IncomingFile("a.png", "image/png", io.BytesIO(png_bytes()))], NOW)
    (kept,) = session.scalars(select(Attachment.id))
    session.rollback()
    stray = store.vault.blob_path(uuid.uuid4())
    half_written = store.vault.blob_path(uuid.uuid4()).with_suffix(".tmp")
    foreign = stray.parent / "notes.txt"  # not a blob's name: not the purge's to judge
    for path in (stray, half_written, foreign):
        path.write_bytes(b"\0" * 64)
    os.utime(stray.parent, (1_700_000_000, 1_700_000_000))
    later = datetime.now(timezone.utc) + ORPHAN_AFTER + timedelta(minutes=1)
    assert remove_orphans(session, store.vault.blob_dir, later) == 2
    assert not stray.exists() and not half_written.exists() and foreign.exists()
    assert store.vault.blob_path(kept).is_file()
    assert stray.parent.stat().st_mtime == 1_700_000_000
