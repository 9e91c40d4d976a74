"""The readiness forecast: "are we ready in time?" as Monte Carlo schedule risk.

:func:`forecast` simulates the plan's open work many times — three-point durations (Beta-PERT
with λ = 4, or triangular), durations correlated through shared drivers, risk events with
their delays — and reports the probability of being ready by the summit date and by each
workstream's deadline, P50/P80/P95 dates with their Monte Carlo errors, the S-curve, the
deterministic CPM schedule, the criticality and sensitivity of every item, the risks ranked by
how much each one moves P80, merge bias where parallel paths join, and the schedule-quality
warnings (see :mod:`summitry.analysis.network` for how working days map to dates).

How the measures are computed:

- **Correlation**: a driver's ``correlation`` ρ is the rank correlation it gives two items that
  share only that driver (Gaussian copula, latent correlation ``2·sin(πρ/6)``); an item in
  several drivers adds their shares of its latent variance, scaled down to 1 if they exceed it.
- **Criticality index**: the share of iterations in which an item lies on a critical path to
  the overall finish — found by a backward sweep that follows every driving link (ties count,
  so two equal parallel paths are both critical).
- **Sensitivity**: Spearman's rank correlation between an item's sampled duration (its
  three-point estimate; risk delays are ranked separately) and the overall finish.
- **Risk drivers** (Hulett): the forecast is rerun without each risk in turn on the same random
  numbers, so the shift of P80 and of the ready probability is the risk's effect, not noise.
- **Merge bias**: at each item with two or more open predecessors, the mean simulated start
  against the deterministic one (and against the CPM with mean durations).

Exact vs approximate: probabilities, dates and criticality are exact for the simulated
iterations; their standard errors are binomial (probabilities) and batch means over 20 batches
(percentiles). Beta-PERT quantiles come from a table: within 5e-5 of the task's range for 99 %
of draws, coarser only in the outermost 1/1024 of probability, which moves means by less than
1e-4 of the range. The sensitivity uses each item's copula uniform as its exact rank and the
finish's mid-rank within its chunk of 500 iterations: a consistent estimator of Spearman's
coefficient, with the Monte Carlo error of the ordinary one.

The same seed gives identical results in one process, on threads, in a process pool or on a
dask cluster: iterations run in chunks of a fixed size, chunk ``c`` is seeded from
``SeedSequence(seed).spawn(...)[c]`` and chunks are combined in chunk order.
"""

from __future__ import annotations

import concurrent.futures
import math
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal, Protocol, TypeAlias

import numpy as np
from pydantic import TypeAdapter, ValidationError

from summitry.analysis.network import (
    Cpm,
    CpmItem,
    DayTable,
    Network,
    build_network,
    cpm,
    driving_path,
    network_warnings,
    passes,
    predecessor_counts,
    quality_check,
)
from summitry.analysis.sampling import (
    EPSILON,
    ChunkResult,
    FloatArray,
    release_scratch,
    run_chunk,
)
from summitry.domain.checks import suggest
from summitry.domain.forecasting import Distribution
from summitry.domain.plan import Plan
from summitry.errors import InputError

__all__ = [
    "ChunkExecutor",
    "Cpm",
    "CpmItem",
    "CurvePoint",
    "FinishQuantile",
    "Forecast",
    "ItemForecast",
    "MergeBias",
    "OverallForecast",
    "RiskDriver",
    "TrafficLight",
    "WorkstreamForecast",
    "cpm",
    "forecast",
    "quality_check",
]

SCHEMA_VERSION = 1
"""Version of the JSON document written by :meth:`Forecast.to_dict`."""
CHUNK_SIZE = 500
"""Iterations per chunk: fixed, so results do not depend on how chunks are spread."""
MIN_ITERATIONS = 100
"""Fewest iterations a forecast accepts."""
AUTO_ROUND = 20
"""Chunks added per round of ``iterations="auto"`` (10,000 iterations)."""
AUTO_CAP = 500_000
"""Most iterations ``iterations="auto"`` runs before giving up on convergence."""
AUTO_P80_SE = 0.5
"""``auto`` stops once the standard error of the overall P80 is at most this (working days)…"""
AUTO_PROBABILITY_SE = 0.005
"""…and that of the probability of being ready by the summit date at most this."""
BATCHES = 20
"""Batches for the batch-means standard error of a percentile."""
LEVELS = (50, 80, 95)
"""The percentiles reported."""
MAX_THREADS = 8
"""Most threads a forecast uses by default."""

