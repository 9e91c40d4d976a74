"""Signing in, sessions, CSRF, API tokens and the server's guards (issue 13; issue 16 builds on it).

Every state-changing route is found by walking ``app.routes``, so a route added later is
checked without anyone remembering to add it here.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from starlette.routing import Mount, Route
from webkit import sign_in, token_for

from summitry.access.policy import KEEPER
from summitry.errors import SummitryError
from summitry.settings import Settings
from summitry.store import schema
from summitry.store.audit import heads
from summitry.store.database import Database
from summitry.store.workspaces import find_workspace
from summitry.web.app import create_app
from summitry.web.demo import DEMO_PASSWORD, DEMO_WORKSPACE
from summitry.web.middleware import CSP
from summitry.web.security import CSRF_HEADER, SESSION_COOKIE


def web_settings(**changes: object) -> Settings:
    """As conftest's ``web_settings`` (a conftest is not importable from a test module)."""
    values: dict[str, object] = {"secret_key": "test-secret-key", "login_pause_seconds": 1}
    values.update(changes)
    return Settings.model_validate(values)


UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
PUBLIC_UNSAFE = {("POST", "/login")}
"""State-changing routes that need no signed-in caller (so no session to take a CSRF token
from): signing in. Each must refuse a request that rides on a session without changing it."""


@pytest.fixture(autouse=True)
def _quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: the demo's twelve users are hashed for every test."""
    from argon2 import PasswordHasher

    from summitry.store import users

    quick = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(users, "_hasher", lambda: quick)


@pytest.fixture
def move_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.timedelta], None]:
    """Move the store's clock forward (sessions and throttling read it)."""
    real = schema.clock
    offset = dt.timedelta()

    def move(by: dt.timedelta) -> None:
        nonlocal offset
        offset += by
        monkeypatch.setattr(schema, "clock", lambda: real() + offset)

    return move


def _log_in(client: TestClient, username: str, password: str, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/login",
        data={"username": username, "password": password},
        headers=headers,
        follow_redirects=False,
    )


def _use_cookie(client: TestClient, value: str) -> None:
    """Send exactly this session cookie from now on (as a thief holding a copy would)."""
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, value)


def _cookie_of(answer: Any) -> str:
    """The session cookie an answer sets."""
    found = re.search(rf"{SESSION_COOKIE}=([^;]+)", answer.headers.get("set-cookie", ""))
    assert found is not None, answer.text
    return found[1].strip('"')


def _concrete(path: str, workspace: str = DEMO_WORKSPACE) -> str:
    """A route's path with its parameters filled: the demo workspace, else a fresh id."""
    return re.sub(
        r"\{(\w+)(?::\w+)?\}",
        lambda m: workspace if m[1] == "workspace" else str(uuid.uuid4()),
        path,
    )


def _routes(client: TestClient) -> list[tuple[str, str]]:
    """Every (method, path template) the app answers, static files included.

    FastAPI keeps included routers as they are in ``app.routes``; ``iter_route_contexts``
    walks into them, as the app does when it matches a request.
    """
    found: list[tuple[str, str]] = []
    for context in iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        route = context.original_route
        if isinstance(route, Mount):
            found.append(("POST", route.path + "/summitry.css"))
        elif isinstance(route, Route | APIRoute):
            found += [(method, str(context.path)) for method in sorted(context.methods or ())]
    return found


def _keeper_heads(db: Database) -> list[tuple[str, int, str]]:
    with db.transaction(KEEPER) as session:
        workspace = find_workspace(session, DEMO_WORKSPACE)
        return [(h.label.describe(), h.seq, h.digest) for h in heads(session, workspace.id, KEEPER)]


# --- log-in and sessions ----------------------------------------------------------------------


