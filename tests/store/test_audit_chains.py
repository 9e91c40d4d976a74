"""The audit log's hash chains on SQLite and PostgreSQL: tampering is found, readers see only
their chains, heads do not depend on other parties' private edits, and keys can rotate.

Each tamper test edits the log the way someone with the database owner's password could (raw
SQL past the application) and checks that ``audit.verify`` names the broken chain and entry.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select, update
from storekit import EXAMPLE, copy_of, fresh_database, load_example

from summitry.access.labels import JOINT_LABEL, Label
from summitry.access.policy import JOINT_READER, KEEPER, Principal, can_read
from summitry.store import audit
from summitry.store.audit import Break, ChainHead, Keyring, heads, keyring, parse_heads, verify
from summitry.store.database import Database
from summitry.store.loading import load_plan
from summitry.store.records import create_record, update_record
from summitry.store.schema import AuditEntry
from summitry.store.views import assemble
from summitry.store.workspaces import create_workspace, find_workspace

RUSSIA = Principal.of("russia")
US = Principal.of("united-states")
RUSSIA_ONLY = Label(frozenset({"russia"}))
MID = 50
"""An entry in the middle of the joint chain (the example's load writes some 140 to it)."""


def create(
    db: Database,
    keys: Keyring,
    principal: Principal,
    slug: str,
    visibility: str,
    record_id: str | None = None,
) -> str:
    """Create a task as ``principal``; its id."""
    body = {"name": f"Task {slug}", "workstream": "logistics", "estimate": [1, 2, 4]}
    with db.transaction(principal, write=True) as session:
        workspace = find_workspace(session, "demo")
        written = create_record(
            session,
            keys,
            workspace,
            principal,
            "tasks",
            slug,
            {**body, "visibility": visibility},
            actor=f"{principal.name}-editor",
            record_id=record_id,
        )
    return written.id


def edit(db: Database, keys: Keyring, principal: Principal, slug: str, percent: int) -> None:
    """Set a task's progress as ``principal`` (the task is found by slug in their view)."""
    with db.transaction(principal, write=True) as session:
        workspace = find_workspace(session, "demo")
        view = assemble(session, workspace, principal)
        rid = view.id_of("tasks", slug)
        assert rid is not None
        body = {**view.data["tasks"][slug], "percent_complete": percent}
        update_record(
            session,
            keys,
            workspace,
            principal,
            rid,
            body,
            view.rows[rid].revision,
            actor=f"{principal.name}-editor",
        )


@dataclass(frozen=True)
class Logged:
    """A database whose log holds the history below, its keys and the workspace's id."""

    db: Database
    keys: Keyring
    workspace: str


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def _history_source(request: pytest.FixtureRequest) -> Iterator[tuple[str, ExitStack, dict]]:
    """Per backend, where the history is built the first time a test asks for it."""
    with ExitStack() as stack:
        yield request.param, stack, {}


@pytest.fixture
def history(
    request: pytest.FixtureRequest, _history_source: tuple[str, ExitStack, dict]
) -> Iterator[Logged]:
    """The example loaded, then a few edits by russia and the united-states.

    Built once per backend (with the test's audit key) and copied for each test.
    """
    backend, stack, built = _history_source
    keys = keyring(None)
    if "db" not in built:
        db = stack.enter_context(fresh_database(request, backend))
        load_example(db, keys)
        create(db, keys, RUSSIA, "russian-visa-list", "russia")
        edit(db, keys, US, "hotel-blocks", 25)
        edit(db, keys, RUSSIA, "russian-visa-list", 50)
        create(db, keys, US, "us-advance-team", "united-states")
        edit(db, keys, RUSSIA, "hotel-blocks", 40)
        with db.transaction(KEEPER) as session:
            built["workspace"] = find_workspace(session, "demo").id
        built["db"] = db
    with copy_of(request, built["db"]) as db:
        yield Logged(db, keys, built["workspace"])


def check(
    db: Database,
    keys: Keyring,
    principal: Principal = KEEPER,
    expected: Iterable[ChainHead] = (),
) -> tuple[list[ChainHead], list[Break]]:
    """``audit verify`` of the demo workspace as ``principal``."""
    with db.transaction(principal) as session:
        workspace = find_workspace(session, "demo")
        return verify(session, keys, workspace.id, principal, expected)


def circulated(db: Database, principal: Principal) -> list[ChainHead]:
    """The heads a report for ``principal`` prints, read back as ``verify --against`` does."""
    with db.transaction(principal) as session:
        workspace = find_workspace(session, "demo")
        found = heads(session, workspace.id, principal)
    printed = parse_heads("\n".join(f"- {h.describe()}" for h in found))
    assert [(h.label, h.seq) for h in printed] == [(h.label, h.seq) for h in found]
    return printed


def joint_chain(workspace_id: str) -> Any:
    return (
        (AuditEntry.workspace_id == workspace_id)
        & (AuditEntry.readers == "joint")
        & (AuditEntry.compartments == "")
    )


def joint_length(db: Database, workspace_id: str) -> int:
    with db.owner.connect() as conn:
        top = conn.scalar(select(func.max(AuditEntry.seq)).where(joint_chain(workspace_id)))
    assert isinstance(top, int)
    return top


def where(broken: list[Break]) -> list[tuple[Label, int]]:
    return [(b.label, b.seq) for b in broken]


def test_untampered_log_verifies(history: Logged) -> None:
    found, broken = check(history.db, history.keys)
    assert broken == []
    with history.db.owner.connect() as conn:
        lengths = dict(
            conn.execute(
                select(AuditEntry.readers, func.count())
                .where(AuditEntry.compartments == "")
                .group_by(AuditEntry.readers)
            ).all()
        )
    seqs = {h.label: h.seq for h in found}
    assert seqs[JOINT_LABEL] == lengths["joint"]
    # Load wrote russia's two private records; its create and edit added two entries.
    assert seqs[RUSSIA_ONLY] == lengths[",russia,"] == 4
    assert seqs[Label(frozenset({"united-states"}))] == 3
    assert len(found) == 6


@pytest.mark.parametrize("field", ["actor", "object_ref", "outcome", "at"])
def test_an_edited_entry_is_found(history: Logged, field: str) -> None:
    db, keys, ws = history.db, history.keys, history.workspace
    with db.owner.begin() as conn:
        entry = conn.execute(select(AuditEntry).where(joint_chain(ws), AuditEntry.seq == MID)).one()
        value = entry.at + dt.timedelta(seconds=1) if field == "at" else f"{entry._mapping[field]}x"
        conn.execute(update(AuditEntry).where(AuditEntry.id == entry.id).values({field: value}))
    _, broken = check(db, keys)
    assert where(broken) == [(JOINT_LABEL, MID)]
    assert "digest does not match" in broken[0].reason
    assert str(broken[0]).startswith(f"chain 'joint': entry {MID}:")


def test_an_entry_deleted_from_the_middle_is_found(history: Logged) -> None:
    db, keys, ws = history.db, history.keys, history.workspace
    with db.owner.begin() as conn:
        conn.execute(delete(AuditEntry).where(joint_chain(ws), AuditEntry.seq == MID))
    _, broken = check(db, keys)
    assert where(broken) == [(JOINT_LABEL, MID)]
    assert "missing or out of order" in broken[0].reason


def test_an_inserted_entry_is_found(history: Logged) -> None:
    """A copy of entry MID slipped in after it, with the later entries renumbered."""
    db, keys, ws = history.db, history.keys, history.workspace
    with db.owner.begin() as conn:
        copy = dict(
            conn.execute(select(AuditEntry).where(joint_chain(ws), AuditEntry.seq == MID))
            .one()
            ._mapping
        )
        # Renumber in two steps (negative first) so that no two entries share a seq.
        later = joint_chain(ws) & (AuditEntry.seq > MID)
        conn.execute(update(AuditEntry).where(later).values(seq=-AuditEntry.seq - 1))
        conn.execute(
            update(AuditEntry)
            .where(joint_chain(ws), AuditEntry.seq < 0)
            .values(seq=-AuditEntry.seq)
        )
        conn.execute(insert(AuditEntry).values({**copy, "id": str(uuid.uuid4()), "seq": MID + 1}))
    _, broken = check(db, keys)
    assert where(broken) == [(JOINT_LABEL, MID + 1)]
    assert "digest does not match" in broken[0].reason


def test_reordered_entries_are_found(history: Logged) -> None:
    db, keys, ws = history.db, history.keys, history.workspace
    with db.owner.begin() as conn:
        chain = joint_chain(ws)
        conn.execute(update(AuditEntry).where(chain, AuditEntry.seq == MID).values(seq=-1))
        conn.execute(update(AuditEntry).where(chain, AuditEntry.seq == MID + 1).values(seq=MID))
        conn.execute(update(AuditEntry).where(chain, AuditEntry.seq == -1).values(seq=MID + 1))
    _, broken = check(db, keys)
    assert where(broken) == [(JOINT_LABEL, MID)]
    assert "digest does not match" in broken[0].reason


def test_a_truncated_tail_is_found_against_heads_circulated_earlier(history: Logged) -> None:
    db, keys, ws = history.db, history.keys, history.workspace
    report = circulated(db, US)
    length = joint_length(db, ws)
    with db.owner.begin() as conn:
        conn.execute(delete(AuditEntry).where(joint_chain(ws), AuditEntry.seq > length - 2))
    # What is left is a well-formed chain: only a head printed earlier shows what is gone.
    assert check(db, keys)[1] == []
    _, broken = check(db, keys, expected=report)
    assert where(broken) == [(JOINT_LABEL, length)]
    assert "truncated" in broken[0].reason


def test_a_chain_rehashed_with_the_key_is_found_against_heads_circulated_earlier(
    history: Logged,
) -> None:
    """Someone with the key (stolen) edits an entry and recomputes every digest after it."""
    db, keys, ws = history.db, history.keys, history.workspace
    report = circulated(db, US)
    length = joint_length(db, ws)
    with db.transaction(KEEPER, write=True) as session:
        chain = list(
            session.scalars(select(AuditEntry).where(joint_chain(ws)).order_by(AuditEntry.seq))
        )
        chain[MID - 1].actor = "someone-else"
        previous = chain[MID - 2].digest
        for entry in chain[MID - 1 :]:
            entry.digest = audit._digest(keys.key(entry.key_id), previous, entry)
            previous = entry.digest
    assert check(db, keys)[1] == []
    _, broken = check(db, keys, expected=report)
    assert where(broken) == [(JOINT_LABEL, length)]
    assert "rewritten" in broken[0].reason


@pytest.mark.parametrize(
    ("principal", "compartmented"),
    [(US, False), (Principal.of("united-states", ["back-channel"]), True)],
    ids=["united-states", "united-states+back-channel"],
)
def test_a_reader_sees_only_the_chains_they_may_read(
    history: Logged, principal: Principal, compartmented: bool
) -> None:
    db, keys, ws = history.db, history.keys, history.workspace
    everything, _ = check(db, keys)
    assert RUSSIA_ONLY in {h.label for h in everything}  # there is something to hide
    with db.transaction(principal) as session:
        shown = heads(session, ws, principal)
    expected = [h for h in everything if can_read(principal, h.label)]
    assert shown == expected
    assert RUSSIA_ONLY not in {h.label for h in shown}
    assert any(h.label.compartments for h in shown) is compartmented
    found, broken = check(db, keys, principal)
    assert (found, broken) == (expected, [])


# Two worlds: the same loads and edits by the united-states, with or without russia's private
# edits in between. The digests cover the workspace id, the object ids and the times, so both
# worlds pin them: seeded record ids, one workspace id, and the audit clock set per step.

WORKSPACE_ID = "6f1d6c56-0000-4000-8000-000000000001"
T0 = dt.datetime(2024, 7, 15, 9, 0, tzinfo=dt.UTC)
WORLD_READERS = {
    "united-states": US,
    "united-states+back-channel": Principal.of("united-states", ["back-channel"]),
    "joint": JOINT_READER,
}


def seeded(collection: str, slug: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"summitry-test/{collection}/{slug}"))


