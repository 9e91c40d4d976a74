"""The leak matrix: every demo user × every records endpoint × one record of each label class.

Each cell asserts exactly what the user gets: a read is 200 (and the record is in the list and
the plan file) for its readers and 404 (absent from both) for everyone else; a write succeeds
(201/200/204) where the write rules allow it, and is refused with 403 (a viewer or an admin;
a record the editor may read but not change) or 404 (a record the editor may not read) — or
400 for a label change that the rules refuse whoever asks (nothing to widen, nothing to
withdraw). The expected answer comes from the small tables below, which restate the rules
(issue 13) without calling the policy.

The demo is built once per module and database kind; pending widenings of four more records
(one per label class a delegation can widen) feed the confirmation cells. Cells that expect a
deletion or a withdrawal to land run on a copy of that database; the others run on it and
check afterwards that nothing was written. Edits and restores that land there write the same
body again (a new revision of the same content), creations make notes of their own, and a
widening asked for there is removed again by the keeper, so every cell sees the same plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from test_records_api import Api, Demo, api_on, copied, demo_master

from summitry.access.policy import KEEPER
from summitry.store.schema import RecordRow, WideningRow
from summitry.web.demo import SEATS

__all__ = ["demo_master"]  # the fixture, imported for this module

# Who each demo user is: their party, whether they are an editor, what they are cleared for.
PARTY = {
    "ru-admin": "russia",
    "ru-editor": "russia",
    "ru-editor-2": "russia",
    "ru-viewer": "russia",
    "us-admin": "united-states",
    "us-editor": "united-states",
    "us-editor-2": "united-states",
    "us-viewer": "united-states",
    "host-admin": "austria",
    "host-editor": "austria",
    "sec-admin": "secretariat",
    "mediator": "secretariat",
}
EDITORS = frozenset(
    {"ru-editor", "ru-editor-2", "us-editor", "us-editor-2", "host-editor", "mediator"}
)
CLEARED = {"us-editor": frozenset({"back-channel"})}
USERS = tuple(PARTY)


@dataclass(frozen=True)
class Case:
    """A record of one label class: its readers (None: joint), compartments and owner."""

    name: str
    readers: frozenset[str] | None
    owner: str | None
    compartments: frozenset[str] = frozenset()
    wider: dict[str, Any] = field(default_factory=dict)
    """A widening to ask for (without the revision)."""
    asker: str = ""
    """Who asked for the pending widening (the widening cases only)."""


RU, US, SEC = "russia", "united-states", "secretariat"
BACK = frozenset({"back-channel"})
CASES = {
    "joint": Case("notes/vienna-dates", None, None, wider={"visibility": "joint"}),
    "joint-owned": Case(
        "venue_preferences/united-states-budapest-veto", None, US, wider={"visibility": "joint"}
    ),
    "russia": Case(
        "venue_preferences/russia-venue-weights",
        frozenset({RU}),
        RU,
        wider={"visibility": [RU, SEC]},
    ),
    "united-states": Case(
        "venue_preferences/united-states-venue-weights",
        frozenset({US}),
        US,
        wider={"visibility": [US, SEC]},
    ),
    "released": Case(
        "positions/russia-position", frozenset({RU, SEC}), RU, wider={"visibility": "joint"}
    ),
    "compartmented": Case(
        "notes/back-channel-signal",
        frozenset({US}),
        US,
        BACK,
        wider={"visibility": US, "compartments": []},
    ),
}
"""One record of each label class in the demo (the joint one owned by a party as well)."""

WIDENINGS = {
    "russia": Case(
        "positions/russia-view-of-united-states",
        frozenset({RU}),
        RU,
        wider={"visibility": [RU, SEC]},
        asker="ru-editor",
    ),
    "united-states": Case(
        "positions/united-states-view-of-russia",
        frozenset({US}),
        US,
        wider={"visibility": [US, SEC]},
        asker="us-editor",
    ),
    "released": Case(
        "positions/united-states-position",
        frozenset({US, SEC}),
        US,
        wider={"visibility": "joint"},
        asker="us-editor",
    ),
    "compartmented": Case(
        "notes/second-signal",
        frozenset({US}),
        US,
        BACK,
        wider={"visibility": US, "compartments": []},
        asker="us-editor",
    ),
}
"""A pending widening of a record of each label class a delegation can widen."""

SECOND_SIGNAL = {
    "title": "A second back-channel signal",
    "visibility": US,
    "compartments": ["back-channel"],
    "about": "eastern-europe-security",
}

READS = ("get", "list", "history", "plan")
WRITES = ("create", "update", "delete", "restore", "widen", "withdraw")


def reads(user: str, case: Case) -> bool:
    """The read rule: a reader of the record's parties, cleared for each of its compartments."""
    party_reads = case.readers is None or PARTY[user] in case.readers
    return party_reads and case.compartments <= CLEARED.get(user, frozenset())


