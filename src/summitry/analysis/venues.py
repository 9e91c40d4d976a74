"""Venue selection: hard-constraint screening, then multi-criteria ranking and its robustness.

Screening comes first: a venue that lacks a required facility (secure communication lines,
diplomatic facilities), is too small, or is vetoed by a delegation as not neutral is out, and
the reason is kept. The remaining venues are ranked per weight set (one per delegation and a
joint one) by

- **weighted sum** of min-max normalised scores (benefit: ``(x - min) / (max - min)``, cost:
  ``(max - x) / (max - min)``; a criterion on which all venues score alike counts 0);
- **TOPSIS** (closeness to the ideal venue) with the normalisation stated: ``"vector"`` divides
  each criterion by its Euclidean norm (Hwang and Yoon's textbook form, our default) and
  ``"minmax"`` uses the min-max form above (pymcdm's default). The two can put a different
  venue first on the same data, so every ranking names its normalisation;
- optionally **PROMETHEE II** net flows with the usual or the linear preference function.

Robustness: **SMAA-2** rank-acceptability indices (the share of plausible weightings, sampled
uniformly on the simplex or within weight intervals, in which each venue takes each rank),
central weights and confidence factors; a **rank-reversal** check that drops each venue in turn
and re-ranks; and, per criterion, the **smallest weight change that flips the winner** of the
weighted sum, found exactly by solving the linear condition (other weights scaled to keep the
total).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from summitry.domain.venues import Venue
from summitry.errors import InputError

Direction = Literal["benefit", "cost"]
Normalisation = Literal["vector", "minmax"]
Method = Literal["weighted-sum", "topsis", "promethee-ii"]
PreferenceFunction = Literal["usual", "linear"]
FloatArray = npt.NDArray[np.float64]

SMAA_SAMPLES = 10_000
"""Weight samples SMAA-2 draws unless told otherwise (sampling error about +-0.5 points)."""

_TIE = 1e-12
"""Scores closer than this (relative to their scale) count as a tie when ranking."""


@dataclass(frozen=True)
class Criterion:
    """A criterion venues are scored on, and whether more of it is better (benefit) or worse."""

    name: str
    direction: Direction = "benefit"


@dataclass(frozen=True)
class VenueOption:
    """A candidate venue as the analysis sees it: scores, capacity and met hard constraints."""

    name: str
    scores: Mapping[str, float]
    capacity: int | None = None
    constraints: Mapping[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class Requirements:
    """Hard constraints every venue must meet to be ranked at all.

    ``required`` names constraints a venue must record as true; ``vetoes`` maps a delegation
    to the venues it cannot accept (for instance as not neutral).
    """

    required: tuple[str, ...] = ()
    min_capacity: int | None = None
    vetoes: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class ScreenedOut:
    """A venue removed by screening, with every reason (not just the first)."""

    venue: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Screening:
    """Venues that passed screening (input order) and those screened out with reasons."""

    passed: tuple[str, ...]
    screened_out: tuple[ScreenedOut, ...]


@dataclass(frozen=True)
class DecisionMatrix:
    """Venues x criteria scores with each criterion's direction, validated and complete."""

    venues: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    scores: tuple[tuple[float, ...], ...]

    @property
    def array(self) -> FloatArray:
        """The scores as a (venues, criteria) float array."""
        return np.array(self.scores, dtype=np.float64).reshape(len(self.venues), -1)

    @property
    def benefit(self) -> npt.NDArray[np.bool_]:
        """True for criteria where more is better."""
        return np.array([c.direction == "benefit" for c in self.criteria], dtype=np.bool_)

    def without(self, venue: str) -> DecisionMatrix:
        """The same matrix with one venue left out.

        Usage: ``matrix.without("geneva")``.
        """
        keep = [i for i, v in enumerate(self.venues) if v != venue]
        return DecisionMatrix(
            tuple(self.venues[i] for i in keep), self.criteria, tuple(self.scores[i] for i in keep)
        )


@dataclass(frozen=True)
class RankedVenue:
    """One venue's score and rank (1 is best; tied scores share the better rank)."""

    venue: str
    score: float
    rank: int


@dataclass(frozen=True)
class Ranking:
    """Venues best first under one method, normalisation and weight set."""

    method: Method
    normalisation: str
    weight_set: str
    venues: tuple[RankedVenue, ...]

    @property
    def winner(self) -> str:
        """The venue ranked first (the first listed on a tie)."""
        return self.venues[0].venue

    @property
    def order(self) -> tuple[str, ...]:
        """Venue names best first."""
        return tuple(v.venue for v in self.venues)


