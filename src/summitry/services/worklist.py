"""The work list: one reader's tasks with their attention bands, filtered and paged.

Everything here is drawn from a single reader's view of a workspace — the rows they may read,
assembled (:func:`summitry.store.views.assemble`) and validated into a plan — so a list, its
filters' choices, the workstreams' counts and the timeline can only ever show what that reader
may see. Nothing queries rows and filters them afterwards. The bands are the dashboard's
(:mod:`summitry.analysis.dashboard`), reckoned from the plan's reference date; the timeline's
planned dates are the readiness forecast's deterministic schedule (most likely durations).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from summitry.analysis.dashboard import DUE_SOON_DAYS, Band, WorkstreamRow
from summitry.domain.plan import Plan
from summitry.io import planfile
from summitry.store.records import StoredRecord, view_records

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from summitry.access.policy import Principal
    from summitry.reports.charts import GanttRow
    from summitry.store.schema import Workspace
    from summitry.store.views import Assembly

PAGE_SIZE = 50
"""Tasks on one page of the list."""


@dataclass(frozen=True)
class Reading:
    """One reader's view of a workspace: the assembled rows (ids, revisions) and the plan."""

    view: Assembly
    plan: Plan

    @property
    def as_of(self) -> dt.date:
        """The date bands are reckoned from: the plan's ``as_of``, else today."""
        from summitry.services.plans import reference_date

        return reference_date(self.plan, None)

    @property
    def timezone(self) -> str:
        """The summit's time zone, in which every moment is shown."""
        return self.plan.summit.timezone


def reading_of(view: Assembly, workspace_slug: str) -> Reading:
    """The reading of an assembled view (validated as a plan, as every view is).

    Usage: ``reading_of(written.view, member.workspace.slug)`` after a write.
    """
    plan = planfile.from_data(view.data, "", f"workspace {workspace_slug}")
    return Reading(view, plan)


def read(session: Session, workspace: Workspace, principal: Principal) -> Reading:
    """The principal's reading of ``workspace``, in the caller's transaction.

    Usage: ``with member.reading() as s: reading = read(s, member.workspace, principal)``.
    """
    from summitry.store.views import assemble

    return reading_of(assemble(session, workspace, principal), workspace.slug)


@dataclass(frozen=True)
class Choice:
    """One option of a filter or a form's select: the value sent and the words shown."""

    value: str
    label: str


@dataclass(frozen=True)
class TaskRow:
    """A task as the list shows it, with its band and the record it comes from."""

    record: StoredRecord
    name: str
    workstream: str
    workstream_name: str
    owner: str | None
    owner_name: str
    status: str
    status_label: str
    percent_complete: float
    due: dt.date | None
    band: Band

    @property
    def id(self) -> str:
        """The record's id (what URLs name)."""
        return self.record.id

    @property
    def revision(self) -> int:
        """The record's revision (what an edit is made from)."""
        return self.record.revision


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to; an empty value means any."""

    workstream: str = ""
    owner: str = ""
    status: str = ""
    band: str = ""

    def matches(self, row: TaskRow) -> bool:
        """Whether a row passes every filter that is set."""
        return (
            (not self.workstream or row.workstream == self.workstream)
            and (not self.owner or row.owner == self.owner)
            and (not self.status or row.status == self.status)
            and (not self.band or row.band.value == self.band)
        )

    def query(self, page: int | None = None) -> str:
        """The filters (and a page) as a query string, ``""`` when none is set.

        Usage: ``f"/w/demo/tasks{filters.query(2)}"`` gives ``/w/demo/tasks?page=2``.
        """
        pairs = [
            (key, value)
            for key, value in (
                ("workstream", self.workstream),
                ("owner", self.owner),
                ("status", self.status),
                ("band", self.band),
            )
            if value
        ]
        if page is not None and page > 1:
            pairs.append(("page", str(page)))
        return "?" + urlencode(pairs) if pairs else ""

    @property
    def any(self) -> bool:
        """Whether some filter is set."""
        return bool(self.workstream or self.owner or self.status or self.band)


@dataclass(frozen=True)
class Worklist:
    """One page of the filtered list, and the choices of each filter."""

    rows: tuple[TaskRow, ...]
    matching: int
    """Tasks passing the filters (on every page)."""
    visible: int
    """Tasks of the reader's view before filtering."""
    page: int
    pages: int
    filters: Filters
    workstreams: tuple[Choice, ...]
    owners: tuple[Choice, ...]
    statuses: tuple[Choice, ...]
    bands: tuple[Choice, ...]
    as_of: dt.date


def task_bands(plan: Plan, as_of: dt.date) -> dict[str, Band]:
    """The dashboard's band of every task of ``plan`` as of a date.

    The rules are the dashboard's own (its band reckoner); the due-soon window is the one
    ``summitry status`` uses, cut where the supported dates end.
    Usage: ``task_bands(reading.plan, reading.as_of)["venue-survey"]``.
    """
    from summitry.analysis.dashboard import _Bander
    from summitry.services.plans import due_soon_window

    window, _ = due_soon_window(plan, as_of, DUE_SOON_DAYS)
    bander = _Bander(plan, as_of, window)
    return {tid: bander.work_item(task) for tid, task in plan.tasks.items()}


