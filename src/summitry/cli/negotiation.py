"""The negotiation command: the analysis of the agenda, a package assessed, blind mediation."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from summitry.cli._app import (
    CompartmentOption,
    DbOption,
    JsonOption,
    WorkspaceOption,
    app,
    emit_json,
    make_folder,
    principal_of,
    source_of,
)

if TYPE_CHECKING:
    from summitry.access.labels import Labelled
    from summitry.access.policy import Principal
    from summitry.domain.plan import Plan
    from summitry.services.source import PlanSource


@app.command()
def negotiate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PLAN | DOMAIN.xml PROFILE.xml...",
            help="The plan file, or with --genius a Genius domain and its profiles.",
        ),
    ] = None,
    genius: Annotated[
        bool, typer.Option(help="Read a Genius domain and utility profiles (XML).")
    ] = False,
    party: Annotated[
        list[str] | None,
        typer.Option("--party", help="A party to analyse (repeat); default every delegation."),
    ] = None,
    as_party: Annotated[
        str | None,
        typer.Option(
            "--as",
            metavar="PARTY|all",
            help="Analyse as this delegation (its own position and its estimates of the others) "
            "or as 'all' (each delegation's own position; the default). With --charts the "
            "reader must be named: the chart circulates.",
        ),
    ] = None,
    compartment: CompartmentOption = None,
    package: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help='A tentative package (TOML: issue = "option").'),
    ] = None,
    mediate: Annotated[
        bool,
        typer.Option(help="Blind mediator: one fair package, each side only its own score."),
    ] = False,
    for_party: Annotated[
        str | None,
        typer.Option("--for", metavar="DELEGATION", help="With --mediate: only this side's view."),
    ] = None,
    charts: Annotated[
        Path | None, typer.Option(metavar="DIR", help="Write the frontier chart (SVG) here.")
    ] = None,
    seed: Annotated[
        int, typer.Option(min=0, max=2**63 - 1, help="Seed of any sampled estimate.")
    ] = 0,
    workspace: WorkspaceOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Negotiation analysis: efficient packages, fair points, ZOPA, trades, opening order.

    For example:

        summitry negotiate summit.toml

        summitry negotiate summit.toml --as united-states --package tentative-package.toml

        summitry negotiate summit.toml --mediate --for russia

        summitry negotiate --genius energy-domain.xml energy-seller.xml energy-buyer.xml

        summitry load summit.toml --workspace demo

        summitry negotiate --workspace demo --as russia
    """
    from summitry.errors import InputError

    files = files or []
    if workspace is not None and genius:
        raise InputError("--genius reads files, not a workspace")
    sources: list[PlanSource] = [source_of(None, workspace, db)] if workspace else [*files]
    if workspace is not None and files:
        source_of(files[0], workspace, db)  # refuses both, in one line
    if mediate:
        if genius or len(sources) != 1:
            raise InputError("--mediate: give one plan file")
        _mediate(sources[0], as_party, compartment, for_party, seed, json_out)
        return
    if for_party is not None:
        raise InputError("--for goes with --mediate")
    if genius and len(files) < 3:
        raise InputError("--genius: give the domain and at least two profiles")
    if not genius and len(sources) != 1:
        raise InputError(
            "give one plan file, --workspace NAME, or --genius DOMAIN.xml PROFILE.xml PROFILE.xml"
        )
    principal = principal_of(as_party, compartment, circulates=charts is not None)
    _analyse(sources, genius, principal, party, package, charts, seed, json_out)


def _analyse(
    files: list[PlanSource],
    genius: bool,
    principal: Principal,
    party: list[str] | None,
    package: Path | None,
    charts: Path | None,
    seed: int,
    json_out: bool,
) -> None:
    from summitry.console import out, render_viewer
    from summitry.console.negotiation import render_negotiation
    from summitry.io.genius import plan_from_genius, read_genius
    from summitry.io.textfile import write_text
    from summitry.reports.negotiation_view import frontier_figure, negotiation_document
    from summitry.services.negotiation import negotiate as analyse

    source: PlanSource | Plan = files[0]
    if genius:
        paths = [path for path in files if isinstance(path, Path)]
        source = plan_from_genius(*read_genius(paths[0], paths[1:]))
    chosen = _package_file(package) if package else None
    outcome = analyse(source, principal, parties=party or (), package=chosen, seed=seed)
    written = []
    if charts is not None:
        make_folder(charts)
        figure = frontier_figure(outcome.view, outcome.analysis, outcome.reservations)
        written.append(charts / f"{figure.name}.svg")
        write_text(written[-1], figure.svg)
    if json_out:
        emit_json("negotiate", negotiation_document(outcome.analysis), principal, outcome.label)
        return
    if genius:
        out.print(f"From the Genius domain {files[0]} and {len(files) - 1} profiles", markup=False)
    else:
        render_viewer(principal, outcome.view)
    render_negotiation(outcome.view, outcome.analysis, outcome.profiles, outcome.basis)
    for path in written:
        out.print(f"  wrote {path}", markup=False)


def _mediate(
    path: PlanSource,
    as_party: str | None,
    compartment: list[str] | None,
    for_party: str | None,
    seed: int,
    json_out: bool,
) -> None:
    """The blind mediation: run as the plan's mediator, print only what the release gives."""
    from summitry.access.policy import Principal
    from summitry.console import render_viewer
    from summitry.console.negotiation import render_proposal
    from summitry.errors import InputError
    from summitry.services.negotiation import mediate, mediator_of

    mediator = mediator_of(path)
    if as_party not in (None, mediator):
        raise InputError(f"--mediate runs as the mediator '{mediator}'; leave out --as")
    clearances = frozenset(compartment or ())
    outcome = mediate(path, clearances, for_party=for_party, seed=seed)
    release, principal = outcome.release, Principal(mediator, clearances)
    if json_out:
        proposals = {party: _labelled(release.scores[party]) for party in outcome.shown}
        body = {"mediator": mediator, "package": _labelled(release.package)}
        emit_json("mediation", {**body, "proposals": proposals}, principal)
        return
    render_viewer(principal, outcome.view, " — the blind mediation releases only what follows")
    for target in outcome.shown:
        render_proposal(
            release.package.value, release.scores[target].value, outcome.view.parties[target].name
        )


def _labelled(result: Labelled[Any]) -> dict[str, Any]:
    return {**asdict(result.value), "label": result.label.as_dict()}


def _package_file(path: Path) -> dict[str, str]:
    from summitry.errors import InputError
    from summitry.io import planfile
    from summitry.io.textfile import read_text

    data = planfile.parse_toml(read_text(path), str(path))
    package = {key: value for key, value in data.items() if isinstance(value, str)}
    if len(package) != len(data):
        raise InputError(f'{path}: write one line per issue: issue = "option"')
    return package
