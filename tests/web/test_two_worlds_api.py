"""Two worlds over the API: B's private records change no byte of what A's member gets.

Issue 7's generator (``tests/access/test_two_worlds.py``) makes B's (``united-states``) hidden
records, links to them and records that cannot stand without them. World 1 (the base plan
with all of that, less the records no workspace can hold) and world 2 (the base plan alone)
are each loaded into a database of their own, as the store's two-worlds test does: records
both worlds share get the same seeded ids, the workspace the same id, and both stores run on
one stopped clock. Both get the demo users (``summitry.web.demo.SEATS``) with the same ids
and password, and the same API token for ``ru-editor`` (A) and the mediator, inserted with a
known secret. In each world the mediator runs the blind mediation (B's own positions
released to the mediator are private to B in world 1 here: releasing them is what feeds the
mediation, see ``test_two_worlds``), then A, through the API token:

* reads every analysis endpoint — status, validate, negotiate (also with a package), risks,
  venues, scenarios, the mediation as released to A;
* runs a forecast with a what-if, a scenario search and two situation reports (Markdown with
  the forecast, HTML without) as jobs, polls each to the end and reads the job, its result,
  the job list, the report list and each report's download and charts;
* reads every other ``GET`` route of the workspace that the app has when the test runs (the
  records endpoints), filling ``{collection}`` with a few collections and a record id
  parameter with records A may read.

The two worlds' transcripts (method, path, status, content type and body of every answer)
must be byte-identical after normalising exactly two things: timestamps (ISO date-times,
``2024-07-15T09:00:00…``, become ``<time>``; the store's clock is stopped, the jobs' clock
ticks) and the ids of jobs, stored results and anything else made with a random id (every
UUID that is not the seeded id of a record, the workspace, a user or a token becomes
``<id-N>``, numbered by first appearance in the transcript). No answer may carry B's
marker, and no UUID in A's answers may be the id of a record A cannot read.

``SUMMITRY_API_TWO_WORLDS_EXAMPLES`` (default 2) sets the number of examples; world 2's
transcript is the same in every example and is made once per database kind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import os
import re
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, reject, settings
from jobkit import app_on, wait_for
from sqlalchemy import select

import access.test_two_worlds as worlds  # type: ignore[import-not-found]
from summitry.access.policy import KEEPER, Principal
from summitry.errors import InputError
from summitry.io import planfile
from summitry.store import schema
from summitry.store.audit import keyring
from summitry.store.database import Database, open_database
from summitry.store.loading import load_plan
from summitry.store.reads import forget_databases
from summitry.store.schema import RecordRow, TokenRow, User
from summitry.web.demo import DEMO_PASSWORD, SEATS

EXAMPLES = int(os.environ.get("SUMMITRY_API_TWO_WORLDS_EXAMPLES", "2"))
NAMESPACE = uuid.UUID("0c6e2a4f-93d1-4b7e-8f25-6a1d9e3b5c70")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?")
WORKSPACE = "demo"
API = f"/api/v1/workspaces/{WORKSPACE}"
A_USER, MEDIATOR_USER = "ru-editor", "mediator"
A = Principal.of(worlds.A)
TOKENS = {A_USER: "smt_two-worlds-russia-editor", MEDIATOR_USER: "smt_two-worlds-mediator"}
COLLECTIONS = ("tasks", "issues", "positions", "venue_preferences", "notes")
"""What ``{collection}`` takes in the records routes (joint, held and private material)."""


def seeded_id(collection: str, slug: str) -> str:
    """The same id for the same record (or user, token) in both worlds."""
    return str(uuid.uuid5(NAMESPACE, f"{collection}/{slug}"))


def stopped_clock() -> Callable[[], dt.datetime]:
    """Every time the same in both worlds (B's entries must not move the joint ones')."""
    start = dt.datetime(2024, 7, 15, 9, 0, tzinfo=dt.UTC)
    return lambda: start


@contextmanager
def database(backend: str, template: str | None) -> Iterator[Database]:
    """A fresh migrated database of the given kind."""
    if backend == "sqlite":
        from summitry.store import migrate

        with tempfile.TemporaryDirectory(prefix="summitry-api-worlds-") as folder:
            db = open_database(Path(folder) / "summitry.db")
            migrate.upgrade(db)
            yield db
            db.dispose()
        return
    from dbfixtures import pg_clone

    url, drop = pg_clone(template)
    db = open_database(url=url)
    try:
        yield db
    finally:
        db.dispose()
        drop()


def world_one_text(secret: Any) -> str:
    """World 1 as a workspace can hold it, B's released own positions private to B."""
    data = worlds.world_one(secret, mediation=True)
    for collection in list(data):
        table = data[collection]
        if isinstance(table, dict) and collection in planfile.COLLECTIONS:
            data[collection] = {k: v for k, v in table.items() if k not in worlds.ORPHANS}
    text: str = worlds.toml_text(data)
    return text


