"""Accounts, a party's admins and the audit log over the API (issue 13).

An admin manages the members of their own party and nothing else: never their own role or
clearances, never a compartment they are not cleared for, never a member of another party
(who answers as one that does not exist). The audit log shows a member the chains they may
read, and only objects and actors.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient
from sqlalchemy import select
from webkit import sign_in, token_for

from summitry.access.policy import KEEPER, Principal
from summitry.settings import Settings
from summitry.store.database import Database
from summitry.store.schema import Membership, User, new_id
from summitry.store.workspaces import find_workspace
from summitry.web.demo import DEMO_PASSWORD, DEMO_WORKSPACE, SEATS
from summitry.web.security import CSRF_HEADER, SESSION_COOKIE


def web_settings(**changes: object) -> Settings:
    """As conftest's ``web_settings`` (a conftest is not importable from a test module)."""
    values: dict[str, object] = {"secret_key": "test-secret-key", "login_pause_seconds": 1}
    values.update(changes)
    return Settings.model_validate(values)


MEMBERS = f"/api/v1/workspaces/{DEMO_WORKSPACE}/members"
AUDIT = f"/api/v1/workspaces/{DEMO_WORKSPACE}/audit"
NEW_PASSWORD = "a-new-and-long-password"
BACK_CHANNEL = "united-states · back-channel"
OBJECT = re.compile(
    r"^[a-z_-]+/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(/.*)?$"
)


@pytest.fixture(autouse=True)
def _quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: the demo's twelve users are hashed for every test."""
    from argon2 import PasswordHasher

    from summitry.store import users

    quick = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(users, "_hasher", lambda: quick)


def _as(client: TestClient, username: str) -> dict[str, str]:
    """Sign ``client`` in as ``username``; the CSRF header its writes need."""
    client.cookies.clear()
    return {CSRF_HEADER: sign_in(client, username)}


def _log_in(client: TestClient, username: str, password: str) -> int:
    answer = client.post(
        "/login", data={"username": username, "password": password}, follow_redirects=False
    )
    return answer.status_code


def _entries(client: TestClient, **filters: Any) -> list[dict[str, Any]]:
    answer = client.get(AUDIT, params={"limit": 1000, **filters})
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()["entries"]
    return found


# --- one's own account ------------------------------------------------------------------------


def test_changing_ones_password_ends_every_other_session_and_renews_this_one(
    client: TestClient,
) -> None:
    elsewhere = TestClient(client.app)
    sign_in(elsewhere, "ru-editor")
    script = token_for(TestClient(client.app), "ru-editor")
    csrf = _as(client, "ru-editor")
    old_cookie = client.cookies.get(SESSION_COOKIE)
    change = "/api/v1/me/password"

    wrong = client.post(
        change,
        json={"current_password": "not-it-at-all", "new_password": NEW_PASSWORD},
        headers=csrf,
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"]["message"] == "the current password is wrong"
    short = client.post(
        change, json={"current_password": DEMO_PASSWORD, "new_password": "short"}, headers=csrf
    )
    assert short.status_code == 422
    assert short.json()["error"]["field"] == "new_password"
    assert "short" not in short.text.replace("at least", "")  # the password is not echoed
    assert client.post(change, json={}, headers={}).status_code == 403  # CSRF first
    assert elsewhere.get("/api/v1/me").status_code == 200  # refusals changed nothing

    done = client.post(
        change, json={"current_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD}, headers=csrf
    )
    assert done.status_code == 200, done.text
    assert done.json()["sessions_ended"] is True
    # This browser has a new session (a new id) and its CSRF token; the old id is dead.
    new_cookie = client.cookies.get(SESSION_COOKIE)
    assert new_cookie is not None
    assert new_cookie != old_cookie
    assert client.get("/api/v1/me").json()["username"] == "ru-editor"
    fresh = {CSRF_HEADER: done.json()["csrf_token"]}
    assert client.post("/api/v1/me/tokens", json={"name": "n"}, headers=fresh).status_code == 201
    assert client.post("/api/v1/me/tokens", json={"name": "n"}, headers=csrf).status_code == 403
    thief = TestClient(client.app)
    thief.cookies.set(SESSION_COOKIE, old_cookie or "")
    assert thief.get("/api/v1/me").status_code == 401
    assert elsewhere.get("/api/v1/me").status_code == 401
    # API tokens stay (scripts keep running); the operator or the user revokes them.
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {script}"}).status_code == 200
    )

    assert _log_in(TestClient(client.app), "ru-editor", DEMO_PASSWORD) == 400
    assert _log_in(TestClient(client.app), "ru-editor", NEW_PASSWORD) == 303
    me = client.get("/api/v1/me").json()
    audited = _entries(client, action="user-passwd", object=f"users/{me['id']}")
    assert [(e["chain"], e["actor"]) for e in audited] == [("joint", "ru-editor")]

    # Guessing the current password counts towards the same throttle as the sign-in form.
    attempts = client.app.state.settings.login_attempts  # type: ignore[attr-defined]
    body = {"current_password": "a-wrong-guess", "new_password": "another-long-password"}
    fresh = {CSRF_HEADER: done.json()["csrf_token"]}
    for _ in range(attempts):
        assert client.post(change, json=body, headers=fresh).status_code == 400
    throttled = client.post(change, json=body, headers=fresh)
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) >= 1
    assert _log_in(TestClient(client.app), "ru-editor", NEW_PASSWORD) == 429