def test_log_in_sets_an_httponly_lax_cookie_with_a_new_session_each_time(
    client: TestClient,
) -> None:
    from itsdangerous import URLSafeSerializer

    answer = _log_in(client, "ru-viewer", DEMO_PASSWORD)
    assert answer.status_code == 303
    flags = [part.strip().lower() for part in answer.headers["set-cookie"].split(";")]
    assert flags[0].startswith(f"{SESSION_COOKIE}=")
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert "secure" not in flags  # not in production: the test server speaks plain HTTP
    first = _cookie_of(answer)
    _use_cookie(client, first)
    assert client.get("/api/v1/me").json()["username"] == "ru-viewer"

    # A log-in in a browser that holds a session: a new session id, and the old one ends.
    second = _cookie_of(_log_in(client, "ru-editor", DEMO_PASSWORD))
    assert second != first
    _use_cookie(client, second)
    assert client.get("/api/v1/me").json()["username"] == "ru-editor"
    _use_cookie(client, first)
    assert client.get("/api/v1/me").status_code == 401

    # A planted cookie — unsigned, or signed with another server's key — signs nobody in,
    # and a log-in over it gives a session of its own.
    for planted in ("planted", URLSafeSerializer("k", salt="summitry-session").dumps("x")):
        _use_cookie(client, planted)
        assert client.get("/api/v1/me").status_code == 401
        assert _cookie_of(_log_in(client, "ru-viewer", DEMO_PASSWORD)) != planted

    # Log-out ends the session on the server: a copy of the cookie is worthless after.
    third = _cookie_of(_log_in(client, "ru-viewer", DEMO_PASSWORD))
    _use_cookie(client, third)
    keys = client.app.state.keys  # type: ignore[attr-defined]
    csrf = keys.csrf_token(keys.cookies.loads(third))
    out = client.post("/logout", headers={CSRF_HEADER: csrf}, follow_redirects=False)
    assert out.status_code == 303
    _use_cookie(client, third)
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_an_expired_session_is_signed_out(
    client: TestClient, move_clock: Callable[[dt.timedelta], None]
) -> None:
    sign_in(client, "us-viewer")
    hours = client.app.state.settings.session_hours  # type: ignore[attr-defined]
    move_clock(dt.timedelta(hours=hours) - dt.timedelta(minutes=1))
    assert client.get("/api/v1/me").status_code == 200
    move_clock(dt.timedelta(minutes=2))
    assert client.get("/api/v1/me").status_code == 401
    page = client.get("/w/demo", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/login?next=/w/demo")
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    # The next log-in (anyone's) deletes the expired session row.
    client.cookies.clear()
    sign_in(client, "ru-viewer")
    db = client.app.state.db  # type: ignore[attr-defined]
    with db.transaction(KEEPER) as session:
        viewer = session.scalar(select(schema.User.id).where(schema.User.username == "us-viewer"))
        left = session.scalar(select(func.count()).where(schema.SessionRow.user_id == viewer))
    assert left == 0


def test_a_log_in_from_another_site_is_refused(sqlite_web_db: Database) -> None:
    with TestClient(create_app(sqlite_web_db, web_settings())) as client:
        refused = _log_in(client, "ru-viewer", DEMO_PASSWORD, **{"Sec-Fetch-Site": "cross-site"})
        assert refused.status_code == 403
        assert "set-cookie" not in refused.headers
        ours = _log_in(client, "ru-viewer", DEMO_PASSWORD, **{"Sec-Fetch-Site": "same-origin"})
        assert ours.status_code == 303


# --- throttling -------------------------------------------------------------------------------


def test_throttling_answers_alike_for_known_and_unknown_names_and_recovers(
    client: TestClient, move_clock: Callable[[dt.timedelta], None]
) -> None:
    attempts = client.app.state.settings.login_attempts  # type: ignore[attr-defined]
    known, unknown = "ru-viewer", "xx-viewer"  # same length: answers can be equal byte for byte

    def alike(a, b) -> None:  # type: ignore[no-untyped-def]
        assert a.status_code == b.status_code
        assert a.text.replace(known, "NAME") == b.text.replace(unknown, "NAME")
        assert dict(a.headers) == dict(b.headers)

    for _ in range(attempts):
        alike(_log_in(client, known, "wrong-password"), _log_in(client, unknown, "wrong-password"))
    # Throttled now: the right password too gets 429, and says when to come back.
    blocked, blocked_unknown = (_log_in(client, n, DEMO_PASSWORD) for n in (known, unknown))
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1
    assert "set-cookie" not in blocked.headers
    alike(blocked, blocked_unknown)
    # Another account is not affected.
    assert _log_in(client, "ru-editor", DEMO_PASSWORD).status_code == 303

    move_clock(dt.timedelta(seconds=int(blocked.headers["retry-after"]) + 1))
    assert _log_in(client, known, DEMO_PASSWORD).status_code == 303
    # A success wipes the count: the next failure is an ordinary one.
    assert _log_in(client, known, "wrong-password").status_code == 400


def test_throttling_holds_under_a_burst_of_failed_log_ins(web_db: Database) -> None:
    attempts, burst = 5, 24
    config = web_settings(login_attempts=attempts, login_pause_seconds=600)
    with TestClient(create_app(web_db, config)) as client, ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(lambda _: _log_in(client, "us-viewer", "wrong-password"), range(burst))
        )
        codes = sorted(a.status_code for a in answers)
        # Exactly `attempts` failures were counted: none raced past the throttle, none was
        # lost, and no attempt met a server error.
        assert codes == [400] * attempts + [429] * (burst - attempts)
        assert _log_in(client, "us-viewer", DEMO_PASSWORD).status_code == 429