@dataclass(frozen=True)
class Acceptability:
    """SMAA-2 results for one venue.

    ``ranks[r]`` is the share of sampled weightings in which the venue takes rank r + 1;
    ``central_weights`` is the mean weighting that makes it first (None if none does);
    ``confidence`` is the share of score samples in which it is first at its central weights
    (1 or 0 without score uncertainty; None if it is never first).
    """

    venue: str
    ranks: tuple[float, ...]
    central_weights: Mapping[str, float] | None
    confidence: float | None

    @property
    def first(self) -> float:
        """Share of plausible weightings in which this venue ranks first."""
        return self.ranks[0]


@dataclass(frozen=True)
class SmaaResult:
    """SMAA-2 rank acceptability of every venue, most often first listed first.

    Utilities are weighted sums of min-max normalised scores; ``weights`` says how the
    weightings were sampled and ``samples`` how many (the sampling error of a share p is
    about ``sqrt(p (1 - p) / samples)``).
    """

    samples: int
    weights: str
    venues: tuple[Acceptability, ...]

    def sentence(self, venue: str) -> str:
        """One line a principal can read: how often the venue ranks first.

        Usage: ``smaa.sentence("geneva")`` gives "geneva ranks first in 62 % of plausible
        weightings".
        """
        for row in self.venues:
            if row.venue == venue:
                return f"{venue} ranks first in {row.first:.0%} of plausible weightings".replace(
                    "%", " %"
                )
        raise InputError(f"no venue '{venue}' in the SMAA result")


@dataclass(frozen=True)
class RankReversal:
    """What changed when one venue was dropped and the rest re-ranked.

    ``swapped`` lists pairs (a, b) where a ranked above b with the venue present and below it
    without; an empty tuple means no rank reversal.
    """

    dropped: str
    winner_before: str
    winner_after: str
    swapped: tuple[tuple[str, str], ...]

    @property
    def winner_changed(self) -> bool:
        """Whether dropping the venue changed which venue comes first (other than itself)."""
        return self.winner_before != self.dropped and self.winner_before != self.winner_after


@dataclass(frozen=True)
class WeightFlip:
    """The smallest one-criterion weight change that hands first place to another venue.

    Shares are of the total weight; the other criteria keep their proportions. ``up_to`` is
    the share at which raising this criterion's weight lets ``up_rival`` tie the winner (beyond
    it the rival wins); ``down_to`` and ``down_rival`` likewise for lowering. None means no
    change in that direction flips the winner.
    """

    criterion: str
    share: float
    up_to: float | None
    up_rival: str | None
    down_to: float | None
    down_rival: str | None

    @property
    def smallest_change(self) -> float | None:
        """The smaller of the two changes in share points, or None if neither flips."""
        options = [abs(s - self.share) for s in (self.up_to, self.down_to) if s is not None]
        return min(options) if options else None


@dataclass(frozen=True)
class WeightSetResult:
    """Rankings, reversals and flips for one weight set (a delegation's or the joint one)."""

    name: str
    weights: Mapping[str, float]
    weighted_sum: Ranking
    topsis: Ranking
    promethee: Ranking | None
    reversals: tuple[RankReversal, ...]
    flips: tuple[WeightFlip, ...]


@dataclass(frozen=True)
class VenueAnalysis:
    """Everything `analyse_venues` found: screening, per-weight-set results and SMAA-2."""

    screening: Screening
    matrix: DecisionMatrix
    weight_sets: tuple[WeightSetResult, ...]
    smaa: SmaaResult | None


# --------------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------------


def screen(venues: Sequence[VenueOption], requirements: Requirements) -> Screening:
    """Apply the hard constraints and keep every reason a venue fails.

    A required constraint the venue does not record counts as not met ("not recorded").
    Usage: ``screen(venues, Requirements(required=("secure-communications",), min_capacity=120))``.
    """
    names = {v.name for v in venues}
    for delegation, vetoed in requirements.vetoes.items():
        for name in vetoed:
            if name not in names:
                raise InputError(f"vetoes of '{delegation}': no venue '{name}'")
    passed: list[str] = []
    out: list[ScreenedOut] = []
    for venue in venues:
        reasons: list[str] = []
        for constraint in requirements.required:
            met = venue.constraints.get(constraint)
            if met is None:
                reasons.append(f"{constraint}: not recorded")
            elif not met:
                reasons.append(f"{constraint}: not met")
        if requirements.min_capacity is not None:
            if venue.capacity is None:
                reasons.append(f"capacity unknown (at least {requirements.min_capacity} needed)")
            elif venue.capacity < requirements.min_capacity:
                reasons.append(
                    f"capacity {venue.capacity} below the {requirements.min_capacity} needed"
                )
        for delegation, vetoed in requirements.vetoes.items():
            if venue.name in vetoed:
                reasons.append(f"not acceptable to {delegation}")
        if reasons:
            out.append(ScreenedOut(venue.name, tuple(reasons)))
        else:
            passed.append(venue.name)
    return Screening(tuple(passed), tuple(out))


