"""No serious or critical accessibility violation on any page a demo editor can reach.

Starting at the dashboard, the test follows the links of each page that stay within the
demo workspace (breadth first, one page of each shape — ``/w/demo/tasks/<id>`` is one shape
whatever the id — and at most ``LIMIT`` pages), and runs axe-core on each page it reaches.
Pages other helpers add are covered as soon as something links to them.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from browserkit import LiveServer, serious_violations
from playwright.sync_api import Browser, Page

LIMIT = 25
WITHIN = "/w/demo"
SKIP = re.compile(r"\.(svg|toml|md|pdf|html?)$|/download$")
"""Links to files (charts, plan files, reports): not pages to check."""


def shape(path: str) -> str:
    """A path with its ids and numbers left out, and its query dropped."""
    return re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}|\d+", "*", path.split("?", 1)[0])


def reachable(page: Page, base_url: str) -> list[str]:
    """The workspace's pages a signed-in user reaches from the dashboard by following links."""
    queue, shapes, found = deque([WITHIN]), {shape(WITHIN)}, []
    while queue and len(found) < LIMIT:
        path = queue.popleft()
        answer = page.goto(path)
        if answer is None or answer.status != 200:
            continue
        found.append(path)
        hrefs: list[str] = page.eval_on_selector_all(
            "a[href]", "links => links.map(link => link.getAttribute('href'))"
        )
        for href in hrefs:
            parts = urlsplit(urljoin(base_url + path, href))
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if not target.startswith(WITHIN) or SKIP.search(parts.path):
                continue
            if shape(target) not in shapes:
                shapes.add(shape(target))
                queue.append(target)
    return found


def test_every_page_a_demo_editor_reaches_passes_axe(
    browser: Browser, live_server: LiveServer, as_user: Callable[[str], Page]
) -> None:
    page = as_user("ru-editor")
    paths = reachable(page, live_server.url)
    # The dashboard links to every section, and the sections to their records.
    assert {f"{WITHIN}", f"{WITHIN}/account", f"{WITHIN}/plan"} <= set(paths), paths
    assert len(paths) >= 8, paths
    cookies = page.context.cookies()
    problems = [
        line
        for path in paths
        for line in serious_violations(browser, live_server.url, cookies, path)
    ]
    assert problems == []
