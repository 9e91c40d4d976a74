"""Background jobs: off the request path, with progress, labelled, failing in one line.

Some tests hand the application's runner a job of their own whose work waits for the test
(an event), so that "while it runs" is a state the test holds rather than a race it hopes to
win; the others run real forecasts through the API.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient
from jobkit import API, app_on, bearer, start, wait_for
from sqlalchemy import select

from summitry.access.labels import Label
from summitry.store.database import Database
from summitry.store.schema import JobRow, User, Workspace
from summitry.web.deps import NOBODY, Caller, Member
from summitry.web.jobs import JobRunner, Output, Progress, _Ticker, runner_of

MISSING = "00000000-0000-4000-8000-000000000000"


def member_of(db: Database, username: str) -> Member:
    """The demo user's membership, as a request would make it."""
    from summitry.store.users import membership_of

    with db.transaction(NOBODY) as session:
        user = session.scalar(select(User).where(User.username == username))
        workspace = session.scalar(select(Workspace).where(Workspace.slug == "demo"))
        assert user is not None
        assert workspace is not None
        membership = membership_of(session, user, workspace)
        assert membership is not None
    return Member(Caller(user, None), db, workspace, membership)


@contextmanager
def held_job(
    client: TestClient,
    db: Database,
    username: str,
    output: Callable[[], Output],
    steps: tuple[tuple[int, int], ...] = ((1, 4),),
) -> Iterator[tuple[str, threading.Event]]:
    """A job of ``username`` that reports ``steps`` and then waits until the test lets it go."""
    release, reported = threading.Event(), threading.Event()

    def work(tick: Progress) -> Output:
        for done, total in steps:
            tick(done, total)
        reported.set()
        assert release.wait(60), "the test never let the job go"
        return output()

    runner = runner_of(client.app)  # type: ignore[arg-type]
    job = runner.submit(member_of(db, username), "forecast", {"held": True}, work)
    try:
        assert reported.wait(30)
        yield f"{API}/jobs/{job.id}", release
    finally:
        release.set()


def _forecast_output() -> Output:
    return Output("forecast", {"document": {"kind": "forecast", "held": True}}, Label())


def test_a_forecast_runs_off_the_request_path_and_its_progress_moves(
    web_db: Database,
) -> None:
    with TestClient(app_on(web_db)) as client:
        client.app.state.jobs = JobRunner(interval=0.01)  # type: ignore[attr-defined]
        headers = bearer(client, "ru-editor")
        answer = client.post(f"{API}/forecast", json={"iterations": 300_000}, headers=headers)
        assert answer.status_code == 202
        assert answer.json()["status"] in ("queued", "running")
        assert answer.json()["result"] is None
        job, seen = wait_for(client, headers, answer.headers["location"])
    assert job["status"] == "done", job
    done = [step[0] for step in seen]
    assert done == sorted(done)
    assert len(set(done)) >= 3, seen  # not only 0 and the end: it moved while it ran
    assert job["progress"]["done"] == job["progress"]["total"] > 0
    assert job["requested_by"] == "ru-editor"
    assert job["label"] == {"readers": ["russia"], "compartments": []}


def test_other_requests_do_not_wait_for_a_job(client: TestClient, web_db: Database) -> None:
    headers = bearer(client, "ru-editor")
    with held_job(client, web_db, "ru-editor", _forecast_output) as (location, release):
        running = client.get(location, headers=headers).json()
        assert running["status"] == "running"
        assert running["progress"] == {"done": 1, "total": 4}
        assert client.get(f"{API}/status", headers=headers).status_code == 200
        early = client.get(f"{location}/result", headers=headers)
        assert early.status_code == 409
        assert early.json() == {"error": {"message": "the job is running (1 of 4); try later"}}
        other = start(client, headers, "forecast", {"iterations": 100})
        assert wait_for(client, headers, other)[0]["status"] == "done"
        release.set()
        job, _ = wait_for(client, headers, location)
    assert job["status"] == "done"
    assert job["progress"] == {"done": 4, "total": 4}
    assert client.get(job["result"], headers=headers).json() == {"kind": "forecast", "held": True}


def test_a_jobs_result_is_404_to_another_party(client: TestClient) -> None:
    russia = bearer(client, "ru-editor")
    job, _ = wait_for(client, russia, start(client, russia, "forecast", {"iterations": 100}))
    assert job["status"] == "done"
    same_party = bearer(client, "ru-viewer")
    assert client.get(job["result"], headers=same_party).status_code == 200
    listed = client.get(f"{API}/jobs", headers=same_party).json()["items"]
    assert [item["id"] for item in listed] == [job["id"]]
    for user in ("us-editor", "host-editor", "mediator"):
        other = bearer(client, user)
        for suffix in ("", "/result"):
            hidden = client.get(f"{API}/jobs/{job['id']}{suffix}", headers=other)
            missing = client.get(f"{API}/jobs/{MISSING}{suffix}", headers=other)
            assert hidden.status_code == missing.status_code == 404
            assert hidden.json() == missing.json() == {"error": {"message": "no such job"}}
        assert client.get(f"{API}/jobs", headers=other).json()["items"] == []


