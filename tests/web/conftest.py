"""The web app for tests: the demo workspace on a fresh database of each kind, and clients.

``web_db`` is parametrised over SQLite and PostgreSQL (PostgreSQL tests skip without
SUMMITRY_TEST_DATABASE_URL; CI sets it). The demo users (``summitry.web.demo.SEATS``) all
have the password ``DEMO_PASSWORD``. ``sign_in(client, username)`` signs a client in and
returns its CSRF token; ``token_for(client, username)`` gives an API token.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from summitry.cli import example_path
from summitry.settings import Settings
from summitry.store.database import Database
from summitry.web.app import create_app
from summitry.web.demo import build_demo


@pytest.fixture(autouse=True)
def _web_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from summitry.store.reads import forget_databases

    monkeypatch.setenv("SUMMITRY_AUDIT_KEY", "test-audit-key")
    monkeypatch.delenv("SUMMITRY_DATABASE_URL", raising=False)
    yield
    forget_databases()


def web_settings(**changes: object) -> Settings:
    """Settings for a test server: a fixed secret key, fast throttling."""
    values: dict[str, object] = {"secret_key": "test-secret-key", "login_pause_seconds": 1}
    values.update(changes)
    return Settings.model_validate(values)


@pytest.fixture(params=["sqlite", "postgresql"])
def web_db(request: pytest.FixtureRequest) -> Database:
    """A migrated database of each kind holding the demo workspace and users."""
    db: Database = request.getfixturevalue(
        "sqlite_db" if request.param == "sqlite" else "postgres_db"
    )
    build_demo(db, example_path("summit.toml"))
    return db


@pytest.fixture
def sqlite_web_db(sqlite_db: Database) -> Database:
    """The demo on SQLite only (for tests whose subject is not the database)."""
    build_demo(sqlite_db, example_path("summit.toml"))
    return sqlite_db


@pytest.fixture
def client(web_db: Database) -> Iterator[TestClient]:
    """A client of the app on the demo database (not signed in)."""
    with TestClient(create_app(web_db, web_settings())) as test_client:
        yield test_client
