"""Charts: well-formed, self-contained SVG that names what it shows and is the same every time.

The layout tests draw every chart of the bundled example and of a large generated plan and
measure each text on the figure with matplotlib's own renderer: nothing may stick out of the
figure (it would be cut off in every format), and a Gantt of many tasks must fit a PDF page.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from summitry.access.policy import KEEPER
from summitry.analysis.readiness import forecast
from summitry.cli import example_path
from summitry.io.planfile import from_data, load, read_data
from summitry.reports import charts, render
from summitry.reports.charts import (
    GanttRow,
    acceptability_svg,
    frontier_svg,
    gantt_svg,
    s_curve_svg,
    tornado_svg,
)
from summitry.reports.document import Document, Figure, Section
from summitry.reports.negotiation_view import frontier_figure
from summitry.reports.readiness_view import forecast_figures
from summitry.services.negotiation import negotiate
from summitry.services.venues import acceptability_chart, venues

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

    from summitry.domain.plan import Plan

D = dt.date
AS_OF = D(2024, 7, 15)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    return root


def texts(root: ET.Element) -> str:
    return " ".join("".join(node.itertext()) for node in root.iter() if node.tag.endswith("text"))


def test_s_curve_names_its_markers_and_is_deterministic() -> None:
    points = [(D(2024, 9, 2), 0.1), (D(2024, 9, 6), 0.5), (D(2024, 9, 12), 0.95)]
    svg = s_curve_svg(points, title="Ready by", markers=[("Summit", D(2024, 9, 16))])
    words = texts(parse(svg))
    assert "Summit" in words
    assert "Ready by" in words
    assert "<image" not in svg  # vector only, nothing embedded
    assert svg == s_curve_svg(points, title="Ready by", markers=[("Summit", D(2024, 9, 16))])


def test_tornado_and_gantt_carry_their_labels() -> None:
    tornado = tornado_svg([("Site survey", 0.42), ("Clearance", -0.12)], title="T", xlabel="ρ")
    assert {"Site survey", "Clearance"} <= set(texts(parse(tornado)).split(" ")) | {"Site survey"}
    gantt = gantt_svg(
        [
            GanttRow("Venue survey", D(2024, 7, 15), D(2024, 7, 25), D(2024, 7, 30), D(2024, 8, 1)),
            GanttRow("Site visit", D(2024, 7, 26), D(2024, 8, 5)),
        ],
        title="Plan",
        today=D(2024, 7, 15),
    )
    words = texts(parse(gantt))
    assert "Venue survey" in words
    assert "Site visit" in words


def test_an_empty_curve_still_draws() -> None:
    parse(s_curve_svg([], title="Nothing to forecast"))


# --- Layout: nothing cut off ----------------------------------------------------------------

WORDS = [
    *("coordinate", "the", "interagency", "review", "of", "the", "protocol", "annex", "with"),
    *("both", "delegations", "and", "the", "host", "country's", "liaison", "office", "before"),
    *("the", "sherpa", "meeting"),
]


def long_name(prefix: str, number: int, length: int) -> str:
    """A name of about ``length`` characters, different words for each number."""
    text = f"{prefix} {number:03d}:"
    word = number
    while len(text) < length:
        text += " " + WORDS[word % len(WORDS)]
        word += 1
    return text[:length].rstrip()


def large_plan() -> Plan:
    """The example grown to 200 more tasks, 12 more venues and 24 more risks, all long-named."""
    data = read_data(example_path("summit.toml").read_text(encoding="utf-8"))
    data["forecast"]["iterations"] = 400  # the charts' layout, not the numbers, is under test
    streams = list(data["workstreams"])
    for i in range(200):
        task: dict[str, Any] = {
            "name": long_name("Task", i, 80),
            "workstream": streams[i % len(streams)],
            "estimate": [1 + i % 3, 3 + i % 5, 8 + i % 7],
        }
        if i >= 5:
            task["depends_on"] = [{"task": f"generated-{i - 5:03d}"}]
        data["tasks"][f"generated-{i:03d}"] = task
    geneva = data["venues"]["geneva"]
    for i in range(12):
        scores = {key: 1 + (value + i) % 9 for key, value in geneva["scores"].items()}
        data["venues"][f"venue-{i:02d}"] = {**geneva, "name": long_name("Venue", i, 70)}
        data["venues"][f"venue-{i:02d}"]["scores"] = scores
    for i in range(24):
        data["risks"][f"generated-risk-{i:02d}"] = {
            "name": long_name("Risk", i, 90),
            "probability": 0.1 + 0.03 * (i % 10),
            "delay": [1, 3 + i % 4, 10],
            "tasks": [f"generated-{(i * 7) % 200:03d}"],
        }
    return from_data(data)


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[MplFigure]:
    """Every matplotlib figure the chart functions save, in order.

    ``charts._svg`` is the one exit of every chart: wrapping it hands the test each Figure as
    it was laid out, while the functions keep returning their SVG.
    """
    figures: list[MplFigure] = []
    save: Callable[[MplFigure], str] = charts._svg

    def keep(figure: MplFigure) -> str:
        figures.append(figure)
        return save(figure)

    monkeypatch.setattr(charts, "_svg", keep)
    return figures


def every_chart(plan: Plan) -> None:
    """Draw each chart the reports draw for this plan, through the callers the reports use."""
    result = forecast(plan, as_of=AS_OF)
    assert len(forecast_figures(plan, result)) == 4
    outcome = negotiate(plan, KEEPER)
    frontier_figure(outcome.view, outcome.analysis, outcome.reservations)
    assert acceptability_chart(venues(plan, KEEPER)) is not None


def cut_off(figure: MplFigure) -> list[str]:
    """The texts of the figure that reach beyond its edges, with how far, once it is drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    canvas = FigureCanvasAgg(figure)
    canvas.draw()  # runs the layout engine, as saving does
    renderer = canvas.get_renderer()
    hidden: set[int] = set()
    # Tick labels exist for ticks outside the view too; only those in view are drawn.
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            low, high = sorted(axis.get_view_interval())
            slack = (high - low) * 1e-9
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                if not low - slack <= tick.get_loc() <= high + slack:
                    hidden |= {id(tick.label1), id(tick.label2)}
    box = figure.bbox
    problems = []
    for text in figure.findobj(Text):
        assert isinstance(text, Text)
        if not text.get_visible() or not text.get_text().strip() or id(text) in hidden:
            continue
        extent = text.get_window_extent(renderer)
        over = max(box.x0 - extent.x0, extent.x1 - box.x1, box.y0 - extent.y0, extent.y1 - box.y1)
        if over > 0.5:  # pixels
            problems.append(f"{text.get_text()[:40]!r} by {over:.0f} px")
    return problems


