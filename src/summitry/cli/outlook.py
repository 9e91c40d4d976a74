"""Commands on what could go wrong and where to meet: scenarios, risks, venues."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from summitry.cli._app import (
    AsOfOption,
    AsOption,
    CirculatingAsOption,
    CompartmentOption,
    DbOption,
    JsonOption,
    OptionalPlanArgument,
    ScenarioOption,
    WorkspaceOption,
    app,
    default_note,
    emit_json,
    make_folder,
    parse_date,
    principal_of,
    progress,
    source_of,
)


@app.command()
def scenarios(
    sources: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PLAN|MATRIX.csv...",
            help="A plan, or one or more experts' cross-impact matrices (CSV).",
        ),
    ] = None,
    fix: Annotated[
        list[str] | None,
        typer.Option(metavar="DESCRIPTOR=VARIANT", help="Hold a descriptor (a policy lever)."),
    ] = None,
    max_inconsistency: Annotated[
        int, typer.Option(min=0, help="Also list nearly consistent scenarios up to this.")
    ] = 0,
    export_csv: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Write the plan's matrix as CSV.")
    ] = None,
    time_limit: Annotated[
        float | None,
        typer.Option(
            min=0,
            metavar="SECONDS",
            help="Stop after this long and show what was found, saying how much of the space "
            "was searched.",
        ),
    ] = None,
    as_party: CirculatingAsOption = None,
    compartment: CompartmentOption = None,
    workspace: WorkspaceOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Consistent scenarios by cross-impact balance analysis, and the risks each switches on.

    From a plan, the scenario model is the descriptors the reader may see; --export-csv
    writes it for 'joint' unless --as names another reader. Big matrices (say 20
    descriptors of 6 variants) can take minutes: a terminal shows a progress bar, and
    --time-limit stops the search and lists what it found so far, saying so.

    For example:

        summitry scenarios summit.toml

        summitry scenarios summit.toml --fix sanctions=relief --max-inconsistency 1

        summitry scenarios expert-a.csv expert-b.csv --time-limit 60

        summitry load summit.toml --workspace demo

        summitry scenarios --workspace demo --as russia
    """
    from summitry.console import out, render_viewer
    from summitry.console.outlook import render_ensemble, render_scenarios
    from summitry.errors import InputError
    from summitry.io.textfile import write_text
    from summitry.services import scenarios as service

    if time_limit is not None and not math.isfinite(time_limit):
        raise InputError("--time-limit: must be a finite number of seconds")
    sources = sources or []
    if workspace is not None and len(sources) > 1:
        raise InputError("give a plan file, CSV matrices or --workspace, not several of them")
    if len(sources) > 1:
        with progress() as tick:
            ensemble = service.compare_experts(
                sources, max_inconsistency, time_limit=time_limit, progress=tick
            )
        if json_out:
            emit_json("scenarios", {"complete": ensemble.complete, "ensemble": ensemble})
            return
        render_ensemble(ensemble)
        return
    circulates = export_csv is not None
    principal = principal_of(as_party, compartment, circulates=circulates)
    with progress() as tick:
        outcome = service.scenarios(
            source_of(sources[0] if sources else None, workspace, db),
            principal,
            fixed=_fixed(fix),
            max_inconsistency=max_inconsistency,
            time_limit=time_limit,
            progress=tick,
        )
    if export_csv is not None:
        write_text(export_csv, service.export_matrix(outcome))
    if json_out:
        reader = principal if outcome.view is not None else None
        emit_json(
            "scenarios",
            {
                "complete": outcome.complete,
                "found": outcome.found,
                "risks": {str(i + 1): names for i, names in outcome.risks.items()},
                "succession_cycles": outcome.succession_cycles,
                "diagnostics": outcome.diagnostics,
                "notes": list(outcome.notes),
            },
            reader,
            outcome.label,
        )
        return
    if outcome.view is not None:
        render_viewer(principal, outcome.view, default_note(as_party, circulates))
    render_scenarios(
        outcome.found,
        outcome.diagnostics,
        dict(outcome.risks),
        outcome.succession_cycles,
        outcome.notes,
    )
    if export_csv is not None:
        out.print(f"  wrote {export_csv}", markup=False)


def _fixed(pairs: list[str] | None) -> dict[str, str]:
    from summitry.errors import InputError

    fixed: dict[str, str] = {}
    for pair in pairs or []:
        descriptor, _, variant = pair.partition("=")
        if not variant:
            raise InputError(f"--fix: '{pair}' should read DESCRIPTOR=VARIANT")
        fixed[descriptor.strip()] = variant.strip()
    return fixed


@app.command()
def risks(
    plan_path: OptionalPlanArgument = None,
    scenario: ScenarioOption = None,
    as_of: AsOfOption = None,
    as_party: AsOption = None,
    compartment: CompartmentOption = None,
    workspace: WorkspaceOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """The risk register by exposure, with triggers and contingency decision points.

    For example:

        summitry risks summit.toml

        summitry risks summit.toml --scenario 1 --as united-states

        summitry load summit.toml --workspace demo

        summitry risks --workspace demo --as united-states
    """
    from summitry.console import out, render_viewer
    from summitry.console.outlook import render_risks
    from summitry.services.scenarios import risks as register

    principal = principal_of(as_party, compartment)
    outcome = register(
        source_of(plan_path, workspace, db),
        principal,
        as_of=parse_date(as_of, "--as-of"),
        scenario=scenario,
    )
    chosen = outcome.scenario
    if json_out:
        emit_json(
            "risks",
            {
                "as_of": outcome.as_of,
                "scenario": chosen.as_dict() if chosen else None,
                "risks": outcome.rows,
            },
            principal,
            outcome.label,
        )
        return
    render_viewer(principal, outcome.view)
    if chosen is not None:
        out.print(
            f"Scenario {scenario}: " + ", ".join(f"{d}={v}" for d, v in chosen.as_dict().items()),
            markup=False,
        )
    render_risks(outcome.rows, str(scenario) if chosen else None)


@app.command()
def venues(
    plan_path: OptionalPlanArgument = None,
    charts: Annotated[
        Path | None, typer.Option(metavar="DIR", help="Write the acceptability chart here.")
    ] = None,
    seed: Annotated[
        int, typer.Option(min=0, max=2**63 - 1, help="Seed of the weight sampling (SMAA-2).")
    ] = 0,
    as_party: CirculatingAsOption = None,
    compartment: CompartmentOption = None,
    workspace: WorkspaceOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Screen venues on hard requirements, rank them, and show how robust the ranking is.

    Each delegation's weights and vetoes count only for readers who may see them; --charts
    draws for 'joint' unless --as names another reader.

    For example:

        summitry venues summit.toml

        summitry venues summit.toml --as russia --charts charts/

        summitry load summit.toml --workspace demo

        summitry venues --workspace demo --as russia
    """
    from summitry.console import render_viewer
    from summitry.console.outlook import render_venues
    from summitry.io.textfile import write_text
    from summitry.services.venues import acceptability_chart
    from summitry.services.venues import venues as analyse

    circulates = charts is not None
    principal = principal_of(as_party, compartment, circulates=circulates)
    outcome = analyse(source_of(plan_path, workspace, db), principal, seed=seed)
    if charts is not None:
        make_folder(charts)
        svg = acceptability_chart(outcome)
        if svg is not None:
            write_text(charts / "venue-acceptability.svg", svg)
    if json_out:
        emit_json("venues", {"analysis": outcome.analysis}, principal, outcome.label)
        return
    render_viewer(principal, outcome.view, default_note(as_party, circulates))
    render_venues(outcome.analysis, outcome.names)
