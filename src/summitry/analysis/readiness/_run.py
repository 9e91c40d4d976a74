"""Running the Monte Carlo iterations: chunks, executors, ``"auto"`` rounds and risk reruns.

Iterations run in chunks of a fixed size (so results do not depend on where chunks run) on
this thread, a thread or process pool, or any executor with ``submit`` (a dask ``Client``);
results come back in chunk order. The risk drivers rerun every chunk without each risk in turn
on the same random numbers.
"""

from __future__ import annotations

import concurrent.futures
import math
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np

from summitry.analysis.readiness._plan import _Context
from summitry.analysis.readiness._statistics import _batch_se
from summitry.analysis.sampling import (
    EPSILON,
    ChunkResult,
    FloatArray,
    release_scratch,
    run_chunk,
)

CHUNK_SIZE = 500
"""Iterations per chunk: fixed, so results do not depend on how chunks are spread."""

AUTO_ROUND = 20
"""Chunks added per round of ``iterations="auto"`` (10,000 iterations)."""
AUTO_CAP = 500_000
"""Most iterations ``iterations="auto"`` runs before giving up on convergence."""
AUTO_P80_SE = 0.5
"""``auto`` stops once the standard error of the overall P80 is at most this (working days)…"""
AUTO_PROBABILITY_SE = 0.005
"""…and that of the probability of being ready by the summit date at most this."""

MAX_THREADS = 8
"""Most threads a forecast uses by default."""


class ChunkExecutor(Protocol):
    """Anything with ``submit(fn, *args)`` returning a future with ``result()``.

    A ``concurrent.futures.Executor`` and a dask ``distributed.Client`` both qualify.
    """

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Any:
        """Run ``fn(*args)`` somewhere; return a future.

        Usage: ``executor.submit(run_chunk, spec, seed, chunk, size).result()``.
        """


def _chunk_sizes(iterations: int) -> list[int]:
    full, rest = divmod(iterations, CHUNK_SIZE)
    return [CHUNK_SIZE] * full + ([rest] if rest else [])


class _Runner:
    """Runs chunk calls in order here or on an executor, reporting progress."""

    def __init__(
        self, executor: ChunkExecutor | None, progress: Callable[[int, int], None] | None
    ) -> None:
        self.executor = executor
        self.progress = progress
        self.done = 0
        self.total = 0

    def run(self, calls: list[tuple[Any, ...]]) -> list[ChunkResult]:
        """Run ``run_chunk(*call)`` for each call; the results come back in call order.

        Usage: ``runner.run([(spec, seed, 0, 500)])``.
        """
        self.total = self.done + len(calls)
        results: list[ChunkResult] = []
        if self.executor is None:
            for call in calls:
                results.append(run_chunk(*call))
                self._tick()
            return results
        futures = [self.executor.submit(run_chunk, *call) for call in calls]
        for future in futures:
            results.append(future.result())
            self._tick()
        return results

    def _tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)


def available_cpus() -> int:
    """CPUs this process may run on.

    Usage: ``available_cpus()``.
    """
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


@contextmanager
def _runner(
    workers: int,
    executor: ChunkExecutor | None,
    progress: Callable[[int, int], None] | None,
    threads: int | None,
) -> Iterator[_Runner]:
    if executor is not None:
        yield _Runner(executor, progress)
    elif workers > 1:
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
            yield _Runner(pool, progress)
    else:
        count = min(available_cpus(), MAX_THREADS) if threads is None else threads
        if count == 1:
            try:
                yield _Runner(None, progress)
            finally:
                release_scratch()
            return
        with concurrent.futures.ThreadPoolExecutor(max_workers=count) as pool:
            yield _Runner(pool, progress)


def _simulate_auto(context: _Context, runner: _Runner) -> tuple[list[ChunkResult], bool]:
    chunks: list[ChunkResult] = []
    spec = context.network.spec
    while True:
        first = len(chunks)
        calls = [(spec, context.seed, c, CHUNK_SIZE) for c in range(first, first + AUTO_ROUND)]
        chunks += runner.run(calls)
        finish = np.concatenate([chunk.finish for chunk in chunks])
        p80_se = _batch_se(finish, 0.8)
        settled = p80_se <= AUTO_P80_SE
        limit = context.summit_days
        if limit is not None:
            p = float(np.mean(finish <= limit + EPSILON))
            settled = settled and math.sqrt(p * (1 - p) / finish.size) <= AUTO_PROBABILITY_SE
        if settled:
            return chunks, True
        if finish.size + AUTO_ROUND * CHUNK_SIZE > AUTO_CAP:
            return chunks, False


@dataclass(frozen=True)
class _Variant:
    rid: str
    probability: float
    finish: FloatArray


def _risk_drivers(context: _Context, runner: _Runner, chunks: list[ChunkResult]) -> list[_Variant]:
    spec = context.network.spec
    risks = list(context.network.risks.items())
    calls: list[tuple[Any, ...]] = []
    for _, (r, probability) in risks:
        without = spec.risk_probability.copy()
        without[r] = 0.0
        variant = replace(spec, risk_probability=without)
        for c, chunk in enumerate(chunks):
            size = chunk.finish.size
            calls.append((variant, context.seed, c, size, False, r, probability, chunk.finish))
    if not calls:
        return []
    results = runner.run(calls)
    per = len(chunks)
    return [
        _Variant(
            rid=rid,
            probability=probability,
            finish=np.concatenate([result.finish for result in results[k * per : (k + 1) * per]]),
        )
        for k, (rid, (_, probability)) in enumerate(risks)
    ]
