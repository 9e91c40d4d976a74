"""Users of the shared workspace: accounts, passwords, memberships, and `summitry user`."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select
from storekit import load_example, load_text

from summitry.access.policy import KEEPER, Principal
from summitry.errors import InputError
from summitry.store import migrate
from summitry.store.audit import Keyring, keyring, verify
from summitry.store.database import Database, open_database
from summitry.store.schema import (
    AuditEntry,
    Membership,
    RecordRow,
    SessionRow,
    TokenRow,
    User,
    new_id,
    now,
)
from summitry.store.users import (
    add_user,
    disable_user,
    grant,
    membership_of,
    principal_of_membership,
    set_password,
    verify_password,
)
from summitry.store.workspaces import find_workspace

SECRET = "correct horse battery staple"
OTHER = "Tr0ub4dor&3-but-longer"


def _add(db: Database, keys: Keyring, username: str = "marina", **given: Any) -> str:
    """Add a user (a Russian editor unless told otherwise), commit, and return their id."""
    options: dict[str, Any] = {"workspace": "demo", "party": "russia", "role": "editor"}
    options.update(given)
    password = options.pop("password", SECRET)
    with db.transaction(KEEPER, write=True) as session:
        user = add_user(session, keys, username, password, actor="operator", **options)
        return user.id


def _verify(db: Database, username: str, password: str) -> User | None:
    with db.transaction(KEEPER, write=True) as session:
        return verify_password(session, username, password)


def _membership(db: Database, username: str) -> Membership:
    with db.transaction(KEEPER) as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        found = membership_of(session, user, find_workspace(session, "demo"))
        assert found is not None
        return found


def _record_id(db: Database, collection: str, slug: str) -> str:
    with db.transaction(KEEPER) as session:
        return session.scalars(
            select(RecordRow.id).where(RecordRow.collection == collection, RecordRow.slug == slug)
        ).one()


def _refused(db: Database, change: Callable[[Any], object]) -> str:
    """Run a change that must be refused; its one-line message (and nothing was written)."""
    with db.transaction(KEEPER) as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(InputError) as raised, db.transaction(KEEPER, write=True) as session:
        change(session)
    with db.transaction(KEEPER) as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == before
    message = str(raised.value)
    assert "\n" not in message
    return message


def test_a_new_user_signs_in_with_their_password_only(db: Database, keys: Keyring) -> None:
    load_example(db, keys)
    user_id = _add(db, keys, clearances=["back-channel"], person="marina-kovrova")
    found = _verify(db, "marina", SECRET)
    assert found is not None
    assert found.id == user_id
    assert _verify(db, "marina", OTHER) is None
    assert _verify(db, "marina", SECRET.upper()) is None
    assert _verify(db, "nobody", SECRET) is None
    assert _verify(db, "Not A Username!", SECRET) is None


def test_the_stored_hash_is_argon2id_and_not_the_password(db: Database, keys: Keyring) -> None:
    load_example(db, keys)
    _add(db, keys)
    with db.transaction(KEEPER) as session:
        stored = session.scalars(select(User.password_hash)).one()
    assert stored.startswith("$argon2id$")
    assert SECRET not in stored
    assert PasswordHasher().verify(stored, SECRET)


def test_a_member_reads_as_their_party_with_their_clearances(db: Database, keys: Keyring) -> None:
    load_example(db, keys)
    _add(db, keys, "dana", party="united-states", clearances=["back-channel"])
    membership = _membership(db, "dana")
    assert principal_of_membership(membership) == Principal.of("united-states", ["back-channel"])
    assert membership.role == "editor"


def test_the_person_is_stored_as_the_record_id(db: Database, keys: Keyring) -> None:
    load_example(db, keys)
    _add(db, keys, person="marina-kovrova")
    assert _membership(db, "marina").person == _record_id(db, "people", "marina-kovrova")


def test_a_new_password_replaces_the_old_and_ends_sessions(db: Database, keys: Keyring) -> None:
    load_example(db, keys)
    user_id = _add(db, keys)
    _sign_in(db, user_id)
    with db.transaction(KEEPER, write=True) as session:
        set_password(session, keys, "marina", OTHER, actor="operator")
    assert _verify(db, "marina", SECRET) is None
    assert _verify(db, "marina", OTHER) is not None
    with db.transaction(KEEPER) as session:
        assert session.scalar(select(func.count()).select_from(SessionRow)) == 0
        # A password change is no reason to break the user's scripts.
        assert session.scalars(select(TokenRow.revoked_at)).one() is None


def test_a_disabled_user_never_signs_in(db: Database, keys: Keyring) -> None:
    load_example(db, keys)
    user_id = _add(db, keys)
    _sign_in(db, user_id)
    with db.transaction(KEEPER, write=True) as session:
        disable_user(session, keys, "marina", actor="operator")
    assert _verify(db, "marina", SECRET) is None
    with db.transaction(KEEPER) as session:
        assert session.scalar(select(func.count()).select_from(SessionRow)) == 0
        assert session.scalars(select(TokenRow.revoked_at)).one() is not None
        # The account stays, so the history keeps naming who did what.
        assert session.scalars(select(User.disabled)).one() is True
    message = _refused(db, lambda s: disable_user(s, keys, "marina", actor="operator"))
    assert message == "user 'marina' is already disabled"
    # Even a new password does not let a disabled user back in.
    with db.transaction(KEEPER, write=True) as session:
        set_password(session, keys, "marina", OTHER, actor="operator")
    assert _verify(db, "marina", OTHER) is None


def test_grant_changes_role_clearances_and_person(db: Database, keys: Keyring) -> None:
    load_example(db, keys)
    _add(db, keys, person="marina-kovrova")
    with db.transaction(KEEPER, write=True) as session:
        grant(
            session,
            keys,
            "marina",
            workspace="demo",
            role="admin",
            clearances=["back-channel", "security"],
            person="pavel-drozdov",
            actor="operator",
        )
    membership = _membership(db, "marina")
    assert membership.role == "admin"
    assert principal_of_membership(membership) == Principal.of(
        "russia", ["back-channel", "security"]
    )
    assert membership.person == _record_id(db, "people", "pavel-drozdov")
    # Left out, a part stays as it was; () clears every clearance and "" unlinks the person.
    with db.transaction(KEEPER, write=True) as session:
        grant(session, keys, "marina", workspace="demo", clearances=(), actor="operator")
    membership = _membership(db, "marina")
    assert (membership.role, membership.clearances) == ("admin", "")
    assert membership.person == _record_id(db, "people", "pavel-drozdov")
    with db.transaction(KEEPER, write=True) as session:
        grant(session, keys, "marina", workspace="demo", person="", actor="operator")
    assert _membership(db, "marina").person is None


def test_grant_refuses_nothing_to_change_and_strangers(db: Database, keys: Keyring) -> None:
    load_example(db, keys)
    load_example(db, keys, "other")
    _add(db, keys)
    message = _refused(db, lambda s: grant(s, keys, "marina", workspace="demo", actor="op"))
    assert message.startswith("nothing to change for 'marina'")
    message = _refused(
        db, lambda s: grant(s, keys, "marina", workspace="other", role="viewer", actor="op")
    )
    assert message == "user 'marina' has no place in workspace 'other'"
    message = _refused(
        db, lambda s: grant(s, keys, "marinna", workspace="demo", role="viewer", actor="op")
    )
    assert message == "no user 'marinna' (did you mean 'marina'?)"
    message = _refused(
        db, lambda s: grant(s, keys, "marina", workspace="demo", role="owner", actor="op")
    )
    assert message == "role 'owner' is not one of admin, editor, viewer"
    message = _refused(
        db,
        lambda s: grant(s, keys, "marina", workspace="demo", person="dana-whitcomb", actor="op"),
    )
    assert message.startswith("person 'dana-whitcomb' is not of party 'russia'")


def test_an_unknown_party_is_named_with_the_joint_parties(db: Database, keys: Keyring) -> None:
    load_example(db, keys)
    message = _refused(
        db,
        lambda s: add_user(
            s, keys, "x", SECRET, workspace="demo", party="rusia", role="editor", actor="op"
        ),
    )
    assert message == (
        "no party 'rusia' in workspace 'demo' (did you mean 'russia'?) "
        "(joint parties: austria, russia, secretariat, united-states)"
    )


REFUSED = {
    "unknown role": ({"role": "boss"}, "role 'boss' is not one of admin, editor, viewer"),
    "short password": ({"password": "nine-char"}, "a password needs at least 10 characters"),
    "username as password": ({"password": "newcomer.1"}, "a password must not be the username"),
    "unknown workspace": ({"workspace": "dem"}, "no workspace 'dem' in this database"),
    "reader, not party": ({"party": "all"}, "no party 'all' in workspace 'demo'"),
    "joint, not party": ({"party": "joint"}, "no party 'joint' in workspace 'demo'"),
    "person of another party": (
        {"person": "dana-whitcomb"},
        "person 'dana-whitcomb' is not of party 'russia'; a user is linked to a person of their "
        "own party (people of russia: gleb-tarkhanov, marina-kovrova, oleg-sviridenko, "
        "pavel-drozdov, yana-lapteva)",
    ),
    "unknown person": (
        {"person": "marina-kovrov"},
        "no person 'marina-kovrov' of party 'russia' in workspace 'demo' (did you mean "
        "'marina-kovrova'?)",
    ),
    "clearance not a compartment name": (
        {"clearances": ["back,channel"]},
        "clearance 'back,channel' is not a compartment name",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_bad_new_user_is_refused_in_one_line_and_nothing_is_written(
    db: Database, keys: Keyring, case: str
) -> None:
    load_example(db, keys)
    given, expected = REFUSED[case]
    options: dict[str, Any] = {"workspace": "demo", "party": "russia", "role": "editor"}
    options.update(given)
    password = options.pop("password", SECRET)
    message = _refused(
        db, lambda s: add_user(s, keys, "newcomer.1", password, actor="op", **options)
    )
    assert message.startswith(expected)
    assert password not in message
    with db.transaction(KEEPER) as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0


@pytest.mark.parametrize("username", ["", "Alice", "-rf", "a b", "ü", "x" * 81])
def test_a_username_must_be_a_handle(db: Database, keys: Keyring, username: str) -> None:
    load_example(db, keys)
    message = _refused(
        db,
        lambda s: add_user(
            s, keys, username, SECRET, workspace="demo", party="russia", role="viewer", actor="op"
        ),
    )
    assert "must be 1 to 80 lowercase letters, digits" in message


def test_a_username_is_taken_once(db: Database, keys: Keyring) -> None:
    load_example(db, keys)
    _add(db, keys)
    message = _refused(
        db,
        lambda s: add_user(
            s, keys, "marina", OTHER, workspace="demo", party="austria", role="viewer", actor="op"
        ),
    )
    assert message == "user 'marina' already exists"
    assert _verify(db, "marina", SECRET) is not None


def test_a_short_new_password_is_refused_and_the_old_one_stays(db: Database, keys: Keyring) -> None:
    load_example(db, keys)
    _add(db, keys)
    message = _refused(db, lambda s: set_password(s, keys, "marina", "too-short", actor="op"))
    assert message == "a password needs at least 10 characters"
    assert _verify(db, "marina", SECRET) is not None


COMPARTMENTED_PERSON = """\
format_version = 2

