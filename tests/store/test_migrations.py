"""Schema migrations on SQLite and PostgreSQL: up from nothing, up from the previous revision,
down and up again, and no drift between the models and what the migrations build."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from importlib.resources import files

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text
from storekit import fresh_database, load_example

from summitry.access.policy import KEEPER, Principal
from summitry.access.sql import readable
from summitry.store import migrate
from summitry.store.audit import keyring
from summitry.store.database import Database, is_migrated
from summitry.store.schema import Base, RecordRow, Workspace
from summitry.store.workspaces import create_workspace, list_workspaces

TABLES = set(Base.metadata.tables)
US = Principal.of("united-states")


def previous_revision() -> str:
    """The revision before the newest one."""
    script = ScriptDirectory(str(files("summitry.store").joinpath("migrations")))
    down = script.get_revision(migrate.head()).down_revision
    assert isinstance(down, str)
    return down


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db(request: pytest.FixtureRequest) -> Iterator[Database]:
    """A database with no tables at all, of each kind."""
    with fresh_database(request, request.param, migrated=False) as db:
        yield db


def store_tables(db: Database) -> set[str]:
    return set(inspect(db.owner).get_table_names()) & TABLES


def policies(db: Database) -> set[str]:
    if db.is_sqlite:
        return set()
    with db.owner.connect() as conn:
        return set(conn.scalars(text("SELECT tablename FROM pg_policies")))


def test_upgrade_an_empty_database(empty_db: Database) -> None:
    assert migrate.current(empty_db) is None
    assert not is_migrated(empty_db)
    migrate.upgrade(empty_db)
    assert migrate.current(empty_db) == migrate.head()
    assert store_tables(empty_db) == TABLES
    if not empty_db.is_sqlite:
        assert policies(empty_db) == {
            "records",
            "revisions",
            "audit",
            "results",
            "jobs",
            "widenings",
        }
    with empty_db.transaction(KEEPER, write=True) as session:
        create_workspace(session, "vienna", "Vienna talks")
    with empty_db.transaction(US) as session:
        assert [w.slug for w in list_workspaces(session)] == ["vienna"]


def test_upgrade_from_the_previous_revision_keeps_the_data(empty_db: Database) -> None:
    previous = previous_revision()
    migrate.upgrade(empty_db, previous)
    assert migrate.current(empty_db) == previous
    at = dt.datetime(2024, 7, 15, 9, 30, tzinfo=dt.UTC)
    rows = [("r-joint", "joint", "agenda"), ("r-russia", ",russia,", "red-lines")]
    with empty_db.owner.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO workspaces (id, slug, title, format_version, revision, created_at) "
                "VALUES ('w-1', 'vienna', 'Vienna talks', 2, 3, :at)"
            ),
            {"at": at},
        )
        for rid, readers, slug in rows:
            conn.execute(
                text(
                    "INSERT INTO records (id, workspace_id, collection, slug, owner, readers, "
                    "compartments, revision, position, body, author, updated_at) VALUES "
                    "(:id, 'w-1', 'notes', :slug, '', :readers, '', 1, 1, :body, 'op', :at)"
                ),
                {"id": rid, "slug": slug, "readers": readers, "body": '{"title": "T"}', "at": at},
            )
    migrate.upgrade(empty_db)
    assert migrate.current(empty_db) == migrate.head()
    with empty_db.transaction(KEEPER) as session:
        workspace = session.scalars(select(Workspace)).one()
        records = {r.id: r for r in session.scalars(select(RecordRow))}
    assert (workspace.slug, workspace.title, workspace.revision) == ("vienna", "Vienna talks", 3)
    assert {rid: (r.readers, r.slug, r.body) for rid, r in records.items()} == {
        rid: (readers, slug, {"title": "T"}) for rid, readers, slug in rows
    }
    # The rows written before the upgrade are read by the rule of the new revision (on
    # PostgreSQL: its row-level security too, here asked without the application's filter).
    with empty_db.transaction(US) as session:
        filtered = set(
            session.scalars(
                select(RecordRow.id).where(readable(US, RecordRow.readers, RecordRow.compartments))
            )
        )
        unfiltered = set(session.scalars(select(RecordRow.id)))
    assert filtered == {"r-joint"}
    if not empty_db.is_sqlite:
        assert unfiltered == {"r-joint"}


def test_downgrade_to_base_and_up_again(empty_db: Database) -> None:
    migrate.upgrade(empty_db)
    load_example(empty_db, keyring(empty_db.file))
    migrate.downgrade(empty_db, "base")
    assert migrate.current(empty_db) is None
    assert store_tables(empty_db) == set()
    assert policies(empty_db) == set()
    if not empty_db.is_sqlite:
        with empty_db.owner.connect() as conn:
            assert conn.scalar(text("SELECT to_regproc('summitry_may_read')")) is None
    migrate.upgrade(empty_db)
    assert migrate.current(empty_db) == migrate.head()
    assert store_tables(empty_db) == TABLES
    load_example(empty_db, keyring(empty_db.file))
    with empty_db.transaction(US) as session:
        unfiltered = {r.readers for r in session.scalars(select(RecordRow))}
    assert "joint" in unfiltered
    if not empty_db.is_sqlite:
        assert ",russia," not in unfiltered  # row-level security is back on


def test_models_and_migrated_schema_do_not_drift(db: Database) -> None:
    """What ``alembic check`` does: autogenerate against the migrated schema finds nothing."""
    with db.owner.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
