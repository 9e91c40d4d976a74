"""The demo: the main job on the bundled example, from briefing to situation report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from summitry.cli._app import (
    JSON_SCHEMA_VERSION,
    AsOfOption,
    AsOption,
    CompartmentOption,
    JsonOption,
    app,
    emit_json,
    example_path,
    make_folder,
    parse_date,
    principal_of,
    progress,
)

if TYPE_CHECKING:
    from summitry.access.policy import Principal


@app.command()
def demo(
    out_dir: Annotated[
        Path, typer.Option("--out", metavar="DIR", help="Folder for the demo's outputs.")
    ] = Path("demo-output"),
    as_of: AsOfOption = None,
    as_party: AsOption = None,
    compartment: CompartmentOption = None,
    json_out: JsonOption = False,
) -> None:
    """Run the main job on the bundled example: import, dashboard, situation report.

    The terminal shows the example as --as may see it (the whole file by default); the files
    written are the joint versions, which may circulate to every party.

    For example:

        summitry demo

        summitry demo --as russia --out demo-run --json
    """
    from pydantic_core import to_jsonable_python

    from summitry.access.policy import JOINT_READER
    from summitry.console import counts_phrase, out, render_viewer
    from summitry.console.outlook import render_scenarios, render_venues
    from summitry.console.plans import render_dashboard, render_import
    from summitry.console.readiness import render_forecast
    from summitry.io import planfile
    from summitry.io.briefing import import_briefing
    from summitry.io.textfile import read_text, write_text
    from summitry.reports.publish import FORMATS, publish
    from summitry.services.forecasting import ForecastRequest, readiness
    from summitry.services.plans import record_counts, status
    from summitry.services.scenarios import scenarios
    from summitry.services.sitrep import SitrepRequest, sitrep
    from summitry.services.venues import venues

    plan_file = example_path("summit.toml")
    imported = import_briefing(read_text(example_path("briefing.txt")), "examples/briefing.txt")
    principal = principal_of(as_party, compartment)
    day = parse_date(as_of, "--as-of")
    board = status(plan_file, principal, day)
    with progress() as tick:
        forecast = readiness(plan_file, principal, ForecastRequest(as_of=day), progress=tick)
        # The joint version: the report that may circulate to every party.
        report = sitrep(plan_file, JOINT_READER, SitrepRequest(as_of=day), progress=tick).report
    make_folder(out_dir)
    written = [out_dir / "imported-plan.toml", out_dir / "status.json"]
    planfile.save(imported.plan, written[0])
    joint_board = status(plan_file, JOINT_READER, day)
    status_doc = {
        "schema_version": JSON_SCHEMA_VERSION,
        "kind": "status",
        "viewer": JOINT_READER.as_dict(),
        "label": joint_board.label.as_dict(),
        "dashboard": joint_board.board,
    }
    write_text(written[1], json.dumps(to_jsonable_python(status_doc), indent=2) + "\n")
    assert report is not None  # no previous report: always due
    for fmt in FORMATS:
        for path in publish(report, out_dir / f"sitrep-joint.{fmt}", fmt):
            if path not in written:
                written.append(path)
    counts = record_counts(board.view)
    if json_out:
        emit_json(
            "demo",
            {
                "import": {
                    "counts": record_counts(imported.plan),
                    "understood": list(imported.understood),
                    "not_understood": list(imported.not_understood),
                },
                "plan": {"file": "examples/summit.toml", "counts": counts},
                "dashboard": board.board,
                "forecast": forecast.baseline.to_dict(),
                "outputs": [str(path) for path in written],
            },
            principal,
            board.label,
        )
        return
    render_viewer(principal, board.view, " — the files written are the joint versions")
    out.rule("1. Briefing import (examples/briefing.txt)")
    render_import(imported, Path("examples/briefing.txt"))
    out.rule("2. The demo plan (examples/summit.toml)")
    out.print(f"valid — {counts_phrase(counts)}")
    out.rule("3. Dashboard")
    render_dashboard(board.board)
    out.rule("4. Readiness forecast")
    render_forecast(forecast.baseline)
    _negotiation(plan_file, principal)
    out.rule("6. Scenarios and the risks they switch on")
    found = scenarios(plan_file, principal)
    render_scenarios(found.found, found.diagnostics, dict(found.risks), found.succession_cycles)
    out.rule("7. Venues")
    chosen = venues(plan_file, principal)
    render_venues(chosen.analysis, chosen.names)
    out.rule("Outputs")
    for path in written:
        out.print(f"  {path}")


def _negotiation(plan_file: Path, principal: Principal) -> None:
    from summitry.console import out
    from summitry.console.negotiation import render_negotiation
    from summitry.domain.base import JOINT
    from summitry.services.negotiation import negotiate

    if principal.reader == JOINT:
        out.rule("5. Negotiation")
        out.print("The delegations' positions are not joint material: no negotiation analysis.")
        return
    outcome = negotiate(plan_file, principal)
    out.rule(f"5. Negotiation ({outcome.basis})")
    render_negotiation(outcome.view, outcome.analysis, outcome.profiles, outcome.basis)
