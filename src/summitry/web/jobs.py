"""Background jobs: work that takes more than a moment, run off the request path.

A forecast of many iterations, a large scenario search or a PDF report runs in a small thread
pool the application owns (started on first use, shut down when the app stops). The request
that asks for one writes a job row and answers at once; the worker runs the service, writes the
job's progress a few times a second from the service's ``progress`` callback, and at the end
stores the result with the result's own label (the services' ``label``) and marks the job done.
A job that fails keeps one line saying why (the error's message, never a traceback).

Both the job and its result are labelled: the job with its requester's own label (their party,
their clearances), so that only members of that party with those clearances see it; the result
with the label of what it was derived from. A job's result is given only to a member who may
read both. Workers open their own transactions (``Database.transaction``); nothing a worker
does holds a transaction while a service runs, so a service's own reads and writes never wait
for a job's bookkeeping.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from summitry.access.labels import Label
from summitry.access.policy import Principal, can_read
from summitry.access.sql import decode_label, encode_compartments, encode_readers, readable
from summitry.errors import SummitryError
from summitry.store.database import Database
from summitry.store.schema import JobRow, StoredResult, User, new_id, now

if TYPE_CHECKING:
    from summitry.web.deps import Member

log = logging.getLogger("summitry.web.jobs")

WORKERS = 2
"""Jobs run at once per server process; more wait in the queue (status ``queued``)."""

PROGRESS_INTERVAL = 0.25
"""Seconds between two progress writes of one job: a few writes a second at most."""

MESSAGE_LIMIT = 600
"""The longest error line a failed job keeps."""

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"

Progress = Callable[[int, int], None]
"""The services' progress callback: ``(done, total)``."""


@dataclass(frozen=True)
class Output:
    """What a job leaves: the stored result's kind, its body and its label.

    ``body["document"]`` is what ``GET jobs/{id}/result`` answers with.
    """

    kind: str
    body: dict[str, Any]
    label: Label


Work = Callable[[Progress], Output]
"""A job's work: runs services with the progress callback and returns what to store."""


def own_label(principal: Principal) -> Label:
    """A principal's own label: its party as the only reader, its clearances as compartments.

    Usage: ``own_label(member.principal)``.
    """
    readers = frozenset({principal.party}) if principal.party else frozenset()
    return Label(readers, principal.clearances)


def one_line(message: str) -> str:
    """A message as one line, cut at :data:`MESSAGE_LIMIT` characters.

    Usage: ``one_line(str(err))``.
    """
    flat = " ".join(message.split("\n")).replace("\r", " ").strip()
    return flat if len(flat) <= MESSAGE_LIMIT else flat[: MESSAGE_LIMIT - 1] + "…"


@dataclass(frozen=True)
class Requester:
    """Who asked for a job, as plain values a worker thread may hold (no ORM objects)."""

    db: Database
    workspace_id: str
    workspace: str
    user_id: str
    principal: Principal
    actor: str

    @classmethod
    def of(cls, member: Member) -> Requester:
        """The requester a member makes.

        Usage: ``Requester.of(member)``.
        """
        return cls(
            member.db,
            member.workspace.id,
            member.workspace.slug,
            member.caller.user.id,
            member.principal,
            member.actor,
        )


class _Ticker:
    """The progress callback of one job: monotone across stages, written a few times a second.

    A service that runs in stages (a forecast and its what-if, a search and then succession
    analysis) starts counting again at each stage (a total may also grow within one); the
    job's progress counts on across them, its total estimated as ``stages`` stages the size of
    the current one.
    """

    def __init__(self, write: Callable[[int, int], None], stages: int, interval: float) -> None:
        self._write = write
        self._stages = max(1, stages)
        self._interval = interval
        self._lock = threading.Lock()
        self._stage = 0
        self._offset = 0
        self._done = 0
        self._total = 0
        self._last_write = 0.0
        self.latest = (0, 0)

    def __call__(self, done: int, total: int) -> None:
        with self._lock:
            if done < self._done:  # the count started again: the next stage
                self._offset += self._total
                self._stage += 1
                self._stages = max(self._stages, self._stage + 1)
            self._done, self._total = done, total
            remaining = self._stages - self._stage - 1
            self.latest = (self._offset + done, self._offset + total + remaining * total)
            moment = time.monotonic()
            if moment - self._last_write < self._interval:
                return
            self._last_write = moment
            reported = self.latest
        try:
            self._write(*reported)
        except Exception:  # progress is a courtesy: never let it fail the work
            log.warning("could not write a job's progress", exc_info=True)