def check_criteria(criteria: Sequence[Criterion]) -> None:
    """Refuse an empty or repeated criterion list, or a direction other than benefit or cost.

    Usage: ``check_criteria([Criterion("security"), Criterion("cost", "cost")])``.
    """
    if not criteria:
        raise InputError("venue analysis needs at least one criterion")
    seen: set[str] = set()
    for criterion in criteria:
        if criterion.name in seen:
            raise InputError(f"criterion '{criterion.name}' is listed twice")
        if criterion.direction not in ("benefit", "cost"):
            raise InputError(
                f"criterion '{criterion.name}': direction must be 'benefit' or 'cost', "
                f"not '{criterion.direction}'"
            )
        seen.add(criterion.name)


def venue_options(venues: Iterable[Venue]) -> list[VenueOption]:
    """Turn plan venues into analysis input, named by their ids.

    Usage: ``venue_options(plan.venues.values())``.
    """
    return [VenueOption(v.id, dict(v.scores), v.capacity, dict(v.constraints)) for v in venues]


def decision_matrix(venues: Sequence[VenueOption], criteria: Sequence[Criterion]) -> DecisionMatrix:
    """Check that every venue scores every criterion and build the matrix.

    Usage: ``decision_matrix(venues, [Criterion("security"), Criterion("cost", "cost")])``.
    """
    check_criteria(criteria)
    if not venues:
        raise InputError("venue analysis needs at least one venue")
    names: set[str] = set()
    rows: list[tuple[float, ...]] = []
    for venue in venues:
        if venue.name in names:
            raise InputError(f"venue '{venue.name}' is listed twice")
        names.add(venue.name)
        row: list[float] = []
        for criterion in criteria:
            if criterion.name not in venue.scores:
                raise InputError(f"venue '{venue.name}': no score for criterion '{criterion.name}'")
            value = float(venue.scores[criterion.name])
            if not math.isfinite(value):
                raise InputError(
                    f"venue '{venue.name}': score for '{criterion.name}' is not a finite number"
                )
            row.append(value)
        rows.append(tuple(row))
    return DecisionMatrix(tuple(v.name for v in venues), tuple(criteria), tuple(rows))


def normalise_weights(
    matrix: DecisionMatrix, weights: Mapping[str, float], *, name: str = "weights"
) -> FloatArray:
    """Check a weight set (every criterion, none negative, not all zero) and scale it to sum 1.

    Usage: ``normalise_weights(matrix, {"security": 5, "cost": 3, "access": 2})``.
    """
    known = [c.name for c in matrix.criteria]
    for key in weights:
        if key not in known:
            raise InputError(f"{name}: '{key}' is not a criterion (criteria: {', '.join(known)})")
    values = []
    for criterion in known:
        if criterion not in weights:
            raise InputError(f"{name}: no weight for criterion '{criterion}'")
        value = float(weights[criterion])
        if not math.isfinite(value) or value < 0:
            raise InputError(
                f"{name}: weight of '{criterion}' is {weights[criterion]}; weights must be 0 or "
                "more"
            )
        values.append(value)
    vector = np.array(values, dtype=np.float64)
    if vector.sum() <= 0:
        raise InputError(f"{name}: all weights are zero; give at least one a positive weight")
    normalised: FloatArray = vector / vector.sum()
    return normalised


# --------------------------------------------------------------------------------------------
# Ranking methods
# --------------------------------------------------------------------------------------------


def minmax_normalised(matrix: DecisionMatrix) -> FloatArray:
    """Scores scaled to 0..1 per criterion, 1 best (cost criteria turned around).

    Usage: ``minmax_normalised(matrix)[i, j]``.
    """
    return _minmax(matrix.array, matrix.benefit)


def _minmax(
    scores: FloatArray,
    benefit: npt.NDArray[np.bool_],
    low: FloatArray | None = None,
    high: FloatArray | None = None,
) -> FloatArray:
    low = scores.min(axis=0) if low is None else low
    high = scores.max(axis=0) if high is None else high
    span = high - low
    safe = np.where(span > 0, span, 1.0)
    scaled = np.where(benefit, scores - low, high - scores) / safe
    out: FloatArray = np.where(span > 0, scaled, 0.0)
    return out


