"""Run Alembic migrations programmatically (``complaints init``, tests, start-up checks)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


MIGRATIONS = "complaints:migrations"


def alembic_config(engine: Engine, location: str = MIGRATIONS) -> Config:
    """An Alembic config pointing at the package's migrations (or ``location``) and at this engine.

    There is no alembic.ini: the engine comes from the instance's configuration, as the
    application's does, so a migration can never run against a database the app does not use.
    """
    cfg = Config()
    cfg.set_main_option("script_location", location)
    # Numbered as the existing ones are: 0011_what_it_does.py, revision "0011".
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    cfg.attributes["engine"] = engine
    return cfg


def new_revision(engine: Engine, message: str, location: str = MIGRATIONS) -> Path:
    """Write the next numbered migration, its operations found by comparing the models with the
    database (which must be at the newest migration: Alembic refuses otherwise); returns its file.
    Read it before committing it: autogenerate misses renames and some server defaults."""
    cfg = alembic_config(engine, location)
    head = ScriptDirectory.from_config(cfg).get_current_head()
    rev_id = f"{int(head or 0) + 1:04d}"
    script = command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)
    if script is None or isinstance(script, list):  # one head, one script: anything else is a bug here
        raise RuntimeError(f"alembic wrote no single revision for {message!r}")
    return Path(script.path)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision``."""
    command.upgrade(alembic_config(engine), revision)


def is_current(engine: Engine) -> bool:
    """True when the database is at the newest migration."""
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head