def populate(db: Database, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Load the plan as the demo workspace, add the demo users and the known API tokens."""
    from summitry.store import users

    counter = itertools.count(1)
    monkeypatch.setattr(users, "new_id", lambda: seeded_id("users", str(next(counter))))
    keys = keyring(db.file)
    with db.transaction(KEEPER, write=True) as session:
        load_plan(session, keys, text, "plan.toml", WORKSPACE, actor="op", make_id=seeded_id)
        for seat in SEATS:
            users.add_user(
                session,
                keys,
                seat.username,
                DEMO_PASSWORD,
                workspace=WORKSPACE,
                party=seat.party,
                role=seat.role,
                clearances=seat.clearances,
                actor="op",
            )
        for username, token in TOKENS.items():
            user = session.scalar(select(User).where(User.username == username))
            assert user is not None
            session.add(
                TokenRow(
                    id=seeded_id("tokens", username),
                    secret_hash=hashlib.sha256(token.encode()).hexdigest(),
                    user_id=user.id,
                    name="two worlds",
                    created_at=schema.now(),
                )
            )


class Transcript:
    """Every answer A got, in order, as text: method, path, status, content type, body."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.lines: list[str] = []

    def call(self, method: str, path: str, user: str = A_USER, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {TOKENS[user]}"}
        answer = self.client.request(method, path, headers=headers, **kwargs)
        if user == A_USER:
            kind = answer.headers.get("content-type", "")
            disposition = answer.headers.get("content-disposition", "")
            body = answer.content.decode("utf-8", errors="replace")
            self.lines.append(f"{method} {path} → {answer.status_code} {kind} {disposition}")
            self.lines.append(body)
        return answer

    def job(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """Start a job, wait for it, and read the job, its result and (a report) its file."""
        started = self.call("POST", f"{API}/{path}", json=body)
        assert started.status_code == 202, started.text
        location = started.headers["location"]
        headers = {"Authorization": f"Bearer {TOKENS[A_USER]}"}
        wait_for(self.client, headers, location)
        job: dict[str, Any] = self.call("GET", location).json()
        assert job["status"] == "done", job
        result = self.call("GET", job["result"]).json()
        if path == "sitreps":
            self.call("GET", result["download"])
            for chart in result["charts"]:
                self.call("GET", chart)
        return job


def transcript(db: Database) -> str:
    """Everything A gets from the workspace of ``db`` through the API, as one text."""
    with TestClient(app_on(db)) as client:
        record = Transcript(client)
        ran = record.call("POST", f"{API}/mediation/run", user=MEDIATOR_USER, json={})
        assert ran.status_code == 201, ran.text
        for path in (
            "status",
            "status?as_of=2024-08-01&due_soon=5",
            "validate",
            "negotiate",
            "risks",
            "risks?scenario=1",
            "venues",
            "scenarios",
            "mediation",
        ):
            record.call("GET", f"{API}/{path}")
        package = {iid: options[0] for iid, options in worlds.JOINT_OPTIONS.items()}
        record.call("POST", f"{API}/negotiate", json={"package": package})
        record.job("forecast", {"iterations": 200, "seed": 3, "summit_date": "2024-09-23"})
        record.job("scenarios", {"max_inconsistency": 1})
        record.job("sitreps", {"format": "md"})
        record.job("sitreps", {"format": "html", "forecast": False, "as_of": "2024-07-22"})
        record.call("GET", f"{API}/jobs")
        record.call("GET", f"{API}/sitreps")
        for path in other_reads(client.app):  # type: ignore[arg-type]
            record.call("GET", path)
    return "\n".join(record.lines)


def other_reads(app: Any) -> list[str]:
    """Every other GET route of the workspace (the records endpoints), its parameters filled.

    Included routers are walked into (``iter_route_contexts``), as the app does when it
    matches a request; ``app.routes`` alone holds only the routers.
    """
    paths: list[str] = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or "GET" not in (context.methods or ()):
            continue
        if route.endpoint.__module__ == "summitry.web.analyses":
            continue
        path = str(context.path)
        if not path.startswith("/api/v1/workspaces/{workspace}"):
            continue
        paths += _filled(path)
    assert paths, "no records routes found: has FastAPI changed how it keeps routes?"
    return paths


def _filled(path: str) -> list[str]:
    names = re.findall(r"\{(\w+)(?::\w+)?\}", path)
    unknown = [n for n in names if n not in ("workspace", "collection") and not _is_id(n)]
    if unknown:
        return []
    collections = COLLECTIONS if "collection" in names else ("",)
    out = []
    for collection in collections:
        ids = _readable_slugs(collection) if any(_is_id(n) for n in names) else [""]
        for slug in ids:
            filled = path
            for name in names:
                value = WORKSPACE if name == "workspace" else collection
                if _is_id(name):
                    value = seeded_id(collection, slug)
                filled = re.sub(r"\{" + name + r"(?::\w+)?\}", value, filled)
            out.append(filled)
    return out


def _is_id(name: str) -> bool:
    return name in ("id", "record_id", "record", "rid") or (
        name.endswith("_id") and name not in ("job_id", "sitrep_id", "token_id")
    )


def _readable_slugs(collection: str) -> list[str]:
    """A joint record and one of A's own, where the base plan has them."""
    table = worlds.BASE.get(collection, {})
    joint = [rid for rid, body in table.items() if worlds._is_joint(collection, body)][:1]
    own = [
        rid
        for rid, body in table.items()
        if body.get("held_by") == worlds.A or body.get("visibility") in (worlds.A, [worlds.A])
    ][:1]
    return [*joint, *own]


def known_ids(db: Database) -> tuple[set[str], set[str]]:
    """Every record's id, and the ids A may read."""
    from summitry.access.sql import readable

    with db.transaction(KEEPER) as session:
        every = set(session.scalars(select(RecordRow.id)))
        mine = set(
            session.scalars(
                select(RecordRow.id).where(readable(A, RecordRow.readers, RecordRow.compartments))
            )
        )
    return every, mine


def normalised(text: str, seeded: set[str]) -> str:
    """Timestamps as ``<time>``; ids that are not seeded as ``<id-N>`` by first appearance."""
    text = TIME.sub("<time>", text)
    numbers: dict[str, str] = {}

    def number(found: re.Match[str]) -> str:
        value = found.group(0)
        if value in seeded:
            return value
        return numbers.setdefault(value, f"<id-{len(numbers) + 1}>")

    return UUID.sub(number, text)


def seeded_others() -> set[str]:
    """The seeded ids that are not records: the workspace, the users, the tokens."""
    users = {seeded_id("users", str(n)) for n in range(1, 4 * len(SEATS) + 1)}
    tokens = {seeded_id("tokens", name) for name in TOKENS}
    return {seeded_id("workspaces", WORKSPACE), *users, *tokens}


_WORLD_TWO: dict[str, str] = {}
"""World 2's raw transcript per database kind (it is the same plan in every example)."""


def ticking_clock() -> Callable[[], dt.datetime]:
    """A clock one microsecond on at each reading, for the jobs and stored results only.

    Their lists are newest first; on a stopped clock their order would be their random ids'.
    How often it is read (a job's progress writes follow the wall clock) changes only the
    times, which are normalised, never the order of two rows.
    """
    start, ticks, lock = stopped_clock()(), itertools.count(), threading.Lock()

    def tick() -> dt.datetime:
        with lock:
            return start + dt.timedelta(microseconds=next(ticks))

    return tick


def run_world(
    backend: str, template: str | None, text: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, set[str], set[str]]:
    """A world's transcript, its record ids and the record ids A may read."""
    from summitry.web import jobs

    monkeypatch.setattr(schema, "clock", stopped_clock())
    monkeypatch.setattr(jobs, "now", ticking_clock())
    try:
        with database(backend, template) as db:
            try:
                populate(db, text, monkeypatch)
            except InputError:
                # A record that cannot stand without a link that narrows (B's joint record of
                # the back channel weighing B's private issue): no workspace can hold world 1.
                reject()
            every, mine = known_ids(db)
            return transcript(db), every, mine
    finally:
        forget_databases()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_worlds_over_the_api(
    backend: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = request.getfixturevalue("pg_template") if backend == "postgresql" else None

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(secret=worlds.hidden_records())
    def check(secret: Any) -> None:
        one, every, mine = run_world(backend, template, world_one_text(secret), monkeypatch)
        if backend not in _WORLD_TWO:
            plan = worlds.toml_text(worlds.BASE)
            _WORLD_TWO[backend] = run_world(backend, template, plan, monkeypatch)[0]
        seeded = every | seeded_others()
        first, second = normalised(one, seeded), normalised(_WORLD_TWO[backend], seeded)
        assert worlds.MARKER not in one
        stray = (set(UUID.findall(one)) & every) - mine
        assert not stray, f"A's answers name records A may not read: {sorted(stray)[:3]}"
        assert f"GET {API}/mediation → 200" in first
        if first == second:
            return
        import difflib

        lines = list(
            difflib.unified_diff(
                second.splitlines(), first.splitlines(), "world 2", "world 1", lineterm=""
            )
        )
        diff = "\n".join(lines[:80])
        pytest.fail(f"A's answers differ between the worlds:\n{diff}")

    check()
