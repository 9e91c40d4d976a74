"""The agenda pages: issues, the position editor (saves, conflicts, field errors), the analysis.

Each test signs demo users in over HTTP and uses the pages as a browser without JavaScript
would: GET a page, POST its form, follow the 303. What the pages show is checked against the
API's answers for the same user, not against the pages' own code.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from webkit import sign_in

W = "/w/demo"
API = "/api/v1/workspaces/demo"


def _positions(client: TestClient) -> dict[str, dict[str, Any]]:
    """The signed-in user's positions as the API lists them, by slug."""
    answer = client.get(f"{API}/records/positions")
    assert answer.status_code == 200, answer.text
    return {item["slug"]: item for item in answer.json()["items"]}


def _form_of(record: dict[str, Any], csrf: str, **changes: str) -> dict[str, str]:
    """The editor's fields filled in as the record stands, with ``changes`` on top."""
    body = record["body"]
    form = {"csrf_token": csrf, "revision": str(record["revision"])}
    for iid, scored in body["issues"].items():
        form[f"weight.{iid}"] = str(scored["weight"])
        for option, score in scored["scores"].items():
            form[f"score.{iid}.{option}"] = str(score)
        if scored.get("weight_range"):
            low, high = scored["weight_range"]
            form[f"low.{iid}"], form[f"high.{iid}"] = str(low), str(high)
    form["reservation_value"] = str(body.get("reservation_value", ""))
    form["batna"] = body.get("batna", "")
    form.update(changes)
    return form


def test_the_agenda_lists_the_issues_and_mechanisms_with_links(client: TestClient) -> None:
    sign_in(client, "ru-viewer")
    page = client.get(f"{W}/agenda")
    assert page.status_code == 200
    issues = client.get(f"{API}/records/issues").json()["items"]
    assert issues
    for issue in issues:
        assert f'href="{W}/agenda/{issue["slug"]}"' in page.text
        assert issue["body"]["name"] in page.text
    mechanisms = client.get(f"{API}/records/mechanisms").json()["items"]
    for mechanism in mechanisms:
        assert mechanism["body"]["name"] in page.text
    one = issues[0]
    detail = client.get(f"{W}/agenda/{one['slug']}")
    assert detail.status_code == 200
    for wording in one["body"]["options"].values():
        assert wording in detail.text
    assert detail.text.count("<h1") == 1