def _ranking(
    matrix: DecisionMatrix,
    values: FloatArray,
    method: Method,
    normalisation: str,
    weight_set: str,
) -> Ranking:
    order = sorted(range(len(values)), key=lambda i: (-values[i], i))
    scale = max(1.0, float(np.abs(values).max()))
    ranked: list[RankedVenue] = []
    for position, i in enumerate(order):
        rank = position + 1
        if ranked and abs(ranked[-1].score - values[i]) <= _TIE * scale:
            rank = ranked[-1].rank
        ranked.append(RankedVenue(matrix.venues[i], float(values[i]), rank))
    return Ranking(method, normalisation, weight_set, tuple(ranked))


def weighted_sum(
    matrix: DecisionMatrix, weights: Mapping[str, float], *, weight_set: str = "joint"
) -> Ranking:
    """Rank by the weighted sum of min-max normalised scores (0 worst .. 1 best).

    Usage: ``weighted_sum(matrix, {"security": 5, "cost": 3}).winner``.
    """
    w = normalise_weights(matrix, weights, name=f"weights '{weight_set}'")
    return _ranking(matrix, minmax_normalised(matrix) @ w, "weighted-sum", "minmax", weight_set)


def topsis(
    matrix: DecisionMatrix,
    weights: Mapping[str, float],
    *,
    normalisation: Normalisation = "vector",
    weight_set: str = "joint",
) -> Ranking:
    """Rank by TOPSIS closeness ``d- / (d+ + d-)`` to the ideal and anti-ideal venues.

    ``normalisation="vector"`` divides each criterion by its Euclidean norm (the textbook form);
    ``"minmax"`` uses min-max scaling. The winner can differ between them.
    Usage: ``topsis(matrix, weights, normalisation="vector").order``.
    """
    w = normalise_weights(matrix, weights, name=f"weights '{weight_set}'")
    return _ranking(
        matrix, topsis_closeness(matrix, w, normalisation), "topsis", normalisation, weight_set
    )


def topsis_closeness(
    matrix: DecisionMatrix, weights: FloatArray, normalisation: Normalisation = "vector"
) -> FloatArray:
    """TOPSIS closeness of every venue for normalised weights (an array summing to 1).

    Usage: ``topsis_closeness(matrix, np.array([0.5, 0.3, 0.2]))``.
    """
    scores = matrix.array
    benefit = matrix.benefit
    if normalisation == "vector":
        norms = np.sqrt((scores**2).sum(axis=0))
        scaled = scores / np.where(norms > 0, norms, 1.0)
        weighted = scaled * weights
        ideal = np.where(benefit, weighted.max(axis=0), weighted.min(axis=0))
        worst = np.where(benefit, weighted.min(axis=0), weighted.max(axis=0))
    elif normalisation == "minmax":
        # Min-max already turns cost criteria around, so the ideal is the maximum everywhere.
        weighted = _minmax(scores, benefit) * weights
        ideal = weighted.max(axis=0)
        worst = weighted.min(axis=0)
    else:
        raise InputError(
            f"TOPSIS normalisation must be 'vector' or 'minmax', not '{normalisation}'"
        )
    to_ideal = np.sqrt(((weighted - ideal) ** 2).sum(axis=1))
    to_worst = np.sqrt(((weighted - worst) ** 2).sum(axis=1))
    total = to_ideal + to_worst
    # All venues identical: every one is as close to the ideal as it can be.
    closeness: FloatArray = np.where(total > 0, to_worst / np.where(total > 0, total, 1.0), 1.0)
    return closeness


def promethee_ii(
    matrix: DecisionMatrix,
    weights: Mapping[str, float],
    *,
    preference: PreferenceFunction = "usual",
    thresholds: Mapping[str, tuple[float, float]] | None = None,
    weight_set: str = "joint",
) -> Ranking:
    """Rank by PROMETHEE II net outranking flow (from -1 to +1).

    ``"usual"``: any advantage is a full preference. ``"linear"``: preference rises from 0 at
    the indifference threshold q to 1 at the preference threshold p, per criterion in its own
    units (``thresholds[criterion] = (q, p)``; default q = 0 and p = the criterion's range).
    Usage: ``promethee_ii(matrix, weights, preference="linear", thresholds={"cost": (5, 40)})``.
    """
    w = normalise_weights(matrix, weights, name=f"weights '{weight_set}'")
    return _ranking(
        matrix,
        promethee_flows(matrix, w, preference, thresholds),
        "promethee-ii",
        f"none ({preference} preference)",
        weight_set,
    )