def suptitle_of(figure: MplFigure) -> str:
    """The chart's title (where the chart puts it), for the assertion messages."""
    texts = [t.get_text() for t in figure.texts] + [a.get_title("left") for a in figure.axes]
    return " / ".join(t for t in texts if t)[:60]


def assert_nothing_cut_off(figures: list[MplFigure]) -> None:
    failures = {suptitle_of(figure): cut_off(figure) for figure in figures}
    assert not {title: cut for title, cut in failures.items() if cut}


def test_no_text_of_the_examples_charts_is_cut_off(drawn: list[MplFigure]) -> None:
    every_chart(load(example_path("summit.toml")))
    assert len(drawn) == 6
    assert_nothing_cut_off(drawn)


def test_no_text_of_a_large_plans_charts_is_cut_off(drawn: list[MplFigure]) -> None:
    every_chart(large_plan())
    assert len(drawn) == 6
    assert_nothing_cut_off(drawn)


def test_extreme_inputs_still_fit(drawn: list[MplFigure]) -> None:
    names = [long_name("Driver", i, 120) for i in range(40)]
    tornado_svg(
        [(name, (i - 12) / 7) for i, name in enumerate(names)],
        title="A title much longer than the figure is wide, " * 4,
        xlabel="An axis label much longer than the axes are wide, " * 3,
    )
    acceptability_svg(
        [(long_name("Venue", i, 100), tuple(1 / 12 for _ in range(12))) for i in range(12)],
        title="How often each venue takes each rank " * 4,
    )
    tornado_svg([], title="Nothing", xlabel="days")
    acceptability_svg([("Supercalifragilisticexpialidocious" * 4, (1.0,))], title="One")
    gantt_svg([GanttRow("x" * 200, AS_OF, AS_OF)], title="Unbroken name")
    s_curve_svg(
        [(AS_OF, 0.2), (D(2024, 9, 1), 1.0)],
        title="S",
        markers=[(long_name("Marker", 1, 150), D(2024, 8, 1))],
    )
    assert_nothing_cut_off(drawn)


def test_dollar_signs_are_text_not_mathematics() -> None:
    svg = tornado_svg([("Budget of $5M, or $8M", 1.0)], title="Costs in $", xlabel="$ spent")
    assert "Budget of $5M, or $8M" in texts(parse(svg))


