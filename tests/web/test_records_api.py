"""The records API: create, read, update, delete, history, restore, labels, the plan file.

The demo workspace with an API token for every demo user is built once per module and
database kind (``demo_master``) and copied for each test that writes (``demo``), so that no
test pays for a fresh load and twelve password hashes. The leak matrix and the existence
oracle import these fixtures.
"""

from __future__ import annotations

import sqlite3
import tomllib
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dbfixtures import BACKENDS, pg_clone
from summitry.access.policy import KEEPER
from summitry.cli import example_path
from summitry.settings import Settings
from summitry.store import migrate
from summitry.store.database import Database, open_database
from summitry.store.schema import AuditEntry, RecordRow, RevisionRow, User, WideningRow
from summitry.web.app import create_app
from summitry.web.demo import build_demo

API = "/api/v1/workspaces/demo"
TASK = {"name": "Brief the principals", "workstream": "agenda", "estimate": [1, 2, 3]}


# ---------------------------------------------------------------------------------------------
# Fixtures and helpers (the leak matrix and the existence oracle use them too)
# ---------------------------------------------------------------------------------------------


def app_settings(**changes: object) -> Settings:
    """The test server's settings: a fixed secret key, fast throttling."""
    values: dict[str, object] = {"secret_key": "test-secret-key", "login_pause_seconds": 1}
    return Settings.model_validate({**values, **changes})


@dataclass
class Demo:
    """The demo workspace in one database: API tokens by username, record ids by name."""

    db: Database
    tokens: dict[str, str]
    ids: dict[str, str]
    """``collection/slug`` → record id."""
    drop: Any = field(default=None, repr=False)


def build(db: Database) -> Demo:
    """Load the demo into ``db`` and give every demo user an API token (no password hashing)."""
    from summitry.web.security import new_token

    build_demo(db, example_path("summit.toml"))
    with db.transaction(KEEPER, write=True) as session:
        users = list(session.scalars(select(User).order_by(User.username)))
        tokens = {user.username: new_token(session, user, "tests")[1] for user in users}
        ids = {
            f"{collection}/{slug}": rid
            for collection, slug, rid in session.execute(
                select(RecordRow.collection, RecordRow.slug, RecordRow.id)
            )
        }
    return Demo(db, tokens, ids)


@contextmanager
def fresh(request: pytest.FixtureRequest, backend: str) -> Iterator[Database]:
    """A migrated database of its own, for a module's master copy."""
    if backend == "sqlite":
        folder: Path = request.getfixturevalue("tmp_path_factory").mktemp("records")
        db = open_database(folder / "summitry.db")
        migrate.upgrade(db)
        try:
            yield db
        finally:
            db.dispose()
        return
    url, drop = pg_clone(request.getfixturevalue("pg_template"))
    db = open_database(url=url)
    try:
        yield db
    finally:
        db.dispose()
        drop()


@contextmanager
def copied(request: pytest.FixtureRequest, source: Database) -> Iterator[Database]:
    """A copy of ``source`` as it is now (SQLite's backup API; PostgreSQL's TEMPLATE)."""
    source.dispose()  # a template database must have no open connections
    if source.is_sqlite:
        assert source.file is not None
        folder: Path = request.getfixturevalue("tmp_path_factory").mktemp("copy")
        target = folder / "summitry.db"
        with closing(sqlite3.connect(source.file)) as src, closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
        db = open_database(target)
        try:
            yield db
        finally:
            db.dispose()
        return
    assert source.url.database is not None
    url, drop = pg_clone(source.url.database)
    db = open_database(url=url)
    try:
        yield db
    finally:
        db.dispose()
        drop()