class JobRunner:
    """The application's job pool: submit work, and it runs off the request path.

    Usage: ``runner = JobRunner(); job = runner.submit(member, "forecast", params, work)``.
    """

    def __init__(self, workers: int = WORKERS, interval: float = PROGRESS_INTERVAL) -> None:
        """A pool of ``workers`` threads; progress is written every ``interval`` s at most."""
        self.interval = interval
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="summitry-job")
        self._pending: dict[str, tuple[Requester, Future[None]]] = {}
        self._lock = threading.Lock()
        self._closed = False

    def submit(
        self,
        member: Member,
        kind: str,
        params: dict[str, Any],
        work: Work,
        *,
        stages: int = 1,
    ) -> JobRow:
        """Write a queued job for ``member`` and hand ``work`` to the pool; the job row.

        ``params`` (JSON-ready) say what was asked; ``stages`` how many times the work's
        progress starts again from zero. Usage: ``runner.submit(member, "forecast",
        {"seed": 1}, lambda tick: Output(...))``.
        """
        if self._closed:
            raise HTTPException(503, "the server is stopping; start the job again shortly")
        requester = Requester.of(member)
        moment = now()
        label = own_label(requester.principal)
        job = JobRow(
            id=new_id(),
            workspace_id=requester.workspace_id,
            kind=kind,
            status=QUEUED,
            done=0,
            total=0,
            readers=encode_readers(label),
            compartments=encode_compartments(label.compartments),
            requested_by=requester.user_id,
            params=params,
            result_id=None,
            error=None,
            created_at=moment,
            updated_at=moment,
        )
        with requester.db.transaction(requester.principal, write=True) as session:
            session.add(job)
            session.flush()
        with self._lock:
            if self._closed:
                _update(
                    requester, job.id, status=FAILED, error="the server stopped; start it again"
                )
                raise HTTPException(503, "the server is stopping; start the job again shortly")
            future = self._pool.submit(self._run, job.id, requester, work, stages)
            self._pending[job.id] = (requester, future)
        job_id = job.id

        def forget(_done: Future[None]) -> None:
            self._forget(job_id)

        future.add_done_callback(forget)
        return job

    def _forget(self, job_id: str) -> None:
        with self._lock:
            self._pending.pop(job_id, None)

    def _run(self, job_id: str, requester: Requester, work: Work, stages: int) -> None:
        """Run one job in a worker thread: running, progress, then done or failed."""
        try:
            _update(requester, job_id, status=RUNNING)
        except Exception:  # the store is unreachable: the work would fail the same way
            log.exception("job %s could not start", job_id)
            return

        def write(done: int, total: int) -> None:
            _update(requester, job_id, done=done, total=total)

        ticker = _Ticker(write, stages, self.interval)
        try:
            output = work(ticker)
        except SummitryError as err:
            _update(requester, job_id, status=FAILED, error=one_line(str(err)) or "failed")
            return
        except Exception:
            log.exception("job %s failed", job_id)
            _update(requester, job_id, status=FAILED, error="internal error")
            return
        total = ticker.latest[1] or 1
        try:
            with requester.db.transaction(requester.principal, write=True) as session:
                result = store_result(session, requester, output)
                _set(session, job_id, status=DONE, done=total, total=total, result_id=result.id)
        except SummitryError as err:
            _update(requester, job_id, status=FAILED, error=one_line(str(err)) or "failed")
        except Exception:
            log.exception("job %s: the result could not be stored", job_id)
            _update(requester, job_id, status=FAILED, error="internal error")

    def shutdown(self) -> None:
        """Stop taking work, mark the jobs still queued as failed, wait for the running ones.

        Usage: ``runner.shutdown()`` when the application stops.
        """
        with self._lock:
            self._closed = True
            pending = list(self._pending.items())
        for job_id, (requester, future) in pending:
            if future.cancel():
                try:
                    _update(
                        requester,
                        job_id,
                        status=FAILED,
                        error="the server stopped before the job ran; start it again",
                    )
                except Exception:
                    log.warning("could not mark job %s as failed", job_id, exc_info=True)
        self._pool.shutdown(wait=True, cancel_futures=True)


