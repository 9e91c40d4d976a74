"""The bundled demo material: the example plan, the example briefing and the documented example."""

from __future__ import annotations

import itertools
import re
from importlib import resources
from pathlib import Path

import pytest

from summitry.domain import PartyKind, Plan
from summitry.io.planfile import dumps, load, loads

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = Path(str(resources.files("summitry") / "examples"))
PLAN_FORMAT_DOC = ROOT / "docs" / "plan-format.md"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load(EXAMPLES / "summit.toml")


@pytest.fixture(scope="module")
def briefing_lines() -> list[str]:
    return (EXAMPLES / "briefing.txt").read_text(encoding="utf-8").split("\n")


def test_bundled_plan_loads_with_its_core_content(plan: Plan) -> None:
    assert len(plan.tasks) >= 40
    assert len(plan.issues) == 5
    assert all(issue.options for issue in plan.issues.values())
    assert len(plan.venues) == 5
    assert len(plan.working_groups) == 3


def test_bundled_plan_has_four_positions_weighted_to_100(plan: Plan) -> None:
    assert len(plan.positions) == 4
    for position in plan.positions.values():
        assert sum(scored.weight for scored in position.issues.values()) == pytest.approx(100)


def test_each_delegation_holds_its_own_position_on_every_issue(plan: Plan) -> None:
    delegations = [pid for pid, p in plan.parties.items() if p.kind == PartyKind.DELEGATION]
    assert sorted(delegations) == ["russia", "united-states"]
    for party in delegations:
        own = [p for p in plan.positions.values() if p.about == party and p.held_by == party]
        assert len(own) == 1, party
        assert set(own[0].issues) == set(plan.issues)
        # Released to the mediator, and to nobody else.
        assert own[0].visibility == (party, plan.summit.mediator)
        for iid, scored in own[0].issues.items():
            assert set(scored.scores) == set(plan.issues[iid].options), (party, iid)


def test_each_delegation_estimates_the_other_side(plan: Plan) -> None:
    estimates = {(p.held_by, p.about) for p in plan.positions.values() if p.is_estimate}
    assert estimates == {("russia", "united-states"), ("united-states", "russia")}


def test_bundled_plan_survives_save_and_reload(plan: Plan) -> None:
    assert loads(dumps(plan), source="resaved.toml") == plan


def test_annotated_example_in_the_format_doc_loads() -> None:
    text = PLAN_FORMAT_DOC.read_text(encoding="utf-8")
    match = re.search(r"^```toml\n(.*?)^```", text, re.DOTALL | re.MULTILINE)
    assert match is not None, "no ```toml block in docs/plan-format.md"
    example = loads(match.group(1), source="plan-format.md")
    assert example.tasks
    assert example.positions


def _is_table_row(line: str) -> bool:
    return line.count("|") >= 2


def test_briefing_tables_have_a_trailing_but_no_leading_pipe(briefing_lines: list[str]) -> None:
    rows = [line for line in briefing_lines if _is_table_row(line)]
    assert rows
    assert any(not row.startswith("|") and row.endswith("|") for row in rows)
    assert "---|---|---|" in briefing_lines


def test_briefing_tables_touch_the_text_around_them(briefing_lines: list[str]) -> None:
    starts = [
        i
        for i, line in enumerate(briefing_lines)
        if _is_table_row(line) and (i == 0 or not _is_table_row(briefing_lines[i - 1]))
    ]
    assert starts
    for start in starts:
        end = start
        while end + 1 < len(briefing_lines) and _is_table_row(briefing_lines[end + 1]):
            end += 1
        assert start > 0, "a table opens the briefing"
        assert briefing_lines[start - 1].strip(), f"blank line before line {start + 1}"
        assert briefing_lines[end + 1].strip(), f"blank line after line {end + 2}"


def test_briefing_bullet_runs_straight_into_prose(briefing_lines: list[str]) -> None:
    pairs = itertools.pairwise(briefing_lines)
    assert any(
        first.startswith("- ") and second.strip() and not second.startswith(("- ", "|"))
        for first, second in pairs
    )


def test_briefing_opens_with_prose_and_uses_no_markdown_headings(
    briefing_lines: list[str],
) -> None:
    assert briefing_lines[0].endswith(".")
    assert not any(line.startswith("#") for line in briefing_lines)