@contextmanager
def environment() -> Iterator[None]:
    """The audit key every web test runs with, for fixtures wider than one test."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SUMMITRY_AUDIT_KEY", "test-audit-key")
        patch.delenv("SUMMITRY_DATABASE_URL", raising=False)
        yield


class Api:
    """A client of the app that calls as a demo user, with that user's API token."""

    def __init__(self, client: TestClient, demo: Demo) -> None:
        self.client = client
        self.demo = demo

    def call(self, method: str, user: str, path: str, **kwargs: Any) -> httpx.Response:
        """``method API+path`` as ``user``."""
        headers = {"Authorization": f"Bearer {self.demo.tokens[user]}", **kwargs.pop("headers", {})}
        return self.client.request(method, API + path, headers=headers, **kwargs)

    def get(self, user: str, path: str, **kwargs: Any) -> httpx.Response:
        """``GET`` as ``user``."""
        return self.call("GET", user, path, **kwargs)

    def post(self, user: str, path: str, **kwargs: Any) -> httpx.Response:
        """``POST`` as ``user``."""
        return self.call("POST", user, path, **kwargs)

    def put(self, user: str, path: str, **kwargs: Any) -> httpx.Response:
        """``PUT`` as ``user``."""
        return self.call("PUT", user, path, **kwargs)

    def delete(self, user: str, path: str, **kwargs: Any) -> httpx.Response:
        """``DELETE`` as ``user``."""
        return self.call("DELETE", user, path, **kwargs)

    def record(self, name: str) -> str:
        """The URL path of a record, named ``collection/slug``."""
        collection = name.split("/")[0]
        return f"/records/{collection}/{self.demo.ids[name]}"

    def revision(self, name_or_id: str) -> int:
        """A record's revision now, as the keeper reads it."""
        rid = self.demo.ids.get(name_or_id, name_or_id)
        with self.demo.db.transaction(KEEPER) as session:
            found = session.scalar(select(RecordRow.revision).where(RecordRow.id == rid))
        assert found is not None
        return found

    def body(self, user: str, name: str) -> dict[str, Any]:
        """A record's body as ``user`` reads it."""
        answer = self.get(user, self.record(name))
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()["body"]
        return body


@contextmanager
def api_on(demo: Demo) -> Iterator[Api]:
    """An :class:`Api` on ``demo``'s database for the block."""
    with TestClient(create_app(demo.db, app_settings())) as client:
        yield Api(client, demo)


@pytest.fixture(scope="module", params=BACKENDS)
def demo_master(request: pytest.FixtureRequest) -> Iterator[Demo]:
    """The demo, with tokens, in a database of each kind, built once for the module."""
    with environment(), fresh(request, request.param) as db:
        yield build(db)


@pytest.fixture
def demo(request: pytest.FixtureRequest, demo_master: Demo) -> Iterator[Demo]:
    """A copy of the module's demo for one test that writes."""
    with copied(request, demo_master.db) as db:
        yield Demo(db, demo_master.tokens, demo_master.ids)


@pytest.fixture
def api(demo: Demo) -> Iterator[Api]:
    """A client on the test's own copy of the demo."""
    with api_on(demo) as found:
        yield found


def audit_actions(db: Database, object_ref: str) -> list[str]:
    """The audit log's actions on one object, in the order written."""
    with db.transaction(KEEPER) as session:
        return list(
            session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.object_ref == object_ref)
                .order_by(AuditEntry.at, AuditEntry.seq)
            )
        )


def create_task(api: Api, user: str, slug: str, **body: Any) -> dict[str, Any]:
    """Create a task as ``user``; the answer's JSON."""
    answer = api.post(user, "/records/tasks", json={"slug": slug, "body": {**TASK, **body}})
    assert answer.status_code == 201, answer.text
    found: dict[str, Any] = answer.json()
    return found


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def test_the_workspace_answers_with_the_members_place_and_view(demo_master: Demo) -> None:
    with api_on(demo_master) as api:
        ours = api.get("us-editor", "").json()
        theirs = api.get("ru-viewer", "").json()
    assert ours["title"] == "Russia–United States Summit"
    assert (ours["party"], ours["role"], ours["clearances"]) == (
        "united-states",
        "editor",
        ["back-channel"],
    )
    assert (theirs["party"], theirs["role"], theirs["clearances"]) == ("russia", "viewer", [])
    # Each delegation sees its own position and its estimate of the other side's, no more.
    assert ours["counts"]["positions"] == theirs["counts"]["positions"] == 2
    assert ours["counts"]["notes"] == 2
    assert theirs["counts"]["notes"] == 1
    assert "summit" not in ours["counts"]