# --- The Gantt chart on a PDF page ----------------------------------------------------------

MM = 1 / 25.4  # inches


def pdf_text_box() -> tuple[float, float]:
    """Width and height (inches) of the PDF's text area, read from the typst it writes."""
    document = Document("T", (), (Section("s", "S", (Figure("f", "<svg/>", "caption"),)),), ())
    source = render._typst(document)
    assert 'paper: "a4", margin: 2cm' in source  # else update the page geometry below
    assert 'image("f.svg", width: 100%)' in source  # figures are scaled to the text width
    return (210 - 2 * 20) * MM, (297 - 2 * 20) * MM


def gantt_rows(count: int) -> list[GanttRow]:
    rows = []
    for i in range(count):
        start = AS_OF + dt.timedelta(days=i % 40)
        finish = start + dt.timedelta(days=3 + i % 9)
        deadline = D(2024, 9, 2) if i % 3 else D(2024, 8, 10)
        p80 = finish + dt.timedelta(days=i % 17)
        rows.append(GanttRow(long_name("Task", i, 80), start, finish, p80, deadline))
    return rows


@pytest.mark.parametrize("count", [2, 42, 200])
def test_a_gantt_fits_a_pdf_page_with_its_caption(drawn: list[MplFigure], count: int) -> None:
    gantt_svg(gantt_rows(count), title="Open work: planned dates, P80 finish, deadlines")
    width, height = drawn[0].get_size_inches()
    text_width, text_height = pdf_text_box()
    # Two caption lines of 9.5 pt with the gap above them, and a little to spare.
    assert height * text_width / width <= text_height - 0.8
    assert not cut_off(drawn[0])


def test_a_gantt_of_many_tasks_says_how_many_it_leaves_out(drawn: list[MplFigure]) -> None:
    rows = gantt_rows(200)
    svg = gantt_svg(rows, title="Open work")
    shown = [label.get_text() for label in drawn[0].axes[0].get_yticklabels()]
    match = re.search(r"(\d+) of 200 tasks left out", texts(parse(svg)))
    assert match is not None
    assert len(shown) + int(match.group(1)) == 200
    assert len(shown) >= 30  # still a useful chart, with a font one can read
    # The tasks late against their deadline at P80 come first.
    late = {r.label[:8] for r in rows if r.deadline and (r.p80_finish or r.finish) > r.deadline}
    assert {label[:8] for label in shown} <= late  # "Task 012"
    assert all(label.get_fontsize() >= 7 for label in drawn[0].axes[0].get_yticklabels())


# --- The frontier ---------------------------------------------------------------------------


def test_coinciding_fair_points_are_all_named_and_shown(drawn: list[MplFigure]) -> None:
    svg = frontier_svg(
        ["North", "South"],
        [(100, 20), (80, 80), (20, 100)],
        [("Nash", (80, 80)), ("Kalai–Smorodinsky", (70, 75)), ("Max welfare", (80, 80))],
        [30, 30],
        title="Frontier",
    )
    legend = drawn[0].axes[0].get_legend()
    assert legend is not None
    entries = [text.get_text() for text in legend.get_texts()]
    assert any("Nash" in entry and "Max welfare" in entry for entry in entries)
    assert "Kalai–Smorodinsky" in texts(parse(svg))
    axes = drawn[0].axes[0]
    # Points at 0 and 100 sit wholly inside the axes.
    assert axes.get_xlim()[0] < 0 < 100 < axes.get_xlim()[1]
    assert axes.get_ylim()[0] < 0 < 100 < axes.get_ylim()[1]
    # The two markers at (80, 80) differ in size, so the one below shows around the other.
    sizes = {
        line.get_markersize()
        for line in axes.get_lines()
        if list(line.get_xdata()) == [80] and list(line.get_ydata()) == [80]  # type: ignore[arg-type]
    }
    assert len(sizes) == 2


def test_a_frontier_of_three_parties_fits(drawn: list[MplFigure]) -> None:
    frontier_svg(
        [long_name("Party", i, 60) for i in range(3)],
        [(100, 10, 50), (60, 60, 60), (10, 100, 40)],
        [("Nash", (60, 60, 60)), ("Egalitarian", (60, 60, 60))],
        [30, 30, 30],
        title="Efficient packages and fair points\n(dashed lines: reservation values)",
    )
    assert_nothing_cut_off(drawn)
