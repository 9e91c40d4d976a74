"""Readiness: the forecast as a background job, its S-curve, its drivers, what-ifs.

``/readiness`` shows the latest finished forecast of the member's party that the member may
read, and the form that starts another (the job the API's ``POST forecast`` starts, with the
same what-ifs). The job's page shows its progress — htmx polls a fragment of it every second;
without JavaScript the page refreshes itself — and then the result: the S-curve, the chance of
being ready by the summit date, the P50/P80 finish, the tasks and risk events that drive it,
what the what-if changes, and the change since the last forecast stored for the same reader.
Anyone in the workspace may run a forecast, as the API allows (it changes no plan record).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from summitry.web.analyses import (
    NO_SUCH_JOB,
    WHAT_IF_CHART,
    ForecastCreate,
    check_what_if,
    forecast_request,
    start_forecast,
)
from summitry.web.deps import Member, MemberDep
from summitry.web.jobs import (
    DONE,
    FAILED,
    find_job_result,
    find_result,
    latest_job,
    result_label,
)
from summitry.web.pages.render import is_htmx, page, see_other

if TYPE_CHECKING:
    from summitry.analysis.readiness import Forecast
    from summitry.domain.plan import Plan
    from summitry.store.schema import JobRow, StoredResult

router = APIRouter(include_in_schema=False)

KIND = "forecast"
CHARTS = {
    "s-curve": "S-curve: the probability that all preparation is finished by each date",
    "sensitivity": "Tornado: how strongly each task's duration moves the overall finish",
    "risk-drivers": "Tornado: working days each risk event adds to the P80 finish",
    WHAT_IF_CHART: "S-curve of the what-if: the probability of being finished by each date",
}
"""The charts a forecast's page shows (by the name of their route) and their alt text."""

FIELDS = ("iterations", "summit_date", "mitigate", "drop", "scenario")
"""The form's fields, as the API's ``ForecastCreate`` names them."""


# ---------------------------------------------------------------------------------------------
# What a stored forecast shows
# ---------------------------------------------------------------------------------------------


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _forecast(document: Mapping[str, Any]) -> Forecast:
    """A forecast read back from its stored document (reader and label set aside)."""
    from summitry.analysis.readiness import Forecast

    body = {k: v for k, v in document.items() if k not in ("viewer", "label", "variant")}
    return Forecast.from_dict(body)


@dataclass(frozen=True)
class Shown:
    """A finished forecast as the page shows it: the baseline, its what-if, last time's."""

    job_id: str
    requested_by: str
    label: str
    baseline: Forecast
    variant: Forecast | None
    what_if: str
    previous: Forecast | None
    charts: tuple[tuple[str, str], ...]

    @property
    def drivers(self) -> list[Any]:
        """The tasks that drive the finish (as every page, terminal and report lists them)."""
        from summitry.services.viewmodels import finish_drivers

        return finish_drivers(self.baseline)

    @property
    def risk_drivers(self) -> list[Any]:
        """The risk events that delay the P80 finish most, the worst first."""
        return list(self.baseline.risk_drivers[:5])

    def percent(self, value: float | None) -> str:
        """A probability as the page prints it: ``81%`` (``—`` when there is none)."""
        return _percent(value)

    def was(self, stream_id: str) -> Any:
        """Last time's forecast of a workstream (None when there was none)."""
        if self.previous is None:
            return None
        return next((s for s in self.previous.workstreams if s.id == stream_id), None)

    def variant_of(self, stream_id: str) -> Any:
        """The what-if's forecast of a workstream (None without a what-if)."""
        if self.variant is None:
            return None
        return next((s for s in self.variant.workstreams if s.id == stream_id), None)


def _shown(session: Any, member: Member, job: JobRow, username: str, row: StoredResult) -> Shown:
    """Read a finished job's stored result, and the stored forecast it was compared with."""
    body = row.body
    document = body["document"]
    variant = document.get("variant")
    previous = None
    if body.get("previous"):
        last = find_result(session, member, body["previous"], (KIND,))
        if last is not None:
            previous = _forecast(last.body["document"])
    asked = ForecastCreate.model_validate(job.params)
    charts = tuple(
        (name, alt) for name, alt in CHARTS.items() if name in (body.get("charts") or {})
    )
    return Shown(
        job_id=job.id,
        requested_by=username,
        label=result_label(row).describe(),
        baseline=_forecast(document),
        variant=_forecast(variant) if variant else None,
        what_if=forecast_request(asked).what_if.describe(),
        previous=previous,
        charts=charts,
    )


def _job(member: Member, job_id: str) -> tuple[JobRow, str, Shown | None]:
    """The member's forecast job and, once done, what it shows; 404 as for a missing id."""
    with member.reading() as session:
        found = find_job_result(session, member, job_id, (KIND,))
        if found is None or found[0].kind != KIND:
            raise HTTPException(404, NO_SUCH_JOB)
        job, username, row = found
        shown = _shown(session, member, job, username, row) if row is not None else None
    return job, username, shown


# ---------------------------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------------------------


def _view(member: Member) -> Plan:
    from summitry.services.source import read_view

    return read_view(member.source, member.principal)