def world(
    db: Database, clock: list[dt.datetime], with_private_edits: bool
) -> dict[str, list[ChainHead]]:
    keys = keyring(db.file)

    def at(minutes: int) -> None:
        clock[0] = T0 + dt.timedelta(minutes=minutes)

    at(0)
    with db.transaction(KEEPER, write=True) as session:
        create_workspace(session, "demo", "Summit", workspace_id=WORKSPACE_ID)
        load_plan(
            session,
            keys,
            EXAMPLE.read_text(encoding="utf-8"),
            "summit.toml",
            "demo",
            actor="operator",
            make_id=seeded,
        )
    at(1)
    create(db, keys, US, "us-advance-team", "united-states", seeded("tasks", "us-advance-team"))
    if with_private_edits:
        at(2)
        create(db, keys, RUSSIA, "russian-visa-list", "russia")
        at(3)
        edit(db, keys, RUSSIA, "russian-visa-list", 50)
    at(4)
    edit(db, keys, US, "hotel-blocks", 25)
    at(5)
    edit(db, keys, US, "us-advance-team", 10)
    out = {}
    for name, principal in {**WORLD_READERS, "all": KEEPER}.items():
        with db.transaction(principal) as session:
            out[name] = heads(session, WORKSPACE_ID, principal)
    return out


