"""Helpers the store tests share (fixtures are in conftest.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from dbfixtures import pg_clone
from summitry.access.policy import KEEPER
from summitry.store import migrate
from summitry.store.audit import Keyring
from summitry.store.database import Database, open_database
from summitry.store.loading import load_plan
from summitry.store.reads import WorkspaceRef

EXAMPLE = Path(__file__).parents[2] / "src" / "summitry" / "examples" / "summit.toml"


def ref_of(db: Database, workspace: str) -> WorkspaceRef:
    """A reference to a workspace of ``db``, as the services take it."""
    if db.file is not None:
        return WorkspaceRef(workspace, db.file)
    return WorkspaceRef(workspace, url=db.url.render_as_string(hide_password=False))


def load_text(db: Database, keys: Keyring, text: str, workspace: str = "demo") -> None:
    """Load plan-file text into a new workspace of ``db``, as the keeper, and commit."""
    with db.transaction(KEEPER, write=True) as session:
        load_plan(session, keys, text, "plan.toml", workspace, actor="operator")


def load_example(db: Database, keys: Keyring, workspace: str = "demo") -> None:
    """Load the bundled example plan into a new workspace of ``db``."""
    load_text(db, keys, EXAMPLE.read_text(encoding="utf-8"), workspace)


@contextmanager
def fresh_database(
    request: pytest.FixtureRequest, kind: str, *, migrated: bool = True
) -> Iterator[Database]:
    """A database of ``kind`` of its own for the block: migrated, or empty (no tables at all).

    For tests that need more than one database, or one shared by all of a Hypothesis test's
    examples (a function-scoped fixture would be). PostgreSQL databases are clones of the
    migrated template (or, empty, of PostgreSQL's own) and are dropped afterwards; without
    SUMMITRY_TEST_DATABASE_URL the test skips, as the ``postgres_db`` fixture does.
    """
    if kind == "sqlite":
        folder: Path = request.getfixturevalue("tmp_path_factory").mktemp("store")
        db = open_database(folder / "summitry.db")
        try:
            if migrated:
                migrate.upgrade(db)
            yield db
        finally:
            db.dispose()
        return
    template: str = request.getfixturevalue("pg_template")
    url, drop = pg_clone(template if migrated else None)
    db = open_database(url=url)
    try:
        yield db
    finally:
        db.dispose()
        drop()


@contextmanager
def copy_of(request: pytest.FixtureRequest, source: Database) -> Iterator[Database]:
    """A new database holding what ``source`` holds now, for the block (then dropped).

    Built once and copied per test, a database with a long history costs a file copy (SQLite,
    by the online backup API) or a ``CREATE DATABASE … TEMPLATE`` (PostgreSQL) per test.
    ``source`` is closed first; it opens again when next used.
    """
    source.dispose()
    if source.is_sqlite:
        assert source.file is not None
        folder: Path = request.getfixturevalue("tmp_path_factory").mktemp("copy")
        target = folder / "summitry.db"
        with closing(sqlite3.connect(source.file)) as src, closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
        db = open_database(target)
        try:
            yield db
        finally:
            db.dispose()
        return
    assert source.url.database is not None
    url, drop = pg_clone(source.url.database)
    db = open_database(url=url)
    try:
        yield db
    finally:
        db.dispose()
        drop()
