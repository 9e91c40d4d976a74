"""The negotiation analysis for people: a chart, report lines, and the blind mediator's view."""

from __future__ import annotations

from typing import Any

from summitry.analysis.negotiation import NegotiationAnalysis
from summitry.domain.plan import Plan
from summitry.reports.charts import frontier_svg
from summitry.reports.document import Block, Figure, Paragraph, Table

FAIR_CONCEPTS = ("nash", "kalai_smorodinsky", "egalitarian", "max_welfare")
CONCEPT_NAMES = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "Egalitarian",
    "max_welfare": "Max welfare",
}


def party_names(plan: Plan, analysis: NegotiationAnalysis) -> list[str]:
    """Display names of the analysed parties, in analysis order.

    Usage: ``party_names(plan, analysis)``.
    """
    return [plan.parties[p].name if p in plan.parties else p for p in analysis.parties]


def package_text(plan: Plan, package: dict[str, str]) -> str:
    """A package in words: each issue's chosen option wording.

    Usage: ``package_text(plan, analysis.nash.package.as_dict())``.
    """
    parts = []
    for issue_id, option in package.items():
        issue = plan.issues.get(issue_id)
        wording = issue.options.get(option, option) if issue else option
        parts.append(f"{issue.name if issue else issue_id}: {wording}")
    return "; ".join(parts)


def frontier_figure(plan: Plan, analysis: NegotiationAnalysis, reservations: list[float]) -> Figure:
    """The frontier chart with the fair points.

    Usage: ``frontier_figure(plan, analysis, [p.reservation_value for p in profiles])``.
    """
    fair = [
        (CONCEPT_NAMES[name], point.utilities)
        for name in FAIR_CONCEPTS
        if (point := getattr(analysis, name)).utilities is not None
    ]
    svg = frontier_svg(
        party_names(plan, analysis),
        [point.utilities for point in analysis.frontier.points],
        fair,
        reservations,
        title="Efficient packages and fair points\n(dashed lines: reservation values)",
    )
    return Figure("negotiation-frontier", svg, "Negotiation frontier with the fair points")


def negotiation_document(analysis: NegotiationAnalysis) -> dict[str, Any]:
    """The analysis as a JSON-ready dict (the ``negotiate --json`` document body).

    Usage: ``json.dumps(negotiation_document(analysis))``.
    """
    zopa = analysis.zopa
    fair = {}
    for concept in FAIR_CONCEPTS:
        point = getattr(analysis, concept)
        fair[concept] = {
            "package": point.package.as_dict() if point.package else None,
            "utilities": list(point.utilities) if point.utilities else None,
            "value": point.value,
            "ties": len(point.points),
        }
    assessment = analysis.assessment
    return {
        "parties": list(analysis.parties),
        "space_size": analysis.space_size,
        "frontier": {
            "method": str(analysis.frontier.method),
            "points": [list(p.utilities) for p in analysis.frontier.points],
            "rational_points": len(analysis.rational_frontier.points),
        },
        "zopa": {
            "exists": zopa.exists,
            "fraction": zopa.fraction,
            "interval": list(zopa.interval),
            "method": str(zopa.method),
            "options": {issue: list(options) for issue, options in zopa.options.items()},
        },
        "fair": fair,
        "opposition": analysis.opposition.value,
        "logrolling": [
            {
                "parties": list(h.parties),
                "issues": list(h.issues),
                "options": list(h.options),
                "gains": list(h.gains),
            }
            for h in analysis.logrolling
        ],
        "sequencing": {"order": list(analysis.sequencing.order), "rule": analysis.sequencing.rule},
        "robustness": None
        if analysis.robustness is None
        else {
            "ranges": {
                p: {i: list(r) for i, r in v.items()} for p, v in analysis.robustness.ranges.items()
            },
            "method": str(analysis.robustness.method),
            "concepts": [
                {
                    "concept": c.concept,
                    "package": c.package.as_dict() if c.package else None,
                    "stays_rational": c.stays_rational,
                    "stays_efficient": c.stays_efficient,
                    "stays_fair": c.stays_fair,
                }
                for c in analysis.robustness.concepts
            ],
        },
        "assessment": None
        if assessment is None
        else {
            "package": assessment.package.as_dict(),
            "utilities": list(assessment.utilities),
            "rational": assessment.rational,
            "efficient": assessment.efficient,
            "distance_to_frontier": assessment.distance_to_frontier,
            "improvements": [
                {"package": p.package.as_dict(), "utilities": list(p.utilities)}
                for p in assessment.improvements
            ],
        },
    }


def negotiation_blocks(
    plan: Plan, analysis: NegotiationAnalysis, reservations: list[float], basis: str
) -> list[Block]:
    """The fair-package summary of a situation report, with the frontier chart.

    Usage: ``negotiation_blocks(view, analysis, [40, 35], "each delegation's own position")``.
    """
    names = party_names(plan, analysis)
    blocks: list[Block] = [Paragraph(f"Fair packages, computed from {basis}:")]
    if not analysis.zopa.exists:
        blocks.append(
            Paragraph("No package reaches every reservation value: no zone of agreement.")
        )
        return blocks
    rows = []
    for concept in FAIR_CONCEPTS:
        point = getattr(analysis, concept)
        if point.package is not None and point.utilities is not None:
            rows.append(
                (
                    CONCEPT_NAMES[concept],
                    package_text(plan, point.package.as_dict()),
                    *(f"{u:.1f}" for u in point.utilities),
                )
            )
    blocks.append(Table(("Concept", "Package", *names), tuple(rows)))
    order = " → ".join(plan.issues[i].name for i in analysis.sequencing.order)
    blocks.append(
        Paragraph(
            f"Zone of possible agreement: {analysis.zopa.fraction:.1%} of "
            f"{analysis.space_size:,} packages. Suggested opening order: {order}."
        )
    )
    blocks.append(frontier_figure(plan, analysis, reservations))
    return blocks
