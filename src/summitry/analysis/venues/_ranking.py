"""The ranking methods: weighted sum, TOPSIS (vector or min-max) and PROMETHEE II."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from summitry.analysis.venues._input import normalise_weights
from summitry.analysis.venues._types import (
    DecisionMatrix,
    FloatArray,
    Method,
    Normalisation,
    PreferenceFunction,
    RankedVenue,
    Ranking,
)
from summitry.errors import InputError

_TIE = 1e-12
"""Scores closer than this (relative to their scale) count as a tie when ranking."""


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
