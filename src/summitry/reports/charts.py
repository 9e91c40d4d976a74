"""Charts as self-contained SVG text, drawn with matplotlib's object API (no global state).

Each function takes plain values (labels, dates, numbers) so any analysis can feed it, and
returns the SVG as a string. Output is deterministic: no timestamps, fixed element ids, text
kept as text (searchable and small).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

INK = "#1f2933"
ACCENT = "#2f6db5"
WARN = "#c2410c"
MUTED = "#9aa5b1"


@dataclass(frozen=True)
class GanttRow:
    """One bar of a Gantt chart: planned span, the P80 finish and the deadline, if any."""

    label: str
    start: dt.date
    finish: dt.date
    p80_finish: dt.date | None = None
    deadline: dt.date | None = None


def _figure(width: float, height: float) -> Figure:
    # Imported here: matplotlib takes a noticeable moment to load, and most commands draw nothing.
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    return figure


def _svg(figure: Figure) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "summitry", "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "summitry"})
    return buffer.getvalue()


def s_curve_svg(
    points: Sequence[tuple[dt.date, float]],
    *,
    title: str,
    markers: Sequence[tuple[str, dt.date]] = (),
) -> str:
    """Cumulative probability of finishing by each date, with labelled vertical markers.

    Usage: ``s_curve_svg([(date(2024, 9, 1), 0.4), ...], title="Readiness", markers=[("Summit",
    date(2024, 9, 16))])``.
    """
    figure = _figure(7.5, 3.6)
    axes = figure.add_subplot()
    if points:
        dates = [point[0] for point in points]
        axes.step(dates, [point[1] * 100 for point in points], where="post", color=ACCENT)  # type: ignore[arg-type]
    for label, day in markers:
        axes.axvline(day, color=WARN, linestyle="--", linewidth=1)  # type: ignore[arg-type]
        axes.annotate(label, (day, 2), rotation=90, fontsize=8, color=WARN, ha="right")
    axes.set_ylim(0, 100)
    axes.set_ylabel("Probability finished (%)")
    axes.set_title(title, loc="left", fontsize=11, color=INK)
    axes.grid(alpha=0.3)
    figure.autofmt_xdate()
    return _svg(figure)


def tornado_svg(items: Sequence[tuple[str, float]], *, title: str, xlabel: str) -> str:
    """Horizontal bars sorted by size, largest on top (sensitivity, risk drivers).

    Usage: ``tornado_svg([("Site survey", 0.42), ("Clearance", -0.1)], title="Sensitivity",
    xlabel="Spearman rank correlation")``.
    """
    ordered = sorted(items, key=lambda item: abs(item[1]))
    figure = _figure(7.5, max(1.8, 0.32 * len(ordered) + 1.0))
    axes = figure.add_subplot()
    colours = [ACCENT if value >= 0 else WARN for _, value in ordered]
    axes.barh([label for label, _ in ordered], [value for _, value in ordered], color=colours)
    axes.axvline(0, color=INK, linewidth=0.8)
    axes.set_xlabel(xlabel)
    axes.set_title(title, loc="left", fontsize=11, color=INK)
    axes.grid(axis="x", alpha=0.3)
    return _svg(figure)


def gantt_svg(rows: Sequence[GanttRow], *, title: str, today: dt.date | None = None) -> str:
    """A Gantt chart: planned bars, the P80 finish as a thin extension, deadlines as ticks.

    Usage: ``gantt_svg([GanttRow("Venue survey", d1, d2, p80, deadline)], title="Plan")``.
    """
    figure = _figure(8.5, max(2.0, 0.3 * len(rows) + 1.2))
    axes = figure.add_subplot()
    positions = list(range(len(rows)))[::-1]
    day = dt.timedelta(days=1)
    for y, row in zip(positions, rows, strict=True):
        # Bars run to the end of their finish day.
        axes.barh(y, row.finish - row.start + day, left=row.start, height=0.5, color=ACCENT)  # type: ignore[arg-type]
        if row.p80_finish is not None and row.p80_finish > row.finish:
            p80_extra = row.p80_finish - row.finish
            axes.barh(y, p80_extra, left=row.finish + day, height=0.2, color=MUTED)  # type: ignore[arg-type]
        if row.deadline is not None:
            axes.plot([row.deadline, row.deadline], [y - 0.35, y + 0.35], color=WARN, linewidth=2)  # type: ignore[arg-type]
    if today is not None:
        axes.axvline(today, color=INK, linestyle=":", linewidth=1)  # type: ignore[arg-type]
    axes.set_yticks(positions, [row.label for row in rows], fontsize=8)
    axes.set_title(title, loc="left", fontsize=11, color=INK)
    axes.grid(axis="x", alpha=0.3)
    figure.autofmt_xdate()
    return _svg(figure)


def frontier_svg(
    parties: Sequence[str],
    frontier: Sequence[Sequence[float]],
    fair: Sequence[tuple[str, Sequence[float]]],
    reservations: Sequence[float],
    *,
    title: str,
) -> str:
    """The efficient frontier in the utility plane, with fair points and reservation lines.

    Two parties give one plane; three or more give one panel per pair of parties.
    Usage: ``frontier_svg(["North", "South"], [(90, 20), (60, 60)], [("Nash", (60, 60))],
    [30, 30], title="Frontier")``.
    """
    pairs = [(i, j) for i in range(len(parties)) for j in range(i + 1, len(parties))]
    columns = min(3, len(pairs))
    rows = (len(pairs) + columns - 1) // columns
    figure = _figure(max(6.0, 3.6 * columns + 0.6), 3.4 * rows + 0.6)
    markers = ["o", "s", "^", "D", "v"]
    for panel, (i, j) in enumerate(pairs, start=1):
        axes = figure.add_subplot(rows, columns, panel)
        ordered = sorted(frontier, key=lambda point: point[i])
        axes.plot(
            [point[i] for point in ordered],
            [point[j] for point in ordered],
            ".",
            color=ACCENT,
            markersize=4,
            label="efficient packages",
        )
        for index, (name, point) in enumerate(fair):
            axes.plot(point[i], point[j], markers[index % len(markers)], color=WARN, label=name)
        axes.axvline(reservations[i], color=MUTED, linestyle="--", linewidth=1)
        axes.axhline(reservations[j], color=MUTED, linestyle="--", linewidth=1)
        axes.set_xlabel(f"{parties[i]} (points)")
        axes.set_ylabel(f"{parties[j]} (points)")
        axes.set_xlim(0, 100)
        axes.set_ylim(0, 100)
        axes.grid(alpha=0.3)
        if panel == 1:
            axes.legend(fontsize=7, loc="lower left")
    figure.suptitle(title, x=0.02, ha="left", fontsize=11, color=INK)
    return _svg(figure)


def acceptability_svg(rows: Sequence[tuple[str, Sequence[float]]], *, title: str) -> str:
    """Stacked bars: for each venue, the share of weightings giving it each rank.

    Usage: ``acceptability_svg([("Geneva", (0.62, 0.3, 0.08))], title="Acceptability")``.
    """
    figure = _figure(7.5, max(1.8, 0.45 * len(rows) + 1.2))
    axes = figure.add_subplot()
    labels = [label for label, _ in rows][::-1]
    shares = [list(ranks) for _, ranks in rows][::-1]
    ranks = max((len(s) for s in shares), default=0)
    left = [0.0] * len(rows)
    palette = [ACCENT, "#7ea6d8", "#c3d5ec", MUTED, "#d9dee3", "#eceff2"]
    for rank in range(ranks):
        values = [100 * (s[rank] if rank < len(s) else 0.0) for s in shares]
        axes.barh(
            labels, values, left=left, color=palette[rank % len(palette)], label=f"rank {rank + 1}"
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_xlim(0, 100)
    axes.set_xlabel("Share of plausible weightings (%)")
    axes.set_title(title, loc="left", fontsize=11, color=INK)
    axes.legend(fontsize=7, ncols=min(ranks, 6), loc="upper center", bbox_to_anchor=(0.5, -0.25))
    return _svg(figure)
