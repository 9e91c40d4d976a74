"""The one door: the policy denies by default, views are checked alone, releases are exact."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from summitry.access.labels import JOINT_LABEL, Label
from summitry.access.policy import ALL, JOINT_READER, KEEPER, Principal, can_read
from summitry.cli import example_path
from summitry.domain.base import JOINT

PARTIES = ("north", "south", "mediator")
COMPARTMENTS = ("back-channel", "security")

labels = st.builds(
    Label,
    st.one_of(st.none(), st.frozensets(st.sampled_from(PARTIES))),
    st.frozensets(st.sampled_from(COMPARTMENTS)),
)
principals = st.builds(
    Principal,
    st.sampled_from((None, ALL, JOINT, *PARTIES)),
    st.frozensets(st.sampled_from(COMPARTMENTS)),
)
EVERY_PRINCIPAL = [
    Principal(reader, frozenset(cleared))
    for reader in (None, ALL, JOINT, *PARTIES)
    for cleared in ((), ("back-channel",), ("security",), COMPARTMENTS)
]


@given(principals, labels, labels)
def test_a_derived_label_is_readable_exactly_by_readers_of_every_input(
    principal: Principal, first: Label, second: Label
) -> None:
    both = can_read(principal, first) and can_read(principal, second)
    assert can_read(principal, first.combine(second)) == both


@given(labels, labels)
def test_covers_means_every_reader_of_the_source_reads_the_target(
    target: Label, source: Label
) -> None:
    safe = all(can_read(p, target) for p in EVERY_PRINCIPAL if can_read(p, source))
    assert target.covers(source) == safe


def test_deny_by_default() -> None:
    north_private = Label(frozenset({"north"}))
    channel = Label(None, frozenset({"back-channel"}))
    nobody = Principal(None)
    assert not any(can_read(nobody, label) for label in (JOINT_LABEL, north_private, channel))
    assert not can_read(JOINT_READER, north_private)
    assert not can_read(Principal.of("south"), north_private)
    assert not can_read(Principal.of("north"), channel)
    assert can_read(Principal.of("north", ["back-channel"]), channel)
    assert can_read(Principal.of("north"), Label(frozenset({"north", "south"})))
    assert all(can_read(KEEPER, label) for label in (JOINT_LABEL, north_private, channel))


HEADER = """\
format_version = 2

[summit]
title = "Harbour Talks"
mediator = "desk"

[parties.north]
name = "Northland"

[parties.south]
name = "Southland"

[parties.desk]
name = "Mediation desk"
kind = "mediator"
"""

PLAN = (
    HEADER
    + """
[workstreams.venue]
name = "Venue"

[tasks.survey]
name = "Survey"
workstream = "venue"
estimate = [1, 2, 3]
depends_on = ["south-check"]

