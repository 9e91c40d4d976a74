"""The existence oracle over the pages: another party's private id answers as a missing one.

The workspace is the demo plus records private to the United States (world 2 of
``test_pages_two_worlds``), and the U.S. editor has run a forecast and a situation report
(a job and a stored result private to the United States). For every GET page route the app
has when the test runs that takes an id — a record's (by id or by slug: which collection is
guessed from the parameter's name or the path), a job's or a report's — Russia's editor asks
once with a U.S. private id and once with an id nothing has (of the same length). The two
answers must be identical: status, every header but the date, and the body once the id asked
for is blanked.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import worldkit
from fastapi.testclient import TestClient
from jobkit import app_on, wait_for
from sqlalchemy import select
from test_pages_two_worlds import PRIVATE, demo_text
from test_two_worlds_api import database, populate, stopped_clock, ticking_clock
from webkit import sign_in, token_for

from summitry.access.policy import KEEPER, Principal
from summitry.access.sql import readable
from summitry.store import schema
from summitry.store.database import Database
from summitry.store.reads import forget_databases
from summitry.store.schema import JobRow, RecordRow, StoredResult

RUSSIA = Principal.of("russia")


@pytest.fixture(params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """A database holding the demo plus the United States' private records."""
    from summitry.web import jobs

    template = request.getfixturevalue("pg_template") if request.param == "postgresql" else None
    monkeypatch.setattr(schema, "clock", stopped_clock())
    monkeypatch.setattr(jobs, "now", ticking_clock())
    try:
        with database(request.param, template) as db:
            populate(db, demo_text() + PRIVATE, monkeypatch)
            yield db
    finally:
        forget_databases()


def hidden(db: Database, collection: str) -> tuple[str, str] | None:
    """(id, slug) of a record of ``collection`` Russia may not read, if there is one."""
    with db.transaction(KEEPER) as session:
        row = session.execute(
            select(RecordRow.id, RecordRow.slug)
            .where(
                RecordRow.collection == collection,
                ~readable(RUSSIA, RecordRow.readers, RecordRow.compartments),
            )
            .order_by(RecordRow.slug)
            .limit(1)
        ).first()
    return None if row is None else (str(row[0]), str(row[1]))


def hidden_rows(db: Database) -> tuple[str, str]:
    """The id of a job and of a stored result Russia may not read."""
    with db.transaction(KEEPER) as session:
        job = session.scalar(
            select(JobRow.id).where(~readable(RUSSIA, JobRow.readers, JobRow.compartments))
        )
        result = session.scalar(
            select(StoredResult.id).where(
                ~readable(RUSSIA, StoredResult.readers, StoredResult.compartments)
            )
        )
    assert job
    assert result
    return str(job), str(result)


def missing_slug(length: int) -> str:
    """A slug nothing has, as long as the private one it stands beside."""
    return ("z" * length)[:length]


def pairs(db: Database, path: str, name: str, kind: str) -> list[tuple[str, str]]:
    """(a U.S. private value, a missing value of the same length) for one id parameter."""
    if kind == "job":
        return [(hidden_rows(db)[0], str(uuid.uuid4()))]
    if kind == "result":
        return [(hidden_rows(db)[1], str(uuid.uuid4()))]
    if kind != "record":
        return []
    collection = worldkit.collection_for(path, name)
    found = hidden(db, collection) if collection else None
    if found is None:
        return []
    rid, slug = found
    return [(rid, str(uuid.uuid4())), (slug, missing_slug(len(slug)))]


def answer(client: TestClient, url: str, value: str) -> tuple[int, list[tuple[str, str]], str]:
    """What a user notices of an answer: status, headers but the date, the body (id blanked)."""
    got = client.get(url, follow_redirects=False)
    headers = sorted((k, v) for k, v in got.headers.items() if k.lower() != "date")
    body = worldkit.without_tokens(got.text).replace(value, "<ID>")
    return got.status_code, headers, body


def test_a_private_id_and_a_missing_one_answer_alike_on_every_page(world: Database) -> None:
    with TestClient(app_on(world)) as client:
        us = {"Authorization": f"Bearer {token_for(client, 'us-editor')}"}
        api = "/api/v1/workspaces/demo"
        for path, body in (("forecast", {"iterations": 200}), ("sitreps", {"forecast": False})):
            started = client.post(f"{api}/{path}", json=body, headers=us)
            assert started.status_code == 202, started.text
            assert wait_for(client, us, started.headers["location"])[0]["status"] == "done"
        sign_in(client, "ru-editor")
        compared = []
        for route in worldkit.page_routes(client.app):
            for name in worldkit.params(route.path):
                kind = worldkit.id_kind(name)
                for private, missing in pairs(world, route.path, name, kind or ""):
                    one = worldkit.fill(route.path, {name: private})
                    two = worldkit.fill(route.path, {name: missing})
                    first, second = answer(client, one, private), answer(client, two, missing)
                    assert first == second, f"{route.path}: {one} and {two} answer differently"
                    assert first[0] != 200, f"{one} showed a private record to Russia"
                    compared.append(route.path)
        # The pages of this issue with ids are compared, whichever exist now.
        assert len(set(compared)) >= 3, compared
