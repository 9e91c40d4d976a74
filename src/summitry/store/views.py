"""A reader's view of a workspace: rows filtered in SQL by the read policy, then assembled.

Only rows the principal may read leave the database (the application filter, and on
PostgreSQL row-level security as well). They are assembled into plan data of the plan-file
shape: records that cannot stand without a record that did not come back leave too, links
to records that did not come back are dropped, and record ids become slugs. Slugs are unique
among the records one owning party labels alike; when two records of one collection in the
same view share a slug, the one labelled joint (else the first by owner and label) keeps it
and each other becomes ``<slug>-<owner>`` (numbered if that is taken too) — decided from the
view's own rows, so it never depends on records the reader cannot see. The plan is then
validated like a plan file.

Assembled views are cached per (workspace revision, principal): every write bumps the
workspace's revision in the same transaction, so a cache entry is never served after a write,
whichever worker process made it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from summitry.access.labels import label_of
from summitry.access.policy import Principal
from summitry.access.sql import label_key, readable
from summitry.access.views import check_reader, named_ids, rename_ids
from summitry.domain.base import JOINT
from summitry.domain.catalogue import COLLECTIONS, LINKS, SETTINGS, SUMMIT, Link
from summitry.domain.plan import Plan
from summitry.domain.summit import DEFAULT_STATUSES
from summitry.errors import KeyPath, Problem
from summitry.io import planfile
from summitry.store.schema import RecordRow, RevisionRow, Workspace

SINGLE = (SUMMIT, *SETTINGS)
"""The plan's single tables, stored as one joint record each (the slug is the table's name)."""

_BUILT_IN = frozenset(status.id for status in DEFAULT_STATUSES)
_CACHE_SIZE = 64


@dataclass(frozen=True)
class Assembly:
    """A reader's view as plan data, and the problems only the view's rows reveal."""

    data: dict[str, Any]
    problems: tuple[Problem, ...]
    rows: dict[str, RecordRow]
    """The rows of the view's records by id."""
    slugs: dict[str, str]
    """Each record's slug in this view, by id."""

    def id_of(self, collection: str, slug: str) -> str | None:
        """The id of the record a slug names in this view (None: no such record here).

        Usage: ``assembly.id_of("tasks", "venue-survey")``.
        """
        for rid, row in self.rows.items():
            if row.collection == collection and self.slugs[rid] == slug:
                return rid
        return None


def links_by_collection() -> dict[str, tuple[Link, ...]]:
    """The links of each collection (and of the summit table), from the catalogue.

    Usage: ``links_by_collection()["tasks"]``.
    """
    out: dict[str, list[Link]] = {}
    for link in LINKS:
        out.setdefault(link.collection, []).append(link)
    return {name: tuple(links) for name, links in out.items()}


_LINKS = links_by_collection()


def assemble(session: Session, workspace: Workspace, principal: Principal) -> Assembly:
    """The principal's view of ``workspace`` as plan data, from the rows they may read.

    Usage: ``assemble(session, workspace, Principal.of("russia")).data["tasks"]``.
    """
    rows = list(
        session.scalars(
            select(RecordRow)
            .where(
                RecordRow.workspace_id == workspace.id,
                readable(principal, RecordRow.readers, RecordRow.compartments),
            )
            .order_by(RecordRow.collection, RecordRow.position, RecordRow.id)
        )
    )
    joint_parties = {
        row.slug: row.body
        for row in rows
        if row.collection == "parties" and row.readers == JOINT and not row.compartments
    }
    check_reader({"parties": joint_parties}, principal)
    present = {row.id: row for row in rows}
    gone: set[str] = set()
    while orphans := [row for row in present.values() if _needs_missing(row, present)]:
        for row in orphans:
            del present[row.id]
    slugs = _view_slugs([row for row in rows if row.id in present])

    def rename_for(link: Link) -> Callable[[str], str | None]:
        def rename(value: str) -> str | None:
            if value in slugs:
                return slugs[value]
            if link.targets == ("statuses",) and value in _BUILT_IN:
                return value
            gone.add(value)
            return None

        return rename

    data: dict[str, Any] = {"format_version": workspace.format_version}
    for row in rows:
        if row.id not in present:
            continue
        body = dict(row.body)
        for link in _LINKS.get(row.collection, ()):
            if link.field in body:
                renamed = rename_ids(link, body[link.field], rename_for(link))
                if renamed is None:
                    del body[link.field]
                else:
                    body[link.field] = renamed
        if row.collection in SINGLE:
            data[row.collection] = body
        else:
            data.setdefault(row.collection, {})[slugs[row.id]] = body
    _drop_unknown_parties(data)
    ordered = {key: data[key] for key in ("format_version", *SINGLE) if key in data}
    ordered |= {name: data[name] for name in COLLECTIONS if name in data}
    problems = _deleted_targets(session, workspace, principal, rows, present, gone, slugs)
    return Assembly(ordered, problems, present, slugs)


