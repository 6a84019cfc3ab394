"""Throw-away databases and apps for benchmarks (SQLite file or a private PostgreSQL schema)."""
from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import make_url

from complaints import create_app
from complaints.db import make_engine
from complaints.migrate import upgrade
from complaints.seed import ensure_demo_org
from complaints.web.context import get_store

PG_URL = os.environ.get("COMPLAINTS_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def database(kind: str) -> Iterator[str]:
    """A migrated empty database URL; removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            engine = make_engine(url)
            upgrade(engine)
            engine.dispose()
            yield url
        return
    schema = f"bench_{secrets.token_hex(4)}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def bench_app(url: str, **config: object) -> Iterator[Flask]:
    """An app on ``url`` with keys, the demo organization and no rate limit."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"INSTANCE_PATH": tmp, "SECRET_KEY": secrets.token_hex(16), "DATABASE_URL": url,
                          "FILING_RATE_LIMIT": "1000000 per minute",
                          "FILING_ATTEMPT_LIMIT": "1000000 per minute", **config})
        store = get_store(app)
        store.vault.keyring.create_missing()
        with store.sessions() as session, session.begin():
            ensure_demo_org(session)
        yield app
        store.engine.dispose()


def pg_available() -> bool:
    """True when the benchmark's PostgreSQL answers."""
    try:
        engine = make_engine(PG_URL)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return False
