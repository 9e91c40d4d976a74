"""Venue selection: screening on hard requirements, rankings and how robust they are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from summitry.access.labels import Label
from summitry.services.source import PlanSource, read_view, result_label

if TYPE_CHECKING:
    from summitry.access.policy import Principal
    from summitry.analysis.venues import VenueAnalysis
    from summitry.domain.plan import Plan

ACCEPTABILITY_TITLE = "How often each venue takes each rank over plausible weightings"


@dataclass(frozen=True)
class VenueOutcome:
    """The venue analysis of a view, with venue names and the acceptability chart's rows."""

    view: Plan
    analysis: VenueAnalysis
    names: dict[str, str]
    label: Label

    @property
    def acceptability(self) -> list[tuple[str, tuple[float, ...]]]:
        """Each venue's share of weightings per rank, best first (the SMAA-2 chart's rows)."""
        if self.analysis.smaa is None:
            return []
        return [(self.names[row.venue], tuple(row.ranks)) for row in self.analysis.smaa.venues]


def venues(source: PlanSource | Plan, principal: Principal, *, seed: int = 0) -> VenueOutcome:
    """Screen and rank the venues the reader may see, with the preferences the reader may see.

    Usage: ``venues(Path("summit.toml"), Principal.of("russia")).analysis.smaa``.
    """
    from summitry.access.views import view_of
    from summitry.analysis.venues import venue_analysis
    from summitry.domain.plan import Plan

    view = view_of(source, principal) if isinstance(source, Plan) else read_view(source, principal)
    analysis = venue_analysis(view, seed=seed)
    names = {vid: venue.name for vid, venue in view.venues.items()}
    return VenueOutcome(view, analysis, names, result_label(view, "venues"))


def acceptability_chart(outcome: VenueOutcome) -> str | None:
    """The SMAA-2 rank-acceptability chart (SVG) of a venue outcome; None without one.

    Usage: ``Path("venues.svg").write_text(acceptability_chart(outcome) or "")``.
    """
    from summitry.reports.charts import acceptability_svg

    rows = outcome.acceptability
    return acceptability_svg(rows, title=ACCEPTABILITY_TITLE) if rows else None
