"""The readiness forecast's entry point: `forecast`, from a plan to a `Forecast`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Literal, TypeAlias

from summitry.analysis.readiness._assemble import _assemble, _trivial
from summitry.analysis.readiness._plan import _read_plan
from summitry.analysis.readiness._results import Forecast
from summitry.analysis.readiness._run import (
    ChunkExecutor,
    _chunk_sizes,
    _risk_drivers,
    _runner,
    _simulate_auto,
)
from summitry.domain.forecasting import Distribution
from summitry.domain.plan import Plan
from summitry.errors import InputError

MIN_ITERATIONS = 100
"""Fewest iterations a forecast accepts."""

Iterations: TypeAlias = int | Literal["auto"] | None


def forecast(
    plan: Plan,
    *,
    iterations: Iterations = None,
    seed: int = 0,
    as_of: date | None = None,
    summit_date: date | None = None,
    mitigate: Sequence[str] = (),
    drop: Sequence[str] = (),
    distribution: Distribution | None = None,
    workers: int = 1,
    executor: ChunkExecutor | None = None,
    progress: Callable[[int, int], None] | None = None,
    threads: int | None = None,
) -> Forecast:
    """Forecast the readiness of a plan by Monte Carlo simulation.

    ``iterations`` defaults to the plan's ``forecast.iterations``; ``"auto"`` adds rounds of
    10,000 iterations until the standard error of the overall P80 is at most 0.5 working day
    and that of the probability of being ready by the summit date at most 0.005, up to
    500,000 iterations (``converged`` says whether it got there). ``as_of`` (the forecast
    start) defaults to the plan's ``summit.as_of``, else today; ``summit_date`` to the plan's.
    ``mitigate`` applies the mitigations of the named risks; ``drop`` removes risks.
    ``distribution`` replaces the plan's default (items naming their own keep it).

    ``executor`` runs the chunks on any object with ``submit`` (a ``concurrent.futures``
    executor, a dask ``Client``); else ``workers > 1`` runs them in that many local processes;
    otherwise they run on ``threads`` threads of this process (default: one per available CPU,
    at most 8; the compiled kernel releases the GIL). Results are identical either way.
    ``progress(done, total)`` is called after each chunk (``total`` grows between rounds of
    ``"auto"`` and when the risk variants are added).

    Raises :class:`~summitry.errors.InputError` for a summit date before the start, a deadline
    before the start in a workstream that still has open work, a start or summit date outside
    the supported dates (1900-01-01 to 2200-12-31), open work that could run past the last of
    them, unknown risk ids, fewer than 100 iterations or fewer than 1 worker or thread.

    Usage: ``forecast(plan, iterations=10_000, seed=1).overall.ready_probability``.
    """
    requested = plan.forecast.iterations if iterations is None else iterations
    if requested != "auto" and (isinstance(requested, bool) or requested < MIN_ITERATIONS):
        raise InputError(f"iterations: must be at least {MIN_ITERATIONS}, got {requested}")
    if workers < 1:
        raise InputError(f"workers: must be at least 1, got {workers}")
    if threads is not None and threads < 1:
        raise InputError(f"threads: must be at least 1, got {threads}")
    context, warnings = _read_plan(
        plan,
        seed=seed,
        as_of=as_of,
        summit_date=summit_date,
        mitigate=mitigate,
        drop=drop,
        distribution=distribution,
    )
    network, start = context.network, context.table.as_of
    if network.spec.items == 0:
        if plan.work_items():
            warnings.append(f"all work is finished: everything is ready as of {start}")
        else:
            warnings.append(
                f"the plan has no tasks or action items: everything is ready as of {start}"
            )
        return _trivial(context, warnings, auto=requested == "auto")
    with _runner(workers, executor, progress, threads) as runner:
        if requested == "auto":
            chunks, converged = _simulate_auto(context, runner)
        else:
            sizes = _chunk_sizes(int(requested))
            chunks = runner.run([(network.spec, seed, c, size) for c, size in enumerate(sizes)])
            converged = None
        drivers = _risk_drivers(context, runner, chunks)
    return _assemble(context, chunks, drivers, converged, warnings)