def test_tokens_are_listed_without_their_secrets_and_only_ones_own_are_revoked(
    client: TestClient,
) -> None:
    csrf = _as(client, "us-editor")
    made = [
        client.post("/api/v1/me/tokens", json={"name": name}, headers=csrf).json()
        for name in ("forecast script", "report script")
    ]
    listed = client.get("/api/v1/me/tokens")
    assert listed.status_code == 200
    tokens = listed.json()["tokens"]
    assert sorted(t["name"] for t in tokens) == ["forecast script", "report script"]
    assert {t["id"] for t in tokens} == {m["id"] for m in made}
    assert all(set(t) == {"id", "name", "created_at", "revoked_at"} for t in tokens)
    for secret in (m["token"] for m in made):
        assert secret not in listed.text

    # Another user cannot revoke them: their id answers as a token that does not exist.
    stranger = TestClient(client.app)
    other = _as(stranger, "us-editor-2")
    theirs = stranger.delete(f"/api/v1/me/tokens/{made[0]['id']}", headers=other)
    missing = stranger.delete(f"/api/v1/me/tokens/{new_id()}", headers=other)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert stranger.get("/api/v1/me/tokens").json()["tokens"] == []

    assert client.delete(f"/api/v1/me/tokens/{made[0]['id']}", headers=csrf).status_code == 204
    after = {t["id"]: t["revoked_at"] for t in client.get("/api/v1/me/tokens").json()["tokens"]}
    assert after[made[0]["id"]] is not None
    assert after[made[1]["id"]] is None
    assert client.delete(f"/api/v1/me/tokens/{made[0]['id']}", headers=csrf).status_code == 404


# --- a party's admin --------------------------------------------------------------------------


