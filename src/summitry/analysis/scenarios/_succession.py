"""Succession analysis: where the CIB update rule leads from every start, global or adiabatic.

`succession` collects the attractors (fixed points and cycles) and their basins; the threaded
run over many starts is shared with `sample_scenarios`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

# Kernels are called through their module, not imported by name: see `_kernels`.
from summitry.analysis.scenarios import _kernels
from summitry.analysis.scenarios._layout import (
    _all_starts,
    _Layout,
    _layout,
    _percent,
    _random_starts,
    _scenarios,
    _searched_size,
)
from summitry.analysis.scenarios._model import CrossImpactModel, IntArray, SmallArray
from summitry.analysis.scenarios._results import Attractor, SuccessionMode, SuccessionResult
from summitry.analysis.scenarios._watch import Progress, ShouldStop, run_watched
from summitry.errors import InputError

EXHAUSTIVE_STARTS = 200_000
"""Largest space in which succession analysis starts from every scenario."""

RANDOM_STARTS = 20_000
"""Random starts for succession analysis (and sampling) in spaces larger than that."""

MAX_STEPS = 1_000
"""Succession steps after which a run that has not repeated a state counts as unsettled."""


def succession(
    model: CrossImpactModel,
    *,
    mode: SuccessionMode = "global",
    starts: int | None = None,
    seed: int = 0,
    fixed: Mapping[str, str] | None = None,
    max_steps: int = MAX_STEPS,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> SuccessionResult:
    """Run succession from every scenario (small spaces) or from random starts, and collect ends.

    With ``starts`` left out, spaces of up to `EXHAUSTIVE_STARTS` scenarios use every scenario
    as a start and larger ones `RANDOM_STARTS` random starts; ``coverage`` says which. Forced
    descriptors in ``fixed`` keep their variant throughout. ``progress(done, total)`` counts
    starts run; once ``should_stop()`` is true the starts not yet run are left out and the
    result says so (``complete`` false, ``starts`` those that ran).
    Usage: ``succession(model, mode="adiabatic").fixed_points``.
    """
    if mode not in ("global", "adiabatic"):
        raise InputError(f"succession mode must be 'global' or 'adiabatic', not '{mode}'")
    layout = _layout(model, fixed, exempt_fixed=True)
    space = _searched_size(layout)
    exhaustive = starts is None and space <= EXHAUSTIVE_STARTS
    if exhaustive:
        begin = _all_starts(layout)
    else:
        begin = _random_starts(layout, starts or RANDOM_STARTS, seed)
    impacts = model.array
    canonical, length = _run_succession(
        impacts, layout, begin, mode == "adiabatic", max_steps, progress, should_stop
    )
    settled = length > 0
    heads, basins = np.unique(canonical[settled], axis=0, return_counts=True)
    total = len(canonical)
    complete = total == len(begin)
    attractors = []
    for head, basin in zip(heads, basins, strict=True):
        states = _cycle_from(impacts, layout, head, mode == "adiabatic", max_steps)
        scored = _scenarios(model, impacts, layout, states)
        by_row = {s.indices: s for s in scored}
        ordered = tuple(by_row[tuple(int(v) for v in r)] for r in states)
        attractors.append(
            Attractor(
                kind="fixed point" if len(ordered) == 1 else "cycle",
                states=ordered,
                basin=int(basin),
                basin_share=int(basin) / total,
            )
        )
    attractors.sort(key=lambda a: (-a.basin, len(a.states), a.states[0].indices))
    if not complete:
        coverage = (
            f"partial: stopped at the time limit after {total:,} of {len(begin):,} starts "
            f"({_percent(total / space)} of {space:,} scenarios); attractors with small basins "
            "may be missing"
        )
    elif exhaustive:
        coverage = f"exhaustive: every one of the {space:,} scenarios used as a start"
    else:
        coverage = (
            f"approximate: {total:,} random starts ({_percent(total / space)} of "
            f"{space:,} scenarios); attractors with small basins may be missing"
        )
    return SuccessionResult(
        mode=mode,
        attractors=tuple(attractors),
        starts=total,
        exhaustive=exhaustive and complete,
        space_size=space,
        unsettled=int((~settled).sum()),
        max_steps=max_steps,
        coverage=coverage,
        complete=complete,
    )


CHUNK_STARTS = 500
"""Starts per call when a run is watched: a fraction of a second each on big matrices."""


def _run_succession(
    impacts: IntArray,
    layout: _Layout,
    begin: SmallArray,
    adiabatic: bool,
    max_steps: int,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> tuple[SmallArray, IntArray]:
    """Run succession from every start, the starts shared out over one thread per CPU.

    Watched (``progress`` or ``should_stop`` given), the starts go in chunks of
    `CHUNK_STARTS`; a stop leaves out the chunks not yet run, so the arrays returned may be
    shorter than ``begin`` (the starts that ran, in order). Each start's end does not depend on
    the others, so chunking never changes a result.
    """
    threads = os.cpu_count() or 1

    def run(chunk: SmallArray) -> tuple[SmallArray, IntArray]:
        return _kernels._succession(
            impacts, layout.start, layout.count, layout.frozen, chunk, adiabatic, max_steps
        )

    if progress is None and should_stop is None:
        if threads == 1 or len(begin) < 2_000:
            return run(begin)
        chunks = np.array_split(begin, threads)
        with ThreadPoolExecutor(max_workers=threads) as pool:
            parts = list(pool.map(run, chunks))
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    pieces = [begin[i : i + CHUNK_STARTS] for i in range(0, len(begin), CHUNK_STARTS)]

    def report(futures: Sequence[Future[tuple[SmallArray, IntArray]]]) -> None:
        assert progress is not None
        done = sum(len(p) for p, f in zip(pieces, futures, strict=True) if f.done())
        progress(done, len(begin))

    results, _ = run_watched(
        threads,
        [functools.partial(run, piece) for piece in pieces],
        report=report if progress is not None else None,
        should_stop=should_stop,
    )
    finished = [r for r in results if r is not None]
    if not finished:
        return np.empty((0, begin.shape[1]), dtype=np.int8), np.empty(0, dtype=np.int64)
    return np.concatenate([r[0] for r in finished]), np.concatenate([r[1] for r in finished])


def _cycle_from(
    impacts: IntArray, layout: _Layout, head: SmallArray, adiabatic: bool, max_steps: int
) -> SmallArray:
    """The states of the cycle named by its smallest state, in succession order."""
    states = [head.astype(np.int8)]
    balance = impacts[layout.start + states[0]].sum(axis=0).astype(np.int64)
    for _ in range(max_steps):
        following = np.empty_like(states[0])
        _kernels._step(
            impacts,
            layout.start,
            layout.count,
            layout.frozen,
            states[-1],
            following,
            balance,
            adiabatic,
        )
        if np.array_equal(following, states[0]):
            break
        states.append(following)
    return np.stack(states)
