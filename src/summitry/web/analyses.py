"""The analyses over the API, the blind mediation, situation reports and their jobs.

The dashboard, checks, forecast, negotiation, scenarios, risks and venues of the member's view.

Every route reads as the calling member (their party, their clearances) and answers with the
document the command line prints with ``--json`` for the same reader (docs/json-output.md):
the same ``viewer``, the same ``label``, the same keys. Long work — a forecast, a large
scenario search, a situation report — is a job (:mod:`summitry.web.jobs`): the POST answers
202 at once with the job, whose progress ``GET jobs/{id}`` shows and whose result
``GET jobs/{id}/result`` gives once it is done. See docs/api.md.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

from fastapi import APIRouter, Body, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from summitry.errors import InputError, PlanError
from summitry.services.forecasting import MAX_ITER
from summitry.web.deps import Member, MemberDep
from summitry.web.jobs import (
    DONE,
    FAILED,
    JobRead,
    Output,
    Progress,
    Requester,
    find_job,
    find_job_result,
    find_result,
    job_read,
    list_jobs,
    list_results,
    own_label,
    result_label,
    runner_of,
)

if TYPE_CHECKING:
    from summitry.access.labels import Label
    from summitry.access.policy import Principal
    from summitry.reports.document import Document as ReportDocument
    from summitry.services.forecasting import ForecastRequest
    from summitry.services.scenarios import ScenarioOutcome
    from summitry.store.reads import WorkspaceRef
    from summitry.store.schema import JobRow, StoredResult

router = APIRouter(prefix="/api/v1")

WS = "/workspaces/{workspace}"
NO_SUCH_JOB = "no such job"
NO_SUCH_REPORT = "no such situation report"
SITREP_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
JOB_KINDS = ("forecast", "scenarios", "sitrep")


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


def _supported(day: dt.date) -> dt.date:
    from summitry.domain.base import FIRST_DATE, LAST_DATE, is_supported_date

    if not is_supported_date(day):
        raise ValueError(
            f"{day} is outside the dates summitry supports ({FIRST_DATE} to {LAST_DATE})"
        )
    return day


def _iterations(count: int | str | None) -> int | str | None:
    if count is None or count == "auto":
        return count
    if isinstance(count, str) or not 100 <= count <= MAX_ITER:
        raise ValueError(f"a number from 100 to {MAX_ITER:,}, or 'auto'")
    return count


SupportedDate = Annotated[dt.date, AfterValidator(_supported)]
"""A date summitry can reckon with (1900-01-01 to 2200-12-31)."""

Seed = Annotated[int, Field(ge=0, le=2**63 - 1)]
Slug = Annotated[str, Field(min_length=1, max_length=200)]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


class ForecastCreate(BaseModel):
    """A forecast to run, with its what-ifs (all optional; the plan's settings otherwise)."""

    model_config = ConfigDict(extra="forbid")

    iterations: Annotated[int | str | None, AfterValidator(_iterations)] = None
    seed: Seed = 0
    as_of: SupportedDate | None = None
    summit_date: SupportedDate | None = None
    mitigate: Annotated[list[Slug], Field(max_length=100)] = []
    drop: Annotated[list[Slug], Field(max_length=100)] = []
    scenario: Annotated[int, Field(ge=1, le=1_000_000)] | None = None


class ScenariosCreate(BaseModel):
    """A scenario search to run as a job: held descriptors, tolerance and a time limit."""

    model_config = ConfigDict(extra="forbid")

    fix: Annotated[dict[Slug, Slug], Field(max_length=200)] = {}
    max_inconsistency: Annotated[int, Field(ge=0, le=100)] = 0
    time_limit: Annotated[float, Field(gt=0, le=24 * 3600)] | None = None


class NegotiationAssess(BaseModel):
    """The negotiation analysis with a tentative package (issue → option) to assess."""

    model_config = ConfigDict(extra="forbid")

    package: Annotated[dict[Slug, Slug], Field(max_length=500)] | None = None
    party: Annotated[list[Slug], Field(max_length=50)] = []
    seed: Seed = 0


class MediationRun(BaseModel):
    """How to run the blind mediation (the seed of any sampled estimate)."""

    model_config = ConfigDict(extra="forbid")

    seed: Seed = 0


class SitrepCreate(BaseModel):
    """A situation report to write for the calling member."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["md", "html", "pdf"] = "md"
    as_of: SupportedDate | None = None
    forecast: bool = True
    seed: Seed = 0


@contextmanager
def blame(where: str, **given: object) -> Iterator[None]:
    """Answer a service's refusal of one of the request's inputs as a 422 naming the field.

    A refusal names the input it is about (``package: unknown issue 'x'``, ``no risk 'y'``);
    when it names one of ``given`` (and that input was given), the answer says which field.
    Usage: ``with blame("query", scenario=scenario): risks(...)``.
    """
    try:
        yield
    except PlanError:
        raise
    except InputError as err:
        field = _culprit(str(err), given)
        if field is None:
            raise
        problem = {"loc": (where, field), "msg": str(err), "type": "value_error"}
        raise RequestValidationError([problem]) from None


def _culprit(message: str, given: Mapping[str, object]) -> str | None:
    for name, value in given.items():
        if value is None or value == [] or value == {}:
            continue
        if message.startswith(f"{name}:") or message.startswith(f"{name} "):
            return name
        items: list[object] = [value]
        if isinstance(value, Mapping):
            items = [*value.keys(), *value.values()]
        elif isinstance(value, list | tuple):
            items = list(value)
        if any(f"'{item}'" in message for item in items):
            return name
    return None


def _fixed(pairs: list[str]) -> dict[str, str]:
    fixed: dict[str, str] = {}
    for index, pair in enumerate(pairs):
        descriptor, _, variant = pair.partition("=")
        if not descriptor.strip() or not variant.strip():
            problem = {
                "loc": ("query", "fix"),
                "msg": f"'{pair[:80]}' (number {index + 1}) should read DESCRIPTOR=VARIANT",
                "type": "value_error",
            }
            raise RequestValidationError([problem])
        fixed[descriptor.strip()] = variant.strip()
    return fixed


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------


def document(
    kind: str,
    payload: Mapping[str, Any],
    principal: Principal | None = None,
    label: Label | None = None,
) -> dict[str, Any]:
    """A ``--json`` document: schema version, kind, reader, label, then the payload.

    The same document ``summitry KIND --json`` prints for the same reader.
    Usage: ``document("status", {"dashboard": board}, principal, outcome.label)``.
    """
    from pydantic_core import to_jsonable_python

    from summitry.cli._app import JSON_SCHEMA_VERSION

    out: dict[str, Any] = {"schema_version": JSON_SCHEMA_VERSION, "kind": kind}
    if principal is not None:
        out["viewer"] = principal.as_dict()
    if label is not None:
        out["label"] = label.as_dict()
    out.update(payload)
    result: dict[str, Any] = to_jsonable_python(out)
    return result


def _scenario_document(outcome: ScenarioOutcome, principal: Principal) -> dict[str, Any]:
    return document(
        "scenarios",
        {
            "complete": outcome.complete,
            "found": outcome.found,
            "risks": {str(i + 1): names for i, names in outcome.risks.items()},
            "succession_cycles": outcome.succession_cycles,
            "diagnostics": outcome.diagnostics,
            "notes": list(outcome.notes),
        },
        principal,
        outcome.label,
    )


def _job_answer(member: Member, job: JobRow) -> JSONResponse:
    read = job_read(job, member.caller.user.username, member.workspace.slug)
    location = f"/api/v1/workspaces/{member.workspace.slug}/jobs/{job.id}"
    return JSONResponse(
        read.model_dump(mode="json"), status_code=202, headers={"Location": location}
    )


# ---------------------------------------------------------------------------------------------
# The dashboard and the checks
# ---------------------------------------------------------------------------------------------


@router.get(WS + "/status")
def status(
    member: MemberDep,
    as_of: Annotated[SupportedDate | None, Query()] = None,
    due_soon: Annotated[int, Query(ge=0, le=3650)] = 10,
) -> dict[str, Any]:
    """The dashboard: preparation aspects, strategic issues, engagement, what needs attention.

    The ``status --json`` document for the member. Usage: ``GET /api/v1/workspaces/demo/status``.
    """
    from summitry.services.plans import status as board_of

    source = member.source
    found = board_of(source, member.principal, as_of, due_soon)
    body = {"file": str(source), "dashboard": found.board, "notes": list(found.notes)}
    return document("status", body, member.principal, found.label)


@router.get(WS + "/validate")
def validate(member: MemberDep) -> dict[str, Any]:
    """Check the member's view: every problem, the warnings and notes (``validate --json``).

    Usage: ``GET /api/v1/workspaces/demo/validate``.
    """
    from summitry.services.plans import validate as check

    source = member.source
    found = check(source, member.principal)
    body: dict[str, Any] = {"file": str(source), "valid": found.view is not None}
    if found.view is None:
        body["problems"] = [_problem(p) for p in found.problems]
    else:
        body["counts"] = found.counts
        body["warnings"] = [_problem(w) for w in found.warnings]
        body["notes"] = list(found.notes)
    return document("validate", body, member.principal)


def _problem(problem: Any) -> dict[str, Any]:
    return {"line": problem.line, "path": list(problem.path), "message": problem.message}


# ---------------------------------------------------------------------------------------------
# The readiness forecast (a job)
# ---------------------------------------------------------------------------------------------


@router.post(WS + "/forecast", status_code=202)
def forecast(
    request: Request,
    member: MemberDep,
    body: Annotated[ForecastCreate | None, Body()] = None,
) -> JSONResponse:
    """Start the readiness forecast with its what-ifs; 202 with the job at once.

    Usage: ``POST /api/v1/workspaces/demo/forecast {"iterations": 20000, "mitigate":
    ["venue-deadlock"]}``, then poll the job's ``Location``.
    """
    job = start_forecast(request.app, member, body or ForecastCreate())
    return _job_answer(member, job)


FORECAST_CHARTS = {
    "readiness-s-curve": "s-curve",
    "readiness-sensitivity": "sensitivity",
    "readiness-risk-drivers": "risk-drivers",
}
"""The charts a forecast's result keeps (the reports' figure name → the name pages use)."""

WHAT_IF_CHART = "what-if-s-curve"
"""The S-curve of a forecast's what-if, kept beside the baseline's charts."""


def forecast_request(asked: ForecastCreate) -> ForecastRequest:
    """The service's request for what the API's body (or a page's form) asks.

    Usage: ``forecast_request(ForecastCreate(mitigate=["venue-deadlock"])).what_if.any``.
    """
    from summitry.services.forecasting import ForecastRequest

    return ForecastRequest(
        iterations=cast("int | Literal['auto'] | None", asked.iterations),
        seed=asked.seed,
        as_of=asked.as_of,
        summit_date=asked.summit_date,
        mitigate=tuple(asked.mitigate),
        drop=tuple(asked.drop),
        scenario=asked.scenario,
    )


def start_forecast(app: FastAPI, member: Member, asked: ForecastCreate) -> JobRow:
    """Start the readiness forecast of the member's view with its what-ifs, as a job.

    The job compares the baseline with the last forecast stored for the same reader (party
    and clearances) and keeps that one's id as ``previous``, and the charts of the result.
    Usage: ``job = start_forecast(request.app, member, ForecastCreate(iterations=500))``.
    """
    wanted = forecast_request(asked)
    source, requester = member.source, Requester.of(member)

    def work(tick: Progress) -> Output:
        return _run_forecast(requester, source, wanted, tick)

    stages = 2 if wanted.what_if.any else 1
    params = asked.model_dump(mode="json")
    return runner_of(app).submit(member, "forecast", params, work, stages=stages)


def _run_forecast(
    requester: Requester, source: WorkspaceRef, wanted: ForecastRequest, tick: Progress
) -> Output:
    """Run the forecast as the requester, after their last one, and keep its charts."""
    from summitry.reports.readiness_view import forecast_figures
    from summitry.services.forecasting import readiness

    principal = requester.principal
    with tempfile.TemporaryDirectory(prefix="summitry-forecast-") as folder:
        previous, previous_id = _previous_forecast(requester, Path(folder))
        outcome = readiness(source, principal, wanted, previous=previous, progress=tick)
    charts = {
        FORECAST_CHARTS[figure.name]: figure.svg
        for figure in forecast_figures(outcome.view, outcome.baseline)
        if figure.name in FORECAST_CHARTS
    }
    if outcome.variant is not None:
        for figure in forecast_figures(outcome.view, outcome.variant):
            if figure.name == "readiness-s-curve":
                charts[WHAT_IF_CHART] = figure.svg
    body = {"document": outcome.document(principal), "charts": charts, "previous": previous_id}
    return Output("forecast", body, outcome.label)


def _previous_forecast(requester: Requester, folder: Path) -> tuple[Path | None, str | None]:
    """The requester's last stored forecast (same reader, same clearances) as a file, its id."""
    from summitry.analysis.readiness import Forecast

    principal = requester.principal
    with requester.db.transaction(principal) as session:
        rows = list_results(session, requester.workspace_id, principal, ("forecast",), 200)
    for row in rows:
        found: dict[str, Any] = row.body.get("document") or {}
        if found.get("viewer") != principal.as_dict():
            continue
        saved = {key: value for key, value in found.items() if key != "variant"}
        try:
            Forecast.from_dict({k: v for k, v in saved.items() if k not in ("viewer", "label")})
        except InputError:  # written by another version of summitry: nothing to compare
            continue
        path = folder / "previous.json"
        path.write_text(json.dumps(saved), encoding="utf-8")
        return path, row.id
    return None, None


def check_what_if(member: Member, asked: ForecastCreate, where: str = "body") -> None:
    """Refuse at once a what-if the member's view cannot run (422 naming the field).

    The forecast job would fail with the same message; a form says it next to the field
    before any job starts. Usage: ``check_what_if(member, ForecastCreate(drop=["x"]))``.
    """
    from summitry.services.forecasting import _check_what_if
    from summitry.services.source import read_view

    view = read_view(member.source, member.principal)
    with blame(where, mitigate=asked.mitigate, drop=asked.drop):
        _check_what_if(view, forecast_request(asked))


# ---------------------------------------------------------------------------------------------
# Jobs
# ---------------------------------------------------------------------------------------------


class JobList(BaseModel):
    """A page of the member's party's jobs, newest first."""

    items: list[JobRead]
    limit: int
    offset: int


@router.get(WS + "/jobs")
def jobs(member: MemberDep, limit: Limit = 50, offset: Offset = 0) -> JobList:
    """The jobs of the member's party (those the member's clearances let them see).

    Usage: ``GET /api/v1/workspaces/demo/jobs?limit=20``.
    """
    with member.reading() as session:
        rows = list_jobs(session, member, limit, offset)
    slug = member.workspace.slug
    return JobList(
        items=[job_read(job, name, slug) for job, name in rows], limit=limit, offset=offset
    )


@router.get(WS + "/jobs/{job_id}")
def job(member: MemberDep, job_id: str) -> JobRead:
    """One job: its status and progress, its error once failed, its result's URL once done.

    Usage: ``GET /api/v1/workspaces/demo/jobs/3f2c…``.
    """
    with member.reading() as session:
        found = find_job(session, member, job_id)
    if found is None:
        raise HTTPException(404, NO_SUCH_JOB)
    return job_read(found[0], found[1], member.workspace.slug)


@router.get(WS + "/jobs/{job_id}/result")
def job_result(member: MemberDep, job_id: str) -> dict[str, Any]:
    """A done job's result: the document its service gives (409 while it runs or once failed).

    Usage: ``GET /api/v1/workspaces/demo/jobs/3f2c…/result``.
    """
    with member.reading() as session:
        found = find_job_result(session, member, job_id, JOB_KINDS)
    if found is None:
        raise HTTPException(404, NO_SUCH_JOB)
    job_row, _, row = found
    if job_row.status == FAILED:
        raise HTTPException(409, f"the job failed: {job_row.error}")
    if job_row.status != DONE:
        done, total = job_row.done, job_row.total
        raise HTTPException(409, f"the job is {job_row.status} ({done} of {total}); try later")
    if row is None:
        raise HTTPException(404, NO_SUCH_JOB)
    if row.kind == "sitrep":
        return sitrep_entry(row, member.workspace.slug)
    result: dict[str, Any] = row.body["document"]
    return result


# ---------------------------------------------------------------------------------------------
# Negotiation
# ---------------------------------------------------------------------------------------------


@router.get(WS + "/negotiate")
def negotiate(
    member: MemberDep,
    party: Annotated[list[Slug], Query(max_length=50)] = [],  # noqa: B006 (FastAPI copies it)
    seed: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
) -> dict[str, Any]:
    """The negotiation analysis for the member's delegation (``negotiate --as PARTY --json``).

    Usage: ``GET /api/v1/workspaces/demo/negotiate``.
    """
    return _negotiation(member, None, party, seed, "query")


@router.post(WS + "/negotiate")
def assess(
    member: MemberDep, body: Annotated[NegotiationAssess | None, Body()] = None
) -> dict[str, Any]:
    """The negotiation analysis with a tentative package assessed (``--package``).

    Usage: ``POST /api/v1/workspaces/demo/negotiate {"package": {"cybersecurity":
    "framework"}}``.
    """
    asked = body or NegotiationAssess()
    return _negotiation(member, asked.package, asked.party, asked.seed, "body")


def _negotiation(
    member: Member,
    package: dict[str, str] | None,
    parties: list[str],
    seed: int,
    where: str,
) -> dict[str, Any]:
    from summitry.reports.negotiation_view import negotiation_document
    from summitry.services.negotiation import negotiate as analyse

    principal = member.principal
    with blame(where, package=package, party=parties):
        outcome = analyse(member.source, principal, parties=parties, package=package, seed=seed)
    return document("negotiate", negotiation_document(outcome.analysis), principal, outcome.label)


# ---------------------------------------------------------------------------------------------
# Scenarios, risks, venues
# ---------------------------------------------------------------------------------------------


@router.get(WS + "/scenarios")
def scenarios(
    member: MemberDep,
    fix: Annotated[list[str], Query(max_length=200)] = [],  # noqa: B006 (FastAPI copies it)
    max_inconsistency: Annotated[int, Query(ge=0, le=100)] = 0,
    time_limit: Annotated[float | None, Query(gt=0, le=3600)] = None,
) -> dict[str, Any]:
    """Consistent scenarios of the member's view and the risks each switches on.

    ``fix`` holds a descriptor (``fix=sanctions=relief``, repeatable). A large search is better
    run as a job (``POST scenarios``). Usage: ``GET /api/v1/workspaces/demo/scenarios``.
    """
    from summitry.services.scenarios import scenarios as search

    fixed = _fixed(fix)
    with blame("query", fix=fixed):
        outcome = search(
            member.source,
            member.principal,
            fixed=fixed,
            max_inconsistency=max_inconsistency,
            time_limit=time_limit,
        )
    return _scenario_document(outcome, member.principal)


@router.post(WS + "/scenarios", status_code=202)
def scenario_job(
    request: Request, member: MemberDep, body: Annotated[ScenariosCreate | None, Body()] = None
) -> JSONResponse:
    """Start a scenario search as a job (for large matrices); 202 with the job at once.

    Usage: ``POST /api/v1/workspaces/demo/scenarios {"time_limit": 600}``.
    """
    asked = body or ScenariosCreate()
    source, principal = member.source, member.principal

    def work(tick: Progress) -> Output:
        from summitry.services.scenarios import scenarios as search

        outcome = search(
            source,
            principal,
            fixed=dict(asked.fix),
            max_inconsistency=asked.max_inconsistency,
            time_limit=asked.time_limit,
            progress=tick,
        )
        label = outcome.label or own_label(principal)
        return Output("scenarios", {"document": _scenario_document(outcome, principal)}, label)

    params = asked.model_dump(mode="json")
    job = runner_of(request.app).submit(member, "scenarios", params, work, stages=2)
    return _job_answer(member, job)


@router.get(WS + "/risks")
def risks(
    member: MemberDep,
    as_of: Annotated[SupportedDate | None, Query()] = None,
    scenario: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> dict[str, Any]:
    """The risk register by exposure; with ``scenario``, the risks it switches on first.

    Usage: ``GET /api/v1/workspaces/demo/risks?scenario=1``.
    """
    from summitry.services.scenarios import risks as register

    with blame("query", scenario=scenario):
        outcome = register(member.source, member.principal, as_of=as_of, scenario=scenario)
    chosen = outcome.scenario
    body = {
        "as_of": outcome.as_of,
        "scenario": chosen.as_dict() if chosen else None,
        "risks": outcome.rows,
    }
    return document("risks", body, member.principal, outcome.label)


@router.get(WS + "/venues")
def venues(
    member: MemberDep, seed: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0
) -> dict[str, Any]:
    """Venues screened on hard requirements, ranked, and how robust the ranking is.

    Usage: ``GET /api/v1/workspaces/demo/venues``.
    """
    from summitry.services.venues import venues as analyse

    outcome = analyse(member.source, member.principal, seed=seed)
    return document("venues", {"analysis": outcome.analysis}, member.principal, outcome.label)


# ---------------------------------------------------------------------------------------------
# The blind mediation
# ---------------------------------------------------------------------------------------------


@router.post(WS + "/mediation/run", status_code=201)
def run_mediation(
    member: MemberDep, body: Annotated[MediationRun | None, Body()] = None
) -> JSONResponse:
    """Run the blind mediation as the plan's mediator and store what it releases.

    Only members of the mediator's party see this route (others get 404, as for a route that
    does not exist), and only its editors run it. The release is stored: the package with its
    label, each delegation's own score with its (that delegation and the mediator) label.
    Usage: ``POST /api/v1/workspaces/demo/mediation/run``.
    """
    from summitry.web.mediating import run_mediation as run_and_store

    answer = run_and_store(member, (body or MediationRun()).seed)
    return JSONResponse(answer, status_code=201)


@router.get(WS + "/mediation")
def mediation(member: MemberDep) -> dict[str, Any]:
    """What the latest stored mediation gives the member: the package and the scores they may read.

    A delegation reads its own score only, the mediator every one, the host none.

    Usage: ``GET /api/v1/workspaces/demo/mediation``.
    """
    from summitry.web.mediating import NO_MEDIATION, latest_mediation

    found = latest_mediation(member)
    if found is None:
        raise HTTPException(404, NO_MEDIATION)
    return found


def _utc(moment: dt.datetime) -> str:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return aware.isoformat()


# ---------------------------------------------------------------------------------------------
# Situation reports (a job each)
# ---------------------------------------------------------------------------------------------


@router.post(WS + "/sitreps", status_code=202)
def create_sitrep(
    request: Request, member: MemberDep, body: Annotated[SitrepCreate | None, Body()] = None
) -> JSONResponse:
    """Write a situation report for the member (a job); 202 with the job at once.

    The report follows on from the member's last one (its number, "changes since the last
    report") and ends with the heads of the audit chains the member may see. It is stored
    labelled for the member (their party, their clearances).
    Usage: ``POST /api/v1/workspaces/demo/sitreps {"format": "pdf"}``.
    """
    job = start_sitrep(request.app, member, body or SitrepCreate())
    return _job_answer(member, job)


def start_sitrep(app: FastAPI, member: Member, asked: SitrepCreate) -> JobRow:
    """Start writing the member's situation report as a job; the job row.

    Usage: ``job = start_sitrep(request.app, member, SitrepCreate(format="pdf"))``.
    """
    source, requester = member.source, Requester.of(member)

    def work(tick: Progress) -> Output:
        return _write_sitrep(requester, source, asked, tick)

    params = asked.model_dump(mode="json")
    return runner_of(app).submit(member, "sitrep", params, work)


def _write_sitrep(
    requester: Requester, source: WorkspaceRef, asked: SitrepCreate, tick: Progress
) -> Output:
    """Build the report as the requester, after their last one, and render it."""
    from summitry.reports.render import html_page, markdown, pdf
    from summitry.services.sitrep import SitrepRequest, sitrep

    principal = requester.principal
    request = SitrepRequest(asked.as_of, asked.forecast, asked.seed)
    with tempfile.TemporaryDirectory(prefix="summitry-sitrep-") as folder:
        previous = _previous_snapshot(requester, Path(folder))
        outcome = sitrep(source, principal, request, previous=previous, progress=tick)
    report = outcome.report
    if report is None:  # only a report asked for "when due" is left unwritten
        raise InputError(outcome.not_due or "no report was written")
    number = report.snapshot.number
    stem = f"sitrep-{number}-{outcome.as_of}-{principal.name}"
    charts: dict[str, str] = {}
    if asked.format == "md":
        content, linked = markdown(report.document, f"{stem}-charts")
        charts = {name.rsplit("/", 1)[-1]: svg for name, svg in linked.items()}
        encoding = "utf-8"
    elif asked.format == "html":
        content, encoding = html_page(report.document), "utf-8"
    else:
        raw = pdf(report.document, (), report.snapshot.as_of)
        content, encoding = base64.b64encode(raw).decode("ascii"), "base64"
    label = own_label(principal)
    entry = document(
        "sitrep",
        {
            "due": True,
            "number": number,
            "as_of": outcome.as_of,
            "format": asked.format,
            "filename": f"{stem}.{asked.format}",
        },
        principal,
        label,
    )
    body = {
        "document": entry,
        "content": content,
        "encoding": encoding,
        "charts": charts,
        "snapshot": report.snapshot.model_dump_json(indent=2),
        **_sitrep_summary(report.document),
    }
    return Output("sitrep", body, label)


def _sitrep_summary(report: ReportDocument) -> dict[str, Any]:
    """What a list of reports shows of one: its header facts and its changes section.

    ``meta`` is the report's header (``[["Next report due", "2024-07-22"], ...]``);
    ``changes`` the blocks of "Changes since the last report" as plain text: ``{"text": ...}``
    for a paragraph, ``{"items": [...]}`` for a list.
    """
    from summitry.reports.document import Bullets, Paragraph

    blocks: list[dict[str, Any]] = []
    for section in report.sections:
        if section.id != "changes":
            continue
        for block in section.blocks:
            if isinstance(block, Paragraph):
                blocks.append({"text": block.text})
            elif isinstance(block, Bullets):
                blocks.append({"items": list(block.items)})
    return {"meta": [list(pair) for pair in report.meta], "changes": blocks}


def _previous_snapshot(requester: Requester, folder: Path) -> Path | None:
    """The snapshot of the requester's last report (the same reader and clearances), as a file."""
    principal = requester.principal
    with requester.db.transaction(principal) as session:
        rows = list_results(session, requester.workspace_id, principal, ("sitrep",), 200)
    for row in rows:
        snapshot = json.loads(row.body["snapshot"])
        same = snapshot.get("viewer") == principal.name and set(
            snapshot.get("clearances") or ()
        ) == set(principal.clearances)
        if same:
            path = folder / "previous.json"
            path.write_text(row.body["snapshot"], encoding="utf-8")
            return path
    return None


def sitrep_entry(row: StoredResult, workspace: str) -> dict[str, Any]:
    """A stored report as listed: its document, id, download URL and when it was written."""
    entry: dict[str, Any] = dict(row.body["document"])
    entry["label"] = result_label(row).as_dict()
    entry["id"] = row.id
    entry["download"] = f"/api/v1/workspaces/{workspace}/sitreps/{row.id}"
    entry["charts"] = [
        f"/api/v1/workspaces/{workspace}/sitreps/{row.id}/charts/{name}"
        for name in sorted(row.body.get("charts") or {})
    ]
    entry["created_at"] = _utc(row.created_at)
    return entry


@router.get(WS + "/sitreps")
def sitreps(member: MemberDep, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """The situation reports of the member's party that the member may read, newest first.

    Usage: ``GET /api/v1/workspaces/demo/sitreps``.
    """
    rows = stored_reports(member, limit, offset)
    slug = member.workspace.slug
    return {"items": [sitrep_entry(row, slug) for row in rows], "limit": limit, "offset": offset}


def stored_reports(member: Member, limit: int = 50, offset: int = 0) -> list[StoredResult]:
    """The stored reports of the member's party that the member may read, newest first.

    Usage: ``stored_reports(member, 51, 0)``.
    """
    with member.reading() as session:
        return list_results(
            session, member.workspace.id, member.principal, ("sitrep",), limit, offset
        )


def stored_report(member: Member, sitrep_id: str) -> StoredResult:
    """One stored report the member may read; 404 ``no such situation report`` otherwise.

    Usage: ``row = stored_report(member, sitrep_id)``.
    """
    with member.reading() as session:
        row = find_result(session, member, sitrep_id, ("sitrep",))
    if row is None:
        raise HTTPException(404, NO_SUCH_REPORT)
    return row


@router.get(WS + "/sitreps/{sitrep_id}")
def sitrep_file(member: MemberDep, sitrep_id: str) -> Response:
    """A situation report as stored: Markdown, HTML or PDF, named for download.

    Usage: ``GET /api/v1/workspaces/demo/sitreps/3f2c…`` gives
    ``sitrep-1-2024-07-15-russia.md``.
    """
    raw, media_type, filename = report_file(stored_report(member, sitrep_id))
    disposition = f'attachment; filename="{filename}"'
    return Response(raw, media_type=media_type, headers={"Content-Disposition": disposition})


def report_file(row: StoredResult) -> tuple[bytes, str, str]:
    """A stored report's bytes, content type and file name (``sitrep-1-2024-07-15-russia.md``).

    Usage: ``raw, media_type, filename = report_file(stored_report(member, sitrep_id))``.
    """
    entry = row.body["document"]
    content = row.body["content"]
    raw = base64.b64decode(content) if row.body["encoding"] == "base64" else content.encode()
    return raw, SITREP_TYPES[entry["format"]], str(entry["filename"])


@router.get(WS + "/sitreps/{sitrep_id}/charts/{name}")
def sitrep_chart(
    member: MemberDep,
    sitrep_id: str,
    name: str,
) -> Response:
    """A chart a Markdown report links (SVG).

    Usage: ``GET /api/v1/workspaces/demo/sitreps/3f2c…/charts/readiness-s-curve.svg``.
    """
    row = stored_report(member, sitrep_id)
    charts: dict[str, str] = row.body.get("charts") or {}
    if name not in charts:
        raise HTTPException(404, "no such chart")
    return Response(charts[name].encode(), media_type="image/svg+xml")