def test_an_admin_lists_adds_changes_and_disables_members_of_their_own_party(
    client: TestClient,
) -> None:
    csrf = _as(client, "ru-admin")
    listed = client.get(MEMBERS)
    assert listed.status_code == 200, listed.text
    members = listed.json()["members"]
    russians = sorted(s.username for s in SEATS if s.party == "russia")
    assert [m["username"] for m in members] == russians
    assert {m["party"] for m in members} == {"russia"}

    new = {"username": "ru-analyst", "password": "an-analyst-password", "role": "viewer"}
    refused = {
        "another party": ({**new, "party": "united-states"}, 422),
        "taken name": ({**new, "username": "us-editor"}, 409),
        "person of another party": ({**new, "person": "dana-whitcomb"}, 400),
        "unknown role": ({**new, "role": "keeper"}, 422),
        "short password": ({**new, "password": "short"}, 422),
    }
    for why, (body, status) in refused.items():
        answer = client.post(MEMBERS, json=body, headers=csrf)
        assert answer.status_code == status, f"{why}: {answer.text}"
    added = client.post(MEMBERS, json={**new, "person": "marina-kovrova"}, headers=csrf)
    assert added.status_code == 201, added.text
    assert added.json() | {"id": ""} == {
        "id": "",
        "username": "ru-analyst",
        "party": "russia",
        "role": "viewer",
        "clearances": [],
        "person": "marina-kovrova",
        "disabled": False,
    }
    analyst = TestClient(client.app)
    sign_in(analyst, "ru-analyst", "an-analyst-password")
    assert analyst.get("/api/v1/me").json()["workspaces"] == [
        {"workspace": "demo", "party": "russia", "role": "viewer", "clearances": []}
    ]

    changed = client.patch(
        f"{MEMBERS}/ru-analyst", json={"role": "editor", "person": ""}, headers=csrf
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["role"], changed.json()["person"]) == ("editor", None)
    assert client.get(f"{MEMBERS}/ru-analyst").json() == changed.json()

    off = client.post(f"{MEMBERS}/ru-analyst/disable", headers=csrf)
    assert off.status_code == 200, off.text
    assert off.json()["disabled"] is True
    assert analyst.get("/api/v1/me").status_code == 401
    assert _log_in(TestClient(client.app), "ru-analyst", "an-analyst-password") == 400
    assert client.post(f"{MEMBERS}/ru-analyst/disable", headers=csrf).status_code == 400

    # Each change is on the joint chain, naming the user by id and the admin as actor.
    ref = f"users/{added.json()['id']}"
    trail = [(e["action"], e["actor"], e["chain"]) for e in _entries(client, object=ref)]
    assert trail == [
        ("user-add", "ru-admin (russia)", "joint"),
        ("user-grant", "ru-admin (russia)", "joint"),
        ("user-disable", "ru-admin (russia)", "joint"),
    ]


def test_an_admin_never_changes_their_own_role_or_clearances_nor_grants_beyond_their_own(
    client: TestClient, web_db: Database
) -> None:
    csrf = _as(client, "us-admin")
    me = f"{MEMBERS}/us-admin"
    for body in ({"role": "editor"}, {"clearances": ["back-channel"]}, {"role": "admin"}):
        answer = client.patch(me, json=body, headers=csrf)
        assert answer.status_code == 403, answer.text
    assert client.post(f"{me}/disable", headers=csrf).status_code == 403
    # Who they are in the plan is theirs to say; it gives no privilege.
    linked = client.patch(me, json={"person": "dana-whitcomb"}, headers=csrf)
    assert linked.status_code == 200, linked.text
    assert linked.json()["role"] == "admin"
    assert linked.json()["clearances"] == []

    # us-admin is not cleared for the back channel, so cannot hand it out — not to a member,
    # and not to an account of their own making that they could then sign in as.
    grant = client.patch(
        f"{MEMBERS}/us-editor-2", json={"clearances": ["back-channel"]}, headers=csrf
    )
    assert grant.status_code == 403
    puppet = {
        "username": "us-puppet",
        "password": "a-puppet-password",
        "role": "editor",
        "clearances": ["back-channel"],
    }
    assert client.post(MEMBERS, json=puppet, headers=csrf).status_code == 403
    # Taking a clearance away is theirs to do; giving it back is not.
    taken = client.patch(f"{MEMBERS}/us-editor", json={"clearances": []}, headers=csrf)
    assert taken.status_code == 200
    assert taken.json()["clearances"] == []
    back = client.patch(f"{MEMBERS}/us-editor", json={"clearances": ["back-channel"]}, headers=csrf)
    assert back.status_code == 403
    assert client.get(f"{MEMBERS}/us-editor-2").json()["clearances"] == []

    # The admin's own place is as the operator made it, and writes no plan content.
    mine = client.get("/api/v1/me").json()["workspaces"]
    assert mine == [
        {"workspace": "demo", "party": "united-states", "role": "admin", "clearances": []}
    ]
    assert client.get("/w/demo").status_code == 200  # reads what the party reads
    from summitry.web.deps import Caller, Member

    with web_db.transaction(KEEPER) as session:
        user = session.scalar(select(User).where(User.username == "us-admin"))
        assert user is not None
        workspace = find_workspace(session, DEMO_WORKSPACE)
        membership = session.scalar(
            select(Membership).where(
                Membership.user_id == user.id, Membership.workspace_id == workspace.id
            )
        )
        assert membership is not None
    admin = Member(Caller(user, None), web_db, workspace, membership)
    assert admin.principal == Principal("united-states")
    with pytest.raises(HTTPException) as refused, admin.writing():
        pass
    assert refused.value.status_code == 403


