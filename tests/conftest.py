"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``COMPLAINTS_TEST_DATABASE_URL`` (default: the local trust-auth server).
Each test session works in its own schema, migrated once and truncated between tests. When
PostgreSQL cannot be reached, its tests are skipped and the run says so at the end, except under
CI (``CI=true``), where that is a failure.
"""
from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from complaints import create_app
from complaints.db import make_engine
from complaints.migrate import upgrade
from complaints.models import Base, Organization
from complaints.seed import ensure_demo_org
from complaints.web.context import Store, get_store
from tests.web_helpers import BrowserLikeClient

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# A fixed instant for tests that need "now": Thursday 10 April 2025, 09:30 in Bangkok.
NOW = datetime(2025, 4, 10, 2, 30, tzinfo=timezone.utc)
# Argon2id at its minimum cost: the SecureDrop trick of a fast KDF for tests only.
FAST_KDF = {"ARGON2_MEMORY_KIB": 8, "ARGON2_ITERATIONS": 1, "ARGON2_LANES": 1}

_pg_problem: str | None = None


def pg_url() -> str:
    """The PostgreSQL URL the suite uses."""
    return os.environ.get("COMPLAINTS_TEST_DATABASE_URL", DEFAULT_PG_URL)


@pytest.fixture(scope="session")
def pg_schema_url() -> Iterator[str]:
    """A migrated private schema on PostgreSQL, dropped at the end of the session."""
    global _pg_problem
    schema = f"ctest_{os.getpid()}_{secrets.token_hex(3)}"
    base = make_url(pg_url())
    try:
        admin = make_engine(base.render_as_string(hide_password=False))
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server means the same thing
        _pg_problem = f"PostgreSQL at {base.render_as_string()} is not reachable: {exc.__class__.__name__}"
        if os.environ.get("CI"):
            pytest.fail(_pg_problem + " (CI requires PostgreSQL)", pytrace=False)
        pytest.skip(_pg_problem)
    url = base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file copied for each test (migrations run once, tests stay isolated)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: a fresh SQLite file, or the truncated PostgreSQL schema."""
    if request.param == "sqlite":
        path = tmp_path / "complaints.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("pg_schema_url")
    yield url
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


def make_test_app(instance: Path, db_url: str, **overrides: Any) -> Flask:
    """An app on ``db_url`` whose instance folder, keys and blobs live under ``instance``."""
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test-" + secrets.token_hex(8),
        "DATABASE_URL": db_url,
        "FILING_RATE_LIMIT": "1000 per minute",
        "FILING_ATTEMPT_LIMIT": "1000 per minute",
        **FAST_KDF,
        **overrides,
    }
    instance.mkdir(parents=True, exist_ok=True)
    app = create_app(config)
    app.test_client_class = BrowserLikeClient  # follows a refused filing back to its form
    get_store(app).vault.keyring.create_missing()
    return app


@pytest.fixture
def app(tmp_path: Path, db_url: str) -> Iterator[Flask]:
    """The application with keys created and the demo organization in the database."""
    application = make_test_app(tmp_path / "instance", db_url)
    with get_store(application).sessions() as session, session.begin():
        ensure_demo_org(session)
    yield application
    get_store(application).engine.dispose()


@pytest.fixture
def store(app: Flask) -> Store:
    """Engine, session factory and vault of ``app``."""
    return get_store(app)


@pytest.fixture
def session(store: Store) -> Iterator[Session]:
    """A session bound to the vault; tests commit with ``session.begin()`` or ``session.commit()``."""
    with store.sessions() as s:
        yield s


@pytest.fixture
def org(session: Session) -> Organization:
    """The demo organization, loaded and the read transaction ended, so tests can ``begin()``."""
    found = session.query(Organization).filter_by(slug="demo").one()
    session.commit()
    return found


@pytest.fixture
def engine(store: Store) -> Engine:
    """The app's engine."""
    return store.engine


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say plainly when the PostgreSQL half of the suite did not run."""
    if _pg_problem:
        terminalreporter.write_sep("!", "PostgreSQL tests were SKIPPED", yellow=True)
        terminalreporter.write_line(_pg_problem)
        terminalreporter.write_line(
            "Set COMPLAINTS_TEST_DATABASE_URL or start PostgreSQL to run them; CI fails instead of skipping."
        )
