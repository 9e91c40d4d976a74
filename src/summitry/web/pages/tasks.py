"""Workstreams and tasks: filtered lists, a task's page and history, forms, the timeline.

Under ``/w/{workspace}``: ``/tasks`` (the list with its filters, paged, with an inline status
change per row for editors), ``/tasks/new``, ``/tasks/{id}`` (every field, links, label and
history with restore), ``/tasks/{id}/edit``, ``/workstreams`` (each workstream with its
tasks' counts, a link to the list filtered to it) and ``/timeline`` (the reports' Gantt chart
with a table of the same rows). Everything shown comes from the member's own view
(:mod:`summitry.services.worklist`); every write is the records API's own store call
(``create_record``, ``update_record``, ``restore_record``) in the member's write transaction.

htmx only enhances: the filter form swaps the table, a row's status form swaps that row. An
htmx request whose write fails gets the row back (status 200, so htmx swaps it) with the
reason in it; without JavaScript the same failure is the page's own 409 or 422.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from summitry.access.policy import can_write
from summitry.domain.base import JOINT, slugify
from summitry.errors import InputError, PlanError
from summitry.services.worklist import (
    Filters,
    Reading,
    Timeline,
    people_choices,
    read,
    reading_of,
    statuses,
    task_choices,
    task_row,
    timeline,
    worklist,
    workstream_choices,
    workstream_rows,
)
from summitry.store.audit import keyring
from summitry.store.records import (
    ConflictError,
    StoredRecord,
    Written,
    create_record,
    record_history,
    restore_record,
    update_record,
    view_record,
)
from summitry.web.deps import ROLES_THAT_WRITE, Member, MemberDep
from summitry.web.pages.render import is_htmx, local_path, page, see_other

router = APIRouter(include_in_schema=False)

BASE = "/w/{workspace}"
STYLE = "/static/tasks.css"

FIELDS = (
    ("slug", "Id"),
    ("name", "Name"),
    ("workstream", "Workstream"),
    ("estimate", "Estimate (working days)"),
    ("depends_on", "Depends on"),
    ("status", "Status"),
    ("percent_complete", "Percent complete"),
    ("blocked", "Blocked"),
    ("blocked_reason", "Blocked reason"),
    ("owner", "Owner"),
    ("due", "Deadline"),
    ("baseline", "Baseline"),
    ("description", "Description"),
    ("visibility", "Who may read it"),
)
"""The form's fields and their names, in the form's order (``due`` is the deadline)."""

_FIELD_NAMES = frozenset(name for name, _ in FIELDS) | {"compartments"}
_TEXT_FIELDS = ("name", "workstream", "status", "blocked_reason", "owner", "due", "baseline")


def _base(member: Member) -> str:
    return f"/w/{member.workspace.slug}"


def _can_edit(member: Member) -> bool:
    """Whether the member's role changes the plan (what ``member.writing()`` lets through)."""
    return member.role in ROLES_THAT_WRITE


def _editable(member: Member, record: StoredRecord) -> bool:
    """Whether the member may edit this record (the role, then the write policy)."""
    return _can_edit(member) and can_write(
        member.principal, record.label, record.owner, action="edit"
    )


def _require_editor(member: Member) -> None:
    """403 for a member whose role does not write, as ``member.writing()`` answers."""
    if not _can_edit(member):
        raise HTTPException(403, f"a {member.role} does not change the plan; an editor does")


def _audit(session: Session, member: Member, records: Sequence[StoredRecord]) -> None:
    """Audit the reads of compartmented tasks shown, as the records API does."""
    member.audit_reads(session, [(f"tasks/{r.id}", r.label) for r in records])


@contextmanager
def _reading(member: Member) -> Iterator[tuple[Session, Reading]]:
    """The member's reading of the workspace, in a transaction as the member."""
    with member.reading() as session:
        yield session, read(session, member.workspace, member.principal)


def _int(value: str | None, default: int = 1) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


def _filters(values: Mapping[str, Any]) -> Filters:
    def one(key: str) -> str:
        value = values.get(key)
        return value if isinstance(value, str) else ""

    return Filters(one("workstream"), one("owner"), one("status"), one("band"))


# ---------------------------------------------------------------------------------------------
# The list, the workstreams, the timeline
# ---------------------------------------------------------------------------------------------


