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

The package re-exports everything public from its private submodules, so import from
``summitry.analysis.readiness`` only: `_results` (the `Forecast` and its JSON form), `_forecast`
(the entry point), `_plan` (the plan and options read into one forecast's context), `_run`
(chunks, executors, ``"auto"`` rounds, risk reruns), `_statistics` and `_assemble`. The task
network and the compiled pass it runs live beside the package, in
:mod:`summitry.analysis.network` and :mod:`summitry.analysis.sampling`.
"""

from summitry.analysis.network import Cpm, CpmItem, cpm, quality_check
from summitry.analysis.readiness._forecast import MIN_ITERATIONS, Iterations, forecast
from summitry.analysis.readiness._results import (
    SCHEMA_VERSION,
    CurvePoint,
    FinishQuantile,
    Forecast,
    ItemForecast,
    MergeBias,
    OverallForecast,
    RiskDriver,
    TrafficLight,
    WorkstreamForecast,
)
from summitry.analysis.readiness._run import (
    AUTO_CAP,
    AUTO_P80_SE,
    AUTO_PROBABILITY_SE,
    AUTO_ROUND,
    CHUNK_SIZE,
    MAX_THREADS,
    ChunkExecutor,
    available_cpus,
)
from summitry.analysis.readiness._statistics import BATCHES, LEVELS

__all__ = [
    "AUTO_CAP",
    "AUTO_P80_SE",
    "AUTO_PROBABILITY_SE",
    "AUTO_ROUND",
    "BATCHES",
    "CHUNK_SIZE",
    "LEVELS",
    "MAX_THREADS",
    "MIN_ITERATIONS",
    "SCHEMA_VERSION",
    "ChunkExecutor",
    "Cpm",
    "CpmItem",
    "CurvePoint",
    "FinishQuantile",
    "Forecast",
    "ItemForecast",
    "Iterations",
    "MergeBias",
    "OverallForecast",
    "RiskDriver",
    "TrafficLight",
    "WorkstreamForecast",
    "available_cpus",
    "cpm",
    "forecast",
    "quality_check",
]