def promethee_flows(
    matrix: DecisionMatrix,
    weights: FloatArray,
    preference: PreferenceFunction = "usual",
    thresholds: Mapping[str, tuple[float, float]] | None = None,
) -> FloatArray:
    """PROMETHEE II net flows for normalised weights.

    Usage: ``promethee_flows(matrix, np.array([0.5, 0.5]), "linear")``.
    """
    scores = matrix.array
    count = len(matrix.venues)
    if count < 2:
        return np.zeros(count)
    sign = np.where(matrix.benefit, 1.0, -1.0)
    # advantage[a, b, c]: how much better venue a is than b on criterion c.
    advantage = (scores[:, None, :] - scores[None, :, :]) * sign
    if preference == "usual":
        prefer = (advantage > 0).astype(np.float64)
    elif preference == "linear":
        q, p = _thresholds(matrix, thresholds)
        prefer = np.clip((advantage - q) / np.where(p > q, p - q, 1.0), 0.0, 1.0)
        prefer = np.where(p > q, prefer, (advantage > q).astype(np.float64))
    else:
        raise InputError(f"preference function must be 'usual' or 'linear', not '{preference}'")
    index = prefer @ weights
    flows: FloatArray = (index.sum(axis=1) - index.sum(axis=0)) / (count - 1)
    return flows


def _thresholds(
    matrix: DecisionMatrix, thresholds: Mapping[str, tuple[float, float]] | None
) -> tuple[FloatArray, FloatArray]:
    scores = matrix.array
    q = np.zeros(len(matrix.criteria))
    p = scores.max(axis=0) - scores.min(axis=0)
    names = [c.name for c in matrix.criteria]
    for key, (low, high) in (thresholds or {}).items():
        if key not in names:
            raise InputError(
                f"thresholds: '{key}' is not a criterion (criteria: {', '.join(names)})"
            )
        if not 0 <= low <= high:
            raise InputError(
                f"thresholds of '{key}': need 0 <= q <= p, got q = {low} and p = {high}"
            )
        q[names.index(key)] = low
        p[names.index(key)] = high
    return q, p


def rank(
    matrix: DecisionMatrix,
    weights: Mapping[str, float],
    method: Method,
    *,
    normalisation: Normalisation = "vector",
    weight_set: str = "joint",
) -> Ranking:
    """Rank with a method named by string (weighted sum always uses min-max).

    Usage: ``rank(matrix, weights, "topsis", normalisation="minmax")``.
    """
    if method == "weighted-sum":
        return weighted_sum(matrix, weights, weight_set=weight_set)
    if method == "topsis":
        return topsis(matrix, weights, normalisation=normalisation, weight_set=weight_set)
    if method == "promethee-ii":
        return promethee_ii(matrix, weights, weight_set=weight_set)
    raise InputError(f"unknown ranking method '{method}'")


# --------------------------------------------------------------------------------------------
# Robustness
# --------------------------------------------------------------------------------------------


def sample_weights(
    criteria: Sequence[str],
    samples: int,
    *,
    intervals: Mapping[str, tuple[float, float]] | None = None,
    seed: int = 0,
) -> FloatArray:
    """Weight vectors uniform on the simplex, or on its part within share intervals.

    Lower bounds are met exactly by sampling the smaller simplex above them; upper bounds by
    rejection. Intervals that leave almost no room are an `InputError`.
    Usage: ``sample_weights(["security", "cost"], 10_000, intervals={"security": (0.3, 0.7)})``.
    """
    if samples < 1:
        raise InputError(f"SMAA needs at least one sample, not {samples}")
    count = len(criteria)
    low = np.zeros(count)
    high = np.ones(count)
    for key, (a, b) in (intervals or {}).items():
        if key not in criteria:
            raise InputError(
                f"weight intervals: '{key}' is not a criterion (criteria: {', '.join(criteria)})"
            )
        if not 0 <= a <= b <= 1:
            raise InputError(
                f"weight interval of '{key}': need 0 <= low <= high <= 1 (shares of the total), "
                f"got {a} to {b}"
            )
        low[list(criteria).index(key)] = a
        high[list(criteria).index(key)] = b
    free = 1.0 - low.sum()
    if free < -1e-12 or high.sum() < 1 - 1e-12:
        raise InputError(
            f"weight intervals: the lower bounds sum to {low.sum():.3g} and the upper bounds to "
            f"{high.sum():.3g}; shares must be able to sum to 1"
        )
    rng = np.random.default_rng(seed)
    kept: list[FloatArray] = []
    have = 0
    drawn = 0
    bounded = bool((high < 1).any())
    while have < samples:
        batch = max(samples - have, 1024) * (4 if bounded else 1)
        # Normalised exponentials are uniform on the simplex (a flat Dirichlet).
        raw = rng.exponential(size=(batch, count))
        weights = low + max(free, 0.0) * raw / raw.sum(axis=1, keepdims=True)
        if bounded:
            weights = weights[(weights <= high + 1e-12).all(axis=1)]
        kept.append(weights)
        have += len(weights)
        drawn += batch
        if drawn >= 1000 * samples and have < samples:
            raise InputError(
                "weight intervals leave too small a part of the possible weightings "
                f"(accepted {have} of {drawn} draws); widen them"
            )
    out: FloatArray = np.concatenate(kept)[:samples]
    return out


