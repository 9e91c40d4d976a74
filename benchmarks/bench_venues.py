"""Benchmark: SMAA-2 rank acceptability and TOPSIS for venue selection.

SMAA-2: summitry's vectorised sampler and ranker against a plain loop that ranks one weight
sample at a time (what a direct transcription of the method does), on 50 venues x 10 criteria
with 10,000 weight samples; both draw the same weights, and their acceptability matrices are
compared. TOPSIS: summitry against pymcdm (MIT) on the same data with both normalisations,
with the largest difference in closeness and whether the rankings agree.
"""

from __future__ import annotations

import platform
import resource
import statistics
import time
from collections.abc import Callable

import numpy as np

from summitry.analysis.venues import (
    Criterion,
    DecisionMatrix,
    VenueOption,
    decision_matrix,
    minmax_normalised,
    sample_weights,
    smaa2,
    topsis_closeness,
)

VENUES = 50
CRITERIA = 10
SAMPLES = 10_000
RUNS = 7


def problem(seed: int = 1) -> DecisionMatrix:
    rng = np.random.default_rng(seed)
    criteria = [Criterion(f"c{j}", "cost" if j % 3 == 0 else "benefit") for j in range(CRITERIA)]
    venues = [
        VenueOption(f"v{i}", {c.name: float(rng.uniform(1, 100)) for c in criteria})
        for i in range(VENUES)
    ]
    return decision_matrix(venues, criteria)


def median_time(runs: int, work: Callable[[], object]) -> float:
    work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def loop_smaa(matrix: DecisionMatrix, weights: np.ndarray) -> np.ndarray:
    """Rank acceptability one sample at a time: the plain reference."""
    values = minmax_normalised(matrix)
    count = len(matrix.venues)
    accept = np.zeros((count, count))
    for w in weights:
        utility = values @ w
        order = np.argsort(-utility)
        for position, venue in enumerate(order):
            accept[venue, position] += 1
    result: np.ndarray = accept / len(weights)
    return result


def main() -> None:
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    matrix = problem()
    names = [c.name for c in matrix.criteria]
    print()
    print(
        f"SMAA-2, {VENUES} venues x {CRITERIA} criteria, {SAMPLES:,} weight samples "
        f"(median of {RUNS}; target <= 0.1 s)"
    )
    ours = median_time(RUNS, lambda: smaa2(matrix, samples=SAMPLES, seed=3))
    weights = sample_weights(names, SAMPLES, seed=3)
    plain = median_time(1, lambda: loop_smaa(matrix, weights))
    result = smaa2(matrix, samples=SAMPLES, seed=3)
    reference = loop_smaa(matrix, weights)
    by_name = {row.venue: np.array(row.ranks) for row in result.venues}
    ours_matrix = np.array([by_name[v] for v in matrix.venues])
    gap = float(np.abs(ours_matrix - reference).max())
    print(f"{'summitry':>12} {'plain loop':>12} {'ratio':>8} {'max |diff| of indices':>22}")
    print(f"{ours * 1e3:>10.1f}ms {plain * 1e3:>10.1f}ms {plain / ours:>7.0f}x {gap:>22.2g}")
    print(f"target met: {'yes' if ours <= 0.1 else 'NO'} ({ours * 1e3:.1f} ms <= 100 ms)")
    top = result.venues[0]
    print(f"e.g. {result.sentence(top.venue)}")

    print()
    print(f"TOPSIS on the same {VENUES} x {CRITERIA} matrix, equal weights (median of {RUNS})")
    try:
        from pymcdm import normalizations
        from pymcdm.methods import TOPSIS
    except ImportError:
        print("pymcdm is not installed (pip install -e '.[bench]'); skipped")
        return
    equal = np.full(CRITERIA, 1 / CRITERIA)
    types = np.where(matrix.benefit, 1, -1)
    values = matrix.array
    print(
        f"{'normalisation':>14} {'summitry':>10} {'pymcdm':>10} {'ratio':>7} "
        f"{'max |diff|':>11} {'same order':>11}"
    )
    for ours_name, theirs_function in (
        ("vector", normalizations.vector_normalization),
        ("minmax", normalizations.minmax_normalization),
    ):
        method = TOPSIS(theirs_function)
        mine = median_time(RUNS, lambda n=ours_name: topsis_closeness(matrix, equal, n))
        theirs = median_time(RUNS, lambda m=method: m(values, equal, types))
        a = topsis_closeness(matrix, equal, ours_name)
        b = method(values, equal, types)
        same = bool((np.argsort(-a, kind="stable") == np.argsort(-b, kind="stable")).all())
        print(
            f"{ours_name:>14} {mine * 1e6:>8.0f}us {theirs * 1e6:>8.0f}us {theirs / mine:>6.1f}x "
            f"{np.abs(a - b).max():>11.2g} {'yes' if same else 'NO':>11}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this run: {peak:.0f} MB")


if __name__ == "__main__":
    main()