def _drop_unknown_parties(data: dict[str, Any]) -> None:
    """Leave out of labels the parties the view does not hold, as a plan file's view does.

    A record released to a party the reader may not know of keeps its other readers; an owner
    the reader may not know of is left out (it is then derived from what remains).
    """
    parties = set(data.get("parties", {}))
    for name in COLLECTIONS:
        for body in data.get(name, {}).values():
            readers = body.get("visibility")
            if isinstance(readers, list):
                body["visibility"] = [p for p in readers if p in parties]
            if body.get("owned_by") is not None and body["owned_by"] not in parties:
                del body["owned_by"]


def _needs_missing(row: RecordRow, present: dict[str, RecordRow]) -> bool:
    """Whether a record names, in a field it cannot stand without, a record not in the view."""
    for link in _LINKS.get(row.collection, ()):
        if not link.required:
            continue
        for _, target in named_ids(link, row.body.get(link.field)):
            if target not in present:
                return True
    return False


def _view_slugs(rows: list[RecordRow]) -> dict[str, str]:
    """Each record's slug in this view: its own, or ``<slug>-<owner>`` where two share one."""
    slugs: dict[str, str] = {}
    by_collection: dict[str, list[RecordRow]] = {}
    for row in rows:
        by_collection.setdefault(row.collection, []).append(row)
    for collection_rows in by_collection.values():
        taken = {row.slug for row in collection_rows}
        groups: dict[str, list[RecordRow]] = {}
        for row in collection_rows:
            groups.setdefault(row.slug, []).append(row)
        for slug, same in groups.items():
            same.sort(key=lambda r: (r.readers != JOINT, r.owner, r.readers, r.compartments, r.id))
            slugs[same[0].id] = slug
            for row in same[1:]:
                candidate, n = f"{slug}-{row.owner or JOINT}"[:80], 1
                while candidate in taken:
                    n += 1
                    candidate = f"{slug}-{row.owner or JOINT}-{n}"[:80]
                taken.add(candidate)
                slugs[row.id] = candidate
    return slugs


def _deleted_targets(
    session: Session,
    workspace: Workspace,
    principal: Principal,
    rows: list[RecordRow],
    present: dict[str, RecordRow],
    gone: set[str],
    slugs: dict[str, str],
) -> tuple[Problem, ...]:
    """Links in the view to records deleted since: the reader's ``validate`` names them.

    Only deletions the reader may see count (a deletion keeps the record's label), so a
    link to a record that is merely hidden is dropped without a word, as in a plan file.
    """
    if not gone:
        return ()
    deleted = dict(
        session.execute(
            select(RevisionRow.record_id, RevisionRow.slug).where(
                RevisionRow.workspace_id == workspace.id,
                RevisionRow.record_id.in_(sorted(gone)),
                RevisionRow.body.is_(None),
                readable(principal, RevisionRow.readers, RevisionRow.compartments),
            )
        ).all()
    )
    problems: list[Problem] = []
    for row in rows:
        if row.id not in present:
            continue
        for link in _LINKS.get(row.collection, ()):
            for sub, target in named_ids(link, row.body.get(link.field)):
                if target in deleted:
                    where: KeyPath = (
                        (row.collection,)
                        if row.collection in SINGLE
                        else (row.collection, slugs[row.id])
                    )
                    problems.append(
                        Problem(
                            (*where, link.field, *sub),
                            f"names {link.noun} '{deleted[target]}', which has been deleted; "
                            "the analyses leave the link out",
                        )
                    )
    return tuple(problems)


_cache: OrderedDict[tuple[str, str, int, str], Plan] = OrderedDict()
_cache_lock = threading.Lock()
"""The server's request threads and job workers share the cache; the lock keeps it whole."""


def cached_view(
    session: Session, database: str, workspace: Workspace, principal: Principal
) -> tuple[Plan, Assembly | None]:
    """The principal's validated view, from the cache when the workspace has not changed.

    The key is the database, the workspace, its revision (read in this transaction) and the
    principal's reader and clearances. Returns the assembly too when it was built now.
    Usage: ``view, _ = cached_view(session, db.name, workspace, principal)``.
    """
    key = (database, workspace.id, workspace.revision, _principal_key(principal))
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key], None
    # Built outside the lock: two threads may build one view at once, and both get it right.
    assembly = assemble(session, workspace, principal)
    view = planfile.from_data(assembly.data, "", f"workspace {workspace.slug}")
    with _cache_lock:
        _cache[key] = view
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return view, assembly


def _principal_key(principal: Principal) -> str:
    return f"{principal.name}|{','.join(sorted(principal.clearances))}"


def compartment_keys(view: Plan) -> tuple[str, ...]:
    """Label keys of the compartmented records of a view (their reads are audited).

    Usage: ``compartment_keys(view)``.
    """
    keys = {label_key(label_of(record)) for _, record in view.records() if record.compartments}
    return tuple(sorted(keys))
