"""Terminal rendering of the readiness forecast and its what-ifs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from summitry.console import out
from summitry.services.viewmodels import finish_drivers

if TYPE_CHECKING:
    from summitry.analysis.readiness import Forecast

LIGHT_STYLE = {"green": "green", "amber": "yellow", "red": "bold red", "none": "dim"}


def _percent(value: float | None, error: float | None = None) -> str:
    if value is None:
        return "—"
    return f"{value:.0%}" + (f" ± {error:.1%}" if error else "")


def render_forecast(result: Forecast, previous: Forecast | None = None) -> None:
    """Print the readiness forecast: headline, workstreams, critical tasks, risk drivers.

    With ``previous``, each figure is followed by last time's ("71 %, was 78 %").
    Usage: ``render_forecast(forecast(plan), Forecast.from_dict(last))``.
    """
    overall = result.overall
    was = ""
    if previous is not None and previous.overall.ready_probability is not None:
        was = f", was {previous.overall.ready_probability:.0%} on {previous.as_of}"
    if overall.ready_probability is not None:
        out.print(
            f"[bold]Ready by the summit date ({result.summit_date}): "
            f"{_percent(overall.ready_probability, overall.ready_se)}[/]{was}"
        )
    out.print(
        f"All preparation finished — P50 {overall.p50.date}, P80 {overall.p80.date}, "
        f"P95 {overall.p95.date} (deterministic plan: {overall.deterministic_finish}); "
        f"{result.iterations:,} iterations, seed {result.seed}"
        + (
            f", converged: {'yes' if result.converged else 'no'}"
            if result.converged is not None
            else ""
        )
    )
    before = {stream.id: stream for stream in previous.workstreams} if previous else {}
    table = Table(title="Readiness by workstream", title_justify="left")
    for column in ("Workstream", "Deadline", "Ready by deadline", "P50", "P80", "Light"):
        table.add_column(column)
    for stream in result.workstreams:
        ready = _percent(stream.ready_by_deadline, stream.ready_by_deadline_se)
        old = before.get(stream.id)
        if old is not None and old.ready_by_deadline is not None:
            ready += f" (was {old.ready_by_deadline:.0%})"
        late = stream.deadline is not None and stream.p80.date > stream.deadline
        p80 = f"[red]{stream.p80.date}[/]" if late else str(stream.p80.date)
        table.add_row(
            escape(stream.name),
            str(stream.deadline or "—"),
            ready,
            str(stream.p50.date),
            p80,
            f"[{LIGHT_STYLE[stream.light]}]{stream.light}[/]",
        )
    out.print(table)
    critical = finish_drivers(result)
    if critical:
        tasks = Table(title="Tasks that drive the finish", title_justify="left")
        for column in ("Task", "Criticality", "Sensitivity", "Float (days)", "P80 finish"):
            tasks.add_column(column)
        for item in critical:
            tasks.add_row(
                escape(item.name),
                f"{item.criticality:.0%}",
                f"{item.sensitivity:+.2f}" if item.sensitivity is not None else "—",
                f"{item.total_float:g}" if item.total_float is not None else "—",
                str(item.p80_finish or "—"),
            )
        out.print(tasks)
    if result.risk_drivers:
        risks = Table(
            title="Risk drivers (P80 with the risk minus without it)", title_justify="left"
        )
        for column in ("Risk", "Probability", "P80 shift (working days)", "Readiness without it"):
            risks.add_column(column)
        for driver in result.risk_drivers[:5]:
            risks.add_row(
                escape(driver.name) + (" (mitigated)" if driver.mitigated else ""),
                f"{driver.probability:.0%}",
                f"+{driver.p80_shift_days:.1f} ± {driver.p80_shift_se:.1f}",
                f"+{driver.ready_shift:.0%}" if driver.ready_shift is not None else "—",
            )
        out.print(risks)
    biased = sorted(result.merge_bias, key=lambda entry: -entry.merge_bias_days)[:3]
    if biased and biased[0].merge_bias_days >= 0.5:
        out.print(
            "Merge bias (where parallel paths join, the expected start is later than any path "
            "alone): "
            + "; ".join(
                f"{entry.name} +{entry.merge_bias_days:.1f} days"
                for entry in biased
                if entry.merge_bias_days >= 0.5
            ),
            markup=False,
        )
    for warning in result.warnings:
        out.print(f"[yellow]![/] {escape(warning)}")


def render_comparison(baseline: Forecast, variant: Forecast, label: str) -> None:
    """Print a what-if variant beside the baseline forecast.

    Usage: ``render_comparison(base, forecast(plan, drop=["strike"]), "without strike")``.
    """
    table = Table(title=f"What if: {escape(label)}", title_justify="left")
    for column in ("", "Baseline", label):
        table.add_column(escape(column))
    table.add_row(
        "Ready by the summit date",
        f"{_percent(baseline.overall.ready_probability)} ({baseline.summit_date})",
        f"{_percent(variant.overall.ready_probability)} ({variant.summit_date})",
    )
    for level in ("p50", "p80", "p95"):
        table.add_row(
            f"{level.upper()} finish",
            str(getattr(baseline.overall, level).date),
            str(getattr(variant.overall, level).date),
        )
    variants = {stream.id: stream for stream in variant.workstreams}
    for stream in baseline.workstreams:
        other = variants[stream.id]
        table.add_row(
            f"{escape(stream.name)}: ready by deadline",
            f"{_percent(stream.ready_by_deadline)} {stream.light}",
            f"{_percent(other.ready_by_deadline)} {other.light}",
        )
    out.print(table)
