"""The migrations build exactly the schema the models describe, on both databases."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from complaints.db import make_engine
from complaints.migrate import alembic_config, is_current, upgrade
from complaints.models import Base


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
