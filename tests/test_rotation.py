"""Key rotation on both databases: every DEK re-wrapped, old keys deletable, running apps follow."""
from __future__ import annotations

import io
import uuid
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from complaints import keyring as keyring_module
from complaints.cli import main
from complaints.keyring import KeyRing
from complaints.models import Case
from complaints.rotation import rotate_keys
from complaints.web.context import Store, get_store
from complaints.workflow.intake import IncomingFile, file_complaint
from tests.conftest import NOW, make_test_app

FAMILIES = [(c, p) for c in ("general", "corruption") for p in ("story", "identity")]
# (channel, identity, attachments) of the cases filed before each rotation.
SAMPLES = [
    ("general", {"name": "สมหญิง", "phone": "089-000-0000"}, {"หลักฐาน.pdf": b"%PDF " + b"z" * 70_000}),
    ("general", {"name": "สมศักดิ์", "email": "s@example.th"}, {}),
    ("corruption", None, {"ใบเสร็จ.jpg": b"\xff\xd8 receipt"}),
    ("corruption", {"name": "ผู้แจ้งเบาะแส", "line_id": "tipper"}, {}),
]
Expected = dict[uuid.UUID, tuple[dict, dict | None, dict[str, bytes]]]


def _file_samples(session, org) -> Expected:  # type: ignore[no-untyped-def]
    expected: Expected = {}
    with session.begin():
        for i, (channel, identity, files) in enumerate(SAMPLES):
            story = {"description": f"เรื่องที่ {i} ของช่องทาง {channel}"}
            uploads = [IncomingFile(n, "application/octet-stream", io.BytesIO(b)) for n, b in files.items()]
            kind = "complaint" if channel == "general" else "tip"
            case = file_complaint(session, org, channel, kind, "web", story, identity, uploads, NOW).case
            expected[case.id] = (story, identity, files)
    return expected


def _assert_reads_everything(store: Store, expected: Expected) -> None:
    vault = store.vault
    with store.sessions() as s:
        for case_id, (story, identity, files) in expected.items():
            case = s.get(Case, case_id)
            assert vault.story(case) == story and vault.identity(case) == identity
            got = {vault.open_text(case, "attachment-name", a.id, a.name_ct): b"".join(vault.read_blob(case, a))
                   for a in case.attachments}
            assert got == files


def _kid(key_file: str) -> str:
    return key_file.removesuffix(".key").rsplit("-", 1)[1]


def _assert_all_under_current(store: Store, new_keys: list[str]) -> None:
    ring = store.vault.keyring
    assert sorted(ring.current(c, p)[0] for c, p in FAMILIES) == sorted(_kid(n) for n in new_keys)
    with store.sessions() as s:
        for case in s.scalars(select(Case)):
            assert case.story_kek_id == ring.current(case.channel, "story")[0]
            if case.identity_ct is not None:
                assert case.identity_kek_id == ring.current(case.channel, "identity")[0]
            else:
                assert case.identity_kek_id is None


def _restart(instance: Path, db_url: str) -> Store:
    return get_store(make_test_app(instance, db_url))


def test_rotate_keys_rewraps_every_dek_and_leaves_ciphertext(session, org, store):
    expected = _file_samples(session, org)
    with store.sessions() as s:
        before = {c.id: (c.story_kek_id, c.story_dek, c.story_ct, c.identity_ct) for c in s.scalars(select(Case))}
    blobs = {p: p.read_bytes() for p in store.vault.blob_dir.rglob("*.bin")}
    report = rotate_keys(store.sessions, store.vault, batch=2, settle_seconds=0)
    assert len(report.new_keys) == 4 and report.rewrapped == len(SAMPLES) and report.remaining == 0
    _assert_all_under_current(store, report.new_keys)
    with store.sessions() as s:
        for case in s.scalars(select(Case)):
            old_kid, old_dek, story_ct, identity_ct = before[case.id]
            assert case.story_kek_id != old_kid and case.story_dek != old_dek
            assert (case.story_ct, case.identity_ct) == (story_ct, identity_ct)
    assert {p: p.read_bytes() for p in store.vault.blob_dir.rglob("*.bin")} == blobs
    _assert_reads_everything(store, expected)


