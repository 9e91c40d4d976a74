"""Terminal rendering of plan-wide results: an import, the dashboard."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from summitry.analysis.dashboard import Band
from summitry.console import counts_phrase, out
from summitry.services.plans import record_counts

if TYPE_CHECKING:
    from summitry.analysis.dashboard import Dashboard
    from summitry.io.briefing import ImportResult

BAND_STYLE = {
    Band.OVERDUE: "bold red",
    Band.BLOCKED: "bold magenta",
    Band.AT_RISK: "yellow",
    Band.DUE_SOON: "cyan",
    Band.ON_TRACK: "green",
    Band.NO_DATE: "dim",
    Band.DONE: "dim green",
}


def render_import(result: ImportResult, source: Path) -> None:
    """Print what an import understood and what it did not.

    Usage: ``render_import(import_briefing(text), Path("briefing.txt"))``.
    """
    out.print(f"{source}: {counts_phrase(record_counts(result.plan))}", markup=False)
    for line in result.understood:
        out.print(f"  [green]✓[/] {escape(line)}")
    for line in result.not_understood:
        out.print(f"  [yellow]?[/] {escape(line)}")


def render_dashboard(board: Dashboard) -> None:
    """Print the dashboard as the briefing's three tables plus the attention list.

    Usage: ``render_dashboard(dashboard(plan, date.today()))``.
    """
    left = board.working_days_to_summit
    if board.summit_date is None or left is None:
        days = ", summit date not set"
    elif left < 0:
        days = f", the summit date {board.summit_date} passed {-left} working days ago"
    else:
        days = f", {left} working days to the summit on {board.summit_date}"
    out.print(f"[bold]{escape(board.title)}[/] — as of {board.as_of}{days}")

    aspects = Table(title="Preparation aspects", title_justify="left", expand=False)
    for column in ("Aspect", "Status", "Expected completion", "Deadline", "Done", "Band"):
        aspects.add_column(column)
    for row in board.workstreams:
        window = row.expected_completion
        expected = ""
        if window is not None:
            span = (
                str(window.start) if window.start == window.end else f"{window.start}…{window.end}"
            )
            expected = window.label or span
        aspects.add_row(
            escape(row.name),
            escape(row.status),
            escape(expected),
            str(row.deadline or "—"),
            f"{row.tasks_done}/{row.tasks_total} · {row.percent_complete:.0f}%",
            f"[{BAND_STYLE[row.band]}]{row.band}[/]",
        )
    out.print(aspects)

    issues = Table(title="Strategic issues", title_justify="left")
    for column in ("Issue", "Impact", "Negotiation focus", "Options", "Positions"):
        issues.add_column(column)
    for issue in board.issues:
        impact = issue.impact.value.capitalize() if issue.impact else "—"
        issues.add_row(
            escape(issue.name),
            impact,
            escape(issue.focus),
            str(issue.options),
            str(issue.positions),
        )
    out.print(issues)

    mechanisms = Table(title="Engagement", title_justify="left")
    for column in ("Component", "Description", "Impact"):
        mechanisms.add_column(column)
    for mechanism in board.mechanisms:
        mechanisms.add_row(
            escape(mechanism.name), escape(mechanism.description), escape(mechanism.impact)
        )
    out.print(mechanisms)

    if board.attention:
        attention = Table(title="Needs attention", title_justify="left")
        for column in ("Band", "Kind", "Item", "Date", "Why"):
            attention.add_column(column)
        for item in board.attention:
            attention.add_row(
                f"[{BAND_STYLE[item.band]}]{item.band}[/]",
                item.kind,
                escape(item.name),
                str(item.date or "—"),
                escape(item.reason),
            )
        out.print(attention)
    else:
        out.print("Nothing overdue, blocked or due soon.")
