"""The regular situation report, built from a plan the reader may see in full.

The shape follows situation reports as humanitarian coordinators, militaries and project boards
write them: header, bottom line up front, changes since the last report, status by workstream,
what is due next, negotiation, risks, venue and security, developments, decisions required,
next actions, and a footer saying how it was made. Every section is generated; the cell adds
its own text per section in the plan's ``[sitrep.commentary]``.

The builder is a function of already-authorised data: callers pass the plan as the reader may
see it (:func:`summitry.access.policy.visible_plan`), so nothing here decides visibility.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from summitry import __version__
from summitry.access.labels import derived_label
from summitry.access.policy import Principal
from summitry.analysis.dashboard import Band, Dashboard, dashboard
from summitry.domain.agenda import Position
from summitry.domain.engagement import DecisionStatus
from summitry.domain.plan import Plan
from summitry.domain.risks import Risk, RiskStatus, by_exposure
from summitry.reports.document import (
    Block,
    Bullets,
    Commentary,
    Document,
    Figure,
    Paragraph,
    Section,
    Table,
)
from summitry.reports.snapshot import Snapshot, changes, take_snapshot

MIN_PERIOD_DAYS = 7
"""The "next period" looks at least this many days ahead, even when reports are daily."""


@dataclass(frozen=True)
class ReadinessSummary:
    """What the readiness forecast contributes to a report (filled by the caller)."""

    probability: float | None
    standard_error: float | None
    p80: dict[str, dt.date]
    iterations: int
    seed: int
    lines: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = field(default_factory=tuple)
    lights: dict[str, str] = field(default_factory=dict)
    """Each workstream's forecast light (green, amber, red) by id."""


@dataclass(frozen=True)
class SituationReport:
    """A built report: the document to render and the snapshot to keep for next time."""

    document: Document
    snapshot: Snapshot


def _names(plan: Plan) -> dict[str, str]:
    return {pid: party.name for pid, party in plan.parties.items()}


def next_due(plan: Plan, last: dt.date) -> dt.date:
    """The date the report after one made on ``last`` is due, by the plan's cadence.

    Usage: ``next_due(plan, date(2024, 7, 15))``.
    """
    summit = plan.summit.earliest_date
    days_before = (summit - last).days if summit else 10_000
    return last + dt.timedelta(days=plan.sitrep.interval(max(days_before, 0)))


AUDIT_SECTION = "audit"
"""The section a workspace's report ends with: the heads of the audit chains its reader may see."""


def build_sitrep(
    plan: Plan,
    *,
    as_of: dt.date,
    principal: Principal,
    previous: Snapshot | None = None,
    plan_version: str = "",
    readiness: ReadinessSummary | None = None,
    additions: Mapping[str, Sequence[Block]] | None = None,
) -> SituationReport:
    """Build the situation report of a plan as of a date, for one reader.

    ``plan`` is the view of ``principal``, the reader named in the header and snapshot;
    ``additions`` appends blocks to sections by id (e.g. the fair packages to ``negotiation``,
    scenarios to ``risks``), computed by the caller from the same view.
    Usage: ``build_sitrep(view, as_of=today, principal=Principal.of("north"))``.
    """
    viewer = principal.name
    board = dashboard(plan, as_of)
    number = previous.number + 1 if previous else 1
    snapshot = take_snapshot(
        plan,
        board,
        number=number,
        principal=principal,
        readiness=readiness.probability if readiness else None,
        p80=readiness.p80 if readiness else None,
    )
    due = next_due(plan, as_of)
    horizon = max(due, as_of + dt.timedelta(days=MIN_PERIOD_DAYS))
    writer = _Writer(plan, board, as_of, horizon)
    sections: tuple[Section, ...] = (
        writer.bluf(readiness),
        writer.changes(previous, snapshot),
        writer.workstreams(readiness),
        writer.deadlines(),
        writer.negotiation(),
        writer.risks(),
        writer.venue(),
        writer.developments(previous.as_of if previous else None),
        writer.decisions(),
        writer.actions(),
    )
    extra = additions or {}
    if AUDIT_SECTION in extra:
        # Only a workspace has an audit log; a report from a plan file has no such section.
        sections = (*sections, Section(AUDIT_SECTION, "Audit log", ()))
    sections = tuple(
        _with_commentary(plan, Section(s.id, s.title, (*s.blocks, *extra.get(s.id, ()))))
        for s in sections
    )
    since = f"{previous.as_of} to {as_of}" if previous else f"start of preparations to {as_of}"
    if viewer == "joint":
        audience = "JOINT — for all delegations"
    elif viewer == "all":
        audience = "ALL MATERIAL — every delegation's private material; not for circulation"
    else:
        audience = f"{_party_name(plan, viewer).upper()} — holds this delegation's private material"
    if principal.clearances:
        audience += " · compartments " + ", ".join(sorted(principal.clearances)).upper()
    marking = plan.sitrep.classification
    classification = f"{marking} · {audience}" if marking else audience
    meta = (
        ("Summit", _summit_line(plan)),
        ("Report", f"No. {number}"),
        ("Period covered", since),
        ("As of", str(as_of)),
        ("Classification", classification),
        ("May be read by", derived_label(plan).describe(_names(plan))),
        ("Next report due", str(due)),
    )
    footer = [
        f"Generated by summitry {__version__} from version {plan_version or 'unknown'} of this "
        "reader's view of the plan.",
    ]
    if readiness:
        footer.append(
            f"Readiness forecast: {readiness.iterations} Monte Carlo iterations, seed "
            f"{readiness.seed}."
        )
    footer.append(
        "Audit anchor: the chain heads in the last section."
        if AUDIT_SECTION in extra
        else "Audit anchor: none (generated from a plan file, not a shared workspace)."
    )
    document = Document(
        title=f"Situation report No. {number}: {plan.summit.title}",
        meta=meta,
        sections=sections,
        footer=tuple(footer),
    )
    return SituationReport(document, snapshot)


