"""Finding consistent scenarios: the exact pruned search and the sampling fallback.

`consistent_scenarios` searches exactly, `sample_scenarios` collects fixed points of succession
from random starts, and `find_scenarios` tries the first within a node budget and falls back to
the second, saying so in the result's ``coverage``.
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import replace
from typing import NamedTuple

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
from summitry.analysis.scenarios._watch import Progress, ShouldStop, run_watched
from summitry.errors import InputError

RESULT_LIMIT = 100_000
"""Most scenarios one search returns before it asks for a tighter question."""

NODE_BUDGET = 300_000_000
"""Search nodes `find_scenarios` spends on the exact search before it falls back to sampling.

About 15 s on two cores (dense 22 x 3 matrices take 20-30 million nodes; on 20 x 6 matrices,
where a node costs more, the whole budget takes about 20 s before sampling starts).
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


class _Search(NamedTuple):
    """What one exact search returned."""

    rows: SmallArray
    nodes: int
    status: int
    """0 done, 1 over the result limit, 2 over the node budget, 3 stopped by ``should_stop``."""
    searched: int
    """Scenarios settled: all of the space when done, else those before where it stopped."""


def _settled(row: IntArray, top: int, layout: _Layout, sizes: list[int]) -> int:
    """Scenarios of one branch settled before its current choice ``row`` (-1: not chosen).

    The search walks each branch in lexicographic order of the allowed variants, so everything
    before the current partial choice is done: its rank at each depth times what lies below.
    """
    settled = 0
    for d in range(top, len(row)):
        v = int(row[d])
        if v < 0:
            break
        first = int(layout.start[d])
        settled += int(layout.allowed[first : first + v].sum()) * sizes[d + 1]
    return settled


def _run_search(
    impacts: IntArray,
    layout: _Layout,
    k: int,
    limit: int,
    budget: int | None,
    workers: int | None,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> _Search:
    """Search exactly, on threads for large spaces; see `_Search` for what comes back.

    ``progress(settled, total)`` and ``should_stop()`` are called from this thread a few times a
    second; the kernels only poll a flag every few thousand nodes, so neither slows them.
    """
    suffix = _bound_tables(impacts, layout)
    n = len(layout.count)
    threads = max(1, workers if workers is not None else (os.cpu_count() or 1))
    # Threads only pay once the space is large; small searches stay on the calling thread.
    # Eight branches per thread even out branches that prune early.
    tasks = 1 if threads == 1 or _searched_size(layout) < 50_000 else threads * 8
    prefixes = _prefixes(layout, tasks)
    nodes_so_far = np.zeros(len(prefixes), dtype=np.int64)
    where = np.full((len(prefixes), n), -1, dtype=np.int64)
    stop = np.zeros(1, dtype=np.int64)
    cap = budget if budget is not None else np.iinfo(np.int64).max
    # sizes[d]: scenarios below a choice made down to depth d - 1 (Python ints: no overflow).
    sizes = [1] * (n + 1)
    for d in range(n - 1, -1, -1):
        first = int(layout.start[d])
        sizes[d] = sizes[d + 1] * int(layout.allowed[first : first + int(layout.count[d])].sum())
    top = len(prefixes[0])
    branch_size = sizes[top]
    total = sizes[0]

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
            nodes_so_far,
            slot,
            where,
            stop,
        )

    def settled(parts: Sequence[tuple[SmallArray, int, int] | None]) -> int:
        return sum(
            0
            if part is None
            else branch_size
            if part[2] in (0, 1)
            else _settled(where[slot], top, layout, sizes)
            for slot, part in enumerate(parts)
        )

    def report(futures: Sequence[Future[tuple[SmallArray, int, int]]]) -> None:
        assert progress is not None
        # A running branch's row may be read mid-write: good enough for a bar, never reported.
        done = sum(
            branch_size
            if future.done() and not future.cancelled()
            else _settled(where[slot], top, layout, sizes)
            for slot, future in enumerate(futures)
        )
        progress(min(done, total), total)

    def halt() -> None:
        stop[0] = 1

    if progress is None and should_stop is None and len(prefixes) == 1:
        results: list[tuple[SmallArray, int, int] | None] = [branch(0)]
    else:
        calls = [functools.partial(branch, slot) for slot in range(len(prefixes))]
        results, _ = run_watched(
            threads if len(prefixes) > 1 else 1,
            calls,
            report=report if progress is not None else None,
            should_stop=should_stop,
            on_stop=halt,
        )
    parts = [p for p in results if p is not None]
    found = [p[0] for p in parts if len(p[0])]
    scenarios = np.concatenate(found) if found else np.empty((0, n), dtype=np.int8)
    nodes = sum(int(p[1]) for p in parts)
    statuses = {int(p[2]) for p in parts} | ({3} if len(parts) < len(results) else set())
    # Too many results is an error whatever else happened; a stop asked for beats the budget.
    status = next((s for s in (1, 3, 2) if s in statuses), 0)
    if len(scenarios) > limit:
        status = 1
    searched = total if status in (0, 1) else min(settled(results), total)
    if progress is not None:
        progress(searched, total)
    return _Search(scenarios, nodes, status, searched)


