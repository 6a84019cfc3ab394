"""Database plumbing that knows nothing of Flask: Base, column types, engines and sessions.

The web layer opens one session per app context (``complaints.web.context``); the CLI and the
scheduler open their own with ``make_session_factory``. Workflow code only ever receives a session.
"""
from __future__ import annotations

import os

from datetime import datetime, timezone
from typing import Any, cast

from sqlalchemy import DateTime, Engine, MetaData, Table, create_engine, event, inspect
from sqlalchemy.orm import DeclarativeBase, Session, make_transient_to_detached, sessionmaker
from sqlalchemy.types import TypeDecorator

# The longest a statement waits for another transaction's lock: SQLite's busy timeout and
# PostgreSQL's lock_timeout (key rotation's settle time is longer, rotation.py).
LOCK_WAIT_SECONDS = 30

# Stable constraint names, so Alembic migrations name the same things on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC instant on both databases.

    SQLite has no time zone type; storing naive UTC and re-attaching UTC on the way out keeps
    comparisons in SQL and in Python consistent. Naive input is refused: a naive time is a bug.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


def sqlite_file_missing(engine: Engine) -> str | None:
    """The path of ``engine``'s SQLite database file when there is none there (sqlite3 would
    create an empty one on connecting); None for a file that exists, memory or another database."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return None if os.path.exists(database) else database


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets foreign keys, a busy timeout and WAL for concurrent readers.

    A failed statement's error names no parameters: they would put a corruption report's blind
    index, sizes and stamps into a log line next to the time the error was logged.
    """
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": LOCK_WAIT_SECONDS})
        engine = create_engine(url, **kwargs)

        database = engine.url.database

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            if database and database != ":memory:" and os.path.exists(database):
                # Dates, sizes and blind indexes are in clear: for the server's other accounts, no
                # more readable than the keys. SQLite gives -wal and -shm the file's own mode.
                os.chmod(database, 0o600)
            # Let SQLAlchemy, not pysqlite, decide when a transaction begins (see "begin" below).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA busy_timeout={LOCK_WAIT_SECONDS * 1000}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin_immediate(conn: Any) -> None:
            # Take the write lock at BEGIN. A deferred transaction that reads and then writes
            # fails at once (SQLITE_BUSY) when another writer committed in between, instead of
            # waiting its turn; every caller would need a retry loop. The embedded default serves
            # one small office, so serialized transactions cost little. Keep transactions short:
            # filing encrypts attachments before its first statement.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _bounded_lock_waits(dbapi_conn: Any, _record: Any) -> None:
        # As SQLite's busy timeout: a statement gives up after LOCK_WAIT_SECONDS waiting for a lock
        # instead of waiting for ever. Key rotation counts on it: a filing that wrapped its data key under
        # the old key commits within that, or fails, before rotation's second pass (rotation.py).
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET lock_timeout = '{LOCK_WAIT_SECONDS}s'")
        dbapi_conn.commit()

    return engine


def make_session_factory(engine: Engine, vault: Any = None) -> sessionmaker[Session]:
    """A session factory whose sessions carry the vault (keys and blob store) in ``session.info``.

    Filing and reading need keys; binding the vault to the session keeps workflow signatures to
    (session, ..., now) while still passing everything explicitly from the caller that built it.
    """
    return sessionmaker(bind=engine, expire_on_commit=False, info={"vault": vault})


def insert_new(session: Session, *objects: Base) -> None:
    """INSERT new (transient) objects, one Core statement each in the order given, and attach
    them to the session as persistent, as if just loaded.

    For the filing hot path, where the unit of work's per-flush bookkeeping cost more than the
    INSERTs themselves. A column takes the value set on the object, else its scalar default, else
    NULL when it has no default at all, and the object is given the same; columns with a callable
    or server default are left to the database and load on first access. An autoincrement key
    comes back from the INSERT. Pass parents before children. If the transaction rolls back,
    the objects leave the session.
    """
    states = [inspect(obj) for obj in objects]
    if not all(state.transient for state in states):
        raise ValueError("insert_new takes only new objects that are not in a session yet")
    conn = session.connection()
    for obj, state in zip(objects, states):
        table = cast(Table, state.mapper.local_table)
        values: dict[str, Any] = {}
        for prop in state.mapper.column_attrs:
            column = prop.columns[0]
            if prop.key in state.dict:
                values[column.key] = state.dict[prop.key]
            elif column.default is not None and column.default.is_scalar:
                values[column.key] = column.default.arg  # type: ignore[attr-defined]
                setattr(obj, prop.key, values[column.key])
            elif column.default is None and column.server_default is None and not column.primary_key:
                values[column.key] = None  # what the row will hold anyway: known, not read back
                setattr(obj, prop.key, None)
        result = conn.execute(table.insert(), values)
        for column, key in zip(table.primary_key, result.inserted_primary_key or ()):
            setattr(obj, state.mapper.get_property_by_column(column).key, key)
        make_transient_to_detached(obj)
        session.add(obj)
        session.info.setdefault(_INSERTED, []).append(obj)


_INSERTED = "complaints.inserted_new"


@event.listens_for(Session, "after_soft_rollback")
def _forget_inserted(session: Session, previous_transaction: Any) -> None:
    # A unit-of-work INSERT is undone in the session by a rollback; these rows must be too, or
    # the session would keep objects whose rows (and, on SQLite, rowids) no longer exist.
    if previous_transaction.parent is not None:
        return
    for obj in session.info.pop(_INSERTED, []):
        if obj in session:
            session.expunge(obj)


@event.listens_for(Session, "after_commit")
def _keep_inserted(session: Session) -> None:
    session.info.pop(_INSERTED, None)