def test_a_cleared_members_job_is_not_for_the_uncleared(client: TestClient) -> None:
    cleared = bearer(client, "us-editor")
    job, _ = wait_for(client, cleared, start(client, cleared, "forecast", {"iterations": 100}))
    assert job["label"] == {"readers": ["united-states"], "compartments": ["back-channel"]}
    uncleared = bearer(client, "us-editor-2")
    assert client.get(f"{API}/jobs/{job['id']}", headers=uncleared).status_code == 404
    assert client.get(job["result"], headers=uncleared).status_code == 404
    assert client.get(job["result"], headers=cleared).status_code == 200


def test_a_result_is_given_only_to_who_may_read_its_label(
    sqlite_web_db: Database,
) -> None:
    # On SQLite nothing below the application stops a worker storing a result its requester
    # may not read, so this shows the application's own filter on results (on PostgreSQL
    # row-level security refuses the write itself, and the job fails).
    def narrow() -> Output:
        return Output("forecast", {"document": {}}, Label(frozenset({"russia"}), frozenset({"x"})))

    with TestClient(app_on(sqlite_web_db)) as client:
        headers = bearer(client, "ru-viewer")
        with held_job(client, sqlite_web_db, "ru-editor", narrow) as (location, release):
            release.set()
            job, _ = wait_for(client, headers, location)
        assert job["status"] == "done"
        answer = client.get(job["result"], headers=headers)
        assert answer.status_code == 404
        assert answer.json() == {"error": {"message": "no such job"}}


def test_a_failed_job_reports_its_one_line_error(client: TestClient, web_db: Database) -> None:
    headers = bearer(client, "ru-editor")
    location = start(client, headers, "forecast", {"mitigate": ["no-such-risk"]})
    job, _ = wait_for(client, headers, location)
    assert job["status"] == "failed"
    assert job["error"].startswith("no risk 'no-such-risk'; the risks are: ")
    assert "\n" not in job["error"]
    assert job["result"] is None
    answer = client.get(f"{location}/result", headers=headers)
    assert answer.status_code == 409
    assert answer.json()["error"]["message"] == f"the job failed: {job['error']}"

    def broken() -> Output:
        raise RuntimeError("Traceback (most recent call last):\n  secret detail")

    with held_job(client, web_db, "ru-editor", broken) as (location, release):
        release.set()
        job, _ = wait_for(client, headers, location)
    assert job["status"] == "failed"
    assert job["error"] == "internal error"


def test_progress_is_written_a_few_times_a_second_and_counts_on_across_stages() -> None:
    writes: list[tuple[int, int]] = []
    ticker = _Ticker(lambda done, total: writes.append((done, total)), stages=2, interval=0.2)
    for done in range(1, 10_001):
        ticker(done, 10_000)
    assert ticker.latest == (10_000, 20_000)
    for done in range(1, 5_001):
        ticker(done, 10_000)
    assert ticker.latest == (15_000, 20_000)
    assert 1 <= len(writes) <= 5  # a tight loop, well under a second
    assert writes == sorted(writes)
    time.sleep(0.25)
    ticker(10_000, 10_000)
    assert writes[-1] == (20_000, 20_000)


def test_a_progress_write_that_fails_does_not_fail_the_work(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def refuse(_done: int, _total: int) -> None:
        raise RuntimeError("database is locked")

    ticker = _Ticker(refuse, stages=1, interval=0)
    ticker(1, 2)
    assert ticker.latest == (1, 2)
    assert "could not write a job's progress" in caplog.text


def test_queued_jobs_fail_cleanly_when_the_server_stops(web_db: Database) -> None:
    app = app_on(web_db)
    runner = JobRunner(workers=1)
    app.state.jobs = runner
    member = member_of(web_db, "ru-editor")
    release, started = threading.Event(), threading.Event()

    def slow(_tick: Progress) -> Output:
        started.set()
        assert release.wait(60)
        return _forecast_output()

    first = runner.submit(member, "forecast", {}, slow)
    second = runner.submit(member, "forecast", {}, lambda _tick: _forecast_output())
    assert started.wait(30)
    stopping = threading.Thread(target=runner.shutdown)
    stopping.start()
    try:
        deadline = time.monotonic() + 30
        while _status(web_db, second.id)[0] != "failed":
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        release.set()
        stopping.join(30)
    assert not stopping.is_alive()
    assert _status(web_db, first.id) == ("done", None)
    assert _status(web_db, second.id) == (
        "failed",
        "the server stopped before the job ran; start it again",
    )


def test_the_runner_stops_with_the_app(web_db: Database) -> None:
    app = app_on(web_db)
    with TestClient(app) as client:
        headers = bearer(client, "ru-editor")
        job, _ = wait_for(client, headers, start(client, headers, "forecast", {"iterations": 100}))
        runner: Any = app.state.jobs
        assert isinstance(runner, JobRunner)
    assert app.state.jobs is None
    with pytest.raises(HTTPException) as refused:
        runner.submit(member_of(web_db, "ru-editor"), "forecast", {}, lambda _t: None)
    assert refused.value.status_code == 503
    assert job["status"] == "done"


def _status(db: Database, job_id: str) -> tuple[str, str | None]:
    from summitry.access.policy import KEEPER

    with db.transaction(KEEPER) as session:
        row = session.get(JobRow, job_id)
        assert row is not None
        return row.status, row.error
