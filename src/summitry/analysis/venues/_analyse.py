"""The whole venue analysis at once: screen, rank per weight set, then test robustness."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from summitry.analysis.venues._input import (
    check_criteria,
    decision_matrix,
    normalise_weights,
    screen,
)
from summitry.analysis.venues._ranking import promethee_ii, topsis, weighted_sum
from summitry.analysis.venues._robustness import SMAA_SAMPLES, rank_reversals, smaa2, winner_flips
from summitry.analysis.venues._types import (
    Criterion,
    DecisionMatrix,
    Normalisation,
    PreferenceFunction,
    Requirements,
    VenueAnalysis,
    VenueOption,
    WeightSetResult,
)
from summitry.errors import InputError


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
