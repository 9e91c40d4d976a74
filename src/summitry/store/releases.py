"""Changing a record's label: widening it with a second editor's confirmation, and withdrawal.

A label is widened (a reader added, a compartment removed) in two steps. An editor of the
owning party asks for it: a pending widening is stored, labelled like the record now, so only
those who may read the record see it. A *second* editor of the owning party — one who was
already a user when it was asked for, so that nobody can make up a confirmer afterwards —
confirms it: the record gets the wider label as a new revision (earlier revisions keep theirs,
so only what is written from then on is released), audited as ``widen``. Nothing narrows by
this route: joint material cannot be narrowed, and a request that would drop any reader is
refused. The owner may withdraw a release alone (back to private to the owner; audited as
``withdraw``): withdrawing never lets more people read anything. Results already derived from
a released record keep their labels.

This is how a delegation releases its position to the mediator. Every function flushes; the
request boundary commits.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from summitry.access.labels import Label
from summitry.access.policy import Principal, is_released, widens
from summitry.access.sql import decode_label, readable
from summitry.domain.base import JOINT, SLUG_PATTERN, clip
from summitry.domain.checks import suggest
from summitry.errors import InputError, PlanError, Problem
from summitry.store.audit import Keyring, append
from summitry.store.records import (
    ForbiddenError,
    NotFoundError,
    Written,
    check_fresh,
    relabel,
    visible_row,
)
from summitry.store.schema import RecordRow, User, WideningRow, Workspace, new_id, now
from summitry.store.views import Assembly, assemble
from summitry.store.workspaces import lock_for_write


@dataclass(frozen=True)
class Pending:
    """A widening waiting for its confirmation, as one reader of the record sees it.

    ``label`` is the record's label now, ``new_label`` the one asked for; both name only the
    parties the reader's view holds. ``requested_by`` is the asking editor's username.
    """

    id: str
    record_id: str
    collection: str
    slug: str
    revision: int
    label: Label
    new_label: Label
    requested_by: str
    created_at: dt.datetime


def request_widening(
    session: Session,
    keys: Keyring,
    workspace: Workspace,
    principal: Principal,
    record_id: str,
    visibility: str | list[str],
    compartments: list[str],
    revision: int,
    *,
    user_id: str,
    actor: str,
    collection: str | None = None,
) -> Pending:
    """Ask for a record's label to become ``visibility`` · ``compartments``, to be confirmed.

    Refused unless the asker is of the owning party, ``revision`` is current, and the new label
    keeps every reader of the old one and adds some; the record's links are checked as the
    confirmation will check them. One request per record waits at a time.
    Usage: ``request_widening(session, keys, ws, Principal.of("russia"), rid,
    ["russia", "secretariat"], [], 3, user_id=user.id, actor="alice (russia)")``.
    """
    lock_for_write(session, workspace)
    view = assemble(session, workspace, principal)
    row = visible_row(view, record_id, collection)
    where = f"{row.collection}.{view.slugs[row.id]}"
    _owners_editor(principal, row, where, "widen")
    check_fresh(view, row, revision)
    old = decode_label(row.readers, row.compartments)
    new = _requested(view, visibility, compartments)
    if old.readers is None and new.readers is not None:
        raise InputError(f"{where}: joint material cannot be narrowed (asked for {new.describe()})")
    if new == old:
        raise InputError(f"{where}: it is already {old.describe()}; there is nothing to widen")
    if not widens(old, new):
        raise InputError(
            f"{where}: {new.describe()} would leave out some who may read it now "
            f"({old.describe()}); a widening only adds readers or removes compartments"
        )
    if session.scalar(select(WideningRow.id).where(WideningRow.record_id == row.id)):
        raise InputError(
            f"{where}: a widening of it already waits for a second editor's confirmation"
        )
    relabel(
        session,
        keys,
        workspace,
        principal,
        view,
        row,
        new,
        actor=actor,
        action="widen",
        check_only=True,
    )
    pending = WideningRow(
        id=new_id(),
        workspace_id=workspace.id,
        record_id=row.id,
        revision=row.revision,
        readers=row.readers,
        compartments=row.compartments,
        new_visibility=[JOINT] if new.readers is None else sorted(new.readers),
        new_compartments=sorted(new.compartments),
        requested_by=user_id,
        created_at=now(),
    )
    session.add(pending)
    append(
        session,
        keys,
        workspace.id,
        old,
        actor=actor,
        action="widen-request",
        object_ref=f"{row.collection}/{row.id}",
    )
    session.flush()
    return _pending(session, view, pending, row)


def confirm_widening(
    session: Session,
    keys: Keyring,
    workspace: Workspace,
    principal: Principal,
    widening_id: str,
    *,
    user_id: str,
    actor: str,
) -> Written:
    """Confirm a pending widening as a second editor of the owning party: the label widens.

    Refused to the editor who asked, to one who became a user after the request, and to
    editors of other parties; a widening the confirmer may not read is not found, as a missing
    one. The record must still be at the revision the request was made for.
    Usage: ``confirm_widening(session, keys, ws, Principal.of("russia"), wid, user_id=user.id,
    actor="boris (russia)")``.
    """
    lock_for_write(session, workspace)
    pending = session.scalar(
        select(WideningRow).where(
            WideningRow.workspace_id == workspace.id,
            WideningRow.id == widening_id,
            readable(principal, WideningRow.readers, WideningRow.compartments),
        )
    )
    missing = NotFoundError(f"no widening '{clip(widening_id)}' in this workspace")
    if pending is None:
        raise missing
    view = assemble(session, workspace, principal)
    row = view.rows.get(pending.record_id)
    if row is None:
        raise missing
    where = f"{row.collection}.{view.slugs[row.id]}"
    _owners_editor(principal, row, where, "widen")
    if pending.requested_by == user_id:
        raise ForbiddenError(
            f"{where}: you asked for this widening; a second editor of '{row.owner}' confirms it"
        )
    confirmer = session.get(User, user_id)
    if confirmer is None or not _utc(confirmer.created_at) < _utc(pending.created_at):
        raise ForbiddenError(
            f"{where}: only an editor who was already a user when the widening was asked for "
            "may confirm it"
        )
    check_fresh(view, row, pending.revision)
    old = decode_label(row.readers, row.compartments)
    new = _label_of(pending.new_visibility, pending.new_compartments)
    if not widens(old, new):
        raise InputError(f"{where}: it is {old.describe()} now; ask for the widening again")
    written = relabel(
        session, keys, workspace, principal, view, row, new, actor=actor, action="widen"
    )
    assert written is not None
    return written


def withdraw_release(
    session: Session,
    keys: Keyring,
    workspace: Workspace,
    principal: Principal,
    record_id: str,
    revision: int,
    *,
    actor: str,
    collection: str | None = None,
) -> Written:
    """Withdraw a release of one's own record: only its owner may read it from now on.

    An editor of the owning party alone may do it (withdrawing lets nobody new read anything).
    Refused for joint material (it cannot be narrowed), for a record that is not released, and
    while a record of the writer's view that others may read names it.
    Usage: ``withdraw_release(session, keys, ws, Principal.of("russia"), rid, 4,
    actor="alice (russia)")``.
    """
    lock_for_write(session, workspace)
    view = assemble(session, workspace, principal)
    row = visible_row(view, record_id, collection)
    where = f"{row.collection}.{view.slugs[row.id]}"
    _owners_editor(principal, row, where, "withdraw")
    check_fresh(view, row, revision)
    old = decode_label(row.readers, row.compartments)
    if old.readers is None:
        raise InputError(f"{where}: joint material cannot be narrowed")
    if not is_released(old, row.owner):
        raise InputError(
            f"{where}: it is not released to anyone ({old.describe()}); there is nothing to "
            "withdraw"
        )
    new = Label(frozenset({row.owner}), old.compartments)
    written = relabel(
        session, keys, workspace, principal, view, row, new, actor=actor, action="withdraw"
    )
    assert written is not None
    return written


def pending_widenings(
    session: Session, workspace: Workspace, principal: Principal, view: Assembly
) -> list[Pending]:
    """The widenings waiting for confirmation that ``principal`` may see, oldest first.

    ``view`` is the principal's view (it spells the records' slugs).
    Usage: ``pending_widenings(session, ws, principal, assemble(session, ws, principal))``.
    """
    rows = session.scalars(
        select(WideningRow)
        .where(
            WideningRow.workspace_id == workspace.id,
            readable(principal, WideningRow.readers, WideningRow.compartments),
        )
        .order_by(WideningRow.created_at, WideningRow.id)
    )
    return [
        _pending(session, view, pending, view.rows[pending.record_id])
        for pending in rows
        if pending.record_id in view.rows
    ]


def _owners_editor(principal: Principal, row: RecordRow, where: str, verb: str) -> None:
    """Refuse a label change to anyone but the owning party (the role is the server's check)."""
    if not row.owner:
        raise ForbiddenError(
            f"{where}: it has no owning party, so no delegation may {verb} its label; the "
            "workspace's operator can"
        )
    if principal.party != row.owner:
        raise ForbiddenError(
            f"{where}: only editors of '{row.owner}', its owner, may {verb} its label"
        )


def _requested(view: Assembly, visibility: str | list[str], compartments: list[str]) -> Label:
    """The label a request names, checked against the parties of the asker's view."""
    parties = sorted(view.data.get("parties", {}))
    named = [visibility] if isinstance(visibility, str) else list(visibility)
    if not named:
        raise PlanError([Problem(("visibility",), "name 'joint', a party, or a list of parties")])
    if JOINT in named and len(named) > 1:
        raise PlanError(
            [Problem(("visibility",), "'joint' already means every party; write it alone")]
        )
    if len(set(named)) != len(named):
        raise PlanError([Problem(("visibility",), "a party is named twice")])
    for index, party in enumerate(named):
        if party != JOINT and party not in parties:
            raise PlanError(
                [
                    Problem(
                        ("visibility", index),
                        f"no party '{clip(party)}'{suggest(party, parties)}",
                    )
                ]
            )
    for index, name in enumerate(compartments):
        if not re.fullmatch(SLUG_PATTERN, name) or len(name) > 80:
            raise PlanError(
                [Problem(("compartments", index), f"'{clip(name)}' is not a compartment name")]
            )
    return _label_of(named, compartments)


def _label_of(visibility: list[str], compartments: list[str]) -> Label:
    readers = None if visibility == [JOINT] else frozenset(visibility)
    return Label(readers, frozenset(compartments))


def _pending(session: Session, view: Assembly, pending: WideningRow, row: RecordRow) -> Pending:
    parties = set(view.data.get("parties", {}))
    asker = session.scalar(select(User.username).where(User.id == pending.requested_by))
    return Pending(
        id=pending.id,
        record_id=row.id,
        collection=row.collection,
        slug=view.slugs[row.id],
        revision=pending.revision,
        label=_trimmed(decode_label(pending.readers, pending.compartments), parties),
        new_label=_trimmed(_label_of(pending.new_visibility, pending.new_compartments), parties),
        requested_by=asker or "",
        created_at=pending.created_at,
    )


def _trimmed(label: Label, parties: set[str]) -> Label:
    if label.readers is None:
        return label
    return Label(frozenset(p for p in label.readers if p in parties), label.compartments)


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands times back without their zone; they are stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
