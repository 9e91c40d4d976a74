"""The readiness forecast as charts and report lines, from an already-computed forecast."""

from __future__ import annotations

from summitry.analysis.readiness import Forecast
from summitry.domain.plan import Plan
from summitry.reports.charts import GanttRow, gantt_svg, s_curve_svg, tornado_svg
from summitry.reports.document import Figure
from summitry.reports.sitrep import ReadinessSummary
from summitry.services.viewmodels import finish_drivers

TOP = 10


def forecast_figures(plan: Plan, result: Forecast) -> list[Figure]:
    """The forecast's charts: S-curve, sensitivity and risk-driver tornados, Gantt with P80.

    Usage: ``for figure in forecast_figures(plan, forecast(plan)): ...``.
    """
    markers = []
    if result.summit_date:
        markers.append(("Summit", result.summit_date))
    points = [(point.date, point.probability) for point in result.overall.s_curve]
    figures = [
        Figure(
            "readiness-s-curve",
            s_curve_svg(
                points, title="Probability that all preparation is finished", markers=markers
            ),
            "S-curve: probability that every task is finished by each date",
        )
    ]
    sensitive = sorted(
        (item for item in result.items if item.sensitivity is not None),
        key=lambda item: -abs(item.sensitivity or 0.0),
    )[:TOP]
    if sensitive:
        figures.append(
            Figure(
                "readiness-sensitivity",
                tornado_svg(
                    [(item.name, item.sensitivity or 0.0) for item in sensitive],
                    title="Which task durations drive the finish",
                    xlabel="Spearman rank correlation with the overall finish",
                ),
                "Sensitivity tornado: rank correlation of each task's duration with the finish",
            )
        )
    if result.risk_drivers:
        figures.append(
            Figure(
                "readiness-risk-drivers",
                tornado_svg(
                    [(driver.name, driver.p80_shift_days) for driver in result.risk_drivers[:TOP]],
                    title="Risk events ranked by how much they delay the P80 finish",
                    xlabel="Working days added to the P80 finish (remove-one-risk method)",
                ),
                "Risk drivers: P80 finish with the risk minus without it",
            )
        )
    deadlines = {stream.id: stream.deadline for stream in plan.workstreams.values()}
    rows = [
        GanttRow(
            item.name,
            item.early_start,
            item.early_finish,
            item.p80_finish,
            deadlines.get(item.workstream or ""),
        )
        for item in result.items
        if item.early_start is not None and item.early_finish is not None
    ]
    if rows:
        figures.append(
            Figure(
                "readiness-gantt",
                gantt_svg(
                    rows,
                    title="Open work: planned dates, P80 finish, deadlines",
                    today=result.as_of,
                ),
                "Gantt: planned (most likely) dates in blue, the P80 finish in grey, workstream "
                "deadlines in orange",
            )
        )
    return figures


def readiness_summary(plan: Plan, result: Forecast, figures: list[Figure]) -> ReadinessSummary:
    """What a situation report shows of a forecast.

    Usage: ``readiness_summary(plan, result, forecast_figures(plan, result))``.
    """
    lines = [
        f"P50 / P80 / P95 finish of all preparation: {result.overall.p50.date} / "
        f"{result.overall.p80.date} / {result.overall.p95.date}."
    ]
    for stream in result.workstreams:
        if stream.ready_by_deadline is not None and stream.deadline is not None:
            lines.append(
                f"{stream.name}: {stream.ready_by_deadline:.0%} ready by its deadline "
                f"{stream.deadline}; P80 {stream.p80.date} ({stream.light})."
            )
    critical = finish_drivers(result)
    if critical:
        lines.append(
            "Tasks that drive the finish: "
            + "; ".join(f"{item.name} (critical in {item.criticality:.0%})" for item in critical)
            + "."
        )
    if result.risk_drivers:
        top = result.risk_drivers[0]
        lines.append(
            f"Top risk driver: {top.name} (+{top.p80_shift_days:.1f} working days at P80)."
        )
    return ReadinessSummary(
        probability=result.overall.ready_probability,
        standard_error=result.overall.ready_se,
        p80={stream.id: stream.p80.date for stream in result.workstreams},
        lights={stream.id: str(stream.light) for stream in result.workstreams},
        iterations=result.iterations,
        seed=result.seed,
        lines=tuple(lines),
        figures=tuple(figures),
    )
