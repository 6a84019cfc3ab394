"""A stolen database reveals no story, no identity and no tracking code.

Markers are filed in every encrypted field, then the raw SQLite file (with its WAL) or a
``pg_dump`` of the test schema, and the blob files, are searched byte for byte.
"""
from __future__ import annotations

import io
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from complaints import codes
from complaints.workflow.intake import IncomingFile, file_complaint
from tests.conftest import NOW


def _markers() -> dict[str, str]:
    tag = secrets.token_hex(6)
    return {f: f"CANARY-{f}-{tag}-นกขมิ้น" for f in ("subject", "description", "place", "accused",
                                                    "name", "phone", "email", "filename")}


def _needles(markers: dict[str, str], code: str) -> list[bytes]:
    found = []
    for m in markers.values():
        found += [m.encode("utf-8"), m.encode("utf-16-le"), m.split("-")[2].encode()]
    normalized = codes.normalize(code)
    return found + [code.encode(), normalized.encode(), normalized.lower().encode()]


def _file_canaries(session, org, channel: str, kind: str):
    m = _markers()
    story = {k: m[k] for k in ("subject", "description", "place", "accused")}
    identity = {k: m[k] for k in ("name", "phone", "email")}
    att = IncomingFile(m["filename"] + ".pdf", "application/pdf", io.BytesIO(b"%PDF " + m["description"].encode()))
    with session.begin():
        filing = file_complaint(session, org, channel, kind, "web", story, identity, [att], NOW)
    return m, filing.tracking_code


def _blob_bytes(blob_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(blob_dir.rglob("*")) if p.is_file())


@pytest.mark.parametrize("channel,kind", [("general", "complaint"), ("corruption", "complaint")])
def test_database_and_blobs_hold_no_marker_and_no_code(app, store, session, org, db_url, channel, kind):
    markers, code = _file_canaries(session, org, channel, kind)
    session.close()
    if db_url.startswith("sqlite"):
        store.engine.dispose()  # release the file; the WAL, if any, is searched too
        path = Path(make_url(db_url).database)
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        assert len(raw) > 10_000
    else:
        if not shutil.which("pg_dump"):
            pytest.fail("pg_dump is needed for the PostgreSQL canary test")
        url = make_url(db_url)
        schema = url.query["options"].split("search_path=")[1]
        raw = subprocess.run(
            ["pg_dump", "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U",
             url.username or "postgres", "-n", schema, url.database],
            check=True, capture_output=True,
        ).stdout
        assert b"CREATE TABLE" in raw and b"COPY" in raw
    blobs = _blob_bytes(Path(app.config["BLOB_DIR"]))
    assert blobs, "the attachment should be in the blob store"
    for needle in _needles(markers, code):
        assert needle not in raw, f"{needle!r} found in the database dump"
        assert needle not in blobs, f"{needle!r} found in the blob store"


def test_canary_search_would_see_clear_text(app, store, session, org, db_url):
    """Guard against a blind test: the same search does find a value stored in clear (the org name)."""
    if not db_url.startswith("sqlite"):
        pytest.skip("one database is enough to show the search works")
    session.close()
    store.engine.dispose()
    path = Path(make_url(db_url).database)
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert org.name_th.encode() in raw
