"""Two worlds over the pages: the United States' private records change no byte of a page.

World 1 is the demo workspace; world 2 is the demo plus records private to the United
States (a person, a task in a joint workstream owned by that person, a milestone, an action,
an issue, a decision, a meeting, a development, a risk on a joint task and a back-channel
note), every one named with a marker. Each is loaded into a database of its own as the API's
two-worlds test loads them (``test_two_worlds_api.populate``: records both worlds share get
the same seeded ids, the demo users the same ids, both stores run on one stopped clock).

In each world the mediator runs the blind mediation and Russia's editor runs a forecast and a
situation report (so the readiness and report pages have something to show). Then Russia's
editor, the mediator and the host's editor each sign in through the sign-in form and fetch
every page the app has when the test runs: each GET page route (not /api, not /static) with
``{workspace}`` filled, each route with an id parameter filled with records the reader may
read (a joint one and one of their own party, by id and by slug) and with the jobs and
reports they may read, and every page those link to within the workspace (a bounded crawl).

The two worlds' transcripts must be byte-identical after normalising only what differs by
design: CSRF tokens, timestamps (ISO and as the pages show them) and the random ids of jobs
and results (numbered by first appearance). No answer may carry the marker.
"""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
import worldkit
from fastapi.testclient import TestClient
from jobkit import app_on, wait_for
from sqlalchemy import select
from test_two_worlds_api import (
    TOKENS,
    UUID,
    database,
    known_ids,
    normalised,
    populate,
    seeded_id,
    seeded_others,
    stopped_clock,
    ticking_clock,
)
from webkit import sign_in

from summitry.access.policy import Principal
from summitry.access.sql import readable
from summitry.cli import example_path
from summitry.store import schema
from summitry.store.database import Database
from summitry.store.reads import forget_databases
from summitry.store.schema import JobRow, StoredResult
from summitry.web.demo import SEATS

MARKER = "Zq7-private-to-united-states"
READERS = ("ru-editor", "mediator", "host-editor")
CRAWL_LIMIT = 45
"""Pages fetched per reader (the routes' own pages first, then what they link to)."""

PRIVATE = f"""
[people.us-private-analyst]
name = "Analyst {MARKER}"
party = "united-states"
role = "{MARKER}"
visibility = "united-states"

[tasks.us-private-task]
name = "Task {MARKER}"
workstream = "security"
estimate = [1, 2, 3]
status = "in-progress"
due = 2024-07-17
blocked = true
blocked_reason = "{MARKER}"
owner = "us-private-analyst"
description = "{MARKER}"
visibility = "united-states"

[milestones.us-private-milestone]
name = "Milestone {MARKER}"
date = 2024-07-18
visibility = "united-states"

[actions.us-private-action]
name = "Action {MARKER}"
due = 2024-07-16
visibility = "united-states"

[issues.us-private-issue]
name = "Issue {MARKER}"
impact = "critical"
focus = "{MARKER}"
visibility = "united-states"

[issues.us-private-issue.options]
first = "Option {MARKER}"
second = "Another {MARKER}"

[decisions.us-private-decision]
title = "Decision {MARKER}"
due = 2024-07-19
visibility = "united-states"

[meetings.us-private-meeting]
title = "Meeting {MARKER}"
date = 2024-07-30
minutes = "{MARKER}"
visibility = "united-states"

[developments.us-private-development]
date = 2024-07-14
title = "Development {MARKER}"
text = "{MARKER}"
visibility = "united-states"

[risks.us-private-risk]
name = "Risk {MARKER}"
probability = 0.9
delay = [10, 20, 30]
tasks = ["us-private-task"]
visibility = "united-states"

[notes.us-private-note]
title = "Note {MARKER}"
text = "{MARKER}"
visibility = "united-states"
compartments = ["back-channel"]
"""


def demo_text() -> str:
    """World 1: the demo's plan file as it is."""
    return example_path("summit.toml").read_text(encoding="utf-8")


def demo_data() -> dict[str, Any]:
    """The demo's plan as data (which records each party may read)."""
    return tomllib.loads(demo_text())


def party_of(username: str) -> str:
    """A demo user's party."""
    return next(seat.party for seat in SEATS if seat.username == username)


def readable_records(collection: str, party: str) -> list[str]:
    """Slugs of a joint record and of one of ``party``'s own, where the demo has them."""
    table = demo_data().get(collection, {})
    joint, own = [], []
    for slug, body in table.items():
        readers = body.get("visibility", "joint")
        readers = [readers] if isinstance(readers, str) else readers
        if body.get("compartments"):
            continue
        if readers == ["joint"]:
            joint.append(slug)
        elif party in readers:
            own.append(slug)
    return [*joint[:1], *own[:1]]