@router.get(BASE + "/tasks")
def task_list(request: Request, member: MemberDep) -> HTMLResponse:
    """The member's tasks, filtered (GET form) and paged, with an inline status change."""
    filters = _filters(request.query_params)
    number = _int(request.query_params.get("page"))
    with _reading(member) as (session, reading):
        found = worklist(reading, filters, number)
        _audit(session, member, [row.record for row in found.rows])
    context: dict[str, Any] = {
        "found": found,
        "editor": _can_edit(member),
        "editable": {row.id for row in found.rows if _editable(member, row.record)},
        "here": f"{_base(member)}/tasks{filters.query(found.page)}",
        "style": STYLE,
    }
    fragment = is_htmx(request) and request.headers.get("hx-history-restore-request") != "true"
    name = "tasks/_table.html" if fragment else "tasks/list.html"
    return page(request, name, member, section="tasks", **context)


@router.get(BASE + "/workstreams")
def workstreams(request: Request, member: MemberDep) -> HTMLResponse:
    """Each workstream of the member's view: its status, band and tasks' counts."""
    with _reading(member) as (_, reading):
        rows = workstream_rows(reading)
    return page(
        request,
        "tasks/workstreams.html",
        member,
        section="tasks",
        rows=rows,
        as_of=reading.as_of,
        style=STYLE,
    )


def _timeline_records(reading: Reading, found: Timeline) -> list[StoredRecord]:
    """The task records a timeline shows (for the audit of their reads)."""
    return [view_record(reading.view, "tasks", r.record_id) for r in found.rows if r.record_id]


@router.get(BASE + "/timeline")
def timeline_page(request: Request, member: MemberDep) -> HTMLResponse:
    """The Gantt chart of the open work (an image) and a table of the same rows."""
    with _reading(member) as (session, reading):
        found = timeline(reading)
        records = _timeline_records(reading, found)
        _audit(session, member, records)
    return page(
        request,
        "tasks/timeline.html",
        member,
        section="tasks",
        found=found,
        style=STYLE,
    )


@router.get(BASE + "/timeline.svg")
def timeline_chart(member: MemberDep) -> Response:
    """The timeline's Gantt chart as SVG (the reports' chart), for the timeline page's image."""
    from summitry.reports.charts import gantt_svg

    with _reading(member) as (session, reading):
        found = timeline(reading)
        records = _timeline_records(reading, found)
        _audit(session, member, records)
    if not found.rows:
        raise HTTPException(404, "no open work to chart")
    svg = gantt_svg([r.bar for r in found.rows], title=found.title, today=found.as_of)
    return Response(svg, media_type="image/svg+xml")


# ---------------------------------------------------------------------------------------------
# A task's page
# ---------------------------------------------------------------------------------------------


@router.get(BASE + "/tasks/new")
def new_task(request: Request, member: MemberDep) -> HTMLResponse:
    """The form for a new task (editors)."""
    _require_editor(member)
    with _reading(member) as (_, reading):
        return _form_page(request, member, reading, TaskForm.blank(reading))


@router.get(BASE + "/tasks/{task_id}")
def task_page(request: Request, member: MemberDep, task_id: str) -> HTMLResponse:
    """Every field of a task, its links and label, and its history with restore."""
    with _reading(member) as (session, reading):
        record = view_record(reading.view, "tasks", task_id)
        row = task_row(reading, task_id)
        revisions = record_history(
            session, member.workspace, member.principal, reading.view, task_id, "tasks"
        )
        member.audit_reads(session, [(f"tasks/{task_id}", r.label) for r in revisions])
    assert row is not None
    plan = reading.plan
    task = plan.tasks[record.slug]
    links = [
        (dep.task, plan.tasks[dep.task].name, reading.view.id_of("tasks", dep.task), dep.lag)
        for dep in task.depends_on
        if dep.task in plan.tasks
    ]
    dependents = [
        (other.name, reading.view.id_of("tasks", oid))
        for oid, other in plan.tasks.items()
        if any(dep.task == record.slug for dep in other.depends_on)
    ]
    names = {pid: party.name for pid, party in plan.parties.items()}
    return page(
        request,
        "tasks/detail.html",
        member,
        section="tasks",
        record=record,
        row=row,
        task=task,
        links=links,
        dependents=dependents,
        label=record.label.describe(names),
        revisions=list(reversed(revisions)),
        labels={r.revision: r.label.describe(names) for r in revisions},
        editable=_editable(member, record),
        zone=reading.timezone,
        style=STYLE,
    )


