"""Alembic environment: the engine comes from the caller (``complaints.migrate``), never a URL in an ini."""
from __future__ import annotations

from alembic import context

from complaints.models import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=engine.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    context.run_migrations()