# --- CSRF -------------------------------------------------------------------------------------


def test_every_state_changing_route_refuses_a_session_request_without_its_csrf_token(
    sqlite_web_db: Database,
) -> None:
    with TestClient(create_app(sqlite_web_db, web_settings())) as client:
        other = TestClient(client.app)
        other_csrf = sign_in(other, "ru-viewer")  # a real token, but of another session
        sign_in(client, "us-admin")
        before = _keeper_heads(sqlite_web_db)
        checked = 0
        for method, template in _routes(client):
            if method not in UNSAFE:
                continue
            path = _concrete(template)
            attempts = {
                "no token": client.request(method, path, follow_redirects=False),
                "wrong header": client.request(
                    method, path, headers={CSRF_HEADER: "0" * 64}, follow_redirects=False
                ),
                "another session's token": client.request(
                    method, path, headers={CSRF_HEADER: other_csrf}, follow_redirects=False
                ),
                "wrong form field": client.request(
                    method, path, data={"csrf_token": "0" * 64}, follow_redirects=False
                ),
            }
            for how, answer in attempts.items():
                where = f"{method} {template} ({how}): {answer.status_code} {answer.text[:200]}"
                if template.startswith("/static"):
                    assert answer.status_code == 405, where
                elif (method, template) in PUBLIC_UNSAFE:
                    assert answer.status_code in (400, 401, 404, 422), where
                    assert "set-cookie" not in answer.headers, where
                else:
                    assert answer.status_code == 403, where
                    assert "csrf" in answer.text.lower() or "reload" in answer.text, where
            checked += 1
        # A walk that missed the included routers would check nothing.
        assert checked > 10
        known = {
            ("POST", "/logout"),
            ("PATCH", "/api/v1/workspaces/{workspace}/members/{username}"),
        }
        assert known <= set(_routes(client))
        # Nothing happened: no audit entry anywhere, and the session is still signed in.
        assert _keeper_heads(sqlite_web_db) == before
        assert client.get("/api/v1/me").status_code == 200


def test_api_tokens_need_no_csrf_and_stop_when_revoked_or_disabled(client: TestClient) -> None:
    admin = token_for(client, "us-admin")
    bearer = {"Authorization": f"Bearer {admin}"}
    assert client.get("/api/v1/me", headers=bearer).json()["username"] == "us-admin"
    # A state-changing request with a token and no CSRF token: accepted.
    changed = client.patch(
        "/api/v1/workspaces/demo/members/us-editor-2", json={"role": "viewer"}, headers=bearer
    )
    assert changed.status_code == 200, changed.text
    # A token does not mint tokens (a leaked one could outlive its revocation).
    assert client.post("/api/v1/me/tokens", json={"name": "x"}, headers=bearer).status_code == 403

    # The viewer's session and token both stop when their admin disables them.
    viewer = TestClient(client.app)
    viewer_token = token_for(viewer, "us-viewer")
    sign_in(viewer, "us-viewer")
    assert viewer.get("/api/v1/me").status_code == 200
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {viewer_token}"}).status_code
        == 200
    )
    off = client.post("/api/v1/workspaces/demo/members/us-viewer/disable", headers=bearer)
    assert off.status_code == 200, off.text
    assert viewer.get("/api/v1/me").status_code == 401
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {viewer_token}"}).status_code
        == 401
    )
    assert _log_in(TestClient(client.app), "us-viewer", DEMO_PASSWORD).status_code == 400

    # Revoking: the token lists as revoked and answers 401 from then on.
    csrf = sign_in(client, "us-admin")
    listed = client.get("/api/v1/me/tokens").json()["tokens"]
    assert [t["revoked_at"] for t in listed] == [None]
    gone = client.delete(f"/api/v1/me/tokens/{listed[0]['id']}", headers={CSRF_HEADER: csrf})
    assert gone.status_code == 204
    client.cookies.clear()
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    assert (
        client.get("/api/v1/me", headers={"Authorization": "Bearer smt_made-up"}).status_code == 401
    )


# --- production mode, headers, body size ------------------------------------------------------


