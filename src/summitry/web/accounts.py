"""Accounts, a party's members and the audit log in the JSON API (``/api/v1``).

- ``/me``: who is signed in, changing one's own password, one's API tokens.
- ``/workspaces/{workspace}/members``: a party's admin lists, adds, changes and disables the
  members of their own party. An admin never changes their own role or clearances, grants
  only compartments they are cleared for themselves, and sees a member of another party
  exactly as one that does not exist (404). The role gives no content privilege: an admin
  reads what their party reads and writes no plan record.
- ``/workspaces/{workspace}/audit``: the entries of the chains the member may read, and their
  verification. Entries name objects and actors, never content.

docs/api.md documents every route. The changes write their audit entries through
``store.users``; the request boundary (the ``with`` block) commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, HTTPException, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from summitry.access.labels import Label
from summitry.access.policy import JOINT_READER, Principal, can_read
from summitry.access.sql import (
    decode_label,
    decode_set,
    encode_compartments,
    encode_readers,
    readable,
)
from summitry.domain.base import JOINT, SLUG_PATTERN, clip
from summitry.settings import Settings
from summitry.store.database import Database
from summitry.store.schema import AuditEntry, Membership, RecordRow, TokenRow, User, Workspace
from summitry.store.users import MAX_PASSWORD, MIN_PASSWORD, USERNAME_PATTERN
from summitry.web.deps import (
    NOBODY,
    Caller,
    CallerDep,
    DbDep,
    KeysDep,
    Member,
    MemberDep,
    SettingsDep,
)
from summitry.web.security import SESSION_COOKIE, Keys

router = APIRouter(prefix="/api/v1")

Compartment = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
Role = Literal["admin", "editor", "viewer"]
Username = Annotated[str, Field(pattern=f"^{USERNAME_PATTERN}$", max_length=80)]


# --- the caller's own account -------------------------------------------------------------


class PlaceRead(BaseModel):
    """The caller's place in one workspace."""

    workspace: str
    party: str
    role: str
    clearances: list[str]


class MeRead(BaseModel):
    """The signed-in user and their places."""

    id: str
    username: str
    workspaces: list[PlaceRead]


class PasswordChange(BaseModel):
    """The current password (proof that it is the user) and the new one."""

    current_password: str = Field(min_length=1, max_length=MAX_PASSWORD)
    new_password: str = Field(min_length=MIN_PASSWORD, max_length=MAX_PASSWORD)


class PasswordChanged(BaseModel):
    """After a password change: every earlier session has ended.

    A cookie-signed request gets a new session (its cookie is in the answer) and that
    session's CSRF token; a request signed with an API token gets none.
    """

    sessions_ended: bool
    csrf_token: str | None


class TokenCreate(BaseModel):
    """A new API token's name (what it is for)."""

    name: str = Field(min_length=1, max_length=120)


class TokenRead(BaseModel):
    """A new API token: shown once, stored only hashed."""

    id: str
    name: str
    token: str
    created_at: dt.datetime


class TokenInfo(BaseModel):
    """One of the caller's API tokens, without its secret (only a hash of it is stored)."""

    id: str
    name: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


class TokenList(BaseModel):
    """The caller's API tokens, newest first."""

    tokens: list[TokenInfo]


@router.get("/me")
def me(caller: CallerDep, db: DbDep) -> MeRead:
    """Who is signed in, and their place in each workspace.

    Usage: ``GET /api/v1/me``.
    """
    with db.transaction(NOBODY) as session:
        rows = session.execute(
            select(Workspace.slug, Membership.party, Membership.role, Membership.clearances)
            .join(Membership, Membership.workspace_id == Workspace.id)
            .where(Membership.user_id == caller.user.id)
            .order_by(Workspace.slug)
        ).all()
    places = [
        PlaceRead(workspace=w, party=p, role=r, clearances=sorted(decode_set(c)))
        for w, p, r, c in rows
    ]
    return MeRead(id=caller.user.id, username=caller.user.username, workspaces=places)


