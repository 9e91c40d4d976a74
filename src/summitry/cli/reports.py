"""The situation report command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from summitry.cli._app import (
    AsOfOption,
    CirculatingAsOption,
    CompartmentOption,
    DbOption,
    JsonOption,
    OptionalPlanArgument,
    WorkspaceOption,
    app,
    default_note,
    emit_json,
    parse_date,
    principal_of,
    progress,
    source_of,
)


@app.command()
def sitrep(
    plan_path: OptionalPlanArgument = None,
    fmt: Annotated[
        str, typer.Option("--format", metavar="md|html|pdf", help="Output format.")
    ] = "md",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Report file; default sitrep-NUMBER-DATE.FORMAT (…-READER.FORMAT for a party).",
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option("--previous", metavar="REPORT.json", help="Snapshot of the last report."),
    ] = None,
    as_party: CirculatingAsOption = None,
    compartment: CompartmentOption = None,
    due: Annotated[
        bool, typer.Option("--due", help="Write only if a report is due by the cadence.")
    ] = False,
    no_forecast: Annotated[
        bool, typer.Option("--no-forecast", help="Leave out the readiness forecast.")
    ] = False,
    seed: Annotated[
        int, typer.Option(min=0, max=2**63 - 1, help="Seed of the readiness forecast.")
    ] = 0,
    font_dir: Annotated[
        list[Path] | None,
        typer.Option(metavar="DIR", help="More fonts for the PDF, e.g. for CJK (repeat)."),
    ] = None,
    as_of: AsOfOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an earlier report and its snapshot.")
    ] = False,
    workspace: WorkspaceOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Write the situation report, and its snapshot (.json) for the next comparison.

    The report is for 'joint' (what every party may read) unless --as names its reader.

    For example:

        summitry sitrep summit.toml --format pdf

        summitry sitrep summit.toml --previous sitrep-1-2024-07-15.json --as-of 2024-07-22

        summitry sitrep summit.toml --as russia

        summitry sitrep summit.toml --due --previous sitrep-2-2024-07-22.json   # from cron

        summitry load summit.toml --workspace demo

        summitry sitrep --workspace demo --as united-states
    """
    from summitry.console import out, render_viewer
    from summitry.domain.base import JOINT
    from summitry.errors import InputError
    from summitry.reports.publish import FORMATS, check_font_dirs, publish
    from summitry.services.sitrep import SitrepRequest
    from summitry.services.sitrep import sitrep as build

    if fmt not in FORMATS:
        raise InputError(f"--format: '{fmt}' is not one of md, html, pdf")
    principal = principal_of(as_party, compartment, circulates=True)
    request = SitrepRequest(parse_date(as_of, "--as-of"), not no_forecast, seed)
    check_font_dirs(font_dir or ())
    with progress() as tick:
        outcome = build(
            source_of(plan_path, workspace, db),
            principal,
            request,
            previous=previous,
            only_when_due=due,
            progress=tick,
        )
    if outcome.report is None:
        message = outcome.not_due or ""
        if json_out:
            emit_json("sitrep", {"due": False, "message": message}, principal, outcome.label)
        else:
            out.print(message)
        return
    number = outcome.report.snapshot.number
    # Each reader's reports have their own numbers: the default name keeps them apart.
    reader = "" if principal.reader == JOINT else f"-{principal.name}"
    target = output or Path(f"sitrep-{number}-{outcome.as_of}{reader}.{fmt}")
    existing = [path for path in (target, target.with_suffix(".json")) if path.exists()]
    if existing and not force:
        raise InputError(f"{existing[0]}: already exists; pass --force to overwrite it")
    written = publish(outcome.report, target, fmt, font_dir or ())
    if json_out:
        emit_json(
            "sitrep",
            {
                "due": True,
                "number": number,
                "as_of": outcome.as_of,
                "format": fmt,
                "files": [str(path) for path in written],
            },
            principal,
            outcome.label,
        )
        return
    render_viewer(principal, outcome.view, default_note(as_party, True))
    out.print(f"Situation report No. {number} as of {outcome.as_of} ({principal.name}):")
    for path in written:
        out.print(f"  {path}")
