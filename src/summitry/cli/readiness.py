"""The readiness forecast command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from summitry.cli._app import (
    AsOfOption,
    CirculatingAsOption,
    CompartmentOption,
    DbOption,
    JsonOption,
    OptionalPlanArgument,
    ScenarioOption,
    WorkspaceOption,
    app,
    default_note,
    make_folder,
    parse_date,
    principal_of,
    progress,
    source_of,
)

if TYPE_CHECKING:
    from summitry.services.forecasting import ForecastRequest


@app.command("forecast")
def forecast_command(
    plan_path: OptionalPlanArgument = None,
    iterations: Annotated[
        str | None,
        typer.Option(metavar="N|auto", help="Monte Carlo iterations; default the plan's."),
    ] = None,
    seed: Annotated[
        int, typer.Option(min=0, max=2**63 - 1, help="Random seed: the same seed, the same result.")
    ] = 0,
    workers: Annotated[
        int, typer.Option(min=1, max=256, help="Local processes to spread the work over.")
    ] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option(metavar="tcp://HOST:PORT", help="Run on a dask.distributed cluster."),
    ] = None,
    summit_date: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="What if the summit were on this date?"),
    ] = None,
    mitigate: Annotated[
        list[str] | None, typer.Option(metavar="RISK", help="What if this risk is mitigated?")
    ] = None,
    drop: Annotated[
        list[str] | None, typer.Option(metavar="RISK", help="What if this risk is gone?")
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(metavar="FORECAST.json", help="Last forecast, to show the change."),
    ] = None,
    save: Annotated[
        Path | None,
        typer.Option(metavar="FORECAST.json", help="Keep this forecast for next time."),
    ] = None,
    charts: Annotated[
        Path | None, typer.Option(metavar="DIR", help="Write SVG charts to this folder.")
    ] = None,
    scenario: ScenarioOption = None,
    as_of: AsOfOption = None,
    as_party: CirculatingAsOption = None,
    compartment: CompartmentOption = None,
    workspace: WorkspaceOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Forecast readiness: the chance each workstream is done by its deadline, and why not.

    The forecast covers the work the reader may see. With --save or --charts the reader is
    'joint' unless --as names another: those files circulate.

    For example:

        summitry forecast summit.toml

        summitry forecast summit.toml --save last-week.json

        summitry forecast summit.toml --previous last-week.json --save this-week.json

        summitry forecast summit.toml --mitigate venue-deadlock --summit-date 2024-09-23

        summitry forecast summit.toml --iterations 20000 --charts charts/

        summitry forecast summit.toml --scenario 1 --as russia

        summitry load summit.toml --workspace demo

        summitry forecast --workspace demo --as russia
    """
    from summitry.console import out, render_viewer
    from summitry.console.readiness import render_comparison, render_forecast
    from summitry.io.textfile import write_text
    from summitry.services.forecasting import readiness

    circulates = save is not None or charts is not None
    principal = principal_of(as_party, compartment, circulates=circulates)
    request = _request(
        iterations, seed, workers, scheduler, summit_date, mitigate, drop, scenario, as_of
    )
    with progress() as tick:
        outcome = readiness(
            source_of(plan_path, workspace, db),
            principal,
            request,
            previous=previous,
            progress=tick,
        )
    if charts is not None:
        make_folder(charts)
    written = []
    if save is not None:
        write_text(save, json.dumps(outcome.saved(principal), indent=2) + "\n")
        written.append(save)
    if charts is not None:
        from summitry.reports.readiness_view import forecast_figures

        for figure in forecast_figures(outcome.view, outcome.variant or outcome.baseline):
            path = charts / f"{figure.name}.svg"
            write_text(path, figure.svg)
            written.append(path)
    if json_out:
        out.out(json.dumps(outcome.document(principal), indent=2, ensure_ascii=False))
        return
    render_viewer(principal, outcome.view, default_note(as_party, circulates))
    render_forecast(outcome.baseline, outcome.previous)
    if outcome.variant is not None:
        render_comparison(outcome.baseline, outcome.variant, outcome.what_if.describe())
    for path in written:
        out.print(f"  wrote {path}", markup=False)


def _request(
    iterations: str | None,
    seed: int,
    workers: int,
    scheduler: str | None,
    summit_date: str | None,
    mitigate: list[str] | None,
    drop: list[str] | None,
    scenario: int | None,
    as_of: str | None,
) -> ForecastRequest:
    from summitry.services.forecasting import ForecastRequest

    return ForecastRequest(
        iterations=_iterations(iterations),
        seed=seed,
        as_of=parse_date(as_of, "--as-of"),
        workers=workers,
        scheduler=scheduler,
        summit_date=parse_date(summit_date, "--summit-date"),
        mitigate=tuple(mitigate or ()),
        drop=tuple(drop or ()),
        scenario=scenario,
    )


def _iterations(text: str | None) -> int | Literal["auto"] | None:
    from summitry.errors import InputError

    if text is None or text == "auto":
        return text  # type: ignore[return-value]
    try:
        return int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise InputError(f"--iterations: '{text}' is not a number or 'auto'") from None
