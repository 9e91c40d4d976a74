"""Search over the API and on its page: the member's view alone decides every hit."""

from __future__ import annotations

import difflib
import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from webkit import sign_in, token_for

from summitry.access.policy import KEEPER
from summitry.store.schema import AuditEntry

SEARCH = "/api/v1/workspaces/demo/search"
CSRF = re.compile(r'(name="csrf_token" value="|"X-CSRF-Token": ")[^"]*')

PRIVATE_TASK = {
    "slug": "agenda-sherpa-fallback",
    "body": {
        "visibility": "united-states",
        "name": "Agenda fallback for the zephyrine meeting, agenda agenda",
        "workstream": "agenda",
        "estimate": [1, 2, 3],
        "description": "agenda scoping note fallback: draft, agenda, scoping, note",
    },
}


def _page(client: TestClient, query: str) -> str:
    return CSRF.sub(r"\1", client.get("/w/demo/search", params={"q": query}).text)


def test_another_partys_private_records_change_no_hit_count_order_or_snippet(
    client: TestClient,
) -> None:
    russia, america = token_for(client, "ru-editor"), token_for(client, "us-editor")
    queries = ("agenda", "agenda scoping note", "draft", "secur", "fallback")
    ours = {"Authorization": f"Bearer {russia}"}
    before_api = {q: client.get(SEARCH, params={"q": q}, headers=ours).json() for q in queries}
    sign_in(client, "ru-editor")
    before_pages = {q: _page(client, q) for q in queries}
    client.cookies.clear()

    made = client.post(
        "/api/v1/workspaces/demo/records/tasks",
        json=PRIVATE_TASK,
        headers={"Authorization": f"Bearer {america}"},
    )
    assert made.status_code == 201, made.text
    theirs = client.get(
        SEARCH, params={"q": "zephyrine"}, headers={"Authorization": f"Bearer {america}"}
    )
    assert theirs.json()["total"] == 1  # the record is there, and found by its own party

    after_api = {q: client.get(SEARCH, params={"q": q}, headers=ours).json() for q in queries}
    assert after_api == before_api
    assert before_api["agenda"]["total"] > 0
    sign_in(client, "ru-editor")
    for q in queries:
        after = _page(client, q)
        diff = "\n".join(difflib.unified_diff(before_pages[q].splitlines(), after.splitlines()))
        assert after == before_pages[q], diff


def test_a_back_channel_note_is_found_only_when_cleared_and_the_read_is_audited(
    client: TestClient,
) -> None:
    query = {"q": "informal contact"}
    for username in ("ru-editor", "us-editor-2"):
        token = token_for(client, username)
        found = client.get(SEARCH, params=query, headers={"Authorization": f"Bearer {token}"})
        assert found.json()["total"] == 0, username
    cleared = token_for(client, "us-editor")
    found = client.get(SEARCH, params=query, headers={"Authorization": f"Bearer {cleared}"})
    hit = found.json()["hits"][0]
    assert (hit["collection"], hit["slug"], hit["snippet"]["match"]) == (
        "notes",
        "back-channel-signal",
        "informal",
    )
    db = client.app.state.db  # type: ignore[attr-defined]
    with db.transaction(KEEPER) as session:
        actors = session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "read")).all()
    assert any(a.startswith("us-editor (united-states)") for a in actors)


def test_the_page_links_hits_to_their_pages_and_escapes_what_it_shows(
    client: TestClient,
) -> None:
    token = token_for(client, "ru-editor")
    marked = {
        "slug": "marked",
        "body": {
            "name": "Press <script>alert(1)</script> kit",
            "workstream": "logistics",
            "estimate": [1, 2, 3],
        },
    }
    made = client.post(
        "/api/v1/workspaces/demo/records/tasks",
        json=marked,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert made.status_code == 201, made.text
    sign_in(client, "ru-editor")
    html = client.get("/w/demo/search", params={"q": "press alert"}).text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert f'href="/w/demo/tasks/{made.json()["id"]}"' in html
    assert "1 record holds press, alert." in html


def test_an_empty_or_overlong_query_is_answered_plainly(client: TestClient) -> None:
    token = token_for(client, "ru-viewer")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(SEARCH, params={"q": ""}, headers=headers).json()["error"]["field"] == "q"
    assert client.get(SEARCH, params={"q": "x" * 501}, headers=headers).status_code == 422
    sign_in(client, "ru-viewer")
    assert "Type a few words" in client.get("/w/demo/search").text
    nothing = client.get("/w/demo/search", params={"q": "zzyzx"}).text
    assert "Nothing you may see holds all of zzyzx" in nothing