def test_a_list_is_the_members_view_in_the_views_order_and_pages(demo_master: Demo) -> None:
    with api_on(demo_master) as api:
        first = api.get("ru-editor", "/records/tasks", params={"limit": 5}).json()
        second = api.get("ru-editor", "/records/tasks", params={"offset": 5, "limit": 5}).json()
        everything = api.get("ru-editor", "/records/tasks", params={"limit": 200}).json()
        too_many = api.get("ru-editor", "/records/tasks", params={"limit": 201})
    assert first["total"] == second["total"] == everything["total"] == 43
    slugs = [item["slug"] for item in everything["items"]]
    assert slugs[:10] == [i["slug"] for i in first["items"] + second["items"]]
    assert slugs[:2] == ["agenda-scoping-note", "topic-longlist"]  # as the plan file has them
    assert too_many.status_code == 422
    assert too_many.json()["error"]["field"] == "limit"


def test_a_record_is_read_with_its_label_owner_and_slugs_for_links(demo_master: Demo) -> None:
    with api_on(demo_master) as api:
        answer = api.get("mediator", api.record("positions/russia-position"))
    record = answer.json()
    assert answer.status_code == 200
    assert record["id"] == demo_master.ids["positions/russia-position"]
    assert (record["collection"], record["slug"], record["revision"]) == (
        "positions",
        "russia-position",
        1,
    )
    assert record["label"] == {"readers": ["russia", "secretariat"], "compartments": []}
    assert record["owner"] == "russia"
    assert record["body"]["held_by"] == "russia"
    assert "eastern-europe-security" in record["body"]["issues"]
    assert record["author"] == "demo"
    assert record["updated_at"].endswith("Z") or record["updated_at"].endswith("+00:00")


def test_unknown_and_settings_collections_are_not_found_with_a_hint(demo_master: Demo) -> None:
    with api_on(demo_master) as api:
        typo = api.get("ru-editor", "/records/task")
        settings = api.get("ru-editor", "/records/summit")
        create = api.post("ru-editor", "/records/forecast", json={"slug": "x", "body": {}})
    assert typo.status_code == 404
    assert typo.json()["error"]["message"] == "no collection 'task' (did you mean 'tasks'?)"
    assert settings.status_code == create.status_code == 404
    assert "one of the plan's settings, not a collection of records" in settings.text
    assert "'forecast' is one of the plan's settings" in create.text


def test_a_read_of_compartmented_material_is_audited(demo_master: Demo) -> None:
    rid = demo_master.ids["notes/back-channel-signal"]
    before = audit_actions(demo_master.db, f"notes/{rid}")
    with api_on(demo_master) as api:
        assert api.get("us-editor", api.record("notes/back-channel-signal")).status_code == 200
        assert api.get("us-editor", "/records/notes").status_code == 200
    assert audit_actions(demo_master.db, f"notes/{rid}") == [*before, "read", "read"]


def test_the_plan_download_is_the_members_view_as_a_plan_file(demo_master: Demo) -> None:
    with api_on(demo_master) as api:
        answer = api.get("us-viewer", "/plan")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="demo-united-states.toml"'
    )
    plan = tomllib.loads(answer.text)
    assert set(plan["positions"]) == {"united-states-position", "united-states-view-of-russia"}
    assert "back-channel-signal" not in plan["notes"]  # the viewer is not cleared
    assert "russia-venue-weights" not in plan["venue_preferences"]


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def test_create_update_and_delete_a_task(api: Api) -> None:
    created = api.post(
        "ru-editor",
        "/records/tasks",
        json={
            "slug": "brief",
            "body": {**TASK, "visibility": "russia", "depends_on": ["topic-longlist"]},
        },
    )
    assert created.status_code == 201, created.text
    record = created.json()
    assert created.headers["location"] == f"{API}/records/tasks/{record['id']}"
    assert (record["slug"], record["revision"], record["owner"]) == ("brief", 1, "russia")
    assert record["body"]["depends_on"] == ["topic-longlist"]
    assert record["label"] == {"readers": ["russia"], "compartments": []}
    assert api.get("us-editor", f"/records/tasks/{record['id']}").status_code == 404

    path = f"/records/tasks/{record['id']}"
    changed = api.put(
        "ru-editor-2", path, json={"body": {**record["body"], "name": "Brief them"}, "revision": 1}
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["revision"], changed.json()["body"]["name"]) == (2, "Brief them")
    assert changed.json()["author"] == "ru-editor-2 (russia)"

    assert api.delete("ru-editor", path, params={"revision": 2}).status_code == 204
    assert api.get("ru-editor", path).status_code == 404
    assert audit_actions(api.demo.db, f"tasks/{record['id']}") == ["create", "update", "delete"]


