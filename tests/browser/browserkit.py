"""Helpers the browser tests share: signing in through the form, the accessibility check."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page

from summitry.store.database import Database
from summitry.web.demo import DEMO_PASSWORD

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
"""axe-core 4.14.1 from the npm registry, unmodified, with its licence (MPL-2.0) beside it."""


class LiveServer:
    """A running test server: its base URL and its database."""

    def __init__(self, url: str, db: Database) -> None:
        self.url = url
        self.db = db


def sign_in_page(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the sign-in form, as a user would, and wait for the page after it."""
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def serious_violations(browser: Browser, base_url: str, cookies: list[Any], path: str) -> list[str]:
    """axe-core's serious and critical violations on the page at ``path``, one line each.

    axe is injected as a script, which the pages' CSP rightly refuses; the check runs in a
    context of its own that bypasses the CSP, with the signed-in user's cookies.
    """
    context = browser.new_context(base_url=base_url, bypass_csp=True)
    context.set_default_timeout(30_000)
    try:
        context.add_cookies(cookies)
        page = context.new_page()
        page.goto(path)
        page.add_script_tag(path=str(AXE))
        found: list[dict[str, Any]] = page.evaluate(
            "async () => (await axe.run(document)).violations"
        )
    finally:
        context.close()
    return [
        f"{path}: {v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s)"
        for v in found
        if v.get("impact") in ("serious", "critical")
    ]


@contextmanager
def start_server(db_path: Path) -> Iterator[LiveServer]:
    """A fresh demo workspace in the SQLite file ``db_path``, served by uvicorn in a thread.

    Usage: ``with start_server(tmp / "summitry.db") as server: page.goto(server.url)``.
    """
    import socket
    import threading
    import time

    import uvicorn

    from summitry.cli import example_path
    from summitry.settings import Settings
    from summitry.store import migrate
    from summitry.store.database import open_database
    from summitry.web.app import create_app
    from summitry.web.demo import build_demo

    db = open_database(db_path)
    migrate.upgrade(db)
    build_demo(db, example_path("summit.toml"))
    config = Settings.model_validate({"secret_key": "test-secret-key", "login_pause_seconds": 1})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(db, config), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", db)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        db.dispose()
