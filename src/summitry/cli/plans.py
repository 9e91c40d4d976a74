"""Commands on a plan as a whole: validate, status, import, upgrade, export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from summitry.cli._app import (
    AsOfOption,
    AsOption,
    CirculatingAsOption,
    CompartmentOption,
    DbOption,
    JsonOption,
    OptionalPlanArgument,
    PlanArgument,
    WorkspaceOption,
    app,
    default_note,
    emit_json,
    parse_date,
    principal_of,
    source_of,
    source_words,
)


@app.command()
def validate(
    plan_path: OptionalPlanArgument = None,
    as_party: AsOption = None,
    compartment: CompartmentOption = None,
    workspace: WorkspaceOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Check a plan file and point at the line of every mistake.

    As 'all' (the default) every problem is reported, and links that some readers of a
    record cannot follow are warned about. As a party, only what that party may see is
    checked.

    For example:

        summitry validate summit.toml

        summitry validate summit.toml --as russia --json

        summitry load summit.toml --workspace demo

        summitry validate --workspace demo --as russia
    """
    from summitry.console import counts_phrase, out, render_viewer
    from summitry.services.plans import validate as check

    principal = principal_of(as_party, compartment)
    source = source_of(plan_path, workspace, db)
    found = check(source, principal)
    if json_out:
        body: dict[str, Any] = {"file": str(source), "valid": found.view is not None}
        if found.view is None:
            body["problems"] = [_problem(p) for p in found.problems]
        else:
            body["counts"] = found.counts
            body["warnings"] = [_problem(w) for w in found.warnings]
            body["notes"] = list(found.notes)
        emit_json("validate", body, principal)
        if found.view is None:
            raise typer.Exit(2)
        return
    if found.view is None:
        for problem in found.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(2)
    render_viewer(principal, found.view)
    out.print(f"{source}: valid — {counts_phrase(found.counts)}", markup=False)
    for warning in found.warnings:
        out.print(f"warning: {warning}", markup=False)
    for note in found.notes:
        out.print(f"note: {note}", markup=False)
    if not found.notes:
        words = source_words(source)
        out.print(f"Next: 'summitry status {words}' and 'summitry forecast {words}'.", markup=False)


def _problem(problem: Any) -> dict[str, Any]:
    return {"line": problem.line, "path": list(problem.path), "message": problem.message}


@app.command()
def status(
    plan_path: OptionalPlanArgument = None,
    as_of: AsOfOption = None,
    due_soon: Annotated[
        int, typer.Option(min=0, max=3650, help="Working days ahead that count as due soon.")
    ] = 10,
    as_party: AsOption = None,
    compartment: CompartmentOption = None,
    workspace: WorkspaceOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show the dashboard: preparation aspects, strategic issues, engagement, and what is due.

    For example:

        summitry status summit.toml

        summitry status summit.toml --as russia --as-of 2024-07-22 --json

        summitry load summit.toml --workspace demo

        summitry status --workspace demo --as russia
    """
    from summitry.console import out, render_viewer
    from summitry.console.plans import render_dashboard
    from summitry.services.plans import status as board_of

    principal = principal_of(as_party, compartment)
    source = source_of(plan_path, workspace, db)
    found = board_of(source, principal, parse_date(as_of, "--as-of"), due_soon)
    if json_out:
        body = {"file": str(source), "dashboard": found.board, "notes": list(found.notes)}
        emit_json("status", body, principal, found.label)
        return
    render_viewer(principal, found.view)
    render_dashboard(found.board)
    for note in found.notes:
        out.print(f"note: {note}", markup=False)


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

        summitry import briefing.txt -o imported.toml

        summitry import briefing.txt -o two-parties.toml --party "Country A" --party "Country B"
    """
    from summitry.console import out
    from summitry.console.plans import render_import
    from summitry.services.plans import import_briefing_file, record_counts

    _refuse_overwrite(output, force)
    result = import_briefing_file(briefing, output, tuple(party or ()), force=True)
    if json_out:
        emit_json(
            "import",
            {
                "file": str(briefing),
                "output": str(output),
                "counts": record_counts(result.plan),
                "understood": list(result.understood),
                "not_understood": list(result.not_understood),
            },
        )
        return
    render_import(result, briefing)
    out.print(
        f"Wrote {output}. Next: add tasks and estimates, then 'summitry validate {output}'.",
        markup=False,
    )


@app.command()
def upgrade(
    plan_path: PlanArgument,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of in place.")
    ] = None,
) -> None:
    """Migrate a plan file written for an older format version to the current one.

    An upgrade rewrites the whole file (its keeper's), so it takes no --as.

    For example:

        summitry upgrade summit.toml

        summitry upgrade summit.toml -o upgraded.toml
    """
    from summitry.console import out
    from summitry.domain.plan import FORMAT_VERSION
    from summitry.services.plans import upgrade_file

    done = upgrade_file(plan_path, output)
    if done.written is None:
        out.print(
            f"{plan_path}: already at format version {FORMAT_VERSION}; nothing to do", markup=False
        )
        return
    out.print(
        f"{done.written}: written at format version {FORMAT_VERSION} (was {done.old_version})",
        markup=False,
    )


@app.command()
def export(
    output: Annotated[Path, typer.Option("-o", "--output", help="The plan file to write.")],
    plan_path: Annotated[
        Path | None,
        typer.Argument(
            metavar="PLAN|WORKSPACE",
            help="The plan file, or the name of a workspace of the database.",
        ),
    ] = None,
    as_party: CirculatingAsOption = None,
    compartment: CompartmentOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUTPUT if it exists.")] = False,
    workspace: WorkspaceOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Write the plan file one reader may take away: their view, nothing else.

    From a workspace, name it in place of the plan file (or with --workspace).

    For example:

        summitry export summit.toml --as russia -o russia.toml

        summitry export summit.toml -o joint.toml

        summitry load summit.toml --workspace demo

        summitry export demo --as united-states -o us.toml
    """
    from summitry.console import out, render_viewer
    from summitry.io.textfile import write_text
    from summitry.services.plans import export_view

    _refuse_overwrite(output, force)
    principal = principal_of(as_party, compartment, circulates=True)
    if workspace is None and plan_path is not None and _names_a_workspace(plan_path):
        plan_path, workspace = None, str(plan_path)
    source = source_of(plan_path, workspace, db)
    view, text = export_view(source, principal)
    write_text(output, text)
    if json_out:
        emit_json("export", {"file": str(source), "output": str(output)}, principal)
        return
    render_viewer(principal, view, default_note(as_party, True))
    out.print(f"Wrote {output}.", markup=False)


def _names_a_workspace(path: Path) -> bool:
    """``demo`` (no file there, a workspace name) rather than ``summit.toml``."""
    import re

    from summitry.domain.base import SLUG_PATTERN

    return not path.exists() and re.fullmatch(SLUG_PATTERN, str(path)) is not None


def _refuse_overwrite(output: Path, force: bool) -> None:
    from summitry.errors import InputError

    if output.exists() and not force:
        raise InputError(f"{output}: already exists; pass --force to overwrite it")