[summit]
title = "Harbour Talks"

[parties.north]
name = "Northland"

[parties.south]
name = "Southland"

[people.ana]
name = "Ana"
party = "north"

[people.quiet]
name = "Quiet One"
party = "north"
visibility = "north"
compartments = ["back-channel"]
"""


def test_only_a_person_the_member_may_read_can_be_theirs(db: Database, keys: Keyring) -> None:
    load_text(db, keys, COMPARTMENTED_PERSON)
    # Not cleared for the back channel, the new user cannot see 'quiet', so neither can the
    # message that lists the people they might be.
    message = _refused(
        db,
        lambda s: add_user(
            s,
            keys,
            "n1",
            SECRET,
            workspace="demo",
            party="north",
            role="editor",
            person="quiet",
            actor="op",
        ),
    )
    assert (
        message == "no person 'quiet' of party 'north' in workspace 'demo' (people of north: ana)"
    )
    _add(db, keys, "n1", party="north", clearances=["back-channel"], person="quiet")
    assert _membership(db, "n1").person == _record_id(db, "people", "quiet")
    # Taking the clearance away would leave them linked to a record they cannot read.
    message = _refused(
        db, lambda s: grant(s, keys, "n1", workspace="demo", clearances=(), actor="op")
    )
    assert "no longer be cleared to read the person record" in message
    with db.transaction(KEEPER, write=True) as session:
        grant(session, keys, "n1", workspace="demo", clearances=(), person="ana", actor="op")
    assert principal_of_membership(_membership(db, "n1")) == Principal.of("north")


def test_every_change_is_audited_on_the_joint_chain(db: Database, keys: Keyring) -> None:
    load_example(db, keys)
    user_id = _add(db, keys)
    with db.transaction(KEEPER, write=True) as session:
        set_password(session, keys, "marina", OTHER, actor="alice (command line)")
        grant(session, keys, "marina", workspace="demo", role="viewer", actor="alice")
        disable_user(session, keys, "marina", actor="alice")
    with db.transaction(KEEPER) as session:
        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_ref.startswith("users/"))
            .order_by(AuditEntry.seq)
        ).all()
        workspace = find_workspace(session, "demo")
        _, broken = verify(session, keys, workspace.id, KEEPER)
    assert [e.action for e in entries] == ["user-add", "user-passwd", "user-grant", "user-disable"]
    assert {e.object_ref for e in entries} == {f"users/{user_id}"}
    assert {(e.readers, e.compartments) for e in entries} == {("joint", "")}
    assert [e.actor for e in entries] == ["operator", "alice (command line)", "alice", "alice"]
    assert broken == []


def test_a_hash_with_old_parameters_is_replaced_at_sign_in(db: Database, keys: Keyring) -> None:
    load_example(db, keys)
    _add(db, keys)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(SECRET)
    with db.transaction(KEEPER, write=True) as session:
        session.scalars(select(User)).one().password_hash = weak
    assert _verify(db, "marina", SECRET) is not None
    with db.transaction(KEEPER) as session:
        stored = session.scalars(select(User.password_hash)).one()
    assert stored != weak
    assert not PasswordHasher().check_needs_rehash(stored)
    assert _verify(db, "marina", SECRET) is not None


def test_a_membership_of_a_reader_name_reads_nothing() -> None:
    for party in ("all", "joint", ""):
        membership = Membership(party=party, role="admin", clearances=",back-channel,")
        assert principal_of_membership(membership) == Principal(None)


def _sign_in(db: Database, user_id: str) -> None:
    """Give the user a browser session and an API token, as the web app would."""
    with db.transaction(KEEPER, write=True) as session:
        later = now() + dt.timedelta(hours=1)
        session.add(
            SessionRow(
                id=new_id(),
                secret_hash="s" * 64,
                user_id=user_id,
                created_at=now(),
                expires_at=later,
            )
        )
        session.add(
            TokenRow(
                id=new_id(), secret_hash="t" * 64, user_id=user_id, name="cron", created_at=now()
            )
        )


# The command line, on SQLite.


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """A migrated SQLite file holding the example as workspace 'demo'."""
    path = tmp_path / "team.db"
    store = open_database(path)
    migrate.upgrade(store)
    load_example(store, keyring(path))
    store.dispose()
    return path


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def _check_user(path: Path, username: str, password: str) -> User | None:
    store = open_database(path)
    try:
        return _verify(store, username, password)
    finally:
        store.dispose()


def test_the_user_commands_confirm_in_one_line(
    db_file: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(db_file)
    _stdin(monkeypatch, SECRET + "\n")
    code, out, err = run_cli(
        "user",
        "add",
        "marina",
        "-w",
        "demo",
        "--party",
        "russia",
        "--role",
        "admin",
        "--person",
        "marina-kovrova",
        "--db",
        db,
        "--password-stdin",
    )
    assert (code, err) == (0, "")
    assert out == (
        "added user marina: admin of russia in workspace demo, no clearances, "
        "person marina-kovrova\n"
    )
    assert _check_user(db_file, "marina", SECRET) is not None

    _stdin(monkeypatch, OTHER + "\r\n")
    code, out, err = run_cli("user", "passwd", "marina", "--db", db, "--password-stdin")
    assert (code, err) == (0, "")
    assert out == "changed the password of marina; their sessions ended\n"
    assert _check_user(db_file, "marina", OTHER) is not None

    code, out, err = run_cli(
        "user",
        "grant",
        "marina",
        "-w",
        "demo",
        "--role",
        "editor",
        "--clearance",
        "back-channel",
        "--db",
        db,
    )
    assert (code, err) == (0, "")
    assert out == (
        "marina: editor of russia in workspace demo, cleared for back-channel, "
        "person marina-kovrova\n"
    )
    code, out, err = run_cli(
        "user", "grant", "marina", "-w", "demo", "--no-clearance", "--no-person", "--db", db
    )
    assert out == "marina: editor of russia in workspace demo, no clearances\n"

    code, out, err = run_cli("user", "disable", "marina", "--db", db)
    assert (code, err) == (0, "")
    assert out.startswith("disabled marina: they can no longer sign in")
    assert _check_user(db_file, "marina", OTHER) is None


def test_without_password_stdin_the_password_is_asked_twice(
    db_file: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts: list[str] = []
    answers = iter([SECRET, SECRET, SECRET, OTHER])

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    code, out, err = run_cli(
        "user",
        "add",
        "marina",
        "-w",
        "demo",
        "--party",
        "russia",
        "--role",
        "viewer",
        "--db",
        str(db_file),
    )
    assert (code, err) == (0, "")
    assert prompts == ["New password for marina: ", "The same password again: "]
    code, out, err = run_cli("user", "passwd", "marina", "--db", str(db_file))
    assert (code, out) == (2, "")
    assert err == "error: the two passwords differ; nothing was changed\n"
    assert _check_user(db_file, "marina", SECRET) is not None


CLI_REFUSED = {
    "short password": (
        [
            "user",
            "add",
            "x1",
            "-w",
            "demo",
            "--party",
            "russia",
            "--role",
            "viewer",
            "--password-stdin",
        ],
        "short-pw\n",
        "error: a password needs at least 10 characters",
    ),
    "unknown party": (
        [
            "user",
            "add",
            "x1",
            "-w",
            "demo",
            "--party",
            "rusia",
            "--role",
            "viewer",
            "--password-stdin",
        ],
        SECRET + "\n",
        "error: no party 'rusia' in workspace 'demo' (did you mean 'russia'?) (joint parties: "
        "austria, russia, secretariat, united-states)",
    ),
    "unknown role": (
        [
            "user",
            "add",
            "x1",
            "-w",
            "demo",
            "--party",
            "russia",
            "--role",
            "root",
            "--password-stdin",
        ],
        SECRET + "\n",
        "error: role 'root' is not one of admin, editor, viewer",
    ),
    "empty standard input": (
        [
            "user",
            "add",
            "x1",
            "-w",
            "demo",
            "--party",
            "russia",
            "--role",
            "viewer",
            "--password-stdin",
        ],
        "",
        "error: no password on standard input (give it on the first line)",
    ),
    "unknown user": (
        ["user", "passwd", "nobody", "--password-stdin"],
        SECRET + "\n",
        "error: no user 'nobody'",
    ),
    "both clearance options": (
        ["user", "grant", "x1", "-w", "demo", "--clearance", "a", "--no-clearance"],
        "",
        "error: give --clearance or --no-clearance, not both",
    ),
}


@pytest.mark.parametrize("case", sorted(CLI_REFUSED))
def test_a_refused_command_says_why_in_one_line(
    db_file: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    args, given, expected = CLI_REFUSED[case]
    _stdin(monkeypatch, given)
    code, out, err = run_cli(*args, "--db", str(db_file))
    assert (code, out, err) == (2, "", expected + "\n")
    if given.strip():
        assert given.strip() not in err


def test_a_missing_or_empty_database_gets_a_hint(
    tmp_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "missing.db"
    code, out, err = run_cli("user", "disable", "marina", "--db", str(missing))
    assert (code, out) == (2, "")
    assert err == f"error: {missing}: no such database; create it with 'summitry db upgrade'\n"
    assert not missing.exists()
    empty = tmp_path / "empty.db"
    empty.touch()
    _stdin(monkeypatch, SECRET + "\n")
    code, out, err = run_cli("user", "passwd", "marina", "--db", str(empty), "--password-stdin")
    assert (code, out) == (2, "")
    assert err == f"error: {empty}: the database has no tables yet; run 'summitry db upgrade'\n"