def smaa2(
    matrix: DecisionMatrix,
    *,
    samples: int = SMAA_SAMPLES,
    seed: int = 0,
    weight_intervals: Mapping[str, tuple[float, float]] | None = None,
    score_uncertainty: Mapping[str, float] | None = None,
) -> SmaaResult:
    """SMAA-2 rank-acceptability indices, central weights and confidence factors.

    Utilities are weighted sums of min-max normalised scores. Weights are drawn uniformly on
    the simplex, or within ``weight_intervals`` (shares of the total). ``score_uncertainty``
    gives a half-width per criterion (in its units): scores are then drawn uniformly within
    +- that much, which makes confidence factors informative.
    Usage: ``smaa2(matrix, samples=10_000).sentence("geneva")``.
    """
    names = [c.name for c in matrix.criteria]
    weights = sample_weights(names, samples, intervals=weight_intervals, seed=seed)
    rng = np.random.default_rng(seed + 1)
    scores = matrix.array
    benefit = matrix.benefit
    spread = np.zeros(len(names))
    for key, value in (score_uncertainty or {}).items():
        if key not in names:
            raise InputError(f"score uncertainty: '{key}' is not a criterion")
        if not math.isfinite(value) or value < 0:
            raise InputError(f"score uncertainty of '{key}' must be 0 or more, not {value}")
        spread[names.index(key)] = value
    # Fixed bounds keep the value model affine in the scores, so a score drawn as x + e
    # normalises to norm(x) + e * slope and only the uncertain criteria need sampling.
    low = scores.min(axis=0) - spread
    high = scores.max(axis=0) + spread
    nominal = _minmax(scores, benefit, low, high)
    utility = weights @ nominal.T
    noisy = np.flatnonzero(spread > 0)
    shifts: FloatArray | None = None
    if len(noisy):
        span = np.where(high - low > 0, high - low, 1.0)
        slope = np.where(benefit, 1.0, -1.0) / span
        unit = rng.uniform(-1.0, 1.0, size=(samples, len(matrix.venues), len(noisy)))
        shifts = unit * (spread * slope)[noisy]
        utility = utility + (shifts * weights[:, None, noisy]).sum(axis=2)
    count = len(matrix.venues)
    order, position = _ranked(utility)
    accept = (
        np.bincount((order * count + position).ravel(), minlength=count * count).reshape(
            count, count
        )
        / samples
    )
    sample, place = np.nonzero(position == 0)
    winners = order[sample, place]
    firsts = np.bincount(winners, minlength=count)
    totals = np.stack(
        [
            np.bincount(winners, weights=weights[sample, j], minlength=count)
            for j in range(len(names))
        ]
    )
    central = totals / np.where(firsts > 0, firsts, 1)
    confidence = _confidence(nominal, shifts, noisy, central, firsts > 0)
    rows = []
    for i, venue in enumerate(matrix.venues):
        if firsts[i] == 0:
            rows.append(Acceptability(venue, tuple(float(x) for x in accept[i]), None, None))
            continue
        rows.append(
            Acceptability(
                venue,
                tuple(float(x) for x in accept[i]),
                {name: float(central[j, i]) for j, name in enumerate(names)},
                float(confidence[i]),
            )
        )
    rows.sort(key=lambda r: tuple(-x for x in r.ranks))
    described = (
        "uniform on the simplex"
        if not weight_intervals
        else "uniform within the weight intervals "
        + ", ".join(f"{k} {a:.0%}-{b:.0%}" for k, (a, b) in weight_intervals.items())
    )
    return SmaaResult(samples, described, tuple(rows))