def test_the_position_editor_saves_and_a_stale_save_conflicts(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    own = _positions(client)["russia-position"]
    editor = client.get(f"{W}/agenda/position")
    assert editor.status_code == 200
    assert 'name="weight.cybersecurity"' in editor.text
    assert own["body"]["batna"] in editor.text
    form = _form_of(own, csrf, batna="Walk away politely.")
    saved = client.post(f"{W}/agenda/position", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"].startswith(f"{W}/agenda/position")
    now = _positions(client)["russia-position"]
    assert (now["revision"], now["body"]["batna"]) == (own["revision"] + 1, "Walk away politely.")
    assert "Walk away politely." in client.get(saved.headers["location"]).text

    # The second editor still has the old revision in their form.
    csrf2 = sign_in(client, "ru-editor-2")
    stale = client.post(f"{W}/agenda/position", data=_form_of(own, csrf2, batna="Another plan."))
    assert stale.status_code == 409
    assert "changed by" in stale.text
    assert "Another plan." in stale.text  # their values are kept in the form
    assert _positions(client)["russia-position"]["body"]["batna"] == "Walk away politely."


def test_weights_that_do_not_sum_to_100_are_refused_next_to_the_weights(
    client: TestClient,
) -> None:
    csrf = sign_in(client, "ru-editor")
    own = _positions(client)["russia-position"]
    wrong = str(own["body"]["issues"]["cybersecurity"]["weight"] + 10)
    answer = client.post(
        f"{W}/agenda/position", data=_form_of(own, csrf, **{"weight.cybersecurity": wrong})
    )
    assert answer.status_code == 422
    error = re.search(r'<p class="field-error" id="f-weights-error">([^<]*)</p>', answer.text)
    assert error is not None
    assert "sum to 110" in error.group(1)
    weight = re.search(r'<input id="f-weight-cybersecurity"[^>]*>', answer.text)
    assert weight is not None
    assert 'aria-invalid="true"' in weight.group(0)
    assert "f-weights-error" in weight.group(0)
    assert f'value="{wrong}"' in weight.group(0)
    assert _positions(client)["russia-position"]["revision"] == own["revision"]


def test_a_score_that_is_not_a_number_is_named_next_to_its_field(client: TestClient) -> None:
    csrf = sign_in(client, "us-editor")
    own = _positions(client)["united-states-position"]
    answer = client.post(
        f"{W}/agenda/position",
        data=_form_of(own, csrf, **{"score.cybersecurity.hotline": "lots"}),
    )
    assert answer.status_code == 422
    assert 'id="f-score-cybersecurity-hotline-error"' in answer.text
    assert "&#39;lots&#39; is not a number" in answer.text


def test_an_estimate_of_the_other_side_is_edited_in_the_same_editor(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    estimate = _positions(client)["russia-view-of-united-states"]
    listed = client.get(f"{W}/agenda/position")
    path = f"{W}/agenda/positions/{estimate['id']}"
    assert f'href="{path}"' in listed.text
    page = client.get(path)
    assert page.status_code == 200
    assert "Our estimate of United States" in page.text
    saved = client.post(
        path, data=_form_of(estimate, csrf, reservation_value="55"), follow_redirects=False
    )
    assert saved.status_code == 303
    assert _positions(client)["russia-view-of-united-states"]["body"]["reservation_value"] == 55


def test_the_other_delegations_position_is_not_found_as_a_missing_one(
    client: TestClient,
) -> None:
    sign_in(client, "us-editor")
    theirs = _positions(client)["united-states-position"]["id"]
    sign_in(client, "ru-editor")
    missing = "00000000-0000-0000-0000-000000000000"
    for suffix in ("", "?saved=1"):
        hidden = client.get(f"{W}/agenda/positions/{theirs}{suffix}")
        absent = client.get(f"{W}/agenda/positions/{missing}{suffix}")
        assert hidden.status_code == absent.status_code == 404
        assert hidden.text.replace(theirs, "ID") == absent.text.replace(missing, "ID")
    token = sign_in(client, "ru-editor")
    posted = client.post(f"{W}/agenda/positions/{theirs}", data={"csrf_token": token})
    absent_post = client.post(f"{W}/agenda/positions/{missing}", data={"csrf_token": token})
    assert posted.status_code == absent_post.status_code == 404
    assert posted.text.replace(theirs, "ID") == absent_post.text.replace(missing, "ID")


def test_the_analysis_page_its_chart_and_an_assessed_package(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    api = client.get(f"{API}/negotiate").json()
    page = client.get(f"{W}/agenda/analysis")
    assert page.status_code == 200
    assert f'<img src="{W}/agenda/analysis/frontier.svg"' in page.text
    chart = client.get(f"{W}/agenda/analysis/frontier.svg")
    assert chart.status_code == 200
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert chart.text.lstrip().startswith("<svg") or "<svg" in chart.text[:200]
    nash = api["fair"]["nash"]
    assert f"{nash['utilities'][0]:.1f}" in page.text
    issues = client.get(f"{API}/records/issues").json()["items"]
    order = [i["body"]["name"] for i in issues]
    opening = [order[[i["slug"] for i in issues].index(s)] for s in api["sequencing"]["order"]]
    positions = [page.text.index(f"<li>{name}</li>") for name in opening]
    assert positions == sorted(positions)

    package = {i["slug"]: next(iter(i["body"]["options"])) for i in issues if i["body"]["options"]}
    form = {"csrf_token": csrf, **{f"option.{k}": v for k, v in package.items()}}
    posted = client.post(f"{W}/agenda/analysis", data=form, follow_redirects=False)
    assert posted.status_code == 303
    shown = client.get(posted.headers["location"])
    assert shown.status_code == 200
    expected = client.post(
        f"{API}/negotiate", json={"package": package}, headers={"X-CSRF-Token": csrf}
    ).json()["assessment"]
    mine, theirs = expected["utilities"]
    assessed = shown.text.split('<div class="assessed"', 1)[1]
    assert f"{mine:.1f}" in assessed
    assert f"{theirs:.1f}" in assessed
    assert "(our own position)" in assessed
    assert "(as we estimate it)" in assessed


def test_an_unknown_option_in_a_package_is_named_next_to_its_issue(client: TestClient) -> None:
    sign_in(client, "ru-editor")
    issues = client.get(f"{API}/records/issues").json()["items"]
    package = [f"{i['slug']}={next(iter(i['body']['options']))}" for i in issues]
    package[0] = f"{issues[0]['slug']}=no-such-option"
    answer = client.get(f"{W}/agenda/analysis", params={"package": package})
    assert answer.status_code == 422
    assert f'id="f-option-{issues[0]["slug"]}-error"' in answer.text


def test_the_host_has_no_position_and_no_analysis_but_an_empty_state(client: TestClient) -> None:
    sign_in(client, "host-editor")
    position = client.get(f"{W}/agenda/position")
    assert position.status_code == 200
    assert "not a delegation" in position.text
    assert "weight." not in position.text
    analysis = client.get(f"{W}/agenda/analysis")
    assert analysis.status_code == 200
    assert "No analysis for you yet" in analysis.text


def test_markup_in_a_position_is_shown_as_text(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    own = _positions(client)["russia-position"]
    markup = '<script>alert("x")</script><b>bold</b>'
    form = _form_of(own, csrf, batna=markup)
    assert client.post(f"{W}/agenda/position", data=form, follow_redirects=False).status_code == 303
    for user in ("ru-editor", "mediator"):
        sign_in(client, user)
        path = (
            f"{W}/agenda/position" if user == "ru-editor" else f"{W}/agenda/positions/{own['id']}"
        )
        page = client.get(path)
        assert page.status_code == 200
        assert markup not in page.text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page.text


def test_a_viewer_reads_the_position_but_has_no_save_button(client: TestClient) -> None:
    csrf = sign_in(client, "ru-viewer")
    page = client.get(f"{W}/agenda/position")
    assert page.status_code == 200
    assert "an editor of russia changes it" in page.text
    assert "Save the position" not in page.text
    refused = client.post(f"{W}/agenda/position", data={"csrf_token": csrf, "revision": "1"})
    assert refused.status_code == 403