@pytest.fixture
def audit_clock(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    """The time audit entries are stamped with, set by the test."""
    clock = [T0]
    monkeypatch.setattr(audit, "now", lambda: clock[0])
    return clock


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_heads_are_the_same_whether_or_not_another_party_made_private_edits(
    request: pytest.FixtureRequest, backend: str, audit_clock: list[dt.datetime]
) -> None:
    with fresh_database(request, backend) as one, fresh_database(request, backend) as other:
        without = world(one, audit_clock, with_private_edits=False)
        with_edits = world(other, audit_clock, with_private_edits=True)
    for reader in WORLD_READERS:
        assert with_edits[reader] == without[reader], reader
        assert RUSSIA_ONLY not in {h.label for h in with_edits[reader]}
    # The worlds do differ: the keeper sees russia's chain grow by its two edits.
    before = {h.label: h.seq for h in without["all"]}
    after = {h.label: h.seq for h in with_edits["all"]}
    assert after[RUSSIA_ONLY] == before[RUSSIA_ONLY] + 2
    assert after[JOINT_LABEL] == before[JOINT_LABEL]


def test_entries_under_a_rotated_key_verify_with_the_old_key_kept(
    db: Database, keys: Keyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert keys.current_id == "k1"
    load_example(db, keys)
    monkeypatch.setenv("SUMMITRY_AUDIT_KEY", "the-second-key")
    monkeypatch.setenv("SUMMITRY_AUDIT_KEY_ID", "k2")
    monkeypatch.setenv("SUMMITRY_AUDIT_OLD_KEYS", "k1=test-audit-key")
    rotated = keyring(db.file)
    edit(db, keys=rotated, principal=US, slug="hotel-blocks", percent=25)
    create(db, rotated, RUSSIA, "russian-visa-list", "russia")
    with db.owner.connect() as conn:
        used = dict(
            conn.execute(select(AuditEntry.key_id, func.count()).group_by(AuditEntry.key_id)).all()
        )
    assert set(used) == {"k1", "k2"}
    assert used["k2"] == 2
    found, broken = check(db, rotated)
    assert broken == []

    monkeypatch.setenv("SUMMITRY_AUDIT_OLD_KEYS", "")
    _, broken = check(db, keyring(db.file))
    # Every chain starts with an entry of the load, written under k1.
    assert sorted(where(broken), key=str) == sorted(((h.label, 1) for h in found), key=str)
    assert all(b.reason == "key 'k1' is not configured" for b in broken)

    monkeypatch.setenv("SUMMITRY_AUDIT_OLD_KEYS", "k1=not-the-key")
    _, broken = check(db, keyring(db.file))
    assert len(broken) == len(found)
    assert all("digest does not match" in b.reason for b in broken)
