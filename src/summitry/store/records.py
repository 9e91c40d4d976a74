"""Writing plan records: create, update and delete, checked against the writer's view only.

Every write locks the workspace (writes to one workspace are serialised), checks the new body
with the domain model of its collection, turns the slugs its links name into record ids
within the writer's view, refuses links that narrow, and after the write checks the writer's
whole view again (so a dependency cycle cannot be raced in). A stale revision is a conflict
that shows the other edit, never a silent overwrite. Services flush; the boundary commits.

A write that leaves a dangling link in a record the writer cannot see still succeeds: that
record's readers see it in their ``validate`` and the analyses leave the link out.

Who may write what is :func:`~summitry.access.policy.can_write`: a party's editors write what
their party owns; any party's editors edit (but do not delete) joint material, and delete it
only when nobody owns it; a record released to other parties stays its owner's. A record a
party creates is that party's (``owned_by`` is written down where its readers do not say so).
A change of label is not an edit: :mod:`summitry.store.releases` widens and withdraws labels.

Reads for the API are here too: a view's records as stored rows, and a record's history (each
revision has its own label, so a reader sees exactly the revisions they could read).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from summitry.access.labels import Label, label_of, owning_party
from summitry.access.policy import Principal, WriteAction, can_read, can_write
from summitry.access.sql import decode_label, encode_compartments, encode_readers, readable
from summitry.access.views import named_ids, rename_ids
from summitry.domain.base import JOINT, Record, clip
from summitry.domain.catalogue import ANY, COLLECTIONS, HELD, Link
from summitry.domain.checks import suggest
from summitry.domain.plan import record_type
from summitry.domain.summit import DEFAULT_STATUSES
from summitry.errors import InputError, PlanError, Problem, SummitryError
from summitry.io import planfile
from summitry.store.audit import Keyring, append
from summitry.store.loading import record_change, write_row
from summitry.store.schema import RecordRow, RevisionRow, WideningRow, Workspace, new_id
from summitry.store.views import SINGLE, Assembly, assemble, links_by_collection
from summitry.store.workspaces import lock_for_write

_LINKS = links_by_collection()
_BUILT_IN = frozenset(status.id for status in DEFAULT_STATUSES)


class NotFoundError(SummitryError):
    """No record of that id in the writer's view: a missing and a hidden record look alike."""


class ForbiddenError(InputError):
    """The writer may read the record (or label) but may not make this change: the API's 403.

    Only ever raised about what the writer can see, so it tells them nothing new.
    """


class ConflictError(SummitryError):
    """The record changed since the writer read it; carries what it is now."""

    def __init__(self, message: str, revision: int, current: dict[str, Any] | None) -> None:
        """Keep the current revision and body (as the writer may see them)."""
        super().__init__(message)
        self.revision = revision
        self.current = current


@dataclass(frozen=True)
class Written:
    """A record as written: its id, slug in the writer's view, and new revision.

    ``view`` is the writer's view after the write (assembled to check it), so an answer can
    show the record as the writer now sees it without assembling the view again.
    """

    id: str
    collection: str
    slug: str
    revision: int
    view: Assembly | None = field(default=None, compare=False, repr=False)


def records_collection(collection: str) -> str:
    """``collection`` if it is a collection of records, else :class:`NotFoundError` saying why.

    The plan's single settings tables (``summit``, ``forecast``, …) are not records; an unknown
    name gets a "did you mean" from the catalogue (which every reader knows).
    Usage: ``records_collection("tasks")``.
    """
    if collection in SINGLE:
        raise NotFoundError(
            f"'{collection}' is one of the plan's settings, not a collection of records; it is "
            "changed with its own command"
        )
    if collection not in COLLECTIONS:
        raise NotFoundError(f"no collection '{clip(collection)}'{suggest(collection, COLLECTIONS)}")
    return collection


