"""Alembic's environment for the gateway's schema: always given a connection by
:mod:`gateway.store.migrate` (there is no alembic.ini to read)."""

from __future__ import annotations

from alembic import context

from gateway.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite alters a table by copying it: batch mode does that, and is a no-op elsewhere.
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
