"""Finding consistent scenarios: the exact pruned search and the sampling fallback.

`consistent_scenarios` searches exactly, `sample_scenarios` collects fixed points of succession
from random starts, and `find_scenarios` tries the first within a node budget and falls back to
the second, saying so in the result's ``coverage``.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np

# Kernels are called through their module, not imported by name: see `_kernels`.
from summitry.analysis.scenarios import _kernels
from summitry.analysis.scenarios._layout import (
    _Layout,
    _layout,
    _percent,
    _random_starts,
    _scenarios,
    _searched_size,
)
from summitry.analysis.scenarios._model import CrossImpactModel, IntArray, SmallArray
from summitry.analysis.scenarios._results import ScenarioSet
from summitry.analysis.scenarios._succession import MAX_STEPS, RANDOM_STARTS, _run_succession
from summitry.errors import InputError

RESULT_LIMIT = 100_000
"""Most scenarios one search returns before it asks for a tighter question."""

NODE_BUDGET = 300_000_000
"""Search nodes `find_scenarios` spends on the exact search before it falls back to sampling.

About 15 s on two cores (dense 22 x 3 matrices take 20-30 million nodes).
"""


def _bound_tables(impacts: IntArray, layout: _Layout) -> IntArray:
    """For every depth, the smallest lead each rival can end with over a chosen variant.

    ``suffix[t, c, m]`` is the sum over descriptors i >= t of the minimum, over the variants i
    may still take, of ``impacts[i's variant, rival m] - impacts[i's variant, c]``, where rival
    m is variant m of c's descriptor. The final lead of rival m over the chosen variant c is the
    lead from the assigned descriptors plus one such difference per unassigned descriptor, and
    each difference is at least its minimum because the descriptors choose independently. So
    the partial lead plus ``suffix`` is a lower bound on the final lead: if it exceeds k for
    every variant a descriptor can take, no completion of the branch is within k, and cutting
    it loses nothing. At full depth the suffix is zero and the test is the exact definition.
    """
    start, count = layout.start, layout.count
    n = len(count)
    width = impacts.shape[1]
    widest = int(count.max())
    owner = np.repeat(np.arange(n), count)
    offsets = np.arange(widest)
    rivals = start[owner][:, None] + np.minimum(offsets[None, :], count[owner][:, None] - 1)
    real = offsets[None, :] < count[owner][:, None]
    least = np.zeros((n + 1, width, widest), dtype=np.int64)
    for i in range(n):
        rows = impacts[start[i] : start[i] + count[i]][
            layout.allowed[start[i] : start[i] + count[i]]
        ]
        lead = rows[:, rivals] - rows[:, :, None]
        least[i] = np.where(real, lead.min(axis=0), 0)
    return np.cumsum(least[::-1], axis=0)[::-1].copy()


def _prefixes(layout: _Layout, tasks: int) -> list[tuple[int, ...]]:
    """Split the search into branches by the first descriptors' variants (enough for the pool)."""
    choices: list[list[int]] = []
    size = 1
    for j in range(len(layout.count)):
        if size >= tasks:
            break
        first = int(layout.start[j])
        options = [v for v in range(int(layout.count[j])) if layout.allowed[first + v]]
        choices.append(options)
        size *= len(options)
    return list(itertools.product(*choices))


def _run_search(
    impacts: IntArray,
    layout: _Layout,
    k: int,
    limit: int,
    budget: int | None,
    workers: int | None,
) -> tuple[SmallArray, int, int]:
    """Return (scenarios, nodes, status); status 1 means over the limit, 2 over the budget."""
    suffix = _bound_tables(impacts, layout)
    n = len(layout.count)
    threads = max(1, workers if workers is not None else (os.cpu_count() or 1))
    # Threads only pay once the space is large; small searches stay on the calling thread.
    # Eight branches per thread even out branches that prune early.
    tasks = 1 if threads == 1 or _searched_size(layout) < 50_000 else threads * 8
    prefixes = _prefixes(layout, tasks)
    progress = np.zeros(len(prefixes), dtype=np.int64)
    cap = budget if budget is not None else np.iinfo(np.int64).max

    def branch(slot: int) -> tuple[SmallArray, int, int]:
        prefix = np.array(prefixes[slot], dtype=np.int64)
        return _kernels._search(
            impacts,
            layout.start,
            layout.count,
            layout.allowed,
            layout.checked,
            suffix,
            k,
            prefix,
            limit,
            cap,
            progress,
            slot,
        )

    if len(prefixes) == 1:
        parts = [branch(0)]
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            parts = list(pool.map(branch, range(len(prefixes))))
    found = [p[0] for p in parts if len(p[0])]
    scenarios = np.concatenate(found) if found else np.empty((0, n), dtype=np.int8)
    nodes = sum(int(p[1]) for p in parts)
    status = max(int(p[2]) for p in parts)
    if len(scenarios) > limit:
        status = max(status, 1)
    return scenarios, nodes, status


