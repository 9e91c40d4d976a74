"""Start-up of whole processes: summitry's commands beside the import floor they sit on.

Targets (issue 10): `summitry --version` ≤ `python -c "import typer"` + 0.05 s; `--help` ≤
`python -c "import typer, rich.console"` + 0.05 s; `status` on the example ≤ 0.4 s; `forecast`
on the example ≤ 0.9 s with a warm numba cache. Each figure is the median of several runs.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "src" / "summitry" / "examples" / "summit.toml")
SUMMITRY = [sys.executable, "-m", "summitry"]
RUNS = 7


def wall(command: list[str], runs: int = RUNS) -> float:
    """Median wall time of a whole process, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def floor(modules: str) -> float:
    """A bare interpreter importing ``modules``: what any CLI built on them pays."""
    return wall([sys.executable, "-c", f"import {modules}"])


def main() -> None:
    """Print each command beside its floor, and the target."""
    wall([*SUMMITRY, "forecast", EXAMPLE])  # fills the numba cache: the figure is a warm start
    rows = [
        ("summitry --version", wall([*SUMMITRY, "--version"]), "typer", 0.05, None),
        ("summitry --help", wall([*SUMMITRY, "--help"]), "typer, rich.console", 0.05, None),
        (
            "summitry status EXAMPLE",
            wall([*SUMMITRY, "status", EXAMPLE]),
            "typer, rich, pydantic, numpy",
            None,
            0.4,
        ),
        (
            "summitry forecast EXAMPLE",
            wall([*SUMMITRY, "forecast", EXAMPLE], runs=5),
            "typer, rich, pydantic, numpy, numba",
            None,
            0.9,
        ),
    ]
    print("Start-up, whole processes (median of several runs; warm numba cache)")
    print(f"  {'command':<28} {'time':>8} {'floor':>8} {'floor imports':<36} target")
    for name, seconds, modules, margin, limit in rows:
        base = floor(modules)
        target = base + margin if margin is not None else limit or 0.0
        kind = f"floor + {margin:.2f} s" if margin is not None else f"{limit:.1f} s"
        verdict = "met" if seconds <= target else "NOT met"
        print(
            f"  {name:<28} {seconds:7.3f}s {base:7.3f}s {modules:<36} ≤ {target:.3f} s "
            f"({kind}): {verdict}"
        )


if __name__ == "__main__":
    main()