def create_record(
    session: Session,
    keys: Keyring,
    workspace: Workspace,
    principal: Principal,
    collection: str,
    slug: str,
    body: dict[str, Any],
    *,
    actor: str,
    record_id: str | None = None,
) -> Written:
    """Add a record to a workspace as ``principal``; ``body`` names links by slug.

    Usage: ``create_record(session, keys, ws, Principal.of("russia"), "tasks", "visa",
    {"name": "Visas", "workstream": "logistics", "estimate": [1, 2, 4]}, actor="alice")``.
    """
    records_collection(collection)
    lock_for_write(session, workspace)
    before = assemble(session, workspace, principal)
    record = _validated(collection, slug, body)
    party = principal.party
    if (
        party is not None
        and collection not in HELD
        and "owned_by" not in body
        and owning_party(collection, record) != party
    ):
        # The record is the creating party's (its readers alone would say another, or none).
        body = {**body, "owned_by": party}
        record = _validated(collection, slug, body)
    label, owner = _writable(principal, collection, record, "create")
    _named_parties_known(before, collection, slug, label)
    if session.scalar(
        select(RecordRow.id).where(
            RecordRow.workspace_id == workspace.id,
            RecordRow.collection == collection,
            RecordRow.owner == (owner or ""),
            RecordRow.readers == encode_readers(label),
            RecordRow.compartments == encode_compartments(label.compartments),
            RecordRow.slug == slug,
        )
    ):
        raise InputError(
            f"{collection}.{slug}: your delegation already has a {_noun(collection)} with this "
            "id and label"
        )
    stored = _stored(before, collection, slug, body, label)
    row = RecordRow(
        id=record_id or new_id(),
        collection=collection,
        slug=slug,
        owner=owner or "",
        position=_next_position(session, workspace),
        body=stored,
        revision=1,
    )
    write_row(session, keys, workspace, row, label, actor=actor, action="create")
    return _checked(session, workspace, principal, row)


def update_record(
    session: Session,
    keys: Keyring,
    workspace: Workspace,
    principal: Principal,
    record_id: str,
    body: dict[str, Any],
    revision: int,
    *,
    actor: str,
    collection: str | None = None,
) -> Written:
    """Replace a record's body, if ``revision`` is still its revision (else :class:`ConflictError`).

    The label may not change here: a release is its own use case (a second editor confirms).
    A body that leaves ``owned_by`` out keeps the record's owner.
    Usage: ``update_record(session, keys, ws, principal, rid, body, 3, actor="alice")``.
    """
    lock_for_write(session, workspace)
    before = assemble(session, workspace, principal)
    row = visible_row(before, record_id, collection)
    return _replace(
        session, keys, workspace, principal, before, row, body, revision, actor, "update"
    )


def restore_record(
    session: Session,
    keys: Keyring,
    workspace: Workspace,
    principal: Principal,
    record_id: str,
    revision: int,
    current_revision: int,
    *,
    actor: str,
    collection: str | None = None,
) -> Written:
    """Write an earlier revision's body as a new revision, if ``current_revision`` is current.

    Only a revision the writer may read can be restored (another looks missing), and the record
    keeps its label as it is now: restoring content never releases or withdraws it.
    Usage: ``restore_record(session, keys, ws, principal, rid, 2, 5, actor="alice")``.
    """
    lock_for_write(session, workspace)
    before = assemble(session, workspace, principal)
    row = visible_row(before, record_id, collection)
    old = session.scalar(
        select(RevisionRow).where(
            RevisionRow.workspace_id == workspace.id,
            RevisionRow.record_id == row.id,
            RevisionRow.revision == revision,
            readable(principal, RevisionRow.readers, RevisionRow.compartments),
        )
    )
    if old is None:
        raise NotFoundError(f"no revision {revision} of record '{clip(record_id)}'")
    if old.body is None:
        raise InputError(
            f"revision {revision} is the record's deletion; there is no body to restore"
        )
    body = view_body(before, row.collection, old.body)
    current = _current_body(before, row)
    for key in ("visibility", "compartments", "owned_by"):
        body.pop(key, None)
        if key in current:
            body[key] = current[key]
    return _replace(
        session, keys, workspace, principal, before, row, body, current_revision, actor, "restore"
    )


def _replace(
    session: Session,
    keys: Keyring,
    workspace: Workspace,
    principal: Principal,
    before: Assembly,
    row: RecordRow,
    body: dict[str, Any],
    revision: int,
    actor: str,
    action: str,
) -> Written:
    """Write ``body`` over a row of the writer's view: the checks of an edit, then the write."""
    slug = before.slugs[row.id]
    # May they change it at all? Asked first, so one who may not is told so, not of a conflict.
    _writable(
        principal,
        row.collection,
        _validated(row.collection, slug, _current_body(before, row)),
        "edit",
    )
    check_fresh(before, row, revision)
    record = _validated(row.collection, slug, body)
    if "owned_by" not in body and row.owner and owning_party(row.collection, record) != row.owner:
        # Leaving the owner out of an edit does not give the record away.
        body = {**body, "owned_by": row.owner}
        record = _validated(row.collection, slug, body)
    label, owner = _writable(principal, row.collection, record, "edit")
    old = decode_label(row.readers, row.compartments)
    if label != old or (owner or "") != row.owner:
        raise InputError(
            f"{row.collection}.{slug}: a change of readers or owner is a release, not an edit "
            f"(now {old.describe()}); widen or withdraw the label instead"
        )
    row.body = _stored(before, row.collection, slug, body, label)
    row.revision += 1
    cancel_widenings(session, row.id)
    write_row(session, keys, workspace, row, label, actor=actor, action=action)
    return _checked(session, workspace, principal, row)