def _set(session: Session, job_id: str, **changes: Any) -> None:
    job = session.get(JobRow, job_id)
    if job is None:
        return
    for name, value in changes.items():
        setattr(job, name, value)
    job.updated_at = now()
    session.flush()


def _update(requester: Requester, job_id: str, **changes: Any) -> None:
    with requester.db.transaction(requester.principal, write=True) as session:
        _set(session, job_id, **changes)


def store_result(session: Session, requester: Requester, output: Output) -> StoredResult:
    """Store a result with its label, in the caller's transaction; the row.

    Usage: ``store_result(session, Requester.of(member), Output("forecast", body, label))``.
    """
    row = StoredResult(
        id=new_id(),
        workspace_id=requester.workspace_id,
        kind=output.kind,
        readers=encode_readers(output.label),
        compartments=encode_compartments(output.label.compartments),
        body=output.body,
        author=requester.actor,
        created_at=now(),
    )
    session.add(row)
    session.flush()
    return row


_LOCK = threading.Lock()


def runner_of(app: FastAPI) -> JobRunner:
    """The application's job runner, started on first use.

    Usage: ``runner_of(request.app).submit(...)``.
    """
    with _LOCK:
        runner: JobRunner | None = getattr(app.state, "jobs", None)
        if runner is None:
            runner = JobRunner()
            app.state.jobs = runner
        return runner


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The application's lifespan: the job runner is shut down cleanly when the app stops.

    Usage: ``FastAPI(lifespan=lifespan)``.
    """
    yield
    with _LOCK:
        runner: JobRunner | None = getattr(app.state, "jobs", None)
        app.state.jobs = None
    if runner is not None:
        runner.shutdown()


# ---------------------------------------------------------------------------------------------
# Reading jobs and results as a member
# ---------------------------------------------------------------------------------------------


class ProgressRead(BaseModel):
    """How far a job has come: ``done`` of ``total`` steps (0 of 0 before it starts)."""

    done: int
    total: int


class JobRead(BaseModel):
    """A job as its party's members see it."""

    id: str
    kind: str
    status: str
    progress: ProgressRead
    params: dict[str, Any]
    error: str | None
    requested_by: str
    label: dict[str, Any]
    result: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands times back without their zone; they are stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def job_read(job: JobRow, username: str, workspace: str) -> JobRead:
    """A job row as the API shows it, with the URL of its result once there is one.

    Usage: ``job_read(row, "ru-editor", "demo")``.
    """
    result = None
    if job.status == DONE and job.result_id is not None:
        result = f"/api/v1/workspaces/{workspace}/jobs/{job.id}/result"
    return JobRead(
        id=job.id,
        kind=job.kind,
        status=job.status,
        progress=ProgressRead(done=job.done, total=job.total),
        params=job.params,
        error=job.error,
        requested_by=username,
        label=decode_label(job.readers, job.compartments).as_dict(),
        result=result,
        created_at=_aware(job.created_at),
        updated_at=_aware(job.updated_at),
    )


def find_job(session: Session, member: Member, job_id: str) -> tuple[JobRow, str] | None:
    """A job of the member's workspace the member may see, with its requester's name.

    Usage: ``found = find_job(session, member, job_id)``.
    """
    principal = member.principal
    row = session.execute(
        select(JobRow, User.username)
        .join(User, User.id == JobRow.requested_by, isouter=True)
        .where(
            JobRow.id == job_id,
            JobRow.workspace_id == member.workspace.id,
            readable(principal, JobRow.readers, JobRow.compartments),
        )
    ).first()
    if row is None:
        return None
    return row[0], row[1] or ""


