"""The plan-file page: the reader's download, importing a briefing, loading a plan file."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from fastapi.testclient import TestClient
from webkit import sign_in

from summitry.cli import example_path


def private_to(party: str) -> list[tuple[str, str]]:
    """(collection, slug) of the demo's records only ``party`` (and perhaps the mediator) reads."""
    with example_path("summit.toml").open("rb") as handle:
        data: dict[str, Any] = tomllib.load(handle)
    found = []
    for collection, table in data.items():
        if not isinstance(table, dict):
            continue
        for slug, body in table.items():
            if not isinstance(body, dict):
                continue
            readers = body.get("visibility")
            readers = [readers] if isinstance(readers, str) else readers or []
            if party in readers and "russia" not in readers and readers != ["joint"]:
                found.append((collection, slug))
    return found


def test_the_download_is_the_readers_own_view(client: TestClient) -> None:
    hidden = private_to("united-states")
    assert hidden
    sign_in(client, "ru-editor")
    page = client.get("/w/demo/plan")
    assert page.status_code == 200
    assert 'href="/w/demo/plan/download"' in page.text
    russia = client.get("/w/demo/plan/download")
    assert russia.status_code == 200
    assert russia.headers["content-disposition"] == 'attachment; filename="demo-russia.toml"'
    plan = tomllib.loads(russia.text)
    assert plan["summit"]["title"]
    for collection, slug in hidden:
        assert slug not in plan.get(collection, {})
        assert slug not in russia.text
    client.cookies.clear()
    sign_in(client, "us-editor")
    ours = tomllib.loads(client.get("/w/demo/plan/download").text)
    for collection, slug in hidden:
        assert slug in ours[collection]


def test_a_briefing_import_shows_what_was_understood_and_what_not(client: TestClient) -> None:
    csrf = sign_in(client, "ru-viewer")
    briefing = example_path("briefing.txt").read_bytes()
    answer = client.post(
        "/w/demo/plan/briefing",
        data={"csrf_token": csrf},
        files={"briefing": ("my briefing.txt", briefing, "text/plain")},
    )
    assert answer.status_code == 200
    understood = re.search(r'<ul class="understood">(.*?)</ul>', answer.text, re.S)
    not_understood = re.search(r'<ul class="not-understood">(.*?)</ul>', answer.text, re.S)
    assert understood
    assert not_understood
    assert "→ 3 workstreams" in understood.group(1)
    assert "my-briefing.txt:13" in understood.group(1)
    assert "no summit date" in not_understood.group(1)
    made = re.search(r'<textarea id="imported-plan"[^>]*>(.*?)</textarea>', answer.text, re.S)
    assert made
    assert "[workstreams." in made.group(1)
    assert "summitry-import-" not in answer.text  # no temporary path on the page
    # It wrote nothing to the workspace.
    assert "my briefing" not in client.get("/w/demo/plan/download").text


def test_a_binary_or_missing_briefing_is_refused_next_to_the_field(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    binary = client.post(
        "/w/demo/plan/briefing",
        data={"csrf_token": csrf},
        files={"briefing": ("x.txt", b"\x00\xff\xfe binary", "text/plain")},
    )
    assert binary.status_code == 422
    assert re.search(r'id="f-briefing-error">x\.txt: [^<]+</p>', binary.text)
    missing = client.post("/w/demo/plan/briefing", data={"csrf_token": csrf})
    assert missing.status_code == 422
    assert 'id="f-briefing-error"' in missing.text


def test_loading_a_plan_file_is_for_editors_and_an_empty_workspace(client: TestClient) -> None:
    whole = example_path("summit.toml").read_bytes()
    csrf = sign_in(client, "ru-viewer")
    viewer = client.post(
        "/w/demo/plan/load",
        data={"csrf_token": csrf},
        files={"plan_file": ("summit.toml", whole, "text/plain")},
    )
    assert viewer.status_code == 403
    client.cookies.clear()
    csrf = sign_in(client, "ru-editor")
    others = client.post(
        "/w/demo/plan/load",
        data={"csrf_token": csrf},
        files={"plan_file": ("summit.toml", whole, "text/plain")},
    )
    assert others.status_code == 422
    assert "may not read" in others.text
    own = client.get("/w/demo/plan/download").content
    full = client.post(
        "/w/demo/plan/load",
        data={"csrf_token": csrf},
        files={"plan_file": ("mine.toml", own, "text/plain")},
    )
    assert full.status_code == 422
    assert re.search(r'id="f-plan_file-error">[^<]*already holds a plan', full.text)


def test_uploads_over_the_body_limit_get_413(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    limit = client.app.state.settings.max_body_bytes  # type: ignore[attr-defined]
    answer = client.post(
        "/w/demo/plan/briefing",
        data={"csrf_token": csrf},
        files={"briefing": ("big.txt", b"a" * (limit + 10), "text/plain")},
    )
    assert answer.status_code == 413
