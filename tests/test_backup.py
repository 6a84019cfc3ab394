"""``complaints backup``: a restorable copy of the database and the attachment files, no keys."""
from __future__ import annotations

import io
import shutil
import stat

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine

from complaints.backup import BackupRefused, back_up
from complaints.cli import main
from complaints.codes import find_case
from complaints.uploads import IncomingFile
from complaints.web.context import get_store
from complaints.workflow.intake import file_complaint
from tests.conftest import make_test_app
from tests.live_server import FAST_ENV
from tests.test_store import IDENTITY, NOW, STORY


@pytest.fixture
def db_url(tmp_path, sqlite_template):
    """SQLite only: the snapshot is SQLite's; PostgreSQL is pg_dump's (last test)."""
    path = tmp_path / "complaints.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def _backup(tmp_path, store, destination, **env):
    return CliRunner().invoke(main, ["backup", str(destination)], catch_exceptions=False, env={
        "COMPLAINTS_INSTANCE_PATH": str(tmp_path / "instance"), "COMPLAINTS_DATABASE_URL": str(store.engine.url),
        "COMPLAINTS_KEYS_DIR": str(store.vault.keyring.keys_dir), "COMPLAINTS_BLOB_DIR": str(store.vault.blob_dir),
        **FAST_ENV, **env})


def _file_with_attachment(store, org) -> tuple[str, bytes]:
    content = b"%PDF-1.4 evidence " + b"x" * 5000
    with store.sessions() as s, s.begin():
        filing = file_complaint(s, s.merge(org), "corruption", "tip", "web", STORY, None,
                                [IncomingFile("หลักฐาน.pdf", "application/pdf", io.BytesIO(content))], NOW)
        return filing.tracking_code, content


def test_a_backup_taken_while_serving_restores_every_case_its_code_and_its_file(tmp_path, session, org, store):
    code, content = _file_with_attachment(store, org)
    general = file_complaint(session, org, "general", "complaint", "web", STORY, IDENTITY, [], NOW)
    session.commit()
    # The app's connections stay open, so the cases are still in complaints.db-wal: a copy of the
    # .db file alone held none of them (ops review).
    result = _backup(tmp_path, store, tmp_path / "backup")
    assert result.exit_code == 0, result.output
    assert "attachment files: 1 copied, 0 already there" in result.output and "keys are NOT in this backup" in result.output
    backup = tmp_path / "backup"
    assert not list(backup.rglob("*.key")) and stat.S_IMODE(backup.stat().st_mode) == 0o700
    assert stat.S_IMODE((backup / "complaints.db").stat().st_mode) == 0o600
    # Restored on another machine: the backup, and the keys from the key backup.
    restored = get_store(make_test_app(tmp_path / "restored", f"sqlite:///{backup / 'complaints.db'}",
                                       KEYS_DIR=str(store.vault.keyring.keys_dir), BLOB_DIR=str(backup / "blobs")))
    try:
        with restored.sessions() as s:
            case = find_case(s, restored.vault.keyring.index_key, code)
            assert case is not None and restored.vault.story(case) == STORY
            (attachment,) = case.attachments
            assert b"".join(restored.vault.read_blob(case, attachment)) == content
            original = store.vault.blob_path(attachment.id)
            assert restored.vault.blob_path(attachment.id).stat().st_mtime == original.stat().st_mtime
            assert restored.vault.identity(s.merge(general.case)) == IDENTITY
    finally:
        restored.engine.dispose()
    again = _backup(tmp_path, store, backup)
    assert "attachment files: 0 copied, 1 already there" in again.output and "(2 cases)" in again.output


def test_a_backup_without_the_files_its_database_names_fails_loudly(tmp_path, org, store):
    # Before, a BLOB_DIR pointing at the wrong folder gave "0 copied" and exit 0: the loss showed
    # only at the restore, as cases without their evidence.
    _file_with_attachment(store, org)
    elsewhere = tmp_path / "not-the-blobs"
    elsewhere.mkdir()
    result = _backup(tmp_path, store, tmp_path / "backup", COMPLAINTS_BLOB_DIR=str(elsewhere))
    assert result.exit_code != 0 and "1 attachment files the database names are not in" in result.output
    assert "check BLOB_DIR" in result.output


def test_a_backup_never_lands_on_the_live_database_the_keys_or_the_instance(tmp_path, store):
    # Before, "complaints backup instance" replaced the live database under the running workers.
    engine, blobs = store.engine, store.vault.blob_dir
    keys, instance = store.vault.keyring.keys_dir, tmp_path / "instance"
    for wrong in (tmp_path, keys, keys / "inner", instance, blobs, blobs / "00", tmp_path / "instance" / "backup"):
        with pytest.raises(BackupRefused):
            back_up(engine, blobs, wrong, keep_out=(keys, instance))
    missing = create_engine(f"sqlite:///{tmp_path / 'typo.db'}")
    with pytest.raises(BackupRefused, match="no database file"):
        back_up(missing, blobs, tmp_path / "elsewhere")
    assert not (tmp_path / "typo.db").exists()  # sqlite3 would have made an empty one


def test_a_postgresql_database_is_left_to_pg_dump(tmp_path):
    engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test")
    with pytest.raises(BackupRefused, match="pg_dump"):
        back_up(engine, tmp_path / "blobs", tmp_path / "backup")
    assert not (tmp_path / "backup" / "complaints.db").exists()