def expected_write(endpoint: str, user: str, case: Case) -> int:
    """The status a write gets: the roles, then what may be read, then the write rules."""
    if user not in EDITORS:
        return 403  # viewers and admins change nothing, whatever the record
    party = PARTY[user]
    owns = case.owner == party
    if endpoint == "create":  # a new record labelled and owned like this one
        return 201 if reads(user, case) and case.owner in (None, party) else 403
    if not reads(user, case):
        return 404
    if endpoint in ("update", "restore"):
        # Own records, unowned joint material, and joint material of another party.
        return 200 if owns or case.owner is None or case.readers is None else 403
    if endpoint == "delete":
        return 204 if owns or case.owner is None else 403
    if endpoint == "widen":
        if not owns:
            return 403
        return 400 if case.readers is None else 201  # joint is as wide as readers go
    assert endpoint == "withdraw"
    if not owns:
        return 403
    released = case.readers is not None and bool(case.readers - {case.owner})
    return 200 if released else 400


def expected_confirm(user: str, case: Case) -> int:
    """The status of confirming a pending widening: a second editor of the owning party."""
    if user not in EDITORS:
        return 403
    if not reads(user, case):
        return 404
    if user == case.asker or PARTY[user] != case.owner:
        return 403
    return 200


@dataclass
class Matrix:
    """The matrix's database, its client, and what the cells send."""

    demo: Demo
    api: Api
    bodies: dict[str, dict[str, Any]]
    """Each case's record body as its owner (or any party, for joint ones) reads it."""
    widenings: dict[str, str]
    """The pending widening of each widening case, by case."""


def _reader_of(case: Case) -> str:
    return next(user for user in USERS if user in EDITORS and reads(user, case))


@pytest.fixture(scope="module")
def matrix(demo_master: Demo) -> Iterator[Matrix]:
    """The demo with a second compartmented note and four pending widenings."""
    with api_on(demo_master) as api:
        made = api.post(
            "us-editor", "/records/notes", json={"slug": "second-signal", "body": SECOND_SIGNAL}
        )
        assert made.status_code == 201, made.text
        demo_master.ids["notes/second-signal"] = made.json()["id"]
        widenings = {}
        for kind, case in WIDENINGS.items():
            asked = api.post(
                case.asker,
                api.record(case.name) + "/widen",
                json={**case.wider, "revision": api.revision(case.name)},
            )
            assert asked.status_code == 201, asked.text
            widenings[kind] = asked.json()["id"]
        bodies = {kind: api.body(_reader_of(case), case.name) for kind, case in CASES.items()}
        yield Matrix(demo_master, api, bodies, widenings)


def test_the_matrix_has_every_demo_user() -> None:
    assert set(USERS) == {seat.username for seat in SEATS}
    assert {seat.username for seat in SEATS if seat.role == "editor"} == EDITORS


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("kind", CASES)
@pytest.mark.parametrize("endpoint", READS)
def test_read(matrix: Matrix, endpoint: str, kind: str, user: str) -> None:
    case, api = CASES[kind], matrix.api
    collection, slug = case.name.split("/")
    rid = matrix.demo.ids[case.name]
    may = reads(user, case)
    if endpoint == "get":
        answer = api.get(user, api.record(case.name))
        assert answer.status_code == (200 if may else 404), answer.text
        if may:
            assert (answer.json()["id"], answer.json()["slug"]) == (rid, slug)
    elif endpoint == "history":
        answer = api.get(user, api.record(case.name) + "/history")
        assert answer.status_code == (200 if may else 404), answer.text
        if may:
            assert answer.json()["revisions"][0]["revision"] == 1
    elif endpoint == "list":
        answer = api.get(user, f"/records/{collection}", params={"limit": 200})
        assert answer.status_code == 200, answer.text
        assert (rid in {item["id"] for item in answer.json()["items"]}) is may
        assert rid not in answer.text or may  # not even the id, anywhere
    else:
        answer = api.get(user, "/plan")
        assert answer.status_code == 200, answer.text
        assert (f"[{collection}.{slug}]\n" in answer.text) is may
        assert rid not in answer.text  # a plan file names records by slug only


def _request(api: Api, endpoint: str, user: str, kind: str, body: dict[str, Any]) -> Any:
    case = CASES[kind]
    path = api.record(case.name)
    revision = api.revision(case.name)
    if endpoint == "create":
        return api.post(
            user, "/records/notes", json={"slug": _made(kind, user), "body": _like(case)}
        )
    if endpoint == "update":
        return api.put(user, path, json={"body": body, "revision": revision})
    if endpoint == "delete":
        return api.delete(user, path, params={"revision": revision})
    if endpoint == "restore":
        return api.post(user, path + "/restore", json={"revision": 1, "current_revision": revision})
    if endpoint == "widen":
        return api.post(user, path + "/widen", json={**case.wider, "revision": revision})
    return api.post(user, path + "/withdraw", json={"revision": revision})


def _made(kind: str, user: str) -> str:
    return f"made-{kind}-{user}"


