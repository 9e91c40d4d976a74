"""Markup stored in every free-text field is escaped on every page.

The demo's plan gets a marker — ``<script>alert(1)</script>"'&`` — in every free-text field
of every record: each string field of the records' models that is not an id (names, titles,
descriptions, notes, reasons, minutes, options …) and the summit's own texts. It is loaded
as the demo workspace is; the mediator runs the mediation and Russia's editor a forecast and
a situation report, so those pages have content. Then Russia's editor fetches every page
the app has (each GET page route, id routes filled with records Russia may read, and what
they link to, bounded) and no HTML or SVG answer may carry the marker as markup, while the
pages that show those texts carry it escaped.
"""

from __future__ import annotations

import tomllib
import typing
from collections.abc import Iterator
from typing import Any

import pytest
import worldkit
from fastapi.testclient import TestClient
from jobkit import app_on, wait_for
from test_pages_two_worlds import demo_text, id_paths
from test_two_worlds_api import TOKENS, database, populate
from webkit import sign_in

import access.test_two_worlds as worlds  # type: ignore[import-not-found]
from summitry.domain.base import Name, Text
from summitry.domain.catalogue import COLLECTIONS
from summitry.domain.plan import Plan
from summitry.store.database import Database
from summitry.store.reads import forget_databases

MARKER = "<script>alert(1)</script>\"'&"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
RAW = ("<script>alert", "</script>\"'&")
SUMMIT_TEXTS = ("title", "description", "location")


def free_text_fields(collection: str) -> tuple[list[str], list[str]]:
    """The fields of a collection's records that hold free text, and those holding lists of it.

    Free text is a ``str`` field without a pattern (ids, slugs and dates have one).
    """
    kind = typing.get_args(Plan.model_fields[collection].annotation)[1]
    single, many = [], []
    for name, field in kind.model_fields.items():
        patterned = any(getattr(m, "pattern", None) for m in field.metadata)
        if field.annotation is str and not patterned:
            single.append(name)
        args = typing.get_args(field.annotation)
        if typing.get_origin(field.annotation) is tuple and args and args[0] in (Text, Name):
            many.append(name)
    return single, many


def marked_plan() -> str:
    """The demo's plan with the marker in every free-text field, as plan-file text."""
    data: dict[str, Any] = tomllib.loads(demo_text())
    for name in SUMMIT_TEXTS:
        data["summit"][name] = f"{data['summit'].get(name, 'x')} {MARKER}"
    for collection in COLLECTIONS:
        single, many = free_text_fields(collection)
        for body in data.get(collection, {}).values():
            for name in single:
                body[name] = f"{body.get(name) or 'x'} {MARKER}"
            for name in many:
                body[name] = [*body.get(name, []), MARKER]
            if collection == "issues":
                options = body.get("options", {})
                for option in options:
                    options[option] = f"{options[option]} {MARKER}"
    text: str = worlds.toml_text(data)
    return text


@pytest.fixture(params=["sqlite", "postgresql"])
def marked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """The demo workspace with the marker in every free-text field."""
    template = request.getfixturevalue("pg_template") if request.param == "postgresql" else None
    try:
        with database(request.param, template) as db:
            populate(db, marked_plan(), monkeypatch)
            yield db
    finally:
        forget_databases()


def test_the_marker_plan_has_markers_everywhere() -> None:
    # The marker reaches names, descriptions and reasons alike (the test is about them all).
    data = tomllib.loads(marked_plan())
    task = next(iter(data["tasks"].values()))
    assert MARKER in task["name"]
    assert MARKER in task["description"]
    assert MARKER in task["blocked_reason"]
    assert all(MARKER in v for v in next(iter(data["issues"].values()))["options"].values())
    assert MARKER in next(iter(data["venue_preferences"].values()))["reason"]
    assert MARKER in next(iter(data["workstreams"].values()))["key_points"]


def test_stored_markup_is_escaped_on_every_page(marked: Database) -> None:
    api = "/api/v1/workspaces/demo"
    with TestClient(app_on(marked)) as client:
        mediator = {"Authorization": f"Bearer {TOKENS['mediator']}"}
        assert client.post(f"{api}/mediation/run", json={}, headers=mediator).status_code == 201
        russia = {"Authorization": f"Bearer {TOKENS['ru-editor']}"}
        for path, body in (("forecast", {"iterations": 200}), ("sitreps", {"format": "html"})):
            started = client.post(f"{api}/{path}", json=body, headers=russia)
            assert started.status_code == 202, started.text
            assert wait_for(client, russia, started.headers["location"])[0]["status"] == "done"
        sign_in(client, "ru-editor")
        starts = worldkit.plain_paths(client.app) + id_paths(client.app, marked, "ru-editor")
        seen = worldkit.crawl(client, starts, limit=60)
    shown = []
    for answer in seen:
        if not (answer.is_html or answer.content_type.startswith("image/svg")):
            continue
        for raw in RAW:
            assert raw not in answer.text, f"{answer.url} carries stored markup unescaped"
        if ESCAPED in answer.text:
            shown.append(answer.url)
    # Where the texts are shown, they are shown escaped.
    assert "/w/demo" in shown
    assert any(url.startswith("/w/demo/tasks") for url in shown)
    assert len(shown) >= 8, shown