def test_an_admin_sees_a_member_of_another_party_exactly_as_a_missing_one(
    client: TestClient,
) -> None:
    csrf = _as(client, "ru-admin")
    us = TestClient(client.app)
    _as(us, "us-admin")
    unchanged = us.get(f"{MEMBERS}/us-editor").json()

    # Same length, so that the answers can be compared byte for byte.
    theirs, nobody = "us-editor", "zz-editor"
    for method, suffix, body in (
        ("GET", "", None),
        ("PATCH", "", {"role": "viewer"}),
        ("PATCH", "", {"clearances": []}),
        ("POST", "/disable", None),
    ):
        answers = [
            client.request(method, f"{MEMBERS}/{name}{suffix}", json=body, headers=csrf)
            for name in (theirs, nobody)
        ]
        assert [a.status_code for a in answers] == [404, 404], (method, suffix)
        assert answers[0].text.replace(theirs, "NAME") == answers[1].text.replace(nobody, "NAME")
        assert dict(answers[0].headers) == dict(answers[1].headers)
    assert us.get(f"{MEMBERS}/us-editor").json() == unchanged
    assert "us-editor" not in client.get(MEMBERS).text


def test_editors_viewers_and_strangers_cannot_use_the_member_routes(
    sqlite_web_db: Database,
) -> None:
    from summitry.web.app import create_app

    with TestClient(create_app(sqlite_web_db, web_settings())) as client:
        for username in ("ru-editor", "ru-viewer", "us-editor", "mediator"):
            csrf = _as(client, username)
            for method, path, body in (
                ("GET", MEMBERS, None),
                ("POST", MEMBERS, {"username": "x-new", "password": "p" * 12, "role": "viewer"}),
                ("GET", f"{MEMBERS}/{username}", None),
                ("PATCH", f"{MEMBERS}/{username}", {"role": "admin"}),
                ("POST", f"{MEMBERS}/{username}/disable", None),
            ):
                answer = client.request(method, path, json=body, headers=csrf)
                assert answer.status_code == 403, (username, method, path, answer.text)
                assert "admin" in answer.json()["error"]["message"]
            # A workspace they have no place in answers as one that does not exist.
            assert client.get("/api/v1/workspaces/nowhere/members").status_code == 404
        assert TestClient(client.app).get(MEMBERS).status_code == 401


def test_an_account_with_a_place_elsewhere_is_for_the_operator_to_disable(
    sqlite_web_db: Database,
) -> None:
    from summitry.cli import example_path
    from summitry.store.audit import keyring
    from summitry.store.loading import load_plan
    from summitry.web.app import create_app

    plan = example_path("summit.toml")
    with sqlite_web_db.transaction(KEEPER, write=True) as session:
        load_plan(
            session, keyring(sqlite_web_db.file), plan.read_text(), plan.name, "other", actor="t"
        )
        viewer = session.scalar(select(User).where(User.username == "ru-viewer"))
        assert viewer is not None
        session.add(
            Membership(
                id=new_id(),
                user_id=viewer.id,
                workspace_id=find_workspace(session, "other").id,
                party="russia",
                role="viewer",
                clearances="",
            )
        )
    with TestClient(create_app(sqlite_web_db, web_settings())) as client:
        csrf = _as(client, "ru-admin")
        refused = client.post(f"{MEMBERS}/ru-viewer/disable", headers=csrf)
        assert refused.status_code == 403
        assert "operator" in refused.json()["error"]["message"]
        assert client.get(f"{MEMBERS}/ru-viewer").json()["disabled"] is False
        assert client.post(f"{MEMBERS}/ru-editor-2/disable", headers=csrf).status_code == 200


# --- the audit log ----------------------------------------------------------------------------


