"""Writing records: checked against the writer's view, conflicts instead of lost updates."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select
from storekit import load_example, ref_of

from summitry.access.policy import KEEPER, Principal
from summitry.errors import InputError, PlanError
from summitry.store.audit import Keyring
from summitry.store.database import Database
from summitry.store.reads import workspace_view
from summitry.store.records import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    Written,
    create_record,
    delete_record,
    update_record,
)
from summitry.store.schema import RevisionRow
from summitry.store.workspaces import find_workspace

RUSSIA, STATES = Principal.of("russia"), Principal.of("united-states")
TASK = {"name": "Brief the principals", "workstream": "agenda", "estimate": [1, 2, 3]}


def create(db: Database, keys: Keyring, who: Principal, slug: str, body: dict[str, Any]) -> Written:
    with db.transaction(who, write=True) as session:
        workspace = find_workspace(session, "demo")
        return create_record(session, keys, workspace, who, "tasks", slug, body, actor=who.name)


def update(
    db: Database, keys: Keyring, who: Principal, rid: str, body: dict[str, Any], rev: int
) -> Written:
    with db.transaction(who, write=True) as session:
        workspace = find_workspace(session, "demo")
        return update_record(session, keys, workspace, who, rid, body, rev, actor=who.name)


@pytest.fixture
def loaded(db: Database, keys: Keyring) -> Database:
    load_example(db, keys)
    return db


def test_created_record_is_seen_by_its_readers_only(loaded: Database, keys: Keyring) -> None:
    create(loaded, keys, RUSSIA, "brief", {**TASK, "visibility": "russia"})
    ref = ref_of(loaded, "demo")
    assert workspace_view(ref, RUSSIA).tasks["brief"].name == "Brief the principals"
    assert "brief" not in workspace_view(ref, STATES).tasks
    assert "brief" not in workspace_view(ref, Principal.of("joint")).tasks


@pytest.mark.parametrize(
    ("slug", "body", "message"),
    [
        (
            "x",
            {**TASK, "workstream": "agendas"},
            "no workstream 'agendas' \\(did you mean 'agenda'",
        ),
        ("x", {**TASK, "estimate": [3, 2, 1]}, "tasks.x.estimate"),
        ("x", {**TASK, "visibility": "united-states"}, "could not read"),
        ("x", {**TASK, "owned_by": "united-states"}, "belongs to 'united-states'"),
    ],
)
def test_a_bad_write_is_one_line_and_writes_nothing(
    loaded: Database, keys: Keyring, slug: str, body: dict[str, Any], message: str
) -> None:
    with pytest.raises((InputError, PlanError), match=message):
        create(loaded, keys, RUSSIA, slug, body)
    assert "x" not in workspace_view(ref_of(loaded, "demo"), KEEPER).tasks


def test_a_link_that_narrows_is_refused_naming_the_field(loaded: Database, keys: Keyring) -> None:
    create(loaded, keys, RUSSIA, "ours", {**TASK, "visibility": "russia"})
    with pytest.raises(PlanError, match="may link only to records all its readers can read") as err:
        create(loaded, keys, RUSSIA, "shared", {**TASK, "depends_on": ["ours"]})
    assert err.value.problems[0].path == ("tasks", "shared", "depends_on")


def test_a_hidden_record_of_the_same_slug_changes_nothing_for_the_writer(
    loaded: Database, keys: Keyring
) -> None:
    """Creating a record never tells whether another delegation has one of the same slug."""
    create(loaded, keys, STATES, "brief", {**TASK, "visibility": "united-states"})
    written = create(loaded, keys, RUSSIA, "brief", {**TASK, "visibility": "russia"})
    assert written.slug == "brief"
    with pytest.raises(InputError, match="already has a task with this id"):
        create(loaded, keys, RUSSIA, "brief", {**TASK, "visibility": "russia"})


def test_a_dependency_cycle_is_refused(loaded: Database, keys: Keyring) -> None:
    a = create(loaded, keys, RUSSIA, "a", {**TASK, "visibility": "russia"})
    create(loaded, keys, RUSSIA, "b", {**TASK, "visibility": "russia", "depends_on": ["a"]})
    with pytest.raises(PlanError, match=r"cycle|circular"):
        update(loaded, keys, RUSSIA, a.id, {**TASK, "visibility": "russia", "depends_on": ["b"]}, 1)


def test_a_stale_edit_is_a_conflict_that_shows_the_other_edit(
    loaded: Database, keys: Keyring
) -> None:
    first = create(loaded, keys, RUSSIA, "brief", {**TASK, "visibility": "russia"})
    update(loaded, keys, RUSSIA, first.id, {**TASK, "name": "Mine", "visibility": "russia"}, 1)
    with pytest.raises(ConflictError, match="now revision 2, yours 1") as conflict:
        update(
            loaded, keys, RUSSIA, first.id, {**TASK, "name": "Theirs", "visibility": "russia"}, 1
        )
    assert conflict.value.current is not None
    assert conflict.value.current["name"] == "Mine"
    assert workspace_view(ref_of(loaded, "demo"), RUSSIA).tasks["brief"].name == "Mine"


def test_another_delegations_record_is_not_found_as_if_missing(
    loaded: Database, keys: Keyring
) -> None:
    theirs = create(loaded, keys, STATES, "brief", {**TASK, "visibility": "united-states"})
    with pytest.raises(NotFoundError) as hidden:
        update(loaded, keys, RUSSIA, theirs.id, {**TASK, "visibility": "russia"}, 1)
    with pytest.raises(NotFoundError) as missing:
        update(loaded, keys, RUSSIA, "no-such-id", {**TASK, "visibility": "russia"}, 1)
    assert str(hidden.value).replace(theirs.id, "ID") == str(missing.value).replace(
        "no-such-id", "ID"
    )


def test_delete_is_refused_while_the_writers_view_names_the_record(
    loaded: Database, keys: Keyring
) -> None:
    a = create(loaded, keys, RUSSIA, "a", {**TASK, "visibility": "russia"})
    create(loaded, keys, RUSSIA, "b", {**TASK, "visibility": "russia", "depends_on": ["a"]})
    with loaded.transaction(RUSSIA, write=True) as session:
        workspace = find_workspace(session, "demo")
        with pytest.raises(InputError, match=r"still named by tasks\.b\.depends_on"):
            delete_record(session, keys, workspace, RUSSIA, a.id, 1, actor="r")


def test_history_keeps_every_revision_with_its_label(loaded: Database, keys: Keyring) -> None:
    first = create(loaded, keys, RUSSIA, "brief", {**TASK, "visibility": "russia"})
    update(loaded, keys, RUSSIA, first.id, {**TASK, "name": "Two", "visibility": "russia"}, 1)
    with loaded.transaction(RUSSIA, write=True) as session:
        workspace = find_workspace(session, "demo")
        delete_record(session, keys, workspace, RUSSIA, first.id, 2, actor="r")
    with loaded.transaction(KEEPER) as session:
        rows = session.execute(
            select(RevisionRow.revision, RevisionRow.readers, RevisionRow.body)
            .where(RevisionRow.record_id == first.id)
            .order_by(RevisionRow.revision)
        ).all()
    assert [(r, readers) for r, readers, _ in rows] == [
        (1, ",russia,"),
        (2, ",russia,"),
        (3, ",russia,"),
    ]
    assert [body["name"] if body else None for _, _, body in rows] == [
        "Brief the principals",
        "Two",
        None,
    ]


def test_parallel_edits_of_one_record_land_or_conflict_and_none_is_lost(
    loaded: Database, keys: Keyring
) -> None:
    first = create(loaded, keys, RUSSIA, "brief", {**TASK, "visibility": "russia"})
    outcomes: list[tuple[int, str]] = []
    conflicts: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(6)

    def editor(n: int) -> None:
        start.wait()
        for round_ in range(4):
            name = f"edit {n}.{round_}"
            rev = _revision(loaded, first.id)
            try:
                update(
                    loaded,
                    keys,
                    RUSSIA,
                    first.id,
                    {**TASK, "name": name, "visibility": "russia"},
                    rev,
                )
            except ConflictError:
                with lock:
                    conflicts.append(rev)
            else:
                with lock:
                    outcomes.append((rev, name))

    threads = [threading.Thread(target=editor, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) + len(conflicts) == 24
    # Every edit that landed was made on a different revision: none overwrote another unseen.
    assert len({rev for rev, _ in outcomes}) == len(outcomes)
    final = _revision(loaded, first.id)
    assert final == 1 + len(outcomes)
    with loaded.transaction(KEEPER) as session:
        names = set(
            session.scalars(
                select(RevisionRow.body["name"].as_string()).where(
                    RevisionRow.record_id == first.id
                )
            )
        )
    assert {name for _, name in outcomes} <= names
    last = max(outcomes)[1]
    assert workspace_view(ref_of(loaded, "demo"), RUSSIA).tasks["brief"].name == last


def _revision(db: Database, record_id: str) -> int:
    from summitry.store.schema import RecordRow

    with db.transaction(KEEPER) as session:
        revision = session.scalar(select(RecordRow.revision).where(RecordRow.id == record_id))
    assert revision is not None
    return revision


def test_a_second_process_never_reads_a_stale_cached_view(loaded: Database, keys: Keyring) -> None:
    """The view cache is keyed by the workspace's revision, which every write bumps."""
    from summitry.store.database import open_database
    from summitry.store.reads import forget_databases

    ref = ref_of(loaded, "demo")
    assert "brief" not in workspace_view(ref, RUSSIA).tasks
    other = open_database(loaded.file, None if loaded.file else loaded.url.render_as_string(False))
    with other.transaction(RUSSIA, write=True) as session:
        workspace = find_workspace(session, "demo")
        create_record(
            session,
            keys,
            workspace,
            RUSSIA,
            "tasks",
            "brief",
            {**TASK, "visibility": "russia"},
            actor="r",
        )
    other.dispose()
    forget_databases()
    assert "brief" in workspace_view(ref, RUSSIA).tasks


