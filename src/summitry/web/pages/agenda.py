"""The agenda and negotiation: issues, my position and estimates, my analysis.

Everything comes from the member's own view: the strategic issues and engagement mechanisms,
the positions their party holds (its own and its private estimates of the other side, edited
here through the store's revision-checked writes), and the negotiation analysis for their
delegation (``services.negotiation.negotiate``, as the API's ``negotiate``) with its frontier
chart and a tentative package assessed. An issue or position the member may not read is not
found, in the same words as one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from summitry.errors import InputError, PlanError, Problem
from summitry.store.records import ConflictError, ForbiddenError, NotFoundError, StoredRecord
from summitry.web.deps import Member, MemberDep
from summitry.web.pages.render import is_htmx, page, see_other

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from summitry.domain.plan import Plan
    from summitry.services.negotiation import NegotiationOutcome

router = APIRouter(include_in_schema=False)

W = "/w/{workspace}"
PER_PAGE = 50
POSITIONS = "positions"


# ---------------------------------------------------------------------------------------------
# Reading the member's view
# ---------------------------------------------------------------------------------------------


def member_view(member: Member) -> Plan:
    """The member's own view of the plan (what their party and clearances may read).

    Usage: ``member_view(member).issues``.
    """
    from summitry.services.source import read_view

    return read_view(member.source, member.principal)


def held_positions(member: Member) -> list[StoredRecord]:
    """The position records of the member's view, as stored (id, revision, label, body).

    Reading them is audited as the API's reads are. Usage: ``held_positions(member)[0].slug``.
    """
    from summitry.store.records import view_records
    from summitry.store.views import assemble

    with member.reading() as session:
        view = assemble(session, member.workspace, member.principal)
        found = view_records(view, POSITIONS)
        _audit(member, session, found)
    return found


def position_record(member: Member, record_id: str) -> StoredRecord:
    """One position of the member's view; :class:`NotFoundError` as for a missing id.

    Usage: ``position_record(member, rid).body["about"]``.
    """
    from summitry.store.records import view_record
    from summitry.store.views import assemble

    with member.reading() as session:
        view = assemble(session, member.workspace, member.principal)
        found = view_record(view, POSITIONS, record_id)
        _audit(member, session, [found])
    return found


def _audit(member: Member, session: Session, rows: list[StoredRecord]) -> None:
    """Audit the member's reads of ``rows``, as the records API audits them."""
    member.audit_reads(session, [(f"{r.collection}/{r.id}", r.label) for r in rows])


def _is_delegation(view: Plan, party: str | None) -> bool:
    from summitry.domain.summit import PartyKind

    return (
        party is not None
        and party in view.parties
        and (view.parties[party].kind == PartyKind.DELEGATION)
    )


def own_position(member: Member, records: list[StoredRecord]) -> StoredRecord | None:
    """The member's delegation's own declared position among ``records`` (None: not yet).

    Usage: ``own_position(member, held_positions(member))``.
    """
    party = member.principal.party
    for record in records:
        if record.body.get("about") == party and record.body.get("held_by") == party:
            return record
    return None


def estimates(member: Member, records: list[StoredRecord]) -> list[StoredRecord]:
    """The member's party's private estimates of other parties' positions among ``records``.

    Usage: ``estimates(member, held_positions(member))``.
    """
    party = member.principal.party
    return [r for r in records if r.body.get("held_by") == party and r.body.get("about") != party]


# ---------------------------------------------------------------------------------------------
# The agenda and one issue
# ---------------------------------------------------------------------------------------------