def _confidence(
    nominal: FloatArray,
    shifts: FloatArray | None,
    noisy: npt.NDArray[np.intp],
    central: FloatArray,
    chosen: npt.NDArray[np.bool_],
) -> FloatArray:
    """Share of score samples in which each venue is first at its own central weights."""
    out = np.zeros(nominal.shape[0])
    for i in np.flatnonzero(chosen):
        values = nominal @ central[:, i]
        if shifts is None:
            out[i] = float(values[i] >= values.max() - _TIE)
            continue
        sampled = values + shifts @ central[noisy, i]
        out[i] = float((sampled[:, i] >= sampled.max(axis=1) - _TIE).mean())
    return out


def _ranked(utility: FloatArray) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Per sample, venues best first and the 0-based rank of each place (ties share the better).

    Sorting in single precision halves the time of the step that dominates SMAA; it can only
    merge utilities closer than about 1e-7, far below the sampling error.
    """
    compact = utility.astype(np.float32)
    order = np.argsort(-compact, axis=1)
    places = np.arange(utility.shape[1])
    # A plain sort is several times faster than gathering by `order`, so it finds the ties.
    ascending = np.sort(compact, axis=1)
    tied_rows = np.flatnonzero((ascending[:, 1:] == ascending[:, :-1]).any(axis=1))
    if not len(tied_rows):
        return order, np.broadcast_to(places, utility.shape)
    position = np.empty(utility.shape, dtype=np.intp)
    position[:] = places
    ordered = np.take_along_axis(compact[tied_rows], order[tied_rows], axis=1)
    fresh = np.ones(ordered.shape, dtype=np.bool_)
    fresh[:, 1:] = ordered[:, 1:] < ordered[:, :-1]
    position[tied_rows] = np.maximum.accumulate(np.where(fresh, places, 0), axis=1)
    return order, position


def rank_reversals(
    matrix: DecisionMatrix,
    weights: Mapping[str, float],
    method: Method = "topsis",
    *,
    normalisation: Normalisation = "vector",
    weight_set: str = "joint",
) -> tuple[RankReversal, ...]:
    """Drop each venue in turn, re-rank the rest, and report pairs whose order reversed.

    Usage: ``[r for r in rank_reversals(matrix, weights) if r.swapped]``.
    """
    before = rank(matrix, weights, method, normalisation=normalisation, weight_set=weight_set)
    position = {v.venue: v.rank for v in before.venues}
    out = []
    for dropped in matrix.venues:
        if len(matrix.venues) < 3:
            break
        after = rank(
            matrix.without(dropped),
            weights,
            method,
            normalisation=normalisation,
            weight_set=weight_set,
        )
        now = {v.venue: v.rank for v in after.venues}
        rest = [v for v in before.order if v != dropped]
        swapped = tuple(
            (a, b)
            for i, a in enumerate(rest)
            for b in rest[i + 1 :]
            if position[a] < position[b] and now[a] > now[b]
        )
        out.append(RankReversal(dropped, before.winner, after.winner, swapped))
    return tuple(out)


def winner_flips(
    matrix: DecisionMatrix, weights: Mapping[str, float], *, weight_set: str = "joint"
) -> tuple[WeightFlip, ...]:
    """Per criterion, the smallest change of its weight share that changes the weighted-sum winner.

    With share s for criterion c and the others scaled to fill 1 - s, each rival's utility gap
    to the winner is linear in s, so the share at which it catches up is the root of a linear
    equation; the nearest root on each side of the current share is the answer.
    Usage: ``min(winner_flips(matrix, weights), key=lambda f: f.smallest_change or 2)``.
    """
    w = normalise_weights(matrix, weights, name=f"weights '{weight_set}'")
    values = minmax_normalised(matrix)
    winner = int(np.argmax(values @ w))
    flips = []
    for c, criterion in enumerate(matrix.criteria):
        up: tuple[float, int] | None = None
        down: tuple[float, int] | None = None
        rest = 1.0 - w[c]
        for b in range(len(matrix.venues)):
            if b == winner:
                continue
            gain = values[b, c] - values[winner, c]
            if rest <= 0:
                continue
            # Gap of rival b at share s: s * gain + (1 - s) * other, where `other` is the gap
            # from the remaining criteria at their current proportions.
            other = float(((values[b] - values[winner]) @ w - w[c] * gain) / rest)
            if math.isclose(gain, other, abs_tol=1e-15):
                continue
            root = other / (other - gain)
            if not 0 <= root <= 1:
                continue
            if root > w[c] + 1e-15 and (up is None or root < up[0]):
                up = (root, b)
            if root < w[c] - 1e-15 and (down is None or root > down[0]):
                down = (root, b)
        flips.append(
            WeightFlip(
                criterion=criterion.name,
                share=float(w[c]),
                up_to=None if up is None else float(up[0]),
                up_rival=None
                if up is None
                else _new_winner(matrix, values, w, c, up[0], 1e-9, winner),
                down_to=None if down is None else float(down[0]),
                down_rival=None
                if down is None
                else _new_winner(matrix, values, w, c, down[0], -1e-9, winner),
            )
        )
    return tuple(flips)


def _new_winner(
    matrix: DecisionMatrix,
    values: FloatArray,
    w: FloatArray,
    c: int,
    share: float,
    nudge: float,
    winner: int,
) -> str:
    # Several rivals can catch up at the same share; the one ahead just past it is the winner.
    moved = reweighted(w, c, min(max(share + nudge, 0.0), 1.0))
    utility = values @ moved
    utility[winner] = -np.inf
    return matrix.venues[int(np.argmax(utility))]


def reweighted(weights: FloatArray, criterion: int, share: float) -> FloatArray:
    """Set one criterion's share and scale the others to fill the rest (their proportions kept).

    Usage: ``reweighted(np.array([0.5, 0.3, 0.2]), 0, 0.6)``.
    """
    rest = 1.0 - weights[criterion]
    out = weights * ((1.0 - share) / rest) if rest > 0 else np.zeros_like(weights)
    out[criterion] = share
    result: FloatArray = out
    return result


def weight_envelope(
    matrix: DecisionMatrix, weight_sets: Mapping[str, Mapping[str, float]]
) -> dict[str, tuple[float, float]]:
    """Per criterion, the lowest and highest share any weight set gives it (SMAA intervals).

    Usage: ``smaa2(matrix, weight_intervals=weight_envelope(matrix, {"north": n, "south": s}))``.
    """
    shares = np.array(
        [normalise_weights(matrix, ws, name=f"weights '{k}'") for k, ws in weight_sets.items()]
    )
    return {
        c.name: (float(shares[:, j].min()), float(shares[:, j].max()))
        for j, c in enumerate(matrix.criteria)
    }


# --------------------------------------------------------------------------------------------
# Everything at once
# --------------------------------------------------------------------------------------------


def analyse_venues(
    venues: Sequence[VenueOption],
    criteria: Sequence[Criterion],
    requirements: Requirements,
    weight_sets: Mapping[str, Mapping[str, float]],
    *,
    normalisation: Normalisation = "vector",
    promethee: PreferenceFunction | None = None,
    samples: int = SMAA_SAMPLES,
    seed: int = 0,
    weight_intervals: Mapping[str, tuple[float, float]] | None = None,
) -> VenueAnalysis:
    """Screen, then rank the remaining venues per weight set and test how robust that is.

    SMAA-2 runs once on the screened venues with weights uniform on the simplex unless
    ``weight_intervals`` narrows them (see `weight_envelope`). Only venues that pass screening
    need a score on every criterion. With no venue left the rankings and SMAA are empty.
    Usage: ``analyse_venues(venues, criteria, Requirements(min_capacity=100), {"joint": w})``.
    """
    if not weight_sets:
        raise InputError("venue analysis needs at least one weight set")
    check_criteria(criteria)
    screening = screen(venues, requirements)
    kept = [v for v in venues if v.name in set(screening.passed)]
    if not kept:
        empty = DecisionMatrix((), tuple(criteria), ())
        return VenueAnalysis(screening, empty, (), None)
    matrix = decision_matrix(kept, criteria)
    results = []
    for name, weights in weight_sets.items():
        w = normalise_weights(matrix, weights, name=f"weights '{name}'")
        results.append(
            WeightSetResult(
                name=name,
                weights={c.name: float(w[j]) for j, c in enumerate(matrix.criteria)},
                weighted_sum=weighted_sum(matrix, weights, weight_set=name),
                topsis=topsis(matrix, weights, normalisation=normalisation, weight_set=name),
                promethee=None
                if promethee is None
                else promethee_ii(matrix, weights, preference=promethee, weight_set=name),
                reversals=rank_reversals(
                    matrix, weights, "topsis", normalisation=normalisation, weight_set=name
                ),
                flips=winner_flips(matrix, weights, weight_set=name),
            )
        )
    smaa = smaa2(matrix, samples=samples, seed=seed, weight_intervals=weight_intervals)
    return VenueAnalysis(screening, matrix, tuple(results), smaa)