def test_a_stale_edit_is_a_conflict_that_shows_the_other_edit(api: Api) -> None:
    record = create_task(api, "ru-editor", "brief", visibility="russia")
    path = f"/records/tasks/{record['id']}"
    mine = {**record["body"], "name": "Mine"}
    assert api.put("ru-editor", path, json={"body": mine, "revision": 1}).status_code == 200
    stale = api.put("ru-editor-2", path, json={"body": {**mine, "name": "Theirs"}, "revision": 1})
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["revision"] == 2
    assert error["current"]["name"] == "Mine"
    assert "now revision 2, yours 1" in error["message"]
    late = api.delete("ru-editor-2", path, params={"revision": 1})
    assert late.status_code == 409
    assert api.get("ru-editor", path).json()["body"]["name"] == "Mine"


def test_history_and_restore_of_an_earlier_revision(api: Api) -> None:
    record = create_task(api, "us-editor", "brief", visibility="united-states")
    path = f"/records/tasks/{record['id']}"
    for revision, name in ((1, "Two"), (2, "Three")):
        body = {**record["body"], "name": name}
        assert (
            api.put("us-editor", path, json={"body": body, "revision": revision}).status_code == 200
        )
    history = api.get("us-editor-2", path + "/history").json()
    assert [(r["revision"], r["body"]["name"]) for r in history["revisions"]] == [
        (1, TASK["name"]),
        (2, "Two"),
        (3, "Three"),
    ]
    assert all(r["label"]["readers"] == ["united-states"] for r in history["revisions"])
    assert history["revisions"][0]["body"]["workstream"] == "agenda"  # slugs, not ids

    stale = api.post("us-editor", path + "/restore", json={"revision": 1, "current_revision": 2})
    assert stale.status_code == 409
    restored = api.post("us-editor", path + "/restore", json={"revision": 1, "current_revision": 3})
    assert restored.status_code == 200, restored.text
    assert (restored.json()["revision"], restored.json()["body"]["name"]) == (4, TASK["name"])
    assert restored.json()["label"] == record["label"]
    missing = api.post("us-editor", path + "/restore", json={"revision": 9, "current_revision": 4})
    assert missing.status_code == 404
    assert "restore" in audit_actions(api.demo.db, f"tasks/{record['id']}")


def test_a_joint_record_is_edited_by_another_delegation_and_deleted_only_by_its_owner(
    api: Api,
) -> None:
    record = create_task(api, "ru-editor", "joint-brief")
    assert (record["label"]["readers"], record["owner"]) == ("joint", "russia")
    path = f"/records/tasks/{record['id']}"
    body = {key: value for key, value in record["body"].items() if key != "owned_by"}
    edited = api.put("us-editor", path, json={"body": {**body, "name": "Edited"}, "revision": 1})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["owner"], edited.json()["body"]["name"]) == ("russia", "Edited")

    refused = api.delete("us-editor", path, params={"revision": 2})
    assert refused.status_code == 403
    assert "deleted only by its owner, 'russia'" in refused.json()["error"]["message"]
    assert api.delete("host-editor", path, params={"revision": 2}).status_code == 403
    # The U.S. veto of Budapest is joint and held by the United States: Russia edits, not deletes.
    veto = api.record("venue_preferences/united-states-budapest-veto")
    assert api.delete("ru-editor", veto, params={"revision": 1}).status_code == 403
    assert api.delete("ru-editor", path, params={"revision": 2}).status_code == 204


def test_a_released_record_stays_its_owners(api: Api) -> None:
    path = api.record("positions/russia-position")
    body = api.body("mediator", "positions/russia-position")
    refused = api.put("mediator", path, json={"body": body, "revision": 1})
    assert refused.status_code == 403
    assert "belongs to 'russia'" in refused.json()["error"]["message"]
    assert api.put("ru-editor", path, json={"body": body, "revision": 1}).status_code == 200


