"""Commands on the shared workspace's database: db, workspace, load, backup, restore, audit.

The operator who runs these is trusted: they read and write the whole database (as the
keeper, ``all``). Delegations reach a workspace through the analysis commands with
``--workspace NAME --as PARTY`` and, later, through the web app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from summitry.cli._app import DbOption, JsonOption, app, emit_json, workspace_ref

db_app = typer.Typer(help="The database: create or migrate its tables.", no_args_is_help=True)
workspace_app = typer.Typer(help="Workspaces: one per summit.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log's hash chains.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(workspace_app, name="workspace")
app.add_typer(audit_app, name="audit")

WorkspaceArgument = Annotated[str, typer.Argument(metavar="WORKSPACE", help="The workspace.")]


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the database's tables, or bring them to this summitry's version.

    For example:

        summitry db upgrade

        summitry db upgrade --db team.db
    """
    from summitry.console import out
    from summitry.store import migrate
    from summitry.store.database import open_database

    database = open_database(db)
    before = migrate.current(database)
    migrate.upgrade(database)
    after = migrate.current(database)
    if before == after:
        out.print(f"{database.name} is up to date (revision {after}).")
    else:
        out.print(f"{database.name}: migrated from {before or 'nothing'} to revision {after}.")


@workspace_app.command("create")
def workspace_create(
    name: WorkspaceArgument,
    title: Annotated[str, typer.Option(help="The summit's title.")] = "",
    db: DbOption = None,
) -> None:
    """Create an empty workspace (or use 'summitry load PLAN --workspace NAME').

    For example:

        summitry workspace create vienna --title "Vienna talks"
    """
    from summitry.access.policy import KEEPER
    from summitry.console import out
    from summitry.store.reads import database_of
    from summitry.store.workspaces import create_workspace

    database = database_of(workspace_ref(name, db), create=True)
    with database.transaction(KEEPER, write=True) as session:
        create_workspace(session, name, title)
    out.print(f"Created workspace {name} in {database.name}.")


@workspace_app.command("list")
def workspace_list(db: DbOption = None, json_out: JsonOption = False) -> None:
    """List the database's workspaces.

    For example:

        summitry workspace list
    """
    from summitry.access.policy import KEEPER
    from summitry.console import out
    from summitry.store.reads import database_of
    from summitry.store.workspaces import list_workspaces

    database = database_of(workspace_ref("-", db))
    with database.transaction(KEEPER) as session:
        rows = [(w.slug, w.title, w.created_at) for w in list_workspaces(session)]
    if json_out:
        emit_json(
            "workspace-list",
            {"workspaces": [{"name": n, "title": t, "created": str(c)} for n, t, c in rows]},
        )
        return
    if not rows:
        out.print("No workspaces yet: 'summitry load PLAN --workspace NAME' makes one.")
    for name, title, _ in rows:
        out.print(f"{name}  {title}", markup=False)


@app.command()
def load(
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file (TOML).")],
    workspace: Annotated[
        str, typer.Option("--workspace", "-w", metavar="NAME", help="The workspace to fill.")
    ],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Load a plan file into a new (or empty) workspace, labels and owners kept.

    The whole file is checked first: nothing is written when it has a problem. Links that
    some readers of a record could not follow are left out, each named in a warning. A
    database file that is not there yet is created (as 'summitry db upgrade' would).

    For example:

        summitry load summit.toml --workspace demo

        summitry load summit.toml --workspace vienna --db team.db
    """
    from summitry.access.policy import KEEPER
    from summitry.console import counts_phrase, out
    from summitry.io.textfile import read_text
    from summitry.store.audit import keyring
    from summitry.store.loading import load_plan
    from summitry.store.reads import database_of

    ref = workspace_ref(workspace, db)
    database = database_of(ref, create=True)
    text = read_text(plan_path)
    with database.transaction(KEEPER, write=True) as session:
        loaded = load_plan(
            session, keyring(database.file), text, str(plan_path), workspace, actor=ref.actor
        )
    if json_out:
        emit_json(
            "load",
            {
                "file": str(plan_path),
                "workspace": workspace,
                "counts": loaded.counts,
                "warnings": [str(w) for w in loaded.warnings],
            },
        )
        return
    for warning in loaded.warnings:
        out.print(f"warning: {warning}", markup=False)
    from summitry.store.views import SINGLE

    records = {k: v for k, v in loaded.counts.items() if k not in SINGLE}
    out.print(
        f"Loaded {plan_path} into workspace {workspace}: {counts_phrase(records)}.", markup=False
    )
    out.print(
        f"Next: summitry status --workspace {workspace} --as PARTY, or summitry sitrep "
        f"--workspace {workspace}",
        markup=False,
    )


@app.command()
def backup(
    target: Annotated[Path, typer.Argument(metavar="FILE", help="The backup file to write.")],
    db: DbOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Copy the SQLite database to FILE while it is in use (PostgreSQL: use pg_dump).

    For example:

        summitry db upgrade

        summitry backup summitry-backup.db
    """
    from summitry.console import out
    from summitry.store import backup as store_backup
    from summitry.store.reads import database_of

    database = database_of(workspace_ref("-", db))
    written = store_backup.backup(database, target, force=force)
    out.print(f"Backed up {database.name} to {written}.", markup=False)


@app.command()
def restore(
    source: Annotated[Path, typer.Argument(metavar="FILE", help="A backup made by 'backup'.")],
    db: DbOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the database if one is there.")
    ] = False,
) -> None:
    """Restore the SQLite database from a backup, after checking the backup is sound.

    For example:

        summitry db upgrade

        summitry backup summitry-backup.db

        summitry restore summitry-backup.db --db restored.db
    """
    from summitry.console import out
    from summitry.store import backup as store_backup
    from summitry.store.database import open_database

    database = open_database(db)
    written = store_backup.restore(database, source, force=force)
    out.print(f"Restored {written} from {source}.", markup=False)


@audit_app.command("verify")
def audit_verify(
    workspace: Annotated[
        str, typer.Option("--workspace", "-w", metavar="NAME", help="The workspace to check.")
    ],
    against: Annotated[
        list[Path] | None,
        typer.Option(
            "--against",
            metavar="REPORT",
            help="A circulated report whose printed chain heads must still be in the log "
            "(finds truncation and re-hashing; repeat for several).",
        ),
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Recompute every audit chain of a workspace and name the first broken link.

    For example:

        summitry audit verify --workspace demo

        summitry audit verify --workspace demo --against sitrep-joint.md
    """
    from summitry.access.policy import KEEPER
    from summitry.console import out
    from summitry.io.textfile import read_text
    from summitry.store.audit import keyring, parse_heads, verify
    from summitry.store.reads import database_of
    from summitry.store.workspaces import find_workspace

    database = database_of(workspace_ref(workspace, db))
    expected = [head for report in against or () for head in parse_heads(read_text(report))]
    with database.transaction(KEEPER) as session:
        found, broken = verify(
            session, keyring(database.file), find_workspace(session, workspace).id, KEEPER, expected
        )
    if json_out:
        emit_json(
            "audit-verify",
            {
                "workspace": workspace,
                "chains": [h.describe() for h in found],
                "broken": [str(b) for b in broken],
            },
        )
    else:
        for head in found:
            out.print(head.describe(), markup=False)
        for problem in broken:
            out.print(f"broken: {problem}", markup=False)
        if not broken:
            checked = f", and {len(expected)} circulated head(s) matched" if expected else ""
            out.print(f"All {len(found)} chain(s) verify{checked}.")
    if broken:
        raise typer.Exit(2)
