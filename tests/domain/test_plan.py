"""The plan model: what it accepts, and every consistency problem it names."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from summitry.domain import (
    DateWindow,
    Estimate,
    ImpactLevel,
    Party,
    Plan,
    Summit,
    Task,
    Workstream,
)
from summitry.errors import PlanError


def plan_data(**collections: Any) -> dict[str, Any]:
    return {
        "summit": {"title": "Harbour Talks"},
        "parties": {"north": {"name": "Northland"}, "south": {"name": "Southland"}},
        **collections,
    }


def problems_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(PlanError) as caught:
        Plan.model_validate(data)
    return [str(problem) for problem in caught.value.problems]


STREAM = {"sec": {"name": "Security"}}


def test_smallest_plan_is_a_title_and_two_parties() -> None:
    plan = Plan.model_validate(plan_data())
    assert plan.summit.title == "Harbour Talks"
    assert set(plan.parties) == {"north", "south"}
    assert plan.parties["north"].id == "north"


def test_one_party_is_not_a_summit() -> None:
    data = plan_data()
    del data["parties"]["south"]
    assert problems_of(data) == ["parties: a summit plan needs at least two parties"]


def test_records_can_be_given_as_lists_in_python() -> None:
    plan = Plan(
        summit=Summit(title="Talks"),
        parties=[Party(id="a", name="A"), Party(id="b", name="B")],  # type: ignore[arg-type]
        workstreams=[Workstream(id="w", name="W")],  # type: ignore[arg-type]
        tasks=[Task(id="t", name="T", workstream="w")],  # type: ignore[arg-type]
    )
    assert plan.tasks_of("w")[0].id == "t"


def test_unknown_reference_suggests_the_close_id() -> None:
    data = plan_data(
        workstreams=STREAM,
        tasks={
            "venue-survey": {"name": "Survey", "workstream": "sec"},
            "site-visit": {"name": "Visit", "workstream": "sec", "depends_on": ["venue-survy"]},
        },
    )
    assert problems_of(data) == [
        "tasks.site-visit.depends_on[0]: unknown task 'venue-survy' (did you mean 'venue-survey'?)"
    ]


def test_dependency_cycle_is_named_once() -> None:
    data = plan_data(
        workstreams=STREAM,
        tasks={
            "a": {"name": "A", "workstream": "sec", "depends_on": ["c"]},
            "b": {"name": "B", "workstream": "sec", "depends_on": ["a"]},
            "c": {"name": "C", "workstream": "sec", "depends_on": ["b"]},
            "d": {"name": "D", "workstream": "sec", "depends_on": ["a"]},
        },
    )
    assert problems_of(data) == ["tasks.a.depends_on: dependency cycle: a → c → b → a"]


def test_self_dependency() -> None:
    data = plan_data(
        workstreams=STREAM, tasks={"a": {"name": "A", "workstream": "sec", "depends_on": ["a"]}}
    )
    assert problems_of(data) == ["tasks.a.depends_on[0]: 'a' cannot depend on itself"]


def test_long_chain_has_no_cycle_and_no_recursion_limit() -> None:
    tasks = {f"t{i}": {"name": f"T{i}", "workstream": "sec"} for i in range(3000)}
    for i in range(1, 3000):
        tasks[f"t{i}"]["depends_on"] = [f"t{i - 1}"]
    plan = Plan.model_validate(plan_data(workstreams=STREAM, tasks=tasks))
    assert len(plan.tasks) == 3000


def test_ids_are_unique_across_collections() -> None:
    data = plan_data(workstreams=STREAM, topics={"sec": {"name": "Security topic"}})
    assert problems_of(data) == [
        "topics.sec: id 'sec' is already used in workstreams; ids are unique within a plan"
    ]


def test_ids_must_be_slugs() -> None:
    with pytest.raises(ValidationError) as caught:
        Plan.model_validate(plan_data(workstreams={"Security Stream": {"name": "S"}}))
    assert caught.value.errors()[0]["loc"] == ("workstreams", "Security Stream", "id")


def test_estimate_order_and_pert_mean() -> None:
    assert Estimate.model_validate([2, 4, 12]).pert_mean == pytest.approx(5.0)
    assert Estimate.model_validate([2, 4, 12]).triangular_mean == pytest.approx(6.0)
    with pytest.raises(ValidationError, match="most likely ≤ pessimistic, got 9, 5, 3"):
        Estimate.model_validate([9, 5, 3])
    with pytest.raises(ValidationError, match="three numbers"):
        Estimate.model_validate([1, 2])


def test_probability_must_be_within_zero_and_one() -> None:
    risk = {"name": "Strike", "probability": 1.5}
    with pytest.raises(ValidationError) as caught:
        Plan.model_validate(plan_data(risks={"strike": risk}))
    assert caught.value.errors()[0]["loc"] == ("risks", "strike", "probability")


def test_impact_scale_is_ordered_and_moderate_means_medium() -> None:
    levels = [ImpactLevel.parse(t) for t in ("Critical", "Low", "Moderate", "High")]
    assert sorted(levels) == [  # type: ignore[type-var]
        ImpactLevel.LOW,
        ImpactLevel.MEDIUM,
        ImpactLevel.HIGH,
        ImpactLevel.CRITICAL,
    ]
    assert ImpactLevel.parse("sizeable") is None
    with pytest.raises(ValidationError, match="unknown impact level 'huge'"):
        Plan.model_validate(plan_data(issues={"x": {"name": "X", "impact": "huge"}}))


def test_window_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValidationError, match="ends"):
        DateWindow(start=dt.date(2024, 8, 31), end=dt.date(2024, 8, 1))
    assert DateWindow.model_validate(dt.date(2024, 8, 1)) == DateWindow.on(dt.date(2024, 8, 1))


def test_summit_date_or_window_not_both_and_zone_is_checked() -> None:
    with pytest.raises(ValidationError, match="either a summit date or a window"):
        Summit(
            title="T",
            date=dt.date(2024, 9, 1),
            window=DateWindow.on(dt.date(2024, 9, 2)),
        )
    with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'"):
        Summit(title="T", timezone="Mars/Olympus")
    window = DateWindow(start=dt.date(2024, 9, 10), end=dt.date(2024, 9, 20))
    assert Summit(title="T", window=window).earliest_date == dt.date(2024, 9, 10)


SCORED_ISSUES = {
    "sanctions": {"name": "Sanctions", "options": {"none": "No relief", "full": "Full relief"}},
    "energy": {"name": "Energy", "options": {"no": "No deal", "yes": "Deal"}},
}


def test_position_is_private_to_its_holder_by_default() -> None:
    position = {
        "about": "south",
        "held_by": "north",
        "issues": {
            "sanctions": {"weight": 70, "scores": {"none": 100, "full": 0}},
            "energy": {"weight": 30, "scores": {"no": 20, "yes": 80}},
        },
    }
    plan = Plan.model_validate(plan_data(issues=SCORED_ISSUES, positions={"est": position}))
    assert plan.positions["est"].visibility == "north"
    assert plan.positions["est"].is_estimate
    assert not plan.positions["est"].is_joint


def test_position_weights_options_and_parties_are_checked() -> None:
    position = {
        "about": "southland",
        "held_by": "north",
        "issues": {
            "sanctions": {"weight": 60, "scores": {"none": 100, "ful": 0}},
            "energy": {"weight": 30},
        },
    }
    assert problems_of(plan_data(issues=SCORED_ISSUES, positions={"p": position})) == [
        "positions.p.about: unknown party 'southland' (did you mean 'south'?)",
        "positions.p.issues.sanctions.scores.ful: unknown option of 'sanctions' 'ful' "
        "(did you mean 'full'?)",
        "positions.p.issues: issue weights sum to 90; they must sum to 100",
    ]


def test_visibility_names_a_party_or_joint() -> None:
    data = plan_data(
        notes={
            "n": {"title": "Channel", "visibility": "nort"},
            "m": {"title": "Released", "visibility": ["north", "sout"], "owned_by": "south"},
            "k": {"title": "Claimed", "owned_by": "west"},
        }
    )
    assert problems_of(data) == [
        "notes.n.visibility: visibility must be 'joint', a party id or a list of party ids, "
        "not 'nort' (did you mean 'north'?)",
        "notes.m.visibility[1]: unknown party 'sout' (did you mean 'south'?)",
        "notes.m.owned_by: the owning party 'south' is not among the record's readers",
        "notes.k.owned_by: unknown party 'west'",
    ]


@pytest.mark.parametrize(
    ("readers", "message"),
    [
        ([], "at least one party"),
        (["north", "joint"], "'joint' already means every party"),
        (["north", "north"], "listed twice"),
    ],
)
def test_a_list_of_readers_is_a_real_list_of_parties(readers: list[str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Plan.model_validate(plan_data(notes={"n": {"title": "N", "visibility": readers}}))


def test_blocked_work_needs_a_reason_and_statuses_are_known() -> None:
    data = plan_data(
        workstreams=STREAM,
        tasks={"a": {"name": "A", "workstream": "sec", "blocked": True, "status": "stuck"}},
    )
    assert problems_of(data) == [
        "tasks.a.status: unknown status 'stuck'",
        "tasks.a.blocked: a blocked item needs a blocked_reason",
    ]


def test_plan_can_extend_the_status_vocabulary() -> None:
    data = plan_data(
        statuses={"awaiting-clearance": {"label": "Awaiting clearance"}},
        workstreams={"sec": {"name": "Security", "status": "awaiting-clearance"}},
    )
    plan = Plan.model_validate(data)
    assert not plan.is_closed("awaiting-clearance")
    assert plan.is_closed("complete")


def test_cross_references_of_every_kind() -> None:
    data = plan_data(
        people={"ana": {"name": "Ana", "party": "west"}},
        working_groups={"wg": {"name": "WG", "issues": ["nope"], "members": ["bob"]}},
        meetings={"m1": {"title": "M", "date": dt.date(2024, 7, 1), "group": "wgg"}},
        risks={"r": {"name": "R", "probability": 0.2, "tasks": ["ghost"]}},
        notes={"n": {"title": "N", "about": "nobody"}},
    )
    assert problems_of(data) == [
        "people.ana.party: unknown party 'west'",
        "working_groups.wg.issues[0]: unknown agenda issue 'nope'",
        "working_groups.wg.members[0]: unknown person 'bob'",
        "meetings.m1.group: unknown working group 'wgg' (did you mean 'wg'?)",
        "risks.r.tasks[0]: unknown task 'ghost'",
        "notes.n.about: unknown record 'nobody'",
        "risks.r.delay: a risk that names tasks needs a delay estimate",
    ]


def test_an_id_inside_a_record_must_match_its_key() -> None:
    data = plan_data(workstreams={"sec": {"name": "Security", "id": "security"}})
    assert problems_of(data) == [
        "workstreams.sec.id: id 'security' differs from the table key 'sec'; leave the id out"
    ]


def test_status_alias_points_to_the_id_to_write() -> None:
    data = plan_data(workstreams={"sec": {"name": "Security", "status": "done"}})
    assert problems_of(data) == [
        "workstreams.sec.status: unknown status 'done' (did you mean 'complete'?)"
    ]


def test_a_link_given_twice_is_reported() -> None:
    data = plan_data(
        workstreams=STREAM,
        tasks={
            "a": {"name": "A", "workstream": "sec"},
            "b": {"name": "B", "workstream": "sec", "depends_on": ["a", {"task": "a", "lag": 2}]},
        },
    )
    assert problems_of(data) == ["tasks.b.depends_on[1]: 'b' depends on 'a' more than once"]


def test_scenario_model_and_risk_links_are_checked() -> None:
    data = plan_data(
        descriptors={
            "ceasefire": {
                "name": "Ceasefire",
                "variants": {"holding": "Holding", "collapsed": "Collapsed"},
                "impacts": {
                    "holding": {"sanctions": {"relieved": 2, "tightend": -1}},
                    "colapsed": {"ceasefire": {"holding": 1}},
                },
            },
            "sanctions": {"name": "Sanctions", "variants": {"relieved": "Relieved"}},
        },
        risks={"r": {"name": "R", "probability": 0.1, "scenario_variants": ["ceasefire.collapse"]}},
    )
    assert problems_of(data) == [
        "risks.r.scenario_variants[0]: unknown scenario variant 'ceasefire.collapse' (write "
        "'descriptor.variant') (did you mean 'ceasefire.collapsed'?)",
        "descriptors.ceasefire.impacts.holding.sanctions.tightend: unknown variant of "
        "'sanctions' 'tightend'",
        "descriptors.ceasefire.impacts.colapsed: unknown variant of 'ceasefire' 'colapsed' "
        "(did you mean 'collapsed'?)",
        "descriptors.ceasefire.impacts.colapsed.ceasefire: a descriptor has no impact on itself",
        "descriptors.sanctions.variants: a descriptor needs at least two variants",
    ]
    data["descriptors"]["ceasefire"]["impacts"] = {"holding": {"sanctions": {"relieved": 4}}}
    with pytest.raises(ValidationError) as caught:
        Plan.model_validate(data)
    assert caught.value.errors()[0]["loc"][-1] == "relieved"


def test_venue_scores_and_preferences_follow_the_criteria() -> None:
    data = plan_data(
        venue_criteria={
            "security": {"name": "Security"},
            "cost": {"name": "Cost", "direction": "cost"},
        },
        venues={"lake": {"name": "Lake", "scores": {"security": 8, "costs": 3}}},
        venue_preferences={
            "west-weights": {"held_by": "west", "weights": {"security": 1}},
            "north-weights": {"held_by": "north", "weights": {"security": 3, "cots": 1}},
            "north-more": {"held_by": "north", "weights": {"security": 2}, "vetoes": ["lak"]},
        },
    )
    assert problems_of(data) == [
        "venues.lake.scores.costs: unknown venue criterion 'costs' (did you mean 'cost'?)",
        "venue_preferences.west-weights.held_by: unknown party 'west'",
        "venue_preferences.north-weights.weights.cots: unknown venue criterion 'cots' "
        "(did you mean 'cost'?)",
        "venue_preferences.north-more.vetoes[0]: unknown venue 'lak' (did you mean 'lake'?)",
        "venue_preferences.west-weights.visibility: visibility must be 'joint', a party id or "
        "a list of party ids, not 'west'",
        "venue_preferences.north-more.weights.security: 'north' already weighs 'security' in "
        "venue preference 'north-weights'; weigh each criterion once",
    ]


def test_weight_ranges_and_linked_terms_are_checked() -> None:
    position = {
        "about": "south",
        "held_by": "north",
        "issues": {
            "sanctions": {"weight": 70, "weight_range": [50, 60], "scores": {"none": 100}},
            "energy": {"weight": 30},
        },
        "linked": [
            {
                "issue": "sanctions",
                "option": "full",
                "with_issue": "energy",
                "with_option": "maybe",
                "points": -10,
            },
        ],
    }
    with pytest.raises(
        ValidationError, match=r"weight_range \[50, 60\] must contain the weight 70"
    ):
        Plan.model_validate(plan_data(issues=SCORED_ISSUES, positions={"p": position}))
    position["issues"]["sanctions"]["weight_range"] = [60, 80]  # type: ignore[index]
    assert problems_of(plan_data(issues=SCORED_ISSUES, positions={"p": position})) == [
        "positions.p.linked[0]: unknown option of 'energy' 'maybe'"
    ]


def test_topic_decision_and_lead_links_are_checked() -> None:
    data = plan_data(
        people={"ana": {"name": "Ana", "party": "north"}},
        workstreams={"sec": {"name": "Security", "lead": "anna"}},
        topics={"fish-topic": {"name": "Fish", "issue": "fish"}},
        decisions={"d": {"title": "Pick a venue", "about": "lake"}},
    )
    assert problems_of(data) == [
        "workstreams.sec.lead: unknown person 'anna' (did you mean 'ana'?)",
        "topics.fish-topic.issue: unknown agenda issue 'fish'",
        "decisions.d.about: unknown record 'lake'",
    ]
    data["workstreams"]["sec"]["lead"] = "ana"
    data["issues"] = {"fish": {"name": "Fish quotas"}}
    data["venues"] = {"lake": {"name": "Lake house"}}
    plan = Plan.model_validate(data)
    assert plan.topics["fish-topic"].issue == "fish"
    assert Summit(title="T").confirmed is False


def test_a_holder_reads_its_own_preferences() -> None:
    data = plan_data(
        venue_criteria={"access": {"name": "Access"}},
        venue_preferences={"p": {"held_by": "south", "visibility": "north", "weights": {}}},
    )
    assert problems_of(data) == [
        "venue_preferences.p.visibility: 'south' holds this venue preference but is not among "
        "its readers"
    ]