def change_own_password(
    caller: Caller, db: Database, config: Settings, keys: Keys, current: str, new: str
) -> tuple[str, str] | None:
    """Change the caller's password; every session of the user ends, API tokens stay.

    The current password is checked as a sign-in is, so wrong guesses count towards the
    account's throttle (a stolen session cannot try passwords here faster than at /login).
    Returns the new session (cookie, secret) for a cookie-signed caller, None for a token.
    Raises 400 ``the current password is wrong``; the store refuses a weak new password.
    Usage: ``fresh = change_own_password(caller, db, config, keys, old, new)``.
    """
    from summitry.store.audit import keyring
    from summitry.store.users import set_password
    from summitry.web.security import log_in, start_session

    username = caller.user.username
    # The joint reader may append the joint-chain entries set_password writes (row-level
    # security on PostgreSQL); it reads no party's material.
    fresh: tuple[str, str] | None = None
    with db.transaction(JOINT_READER, write=True) as session:
        proven = log_in(session, config, username, current)
        if proven is not None:
            user = set_password(session, keyring(db.file), username, new, actor=username)
            # A new session id for this browser: the one the old password opened has ended
            # with the others, so nobody holding a copy of it keeps access.
            fresh = start_session(session, config, keys, user) if caller.by_cookie else None
    # Refused after the block on purpose: the failure just counted must be committed.
    if proven is None:
        raise HTTPException(400, WRONG_PASSWORD)
    return fresh


WRONG_PASSWORD = "the current password is wrong"


@router.post("/me/password")
def change_password(
    caller: CallerDep,
    db: DbDep,
    config: SettingsDep,
    keys: KeysDep,
    body: Annotated[PasswordChange, Body()],
    response: Response,
) -> PasswordChanged:
    """Change one's own password: every session of the user ends; API tokens stay.

    Usage: ``POST /api/v1/me/password {"current_password": "…", "new_password": "…"}``.
    """
    fresh = change_own_password(caller, db, config, keys, body.current_password, body.new_password)
    if fresh is None:
        return PasswordChanged(sessions_ended=True, csrf_token=None)
    cookie, secret = fresh
    set_session_cookie(response, cookie, config.session_hours, config.production)
    return PasswordChanged(sessions_ended=True, csrf_token=keys.csrf_token(secret))


def own_tokens(caller: Caller, db: Database) -> list[TokenInfo]:
    """The caller's API tokens, newest first: names and dates, never the secrets.

    Usage: ``own_tokens(caller, db)[0].name``.
    """
    with db.transaction(NOBODY) as session:
        rows = session.scalars(
            select(TokenRow)
            .where(TokenRow.user_id == caller.user.id)
            .order_by(TokenRow.created_at.desc(), TokenRow.id)
        ).all()
    return [
        TokenInfo(
            id=row.id,
            name=row.name,
            created_at=_aware(row.created_at),
            revoked_at=None if row.revoked_at is None else _aware(row.revoked_at),
        )
        for row in rows
    ]


def make_token(caller: Caller, db: Database, name: str) -> TokenRead:
    """A new API token of the caller; the secret is in this answer only (stored hashed).

    Only a signed-in session makes tokens (403 otherwise): a leaked token cannot mint
    others that would outlive its own revocation.
    Usage: ``make_token(caller, db, "weekly forecast").token``.
    """
    from summitry.web.security import new_token

    if not caller.by_cookie:
        raise HTTPException(403, "API tokens are made from a signed-in session, not a token")
    with db.transaction(NOBODY, write=True) as session:
        row, token = new_token(session, caller.user, name)
    return TokenRead(id=row.id, name=row.name, token=token, created_at=_aware(row.created_at))


def revoke_own_token(caller: Caller, db: Database, token_id: str) -> None:
    """Revoke one of the caller's API tokens; 404 for another's, or one already revoked.

    Usage: ``revoke_own_token(caller, db, token_id)``.
    """
    from summitry.web.security import revoke_token

    with db.transaction(NOBODY, write=True) as session:
        if not revoke_token(session, caller.user, token_id):
            raise HTTPException(404, "no such token")


@router.get("/me/tokens")
def list_tokens(caller: CallerDep, db: DbDep) -> TokenList:
    """The caller's API tokens: names and dates, never the secrets.

    Usage: ``GET /api/v1/me/tokens``.
    """
    return TokenList(tokens=own_tokens(caller, db))


@router.post("/me/tokens", status_code=201)
def create_token(caller: CallerDep, db: DbDep, body: Annotated[TokenCreate, Body()]) -> TokenRead:
    """A new API token for scripts; the token is in this answer only.

    Usage: ``POST /api/v1/me/tokens {"name": "weekly forecast"}`` (with the CSRF token).
    """
    return make_token(caller, db, body.name)