TrafficLight: TypeAlias = Literal["green", "amber", "red", "none"]
Iterations: TypeAlias = int | Literal["auto"] | None


class ChunkExecutor(Protocol):
    """Anything with ``submit(fn, *args)`` returning a future with ``result()``.

    A ``concurrent.futures.Executor`` and a dask ``distributed.Client`` both qualify.
    """

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Any:
        """Run ``fn(*args)`` somewhere; return a future.

        Usage: ``executor.submit(run_chunk, spec, seed, chunk, size).result()``.
        """


# --- the result -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FinishQuantile:
    """A percentile of a finish: its date, its offset and the offset's standard error.

    ``days`` is in working days from the forecast start (continuous; the date is the day it
    falls on) and ``se_days`` its Monte Carlo standard error by batch means.
    """

    level: int
    date: date
    days: float
    se_days: float


@dataclass(frozen=True)
class CurvePoint:
    """One point of an S-curve: the probability of being finished on or before ``date``."""

    date: date
    probability: float


@dataclass(frozen=True)
class OverallForecast:
    """The whole plan: readiness by the summit date and the finish distribution.

    ``ready_probability`` (and its standard error) is None when there is no summit date.
    ``mean_days`` and ``sd_days`` are the mean and standard deviation of the finish in working
    days. ``deterministic_finish`` is the CPM finish with most likely durations and no risks.
    """

    ready_probability: float | None
    ready_se: float | None
    p50: FinishQuantile
    p80: FinishQuantile
    p95: FinishQuantile
    mean_days: float
    sd_days: float
    deterministic_finish: date
    deterministic_days: float
    s_curve: tuple[CurvePoint, ...]


@dataclass(frozen=True)
class WorkstreamForecast:
    """One workstream: readiness by its deadline and by the summit date, and its finish.

    ``light`` is green when the probability of being ready by the deadline is at least the
    plan's ``forecast.green``, amber from ``forecast.amber``, red below, and "none" when the
    workstream has no deadline.
    """

    id: str
    name: str
    deadline: date | None
    ready_by_deadline: float | None
    ready_by_deadline_se: float | None
    ready_by_summit: float | None
    ready_by_summit_se: float | None
    p50: FinishQuantile
    p80: FinishQuantile
    p95: FinishQuantile
    deterministic_finish: date
    light: TrafficLight
    s_curve: tuple[CurvePoint, ...]


@dataclass(frozen=True)
class ItemForecast:
    """One task or action item.

    Dates and float come from the deterministic CPM (None for finished work).
    ``criticality`` is the share of iterations in which the item lies on a critical path to
    the overall finish; ``sensitivity`` the Spearman rank correlation of its sampled duration
    (its three-point estimate, without risk delays) with the overall finish (None when that
    does not vary); ``p80_finish`` the date by which it is finished in 80 % of iterations.
    """

    id: str
    name: str
    kind: Literal["task", "action"]
    workstream: str | None
    finished: bool
    early_start: date | None
    early_finish: date | None
    late_start: date | None
    late_finish: date | None
    total_float: float | None
    critical: bool
    criticality: float
    sensitivity: float | None
    p80_finish: date | None


@dataclass(frozen=True)
class RiskDriver:
    """What one risk event does to the forecast (Hulett: the baseline minus it).

    ``p80_shift_days`` is how much later the overall P80 is with the risk than without it
    (with its standard error, from the paired runs); ``ready_shift`` how much the probability
    of being ready by the summit date rises without it (None without a summit date).
    ``probability`` is the one used, after mitigation when ``mitigated``.
    """

    id: str
    name: str
    probability: float
    mitigated: bool
    p80_shift_days: float
    p80_shift_se: float
    mean_shift_days: float
    ready_shift: float | None


