"""Views: what each principal sees, and that nothing of the rest leaks — not even an id."""

from __future__ import annotations

from typing import Any

import pytest

from summitry.access.labels import Label
from summitry.access.policy import JOINT_READER, Principal
from summitry.access.views import view_of
from summitry.cli import example_path
from summitry.domain import Plan
from summitry.io.planfile import dumps, load

SECRET = "NORTH-ONLY-MARKER"


def build() -> Plan:
    data: dict[str, Any] = {
        "summit": {"title": "Harbour Talks"},
        "parties": {"north": {"name": "Northland"}, "south": {"name": "Southland"}},
        "workstreams": {
            "venue": {"name": "Venue"},
            "north-prep": {"name": f"Prep {SECRET}", "visibility": "north"},
        },
        "tasks": {
            "survey": {"name": "Survey", "workstream": "venue"},
            "private-check": {
                "name": f"Check {SECRET}",
                "workstream": "venue",
                "visibility": "north",
            },
            "visit": {
                "name": "Visit",
                "workstream": "venue",
                "depends_on": ["survey", "private-check"],
            },
            "drill": {"name": "Drill", "workstream": "north-prep"},
        },
        "issues": {
            "fish": {"name": "Fish", "options": {"none": "No quota", "shared": "Shared"}},
            "ferry": {"name": f"Ferry {SECRET}", "visibility": "north", "options": {"a": "A"}},
        },
        "positions": {
            "north-own": {
                "about": "north",
                "held_by": "north",
                "issues": {"fish": {"weight": 100, "scores": {"none": 10, "shared": 90}}},
                "batna": f"walk away {SECRET}",
            },
            "south-own": {
                "about": "south",
                "held_by": "south",
                "issues": {"fish": {"weight": 100, "scores": {"none": 80, "shared": 40}}},
            },
            "joint-view": {
                "about": "south",
                "held_by": "north",
                "visibility": "joint",
                "issues": {
                    "fish": {"weight": 50, "scores": {"none": 80}},
                    "ferry": {"weight": 50, "scores": {"a": 10}},
                },
            },
        },
        "notes": {
            "channel": {
                "title": f"Channel {SECRET}",
                "visibility": "north",
                "compartments": ["back-channel"],
            },
            "about-check": {"title": "On the check", "about": "private-check"},
        },
        "stakeholders": {
            "osce": {"name": "OSCE", "stances": {"fish": "neutral", "ferry": "opposed"}}
        },
        "risks": {
            "storm": {
                "name": "Storm",
                "probability": 0.2,
                "delay": [1, 2, 3],
                "tasks": ["survey", "private-check"],
            }
        },
    }
    return Plan.model_validate(data)


@pytest.mark.parametrize(
    ("viewer", "notes", "tasks", "positions"),
    [
        (
            Principal.of("north"),
            {"about-check"},
            {"survey", "private-check", "visit", "drill"},
            {"north-own", "joint-view"},
        ),
        (
            Principal.of("north", ["back-channel"]),
            {"about-check", "channel"},
            {"survey", "private-check", "visit", "drill"},
            {"north-own", "joint-view"},
        ),
        (Principal.of("south"), {"about-check"}, {"survey", "visit"}, {"south-own"}),
        (JOINT_READER, {"about-check"}, {"survey", "visit"}, set()),
        (
            Principal.of("south", ["back-channel"]),
            {"about-check"},
            {"survey", "visit"},
            {"south-own"},
        ),
    ],
)
def test_permission_matrix(
    viewer: Principal, notes: set[str], tasks: set[str], positions: set[str]
) -> None:
    seen = view_of(build(), viewer)
    assert set(seen.notes) == notes
    assert set(seen.tasks) == tasks
    assert set(seen.positions) == positions


def test_links_to_hidden_records_vanish_and_dependents_go_with_them() -> None:
    seen = view_of(build(), Principal.of("south"))
    assert [dep.task for dep in seen.tasks["visit"].depends_on] == ["survey"]
    assert seen.notes["about-check"].about is None
    assert seen.risks["storm"].tasks == ("survey",)
    assert set(seen.stakeholders["osce"].stances) == {"fish"}
    assert "drill" not in seen.tasks  # its workstream is north's
    # A joint position that weighs a hidden issue cannot be shown without revealing it.
    assert "joint-view" not in seen.positions


