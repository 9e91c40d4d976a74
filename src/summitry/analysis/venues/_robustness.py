"""How robust a ranking is: SMAA-2, rank reversals and the weight changes that flip the winner."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from summitry.analysis.venues._input import normalise_weights
from summitry.analysis.venues._ranking import _TIE, _minmax, minmax_normalised, rank
from summitry.analysis.venues._types import (
    Acceptability,
    DecisionMatrix,
    FloatArray,
    Method,
    Normalisation,
    RankReversal,
    SmaaResult,
    WeightFlip,
)
from summitry.errors import InputError

SMAA_SAMPLES = 10_000
"""Weight samples SMAA-2 draws unless told otherwise (sampling error about +-0.5 points)."""


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
