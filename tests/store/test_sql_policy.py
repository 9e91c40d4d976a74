"""The read rule in SQL agrees with the Python policy, on SQLite and PostgreSQL.

``access.sql.readable`` is ``can_read`` compiled to a predicate over a row's two label columns;
PostgreSQL's ``summitry_may_read`` (behind row-level security) is a second SQL form of the same
rule, without the keeper's branch. Labels are drawn from ids that stress the text encoding: the
LIKE wildcards ``_`` and ``%``, the escape character ``/``, an id that ``a_b`` would match as a
pattern (``axb``), and ids that are prefixes of one another (``a`` / ``ab``, ``back`` /
``back-channel``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Engine, Integer, MetaData, Table, Text, delete, insert, select, text
from storekit import fresh_database

from summitry.access.labels import Label
from summitry.access.policy import ALL, Principal, can_read
from summitry.access.sql import decode_label, encode_compartments, encode_readers, readable
from summitry.domain.base import JOINT
from summitry.store.database import Database

PARTIES = ["a", "ab", "b", "a_b", "axb", "a%", "_", "%", "a/b"]
COMPARTMENTS = ["x", "xy", "y", "x_y", "xzy", "%", "back", "back-channel"]

_METADATA = MetaData()
LABELS = Table(
    "policy_labels",
    _METADATA,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("readers", Text, nullable=False),
    Column("compartments", Text, nullable=False),
)

labels = st.builds(
    Label,
    st.none() | st.frozensets(st.sampled_from(PARTIES), max_size=3),
    st.frozensets(st.sampled_from(COMPARTMENTS), max_size=3),
)
principals = st.builds(
    Principal,
    # "A" and "AB": SQLite's LIKE ignores case, the policy does not.
    st.sampled_from([ALL, JOINT, None, *PARTIES, "c", "A", "AB"]),
    st.frozensets(st.sampled_from(COMPARTMENTS), max_size=3),
)
label_lists = st.lists(labels, min_size=1, max_size=12)
principal_lists = st.lists(principals, min_size=1, max_size=4)


@contextmanager
def label_table(request: pytest.FixtureRequest, backend: str) -> Iterator[Database]:
    """One database for all of a test's examples, with a table of bare labels in it."""
    with fresh_database(request, backend) as db:
        _METADATA.create_all(db.owner)
        if not db.is_sqlite:
            with db.owner.begin() as conn:
                conn.execute(text("GRANT SELECT ON policy_labels TO summitry_app"))
        yield db


def store(engine: Engine, rows: list[Label]) -> None:
    """Replace the table's rows with ``rows``, labels encoded as the store encodes them."""
    with engine.begin() as conn:
        conn.execute(delete(LABELS))
        conn.execute(
            insert(LABELS),
            [
                {
                    "id": i,
                    "readers": encode_readers(label),
                    "compartments": encode_compartments(label.compartments),
                }
                for i, label in enumerate(rows)
            ],
        )


def admitted(principal: Principal, rows: list[Label]) -> set[int]:
    return {i for i, label in enumerate(rows) if can_read(principal, label)}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_readable_admits_exactly_what_can_read_admits(
    request: pytest.FixtureRequest, backend: str
) -> None:
    with label_table(request, backend) as db:

        @settings(max_examples=80)
        @given(rows=label_lists, readers=principal_lists)
        def check(rows: list[Label], readers: list[Principal]) -> None:
            store(db.owner, rows)
            for label in rows:
                stored = (encode_readers(label), encode_compartments(label.compartments))
                assert decode_label(*stored) == label
            with db.owner.connect() as conn:
                for principal in readers:
                    found = set(
                        conn.scalars(
                            select(LABELS.c.id).where(
                                readable(principal, LABELS.c.readers, LABELS.c.compartments)
                            )
                        )
                    )
                    assert found == admitted(principal, rows), (principal, rows)

        check()


def test_row_level_security_function_agrees_without_the_keeper(
    request: pytest.FixtureRequest,
) -> None:
    """``summitry_may_read`` as the app role sets it per transaction; ``all`` reads nothing."""
    with label_table(request, "postgresql") as db:
        query = text("SELECT id FROM policy_labels WHERE summitry_may_read(readers, compartments)")

        @settings(max_examples=80)
        @given(rows=label_lists, readers=principal_lists)
        def check(rows: list[Label], readers: list[Principal]) -> None:
            store(db.owner, rows)
            for principal in readers:
                if principal.is_keeper:
                    # The keeper reads through the owner's connection, never through the
                    # policy: set as the reader of a transaction, "all" must admit nothing.
                    with db.owner.begin() as conn:
                        conn.execute(
                            text(
                                "SELECT set_config('summitry.reader', 'all', true), "
                                "set_config('summitry.clearances', :c, true)"
                            ),
                            {"c": ",".join(COMPARTMENTS)},
                        )
                        assert set(conn.scalars(query)) == set(), rows
                    continue
                with db.transaction(principal) as session:
                    found = set(session.scalars(query))
                assert found == admitted(principal, rows), (principal, rows)

        check()