@router.delete("/me/tokens/{token_id}", status_code=204)
def revoke(caller: CallerDep, db: DbDep, token_id: Annotated[str, Path(max_length=64)]) -> None:
    """Revoke one of the caller's API tokens (404 for another's, or one already revoked).

    Usage: ``DELETE /api/v1/me/tokens/{id}``.
    """
    revoke_own_token(caller, db, token_id)


# --- a party's members (admins) -----------------------------------------------------------


class MemberRead(BaseModel):
    """A member of the admin's party in this workspace."""

    id: str
    """The user's id: audit entries name the user as ``users/<id>``."""
    username: str
    party: str
    role: str
    clearances: list[str]
    person: str | None
    """The slug of the person record the member is, when the admin may read that record."""
    disabled: bool


class MemberList(BaseModel):
    """The members of the admin's party, by username."""

    members: list[MemberRead]


class MemberCreate(BaseModel):
    """A new user in the admin's own party (the party is not asked: it is the admin's)."""

    # A "party" sent anyway is refused by name rather than quietly overridden.
    model_config = ConfigDict(extra="forbid")

    username: Username
    password: str = Field(min_length=MIN_PASSWORD, max_length=MAX_PASSWORD)
    role: Role
    clearances: list[Compartment] = Field(default_factory=list, max_length=50)
    person: Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)] | None = None


class MemberUpdate(BaseModel):
    """What to change about a member; a field left out stays as it is.

    ``clearances`` replaces the whole set; ``person: ""`` unlinks the person.
    """

    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    clearances: list[Compartment] | None = Field(default=None, max_length=50)
    person: Annotated[str, Field(pattern=f"{SLUG_PATTERN}|^$", max_length=80)] | None = None


def _admin_of(member: Member) -> str:
    """The admin's party; 403 for an editor or a viewer.

    403, not 404: the caller is a member of this workspace, so the workspace and its
    members routes are no secret to them; the answer tells only what they know (their role).
    """
    party = member.principal.party
    if member.role != "admin" or party is None:
        raise HTTPException(403, "only an admin of your party manages its members")
    return party


def _own_member(session: Session, member: Member, party: str, username: str) -> Membership:
    """The membership of ``username`` in the admin's party here; 404 otherwise.

    A member of another party and a name nobody has answer alike, word for word.
    """
    found = session.scalar(
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(
            User.username == username,
            Membership.workspace_id == member.workspace.id,
            Membership.party == party,
        )
    )
    if found is None:
        raise HTTPException(404, f"no member '{clip(username)}' of {party} in this workspace")
    return found


def _refuse_self(member: Member, target: Membership, what: str) -> None:
    if target.user_id == member.caller.user.id:
        raise HTTPException(
            403,
            f"an admin does not {what} themselves; another admin of the party or the operator does",
        )


def _refuse_beyond_own(member: Member, added: frozenset[str]) -> None:
    """Refuse to grant a compartment the admin is not cleared for themselves.

    Otherwise an admin could add an account of their own making with any clearance and sign
    in as it: raising their own clearances by another door.
    """
    beyond = added - member.principal.clearances
    if beyond:
        raise HTTPException(
            403,
            "an admin grants only compartments they are cleared for themselves; "
            "the operator grants others (summitry user grant)",
        )


@contextmanager
def _administering(member: Member, party: str, clearances: frozenset[str]) -> Iterator[Session]:
    """A write transaction for changing members of ``party``.

    It reads as the party with the admin's clearances and those the changed member will
    hold: store.users checks what the *member* may read (their person record), and on
    PostgreSQL row-level security must not hide from that check a row the member may read.
    Nothing read here reaches the admin unless it passes :func:`_person_check`, which
    applies the admin's own clearances.
    """
    principal = Principal(party, member.principal.clearances | clearances)
    with member.db.transaction(principal, write=True) as session:
        yield session