@router.get(BASE + "/tasks/{task_id}/edit")
def edit_task(request: Request, member: MemberDep, task_id: str) -> HTMLResponse:
    """The form to edit a task, carrying the revision it was read at (editors)."""
    with _reading(member) as (_, reading):
        record = view_record(reading.view, "tasks", task_id)
    _require_editor(member)
    return _form_page(request, member, reading, TaskForm.of(record), record=record)


# ---------------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------------


@router.post(BASE + "/tasks/new")
async def create_task(request: Request, member: MemberDep) -> Response:
    """Create a task from the form; 303 to its page, or the form again with the errors."""
    posted = await request.form()
    return await run_in_threadpool(_create, request, member, posted)


def _create(request: Request, member: Member, posted: FormData) -> Response:
    _require_editor(member)
    form = TaskForm.posted(posted)
    body = form.body({})
    slug = form.values["slug"] or slugify(form.values["name"] or "task")
    try:
        with member.writing() as session:
            written = create_record(
                session,
                keyring(member.db.file),
                member.workspace,
                member.principal,
                "tasks",
                slug,
                body,
                actor=member.actor,
            )
    except (PlanError, InputError) as err:
        form.fail(err, slug, slug_field=True)
        with _reading(member) as (_, reading):
            return _form_page(request, member, reading, form, status=422)
    return see_other(f"{_base(member)}/tasks/{written.id}")


@router.post(BASE + "/tasks/{task_id}/edit")
async def save_task(request: Request, member: MemberDep, task_id: str) -> Response:
    """Save the edit form; 303 to the task, 422 with errors, 409 when someone saved first."""
    posted = await request.form()
    return await run_in_threadpool(_save, request, member, task_id, posted)


def _save(request: Request, member: Member, task_id: str, posted: FormData) -> Response:
    with _reading(member) as (_, reading):
        record = view_record(reading.view, "tasks", task_id)
    _require_editor(member)
    form = TaskForm.posted(posted, record)
    body = form.body(record.body)
    try:
        with member.writing() as session:
            update_record(
                session,
                keyring(member.db.file),
                member.workspace,
                member.principal,
                task_id,
                body,
                form.revision,
                actor=member.actor,
                collection="tasks",
            )
    except ConflictError as err:
        with _reading(member) as (_, reading):
            current = view_record(reading.view, "tasks", task_id)
            mine = TaskForm(dict(form.values), list(form.depends_on), current.revision)
            theirs = TaskForm.of(current)
            return _form_page(
                request,
                member,
                reading,
                mine,
                status=409,
                record=current,
                conflict=str(err),
                comparison=_comparison(reading, theirs, mine),
            )
    except (PlanError, InputError) as err:
        form.fail(err, record.slug)
        with _reading(member) as (_, reading):
            return _form_page(request, member, reading, form, status=422, record=record)
    return see_other(f"{_base(member)}/tasks/{task_id}")


@router.post(BASE + "/tasks/{task_id}/status")
async def change_status(request: Request, member: MemberDep, task_id: str) -> Response:
    """The inline status change of a row: the row again (htmx), else back to the list."""
    posted = await request.form()
    return await run_in_threadpool(_change_status, request, member, task_id, posted)


def _change_status(request: Request, member: Member, task_id: str, posted: FormData) -> Response:
    status = _text(posted.get("status"))
    revision = _int(_text(posted.get("revision")), 0)
    back = local_path(_text(posted.get("back")) or f"{_base(member)}/tasks")
    with _reading(member) as (_, reading):
        record = view_record(reading.view, "tasks", task_id)
    body = {**record.body, "status": status}
    problem = ""
    written: Written | None = None
    code = 200
    try:
        with member.writing() as session:
            written = update_record(
                session,
                keyring(member.db.file),
                member.workspace,
                member.principal,
                task_id,
                body,
                revision,
                actor=member.actor,
                collection="tasks",
            )
    except ConflictError as err:
        problem, code = str(err), 409
    except (PlanError, InputError) as err:
        problem, code = str(err), 422
    if not is_htmx(request):
        if written is not None:
            return see_other(back)
        return page(
            request,
            "tasks/status_failed.html",
            member,
            section="tasks",
            status=code,
            message=problem,
            back=back,
            task_id=task_id,
            style=STYLE,
        )
    if written is not None and written.view is not None:
        after = reading_of(written.view, member.workspace.slug)
    else:
        with _reading(member) as (_, after):
            pass
    row = task_row(after, task_id)
    assert row is not None
    return page(
        request,
        "tasks/_row.html",
        member,
        row=row,
        statuses=statuses(after.plan),
        editable={row.id} if _editable(member, row.record) else set(),
        editor=_can_edit(member),
        here=back,
        row_error=problem,
    )


