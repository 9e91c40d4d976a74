"""Charts: well-formed, self-contained SVG that names what it shows and is the same every time."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from summitry.reports.charts import GanttRow, gantt_svg, s_curve_svg, tornado_svg

D = dt.date


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
