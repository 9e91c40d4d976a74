"""The ``summitry`` command line: thin wrappers that parse input, call the library and render.

Exit codes: 0 success, 2 bad input (one line on stderr saying what and where), 1 internal error
(one line; ``--debug`` shows the traceback).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import traceback
from dataclasses import asdict
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from pydantic_core import to_jsonable_python
from rich.progress import Progress

from summitry import __version__
from summitry.access.labels import Labelled, derived_label
from summitry.access.policy import ALL, JOINT_READER, KEEPER, Principal
from summitry.access.release import blind_mediation
from summitry.access.views import load_view, narrowing_links, view_data, view_of, view_version
from summitry.analysis.dashboard import DUE_SOON_DAYS, dashboard
from summitry.analysis.negotiation import (
    analyse_negotiation,
    delegations,
    profiles_from_plan,
    weight_ranges,
)
from summitry.analysis.plan_scenarios import (
    cib_model,
    risk_register,
    under_scenario,
    venue_analysis,
)
from summitry.analysis.readiness import Forecast, forecast
from summitry.analysis.scenarios import (
    CrossImpactModel,
    Scenario,
    compare_ensemble,
    diagnose,
    find_scenarios,
    succession,
)
from summitry.console import (
    counts_phrase,
    out,
    plan_counts,
    render_comparison,
    render_dashboard,
    render_forecast,
    render_import,
    render_negotiation,
    render_proposal,
    render_risks,
    render_scenarios,
    render_venues,
    render_viewer,
)
from summitry.domain.base import JOINT
from summitry.domain.plan import FORMAT_VERSION, Plan
from summitry.errors import InputError, PlanError, SummitryError
from summitry.io import planfile
from summitry.io.briefing import ImportResult, import_briefing
from summitry.io.cibcsv import dumps as cib_dumps
from summitry.io.cibcsv import read_matrix
from summitry.io.genius import plan_from_genius, read_genius
from summitry.io.textfile import read_text, write_text
from summitry.reports.charts import acceptability_svg
from summitry.reports.full import full_report
from summitry.reports.negotiation_view import frontier_figure, negotiation_document
from summitry.reports.publish import FORMATS, check_font_dirs, publish
from summitry.reports.readiness_view import forecast_figures
from summitry.reports.sitrep import next_due
from summitry.reports.snapshot import Snapshot

JSON_SCHEMA_VERSION = 1
"""Version of the ``--json`` documents; bumped when a field changes meaning or disappears."""

app = typer.Typer(
    name="summitry",
    help="A workbench for preparing a high-level summit. Start with 'summitry demo'.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
JsonOption = Annotated[bool, typer.Option("--json", help="Print a JSON document instead.")]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Reference date (YYYY-MM-DD) for due-soon and overdue; default: the plan's as_of, "
        "else today.",
    ),
]


AsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        metavar="PARTY|joint|all",
        help="Read as this party, as 'joint' (what every party may read) or as 'all' (the whole "
        "file, the default here).",
    ),
]
CirculatingAsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        metavar="PARTY|joint|all",
        help="Who the written files are for: a party, 'joint' (what every party may read; the "
        "default for files that circulate) or 'all' (the whole file).",
    ),
]
CompartmentOption = Annotated[
    list[str] | None,
    typer.Option(
        "--compartment", metavar="NAME", help="A compartment the reader is cleared for (repeat)."
    ),
]
CIRCULATES = " — the default for files that circulate; --as names another reader"


ScenarioOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        metavar="N",
        help="Consistent scenario N, numbered as 'summitry scenarios' lists them.",
    ),
]


def example_path(name: str) -> Path:
    """Path of a file of the bundled example (``briefing.txt``, ``summit.toml``).

    Usage: ``load(example_path("summit.toml"))``.
    """
    return Path(str(files("summitry").joinpath("examples", name)))


READS: dict[str, tuple[str, ...] | None] = {
    "status": None,
    "forecast": ("statuses", "workstreams", "tasks", "milestones", "actions", "risks", "drivers"),
    "negotiate": ("parties", "issues", "positions"),
    "scenarios": ("descriptors", "risks"),
    "risks": ("risks", "descriptors"),
    "venues": ("venues", "venue_criteria", "venue_preferences"),
}
"""The collections each command's result is drawn from (None: all), for the result's label."""


def _emit_json(
    kind: str,
    payload: dict[str, Any],
    principal: Principal | None = None,
    view: Plan | None = None,
) -> None:
    document: dict[str, Any] = {"schema_version": JSON_SCHEMA_VERSION, "kind": kind}
    if principal is not None:
        document["viewer"] = principal.as_dict()
    if view is not None:
        document["label"] = derived_label(view, READS.get(kind)).as_dict()
    document.update(payload)
    out.out(json.dumps(to_jsonable_python(document), indent=2, ensure_ascii=False))


def _principal(
    as_party: str | None, compartment: list[str] | None, *, circulates: bool = False
) -> Principal:
    """The reader of a command: the whole file by default, ``joint`` for circulating files."""
    return Principal.of(as_party or (JOINT if circulates else ALL), compartment or ())


def _default_note(as_party: str | None, circulates: bool) -> str:
    return CIRCULATES if circulates and as_party is None else ""


def _parse_date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option}: '{text}' is not a date; use YYYY-MM-DD") from None


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"{folder}: cannot create the folder ({err.strerror})") from None


def _reference_date(plan: Plan, as_of: str | None) -> dt.date:
    given = _parse_date(as_of, "--as-of")
    return given or plan.summit.as_of or dt.date.today()


def _print_version(value: bool) -> None:
    if value:
        out.out(f"summitry {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback of an internal error.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Declare the global options; main() reads --debug before any command runs."""


