"""Helpers of the analyses, jobs and two-worlds API tests: tokens, polling a job, the CLI."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from webkit import token_for

from summitry.store.database import Database

API = "/api/v1/workspaces/demo"
READERS = {
    "ru-editor": ["--as", "russia"],
    "us-editor": ["--as", "united-states", "--compartment", "back-channel"],
}
"""Demo users and the command-line options that read as they do."""


def app_on(db: Database, **settings: object) -> FastAPI:
    """The app on ``db`` with the test settings of ``conftest.web_settings``."""
    from summitry.settings import Settings
    from summitry.web.app import create_app

    values: dict[str, object] = {"secret_key": "test-secret-key", "login_pause_seconds": 1}
    return create_app(db, Settings.model_validate({**values, **settings}))


def bearer(client: TestClient, username: str) -> dict[str, str]:
    """Request headers carrying a new API token of ``username``."""
    return {"Authorization": f"Bearer {token_for(client, username)}"}


def wait_for(
    client: TestClient, headers: dict[str, str], location: str, timeout: float = 300
) -> tuple[dict[str, Any], list[tuple[int, int]]]:
    """Poll a job until it is done or failed; the last answer and every progress seen."""
    seen: list[tuple[int, int]] = []
    deadline = time.monotonic() + timeout
    while True:
        answer = client.get(location, headers=headers)
        assert answer.status_code == 200, answer.text
        job: dict[str, Any] = answer.json()
        progress = (job["progress"]["done"], job["progress"]["total"])
        if not seen or seen[-1] != progress:
            seen.append(progress)
        if job["status"] in ("done", "failed"):
            return job, seen
        assert time.monotonic() < deadline, f"the job did not end in {timeout} s: {job}"
        time.sleep(0.05)


def start(
    client: TestClient, headers: dict[str, str], path: str, body: dict[str, Any] | None = None
) -> str:
    """POST a job; assert the 202 and return the job's URL."""
    answer = client.post(f"{API}/{path}", json=body or {}, headers=headers)
    assert answer.status_code == 202, answer.text
    location: str = answer.headers["location"]
    assert location.endswith(answer.json()["id"])
    return location


CliRunner = Callable[..., tuple[int, str, str]]


def cli_json(
    run_cli: CliRunner, db: Database, monkeypatch: pytest.MonkeyPatch, *args: str
) -> dict[str, Any]:
    """The ``--json`` document of a command run in-process on the demo workspace of ``db``."""
    where = ["--workspace", "demo"]
    if db.file is not None:
        where += ["--db", str(db.file)]
    else:
        monkeypatch.setenv("SUMMITRY_DATABASE_URL", db.url.render_as_string(hide_password=False))
    code, out, err = run_cli(*args[:1], *where, *args[1:], "--json")
    assert code == 0, err
    document: dict[str, Any] = json.loads(out)
    return document