@dataclass(frozen=True)
class MergeBias:
    """Where parallel paths join: the simulated start against the deterministic one.

    ``difference_days`` = ``mean_start_days`` − ``deterministic_start_days`` (most likely
    durations). ``expected_path_start_days`` is the CPM start with mean durations (risks at
    their expected delay); ``merge_bias_days`` = ``mean_start_days`` − that, the part due to
    the join alone (never negative but for Monte Carlo noise).
    """

    id: str
    name: str
    predecessors: int
    deterministic_start: date
    deterministic_start_days: float
    mean_start_days: float
    difference_days: float
    expected_path_start_days: float
    merge_bias_days: float


@dataclass(frozen=True)
class Forecast:
    """The readiness forecast of a plan; see :func:`forecast`.

    ``converged`` is None unless ``iterations="auto"`` was asked for. ``mitigated`` and
    ``dropped`` name the risks changed for this variant.
    """

    as_of: date
    summit_date: date | None
    iterations: int
    seed: int
    distribution: Distribution
    converged: bool | None
    mitigated: tuple[str, ...]
    dropped: tuple[str, ...]
    overall: OverallForecast
    workstreams: tuple[WorkstreamForecast, ...]
    items: tuple[ItemForecast, ...]
    critical_path: tuple[str, ...]
    risk_drivers: tuple[RiskDriver, ...]
    merge_bias: tuple[MergeBias, ...]
    warnings: tuple[str, ...]

    def workstream(self, workstream_id: str) -> WorkstreamForecast:
        """The forecast of one workstream.

        Usage: ``result.workstream("security").ready_by_deadline``.
        """
        for entry in self.workstreams:
            if entry.id == workstream_id:
                return entry
        raise KeyError(workstream_id)

    def item(self, item_id: str) -> ItemForecast:
        """The forecast of one task or action item.

        Usage: ``result.item("venue-survey").criticality``.
        """
        for entry in self.items:
            if entry.id == item_id:
                return entry
        raise KeyError(item_id)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings) with ``schema_version`` and ``kind``.

        Usage: ``json.dumps(result.to_dict())``.
        """
        body: dict[str, Any] = _FORECAST_JSON.dump_python(self, mode="json")
        return {"schema_version": SCHEMA_VERSION, "kind": "forecast", **body}

    @classmethod
    def from_dict(cls, data: Any) -> Forecast:
        """Read back a dict written by :meth:`to_dict` (e.g. a previous forecast).

        Raises :class:`~summitry.errors.InputError` (one line) when it is not one.

        Usage: ``Forecast.from_dict(json.loads(path.read_text()))``.
        """
        if not isinstance(data, dict) or data.get("kind") != "forecast":
            raise InputError('not a summitry forecast (expected "kind": "forecast")')
        if data.get("schema_version") != SCHEMA_VERSION:
            raise InputError(
                f"forecast schema_version {data.get('schema_version')!r} is not supported "
                f"(expected {SCHEMA_VERSION})"
            )
        body = {k: v for k, v in data.items() if k not in ("schema_version", "kind")}
        try:
            return _FORECAST_JSON.validate_python(body)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise InputError(
                f"forecast document is incomplete or damaged: {where}: {first['msg']}"
            ) from None


# --- the engine -------------------------------------------------------------------------------


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
    before the start in a workstream that still has open work, unknown risk ids, fewer than
    100 iterations or fewer than 1 worker or thread.

    Usage: ``forecast(plan, iterations=10_000, seed=1).overall.ready_probability``.
    """
    requested = plan.forecast.iterations if iterations is None else iterations
    if requested != "auto" and (isinstance(requested, bool) or requested < MIN_ITERATIONS):
        raise InputError(f"iterations: must be at least {MIN_ITERATIONS}, got {requested}")
    if workers < 1:
        raise InputError(f"workers: must be at least 1, got {workers}")
    if threads is not None and threads < 1:
        raise InputError(f"threads: must be at least 1, got {threads}")
    _check_risk_ids(plan, "mitigate", mitigate)
    _check_risk_ids(plan, "drop", drop)
    start = as_of or plan.summit.as_of or date.today()
    summit = summit_date or plan.summit.earliest_date
    used = Distribution(distribution) if distribution else plan.forecast.distribution
    network = build_network(plan, used, mitigate, drop)
    _check_dates(plan, network, start, summit, summit_date is not None)
    warnings = network_warnings(plan, network)
    for rid in dict.fromkeys(mitigate):
        if plan.risks[rid].mitigation is None:
            warnings.append(f"risks.{rid}: has no mitigation; mitigating it changes nothing")
    if summit is None:
        warnings.append(
            "summit: no summit date; the probability of being ready by it is not computed"
        )
    table = DayTable.of(plan.summit.calendar, start)
    context = _Context(
        plan=plan,
        network=network,
        table=table,
        summit=summit,
        seed=seed,
        distribution=used,
        mitigate=tuple(dict.fromkeys(mitigate)),
        drop=tuple(dict.fromkeys(drop)),
    )
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