@router.post(BASE + "/tasks/{task_id}/restore")
async def restore_task(request: Request, member: MemberDep, task_id: str) -> Response:
    """Write an earlier revision again (revision-checked); 303 back to the task."""
    posted = await request.form()
    return await run_in_threadpool(_restore, request, member, task_id, posted)


def _restore(request: Request, member: Member, task_id: str, posted: FormData) -> Response:
    revision = _int(_text(posted.get("revision")), 0)
    current = _int(_text(posted.get("current_revision")), 0)
    try:
        with member.writing() as session:
            restore_record(
                session,
                keyring(member.db.file),
                member.workspace,
                member.principal,
                task_id,
                revision,
                current,
                actor=member.actor,
                collection="tasks",
            )
    except ConflictError as err:
        return page(
            request,
            "tasks/status_failed.html",
            member,
            section="tasks",
            status=409,
            message=str(err),
            back=f"{_base(member)}/tasks/{task_id}",
            task_id=task_id,
            style=STYLE,
        )
    return see_other(f"{_base(member)}/tasks/{task_id}")


# ---------------------------------------------------------------------------------------------
# The form
# ---------------------------------------------------------------------------------------------


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _number(text: str) -> int | float | str:
    """A number typed in a field; the text itself when it is none (the model then says why)."""
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


def _dependency_slug(entry: object) -> str:
    if isinstance(entry, dict):
        return str(entry.get("task", ""))
    return str(entry)


@dataclass
class TaskForm:
    """The task form's values as typed (text), the dependencies chosen, and its errors."""

    values: dict[str, str]
    depends_on: list[str]
    revision: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    general: str = ""

    @classmethod
    def blank(cls, reading: Reading) -> TaskForm:
        """An empty form: the first workstream, status not started, joint."""
        streams = workstream_choices(reading.plan)
        values = dict.fromkeys(
            [name for name, _ in FIELDS] + ["optimistic", "most_likely", "pessimistic"], ""
        )
        values.update(
            workstream=streams[0].value if streams else "",
            status="not-started",
            percent_complete="0",
            visibility=JOINT,
        )
        return cls(values, [])

    @classmethod
    def of(cls, record: StoredRecord) -> TaskForm:
        """The form filled from a record of the view, at its revision."""
        body = record.body
        estimate = body.get("estimate")
        points = list(estimate) if isinstance(estimate, list | tuple) else []
        if isinstance(estimate, dict):
            points = [estimate.get(k) for k in ("optimistic", "most_likely", "pessimistic")]
        points = [*points, "", "", ""][:3]
        values = {name: "" if body.get(name) is None else str(body.get(name)) for name, _ in FIELDS}
        values.update(
            slug=record.slug,
            optimistic=str(points[0] if points[0] is not None else ""),
            most_likely=str(points[1] if points[1] is not None else ""),
            pessimistic=str(points[2] if points[2] is not None else ""),
            blocked="on" if body.get("blocked") else "",
            percent_complete=str(_number(str(body.get("percent_complete", 0)))),
        )
        deps = [_dependency_slug(entry) for entry in body.get("depends_on", ())]
        return cls(values, deps, record.revision)

    @classmethod
    def posted(cls, form: FormData, record: StoredRecord | None = None) -> TaskForm:
        """The form as the member posted it."""
        values = {
            name: _text(form.get(name))
            for name in (
                *(name for name, _ in FIELDS),
                "optimistic",
                "most_likely",
                "pessimistic",
                "compartments",
            )
        }
        values["blocked"] = "on" if form.get("blocked") else ""
        values["compartments"] = ",".join(_text(c) for c in form.getlist("compartments"))
        if record is not None:
            values["slug"] = record.slug
        deps = [_text(d) for d in form.getlist("depends_on") if _text(d)]
        return cls(values, deps, _int(_text(form.get("revision")), 0))

    def body(self, current: Mapping[str, Any]) -> dict[str, Any]:
        """The record body: the form's fields over ``current``.

        An edit keeps what the form does not show; an empty field leaves its key out (so the
        model's default holds).
        """
        out = dict(current)
        values = self.values
        for name in _TEXT_FIELDS:
            if values[name]:
                out[name] = values[name]
            else:
                out.pop(name, None)
        if values["description"]:
            out["description"] = values["description"]
        else:
            out.pop("description", None)
        points = [values["optimistic"], values["most_likely"], values["pessimistic"]]
        if any(points):
            out["estimate"] = [_number(p) for p in points]
        else:
            out.pop("estimate", None)
        if values["percent_complete"]:
            out["percent_complete"] = _number(values["percent_complete"])
        else:
            out.pop("percent_complete", None)
        if values["blocked"]:
            out["blocked"] = True
        else:
            out.pop("blocked", None)
        kept = {_dependency_slug(e): e for e in current.get("depends_on", ())}
        deps = [kept.get(slug, slug) for slug in dict.fromkeys(self.depends_on)]
        if deps:
            out["depends_on"] = deps
        else:
            out.pop("depends_on", None)
        if not current:
            # A new record: its label is chosen on the form (an edit keeps the record's).
            if values["visibility"] and values["visibility"] != JOINT:
                out["visibility"] = values["visibility"]
            compartments = [c for c in values["compartments"].split(",") if c]
            if compartments:
                out["compartments"] = compartments
        return out

    def fail(self, err: InputError | PlanError, slug: str, *, slug_field: bool = False) -> None:
        """Put each problem next to its field; what names no field of the form goes on top.

        A problem of this task's field (or a dependency cycle through it, wherever the check
        reports it) goes next to that field.
        """
        if isinstance(err, PlanError):
            for problem in err.problems:
                path = problem.path
                name = str(path[2]) if len(path) > 2 and path[0] == "tasks" else ""
                if name == "compartments":
                    name = "visibility"
                ours = len(path) > 1 and (path[1] == slug or name == "depends_on")
                if ours and name in _FIELD_NAMES and name not in self.errors:
                    self.errors[name] = problem.message
                elif not self.general:
                    self.general = str(problem)
            if not self.errors and not self.general:
                self.general = str(err)
            return
        message = str(err)
        if slug_field and "already has a" in message:
            self.errors["slug"] = message
        elif ".visibility:" in message:
            self.errors["visibility"] = message
        else:
            self.general = message