def test_cli_rotate_then_restart_and_delete_old_keys(tmp_path, db_url, session, org, store):
    instance = tmp_path / "instance"
    expected = _file_samples(session, org)
    env = {"COMPLAINTS_INSTANCE_PATH": str(instance), "COMPLAINTS_DATABASE_URL": db_url}
    result = CliRunner().invoke(main, ["rotate-keys", "--batch", "3", "--settle-seconds", "0"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"re-wrapped {len(SAMPLES)} cases; 0 still under an older key" in result.output
    new_keys = [line.removeprefix("new key ") for line in result.output.splitlines() if line.startswith("new key ")]
    restarted = _restart(instance, db_url)
    try:
        _assert_all_under_current(restarted, new_keys)
        _assert_reads_everything(restarted, expected)
    finally:
        restarted.engine.dispose()
    keys_dir = store.vault.keyring.keys_dir
    newest = {f"kek-{c}-{p}-{max(KeyRing(keys_dir).kids(c, p))}.key" for c, p in FAMILIES}
    for path in keys_dir.glob("kek-*.key"):
        if path.name not in newest:
            path.unlink()
    assert sorted(p.name for p in keys_dir.iterdir()) == sorted(newest | {"index.key"})
    restarted = _restart(instance, db_url)
    try:
        assert sorted(p.name for p in keys_dir.iterdir()) == sorted(newest | {"index.key"})
        _assert_reads_everything(restarted, expected)
    finally:
        restarted.engine.dispose()


def test_running_app_follows_a_rotation_made_elsewhere(tmp_path, db_url, session, org, store):
    instance = tmp_path / "instance"
    expected = _file_samples(session, org)
    reader = _restart(instance, db_url)  # a second worker, started before the rotation too
    rotator = _restart(instance, db_url)
    try:
        report = rotate_keys(rotator.sessions, rotator.vault, settle_seconds=0)
        assert report.remaining == 0
        # The old reader has never seen the new kids: it reloads on the unknown id.
        _assert_reads_everything(reader, expected)
        # The old filer picks up the new current KEKs for a new case.
        with session.begin():
            case = file_complaint(session, org, "corruption", "tip", "web", {"description": "หลังหมุนกุญแจ"},
                                  {"name": "ผู้แจ้ง", "phone": "02-000-0000"}, [], NOW).case
        assert case.story_kek_id == rotator.vault.keyring.current("corruption", "story")[0]
        assert case.identity_kek_id == rotator.vault.keyring.current("corruption", "identity")[0]
        assert {case.story_kek_id, case.identity_kek_id} <= {_kid(n) for n in report.new_keys}
    finally:
        reader.engine.dispose()
        rotator.engine.dispose()


def test_rotate_twice_in_a_row(session, org, store):
    expected = _file_samples(session, org)
    for _ in range(2):
        report = rotate_keys(store.sessions, store.vault, settle_seconds=0)
        assert report.remaining == 0 and report.rewrapped == len(SAMPLES)
        _assert_all_under_current(store, report.new_keys)
        _assert_reads_everything(store, expected)


def test_a_new_key_is_current_even_within_the_same_clock_tick(tmp_path, monkeypatch):
    frozen = 1_744_252_200_000_000_000  # the clock does not move between keys
    monkeypatch.setattr(keyring_module.time, "time_ns", lambda: frozen)
    ring = KeyRing(tmp_path / "keys", environ={})
    for _ in range(8):
        name = ring.add_kek("general", "story")
        ring.reload()
        assert ring.current("general", "story")[0] == _kid(name)


def test_a_filing_that_wrapped_under_the_old_key_and_committed_after_the_pass_is_rewrapped_too(
        tmp_path, session, org, store):
    # Before, the one pass reported "0 still under an older key" while a filing that had read the
    # old KEK committed a moment later; deleting the old key files, as told, lost that case.
    import shutil

    from complaints.db import make_session_factory
    from complaints.store import Vault

    _file_samples(session, org)
    snapshot = tmp_path / "keys-as-a-worker-read-them"
    shutil.copytree(store.vault.keyring.keys_dir, snapshot)
    late_vault = Vault(KeyRing(snapshot, environ={}), store.vault.blob_dir)
    late_sessions = make_session_factory(store.engine, late_vault)
    late: list[uuid.UUID] = []

    def a_filing_commits_meanwhile(seconds: float) -> None:
        assert seconds == 60
        with late_sessions() as s, s.begin():
            late.append(file_complaint(s, s.merge(org), "corruption", "tip", "web", {"description": "ช้า"},
                                       {"name": "ผู้แจ้ง", "phone": "02-000-0000"}, [], NOW).case.id)

    report = rotate_keys(store.sessions, store.vault, wait=a_filing_commits_meanwhile)
    assert report.remaining == 0 and report.rewrapped == len(SAMPLES) + 1
    _assert_all_under_current(store, report.new_keys)
    with store.sessions() as s:
        assert store.vault.story(s.get(Case, late[0])) == {"description": "ช้า"}


def test_a_filing_waits_for_a_lock_no_longer_than_rotation_settles(engine):
    # Rotation re-wraps again after SETTLE_SECONDS; a filing stuck on a lock past that (PostgreSQL
    # had no lock_timeout) could still commit under the old key after "0 still under an older key".
    from sqlalchemy import text

    from complaints.db import LOCK_WAIT_SECONDS
    from complaints.rotation import SETTLE_SECONDS

    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            assert connection.execute(text("SHOW lock_timeout")).scalar() == f"{LOCK_WAIT_SECONDS}s"
        else:
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == LOCK_WAIT_SECONDS * 1000
    assert LOCK_WAIT_SECONDS * 1.5 <= SETTLE_SECONDS
