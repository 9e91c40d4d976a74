"""Rendering for the terminal: the tables and lines the CLI prints (rich)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from summitry.access.policy import Principal
from summitry.access.release import OwnScore, ProposedPackage
from summitry.analysis.dashboard import Band, Dashboard
from summitry.analysis.negotiation import NegotiationAnalysis
from summitry.analysis.plan_scenarios import RiskRow
from summitry.analysis.preferences import AdditiveProfile
from summitry.analysis.readiness import Forecast
from summitry.analysis.scenarios import MatrixDiagnostics, ScenarioSet
from summitry.analysis.venues import VenueAnalysis
from summitry.domain.base import JOINT
from summitry.domain.plan import COLLECTIONS, Plan
from summitry.io.briefing import ImportResult
from summitry.reports.negotiation_view import (
    CONCEPT_NAMES,
    FAIR_CONCEPTS,
    package_text,
    party_names,
)

out = Console(highlight=False, soft_wrap=True)
"""Standard output for everything the CLI prints."""

BAND_STYLE = {
    Band.OVERDUE: "bold red",
    Band.BLOCKED: "bold magenta",
    Band.AT_RISK: "yellow",
    Band.DUE_SOON: "cyan",
    Band.ON_TRACK: "green",
    Band.NO_DATE: "dim",
    Band.DONE: "dim green",
}


def plan_counts(plan: Plan) -> dict[str, int]:
    """Records per collection, leaving out empty collections.

    Usage: ``plan_counts(plan)["tasks"]``.
    """
    return {name: len(getattr(plan, name)) for name in COLLECTIONS if getattr(plan, name)}


def counts_phrase(counts: dict[str, int]) -> str:
    """Counts as words, e.g. ``2 parties, 1 note, 40 tasks``.

    Usage: ``counts_phrase(plan_counts(plan))``.
    """
    return ", ".join(
        f"{n} {COLLECTIONS[name] if n == 1 else name.replace('_', ' ')}"
        for name, n in counts.items()
    )


def render_import(result: ImportResult, source: Path) -> None:
    """Print what an import understood and what it did not.

    Usage: ``render_import(import_briefing(text), Path("briefing.txt"))``.
    """
    out.print(f"{source}: {counts_phrase(plan_counts(result.plan))}")
    for line in result.understood:
        out.print(f"  [green]✓[/] {line}")
    for line in result.not_understood:
        out.print(f"  [yellow]?[/] {line}")


def render_dashboard(board: Dashboard) -> None:
    """Print the dashboard as the briefing's three tables plus the attention list.

    Usage: ``render_dashboard(dashboard(plan, date.today()))``.
    """
    days = (
        f", {board.working_days_to_summit} working days to the summit on {board.summit_date}"
        if board.summit_date and board.working_days_to_summit is not None
        else ", summit date not set"
    )
    out.print(f"[bold]{board.title}[/] — as of {board.as_of}{days}")

    aspects = Table(title="Preparation aspects", title_justify="left", expand=False)
    for column in ("Aspect", "Status", "Expected completion", "Deadline", "Done", "Band"):
        aspects.add_column(column)
    for row in board.workstreams:
        window = row.expected_completion
        expected = ""
        if window is not None:
            span = (
                str(window.start) if window.start == window.end else f"{window.start}…{window.end}"
            )
            expected = window.label or span
        aspects.add_row(
            row.name,
            row.status,
            expected,
            str(row.deadline or "—"),
            f"{row.tasks_done}/{row.tasks_total} · {row.percent_complete:.0f}%",
            f"[{BAND_STYLE[row.band]}]{row.band}[/]",
        )
    out.print(aspects)

    issues = Table(title="Strategic issues", title_justify="left")
    for column in ("Issue", "Impact", "Negotiation focus", "Options", "Positions"):
        issues.add_column(column)
    for issue in board.issues:
        impact = issue.impact.value.capitalize() if issue.impact else "—"
        issues.add_row(issue.name, impact, issue.focus, str(issue.options), str(issue.positions))
    out.print(issues)

    mechanisms = Table(title="Engagement", title_justify="left")
    for column in ("Component", "Description", "Impact"):
        mechanisms.add_column(column)
    for mechanism in board.mechanisms:
        mechanisms.add_row(mechanism.name, mechanism.description, mechanism.impact)
    out.print(mechanisms)

    if board.attention:
        attention = Table(title="Needs attention", title_justify="left")
        for column in ("Band", "Kind", "Item", "Date", "Why"):
            attention.add_column(column)
        for item in board.attention:
            attention.add_row(
                f"[{BAND_STYLE[item.band]}]{item.band}[/]",
                item.kind,
                item.name,
                str(item.date or "—"),
                item.reason,
            )
        out.print(attention)
    else:
        out.print("Nothing overdue, blocked or due soon.")


LIGHT_STYLE = {"green": "green", "amber": "yellow", "red": "bold red", "none": "dim"}


def _percent(value: float | None, error: float | None = None) -> str:
    if value is None:
        return "—"
    return f"{value:.0%}" + (f" ± {error:.1%}" if error else "")


def render_forecast(result: Forecast, previous: Forecast | None = None) -> None:
    """Print the readiness forecast: headline, workstreams, critical tasks, risk drivers.

    With ``previous``, each figure is followed by last time's ("71 %, was 78 %").
    Usage: ``render_forecast(forecast(plan), Forecast.from_dict(last))``.
    """
    overall = result.overall
    was = ""
    if previous is not None and previous.overall.ready_probability is not None:
        was = f", was {previous.overall.ready_probability:.0%} on {previous.as_of}"
    if overall.ready_probability is not None:
        out.print(
            f"[bold]Ready by the summit date ({result.summit_date}): "
            f"{_percent(overall.ready_probability, overall.ready_se)}[/]{was}"
        )
    out.print(
        f"All preparation finished — P50 {overall.p50.date}, P80 {overall.p80.date}, "
        f"P95 {overall.p95.date} (deterministic plan: {overall.deterministic_finish}); "
        f"{result.iterations:,} iterations, seed {result.seed}"
        + (
            f", converged: {'yes' if result.converged else 'no'}"
            if result.converged is not None
            else ""
        )
    )
    before = {stream.id: stream for stream in previous.workstreams} if previous else {}
    table = Table(title="Readiness by workstream", title_justify="left")
    for column in ("Workstream", "Deadline", "Ready by deadline", "P50", "P80", "Light"):
        table.add_column(column)
    for stream in result.workstreams:
        ready = _percent(stream.ready_by_deadline, stream.ready_by_deadline_se)
        old = before.get(stream.id)
        if old is not None and old.ready_by_deadline is not None:
            ready += f" (was {old.ready_by_deadline:.0%})"
        late = stream.deadline is not None and stream.p80.date > stream.deadline
        p80 = f"[red]{stream.p80.date}[/]" if late else str(stream.p80.date)
        table.add_row(
            stream.name,
            str(stream.deadline or "—"),
            ready,
            str(stream.p50.date),
            p80,
            f"[{LIGHT_STYLE[stream.light]}]{stream.light}[/]",
        )
    out.print(table)
    critical = sorted(
        (item for item in result.items if not item.finished),
        key=lambda item: (-item.criticality, -abs(item.sensitivity or 0)),
    )[:5]
    if critical:
        tasks = Table(title="Tasks that drive the finish", title_justify="left")
        for column in ("Task", "Criticality", "Sensitivity", "Float (days)", "P80 finish"):
            tasks.add_column(column)
        for item in critical:
            tasks.add_row(
                item.name,
                f"{item.criticality:.0%}",
                f"{item.sensitivity:+.2f}" if item.sensitivity is not None else "—",
                f"{item.total_float:g}" if item.total_float is not None else "—",
                str(item.p80_finish or "—"),
            )
        out.print(tasks)
    if result.risk_drivers:
        risks = Table(
            title="Risk drivers (P80 with the risk minus without it)", title_justify="left"
        )
        for column in ("Risk", "Probability", "P80 shift (working days)", "Readiness without it"):
            risks.add_column(column)
        for driver in result.risk_drivers[:5]:
            risks.add_row(
                driver.name + (" (mitigated)" if driver.mitigated else ""),
                f"{driver.probability:.0%}",
                f"+{driver.p80_shift_days:.1f} ± {driver.p80_shift_se:.1f}",
                f"+{driver.ready_shift:.0%}" if driver.ready_shift is not None else "—",
            )
        out.print(risks)
    biased = sorted(result.merge_bias, key=lambda entry: -entry.merge_bias_days)[:3]
    if biased and biased[0].merge_bias_days >= 0.5:
        out.print(
            "Merge bias (where parallel paths join, the expected start is later than any path "
            "alone): "
            + "; ".join(
                f"{entry.name} +{entry.merge_bias_days:.1f} days"
                for entry in biased
                if entry.merge_bias_days >= 0.5
            )
        )
    for warning in result.warnings:
        out.print(f"[yellow]![/] {warning}")


def render_comparison(baseline: Forecast, variant: Forecast, label: str) -> None:
    """Print a what-if variant beside the baseline forecast.

    Usage: ``render_comparison(base, forecast(plan, drop=["strike"]), "without strike")``.
    """
    table = Table(title=f"What if: {label}", title_justify="left")
    for column in ("", "Baseline", label):
        table.add_column(column)
    table.add_row(
        "Ready by the summit date",
        f"{_percent(baseline.overall.ready_probability)} ({baseline.summit_date})",
        f"{_percent(variant.overall.ready_probability)} ({variant.summit_date})",
    )
    for level in ("p50", "p80", "p95"):
        table.add_row(
            f"{level.upper()} finish",
            str(getattr(baseline.overall, level).date),
            str(getattr(variant.overall, level).date),
        )
    variants = {stream.id: stream for stream in variant.workstreams}
    for stream in baseline.workstreams:
        other = variants[stream.id]
        table.add_row(
            f"{stream.name}: ready by deadline",
            f"{_percent(stream.ready_by_deadline)} {stream.light}",
            f"{_percent(other.ready_by_deadline)} {other.light}",
        )
    out.print(table)


def render_negotiation(
    plan: Plan, analysis: NegotiationAnalysis, profiles: Sequence[AdditiveProfile], basis: str
) -> None:
    """Print the agenda, the fair packages, the ZOPA, trade hints and the opening order.

    ``basis`` says whose positions were used, for the header line.
    Usage: ``render_negotiation(plan, analysis, profiles, "each delegation's own position")``.
    """
    names = party_names(plan, analysis)
    out.print(
        f"[bold]Negotiation analysis[/] — {len(analysis.agenda.items)} issues, "
        f"{analysis.space_size:,} packages; {basis}; frontier {analysis.frontier.method}"
    )
    agenda = Table(title="Agenda", title_justify="left")
    for column in ("Issue", "Impact", "Negotiation focus", *(f"{n} weight" for n in names)):
        agenda.add_column(column)
    for item in analysis.agenda.items:
        issue = plan.issues[item.id]
        weights = [f"{profile.weights.get(item.id, 0):g}" for profile in profiles]
        impact = issue.impact.value.capitalize() if issue.impact else "—"
        agenda.add_row(issue.name, impact, issue.focus or "—", *weights)
    out.print(agenda)
    fair = Table(title="Fair packages (points out of 100 per party)", title_justify="left")
    for column in ("Concept", "Package", *names):
        fair.add_column(column)
    for concept in FAIR_CONCEPTS:
        point = getattr(analysis, concept)
        if point.package is None:
            continue
        ties = f" (+{len(point.points) - 1} tied)" if len(point.points) > 1 else ""
        fair.add_row(
            CONCEPT_NAMES[concept] + ties,
            package_text(plan, point.package.as_dict()),
            *(f"{u:.1f}" for u in point.utilities),
        )
    zopa = analysis.zopa
    if zopa.exists:
        out.print(fair)
        low, high = zopa.interval
        share = (
            f"{zopa.fraction:.2%}" if low == high else f"{zopa.fraction:.2%} ({low:.2%}–{high:.2%})"
        )
        out.print(
            f"Zone of possible agreement: {share} of all packages ({zopa.method}); "
            f"{len(analysis.rational_frontier.points)} efficient packages beat every reservation "
            f"value; opposition {analysis.opposition.value:.2f}"
        )
        for zone in zopa.issues:
            issue = plan.issues[zone.issue]
            options = ", ".join(issue.options.get(o, o) for o in zone.options)
            out.print(f"  {issue.name}: {options}")
    else:
        out.print(
            "[bold red]No zone of possible agreement:[/] no package reaches every reservation "
            "value."
        )
    for hint in analysis.logrolling[:3]:
        first, second = (plan.parties[p].name for p in hint.parties)
        out.print(
            f"Trade: {first} gets its way on {plan.issues[hint.issues[0]].name}, {second} on "
            f"{plan.issues[hint.issues[1]].name} (+{hint.gains[0]:.1f} and +{hint.gains[1]:.1f} "
            "points over splitting both)"
        )
    order = " → ".join(plan.issues[i].name for i in analysis.sequencing.order)
    out.print(f"Suggested opening order: {order}")
    out.print(f"  ({analysis.sequencing.rule})")
    if analysis.robustness is not None:
        uncertain = ", ".join(plan.parties[p].name for p in analysis.robustness.ranges)
        out.print(
            f"Robustness to the weight ranges given for {uncertain} ({analysis.robustness.method}):"
        )
        for entry in analysis.robustness.concepts:
            name = CONCEPT_NAMES[entry.concept.replace("-", "_")]
            out.print(
                f"  {name} package: stays rational in {entry.stays_rational:.0%} of weightings, "
                f"efficient in {entry.stays_efficient:.0%}, still the {name} package in "
                f"{entry.stays_fair:.0%}"
            )
    assessment = analysis.assessment
    if assessment is not None:
        state = "efficient" if assessment.efficient else "not efficient"
        out.print(
            f"Given package: {', '.join(f'{u:.1f}' for u in assessment.utilities)} points — "
            f"{state}, {assessment.distance_to_frontier:.1f} points from the frontier"
        )
        for better in assessment.improvements[:3]:
            out.print(
                f"  improves for all: {package_text(plan, better.package.as_dict())} "
                f"({', '.join(f'{u:.1f}' for u in better.utilities)})"
            )


def render_proposal(package: ProposedPackage, score: OwnScore, party_name: str) -> None:
    """Print what the blind mediator releases to one delegation: the package, its own score.

    Usage: ``render_proposal(release.package.value, release.scores["north"].value, "Northland")``.
    """
    if package.package is None or score.score is None:
        out.print(f"For {party_name}: the mediator has no package that every side can accept.")
        return
    verdict = "meets" if score.reservation_met else "does not meet"
    out.print(f"[bold]For {party_name}[/]: the mediator proposes {package.wording}")
    out.print(f"  your score: {score.score:.1f} points ({verdict} your reservation value)")


def render_viewer(principal: Principal, plan: Plan, note: str = "") -> None:
    """Print, first, whose view the output shows.

    Usage: ``render_viewer(Principal.of("russia"), view)``.
    """
    if principal.is_keeper:
        who = "all (the whole plan file)"
    elif principal.reader == JOINT:
        who = "joint (what every party may read)"
    else:
        party = principal.party or ""
        who = f"{plan.parties[party].name} ({party})" if party in plan.parties else party
    cleared = f", cleared for {', '.join(sorted(principal.clearances))}"
    out.print(f"As {who}{cleared if principal.clearances else ''}{note}")


def render_scenarios(
    found: ScenarioSet,
    diagnostics: MatrixDiagnostics | None,
    risks: dict[int, list[str]],
    cycles: int,
) -> None:
    """Print the scenarios found, best first, with the risks each switches on.

    ``risks`` maps a scenario's position in ``found.scenarios`` to risk names.
    Usage: ``render_scenarios(find_scenarios(model), diagnose(model), {}, 0)``.
    """
    fixed = ", ".join(f"{d}={v}" for d, v in found.fixed)
    out.print(
        f"[bold]Scenarios[/] — {found.coverage}"
        + (f"; fixed: {fixed}" if fixed else "")
        + (f"; inconsistency up to {found.max_inconsistency}" if found.max_inconsistency else "")
    )
    if not found.scenarios:
        out.print("No scenario meets the consistency asked for.")
    for number, scenario in enumerate(found.scenarios, start=1):
        label = "consistent" if scenario.consistent else f"inconsistency {scenario.inconsistency}"
        out.print(
            f"{number}. total impact score {scenario.total_impact_score} ({label}): "
            + ", ".join(f"{d}={v}" for d, v in scenario.as_dict().items())
        )
        if number - 1 in risks:
            names = risks[number - 1]
            out.print(f"   switches on: {'; '.join(names) if names else 'no risk in the register'}")
    if cycles:
        out.print(f"Succession also ends in {cycles} cycle(s) of scenarios that never settle.")
    if diagnostics is not None and diagnostics.unused_variants:
        unused = ", ".join(f"{d}={v}" for d, v in diagnostics.unused_variants)
        out.print(f"Variants in no consistent scenario: {unused}")


def render_risks(rows: Sequence[RiskRow], scenario: str | None) -> None:
    """Print the risk register by exposure, with triggers and contingency decision points.

    Usage: ``render_risks(risk_register(plan, today), None)``.
    """
    title = "Risks by exposure" + (f", scenario {scenario} first" if scenario else "")
    table = Table(title=title, title_justify="left")
    columns = ["Risk", "P", "Exposure", "Trigger", "Contingency", "Decide by"]
    if scenario:
        columns.insert(0, "On")
    for column in columns:
        table.add_column(column)
    for row in rows:
        decide = "—"
        if row.decision_point is not None and row.days_to_decision is not None:
            left = row.days_to_decision
            decide = f"{row.decision_point} ({'passed' if left < 0 else f'{left} days'})"
        cells = [
            row.name,
            f"{row.probability:.0%}",
            f"{row.exposure:g}",
            row.trigger or "—",
            row.contingency or "—",
            decide,
        ]
        if scenario:
            cells.insert(0, "yes" if row.active_in_scenario else "")
        table.add_row(*cells)
    out.print(table)


def render_venues(analysis: VenueAnalysis, names: dict[str, str]) -> None:
    """Print screening, rankings per weight set, SMAA-2 acceptability and what flips the winner.

    Usage: ``render_venues(venue_analysis(plan), {v: plan.venues[v].name for v in plan.venues})``.
    """
    for out_venue in analysis.screening.screened_out:
        out.print(
            f"[yellow]Screened out[/] {names.get(out_venue.venue, out_venue.venue)}: "
            + "; ".join(out_venue.reasons)
        )
    table = Table(title="Ranking per weight set", title_justify="left")
    for column in (
        "Weights",
        "Weighted sum (min–max)",
        "TOPSIS (vector)",
        "PROMETHEE II (linear)",
    ):
        table.add_column(column)
    for result in analysis.weight_sets:
        rankings = (result.weighted_sum, result.topsis, result.promethee)
        table.add_row(
            result.name,
            *(
                " > ".join(names.get(v, v) for v in ranking.order) if ranking else "—"
                for ranking in rankings
            ),
        )
    out.print(table)
    if analysis.smaa is not None:
        smaa = Table(
            title=f"Rank acceptability over {analysis.smaa.samples:,} plausible weightings",
            title_justify="left",
        )
        smaa.add_column("Venue")
        for rank in range(len(analysis.smaa.venues)):
            smaa.add_column(f"Rank {rank + 1}")
        for row in analysis.smaa.venues:
            smaa.add_row(names.get(row.venue, row.venue), *(f"{share:.0%}" for share in row.ranks))
        out.print(smaa)
    joint = analysis.weight_sets[0] if analysis.weight_sets else None
    if joint is not None:
        changes = []
        for flip in joint.flips:
            for target, rival in ((flip.up_to, flip.up_rival), (flip.down_to, flip.down_rival)):
                if target is not None and rival is not None:
                    changes.append(
                        (abs(target - flip.share), flip.criterion, flip.share, target, rival)
                    )
        for _, criterion, share, target, rival in sorted(changes)[:3]:
            out.print(
                f"Under the {joint.name} weights {names.get(rival, rival)} would tie for first "
                f"if {criterion} went from {share:.0%} to {target:.0%} of the weight"
            )
        for reversal in joint.reversals:
            if reversal.swapped:
                pairs = ", ".join(
                    f"{names.get(a, a)}/{names.get(b, b)}" for a, b in reversal.swapped
                )
                out.print(
                    f"Rank reversal when {names.get(reversal.dropped, reversal.dropped)} is "
                    f"dropped: {pairs}"
                )
