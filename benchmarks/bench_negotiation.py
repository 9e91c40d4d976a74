"""Negotiation analysis: summitry against NegMAS 0.16 on the same random additive instances.

Instances have 10 options per issue (10^4 … 10^7 packages for 2 and 3 parties, and 10^12 for
2 parties), random weights and scores on a fine grid (so no two packages tie), every party's
scores spanning 0–100 on each issue, and a reservation value of 30 points per party. On such
instances NegMAS's disagreement point equals the reservation value, so its definitions and
summitry's coincide except for the Kalai–Smorodinsky ideal point (NegMAS: best over all
outcomes; summitry: best over rational packages), which the table flags where it matters.

Each tool runs in its own subprocess, so that peak memory (the process's maximum resident set)
is its own. summitry's times are medians over repeated runs after one warm-up run (numba
kernels load from their cache); NegMAS's are single runs. A NegMAS tool is skipped at a size
where the previous size's time, scaled by the growth in packages, predicts more than
NEGMAS_BUDGET seconds, and stopped if it runs past twice that.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from summitry.analysis.preferences import AdditiveProfile, Agenda

OPTIONS = 10
RESERVATION = 30.0
NEGMAS_BUDGET = 60.0
TOLERANCE = 1e-7  # points: 1e-9 of the 0–100 scale
SEED = 2026
SIZES = {2: (4, 5, 6, 7), 3: (4, 5, 6, 7)}
BIG_ISSUES = 12

# ---------------------------------------------------------------------------------------------
# Instances
# ---------------------------------------------------------------------------------------------


def instance(parties: int, issues: int, seed: int = SEED) -> tuple[Agenda, list[AdditiveProfile]]:
    """Random tie-free additive instance: weights to 1e-3 points, scores to 1e-2, spanning 0–100."""
    rng = np.random.default_rng([seed, parties, issues])
    agenda = Agenda.of({f"i{i}": [f"o{k}" for k in range(OPTIONS)] for i in range(issues)})
    profiles = []
    for p in range(parties):
        raw = rng.dirichlet(np.ones(issues))
        thousandths = np.floor(raw * 100_000).astype(np.int64)
        thousandths[: 100_000 - int(thousandths.sum())] += 1
        scores = {}
        for item in agenda.items:
            values = np.concatenate([[0, 10_000], rng.integers(1, 10_000, OPTIONS - 2)])
            values = values[rng.permutation(OPTIONS)]
            scores[item.id] = {o: int(v) / 100 for o, v in zip(item.options, values, strict=True)}
        profiles.append(
            AdditiveProfile(
                party=f"p{p}",
                weights={
                    item.id: int(thousandths[i]) / 1000 for i, item in enumerate(agenda.items)
                },
                scores=scores,
                reservation_value=RESERVATION,
            )
        )
    return agenda, profiles


def negmas_ufuns(agenda: Agenda, profiles: list[AdditiveProfile]) -> tuple[list[Any], list[Any]]:
    """The same instance as NegMAS linear additive utility functions, in points (0–100)."""
    from negmas import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction

    issues = [make_issue(list(item.options), name=item.id) for item in agenda.items]
    space = make_os(issues)
    ufuns = [
        LinearAdditiveUtilityFunction(
            values={
                item.id: {o: p.scores[item.id][o] / 100 for o in item.options}
                for item in agenda.items
            },
            weights={item.id: p.weights[item.id] for item in agenda.items},
            outcome_space=space,
            reserved_value=p.reservation_value,
        )
        for p in profiles
    ]
    return ufuns, issues


# ---------------------------------------------------------------------------------------------
# Workers (one tool, one instance, one process)
# ---------------------------------------------------------------------------------------------


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def median_time(work: Any, budget: float = 1.0, most: int = 9) -> float:
    times: list[float] = []
    while len(times) < most and (sum(times) < budget or len(times) < 3):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def points(rows: Any) -> list[list[float]]:
    return [[float(x) for x in row] for row in rows]


def work_summitry(parties: int, issues: int) -> dict[str, Any]:
    from summitry.analysis.fairness import fair_points
    from summitry.analysis.frontier import pareto_frontier
    from summitry.analysis.negotiation import analyse_negotiation
    from summitry.analysis.preferences import compile_space

    agenda, profiles = instance(parties, issues)
    analysis = analyse_negotiation(agenda, profiles)  # warm-up: loads the numba cache
    base = rss_mb()

    space = compile_space(agenda, profiles)

    def frontier_only() -> Any:
        # Like MOBANOS, which is handed ready utility functions: the scored space is given.
        return pareto_frontier(space)

    def frontier_and_fair() -> Any:
        return fair_points(pareto_frontier(compile_space(agenda, profiles)).rational())

    result = {
        "analysis": median_time(lambda: analyse_negotiation(agenda, profiles)),
        "frontier": median_time(frontier_only),
        "frontier_fair": median_time(frontier_and_fair),
        "peak": peak_mb(),
        "base": base,
        "full": points(analysis.frontier.utilities),
        "rational": points(analysis.rational_frontier.utilities),
        "fair": {f.concept: [list(p.utilities) for p in f.points] for f in analysis.fair.all()},
        "opposition": analysis.opposition.value,
        "zopa": analysis.zopa.fraction,
        "zopa_method": str(analysis.zopa.method),
        "frontier_method": str(analysis.frontier.method),
        "ideal_rational": points([analysis.rational_frontier.utilities.max(axis=0)])[0]
        if len(analysis.rational_frontier)
        else [],
    }
    return result


def work_negmas_pareto(parties: int, issues: int) -> dict[str, Any]:
    from negmas.preferences import kalai_points, ks_points, max_welfare_points, nash_points
    from negmas.preferences import pareto_frontier as nm_frontier

    agenda, profiles = instance(parties, issues)
    ufuns, nm_issues = negmas_ufuns(agenda, profiles)
    base = rss_mb()
    start = time.perf_counter()
    frontier, _ = nm_frontier(ufuns, issues=nm_issues)
    elapsed = time.perf_counter() - start
    space = ufuns[0].outcome_space
    fair = {
        "nash": nash_points(ufuns, frontier, outcome_space=space),
        "kalai-smorodinsky": ks_points(ufuns, frontier, outcome_space=space),
        "egalitarian": kalai_points(ufuns, frontier, outcome_space=space),
        "max-welfare": max_welfare_points(ufuns, frontier, outcome_space=space),
    }
    return {
        "time": elapsed,
        "peak": peak_mb(),
        "base": base,
        "rational": points(frontier),
        "fair": {k: points(u for u, _ in v) for k, v in fair.items()},
    }


def work_negmas_stats(parties: int, issues: int) -> dict[str, Any]:
    from negmas.preferences import calc_scenario_stats

    agenda, profiles = instance(parties, issues)
    ufuns, _ = negmas_ufuns(agenda, profiles)
    base = rss_mb()
    start = time.perf_counter()
    stats = calc_scenario_stats(ufuns)
    elapsed = time.perf_counter() - start
    return {
        "time": elapsed,
        "peak": peak_mb(),
        "base": base,
        "rational": points(stats.pareto_utils),
        "fair": {
            "nash": points(stats.nash_utils),
            "kalai-smorodinsky": points(stats.ks_utils),
            "egalitarian": points(stats.kalai_utils),
            "max-welfare": points(stats.max_welfare_utils),
        },
        "opposition": float(stats.opposition),
        "zopa": float(stats.rational_fraction),
    }


def work_negmas_mobanos(parties: int, issues: int) -> dict[str, Any]:
    from negmas.preferences import MOBANOSParetoSampler

    agenda, profiles = instance(parties, issues)
    ufuns, _ = negmas_ufuns(agenda, profiles)
    base = rss_mb()
    sampler = MOBANOSParetoSampler()
    start = time.perf_counter()
    sampler.init(ufun=ufuns[0], opponent_ufun=ufuns[1])
    outcomes = sampler.pareto_outcomes()
    elapsed = time.perf_counter() - start
    return {
        "time": elapsed,
        "peak": peak_mb(),
        "base": base,
        "full": points([[float(u(o)) for u in ufuns] for o in outcomes]),
    }


def work_kernel(parties: int, issues: int) -> dict[str, Any]:
    """The dominance filter of the last merge step: numba sweep against numpy block filter."""
    from summitry.analysis.dominance import nondominated, numpy_block_filter
    from summitry.analysis.frontier import merge_blocks
    from summitry.analysis.preferences import compile_space

    agenda, profiles = instance(parties, issues)
    space = compile_space(agenda, profiles)
    before, _, _ = merge_blocks(space, list(range(len(space.blocks) - 1)))
    last = space.blocks[-1].class_units
    cand = (before[:, None, :] + last[None, :, :]).reshape(-1, parties)
    nondominated(cand[:100])  # warm-up
    fast = median_time(lambda: nondominated(cand))
    slow = median_time(lambda: numpy_block_filter(cand), budget=0.0, most=1)
    rows, _ = nondominated(cand)
    same = set(rows.tolist()) == set(np.flatnonzero(numpy_block_filter(cand)).tolist())
    return {"candidates": len(cand), "numba": fast, "numpy": slow, "same": same}


def work_differences(parties: int, issues: int) -> dict[str, Any]:
    """Small cases where a documented difference from NegMAS shows (docs 1, 4 and 6)."""
    from negmas import make_issue, make_os
    from negmas.preferences import (
        LinearAdditiveUtilityFunction,
        nash_points,
        opposition_level,
        rational_fraction,
    )
    from negmas.preferences.ops import pareto_frontier_numpy

    from summitry.analysis.negotiation import analyse_negotiation

    out: dict[str, Any] = {}
    # 1. Three parties, reservation 50 each: package A = (10, 10, 100) is efficient (the third
    # party's best), B = (60, 60, 60) is the only rational one. NegMAS's Nash product over the
    # frontier scores A's two losses as (-40)(-40)(50) = 80,000 > 1,000 for B.
    table = {"a": (10, 10, 100), "b": (60, 60, 60)}
    agenda = Agenda.of({"deal": ["a", "b"]})
    profiles = [
        AdditiveProfile(f"p{p}", {"deal": 100}, {"deal": {o: u[p] for o, u in table.items()}}, 50)
        for p in range(3)
    ]
    nm_issue = make_issue(["a", "b"], name="deal")
    space = make_os([nm_issue])
    ufuns = [
        LinearAdditiveUtilityFunction(
            values={"deal": {o: u[p] for o, u in table.items()}},
            weights={"deal": 1.0},
            outcome_space=space,
            reserved_value=50.0,
        )
        for p in range(3)
    ]
    utils = np.array([[float(u((o,))) for u in ufuns] for o in table])
    frontier = [tuple(utils[i]) for i in pareto_frontier_numpy(utils)]
    nm_nash = nash_points(ufuns, frontier, ranges=[(0.0, 100.0)] * 3)
    mine = analyse_negotiation(agenda, profiles).nash
    out["nash"] = (list(nm_nash[0][0]), list(mine.utilities or ()))
    # 6. A package exactly at the reservation value: rational for summitry (and for NegMAS's
    # frontier), not counted by NegMAS's rational_fraction.
    ufuns_at = [
        LinearAdditiveUtilityFunction(
            values={"deal": {"a": 40.0, "b": 60.0}},
            weights={"deal": 1.0},
            outcome_space=space,
            reserved_value=60.0,
        ),
        LinearAdditiveUtilityFunction(
            values={"deal": {"a": 60.0, "b": 60.0}},
            weights={"deal": 1.0},
            outcome_space=space,
            reserved_value=60.0,
        ),
    ]
    at = [
        AdditiveProfile("p0", {"deal": 100}, {"deal": {"a": 40, "b": 60}}, 60),
        AdditiveProfile("p1", {"deal": 100}, {"deal": {"a": 60, "b": 60}}, 60),
    ]
    out["rational"] = (
        float(rational_fraction(ufuns_at, outcome_space=space)),
        analyse_negotiation(agenda, at).zopa.fraction,
    )
    # 4. Opposition on 10^6 packages: NegMAS's opposition_level samples 10,000 outcomes when
    # given issues; summitry's is exact.
    agenda6, profiles6 = instance(2, 6)
    ufuns6, issues6 = negmas_ufuns(agenda6, profiles6)
    sampled = float(opposition_level(ufuns6, max_utils=(100.0, 100.0), issues=issues6))
    exact = analyse_negotiation(agenda6, profiles6).opposition.value
    out["opposition"] = (sampled, exact)
    return out


WORKERS = {
    "differences": work_differences,
    "summitry": work_summitry,
    "negmas-pareto": work_negmas_pareto,
    "negmas-stats": work_negmas_stats,
    "negmas-mobanos": work_negmas_mobanos,
    "kernel": work_kernel,
}

# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------


def run(tool: str, parties: int, issues: int, timeout: float) -> dict[str, Any] | None:
    """Run one worker in a fresh interpreter; None when it ran out of time."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", tool]
    command += [str(parties), str(issues)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"{tool} failed:\n{error.stderr}") from error
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def same_points(a: list[list[float]], b: list[list[float]]) -> bool:
    if len(a) != len(b):
        return False
    if not a:
        return True
    left, right = np.array(sorted(a)), np.array(sorted(b))
    return bool(np.abs(left - right).max() <= TOLERANCE)


def fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def agreement(mine: dict[str, Any], theirs: dict[str, Any]) -> str:
    notes = []
    if "rational" in theirs:
        notes.append(
            "frontier " + ("=" if same_points(mine["rational"], theirs["rational"]) else "≠")
        )
    if "full" in theirs:
        notes.append("frontier " + ("=" if same_points(mine["full"], theirs["full"]) else "≠"))
    for concept, short in (
        ("nash", "Nash"),
        ("kalai-smorodinsky", "KS"),
        ("egalitarian", "egal"),
        ("max-welfare", "welfare"),
    ):
        if concept not in theirs.get("fair", {}):
            continue
        equal = same_points(mine["fair"][concept], theirs["fair"][concept])
        mark = "="
        if not equal:
            ideal_cut = any(abs(x - 100.0) > TOLERANCE for x in mine["ideal_rational"])
            mark = "≠ (ideal, doc 5)" if concept == "kalai-smorodinsky" and ideal_cut else "≠"
        notes.append(f"{short} {mark}")
    if "opposition" in theirs:
        equal = abs(mine["opposition"] - theirs["opposition"]) <= 1e-9
        notes.append("opposition " + ("=" if equal else "≠"))
    if "zopa" in theirs:
        notes.append("ZOPA " + ("=" if abs(mine["zopa"] - theirs["zopa"]) <= 1e-12 else "≠"))
    return ", ".join(notes)