def _form_page(
    request: Request,
    member: Member,
    *,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    view = _view(member)
    shown = None
    latest_at = None
    with member.reading() as session:
        latest = latest_job(session, member, KIND)
        if latest is not None:
            found = find_job_result(session, member, latest[0].id, (KIND,))
            if found is not None and found[2] is not None:
                shown = _shown(session, member, found[0], found[1], found[2])
                latest_at = found[0].updated_at
    risks = sorted(view.risks.values(), key=lambda risk: risk.id)
    given = dict(values or {})
    given.setdefault("iterations", str(view.forecast.iterations))
    return page(
        request,
        "readiness/index.html",
        member,
        section="readiness",
        status=status,
        shown=shown,
        latest_at=latest_at,
        zone=view.summit.timezone,
        summit_date=view.summit.earliest_date,
        has_work=bool(view.work_items()),
        risks=risks,
        mitigable=[risk for risk in risks if risk.mitigation is not None],
        values=given,
        plan_iterations=view.forecast.iterations,
        errors=dict(errors or {}),
    )


@router.get("/w/{workspace}/readiness")
def readiness_page(request: Request, member: MemberDep) -> HTMLResponse:
    """The latest forecast the member may read (or what to do first), and the form."""
    return _form_page(request, member)


def _asked(
    iterations: str, summit_date: str, mitigate: list[str], drop: list[str], scenario: str
) -> dict[str, Any]:
    """The form's text as the API's body would carry it (empty fields left out)."""
    count = iterations.strip().replace(",", "").replace("_", "")
    body: dict[str, Any] = {"mitigate": mitigate, "drop": drop}
    if count:
        body["iterations"] = int(count) if count.isdigit() else count
    if summit_date.strip():
        body["summit_date"] = summit_date.strip()
    if scenario.strip():
        body["scenario"] = scenario.strip()
    return body


@router.post("/w/{workspace}/readiness")
def run_forecast(
    request: Request,
    member: MemberDep,
    iterations: Annotated[str, Form(max_length=40)] = "",
    summit_date: Annotated[str, Form(max_length=40)] = "",
    mitigate: Annotated[list[str] | None, Form()] = None,
    drop: Annotated[list[str] | None, Form()] = None,
    scenario: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Start a forecast job with the form's what-ifs and go to its page (303).

    A value the API would refuse, or a risk the member's view does not hold, gets the form
    again (422) with the reason next to its field.
    """
    values: dict[str, Any] = {
        "iterations": iterations,
        "summit_date": summit_date,
        "mitigate": mitigate or [],
        "drop": drop or [],
        "scenario": scenario,
    }
    errors: dict[str, str] = {}
    asked = None
    try:
        asked = ForecastCreate.model_validate(
            _asked(iterations, summit_date, mitigate or [], drop or [], scenario)
        )
    except ValidationError as err:
        for problem in err.errors():
            field = str(problem["loc"][0]) if problem["loc"] else "iterations"
            errors.setdefault(field if field in FIELDS else "iterations", problem["msg"])
    try:  # the risks are checked even when another field is wrong: every reason at once
        risks = asked or ForecastCreate(mitigate=mitigate or [], drop=drop or [])
        check_what_if(member, risks, "form")
    except ValidationError:
        pass  # a risk id too long to be one: named above already
    except RequestValidationError as err:
        for problem in err.errors():
            errors.setdefault(str(problem["loc"][-1]), str(problem["msg"]))
    if errors or asked is None:
        return _form_page(request, member, values=values, errors=errors, status=422)
    job = start_forecast(request.app, member, asked)
    return see_other(f"/w/{member.workspace.slug}/readiness/jobs/{job.id}")


@router.get("/w/{workspace}/readiness/jobs/{job_id}")
def forecast_job_page(request: Request, member: MemberDep, job_id: str) -> HTMLResponse:
    """A forecast job: its progress while it runs, then its result.

    htmx asks for the fragment alone (every second, until the job is done or failed).
    """
    job, username, shown = _job(member, job_id)
    context: dict[str, Any] = {
        "job": job,
        "requested_by": username,
        "shown": shown,
        "running": job.status not in (DONE, FAILED),
        "what_if": forecast_request(ForecastCreate.model_validate(job.params)).what_if.describe(),
    }
    if is_htmx(request):
        return page(request, "readiness/_job.html", member, **context)
    return page(request, "readiness/job.html", member, section="readiness", **context)


@router.get("/w/{workspace}/readiness/jobs/{job_id}/{chart}.svg")
def forecast_chart(member: MemberDep, job_id: str, chart: str) -> Response:
    """One chart of a finished forecast, as the reports draw it (``image/svg+xml``)."""
    with member.reading() as session:
        found = find_job_result(session, member, job_id, (KIND,))
    if found is None or found[0].kind != KIND:
        raise HTTPException(404, NO_SUCH_JOB)
    row = found[2]
    charts: dict[str, str] = (row.body.get("charts") or {}) if row is not None else {}
    if chart not in charts:
        raise HTTPException(404, "no such chart")
    return Response(charts[chart].encode(), media_type="image/svg+xml")
