"""Situation reports: the sections and figures a principal reads, in every format, per reader."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pypdf
import pytest

from summitry.access.policy import JOINT_READER, KEEPER, Principal
from summitry.access.views import view_of
from summitry.analysis.dashboard import Band, dashboard
from summitry.cli import example_path
from summitry.domain import Plan
from summitry.io.planfile import load, loads
from summitry.reports.render import html_page, markdown, pdf
from summitry.reports.sitrep import build_sitrep, next_due
from summitry.reports.snapshot import Snapshot

AS_OF = dt.date(2024, 7, 15)
SECTION_IDS = [
    "bluf",
    "changes",
    "workstreams",
    "deadlines",
    "negotiation",
    "risks",
    "venue",
    "developments",
    "decisions",
    "actions",
]


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load(example_path("summit.toml"))


class Sections(HTMLParser):
    """Collects section ids and the text under each."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.text: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.ids.append(dict(attrs)["id"] or "")
            self.text[self.ids[-1]] = ""

    def handle_data(self, data: str) -> None:
        if self.ids:
            self.text[self.ids[-1]] += data + " "


def test_html_report_has_every_section_and_the_dashboard_figures(plan: Plan) -> None:
    report = build_sitrep(plan, as_of=AS_OF, principal=KEEPER)
    parser = Sections()
    parser.feed(html_page(report.document))
    assert parser.ids == SECTION_IDS
    board = dashboard(plan, AS_OF)
    overdue = sum(1 for row in board.workstreams if row.band is Band.OVERDUE)
    assert f"{overdue} overdue" in parser.text["bluf"]
    assert f"{board.working_days_to_summit} working days to the summit" in parser.text["bluf"]
    for row in board.workstreams:
        assert row.name in parser.text["workstreams"]
    for decision in plan.decisions.values():
        if decision.status == "open":
            assert decision.title in parser.text["decisions"]
    assert "This is the first report" in parser.text["changes"]


