"""The fixed tables: workspaces, plan records and their revisions, users, the audit log.

Plan records of every collection share one table: a row holds the record's label in two
columns (so one SQL predicate, and one row-level-security policy, covers every record type)
and its body as JSON, validated by the domain model of its collection. Alembic migrates these
tables only; the plan-format migrations upgrade the bodies.

Labels are stored as text a predicate can test on both SQLite and PostgreSQL (see
``access/sql.py``): ``readers`` is ``joint`` or the party ids wrapped in commas
(``,russia,secretariat,``), ``compartments`` is empty or wrapped likewise.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names Alembic can find again (a migration drops what it names)."""

Body = JSON(none_as_null=True)
"""Bodies are JSON kept as written (not JSONB, which reorders keys: order is meaning here)."""
ID = 36


def new_id() -> str:
    """A fresh opaque id (a random UUID): never sequential, never derived from content.

    Usage: ``Workspace(id=new_id(), ...)``.
    """
    return str(uuid.uuid4())


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


clock: Callable[[], dt.datetime] = _utc_now
"""Where the store's times come from; tests that compare two databases fix it."""


def now() -> dt.datetime:
    """The current time, timezone-aware UTC (how every time is stored).

    Usage: ``entry.at = now()``.
    """
    return clock()


class Base(DeclarativeBase):
    """The declarative base of the store's tables, with the naming convention."""

    metadata = MetaData(naming_convention=NAMING)


class Workspace(Base):
    """One summit's shared workspace; ``revision`` counts its writes (the view cache's key)."""

    __tablename__ = "workspaces"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    format_version: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class RecordRow(Base):
    """The current revision of one plan record (or of one of the plan's settings tables).

    ``slug`` is a handle, unique among the records of a collection that one owning party
    labels alike; links inside ``body`` name records by ``id``. ``position`` keeps the order
    the records were written in, so a view lists them as the plan file did.
    """

    __tablename__ = "records"
    __table_args__ = (
        UniqueConstraint(
            "workspace_id",
            "collection",
            "owner",
            "readers",
            "compartments",
            "slug",
            name="uq_records_handle",
        ),
        Index("ix_records_workspace_collection", "workspace_id", "collection"),
    )

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    collection: Mapped[str] = mapped_column(String(40))
    slug: Mapped[str] = mapped_column(String(80))
    owner: Mapped[str] = mapped_column(String(80), default="")
    readers: Mapped[str] = mapped_column(Text)
    compartments: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(Body)
    author: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class RevisionRow(Base):
    """One revision of a record, with the label it had: history and restore read these.

    A deletion is a revision with ``body`` None. Widening a record's label later leaves its
    earlier revisions labelled as they were, so it releases only what is written from then on.
    """

    __tablename__ = "revisions"
    __table_args__ = (
        UniqueConstraint("record_id", "revision", name="uq_revisions_record_revision"),
        Index("ix_revisions_workspace", "workspace_id"),
    )

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    record_id: Mapped[str] = mapped_column(String(ID))
    collection: Mapped[str] = mapped_column(String(40))
    slug: Mapped[str] = mapped_column(String(80))
    owner: Mapped[str] = mapped_column(String(80), default="")
    readers: Mapped[str] = mapped_column(Text)
    compartments: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any] | None] = mapped_column(Body, nullable=True)
    author: Mapped[str] = mapped_column(String(120))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class User(Base):
    """A person who signs in; ``disabled`` users cannot, and keep their history."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Membership(Base):
    """A user's place in one workspace: party, role, clearances, and who they are in the plan.

    ``clearances`` is stored like a label's compartments (``,back-channel,``); ``person`` is
    the id of the person record of the user's party that the user is ("my tasks").
    """

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "workspace_id", name="uq_memberships_user"),)

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    party: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20))
    clearances: Mapped[str] = mapped_column(Text, default="")
    person: Mapped[str | None] = mapped_column(String(ID), nullable=True)


class SessionRow(Base):
    """A signed-in browser session (server side); only a hash of its secret is stored."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(128), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class TokenRow(Base):
    """A user's API token for scripts: stored hashed, revocable."""

    __tablename__ = "tokens"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(128), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AuditEntry(Base):
    """One link of an audit chain: who did what to which object, when, and how it went.

    There is one chain per label class (``readers`` + ``compartments``) in each workspace;
    ``seq`` numbers the chain's entries and ``digest`` is the keyed hash over the entry and
    the previous digest, under the key named by ``key_id`` (the key is never stored here).
    ``object_ref`` names the object (``tasks/<uuid>``), never its content.
    """

    __tablename__ = "audit"
    __table_args__ = (
        UniqueConstraint("workspace_id", "readers", "compartments", "seq", name="uq_audit_link"),
    )

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    readers: Mapped[str] = mapped_column(Text)
    compartments: Mapped[str] = mapped_column(Text, default="")
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    object_ref: Mapped[str] = mapped_column(String(160))
    outcome: Mapped[str] = mapped_column(String(40))
    key_id: Mapped[str] = mapped_column(String(40))
    digest: Mapped[str] = mapped_column(String(64))


class StoredResult(Base):
    """A stored forecast or report, with the label of what it was derived from."""

    __tablename__ = "results"
    __table_args__ = (Index("ix_results_workspace_kind", "workspace_id", "kind"),)

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    readers: Mapped[str] = mapped_column(Text)
    compartments: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[dict[str, Any]] = mapped_column(Body)
    author: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LoginAttempts(Base):
    """Failed log-ins per account name (known or not, so throttling tells nothing of which)."""

    __tablename__ = "login_attempts"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )


class JobRow(Base):
    """Work run off the request path (a long forecast, a report): its state and progress.

    A job runs as the principal who asked for it; ``readers`` and ``compartments`` are that
    principal's own label (its party, its clearances), so only that party's members see it.
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_workspace", "workspace_id"),)

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    readers: Mapped[str] = mapped_column(Text)
    compartments: Mapped[str] = mapped_column(Text, default="")
    requested_by: Mapped[str] = mapped_column(String(ID))
    params: Mapped[dict[str, Any]] = mapped_column(Body)
    result_id: Mapped[str | None] = mapped_column(String(ID), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class WideningRow(Base):
    """A request to widen a record's label, waiting for a second editor of the owning party.

    Labelled like the record as it is now, so only those who may read the record see it.
    """

    __tablename__ = "widenings"
    __table_args__ = (Index("ix_widenings_workspace", "workspace_id"),)

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    record_id: Mapped[str] = mapped_column(String(ID))
    revision: Mapped[int] = mapped_column(Integer)
    readers: Mapped[str] = mapped_column(Text)
    compartments: Mapped[str] = mapped_column(Text, default="")
    new_visibility: Mapped[list[str]] = mapped_column(Body)
    new_compartments: Mapped[list[str]] = mapped_column(Body)
    requested_by: Mapped[str] = mapped_column(String(ID))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