def _person_check(
    session: Session, member: Member, party: str, slug: str, clearances: frozenset[str]
) -> None:
    """Refuse a person record that the admin or the member may not read, or of another party.

    The store checks the member's side only; checking the admin's too means an admin never
    learns, by trying slugs, of a record hidden from them.
    """
    party_id = session.scalar(
        select(RecordRow.id).where(
            RecordRow.workspace_id == member.workspace.id,
            RecordRow.collection == "parties",
            RecordRow.readers == JOINT,
            RecordRow.compartments == "",
            RecordRow.slug == party,
        )
    )
    rows = session.execute(
        select(RecordRow.body).where(
            RecordRow.workspace_id == member.workspace.id,
            RecordRow.collection == "people",
            RecordRow.slug == slug,
            readable(member.principal, RecordRow.readers, RecordRow.compartments),
            readable(Principal(party, clearances), RecordRow.readers, RecordRow.compartments),
        )
    ).all()
    if party_id is None or not any(body.get("party") == party_id for (body,) in rows):
        raise HTTPException(
            400, f"no person '{slug}' of {party} that both you and the member may read"
        )


def _member_reads(
    session: Session, member: Member, rows: list[tuple[Membership, User]]
) -> list[MemberRead]:
    """The members as the admin sees them: a person record only when the admin may read it."""
    person_ids = {m.person for m, _ in rows if m.person is not None}
    slugs: dict[str, str] = {}
    if person_ids:
        found = session.execute(
            select(RecordRow.id, RecordRow.slug).where(
                RecordRow.id.in_(person_ids),
                readable(member.principal, RecordRow.readers, RecordRow.compartments),
            )
        )
        slugs = {str(rid): str(slug) for rid, slug in found}
    return [
        MemberRead(
            id=user.id,
            username=user.username,
            party=membership.party,
            role=membership.role,
            clearances=sorted(decode_set(membership.clearances)),
            person=None if membership.person is None else slugs.get(membership.person),
            disabled=user.disabled,
        )
        for membership, user in rows
    ]


def _read_member(member: Member, party: str, username: str) -> MemberRead:
    with member.db.transaction(member.principal) as session:
        target = _own_member(session, member, party, username)
        user = session.get(User, target.user_id)
        assert user is not None  # the membership's foreign key
        return _member_reads(session, member, [(target, user)])[0]


@router.get("/workspaces/{workspace}/members")
def list_members(member: MemberDep) -> MemberList:
    """The members of the admin's own party in this workspace (admins only).

    Usage: ``GET /api/v1/workspaces/demo/members``.
    """
    party = _admin_of(member)
    with member.db.transaction(member.principal) as session:
        rows = session.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.workspace_id == member.workspace.id, Membership.party == party)
            .order_by(User.username)
        ).all()
        found = [(m, u) for m, u in rows]
        return MemberList(members=_member_reads(session, member, found))


@router.post("/workspaces/{workspace}/members", status_code=201)
def add_member(member: MemberDep, body: Annotated[MemberCreate, Body()]) -> MemberRead:
    """Add a new user to the admin's own party, with a role, clearances and a person.

    Usage: ``POST /api/v1/workspaces/demo/members {"username": "irina", "password": "…",
    "role": "editor"}``.
    """
    from summitry.store.audit import keyring
    from summitry.store.users import add_user

    party = _admin_of(member)
    cleared = frozenset(body.clearances)
    _refuse_beyond_own(member, cleared)
    with _administering(member, party, cleared) as session:
        taken = session.scalar(select(User.id).where(User.username == body.username))
        if taken is not None:
            # Usernames are one namespace for the whole server: saying so tells no more
            # than the refusal would.
            raise HTTPException(409, f"the username '{body.username}' is taken")
        if body.person is not None:
            _person_check(session, member, party, body.person, cleared)
        add_user(
            session,
            keyring(member.db.file),
            body.username,
            body.password,
            workspace=member.workspace.slug,
            party=party,
            role=body.role,
            clearances=cleared,
            person=body.person,
            actor=member.actor,
        )
    return _read_member(member, party, body.username)


@router.get("/workspaces/{workspace}/members/{username}")
def get_member(member: MemberDep, username: Annotated[str, Path(max_length=80)]) -> MemberRead:
    """One member of the admin's own party (404 for anyone else, as for nobody).

    Usage: ``GET /api/v1/workspaces/demo/members/ru-editor``.
    """
    return _read_member(member, _admin_of(member), username)


