"""Blind mediation: releases to the mediator, the run, the published package.

A delegation releases its own position to the mediator by widening the position's label to
add the mediator's party; a second editor of the delegation confirms it (the store's
``request_widening`` / ``confirm_widening``, as the API's ``widen`` and ``confirm``), and the
owner may withdraw the release alone (``withdraw_release``). The mediator's party sees only
*which* delegations have released, runs the mediation (``web.mediating``, as the API's
``mediation/run``) — running stores the release, which is the publication: there is no
separate publish step — and then each delegation reads the proposed package and its own
score, never the other side's; the host reads the package only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from summitry.store.records import NotFoundError, StoredRecord
from summitry.store.releases import Pending
from summitry.web.deps import Member, MemberDep
from summitry.web.mediating import latest_mediation, mediator_party, run_mediation
from summitry.web.pages.render import is_htmx, page, see_other

router = APIRouter(include_in_schema=False)

W = "/w/{workspace}"


@dataclass(frozen=True)
class Standing:
    """Where the member's party stands in the blind mediation, as the member may see it."""

    mediator: str | None
    is_mediator: bool
    delegation: bool
    own: StoredRecord | None
    """The delegation's own position (None: not written, or not a delegation)."""
    released: bool
    pending: Pending | None
    """A release of the own position waiting for a second editor's confirmation."""
    releases: tuple[tuple[str, str, bool], ...]
    """For the mediator: (party, name, released) for each delegation."""
    latest: dict[str, Any] | None
    released_at: dt.datetime | None
    timezone: str
    names: dict[str, str]
    issue_names: dict[str, tuple[str, dict[str, str]]]


def standing(member: Member) -> Standing:
    """The member's party's standing: own release, pending confirmation, latest result.

    Everything comes from the member's own view and the stored results they may read.
    Usage: ``standing(member).released``.
    """
    from summitry.domain.summit import PartyKind
    from summitry.store.releases import pending_widenings
    from summitry.store.views import assemble
    from summitry.web.pages.agenda import held_positions, member_view, own_position

    view = member_view(member)
    party = member.principal.party
    mediator = mediator_party(member)
    delegation = party in view.parties and view.parties[party].kind == PartyKind.DELEGATION
    own = own_position(member, held_positions(member)) if delegation else None
    released = False
    pending = None
    if own is not None and mediator is not None:
        readers = own.label.readers
        released = readers is None or mediator in readers
        with member.reading() as session:
            seen = assemble(session, member.workspace, member.principal)
            waiting = pending_widenings(session, member.workspace, member.principal, seen)
        pending = next((p for p in waiting if p.record_id == own.id), None)
    releases: tuple[tuple[str, str, bool], ...] = ()
    is_mediator = mediator is not None and party == mediator
    if is_mediator:
        holders = {
            p.held_by
            for p in view.positions.values()
            if p.about == p.held_by and p.held_by != mediator
        }
        releases = tuple(
            (pid, found.name, pid in holders)
            for pid, found in view.parties.items()
            if found.kind == PartyKind.DELEGATION
        )
    latest = latest_mediation(member)
    moment = dt.datetime.fromisoformat(latest["released_at"]) if latest else None
    return Standing(
        mediator=mediator,
        is_mediator=is_mediator,
        delegation=delegation,
        own=own,
        released=released,
        pending=pending,
        releases=releases,
        latest=latest,
        released_at=moment,
        timezone=view.summit.timezone,
        names={pid: found.name for pid, found in view.parties.items()},
        issue_names={iid: (i.name, dict(i.options)) for iid, i in view.issues.items()},
    )


def _show(request: Request, member: Member, status: int = 200, problem: str = "") -> Response:
    """The mediation page (or, for htmx, its panel) as the member stands now."""
    found = standing(member)
    name = "mediation/panel.html" if is_htmx(request) else "mediation/index.html"
    return page(request, name, member, section="mediation", status=status, s=found, problem=problem)


@router.get(W + "/mediation", response_class=HTMLResponse)
def mediation(request: Request, member: MemberDep) -> Response:
    """The blind mediation as the member's party takes part in it."""
    return _show(request, member)


async def _act(request: Request, member: Member, work: Any) -> Response:
    """Do ``work`` (a store or mediation call); the page again, with its refusal if it failed.

    A missing or forbidden id is left to the error handler (a 404 in the same words).
    """
    from summitry.errors import SummitryError
    from summitry.web.errors import answer_for

    try:
        await run_in_threadpool(work)
    except NotFoundError:
        raise
    except SummitryError as err:
        status = answer_for(err).status_code
        return await run_in_threadpool(_show, request, member, status, str(err))
    if is_htmx(request):
        return await run_in_threadpool(_show, request, member)
    return see_other(f"/w/{member.workspace.slug}/mediation")


def _revision(form: Any) -> int:
    try:
        return int(str(form.get("revision", "")))
    except ValueError:
        return 0


@router.post(W + "/mediation/release", response_class=HTMLResponse)
async def release(request: Request, member: MemberDep) -> Response:
    """Ask for our position to be released to the mediator (a second editor confirms)."""
    from summitry.errors import InputError
    from summitry.store.audit import keyring
    from summitry.store.releases import request_widening

    form = await request.form()
    revision = _revision(form)
    found = await run_in_threadpool(standing, member)

    def work() -> None:
        if found.own is None or found.mediator is None:
            raise InputError(
                "your delegation has no position to release; write it on the position page"
            )
        readers = found.own.label.readers or frozenset()
        with member.writing() as session:
            request_widening(
                session,
                keyring(member.db.file),
                member.workspace,
                member.principal,
                found.own.id,
                sorted(readers | {found.mediator}),
                sorted(found.own.label.compartments),
                revision,
                user_id=member.caller.user.id,
                actor=member.actor,
                collection="positions",
            )

    return await _act(request, member, work)


@router.post(W + "/mediation/widenings/{widening_id}/confirm", response_class=HTMLResponse)
async def confirm(request: Request, member: MemberDep, widening_id: str) -> Response:
    """Confirm a release another editor of our delegation asked for."""
    from summitry.store.audit import keyring
    from summitry.store.releases import confirm_widening

    def work() -> None:
        with member.writing() as session:
            confirm_widening(
                session,
                keyring(member.db.file),
                member.workspace,
                member.principal,
                widening_id,
                user_id=member.caller.user.id,
                actor=member.actor,
            )

    return await _act(request, member, work)


@router.post(W + "/mediation/withdraw", response_class=HTMLResponse)
async def withdraw(request: Request, member: MemberDep) -> Response:
    """Withdraw our release: the position is private to our delegation again."""
    from summitry.errors import InputError
    from summitry.store.audit import keyring
    from summitry.store.releases import withdraw_release

    form = await request.form()
    revision = _revision(form)
    found = await run_in_threadpool(standing, member)

    def work() -> None:
        if found.own is None:
            raise InputError("your delegation has no position, so nothing to withdraw")
        with member.writing() as session:
            withdraw_release(
                session,
                keyring(member.db.file),
                member.workspace,
                member.principal,
                found.own.id,
                revision,
                actor=member.actor,
                collection="positions",
            )

    return await _act(request, member, work)


@router.post(W + "/mediation/run", response_class=HTMLResponse)
async def run(request: Request, member: MemberDep) -> Response:
    """Run the blind mediation and publish it (the mediator's editors; others: not found)."""

    def work() -> None:
        run_mediation(member)

    return await _act(request, member, work)