def delete(db: Database, keys: Keyring, who: Principal, rid: str, rev: int) -> None:
    with db.transaction(who, write=True) as session:
        workspace = find_workspace(session, "demo")
        delete_record(session, keys, workspace, who, rid, rev, actor=who.name)


def test_a_record_a_delegation_creates_is_its_own(loaded: Database, keys: Keyring) -> None:
    """Joint material made by a party is owned by it: ``owned_by`` is written down."""
    joint = create(loaded, keys, RUSSIA, "brief", TASK)
    view = workspace_view(ref_of(loaded, "demo"), STATES)
    assert view.tasks["brief"].owned_by == "russia"
    assert joint.view is not None
    assert joint.view.rows[joint.id].owner == "russia"


def test_a_joint_record_is_edited_by_any_delegation_but_deleted_by_its_owner_only(
    loaded: Database, keys: Keyring
) -> None:
    joint = create(loaded, keys, RUSSIA, "brief", TASK)
    # The other delegation edits it; leaving owned_by out of the body keeps the owner.
    edited = update(loaded, keys, STATES, joint.id, {**TASK, "name": "Edited"}, 1)
    assert edited.revision == 2
    view = workspace_view(ref_of(loaded, "demo"), RUSSIA)
    assert (view.tasks["brief"].name, view.tasks["brief"].owned_by) == ("Edited", "russia")
    with pytest.raises(ForbiddenError, match="deleted only by its owner, 'russia'"):
        delete(loaded, keys, STATES, joint.id, 2)
    with pytest.raises(InputError, match="a change of readers or owner is a release"):
        update(loaded, keys, STATES, joint.id, {**TASK, "owned_by": "united-states"}, 2)
    delete(loaded, keys, RUSSIA, joint.id, 2)
    assert "brief" not in workspace_view(ref_of(loaded, "demo"), RUSSIA).tasks


