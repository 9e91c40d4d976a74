"""Loading a plan file into a workspace, labels and owners kept.

The file is checked as the keeper's whole plan first, so nothing is written when it has a
problem. Links that narrow (a joint record naming one only some of its readers may read) are
dropped with a warning naming each; a record that cannot stand without such a link keeps it and
is labelled for the readers who may follow it (the others' views left it out anyway): the store
never holds a link its readers could not follow. A label is treated alike: a
party among a record's readers (or its owner) that some of the other readers may not know of
is left out of it, with a warning, since the label itself would name that party to them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from summitry.access.labels import Label, label_of, owning_party, raw_label
from summitry.access.sql import encode_compartments, encode_readers
from summitry.access.views import named_ids, narrowing_links, rename_ids
from summitry.domain.base import JOINT
from summitry.domain.catalogue import ANY, COLLECTIONS, HELD, LINKS, SUMMIT
from summitry.domain.plan import Plan
from summitry.domain.summit import DEFAULT_STATUSES
from summitry.errors import InputError, PlanError, Problem
from summitry.io import planfile
from summitry.store.audit import Keyring, append
from summitry.store.schema import RecordRow, RevisionRow, Workspace, new_id, now
from summitry.store.views import SINGLE, links_by_collection
from summitry.store.workspaces import create_workspace, lock_for_write

IdMaker = Callable[[str, str], str]
"""Gives the id of a record from its collection and slug (tests seed it; by default random)."""


@dataclass(frozen=True)
class Loaded:
    """What a load wrote: the workspace, records by collection, and the links it dropped."""

    workspace: Workspace
    counts: dict[str, int]
    warnings: tuple[Problem, ...]


def load_plan(
    session: Session,
    keys: Keyring,
    text: str,
    source: str,
    workspace_name: str,
    *,
    actor: str,
    make_id: IdMaker | None = None,
) -> Loaded:
    """Write the plan in ``text`` into a new (or empty) workspace; the caller commits.

    Usage: ``load_plan(session, keys, Path("summit.toml").read_text(), "summit.toml", "demo",
    actor="operator")``.
    """
    data, _ = planfile.upgrade_data(planfile.parse_toml(text, source))
    plan = planfile.from_data(data, text, source)
    warnings = planfile.locate(narrowing_links(data), text, source)
    plan = _without_narrowing(plan, warnings, source)
    make_id = make_id or (lambda _collection, _slug: new_id())
    workspace = _empty_workspace(
        session, workspace_name, plan.summit.title, make_id("workspaces", workspace_name)
    )
    lock_for_write(session, workspace)
    canonical = planfile.to_data(plan)
    ids: dict[str, dict[str, str]] = {
        name: {slug: make_id(name, slug) for slug in canonical.get(name, {})}
        for name in COLLECTIONS
    }
    for name in SINGLE:
        if name in canonical:
            ids[name] = {name: make_id(name, name)}
    counts: dict[str, int] = {}
    position = 0
    for name in (*SINGLE, *COLLECTIONS):
        if name not in canonical:
            continue
        records = {name: canonical[name]} if name in SINGLE else canonical[name]
        for slug, body in records.items():
            position += 1
            record = None if name in SINGLE else getattr(plan, name)[slug]
            label = Label() if record is None else label_of(record)
            owner = None if record is None else owning_party(name, record)
            write_row(
                session,
                keys,
                workspace,
                RecordRow(
                    id=ids[name][slug],
                    collection=name,
                    slug=slug,
                    owner=owner or "",
                    position=position,
                    body=to_stored(name, body, ids),
                ),
                label,
                actor=actor,
                action="load",
            )
            counts[name] = counts.get(name, 0) + 1
    session.flush()
    return Loaded(workspace, counts, tuple(warnings))


def write_row(
    session: Session,
    keys: Keyring,
    workspace: Workspace,
    row: RecordRow,
    label: Label,
    *,
    actor: str,
    action: str,
) -> None:
    """Add or replace a record row with its label, its revision and its audit entry.

    Usage: ``write_row(session, keys, workspace, row, label, actor="alice", action="create")``.
    """
    row.workspace_id = workspace.id
    row.readers = encode_readers(label)
    row.compartments = encode_compartments(label.compartments)
    row.author = actor
    row.updated_at = now()
    row.revision = row.revision or 1
    session.add(row)
    record_change(session, keys, workspace, row, label, actor=actor, action=action, body=row.body)


def record_change(
    session: Session,
    keys: Keyring,
    workspace: Workspace,
    row: RecordRow,
    label: Label,
    *,
    actor: str,
    action: str,
    body: dict[str, Any] | None,
) -> None:
    """Keep one change of a record: its revision (``body`` None for a deletion) and audit entry.

    A written row's revision is the row's own; a deletion is the revision after the last.
    Usage: ``record_change(session, keys, ws, row, label, actor="alice", action="delete",
    body=None)``.
    """
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
            revision=row.revision if body is not None else row.revision + 1,
            body=body,
            author=actor,
            at=row.updated_at if body is not None else now(),
        )
    )
    append(
        session,
        keys,
        workspace.id,
        label,
        actor=actor,
        action=action,
        object_ref=f"{row.collection}/{row.id}",
    )


def to_stored(
    collection: str, body: dict[str, Any], ids: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """A record body with the slugs its links name turned into record ids.

    ``ids`` maps each collection's slugs to ids; a slug that names no record (a built-in
    status) stays as it is; dates become ISO text.
    Usage: ``to_stored("tasks", {"workstream": "venue"}, ids)``.
    """
    stored = dict(body)
    for link in _LINKS.get(collection, ()):
        if link.field not in stored:
            continue
        names = COLLECTIONS if link.targets == ANY else link.targets

        def rename(slug: str, names: Any = names, link: Any = link) -> str:
            if link.targets == ("statuses",) and slug in BUILT_IN_STATUSES:
                # A built-in status is named by its id: which record (if any) redefines it is
                # a matter of each reader's view, as in a plan file.
                return slug
            for name in names:
                if slug in ids.get(name, {}):
                    return ids[name][slug]
            return slug

        stored[link.field] = rename_ids(link, stored[link.field], rename)
    # JSON has no dates: they are stored as ISO text, which the models read back as dates.
    jsonable: dict[str, Any] = to_jsonable_python(stored)
    return jsonable


_LINKS = links_by_collection()
BUILT_IN_STATUSES = frozenset(status.id for status in DEFAULT_STATUSES)


def _without_narrowing(plan: Plan, warnings: list[Problem], source: str) -> Plan:
    """The plan as a workspace may hold it: no link, and no label, that narrows.

    An optional link some readers of its record could not follow is left out. A record that
    cannot stand without such a link (a joint task of a delegation's private workstream) is
    kept for the readers who may follow it: its label becomes the combination of its own and
    the target's — the readers its view was shown to anyway, since every other reader's view
    left it out. That may narrow others, so the check runs again until nothing narrows. A
    record left with no reader at all (only the keeper's view held it) is left out.
    """
    if not warnings:
        return plan
    data = planfile.to_data(plan)
    for _ in range(len(list(plan.records())) + 1):
        found = narrowing_links(data)
        if not found:
            break
        for warning in found:
            _mend(data, warning)
    try:
        return planfile.from_data(data, "", source)
    except PlanError as err:
        raise InputError(f"{source}: without the links that narrow, {err}") from None


def _mend(data: dict[str, Any], warning: Problem) -> None:
    """Take away the one narrowing the warning names (see :func:`_without_narrowing`)."""
    collection = str(warning.path[0])
    if collection == SUMMIT:
        raise InputError(
            f"{warning}: the summit table cannot name a record some parties may not read"
        )
    rid, field = str(warning.path[1]), str(warning.path[2])
    body = data[collection][rid]
    if field in ("visibility", "owned_by"):
        _drop_hidden_party(body, field, warning)
        return
    link = next(k for k in LINKS if k.collection == collection and k.field == field)
    targets = {
        t for sub, t in named_ids(link, body[field]) if (*warning.path[:3], *sub) == warning.path
    }
    if link.required:
        names = COLLECTIONS if link.targets == ANY else link.targets
        for target in targets:
            name = next(n for n in names if target in data.get(n, {}))
            _narrow(collection, body, raw_label(name, data[name][target]))
        if not _stands(collection, rid, body):
            _remove(data, collection, rid)
        return
    kept = rename_ids(link, body[field], _dropping(targets))
    if kept is None:
        del body[field]
    else:
        body[field] = kept


def _stands(collection: str, rid: str, body: dict[str, Any]) -> bool:
    """Whether a narrowed record still has a reader and is sound on its own.

    A position's holder, for one, must still be among its readers.
    """
    from pydantic import ValidationError

    from summitry.domain.plan import record_type

    readers = raw_label(collection, body).readers
    if readers == frozenset():
        return False
    if collection in HELD and readers is not None and body.get("held_by") not in readers:
        return False
    try:
        record_type(collection).model_validate({**body, "id": rid})
    except ValidationError:
        return False
    return True


def _remove(data: dict[str, Any], collection: str, rid: str) -> None:
    """Leave out a record no party could read with its link, and the links to it.

    Only the keeper's view of the file held it. A record that cannot stand without it goes
    too.
    """
    data[collection].pop(rid, None)
    for link in LINKS:
        if link.targets != ANY and collection not in link.targets:
            continue
        for other, body in list(data.get(link.collection, {}).items()):
            if not isinstance(body, dict) or link.field not in body:
                continue
            named = [t for _, t in named_ids(link, body[link.field])]
            if rid not in named:
                continue
            if link.required:
                _remove(data, link.collection, other)
                continue
            kept = rename_ids(link, body[link.field], _dropping({rid}))
            if kept is None:
                del body[link.field]
            else:
                body[link.field] = kept


def _narrow(collection: str, body: dict[str, Any], target: Label) -> None:
    """Give a record the combination of its label and ``target``'s (readers in common)."""
    own = raw_label(collection, body)
    both = own.combine(target)
    written = body.get("visibility", JOINT)
    if both.readers is None:
        body.pop("visibility", None)
    else:
        order = written if isinstance(written, list) else [written]
        ordered = [p for p in order if p in both.readers]
        ordered += sorted(both.readers - set(ordered))
        body["visibility"] = ordered[0] if len(ordered) == 1 else ordered
    if both.compartments:
        body["compartments"] = sorted(both.compartments)


def _drop_hidden_party(body: dict[str, Any], field: str, warning: Problem) -> None:
    """Leave out of a label a party some of the label's readers may not know of.

    The label's name would tell them of it (in every audit chain head they are shown, too).
    A record released to such a party alone keeps its label: dropping would leave no reader.
    """
    value = body.get(field)
    if field == "owned_by":
        body.pop(field, None)
    elif isinstance(value, list) and isinstance(warning.path[-1], int):
        party = value[warning.path[-1]]
        body[field] = [p for p in value if p != party]


def _dropping(targets: set[str]) -> Callable[[str], str | None]:
    def rename(rid: str) -> str | None:
        return None if rid in targets else rid

    return rename


def _empty_workspace(session: Session, name: str, title: str, new: str) -> Workspace:
    found = session.scalar(select(Workspace).where(Workspace.slug == name))
    if found is None:
        return create_workspace(session, name, title, workspace_id=new)
    held = session.scalar(
        select(func.count()).select_from(RecordRow).where(RecordRow.workspace_id == found.id)
    )
    if held:
        raise InputError(
            f"workspace '{name}' already holds a plan; load into a new workspace (or restore a "
            "backup)"
        )
    return found
