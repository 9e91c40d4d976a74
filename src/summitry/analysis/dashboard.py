"""The status dashboard: the briefing's three tables, live from the plan, with attention bands.

Bands say what needs attention as of a reference date: overdue, blocked, at risk (the expected
completion runs past the deadline), due soon (within a number of working days), on track, done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from summitry.domain.agenda import ImpactLevel
from summitry.domain.base import DateWindow
from summitry.domain.engagement import DecisionStatus
from summitry.domain.plan import Plan
from summitry.domain.schedule import WorkItem

DUE_SOON_DAYS = 10
"""Working days ahead in which a date counts as due soon."""


class Band(StrEnum):
    """Attention band, from most to least urgent."""

    OVERDUE = "overdue"
    BLOCKED = "blocked"
    AT_RISK = "at-risk"
    DUE_SOON = "due-soon"
    ON_TRACK = "on-track"
    NO_DATE = "no-date"
    DONE = "done"

    @property
    def urgency(self) -> int:
        """0 for the most urgent band; larger is calmer."""
        return list(Band).index(self)


@dataclass(frozen=True)
class WorkstreamRow:
    """One preparation aspect: status, dates, progress and band."""

    id: str
    name: str
    status: str
    expected_completion: DateWindow | None
    deadline: dt.date | None
    tasks_total: int
    tasks_done: int
    percent_complete: float
    blocked: int
    overdue: int
    band: Band


@dataclass(frozen=True)
class IssueRow:
    """One strategic issue: impact, negotiation focus and how far it is worked out."""

    id: str
    name: str
    impact: ImpactLevel | None
    focus: str
    options: int
    positions: int


@dataclass(frozen=True)
class MechanismRow:
    """One engagement component with its description and expected impact."""

    id: str
    name: str
    description: str
    impact: str


@dataclass(frozen=True)
class AttentionItem:
    """A dated item that needs attention: overdue, blocked or due soon."""

    kind: str
    id: str
    name: str
    date: dt.date | None
    band: Band
    reason: str


@dataclass(frozen=True)
class Dashboard:
    """What ``summitry status`` shows: three tables and the attention list."""

    title: str
    as_of: dt.date
    summit_date: dt.date | None
    working_days_to_summit: int | None
    workstreams: tuple[WorkstreamRow, ...]
    issues: tuple[IssueRow, ...]
    mechanisms: tuple[MechanismRow, ...]
    attention: tuple[AttentionItem, ...]


def dashboard(plan: Plan, as_of: dt.date, due_soon_days: int = DUE_SOON_DAYS) -> Dashboard:
    """Compute the dashboard of a plan as of a date.

    Issues are listed by impact, highest first; the attention list by urgency, then date.
    Usage: ``dashboard(plan, date(2024, 7, 15)).workstreams[0].band``.
    """
    bands = _Bander(plan, as_of, due_soon_days)
    attention: list[AttentionItem] = []
    work = plan.work_items()
    for wid, item in work.items():
        band = bands.work_item(item)
        if band.urgency <= Band.DUE_SOON.urgency:
            kind = "task" if wid in plan.tasks else "action"
            reason = (
                item.block_reason if band is Band.BLOCKED else _due_reason(band, as_of, item.due)
            )
            attention.append(AttentionItem(kind, wid, item.name, item.due, band, reason))
    for mid, milestone in plan.milestones.items():
        band = bands.dated(milestone.date, closed=bool(milestone.met))
        if band.urgency <= Band.DUE_SOON.urgency:
            reason = _due_reason(band, as_of, milestone.date)
            attention.append(
                AttentionItem("milestone", mid, milestone.name, milestone.date, band, reason)
            )
    for did, decision in plan.decisions.items():
        band = bands.dated(decision.due, closed=decision.status is not DecisionStatus.OPEN)
        if band.urgency <= Band.DUE_SOON.urgency:
            reason = _due_reason(band, as_of, decision.due)
            attention.append(
                AttentionItem("decision", did, decision.title, decision.due, band, reason)
            )
    attention.sort(key=lambda a: (a.band.urgency, a.date or dt.date.max, a.id))

    summit_date = plan.summit.earliest_date
    days_left = (
        plan.summit.calendar.working_days_between(as_of, summit_date) if summit_date else None
    )
    return Dashboard(
        title=plan.summit.title,
        as_of=as_of,
        summit_date=summit_date,
        working_days_to_summit=days_left,
        workstreams=tuple(bands.workstream(wid) for wid in plan.workstreams),
        issues=tuple(
            sorted(
                (
                    IssueRow(
                        iid,
                        issue.name,
                        issue.impact,
                        issue.focus,
                        len(issue.options),
                        sum(1 for p in plan.positions.values() if iid in p.issues),
                    )
                    for iid, issue in plan.issues.items()
                ),
                key=lambda row: -(row.impact.rank if row.impact else -1),
            )
        ),
        mechanisms=tuple(
            MechanismRow(mid, m.name, m.description, m.impact) for mid, m in plan.mechanisms.items()
        ),
        attention=tuple(attention),
    )


def _due_reason(band: Band, as_of: dt.date, due: dt.date | None) -> str:
    if due is None:
        return ""
    days = (due - as_of).days
    if band is Band.OVERDUE:
        return f"{-days} day{'s' if days != -1 else ''} overdue"
    return "due today" if days == 0 else f"due in {days} day{'s' if days != 1 else ''}"


class _Bander:
    """Band rules, with the plan, reference date and look-ahead they share."""

    def __init__(self, plan: Plan, as_of: dt.date, due_soon_days: int) -> None:
        self.plan = plan
        self.as_of = as_of
        self.horizon = plan.summit.calendar.add_working_days(as_of, due_soon_days)

    def dated(self, due: dt.date | None, closed: bool) -> Band:
        if closed:
            return Band.DONE
        if due is None:
            return Band.NO_DATE
        if due < self.as_of:
            return Band.OVERDUE
        return Band.DUE_SOON if due <= self.horizon else Band.ON_TRACK

    def work_item(self, item: WorkItem) -> Band:
        closed = self.plan.is_closed(item.status)
        if item.is_blocked and not closed:
            return Band.BLOCKED
        return self.dated(item.due, closed)

    def workstream(self, wid: str) -> WorkstreamRow:
        stream = self.plan.workstreams[wid]
        tasks = self.plan.tasks_of(wid)
        task_bands = [self.work_item(task) for task in tasks]
        closed = self.plan.is_closed(stream.status)
        band = self.dated(stream.deadline, closed)
        expected_end = stream.expected_completion.end if stream.expected_completion else None
        candidates = [band]
        if not closed:
            if Band.BLOCKED in task_bands:
                candidates.append(Band.BLOCKED)
            if Band.OVERDUE in task_bands:
                candidates.append(Band.OVERDUE)
            if expected_end and stream.deadline and expected_end > stream.deadline:
                candidates.append(Band.AT_RISK)
        band = min(candidates, key=lambda b: b.urgency)
        weights = [task.estimate.pert_mean if task.estimate else 1.0 for task in tasks]
        done = [
            100.0 if self.plan.is_closed(task.status) else task.percent_complete for task in tasks
        ]
        total_weight = sum(weights)
        percent = (
            sum(w * d for w, d in zip(weights, done, strict=True)) / total_weight
            if total_weight
            else (100.0 if closed else 0.0)
        )
        label = self.plan.status_vocabulary.get(stream.status)
        return WorkstreamRow(
            id=wid,
            name=stream.name,
            status=label.label if label else stream.status,
            expected_completion=stream.expected_completion,
            deadline=stream.deadline,
            tasks_total=len(tasks),
            tasks_done=sum(1 for b in task_bands if b is Band.DONE),
            percent_complete=round(percent, 1),
            blocked=task_bands.count(Band.BLOCKED),
            overdue=task_bands.count(Band.OVERDUE),
            band=band,
        )