def test_unowned_joint_material_is_deleted_by_any_delegation(
    loaded: Database, keys: Keyring
) -> None:
    with loaded.transaction(KEEPER) as session:
        rid = _id_of(session, "notes", "vienna-dates")
    delete(loaded, keys, STATES, rid, 1)
    assert "vienna-dates" not in workspace_view(ref_of(loaded, "demo"), RUSSIA).notes


def test_a_released_record_is_written_by_its_owner_only(loaded: Database, keys: Keyring) -> None:
    """The mediator reads Russia's released position and may not change or delete it."""
    secretariat = Principal.of("secretariat")
    with loaded.transaction(KEEPER) as session:
        rid = _id_of(session, "positions", "russia-position")
    body = workspace_view(ref_of(loaded, "demo"), RUSSIA).positions["russia-position"]
    data = body.model_dump(mode="json", exclude={"id"}, exclude_none=True)
    with pytest.raises(ForbiddenError, match="belongs to 'russia'"):
        update(loaded, keys, secretariat, rid, data, 1)
    with pytest.raises(ForbiddenError, match="belongs to 'russia'"):
        delete(loaded, keys, secretariat, rid, 1)
    assert update(loaded, keys, RUSSIA, rid, data, 1).revision == 2


def _id_of(session: Any, collection: str, slug: str) -> str:
    from summitry.store.schema import RecordRow

    rid = session.scalar(
        select(RecordRow.id).where(RecordRow.collection == collection, RecordRow.slug == slug)
    )
    assert rid is not None
    return str(rid)


