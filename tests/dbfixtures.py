"""Databases for tests: a fresh SQLite file each, and a PostgreSQL database each.

PostgreSQL tests read SUMMITRY_TEST_DATABASE_URL (``.ci/run`` sets it) and skip without it.
The schema is migrated once into a template database; each test gets a clone of it
(``CREATE DATABASE … TEMPLATE``), which is much faster than migrating per test. The root
``conftest.py`` imports these fixtures, so store and web tests share them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from summitry.store import migrate
from summitry.store.audit import Keyring, keyring
from summitry.store.database import Database, open_database
from summitry.store.reads import forget_databases

PG_URL = os.environ.get("SUMMITRY_TEST_DATABASE_URL")
TEMPLATE = f"summitry_template_{os.getpid()}"
BACKENDS = ["sqlite", "postgresql"]


def _admin_engine():  # type: ignore[no-untyped-def]
    assert PG_URL is not None
    url = make_url(PG_URL).set(drivername="postgresql+psycopg")
    return create_engine(url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """The name of a migrated template database (made once per test run)."""
    if not PG_URL:
        pytest.skip("PostgreSQL tests need SUMMITRY_TEST_DATABASE_URL")
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{TEMPLATE}"'))
    db = open_database(url=str(make_url(PG_URL).set(database=TEMPLATE)))
    migrate.upgrade(db)
    db.dispose()
    yield TEMPLATE
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)'))
    admin.dispose()


def pg_clone(template: str | None) -> tuple[str, Callable[[], None]]:
    """A new database (a clone of ``template``, or empty) and a function that drops it."""
    assert PG_URL is not None
    name = f"summitry_t_{uuid.uuid4().hex[:10]}"
    admin = _admin_engine()
    with admin.connect() as conn:
        suffix = f' TEMPLATE "{template}"' if template else ""
        conn.execute(text(f'CREATE DATABASE "{name}"{suffix}'))

    def drop() -> None:
        forget_databases()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return str(make_url(PG_URL).set(database=name)), drop


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite database in the test's folder."""
    db = open_database(tmp_path / "summitry.db")
    migrate.upgrade(db)
    yield db
    db.dispose()


@pytest.fixture
def postgres_db(pg_template: str) -> Iterator[Database]:
    """A migrated PostgreSQL database of its own (a clone of the template)."""
    url, drop = pg_clone(pg_template)
    db = open_database(url=url)
    yield db
    db.dispose()
    drop()


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest) -> Database:
    """A migrated database of each kind: the test runs once on SQLite, once on PostgreSQL."""
    fixture = "sqlite_db" if request.param == "sqlite" else "postgres_db"
    database: Database = request.getfixturevalue(fixture)
    return database


@pytest.fixture
def keys(db: Database) -> Keyring:
    """The audit keys of the test's database."""
    return keyring(db.file)
