"""The records API's request and answer bodies (``XCreate`` / ``XUpdate`` / ``XRead``).

Bodies of records are in the plan file's shape, links spelt as slugs of the caller's view,
the label in the body's ``visibility`` and ``compartments`` fields; ids are the records'
opaque UUIDs. See docs/api.md, "Records and labels".
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from summitry.access.labels import Label
from summitry.domain.base import SLUG_PATTERN

if TYPE_CHECKING:
    from summitry.store.records import StoredRecord, StoredRevision
    from summitry.store.releases import Pending

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=80)]
"""A record's slug: lowercase letters and digits joined by single hyphens (``venue-survey``)."""

Revision = Annotated[int, Field(ge=1, le=2**31 - 1)]
"""A record's revision number (1 for a new record, one more for each write)."""


def _utc(moment: dt.datetime) -> dt.datetime:
    # SQLite gives the stored UTC times back without their zone.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


class LabelRead(BaseModel):
    """Who may read: ``"joint"`` or a list of parties, and the compartments (need-to-know)."""

    readers: str | list[str]
    compartments: list[str]

    @classmethod
    def of(cls, label: Label) -> LabelRead:
        """The answer's form of a label.

        Usage: ``LabelRead.of(record.label)``.
        """
        readers: str | list[str] = "joint" if label.readers is None else sorted(label.readers)
        return cls(readers=readers, compartments=sorted(label.compartments))


class RecordCreate(BaseModel):
    """A new record: its slug and its body (links by slug, the label in the body)."""

    model_config = ConfigDict(extra="forbid")

    slug: Slug
    body: dict[str, Any]


class RecordUpdate(BaseModel):
    """A record's new body and the revision it was made from (a stale one is a conflict)."""

    model_config = ConfigDict(extra="forbid")

    body: dict[str, Any]
    revision: Revision


class RecordRead(BaseModel):
    """A record as the caller's view has it."""

    id: str
    collection: str
    slug: str
    revision: int
    label: LabelRead
    owner: str | None
    body: dict[str, Any]
    author: str
    updated_at: dt.datetime

    @classmethod
    def of(cls, record: StoredRecord) -> RecordRead:
        """The answer's form of a :class:`summitry.store.records.StoredRecord`.

        Usage: ``RecordRead.of(view_record(view, "tasks", rid))``.
        """
        return cls(
            id=record.id,
            collection=record.collection,
            slug=record.slug,
            revision=record.revision,
            label=LabelRead.of(record.label),
            owner=record.owner,
            body=record.body,
            author=record.author,
            updated_at=_utc(record.updated_at),
        )


class RecordPage(BaseModel):
    """One page of a collection in the caller's view; ``total`` counts the whole view's."""

    total: int
    offset: int
    limit: int
    items: list[RecordRead]


class RevisionRead(BaseModel):
    """One revision the caller may read, with its own label; ``body`` is null for a deletion."""

    revision: int
    label: LabelRead
    owner: str | None
    deleted: bool
    body: dict[str, Any] | None
    author: str
    at: dt.datetime

    @classmethod
    def of(cls, revision: StoredRevision) -> RevisionRead:
        """The answer's form of a :class:`summitry.store.records.StoredRevision`.

        Usage: ``[RevisionRead.of(r) for r in revisions]``.
        """
        return cls(
            revision=revision.revision,
            label=LabelRead.of(revision.label),
            owner=revision.owner,
            deleted=revision.body is None,
            body=revision.body,
            author=revision.author,
            at=_utc(revision.at),
        )


class HistoryRead(BaseModel):
    """The revisions of a record that the caller may read, oldest first."""

    id: str
    collection: str
    revisions: list[RevisionRead]


class RecordRestore(BaseModel):
    """Write revision ``revision``'s body again, if ``current_revision`` is still current."""

    model_config = ConfigDict(extra="forbid")

    revision: Revision
    current_revision: Revision


class WideningCreate(BaseModel):
    """The wider label asked for (a second editor of the owning party confirms it)."""

    model_config = ConfigDict(extra="forbid")

    visibility: Slug | Annotated[list[Slug], Field(min_length=1, max_length=100)]
    compartments: Annotated[list[Slug], Field(max_length=100)] = []
    revision: Revision


class WithdrawalCreate(BaseModel):
    """Withdraw a release of the caller's party's record, made from revision ``revision``."""

    model_config = ConfigDict(extra="forbid")

    revision: Revision


class WideningRead(BaseModel):
    """A widening waiting for a second editor: the record, its label now and the one asked for."""

    id: str
    record_id: str
    collection: str
    slug: str
    revision: int
    label: LabelRead
    new_label: LabelRead
    requested_by: str
    created_at: dt.datetime

    @classmethod
    def of(cls, pending: Pending) -> WideningRead:
        """The answer's form of a :class:`summitry.store.releases.Pending`.

        Usage: ``WideningRead.of(request_widening(...))``.
        """
        return cls(
            id=pending.id,
            record_id=pending.record_id,
            collection=pending.collection,
            slug=pending.slug,
            revision=pending.revision,
            label=LabelRead.of(pending.label),
            new_label=LabelRead.of(pending.new_label),
            requested_by=pending.requested_by,
            created_at=_utc(pending.created_at),
        )


class WideningList(BaseModel):
    """The widenings waiting for confirmation that the caller may see, oldest first."""

    items: list[WideningRead]


class WorkspaceRead(BaseModel):
    """The workspace as the caller sees it: its title, their place, and their view's counts."""

    slug: str
    title: str
    party: str
    role: str
    clearances: list[str]
    counts: dict[str, int]