def relabel(
    session: Session,
    keys: Keyring,
    workspace: Workspace,
    principal: Principal,
    view: Assembly,
    row: RecordRow,
    label: Label,
    *,
    actor: str,
    action: str,
    check_only: bool = False,
) -> Written | None:
    """Give a record of the writer's view a new label, its owner kept, as a new revision.

    The rules of who may are the caller's (:mod:`summitry.store.releases`); this keeps links
    from narrowing both ways: every record the body names must be readable by all the new
    readers, and every record of the writer's view that names this one must still be readable
    where this one is. Earlier revisions keep their own labels. With ``check_only`` nothing is
    written (a request is checked as its confirmation will be).
    Usage: ``relabel(session, keys, ws, principal, view, row, Label(frozenset({"russia"})),
    actor="alice", action="withdraw")``.
    """
    slug = view.slugs[row.id]
    _named_parties_known(view, row.collection, slug, label)
    body = _relabelled(row.collection, slug, _current_body(view, row), label, row.owner)
    stored = _stored(view, row.collection, slug, body, label)
    naming = [
        f"{other.collection}.{view.slugs[other.id]}.{link.field}"
        for other in view.rows.values()
        if other.id != row.id and not label.covers(decode_label(other.readers, other.compartments))
        for link in _LINKS.get(other.collection, ())
        if any(target == row.id for _, target in named_ids(link, other.body.get(link.field)))
    ]
    if naming:
        raise InputError(
            f"{row.collection}.{slug}: {', '.join(naming[:5])}"
            f"{' and more' if len(naming) > 5 else ''} would then name a record some of their "
            f"readers may not read ({label.describe()}); change those first"
        )
    if check_only:
        return None
    row.body = stored
    row.revision += 1
    cancel_widenings(session, row.id)
    write_row(session, keys, workspace, row, label, actor=actor, action=action)
    return _checked(session, workspace, principal, row)


def _relabelled(
    collection: str, slug: str, body: dict[str, Any], label: Label, owner: str
) -> dict[str, Any]:
    """``body`` with the label's fields saying ``label``, and ``owner`` still its owner."""
    out = dict(body)
    if label.readers is None:
        out["visibility"] = JOINT
    else:
        # The owner first: a list's first reader is its owner when owned_by is not written.
        readers = sorted(label.readers, key=lambda party: (party != owner, party))
        out["visibility"] = readers[0] if len(readers) == 1 else readers
    if label.compartments:
        out["compartments"] = sorted(label.compartments)
    else:
        out.pop("compartments", None)
    record = _validated(collection, slug, out)
    if owner and owning_party(collection, record) != owner:
        out["owned_by"] = owner
    return out


def cancel_widenings(session: Session, record_id: str) -> None:
    """Drop the pending widenings of a record: each was asked for the record as it was.

    Usage: ``cancel_widenings(session, row.id)`` when the record changes or goes.
    """
    session.execute(
        delete(WideningRow)
        .where(WideningRow.record_id == record_id)
        .execution_options(synchronize_session=False)
    )