@router.patch("/workspaces/{workspace}/members/{username}")
def change_member(
    member: MemberDep,
    username: Annotated[str, Path(max_length=80)],
    body: Annotated[MemberUpdate, Body()],
) -> MemberRead:
    """Change a member's role, clearances or person (never the admin's own role or clearances).

    Usage: ``PATCH /api/v1/workspaces/demo/members/ru-editor-2 {"role": "viewer"}``.
    """
    from summitry.store.audit import keyring
    from summitry.store.users import grant

    party = _admin_of(member)
    with member.db.transaction(NOBODY) as session:
        target = _own_member(session, member, party, username)
        current = decode_set(target.clearances)
        if body.role is not None or body.clearances is not None:
            _refuse_self(member, target, "change the role or clearances of")
    cleared = current if body.clearances is None else frozenset(body.clearances)
    _refuse_beyond_own(member, cleared - current)
    with _administering(member, party, cleared) as session:
        # Again inside the write: the member may have moved since the look above.
        _own_member(session, member, party, username)
        if body.person:
            _person_check(session, member, party, body.person, cleared)
        grant(
            session,
            keyring(member.db.file),
            username,
            workspace=member.workspace.slug,
            role=body.role,
            clearances=None if body.clearances is None else cleared,
            person=body.person,
            actor=member.actor,
        )
    return _read_member(member, party, username)


@router.post("/workspaces/{workspace}/members/{username}/disable")
def disable_member(member: MemberDep, username: Annotated[str, Path(max_length=80)]) -> MemberRead:
    """Disable a member's account: their sessions end and their API tokens are revoked.

    An account is one for the whole server; one with a place elsewhere that this admin does
    not administer (another workspace, another party) is for the operator to disable.
    Usage: ``POST /api/v1/workspaces/demo/members/ru-viewer/disable``.
    """
    from summitry.store.audit import keyring
    from summitry.store.users import disable_user

    party = _admin_of(member)
    with _administering(member, party, frozenset()) as session:
        target = _own_member(session, member, party, username)
        _refuse_self(member, target, "disable")
        if not _administers_every_place(session, member, target):
            raise HTTPException(
                403,
                f"'{username}' also has a place where you are not their admin; the operator "
                "disables that account (summitry user disable)",
            )
        disable_user(session, keyring(member.db.file), username, actor=member.actor)
    return _read_member(member, party, username)


def _administers_every_place(session: Session, member: Member, target: Membership) -> bool:
    """Whether the caller is an admin of the target's party in every workspace the target is in."""
    theirs = session.execute(
        select(Membership.workspace_id, Membership.party).where(
            Membership.user_id == target.user_id
        )
    ).all()
    ours = {
        (w, p)
        for w, p in session.execute(
            select(Membership.workspace_id, Membership.party).where(
                Membership.user_id == member.caller.user.id, Membership.role == "admin"
            )
        )
    }
    return all((w, p) in ours for w, p in theirs)


# --- the audit log --------------------------------------------------------------------------


class AuditEntryRead(BaseModel):
    """One audit entry: who did what to which object, when, and how it went (never content)."""

    chain: str
    """The chain's label in words (``joint``, ``united-states · back-channel``)."""
    seq: int
    at: dt.datetime
    actor: str
    action: str
    object: str
    """The object: ``tasks/<uuid>``, ``users/<uuid>``, ``workspaces/<uuid>``."""
    outcome: str
    key_id: str
    digest: str


class AuditPage(BaseModel):
    """A page of the entries the member may read, oldest first."""

    entries: list[AuditEntryRead]
    total: int
    """How many entries match the filters (on every page)."""
    next_offset: int | None
    """The ``offset`` of the next page; null on the last one."""


class ChainRead(BaseModel):
    """One chain the member may read, and its head."""

    chain: str
    label: dict[str, Any]
    entries: int
    head: str
    line: str
    """The head as reports print it (``joint: 42 entries, head 3f2c9a1b7d04e5f6``)."""


class BreakRead(BaseModel):
    """The first broken link of a chain."""

    chain: str
    seq: int
    reason: str


class AuditVerifyRead(BaseModel):
    """The verification of every chain the member may read."""

    ok: bool
    chains: list[ChainRead]
    broken: list[BreakRead]
    checked_against: int
    """How many of the ``against`` heads were compared (those of chains the member may read)."""


