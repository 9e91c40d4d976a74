"""Assembling the `Forecast` from the simulated chunks, the CPM and the risk reruns."""

from __future__ import annotations

from typing import Literal

import numpy as np

from summitry.analysis.network import driving_path, passes, predecessor_counts
from summitry.analysis.readiness._plan import _Context
from summitry.analysis.readiness._results import (
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
from summitry.analysis.readiness._run import _Variant
from summitry.analysis.readiness._statistics import (
    LEVELS,
    _item_p80_days,
    _paired_batch_se,
    _probability,
    _quantile,
    _quantiles,
    _s_curve,
    _spearman,
)
from summitry.analysis.sampling import EPSILON, ChunkResult
from summitry.domain.plan import Plan


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
