"""The full situation report: the report builder fed with every analysis of one reader's view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from summitry.access.policy import Principal
from summitry.analysis.negotiation import analyse_negotiation, delegations, profiles_from_plan
from summitry.analysis.plan_scenarios import cib_model, risk_register, venue_analysis
from summitry.analysis.readiness import Forecast, forecast
from summitry.analysis.scenarios import find_scenarios
from summitry.domain.base import JOINT
from summitry.domain.plan import Plan
from summitry.errors import InputError
from summitry.reports.charts import acceptability_svg
from summitry.reports.document import Block, Bullets, Figure, Paragraph
from summitry.reports.negotiation_view import negotiation_blocks
from summitry.reports.readiness_view import forecast_figures, readiness_summary
from summitry.reports.sitrep import SituationReport, build_sitrep
from summitry.reports.snapshot import Snapshot


def full_report(
    view: Plan,
    day: dt.date,
    principal: Principal,
    last: Snapshot | None,
    version: str,
    *,
    forecasting: bool,
    seed: int = 0,
    run: Callable[..., Forecast] = forecast,
) -> SituationReport:
    """The situation report of a reader's view with every analysis the view allows.

    The readiness forecast (when there is work and ``forecasting``), the fair packages, the
    consistent scenarios and the venue analysis are all computed from ``view`` alone, so the
    report holds nothing the reader may not see. ``run`` runs the forecast (the CLI passes one
    with a progress bar). Usage: ``full_report(view, today, JOINT_READER, None,
    view_version(view), forecasting=True)``.
    """
    summary = None
    if forecasting and view.work_items():
        result = run(view, as_of=day, seed=seed)
        summary = readiness_summary(view, result, forecast_figures(view, result))
    return build_sitrep(
        view,
        as_of=day,
        principal=principal,
        previous=last,
        plan_version=version,
        readiness=summary,
        additions={
            "negotiation": _negotiation_summary(view, principal),
            "risks": _scenario_summary(view, day),
            "venue": _venue_summary(view),
        },
    )


def _scenario_summary(view: Plan, day: dt.date) -> list[Block]:
    """The consistent scenarios of the reader's view, with the risks each switches on."""
    if not view.descriptors:
        return []
    found = find_scenarios(cib_model(view)).consistent[:3]
    if not found:
        return [Paragraph("No consistent scenario in the scenario model.")]
    lines = []
    for scenario in found:
        risks = [row.name for row in risk_register(view, day, scenario) if row.active_in_scenario]
        lines.append(
            ", ".join(f"{d}={v}" for d, v in scenario.as_dict().items())
            + f" (total impact score {scenario.total_impact_score}; switches on "
            + (f"{len(risks)} risks: {'; '.join(risks)})" if risks else "no risk)")
        )
    return [Paragraph("Consistent scenarios, strongest first:"), Bullets(tuple(lines))]


def _venue_summary(view: Plan) -> list[Block]:
    """Screening and rank acceptability of the venues the reader may see."""
    if not view.venues or not view.venue_criteria:
        return []
    analysis = venue_analysis(view)
    names = {vid: venue.name for vid, venue in view.venues.items()}
    blocks: list[Block] = [
        Paragraph(f"Screened out: {names[row.venue]} ({'; '.join(row.reasons)}).")
        for row in analysis.screening.screened_out
    ]
    if analysis.smaa is not None and analysis.smaa.venues:
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
                acceptability_svg(
                    [(names[row.venue], row.ranks) for row in analysis.smaa.venues],
                    title="How often each venue takes each rank over plausible weightings",
                ),
                "Venue rank acceptability (SMAA-2)",
            )
        )
    return blocks


def _negotiation_summary(view: Plan, principal: Principal) -> list[Block]:
    """The fair packages the reader may see: computed from what is in their view only."""
    held_by = principal.party
    if principal.reader == JOINT:
        return [Paragraph("The delegations' positions are not joint material: no fair packages.")]
    try:
        parties = delegations(view)
        agenda, profiles = profiles_from_plan(view, parties, held_by=held_by)
    except InputError as err:
        return [Paragraph(f"No fair-package analysis in this view ({err}).")]
    analysis = analyse_negotiation(agenda, profiles)
    basis = (
        f"{view.parties[held_by].name}'s position and its estimates of the others"
        if held_by
        else "each delegation's own position"
    )
    reservations = [profile.reservation_value for profile in profiles]
    return negotiation_blocks(view, analysis, reservations, basis)