@app.command()
def validate(
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file (TOML).")],
    as_party: AsOption = None,
    compartment: CompartmentOption = None,
    json_out: JsonOption = False,
) -> None:
    """Check a plan file and point at the line of every mistake.

    As 'all' (the default) every problem is reported, and links that some readers of a
    record cannot follow are warned about. As a party, only what that party may see is
    checked.

    For example:

        summitry validate summit.toml

        summitry validate summit.toml --as russia --json
    """
    principal = _principal(as_party, compartment)
    text = read_text(plan_path)
    source = str(plan_path)
    data = planfile.read_data(text, source)
    warnings = planfile.locate(narrowing_links(data), text, source) if principal.is_keeper else []
    try:
        plan = planfile.from_data(view_data(data, principal), text, source)
    except PlanError as err:
        if json_out:
            problems = [
                {"line": p.line, "path": list(p.path), "message": p.message} for p in err.problems
            ]
            _emit_json(
                "validate", {"file": source, "valid": False, "problems": problems}, principal
            )
            raise typer.Exit(2) from None
        for problem in err.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(2) from None
    counts = plan_counts(plan)
    if json_out:
        notes = [{"line": w.line, "path": list(w.path), "message": w.message} for w in warnings]
        _emit_json(
            "validate",
            {"file": source, "valid": True, "counts": counts, "warnings": notes},
            principal,
        )
        return
    render_viewer(principal, plan)
    out.print(f"{plan_path}: valid — {counts_phrase(counts)}")
    for warning in warnings:
        out.print(f"warning: {warning}")


