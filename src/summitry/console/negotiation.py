"""Terminal rendering of the negotiation analysis and of the blind mediator's release."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from summitry.console import out
from summitry.reports.negotiation_view import (
    CONCEPT_NAMES,
    FAIR_CONCEPTS,
    package_text,
    party_names,
)

ZOPA_SHOWN = 3
"""Options named per issue of the zone of agreement; the rest are counted."""

if TYPE_CHECKING:
    from summitry.access.release import OwnScore, ProposedPackage
    from summitry.analysis.negotiation import NegotiationAnalysis
    from summitry.analysis.preferences import AdditiveProfile
    from summitry.domain.plan import Plan


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
        f"{analysis.space_size:,} packages; {escape(basis)}; frontier {analysis.frontier.method}"
    )
    agenda = Table(title="Agenda", title_justify="left")
    for column in ("Issue", "Impact", "Negotiation focus", *(f"{n} weight" for n in names)):
        agenda.add_column(escape(column))
    for item in analysis.agenda.items:
        issue = plan.issues[item.id]
        weights = [f"{profile.weights.get(item.id, 0):g}" for profile in profiles]
        impact = issue.impact.value.capitalize() if issue.impact else "—"
        agenda.add_row(escape(issue.name), impact, escape(issue.focus or "—"), *weights)
    out.print(agenda)
    fair = Table(title="Fair packages (points out of 100 per party)", title_justify="left")
    for column in ("Concept", "Package", *names):
        fair.add_column(escape(column))
    for concept in FAIR_CONCEPTS:
        point = getattr(analysis, concept)
        if point.package is None:
            continue
        ties = f" (+{len(point.points) - 1} tied)" if len(point.points) > 1 else ""
        fair.add_row(
            CONCEPT_NAMES[concept] + ties,
            escape(package_text(plan, point.package.as_dict())),
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
            if len(zone.options) == len(issue.options):
                out.print(f"  {issue.name}: any of its {len(issue.options)} options", markup=False)
                continue
            shown = ", ".join(issue.options.get(o, o) for o in zone.options[:ZOPA_SHOWN])
            more = ", …" if len(zone.options) > ZOPA_SHOWN else ""
            count = f"{len(zone.options)} of {len(issue.options)} options"
            out.print(f"  {issue.name}: {count} ({shown}{more})", markup=False)
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
            "points over splitting both)",
            markup=False,
        )
    order = " → ".join(plan.issues[i].name for i in analysis.sequencing.order)
    out.print(f"Suggested opening order: {order}", markup=False)
    out.print(f"  ({analysis.sequencing.rule})", markup=False)
    if analysis.robustness is not None:
        uncertain = ", ".join(plan.parties[p].name for p in analysis.robustness.ranges)
        method = analysis.robustness.method
        out.print(
            f"Robustness to the weight ranges given for {uncertain} ({method}):", markup=False
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
        names = party_names(plan, analysis)
        out.print(
            f"Given package: {_scores(names, assessment.utilities)} — "
            f"{state}, {assessment.distance_to_frontier:.1f} points from the frontier",
            markup=False,
        )
        for better in assessment.improvements[:3]:
            out.print(
                f"  improves for all: {package_text(plan, better.package.as_dict())} "
                f"({_scores(names, better.utilities)})",
                markup=False,
            )


def _scores(names: Sequence[str], utilities: Sequence[float]) -> str:
    """Points with the party they belong to: ``Northland 57.0, Southland 60.5 points``."""
    return ", ".join(f"{name} {u:.1f}" for name, u in zip(names, utilities, strict=True)) + (
        " points"
    )


def render_proposal(package: ProposedPackage, score: OwnScore, party_name: str) -> None:
    """Print what the blind mediator releases to one delegation: the package, its own score.

    Usage: ``render_proposal(release.package.value, release.scores["north"].value, "Northland")``.
    """
    if package.package is None or score.score is None:
        out.print(
            f"For {party_name}: the mediator has no package that every side can accept.",
            markup=False,
        )
        return
    verdict = "meets" if score.reservation_met else "does not meet"
    out.print(f"[bold]For {escape(party_name)}[/]: the mediator proposes {escape(package.wording)}")
    out.print(f"  your score: {score.score:.1f} points ({verdict} your reservation value)")
