"""Two worlds over the store: B's private records change nothing A or the joint reader gets.

Issue 7's generator (``tests/access/test_two_worlds.py``) makes B's hidden records, links to
them and records that cannot stand without them. World 1 (the base plan with all of that) and
world 2 (the base plan alone) are loaded into two databases of the same kind; records both
worlds share get the same seeded ids, and both stores run on one fixed clock, so even the
audit chains' digests are comparable — timestamps are the one thing made equal. Then every
service is run for A (``russia``), for ``joint`` and for A cleared for the back channel, on
both workspaces, and their results must be identical: the view, the exported plan file, the
checks, the dashboard, the forecast, the negotiation analysis, the scenarios, the risks, the
venues, the situation report (with its audit chain heads), a write and the chain heads. No id
of a record A cannot read may appear in what A gets.

The records that cannot stand without one of B's are loaded labelled for the readers who may
follow their link (which leaves them out of A's view, as a plan file's view does).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from pydantic_core import to_jsonable_python
from sqlalchemy import select

import access.test_two_worlds as worlds  # type: ignore[import-not-found]
from summitry.access.policy import KEEPER, Principal
from summitry.io import planfile
from summitry.store import schema
from summitry.store.audit import keyring
from summitry.store.database import Database, open_database
from summitry.store.loading import load_plan
from summitry.store.reads import WorkspaceRef, chain_heads, forget_databases, workspace_check
from summitry.store.records import create_record
from summitry.store.schema import RecordRow
from summitry.store.workspaces import find_workspace

EXAMPLES = int(os.environ.get("SUMMITRY_STORE_TWO_WORLDS_EXAMPLES", "3"))
NAMESPACE = uuid.UUID("6f1d3c9e-2b7a-4c55-9a61-0d8e4b2f7a13")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
READERS = {
    "russia": Principal.of("russia"),
    "joint": Principal.of("joint"),
    "russia cleared": Principal.of("russia", ["back-channel"]),  # see the test
}


def seeded_id(collection: str, slug: str) -> str:
    """The same id for the same record in both worlds (and never one from the other world)."""
    return str(uuid.uuid5(NAMESPACE, f"{collection}/{slug}"))


def fixed_clock() -> Callable[[], dt.datetime]:
    """A stopped clock: every time the same in both worlds (timestamps are all we equalise).

    A ticking clock would not do: B's entries in world 1 would move the times of the joint
    entries after them.
    """
    start = dt.datetime(2024, 7, 15, 9, 0, tzinfo=dt.UTC)
    return lambda: start


@contextmanager
def database(backend: str, template: str | None) -> Iterator[Database]:
    """A fresh migrated database of the given kind."""
    if backend == "sqlite":
        from summitry.store import migrate

        with tempfile.TemporaryDirectory(prefix="summitry-store-worlds-") as folder:
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


def ref_of(db: Database) -> WorkspaceRef:
    if db.file is not None:
        return WorkspaceRef("summit", db.file, actor="tester")
    return WorkspaceRef("summit", url=db.url.render_as_string(hide_password=False), actor="tester")


def world_one_text(secret: Any) -> str:
    return worlds.toml_text(worlds.world_one(secret))


def outputs(db: Database, principal: Principal, slug: str) -> dict[str, str]:
    """Everything ``principal`` gets from the workspace, each as text."""
    from summitry.reports.render import markdown
    from summitry.services.forecasting import ForecastRequest, readiness
    from summitry.services.negotiation import negotiate
    from summitry.services.plans import export_view, status
    from summitry.services.scenarios import risks, scenarios
    from summitry.services.sitrep import SitrepRequest, sitrep
    from summitry.services.venues import venues

    ref = ref_of(db)
    got: dict[str, Any] = {}
    _, text = export_view(ref, principal)
    got["export"] = text
    checked = workspace_check(ref, principal)
    got["validate"] = [[str(p) for p in part] for part in checked[1:]]
    got["status"] = status(ref, principal).board
    got["forecast"] = readiness(ref, principal, ForecastRequest(iterations=200, seed=3)).baseline
    if principal.party is not None:
        got["negotiate"] = negotiate(ref, principal).analysis
    got["scenarios"] = scenarios(ref, principal).found
    got["risks"] = risks(ref, principal).rows
    got["venues"] = venues(ref, principal).analysis
    report = sitrep(ref, principal, SitrepRequest(forecasting=False)).report
    assert report is not None
    got["sitrep"] = markdown(report.document)[0]
    got["heads"] = [h.describe() for h in chain_heads(ref, principal)]
    got["write"] = _write(db, principal, slug)
    return {name: _text(value) for name, value in got.items()}


def _write(db: Database, principal: Principal, slug: str) -> str:
    """A's write of a task named like one of B's hidden ones: the same answer in both worlds.

    The cleared reader writes the same slug again after A: refused alike in both.
    """
    from summitry.errors import SummitryError

    if principal.party is None:
        return ""
    try:
        return _create(db, principal, slug)
    except SummitryError as err:
        return f"refused: {err}"


def _create(db: Database, principal: Principal, slug: str) -> str:
    with db.transaction(principal, write=True) as session:
        workspace = find_workspace(session, "summit")
        written = create_record(
            session,
            keyring(db.file),
            workspace,
            principal,
            "tasks",
            slug,
            {"name": "Ours", "workstream": "agenda", "estimate": [1, 2, 3], "visibility": "russia"},
            actor="tester",
            record_id=seeded_id("write", principal.name),
        )
    return f"{written.slug} {written.revision}"


def _text(value: Any) -> str:
    import json

    def plain(item: Any) -> Any:
        return item.tolist() if hasattr(item, "tolist") else repr(item)

    if isinstance(value, str):
        return value
    return json.dumps(to_jsonable_python(value, fallback=plain), indent=1)


def readable_ids(db: Database, principal: Principal) -> set[str]:
    from summitry.access.sql import readable

    with db.transaction(KEEPER) as session:
        return set(
            session.scalars(
                select(RecordRow.id).where(
                    readable(principal, RecordRow.readers, RecordRow.compartments)
                )
            )
        )


CLEARED = "russia cleared"


def world(
    backend: str, template: str | None, text: str, readers: dict[str, Principal], slug: str
) -> tuple[str, dict[str, set[str]], dict[str, dict[str, str]]]:
    """Load ``text`` into a fresh database; the keeper's view, each reader's ids and outputs."""
    from summitry.store.reads import workspace_view

    with database(backend, template) as db:
        with db.transaction(KEEPER, write=True) as session:
            load_plan(
                session,
                keyring(db.file),
                text,
                "plan.toml",
                "summit",
                actor="op",
                make_id=seeded_id,
            )
        keeper = planfile.dumps(workspace_view(ref_of(db), KEEPER))
        ids = {who: readable_ids(db, p) for who, p in readers.items()}
        got = {who: outputs(db, p, slug) for who, p in readers.items()}
    forget_databases()
    return keeper, ids, got


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(secret=worlds.hidden_records())
def test_two_worlds_over_the_store(
    backend: str, secret: Any, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """World 1 against world 2 for A and joint; for A cleared for the back channel, world 1
    with B's joint back-channel records made B's own (as the file test does: those are open
    to a cleared A by design, so they are no part of what must not change)."""
    template = request.getfixturevalue("pg_template") if backend == "postgresql" else None
    slug = secret.of("tasks")[0]
    plain = {who: p for who, p in READERS.items() if who != CLEARED}
    monkeypatch.setattr(schema, "clock", fixed_clock())
    keeper_one, ids_one, one = world(backend, template, world_one_text(secret), plain, slug)
    monkeypatch.setattr(schema, "clock", fixed_clock())
    cleared_text = worlds.toml_text(worlds.world_one(secret, cleared=True))
    # All readers, in the same order as in world 2, so that the writes before it are the same.
    _, ids_cleared, one_cleared = world(backend, template, cleared_text, READERS, slug)
    monkeypatch.setattr(schema, "clock", fixed_clock())
    keeper_two, _, two = world(backend, template, worlds.toml_text(worlds.BASE), READERS, slug)
    monkeypatch.setattr(schema, "clock", fixed_clock())
    # The keeper sees B's records in world 1: the generator added something.
    assert keeper_one != keeper_two
    assert worlds.MARKER in keeper_one
    problems: list[str] = []
    for who, ours, ids in [
        *((who, one[who], ids_one[who]) for who in plain),
        (CLEARED, one_cleared[CLEARED], ids_cleared[CLEARED]),
    ]:
        for name, mine in ours.items():
            theirs = two[who][name]
            if mine != theirs:
                import difflib

                lines = difflib.unified_diff(
                    theirs.splitlines(), mine.splitlines(), lineterm="", n=0
                )
                diff = "\n".join(list(lines)[:12])
                problems.append(f"{who}: {name} differs\n{diff}")
            if worlds.MARKER in mine:
                problems.append(f"{who}: {name} holds B's marker")
            stray = set(UUID.findall(mine)) - ids
            if stray:
                problems.append(f"{who}: {name} names ids {sorted(stray)[:3]} it may not read")
    assert not problems, "\n".join(problems)