def list_jobs(
    session: Session, member: Member, limit: int, offset: int
) -> list[tuple[JobRow, str]]:
    """The member's party's jobs (those the member may see), newest first.

    Usage: ``list_jobs(session, member, 50, 0)``.
    """
    rows = session.execute(
        select(JobRow, User.username)
        .join(User, User.id == JobRow.requested_by, isouter=True)
        .where(
            JobRow.workspace_id == member.workspace.id,
            readable(member.principal, JobRow.readers, JobRow.compartments),
        )
        .order_by(JobRow.created_at.desc(), JobRow.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return [(row[0], row[1] or "") for row in rows]


def latest_job(
    session: Session, member: Member, kind: str, status: str = DONE
) -> tuple[JobRow, str] | None:
    """The newest job of ``kind`` in ``status`` the member may see, with its requester's name.

    Usage: ``latest_job(session, member, "forecast")`` (the last finished forecast).
    """
    row = session.execute(
        select(JobRow, User.username)
        .join(User, User.id == JobRow.requested_by, isouter=True)
        .where(
            JobRow.workspace_id == member.workspace.id,
            JobRow.kind == kind,
            JobRow.status == status,
            readable(member.principal, JobRow.readers, JobRow.compartments),
        )
        .order_by(JobRow.created_at.desc(), JobRow.id)
        .limit(1)
    ).first()
    if row is None:
        return None
    return row[0], row[1] or ""


def find_job_result(
    session: Session, member: Member, job_id: str, kinds: Sequence[str]
) -> tuple[JobRow, str, StoredResult | None] | None:
    """A job the member may see, its requester's name, and its result once done.

    The result is None while the job runs, once it failed, and when the member may not read
    the result's label (then the job answers as one without a result).
    Usage: ``found = find_job_result(session, member, job_id, ("forecast",))``.
    """
    found = find_job(session, member, job_id)
    if found is None:
        return None
    job, username = found
    result = None
    if job.status == DONE and job.result_id:
        result = find_result(session, member, job.result_id, kinds)
    return job, username, result


def find_result(
    session: Session, member: Member, result_id: str, kinds: Sequence[str]
) -> StoredResult | None:
    """A stored result of one of ``kinds`` the member may read (its read audited if compartmented).

    Usage: ``find_result(session, member, job.result_id, ("forecast",))``.
    """
    row = session.scalar(
        select(StoredResult).where(
            StoredResult.id == result_id,
            StoredResult.workspace_id == member.workspace.id,
            StoredResult.kind.in_(tuple(kinds)),
            readable(member.principal, StoredResult.readers, StoredResult.compartments),
        )
    )
    if row is not None:
        audit_reads(session, member, [row])
    return row


def list_results(
    session: Session,
    workspace_id: str,
    principal: Principal,
    kinds: Sequence[str],
    limit: int = 200,
    offset: int = 0,
) -> list[StoredResult]:
    """The stored results of ``kinds`` in a workspace the principal may read, newest first.

    Usage: ``list_results(session, member.workspace.id, member.principal, ("sitrep",))``.
    """
    return list(
        session.scalars(
            select(StoredResult)
            .where(
                StoredResult.workspace_id == workspace_id,
                StoredResult.kind.in_(tuple(kinds)),
                readable(principal, StoredResult.readers, StoredResult.compartments),
            )
            .order_by(StoredResult.created_at.desc(), StoredResult.id)
            .limit(limit)
            .offset(offset)
        )
    )


def result_label(row: StoredResult) -> Label:
    """The label a stored result was written with.

    Usage: ``result_label(row).as_dict()``.
    """
    return decode_label(row.readers, row.compartments)


def audit_reads(session: Session, member: Member, rows: Sequence[StoredResult]) -> None:
    """Audit the member's read of compartmented results, one entry per label class.

    Runs in the reading transaction (a write one for a cleared member: ``Member.reading``).
    Usage: ``audit_reads(session, member, [row])``.
    """
    from summitry.store.audit import append, keyring

    labels = {(row.readers, row.compartments): row for row in rows if row.compartments.strip(",")}
    if not labels:
        return
    keys = keyring(member.db.file)
    for (readers, compartments), row in sorted(labels.items()):
        label = decode_label(readers, compartments)
        if not can_read(member.principal, label):
            continue
        append(
            session,
            keys,
            member.workspace.id,
            label,
            actor=f"{member.actor} as {member.principal.name}",
            action="read",
            object_ref=f"results/{row.id}",
        )