def _check_risk_ids(plan: Plan, option: str, ids: Sequence[str]) -> None:
    for rid in ids:
        if rid not in plan.risks:
            raise InputError(f"{option}: unknown risk '{rid}'{suggest(rid, plan.risks)}")


def _check_dates(
    plan: Plan, network: Network, start: date, summit: date | None, given: bool
) -> None:
    if summit is not None and summit < start:
        where = "summit_date" if given else "summit.date"
        raise InputError(f"{where}: {summit} is before the forecast starts ({start})")
    # A deadline that has passed is an error only while its workstream still has open work:
    # finished workstreams keep their historical deadlines without blocking the forecast.
    active = set(network.spec.workstream.tolist())
    for k, (wid, stream) in enumerate(plan.workstreams.items()):
        if k in active and stream.deadline is not None and stream.deadline < start:
            raise InputError(
                f"workstreams.{wid}.deadline: {stream.deadline} is before the forecast starts "
                f"({start})"
            )


def _chunk_sizes(iterations: int) -> list[int]:
    full, rest = divmod(iterations, CHUNK_SIZE)
    return [CHUNK_SIZE] * full + ([rest] if rest else [])


@dataclass(frozen=True)
class _Context:
    plan: Plan
    network: Network
    table: DayTable
    summit: date | None
    seed: int
    distribution: Distribution
    mitigate: tuple[str, ...]
    drop: tuple[str, ...]

    @property
    def summit_days(self) -> int | None:
        """Working days from the start to the summit date, inclusive (None without one).

        Usage: ``context.summit_days``.
        """
        return None if self.summit is None else self.table.days_until(self.summit)


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


# --- statistics -------------------------------------------------------------------------------


def _quantile(values: FloatArray, q: float) -> float:
    # The smallest simulated value with at least a share q of iterations at or below it
    # (numpy's "inverted_cdf" quantile), as an order statistic.
    k = max(math.ceil(q * values.size - 1e-9), 1) - 1
    return float(np.partition(values, k)[k])


