"""User accounts of the shared workspace: ``summitry user add|passwd|disable|grant``.

The operator who runs these commands is trusted: they work on the database as its keeper (the
owner's connection on PostgreSQL), see every party's people and may give any role. That is how
each party's first admin comes to be; a party's admins manage the rest of their own party's
users from the web app. Passwords are read hidden (typed twice) or from standard input, and
are never printed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from summitry.cli._app import DbOption, app

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from summitry.store.database import Database
    from summitry.store.schema import Membership

TRUSTED = (
    "The operator who runs it is trusted: it works on the whole database as its keeper, "
    "whatever the parties may read."
)

user_app = typer.Typer(
    name="user",
    help="Add users, change their passwords, disable them and grant roles and clearances. "
    + TRUSTED,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(
    user_app,
    name="user",
    help="Manage the users of the shared workspace (add, passwd, disable, grant). " + TRUSTED,
)

UsernameArgument = Annotated[
    str, typer.Argument(metavar="USERNAME", help="The user's sign-in name, e.g. alice.martin.")
]
WorkspaceRequired = Annotated[
    str, typer.Option("--workspace", "-w", metavar="NAME", help="The workspace of the database.")
]
ClearanceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--clearance",
        metavar="COMPARTMENT",
        help="A compartment the user is cleared for (repeat for each).",
    ),
]
PersonOption = Annotated[
    str | None,
    typer.Option(
        "--person",
        metavar="SLUG",
        help="The person record of the user's party that the user is (their tasks are 'mine').",
    ),
]
PasswordStdinOption = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from the first line of standard input instead of asking.",
    ),
]


@user_app.command("add")
def add(
    username: UsernameArgument,
    workspace: WorkspaceRequired,
    party: Annotated[
        str, typer.Option("--party", metavar="PARTY", help="The party the user belongs to.")
    ],
    role: Annotated[str, typer.Option("--role", metavar="ROLE", help="admin, editor or viewer.")],
    clearance: ClearanceOption = None,
    person: PersonOption = None,
    db: DbOption = None,
    password_stdin: PasswordStdinOption = False,
) -> None:
    """Add a user with a place in a workspace: their party, role and clearances.

    The password is asked for twice (hidden), or read from standard input with
    --password-stdin. The operator who runs this is trusted: it is how each party's first
    admin is made.

    For example:

        summitry user add marina -w demo --party russia --role admin --person marina-kovrova

        summitry user add dana -w demo --party united-states --role editor --password-stdin < pw.txt
    """
    from summitry.access.policy import KEEPER
    from summitry.store.audit import keyring
    from summitry.store.users import add_user, membership_of
    from summitry.store.workspaces import find_workspace

    store = _store(db)
    try:
        password = _new_password(password_stdin, username)
        keys = keyring(store.file)
        with store.transaction(KEEPER, write=True) as session:
            user = add_user(
                session,
                keys,
                username,
                password,
                workspace=workspace,
                party=party,
                role=role,
                clearances=clearance or (),
                person=person,
                actor=_actor(),
            )
            membership = membership_of(session, user, find_workspace(session, workspace))
            assert membership is not None  # add_user has just made it
            place = _place(session, membership)
    finally:
        store.dispose()
    _confirm(f"added user {username}: {place}")


@user_app.command("passwd")
def passwd(
    username: UsernameArgument,
    db: DbOption = None,
    password_stdin: PasswordStdinOption = False,
) -> None:
    """Give a user a new password; the sessions they are signed in with end.

    The password is asked for twice (hidden), or read from standard input with
    --password-stdin. The operator who runs this is trusted.

    For example:

        summitry user passwd marina

        summitry user passwd marina --password-stdin --db team.db < pw.txt
    """
    from summitry.access.policy import KEEPER
    from summitry.store.audit import keyring
    from summitry.store.users import set_password

    store = _store(db)
    try:
        password = _new_password(password_stdin, username)
        keys = keyring(store.file)
        with store.transaction(KEEPER, write=True) as session:
            set_password(session, keys, username, password, actor=_actor())
    finally:
        store.dispose()
    _confirm(f"changed the password of {username}; their sessions ended")


@user_app.command("disable")
def disable(username: UsernameArgument, db: DbOption = None) -> None:
    """Stop a user from signing in: their sessions end and their API tokens are revoked.

    The account stays, so the history still names who did what. The operator who runs this
    is trusted.

    For example:

        summitry user disable marina

        summitry user disable marina --db team.db
    """
    from summitry.access.policy import KEEPER
    from summitry.store.audit import keyring
    from summitry.store.users import disable_user

    store = _store(db)
    try:
        keys = keyring(store.file)
        with store.transaction(KEEPER, write=True) as session:
            disable_user(session, keys, username, actor=_actor())
    finally:
        store.dispose()
    _confirm(
        f"disabled {username}: they can no longer sign in (sessions ended, API tokens revoked)"
    )


@user_app.command("grant")
def grant_command(
    username: UsernameArgument,
    workspace: WorkspaceRequired,
    role: Annotated[
        str | None,
        typer.Option("--role", metavar="ROLE", help="The new role: admin, editor or viewer."),
    ] = None,
    clearance: ClearanceOption = None,
    no_clearance: Annotated[
        bool, typer.Option("--no-clearance", help="Clear the user for no compartment at all.")
    ] = False,
    person: PersonOption = None,
    no_person: Annotated[
        bool, typer.Option("--no-person", help="Unlink the user from their person record.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Change a user's role, clearances or person in a workspace; the rest stays as it is.

    --clearance replaces the user's clearances with the ones given. The party does not
    change. The operator who runs this is trusted.

    For example:

        summitry user grant marina --workspace demo --role editor

        summitry user grant dana --workspace demo --clearance back-channel --clearance security
    """
    from summitry.access.policy import KEEPER
    from summitry.errors import InputError
    from summitry.store.audit import keyring
    from summitry.store.users import grant

    if clearance and no_clearance:
        raise InputError("give --clearance or --no-clearance, not both")
    if person is not None and no_person:
        raise InputError("give --person or --no-person, not both")
    cleared: tuple[str, ...] | None = () if no_clearance else (tuple(clearance or ()) or None)
    store = _store(db)
    try:
        keys = keyring(store.file)
        with store.transaction(KEEPER, write=True) as session:
            membership = grant(
                session,
                keys,
                username,
                workspace=workspace,
                role=role,
                clearances=cleared,
                person="" if no_person else person,
                actor=_actor(),
            )
            place = _place(session, membership)
    finally:
        store.dispose()
    _confirm(f"{username}: {place}")