def _like(case: Case) -> dict[str, Any]:
    """A new note labelled and owned as ``case`` is (what a create in its label class sends)."""
    body: dict[str, Any] = {"title": "A note", "visibility": "joint"}
    if case.readers is not None:
        body["visibility"] = sorted(case.readers, key=lambda party: (party != case.owner, party))
    if case.compartments:
        body["compartments"] = sorted(case.compartments)
    if case.owner is not None:
        body["owned_by"] = case.owner
    return body


def _pending(demo: Demo, rid: str) -> int:
    with demo.db.transaction(KEEPER) as session:
        count = session.scalar(
            select(func.count()).select_from(WideningRow).where(WideningRow.record_id == rid)
        )
    return count or 0


def _forget_widenings(demo: Demo, rid: str) -> None:
    with demo.db.transaction(KEEPER, write=True) as session:
        session.execute(delete(WideningRow).where(WideningRow.record_id == rid))


def _row(demo: Demo, rid: str) -> tuple[int, str] | None:
    with demo.db.transaction(KEEPER) as session:
        found = session.execute(
            select(RecordRow.revision, RecordRow.readers).where(RecordRow.id == rid)
        ).first()
    return None if found is None else (found[0], found[1])


def _copy_slug(demo: Demo, slug: str) -> bool:
    with demo.db.transaction(KEEPER) as session:
        return session.scalar(select(RecordRow.id).where(RecordRow.slug == slug)) is not None


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("kind", CASES)
@pytest.mark.parametrize("endpoint", WRITES)
def test_write(
    request: pytest.FixtureRequest, matrix: Matrix, endpoint: str, kind: str, user: str
) -> None:
    case = CASES[kind]
    want = expected_write(endpoint, user, case)
    body = matrix.bodies[kind]
    lands_for_good = want < 300 and endpoint in ("delete", "withdraw")
    if lands_for_good:
        with copied(request, matrix.demo.db) as db:
            demo = Demo(db, matrix.demo.tokens, matrix.demo.ids)
            with api_on(demo) as api:
                _check_landed(api, endpoint, user, kind, body, want)
        return
    api, demo = matrix.api, matrix.demo
    rid = demo.ids[case.name]
    before = _row(demo, rid)
    assert before is not None
    answer = _request(api, endpoint, user, kind, body)
    assert answer.status_code == want, answer.text
    after = _row(demo, rid)
    if want == 200:  # an edit or restore of the same content: one more revision, same label
        assert after == (before[0] + 1, before[1])
        assert answer.json()["body"] == body
    elif want == 201 and endpoint == "widen":
        assert answer.json()["requested_by"] == user
        assert after == before  # nothing changes until a second editor confirms
        assert _pending(demo, rid) == 1
        _forget_widenings(demo, rid)  # so that the next cell asks from the same plan
    elif want == 201:
        assert answer.json()["slug"] == _made(kind, user)
        assert answer.json()["owner"] == (case.owner or PARTY[user])
        assert after == before
    else:
        assert "error" in answer.json()
        assert after == before, "a refused write changed the record"
        assert not (endpoint == "create" and _copy_slug(demo, _made(kind, user)))
        assert _pending(demo, rid) == 0


def _check_landed(
    api: Api, endpoint: str, user: str, kind: str, body: dict[str, Any], want: int
) -> None:
    case = CASES[kind]
    rid = api.demo.ids[case.name]
    before = _row(api.demo, rid)
    assert before is not None
    answer = _request(api, endpoint, user, kind, body)
    assert answer.status_code == want, answer.text
    if endpoint == "delete":
        assert _row(api.demo, rid) is None
    else:
        assert _row(api.demo, rid) == (before[0] + 1, f",{case.owner},")


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("kind", WIDENINGS)
def test_pending_widenings(matrix: Matrix, kind: str, user: str) -> None:
    answer = matrix.api.get(user, "/widenings")
    assert answer.status_code == 200
    seen = {item["id"] for item in answer.json()["items"]}
    assert (matrix.widenings[kind] in seen) is reads(user, WIDENINGS[kind])


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("kind", WIDENINGS)
def test_confirm(request: pytest.FixtureRequest, matrix: Matrix, kind: str, user: str) -> None:
    case = WIDENINGS[kind]
    want = expected_confirm(user, case)
    path = f"/widenings/{matrix.widenings[kind]}/confirm"
    rid = matrix.demo.ids[case.name]
    if want != 200:
        answer = matrix.api.post(user, path)
        assert answer.status_code == want, answer.text
        assert _pending(matrix.demo, rid) == 1
        assert _row(matrix.demo, rid) is not None
        assert _row(matrix.demo, rid)[0] == 1  # type: ignore[index]
        return
    with (
        copied(request, matrix.demo.db) as db,
        api_on(Demo(db, matrix.demo.tokens, matrix.demo.ids)) as api,
    ):
        answer = api.post(user, path)
        assert answer.status_code == 200, answer.text
        wider = case.wider["visibility"]
        readers = (
            "joint" if wider == "joint" else sorted([wider] if isinstance(wider, str) else wider)
        )
        assert answer.json()["label"]["readers"] == readers
        assert _pending(api.demo, rid) == 0
