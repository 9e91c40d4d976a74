"""Negotiation analysis: what should the parties agree to.

:func:`analyse_negotiation` takes an agenda and 2–6 additive scoring systems (see
:mod:`summitry.analysis.preferences`) and returns every result of the analysis as typed,
frozen values, each stating the size of the package space and whether it was computed exactly
or from a seeded sample:

- the Pareto frontier (all efficient packages) and the rational frontier
  (:mod:`summitry.analysis.frontier`: per-issue efficient sets merged with dominance pruning);
- the zone of possible agreement, its size and the options per issue that can be part of a
  rational deal (:mod:`summitry.analysis.zopa`);
- the Nash, Kalai–Smorodinsky, egalitarian and max-welfare points, the opposition level and,
  for a given package, its distances and post-settlement improvements
  (:mod:`summitry.analysis.fairness`);
- logrolling hints and an agenda-sequencing suggestion (:mod:`summitry.analysis.tradeoffs`);
- robustness of the fair packages to weight ranges (:mod:`summitry.analysis.robustness`).

:func:`profiles_from_plan` reads the agenda and positions of a summit plan.

Where summitry and NegMAS (0.16) differ
--------------------------------------
The definitions follow NegMAS's ``ops`` functions where they are sound. These are the
differences, each deliberate:

1. **Nash point with negative gains.** NegMAS's ``nash_points`` multiplies ``u - d`` over
   whatever frontier it is given, so a package where two parties both lose scores a positive
   product and can win. summitry maximises the product over rational packages only, where
   every gain is at least zero.
2. **Disagreement point.** NegMAS raises each party's disagreement point to its worst utility
   over all outcomes when the reserved value lies below it (or is missing). summitry measures
   gains from the reservation value as stated — that is what no deal is worth — and a plan
   position without one has 0.
3. **Ties.** NegMAS compares raw floats: its frontier keeps one outcome per utility point, and
   its fair points treat values within an absolute 1e-12 as tied, which means nothing on a
   0–100 scale and something else on 0–1. summitry adds utilities in fixed point with a
   resolution of 1e-7 points (1e-9 of the scale), so sums are exact, equality and dominance
   are exact on that grid, and every tied package is kept and counted.
4. **Opposition level.** NegMAS's ``opposition_level`` evaluates at most 10,000 sampled
   outcomes when given issues (an upper bound on large spaces), and all outcomes one by one in
   ``calc_scenario_stats``. summitry computes the same quantity — the distance from the ideal
   point to the nearest rational package, utilities divided by each party's best — exactly
   from the rational frontier, because the nearest package is always efficient.
5. **Kalai–Smorodinsky ideal point.** NegMAS takes each party's best over all outcomes.
   summitry takes its best over rational packages, as Kalai and Smorodinsky define the ideal
   over the individually rational set; the two agree when the reservation values cut off no
   party's best package. Both then minimise the spread of the normalised gains.
6. **Which packages are rational.** NegMAS's ``rational_fraction`` counts outcomes strictly
   above the reserved value while its frontier keeps those equal to it. summitry counts a
   package at exactly the reservation value as rational everywhere.
7. **Max-welfare over rational packages.** NegMAS's ``max_welfare_points`` sums utilities over
   the frontier it is given, rational or not; summitry looks at rational packages only.
8. **Frontier scope.** NegMAS's ``pareto_frontier`` drops irrational outcomes first, so it
   returns what summitry calls the rational frontier; summitry reports both.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from summitry.analysis.fairness import (
    FairPoint,
    FairPoints,
    Opposition,
    PackageAssessment,
    assess_package,
    fair_points,
    opposition_level,
)
from summitry.analysis.frontier import MAX_POINTS, Frontier, pareto_frontier
from summitry.analysis.preferences import (
    AdditiveProfile,
    Agenda,
    AgendaItem,
    LinkedTerm,
    Package,
    compile_space,
)
from summitry.analysis.robustness import ROBUSTNESS_SAMPLES, Robustness, WeightRanges, robustness
from summitry.analysis.tradeoffs import AgendaSequence, LogrollHint, logrolling_hints, sequencing
from summitry.analysis.zopa import EXACT_PAIRS, ZOPA_SAMPLES, Zopa, zone_of_agreement
from summitry.domain.agenda import Position
from summitry.domain.checks import suggest
from summitry.domain.plan import Plan
from summitry.errors import InputError


@dataclass(frozen=True, eq=False)
class NegotiationAnalysis:
    """Every result of one negotiation analysis.

    Usage: ``analysis.nash.package.as_dict()``; ``analysis.zopa.fraction``.
    """

    agenda: Agenda
    parties: tuple[str, ...]
    space_size: int
    frontier: Frontier
    rational_frontier: Frontier
    zopa: Zopa
    fair: FairPoints
    opposition: Opposition
    logrolling: tuple[LogrollHint, ...]
    sequencing: AgendaSequence
    assessment: PackageAssessment | None
    robustness: Robustness | None

    @property
    def nash(self) -> FairPoint:
        """The Nash bargaining point(s).

        Usage: ``analysis.nash.utilities``.
        """
        return self.fair.nash

    @property
    def kalai_smorodinsky(self) -> FairPoint:
        """The Kalai–Smorodinsky point(s).

        Usage: ``analysis.kalai_smorodinsky.package``.
        """
        return self.fair.kalai_smorodinsky

    @property
    def egalitarian(self) -> FairPoint:
        """The egalitarian (max–min gain) point(s); NegMAS's "Kalai" point.

        Usage: ``analysis.egalitarian.value``.
        """
        return self.fair.egalitarian

    @property
    def max_welfare(self) -> FairPoint:
        """The max-welfare point(s).

        Usage: ``analysis.max_welfare.points``.
        """
        return self.fair.max_welfare


def analyse_negotiation(
    agenda: Agenda,
    profiles: Sequence[AdditiveProfile],
    *,
    package: Mapping[str, str] | Package | None = None,
    weight_ranges: WeightRanges | None = None,
    seed: int = 0,
    samples: int = ZOPA_SAMPLES,
    robustness_samples: int = ROBUSTNESS_SAMPLES,
    max_points: int = MAX_POINTS,
    exact_pairs: int = EXACT_PAIRS,
) -> NegotiationAnalysis:
    """Analyse a negotiation: frontier, ZOPA, fair points, opposition, hints and sequencing.

    ``package`` (issue id → option id) is assessed against the frontier and the fair points;
    ``weight_ranges`` (party → issue → (low, high) points) adds the robustness analysis.
    ``seed`` and ``samples`` govern every estimate; ``max_points`` and ``exact_pairs`` bound
    the exact frontier merge and the exact ZOPA count. Bad input raises
    :class:`~summitry.errors.InputError`; a reservation value above every package is not an
    error (the ZOPA is empty and there are no fair points).

    Usage: ``analyse_negotiation(Agenda.of({"a": ["x", "y"]}), [north, south]).nash.package``.
    """
    space = compile_space(agenda, profiles)
    chosen = agenda.package(package) if isinstance(package, Mapping) else package
    if chosen is not None and chosen.issues != agenda.issue_ids:
        raise InputError("package: its issues are not the agenda's")
    frontier = pareto_frontier(space, max_points=max_points, samples=samples, seed=seed)
    rational = frontier.rational()
    fair = fair_points(rational)
    hints = logrolling_hints(space)
    return NegotiationAnalysis(
        agenda=agenda,
        parties=space.parties,
        space_size=space.size,
        frontier=frontier,
        rational_frontier=rational,
        zopa=zone_of_agreement(
            space, rational, exact_pairs=exact_pairs, samples=samples, seed=seed
        ),
        fair=fair,
        opposition=opposition_level(rational),
        logrolling=hints,
        sequencing=sequencing(space, hints),
        assessment=assess_package(frontier, fair, chosen) if chosen is not None else None,
        robustness=(
            robustness(space, fair, weight_ranges, samples=robustness_samples, seed=seed)
            if weight_ranges
            else None
        ),
    )


def profiles_from_plan(
    plan: Plan,
    parties: Sequence[str],
    held_by: str | None = None,
    issues: Collection[str] | None = None,
) -> tuple[Agenda, list[AdditiveProfile]]:
    """The agenda and one scoring system per party, read from a plan's issues and positions.

    The agenda holds the plan's issues that have options, in plan order. For each party the
    position ``about`` it is used: the one it holds itself, or — when ``held_by`` names a
    delegation — the one that delegation holds (its own position for itself, its estimate for
    the others). A missing reservation value counts as 0 points. ``issues`` limits the agenda
    to those issues (the blind mediation keeps to issues every mediated party may read).

    Usage: ``agenda, profiles = profiles_from_plan(plan, ["north", "south"], held_by="north")``.
    """
    if held_by is not None and held_by not in plan.parties:
        raise InputError(f"unknown party '{held_by}'{suggest(held_by, plan.parties)}")
    items = tuple(
        AgendaItem(iid, tuple(issue.options), tuple(issue.options.values()), issue.name)
        for iid, issue in plan.issues.items()
        if issue.options and (issues is None or iid in issues)
    )
    if not items:
        raise InputError("issues: no agenda issue has options to negotiate")
    agenda = Agenda(items)
    profiles: list[AdditiveProfile] = []
    for party in parties:
        pid, position = _position_about(plan, party, held_by)
        profiles.append(
            AdditiveProfile(
                party=party,
                weights={iid: scored.weight for iid, scored in position.issues.items()},
                scores={iid: dict(scored.scores) for iid, scored in position.issues.items()},
                reservation_value=position.reservation_value or 0.0,
                linked=tuple(
                    LinkedTerm(
                        link.issue, link.option, link.with_issue, link.with_option, link.points
                    )
                    for link in position.linked
                ),
                batna=position.batna,
                source=f"positions.{pid}",
            )
        )
    return agenda, profiles


def _position_about(plan: Plan, party: str, held_by: str | None) -> tuple[str, Position]:
    """The position about ``party`` held by ``held_by`` (by the party itself when None)."""
    if party not in plan.parties:
        raise InputError(f"unknown party '{party}'{suggest(party, plan.parties)}")
    holder = held_by if held_by is not None else party
    found = [
        (pid, pos)
        for pid, pos in plan.positions.items()
        if pos.about == party and pos.held_by == holder
    ]
    if not found:
        raise InputError(f"positions: '{holder}' holds no position about '{party}'")
    if len(found) > 1:
        names = ", ".join(f"'{pid}'" for pid, _ in found)
        raise InputError(f"positions: {names} are all held by '{holder}' about '{party}'; keep one")
    return found[0]


def weight_ranges(
    plan: Plan, parties: Sequence[str], held_by: str | None = None
) -> dict[str, dict[str, tuple[float, float]]]:
    """The weight ranges the chosen positions give (party → issue → (low, high) points).

    Issues without a range keep their weight fixed; parties without any range are left out.
    Usage: ``analyse_negotiation(agenda, profiles, weight_ranges=weight_ranges(plan, parties))``.
    """
    ranges: dict[str, dict[str, tuple[float, float]]] = {}
    for party in parties:
        _, position = _position_about(plan, party, held_by)
        if any(scored.weight_range for scored in position.issues.values()):
            ranges[party] = {
                iid: scored.weight_range or (scored.weight, scored.weight)
                for iid, scored in position.issues.items()
            }
    return ranges


def delegations(plan: Plan) -> list[str]:
    """The plan's delegations: the parties a negotiation analysis takes by default.

    Usage: ``delegations(plan)`` gives ``["russia", "united-states"]`` for the example.
    """
    found = [pid for pid, party in plan.parties.items() if party.kind == "delegation"]
    if len(found) < 2:
        raise InputError("parties: fewer than two delegations; name the parties to analyse")
    return found


def negotiation(
    plan: Plan,
    parties: Sequence[str] | None = None,
    *,
    held_by: str | None = None,
    package: Mapping[str, str] | None = None,
    seed: int = 0,
) -> NegotiationAnalysis:
    """Analyse a plan's agenda from its positions (each party's own, or ``held_by``'s view).

    Usage: ``summitry.negotiation(plan).nash.package.as_dict()``.
    """
    chosen = parties or delegations(plan)
    agenda, profiles = profiles_from_plan(plan, chosen, held_by=held_by)
    ranges = weight_ranges(plan, chosen, held_by)
    return analyse_negotiation(
        agenda, profiles, package=package, seed=seed, weight_ranges=ranges or None
    )
