"""Helpers of the page-wide tests: the app's page routes, their parameters, a bounded crawl.

The page-wide tests (two worlds, the existence oracle, escaping) cover every page the app
has when they run, so pages added later are covered when they land:

* ``page_routes(app)`` lists the GET routes that are pages (not the JSON API, not static
  files); ``id_params(path)`` names the parameters that take a record, job or report id;
  ``collection_for(path, name)`` guesses which collection a record parameter takes.
* ``crawl(client, starts, limit)`` follows the links (``href``, ``src``) of the HTML answers
  within the workspace, breadth first, and returns each answer in the order met.
* ``page_text(answer)`` is an answer as one comparable text; ``without_tokens`` blanks the
  session's CSRF tokens, the only thing a page carries that differs per session.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from summitry.domain.catalogue import COLLECTIONS

WORKSPACE = "demo"
PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
LINK = re.compile(r'\b(?:href|src|hx-get)="([^"]+)"')
CSRF = re.compile(r'(name="csrf_token" value="|"X-CSRF-Token": ")[^"]*"')
LOCAL_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?: [A-Z]{2,5}|[+-]\d{2,4})")
JOB_WORDS = ("job",)
RESULT_WORDS = ("sitrep", "report", "result", "mediation", "release")


@dataclass(frozen=True)
class PageRoute:
    """A GET route of the app: its full path and its endpoint."""

    path: str
    endpoint: Any


def _flat(routes: Iterable[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every route with its full path, into included routers of any FastAPI version."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from _flat(inner.routes, prefix + (getattr(context, "prefix", "") or ""))
        elif isinstance(route, APIRoute):
            yield prefix + route.path, route


def page_routes(app: Any) -> list[PageRoute]:
    """Every GET route of the app that is a page: not under /api, not a static file."""
    found = []
    for path, route in _flat(app.routes):
        if "GET" not in route.methods or path.startswith(("/api", "/static")):
            continue
        found.append(PageRoute(path, route.endpoint))
    assert found, "no page routes found: has FastAPI changed how it keeps routes?"
    return found


def params(path: str) -> list[str]:
    """The parameters of a route path, in order."""
    return PARAM.findall(path)


def id_kind(name: str) -> str | None:
    """What an id parameter takes: ``record``, ``job``, ``result`` or ``token`` (None: none)."""
    if name == "workspace":
        return None
    if not (name in ("id", "slug") or name.endswith(("_id", "_slug"))):
        return None
    if any(word in name for word in JOB_WORDS):
        return "job"
    if any(word in name for word in RESULT_WORDS):
        return "result"
    if "token" in name:
        return "token"
    return "record"


def collection_for(path: str, name: str) -> str | None:
    """The collection a record parameter takes, from its name or the segment before it.

    ``/tasks/{task_id}`` and ``/agenda/positions/{record_id}`` give tasks and positions;
    ``/agenda/{issue_id}`` gives issues.
    """
    stem = re.sub(r"_(id|slug)$", "", name)
    for guess in (stem, f"{stem}s", stem.replace("-", "_")):
        if guess in COLLECTIONS:
            return guess
    before = path.split("{" + name)[0].rstrip("/").rsplit("/", 1)[-1].replace("-", "_")
    if before in COLLECTIONS:
        return before
    return None


def fill(path: str, values: dict[str, str]) -> str:
    """The path with each parameter replaced by its value (``workspace`` by the demo's)."""
    values = {"workspace": WORKSPACE, **values}
    return PARAM.sub(lambda found: values.get(found.group(1), "x"), path)


def plain_paths(app: Any) -> list[str]:
    """Every page route that takes no parameter but the workspace, filled."""
    return [
        fill(route.path, {})
        for route in page_routes(app)
        if all(name == "workspace" for name in params(route.path))
    ]


@dataclass(frozen=True)
class Seen:
    """One answer of a crawl: the URL asked, and what came back."""

    url: str
    status: int
    content_type: str
    disposition: str
    body: bytes

    @property
    def text(self) -> str:
        """The body as text."""
        return self.body.decode("utf-8", errors="replace")

    @property
    def is_html(self) -> bool:
        """Whether the answer is an HTML page (or fragment)."""
        return self.content_type.startswith("text/html")


def get(client: TestClient, url: str) -> Seen:
    """GET a URL of the app (no redirects followed) as a ``Seen``."""
    answer = client.get(url, follow_redirects=False)
    return Seen(
        url,
        answer.status_code,
        answer.headers.get("content-type", ""),
        answer.headers.get("content-disposition", ""),
        answer.content,
    )


def links(seen: Seen, within: str) -> list[str]:
    """The links of an HTML answer that stay within ``within`` (fragments dropped)."""
    if not seen.is_html:
        return []
    found = []
    for raw in LINK.findall(seen.text):
        url = urljoin(seen.url, raw.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != "testserver":
            continue
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if target.startswith(within):
            found.append(target)
    return found


def crawl(
    client: TestClient,
    starts: Iterable[str],
    limit: int = 60,
    within: str = f"/w/{WORKSPACE}",
    skip: tuple[str, ...] = ("/logout",),
    per_shape: int = 3,
) -> list[Seen]:
    """GET the starting URLs and the links they lead to, breadth first, at most ``limit``.

    Links are ``href``, ``src`` and ``hx-get`` attributes; forms' actions are not fetched.
    The starting URLs are all fetched (within ``limit``); of the links, at most ``per_shape``
    of one shape (the path with its ids, numbers and query left out), so a long list of
    tasks does not use up the crawl.
    """
    queue = deque(dict.fromkeys(starts))
    done: set[str] = set()
    shapes: dict[str, int] = {}
    out: list[Seen] = []
    while queue and len(out) < limit:
        url = queue.popleft()
        if url in done or url.startswith(skip):
            continue
        done.add(url)
        seen = get(client, url)
        out.append(seen)
        for target in links(seen, within):
            shape = shape_of(target)
            if target in done or target in queue or shapes.get(shape, 0) >= per_shape:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
            queue.append(target)
    return out


def shape_of(url: str) -> str:
    """A URL with its ids and numbers left out: ``/w/demo/tasks/*``."""
    path = url.split("?", 1)[0]
    return re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}|\d+", "*", path)


def without_tokens(text: str) -> str:
    """A page with the session's CSRF tokens blanked (they differ per session by design)."""
    return CSRF.sub(lambda found: found.group(1) + '<csrf>"', text)


def page_text(seen: Seen) -> str:
    """An answer as one text: URL, status, content type, disposition, body."""
    head = f"GET {seen.url} → {seen.status} {seen.content_type} {seen.disposition}"
    return f"{head}\n{seen.text}"