def readable_rows(db: Database, party: str) -> tuple[list[str], list[str]]:
    """The ids of the jobs and of the stored results the party may read, oldest first."""
    principal = Principal.of(party)
    with db.transaction(principal) as session:
        jobs = session.scalars(
            select(JobRow.id)
            .where(readable(principal, JobRow.readers, JobRow.compartments))
            .order_by(JobRow.created_at, JobRow.id)
        ).all()
        results = session.scalars(
            select(StoredResult.id)
            .where(readable(principal, StoredResult.readers, StoredResult.compartments))
            .order_by(StoredResult.created_at, StoredResult.id)
        ).all()
    return list(jobs), list(results)


def id_paths(app: Any, db: Database, username: str) -> list[str]:
    """Every page route with an id parameter, filled with what the reader may read."""
    party = party_of(username)
    jobs, results = readable_rows(db, party)
    paths: list[str] = []
    for route in worldkit.page_routes(app):
        names = worldkit.params(route.path)
        kinds = {name: worldkit.id_kind(name) for name in names}
        if not any(kinds.values()):
            continue
        for name, kind in kinds.items():
            if kind == "record":
                collection = worldkit.collection_for(route.path, name)
                slugs = readable_records(collection, party) if collection else []
                values = [seeded_id(collection or "", s) for s in slugs] + slugs
            elif kind == "job":
                values = jobs
            elif kind == "result":
                values = results
            else:
                continue
            paths += [worldkit.fill(route.path, {name: value}) for value in values]
    return paths


def transcript(db: Database, text: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Everything the three readers get from the pages of the workspace, as one text."""
    populate(db, text, monkeypatch)
    api = "/api/v1/workspaces/demo"
    lines: list[str] = []
    with TestClient(app_on(db)) as client:
        mediator = {"Authorization": f"Bearer {TOKENS['mediator']}"}
        ran = client.post(f"{api}/mediation/run", json={}, headers=mediator)
        assert ran.status_code == 201, ran.text
        russia = {"Authorization": f"Bearer {TOKENS['ru-editor']}"}
        for path, body in (
            ("forecast", {"iterations": 200, "seed": 3}),
            ("sitreps", {"format": "md", "forecast": False}),
        ):
            started = client.post(f"{api}/{path}", json=body, headers=russia)
            assert started.status_code == 202, started.text
            job, _ = wait_for(client, russia, started.headers["location"])
            assert job["status"] == "done", job
        for username in READERS:
            client.cookies.clear()
            sign_in(client, username)
            starts = worldkit.plain_paths(client.app) + id_paths(client.app, db, username)
            for seen in worldkit.crawl(client, starts, CRAWL_LIMIT):
                lines.append(f"[{username}] " + worldkit.without_tokens(worldkit.page_text(seen)))
    return "\n".join(lines)


def run_world(
    backend: str, template: str | None, text: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, set[str], set[str]]:
    """A world's transcript, its record ids and the ids Russia may read."""
    from summitry.web import jobs

    monkeypatch.setattr(schema, "clock", stopped_clock())
    monkeypatch.setattr(jobs, "now", ticking_clock())
    try:
        with database(backend, template) as db:
            return transcript(db, text, monkeypatch), *known_ids(db)
    finally:
        forget_databases()


def comparable(text: str, seeded: set[str]) -> str:
    """Timestamps and random ids normalised (CSRF tokens are blanked already)."""
    return worldkit.LOCAL_TIME.sub("<local-time>", normalised(text, seeded))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_worlds_over_the_pages(
    backend: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = request.getfixturevalue("pg_template") if backend == "postgresql" else None
    plain, every_one, _ = run_world(backend, template, demo_text(), monkeypatch)
    private, every_two, _mine = run_world(backend, template, demo_text() + PRIVATE, monkeypatch)
    assert every_two > every_one, "world 2 holds the private records"
    assert MARKER not in private
    stray = (set(UUID.findall(private)) & every_two) - every_one
    assert not stray, f"pages name private records: {sorted(stray)[:3]}"
    seeded = every_two | seeded_others()
    first, second = comparable(plain, seeded), comparable(private, seeded)
    # The transcripts hold real pages: each reader's dashboard and some id routes answered.
    for username in READERS:
        assert f"[{username}] GET /w/demo → 200 text/html" in first
    assert first.count("→ 200 text/html") >= 3 * 5
    if first == second:
        return
    import difflib

    diff = difflib.unified_diff(
        first.splitlines(), second.splitlines(), "world 1", "world 2", lineterm=""
    )
    pytest.fail("the pages differ between the worlds:\n" + "\n".join(list(diff)[:80]))