def _store(db_file: Path | None) -> Database:
    """The opened database, or one line saying how to make it (nothing is created here)."""
    from summitry.errors import InputError
    from summitry.store.database import is_migrated, open_database

    store = open_database(db_file)
    # Check the file first: opening a missing SQLite file would create an empty one.
    if store.file is not None and not store.file.exists():
        raise InputError(f"{store.name}: no such database; create it with 'summitry db upgrade'")
    if not is_migrated(store):
        store.dispose()
        raise InputError(f"{store.name}: the database has no tables yet; run 'summitry db upgrade'")
    return store


def _actor() -> str:
    """Who the audit log names: the operator's login on this machine."""
    import getpass

    try:
        login = getpass.getuser()
    except (OSError, KeyError):
        login = "operator"
    return f"{login} (command line)"


def _new_password(from_stdin: bool, username: str) -> str:
    """The new password: the first line of standard input, or typed twice at a hidden prompt."""
    import getpass

    from summitry.errors import InputError

    if from_stdin:
        line = sys.stdin.readline()
        password = line.removesuffix("\n").removesuffix("\r")
        if not password:
            raise InputError("no password on standard input (give it on the first line)")
        return password
    try:
        first = getpass.getpass(f"New password for {username}: ")
        second = getpass.getpass("The same password again: ")
    except EOFError:
        raise InputError(
            "no password given; type it at the prompt, or pipe it in with --password-stdin"
        ) from None
    if first != second:
        raise InputError("the two passwords differ; nothing was changed")
    return first


def _place(session: Session, membership: Membership) -> str:
    """``editor of russia in workspace demo, cleared for back-channel, person marina-kovrova``."""
    from summitry.access.sql import decode_set
    from summitry.store.schema import Workspace
    from summitry.store.users import person_of

    workspace = session.get_one(Workspace, membership.workspace_id)
    parts = [f"{membership.role} of {membership.party} in workspace {workspace.slug}"]
    cleared = sorted(decode_set(membership.clearances))
    parts.append(f"cleared for {', '.join(cleared)}" if cleared else "no clearances")
    person = person_of(session, membership)
    if person is not None:
        parts.append(f"person {person}")
    return ", ".join(parts)


def _confirm(line: str) -> None:
    """Print the one confirming line (it never holds the password)."""
    from summitry.console import out

    out.print(line, markup=False)