def _chain_columns(text: str) -> tuple[str, str]:
    """A chain named as entries name it (``united-states · back-channel``), as stored."""
    who, *compartments = (part.strip() for part in text.split("·"))
    readers = None if who == JOINT else frozenset(p.strip() for p in who.split(",") if p.strip())
    label = Label(readers, frozenset(c for c in compartments if c))
    return encode_readers(label), encode_compartments(label.compartments)


@router.get("/workspaces/{workspace}/audit")
def audit_log(
    member: MemberDep,
    chain: Annotated[str | None, Query(max_length=400)] = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    object_ref: Annotated[str | None, Query(alias="object", max_length=160)] = None,
    since: dt.datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> AuditPage:
    """The audit entries of the chains the member may read, oldest first, filtered.

    A chain the member may not read answers as one that has no entries.
    Usage: ``GET /api/v1/workspaces/demo/audit?chain=joint&action=update&limit=50``.
    """
    principal = member.principal
    where = [
        AuditEntry.workspace_id == member.workspace.id,
        readable(principal, AuditEntry.readers, AuditEntry.compartments),
    ]
    if chain is not None:
        readers, compartments = _chain_columns(chain)
        where += [AuditEntry.readers == readers, AuditEntry.compartments == compartments]
    if action is not None:
        where.append(AuditEntry.action == action)
    if object_ref is not None:
        where.append(AuditEntry.object_ref == object_ref)
    if since is not None:
        moment = since if since.tzinfo is not None else since.replace(tzinfo=dt.UTC)
        where.append(AuditEntry.at >= moment.astimezone(dt.UTC))
    condition = and_(*where)
    # Reads of the log are not audited: entries are not plan material (no content), and an
    # entry per look would grow the log each time someone checks it.
    with member.db.transaction(principal) as session:
        total = session.scalar(select(func.count()).select_from(AuditEntry).where(condition))
        rows = session.scalars(
            select(AuditEntry)
            .where(condition)
            .order_by(AuditEntry.at, AuditEntry.readers, AuditEntry.compartments, AuditEntry.seq)
            .offset(offset)
            .limit(limit)
        ).all()
    entries = [
        AuditEntryRead(
            chain=decode_label(e.readers, e.compartments).describe(),
            seq=e.seq,
            at=_aware(e.at),
            actor=e.actor,
            action=e.action,
            object=e.object_ref,
            outcome=e.outcome,
            key_id=e.key_id,
            digest=e.digest,
        )
        for e in rows
    ]
    count = int(total or 0)
    following = offset + len(entries)
    return AuditPage(
        entries=entries, total=count, next_offset=following if following < count else None
    )


@router.get("/workspaces/{workspace}/audit/verify")
def audit_verify(
    member: MemberDep,
    against: Annotated[list[str] | None, Query(max_length=100)] = None,
) -> AuditVerifyRead:
    """Recompute every chain the member may read; each chain's head and first broken link.

    ``against`` (repeatable) takes heads as a circulated report printed them; a chain now
    shorter than one, or different at its position, is reported broken.
    Usage: ``GET /api/v1/workspaces/demo/audit/verify?against=joint: 42 entries, head 3f2c…``.
    """
    from summitry.store.audit import keyring, parse_heads, verify

    principal = member.principal
    expected = [
        head
        for text in against or ()
        for head in parse_heads(text[:400])
        if can_read(principal, head.label)
    ]
    with member.db.transaction(principal) as session:
        found, broken = verify(
            session, keyring(member.db.file), member.workspace.id, principal, expected
        )
    return AuditVerifyRead(
        ok=not broken,
        chains=[
            ChainRead(
                chain=h.label.describe(),
                label=h.label.as_dict(),
                entries=h.seq,
                head=h.digest,
                line=h.describe(),
            )
            for h in found
        ],
        broken=[BreakRead(chain=b.label.describe(), seq=b.seq, reason=b.reason) for b in broken],
        checked_against=len(expected),
    )


# --- helpers ----------------------------------------------------------------------------------


def set_session_cookie(response: Response, cookie: str, hours: float, production: bool) -> None:
    """The session cookie as /login sets it: HttpOnly, SameSite=Lax, Secure in production."""
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=int(hours * 3600),
        httponly=True,
        secure=production,
        samesite="lax",
        path="/",
    )


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands times back without their zone; they are stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
