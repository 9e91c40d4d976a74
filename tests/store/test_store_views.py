"""Reading a workspace: each reader's view equals the plan file's view of the same reader."""

from __future__ import annotations

import pytest
from storekit import EXAMPLE, load_example, load_text, ref_of

from summitry.access.policy import KEEPER, Principal
from summitry.access.views import load_view
from summitry.errors import InputError
from summitry.io import planfile
from summitry.services.plans import export_view
from summitry.store.audit import Keyring
from summitry.store.database import Database
from summitry.store.reads import workspace_check, workspace_view
from summitry.store.records import create_record
from summitry.store.workspaces import find_workspace

READERS = ["all", "joint", "russia", "united-states", "austria", "secretariat"]


@pytest.mark.parametrize("who", READERS)
def test_load_then_export_gives_each_reader_their_file_view(
    db: Database, keys: Keyring, who: str
) -> None:
    load_example(db, keys)
    principal = Principal.of(who)
    _, text = export_view(ref_of(db, "demo"), principal)
    assert text == planfile.dumps(load_view(EXAMPLE, principal))


def test_a_cleared_reader_sees_the_compartment_and_the_read_is_audited(
    db: Database, keys: Keyring
) -> None:
    from summitry.store.audit import heads

    load_example(db, keys)
    cleared = Principal.of("united-states", ["back-channel"])
    plain = workspace_view(ref_of(db, "demo"), Principal.of("united-states"))
    view = workspace_view(ref_of(db, "demo"), cleared)
    assert "back-channel-signal" in view.notes
    assert "back-channel-signal" not in plain.notes
    with db.transaction(KEEPER) as session:
        workspace = find_workspace(session, "demo")
        chains = {h.label.describe(): h.seq for h in heads(session, workspace.id, KEEPER)}
    # One entry for loading the note, one for the cleared read (the plain read logs nothing).
    assert chains["united-states · back-channel"] == 2
    workspace_view(ref_of(db, "demo"), cleared)
    with db.transaction(KEEPER) as session:
        chains = {h.label.describe(): h.seq for h in heads(session, workspace.id, KEEPER)}
    assert chains["united-states · back-channel"] == 3


def test_an_unknown_reader_gets_the_file_door_message(db: Database, keys: Keyring) -> None:
    load_example(db, keys)
    with pytest.raises(InputError, match=r"unknown reader 'rusia'.*did you mean 'russia'"):
        workspace_view(ref_of(db, "demo"), Principal.of("rusia"))


def test_same_slug_in_two_delegations_is_told_apart_only_where_both_are_seen(
    db: Database, keys: Keyring
) -> None:
    load_example(db, keys)
    body = {"name": "Prepare talking points", "workstream": "agenda", "estimate": [1, 2, 3]}
    for party in ("russia", "united-states"):
        principal = Principal.of(party)
        with db.transaction(principal, write=True) as session:
            workspace = find_workspace(session, "demo")
            create_record(
                session,
                keys,
                workspace,
                principal,
                "tasks",
                "talking-points",
                {**body, "visibility": party},
                actor=party,
            )
    ref = ref_of(db, "demo")
    russia = workspace_view(ref, Principal.of("russia")).tasks
    states = workspace_view(ref, Principal.of("united-states")).tasks
    keeper = workspace_view(ref, KEEPER).tasks
    assert russia["talking-points"].visibility == "russia"
    assert "talking-points-united-states" not in russia
    assert states["talking-points"].visibility == "united-states"
    assert {"talking-points", "talking-points-united-states"} <= set(keeper)
    assert keeper["talking-points"].visibility == "russia"


def test_a_plan_with_a_narrowing_link_loads_without_it_and_says_so(
    db: Database, keys: Keyring, minimal_plan_text: str
) -> None:
    text = (
        minimal_plan_text
        + """
[workstreams.ws]
name = "Work"

[tasks.secret]
name = "North only"
workstream = "ws"
estimate = [1, 2, 3]
visibility = "north"

[tasks.shared]
name = "Everyone"
workstream = "ws"
estimate = [1, 2, 3]
depends_on = ["secret"]
"""
    )
    from summitry.store.loading import load_plan

    with db.transaction(KEEPER, write=True) as session:
        loaded = load_plan(session, keys, text, "plan.toml", "w", actor="operator")
    assert len(loaded.warnings) == 1
    assert "tasks.shared.depends_on" in str(loaded.warnings[0])
    keeper = workspace_view(ref_of(db, "w"), KEEPER)
    assert keeper.tasks["shared"].depends_on == ()