def task_rows(reading: Reading) -> list[TaskRow]:
    """Every task of the reading, in the view's order, with its band.

    Usage: ``[row.name for row in task_rows(reading) if row.band is Band.OVERDUE]``.
    """
    plan = reading.plan
    bands = task_bands(plan, reading.as_of)
    vocabulary = plan.status_vocabulary
    rows = []
    for record in view_records(reading.view, "tasks"):
        task = plan.tasks.get(record.slug)
        if task is None:
            continue
        stream = plan.workstreams.get(task.workstream)
        person = plan.people.get(task.owner) if task.owner else None
        status = vocabulary.get(task.status)
        rows.append(
            TaskRow(
                record=record,
                name=task.name,
                workstream=task.workstream,
                workstream_name=stream.name if stream else task.workstream,
                owner=task.owner,
                owner_name=person.name if person else (task.owner or ""),
                status=task.status,
                status_label=status.label if status else task.status,
                percent_complete=task.percent_complete,
                due=task.due,
                band=bands[record.slug],
            )
        )
    return rows


def task_row(reading: Reading, record_id: str) -> TaskRow | None:
    """The row of one task of the reading (None when the view has no such task)."""
    for row in task_rows(reading):
        if row.id == record_id:
            return row
    return None


def statuses(plan: Plan) -> tuple[Choice, ...]:
    """The plan's status vocabulary as choices (built-in and the plan's own)."""
    return tuple(Choice(sid, status.label) for sid, status in plan.status_vocabulary.items())


def workstream_choices(plan: Plan) -> tuple[Choice, ...]:
    """The workstreams of the view, in plan order."""
    return tuple(Choice(wid, stream.name) for wid, stream in plan.workstreams.items())


def people_choices(plan: Plan) -> tuple[Choice, ...]:
    """The people of the view, by name (who may own a task)."""
    people = sorted(plan.people.items(), key=lambda item: item[1].name)
    return tuple(Choice(pid, person.name) for pid, person in people)


def task_choices(reading: Reading, leave_out: str | None = None) -> tuple[Choice, ...]:
    """The tasks of the view a task may depend on (by slug), leaving one out (itself)."""
    return tuple(
        Choice(row.record.slug, row.name) for row in task_rows(reading) if row.id != leave_out
    )


def worklist(reading: Reading, filters: Filters, page: int = 1) -> Worklist:
    """One page of the reader's tasks that pass ``filters``, with the filters' choices.

    The choices come from the same view (workstreams, owners of its tasks, its status
    vocabulary, the bands), so they name nothing the reader may not see. A page past the
    last one shows the last.
    Usage: ``worklist(reading, Filters(band="overdue"), page=2).rows``.
    """
    rows = task_rows(reading)
    matching = [row for row in rows if filters.matches(row)]
    pages = max(1, math.ceil(len(matching) / PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = matching[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    owners = {row.owner: row.owner_name for row in rows if row.owner}
    return Worklist(
        rows=tuple(shown),
        matching=len(matching),
        visible=len(rows),
        page=page,
        pages=pages,
        filters=filters,
        workstreams=workstream_choices(reading.plan),
        owners=tuple(Choice(pid, name) for pid, name in sorted(owners.items(), key=lambda o: o[1])),
        statuses=statuses(reading.plan),
        bands=tuple(Choice(band.value, band.value) for band in Band),
        as_of=reading.as_of,
    )


def workstream_rows(reading: Reading) -> tuple[WorkstreamRow, ...]:
    """The workstreams of the view with their tasks' counts, progress, status and band.

    These are the dashboard's preparation aspects, as ``summitry status`` shows them.
    Usage: ``workstream_rows(reading)[0].tasks_total``.
    """
    from summitry.analysis.dashboard import dashboard
    from summitry.services.plans import due_soon_window

    window, _ = due_soon_window(reading.plan, reading.as_of, DUE_SOON_DAYS)
    return dashboard(reading.plan, reading.as_of, window).workstreams


@dataclass(frozen=True)
class TimelineRow:
    """One bar of the timeline: the open work item, its planned span and its deadline."""

    slug: str
    kind: str
    """``task`` or ``action``."""
    record_id: str | None
    """The task's record id in the view (None for an action item)."""
    bar: GanttRow


@dataclass(frozen=True)
class Timeline:
    """The planned schedule of the open work, as of the reference date."""

    rows: tuple[TimelineRow, ...]
    as_of: dt.date
    title: str


def timeline(reading: Reading) -> Timeline:
    """The open work's planned dates (most likely durations, after what it depends on).

    Built as the reports build their Gantt chart: from the readiness forecast's items, each
    with its workstream's deadline; finished work has no bar. The forecast runs the fewest
    iterations it accepts, as only its deterministic schedule is shown.
    Usage: ``gantt_svg([r.bar for r in timeline(reading).rows], title=...)``.
    """
    from summitry.analysis.readiness import MIN_ITERATIONS, forecast
    from summitry.reports.charts import GanttRow

    plan = reading.plan
    title = "Open work: planned dates and workstream deadlines"
    if not plan.work_items():
        return Timeline((), reading.as_of, title)
    result = forecast(plan, iterations=MIN_ITERATIONS, seed=0, as_of=reading.as_of)
    deadlines = {wid: stream.deadline for wid, stream in plan.workstreams.items()}
    rows = tuple(
        TimelineRow(
            item.id,
            item.kind,
            reading.view.id_of("tasks", item.id) if item.kind == "task" else None,
            GanttRow(
                item.name,
                item.early_start,
                item.early_finish,
                None,
                deadlines.get(item.workstream or ""),
            ),
        )
        for item in result.items
        if item.early_start is not None and item.early_finish is not None
    )
    return Timeline(rows, result.as_of, title)