def test_nothing_of_the_other_side_reaches_a_viewer() -> None:
    seen = view_of(build(), Principal.of("south"))
    for text in (dumps(seen), seen.model_dump_json()):
        assert SECRET not in text
        assert "private-check" not in text
        assert "north-prep" not in text


def test_the_owner_with_clearance_sees_everything() -> None:
    plan = build()
    seen = view_of(plan, Principal.of("north", ["back-channel"]))
    assert set(seen.notes) == set(plan.notes)
    assert seen.tasks["visit"].depends_on == plan.tasks["visit"].depends_on


def test_example_plan_views_hold_no_private_text_of_the_other_delegation() -> None:
    plan = load(example_path("summit.toml"))
    for me, other in (("russia", "united-states"), ("united-states", "russia")):
        seen = view_of(plan, Principal.of(me))
        text = dumps(seen)
        private = [record for _, record in plan.records() if other in (record.readers or ())]
        assert private, other
        for record in private:
            assert f"[{_collection_of(plan, record.id)}.{record.id}]" not in text


def _collection_of(plan: Plan, rid: str) -> str:
    return next(name for name, record in plan.records() if record.id == rid)


NORTH, SOUTH, BOTH = frozenset({"north"}), frozenset({"south"}), frozenset({"north", "south"})


@pytest.mark.parametrize(
    ("reader", "label", "owner", "action", "allowed"),
    [
        # The keeper writes anything.
        ("all", Label(NORTH), "north", "delete", True),
        # A party's own records: every write.
        ("north", Label(NORTH), "north", "create", True),
        ("north", Label(NORTH), "north", "edit", True),
        ("north", Label(NORTH), "north", "delete", True),
        # Joint material nobody owns: any party's editors look after it, deletion included.
        ("north", Label(), None, "create", True),
        ("north", Label(), None, "edit", True),
        ("north", Label(), None, "delete", True),
        # A joint record of another party: edited by anyone, deleted (or made) by its owner.
        ("north", Label(), "south", "edit", True),
        ("north", Label(), "south", "delete", False),
        ("north", Label(), "south", "create", False),
        # Another party's private record: nothing, even where it could be read.
        ("north", Label(SOUTH), "south", "edit", False),
        # Released by south to north: north reads it, only south writes it.
        ("north", Label(BOTH), "south", "edit", False),
        ("north", Label(BOTH), "south", "delete", False),
        ("north", Label(BOTH), "north", "edit", True),
        # A label the writer may not read: never, even their own party's or joint.
        ("north", Label(None, frozenset({"security"})), None, "edit", False),
        ("north", Label(NORTH, frozenset({"security"})), "north", "edit", False),
        ("north", Label(SOUTH), "north", "create", False),
        # Readers that are not a party write nothing.
        ("joint", Label(), None, "edit", False),
        (None, Label(), None, "edit", False),
    ],
)
def test_who_may_write(
    reader: str | None, label: Label, owner: str | None, action: str, allowed: bool
) -> None:
    from summitry.access.policy import can_write

    principal = Principal(reader)
    assert can_write(principal, label, owner, action=action) is allowed  # type: ignore[arg-type]


def test_a_cleared_editor_writes_compartmented_material_of_their_party() -> None:
    from summitry.access.policy import can_write

    cleared = Principal.of("north", ["security"])
    assert can_write(cleared, Label(NORTH, frozenset({"security"})), "north", action="delete")


@pytest.mark.parametrize(
    ("old", "new", "wider"),
    [
        (Label(NORTH), Label(BOTH), True),
        (Label(NORTH), Label(), True),
        (Label(NORTH, frozenset({"security"})), Label(NORTH), True),
        (Label(NORTH), Label(NORTH), False),
        (Label(BOTH), Label(NORTH), False),
        (Label(), Label(BOTH), False),
        (Label(NORTH), Label(NORTH, frozenset({"security"})), False),
        (Label(NORTH), Label(SOUTH), False),
    ],
)
def test_a_widening_keeps_every_reader_and_adds_some(old: Label, new: Label, wider: bool) -> None:
    from summitry.access.policy import widens

    assert widens(old, new) is wider


def test_a_record_is_released_when_its_readers_name_another_party_than_its_owner() -> None:
    from summitry.access.policy import is_released

    assert is_released(Label(BOTH), "north")
    assert not is_released(Label(NORTH), "north")
    assert not is_released(Label(), "north")
