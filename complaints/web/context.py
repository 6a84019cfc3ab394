"""One database session per app context, bound to the app's vault (keys and blob store)."""
from __future__ import annotations

import os
from typing import Literal

from flask import Flask, current_app, g
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from complaints.db import make_engine, make_session_factory, sqlite_file_missing
from complaints.crypto import MissingKeyError
from complaints.keyring import KeyRing
from complaints.migrate import is_current
from complaints.models import Organization
from complaints.store import Vault
from complaints.vocab import CHANNELS, PURPOSES
from complaints.web.orgcache import OrgCache

# What a command opens: every channel's keys, the root key alone (tracking index, audit chain), none.
KeysNeeded = Literal["all", "root", "none"]


class Store:
    """What the app needs to reach the encrypted store: engine, session factory, vault."""

    def __init__(self, database_url: str, keys_dir: str, blob_dir: str, org_cache_seconds: float = 30) -> None:
        self.engine = make_engine(database_url)
        self.vault = Vault(KeyRing(keys_dir), blob_dir)
        self.sessions: sessionmaker[Session] = make_session_factory(self.engine, self.vault)
        self.orgs = OrgCache(org_cache_seconds)


def register_store(app: Flask) -> None:
    """Create the store once per app and close each context's session at teardown."""
    app.extensions["complaints_store"] = Store(
        app.config["DATABASE_URL"], app.config["KEYS_DIR"], app.config["BLOB_DIR"],
        float(app.config["ORG_CACHE_SECONDS"]),
    )

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def get_store(app: Flask | None = None) -> Store:
    """The store of ``app`` (default: the current app)."""
    return (app or current_app).extensions["complaints_store"]  # type: ignore[no-any-return]


def get_session() -> Session:
    """The session of the current app context, opened on first use."""
    if "db_session" not in g:
        g.db_session = get_store().sessions()
    return g.db_session  # type: ignore[no-any-return]


def database_problem(exc: SQLAlchemyError) -> str:
    """What an administrator needs of a database error: the driver's own first line tells
    "refused" from "no such database" from "bad password"."""
    reason = str(getattr(exc, "orig", None) or type(exc).__name__).strip().splitlines()[0][:300]
    return f"the database cannot be opened ({reason}): check DATABASE_URL and that the database server runs"


def startup_problem(app: Flask, *, blobs: bool = True, keys: KeysNeeded = "all") -> str | None:
    """Why ``app`` cannot serve yet (no database, an old schema, no organization, an attachment
    folder it cannot write, missing keys), or None.

    The servers ask before they listen: otherwise every page of an instance that ``complaints
    init`` never prepared is a 500 with a traceback in the log. A command that writes no
    attachment (``blobs=False``) or opens none (``keys="root"``: the tracking index and the audit
    chain only; ``"none"``) asks for less, so that a missing channel key does not stop it.
    """
    store = get_store(app)
    problem = _database_not_ready(store, app.config["ORG_SLUG"])
    if problem:
        return problem
    if blobs:
        folder = store.vault.blob_dir
        place = folder if folder.exists() else folder.parent
        if not (place.is_dir() and os.access(place, os.W_OK | os.X_OK)):
            # Found at start, not at the first filing with a photo (a 500 that loses the report).
            return f"the attachment folder {folder} is not a folder this account can write (BLOB_DIR)"
    try:
        if keys != "none":
            _ = store.vault.keyring.index_key  # a property: reading it raises when the root key is missing
        if keys == "all":
            for channel in CHANNELS:
                for purpose in PURPOSES:
                    store.vault.keyring.current(channel, purpose)
    except MissingKeyError as exc:
        return str(exc)
    return None


def _database_not_ready(store: Store, slug: str) -> str | None:
    missing = sqlite_file_missing(store.engine)
    if missing:
        # Checked before connecting: sqlite3 would leave an empty file where the database was
        # looked for, and the next look (a backup, an orphan purge) would take it for the database.
        return f"there is no database file at {missing}: run 'complaints init' (or check DATABASE_URL)"
    try:
        if not is_current(store.engine):
            return "the database schema is missing or old: run 'complaints init'"
        with store.sessions() as session:
            if session.scalar(select(Organization.id).where(Organization.slug == slug)) is None:
                return f"organization {slug!r} not found: run 'complaints init'"
    except SQLAlchemyError as exc:
        return database_problem(exc) + "; a new instance needs 'complaints init'"
    return None
