"""Benchmarks for `make bench`: each prints summitry beside a reference measured in the same run.

Plan files: loading and validating a generated plan of N tasks, against parsing the same text
with the standard library's `tomllib` alone (the floor any TOML-based loader sits on). Then the
analyses, each against the peers its issue names: readiness (pmcontrols, trueppm-scheduler),
negotiation (NegMAS), scenarios (prophesy-cib), venues (pymcdm), and the situation report.
"""

from __future__ import annotations

import platform
import random
import statistics
import time
import tomllib
from collections.abc import Callable

from summitry.domain import Plan
from summitry.io.planfile import dumps, loads


def generated_plan(tasks: int, seed: int = 7) -> Plan:
    """A plan with `tasks` tasks over five workstreams, each linked to up to three earlier ones."""
    rng = random.Random(seed)
    streams = [f"stream-{i}" for i in range(5)]
    data: dict[str, object] = {
        "summit": {"title": "Benchmark summit"},
        "parties": {"north": {"name": "North"}, "south": {"name": "South"}},
        "workstreams": {s: {"name": s.title()} for s in streams},
        "tasks": {
            f"t{i}": {
                "name": f"Task {i}",
                "workstream": rng.choice(streams),
                "estimate": sorted(rng.randint(1, 20) for _ in range(3)),
                "depends_on": [
                    f"t{j}" for j in sorted(set(rng.sample(range(i), min(i, rng.randint(0, 3)))))
                ],
            }
            for i in range(tasks)
        },
    }
    return Plan.model_validate(data)


def best_of(runs: int, work: Callable[[], object]) -> float:
    """Median wall time of `runs` calls, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def plan_files() -> None:
    """Print the plan-file table."""
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    print()
    print("Plan files: load + validate (summitry) vs parse only (tomllib), median of 5")
    print(f"{'tasks':>7} {'lines':>7} {'tomllib':>10} {'summitry':>10} {'ratio':>7}")
    for size in (100, 1_000, 5_000):
        text = dumps(generated_plan(size))
        parse = best_of(5, lambda text=text: tomllib.loads(text))
        load = best_of(5, lambda text=text: loads(text))
        lines = text.count("\n")
        print(
            f"{size:>7} {lines:>7} {parse * 1e3:>8.1f}ms {load * 1e3:>8.1f}ms {load / parse:>6.1f}x"
        )


def main() -> None:
    """Run every benchmark in turn."""
    import bench_negotiation
    import bench_readiness
    import bench_scenarios
    import bench_sitrep
    import bench_startup
    import bench_venues

    plan_files()
    for bench in (
        bench_readiness,
        bench_negotiation,
        bench_scenarios,
        bench_venues,
        bench_sitrep,
        bench_startup,
    ):
        print()
        print(f"== {bench.__name__} ==", flush=True)
        bench.main()


if __name__ == "__main__":
    main()