def delete_record(
    session: Session,
    keys: Keyring,
    workspace: Workspace,
    principal: Principal,
    record_id: str,
    revision: int,
    *,
    actor: str,
    collection: str | None = None,
) -> None:
    """Delete a record, if ``revision`` is still its revision.

    Refused while the writer's view still names it; links in records the writer cannot see do
    not stop it.

    Usage: ``delete_record(session, keys, ws, principal, rid, 3, actor="alice")``.
    """
    lock_for_write(session, workspace)
    before = assemble(session, workspace, principal)
    row = visible_row(before, record_id, collection)
    slug = before.slugs[row.id]
    _writable(
        principal,
        row.collection,
        _validated(row.collection, slug, _current_body(before, row)),
        "delete",
    )
    check_fresh(before, row, revision)
    naming = [
        f"{other.collection}.{before.slugs[other.id]}.{link.field}"
        for other in before.rows.values()
        for link in _LINKS.get(other.collection, ())
        if any(target == row.id for _, target in named_ids(link, other.body.get(link.field)))
    ]
    if naming:
        raise InputError(
            f"{row.collection}.{slug}: still named by {', '.join(naming[:5])}"
            f"{' and more' if len(naming) > 5 else ''}; change those first"
        )
    label = decode_label(row.readers, row.compartments)
    cancel_widenings(session, row.id)
    record_change(session, keys, workspace, row, label, actor=actor, action="delete", body=None)
    session.delete(row)
    session.flush()


def _noun(collection: str) -> str:
    return COLLECTIONS.get(collection, collection)


def _validated(collection: str, slug: str, body: dict[str, Any]) -> Record:
    """The record the body describes, or our one-line wording of what is wrong with it."""
    records_collection(collection)
    try:
        return record_type(collection).model_validate({**body, "id": slug})
    except ValidationError:
        problems = planfile.data_problems({"summit": {"title": "-"}, collection: {slug: body}})
        own = [p for p in problems if p.path[:2] == (collection, slug)] or problems
        raise PlanError(own or [Problem((collection, slug), "invalid record")]) from None


def _writable(
    principal: Principal, collection: str, record: Record, action: WriteAction
) -> tuple[Label, str | None]:
    """The record's label and owner, if ``principal`` may ``action`` it (else a refusal)."""
    label, owner = label_of(record), owning_party(collection, record)
    where = f"{collection}.{record.id}"
    if collection == "parties" and not principal.is_keeper:
        # Parties are who may read what: the operator sets them up (load, or the keeper).
        raise ForbiddenError(f"{where}: parties are set up by the workspace's operator")
    if can_write(principal, label, owner, action=action):
        return label, owner
    if principal.party is None:
        raise ForbiddenError(f"{where}: only a delegation (or the keeper) writes records")
    if not can_read(principal, label):
        raise ForbiddenError(
            f"{where}: you may not write a record you could not read ({label.describe()})"
        )
    if action == "delete" and label.readers is None:
        raise ForbiddenError(
            f"{where}: a joint record may be edited by every delegation but deleted only by its "
            f"owner, '{owner}'"
        )
    raise ForbiddenError(f"{where}: it belongs to '{owner}'; only that party may change it")


def _named_parties_known(view: Assembly, collection: str, slug: str, label: Label) -> None:
    """Refuse a label naming a party that the writer, or another of its readers, cannot see.

    The label is shown to every reader (and names the audit chain they see): it may name only
    parties all of them may know of. The writer sees both, so the refusal tells them nothing.
    """
    for party in sorted(label.readers or ()):
        rid = view.id_of("parties", party)
        if rid is None:
            raise InputError(f"{collection}.{slug}.visibility: no party '{clip(party)}'")
        known = decode_label(view.rows[rid].readers, view.rows[rid].compartments)
        if not known.covers(label):
            raise InputError(
                f"{collection}.{slug}.visibility: party '{party}' may be read by "
                f"{known.describe()}, this record by {label.describe()}: a label may name only "
                "parties all its readers know of"
            )


def visible_row(view: Assembly, record_id: str, collection: str | None = None) -> RecordRow:
    """The row of a record of the writer's view; :class:`NotFoundError` if the view has none.

    With ``collection``, a record of another collection is not found either (an id in a URL
    under the wrong collection looks like a missing one).
    Usage: ``row = visible_row(assemble(session, ws, principal), rid, "tasks")``.
    """
    row = view.rows.get(record_id)
    if row is None or (collection is not None and row.collection != collection):
        raise NotFoundError(f"no record '{clip(record_id)}' in this workspace")
    return row


def check_fresh(view: Assembly, row: RecordRow, revision: int) -> None:
    """:class:`ConflictError`, showing the other edit, unless ``revision`` is the row's revision.

    Usage: ``check_fresh(view, row, request.revision)``.
    """
    if row.revision != revision:
        raise ConflictError(
            f"{row.collection}.{view.slugs[row.id]}: changed by {row.author} since you read it "
            f"(now revision {row.revision}, yours {revision}); review their edit and try again",
            row.revision,
            _current_body(view, row),
        )


