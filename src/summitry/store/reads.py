"""Reading a workspace as one principal: the view, its check, and the audit chains' heads.

This is the store's side of the one door: :func:`workspace_view` is what ``read_view`` calls
for a workspace, as ``load_view`` is for a plan file. A read of compartmented material writes
an audit entry in the same transaction, so such reads run as write transactions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from summitry.access.labels import Label
from summitry.access.policy import Principal
from summitry.access.sql import decode_label
from summitry.domain.plan import Plan
from summitry.errors import InputError, PlanError, Problem
from summitry.io import planfile
from summitry.store.audit import ChainHead, append, heads, keyring
from summitry.store.database import Database, is_migrated, open_database
from summitry.store.views import assemble, cached_view, compartment_keys
from summitry.store.workspaces import find_workspace


@dataclass(frozen=True)
class WorkspaceRef:
    """A workspace in a database: its name, and the ``--db`` file or URL (None: the default).

    Usage: ``WorkspaceRef("demo", Path("summitry.db"))``.
    """

    name: str
    db: Path | None = None
    url: str | None = None
    actor: str = "cli"

    def __str__(self) -> str:
        """``workspace demo``, as messages name it."""
        return f"workspace {self.name}"


_open: dict[tuple[Path, Path | None, str | None], Database] = {}


def database_of(ref: WorkspaceRef, *, create: bool = False) -> Database:
    """The opened, migrated database of a workspace reference (opened once per process).

    With ``create``, a SQLite file that is not there yet is made, with its tables: loading a
    first plan needs no other step.
    Usage: ``database_of(WorkspaceRef("demo")).name``.
    """
    # A relative file (summitry.db by default) is another database in another folder.
    key = (Path.cwd(), ref.db, ref.url)
    if key not in _open:
        db = open_database(ref.db, ref.url)
        if create and db.file is not None and not db.file.exists():
            from summitry.store import migrate

            migrate.upgrade(db)
        if db.file is not None and not db.file.exists():
            raise InputError(
                f"{db.name}: no such database; create it with 'summitry db upgrade' and load a "
                "plan with 'summitry load PLAN --workspace NAME'"
            )
        if not is_migrated(db):
            raise InputError(
                f"{db.name}: the database has no tables yet; run 'summitry db upgrade'"
            )
        _open[key] = db
    return _open[key]


def forget_databases() -> None:
    """Close the databases opened so far (tests and long-running processes call this).

    Usage: ``forget_databases()``.
    """
    for db in _open.values():
        db.dispose()
    _open.clear()


def workspace_view(ref: WorkspaceRef, principal: Principal) -> Plan:
    """The principal's view of a workspace; reads of compartmented material are audited.

    Usage: ``workspace_view(WorkspaceRef("demo"), Principal.of("russia"))``.
    """
    db = database_of(ref)
    with db.transaction(principal, write=bool(principal.clearances) or principal.is_keeper) as s:
        workspace = find_workspace(s, ref.name)
        view, _ = cached_view(s, db.name, workspace, principal)
        compartments = compartment_keys(view)
        if compartments:
            keys = keyring(db.file)
            for key in compartments:
                readers, _, names = key.partition("|")
                append(
                    s,
                    keys,
                    workspace.id,
                    decode_label(readers, names),
                    actor=f"{ref.actor} as {principal.name}",
                    action="read",
                    object_ref=f"workspaces/{workspace.id}",
                )
        return view


def workspace_check(
    ref: WorkspaceRef, principal: Principal
) -> tuple[Plan | None, tuple[Problem, ...], tuple[Problem, ...]]:
    """``validate`` for a workspace: the view (None if it fails), its problems, its warnings.

    Warnings name links to records deleted since they were made; the analyses leave them out.
    Usage: ``view, problems, warnings = workspace_check(WorkspaceRef("demo"), KEEPER)``.
    """
    db = database_of(ref)
    with db.transaction(principal) as s:
        workspace = find_workspace(s, ref.name)
        assembly = assemble(s, workspace, principal)
    source = str(ref)
    try:
        view = planfile.from_data(assembly.data, "", source)
    except PlanError as err:
        return None, err.problems, assembly.problems
    return view, (), tuple(p.located(source, None) for p in assembly.problems)


def chain_heads(ref: WorkspaceRef, principal: Principal) -> list[ChainHead]:
    """The heads of the audit chains the principal may read, for a report to print.

    Usage: ``[h.describe() for h in chain_heads(WorkspaceRef("demo"), JOINT_READER)]``.
    """
    db = database_of(ref)
    with db.transaction(principal) as s:
        workspace = find_workspace(s, ref.name)
        return heads(s, workspace.id, principal)


def record_release(ref: WorkspaceRef, releaser: str, label: Label, what: str) -> None:
    """Audit a release (the blind mediation's package, a party's score) on ``label``'s chain.

    Usage: ``record_release(ref, "secretariat", JOINT_LABEL, "mediation/package")``.
    """
    from summitry.access.policy import KEEPER

    db = database_of(ref)
    with db.transaction(KEEPER, write=True) as s:
        workspace = find_workspace(s, ref.name)
        append(
            s,
            keyring(db.file),
            workspace.id,
            label,
            actor=f"{ref.actor} as {releaser}",
            action="release",
            object_ref=f"workspaces/{workspace.id}/{what}",
        )