def _with_commentary(plan: Plan, section: Section) -> Section:
    text = plan.sitrep.commentary.get(section.id)
    if not text:
        return section
    return Section(section.id, section.title, (Commentary(text), *section.blocks))


def _party_name(plan: Plan, party: str) -> str:
    found = plan.parties.get(party)
    return found.name if found else party


def _summit_line(plan: Plan) -> str:
    summit = plan.summit
    when = str(summit.earliest_date) if summit.earliest_date else "date not set"
    if summit.earliest_date and not summit.confirmed:
        when += ", not yet confirmed"
    where = f", {summit.location}" if summit.location else ""
    return f"{summit.title} ({when}{where})"


def _date(day: dt.date | None) -> str:
    return str(day) if day else "—"


class _Writer:
    """Section builders sharing the plan, its dashboard and the report's dates."""

    def __init__(self, plan: Plan, board: Dashboard, as_of: dt.date, horizon: dt.date) -> None:
        self.plan = plan
        self.board = board
        self.as_of = as_of
        self.horizon = horizon

    def bluf(self, readiness: ReadinessSummary | None) -> Section:
        rows = self.board.workstreams
        on_track = sum(1 for row in rows if row.band in (Band.ON_TRACK, Band.DONE))
        blocks: list[Block] = []
        if readiness and readiness.probability is not None:
            error = f" (± {readiness.standard_error:.1%})" if readiness.standard_error else ""
            blocks.append(
                Paragraph(
                    f"Probability of being ready by the summit date: "
                    f"{readiness.probability:.0%}{error}."
                )
            )
        days = self.board.working_days_to_summit
        countdown = f"{days} working days to the summit. " if days is not None else ""
        blocks.append(
            Paragraph(
                f"{countdown}{on_track} of {len(rows)} workstreams on track or done; "
                f"{sum(1 for r in rows if r.band is Band.OVERDUE)} overdue, "
                f"{sum(1 for r in rows if r.band is Band.BLOCKED)} blocked, "
                f"{sum(1 for r in rows if r.band is Band.AT_RISK)} at risk."
            )
        )
        blocks.append(Paragraph("What matters most this period:"))
        blocks.append(Bullets(tuple(self._top_three())))
        return Section("bluf", "Bottom line up front", tuple(blocks))

    def _top_three(self) -> list[str]:
        points = [
            f"{item.name} ({item.kind}) — {item.band}: {item.reason}"
            for item in self.board.attention
            if item.band in (Band.OVERDUE, Band.BLOCKED)
        ]
        open_decisions = sorted(
            (d for d in self.plan.decisions.values() if d.status is DecisionStatus.OPEN and d.due),
            key=lambda d: d.due or dt.date.max,
        )
        points += [f"Decision needed by {d.due}: {d.title}" for d in open_decisions]
        points += [
            f"Risk: {risk.name} (exposure {risk.exposure:g} working days)"
            for risk in self._open_risks()
        ]
        return points[:3] or ["Nothing overdue, blocked or pending a decision."]

    def _open_risks(self) -> list[Risk]:
        return by_exposure(r for r in self.plan.risks.values() if r.status is RiskStatus.OPEN)

    def changes(self, previous: Snapshot | None, current: Snapshot) -> Section:
        if previous is None:
            return Section(
                "changes",
                "Changes since the last report",
                (Paragraph("This is the first report: there is no earlier one to compare with."),),
            )
        found = changes(previous, current)
        blocks: list[Block] = []
        for kind, lines in found.items():
            title = kind[:1].upper() + kind[1:]
            blocks.append(Paragraph(f"{title}: {'no change' if not lines else ''}".rstrip()))
            if lines:
                blocks.append(Bullets(tuple(lines)))
        return Section("changes", "Changes since the last report", tuple(blocks))

    def workstreams(self, readiness: ReadinessSummary | None) -> Section:
        header: tuple[str, ...] = ("Workstream", "Status", "Band", "Done", "Expected", "Deadline")
        if readiness:
            header = (*header, "P80", "Forecast")
        rows = []
        for row in self.board.workstreams:
            window = row.expected_completion
            cells: tuple[str, ...] = (
                row.name,
                row.status,
                row.band.value,
                f"{row.percent_complete:.0f}% ({row.tasks_done}/{row.tasks_total})",
                (window.label or _date(window.end)) if window else "—",
                _date(row.deadline),
            )
            if readiness:
                p80 = readiness.p80.get(row.id)
                late = p80 is not None and row.deadline is not None and p80 > row.deadline
                cells = (
                    *cells,
                    _date(p80) + (" (after the deadline)" if late else ""),
                    readiness.lights.get(row.id, "—"),
                )
            rows.append(cells)
        blocks: list[Block] = [Table(header, tuple(rows))]
        meaning = (
            "Band is the schedule state from the plan's own dates and statuses (as the "
            "dashboard shows it)"
        )
        if readiness:
            meaning += (
                "; Forecast is the light from the readiness forecast: green when the "
                f"workstream is ready by its deadline in at least {self.plan.forecast.green:.0%} "
                f"of iterations, amber from {self.plan.forecast.amber:.0%}, red below"
            )
        blocks.append(Paragraph(meaning + "."))
        blocked = [
            f"{item.name}: {item.block_reason}"
            for item in self.plan.work_items().values()
            if item.is_blocked and not self.plan.is_closed(item.status)
        ]
        blocks.append(Paragraph("Blocked items:" if blocked else "Blocked items: none."))
        if blocked:
            blocks.append(Bullets(tuple(blocked)))
        milestones = [
            (
                m.name,
                str(m.date),
                _date(m.baseline),
                {True: "met", False: "missed", None: "open"}[m.met],
                _slip(m.baseline, m.date),
            )
            for m in sorted(self.plan.milestones.values(), key=lambda m: m.date)
        ]
        if milestones:
            blocks.append(
                Table(("Milestone", "Date", "Baseline", "Met", "Slip"), tuple(milestones))
            )
        if readiness:
            blocks += [Paragraph(line) for line in readiness.lines]
            blocks += list(readiness.figures)
        return Section("workstreams", "Status by workstream", tuple(blocks))

    def deadlines(self) -> Section:
        upcoming: list[tuple[dt.date, str]] = []
        for item in self.plan.work_items().values():
            due = item.due
            if due and self.as_of <= due <= self.horizon and not self.plan.is_closed(item.status):
                upcoming.append((due, f"{due}: {item.name}"))
        for milestone in self.plan.milestones.values():
            if self.as_of <= milestone.date <= self.horizon and not milestone.met:
                upcoming.append((milestone.date, f"{milestone.date}: milestone — {milestone.name}"))
        for stream in self.plan.workstreams.values():
            if stream.deadline and self.as_of <= stream.deadline <= self.horizon:
                upcoming.append((stream.deadline, f"{stream.deadline}: deadline — {stream.name}"))
        overdue = [
            f"{item.name} ({item.kind}, {item.reason})"
            for item in self.board.attention
            if item.band is Band.OVERDUE
        ]
        blocks: list[Block] = [Paragraph(f"Due from {self.as_of} to {self.horizon}:")]
        blocks.append(
            Bullets(tuple(text for _, text in sorted(upcoming))) if upcoming else Paragraph("None.")
        )
        blocks.append(Paragraph("Overdue:" if overdue else "Overdue: none."))
        if overdue:
            blocks.append(Bullets(tuple(overdue)))
        return Section("deadlines", "Milestones and deadlines in the next period", tuple(blocks))

    def negotiation(self) -> Section:
        positions = list(self.plan.positions.values())
        header = ("Issue", "Impact", "Focus", *(self._position_label(p) for p in positions))
        rows = []
        for iid, issue in self.plan.issues.items():
            stances = []
            for position in positions:
                scored = position.issues.get(iid)
                if scored is None:
                    stances.append("—")
                    continue
                best = max(scored.scores, key=lambda o: scored.scores[o], default=None)
                preferred = f", prefers {issue.options.get(best, best)}" if best else ""
                stances.append(f"weight {scored.weight:g}{preferred}")
            impact = issue.impact.value.capitalize() if issue.impact else "—"
            rows.append((issue.name, impact, issue.focus or "—", *stances))
        blocks: list[Block] = []
        if rows:
            blocks.append(Table(header, tuple(rows)))
        else:
            blocks.append(Paragraph("No agenda issues in the plan yet."))
        meetings = sorted(
            (m for m in self.plan.meetings.values() if m.date <= self.as_of),
            key=lambda m: m.date,
            reverse=True,
        )[:5]
        if meetings:
            blocks.append(Paragraph("Working-group meetings (latest first):"))
            blocks.append(
                Bullets(
                    tuple(
                        f"{m.date} — {m.title}" + (f": {m.minutes}" if m.minutes else "")
                        for m in meetings
                    )
                )
            )
        decided = [
            f"{d.decided_on or _date(d.due)} — {d.title}: {d.outcome or 'decided'}"
            for d in self.plan.decisions.values()
            if d.status is DecisionStatus.DECIDED
        ]
        if decided:
            blocks.append(Paragraph("Decisions taken:"))
            blocks.append(Bullets(tuple(decided)))
        return Section("negotiation", "Negotiation", tuple(blocks))

    def _position_label(self, position: Position) -> str:
        about = _party_name(self.plan, position.about)
        if position.is_estimate:
            return f"{about} (as estimated by {_party_name(self.plan, position.held_by)})"
        return about

    def risks(self) -> Section:
        rows = tuple(
            (
                risk.name,
                f"{risk.probability:.0%}",
                f"{risk.exposure:g}",
                risk.trigger or "—",
                risk.contingency or "—",
            )
            for risk in self._open_risks()[:8]
        )
        blocks: list[Block] = [
            Table(
                ("Risk", "Probability", "Exposure (working days)", "Trigger", "Contingency"), rows
            )
            if rows
            else Paragraph("No open risks in the register.")
        ]
        closed = [r.name for r in self.plan.risks.values() if r.status is RiskStatus.CLOSED]
        if closed:
            blocks.append(Paragraph("Closed risks: " + "; ".join(closed) + "."))
        return Section("risks", "Risks and scenarios", tuple(blocks))

    def venue(self) -> Section:
        rows = tuple(
            (
                venue.name,
                venue.location or "—",
                venue.status.value,
                ", ".join(f"{k}: {'yes' if v else 'no'}" for k, v in venue.constraints.items())
                or "—",
            )
            for venue in self.plan.venues.values()
        )
        blocks: list[Block] = [
            Table(("Venue", "Location", "Status", "Hard requirements"), rows)
            if rows
            else Paragraph("No candidate venues in the plan yet.")
        ]
        security = [row for row in self.board.workstreams if "secur" in (row.name + row.id).lower()]
        for row in security:
            blocks.append(
                Paragraph(
                    f"{row.name}: {row.status}, {row.percent_complete:.0f}% done, band "
                    f"{row.band.value}, deadline {_date(row.deadline)}."
                )
            )
        return Section("venue", "Venue and security arrangements", tuple(blocks))

    def developments(self, since: dt.date | None) -> Section:
        chosen = sorted(
            (
                d
                for d in self.plan.developments.values()
                if d.date <= self.as_of and (since is None or d.date > since)
            ),
            key=lambda d: d.date,
        )
        lines = tuple(
            f"{d.date} — {d.title}"
            + (f": {d.text}" if d.text else "")
            + (f" (source: {d.source})" if d.source else "")
            for d in chosen
        )
        block: Block = Bullets(lines) if lines else Paragraph("No new developments recorded.")
        return Section("developments", "Developments since the last report", (block,))

    def decisions(self) -> Section:
        open_decisions = sorted(
            (d for d in self.plan.decisions.values() if d.status is DecisionStatus.OPEN),
            key=lambda d: d.due or dt.date.max,
        )
        rows = tuple(
            (d.title, d.description or "—", _date(d.due), self._person(d.owner))
            for d in open_decisions
        )
        block: Block = (
            Table(("Decision", "What is asked", "Needed by", "Owner"), rows)
            if rows
            else Paragraph("No decisions are pending.")
        )
        return Section("decisions", "Decisions required from the principals", (block,))

    def actions(self) -> Section:
        items = sorted(
            (
                item
                for item in self.plan.work_items().values()
                if not self.plan.is_closed(item.status)
                and item.due is not None
                and item.due <= self.horizon
            ),
            key=lambda item: item.due or dt.date.max,
        )
        rows = tuple(
            (item.name, self._person(item.owner), _date(item.due), item.status) for item in items
        )
        block: Block = (
            Table(("Action", "Owner", "Due", "Status"), rows)
            if rows
            else Paragraph("No open actions fall due in the next period.")
        )
        return Section("actions", "Next-period actions", (block,))

    def _person(self, pid: str | None) -> str:
        if pid is None:
            return "—"
        person = self.plan.people.get(pid)
        return person.name if person else "—"


def _slip(baseline: dt.date | None, current: dt.date) -> str:
    if baseline is None:
        return "—"
    days = (current - baseline).days
    return "on baseline" if days == 0 else f"{days:+d} days"
