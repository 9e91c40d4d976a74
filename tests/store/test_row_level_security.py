"""PostgreSQL row-level security behind the application filter.

The application connects as ``summitry_app``, which is no superuser, cannot bypass row-level
security and owns no table; the policies on the labelled tables admit a row only when the
principal set for the transaction may read it. So a query that leaves out the application's
filter on purpose still returns nothing of another party's.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Connection, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from storekit import load_example

from summitry.access.labels import Label
from summitry.access.policy import JOINT_READER, Principal, can_read
from summitry.access.sql import decode_label
from summitry.store.audit import keyring
from summitry.store.database import Database
from summitry.store.schema import AuditEntry, RecordRow, Workspace, new_id, now

LABELLED = ("records", "revisions", "audit")
US = Principal.of("united-states")
RUSSIA_ONLY = Label(frozenset({"russia"}))


def rows_of(conn: Connection | Session, table: str) -> dict[str, Label]:
    """Every row of ``table`` the connection is shown, by id, with its label (no filter)."""
    result = conn.execute(text(f"SELECT * FROM {table}"))
    return {row.id: decode_label(row.readers, row.compartments) for row in result}


def test_app_role_may_not_bypass_and_owns_nothing(postgres_db: Database) -> None:
    with postgres_db.owner.connect() as conn:
        role = conn.execute(
            text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'summitry_app'")
        ).one()
        owners = dict(
            conn.execute(
                text("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'")
            ).all()
        )
        secured = dict(
            conn.execute(
                text(
                    "SELECT relname, relrowsecurity FROM pg_class "
                    "WHERE relname IN ('records', 'revisions', 'audit', 'results')"
                )
            ).all()
        )
    assert (role.rolsuper, role.rolbypassrls) == (False, False)
    assert {"records", "revisions", "audit", "results", "workspaces"} <= set(owners)
    assert "summitry_app" not in owners.values()
    assert secured == dict.fromkeys(("records", "revisions", "audit", "results"), True)
    with postgres_db.transaction(US) as session:
        assert session.scalar(text("SELECT current_user")) == "summitry_app"


READERS = [
    US,
    Principal.of("united-states", ["back-channel"]),
    Principal.of("russia"),
    Principal.of("secretariat"),
    JOINT_READER,
]


def test_unfiltered_query_returns_only_readable_rows(postgres_db: Database) -> None:
    load_example(postgres_db, keyring(None))
    with postgres_db.owner.connect() as conn:
        everything = {table: rows_of(conn, table) for table in LABELLED}
    for table in LABELLED:
        # Rows private to russia, and rows in a compartment, exist: the check can fail.
        assert RUSSIA_ONLY in everything[table].values(), table
        assert any(label.compartments for label in everything[table].values()), table
    for principal in READERS:
        with postgres_db.transaction(principal) as session:
            assert session.scalar(text("SELECT current_user")) == "summitry_app"
            shown = {table: rows_of(session, table) for table in LABELLED}
        for table in LABELLED:
            readable = {
                rid for rid, label in everything[table].items() if can_read(principal, label)
            }
            assert set(shown[table]) == readable, (principal, table)
            assert readable, (principal, table)  # joint rows at least


def _record(workspace_id: str, readers: str, slug: str) -> RecordRow:
    return RecordRow(
        id=new_id(),
        workspace_id=workspace_id,
        collection="notes",
        slug=slug,
        owner=readers.strip(","),
        readers=readers,
        compartments="",
        revision=1,
        position=10_000,
        body={"title": "Inserted past the application", "text": "-"},
        author="intruder",
        updated_at=now(),
    )


def refused() -> pytest.RaisesExc[DBAPIError]:
    """The database's refusal of a row the policy's WITH CHECK does not admit."""
    return pytest.raises(DBAPIError, match="row-level security")


def write_as(db: Database, principal: Principal, work: Callable[[Session], object]) -> None:
    """Run ``work`` in a write transaction as ``principal`` and flush it."""
    with db.transaction(principal, write=True) as session:
        work(session)
        session.flush()


def test_writing_a_row_labelled_for_another_party_is_refused(postgres_db: Database) -> None:
    load_example(postgres_db, keyring(None))
    with postgres_db.owner.connect() as conn:
        workspace_id = conn.scalar(select(Workspace.id))
    assert workspace_id is not None
    # The same insert labelled for the writer's own party goes through (so the refusal below
    # is the label's doing, not a missing grant or a broken row).
    with postgres_db.transaction(US, write=True) as session:
        own = _record(workspace_id, ",united-states,", "own-note")
        session.add(own)
    with refused():
        write_as(postgres_db, US, lambda s: s.add(_record(workspace_id, ",russia,", "planted")))
    with refused():
        write_as(
            postgres_db,
            US,
            lambda s: s.execute(
                text("UPDATE records SET readers = ',russia,' WHERE id = :id"), {"id": own.id}
            ),
        )
    planted = AuditEntry(
        id=new_id(),
        workspace_id=workspace_id,
        readers=",russia,",
        compartments="",
        seq=1_000,
        at=now(),
        actor="intruder",
        action="create",
        object_ref="notes/planted",
        outcome="ok",
        key_id="k1",
        digest="0" * 64,
    )
    with refused():
        write_as(postgres_db, US, lambda s: s.add(planted))
    with postgres_db.owner.connect() as conn:
        labels = dict(conn.execute(select(RecordRow.slug, RecordRow.readers)).all())
        logged = conn.scalar(select(AuditEntry.id).where(AuditEntry.object_ref == "notes/planted"))
    assert labels["own-note"] == ",united-states,"
    assert "planted" not in labels
    assert logged is None


def test_without_a_principal_nothing_is_readable(postgres_db: Database) -> None:
    load_example(postgres_db, keyring(None))
    count = " + ".join(f"(SELECT count(*) FROM {table})" for table in LABELLED)
    count = f"SELECT {count}"
    with postgres_db.owner.connect() as conn:
        assert conn.scalar(text(count)) > 0
    with postgres_db.transaction(US) as session:
        seen_by_us = session.scalar(text(count))
        pid = session.scalar(text("SELECT pg_backend_pid()"))
    assert seen_by_us > 0
    # The pooled connection the party's transaction used, with nothing set any more: the
    # principal was set for that transaction only.
    with postgres_db.app.connect() as conn:
        assert conn.scalar(text("SELECT pg_backend_pid()")) == pid
        assert conn.scalar(text(count)) == 0
    with postgres_db.transaction(Principal(None)) as session:
        assert session.scalar(text(count)) == 0
    # No keeper branch in the policy: "all" set on the application's role reads nothing.
    with postgres_db.app.begin() as conn:
        conn.execute(
            text(
                "SELECT set_config('summitry.reader', 'all', true), "
                "set_config('summitry.clearances', 'back-channel', true)"
            )
        )
        assert conn.scalar(text(count)) == 0
