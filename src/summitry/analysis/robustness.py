"""How far the fair packages hold up when another party's weights are only known as ranges.

When a position is our estimate of the other side, its issue weights are often a range
("between 20 and 35 points"). Weightings are drawn uniformly from the set of weights inside
the ranges that sum to 100 (the issues without a range keep their weight); for each drawing
the frontier and fair points are recomputed, and each fair package of the nominal analysis is
checked: is it still rational, still efficient, still the fair point of its concept (among
the tied optima)? The shares over all drawings are reported with the sample size and seed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from summitry.analysis.dominance import dominated_by_any
from summitry.analysis.fairness import CONCEPTS, FairPoints, optimal_rows
from summitry.analysis.frontier import pareto_frontier
from summitry.analysis.preferences import (
    WEIGHT_TOTAL,
    FloatArray,
    Method,
    Package,
    ScoredSpace,
)
from summitry.domain.checks import suggest
from summitry.errors import InputError

ROBUSTNESS_SAMPLES = 200
"""Weightings drawn by default."""

WeightRanges = Mapping[str, Mapping[str, tuple[float, float]]]
"""Party to issue to (lowest, highest) weight in points."""


@dataclass(frozen=True)
class ConceptRobustness:
    """How often one fair package stays rational, efficient and fair across the drawings."""

    concept: str
    package: Package | None
    stays_rational: float
    stays_efficient: float
    stays_fair: float


@dataclass(frozen=True)
class Robustness:
    """The fair packages' robustness to the weight ranges given for some parties.

    Usage: ``{c.concept: c.stays_fair for c in analysis.robustness.concepts}``.
    """

    ranges: dict[str, dict[str, tuple[float, float]]]
    concepts: tuple[ConceptRobustness, ...]
    space_size: int
    method: Method


def robustness(
    space: ScoredSpace,
    fair: FairPoints,
    ranges: WeightRanges,
    *,
    samples: int = ROBUSTNESS_SAMPLES,
    seed: int = 0,
) -> Robustness:
    """Share of sampled weightings under which each fair package stays rational/efficient/fair.

    Usage: ``robustness(space, fair, {"south": {"trade": (20, 40), "security": (60, 80)}})``.
    """
    rng = np.random.default_rng(seed)
    draws = {
        space.parties.index(party): _draw_weights(space, party, table, samples, rng)
        for party, table in _checked(space, ranges).items()
    }
    bases = [point.package for point in fair.all()]
    base_rows = np.array(
        [p.indices if p is not None else [0] * len(space.agenda.items) for p in bases],
        dtype=np.int64,
    )
    tallies = np.zeros((len(CONCEPTS), 3), dtype=np.int64)
    for draw in range(samples):
        varied = space
        for party, weights in draws.items():
            varied = varied.reweighted(party, weights[draw])
        frontier = pareto_frontier(varied, seed=seed)
        rational_units = frontier.units[np.all(frontier.units >= varied.reservation, axis=1)]
        base_units = varied.evaluate(base_rows)
        rational = np.all(base_units >= varied.reservation, axis=1)
        efficient = ~dominated_by_any(base_units, frontier.units)
        for c, concept in enumerate(CONCEPTS):
            if bases[c] is None:
                continue
            rows = optimal_rows(concept, rational_units, varied.reservation)
            optimum = rational_units[rows]
            is_fair = bool(np.any(np.all(optimum == base_units[c], axis=1)))
            tallies[c] += (int(rational[c]), int(efficient[c]), int(is_fair))
    share = tallies / samples
    concepts = tuple(
        ConceptRobustness(
            concept,
            bases[c],
            float(share[c, 0]) if bases[c] is not None else 0.0,
            float(share[c, 1]) if bases[c] is not None else 0.0,
            float(share[c, 2]) if bases[c] is not None else 0.0,
        )
        for c, concept in enumerate(CONCEPTS)
    )
    plain = {party: dict(table) for party, table in ranges.items()}
    return Robustness(plain, concepts, space.size, Method.sampled(samples, seed, "weightings"))


def _checked(space: ScoredSpace, ranges: WeightRanges) -> WeightRanges:
    issues = space.agenda.issue_ids
    for party, table in ranges.items():
        if party not in space.parties:
            hint = suggest(party, space.parties)
            raise InputError(f"weight ranges: unknown party '{party}'{hint}")
        for issue, (low, high) in table.items():
            where = f"weight ranges: '{party}' issue '{issue}'"
            if issue not in issues:
                raise InputError(f"weight ranges: unknown issue '{issue}'{suggest(issue, issues)}")
            if not (math.isfinite(low) and math.isfinite(high) and 0 <= low <= high <= 100):
                raise InputError(
                    f"{where}: range {low:g}–{high:g} must lie within 0–100, low first"
                )
    return ranges


def _draw_weights(
    space: ScoredSpace,
    party: str,
    table: Mapping[str, tuple[float, float]],
    samples: int,
    rng: np.random.Generator,
) -> FloatArray:
    p = space.parties.index(party)
    ids = space.agenda.issue_ids
    nominal = space.weights[p]
    varied = [ids.index(issue) for issue in table]
    low = np.array([table[ids[i]][0] for i in varied], dtype=np.float64)
    high = np.array([table[ids[i]][1] for i in varied], dtype=np.float64)
    fixed = float(nominal.sum() - nominal[varied].sum())
    room = WEIGHT_TOTAL - fixed - low.sum()
    if room < -1e-9 or WEIGHT_TOTAL - fixed > high.sum() + 1e-9:
        raise InputError(
            f"weight ranges: the ranges given for '{party}' cannot make its weights sum to 100"
        )
    room = max(room, 0.0)
    width = high - low
    out = np.tile(nominal, (samples, 1))
    if len(varied) == 0:
        return out
    if len(varied) == 1:
        out[:, varied[0]] = WEIGHT_TOTAL - fixed
        return out

    # Uniform on {low <= w <= high, sum w = 100}: draw uniformly either on the box (all but one
    # weight, the last taking the rest) or on the simplex (shares of the room), rejecting what
    # falls outside; whichever accepts more often in a trial batch is used.
    def box(n: int) -> FloatArray:
        free = rng.uniform(0.0, 1.0, size=(n, len(varied) - 1)) * width[:-1]
        last = room - free.sum(axis=1, keepdims=True)
        extra: FloatArray = np.concatenate([free, last], axis=1)
        return extra

    def simplex(n: int) -> FloatArray:
        extra: FloatArray = rng.dirichlet(np.ones(len(varied)), size=n) * room
        return extra

    def accepted(extra: FloatArray) -> FloatArray:
        ok = np.all((extra >= -1e-9) & (extra <= width + 1e-9), axis=1)
        kept: FloatArray = extra[ok]
        return kept

    trial = 4096
    rates = [len(accepted(draw(trial))) for draw in (box, simplex)]
    draw = box if rates[0] >= rates[1] else simplex
    if max(rates) == 0:
        raise InputError(
            f"weight ranges: the ranges given for '{party}' leave almost no weightings "
            "that sum to 100"
        )
    chunks: list[FloatArray] = []
    have = 0
    while have < samples:
        kept = accepted(draw(trial))
        chunks.append(kept)
        have += len(kept)
    extra = np.concatenate(chunks)[:samples]
    out[:, varied] = low + np.clip(extra, 0.0, width)
    # Clipping away rounding noise must not move the total off 100.
    out[:, varied[-1]] += WEIGHT_TOTAL - out.sum(axis=1)
    return out