def test_the_audit_log_shows_a_member_only_the_chains_they_may_read(client: TestClient) -> None:
    _as(client, "us-editor")
    client.get("/w/demo")  # a read of back-channel material: audited on that chain
    cleared = _entries(client)
    chains = {e["chain"] for e in cleared}
    assert {"joint", "united-states", BACK_CHANNEL} <= chains
    assert not any("russia" in c for c in chains)
    channel = _entries(client, chain=BACK_CHANNEL)
    assert channel
    assert {e["chain"] for e in channel} == {BACK_CHANNEL}
    assert "read" in {e["action"] for e in channel}
    assert [e["seq"] for e in channel] == list(range(1, len(channel) + 1))
    # Entries name objects and actors, never content.
    for entry in cleared:
        assert OBJECT.match(entry["object"]), entry
    assert "Back-channel signal" not in client.get(AUDIT, params={"limit": 1000}).text
    assert "informal contact" not in client.get(AUDIT, params={"limit": 1000}).text

    # Filters and pages.
    added = _entries(client, action="user-add")
    assert len(added) == len(SEATS)
    assert {e["chain"] for e in added} == {"joint"}
    assert _entries(client, since="2999-01-01T00:00:00Z") == []
    assert len(_entries(client, since="2000-01-01T00:00:00")) == len(cleared)
    walked, offset = [], 0
    while offset is not None:
        page = client.get(AUDIT, params={"limit": 7, "offset": offset}).json()
        assert page["total"] == len(cleared)
        walked += page["entries"]
        offset = page["next_offset"]
    assert walked == cleared
    assert client.get(AUDIT, params={"limit": 0}).status_code == 422

    verified = client.get(f"{AUDIT}/verify")
    assert verified.status_code == 200
    result = verified.json()
    assert result["ok"] is True
    assert result["broken"] == []
    heads = {c["chain"]: c for c in result["chains"]}
    assert set(heads) == chains
    assert heads[BACK_CHANNEL]["entries"] == len(channel)
    assert heads[BACK_CHANNEL]["head"] == channel[-1]["digest"]
    line = heads["joint"]["line"]
    again = client.get(f"{AUDIT}/verify", params={"against": line}).json()
    assert (again["ok"], again["checked_against"]) == (True, 1)
    forged = re.sub(r"head [0-9a-f]{16}", "head " + "0" * 16, line)
    rewritten = client.get(f"{AUDIT}/verify", params={"against": forged}).json()
    assert rewritten["ok"] is False
    assert "rewritten" in rewritten["broken"][0]["reason"]

    # Not cleared for the back channel: the chain is not there, as if it never was.
    _as(client, "us-editor-2")
    assert BACK_CHANNEL not in {e["chain"] for e in _entries(client)}
    assert _entries(client, chain=BACK_CHANNEL) == _entries(client, chain="zz · nothing") == []

    # Russia never sees a United States chain: not in entries, filters, heads or checks.
    _as(client, "ru-editor")
    russian = _entries(client)
    assert not any("united-states" in e["chain"] for e in russian)
    assert _entries(client, chain="united-states") == []
    assert _entries(client, chain=BACK_CHANNEL) == []
    ru_verify = client.get(f"{AUDIT}/verify").json()
    assert ru_verify["ok"] is True
    assert not any("united-states" in c["chain"] for c in ru_verify["chains"])
    probe = heads[BACK_CHANNEL]["line"]
    probed = client.get(f"{AUDIT}/verify", params={"against": probe}).json()
    assert probed == ru_verify  # a head of a chain they may not read is not even compared


def test_every_accounts_route_is_documented() -> None:
    from pathlib import Path

    from fastapi.routing import APIRoute

    from summitry.web.accounts import router

    doc = (Path(__file__).parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    section = doc.split("## Accounts, members and the audit log", 1)[1].split("\n## ", 1)[0]
    routes = [r for r in router.routes if isinstance(r, APIRoute)]
    assert len(routes) == len(router.routes) >= 12
    for route in routes:
        path = route.path.removeprefix("/api/v1/workspaces/{workspace}/")
        path = re.sub(r"\{\w+_id\}", "{id}", path)
        for method in route.methods:
            assert f"`{method} {path}`" in section, (method, path)
