"""Alembic's entry point: migrate the database handed over in the configuration."""

from __future__ import annotations

from alembic import context

from summitry.store.schema import Base

database = context.config.attributes["database"]
with database.owner.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=database.is_sqlite,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
