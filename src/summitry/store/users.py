"""Users of the shared workspace: accounts, passwords, and each user's place in a workspace.

A user signs in with a username and a password (hashed with argon2id; the password itself is
never stored, logged or repeated in a message). A membership gives the user a place in one
workspace: the party they belong to, their role, the compartments they are cleared for and,
optionally, the person record of their party that they are ("my tasks"). The principal a
member reads as is their party with their clearances — never the keeper.

These functions flush and never commit: the command or request boundary does. Each change
writes an audit entry on the workspace's joint chain, naming the user by id (``users/<id>``).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from summitry.access.labels import JOINT_LABEL
from summitry.access.policy import ALL, Principal
from summitry.access.sql import decode_set, encode_compartments, readable
from summitry.domain.base import JOINT, SLUG_PATTERN, clip
from summitry.domain.checks import suggest
from summitry.errors import InputError
from summitry.store.audit import Keyring, append
from summitry.store.schema import (
    Membership,
    RecordRow,
    SessionRow,
    TokenRow,
    User,
    Workspace,
    new_id,
    now,
)
from summitry.store.workspaces import find_workspace

ROLES = ("admin", "editor", "viewer")
"""The roles a member may hold: admin (users of their own party), editor, viewer."""

MIN_PASSWORD = 10
"""The fewest characters a password may have."""

MAX_PASSWORD = 1024
"""The most characters a password may have (a bound on what a sign-in form makes us hash)."""

USERNAME_PATTERN = r"[a-z0-9][a-z0-9._-]{0,79}"
"""A username: 1–80 lowercase letters, digits, ``.``, ``_`` and ``-``, not starting with a sign
(so that a username never reads as a command-line option)."""

_LISTED = 12
"""How many known names an error message lists before it says how many more there are."""


@cache
def _hasher() -> PasswordHasher:
    """The one password hasher: argon2id with the library's recommended parameters."""
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A hash of a random secret, checked when the account is unknown or disabled.

    A sign-in then takes about as long whether or not the account exists and is enabled.
    """
    return _hasher().hash(secrets.token_urlsafe(24))


def add_user(
    session: Session,
    keys: Keyring,
    username: str,
    password: str,
    *,
    workspace: str,
    party: str,
    role: str,
    clearances: Iterable[str] = (),
    person: str | None = None,
    actor: str,
) -> User:
    """A new user with a place in ``workspace``: a member of ``party`` with ``role``.

    ``party`` must be a joint party of the workspace; ``person`` is the slug of a person record
    of that party (one the new user may read), stored as the record's id.
    Usage: ``add_user(session, keys, "alice", secret, workspace="demo", party="russia",
    role="editor", clearances=["back-channel"], person="marina-kovrova", actor="operator")``.
    """
    _check_username(username)
    _check_password(password, username)
    _check_role(role)
    cleared = _clearances(clearances)
    if _find(session, username) is not None:
        raise InputError(f"user '{username}' already exists")
    place = find_workspace(session, workspace)
    party_id = _party_record(session, place, party)
    person_id = (
        None
        if person is None
        else _person_record(session, place, party, party_id, person, Principal(party, cleared))
    )
    user = User(
        id=new_id(),
        username=username,
        password_hash=_hasher().hash(password),
        disabled=False,
        created_at=now(),
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        # Another transaction added the same username after our check (PostgreSQL only: on
        # SQLite writers are serialised); the boundary rolls the whole change back.
        raise InputError(f"user '{username}' already exists") from None
    session.add(
        Membership(
            id=new_id(),
            user_id=user.id,
            workspace_id=place.id,
            party=party,
            role=role,
            clearances=encode_compartments(cleared),
            person=person_id,
        )
    )
    session.flush()
    _audit(session, keys, place.id, user, actor=actor, action="user-add")
    return user


def set_password(
    session: Session, keys: Keyring, username: str, password: str, *, actor: str
) -> User:
    """Give a user a new password; their signed-in sessions end (API tokens stay).

    Usage: ``set_password(session, keys, "alice", new_secret, actor="operator")``.
    """
    user = _user(session, username)
    _check_password(password, username)
    user.password_hash = _hasher().hash(password)
    # Whoever signed in with the old password (perhaps not the user) is signed out.
    session.execute(delete(SessionRow).where(SessionRow.user_id == user.id))
    session.flush()
    _audit_memberships(session, keys, user, actor=actor, action="user-passwd")
    return user


def disable_user(session: Session, keys: Keyring, username: str, *, actor: str) -> User:
    """Stop a user from signing in: their sessions end and their API tokens are revoked.

    The account and its memberships stay, so the history still names who did what.
    Usage: ``disable_user(session, keys, "alice", actor="operator")``.
    """
    user = _user(session, username)
    if user.disabled:
        raise InputError(f"user '{username}' is already disabled")
    user.disabled = True
    session.execute(delete(SessionRow).where(SessionRow.user_id == user.id))
    session.execute(
        update(TokenRow)
        .where(TokenRow.user_id == user.id, TokenRow.revoked_at.is_(None))
        .values(revoked_at=now())
        .execution_options(synchronize_session=False)
    )
    session.flush()
    _audit_memberships(session, keys, user, actor=actor, action="user-disable")
    return user


def grant(
    session: Session,
    keys: Keyring,
    username: str,
    *,
    workspace: str,
    role: str | None = None,
    clearances: Iterable[str] | None = None,
    person: str | None = None,
    actor: str,
) -> Membership:
    """Change a member's role, clearances or person in one workspace (None: leave it as it is).

    ``clearances`` replaces the whole set (``()`` clears them all); ``person=""`` unlinks the
    person. The party of a membership does not change: a user of another party is a new user.
    Usage: ``grant(session, keys, "alice", workspace="demo", role="viewer", actor="operator")``.
    """
    if role is None and clearances is None and person is None:
        raise InputError(
            f"nothing to change for '{clip(username)}': give a role, clearances or a person"
        )
    user = _user(session, username)
    place = find_workspace(session, workspace)
    membership = membership_of(session, user, place)
    if membership is None:
        raise InputError(f"user '{username}' has no place in workspace '{place.slug}'")
    if role is not None:
        _check_role(role)
    cleared = decode_set(membership.clearances) if clearances is None else _clearances(clearances)
    principal = Principal(membership.party, cleared)
    person_id = membership.person
    if person == "":
        person_id = None
    elif person is not None:
        party_id = _party_record(session, place, membership.party)
        person_id = _person_record(session, place, membership.party, party_id, person, principal)
    elif person_id is not None and not _may_read_record(session, person_id, principal):
        # Fewer clearances can hide the person record the member was linked to; a member
        # linked to a record they cannot read would see "my tasks" of a stranger.
        raise InputError(
            f"user '{username}' would no longer be cleared to read the person record they are "
            "linked to; change or unlink the person as well"
        )
    if role is not None:
        membership.role = role
    membership.clearances = encode_compartments(cleared)
    membership.person = person_id
    session.flush()
    _audit(session, keys, place.id, user, actor=actor, action="user-grant")
    return membership


def verify_password(session: Session, username: str, password: str) -> User | None:
    """The user whose username and password these are, or None (disabled users never match).

    An unknown username costs a hash all the same, so the time taken does not tell whether the
    account exists. A hash made with weaker parameters than today's is replaced (flushed).
    Usage: ``user = verify_password(session, form.username, form.password)``.
    """
    hasher = _hasher()
    user = None
    if re.fullmatch(USERNAME_PATTERN, username) and len(password) <= MAX_PASSWORD:
        user = _find(session, username)
    if user is None or user.disabled:
        _matches(hasher, _dummy_hash(), password[:MAX_PASSWORD])
        return None
    if not _matches(hasher, user.password_hash, password):
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
        session.flush()
    return user


def membership_of(session: Session, user: User, workspace: Workspace) -> Membership | None:
    """The user's place in a workspace, or None when they have none there.

    Usage: ``membership_of(session, user, find_workspace(session, "demo"))``.
    """
    return session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.workspace_id == workspace.id
        )
    )


def principal_of_membership(membership: Membership) -> Principal:
    """Who a member reads as: their party, cleared for their clearances.

    A membership whose party is spelt like a reader that is not a party (``all``, ``joint``)
    reads nothing: a member is never the keeper (deny by default).
    Usage: ``principal_of_membership(membership_of(session, user, workspace))``.
    """
    if membership.party in (ALL, JOINT) or not membership.party:
        return Principal(None)
    return Principal(membership.party, decode_set(membership.clearances))


def person_of(session: Session, membership: Membership) -> str | None:
    """The slug of the person record a member is linked to, or None.

    Usage: ``person_of(session, membership)`` gives ``"marina-kovrova"``.
    """
    if membership.person is None:
        return None
    return session.scalar(select(RecordRow.slug).where(RecordRow.id == membership.person))


def _find(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def _user(session: Session, username: str) -> User:
    """The user of that name, or a one-line error with a "did you mean"."""
    found = _find(session, username)
    if found is None:
        known = list(session.scalars(select(User.username).order_by(User.username)))
        raise InputError(f"no user '{clip(username)}'{suggest(username, known)}")
    return found


def _check_username(username: str) -> None:
    if not re.fullmatch(USERNAME_PATTERN, username):
        raise InputError(
            f"username '{clip(username)}' must be 1 to 80 lowercase letters, digits, '.', '_' "
            "or '-', starting with a letter or digit, e.g. alice.martin"
        )


def _check_password(password: str, username: str) -> None:
    """Refuse a weak or unwieldy password; messages never repeat it, nor its length."""
    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InputError(f"a password may have at most {MAX_PASSWORD} characters")
    if password.strip().lower() == username:
        raise InputError("a password must not be the username")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InputError(f"role '{clip(role)}' is not one of {', '.join(ROLES)}")


def _clearances(names: Iterable[str]) -> frozenset[str]:
    """Compartment names as a set; each must be a slug (the stored ``,a,b,`` list relies on it)."""
    cleared = frozenset(names)
    for name in sorted(cleared):
        if not re.fullmatch(SLUG_PATTERN, name) or len(name) > 80:
            raise InputError(
                f"clearance '{clip(name)}' is not a compartment name: lowercase letters and "
                "digits joined by hyphens, e.g. back-channel"
            )
    return cleared


def _party_record(session: Session, workspace: Workspace, party: str) -> str:
    """The record id of a joint party of the workspace, or an error naming the joint parties."""
    rows = session.execute(
        select(RecordRow.slug, RecordRow.id)
        .where(
            RecordRow.workspace_id == workspace.id,
            RecordRow.collection == "parties",
            RecordRow.readers == JOINT,
            RecordRow.compartments == "",
        )
        .order_by(RecordRow.slug)
    ).all()
    parties: dict[str, str] = {str(slug): str(rid) for slug, rid in rows}
    # 'all' and 'joint' name readers that are not parties; a member of such a "party" could
    # pass for the keeper or for everyone.
    if party in parties and party not in (ALL, JOINT):
        return parties[party]
    known = [p for p in parties if p not in (ALL, JOINT)]
    listed = _listing(known) if known else "none yet; load a plan into the workspace first"
    raise InputError(
        f"no party '{clip(party)}' in workspace '{workspace.slug}'{suggest(party, known)} "
        f"(joint parties: {listed})"
    )


def _person_record(
    session: Session,
    workspace: Workspace,
    party: str,
    party_id: str,
    slug: str,
    principal: Principal,
) -> str:
    """The id of the person record ``slug`` of ``party`` that the member may read.

    Only records the member may read count, so a message never names a person hidden from
    them, and nobody is linked to a record they could not see.
    """
    rows = session.execute(
        select(RecordRow.id, RecordRow.slug, RecordRow.body)
        .where(
            RecordRow.workspace_id == workspace.id,
            RecordRow.collection == "people",
            readable(principal, RecordRow.readers, RecordRow.compartments),
        )
        .order_by(RecordRow.position)
    ).all()
    ours: list[tuple[str, str]] = [
        (str(rid), str(name)) for rid, name, body in rows if body.get("party") == party_id
    ]
    chosen = [rid for rid, name in ours if name == slug]
    if len(chosen) == 1:
        return chosen[0]
    if chosen:
        raise InputError(
            f"person '{slug}' of party '{party}' names {len(chosen)} records with different "
            "labels; give them different slugs first"
        )
    names = sorted({name for _, name in ours})
    listed = _listing(names) if names else "none"
    if any(name == slug for _, name, _ in rows):
        raise InputError(
            f"person '{slug}' is not of party '{party}'; a user is linked to a person of their "
            f"own party (people of {party}: {listed})"
        )
    raise InputError(
        f"no person '{clip(slug)}' of party '{party}' in workspace '{workspace.slug}'"
        f"{suggest(slug, names)} (people of {party}: {listed})"
    )


def _may_read_record(session: Session, record_id: str, principal: Principal) -> bool:
    found = session.scalar(
        select(RecordRow.id).where(
            RecordRow.id == record_id,
            readable(principal, RecordRow.readers, RecordRow.compartments),
        )
    )
    return found is not None


def _listing(names: list[str]) -> str:
    shown = ", ".join(names[:_LISTED])
    more = len(names) - _LISTED
    return f"{shown} and {more} more" if more > 0 else shown


def _matches(hasher: PasswordHasher, stored: str, password: str) -> bool:
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _audit(
    session: Session, keys: Keyring, workspace_id: str, user: User, *, actor: str, action: str
) -> None:
    append(
        session,
        keys,
        workspace_id,
        JOINT_LABEL,
        actor=actor,
        action=action,
        object_ref=f"users/{user.id}",
    )


def _audit_memberships(
    session: Session, keys: Keyring, user: User, *, actor: str, action: str
) -> None:
    """An entry in every workspace the user has a place in (an account spans workspaces)."""
    # In id order: on PostgreSQL each append locks its workspace's row, and one order for
    # every transaction means two of them never wait for each other's locks.
    workspace_ids = session.scalars(
        select(Membership.workspace_id)
        .where(Membership.user_id == user.id)
        .order_by(Membership.workspace_id)
    )
    for workspace_id in list(workspace_ids):
        _audit(session, keys, workspace_id, user, actor=actor, action=action)
