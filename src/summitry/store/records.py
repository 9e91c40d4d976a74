"""Writing plan records: create, update and delete, checked against the writer's view only.

Every write locks the workspace (writes to one workspace are serialised), checks the new body
with the domain model of its collection, turns the slugs its links name into record ids
within the writer's view, refuses links that narrow, and after the write checks the writer's
whole view again (so a dependency cycle cannot be raced in). A stale revision is a conflict
that shows the other edit, never a silent overwrite. Services flush; the boundary commits.

A write that leaves a dangling link in a record the writer cannot see still succeeds: that
record's readers see it in their ``validate`` and the analyses leave the link out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from summitry.access.labels import Label, label_of, owning_party
from summitry.access.policy import Principal, can_read, can_write
from summitry.access.sql import decode_label, encode_compartments, encode_readers
from summitry.access.views import named_ids
from summitry.domain.base import Record, clip
from summitry.domain.catalogue import ANY, COLLECTIONS, SETTINGS, Link
from summitry.domain.checks import suggest
from summitry.domain.plan import record_type
from summitry.domain.summit import DEFAULT_STATUSES
from summitry.errors import InputError, PlanError, Problem, SummitryError
from summitry.io import planfile
from summitry.store.audit import Keyring
from summitry.store.loading import write_row
from summitry.store.schema import RecordRow, RevisionRow, Workspace, new_id, now
from summitry.store.views import Assembly, assemble, links_by_collection
from summitry.store.workspaces import lock_for_write

_LINKS = links_by_collection()
_BUILT_IN = frozenset(status.id for status in DEFAULT_STATUSES)


class NotFoundError(SummitryError):
    """No record of that id in the writer's view: a missing and a hidden record look alike."""


class ConflictError(SummitryError):
    """The record changed since the writer read it; carries what it is now."""

    def __init__(self, message: str, revision: int, current: dict[str, Any] | None) -> None:
        """Keep the current revision and body (as the writer may see them)."""
        super().__init__(message)
        self.revision = revision
        self.current = current


@dataclass(frozen=True)
class Written:
    """A record as written: its id, slug in the writer's view, and new revision."""

    id: str
    collection: str
    slug: str
    revision: int


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
    _known_collection(collection)
    lock_for_write(session, workspace)
    before = assemble(session, workspace, principal)
    record = _validated(collection, slug, body)
    label, owner = _writable(principal, collection, record)
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
) -> Written:
    """Replace a record's body, if ``revision`` is still its revision (else :class:`ConflictError`).

    The label may not change here: a release is its own use case (a second editor confirms).
    Usage: ``update_record(session, keys, ws, principal, rid, body, 3, actor="alice")``.
    """
    lock_for_write(session, workspace)
    before = assemble(session, workspace, principal)
    row = _visible_row(before, record_id)
    slug = before.slugs[row.id]
    _fresh(before, row, revision)
    record = _validated(row.collection, slug, body)
    label, owner = _writable(principal, row.collection, record)
    old = decode_label(row.readers, row.compartments)
    if label != old or (owner or "") != row.owner:
        raise InputError(
            f"{row.collection}.{slug}: a change of readers or owner is a release, not an edit "
            f"(now {old.describe()})"
        )
    _writable(
        principal, row.collection, _validated(row.collection, slug, _current_body(before, row))
    )
    row.body = _stored(before, row.collection, slug, body, label)
    row.revision += 1
    write_row(session, keys, workspace, row, label, actor=actor, action="update")
    return _checked(session, workspace, principal, row)


def delete_record(
    session: Session,
    keys: Keyring,
    workspace: Workspace,
    principal: Principal,
    record_id: str,
    revision: int,
    *,
    actor: str,
) -> None:
    """Delete a record, if ``revision`` is still its revision.

    Refused while the writer's view still names it; links in records the writer cannot see do
    not stop it.

    Usage: ``delete_record(session, keys, ws, principal, rid, 3, actor="alice")``.
    """
    from summitry.store.audit import append

    lock_for_write(session, workspace)
    before = assemble(session, workspace, principal)
    row = _visible_row(before, record_id)
    slug = before.slugs[row.id]
    _fresh(before, row, revision)
    _writable(
        principal, row.collection, _validated(row.collection, slug, _current_body(before, row))
    )
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
    session.add(
        RevisionRow(
            id=new_id(),
            workspace_id=workspace.id,
            record_id=row.id,
            collection=row.collection,
            slug=row.slug,
            owner=row.owner,
            readers=row.readers,
            compartments=row.compartments,
            revision=row.revision + 1,
            body=None,
            author=actor,
            at=now(),
        )
    )
    append(
        session,
        keys,
        workspace.id,
        label,
        actor=actor,
        action="delete",
        object_ref=f"{row.collection}/{row.id}",
    )
    session.delete(row)
    session.flush()


def _known_collection(collection: str) -> None:
    if collection not in COLLECTIONS:
        raise InputError(f"no collection '{clip(collection)}'{suggest(collection, COLLECTIONS)}")


def _noun(collection: str) -> str:
    return COLLECTIONS.get(collection, collection)


def _validated(collection: str, slug: str, body: dict[str, Any]) -> Record:
    """The record the body describes, or our one-line wording of what is wrong with it."""
    if collection in SETTINGS or collection == "summit":
        raise InputError(f"{collection}: the plan's settings are changed with their own command")
    try:
        return record_type(collection).model_validate({**body, "id": slug})
    except ValidationError:
        problems = planfile.data_problems({"summit": {"title": "-"}, collection: {slug: body}})
        own = [p for p in problems if p.path[:2] == (collection, slug)] or problems
        raise PlanError(own or [Problem((collection, slug), "invalid record")]) from None


def _writable(principal: Principal, collection: str, record: Record) -> tuple[Label, str | None]:
    """The record's label and owner, if ``principal`` may write it (else a one-line refusal)."""
    label, owner = label_of(record), owning_party(collection, record)
    where = f"{collection}.{record.id}"
    if collection == "parties" and not principal.is_keeper:
        # Parties are who may read what: the operator sets them up (load, or the keeper).
        raise InputError(f"{where}: parties are set up by the workspace's operator")
    if can_write(principal, label, owner):
        return label, owner
    if principal.party is None:
        raise InputError(f"{where}: only a delegation (or the keeper) writes records")
    if not can_read(principal, label):
        raise InputError(
            f"{where}: you may not write a record you could not read ({label.describe()})"
        )
    raise InputError(f"{where}: it belongs to '{owner}'; only that party may change it")


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


def _visible_row(view: Assembly, record_id: str) -> RecordRow:
    row = view.rows.get(record_id)
    if row is None:
        raise NotFoundError(f"no record '{clip(record_id)}' in this workspace")
    return row


def _fresh(view: Assembly, row: RecordRow, revision: int) -> None:
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

    from summitry.access.views import rename_ids

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
                    raise InputError(
                        f"{collection}.{slug}.{link.field}: {link.noun} '{target}' may be read by "
                        f"{target_label.describe()}, this record by {label.describe()}: a record "
                        "may link only to records all its readers can read"
                    )
                return rid
        if link.targets == ("statuses",) and target in _BUILT_IN:
            return target
        known = [s for rid, s in view.slugs.items() if view.rows[rid].collection in names]
        raise InputError(
            f"{collection}.{slug}.{link.field}: no {link.noun} '{clip(target)}'"
            + suggest(target, known)
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
    return Written(row.id, row.collection, after.slugs.get(row.id, row.slug), row.revision)