@app.command()
def status(
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file (TOML).")],
    as_of: AsOfOption = None,
    due_soon: Annotated[
        int, typer.Option(min=0, help="Working days ahead that count as due soon.")
    ] = DUE_SOON_DAYS,
    as_party: AsOption = None,
    compartment: CompartmentOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show the dashboard: preparation aspects, strategic issues, engagement, and what is due.

    For example:

        summitry status summit.toml

        summitry status summit.toml --as russia --as-of 2024-07-22 --json
    """
    principal = _principal(as_party, compartment)
    plan = load_view(plan_path, principal)
    board = dashboard(plan, _reference_date(plan, as_of), due_soon)
    if json_out:
        _emit_json("status", {"file": str(plan_path), "dashboard": board}, principal, plan)
        return
    render_viewer(principal, plan)
    render_dashboard(board)


@app.command("import")
def import_command(
    briefing: Annotated[
        Path, typer.Argument(metavar="BRIEFING", help="A plain-text or Markdown briefing.")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="The plan file to write.")],
    party: Annotated[
        list[str] | None,
        typer.Option(
            "--party", help="A party to the summit (repeat for each); default: found in the text."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUTPUT if it exists.")] = False,
    json_out: JsonOption = False,
) -> None:
    """Turn a briefing into a plan file, and say what was understood and what was not.

    For example:

        summitry import briefing.txt -o summit.toml

        summitry import briefing.md -o summit.toml --party "Country A" --party "Country B"
    """
    if output.exists() and not force:
        raise InputError(f"{output}: already exists; pass --force to overwrite it")
    result = import_briefing(read_text(briefing), source=str(briefing), parties=party or ())
    planfile.save(result.plan, output)
    if json_out:
        _emit_json("import", {"file": str(briefing), "output": str(output), **_import_doc(result)})
        return
    render_import(result, briefing)
    out.print(f"Wrote {output}. Next: add tasks and estimates, then 'summitry validate {output}'.")


@app.command()
def upgrade(
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file (TOML).")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of in place.")
    ] = None,
) -> None:
    """Migrate a plan file written for an older format version to the current one.

    For example:

        summitry upgrade summit.toml

        summitry upgrade old.toml -o summit.toml
    """
    text = read_text(plan_path)
    data, old = planfile.upgrade_data(planfile.parse_toml(text, str(plan_path)))
    target = output or plan_path
    if old == FORMAT_VERSION and output is None:
        out.print(f"{plan_path}: already at format version {FORMAT_VERSION}; nothing to do")
        return
    plan = planfile.from_data(data, text if old == FORMAT_VERSION else "", str(plan_path))
    planfile.save(plan, target)
    out.print(f"{target}: written at format version {FORMAT_VERSION} (was {old})")


def _iterations(text: str | None) -> int | Literal["auto"] | None:
    if text is None or text == "auto":
        return text  # type: ignore[return-value]
    try:
        return int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise InputError(f"--iterations: '{text}' is not a number or 'auto'") from None


def _executor(scheduler: str | None) -> Any:
    if scheduler is None:
        return None
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            "--scheduler needs dask.distributed: pip install 'summitry[distributed]'"
        ) from None
    try:
        return Client(scheduler, timeout=10)  # type: ignore[no-untyped-call]
    except OSError as err:
        raise InputError(f"--scheduler: cannot reach {scheduler} ({err})") from None


def run_forecast(plan: Plan, **options: Any) -> Forecast:
    """Run a forecast with a progress bar on the terminal (none when output is not a terminal).

    Usage: ``run_forecast(plan, iterations=10_000, seed=1)``.
    """
    if not out.is_terminal:
        return forecast(plan, **options)
    with Progress(transient=True, console=out) as bar:
        task = bar.add_task("Simulating", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return forecast(plan, progress=tick, **options)


@app.command("forecast")
def forecast_command(
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file (TOML).")],
    iterations: Annotated[
        str | None,
        typer.Option(metavar="N|auto", help="Monte Carlo iterations; default the plan's."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same result.")] = 0,
    workers: Annotated[int, typer.Option(help="Local processes to spread the work over.")] = 1,
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
    json_out: JsonOption = False,
) -> None:
    """Forecast readiness: the chance each workstream is done by its deadline, and why not.

    The forecast covers the work the reader may see. With --save or --charts the reader is
    'joint' unless --as names another: those files circulate.

    For example:

        summitry forecast summit.toml

        summitry forecast summit.toml --previous last-week.json --save this-week.json

        summitry forecast summit.toml --mitigate border-hold --summit-date 2024-09-23

        summitry forecast summit.toml --iterations auto --charts charts/

        summitry forecast summit.toml --scenario 1 --as russia
    """
    circulates = save is not None or charts is not None
    principal = _principal(as_party, compartment, circulates=circulates)
    plan = load_view(plan_path, principal)
    last = _previous_forecast(previous, principal) if previous is not None else None
    what_if_date = _parse_date(summit_date, "--summit-date")
    mitigated, dropped = tuple(mitigate or ()), tuple(drop or ())
    options: dict[str, Any] = {
        "iterations": _iterations(iterations),
        "seed": seed,
        "as_of": _reference_date(plan, as_of),
        "workers": workers,
    }
    variant_plan = plan
    if scenario is not None:
        variant_plan = under_scenario(plan, _consistent_scenario(plan, scenario))
    client = _executor(scheduler)
    try:
        result = run_forecast(plan, **options, executor=client)
        variant = None
        if what_if_date or mitigated or dropped or scenario:
            variant = run_forecast(
                variant_plan,
                **options,
                executor=client,
                summit_date=what_if_date,
                mitigate=mitigated,
                drop=dropped,
            )
    finally:
        if client is not None:
            client.close()
    if charts is not None:
        _make_folder(charts)
    written = []
    if save is not None:
        label = derived_label(plan, READS["forecast"]).as_dict()
        saved = {**result.to_dict(), "viewer": principal.as_dict(), "label": label}
        write_text(save, json.dumps(saved, indent=2) + "\n")
        written.append(save)
    if charts is not None:
        for figure in forecast_figures(plan, variant or result):
            path = charts / f"{figure.name}.svg"
            write_text(path, figure.svg)
            written.append(path)
    if json_out:
        label = derived_label(plan, READS["forecast"]).as_dict()
        document = {**result.to_dict(), "viewer": principal.as_dict(), "label": label}
        if variant is not None:
            document["variant"] = variant.to_dict()
        out.out(json.dumps(document, indent=2, ensure_ascii=False))
        return
    render_viewer(principal, plan, _default_note(as_party, circulates))
    render_forecast(result, last)
    if variant is not None:
        parts = [f"summit on {what_if_date}"] if what_if_date else []
        parts += [f"scenario {scenario}"] if scenario else []
        parts += [f"{rid} mitigated" for rid in mitigated]
        parts += [f"without {rid}" for rid in dropped]
        render_comparison(result, variant, ", ".join(parts))
    for path in written:
        out.print(f"  wrote {path}")


def _previous_forecast(path: Path, principal: Principal) -> Forecast:
    """A forecast saved earlier, refused when it was made for another reader."""
    try:
        data = json.loads(read_text(path))
        saved = data.pop("viewer", KEEPER.as_dict()) if isinstance(data, dict) else None
        if isinstance(data, dict):
            data.pop("label", None)
        last = Forecast.from_dict(data)
    except (InputError, json.JSONDecodeError) as err:
        raise InputError(f"{path}: {err}") from None
    if saved != principal.as_dict():
        # Comparing two views would show the other view's work as changes.
        raise InputError(
            f"{path}: that forecast was made as {_reader_text(saved)}, this one is as "
            f"{_reader_text(principal.as_dict())}"
        )
    return last


def _reader_text(viewer: Any) -> str:
    if not isinstance(viewer, dict):
        return "an unknown reader"
    cleared = ", ".join(viewer.get("clearances") or [])
    return f"'{viewer.get('as')}'" + (f" cleared for {cleared}" if cleared else "")


def _negotiation_parties(plan: Plan, given: list[str] | None) -> list[str]:
    return list(dict.fromkeys(given)) if given else delegations(plan)


def _package_file(path: Path) -> dict[str, str]:
    data = planfile.parse_toml(read_text(path), str(path))
    package = {key: value for key, value in data.items() if isinstance(value, str)}
    if len(package) != len(data):
        raise InputError(f'{path}: write one line per issue: issue = "option"')
    return package


@app.command()
def negotiate(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="PLAN | DOMAIN.xml PROFILE.xml...",
            help="The plan file, or with --genius a Genius domain and its profiles.",
        ),
    ],
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
    seed: Annotated[int, typer.Option(help="Seed of any sampled estimate.")] = 0,
    json_out: JsonOption = False,
) -> None:
    """Negotiation analysis: efficient packages, fair points, ZOPA, trades, opening order.

    For example:

        summitry negotiate summit.toml

        summitry negotiate summit.toml --as united-states --package tentative.toml

        summitry negotiate summit.toml --mediate --for russia

        summitry negotiate --genius domain.xml profile-a.xml profile-b.xml
    """
    if mediate:
        if genius or len(files) != 1:
            raise InputError("--mediate: give one plan file")
        _mediate(files[0], as_party, compartment, for_party, seed, json_out)
        return
    if for_party is not None:
        raise InputError("--for goes with --mediate")
    whole: Plan | None = None
    if genius:
        if len(files) < 3:
            raise InputError("--genius: give the domain and at least two profiles")
        whole = plan_from_genius(*read_genius(files[0], files[1:]))
    elif len(files) != 1:
        raise InputError("give one plan file (or --genius DOMAIN.xml PROFILE.xml PROFILE.xml)")
    circulates = charts is not None
    principal = _principal(as_party, compartment, circulates=circulates)
    if principal.reader == JOINT:
        raise InputError(
            "the delegations' positions are not joint material: analyse as a delegation "
            "(--as DELEGATION) or as the keeper of the whole file (--as all)"
        )
    view = view_of(whole, principal) if whole is not None else load_view(files[0], principal)
    held_by = principal.party
    parties = _negotiation_parties(view, party)
    agenda, profiles = profiles_from_plan(view, parties, held_by=held_by)
    chosen = _package_file(package) if package else None
    ranges = weight_ranges(view, parties, held_by)
    analysis = analyse_negotiation(
        agenda, profiles, package=chosen, seed=seed, weight_ranges=ranges or None
    )
    written = []
    if charts is not None:
        _make_folder(charts)
        figure = frontier_figure(view, analysis, [p.reservation_value for p in profiles])
        written.append(charts / f"{figure.name}.svg")
        write_text(written[-1], figure.svg)
    if json_out:
        _emit_json("negotiate", negotiation_document(analysis), principal, view)
        return
    basis = (
        f"{view.parties[held_by].name}'s own position and its estimates of the others"
        if held_by
        else "each delegation's own position (the whole file)"
    )
    render_viewer(principal, view)
    render_negotiation(view, analysis, profiles, basis)
    for path in written:
        out.print(f"  wrote {path}")


def _mediate(
    path: Path,
    as_party: str | None,
    compartment: list[str] | None,
    for_party: str | None,
    seed: int,
    json_out: bool,
) -> None:
    """The blind mediation: run as the plan's mediator, print only what the release gives."""
    mediator = load_view(path, JOINT_READER).summit.mediator
    if mediator is None:
        raise InputError(
            "summit.mediator: the plan names no mediator; set it to the party that mediates"
        )
    if as_party not in (None, mediator):
        raise InputError(f"--mediate runs as the mediator '{mediator}'; leave out --as")
    principal = Principal.of(mediator, compartment or ())
    view = load_view(path, principal)
    release = blind_mediation(view, mediator, seed=seed)
    if for_party is not None and for_party not in release.scores:
        raise InputError(f"--for: '{for_party}' is not one of the mediated delegations")
    targets = [for_party] if for_party else list(release.scores)
    package = release.package
    if json_out:
        proposals = {
            party: {**asdict(release.scores[party].value), **_label(release.scores[party])}
            for party in targets
        }
        body = {"mediator": mediator, "package": {**asdict(package.value), **_label(package)}}
        _emit_json("mediation", {**body, "proposals": proposals}, principal)
        return
    render_viewer(principal, view, " — the blind mediation releases only what follows")
    for target in targets:
        render_proposal(package.value, release.scores[target].value, view.parties[target].name)


def _label(result: Labelled[Any]) -> dict[str, Any]:
    return {"label": result.label.as_dict()}


def _fixed(pairs: list[str] | None) -> dict[str, str]:
    fixed: dict[str, str] = {}
    for pair in pairs or []:
        descriptor, _, variant = pair.partition("=")
        if not variant:
            raise InputError(f"--fix: '{pair}' should read DESCRIPTOR=VARIANT")
        fixed[descriptor.strip()] = variant.strip()
    return fixed


def _scenario_model(source: Path, principal: Principal) -> tuple[CrossImpactModel, Plan | None]:
    if source.suffix.lower() == ".csv":
        return read_matrix(source), None
    plan = load_view(source, principal)
    return cib_model(plan), plan


@app.command()
def scenarios(
    sources: Annotated[
        list[Path],
        typer.Argument(
            metavar="PLAN|MATRIX.csv...",
            help="A plan, or one or more experts' cross-impact matrices (CSV).",
        ),
    ],
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
    as_party: CirculatingAsOption = None,
    compartment: CompartmentOption = None,
    json_out: JsonOption = False,
) -> None:
    """Consistent scenarios by cross-impact balance analysis, and the risks each switches on.

    From a plan, the scenario model is the descriptors the reader may see; --export-csv
    writes it for 'joint' unless --as names another reader.

    For example:

        summitry scenarios summit.toml

        summitry scenarios summit.toml --fix sanctions=relief --max-inconsistency 1

        summitry scenarios expert-a.csv expert-b.csv
    """
    circulates = export_csv is not None
    principal = _principal(as_party, compartment, circulates=circulates)
    if len(sources) > 1:
        models = [read_matrix(path) for path in sources]
        ensemble = compare_ensemble(
            models, experts=[path.stem for path in sources], max_inconsistency=max_inconsistency
        )
        if json_out:
            _emit_json("scenarios", {"ensemble": ensemble})
            return
        out.print(f"[bold]{len(models)} experts[/]; consistent for all: {len(ensemble.consensus)}")
        for entry in ensemble.scenarios[:10]:
            out.print(
                f"  {entry.support}/{len(models)}: "
                + ", ".join(f"{d}={v}" for d, v in entry.as_dict().items())
            )
        render_scenarios(ensemble.summed, None, {}, 0)
        return
    model, plan = _scenario_model(sources[0], principal)
    found = find_scenarios(model, max_inconsistency=max_inconsistency, fixed=_fixed(fix))
    # The search just made already holds every consistent scenario: no second search.
    diagnostics = diagnose(model, found if found.exact else None) if not fix else None
    ending = succession(model, fixed=_fixed(fix))
    risks: dict[int, list[str]] = {}
    if plan is not None:
        as_of = plan.summit.as_of or dt.date.today()
        for index, scenario in enumerate(found.scenarios):
            rows = risk_register(plan, as_of, scenario)
            risks[index] = [row.name for row in rows if row.active_in_scenario]
    if export_csv is not None:
        write_text(export_csv, cib_dumps(model))
    if json_out:
        _emit_json(
            "scenarios",
            {
                "found": found,
                "risks": {str(i + 1): names for i, names in risks.items()},
                "succession_cycles": len(ending.cycles),
                "diagnostics": diagnostics,
            },
            principal if plan is not None else None,
            plan,
        )
        return
    if plan is not None:
        render_viewer(principal, plan, _default_note(as_party, circulates))
    render_scenarios(found, diagnostics, risks, len(ending.cycles))
    if export_csv is not None:
        out.print(f"  wrote {export_csv}")


def _consistent_scenario(plan: Plan, number: int) -> Scenario:
    found = find_scenarios(cib_model(plan)).consistent
    if number > len(found):
        raise InputError(f"--scenario: there are {len(found)} consistent scenarios, not {number}")
    return found[number - 1]


@app.command()
def risks(
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file (TOML).")],
    scenario: ScenarioOption = None,
    as_of: AsOfOption = None,
    as_party: AsOption = None,
    compartment: CompartmentOption = None,
    json_out: JsonOption = False,
) -> None:
    """The risk register by exposure, with triggers and contingency decision points.

    For example:

        summitry risks summit.toml

        summitry risks summit.toml --scenario 1 --as united-states
    """
    principal = _principal(as_party, compartment)
    plan = load_view(plan_path, principal)
    day = _reference_date(plan, as_of)
    chosen = _consistent_scenario(plan, scenario) if scenario is not None else None
    rows = risk_register(plan, day, chosen)
    if json_out:
        _emit_json(
            "risks",
            {"as_of": day, "scenario": chosen.as_dict() if chosen else None, "risks": rows},
            principal,
            plan,
        )
        return
    render_viewer(principal, plan)
    if chosen is not None:
        out.print(
            f"Scenario {scenario}: " + ", ".join(f"{d}={v}" for d, v in chosen.as_dict().items())
        )
    render_risks(rows, str(scenario) if chosen else None)


@app.command()
def venues(
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file (TOML).")],
    charts: Annotated[
        Path | None, typer.Option(metavar="DIR", help="Write the acceptability chart here.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the weight sampling (SMAA-2).")] = 0,
    as_party: CirculatingAsOption = None,
    compartment: CompartmentOption = None,
    json_out: JsonOption = False,
) -> None:
    """Screen venues on hard requirements, rank them, and show how robust the ranking is.

    Each delegation's weights and vetoes count only for readers who may see them; --charts
    draws for 'joint' unless --as names another reader.

    For example:

        summitry venues summit.toml

        summitry venues summit.toml --as russia --charts charts/
    """
    circulates = charts is not None
    principal = _principal(as_party, compartment, circulates=circulates)
    plan = load_view(plan_path, principal)
    analysis = venue_analysis(plan, seed=seed)
    names = {vid: venue.name for vid, venue in plan.venues.items()}
    if charts is not None:
        _make_folder(charts)
        if analysis.smaa is not None:
            svg = acceptability_svg(
                [(names[row.venue], row.ranks) for row in analysis.smaa.venues],
                title="How often each venue takes each rank over plausible weightings",
            )
            write_text(charts / "venue-acceptability.svg", svg)
    if json_out:
        _emit_json("venues", {"analysis": analysis}, principal, plan)
        return
    render_viewer(principal, plan, _default_note(as_party, circulates))
    render_venues(analysis, names)


@app.command()
def sitrep(
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file (TOML).")],
    fmt: Annotated[
        str, typer.Option("--format", metavar="md|html|pdf", help="Output format.")
    ] = "md",
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Report file; default sitrep-NUMBER-DATE.FORMAT."),
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
    seed: Annotated[int, typer.Option(help="Seed of the readiness forecast.")] = 0,
    font_dir: Annotated[
        list[Path] | None,
        typer.Option(metavar="DIR", help="More fonts for the PDF, e.g. for CJK (repeat)."),
    ] = None,
    as_of: AsOfOption = None,
    json_out: JsonOption = False,
) -> None:
    """Write the situation report, and its snapshot (.json) for the next comparison.

    The report is for 'joint' (what every party may read) unless --as names its reader.

    For example:

        summitry sitrep summit.toml --format pdf

        summitry sitrep summit.toml --previous sitrep-3-2024-07-12.json --as russia

        summitry sitrep summit.toml --due --previous last.json   # from cron
    """
    if fmt not in FORMATS:
        raise InputError(f"--format: '{fmt}' is not one of md, html, pdf")
    principal = _principal(as_party, compartment, circulates=True)
    view = load_view(plan_path, principal)
    day = _reference_date(view, as_of)
    viewer = principal.name
    last = Snapshot.read(read_text(previous), str(previous)) if previous else None
    if last is not None and not last.made_for(principal):
        # Comparing views would list the other view's records as removed or new.
        raise InputError(
            f"{previous}: that report was for {_reader_text(last.principal)}, this one is for "
            f"{_reader_text(principal.as_dict())}"
        )
    if due and last is not None and day < next_due(view, last.as_of):
        message = f"not due: report No. {last.number + 1} is due on {next_due(view, last.as_of)}"
        if json_out:
            _emit_json("sitrep", {"due": False, "message": message}, principal)
        else:
            out.print(message)
        return
    check_font_dirs(font_dir or ())
    report = full_report(
        view,
        day,
        principal,
        last,
        view_version(view),
        forecasting=not no_forecast,
        seed=seed,
        run=run_forecast,
    )
    number = report.snapshot.number
    target = output or Path(f"sitrep-{number}-{day}.{fmt}")
    written = publish(report, target, fmt, font_dir or ())
    if json_out:
        _emit_json(
            "sitrep",
            {
                "due": True,
                "number": number,
                "as_of": day,
                "format": fmt,
                "files": [str(path) for path in written],
            },
            principal,
            view,
        )
        return
    render_viewer(principal, view, _default_note(as_party, True))
    out.print(f"Situation report No. {number} as of {day} ({viewer}):")
    for path in written:
        out.print(f"  {path}")


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
    briefing_path = example_path("briefing.txt")
    imported = import_briefing(read_text(briefing_path), source="examples/briefing.txt")
    principal = _principal(as_party, compartment)
    plan = load_view(example_path("summit.toml"), principal)
    joint = load_view(example_path("summit.toml"), JOINT_READER)
    day = _reference_date(plan, as_of)
    board = dashboard(plan, day)
    readiness = run_forecast(plan, as_of=day)
    _make_folder(out_dir)
    written = [out_dir / "imported-plan.toml", out_dir / "status.json"]
    planfile.save(imported.plan, written[0])
    status_doc = {
        "schema_version": JSON_SCHEMA_VERSION,
        "kind": "status",
        "viewer": JOINT_READER.as_dict(),
        "dashboard": dashboard(joint, day),
    }
    write_text(written[1], json.dumps(to_jsonable_python(status_doc), indent=2) + "\n")
    # The joint view: the version of the report that may circulate to every delegation.
    report = full_report(
        joint, day, JOINT_READER, None, view_version(joint), forecasting=True, run=run_forecast
    )
    for fmt in FORMATS:
        for path in publish(report, out_dir / f"sitrep-joint.{fmt}", fmt):
            if path not in written:
                written.append(path)
    if json_out:
        _emit_json(
            "demo",
            {
                "import": _import_doc(imported),
                "plan": {"file": "examples/summit.toml", "counts": plan_counts(plan)},
                "dashboard": board,
                "forecast": readiness.to_dict(),
                "outputs": [str(path) for path in written],
            },
            principal,
        )
        return
    render_viewer(principal, plan, " — the files written are the joint versions")
    out.rule("1. Briefing import (examples/briefing.txt)")
    render_import(imported, Path("examples/briefing.txt"))
    out.rule("2. The demo plan (examples/summit.toml)")
    out.print(f"valid — {counts_phrase(plan_counts(plan))}")
    out.rule("3. Dashboard")
    render_dashboard(board)
    out.rule("4. Readiness forecast")
    render_forecast(readiness)
    _demo_negotiation(plan, principal)
    out.rule("6. Scenarios and the risks they switch on")
    model = cib_model(plan)
    found = find_scenarios(model)
    switched = {
        index: [row.name for row in risk_register(plan, day, s) if row.active_in_scenario]
        for index, s in enumerate(found.scenarios)
    }
    render_scenarios(found, diagnose(model, found), switched, len(succession(model).cycles))
    out.rule("7. Venues")
    render_venues(venue_analysis(plan), {vid: v.name for vid, v in plan.venues.items()})
    out.rule("Outputs")
    for path in written:
        out.print(f"  {path}")


def _demo_negotiation(plan: Plan, principal: Principal) -> None:
    held_by = principal.party
    whose = f"{plan.parties[held_by].name}'s" if held_by else "each delegation's own"
    out.rule(f"5. Negotiation ({whose} position{'s' if not held_by else ''})")
    if principal.reader == JOINT:
        out.print("The delegations' positions are not joint material: no negotiation analysis.")
        return
    parties = _negotiation_parties(plan, None)
    agenda, profiles = profiles_from_plan(plan, parties, held_by=held_by)
    render_negotiation(plan, analyse_negotiation(agenda, profiles), profiles, f"{whose} position")


def _import_doc(result: ImportResult) -> dict[str, Any]:
    return {
        "counts": plan_counts(result.plan),
        "understood": list(result.understood),
        "not_understood": list(result.not_understood),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code, turning every error into one line.

    Usage: ``sys.exit(main(["validate", "summit.toml"]))``.
    """
    args = list(sys.argv[1:] if argv is None else argv) or ["--help"]
    debug = "--debug" in args
    try:
        # Without standalone mode the parser returns an exit code instead of calling exit().
        result = app(args=args, prog_name="summitry", standalone_mode=False)
    except typer.Exit as done:
        return done.exit_code
    except typer.TyperException as err:
        # Usage errors from the command-line parser (unknown option, missing argument, ...).
        command = " ".join(arg for arg in args[:1] if not arg.startswith("-"))
        hint = f" (see 'summitry {command} --help')" if command else " (see 'summitry --help')"
        typer.echo(f"error: {err.format_message()}{hint.replace('  ', ' ')}", err=True)
        return err.exit_code
    except typer.Abort:
        typer.echo("error: interrupted", err=True)
        return 130
    except PlanError as err:
        typer.echo(f"error: {err}", err=True)
        return 2
    except SummitryError as err:
        typer.echo(f"error: {err}", err=True)
        return 2
    except Exception as err:  # the one place that turns surprises into one line
        if debug:
            traceback.print_exc()
        typer.echo(
            f"internal error: {type(err).__name__}: {err} (run with --debug for the traceback)",
            err=True,
        )
        return 1
    return result if isinstance(result, int) else 0
