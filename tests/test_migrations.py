"""The migrations build exactly the schema the models describe, on both databases."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from datetime import datetime, timezone

from sqlalchemy import inspect

from complaints.db import make_engine
from complaints.migrate import alembic_config, is_current, upgrade
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
