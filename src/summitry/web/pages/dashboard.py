"""The dashboard: the summit at a glance, as the member may see it.

Everything on it comes from the member's own view (``services.plans.status``) or from a
stored result the member may read (the latest readiness forecast). The readiness lights are
the forecast's own, one per workstream (its probability of being ready by the workstream's
deadline, against the plan's ``[forecast]`` thresholds), with the overall probability of being
ready by the summit date beside them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from summitry.domain.engagement import DecisionStatus
from summitry.domain.plan import Plan
from summitry.errors import SummitryError
from summitry.web.deps import Member, MemberDep
from summitry.web.pages.render import page

router = APIRouter(include_in_schema=False)

LISTED = 8
"""How many decisions, meetings and developments the dashboard lists."""


@dataclass(frozen=True)
class Light:
    """One readiness light of the latest forecast: a workstream, its probability and colour."""

    name: str
    deadline: str
    probability: float | None
    light: str


@dataclass(frozen=True)
class Readiness:
    """The latest stored forecast the member may read, as the dashboard shows it."""

    created_at: dt.datetime
    author: str
    as_of: str
    summit_date: str
    probability: float | None
    lights: tuple[Light, ...]
    label: str


@dataclass(frozen=True)
class MyWork:
    """The member's own tasks, or why there are none to show."""

    person: str | None
    """The name of the person record the member is linked to (None: not linked)."""
    items: tuple[tuple[str, Any], ...]
    """(task slug, task) owned by that person, in the view's order."""


def latest_forecast(member: Member, view: Plan) -> Readiness | None:
    """The newest stored forecast the member may read, or None when there is none yet.

    Usage: ``latest_forecast(member, found.view)``.
    """
    from summitry.web.jobs import list_results, result_label

    with member.reading() as session:
        rows = list_results(session, member.workspace.id, member.principal, ("forecast",), 1)
        if not rows:
            return None
        row = rows[0]
        from summitry.web.jobs import audit_reads

        audit_reads(session, member, rows)
        document: dict[str, Any] = dict(row.body.get("document") or {})
        label = result_label(row).describe()
        created, author = row.created_at, row.author
    names = {wid: stream.name for wid, stream in view.workstreams.items()}
    lights = tuple(
        Light(
            names.get(str(entry.get("id")), str(entry.get("id"))),
            str(entry.get("deadline") or ""),
            entry.get("ready_by_deadline"),
            str(entry.get("light") or "none"),
        )
        for entry in document.get("workstreams") or ()
    )
    overall = document.get("overall") or {}
    return Readiness(
        created_at=created,
        author=author,
        as_of=str(document.get("as_of") or ""),
        summit_date=str(document.get("summit_date") or ""),
        probability=overall.get("ready_probability"),
        lights=lights,
        label=label,
    )


def my_work(member: Member, view: Plan) -> MyWork:
    """The tasks the member's linked person owns in the member's view.

    The link (``Membership.person``, set by the party's admin) names a record id; its slug
    is the one the member's own view gives it, so nothing outside the view is consulted.
    Usage: ``my_work(member, found.view).items``.
    """
    from summitry.store.views import assemble

    person_id = member.membership.person
    if person_id is None:
        return MyWork(None, ())
    with member.reading() as session:
        slug = assemble(session, member.workspace, member.principal).slugs.get(person_id)
    person = view.people.get(slug) if slug is not None else None
    if slug is None or person is None:
        return MyWork(None, ())
    items = tuple((tid, task) for tid, task in view.tasks.items() if task.owner == slug)
    return MyWork(person.name, items)


@router.get("/w/{workspace}")
def dashboard_page(request: Request, member: MemberDep) -> HTMLResponse:
    """The briefing's three tables, live; readiness lights; what needs attention; my tasks."""
    from summitry.services.plans import status

    try:
        found = status(member.source, member.principal)
    except SummitryError as err:
        return page(request, "error.html", member, status=400, message=str(err))
    view = found.view
    as_of = found.board.as_of
    decisions = sorted(
        (
            (did, d)
            for did, d in view.decisions.items()
            if d.status is DecisionStatus.OPEN and d.due is not None
        ),
        key=lambda pair: (pair[1].due or dt.date.max, pair[0]),
    )
    meetings = sorted(
        ((mid, m) for mid, m in view.meetings.items() if m.date >= as_of),
        key=lambda pair: (pair[1].date, pair[0]),
    )
    developments = sorted(
        view.developments.items(), key=lambda pair: (pair[1].date, pair[0]), reverse=True
    )
    return page(
        request,
        "dashboard.html",
        member,
        section="dashboard",
        board=found.board,
        notes=found.notes,
        label=found.label.describe(),
        view=view,
        zone=view.summit.timezone,
        readiness=latest_forecast(member, view),
        mine=my_work(member, view),
        statuses=view.status_vocabulary,
        decisions=decisions[:LISTED],
        meetings=meetings[:LISTED],
        developments=developments[:LISTED],
    )