def consistent_scenarios(
    model: CrossImpactModel,
    *,
    max_inconsistency: int = 0,
    fixed: Mapping[str, str] | None = None,
    exempt_fixed: bool = True,
    limit: int = RESULT_LIMIT,
    workers: int | None = None,
) -> ScenarioSet:
    """Find every scenario with inconsistency at most ``max_inconsistency``, exactly.

    ``fixed`` forces variants ("what if sanctions are relieved?") and searches the rest; with
    ``exempt_fixed`` (the default) a forced descriptor need not be consistent itself, since it
    is set from outside. More than ``limit`` results is an `InputError` asking for a tighter
    question. ``workers`` threads share the search (default: one per CPU).
    Usage: ``consistent_scenarios(model, max_inconsistency=1, fixed={"sanctions": "relieved"})``.
    """
    found = _exact(model, max_inconsistency, fixed, exempt_fixed, limit, None, workers)
    assert isinstance(found, ScenarioSet)  # without a budget the search always completes
    return found


def _exact(
    model: CrossImpactModel,
    max_inconsistency: int,
    fixed: Mapping[str, str] | None,
    exempt_fixed: bool,
    limit: int,
    budget: int | None,
    workers: int | None,
) -> ScenarioSet | int:
    """The exact search's result, or the nodes it spent when it ran out of budget."""
    if max_inconsistency < 0:
        raise InputError(f"the maximum inconsistency must be 0 or more, not {max_inconsistency}")
    layout = _layout(model, fixed, exempt_fixed)
    rows, nodes, status = _run_search(
        model.array, layout, max_inconsistency, limit, budget, workers
    )
    if status == 1:
        raise InputError(
            f"{model.source}: more than {limit:,} scenarios have inconsistency "
            f"<= {max_inconsistency}; lower the maximum inconsistency or fix descriptors"
        )
    if status == 2:
        return nodes
    searched = _searched_size(layout)
    return ScenarioSet(
        descriptors=tuple(d.name for d in model.descriptors),
        scenarios=_scenarios(model, model.array, layout, rows),
        max_inconsistency=max_inconsistency,
        fixed=layout.fixed,
        exempt_fixed=exempt_fixed,
        exact=True,
        space_size=model.space_size,
        searched_size=searched,
        nodes=nodes,
        coverage=f"exact: all {searched:,} scenarios covered by a pruned search ({nodes:,} nodes)",
    )


def sample_scenarios(
    model: CrossImpactModel,
    *,
    starts: int = RANDOM_STARTS,
    seed: int = 0,
    fixed: Mapping[str, str] | None = None,
    exempt_fixed: bool = True,
    max_steps: int = MAX_STEPS,
) -> ScenarioSet:
    """Find consistent scenarios approximately: fixed points of successions from random starts.

    Every scenario returned is truly consistent, but the list may miss consistent scenarios
    whose basins no start fell into; ``coverage`` says how many starts were used out of how many
    scenarios. Both global and adiabatic succession run from the same starts.
    Usage: ``sample_scenarios(model, starts=50_000, seed=1).coverage``.
    """
    layout = _layout(model, fixed, exempt_fixed)
    impacts = model.array
    begin = _random_starts(layout, starts, seed)
    ends = []
    for adiabatic in (False, True):
        canonical, length = _run_succession(impacts, layout, begin, adiabatic, max_steps)
        ends.append(canonical[length == 1])
    points = np.unique(np.concatenate(ends), axis=0)
    # With exempt fixed descriptors the fixed points are exactly the scenarios consistent on
    # the free ones; scoring confirms it and filters the non-exempt case.
    scored = _scenarios(model, impacts, layout, points)
    kept = tuple(s for s in scored if s.inconsistency == 0)
    space = _searched_size(layout)
    share = starts / space
    return ScenarioSet(
        descriptors=tuple(d.name for d in model.descriptors),
        scenarios=kept,
        max_inconsistency=0,
        fixed=layout.fixed,
        exempt_fixed=exempt_fixed,
        exact=False,
        space_size=model.space_size,
        searched_size=space,
        nodes=0,
        coverage=(
            f"approximate: fixed points of global and adiabatic succession from {starts:,} random "
            f"starts ({_percent(share)} of {space:,} scenarios); consistent scenarios with small "
            "basins of attraction may be missing"
        ),
    )


def find_scenarios(
    model: CrossImpactModel,
    *,
    max_inconsistency: int = 0,
    fixed: Mapping[str, str] | None = None,
    exempt_fixed: bool = True,
    node_budget: int = NODE_BUDGET,
    starts: int = RANDOM_STARTS,
    seed: int = 0,
    limit: int = RESULT_LIMIT,
    workers: int | None = None,
) -> ScenarioSet:
    """Search exactly within a node budget, else fall back to `sample_scenarios` and say so.

    The fallback finds consistent scenarios only (``max_inconsistency`` is then reported as 0).
    Usage: ``result = find_scenarios(model); print(result.coverage)``.
    """
    found = _exact(model, max_inconsistency, fixed, exempt_fixed, limit, node_budget, workers)
    if isinstance(found, ScenarioSet):
        return found
    sampled = sample_scenarios(
        model, starts=starts, seed=seed, fixed=fixed, exempt_fixed=exempt_fixed
    )
    return replace(
        sampled, coverage=f"exact search stopped after {found:,} nodes; {sampled.coverage}"
    )
