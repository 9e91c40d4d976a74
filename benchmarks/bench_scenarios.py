"""Benchmark: exact CIB consistent-scenario search on random dense matrices.

Three engines on the same seeded matrices (n descriptors x 3 variants, every cell off the
diagonal blocks drawn from -3..+3):

- summitry: the pruned, numba-compiled search (`summitry.analysis.scenarios`);
- numpy: a plain vectorised baseline that scores every combination in chunks;
- prophesy-cib (GPL, installed only by the bench extra): its full enumeration and its public
  `compute_scenario_consistency` per scenario (consistency 0 means consistent).

Each engine runs in a fresh subprocess so that time and peak memory (maximum resident set,
including the interpreter and imports) belong to that engine alone; a run past the timeout is
reported as "did not finish", and larger sizes of that engine are then skipped. The consistent
sets of every engine that finished are compared. summitry's time is the median of five searches
and excludes loading its compiled kernels, which is reported separately as start-up.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from typing import Any

import numpy as np

SIZES = (10, 12, 14, 16, 18)
VARIANTS = 3
# A seed whose matrices all have consistent scenarios, so the set comparison is not vacuous.
SEED = 6
TIMEOUT = 120.0
REPEATS = 5


def random_matrix(descriptors: int, seed: int = SEED) -> np.ndarray:
    """A dense random cross-impact matrix with zero diagonal blocks."""
    rng = np.random.default_rng([seed, descriptors])
    size = descriptors * VARIANTS
    matrix = rng.integers(-3, 4, size=(size, size)).astype(np.int64)
    for i in range(descriptors):
        block = slice(i * VARIANTS, (i + 1) * VARIANTS)
        matrix[block, block] = 0
    return matrix


def names(descriptors: int) -> list[tuple[str, list[str]]]:
    return [(f"d{i}", [f"v{k}" for k in range(VARIANTS)]) for i in range(descriptors)]


# --------------------------------------------------------------------------------------------
# Engines (each runs inside its own worker process)
# --------------------------------------------------------------------------------------------


def run_summitry(descriptors: int) -> dict[str, Any]:
    started = time.perf_counter()
    from summitry.analysis.scenarios import CrossImpactModel, consistent_scenarios

    tiny = CrossImpactModel.build(names(4), random_matrix(4))
    consistent_scenarios(tiny)
    startup = time.perf_counter() - started
    model = CrossImpactModel.build(names(descriptors), random_matrix(descriptors))
    times = []
    for _ in range(REPEATS):
        begin = time.perf_counter()
        result = consistent_scenarios(model)
        times.append(time.perf_counter() - begin)
    return {
        "time": statistics.median(times),
        "startup": startup,
        "nodes": result.nodes,
        "consistent": sorted(list(s.indices) for s in result.scenarios),
    }


def run_numpy(descriptors: int) -> dict[str, Any]:
    matrix = random_matrix(descriptors).astype(np.int32)
    begin = time.perf_counter()
    total = VARIANTS**descriptors
    chunk = 1 << 18
    found: list[list[int]] = []
    powers = VARIANTS ** np.arange(descriptors - 1, -1, -1)
    for first in range(0, total, chunk):
        codes = np.arange(first, min(first + chunk, total), dtype=np.int64)
        choice = (codes[:, None] // powers[None, :]) % VARIANTS
        rows = choice + np.arange(descriptors) * VARIANTS
        # One descriptor at a time keeps a chunk's memory at (chunk x variants), not x n.
        balance = np.zeros((len(codes), matrix.shape[1]), dtype=np.int32)
        for i in range(descriptors):
            balance += matrix[rows[:, i]]
        grouped = balance.reshape(len(codes), descriptors, VARIANTS)
        chosen = np.take_along_axis(grouped, choice[:, :, None], axis=2)[:, :, 0]
        consistent = (chosen >= grouped.max(axis=2)).all(axis=1)
        found.extend(choice[consistent].tolist())
    elapsed = time.perf_counter() - begin
    return {"time": elapsed, "consistent": sorted(found)}


def run_prophesy(descriptors: int) -> dict[str, Any]:
    import warnings

    from prophesy_cib import CrossImpact, Descriptor, Model, Variant
    from prophesy_cib.scenario_gen import enumerate_all_scenarios
    from prophesy_cib.succession import compute_scenario_consistency

    matrix = random_matrix(descriptors)
    model_descriptors = [
        Descriptor(i + 1, name, "nominal", tuple(Variant(k + 1, v) for k, v in enumerate(vs)))
        for i, (name, vs) in enumerate(names(descriptors))
    ]
    impacts = [
        CrossImpact(r // VARIANTS + 1, r % VARIANTS + 1, c // VARIANTS + 1, c % VARIANTS + 1, v)
        for (r, c), v in np.ndenumerate(matrix.astype(float))
        if v
    ]
    model = Model(model_descriptors, impacts)
    begin = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scenarios = enumerate_all_scenarios(model, threshold=None)
    found = [
        [s.variant_indices[i + 1] - 1 for i in range(descriptors)]
        for s in scenarios
        if compute_scenario_consistency(s, model) == 0
    ]
    elapsed = time.perf_counter() - begin
    return {"time": elapsed, "consistent": sorted(found)}


ENGINES = {"summitry": run_summitry, "numpy": run_numpy, "prophesy-cib": run_prophesy}


def worker(engine: str, descriptors: int) -> None:
    result = ENGINES[engine](descriptors)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def measure(engine: str, descriptors: int, timeout: float) -> dict[str, Any] | None:
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--worker", engine, str(descriptors)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()[-1:] or ["no output"]
        return {"error": message[0]}
    parsed: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return parsed


def cell(result: dict[str, Any] | None, skipped: bool) -> str:
    if skipped:
        return "skipped"
    if result is None:
        return "did not finish"
    if "error" in result:
        return "error"
    return f"{result['time']:.3g} s / {result['peak_mb']:.0f} MB"


def ratio(
    ours: dict[str, Any] | None, theirs: dict[str, Any] | None, skipped: bool, timeout: float
) -> str:
    if skipped or ours is None or "time" not in ours:
        return "-"
    if theirs is None:
        return f">{timeout / ours['time']:,.0f}x"
    if "time" not in theirs:
        return "-"
    return f"{theirs['time'] / ours['time']:,.0f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "DESCRIPTORS"))
    parser.add_argument("--timeout", type=float, default=TIMEOUT)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]))
        return
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    print(
        f"CIB exact consistent-scenario search, random dense n x {VARIANTS} matrices "
        f"(seed {SEED}); each engine in a fresh process, timeout {args.timeout:.0f} s;"
    )
    print("cells: time of the search / peak resident memory of the whole process")
    print()
    header = (
        f"{'size':>6} {'scenarios':>13} {'consistent':>10} {'summitry':>18} {'start-up':>9} "
        f"{'numpy (all)':>22} {'prophesy-cib':>22} {'numpy/ours':>11} {'prophesy/ours':>14} "
        f"{'same set':>9}"
    )
    print(header)
    gave_up: set[str] = set()
    targets: dict[str, str] = {}
    for size in args.sizes:
        results: dict[str, dict[str, Any] | None] = {}
        skipped: dict[str, bool] = {}
        for engine in ENGINES:
            skipped[engine] = engine in gave_up
            results[engine] = None if skipped[engine] else measure(engine, size, args.timeout)
            if results[engine] is None and not skipped[engine]:
                gave_up.add(engine)
        ours = results["summitry"]
        sets = [r["consistent"] for r in results.values() if r is not None and "consistent" in r]
        same = "yes" if sets and all(s == sets[0] for s in sets) else "NO"
        if len(sets) < 2:
            same = "-"
        if ours and "time" in ours and size == 18:
            met = ours["time"] <= 1.0 and ours["peak_mb"] <= 500
            targets["18x3 exact <= 1 s, peak <= 500 MB"] = (
                f"{'yes' if met else 'NO'} ({ours['time']:.3g} s, {ours['peak_mb']:.0f} MB)"
            )
        if ours and "time" in ours and size == 10:
            theirs = results["prophesy-cib"]
            if theirs is not None and "time" in theirs:
                times = theirs["time"] / ours["time"]
                targets[">= 1,000x faster than prophesy-cib on 10x3"] = (
                    f"{'yes' if times >= 1000 else 'NO'} ({times:,.0f}x)"
                )
        consistent = len(ours["consistent"]) if ours and "consistent" in ours else "-"
        startup = f"{ours['startup']:.2f} s" if ours and "startup" in ours else "-"
        print(
            f"{f'{size}x{VARIANTS}':>6} {VARIANTS**size:>13,} {consistent:>10} "
            f"{cell(ours, False):>18} {startup:>9} "
            f"{cell(results['numpy'], skipped['numpy']):>22} "
            f"{cell(results['prophesy-cib'], skipped['prophesy-cib']):>22} "
            f"{ratio(ours, results['numpy'], skipped['numpy'], args.timeout):>11} "
            f"{ratio(ours, results['prophesy-cib'], skipped['prophesy-cib'], args.timeout):>14} "
            f"{same:>9}",
            flush=True,
        )
    print()
    for target, verdict in targets.items():
        print(f"target {target}: {verdict}")


if __name__ == "__main__":
    main()