def row(
    parties: int, packages: str, tool: str, seconds: float | None, peak: str, ratio: str, note: str
) -> None:
    shown = fmt_time(seconds) if seconds is not None else "—"
    print(f"{parties:>2} {packages:>6}  {tool:<34} {shown:>10} {peak:>15} {ratio:>8}  {note}")


def memory(result: dict[str, Any]) -> str:
    return f"{result['peak']:.0f} MB (+{max(result['peak'] - result['base'], 0):.0f})"


LABELS = {
    "negmas-pareto": "NegMAS pareto_frontier",
    "negmas-stats": "NegMAS calc_scenario_stats",
    "negmas-mobanos": "NegMAS MOBANOSParetoSampler",
}


class Targets:
    """The issue's performance targets, filled in as the rows are measured."""

    def __init__(self) -> None:
        self.lines: dict[str, tuple[bool, str]] = {}

    def set(self, name: str, ok: bool, detail: str) -> None:
        self.lines[name] = (ok, detail)

    def add(self, name: str, ok: bool, detail: str) -> None:
        was_ok, was = self.lines.get(name, (True, ""))
        self.lines[name] = (was_ok and ok, f"{was}; {detail}" if was else detail)

    def print(self) -> None:
        print("Targets (issue 4)")
        for name, (ok, detail) in self.lines.items():
            print(f"  {'met   ' if ok else 'MISSED'}  {name}: {detail}")