[tasks.south-check]
name = "Southern check"
workstream = "venue"
visibility = "south"
estimate = [5, 3, 1]
"""
)


def _run(run_cli: Any, *args: str) -> tuple[int, str, str]:
    result: tuple[int, str, str] = run_cli(*args)
    return result


def test_a_hidden_records_mistake_is_reported_to_the_keeper_only(
    run_cli: Any, write_file: Any
) -> None:
    path = str(write_file("summit.toml", PLAN))
    code, out, err = _run(run_cli, "validate", path, "--as", "north")
    assert (code, err) == (0, "")
    assert out.startswith("As Northland (north)\n")
    assert "south-check" not in out
    code, out, err = _run(run_cli, "status", path, "--as", "north", "--json")
    assert code == 0, err
    assert "south-check" not in out
    assert "Southern" not in out
    code, _, err = _run(run_cli, "validate", path)
    assert code == 2
    assert "tasks.south-check.estimate: estimate must satisfy" in err


def test_the_keeper_is_warned_of_links_that_narrow(run_cli: Any, write_file: Any) -> None:
    path = str(write_file("summit.toml", PLAN.replace("[5, 3, 1]", "[1, 3, 5]")))
    code, out, _ = _run(run_cli, "validate", path)
    assert code == 0
    assert (
        ":24: tasks.survey.depends_on[0]: task 'south-check' may be read by south, 'survey' by "
        "joint: the other readers' views leave the link out"
    ) in out
    code, out, _ = _run(run_cli, "validate", path, "--as", "south")
    assert "warning" not in out


def test_suggestions_come_from_the_view(run_cli: Any, write_file: Any) -> None:
    # A joint task names an id close to a hidden task's: only the keeper is offered that id.
    text = PLAN.replace('depends_on = ["south-check"]', 'depends_on = ["south-chek"]')
    path = str(write_file("summit.toml", text.replace("[5, 3, 1]", "[1, 3, 5]")))
    _, _, err = _run(run_cli, "validate", path, "--as", "north")
    assert err.strip().endswith("tasks.survey.depends_on[0]: unknown task 'south-chek'")
    _, _, err = _run(run_cli, "validate", path)
    assert "(did you mean 'south-check'?)" in err


def test_an_unknown_and_a_hidden_party_answer_identically(run_cli: Any, write_file: Any) -> None:
    hidden = PLAN + '\n[parties.shadow]\nname = "Shadow"\nvisibility = "south"\n'
    with_shadow = str(write_file("a.toml", hidden.replace("[5, 3, 1]", "[1, 3, 5]")))
    without = str(write_file("b.toml", PLAN.replace("[5, 3, 1]", "[1, 3, 5]")))
    answers = {
        (_run(run_cli, "status", path, "--as", name)[2].replace(name, "X"))
        for path in (with_shadow, without)
        for name in ("shadow", "nobody-here")
    }
    assert len(answers) == 1
    assert "shadow" not in _run(run_cli, "status", with_shadow, "--as", "shado")[2]


def test_a_snapshot_of_another_principal_is_refused(run_cli: Any, tmp_path: Path) -> None:
    plan = str(example_path("summit.toml"))
    first = tmp_path / "cleared.md"
    code, _, err = _run(
        run_cli, "sitrep", plan, "--as", "united-states", "--compartment", "back-channel",
        "--no-forecast", "-o", str(first),
    )  # fmt: skip
    assert code == 0, err
    code, out, err = _run(
        run_cli, "sitrep", plan, "--as", "united-states", "--no-forecast",
        "--previous", str(tmp_path / "cleared.json"), "-o", str(tmp_path / "uncleared.md"),
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert "cleared for back-channel" in err
    assert not (tmp_path / "uncleared.md").exists()


MEDIATED = (
    HEADER
    + """
[issues.fish]
name = "Fish"
options = { none = "No quota", shared = "Shared quota" }

[issues.ferry]
name = "Ferry SOUTH-ONLY"
visibility = ["south", "desk"]
options = { daily = "A daily ferry SOUTH-ONLY", weekly = "A weekly ferry" }

[positions.north-own]
about = "north"
held_by = "north"
visibility = ["north", "desk"]
reservation_value = 20
issues.fish = { weight = 100, scores = { none = 10, shared = 90 } }

[positions.south-own]
about = "south"
held_by = "south"
visibility = ["south", "desk"]
reservation_value = 30
issues.fish = { weight = 100, scores = { none = 80, shared = 40 } }