@router.get(W + "/agenda", response_class=HTMLResponse)
def agenda(
    request: Request, member: MemberDep, page_no: Annotated[int, Query(alias="page", ge=1)] = 1
) -> HTMLResponse:
    """The strategic issues (impact, focus, options) and the engagement mechanisms."""
    view = member_view(member)
    issues = list(view.issues.items())
    pages = max(1, -(-len(issues) // PER_PAGE))
    shown = issues[(page_no - 1) * PER_PAGE : page_no * PER_PAGE]
    return page(
        request,
        "agenda/index.html",
        member,
        section="agenda",
        plan=view,
        issues=shown,
        total=len(issues),
        page_no=page_no,
        pages=pages,
        mechanisms=list(view.mechanisms.items()),
        delegation=_is_delegation(view, member.principal.party),
    )


# ---------------------------------------------------------------------------------------------
# The position editor
# ---------------------------------------------------------------------------------------------


@dataclass
class IssueFields:
    """One issue's fields in the editor: weight, weight range, a score per option."""

    id: str
    name: str
    weight: str
    low: str
    high: str
    options: list[tuple[str, str, str]]
    """(option id, wording, score as typed)."""


@dataclass
class Editor:
    """A position editor's form: what it shows, where it posts, its errors."""

    action: str
    title: str
    about: str
    held_by: str
    record: StoredRecord | None
    revision: int
    issues: list[IssueFields]
    reservation_value: str
    batna: str
    editable: bool
    errors: dict[str, str] = field(default_factory=dict)
    conflict: str = ""
    saved: bool = False


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def editor_for(member: Member, view: Plan, record: StoredRecord | None, action: str) -> Editor:
    """The editor of ``record`` (or of a new own position when None) with its stored values.

    Usage: ``editor_for(member, view, own, base + "/agenda/position")``.
    """
    party = member.principal.party or ""
    body: dict[str, Any] = record.body if record is not None else {}
    about = str(body.get("about", party))
    held_by = str(body.get("held_by", party))
    scored: dict[str, Any] = body.get("issues") or {}
    rows = []
    for iid, issue in view.issues.items():
        given = scored.get(iid) or {}
        weight_range = given.get("weight_range") or ("", "")
        scores = given.get("scores") or {}
        rows.append(
            IssueFields(
                iid,
                issue.name,
                _text(given.get("weight")),
                _text(weight_range[0]),
                _text(weight_range[1]),
                [(opt, wording, _text(scores.get(opt))) for opt, wording in issue.options.items()],
            )
        )
    names = view.parties
    title = (
        f"Our position ({names[held_by].name})"
        if about == held_by and held_by in names
        else f"Our estimate of {names[about].name if about in names else about}"
    )
    editable = member.role == "editor" and held_by == party
    return Editor(
        action=action,
        title=title,
        about=about,
        held_by=held_by,
        record=record,
        revision=record.revision if record is not None else 0,
        issues=rows,
        reservation_value=_text(body.get("reservation_value")),
        batna=str(body.get("batna", "")),
        editable=editable,
    )


def _number(raw: str, key: str, errors: dict[str, str]) -> float | int | None:
    text = raw.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        errors[key] = f"'{text[:40]}' is not a number"
        return None
    return int(value) if value.is_integer() else value


def read_form(editor: Editor, form: Any) -> dict[str, Any]:
    """Put the posted values into ``editor`` and give the position body they make.

    A blank weight leaves the issue out; a blank score leaves the option unscored; a range
    needs both ends. What is not a number is an error next to its field (the rules of a
    position are the store's to check). Usage: ``body = read_form(editor, await request.form())``.
    """
    errors = editor.errors
    issues: dict[str, Any] = {}
    for row in editor.issues:
        row.weight = str(form.get(f"weight.{row.id}", ""))
        row.low = str(form.get(f"low.{row.id}", ""))
        row.high = str(form.get(f"high.{row.id}", ""))
        row.options = [
            (opt, wording, str(form.get(f"score.{row.id}.{opt}", "")))
            for opt, wording, _ in row.options
        ]
        weight = _number(row.weight, f"weight-{row.id}", errors)
        scores = {}
        for opt, _, typed in row.options:
            value = _number(typed, f"score-{row.id}-{opt}", errors)
            if value is not None:
                scores[opt] = value
        low = _number(row.low, f"range-{row.id}", errors)
        high = _number(row.high, f"range-{row.id}", errors)
        if weight is None:
            if scores and f"weight-{row.id}" not in errors:
                errors[f"weight-{row.id}"] = "give the issue a weight, or clear its scores"
            continue
        entry: dict[str, Any] = {"weight": weight, "scores": scores}
        if (low is None) != (high is None) and f"range-{row.id}" not in errors:
            errors[f"range-{row.id}"] = "give both ends of the range, or neither"
        elif low is not None:
            entry["weight_range"] = [low, high]
        issues[row.id] = entry
    editor.reservation_value = str(form.get("reservation_value", ""))
    editor.batna = str(form.get("batna", ""))
    reservation = _number(editor.reservation_value, "reservation_value", errors)
    base = dict(editor.record.body) if editor.record is not None else {}
    if editor.record is None:
        base.update(about=editor.about, held_by=editor.held_by, visibility=[editor.held_by])
    base["issues"] = issues
    base.pop("reservation_value", None)
    if reservation is not None:
        base["reservation_value"] = reservation
    base["batna"] = editor.batna
    return base


def field_of(problem: Problem) -> str:
    """The editor's field a store problem is about (``weights`` for the sum of the weights).

    Usage: ``field_of(Problem(("positions", "p", "issues"), "…"))`` gives ``"weights"``.
    """
    path = [str(part) for part in problem.path]
    rel = path[2:] if path[:1] == [POSITIONS] else path
    if rel == ["issues"]:
        return "weights"
    if len(rel) >= 2 and rel[0] == "issues":
        iid = rel[1]
        if len(rel) >= 4 and rel[2] == "scores":
            return f"score-{iid}-{rel[3]}"
        if len(rel) >= 3 and rel[2] == "weight_range":
            return f"range-{iid}"
        return f"weight-{iid}"
    if rel and rel[0] in ("reservation_value", "batna"):
        return rel[0]
    return "form"


def save_position(member: Member, editor: Editor, body: dict[str, Any]) -> None:
    """Write ``body`` as the editor's record (revision-checked), or create the own position.

    Usage: ``save_position(member, editor, read_form(editor, form))``.
    """
    from summitry.store.audit import keyring
    from summitry.store.records import create_record, update_record

    keys = keyring(member.db.file)
    with member.writing() as session:
        if editor.record is None:
            create_record(
                session,
                keys,
                member.workspace,
                member.principal,
                POSITIONS,
                f"{editor.held_by}-position",
                body,
                actor=member.actor,
            )
        else:
            update_record(
                session,
                keys,
                member.workspace,
                member.principal,
                editor.record.id,
                body,
                editor.revision,
                actor=member.actor,
                collection=POSITIONS,
            )


async def _post_editor(
    request: Request, member: Member, editor: Editor, done: str, template: str, **context: Any
) -> Response:
    """Save the posted editor; 303 to ``done``, or the form again with its errors."""
    form = await request.form()
    body = read_form(editor, form)
    if editor.record is not None:
        try:
            editor.revision = int(str(form.get("revision", "")))
        except ValueError:
            editor.errors["form"] = "the form lost its revision; reload the page"
    status = 422
    if not editor.errors:
        try:
            await run_in_threadpool(save_position, member, editor, body)
        except PlanError as err:
            for problem in err.problems:
                editor.errors.setdefault(field_of(problem), problem.message)
        except ConflictError as err:
            status = 409
            editor.conflict = str(err)
            editor.revision = err.revision
        except (NotFoundError, ForbiddenError):
            raise
        except InputError as err:
            editor.errors["form"] = str(err)
        else:
            return see_other(done + "?saved=1")
    return page(
        request, template, member, section="agenda", status=status, editor=editor, **context
    )


@router.get(W + "/agenda/position", response_class=HTMLResponse)
def position(request: Request, member: MemberDep, saved: bool = False) -> HTMLResponse:
    """My delegation's own position in its editor, and our estimates of the other side."""
    view = member_view(member)
    records = held_positions(member)
    own = own_position(member, records)
    base = f"/w/{member.workspace.slug}"
    delegation = _is_delegation(view, member.principal.party)
    editor = editor_for(member, view, own, base + "/agenda/position") if delegation else None
    if editor is not None:
        editor.saved = saved
    return page(
        request,
        "agenda/position.html",
        member,
        section="agenda",
        plan=view,
        editor=editor,
        estimates=estimates(member, records),
        delegation=delegation,
    )


@router.post(W + "/agenda/position", response_class=HTMLResponse)
async def save_own_position(request: Request, member: MemberDep) -> Response:
    """Save my delegation's own position (or write it the first time)."""
    view = await run_in_threadpool(member_view, member)
    records = await run_in_threadpool(held_positions, member)
    base = f"/w/{member.workspace.slug}"
    if not _is_delegation(view, member.principal.party):
        raise NotFoundError("only a delegation holds a negotiating position")
    editor = editor_for(member, view, own_position(member, records), base + "/agenda/position")
    return await _post_editor(
        request,
        member,
        editor,
        base + "/agenda/position",
        "agenda/position.html",
        plan=view,
        estimates=estimates(member, records),
        delegation=True,
    )


@router.get(W + "/agenda/positions/{record_id}", response_class=HTMLResponse)
def position_page(
    request: Request, member: MemberDep, record_id: str, saved: bool = False
) -> HTMLResponse:
    """One position of the member's view in the editor (editable when it is our party's)."""
    record = position_record(member, record_id)
    view = member_view(member)
    base = f"/w/{member.workspace.slug}"
    editor = editor_for(member, view, record, f"{base}/agenda/positions/{record.id}")
    editor.saved = saved
    return page(request, "agenda/record.html", member, section="agenda", plan=view, editor=editor)


@router.post(W + "/agenda/positions/{record_id}", response_class=HTMLResponse)
async def save_position_page(request: Request, member: MemberDep, record_id: str) -> Response:
    """Save one of our party's positions (an estimate of the other side, or our own)."""
    record = await run_in_threadpool(position_record, member, record_id)
    view = await run_in_threadpool(member_view, member)
    base = f"/w/{member.workspace.slug}"
    target = f"{base}/agenda/positions/{record.id}"
    editor = editor_for(member, view, record, target)
    return await _post_editor(request, member, editor, target, "agenda/record.html", plan=view)


# ---------------------------------------------------------------------------------------------
# The negotiation analysis
# ---------------------------------------------------------------------------------------------


def analysis_of(member: Member, package: dict[str, str] | None = None) -> NegotiationOutcome:
    """The negotiation analysis for the member's delegation, with ``package`` assessed.

    The same service call as the API's ``negotiate``. Usage: ``analysis_of(member).analysis``.
    """
    from summitry.services.negotiation import negotiate

    return negotiate(member.source, member.principal, package=package)


def _package_query(values: list[str]) -> dict[str, str]:
    package: dict[str, str] = {}
    for value in values:
        issue, _, option = value.partition("=")
        if issue and option:
            package[issue] = option
    return package


def _culprit(message: str, package: dict[str, str]) -> str:
    for issue, option in package.items():
        if f"'{issue}'" in message or f"'{option}'" in message:
            return issue
    return "package"


@router.get(W + "/agenda/analysis", response_class=HTMLResponse)
def analysis(
    request: Request,
    member: MemberDep,
    package: Annotated[list[str], Query(max_length=500)] = [],  # noqa: B006 (FastAPI copies it)
) -> HTMLResponse:
    """The analysis for my delegation: frontier, fair packages, trades, opening order.

    ``package=ISSUE=OPTION`` (one per issue) assesses a tentative package: my score and the
    other side's score as we estimate it.
    """
    from summitry.reports.negotiation_view import CONCEPT_NAMES, FAIR_CONCEPTS, party_names

    asked = _package_query(package)
    status, errors, problem = 200, {}, ""
    try:
        outcome = analysis_of(member, asked or None)
    except InputError as err:
        if not asked:
            return page(
                request,
                "agenda/analysis.html",
                member,
                section="agenda",
                outcome=None,
                problem=str(err),
            )
        status = 422
        errors = {_culprit(str(err), asked): str(err)}
        outcome = analysis_of(member)
    view = outcome.view
    result = outcome.analysis
    chosen = dict(asked) or (result.nash.package.as_dict() if result.nash.package else {})
    fair = [(CONCEPT_NAMES[name], getattr(result, name)) for name in FAIR_CONCEPTS]
    return page(
        request,
        "agenda/analysis.html",
        member,
        section="agenda",
        status=status,
        outcome=outcome,
        plan=view,
        result=result,
        names=party_names(view, result),
        fair=fair,
        chosen=chosen,
        errors=errors,
        problem=problem,
        assessed=asked if status == 200 and asked else None,
    )


@router.post(W + "/agenda/analysis", response_class=HTMLResponse)
async def assess(request: Request, member: MemberDep) -> Response:
    """Assess the package the form chose (an option per issue): to the analysis showing it."""
    form = await request.form()
    chosen = [
        f"{key.removeprefix('option.')}={value}"
        for key, value in form.multi_items()
        if key.startswith("option.") and isinstance(value, str) and value
    ]
    target = f"/w/{member.workspace.slug}/agenda/analysis"
    if is_htmx(request):
        return await run_in_threadpool(analysis, request, member, chosen)
    return see_other(target + ("?" + urlencode({"package": chosen}, doseq=True) if chosen else ""))


@router.get(W + "/agenda/analysis/frontier.svg")
def frontier_chart(member: MemberDep) -> Response:
    """The frontier chart of my delegation's analysis, with the fair points (SVG)."""
    from summitry.reports.negotiation_view import frontier_figure

    try:
        outcome = analysis_of(member)
    except InputError as err:
        raise NotFoundError(str(err)) from None
    figure = frontier_figure(outcome.view, outcome.analysis, outcome.reservations)
    return Response(figure.svg.encode(), media_type="image/svg+xml")


# ---------------------------------------------------------------------------------------------
# One issue (last: its path would take the pages above)
# ---------------------------------------------------------------------------------------------


@router.get(W + "/agenda/{issue_id}", response_class=HTMLResponse)
def issue_page(request: Request, member: MemberDep, issue_id: str) -> HTMLResponse:
    """One strategic issue: its options, and who holds positions on it that I may see."""
    from summitry.domain.base import clip

    view = member_view(member)
    issue = view.issues.get(issue_id)
    if issue is None:
        raise NotFoundError(f"no issue '{clip(issue_id)}' on the agenda")
    records = {r.slug: r for r in held_positions(member)}
    holders = [
        (records.get(pid), position, position.issues[issue_id])
        for pid, position in view.positions.items()
        if issue_id in position.issues
    ]
    return page(
        request,
        "agenda/issue.html",
        member,
        section="agenda",
        plan=view,
        issue_id=issue_id,
        issue=issue,
        holders=holders,
    )
