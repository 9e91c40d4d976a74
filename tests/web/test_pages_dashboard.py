"""The dashboard page: the briefing's tables, readiness lights, my tasks, what comes next."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from fastapi.testclient import TestClient
from jobkit import start, wait_for
from webkit import sign_in

from summitry.cli import example_path


def example() -> dict[str, Any]:
    """The demo's plan file, read as data (what the tests expect comes from it)."""
    with example_path("summit.toml").open("rb") as handle:
        return tomllib.load(handle)


def section(html: str, heading_id: str) -> str:
    """The HTML of one dashboard section, from its heading to the end of the section."""
    found = re.search(rf'<h2 id="{heading_id}">(.*?)</section>', html, re.S)
    assert found, f"no section {heading_id}"
    return found.group(1)


def link_person(client: TestClient, admin: str, username: str, person: str) -> None:
    """An admin of the party links a member to a person record, through the API."""
    csrf = sign_in(client, admin)
    answer = client.patch(
        f"/api/v1/workspaces/demo/members/{username}",
        json={"person": person},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 200, answer.text
    client.cookies.clear()


def test_my_tasks_are_the_tasks_of_the_person_i_am_linked_to(client: TestClient) -> None:
    plan = example()
    mine = [t["name"] for t in plan["tasks"].values() if t.get("owner") == "marina-kovrova"]
    others = [t["name"] for t in plan["tasks"].values() if t.get("owner") == "pavel-drozdov"]
    assert mine
    assert others
    link_person(client, "ru-admin", "ru-editor", "marina-kovrova")
    sign_in(client, "ru-editor")
    page = client.get("/w/demo")
    assert page.status_code == 200
    tasks = section(page.text, "h-mine")
    assert "Marina Kovrova" in tasks
    for name in mine:
        assert name.replace("'", "&#39;") in tasks
    for name in others:
        assert name.replace("'", "&#39;") not in tasks


def test_an_unlinked_member_is_told_how_to_get_a_link(client: TestClient) -> None:
    sign_in(client, "ru-editor-2")
    tasks = section(client.get("/w/demo").text, "h-mine")
    assert "not linked to a person" in tasks
    assert "admin of your party" in tasks
    assert "<table" not in tasks


def test_readiness_lights_come_from_the_latest_forecast(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    before = section(client.get("/w/demo").text, "h-readiness")
    assert "No forecast yet" in before
    headers = {"X-CSRF-Token": csrf}
    job, _ = wait_for(client, headers, start(client, headers, "forecast", {"iterations": 200}))
    assert job["status"] == "done", job
    after = section(client.get("/w/demo").text, "h-readiness")
    assert "No forecast yet" not in after
    assert "Ready by the summit date" in after
    for stream in example()["workstreams"].values():
        assert stream["name"] in after
    assert re.search(r'class="light light-(green|amber|red)"', after)
    # The viewer of the same party reads the same stored result.
    client.cookies.clear()
    sign_in(client, "ru-viewer")
    assert "No forecast yet" not in section(client.get("/w/demo").text, "h-readiness")


def test_decisions_due_meetings_and_developments(client: TestClient) -> None:
    plan = example()
    sign_in(client, "host-editor")
    page = client.get("/w/demo").text
    decisions = section(page, "h-decisions")
    for decision in plan["decisions"].values():
        shown = decision["title"] in decisions
        assert shown == (decision.get("status", "open") == "open" and "due" in decision)
    # Every meeting of the demo lies before its reference date: none is ahead.
    assert all(m["date"] < plan["summit"]["as_of"] for m in plan["meetings"].values())
    assert "No meeting on or after" in section(page, "h-meetings")
    developments = section(page, "h-developments")
    for development in plan["developments"].values():
        assert development["title"] in developments


def test_the_dashboard_is_the_members_own_view(client: TestClient) -> None:
    sign_in(client, "ru-editor")
    page = client.get("/w/demo")
    assert page.status_code == 200
    assert "Preparation aspects" in page.text
    assert 'href="/w/demo/account"' in page.text
    client.cookies.clear()
    assert client.get("/w/demo", follow_redirects=False).status_code == 303