def _current_body(view: Assembly, row: RecordRow) -> dict[str, Any]:
    """A row's body as the view spells it (slugs, not ids)."""
    if row.collection in view.data and isinstance(view.data[row.collection], dict):
        found = view.data[row.collection].get(view.slugs[row.id])
        if isinstance(found, dict):
            return dict(found)
    return dict(row.body)


def _stored(
    view: Assembly, collection: str, slug: str, body: dict[str, Any], label: Label
) -> dict[str, Any]:
    """The body with link slugs turned into ids of the writer's view.

    Refuses ids the view does not hold, and links that narrow.
    """
    from pydantic_core import to_jsonable_python

    stored = dict(body)
    stored.pop("id", None)
    for link in _LINKS.get(collection, ()):
        if link.field not in stored:
            continue
        stored[link.field] = rename_ids(
            link, stored[link.field], _resolver(view, collection, slug, link, label)
        )
    jsonable: dict[str, Any] = to_jsonable_python(stored)
    return jsonable


def _resolver(view: Assembly, collection: str, slug: str, link: Link, label: Label) -> Any:
    names = tuple(COLLECTIONS) if link.targets == ANY else link.targets

    def resolve(target: str) -> str:
        if link.targets == ("statuses",) and target in _BUILT_IN:
            return target  # named by id: each view decides which status record it means
        for name in names:
            rid = view.id_of(name, target)
            if rid is not None:
                target_label = decode_label(view.rows[rid].readers, view.rows[rid].compartments)
                if not target_label.covers(label):
                    raise PlanError(
                        [
                            Problem(
                                (collection, slug, link.field),
                                f"{link.noun} '{target}' may be read by "
                                f"{target_label.describe()}, this record by {label.describe()}: "
                                "a record may link only to records all its readers can read",
                            )
                        ]
                    )
                return rid
        if link.targets == ("statuses",) and target in _BUILT_IN:
            return target
        known = [s for rid, s in view.slugs.items() if view.rows[rid].collection in names]
        raise PlanError(
            [
                Problem(
                    (collection, slug, link.field),
                    f"no {link.noun} '{clip(target)}'{suggest(target, known)}",
                )
            ]
        )

    return resolve


def _next_position(session: Session, workspace: Workspace) -> int:
    from sqlalchemy import func

    top = session.scalar(
        select(func.max(RecordRow.position)).where(RecordRow.workspace_id == workspace.id)
    )
    return (top or 0) + 1


def _checked(
    session: Session, workspace: Workspace, principal: Principal, row: RecordRow
) -> Written:
    """Check the writer's whole view after the write; a problem undoes it (at the boundary)."""
    session.flush()
    after = assemble(session, workspace, principal)
    try:
        planfile.from_data(after.data, "", f"workspace {workspace.slug}")
    except PlanError as err:
        raise PlanError(err.problems) from None
    return Written(
        row.id, row.collection, after.slugs.get(row.id, row.slug), row.revision, view=after
    )


# ---------------------------------------------------------------------------------------------
# Reading records and their history as one principal
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredRecord:
    """A record of a reader's view: its row's facts, its label and its body as the view has it.

    ``label`` and ``owner`` name only parties the view holds, as the body's fields do.
    """

    id: str
    collection: str
    slug: str
    revision: int
    label: Label
    owner: str | None
    body: dict[str, Any]
    author: str
    updated_at: dt.datetime


@dataclass(frozen=True)
class StoredRevision:
    """One revision of a record that the reader may read, with the label it had then.

    ``body`` is None for the revision that deleted the record.
    """

    revision: int
    label: Label
    owner: str | None
    body: dict[str, Any] | None
    author: str
    at: dt.datetime


def view_records(view: Assembly, collection: str) -> list[StoredRecord]:
    """The records of one collection in a reader's view, in the view's order.

    Usage: ``view_records(assemble(session, ws, principal), "tasks")[:50]``.
    """
    ids = {slug: rid for rid, slug in view.slugs.items() if view.rows[rid].collection == collection}
    table = view.data.get(collection, {})
    return [_stored_record(view, view.rows[ids[slug]]) for slug in table if slug in ids]


def view_record(view: Assembly, collection: str, record_id: str) -> StoredRecord:
    """One record of a reader's view; :class:`NotFoundError` if the view has no such record.

    A record of another collection, a hidden record and a missing one look alike.
    Usage: ``view_record(assemble(session, ws, principal), "tasks", rid).body["name"]``.
    """
    row = view.rows.get(record_id)
    if row is None or row.collection != collection:
        raise NotFoundError(f"no record '{clip(record_id)}' in this workspace")
    return _stored_record(view, row)