def test_production_mode_needs_a_secret_and_hardens_cookies_headers_and_schema(
    sqlite_web_db: Database,
) -> None:
    from summitry.web.security import server_keys

    with pytest.raises(SummitryError, match="SUMMITRY_SECRET_KEY"):
        server_keys(web_settings(production=True, secret_key=None))
    with pytest.raises(SummitryError, match="SUMMITRY_SECRET_KEY"):
        create_app(sqlite_web_db, web_settings(production=True, secret_key=None))

    app = create_app(sqlite_web_db, web_settings(production=True))
    with TestClient(app, base_url="https://summitry.example") as client:
        answer = _log_in(client, "ru-viewer", DEMO_PASSWORD)
        assert answer.status_code == 303
        flags = [part.strip().lower() for part in answer.headers["set-cookie"].split(";")]
        assert {"secure", "httponly", "samesite=lax"} <= set(flags)
        for path in ("/login", "/api/v1/me", "/w/demo", "/no-such-page"):
            hsts = client.get(path).headers.get("strict-transport-security", "")
            assert hsts.startswith("max-age="), path
        for path in ("/api/v1/openapi.json", "/api/v1/docs", "/docs", "/openapi.json", "/redoc"):
            assert client.get(path).status_code == 404, path

    # Outside production the schema is served and there is no HSTS (the check above is real).
    with TestClient(create_app(sqlite_web_db, web_settings())) as client:
        assert client.get("/api/v1/openapi.json").status_code == 200
        assert "strict-transport-security" not in client.get("/login").headers


class _InlineFinder(HTMLParser):
    """Everything in a page that a CSP without 'unsafe-inline' would block."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name.lower(): value for name, value in attrs}
        if tag == "script" and not names.get("src"):
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in names.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name == "style":
                self.found.append(f"<{tag} style=…>")
            if name in ("href", "src", "action") and (value or "").lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:…>")


def test_every_page_and_answer_carries_the_csp_and_no_page_has_inline_script(
    sqlite_web_db: Database,
) -> None:
    assert "'unsafe-inline'" not in CSP
    assert "'unsafe-eval'" not in CSP
    app = create_app(sqlite_web_db, web_settings())
    # The schema (outside production only) is JSON for tools, not a page.
    theirs = {app.openapi_url}
    with TestClient(app) as client:
        answers = {"/login": client.get("/login"), "/ (signed out)": client.get("/")}
        sign_in(client, "us-editor")
        for method, template in _routes(client):
            if method != "GET" or template in theirs:
                continue
            if template.startswith("/api/"):
                # The headers come from the middleware, whoever answers: a signed-out call
                # of every API route shows it without running every analysis.
                answers[template] = TestClient(app).get(_concrete(template))
            else:
                answers[template] = client.get(_concrete(template))
        for path in ("/api/v1/me", "/api/v1/workspaces/demo/audit?limit=5"):
            answers[path] = client.get(path)
        answers["/static/summitry.css"] = client.get("/static/summitry.css")
        answers["unknown path"] = client.get("/no-such-page")
        answers["unknown workspace"] = client.get("/api/v1/workspaces/nowhere/audit")
        answers["unknown API route"] = client.post("/api/v1/nothing", json={})
        answers["invalid input"] = client.get("/api/v1/workspaces/demo/audit?limit=0")
        html = 0
        for where, answer in answers.items():
            assert answer.headers.get("content-security-policy") == CSP, where
            assert answer.headers.get("x-content-type-options") == "nosniff", where
            assert answer.status_code < 500, where
            if answer.headers.get("content-type", "").startswith("text/html"):
                finder = _InlineFinder()
                finder.feed(answer.text)
                assert finder.found == [], f"{where}: {finder.found}"
                assert answer.headers.get("cache-control") == "no-store", where
                html += 1
        assert html >= 3  # /login, /, the dashboard


def test_oversized_bodies_get_413_declared_or_streamed(sqlite_web_db: Database) -> None:
    limit = 4000
    with TestClient(create_app(sqlite_web_db, web_settings(max_body_bytes=limit))) as client:
        csrf = sign_in(client, "ru-editor")
        headers = {CSRF_HEADER: csrf, "content-type": "application/json"}
        big = b'{"name": "' + b"x" * limit + b'"}'

        def chunks() -> Iterator[bytes]:
            yield big[: limit // 2]
            yield big[limit // 2 :]

        answers = {
            "declared": client.post("/api/v1/me/tokens", content=big, headers=headers),
            "streamed": client.post("/api/v1/me/tokens", content=chunks(), headers=headers),
            "form": client.post("/login", data={"username": "x", "password": "y" * limit}),
            "before sign-in": TestClient(client.app).post("/api/v1/me/tokens", content=big),
        }
        for how, answer in answers.items():
            assert answer.status_code == 413, f"{how}: {answer.status_code} {answer.text}"
            assert str(limit) in answer.json()["error"]["message"], how
            assert answer.headers.get("content-security-policy") == CSP, how
        # Under the limit the same request is served.
        fits = client.post("/api/v1/me/tokens", json={"name": "fits"}, headers={CSRF_HEADER: csrf})
        assert fits.status_code == 201
        assert [t["name"] for t in client.get("/api/v1/me/tokens").json()["tokens"]] == ["fits"]