def compare_negmas(
    parties: int,
    issues: int,
    mine: dict[str, Any],
    last: dict[str, tuple[int, float]],
    targets: Targets,
) -> None:
    size = f"10^{issues}"
    tools = ["negmas-pareto", "negmas-stats"] + (["negmas-mobanos"] if parties == 2 else [])
    for tool in tools:
        if tool in last:
            was_issues, was_time = last[tool]
            predicted = was_time * 10 ** (issues - was_issues)
            # MOBANOS does not enumerate packages: its time does not scale with their number.
            if tool != "negmas-mobanos" and predicted > NEGMAS_BUDGET:
                row(
                    parties,
                    size,
                    LABELS[tool],
                    None,
                    "",
                    "",
                    f"skipped: predicted {predicted:.0f} s",
                )
                continue
        theirs = run(tool, parties, issues, timeout=2 * NEGMAS_BUDGET)
        if theirs is None:
            row(
                parties,
                size,
                LABELS[tool],
                None,
                "",
                "",
                f"stopped after {2 * NEGMAS_BUDGET:.0f} s",
            )
            last[tool] = (issues, math.inf)
            continue
        last[tool] = (issues, theirs["time"])
        base = mine["frontier"] if tool == "negmas-mobanos" else mine["analysis"]
        ratio = theirs["time"] / base
        row(
            parties,
            size,
            LABELS[tool],
            theirs["time"],
            memory(theirs),
            f"{ratio:,.0f}×",
            agreement(mine, theirs),
        )
        if parties == 2 and issues == 6 and tool == "negmas-pareto":
            targets.set(
                "2 parties, 10^6: complete analysis ≤ 50 ms, ≥ 100× NegMAS pareto_frontier",
                mine["analysis"] <= 0.05 and ratio >= 100,
                f"{fmt_time(mine['analysis'])}, {ratio:,.0f}×",
            )
        if tool == "negmas-mobanos":
            targets.add(
                "2 parties: exact frontier no slower than MOBANOS at any size",
                mine["frontier"] <= theirs["time"],
                f"{size} {fmt_time(mine['frontier'])} vs {fmt_time(theirs['time'])}",
            )


