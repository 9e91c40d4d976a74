"""Statistics of the simulated finishes: percentiles, their batch-means errors, probabilities.

Also the S-curves, each item's P80 day from the chunks' finish-day counts, and the Spearman
sensitivity from the chunks' rank sums. Pure functions of arrays and chunk results.
"""

from __future__ import annotations

import math

import numpy as np

from summitry.analysis.network import DayTable
from summitry.analysis.readiness._results import CurvePoint, FinishQuantile
from summitry.analysis.sampling import EPSILON, ChunkResult, FloatArray

BATCHES = 20
"""Batches for the batch-means standard error of a percentile."""
LEVELS = (50, 80, 95)
"""The percentiles reported."""


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
