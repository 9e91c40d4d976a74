"""Terminal rendering of scenarios, the risk register and the venue analysis."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from summitry.console import out
from summitry.services.viewmodels import NO_OPEN_RISKS

if TYPE_CHECKING:
    from summitry.analysis.risks import RiskRow
    from summitry.analysis.scenarios import EnsembleComparison, MatrixDiagnostics, ScenarioSet
    from summitry.analysis.venues import VenueAnalysis


def render_scenarios(
    found: ScenarioSet,
    diagnostics: MatrixDiagnostics | None,
    risks: dict[int, list[str]],
    cycles: int | None,
    notes: Sequence[str] = (),
) -> None:
    """Print the scenarios found, best first, with the risks each switches on.

    ``risks`` maps a scenario's position in ``found.scenarios`` to risk names; ``cycles`` is
    None when succession analysis did not run; ``notes`` say what a time limit cut short.
    Usage: ``render_scenarios(find_scenarios(model), diagnose(model), {}, 0)``.
    """
    fixed = ", ".join(f"{d}={v}" for d, v in found.fixed)
    out.print(
        f"[bold]Scenarios[/] — {escape(found.coverage)}"
        + (f"; fixed: {escape(fixed)}" if fixed else "")
        + (f"; inconsistency up to {found.max_inconsistency}" if found.max_inconsistency else "")
    )
    if not found.scenarios:
        out.print("No scenario meets the consistency asked for.")
    for number, scenario in enumerate(found.scenarios, start=1):
        label = "consistent" if scenario.consistent else f"inconsistency {scenario.inconsistency}"
        out.print(
            f"{number}. total impact score {scenario.total_impact_score} ({label}): "
            + escape(_choices(scenario.as_dict()))
        )
        if number - 1 in risks:
            names = "; ".join(risks[number - 1]) or "no risk in the register"
            out.print(f"   switches on: {names}", markup=False)
    if cycles:
        out.print(f"Succession also ends in {cycles} cycle(s) of scenarios that never settle.")
    if diagnostics is not None and diagnostics.unused_variants:
        unused = ", ".join(f"{d}={v}" for d, v in diagnostics.unused_variants)
        out.print(f"Variants in no consistent scenario: {escape(unused)}")
    _partial(found, notes)


def render_ensemble(ensemble: EnsembleComparison) -> None:
    """Print how many experts support each scenario, then the search on the summed matrix.

    Usage: ``render_ensemble(compare_ensemble([alice, bob], experts=["alice", "bob"]))``.
    """
    experts = len(ensemble.experts)
    out.print(f"[bold]{experts} experts[/]; consistent for all: {len(ensemble.consensus)}")
    for entry in ensemble.scenarios[:10]:
        out.print(f"  {entry.support}/{experts}: {_choices(entry.as_dict())}", markup=False)
    render_scenarios(ensemble.summed, None, {}, 0)
    if not ensemble.complete:
        space = ensemble.searched_size
        each = ", ".join(
            f"{name} {_share(done, space)}"
            for name, done in zip(ensemble.experts, ensemble.searched, strict=True)
        )
        out.print(
            f"[bold yellow]Partial result:[/] the time limit stopped the experts' searches "
            f"({escape(each)} of {space:,} scenarios); support counts cover only what each "
            "searched",
        )


def _choices(chosen: dict[str, str]) -> str:
    return ", ".join(f"{d}={v}" for d, v in chosen.items())


def _share(done: int, total: int) -> str:
    return f"{done:,} ({done / total:.1%})" if total else f"{done:,}"


def _partial(found: ScenarioSet, notes: Sequence[str]) -> None:
    """Say, last and plainly, that a time limit cut the result short, and how much it covered.

    The coverage is repeated here because with many scenarios listed the header has scrolled
    away by the time the reader gets to the end.
    """
    if not found.complete:
        covered = escape(found.coverage.removeprefix("partial: "))
        out.print(f"[bold yellow]Partial result:[/] {covered}")
    for note in notes:
        out.print(f"  note: {note}", markup=False)


def render_risks(rows: Sequence[RiskRow], scenario: str | None) -> None:
    """Print the risk register by exposure, with triggers and contingency decision points.

    Usage: ``render_risks(risk_register(plan, today), None)``.
    """
    if not rows:
        out.print(NO_OPEN_RISKS, markup=False)
        return
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
            escape(row.name),
            f"{row.probability:.0%}",
            f"{row.exposure:g}",
            escape(row.trigger or "—"),
            escape(row.contingency or "—"),
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
            f"[yellow]Screened out[/] {escape(names.get(out_venue.venue, out_venue.venue))}: "
            + escape("; ".join(out_venue.reasons))
        )
    # Ids keep a ranking on one line; the acceptability table below gives the names.
    table = Table(title="Ranking per weight set (venue ids, best first)", title_justify="left")
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
            escape(result.name),
            *(escape(" > ".join(ranking.order)) if ranking else "—" for ranking in rankings),
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
            smaa.add_row(
                escape(names.get(row.venue, row.venue)), *(f"{share:.0%}" for share in row.ranks)
            )
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
                f"if {criterion} went from {share:.0%} to {target:.0%} of the weight",
                markup=False,
            )
        for reversal in joint.reversals:
            if reversal.swapped:
                pairs = ", ".join(
                    f"{names.get(a, a)}/{names.get(b, b)}" for a, b in reversal.swapped
                )
                out.print(
                    f"Rank reversal when {names.get(reversal.dropped, reversal.dropped)} is "
                    f"dropped: {pairs}",
                    markup=False,
                )
