"""One database session per app context, bound to the app's vault (keys and blob store)."""
from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session, sessionmaker

from complaints.db import make_engine, make_session_factory
from complaints.keyring import KeyRing
from complaints.store import Vault
from complaints.web.orgcache import OrgCache


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