def test_pdf_keeps_cyrillic_and_greek_text(plan: Plan) -> None:
    data = plan.model_dump()
    data["parties"]["russia"]["name"] = "Российская Федерация"
    data["summit"]["title"] = "Σύνοδος κορυφής"
    renamed = Plan.model_validate(data)
    document = build_sitrep(renamed, as_of=AS_OF, principal=KEEPER).document
    reader = pypdf.PdfReader(io.BytesIO(pdf(document)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Российская Федерация" in text
    assert "Σύνοδος κορυφής" in text
    assert "Bottom line up front" in text


def test_a_delegations_report_holds_nothing_private_of_the_other(plan: Plan) -> None:
    data = plan.model_dump()
    data["notes"]["marker-us"] = {
        "title": "US-PRIVATE-MARKER",
        "text": "only for the US",
        "visibility": "united-states",
    }
    data["risks"]["marker-risk"] = {
        "name": "US-RISK-MARKER",
        "probability": 0.9,
        "delay": [5, 5, 5],
        "visibility": "united-states",
    }
    data["decisions"]["marker-decision"] = {
        "title": "US-DECISION-MARKER",
        "due": dt.date(2024, 7, 20),
        "visibility": "united-states",
    }
    marked = Plan.model_validate(data)
    us_positions = [p for p in marked.positions.values() if p.visibility == "united-states"]
    assert us_positions
    for viewer in (Principal.of("russia"), JOINT_READER):
        view = view_of(marked, viewer)
        report = build_sitrep(view, as_of=AS_OF, principal=viewer)
        md, _ = markdown(report.document)
        html = html_page(report.document)
        snapshot = report.snapshot.model_dump_json()
        for text in (md, html, snapshot):
            assert "MARKER" not in text
            assert "as estimated by United States" not in text
            for position in us_positions:
                assert position.batna not in text or not position.batna
    # The US sees its own material.
    us = Principal.of("united-states")
    own = build_sitrep(view_of(marked, us), as_of=AS_OF, principal=us)
    assert "US-RISK-MARKER" in markdown(own.document)[0]


def test_a_report_compared_with_itself_shows_no_change(plan: Plan) -> None:
    first = build_sitrep(plan, as_of=AS_OF, principal=KEEPER)
    again = build_sitrep(plan, as_of=AS_OF, principal=KEEPER, previous=first.snapshot)
    md, _ = markdown(again.document)
    section = md.split("## 2. Changes since the last report")[1].split("## 3.")[0]
    lines = [line for line in section.splitlines() if line.strip()]
    assert lines == [
        "Readiness: no change",
        "Status: no change",
        "Bands: no change",
        "Dates: no change",
        "New risks: no change",
        "Closed risks: no change",
    ]
    assert again.snapshot.number == 2


def test_changes_list_moved_dates_status_and_risks(plan: Plan) -> None:
    before = build_sitrep(plan, as_of=AS_OF, principal=KEEPER).snapshot
    data = plan.model_dump()
    task_id = next(
        t
        for t, task in plan.tasks.items()
        if task.due and task.baseline and not plan.is_closed(task.status)
    )
    old_due = plan.tasks[task_id].due
    assert old_due is not None
    data["tasks"][task_id]["due"] = old_due + dt.timedelta(days=5)
    data["tasks"][task_id]["status"] = "complete"
    risk_id = next(iter(plan.risks))
    data["risks"][risk_id]["status"] = "closed"
    data["risks"]["new-storm"] = {"name": "Autumn storm", "probability": 0.5, "delay": [2, 4, 6]}
    later = Plan.model_validate(data)
    report = build_sitrep(
        later, as_of=AS_OF + dt.timedelta(days=7), principal=KEEPER, previous=before
    )
    md, _ = markdown(report.document)
    name = plan.tasks[task_id].name
    assert f"{name} (task): {old_due} → {old_due + dt.timedelta(days=5)}" in md
    assert f"{name} (task): {plan.tasks[task_id].status} → complete" in md
    assert f"- {plan.risks[risk_id].name}" in md.split("Closed risks:")[1]
    assert "Autumn storm (exposure 2 working days)" in md
    assert "Period covered:** 2024-07-15 to 2024-07-22" in md


def test_cadence_from_weekly_to_daily(plan: Plan) -> None:
    summit = plan.summit.earliest_date
    assert summit is not None
    assert next_due(plan, summit - dt.timedelta(days=60)) == summit - dt.timedelta(days=53)
    assert next_due(plan, summit - dt.timedelta(days=20)) == summit - dt.timedelta(days=17)
    assert next_due(plan, summit - dt.timedelta(days=5)) == summit - dt.timedelta(days=4)


def test_commentary_appears_at_the_top_of_its_section(minimal_plan_text: str) -> None:
    text = minimal_plan_text + '\n[sitrep.commentary]\nrisks = "Watch the weather closely."\n'
    report = build_sitrep(loads(text), as_of=AS_OF, principal=KEEPER)
    md, _ = markdown(report.document)
    assert "## 6. Risks and scenarios\n\n> Watch the weather closely." in md


# -- command line --------------------------------------------------------------------------


def test_cli_writes_each_format_with_its_snapshot(run_cli: Any, tmp_path: Path) -> None:
    plan_file = str(example_path("summit.toml"))
    for fmt in ("md", "html", "pdf"):
        # Each format in its own folder: a snapshot left by another format cannot stand in.
        folder = tmp_path / fmt
        folder.mkdir()
        target = folder / f"report.{fmt}"
        code, out, err = run_cli("sitrep", plan_file, "--format", fmt, "-o", str(target))
        assert code == 0, err
        assert out.startswith("As joint (what every party may read) — the default")
        assert target.stat().st_size > 1000
        snapshot = json.loads((folder / "report.json").read_text())
        assert (snapshot["kind"], snapshot["viewer"]) == ("sitrep-snapshot", "joint")
    assert target.read_bytes().startswith(b"%PDF")


def test_cli_previous_due_and_views(run_cli: Any, tmp_path: Path) -> None:
    plan_file = str(example_path("summit.toml"))
    first = tmp_path / "first.md"
    run_cli("sitrep", plan_file, "-o", str(first), "--as", "joint")
    code, out, _ = run_cli(
        "sitrep",
        plan_file,
        "--previous",
        str(tmp_path / "first.json"),
        "--as",
        "joint",
        "--due",
        "--as-of",
        "2024-07-16",
        "-o",
        str(tmp_path / "second.md"),
    )
    assert (code, out.strip()) == (0, "not due: report No. 2 is due on 2024-07-22")
    assert not (tmp_path / "second.md").exists()
    code, _, err = run_cli(
        "sitrep",
        plan_file,
        "--previous",
        str(tmp_path / "first.json"),
        "--as",
        "russia",
        "-o",
        str(tmp_path / "third.md"),
    )
    assert code == 2
    assert "that report was for 'joint', this one is for 'russia'" in err
    code, _, err = run_cli("sitrep", plan_file, "--as", "rusia", "-o", str(tmp_path / "x.md"))
    assert (code, err.strip()) == (
        2,
        "error: unknown reader 'rusia': give 'all', 'joint' or one of the plan's parties "
        "(did you mean 'russia'?)",
    )
    code, _, err = run_cli("sitrep", plan_file, "--format", "docx")
    assert code == 2
    assert re.search(r"--format: 'docx' is not one of md, html, pdf", err)
    code, _, err = run_cli("sitrep", plan_file, "--format", "pdf", "-o", str(tmp_path / "r.md"))
    assert code == 2
    assert "should end in .pdf" in err
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}')
    code, _, err = run_cli("sitrep", plan_file, "--previous", str(bad))
    assert code == 2
    assert "not a situation-report snapshot" in err
    assert Snapshot.read((tmp_path / "first.json").read_text(), "first.json").number == 1


def test_extra_font_folders_reach_the_pdf(run_cli: Any, tmp_path: Path) -> None:
    import matplotlib

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    target = tmp_path / "r.pdf"
    code, _, err = run_cli(
        "sitrep",
        str(example_path("summit.toml")),
        "--format",
        "pdf",
        "-o",
        str(target),
        "--font-dir",
        str(fonts),
        "--no-forecast",
    )
    assert code == 0, err
    assert target.read_bytes().startswith(b"%PDF")
    code, _, err = run_cli(
        "sitrep",
        str(example_path("summit.toml")),
        "--format",
        "pdf",
        "-o",
        str(tmp_path / "s.pdf"),
        "--font-dir",
        str(tmp_path / "none"),
        "--no-forecast",
    )
    assert code == 2
    assert "is not a folder" in err
    assert not (tmp_path / "s.pdf").exists()


def test_bands_and_forecast_lights_are_two_columns_each_explained(
    run_cli: Any, tmp_path: Path
) -> None:
    target = tmp_path / "report.md"
    code, _, err = run_cli(
        "sitrep", str(example_path("summit.toml")), "--as", "all", "-o", str(target)
    )
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert "| Workstream | Status | Band | Done | Expected | Deadline | P80 | Forecast |" in text
    assert "Band is the schedule state" in text
    assert "Forecast is the light from the readiness forecast" in text
    # The example's security workstream is forecast past its deadline: the report says so
    # instead of leaving a band that could read as on track beside a late P80.
    security = next(line for line in text.splitlines() if line.startswith("| Security Protocols"))
    assert "(after the deadline)" in security
    assert security.rstrip(" |").rsplit("|", 1)[1].strip() in ("amber", "red")


def test_the_same_report_gives_the_same_pdf(plan: Plan) -> None:
    from summitry.reports.render import pdf

    document = build_sitrep(plan, as_of=AS_OF, principal=KEEPER).document
    first = pdf(document, day=AS_OF)
    time.sleep(1.1)  # typst would stamp a second later
    assert pdf(document, day=AS_OF) == first
