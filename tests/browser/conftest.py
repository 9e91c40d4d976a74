"""Browser tests: Playwright driving the system's chromium against a real server.

The browser is the program named by ``SUMMITRY_BROWSER`` (default ``chromium`` on PATH;
Debian: ``sudo apt-get install chromium libatomic1``). Without it these tests skip with
that advice, and in CI (``SUMMITRY_FAIL_ON_SKIP=1``) a skip fails the run.

``live_server`` starts uvicorn in a thread on a fresh SQLite demo workspace (the demo users
of ``summitry.web.demo``) and gives its base URL; ``browser`` is one chromium for the whole
run; ``as_user(username)`` gives a page in a context of its own, signed in through the
sign-in form as a user would.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from browserkit import LiveServer, sign_in_page
from playwright.sync_api import Browser, Page, expect, sync_playwright

from summitry.cli import example_path
from summitry.settings import Settings
from summitry.store import migrate
from summitry.store.database import open_database
from summitry.web.app import create_app
from summitry.web.demo import build_demo

INSTALL = "install it with: sudo apt-get install chromium libatomic1 (or set SUMMITRY_BROWSER)"

WAIT_MS = 30_000
"""How long a browser step may wait for the page: generous, for shared and busy machines.

This is a bound on waiting, not a measure of speed: a test never fails for being slow
unless a page takes longer than this to show what it must.
"""
expect.set_options(timeout=WAIT_MS)


def browser_program() -> str | None:
    """The chromium to drive: SUMMITRY_BROWSER, a name on PATH or a path."""
    named = os.environ.get("SUMMITRY_BROWSER", "chromium")
    return shutil.which(named) or (named if Path(named).is_file() else None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless chromium for the run."""
    program = browser_program()
    if program is None:
        pytest.skip(f"no browser for the browser tests; {INSTALL}")
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=program, args=["--no-sandbox"])
        yield launched
        launched.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def live_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    """The app on a fresh demo database, served by uvicorn in a thread of this process."""
    from summitry.store.reads import forget_databases

    monkeypatch.setenv("SUMMITRY_AUDIT_KEY", "test-audit-key")
    monkeypatch.delenv("SUMMITRY_DATABASE_URL", raising=False)
    db = open_database(tmp_path / "summitry.db")
    migrate.upgrade(db)
    build_demo(db, example_path("summit.toml"))
    config = Settings.model_validate({"secret_key": "test-secret-key", "login_pause_seconds": 1})
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(db, config), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    yield LiveServer(f"http://127.0.0.1:{port}", db)
    server.should_exit = True
    thread.join(timeout=30)
    db.dispose()
    forget_databases()


@pytest.fixture
def as_user(browser: Browser, live_server: LiveServer) -> Iterator[Callable[[str], Page]]:
    """``as_user("ru-editor")``: a page signed in as that demo user, in its own context."""
    contexts = []

    def open_as(username: str) -> Page:
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        page = context.new_page()
        sign_in_page(page, username)
        return page

    yield open_as
    for context in contexts:
        context.close()
