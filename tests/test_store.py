"""The encrypted store on both databases: round trips, key separation, and moved ciphertext failing."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from complaints import create_app
from complaints.blobpad import TRAILER, padme
from complaints.crypto import DecryptionError, MissingKeyError, open_sealed
from complaints.keyring import KeyRing
from complaints.models import Attachment, Case, Message
from complaints.store import Vault
from complaints.web.context import get_store
from complaints.workflow.intake import Filing, IncomingFile, file_complaint
from tests.conftest import FAST_KDF, NOW, make_test_app

STORY = {"description": "ถนนหน้าบ้านเป็นหลุมลึก", "place": "หมู่ที่ 3"}
IDENTITY = {"name": "สมชาย ใจดี", "phone": "081-234-5678"}
FILES = {"ภาพถ่าย.jpg": b"\xff\xd8 jpeg bytes", "แผนที่.pdf": b"%PDF-1.7 " + bytes(range(256)) * 300}


def _file(session, org, channel="general", identity=IDENTITY, files=FILES) -> Filing:  # type: ignore[no-untyped-def]
    kind = "complaint" if channel == "general" else "tip"
    uploads = [IncomingFile(n, "application/octet-stream", io.BytesIO(b)) for n, b in files.items()]
    with session.begin():
        return file_complaint(session, org, channel, kind, "web", STORY, identity, uploads, NOW)


def _update(store, case_id, **values) -> None:  # type: ignore[no-untyped-def]
    with store.sessions() as s, s.begin():
        case = s.get(Case, case_id)
        for name, value in values.items():
            setattr(case, name, value)


def test_every_encrypted_field_round_trips_after_restart(tmp_path, db_url, session, org):
    case_id = _file(session, org).case.id
    restarted = make_test_app(tmp_path / "instance", db_url)
    store = get_store(restarted)
    try:
        with store.sessions() as s:
            case, vault = s.get(Case, case_id), store.vault
            assert vault.story(case) == STORY and vault.identity(case) == IDENTITY
            atts = s.scalars(select(Attachment).where(Attachment.case_id == case_id)).all()
            opened = {vault.open_text(case, "attachment-name", a.id, a.name_ct): a for a in atts}
            assert set(opened) == set(FILES)
            for name, att in opened.items():
                assert b"".join(vault.read_blob(case, att)) == FILES[name]
                assert att.size == padme(len(FILES[name]) + TRAILER.size)  # padded: see blobpad
            msg = s.scalars(select(Message).where(Message.case_id == case_id)).one()
            assert msg.kind == "receipt" and "due" in json.loads(vault.open_text(case, "message", msg.id, msg.body_ct))
            for blob in (case.story_ct, case.identity_ct, *(a.name_ct for a in atts), msg.body_ct):
                assert "สมชาย".encode() not in blob and "ถนน".encode() not in blob
    finally:
        store.engine.dispose()


def test_story_and_identity_use_separate_keys(session, org, store):
    general = _file(session, org).case
    ring = store.vault.keyring
    assert general.story_kek_id == ring.current("general", "story")[0]
    assert general.identity_kek_id == ring.current("general", "identity")[0]
    assert general.story_kek_id != general.identity_kek_id and general.story_dek != general.identity_dek
    tip = _file(session, org, "corruption", identity={"name": "ผู้แจ้ง", "email": "a@b.th"}).case
    assert tip.story_kek_id == ring.current("corruption", "story")[0]
    assert tip.identity_kek_id == ring.current("corruption", "identity")[0]
    assert {tip.story_kek_id, tip.identity_kek_id}.isdisjoint({general.story_kek_id, general.identity_kek_id})


def test_story_and_identity_are_sealed_with_different_data_keys(session, org, store):
    # Different KEKs are not enough: wrapping one DEK twice would let anyone who may read the
    # story (and so holds its DEK) open who filed it.
    case = _file(session, org).case
    story_dek, identity_dek = store.vault._dek(case, "story"), store.vault._dek(case, "identity")
    assert len(story_dek) == len(identity_dek) == 32 and story_dek != identity_dek
    with pytest.raises(DecryptionError):
        open_sealed(story_dek, case.identity_ct, store.vault.field_ad(case.id, "identity"))
    assert store.vault.identity(case) == IDENTITY


@pytest.mark.parametrize("move", ["swap-story", "story-into-identity", "swap-story-dek"])
def test_ciphertext_moved_to_another_row_or_field_fails(session, org, store, move):
    a, b = _file(session, org).case, _file(session, org).case
    if move == "swap-story":
        _update(store, a.id, story_ct=b.story_ct)
        _update(store, b.id, story_ct=a.story_ct)
    elif move == "story-into-identity":
        _update(store, a.id, identity_ct=a.story_ct)
    else:
        _update(store, a.id, story_dek=b.story_dek)
        _update(store, b.id, story_dek=a.story_dek)
    with store.sessions() as s:
        case = s.get(Case, a.id)
        with pytest.raises(DecryptionError):
            store.vault.identity(case) if move == "story-into-identity" else store.vault.story(case)
        if move == "story-into-identity":
            assert store.vault.story(case) == STORY  # only the moved value fails


@pytest.mark.parametrize("across_cases", [False, True])
def test_swapped_attachment_blobs_fail(session, org, store, across_cases):
    first = _file(session, org).case
    second = _file(session, org).case if across_cases else first
    with store.sessions() as s:
        query = select(Attachment).order_by(Attachment.id)
        atts = s.scalars(query.where(Attachment.case_id == first.id)).all()
        if across_cases:
            atts = [atts[0], s.scalars(query.where(Attachment.case_id == second.id)).first()]
        p1, p2 = (store.vault.blob_path(a.id) for a in atts)
        tmp = p1.with_suffix(".swap")
        p1.rename(tmp)
        p2.rename(p1)
        tmp.rename(p2)
        for att in atts:
            case = s.get(Case, att.case_id)
            with pytest.raises(DecryptionError):
                b"".join(store.vault.read_blob(case, att))


def _only_general_keys(src: Path, dst: Path) -> Path:
    dst.mkdir()
    for path in src.glob("kek-general-*.key"):
        shutil.copy(path, dst / path.name)
    shutil.copy(src / "index.key", dst / "index.key")
    return dst


def test_corruption_case_cannot_be_opened_with_general_keys(tmp_path, session, org, store):
    tip = _file(session, org, "corruption", identity=None).case
    keys = _only_general_keys(store.vault.keyring.keys_dir, tmp_path / "general-only")
    vault = Vault(KeyRing(keys, environ={}), store.vault.blob_dir)
    with store.sessions() as s:
        case = s.get(Case, tip.id)
        with pytest.raises(MissingKeyError):
            vault.story(case)
        # The general story KEK's bytes filed under the corruption kid still do not open it.
        general_kek = store.vault.keyring.current("general", "story")[1]
        (keys / f"kek-corruption-story-{case.story_kek_id}.key").write_bytes(general_kek)
        with pytest.raises(DecryptionError):
            Vault(KeyRing(keys, environ={}), store.vault.blob_dir).story(case)


def test_missing_keys_dir_raises_missing_key_not_plaintext(tmp_path, db_url, session, org):
    case_id = _file(session, org).case.id
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": db_url,
                      "KEYS_DIR": str(tmp_path / "empty-keys"), **FAST_KDF})
    store = get_store(app)
    try:
        with store.sessions() as s:
            case = s.get(Case, case_id)
            with pytest.raises(MissingKeyError, match=f"general-story/{case.story_kek_id}") as err:
                store.vault.story(case)
            assert STORY["description"] not in str(err.value)
            with pytest.raises(MissingKeyError, match=f"general-identity/{case.identity_kek_id}"):
                store.vault.identity(case)
            with pytest.raises(MissingKeyError):
                b"".join(store.vault.read_blob(case, case.attachments[0]))
            s.rollback()
            with pytest.raises(MissingKeyError, match="complaints init|index.key"), s.begin():
                file_complaint(s, s.merge(org), "general", "complaint", "web", STORY, IDENTITY, [], NOW)
        with store.sessions() as s:
            assert s.scalar(select(func.count()).select_from(Case)) == 1
    finally:
        store.engine.dispose()


def test_failed_filing_leaves_no_blob_and_no_case(session, org, store):
    with pytest.raises(RuntimeError, match="after filing"), session.begin():
        filing = file_complaint(session, org, "general", "complaint", "web", STORY, IDENTITY,
                                [IncomingFile("a.txt", "text/plain", io.BytesIO(b"x" * 200_000))], NOW)
        assert store.vault.blob_path(filing.case.attachments[0].id).is_file()
        raise RuntimeError("after filing")
    assert not [p for p in store.vault.blob_dir.rglob("*") if p.is_file()]
    with store.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 0
        assert s.scalar(select(func.count()).select_from(Attachment)) == 0


def test_a_failed_statement_names_no_parameters(store):
    # An error logged while filing would otherwise carry a report's values (blind index, sizes).
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError) as failed, store.engine.connect() as conn:
        conn.execute(text("SELECT no_such_column FROM organization WHERE slug = :slug"), {"slug": "ค่าลับ-4711"})
    assert "ค่าลับ-4711" not in str(failed.value) and "hidden" in str(failed.value)


def test_blob_files_are_for_the_service_account_only(session, org, store):
    # Before, 0644 inside 0700 folders: one chmod of a folder away from every account's reading.
    import stat

    with session.begin():
        filing = file_complaint(session, org, "general", "complaint", "web", STORY, IDENTITY,
                                [IncomingFile("a.txt", "text/plain", io.BytesIO(b"x" * 100))], NOW)
    assert stat.S_IMODE(store.vault.blob_path(filing.case.attachments[0].id).stat().st_mode) == 0o600