def _batches(values: FloatArray) -> list[FloatArray]:
    count = BATCHES if values.size >= 50 * BATCHES else max(2, values.size // 50)
    return list(np.array_split(values, count))


def _batch_se(values: FloatArray, q: float) -> float:
    estimates = [_quantile(batch, q) for batch in _batches(values)]
    return float(np.std(estimates, ddof=1) / math.sqrt(len(estimates)))


def _paired_batch_se(first: FloatArray, second: FloatArray, q: float) -> float:
    pairs = zip(_batches(first), _batches(second), strict=True)
    estimates = [_quantile(a, q) - _quantile(b, q) for a, b in pairs]
    return float(np.std(estimates, ddof=1) / math.sqrt(len(estimates)))


def _probability(values: FloatArray, limit: int | None) -> tuple[float | None, float | None]:
    if limit is None:
        return None, None
    p = float(np.mean(values <= limit + EPSILON))
    return p, math.sqrt(p * (1.0 - p) / values.size)


def _quantiles(values: FloatArray, table: DayTable) -> tuple[FinishQuantile, ...]:
    out = []
    for level in LEVELS:
        days = _quantile(values, level / 100)
        out.append(
            FinishQuantile(
                level=level,
                date=table.finish_date(days),
                days=days,
                se_days=_batch_se(values, level / 100),
            )
        )
    return tuple(out)


def _s_curve(values: FloatArray, table: DayTable) -> tuple[CurvePoint, ...]:
    days = np.maximum(np.ceil(values - EPSILON), 0).astype(np.int64)
    counts = np.bincount(days)
    first = int(days.min())
    cumulative = np.cumsum(counts)[first:] / values.size
    dates = table.day_dates(np.arange(first, counts.size))
    return tuple(
        CurvePoint(date=day, probability=float(p))
        for day, p in zip(dates, cumulative.tolist(), strict=True)
    )


def _item_p80_days(chunks: list[ChunkResult], total: int) -> list[int]:
    # Merge each item's finish-day counts over the chunks, then find the first day by which
    # at least 80 % of iterations have finished (the same rule as for the overall P80).
    low = np.min([chunk.day_low for chunk in chunks], axis=0)
    high = np.max([chunk.day_low + np.diff(chunk.day_ptr) - 1 for chunk in chunks], axis=0)
    widths = high - low + 1
    ptr = np.concatenate(([0], np.cumsum(widths)))
    counts = np.zeros(int(ptr[-1]), dtype=np.int64)
    n = low.size
    for chunk in chunks:
        chunk_widths = np.diff(chunk.day_ptr)
        owner = np.repeat(np.arange(n), chunk_widths)
        within = np.arange(chunk.day_counts.size) - np.repeat(chunk.day_ptr[:-1], chunk_widths)
        position = ptr[owner] + (chunk.day_low[owner] - low[owner]) + within
        counts[position] += chunk.day_counts
    cumulative = np.cumsum(counts)
    before = np.concatenate(([0], cumulative))[ptr[:-1]]
    need = math.ceil(0.8 * total - 1e-9)
    index = np.searchsorted(cumulative, before + need, side="left")
    days: list[int] = (low + index - ptr[:-1]).tolist()
    return days


# --- risk drivers (Hulett) --------------------------------------------------------------------


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


# --- assembling the result --------------------------------------------------------------------


def _light(p: float | None, plan: Plan) -> TrafficLight:
    if p is None:
        return "none"
    if p >= plan.forecast.green:
        return "green"
    if p >= plan.forecast.amber:
        return "amber"
    return "red"


def _assemble(
    context: _Context,
    chunks: list[ChunkResult],
    variants: list[_Variant],
    converged: bool | None,
    warnings: list[str],
) -> Forecast:
    plan, network, table = context.plan, context.network, context.table
    finish = np.concatenate([chunk.finish for chunk in chunks])
    total = finish.size
    streams = np.concatenate([chunk.workstream_finish for chunk in chunks], axis=0)
    deterministic = passes(network, network.most_likely)
    expected = passes(network, network.mean)
    limit = context.summit_days

    p50, p80, p95 = _quantiles(finish, table)
    ready, ready_se = _probability(finish, limit)
    overall = OverallForecast(
        ready_probability=ready,
        ready_se=ready_se,
        p50=p50,
        p80=p80,
        p95=p95,
        mean_days=float(finish.mean()),
        sd_days=float(finish.std(ddof=1)),
        deterministic_finish=table.finish_date(deterministic.finish),
        deterministic_days=deterministic.finish,
        s_curve=_s_curve(finish, table),
    )

    index = network.index
    work = plan.work_items()
    workstreams = []
    for k, (wid, stream) in enumerate(plan.workstreams.items()):
        values = streams[:, k]
        by_deadline = _probability(
            values, None if stream.deadline is None else table.days_until(stream.deadline)
        )
        by_summit = _probability(values, limit)
        members = network.spec.workstream == k
        cpm_finish = float(deterministic.early_finish[members].max()) if members.any() else 0.0
        s50, s80, s95 = _quantiles(values, table)
        workstreams.append(
            WorkstreamForecast(
                id=wid,
                name=stream.name,
                deadline=stream.deadline,
                ready_by_deadline=by_deadline[0],
                ready_by_deadline_se=by_deadline[1],
                ready_by_summit=by_summit[0],
                ready_by_summit_se=by_summit[1],
                p50=s50,
                p80=s80,
                p95=s95,
                deterministic_finish=table.finish_date(cpm_finish),
                light=_light(by_deadline[0], plan),
                s_curve=_s_curve(values, table),
            )
        )

    critical_counts = np.sum([chunk.critical for chunk in chunks], axis=0)
    start_sum = np.sum([chunk.start_sum for chunk in chunks], axis=0)
    sensitivity = _spearman(chunks, total)
    p80_days = _item_p80_days(chunks, total)
    slack = deterministic.total_float
    durations = network.most_likely
    early_starts = table.start_dates(deterministic.early_start, durations)
    early_finishes = table.finish_dates(deterministic.early_finish)
    late_starts = table.start_dates(deterministic.late_start, durations)
    late_finishes = table.finish_dates(deterministic.late_finish)
    p80_dates = table.day_dates(p80_days)
    items = []
    for item, record in work.items():
        kind: Literal["task", "action"] = "task" if item in plan.tasks else "action"
        i = index.get(item)
        if i is None:
            items.append(
                ItemForecast(
                    id=item,
                    name=record.name,
                    kind=kind,
                    workstream=network.streams[item],
                    finished=True,
                    early_start=None,
                    early_finish=None,
                    late_start=None,
                    late_finish=None,
                    total_float=None,
                    critical=False,
                    criticality=0.0,
                    sensitivity=None,
                    p80_finish=None,
                )
            )
            continue
        items.append(
            ItemForecast(
                id=item,
                name=record.name,
                kind=kind,
                workstream=network.streams[item],
                finished=False,
                early_start=early_starts[i],
                early_finish=early_finishes[i],
                late_start=late_starts[i],
                late_finish=late_finishes[i],
                total_float=float(slack[i]),
                critical=bool(slack[i] <= EPSILON),
                criticality=float(critical_counts[i] / total),
                sensitivity=sensitivity[i],
                p80_finish=p80_dates[i],
            )
        )

    merge = []
    counts = predecessor_counts(network)
    for i, item in enumerate(network.order):
        if counts[i] < 2:
            continue
        mean_start = float(start_sum[i] / total)
        planned = float(deterministic.early_start[i])
        merge.append(
            MergeBias(
                id=item,
                name=work[item].name,
                predecessors=int(counts[i]),
                deterministic_start=early_starts[i],
                deterministic_start_days=planned,
                mean_start_days=mean_start,
                difference_days=mean_start - planned,
                expected_path_start_days=float(expected.early_start[i]),
                merge_bias_days=mean_start - float(expected.early_start[i]),
            )
        )
    merge.sort(key=lambda entry: -entry.merge_bias_days)

    drivers = []
    base_p80 = p80.days
    for variant in variants:
        shifted_ready, _ = _probability(variant.finish, limit)
        drivers.append(
            RiskDriver(
                id=variant.rid,
                name=plan.risks[variant.rid].name,
                probability=variant.probability,
                mitigated=variant.rid in context.mitigate
                and plan.risks[variant.rid].mitigation is not None,
                p80_shift_days=base_p80 - _quantile(variant.finish, 0.8),
                p80_shift_se=_paired_batch_se(finish, variant.finish, 0.8),
                mean_shift_days=float(finish.mean() - variant.finish.mean()),
                ready_shift=None
                if shifted_ready is None or ready is None
                else shifted_ready - ready,
            )
        )
    drivers.sort(key=lambda d: (-d.p80_shift_days, -(d.ready_shift or 0.0), d.id))

    return Forecast(
        as_of=table.as_of,
        summit_date=context.summit,
        iterations=total,
        seed=context.seed,
        distribution=context.distribution,
        converged=converged,
        mitigated=context.mitigate,
        dropped=context.drop,
        overall=overall,
        workstreams=tuple(workstreams),
        items=tuple(items),
        critical_path=driving_path(network, deterministic),
        risk_drivers=tuple(drivers),
        merge_bias=tuple(merge),
        warnings=tuple(warnings),
    )


def _spearman(chunks: list[ChunkResult], total: int) -> list[float | None]:
    u_sum = np.sum([chunk.u_sum for chunk in chunks], axis=0)
    u_squares = np.sum([chunk.u_squares for chunk in chunks], axis=0)
    u_rank = np.sum([chunk.u_rank for chunk in chunks], axis=0)
    rank_sum = sum(chunk.rank_sum for chunk in chunks)
    rank_squares = sum(chunk.rank_squares for chunk in chunks)
    mean_u = u_sum / total
    mean_v = rank_sum / total
    var_u = u_squares / total - mean_u**2
    var_v = rank_squares / total - mean_v**2
    varies = (var_u > 1e-12) & (var_v > 1e-12)
    denominator = np.sqrt(np.where(varies, var_u * var_v, 1.0))
    rho = np.clip((u_rank / total - mean_u * mean_v) / denominator, -1.0, 1.0)
    return [float(r) if ok else None for r, ok in zip(rho.tolist(), varies.tolist(), strict=True)]


def _trivial(context: _Context, warnings: list[str], auto: bool) -> Forecast:
    plan, table = context.plan, context.table
    start = table.as_of
    ready = 1.0 if context.summit is not None else None
    se = 0.0 if ready is not None else None
    quantiles = tuple(FinishQuantile(level, start, 0.0, 0.0) for level in LEVELS)
    curve = (CurvePoint(start, 1.0),)
    workstreams = tuple(
        WorkstreamForecast(
            id=wid,
            name=stream.name,
            deadline=stream.deadline,
            ready_by_deadline=1.0 if stream.deadline is not None else None,
            ready_by_deadline_se=0.0 if stream.deadline is not None else None,
            ready_by_summit=ready,
            ready_by_summit_se=se,
            p50=quantiles[0],
            p80=quantiles[1],
            p95=quantiles[2],
            deterministic_finish=start,
            light=_light(1.0 if stream.deadline is not None else None, plan),
            s_curve=curve,
        )
        for wid, stream in plan.workstreams.items()
    )
    items = tuple(
        ItemForecast(
            id=item,
            name=record.name,
            kind="task" if item in plan.tasks else "action",
            workstream=context.network.streams[item],
            finished=True,
            early_start=None,
            early_finish=None,
            late_start=None,
            late_finish=None,
            total_float=None,
            critical=False,
            criticality=0.0,
            sensitivity=None,
            p80_finish=None,
        )
        for item, record in plan.work_items().items()
    )
    return Forecast(
        as_of=start,
        summit_date=context.summit,
        iterations=0,
        seed=context.seed,
        distribution=context.distribution,
        converged=True if auto else None,
        mitigated=context.mitigate,
        dropped=context.drop,
        overall=OverallForecast(
            ready_probability=ready,
            ready_se=se,
            p50=quantiles[0],
            p80=quantiles[1],
            p95=quantiles[2],
            mean_days=0.0,
            sd_days=0.0,
            deterministic_finish=start,
            deterministic_days=0.0,
            s_curve=curve,
        ),
        workstreams=workstreams,
        items=items,
        critical_path=(),
        risk_drivers=(),
        merge_bias=(),
        warnings=tuple(warnings),
    )


# --- JSON -------------------------------------------------------------------------------------

# The result classes are plain dataclasses; pydantic reads and writes them, dates as ISO text.
_FORECAST_JSON: TypeAdapter[Forecast] = TypeAdapter(Forecast)