def test_a_delete_is_refused_while_the_writers_view_names_the_record(api: Api) -> None:
    first = create_task(api, "ru-editor", "first", visibility="russia")
    create_task(api, "ru-editor", "second", visibility="russia", depends_on=["first"])
    refused = api.delete("ru-editor", f"/records/tasks/{first['id']}", params={"revision": 1})
    assert refused.status_code == 400
    assert "still named by tasks.second.depends_on" in refused.json()["error"]["message"]


def test_viewers_and_admins_write_nothing(api: Api) -> None:
    path = api.record("notes/vienna-dates")
    body = api.body("ru-viewer", "notes/vienna-dates")
    for user in ("ru-viewer", "us-admin", "sec-admin"):
        assert api.put(user, path, json={"body": body, "revision": 1}).status_code == 403
        assert api.delete(user, path, params={"revision": 1}).status_code == 403
        created = api.post(user, "/records/tasks", json={"slug": "x", "body": TASK})
        assert created.status_code == 403
        assert "does not change the plan" in created.json()["error"]["message"]
    assert api.revision("notes/vienna-dates") == 1


def test_a_cookie_session_writes_only_with_its_csrf_token(api: Api) -> None:
    from webkit import sign_in

    csrf = sign_in(api.client, "host-editor")
    body = {"slug": "host-brief", "body": TASK}
    refused = api.client.post(f"{API}/records/tasks", json=body)
    assert refused.status_code == 403
    made = api.client.post(f"{API}/records/tasks", json=body, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201, made.text
    assert made.json()["owner"] == "austria"


@pytest.mark.parametrize(
    ("request_body", "status", "field"),
    [
        ({"slug": "Not A Slug", "body": TASK}, 422, "slug"),
        ({"slug": "x", "body": {**TASK, "estimate": [3, 2, 1]}}, 422, "tasks.x.estimate"),
        ({"slug": "x", "body": {**TASK, "estimate": "soon"}}, 422, "tasks.x.estimate"),
        ({"slug": "x", "body": {**TASK, "workstream": "agendas"}}, 422, "tasks.x.workstream"),
        ({"slug": "x", "body": {**TASK, "depends_on": ["nowhere"]}}, 422, "tasks.x.depends_on"),
        ({"slug": "x", "body": {**TASK, "colour": "red"}}, 422, "tasks.x.colour"),
        ({"slug": "x", "body": []}, 422, "body"),
        ({"slug": "x"}, 422, "body"),
        ({"slug": "x", "body": TASK, "extra": 1}, 422, "extra"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(
    api: Api, request_body: dict[str, Any], status: int, field: str
) -> None:
    answer = api.post("ru-editor", "/records/tasks", json=request_body)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["field"] == field
    with api.demo.db.transaction(KEEPER) as session:
        assert not session.scalar(select(RecordRow.id).where(RecordRow.slug == "x"))


def test_a_link_that_narrows_names_the_field(api: Api) -> None:
    create_task(api, "ru-editor", "ours", visibility="russia")
    answer = api.post(
        "ru-editor",
        "/records/tasks",
        json={"slug": "shared", "body": {**TASK, "depends_on": ["ours"]}},
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "tasks.shared.depends_on"
    assert "may link only to records all its readers can read" in answer.text


def test_a_body_over_the_limit_is_413_and_a_non_json_body_400_or_422(api: Api) -> None:
    huge = {"slug": "x", "body": {**TASK, "notes": "x" * 2_100_000}}
    too_large = api.post("ru-editor", "/records/tasks", json=huge)
    assert too_large.status_code == 413
    assert "larger than the 2000000 bytes" in too_large.json()["error"]["message"]
    garbage = api.post(
        "ru-editor",
        "/records/tasks",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert 400 <= garbage.status_code < 500
    assert "error" in garbage.json()


def test_a_write_of_a_label_the_writer_may_not_read_is_refused(api: Api) -> None:
    answer = api.post(
        "ru-editor",
        "/records/tasks",
        json={"slug": "x", "body": {**TASK, "visibility": "united-states"}},
    )
    assert answer.status_code == 403
    assert "you may not write a record you could not read" in answer.text
    relabel = create_task(api, "ru-editor", "ours", visibility="russia")
    moved = api.put(
        "ru-editor",
        f"/records/tasks/{relabel['id']}",
        json={"body": {**relabel["body"], "visibility": ["russia", "secretariat"]}, "revision": 1},
    )
    assert moved.status_code == 400
    assert "widen or withdraw the label instead" in moved.text


# ---------------------------------------------------------------------------------------------
# Labels: widening (two editors) and withdrawal
# ---------------------------------------------------------------------------------------------


def _widen(api: Api, user: str, name: str, visibility: Any, **extra: Any) -> httpx.Response:
    return api.post(
        user,
        api.record(name) + "/widen",
        json={"visibility": visibility, "revision": api.revision(name), **extra},
    )


def test_a_release_to_the_mediator_is_confirmed_by_a_second_editor(api: Api) -> None:
    name = "positions/russia-view-of-united-states"
    asked = _widen(api, "ru-editor", name, ["russia", "secretariat"])
    assert asked.status_code == 201, asked.text
    pending = asked.json()
    assert pending["new_label"] == {"readers": ["russia", "secretariat"], "compartments": []}
    assert pending["requested_by"] == "ru-editor"
    # Until it is confirmed, the mediator sees neither the record nor the request.
    assert api.get("mediator", api.record(name)).status_code == 404
    assert api.get("mediator", "/widenings").json()["items"] == []
    assert [w["id"] for w in api.get("ru-editor-2", "/widenings").json()["items"]] == [
        pending["id"]
    ]
    confirm = f"/widenings/{pending['id']}/confirm"
    own = api.post("ru-editor", confirm)
    assert own.status_code == 403
    assert "you asked for this widening" in own.json()["error"]["message"]
    assert api.post("mediator", confirm).status_code == 404
    assert api.post("ru-viewer", confirm).status_code == 403

    done = api.post("ru-editor-2", confirm)
    assert done.status_code == 200, done.text
    assert done.json()["label"] == {"readers": ["russia", "secretariat"], "compartments": []}
    assert (done.json()["revision"], done.json()["owner"]) == (2, "russia")
    assert api.get("mediator", api.record(name)).status_code == 200
    # The revision from before the release stays Russia's own.
    history = api.get("mediator", api.record(name) + "/history").json()["revisions"]
    assert [r["revision"] for r in history] == [2]
    assert api.get("ru-editor", "/widenings").json()["items"] == []
    assert api.post("ru-editor-2", confirm).status_code == 404
    rid = api.demo.ids[name]
    assert audit_actions(api.demo.db, f"positions/{rid}")[-2:] == ["widen-request", "widen"]


def test_an_editor_added_after_the_request_may_not_confirm_it(api: Api) -> None:
    from summitry.store.audit import keyring
    from summitry.store.users import add_user
    from summitry.web.security import new_token

    asked = _widen(api, "ru-editor", "positions/russia-view-of-united-states", "joint")
    assert asked.status_code == 201, asked.text
    with api.demo.db.transaction(KEEPER, write=True) as session:
        late = add_user(
            session,
            keyring(api.demo.db.file),
            "ru-editor-late",
            "a long enough password",
            workspace="demo",
            party="russia",
            role="editor",
            actor="operator",
        )
        token = new_token(session, late, "tests")[1]
    answer = api.client.post(
        f"{API}/widenings/{asked.json()['id']}/confirm",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 403
    assert "already a user when the widening was asked for" in answer.json()["error"]["message"]
    assert api.revision("positions/russia-view-of-united-states") == 1


def test_an_edit_cancels_a_pending_widening(api: Api) -> None:
    name = "positions/russia-view-of-united-states"
    asked = _widen(api, "ru-editor", name, "joint")
    assert asked.status_code == 201
    body = api.body("ru-editor", name)
    assert (
        api.put("ru-editor", api.record(name), json={"body": body, "revision": 1}).status_code
        == 200
    )
    assert api.post("ru-editor-2", f"/widenings/{asked.json()['id']}/confirm").status_code == 404


@pytest.mark.parametrize(
    ("user", "name", "visibility", "extra", "status", "words"),
    [
        ("ru-editor", "positions/russia-position", "russia", {}, 400, "would leave out"),
        ("ru-editor", "positions/russia-view-of-united-states", "russia", {}, 400, "already"),
        ("ru-editor", "notes/vienna-dates", "joint", {}, 403, "no owning party"),
        (
            "us-editor",
            "venue_preferences/united-states-budapest-veto",
            "united-states",
            {},
            400,
            "joint material cannot be narrowed",
        ),
        (
            "us-editor",
            "notes/back-channel-signal",
            "united-states",
            {"compartments": ["back-channel", "security"]},
            400,
            "would leave out",
        ),
        ("mediator", "positions/russia-position", "joint", {}, 403, "only editors of 'russia'"),
        ("ru-editor", "positions/russia-position", ["russia", "narnia"], {}, 422, "visibility[1]"),
    ],
)
def test_a_widening_that_narrows_or_changes_nothing_is_refused(
    api: Api, user: str, name: str, visibility: Any, extra: dict[str, Any], status: int, words: str
) -> None:
    answer = _widen(api, user, name, visibility, **extra)
    assert answer.status_code == status, answer.text
    assert words in answer.text
    with api.demo.db.transaction(KEEPER) as session:
        assert not session.scalar(select(func.count()).select_from(WideningRow))


def test_the_owner_withdraws_a_release_and_earlier_revisions_keep_their_label(api: Api) -> None:
    name = "positions/russia-position"
    path = api.record(name)
    assert api.post("mediator", path + "/withdraw", json={"revision": 1}).status_code == 403
    withdrawn = api.post("ru-editor", path + "/withdraw", json={"revision": 1})
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["label"] == {"readers": ["russia"], "compartments": []}
    assert api.get("mediator", path).status_code == 404
    # What the mediator was given stays what it was given; nothing written since reaches it.
    seen = api.get("mediator", path + "/history").json()["revisions"]
    assert [(r["revision"], r["label"]["readers"]) for r in seen] == [
        (1, ["russia", "secretariat"])
    ]
    again = api.post("ru-editor", path + "/withdraw", json={"revision": 2})
    assert again.status_code == 400
    assert "not released" in again.text
    assert audit_actions(api.demo.db, f"positions/{api.demo.ids[name]}")[-1] == "withdraw"
    joint = api.post(
        "us-editor",
        api.record("venue_preferences/united-states-budapest-veto") + "/withdraw",
        json={"revision": 1},
    )
    assert joint.status_code == 400
    assert "joint material cannot be narrowed" in joint.text


def test_restoring_a_revision_from_before_a_widening_keeps_the_wider_label(api: Api) -> None:
    name = "positions/united-states-view-of-russia"
    asked = _widen(api, "us-editor", name, ["united-states", "secretariat"])
    assert api.post("us-editor-2", f"/widenings/{asked.json()['id']}/confirm").status_code == 200
    # The mediator may not read revision 1 (it was the United States' own), so may not restore it;
    # the U.S. editor may, and the label stays as released.
    path = api.record(name)
    assert (
        api.post(
            "mediator", path + "/restore", json={"revision": 1, "current_revision": 2}
        ).status_code
        == 404
    )
    restored = api.post("us-editor", path + "/restore", json={"revision": 1, "current_revision": 2})
    assert restored.status_code == 200, restored.text
    assert restored.json()["label"]["readers"] == ["secretariat", "united-states"]
    with api.demo.db.transaction(KEEPER) as session:
        readers = list(
            session.scalars(
                select(RevisionRow.readers)
                .where(RevisionRow.record_id == api.demo.ids[name])
                .order_by(RevisionRow.revision)
            )
        )
    assert readers == [
        ",united-states,",
        ",secretariat,united-states,",
        ",secretariat,united-states,",
    ]


def test_every_route_here_is_in_the_api_reference() -> None:
    import re

    from fastapi.routing import APIRoute

    from summitry.web.records import router

    doc = (Path(__file__).parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    section = doc.split("## Records and labels", 1)[1].split("\n## ", 1)[0]
    for route in router.routes:
        assert isinstance(route, APIRoute)
        path = re.sub(r"\{\w+_id\}", "{id}", route.path)
        for method in route.methods:
            assert f"### `{method} {path}`" in section, (method, path)
