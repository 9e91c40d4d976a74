"""Checking the venue analysis input: hard-constraint screening, the decision matrix, weights."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from summitry.analysis.venues._types import (
    Criterion,
    DecisionMatrix,
    FloatArray,
    Requirements,
    ScreenedOut,
    Screening,
    VenueOption,
)
from summitry.errors import InputError


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
