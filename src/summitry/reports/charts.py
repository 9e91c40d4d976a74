"""Charts as self-contained SVG text, drawn with matplotlib's object API (no global state).

Each function takes plain values (labels, dates, numbers) so any analysis can feed it, and
returns the SVG as a string. Output is deterministic: no timestamps, fixed element ids, text
kept as text (searchable and small).

Layout rules, so that no text is ever cut off and every chart fits a printed page:

- Every chart is :data:`WIDTH` wide, the text width of the PDF report (which scales figures
  to that width), so fonts print at their nominal size and inches here are inches on paper.
- Texts are measured with matplotlib's font metrics before drawing: titles wrap to the
  figure's width, axis labels to the axes' width, and row labels to at most a share of the
  figure's width over one or two lines, the last line shortened with an ellipsis.
- A chart's height follows from its rows (one pitch per row, taller for two-line labels) plus
  the measured heights of its title, ticks, axis label and legend; constrained layout then
  computes the margins from the texts' actual extents.
- No chart is taller than :data:`MAX_HEIGHT`, which leaves a PDF page room for the caption.
  A chart of more rows than fit shows the most important ones and says in its title how
  many it leaves out.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

INK = "#1f2933"
ACCENT = "#2f6db5"
WARN = "#c2410c"
MUTED = "#9aa5b1"

# The PDF (reports/render.py) sets A4 with 2 cm margins and scales each figure to the text
# width, 170 mm by 257 mm. Drawing at that width makes the PDF's scale 1:1.
WIDTH = 170 / 25.4
# The tallest chart: the text height less room for a two-line caption below the figure and
# the gap above it (typst puts a figure that does not fit on the next page, never across).
MAX_HEIGHT = 9.0

TITLE_SIZE = 11.0
LABEL_SIZE = 9.0  # row labels of the bar charts
GANTT_LABEL_SIZE = 8.0  # the Gantt packs more rows; 8 pt still reads well in print
ELLIPSIS = "…"
# Room between a text's measured width and the space it must fit: renderers of the SVG
# (typst, browsers) hint and kern slightly differently from matplotlib's measurement.
SLACK = 0.96


@dataclass(frozen=True)
class GanttRow:
    """One bar of a Gantt chart: planned span, the P80 finish and the deadline, if any."""

    label: str
    start: dt.date
    finish: dt.date
    p80_finish: dt.date | None = None
    deadline: dt.date | None = None


# --- Measuring and fitting text -------------------------------------------------------------


@lru_cache(maxsize=1024)
def _advance(char: str) -> float:
    # The glyph's advance in the font matplotlib draws with, in points per point of size.
    # Summing advances, cached per character, is far faster than laying out each trial
    # line, and ignoring kerning only errs wide, on the side of fitting.
    from matplotlib import font_manager
    from matplotlib.ft2font import LoadFlags

    font = font_manager.get_font(font_manager.findfont(font_manager.FontProperties()))
    font.set_size(100, 72)
    glyph = font.load_char(ord(char), flags=LoadFlags.NO_HINTING)
    return float(glyph.linearHoriAdvance) / 65536 / 100


def _line_width(line: str, size: float) -> float:
    """Width in inches of one line of text at ``size`` points."""
    return sum(_advance(char) for char in line) * size / 72


def _text_width(text: str, size: float) -> float:
    """Width in inches of the widest line of ``text`` at ``size`` points."""
    return max((_line_width(line, size) for line in text.split("\n")), default=0.0)


def _lines_height(lines: int, size: float) -> float:
    """Height in inches of ``lines`` lines at ``size`` points (matplotlib's 1.2 spacing)."""
    return lines * size * 1.2 / 72 if lines else 0.0


def _shorten(text: str, width: float, size: float) -> str:
    """``text`` cut to fit ``width`` inches, ending with an ellipsis."""
    if _line_width(text, size) <= width * SLACK:
        return text
    # Binary search on the length of the kept prefix: widths grow with the prefix.
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if _line_width(text[:middle].rstrip() + ELLIPSIS, size) <= width * SLACK:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip(" ,;:-–—") + ELLIPSIS


def _fit(text: str, width: float, size: float, max_lines: int = 1) -> str:
    """``text`` wrapped at spaces into lines of at most ``width`` inches, ``max_lines`` at most.

    Line breaks already in ``text`` are kept. What does not fit in the last line is cut with
    an ellipsis, as is a word too long for a line of its own.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            trial = f"{current} {word}" if current else word
            if current and _line_width(trial, size) > width * SLACK:
                lines.append(current)
                current = word
            else:
                current = trial
        lines.append(current)
    if len(lines) > max_lines:
        kept = lines[: max_lines - 1]
        lines = [*kept, _shorten(" ".join(lines[max_lines - 1 :]), width, size)]
    return "\n".join(_shorten(line, width, size) for line in lines)


def _plain(text: str) -> str:
    # Matplotlib reads text between two dollar signs as mathematics: "$5M or $8M" would
    # lose its dollars and its spaces. Escaped dollars are drawn as they are.
    return text.replace("$", r"\$")


def _count_lines(text: str) -> int:
    return text.count("\n") + 1 if text else 0


# --- Figures --------------------------------------------------------------------------------


def _figure(width: float, height: float) -> Figure:
    # Imported here: matplotlib takes a noticeable moment to load, and most commands draw nothing.
    from matplotlib.figure import Figure

    # Constrained layout sizes the margins from the extents of the texts actually drawn
    # (tick labels, axis labels, titles, legends), so nothing that fits is cut off.
    figure = Figure(figsize=(width, height), layout="constrained")
    return figure


def _title(figure: Figure, title: str, note: str = "") -> None:
    """The chart's title, top left of the figure, wrapped to its width; ``note`` below it."""
    # A figure-level title starts at the figure's left edge rather than the axes', which long
    # row labels push far to the right, and constrained layout reserves its height.
    text = _plain(_title_text(title, note))
    figure.suptitle(text, x=0.015, ha="left", fontsize=TITLE_SIZE, color=INK)


def _title_text(title: str, note: str = "") -> str:
    text = _fit(title, WIDTH * 0.97, TITLE_SIZE, max_lines=4)
    if note:
        text += "\n" + _fit(note, WIDTH * 0.97, TITLE_SIZE, max_lines=3)
    return text


def _title_height(title: str, note: str = "") -> float:
    return _lines_height(_count_lines(_title_text(title, note)), TITLE_SIZE) + 0.1


def _keep_inside(figure: Figure) -> None:
    """Shrink the laid-out area until every drawn artist lies inside the figure.

    Constrained layout leaves out, by design, how far x tick labels reach sideways (the last
    one, centred on the axes' right edge, sticks out by half its width) and cannot shorten
    texts wider than the figure. So the figure is drawn, the extent of all it draws measured,
    and the layout redone inside a rectangle short of the figure's edges by the overflow.
    """
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    engine = figure.get_layout_engine()
    if not isinstance(engine, ConstrainedLayoutEngine):
        return
    width, height = figure.get_size_inches()
    pad = 0.03  # inches between a text and the figure's edge
    left, bottom, right, top = 0.0, 0.0, 0.0, 0.0  # inches given up on each side
    for _ in range(4):
        figure.draw_without_rendering()
        box = figure.get_tightbbox()  # inches
        if box is None:
            return
        over = (-box.x0, -box.y0, box.x1 - width, box.y1 - height)
        if max(over) <= 0:
            return
        left, bottom, right, top = (
            side + (extra + pad if extra > 0 else 0.0)
            for side, extra in zip((left, bottom, right, top), over, strict=True)
        )
        engine.set(
            rect=(
                left / width,
                bottom / height,
                (width - left - right) / width,
                (height - bottom - top) / height,
            )
        )


def _svg(figure: Figure) -> str:
    """The figure as SVG text; the one exit of every chart (tests wrap it to measure figures)."""
    import matplotlib

    _keep_inside(figure)
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "summitry", "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "summitry"})
    return buffer.getvalue()


@dataclass(frozen=True)
class _Rows:
    """Row labels fitted to their column, and the height each row takes."""

    labels: list[str]
    pitch: float  # inches per row
    column: float  # the widest label, inches


def _row_labels(labels: Sequence[str], size: float, share: float, max_lines: int) -> _Rows:
    """Labels fitted to at most ``share`` of the figure's width over ``max_lines`` lines."""
    budget = WIDTH * share
    fitted = [_fit(label, budget, size, max_lines) for label in labels]
    lines = max((_count_lines(label) for label in fitted), default=1)
    # Bars need a little air between them beyond the labels' own height.
    pitch = max(0.3, _lines_height(lines, size) + 0.12)
    column = max((_text_width(label, size) for label in fitted), default=0.0)
    return _Rows([_plain(label) for label in fitted], pitch, column)


def _rows_that_fit(pitch: float, decorations: float) -> int:
    """How many rows of ``pitch`` inches fit under :data:`MAX_HEIGHT` with the decorations."""
    return max(1, math.floor((MAX_HEIGHT - decorations) / pitch))


def _left_out(shown: int, total: int, noun: str, rule: str) -> str:
    return f"{total - shown} of {total} {noun} left out; shown: {rule}" if shown < total else ""


def _axes_width(label_column: float) -> float:
    """What is left of the figure's width for the axes, beside a column of row labels."""
    return max(1.5, WIDTH - label_column - 0.45)


# --- The charts -----------------------------------------------------------------------------


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
    height = 3.4 + _title_height(title)
    figure = _figure(WIDTH, height)
    axes = figure.add_subplot()
    if points:
        dates = [point[0] for point in points]
        axes.step(dates, [point[1] * 100 for point in points], where="post", color=ACCENT)  # type: ignore[arg-type]
    for label, day in markers:
        axes.axvline(day, color=WARN, linestyle="--", linewidth=1)  # type: ignore[arg-type]
        # Written upwards along the line from near the bottom: it must stay inside the axes.
        text = _plain(_fit(label, 2.0, 8))
        axes.annotate(text, (day, 2), rotation=90, fontsize=8, color=WARN, ha="right")
    # A little room beyond 0 and 100 %, so a curve that reaches them is not drawn on the frame.
    axes.set_ylim(-2, 102)
    axes.set_yticks(range(0, 101, 20))
    axes.set_ylabel("Probability finished (%)")
    _title(figure, title)
    axes.grid(alpha=0.3)
    figure.autofmt_xdate()
    return _svg(figure)


def tornado_svg(items: Sequence[tuple[str, float]], *, title: str, xlabel: str) -> str:
    """Horizontal bars sorted by size, largest on top (sensitivity, risk drivers).

    If more bars are given than fit a page, the largest are shown and the title says how many
    are left out. Usage: ``tornado_svg([("Site survey", 0.42), ("Clearance", -0.1)],
    title="Sensitivity", xlabel="Spearman rank correlation")``.
    """
    rows = _row_labels([label for label, _ in items], LABEL_SIZE, 0.42, 2)
    axis_label = _fit(xlabel, _axes_width(rows.column), 10, max_lines=3)
    # Tick labels, the axis label and the paddings between them and around the figure.
    below = _lines_height(1, 10) + _lines_height(_count_lines(axis_label), 10) + 0.35
    # Largest first: what is left out when too many are given is the smallest.
    ranked = sorted(range(len(items)), key=lambda index: -abs(items[index][1]))
    shown = min(len(items), _rows_that_fit(rows.pitch, _title_height(title) + below))
    note = _left_out(shown, len(items), "bars", "the largest")
    if note:
        shown = min(shown, _rows_that_fit(rows.pitch, _title_height(title, note) + below))
        note = _left_out(shown, len(items), "bars", "the largest")
    # Drawn bottom to top, so the largest ends up on top.
    order = ranked[:shown][::-1]
    height = max(1.8, shown * rows.pitch + _title_height(title, note) + below)
    figure = _figure(WIDTH, height)
    axes = figure.add_subplot()
    values = [items[index][1] for index in order]
    colours = [ACCENT if value >= 0 else WARN for value in values]
    positions = list(range(len(order)))
    axes.barh(positions, values, color=colours)
    axes.set_yticks(positions, [rows.labels[index] for index in order], fontsize=LABEL_SIZE)
    axes.set_ylim(-0.6, len(order) - 0.4)
    axes.axvline(0, color=INK, linewidth=0.8)
    axes.set_xlabel(_plain(axis_label))
    _title(figure, title, note)
    axes.grid(axis="x", alpha=0.3)
    return _svg(figure)


def _gantt_priority(row: GanttRow) -> tuple[bool, dt.date, dt.date]:
    """Which rows a Gantt that cannot show them all keeps first (smallest first)."""
    late = row.deadline is not None and (row.p80_finish or row.finish) > row.deadline
    # Those that miss their deadline at P80 need attention; then what is happening soonest.
    return (not late, row.start, row.finish)


def gantt_svg(rows: Sequence[GanttRow], *, title: str, today: dt.date | None = None) -> str:
    """A Gantt chart: planned bars, the P80 finish as a thin extension, deadlines as ticks.

    A Gantt never grows taller than a page: past what fits (about 40 tasks), it shows the
    tasks whose P80 finish misses their deadline, then those that start soonest, in their
    given order, and says in the title how many it leaves out. Labels wrap to two lines
    when every row fits that way, else take one line.
    Usage: ``gantt_svg([GanttRow("Venue survey", d1, d2, p80, deadline)], title="Plan")``.
    """
    import matplotlib.dates as mdates

    # Tick labels with the date offset below them, and the paddings.
    below = _lines_height(2, 8) + 0.3
    labels = [row.label for row in rows]
    fitted = _row_labels(labels, GANTT_LABEL_SIZE, 0.5, 2)
    if len(rows) * fitted.pitch + _title_height(title) + below > MAX_HEIGHT:
        # One line per row packs half as many again onto the page.
        fitted = _row_labels(labels, GANTT_LABEL_SIZE, 0.5, 1)
        fitted = _Rows(fitted.labels, 0.185, fitted.column)
    shown = min(len(rows), _rows_that_fit(fitted.pitch, _title_height(title) + below))
    rule = "tasks late at P80 against a deadline, then the soonest to start"
    note = _left_out(shown, len(rows), "tasks", rule)
    if note:
        shown = min(shown, _rows_that_fit(fitted.pitch, _title_height(title, note) + below))
        note = _left_out(shown, len(rows), "tasks", rule)
    kept = sorted(sorted(range(len(rows)), key=lambda index: _gantt_priority(rows[index]))[:shown])
    height = max(2.0, len(kept) * fitted.pitch + _title_height(title, note) + below)
    figure = _figure(WIDTH, height)
    axes = figure.add_subplot()
    positions = list(range(len(kept)))[::-1]
    day = dt.timedelta(days=1)
    for y, index in zip(positions, kept, strict=True):
        row = rows[index]
        # Bars run to the end of their finish day.
        axes.barh(y, row.finish - row.start + day, left=row.start, height=0.5, color=ACCENT)  # type: ignore[arg-type]
        if row.p80_finish is not None and row.p80_finish > row.finish:
            p80_extra = row.p80_finish - row.finish
            axes.barh(y, p80_extra, left=row.finish + day, height=0.2, color=MUTED)  # type: ignore[arg-type]
        if row.deadline is not None:
            axes.plot([row.deadline, row.deadline], [y - 0.35, y + 0.35], color=WARN, linewidth=2)  # type: ignore[arg-type]
    if today is not None:
        axes.axvline(today, color=INK, linestyle=":", linewidth=1)  # type: ignore[arg-type]
    axes.set_yticks(positions, [fitted.labels[i] for i in kept], fontsize=GANTT_LABEL_SIZE)
    axes.set_ylim(-0.6, len(kept) - 0.4)
    # Short unrotated dates ("Aug", "08", "15" with the year once) take one line, where
    # rotated ISO dates took a third of an inch of the page.
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    # The offset names the year only: "2024-Sep" under ticks from July read as September.
    offsets = ["", "%Y", "%Y", "%Y-%b-%d", "%Y-%b-%d", "%Y-%b-%d %H:%M"]
    formatter = mdates.ConciseDateFormatter(locator, offset_formats=offsets)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_formatter(formatter)
    axes.xaxis.get_offset_text().set_fontsize(8)
    axes.tick_params(axis="x", labelsize=8)
    _title(figure, title, note)
    axes.grid(axis="x", alpha=0.3)
    return _svg(figure)


def _clusters(points: Sequence[tuple[float, float]], tolerance: float) -> list[list[int]]:
    """Indices of points grouped with those they would hide (within ``tolerance`` on both axes)."""
    groups: list[list[int]] = []
    for index, (x, y) in enumerate(points):
        for group in groups:
            gx, gy = points[group[0]]
            if abs(gx - x) <= tolerance and abs(gy - y) <= tolerance:
                group.append(index)
                break
        else:
            groups.append([index])
    return groups


def frontier_svg(
    parties: Sequence[str],
    frontier: Sequence[Sequence[float]],
    fair: Sequence[tuple[str, Sequence[float]]],
    reservations: Sequence[float],
    *,
    title: str,
) -> str:
    """The efficient frontier in the utility plane, with fair points and reservation lines.

    Two parties give one plane; three or more give one panel per pair of parties. Fair points
    are drawn hollow, and those that coincide are nested (each one larger), so none hides
    another; the legend names together the concepts that pick the same package.
    Usage: ``frontier_svg(["North", "South"], [(90, 20), (60, 60)], [("Nash", (60, 60))],
    [30, 30], title="Frontier")``.
    """
    from matplotlib.legend_handler import HandlerTuple
    from matplotlib.lines import Line2D

    pairs = [(i, j) for i in range(len(parties)) for j in range(i + 1, len(parties))]
    columns = max(1, min(3, len(pairs)))
    rows = max(1, (len(pairs) + columns - 1) // columns)
    # Three panels side by side do not fit the page width at a readable size: wider, and
    # scaled down in print; never taller than a page at that scale.
    width = WIDTH if columns <= 2 else 3.3 * columns + 0.4
    scale = width / WIDTH
    panel = min(3.4, (MAX_HEIGHT * scale - _title_height(title) * scale) / rows)
    figure = _figure(width, panel * rows + _title_height(title))
    markers = ["o", "s", "^", "D", "v"]
    label_width = width / columns - 0.8
    base_size = 6.0
    handles: dict[int, Line2D] = {}
    for number, (i, j) in enumerate(pairs, start=1):
        axes: Axes = figure.add_subplot(rows, columns, number)
        ordered = sorted(frontier, key=lambda point: point[i])
        axes.plot(
            [point[i] for point in ordered],
            [point[j] for point in ordered],
            ".",
            color=ACCENT,
            markersize=4,
            label="efficient packages",
        )
        # Within a marker's width on this plane, points would cover each other.
        plane = [(point[i], point[j]) for _, point in fair]
        for group in _clusters(plane, tolerance=1.5):
            for depth, index in enumerate(group):
                line = axes.plot(
                    plane[index][0],
                    plane[index][1],
                    markers[index % len(markers)],
                    markerfacecolor="none",
                    markeredgecolor=WARN,
                    markeredgewidth=1.5,
                    markersize=base_size + 4.5 * (len(group) - 1 - depth),
                    label=fair[index][0],
                )[0]
                if number == 1:
                    handles[index] = line
        axes.axvline(reservations[i], color=MUTED, linestyle="--", linewidth=1)
        axes.axhline(reservations[j], color=MUTED, linestyle="--", linewidth=1)
        axes.set_xlabel(_plain(_fit(f"{parties[i]} (points)", label_width, 10, 2)))
        axes.set_ylabel(_plain(_fit(f"{parties[j]} (points)", panel - 0.8, 10, 2)))
        # Room beyond 0 and 100, so points there are drawn whole, not half outside the axes.
        axes.set_xlim(-4, 104)
        axes.set_ylim(-4, 104)
        axes.set_xticks(range(0, 101, 20))
        axes.set_yticks(range(0, 101, 20))
        axes.grid(alpha=0.3)
        if number == 1:
            _frontier_legend(axes, fair, handles, HandlerTuple)
    _title(figure, title)
    return _svg(figure)


def _frontier_legend(
    axes: Axes,
    fair: Sequence[tuple[str, Sequence[float]]],
    handles: dict[int, Any],
    handler: Any,
) -> None:
    """The legend: the efficient packages, then one entry per distinct fair package."""
    entries: list[Any] = [axes.get_lines()[0]]
    labels = ["efficient packages"]
    # Concepts that pick the same package (equal utilities for every party) share an entry,
    # its markers drawn on top of each other as in the chart.
    for group in _same_points([point for _, point in fair]):
        entries.append(tuple(handles[index] for index in group))
        labels.append(_plain(" = ".join(fair[index][0] for index in group)))
    axes.legend(
        entries, labels, fontsize=7, loc="lower left", handler_map={tuple: handler(ndivide=1)}
    )


def _same_points(points: Sequence[Sequence[float]]) -> list[list[int]]:
    groups: list[list[int]] = []
    for index, point in enumerate(points):
        for group in groups:
            if all(abs(a - b) < 1e-6 for a, b in zip(points[group[0]], point, strict=True)):
                group.append(index)
                break
        else:
            groups.append([index])
    return groups


def acceptability_svg(rows: Sequence[tuple[str, Sequence[float]]], *, title: str) -> str:
    """Stacked bars: for each venue, the share of weightings giving it each rank.

    If more venues are given than fit a page, the first (best) are shown and the title says
    how many are left out. Usage: ``acceptability_svg([("Geneva", (0.62, 0.3, 0.08))],
    title="Acceptability")``.
    """
    fitted = _row_labels([label for label, _ in rows], LABEL_SIZE, 0.42, 2)
    ranks = max((len(shares) for _, shares in rows), default=0)
    columns = max(1, min(ranks, 6))
    legend = _lines_height(math.ceil(ranks / columns), 7) * 1.4 if ranks else 0.0
    below = 2 * _lines_height(1, 10) + legend + 0.45
    shown = min(len(rows), _rows_that_fit(fitted.pitch, _title_height(title) + below))
    note = _left_out(shown, len(rows), "venues", "the first")
    if note:
        shown = min(shown, _rows_that_fit(fitted.pitch, _title_height(title, note) + below))
        note = _left_out(shown, len(rows), "venues", "the first")
    height = max(1.8, shown * fitted.pitch + _title_height(title, note) + below)
    figure = _figure(WIDTH, height)
    axes = figure.add_subplot()
    positions = list(range(shown))[::-1]  # the first venue on top
    shares = [list(ranks_of) for _, ranks_of in rows[:shown]]
    left = [0.0] * shown
    for rank in range(ranks):
        values = [100 * (s[rank] if rank < len(s) else 0.0) for s in shares]
        axes.barh(
            positions, values, left=left, color=_rank_colour(rank, ranks), label=f"rank {rank + 1}"
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks(positions, fitted.labels[:shown], fontsize=LABEL_SIZE)
    axes.set_ylim(-0.6, shown - 0.4)
    axes.set_xlim(0, 100)
    axes.set_xlabel("Share of plausible weightings (%)")
    _title(figure, title, note)
    if ranks:
        # A figure legend "outside" gets its own room from constrained layout; one anchored
        # below the axes overlapped the axis label or was cut off.
        figure.legend(fontsize=7, ncols=columns, loc="outside lower center")
    return _svg(figure)


def _rank_colour(rank: int, ranks: int) -> Any:
    """Dark for the first ranks, light for the last; never two ranks in the same colour."""
    palette = [ACCENT, "#7ea6d8", "#c3d5ec", MUTED, "#d9dee3", "#eceff2"]
    if ranks <= len(palette):
        return palette[rank]
    from matplotlib import colormaps

    return colormaps["Blues_r"](0.1 + 0.8 * rank / (ranks - 1))
