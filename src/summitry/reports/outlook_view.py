"""Scenarios and venues for people: the situation report's lines and chart, from results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from summitry.reports.charts import acceptability_svg
from summitry.reports.document import Block, Bullets, Figure, Paragraph

if TYPE_CHECKING:
    from summitry.analysis.scenarios import Scenario
    from summitry.services.venues import VenueOutcome

SCENARIOS_SHOWN = 3


def scenario_blocks(found: Sequence[Scenario], risks: Mapping[int, list[str]]) -> list[Block]:
    """The strongest consistent scenarios with the risks each switches on.

    ``risks`` is keyed by the scenario's index in ``found``.
    Usage: ``scenario_blocks(found.consistent, switched_on(view, found.consistent, day))``.
    """
    if not found:
        return [Paragraph("No consistent scenario in the scenario model.")]
    lines = []
    for index, scenario in enumerate(found[:SCENARIOS_SHOWN]):
        names = risks.get(index, [])
        lines.append(
            ", ".join(f"{d}={v}" for d, v in scenario.as_dict().items())
            + f" (total impact score {scenario.total_impact_score}; switches on "
            + (f"{len(names)} risks: {'; '.join(names)})" if names else "no risk)")
        )
    return [Paragraph("Consistent scenarios, strongest first:"), Bullets(tuple(lines))]


def venue_blocks(outcome: VenueOutcome, chart_title: str) -> list[Block]:
    """Venues screened out with their reasons, and the rank acceptability with its chart.

    Usage: ``venue_blocks(venues(path, principal), ACCEPTABILITY_TITLE)``.
    """
    analysis, names = outcome.analysis, outcome.names
    blocks: list[Block] = [
        Paragraph(f"Screened out: {names[row.venue]} ({'; '.join(row.reasons)}).")
        for row in analysis.screening.screened_out
    ]
    rows = outcome.acceptability
    if analysis.smaa is not None and rows:
        best = analysis.smaa.venues[0]
        blocks.append(
            Paragraph(
                f"{names[best.venue]} ranks first in {best.first:.0%} of plausible weightings "
                f"of the criteria ({analysis.smaa.samples:,} sampled)."
            )
        )
        blocks.append(
            Figure(
                "venue-acceptability",
                acceptability_svg(rows, title=chart_title),
                "Venue rank acceptability (SMAA-2)",
            )
        )
    return blocks
