"""Situation reports: generating one for a reader, the stored series, downloads.

A report is written for the member — their party, their clearances — as the API's
``POST sitreps`` writes it (a background job), and stored with that label, which the form
shows before anything is generated. ``/reports`` lists the stored reports of the member's
party that the member may read (newest first, 50 a page), the plan's cadence and when the
member's next report is due, and the latest report's "changes since the last report". A
report's own page shows what it is and links its download; an HTML report is downloaded, not
shown inline (its styles would break the pages' content security policy). Anyone in the
workspace may generate a report, as the API allows: it changes no plan record.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from summitry.web.analyses import (
    NO_SUCH_JOB,
    SitrepCreate,
    report_file,
    start_sitrep,
    stored_report,
    stored_reports,
)
from summitry.web.deps import Member, MemberDep
from summitry.web.jobs import DONE, FAILED, find_job_result, own_label, result_label
from summitry.web.pages.render import is_htmx, page, see_other

if TYPE_CHECKING:
    from summitry.domain.plan import Plan
    from summitry.store.schema import StoredResult

router = APIRouter(include_in_schema=False)

KIND = "sitrep"
PER_PAGE = 50
FORMATS = (("md", "Markdown"), ("html", "HTML"), ("pdf", "PDF"))
"""The formats a report is written in, with their names in words."""


def _view(member: Member) -> Plan:
    from summitry.services.source import read_view

    return read_view(member.source, member.principal)


def _names(view: Plan) -> dict[str, str]:
    return {pid: party.name for pid, party in view.parties.items()}


def _entry(row: StoredResult, names: dict[str, str]) -> dict[str, Any]:
    """A stored report as the pages list it: what it is, who may read it, what changed."""
    document = row.body["document"]
    return {
        "id": row.id,
        "number": document["number"],
        "as_of": document["as_of"],
        "format": document["format"],
        "filename": _download_name(row),
        "label": result_label(row).describe(names),
        "author": row.author,
        "created_at": row.created_at,
        "meta": [tuple(pair) for pair in row.body.get("meta") or ()],
        "changes": row.body.get("changes"),
        "viewer": document.get("viewer"),
    }


def _download_name(row: StoredResult) -> str:
    """The file name of a download: the report's own name with its id.

    Two readers of one party (with and without a clearance) may each have a No. 1 of a day.
    """
    filename = str(row.body["document"]["filename"])
    stem, _, extension = filename.rpartition(".")
    return f"{stem}-{row.id}.{extension}"


def _cadence(view: Plan) -> list[str]:
    """The plan's cadence rules in words, the furthest from the summit first."""
    words = []
    for rule in view.sitrep.cadence:
        every = "every day" if rule.every == 1 else f"every {rule.every} days"
        words.append(f"from {rule.days_before:,} days before the summit: {every}")
    return words


@router.get("/w/{workspace}/reports")
def reports_page(
    request: Request,
    member: MemberDep,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The member's stored reports, the cadence and the next due date, and the form."""
    return _reports(request, member, page_number)


def _reports(
    request: Request,
    member: Member,
    page_number: int = 1,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    from summitry.reports.sitrep import next_due

    view = _view(member)
    names = _names(view)
    rows = stored_reports(member, PER_PAGE + 1, (page_number - 1) * PER_PAGE)
    entries = [_entry(row, names) for row in rows[:PER_PAGE]]
    latest = stored_reports(member, 1, 0)
    own = member.principal.as_dict()
    last_own = next(
        (row for row in stored_reports(member, 200, 0) if row.body["document"]["viewer"] == own),
        None,
    )
    today = view.summit.as_of or dt.date.today()
    due = None
    if last_own is not None:
        due = next_due(view, dt.date.fromisoformat(last_own.body["document"]["as_of"]))
    return page(
        request,
        "reports/index.html",
        member,
        section="reports",
        status=status,
        entries=entries,
        latest=_entry(latest[0], names) if latest else None,
        page_number=page_number,
        more=len(rows) > PER_PAGE,
        cadence=_cadence(view),
        summit_date=view.summit.earliest_date,
        due=due,
        due_now=due is None or due <= today,
        today=today,
        zone=view.summit.timezone,
        label_ahead=own_label(member.principal).describe(names),
        formats=FORMATS,
        values=values or {"format": "md", "forecast": True, "as_of": ""},
        errors=errors or {},
    )


@router.post("/w/{workspace}/reports")
def generate_report(
    request: Request,
    member: MemberDep,
    format: Annotated[str, Form(max_length=10)] = "md",
    as_of: Annotated[str, Form(max_length=40)] = "",
    forecast: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Start writing the member's report as a job and go to its page (303).

    A value the API would refuse gets the form again (422) with the reason next to its field.
    """
    values: dict[str, Any] = {"format": format, "as_of": as_of, "forecast": bool(forecast)}
    body: dict[str, Any] = {"format": format, "forecast": bool(forecast)}
    if as_of.strip():
        body["as_of"] = as_of.strip()
    try:
        asked = SitrepCreate.model_validate(body)
    except ValidationError as err:
        errors: dict[str, str] = {}
        for problem in err.errors():
            field = str(problem["loc"][0]) if problem["loc"] else "format"
            errors.setdefault(field if field in values else "format", problem["msg"])
        return _reports(request, member, values=values, errors=errors, status=422)
    job = start_sitrep(request.app, member, asked)
    return see_other(f"/w/{member.workspace.slug}/reports/jobs/{job.id}")


@router.get("/w/{workspace}/reports/jobs/{job_id}")
def report_job_page(request: Request, member: MemberDep, job_id: str) -> HTMLResponse:
    """A report being written: its progress, then its download link (htmx polls the fragment)."""
    with member.reading() as session:
        found = find_job_result(session, member, job_id, (KIND,))
    if found is None or found[0].kind != KIND:
        raise HTTPException(404, NO_SUCH_JOB)
    job, username, row = found
    entry = _entry(row, _names(_view(member))) if row is not None else None
    context: dict[str, Any] = {
        "job": job,
        "requested_by": username,
        "entry": entry,
        "running": job.status not in (DONE, FAILED),
    }
    if is_htmx(request):
        return page(request, "reports/_job.html", member, **context)
    return page(request, "reports/job.html", member, section="reports", **context)


@router.get("/w/{workspace}/reports/{sitrep_id}")
def report_page(request: Request, member: MemberDep, sitrep_id: str) -> HTMLResponse:
    """One stored report: what it is, who may read it, what changed, and its download."""
    row = stored_report(member, sitrep_id)
    view = _view(member)
    return page(
        request,
        "reports/report.html",
        member,
        section="reports",
        entry=_entry(row, _names(view)),
        zone=view.summit.timezone,
    )


@router.get("/w/{workspace}/reports/{sitrep_id}/download")
def report_download(member: MemberDep, sitrep_id: str) -> Response:
    """The stored report as a file (Markdown, HTML or PDF), always as an attachment."""
    row = stored_report(member, sitrep_id)
    raw, media_type, _ = report_file(row)
    disposition = f'attachment; filename="{_download_name(row)}"'
    return Response(raw, media_type=media_type, headers={"Content-Disposition": disposition})
