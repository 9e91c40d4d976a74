"""The first pages: sign in, the workspaces, the dashboard, sign out."""

from __future__ import annotations

from fastapi.testclient import TestClient
from webkit import sign_in


def test_sign_in_then_the_dashboard_shows_the_delegations_view(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    sign_in(client, "ru-editor")
    home = client.get("/")
    assert home.status_code == 200
    assert 'href="/w/demo"' in home.text
    page = client.get("/w/demo")
    assert page.status_code == 200
    assert "Preparation aspects" in page.text
    assert "Strategic issues" in page.text
    assert "Engagement mechanisms" in page.text
    assert "may be read by" in page.text


def test_a_wrong_password_gets_the_form_again(client: TestClient) -> None:
    answer = client.post("/login", data={"username": "ru-editor", "password": "wrong-password"})
    assert answer.status_code == 400
    assert "Wrong username or password." in answer.text
    assert client.get("/w/demo", follow_redirects=False).headers["location"].startswith("/login")


def test_sign_out_ends_the_session_on_the_server(client: TestClient) -> None:
    from summitry.web.security import SESSION_COOKIE

    csrf = sign_in(client, "us-viewer")
    cookie = client.cookies.get(SESSION_COOKIE)
    out = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303
    client.cookies.set(SESSION_COOKIE, cookie or "")
    again = client.get("/w/demo")
    assert again.url.path == "/login"
    assert "Sign in" in again.text


def test_sign_out_without_the_csrf_token_is_refused(client: TestClient) -> None:
    sign_in(client, "us-viewer")
    assert client.post("/logout", data={}).status_code == 403
    assert client.get("/w/demo").status_code == 200
