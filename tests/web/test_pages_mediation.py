"""The blind mediation page, end to end over HTTP, as browsers without JavaScript use it.

Both delegations withdraw the release the demo starts with, release again (one editor asks,
the second confirms), the mediator runs the mediation, and each delegation then reads the
package and its own score, never the other's; the host reads the package only. The scores
the pages show are checked against the mediator's API answer.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from webkit import sign_in

W = "/w/demo"
API = "/api/v1/workspaces/demo"
OWN = {"russia": ("ru-editor", "ru-editor-2"), "united-states": ("us-editor", "us-editor-2")}


def _own(client: TestClient, party: str) -> dict[str, Any]:
    items = client.get(f"{API}/records/positions").json()["items"]
    return next(i for i in items if i["slug"] == f"{party}-position")


def _post(client: TestClient, csrf: str, path: str, **data: Any) -> Any:
    return client.post(f"{W}{path}", data={"csrf_token": csrf, **data}, follow_redirects=False)


def _release(client: TestClient, party: str) -> None:
    """Withdraw the demo's release, then release again with two editors, through the page."""
    asker, confirmer = OWN[party]
    csrf = sign_in(client, asker)
    assert "Released" in client.get(f"{W}/mediation").text
    withdrawn = _post(client, csrf, "/mediation/withdraw", revision=_own(client, party)["revision"])
    assert withdrawn.status_code == 303, withdrawn.text
    page = client.get(f"{W}/mediation").text
    assert "Not released" in page
    asked = _post(client, csrf, "/mediation/release", revision=_own(client, party)["revision"])
    assert asked.status_code == 303, asked.text
    page = client.get(f"{W}/mediation").text
    assert "waits for a second editor" in page
    assert "Confirm the release" not in page  # not to the one who asked
    assert "another editor of your delegation confirms it" in page

    csrf2 = sign_in(client, confirmer)
    page = client.get(f"{W}/mediation").text
    found = re.search(r'action="(/w/demo/mediation/widenings/[^"]+/confirm)"', page)
    assert found is not None
    confirmed = client.post(found.group(1), data={"csrf_token": csrf2}, follow_redirects=False)
    assert confirmed.status_code == 303, confirmed.text
    page = client.get(f"{W}/mediation").text
    assert "<strong>Released:</strong>" in page
    assert "waits for a second editor" not in page


def test_the_blind_mediation_flow_over_the_pages(client: TestClient) -> None:
    _release(client, "russia")
    _release(client, "united-states")

    csrf = sign_in(client, "mediator")
    page = client.get(f"{W}/mediation").text
    assert page.count("Released</td>") == 2
    assert "weight" not in page.lower()  # who has released, not what
    ran = _post(client, csrf, "/mediation/run")
    assert ran.status_code == 303, ran.text
    released = client.get(f"{API}/mediation").json()
    scores = {p: released["proposals"][p]["score"] for p in OWN}
    assert all(score is not None for score in scores.values())
    after = client.get(f"{W}/mediation").text
    for score in scores.values():
        assert f"{score:.2f}" in after

    issues = {i["slug"]: i["body"] for i in client.get(f"{API}/records/issues").json()["items"]}
    wording = [issues[iid]["options"][opt] for iid, opt in released["package"]["package"].items()]
    for party, other in (("russia", "united-states"), ("united-states", "russia")):
        sign_in(client, OWN[party][1])
        seen = client.get(f"{W}/mediation").text
        result = seen.split('id="result-title"', 1)[1]
        for text in wording:
            assert text in result
        assert f"{scores[party]:.2f}" in result
        assert f"{scores[other]:.2f}" not in seen
    sign_in(client, "host-editor")
    host = client.get(f"{W}/mediation").text
    for text in wording:
        assert text in host
    for score in scores.values():
        assert f"{score:.2f}" not in host
    assert "Release our position" not in host


def test_only_the_mediators_editors_run_it(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    refused = _post(client, csrf, "/mediation/run")
    nowhere = _post(client, csrf, "/mediation/nowhere")
    assert refused.status_code == nowhere.status_code == 404
    assert refused.text == nowhere.text
    assert "Run the mediation" not in client.get(f"{W}/mediation").text
    csrf = sign_in(client, "sec-admin")
    assert _post(client, csrf, "/mediation/run").status_code == 403


def test_running_with_one_release_says_why_on_the_page(client: TestClient) -> None:
    csrf = sign_in(client, "us-editor")
    own = _own(client, "united-states")
    assert _post(client, csrf, "/mediation/withdraw", revision=own["revision"]).status_code == 303
    csrf = sign_in(client, "mediator")
    page = client.get(f"{W}/mediation").text
    assert page.count("Not released</td>") == 1
    answer = _post(client, csrf, "/mediation/run")
    assert answer.status_code == 400
    assert "fewer than two delegations" in answer.text
    assert "Nothing published yet" in answer.text


def test_a_confirmation_of_a_hidden_widening_is_not_found_as_a_missing_one(
    client: TestClient,
) -> None:
    csrf = sign_in(client, "ru-editor")
    own = _own(client, "russia")
    assert _post(client, csrf, "/mediation/withdraw", revision=own["revision"]).status_code == 303
    assert (
        _post(client, csrf, "/mediation/release", revision=own["revision"] + 1).status_code == 303
    )
    pending = client.get(f"{API}/widenings").json()["items"][0]["id"]
    missing = "00000000-0000-0000-0000-000000000000"
    csrf = sign_in(client, "us-editor-2")
    hidden = _post(client, csrf, f"/mediation/widenings/{pending}/confirm")
    absent = _post(client, csrf, f"/mediation/widenings/{missing}/confirm")
    assert hidden.status_code == absent.status_code == 404
    assert hidden.text.replace(pending, "ID") == absent.text.replace(missing, "ID")


def test_a_stale_release_is_refused_with_the_conflict_on_the_page(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    own = _own(client, "russia")
    assert _post(client, csrf, "/mediation/withdraw", revision=own["revision"]).status_code == 303
    stale = _post(client, csrf, "/mediation/release", revision=own["revision"])
    assert stale.status_code == 409
    assert "changed by" in stale.text
    assert "Release our position to the mediator" in stale.text