def main() -> None:
    """Print the negotiation benchmark table and the issue's targets."""
    warnings.simplefilter("ignore")
    started = time.perf_counter()
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    print(
        f"Random additive instances, {OPTIONS} options per issue, reservation {RESERVATION:g} "
        "points per party. summitry: medians after a warm-up; NegMAS: single runs."
    )
    print(
        "peak = the worker process's peak RSS (+ growth during the measured work); "
        "ratio = NegMAS time / summitry time (complete analysis; exact frontier for MOBANOS)"
    )
    print()
    print(f"{'p':>2} {'pkgs':>6}  {'tool':<34} {'time':>10} {'peak':>15} {'ratio':>8}  agreement")
    targets = Targets()
    peak_3 = 0.0
    for parties, sizes in SIZES.items():
        last: dict[str, tuple[int, float]] = {}
        for issues in sizes:
            size = f"10^{issues}"
            mine = run("summitry", parties, issues, timeout=300)
            assert mine is not None
            note = f"ZOPA {mine['zopa_method']}"
            row(
                parties,
                size,
                "summitry complete analysis",
                mine["analysis"],
                memory(mine),
                "",
                note,
            )
            note = f"{len(mine['full'])} points, {len(mine['rational'])} rational"
            row(parties, size, "summitry exact frontier", mine["frontier"], "", "", note)
            compare_negmas(parties, issues, mine, last, targets)
            if parties == 3 and issues in (6, 7):
                limit = 0.3 if issues == 6 else 3.0
                targets.set(
                    f"3 parties, 10^{issues}: exact frontier ≤ {limit:g} s",
                    mine["frontier"] <= limit,
                    fmt_time(mine["frontier"]),
                )
            if parties == 3:
                peak_3 = max(peak_3, mine["peak"])
                targets.set(
                    "3 parties: memory ≤ 1 GB", peak_3 <= 1024, f"largest peak {peak_3:.0f} MB"
                )
    big = run("summitry", 2, BIG_ISSUES, timeout=300)
    assert big is not None
    size = f"10^{BIG_ISSUES}"
    row(
        2,
        size,
        "summitry frontier + fair points",
        big["frontier_fair"],
        memory(big),
        "",
        f"{len(big['full'])} points",
    )
    row(
        2, size, "summitry complete analysis", big["analysis"], "", "", f"ZOPA {big['zopa_method']}"
    )
    row(2, size, "summitry exact frontier", big["frontier"], "", "", "")
    theirs = run("negmas-mobanos", 2, BIG_ISSUES, timeout=2 * NEGMAS_BUDGET)
    if theirs is None:
        row(
            2,
            size,
            LABELS["negmas-mobanos"],
            None,
            "",
            "",
            f"stopped after {2 * NEGMAS_BUDGET:.0f} s",
        )
    else:
        ratio = theirs["time"] / big["frontier"]
        row(
            2,
            size,
            LABELS["negmas-mobanos"],
            theirs["time"],
            memory(theirs),
            f"{ratio:,.0f}×",
            agreement(big, theirs),
        )
        targets.add(
            "2 parties: exact frontier no slower than MOBANOS at any size",
            big["frontier"] <= theirs["time"],
            f"{size} {fmt_time(big['frontier'])} vs {fmt_time(theirs['time'])}",
        )
    row(
        2,
        size,
        "NegMAS pareto_frontier, stats",
        None,
        "",
        "",
        "skipped: they enumerate every package",
    )
    targets.set(
        "2 parties, 10^12: frontier + fair points ≤ 1 s",
        big["frontier_fair"] <= 1.0,
        fmt_time(big["frontier_fair"]),
    )
    print()
    kernel = run("kernel", 3, 7, timeout=300)
    assert kernel is not None
    print(
        f"Dominance filter of the last merge step, 3 parties at 10^7 ({kernel['candidates']:,} "
        f"candidate sums): numba {fmt_time(kernel['numba'])}, numpy block filter "
        f"{fmt_time(kernel['numpy'])} ({kernel['numpy'] / kernel['numba']:,.0f}×), "
        f"same result: {kernel['same']}"
    )
    differences = run("differences", 2, 6, timeout=300)
    assert differences is not None
    nm_nash, my_nash = differences["nash"]
    print(
        "Doc 1, Nash with negative gains (3 parties, reservation 50): NegMAS nash_points on the "
        f"frontier picks {tuple(nm_nash)}, summitry {tuple(my_nash)}"
    )
    nm_share, my_share = differences["rational"]
    print(
        "Doc 6, a package exactly at both reservation values (1 of 2): NegMAS rational_fraction "
        f"{nm_share:g}, summitry ZOPA fraction {my_share:g}"
    )
    sampled, exact = differences["opposition"]
    print(
        f"Doc 4, opposition at 10^6 packages: NegMAS opposition_level (10,000 sampled outcomes) "
        f"{sampled:.6f}, summitry exact {exact:.6f}"
    )
    print()
    targets.print()
    print(f"\nWhole benchmark: {time.perf_counter() - started:.0f} s")


def worker(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("tool", choices=sorted(WORKERS))
    parser.add_argument("parties", type=int)
    parser.add_argument("issues", type=int)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    print(json.dumps(WORKERS[args.tool](args.parties, args.issues)))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2:])
    else:
        main()
