"""Loading a plan file into a workspace, labels and owners kept.

The file is checked as the keeper's whole plan first, so nothing is written when it has a
problem. Links that narrow (a joint record naming one only some of its readers may read) are
dropped with a warning naming each; a record that cannot stand without such a link is refused,
because the store never holds a link its readers could not follow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from summitry.access.labels import Label, label_of, owning_party
from summitry.access.sql import encode_compartments, encode_readers
from summitry.access.views import named_ids, narrowing_links, rename_ids
from summitry.domain.catalogue import ANY, COLLECTIONS, LINKS, SUMMIT
from summitry.domain.plan import Plan
from summitry.errors import InputError, PlanError, Problem, format_path
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
            revision=row.revision,
            body=row.body,
            author=actor,
            at=row.updated_at,
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

        def rename(slug: str, names: Any = names) -> str:
            for name in names:
                if slug in ids.get(name, {}):
                    return ids[name][slug]
            return slug

        stored[link.field] = rename_ids(link, stored[link.field], rename)
    # JSON has no dates: they are stored as ISO text, which the models read back as dates.
    jsonable: dict[str, Any] = to_jsonable_python(stored)
    return jsonable


_LINKS = links_by_collection()


def _without_narrowing(plan: Plan, warnings: list[Problem], source: str) -> Plan:
    """The plan without the links that narrow; refuses records that cannot do without one."""
    if not warnings:
        return plan
    data = planfile.to_data(plan)
    required = {(link.collection, link.field) for link in LINKS if link.required}
    for warning in warnings:
        collection = str(warning.path[0])
        if collection == SUMMIT:
            raise InputError(
                f"{warning}: the summit table cannot name a record some parties may not read"
            )
        rid, field = str(warning.path[1]), str(warning.path[2])
        if field in ("visibility", "owned_by"):
            continue  # a label stays as written; each view leaves out parties it does not hold
        if (collection, field) in required:
            raise InputError(
                f"{warning}; a workspace holds no such link: give the records one label, or "
                f"leave {format_path(warning.path[:3])} out"
            )
        link = next(k for k in LINKS if k.collection == collection and k.field == field)
        body = data[collection][rid]
        targets = {
            t
            for sub, t in named_ids(link, body[field])
            if (*warning.path[:3], *sub) == warning.path
        }
        kept = rename_ids(link, body[field], _dropping(targets))
        if kept is None:
            del body[field]
        else:
            body[field] = kept
    try:
        return planfile.from_data(data, "", source)
    except PlanError as err:
        raise InputError(f"{source}: without the links that narrow, {err}") from None


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