def consistent_scenarios(
    model: CrossImpactModel,
    *,
    max_inconsistency: int = 0,
    fixed: Mapping[str, str] | None = None,
    exempt_fixed: bool = True,
    limit: int = RESULT_LIMIT,
    workers: int | None = None,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> ScenarioSet:
    """Find every scenario with inconsistency at most ``max_inconsistency``, exactly.

    ``fixed`` forces variants ("what if sanctions are relieved?") and searches the rest; with
    ``exempt_fixed`` (the default) a forced descriptor need not be consistent itself, since it
    is set from outside. More than ``limit`` results is an `InputError` asking for a tighter
    question. ``workers`` threads share the search (default: one per CPU).
    ``progress(settled, total)`` is told how many scenarios are settled, a few times a second;
    when ``should_stop()`` turns true (a time limit) the search stops and returns what it found
    in the part it settled, with ``complete`` false and ``searched`` saying how much that was.
    Usage: ``consistent_scenarios(model, max_inconsistency=1, fixed={"sanctions": "relieved"})``.
    """
    found = _exact(
        model, max_inconsistency, fixed, exempt_fixed, limit, None, workers, progress, should_stop
    )
    assert isinstance(found, ScenarioSet)  # without a budget the search always ends in a set
    return found


def _exact(
    model: CrossImpactModel,
    max_inconsistency: int,
    fixed: Mapping[str, str] | None,
    exempt_fixed: bool,
    limit: int,
    budget: int | None,
    workers: int | None,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> ScenarioSet | int:
    """The exact search's result (partial if stopped), or the nodes it spent over budget."""
    if max_inconsistency < 0:
        raise InputError(f"the maximum inconsistency must be 0 or more, not {max_inconsistency}")
    layout = _layout(model, fixed, exempt_fixed)
    search = _run_search(
        model.array, layout, max_inconsistency, limit, budget, workers, progress, should_stop
    )
    if search.status == 1:
        raise InputError(
            f"{model.source}: more than {limit:,} scenarios have inconsistency "
            f"<= {max_inconsistency}; lower the maximum inconsistency or fix descriptors"
        )
    if search.status == 2:
        return search.nodes
    space = _searched_size(layout)
    complete = search.status == 0
    if complete:
        coverage = (
            f"exact: all {space:,} scenarios covered by a pruned search ({search.nodes:,} nodes)"
        )
    else:
        coverage = (
            f"partial: stopped at the time limit after {search.searched:,} of {space:,} "
            f"scenarios ({_percent(search.searched / space)}) in search order "
            f"({search.nodes:,} nodes); scenarios in the rest are not listed"
        )
    return ScenarioSet(
        descriptors=tuple(d.name for d in model.descriptors),
        scenarios=_scenarios(model, model.array, layout, search.rows),
        max_inconsistency=max_inconsistency,
        fixed=layout.fixed,
        exempt_fixed=exempt_fixed,
        exact=complete,
        space_size=model.space_size,
        searched_size=space,
        nodes=search.nodes,
        coverage=coverage,
        complete=complete,
        searched=search.searched,
    )


def sample_scenarios(
    model: CrossImpactModel,
    *,
    starts: int = RANDOM_STARTS,
    seed: int = 0,
    fixed: Mapping[str, str] | None = None,
    exempt_fixed: bool = True,
    max_steps: int = MAX_STEPS,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> ScenarioSet:
    """Find consistent scenarios approximately: fixed points of successions from random starts.

    Every scenario returned is truly consistent, but the list may miss consistent scenarios
    whose basins no start fell into; ``coverage`` says how many starts were used out of how many
    scenarios. Both global and adiabatic succession run from the same starts. When
    ``should_stop()`` turns true, the starts not yet run are left out (``complete`` false,
    ``searched`` the starts run); ``progress(done, total)`` counts runs of both kinds.
    Usage: ``sample_scenarios(model, starts=50_000, seed=1).coverage``.
    """
    layout = _layout(model, fixed, exempt_fixed)
    impacts = model.array
    begin = _random_starts(layout, starts, seed)
    ends = []
    ran = []
    for offset, adiabatic in ((0, False), (starts, True)):
        tick = None if progress is None else _shifted(progress, offset, 2 * starts)
        canonical, length = _run_succession(
            impacts, layout, begin, adiabatic, max_steps, tick, should_stop
        )
        ends.append(canonical[length == 1])
        ran.append(len(canonical))
    points = np.unique(np.concatenate(ends), axis=0)
    # With exempt fixed descriptors the fixed points are exactly the scenarios consistent on
    # the free ones; scoring confirms it and filters the non-exempt case.
    scored = _scenarios(model, impacts, layout, points)
    kept = tuple(s for s in scored if s.inconsistency == 0)
    space = _searched_size(layout)
    complete = ran == [starts, starts]
    if complete:
        coverage = (
            f"approximate: fixed points of global and adiabatic succession from {starts:,} random "
            f"starts ({_percent(starts / space)} of {space:,} scenarios); consistent scenarios "
            "with small basins of attraction may be missing"
        )
    else:
        coverage = (
            f"approximate and partial: stopped at the time limit; fixed points of succession from "
            f"{ran[0]:,} (global) and {ran[1]:,} (adiabatic) of {starts:,} random starts "
            f"({_percent(max(ran) / space)} of {space:,} scenarios); consistent scenarios with "
            "small basins of attraction may be missing"
        )
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
        coverage=coverage,
        complete=complete,
        searched=max(ran),
    )


def _shifted(progress: Progress, offset: int, total: int) -> Progress:
    """A progress callback for one phase of several, reporting on the whole run's scale."""

    def tick(done: int, _: int) -> None:
        progress(offset + done, total)

    return tick


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
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> ScenarioSet:
    """Search exactly within a node budget, else fall back to `sample_scenarios` and say so.

    The fallback finds consistent scenarios only (``max_inconsistency`` is then reported as 0).
    ``progress`` and ``should_stop`` pass on to both (see `consistent_scenarios`); a search
    stopped by ``should_stop`` does not fall back, it returns its partial result.
    Usage: ``result = find_scenarios(model); print(result.coverage)``.
    """
    found = _exact(
        model,
        max_inconsistency,
        fixed,
        exempt_fixed,
        limit,
        node_budget,
        workers,
        progress,
        should_stop,
    )
    if isinstance(found, ScenarioSet):
        return found
    sampled = sample_scenarios(
        model,
        starts=starts,
        seed=seed,
        fixed=fixed,
        exempt_fixed=exempt_fixed,
        progress=progress,
        should_stop=should_stop,
    )
    return replace(
        sampled, coverage=f"exact search stopped after {found:,} nodes; {sampled.coverage}"
    )