def _comparison(reading: Reading, theirs: TaskForm, mine: TaskForm) -> list[tuple[str, str, str]]:
    """(field, theirs now, yours) for every field of the form, as the page shows them."""
    plan = reading.plan

    def shown(form: TaskForm, name: str) -> str:
        values = form.values
        if name == "estimate":
            points = [values["optimistic"], values["most_likely"], values["pessimistic"]]
            return " / ".join(points) if any(points) else ""
        if name == "depends_on":
            return ", ".join(plan.tasks[d].name if d in plan.tasks else d for d in form.depends_on)
        if name == "blocked":
            return "yes" if values["blocked"] else "no"
        if name == "workstream" and values[name] in plan.workstreams:
            return plan.workstreams[values[name]].name
        if name == "owner" and values[name] in plan.people:
            return plan.people[values[name]].name
        if name == "status" and values[name] in plan.status_vocabulary:
            return plan.status_vocabulary[values[name]].label
        return values.get(name, "")

    return [
        (label, shown(theirs, name), shown(mine, name))
        for name, label in FIELDS
        if name not in ("slug", "visibility")
    ]


def _form_page(
    request: Request,
    member: Member,
    reading: Reading,
    form: TaskForm,
    *,
    status: int = 200,
    record: StoredRecord | None = None,
    conflict: str = "",
    comparison: list[tuple[str, str, str]] | None = None,
) -> HTMLResponse:
    """The create form (no record) or the edit form of ``record``."""
    plan = reading.plan
    return page(
        request,
        "tasks/form.html",
        member,
        section="tasks",
        status=status,
        form=form,
        record=record,
        workstreams=workstream_choices(plan),
        people=people_choices(plan),
        statuses=statuses(plan),
        tasks=task_choices(reading, record.id if record else None),
        party=member.principal.party,
        clearances=sorted(member.principal.clearances),
        conflict=conflict,
        comparison=comparison or [],
        style=STYLE,
    )