def record_history(
    session: Session,
    workspace: Workspace,
    principal: Principal,
    view: Assembly,
    record_id: str,
    collection: str | None = None,
) -> list[StoredRevision]:
    """The revisions of a record that ``principal`` may read, oldest first.

    Each revision keeps the label it was written under, so a record widened later shows its
    earlier revisions only to their own readers. None readable (or, with ``collection``, the
    record is of another collection): :class:`NotFoundError`, word for word as for a record
    that never was. Bodies are spelt as ``view`` spells links.
    Usage: ``record_history(session, ws, principal, view, rid, "tasks")[-1].body``.
    """
    rows = list(
        session.scalars(
            select(RevisionRow)
            .where(
                RevisionRow.workspace_id == workspace.id,
                RevisionRow.record_id == record_id,
                readable(principal, RevisionRow.readers, RevisionRow.compartments),
            )
            .order_by(RevisionRow.revision)
        )
    )
    if not rows or (collection is not None and rows[0].collection != collection):
        raise NotFoundError(f"no record '{clip(record_id)}' in this workspace")
    parties = _view_parties(view)
    return [
        StoredRevision(
            revision=row.revision,
            label=_trimmed(decode_label(row.readers, row.compartments), parties),
            owner=row.owner if row.owner in parties else None,
            body=None if row.body is None else view_body(view, row.collection, row.body),
            author=row.author,
            at=row.at,
        )
        for row in rows
    ]


def view_body(view: Assembly, collection: str, body: dict[str, Any]) -> dict[str, Any]:
    """A stored body spelt as ``view`` spells records: ids become slugs, hidden ones go.

    Links to records the view does not hold are left out (an old revision may name a record
    since hidden or deleted), as are parties the view does not know in the label's fields.
    Usage: ``view_body(view, "tasks", revision.body)``.
    """

    def rename(rid: str) -> str | None:
        if rid in view.slugs:
            return view.slugs[rid]
        return rid if rid in _BUILT_IN else None

    out = dict(body)
    for link in _LINKS.get(collection, ()):
        if link.field in out:
            renamed = rename_ids(link, out[link.field], rename)
            if renamed is None:
                del out[link.field]
            else:
                out[link.field] = renamed
    parties = _view_parties(view)
    visibility = out.get("visibility")
    if isinstance(visibility, list):
        out["visibility"] = [p for p in visibility if p in parties]
    if out.get("owned_by") is not None and out["owned_by"] not in parties:
        del out["owned_by"]
    return out


def audit_reads(
    session: Session,
    keys: Keyring,
    workspace: Workspace,
    reads: Iterable[tuple[str, Label]],
    *,
    actor: str,
) -> None:
    """Audit reads of compartmented material: one entry per object read, in its label's chain.

    ``reads`` are (object reference, label) pairs — ``("tasks/<id>", label)``; those without a
    compartment are not audited. Runs in the reading transaction (a write one for a cleared
    reader), so the entry lands with the read or not at all.
    Usage: ``audit_reads(session, keys, ws, [(f"notes/{r.id}", r.label) for r in page],
    actor="alice (united-states) as united-states")``.
    """
    for object_ref, label in reads:
        if label.compartments:
            append(
                session,
                keys,
                workspace.id,
                label,
                actor=actor,
                action="read",
                object_ref=object_ref,
            )


def _stored_record(view: Assembly, row: RecordRow) -> StoredRecord:
    parties = _view_parties(view)
    return StoredRecord(
        id=row.id,
        collection=row.collection,
        slug=view.slugs[row.id],
        revision=row.revision,
        label=_trimmed(decode_label(row.readers, row.compartments), parties),
        owner=row.owner if row.owner in parties else None,
        body=_current_body(view, row),
        author=row.author,
        updated_at=row.updated_at,
    )


def _view_parties(view: Assembly) -> set[str]:
    parties = view.data.get("parties", {})
    return set(parties) if isinstance(parties, dict) else set()


def _trimmed(label: Label, parties: set[str]) -> Label:
    """A label naming only the parties a view holds (as the view's ``visibility`` fields do)."""
    if label.readers is None:
        return label
    return Label(frozenset(p for p in label.readers if p in parties), label.compartments)
