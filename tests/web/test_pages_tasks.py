"""The tasks pages: list and filters, a task's page and history, the forms, the timeline.

Each test drives the pages as a browser without JavaScript would (forms posted, redirects
followed), or as htmx does (``HX-Request: true``), on both databases.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from jobkit import app_on
from webkit import sign_in

from summitry.store.database import Database
from summitry.web.demo import build_demo

W = "/w/demo"
API = "/api/v1/workspaces/demo/records/tasks"


def _ids(html: str) -> list[str]:
    """The task ids the list links to, in the list's order."""
    return list(dict.fromkeys(re.findall(r'href="/w/demo/tasks/([0-9a-f-]{36})"', html)))


def _row_names(html: str) -> list[str]:
    return re.findall(r'<tr id="task-[^"]+">\s*<td><a href="[^"]+">([^<]+)</a>', html)


def _field_error(html: str, name: str) -> str:
    found = re.search(rf'<p class="field-error" id="f-{name}-error">([^<]*)</p>', html)
    assert found is not None, f"no error next to {name}"
    return found.group(1)


def _api_task(client: TestClient, csrf: str, slug: str, **body: Any) -> dict[str, Any]:
    """A task made through the JSON API (as another client of the workspace would)."""
    fields = {"name": slug.replace("-", " ").title(), "workstream": "logistics", **body}
    answer = client.post(API, json={"slug": slug, "body": fields}, headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 201, answer.text
    made: dict[str, Any] = answer.json()
    return made


def _find(client: TestClient, name: str) -> str:
    """The id of the task called ``name`` in the signed-in member's list."""
    html = client.get(f"{W}/tasks").text
    for page in range(1, 4):
        html = client.get(f"{W}/tasks?page={page}").text
        found = re.search(rf'href="/w/demo/tasks/([0-9a-f-]{{36}})">{re.escape(name)}</a>', html)
        if found:
            return found.group(1)
    raise AssertionError(f"no task {name!r} in the list")


def test_the_list_shows_the_tasks_and_filters_narrow_them(client: TestClient) -> None:
    sign_in(client, "ru-viewer")
    everything = client.get(f"{W}/tasks")
    assert everything.status_code == 200
    names = _row_names(everything.text)
    assert "Draft the agenda scoping note" in names
    assert "Score the long-listed venues" in names

    venue = _row_names(client.get(f"{W}/tasks?workstream=venue").text)
    assert "Score the long-listed venues" in venue
    assert "Draft the agenda scoping note" not in venue
    assert 0 < len(venue) < len(names)

    overdue = client.get(f"{W}/tasks?band=overdue").text
    assert "Score the long-listed venues" in _row_names(overdue)
    assert all(
        cell == "overdue" for cell in re.findall(r'class="band band-[^"]+">([^<]+)<', overdue)
    )

    done = _row_names(client.get(f"{W}/tasks?status=complete").text)
    assert "Draft the agenda scoping note" in done
    assert "Score the long-listed venues" not in done

    mine = _row_names(client.get(f"{W}/tasks?owner=dana-whitcomb").text)
    assert "Draft the agenda scoping note" in mine
    assert "Merge both delegations' topic lists" not in mine

    nothing = client.get(f"{W}/tasks?workstream=venue&status=awaiting-principals").text
    assert _row_names(nothing) == []
    assert "No task matches these filters" in nothing


def test_the_filter_form_answers_htmx_with_the_table_alone(client: TestClient) -> None:
    sign_in(client, "ru-viewer")
    fragment = client.get(f"{W}/tasks?workstream=venue", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="task-table">')
    assert "<html" not in fragment.text
    assert "Score the long-listed venues" in fragment.text


def test_long_lists_are_paged_fifty_at_a_time(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    for n in range(8):  # the demo has 43 tasks: 51 in all
        _api_task(client, csrf, f"extra-{n}", name=f"Extra task {n}")
    first = client.get(f"{W}/tasks").text
    second = client.get(f"{W}/tasks?page=2").text
    assert len(_row_names(first)) == 50
    assert "Page 1 of 2" in first
    assert 'href="/w/demo/tasks?page=2"' in first
    rest = _row_names(second)
    assert 0 < len(rest) < 50
    assert not set(rest) & set(_row_names(first))
    assert "Extra task 7" in rest


def test_a_task_made_with_the_form_is_shown_with_its_fields(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    form = client.get(f"{W}/tasks/new")
    assert form.status_code == 200
    assert 'name="csrf_token"' in form.text
    answer = client.post(
        f"{W}/tasks/new",
        data={
            "csrf_token": csrf,
            "name": "Book the interpreters' booths",
            "workstream": "logistics",
            "optimistic": "1",
            "most_likely": "2.5",
            "pessimistic": "4",
            "depends_on": ["interpretation", "hotel-blocks"],
            "status": "in-progress",
            "percent_complete": "20",
            "owner": "lukas-ebner",
            "due": "2024-08-20",
            "baseline": "2024-08-16",
            "blocked_reason": "",
            "visibility": "joint",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    shown = client.get(answer.headers["location"]).text
    assert "<h1>Book the interpreters&#39; booths</h1>" in shown
    assert "1 / 2.5 / 4 working days" in shown
    assert "2024-08-20" in shown
    assert "2024-08-16" in shown
    assert "Lukas Ebner" in shown
    assert "Reserve hotel blocks for both delegations</a>" in shown  # a dependency, linked
    assert "may be read by joint" in shown
    assert "Book the interpreters&#39; booths" in client.get(f"{W}/tasks?workstream=logistics").text


def test_a_cleared_editor_makes_a_compartmented_task_with_the_form(client: TestClient) -> None:
    csrf = sign_in(client, "us-editor")
    form = client.get(f"{W}/tasks/new")
    assert form.status_code == 200, form.text
    assert 'name="compartments" value="back-channel"' in form.text
    answer = client.post(
        f"{W}/tasks/new",
        data={
            "csrf_token": csrf,
            "name": "Sound out the quiet channel",
            "workstream": "agenda",
            "optimistic": "1",
            "most_likely": "2",
            "pessimistic": "3",
            "status": "not-started",
            "percent_complete": "0",
            "visibility": "united-states",
            "compartments": ["back-channel"],
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    shown = client.get(answer.headers["location"]).text
    assert "back-channel" in shown
    client.cookies.clear()
    sign_in(client, "us-editor-2")  # same delegation, not cleared
    assert "Sound out the quiet channel" not in client.get(f"{W}/tasks").text


def test_a_bad_estimate_is_refused_next_to_the_field(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    answer = client.post(
        f"{W}/tasks/new",
        data={
            "csrf_token": csrf,
            "name": "Backwards estimate",
            "workstream": "logistics",
            "optimistic": "9",
            "most_likely": "2",
            "pessimistic": "4",
            "status": "not-started",
        },
    )
    assert answer.status_code == 422
    assert "optimistic ≤ most likely ≤ pessimistic" in _field_error(answer.text, "estimate")
    optimistic = re.search(r"<input id=\"f-optimistic\"[^>]*>", answer.text)
    assert optimistic is not None
    assert 'aria-describedby="f-estimate-error"' in optimistic.group(0)
    assert 'aria-invalid="true"' in optimistic.group(0)
    assert 'value="Backwards estimate"' in answer.text  # what was typed stays
    assert "Backwards estimate" not in client.get(f"{W}/tasks?workstream=logistics").text


def test_a_dependency_cycle_is_refused_next_to_the_dependencies(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    first = _api_task(client, csrf, "cycle-a", name="Cycle A")
    _api_task(client, csrf, "cycle-b", name="Cycle B", depends_on=["cycle-a"])
    answer = client.post(
        f"{W}/tasks/{first['id']}/edit",
        data={
            "csrf_token": csrf,
            "revision": str(first["revision"]),
            "name": "Cycle A",
            "workstream": "logistics",
            "status": "not-started",
            "depends_on": ["cycle-b"],
        },
    )
    assert answer.status_code == 422
    assert "dependency cycle" in _field_error(answer.text, "depends_on")
    again = client.get(f"{W}/tasks/{first['id']}").text
    assert "Nothing: it can start at once." in again


def test_a_stale_edit_shows_both_versions_and_can_be_saved_over(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    made = _api_task(client, csrf, "press-passes", name="Print the press passes")
    rid = made["id"]
    # Someone else saves first.
    other = {**made["body"], "name": "Print and laminate the press passes"}
    changed = client.put(
        f"{API}/{rid}", json={"body": other, "revision": 1}, headers={"X-CSRF-Token": csrf}
    )
    assert changed.status_code == 200
    mine = {
        "csrf_token": csrf,
        "revision": "1",
        "name": "Print the press passes in two colours",
        "workstream": "logistics",
        "status": "not-started",
    }
    stale = client.post(f"{W}/tasks/{rid}/edit", data=mine)
    assert stale.status_code == 409
    assert "Someone saved this task first" in stale.text
    row = re.search(r"<th scope=\"row\">Name</th><td>([^<]*)</td><td>([^<]*)</td>", stale.text)
    assert row is not None
    assert row.groups() == ("Print and laminate the press passes", mine["name"])
    assert '<input type="hidden" name="revision" value="2">' in stale.text
    assert "Save mine over revision 2" in stale.text

    again = client.post(f"{W}/tasks/{rid}/edit", data={**mine, "revision": "2"})
    assert again.status_code == 200  # followed the 303
    assert f"<h1>{mine['name']}</h1>" in again.text
    assert "revision 3" in again.text


def test_an_earlier_revision_is_restored_as_a_new_one(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    made = _api_task(client, csrf, "flag-order", name="Order the flags")
    rid = made["id"]
    client.put(
        f"{API}/{rid}",
        json={"body": {**made["body"], "name": "Order the wrong flags"}, "revision": 1},
        headers={"X-CSRF-Token": csrf},
    )
    shown = client.get(f"{W}/tasks/{rid}").text
    assert "<h1>Order the wrong flags</h1>" in shown
    assert "Restore revision 1" in shown
    assert "ru-editor (russia)" in shown
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d CES?T", shown)  # the summit's clock (Vienna)

    stale = client.post(
        f"{W}/tasks/{rid}/restore",
        data={"csrf_token": csrf, "revision": "1", "current_revision": "1"},
    )
    assert stale.status_code == 409
    restored = client.post(
        f"{W}/tasks/{rid}/restore",
        data={"csrf_token": csrf, "revision": "1", "current_revision": "2"},
    )
    assert restored.status_code == 200
    assert "<h1>Order the flags</h1>" in restored.text
    assert "3 (current)" in restored.text


def test_the_inline_status_change_redirects_back_to_the_same_filters(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    made = _api_task(client, csrf, "badge-printer", name="Hire a badge printer")
    back = f"{W}/tasks?workstream=logistics&status=not-started"
    answer = client.post(
        f"{W}/tasks/{made['id']}/status",
        data={"csrf_token": csrf, "revision": "1", "status": "in-progress", "back": back},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == back
    assert "Hire a badge printer" not in client.get(back).text
    progressing = client.get(f"{W}/tasks?workstream=logistics&status=in-progress").text
    assert "Hire a badge printer" in progressing
    stale = client.post(
        f"{W}/tasks/{made['id']}/status",
        data={"csrf_token": csrf, "revision": "1", "status": "blocked", "back": back},
        follow_redirects=False,
    )
    assert stale.status_code == 409
    assert "changed by ru-editor (russia) since you read it" in stale.text
    assert (
        "Hire a badge printer"
        in client.get(f"{W}/tasks?workstream=logistics&status=in-progress").text
    )


def test_the_inline_status_change_with_htmx_returns_only_the_row(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    made = _api_task(client, csrf, "badge-printer", name="Hire a badge printer")
    answer = client.post(
        f"{W}/tasks/{made['id']}/status",
        data={"csrf_token": csrf, "revision": "1", "status": "complete", "back": f"{W}/tasks"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    fragment = answer.text.strip()
    assert fragment.startswith(f'<tr id="task-{made["id"]}">')
    assert fragment.endswith("</tr>")
    assert '<td class="status">Complete</td>' in fragment
    assert 'name="revision" value="2"' in fragment
    # A second change from the stale row is refused in the row, and changes nothing.
    stale = client.post(
        f"{W}/tasks/{made['id']}/status",
        data={"csrf_token": csrf, "revision": "1", "status": "blocked", "back": f"{W}/tasks"},
        headers={"HX-Request": "true"},
    )
    assert "changed by ru-editor" in stale.text
    assert '<td class="status">Complete</td>' in stale.text


def test_a_viewer_gets_no_forms_and_a_post_is_refused(client: TestClient) -> None:
    csrf = sign_in(client, "ru-viewer")
    listing = client.get(f"{W}/tasks").text
    rid = _ids(listing)[0]
    assert 'method="post" action="/w/demo/tasks/' not in listing
    detail = client.get(f"{W}/tasks/{rid}").text
    assert "Restore revision" not in detail
    assert "Edit this task" not in detail
    assert client.get(f"{W}/tasks/new").status_code == 403
    assert client.get(f"{W}/tasks/{rid}/edit").status_code == 403
    refused = client.post(
        f"{W}/tasks/{rid}/status", data={"csrf_token": csrf, "revision": "1", "status": "blocked"}
    )
    assert refused.status_code == 403
    made = client.post(
        f"{W}/tasks/new",
        data={"csrf_token": csrf, "name": "Viewer's task", "workstream": "logistics"},
    )
    assert made.status_code == 403
    assert "Viewer&#39;s task" not in client.get(f"{W}/tasks?workstream=logistics").text


def _us_private_task(client: TestClient) -> dict[str, Any]:
    """A U.S.-only workstream, person and task, made by a U.S. editor through the API."""
    csrf = sign_in(client, "us-editor-2")
    headers = {"X-CSRF-Token": csrf}
    base = "/api/v1/workspaces/demo/records"
    stream = {"name": "Quiet channel prep", "visibility": "united-states"}
    assert client.post(
        f"{base}/workstreams", json={"slug": "quiet-prep", "body": stream}, headers=headers
    ).is_success
    person = {"name": "Wilhelmina Quorrt", "party": "united-states", "visibility": "united-states"}
    assert client.post(
        f"{base}/people", json={"slug": "w-quorrt", "body": person}, headers=headers
    ).is_success
    task = _api_task(
        client,
        csrf,
        "quiet-sounding",
        name="Sound out the quiet channel",
        workstream="quiet-prep",
        owner="w-quorrt",
        estimate=[1, 2, 3],
        visibility="united-states",
    )
    client.cookies.clear()
    return task


def test_a_russia_member_sees_nothing_of_the_us_private_tasks(client: TestClient) -> None:
    task = _us_private_task(client)
    sign_in(client, "us-viewer")
    assert "Sound out the quiet channel" in client.get(f"{W}/tasks?workstream=quiet-prep").text
    client.cookies.clear()

    sign_in(client, "ru-editor")
    pages = [
        client.get(f"{W}/tasks").text,
        client.get(f"{W}/tasks?page=2").text,
        client.get(f"{W}/tasks?workstream=quiet-prep").text,
        client.get(f"{W}/workstreams").text,
        client.get(f"{W}/timeline").text,
        client.get(f"{W}/tasks/new").text,
    ]
    svg = client.get(f"{W}/timeline.svg")
    assert svg.status_code == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")
    for text in [*pages, svg.text]:
        for secret in ("Sound out the quiet channel", "quiet-prep", "Quiet channel prep"):
            assert secret not in text
        assert "Quorrt" not in text
        assert "w-quorrt" not in text
        assert task["id"] not in text


def test_a_hidden_task_answers_exactly_as_a_missing_one(client: TestClient) -> None:
    task = _us_private_task(client)
    csrf = sign_in(client, "ru-editor")
    hidden, missing = task["id"], str(uuid.uuid4())
    for suffix, method in (("", "get"), ("/edit", "get"), ("/edit", "post"), ("/status", "post")):
        answers = []
        for rid in (hidden, missing):
            url = f"{W}/tasks/{rid}{suffix}"
            data = {"csrf_token": csrf, "revision": "1", "status": "blocked", "name": "x"}
            answer = client.get(url) if method == "get" else client.post(url, data=data)
            answers.append((answer.status_code, answer.text.replace(rid, "ID")))
        assert answers[0] == answers[1], suffix
        assert answers[0][0] == 404
    restore = [
        client.post(
            f"{W}/tasks/{rid}/restore",
            data={"csrf_token": csrf, "revision": "1", "current_revision": "1"},
        )
        for rid in (hidden, missing)
    ]
    assert [a.status_code for a in restore] == [404, 404]
    assert restore[0].text.replace(hidden, "ID") == restore[1].text.replace(missing, "ID")


def test_workstreams_and_the_timeline_show_the_plan(client: TestClient) -> None:
    sign_in(client, "us-viewer")
    assert client.get("/static/tasks.css").status_code == 200
    streams = client.get(f"{W}/workstreams").text
    assert 'href="/w/demo/tasks?workstream=venue">Venue Selection</a>' in streams
    timeline = client.get(f"{W}/timeline").text
    assert f'<img src="{W}/timeline.svg" alt="Gantt chart of' in timeline
    assert "Score the long-listed venues" in timeline  # open work, in the table too
    assert "Draft the agenda scoping note" not in timeline  # finished: no bar


def test_markup_in_a_task_name_is_shown_as_text(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    made = _api_task(client, csrf, "xss", name="<script>alert(1)</script>")
    for path in (f"/tasks/{made['id']}", f"/tasks/{made['id']}/edit", "/tasks?page=2", "/timeline"):
        text = client.get(W + path).text
        assert "<script>alert(1)</script>" not in text, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(f"{W}/tasks/{made['id']}").text


EMPTY_PLAN = """
format_version = 2

[summit]
title = "An empty summit"
timezone = "Europe/Vienna"
as_of = 2024-07-15

[parties.russia]
name = "Russian Federation"
kind = "delegation"

[parties.united-states]
name = "United States"
kind = "delegation"

[parties.austria]
name = "Republic of Austria"
kind = "host"

[parties.secretariat]
name = "Joint Preparation Secretariat"
kind = "secretariat"

[workstreams.agenda]
name = "Agenda Development"
"""


def test_each_page_says_what_to_add_when_there_are_no_tasks(
    sqlite_db: Database, tmp_path: Path
) -> None:
    plan = tmp_path / "empty.toml"
    plan.write_text(EMPTY_PLAN, encoding="utf-8")
    build_demo(sqlite_db, plan)
    with TestClient(app_on(sqlite_db)) as client:
        sign_in(client, "ru-editor")
        listing = client.get(f"{W}/tasks").text
        assert "No tasks yet" in listing
        assert 'href="/w/demo/tasks/new">add the first task</a>' in listing
        assert "No open work to put on a timeline" in client.get(f"{W}/timeline").text
        assert client.get(f"{W}/timeline.svg").status_code == 404
        streams = client.get(f"{W}/workstreams").text
        assert "Agenda Development" in streams
        client.cookies.clear()
        sign_in(client, "ru-viewer")
        assert "an editor of your delegation adds the first task" in client.get(f"{W}/tasks").text
