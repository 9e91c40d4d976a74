"""Dashboard bands: overdue, blocked, at risk, due soon, done — as a cell lead reads them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from summitry.analysis.dashboard import Band, dashboard
from summitry.domain import Plan

AS_OF = dt.date(2024, 7, 15)  # a Monday


def make_plan(**collections: Any) -> Plan:
    return Plan.model_validate(
        {
            "summit": {"title": "Harbour Talks", "date": dt.date(2024, 9, 16)},
            "parties": {"north": {"name": "Northland"}, "south": {"name": "Southland"}},
            **collections,
        }
    )


def test_task_bands_by_date_status_and_block() -> None:
    plan = make_plan(
        workstreams={"sec": {"name": "Security"}},
        tasks={
            "late": {"name": "Late", "workstream": "sec", "due": dt.date(2024, 7, 12)},
            "soon": {"name": "Soon", "workstream": "sec", "due": dt.date(2024, 7, 26)},
            "edge": {"name": "Edge", "workstream": "sec", "due": dt.date(2024, 7, 29)},
            "later": {"name": "Later", "workstream": "sec", "due": dt.date(2024, 7, 30)},
            "done": {
                "name": "Done",
                "workstream": "sec",
                "due": dt.date(2024, 7, 1),
                "status": "complete",
            },
            "stuck": {
                "name": "Stuck",
                "workstream": "sec",
                "blocked": True,
                "blocked_reason": "awaiting clearance",
            },
        },
    )
    board = dashboard(plan, AS_OF, due_soon_days=10)
    bands = {item.id: item.band for item in board.attention}
    # Ten working days after Monday 15 July is Monday 29 July: 'edge' is the last due-soon day.
    assert bands == {
        "late": Band.OVERDUE,
        "stuck": Band.BLOCKED,
        "soon": Band.DUE_SOON,
        "edge": Band.DUE_SOON,
    }
    assert [item.id for item in board.attention] == ["late", "stuck", "soon", "edge"]
    assert board.attention[0].reason == "3 days overdue"
    assert board.attention[1].reason == "awaiting clearance"
    row = board.workstreams[0]
    assert (row.tasks_total, row.tasks_done, row.blocked, row.overdue) == (6, 1, 1, 1)
    assert row.band is Band.OVERDUE


def test_workstream_expected_after_deadline_is_at_risk() -> None:
    plan = make_plan(
        workstreams={
            "venue": {
                "name": "Venue",
                "deadline": dt.date(2024, 8, 30),
                "expected_completion": {"start": dt.date(2024, 8, 26), "end": dt.date(2024, 9, 6)},
            },
            "agenda": {
                "name": "Agenda",
                "deadline": dt.date(2024, 8, 30),
                "expected_completion": dt.date(2024, 8, 20),
            },
        }
    )
    rows = {row.id: row for row in dashboard(plan, AS_OF).workstreams}
    assert rows["venue"].band is Band.AT_RISK
    assert rows["agenda"].band is Band.ON_TRACK


def test_progress_is_weighted_by_expected_duration() -> None:
    plan = make_plan(
        workstreams={"log": {"name": "Logistics"}},
        tasks={
            "big": {
                "name": "Big",
                "workstream": "log",
                "estimate": [9, 9, 9],
                "status": "complete",
            },
            "small": {
                "name": "Small",
                "workstream": "log",
                "estimate": [1, 1, 1],
                "percent_complete": 50,
            },
        },
    )
    row = dashboard(plan, AS_OF).workstreams[0]
    assert row.percent_complete == 95.0  # (9 × 100 + 1 × 50) / 10


def test_issues_are_listed_by_impact_and_days_to_summit_count_working_days() -> None:
    plan = make_plan(
        issues={
            "energy": {"name": "Energy", "impact": "medium"},
            "cyber": {"name": "Cyber", "impact": "critical"},
            "arms": {"name": "Arms", "impact": "high"},
            "misc": {"name": "Misc"},
        }
    )
    board = dashboard(plan, AS_OF)
    assert [row.id for row in board.issues] == ["cyber", "arms", "energy", "misc"]
    # 15 July to 16 September 2024: nine whole weeks = 45 working days.
    assert board.working_days_to_summit == 45


def test_open_decision_past_its_date_is_overdue_and_decided_one_is_not() -> None:
    plan = make_plan(
        decisions={
            "format": {"title": "Format", "due": dt.date(2024, 7, 10)},
            "venue": {
                "title": "Venue",
                "due": dt.date(2024, 7, 10),
                "status": "decided",
                "decided_on": dt.date(2024, 7, 9),
            },
        },
        milestones={"kick": {"name": "Kick-off", "date": dt.date(2024, 7, 16)}},
    )
    attention = {item.id: item for item in dashboard(plan, AS_OF).attention}
    assert attention["format"].band is Band.OVERDUE
    assert "venue" not in attention
    assert attention["kick"].reason == "due in 1 day"


def test_the_blocked_status_counts_as_blocked_too() -> None:
    plan = make_plan(
        workstreams={"sec": {"name": "Security"}},
        tasks={"wait": {"name": "Wait", "workstream": "sec", "status": "blocked"}},
    )
    (item,) = dashboard(plan, AS_OF).attention
    assert item.band is Band.BLOCKED
    assert item.reason == "status is blocked (no reason recorded)"
