"""My account: party, role and clearances; the password form; API tokens."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from webkit import sign_in

from summitry.web.demo import DEMO_PASSWORD
from summitry.web.security import SESSION_COOKIE

NEW = "a-new-summit-password"


def field_error(html: str, name: str) -> str:
    """The error shown next to a field, checking the input points at it."""
    found = re.search(rf'<p class="field-error" id="f-{name}-error">(.*?)</p>', html)
    assert found, f"no error next to {name}"
    tag = re.search(rf'<input id="f-{name}"[^>]*>', html)
    assert tag, f"no input {name}"
    assert 'aria-invalid="true"' in tag.group(0)
    assert f"f-{name}-error" in tag.group(0)
    return found.group(1)


def test_the_page_shows_party_role_and_clearances(client: TestClient) -> None:
    sign_in(client, "us-editor")
    page = client.get("/w/demo/account")
    assert page.status_code == 200
    assert "<dd>united-states</dd>" in page.text
    assert "<dd>editor</dd>" in page.text
    assert "<dd>back-channel</dd>" in page.text
    assert "calendar" not in page.text.lower()


def test_a_wrong_current_password_is_422_next_to_the_field(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    answer = client.post(
        "/w/demo/account/password",
        data={
            "csrf_token": csrf,
            "current_password": "not-the-password",
            "new_password": NEW,
            "repeat_password": NEW,
        },
    )
    assert answer.status_code == 422
    assert "wrong" in field_error(answer.text, "current_password")
    # Nothing changed: the old password still signs in.
    client.cookies.clear()
    sign_in(client, "ru-editor")


def test_new_passwords_that_differ_or_are_short_are_refused_by_field(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    differ = client.post(
        "/w/demo/account/password",
        data={
            "csrf_token": csrf,
            "current_password": DEMO_PASSWORD,
            "new_password": NEW,
            "repeat_password": NEW + "x",
        },
    )
    assert differ.status_code == 422
    assert field_error(differ.text, "repeat_password")
    short = client.post(
        "/w/demo/account/password",
        data={"csrf_token": csrf, "current_password": DEMO_PASSWORD, "new_password": "short"},
    )
    assert short.status_code == 422
    assert field_error(short.text, "new_password")


def test_a_password_change_ends_the_other_sessions(client: TestClient) -> None:
    sign_in(client, "ru-editor")
    other_session = client.cookies.get(SESSION_COOKIE)
    client.cookies.clear()
    csrf = sign_in(client, "ru-editor")
    answer = client.post(
        "/w/demo/account/password",
        data={
            "csrf_token": csrf,
            "current_password": DEMO_PASSWORD,
            "new_password": NEW,
            "repeat_password": NEW,
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/w/demo/account?changed=1"
    # This browser goes on with its new session.
    after = client.get(answer.headers["location"])
    assert after.status_code == 200
    assert "password is changed" in after.text
    fresh = client.cookies.get(SESSION_COOKIE)
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, other_session or "")
    assert client.get("/w/demo", follow_redirects=False).status_code == 303
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, fresh or "")
    assert client.get("/w/demo").status_code == 200
    client.cookies.clear()
    sign_in(client, "ru-editor", NEW)


def test_a_token_made_on_the_page_is_shown_once_and_revoked_there(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    empty = client.get("/w/demo/account")
    assert "No API tokens yet" in empty.text
    made = client.post("/w/demo/account/tokens", data={"csrf_token": csrf, "name": "weekly"})
    assert made.status_code == 200
    assert made.headers["cache-control"] == "no-store"
    secret = re.search(r'id="new-token" value="(smt_[^"]+)"', made.text)
    assert secret
    token = secret.group(1)
    api = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=api).json()["username"] == "ru-editor"
    listed = client.get("/w/demo/account")
    assert "weekly" in listed.text
    assert token not in listed.text
    ids = re.findall(r"/w/demo/account/tokens/([0-9a-f-]+)/revoke", listed.text)
    assert len(set(ids)) == 1
    revoked = client.post(
        f"/w/demo/account/tokens/{ids[0]}/revoke",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    assert "revoked" in client.get("/w/demo/account").text
    saved = dict(client.cookies)
    client.cookies.clear()
    assert client.get("/api/v1/me", headers=api).status_code == 401
    client.cookies.update(saved)
    # Revoking it again, or another's, answers as the API does.
    again = client.post(f"/w/demo/account/tokens/{ids[0]}/revoke", data={"csrf_token": csrf})
    assert again.status_code == 404


def test_htmx_revoke_answers_with_the_tokens_fragment(client: TestClient) -> None:
    csrf = sign_in(client, "us-viewer")
    client.post("/w/demo/account/tokens", data={"csrf_token": csrf, "name": "script"})
    page = client.get("/w/demo/account").text
    token_id = re.findall(r"/w/demo/account/tokens/([0-9a-f-]+)/revoke", page)[0]
    fragment = client.post(
        f"/w/demo/account/tokens/{token_id}/revoke",
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<section id="tokens"')
    assert "<html" not in fragment.text
    assert "revoked" in fragment.text


def test_a_token_without_a_name_is_refused_next_to_the_field(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    answer = client.post("/w/demo/account/tokens", data={"csrf_token": csrf, "name": "  "})
    assert answer.status_code == 422
    assert field_error(answer.text, "name")
    assert "No API tokens yet" in answer.text


def test_forms_without_the_csrf_token_are_refused(client: TestClient) -> None:
    sign_in(client, "ru-editor")
    assert client.post("/w/demo/account/tokens", data={"name": "x"}).status_code == 403