def _editors(db: Database, keys: Keyring, *names: str) -> dict[str, str]:
    """Russian editors of the workspace (users, as a confirmation needs): name → user id."""
    from summitry.store.users import add_user

    with db.transaction(KEEPER, write=True) as session:
        return {
            name: add_user(
                session,
                keys,
                name,
                "a long enough password",
                workspace="demo",
                party="russia",
                role="editor",
                actor="operator",
            ).id
            for name in names
        }


def test_a_confirmed_widening_releases_only_the_revisions_from_then_on(
    loaded: Database, keys: Keyring
) -> None:
    from summitry.store.releases import confirm_widening, request_widening

    users = _editors(loaded, keys, "asker", "confirmer")
    ours = create(loaded, keys, RUSSIA, "brief", {**TASK, "visibility": "russia"})
    with loaded.transaction(RUSSIA, write=True) as session:
        workspace = find_workspace(session, "demo")
        pending = request_widening(
            session, keys, workspace, RUSSIA, ours.id, "joint", [], 1,
            user_id=users["asker"], actor="asker",
        )  # fmt: skip
    assert "brief" not in workspace_view(ref_of(loaded, "demo"), STATES).tasks
    with loaded.transaction(RUSSIA, write=True) as session:
        workspace = find_workspace(session, "demo")
        with pytest.raises(ForbiddenError, match="you asked for this widening"):
            confirm_widening(
                session, keys, workspace, RUSSIA, pending.id, user_id=users["asker"], actor="a"
            )
    with loaded.transaction(RUSSIA, write=True) as session:
        workspace = find_workspace(session, "demo")
        widened = confirm_widening(
            session, keys, workspace, RUSSIA, pending.id, user_id=users["confirmer"], actor="c"
        )
    assert widened.revision == 2
    seen = workspace_view(ref_of(loaded, "demo"), STATES).tasks["brief"]
    assert (seen.name, seen.owned_by) == (TASK["name"], "russia")
    with loaded.transaction(KEEPER) as session:
        labels = session.execute(
            select(RevisionRow.revision, RevisionRow.readers)
            .where(RevisionRow.record_id == ours.id)
            .order_by(RevisionRow.revision)
        ).all()
    assert [tuple(row) for row in labels] == [(1, ",russia,"), (2, "joint")]


def test_a_release_is_not_withdrawn_while_a_record_its_readers_share_names_it(
    loaded: Database, keys: Keyring
) -> None:
    from summitry.store.releases import withdraw_release

    with loaded.transaction(KEEPER) as session:
        rid = _id_of(session, "positions", "russia-position")
    with loaded.transaction(RUSSIA, write=True) as session:
        workspace = find_workspace(session, "demo")
        create_record(
            session, keys, workspace, RUSSIA, "notes", "on-our-position",
            {"title": "On it", "visibility": ["russia", "secretariat"], "about": "russia-position"},
            actor="r",
        )  # fmt: skip
    with loaded.transaction(RUSSIA, write=True) as session:
        workspace = find_workspace(session, "demo")
        with pytest.raises(InputError, match=r"notes\.on-our-position\.about would then name"):
            withdraw_release(session, keys, workspace, RUSSIA, rid, 1, actor="r")