def test_a_bad_plan_writes_nothing(db: Database, keys: Keyring, minimal_plan_text: str) -> None:
    from summitry.errors import PlanError

    with pytest.raises(PlanError, match=r"plan\.toml"):
        load_text(db, keys, minimal_plan_text + '\n[tasks.t]\nname = "No workstream"\n', "w")
    with db.transaction(KEEPER) as session, pytest.raises(InputError, match="no workspace 'w'"):
        find_workspace(session, "w")


def test_validate_names_a_link_to_a_record_deleted_by_another_delegation(
    db: Database, keys: Keyring
) -> None:
    """A deletes a joint task that B's private task depends on: it succeeds, B is told."""
    from summitry.store.records import delete_record

    load_example(db, keys)
    states, russia = Principal.of("united-states"), Principal.of("russia")
    task = {"name": "Joint brief", "workstream": "agenda", "estimate": [1, 2, 3]}
    with db.transaction(russia, write=True) as session:
        workspace = find_workspace(session, "demo")
        joint = create_record(
            session,
            keys,
            workspace,
            russia,
            "tasks",
            "joint-brief",
            task,
            actor="r",
        )
    with db.transaction(states, write=True) as session:
        workspace = find_workspace(session, "demo")
        create_record(
            session,
            keys,
            workspace,
            states,
            "tasks",
            "our-follow-up",
            {**task, "name": "Ours", "visibility": "united-states", "depends_on": ["joint-brief"]},
            actor="s",
        )
    with db.transaction(russia, write=True) as session:
        workspace = find_workspace(session, "demo")
        delete_record(session, keys, workspace, russia, joint.id, joint.revision, actor="r")
    view, problems, warnings = workspace_check(ref_of(db, "demo"), states)
    assert view is not None
    assert not problems
    assert view.tasks["our-follow-up"].depends_on == ()
    assert [str(w) for w in warnings] == [
        "workspace demo: tasks.our-follow-up.depends_on[0]: names task 'joint-brief', which "
        "has been deleted; the analyses leave the link out"
    ]
    _, _, russia_warnings = workspace_check(ref_of(db, "demo"), russia)
    assert russia_warnings == ()


NORTH_WORKSTREAM = """
[workstreams.north-ws]
name = "North's own"
visibility = "north"

[tasks.shared]
name = "Everyone's, in North's workstream"
workstream = "north-ws"
estimate = [1, 2, 3]
"""


def test_a_record_that_needs_a_narrowing_link_is_kept_for_who_may_follow_it(
    db: Database, keys: Keyring, minimal_plan_text: str
) -> None:
    """A joint task of North's private workstream: every other view left it out anyway."""
    load_text(db, keys, minimal_plan_text + NORTH_WORKSTREAM, "w")
    north = workspace_view(ref_of(db, "w"), Principal.of("north"))
    south = workspace_view(ref_of(db, "w"), Principal.of("south"))
    assert north.tasks["shared"].visibility == "north"
    assert "shared" not in south.tasks
    assert planfile.dumps(south) == planfile.dumps(
        load_view_of_text(minimal_plan_text + NORTH_WORKSTREAM, Principal.of("south"))
    )


def test_a_label_naming_a_party_others_may_not_know_of_leaves_it_out(
    db: Database, keys: Keyring, minimal_plan_text: str
) -> None:
    text = (
        minimal_plan_text
        + """
[parties.north-friend]
name = "North's confidant"
visibility = "north"

[notes.shared-with-friend]
title = "For North and its confidant"
text = "x"
visibility = ["north", "north-friend", "south"]
"""
    )
    from summitry.store.loading import load_plan

    with db.transaction(KEEPER, write=True) as session:
        loaded = load_plan(session, keys, text, "plan.toml", "w", actor="operator")
    assert any("visibility" in str(w) and "north-friend" in str(w) for w in loaded.warnings)
    keeper = workspace_view(ref_of(db, "w"), KEEPER)
    assert keeper.notes["shared-with-friend"].visibility == ("north", "south")


def load_view_of_text(text: str, principal: Principal) -> object:
    from summitry.access.views import loads_view

    return loads_view(text, "plan.toml", principal)
