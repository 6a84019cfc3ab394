"""The migrations build exactly the schema the models describe, on both databases."""
from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from click.testing import CliRunner
from sqlalchemy import Column, Integer, Table, inspect

import complaints.migrations
from complaints.cli import main

from complaints.db import make_engine
from complaints.migrate import alembic_config, is_current, new_revision, upgrade
from complaints.models import Base, StaffUser
from complaints.seed import ensure_demo_org, file_demo_complaints
from complaints.web.context import get_store
from tests.conftest import make_test_app


def test_migrated_schema_matches_models(engine):
    assert is_current(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_hot_path_indexes_exist(engine):
    names = {ix["name"] for ix in inspect(engine).get_indexes("case")}
    assert {"ix_case_queue", "ix_case_open_due", "ix_case_stats"} <= names
    uniques = {tuple(u["column_names"]) for u in inspect(engine).get_unique_constraints("case")}
    assert ("tracking_index",) in uniques and ("org_id", "channel", "fiscal_year", "number") in uniques


def test_downgrade_to_base_and_up_again(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(engine)
    command.downgrade(alembic_config(engine), "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert "case_event" in inspect(engine).get_table_names()
    engine.dispose()


def test_downgrade_and_up_again_with_an_organization_and_its_cases(tmp_path):
    # Rebuilding a table on SQLite breaks the foreign keys of the rows that refer to it.
    app = make_test_app(tmp_path / "instance", f"sqlite:///{tmp_path / 'd.db'}")
    store = get_store(app)
    upgrade(store.engine)
    with store.sessions() as session, session.begin():
        org, _ = ensure_demo_org(session)
        session.add(StaffUser(org_id=org.id, username="legal1", display_name="นิติกร", password_hash="x",
                              unit_id=org.units[1].id, created_at=datetime(2026, 1, 1, tzinfo=timezone.utc)))
        file_demo_complaints(session, org, 4, datetime(2026, 1, 1, tzinfo=timezone.utc))
    command.downgrade(alembic_config(store.engine), "0001")
    assert "address_th" not in {c["name"] for c in inspect(store.engine).get_columns("organization")}
    upgrade(store.engine)
    assert is_current(store.engine)
    store.engine.dispose()


def test_a_new_migration_is_numbered_next_and_holds_the_models_change(tmp_path):
    # Written into a copy of the migrations, not the package's own folder.
    location = tmp_path / "migrations"
    shutil.copytree(Path(complaints.migrations.__file__).parent, location,
                    ignore=shutil.ignore_patterns("__pycache__"))
    engine = make_engine(f"sqlite:///{tmp_path / 'n.db'}")
    upgrade(engine)
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    expected = f"{int(head) + 1:04d}"
    extra = Table("added_for_the_test", Base.metadata, Column("id", Integer, primary_key=True))
    try:
        path = new_revision(engine, "add a table", str(location))
    finally:
        Base.metadata.remove(extra)
    assert path.parent == location / "versions" and path.name == f"{expected}_add_a_table.py"
    text = path.read_text()
    assert f"revision = '{expected}'" in text and f"down_revision = '{head}'" in text
    assert "op.create_table('added_for_the_test'" in text and "op.drop_table('added_for_the_test')" in text
    # A database behind the newest migration would put its lag into the new one: refused.
    behind = make_engine(f"sqlite:///{tmp_path / 'behind.db'}")
    with pytest.raises(CommandError, match="not up to date"):
        new_revision(behind, "anything", str(location))
    engine.dispose()
    behind.dispose()


def test_new_migration_is_refused_in_production_and_on_a_database_behind(tmp_path):
    env = {"COMPLAINTS_INSTANCE_PATH": str(tmp_path), "COMPLAINTS_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    result = CliRunner().invoke(main, ["new-migration", "x"], env=env)
    assert result.exit_code != 0 and "cannot write a migration" in result.output and "not up to date" in result.output
    production = CliRunner().invoke(main, ["new-migration", "x"], env={
        **env, "COMPLAINTS_ENV_NAME": "production", "COMPLAINTS_SECRET_KEY": "s" * 40,
        "COMPLAINTS_DATABASE_URL": "postgresql+psycopg://x@127.0.0.1/x"})
    assert production.exit_code != 0 and "not production" in production.output
