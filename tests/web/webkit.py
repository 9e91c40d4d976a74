"""Helpers the web tests share (fixtures are in conftest.py)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from summitry.store.database import Database, open_database
from summitry.web.demo import DEMO_PASSWORD


def sign_in(client: TestClient, username: str, password: str = DEMO_PASSWORD) -> str:
    """Sign ``client`` in (its cookie jar keeps the session); the session's CSRF token."""
    from summitry.web.security import SESSION_COOKIE

    answer = client.post(
        "/login", data={"username": username, "password": password}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    cookie = client.cookies.get(SESSION_COOKIE)
    assert cookie is not None
    keys = client.app.state.keys  # type: ignore[attr-defined]
    secret = keys.cookies.loads(cookie)
    token: str = keys.csrf_token(secret)
    return token


def token_for(client: TestClient, username: str) -> str:
    """An API token of ``username`` (made through the API, as a user would)."""
    csrf = sign_in(client, username)
    answer = client.post(
        "/api/v1/me/tokens", json={"name": "tests"}, headers={"X-CSRF-Token": csrf}
    )
    assert answer.status_code == 201, answer.text
    client.cookies.clear()
    token: str = answer.json()["token"]
    return token


def open_sqlite(path: Path) -> Database:
    """A database on a file (for tests that build their own)."""
    return open_database(path)