[positions.south-unreleased]
about = "north"
held_by = "south"
issues.fish = { weight = 100, scores = { none = 0, shared = 100 } }
"""
)


def test_the_mediation_releases_the_package_and_each_sides_own_score_only(
    run_cli: Any, write_file: Any
) -> None:
    path = str(write_file("summit.toml", MEDIATED))
    code, out, err = _run(run_cli, "negotiate", path, "--mediate", "--for", "north", "--json")
    assert code == 0, err
    document = json.loads(out)
    # The issue only the south (and the desk) may read is not part of north's package.
    assert document["package"]["package"] == {"fish": "shared"}
    assert "SOUTH-ONLY" not in out
    assert "ferry" not in out
    assert list(document["proposals"]) == ["north"]
    assert document["proposals"]["north"]["score"] == 90
    assert "south" not in json.dumps(document["proposals"])
    code, text, _ = _run(run_cli, "negotiate", path, "--mediate", "--for", "north")
    assert "your score: 90.0" in text
    assert "40" not in text
    # A released position weighing an issue the other side may not read is refused.
    weighs = MEDIATED.replace(
        "issues.fish = { weight = 100, scores = { none = 80, shared = 40 } }",
        "issues.fish = { weight = 50, scores = { none = 80, shared = 40 } }\n"
        "issues.ferry = { weight = 50, scores = { daily = 100, weekly = 0 } }",
    )
    code, out, err = _run(run_cli, "negotiate", str(write_file("w.toml", weighs)), "--mediate")
    assert (code, out) == (2, "")
    assert "positions.south-own: weighs issue 'ferry', which north may not read" in err


def test_no_proposal_when_no_package_meets_every_reservation(run_cli: Any, write_file: Any) -> None:
    text = MEDIATED.replace("reservation_value = 20", "reservation_value = 95")
    code, out, err = _run(run_cli, "negotiate", str(write_file("s.toml", text)), "--mediate")
    assert code == 0, err
    assert "For Northland: the mediator has no package that every side can accept." in out
    assert "For Southland: the mediator has no package that every side can accept." in out


def test_the_footer_hashes_the_readers_view(run_cli: Any, write_file: Any, tmp_path: Path) -> None:
    base = example_path("summit.toml").read_text(encoding="utf-8")
    edited = base.replace("reservation_value = 40", "reservation_value = 41")
    assert edited != base
    reports = []
    for name, text in (("base", base), ("edited", edited)):
        plan = str(write_file(f"{name}.toml", text))
        target = tmp_path / name / "report.md"
        target.parent.mkdir()
        code, _, err = _run(
            run_cli, "sitrep", plan, "--as", "russia", "--no-forecast", "-o", str(target)
        )
        assert code == 0, err
        reports.append(target.read_text(encoding="utf-8"))
    assert "reader's view of the plan" in reports[0]
    assert reports[0] == reports[1]


def test_an_export_is_the_readers_view_and_loads_again(run_cli: Any, tmp_path: Path) -> None:
    plan = str(example_path("summit.toml"))
    target = tmp_path / "russia.toml"
    code, out, err = _run(run_cli, "export", plan, "--as", "russia", "-o", str(target))
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert "united-states-position" not in text
    assert "united-states-venue-weights" not in text
    assert "russia-position" in text
    code, _, err = _run(run_cli, "validate", str(target))
    assert code == 0, err
    code, out, err = _run(run_cli, "export", plan, "-o", str(target))
    assert (code, out) == (2, "")
    assert "already exists; pass --force" in err


def test_two_released_own_positions_of_one_side_are_refused(run_cli: Any, write_file: Any) -> None:
    second = (
        '\n[positions.north-again]\nabout = "north"\nheld_by = "north"\n'
        'visibility = ["north", "desk"]\n'
        "issues.fish = { weight = 100, scores = { none = 50, shared = 50 } }\n"
    )
    path = str(write_file("twice.toml", MEDIATED + second))
    code, out, err = _run(run_cli, "negotiate", path, "--mediate")
    assert (code, out) == (2, "")
    assert "'north' has released a second own position" in err


def test_the_keeper_is_warned_of_labels_that_name_a_hidden_party(
    run_cli: Any, write_file: Any
) -> None:
    text = PLAN.replace("[5, 3, 1]", "[1, 3, 5]") + (
        '\n[parties.south-cell]\nname = "Cell"\nvisibility = "south"\n'
        '\n[notes.shared]\ntitle = "Shared"\nvisibility = ["north", "south-cell"]\n'
        'owned_by = "south-cell"\n'
    )
    code, out, _ = _run(run_cli, "validate", str(write_file("cell.toml", text)))
    assert code == 0
    assert "notes.shared.visibility[1]: party 'south-cell' may be read by south" in out
    assert "notes.shared.owned_by: party 'south-cell' may be read by south" in out
