"""The request's dependencies: the store, the settings, who is calling, and as which member.

Routes take these as ``Annotated`` parameters (``CallerDep``, ``MemberDep``). A cookie-signed
caller of a state-changing request must send the session's CSRF token; an API token needs
none. A member is the caller's place in the workspace of the URL: a workspace the caller has
no place in answers exactly as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from summitry.access.labels import Label
from summitry.access.policy import Principal
from summitry.settings import Settings
from summitry.store.database import Database
from summitry.store.schema import Membership, User, Workspace
from summitry.web.security import CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE, Keys

if TYPE_CHECKING:
    from summitry.store.reads import WorkspaceRef

NOBODY = Principal(None)
"""The principal of work that reads no plan material: signing in, finding one's membership."""

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ROLES_THAT_WRITE = frozenset({"editor"})


def get_db(request: Request) -> Database:
    """The application's store."""
    db: Database = request.app.state.db
    return db


def get_settings(request: Request) -> Settings:
    """The application's settings."""
    config: Settings = request.app.state.settings
    return config


def get_keys(request: Request) -> Keys:
    """The server's keys (cookie signing, CSRF)."""
    keys: Keys = request.app.state.keys
    return keys


DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
KeysDep = Annotated[Keys, Depends(get_keys)]


@dataclass(frozen=True)
class Caller:
    """A signed-in user, and how they signed this request (cookie session or API token)."""

    user: User
    session_secret: str | None
    """The session's secret for a cookie-signed request (None for an API token)."""

    @property
    def by_cookie(self) -> bool:
        """Whether the request rides on the session cookie (and so needs CSRF tokens)."""
        return self.session_secret is not None


async def _form_token(request: Request) -> str | None:
    if "form" not in request.headers.get("content-type", ""):
        return None
    form = await request.form()
    value = form.get(CSRF_FIELD)
    return value if isinstance(value, str) else None


async def current_caller(request: Request, db: DbDep, keys: KeysDep) -> Caller:
    """Who signed this request; 401 when nobody did, 403 without the CSRF token it needs."""
    from summitry.web.security import session_user, token_user

    authorization = request.headers.get("authorization", "")
    with db.transaction(NOBODY) as session:
        if authorization.lower().startswith("bearer "):
            user = token_user(session, authorization[7:].strip())
            if user is None:
                raise HTTPException(401, "the API token is unknown or revoked")
            return Caller(user, None)
        found = session_user(session, keys, request.cookies.get(SESSION_COOKIE))
    if found is None:
        raise HTTPException(401, "sign in first")
    user, secret = found
    if request.method in UNSAFE:
        given = request.headers.get(CSRF_HEADER) or await _form_token(request)
        if not keys.csrf_ok(secret, given):
            raise HTTPException(403, "the form has expired or did not come from summitry; reload")
    return Caller(user, secret)


CallerDep = Annotated[Caller, Depends(current_caller)]


@dataclass(frozen=True)
class Member:
    """The caller's place in one workspace: the principal they read as, and their role."""

    caller: Caller
    db: Database
    workspace: Workspace
    membership: Membership

    @property
    def principal(self) -> Principal:
        """Who the member reads as: their party, with their clearances."""
        from summitry.store.users import principal_of_membership

        return principal_of_membership(self.membership)

    @property
    def role(self) -> str:
        """``admin``, ``editor`` or ``viewer``."""
        return self.membership.role

    @property
    def actor(self) -> str:
        """How audit entries name the member: ``alice (russia)``."""
        return f"{self.caller.user.username} ({self.membership.party})"

    @property
    def source(self) -> WorkspaceRef:
        """The member's workspace as the services take it, naming the member in audit entries.

        Usage: ``status(member.source, member.principal)``.
        """
        from summitry.store.reads import WorkspaceRef

        if self.db.file is not None:
            return WorkspaceRef(self.workspace.slug, self.db.file, actor=self.actor)
        url = self.db.url.render_as_string(hide_password=False)
        return WorkspaceRef(self.workspace.slug, url=url, actor=self.actor)

    def audit_reads(self, session: Session, reads: Iterable[tuple[str, Label]]) -> None:
        """Audit the member's reads of compartmented records, in the reading transaction.

        ``reads`` are (``collection/id``, label) pairs; those without a compartment are not
        audited. Usage: ``member.audit_reads(session, [(f"tasks/{r.id}", r.label)])``.
        """
        from summitry.store.audit import keyring
        from summitry.store.records import audit_reads

        actor = f"{self.actor} as {self.principal.name}"
        audit_reads(session, keyring(self.db.file), self.workspace, reads, actor=actor)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A transaction that reads as the member (and writes audit entries of reads).

        Usage: ``with member.reading() as session: ...``.
        """
        write = bool(self.principal.clearances)
        with self.db.transaction(self.principal, write=write) as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction as the member; 403 unless the member is an editor.

        The block is the request's boundary: it commits when it ends without an error.
        Usage: ``with member.writing() as session: create_record(session, ...)``.
        """
        if self.role not in ROLES_THAT_WRITE:
            raise HTTPException(403, f"a {self.role} does not change the plan; an editor does")
        with self.db.transaction(self.principal, write=True) as session:
            yield session


def current_member(workspace: str, caller: CallerDep, db: DbDep) -> Member:
    """The caller's membership in the workspace of the URL; 404 when they have none there."""
    from sqlalchemy import select

    from summitry.store.users import membership_of

    with db.transaction(NOBODY) as session:
        found = session.scalar(select(Workspace).where(Workspace.slug == workspace))
        membership = None if found is None else membership_of(session, caller.user, found)
    if found is None or membership is None:
        raise HTTPException(404, "no such workspace")
    return Member(caller, db, found, membership)


MemberDep = Annotated[Member, Depends(current_member)]
