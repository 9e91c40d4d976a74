"""The analyses over the API answer with the documents the command line prints with --json.

Each endpoint is compared with the command run in-process on the same workspace, for a
delegation and for a delegation cleared for the back channel.
Then bad input (4xx naming the field), the mediation (only the secretariat runs it; each
delegation sees the package and its own score, the host the package only) and situation
reports (stored per reader, listed for the party, downloaded as written).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jobkit import (
    API,
    READERS,
    CliRunner,
    app_on,
    bearer,
    cli_json,
    start,
    wait_for,
)
from webkit import sign_in

from summitry.store.database import Database

WORKSPACE_READS = {
    "status": ["status"],
    "status?as_of=2024-08-01&due_soon=5": ["status", "--as-of", "2024-08-01", "--due-soon", "5"],
    "validate": ["validate"],
    "negotiate": ["negotiate"],
    "negotiate?seed=4": ["negotiate", "--seed", "4"],
    "scenarios": ["scenarios"],
    "scenarios?fix=ceasefire=holding&max_inconsistency=1": [
        "scenarios",
        "--fix",
        "ceasefire=holding",
        "--max-inconsistency",
        "1",
    ],
    "risks": ["risks"],
    "risks?scenario=1&as_of=2024-08-01": ["risks", "--scenario", "1", "--as-of", "2024-08-01"],
    "venues": ["venues"],
    "venues?seed=2": ["venues", "--seed", "2"],
}
"""API reads (path and query) and the workspace command that prints the same document."""


@pytest.mark.parametrize("user", sorted(READERS))
def test_workspace_reads_answer_as_the_command_line(
    client: TestClient,
    web_db: Database,
    run_cli: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    user: str,
) -> None:
    headers = bearer(client, user)
    for path, command in WORKSPACE_READS.items():
        answer = client.get(f"{API}/{path}", headers=headers)
        assert answer.status_code == 200, (path, answer.text)
        expected = cli_json(run_cli, web_db, monkeypatch, *command, *READERS[user])
        assert answer.json() == expected, path
    assert answer.json()["viewer"]["as"] == READERS[user][1]


def test_a_tentative_package_is_assessed_as_the_command_line_does(
    client: TestClient,
    web_db: Database,
    run_cli: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    write_file: Any,
) -> None:
    package = {
        "eastern-europe-security": "ceasefire",
        "trade-sanctions": "carve-outs",
        "cybersecurity": "framework",
        "nuclear-arms-control": "interim-limits",
        "energy-cooperation": "market-dialogue",
    }
    toml = write_file("package.toml", "".join(f'{k} = "{v}"\n' for k, v in package.items()))
    answer = client.post(
        f"{API}/negotiate", json={"package": package}, headers=bearer(client, "ru-editor")
    )
    assert answer.status_code == 200, answer.text
    expected = cli_json(
        run_cli, web_db, monkeypatch, "negotiate", "--as", "russia", "--package", str(toml)
    )
    assert answer.json() == expected
    assert answer.json()["assessment"] is not None


def test_the_forecast_job_gives_the_forecast_document(
    client: TestClient, web_db: Database, run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = bearer(client, "us-editor")
    body = {
        "iterations": 1000,
        "seed": 3,
        "mitigate": ["venue-deadlock"],
        "summit_date": "2024-09-23",
    }
    location = start(client, headers, "forecast", body)
    job, _ = wait_for(client, headers, location)
    assert job["status"] == "done", job
    assert job["params"]["mitigate"] == ["venue-deadlock"]
    result = client.get(job["result"], headers=headers)
    assert result.status_code == 200
    expected = cli_json(
        run_cli,
        web_db,
        monkeypatch,
        "forecast",
        *READERS["us-editor"],
        "--iterations",
        "1000",
        "--seed",
        "3",
        "--mitigate",
        "venue-deadlock",
        "--summit-date",
        "2024-09-23",
    )
    assert result.json() == expected
    assert result.json()["variant"]["mitigated"] == ["venue-deadlock"]


BAD_INPUT = [
    ("post", "forecast", {"iterations": 5}, "iterations"),
    ("post", "forecast", {"summit_date": "2024-13-01"}, "summit_date"),
    ("post", "forecast", {"as_of": "2500-01-01"}, "as_of"),
    ("post", "forecast", {"seed": -1}, "seed"),
    ("post", "forecast", {"iterations": "many"}, "iterations"),
    ("post", "forecast", {"mitigate": "venue-deadlock"}, "mitigate"),
    ("post", "forecast", {"unknown": 1}, "unknown"),
    ("post", "sitreps", {"format": "docx"}, "format"),
    ("post", "negotiate", {"package": {"nonexistent": "x"}}, "package"),
    ("post", "negotiate", {"package": {"cybersecurity": "nope"}}, "package"),
    ("post", "negotiate", {"package": ["cybersecurity"]}, "package"),
    ("post", "mediation/run", {"seed": "x"}, "seed"),
    ("get", "status?as_of=yesterday", None, "as_of"),
    ("get", "status?due_soon=-1", None, "due_soon"),
    ("get", "risks?scenario=99", None, "scenario"),
    ("get", "risks?scenario=0", None, "scenario"),
    ("get", "negotiate?party=nobody", None, "party"),
    ("get", "scenarios?fix=ceasefire", None, "fix"),
    ("get", "scenarios?fix=nowhere=x", None, "fix"),
    ("get", "scenarios?time_limit=-3", None, "time_limit"),
    ("get", "jobs?limit=0", None, "limit"),
    ("get", "sitreps?offset=-1", None, "offset"),
    ("post", "forecast", {"mitigate": ["delay", 5]}, "mitigate[1]"),
]
"""Requests with one bad input (method, path, body) and the field the answer must name."""


def test_bad_input_is_a_4xx_naming_the_field(sqlite_web_db: Database) -> None:
    with TestClient(app_on(sqlite_web_db)) as client:
        reader, mediator = bearer(client, "ru-editor"), bearer(client, "mediator")
        for method, path, body, field in BAD_INPUT:
            kwargs: dict[str, Any] = {
                "headers": mediator if path.startswith("mediation") else reader
            }
            if body is not None:
                kwargs["json"] = body
            answer = getattr(client, method)(f"{API}/{path}", **kwargs)
            assert answer.status_code == 422, (path, body, answer.text)
            error = answer.json()["error"]
            assert error["field"] == field, (path, body, error)
            assert error["message"].startswith(f"{field}: "), (path, body, error)


def test_a_body_that_is_not_json_is_a_4xx(client: TestClient) -> None:
    headers = {**bearer(client, "ru-editor"), "Content-Type": "application/json"}
    answer = client.post(f"{API}/forecast", content=b"{not json", headers=headers)
    assert answer.status_code == 422
    assert "error" in answer.json()


def test_a_delegation_the_plan_gives_no_position_gets_a_readable_refusal(
    client: TestClient,
) -> None:
    answer = client.get(f"{API}/negotiate", headers=bearer(client, "host-editor"))
    assert answer.status_code == 400
    assert answer.json() == {
        "error": {"message": "positions: 'austria' holds no position about 'russia'"}
    }


def test_reads_need_a_signed_in_member(client: TestClient) -> None:
    assert client.get(f"{API}/status").status_code == 401
    headers = bearer(client, "ru-editor")
    unknown = client.get("/api/v1/workspaces/nowhere/status", headers=headers)
    assert unknown.status_code == 404
    assert unknown.json() == {"error": {"message": "no such workspace"}}


def test_a_cookie_session_needs_the_csrf_token_to_start_a_job(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    assert client.post(f"{API}/forecast", json={}).status_code == 403
    assert client.post(f"{API}/sitreps", json={}).status_code == 403
    answer = client.post(f"{API}/forecast", json={}, headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 202


# ---------------------------------------------------------------------------------------------
# The blind mediation
# ---------------------------------------------------------------------------------------------


def test_only_the_secretariat_sees_the_mediation_run(client: TestClient) -> None:
    for user in ("ru-editor", "us-editor", "host-editor", "ru-admin"):
        headers = bearer(client, user)
        answer = client.post(f"{API}/mediation/run", json={}, headers=headers)
        nowhere = client.post(f"{API}/mediation/nowhere", json={}, headers=headers)
        assert (answer.status_code, answer.json()) == (nowhere.status_code, nowhere.json())
        assert answer.status_code == 404
        assert dict(answer.headers) == dict(nowhere.headers)
    refused = client.post(f"{API}/mediation/run", headers=bearer(client, "sec-admin"))
    assert refused.status_code == 403
    headers = bearer(client, "ru-editor")
    assert client.get(f"{API}/mediation", headers=headers).status_code == 404


def test_the_mediation_releases_the_package_and_each_side_its_own_score(
    client: TestClient, web_db: Database, run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = client.post(f"{API}/mediation/run", json={}, headers=bearer(client, "mediator"))
    assert ran.status_code == 201, ran.text
    mediator = ran.json()
    expected = cli_json(run_cli, web_db, monkeypatch, "negotiate", "--mediate")
    released = {k: v for k, v in mediator.items() if k not in ("id", "released_at")}
    assert released == expected
    assert sorted(mediator["proposals"]) == ["russia", "united-states"]
    seen = {}
    for user in ("ru-viewer", "us-editor", "host-editor", "mediator"):
        answer = client.get(f"{API}/mediation", headers=bearer(client, user))
        assert answer.status_code == 200, answer.text
        seen[user] = answer.json()
        assert seen[user]["package"] == expected["package"]
        assert seen[user]["id"] == mediator["id"]
    assert sorted(seen["ru-viewer"]["proposals"]) == ["russia"]
    assert seen["ru-viewer"]["viewer"] == {"as": "russia", "clearances": []}
    assert sorted(seen["us-editor"]["proposals"]) == ["united-states"]
    assert seen["host-editor"]["proposals"] == {}
    assert seen["mediator"]["proposals"] == expected["proposals"]
    for party, user in (("russia", "ru-viewer"), ("united-states", "us-editor")):
        own = cli_json(run_cli, web_db, monkeypatch, "negotiate", "--mediate", "--for", party)
        assert seen[user]["proposals"] == own["proposals"]
    assert "81.25" not in str(seen["ru-viewer"])  # the other side's score
    assert "92.25" not in str(seen["us-editor"])


# ---------------------------------------------------------------------------------------------
# Situation reports
# ---------------------------------------------------------------------------------------------


def _report(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    job, _ = wait_for(client, headers, start(client, headers, "sitreps", body))
    assert job["status"] == "done", job
    answer = client.get(job["result"], headers=headers)
    assert answer.status_code == 200
    entry: dict[str, Any] = answer.json()
    return entry


def test_a_report_is_stored_for_its_reader_and_downloaded_as_the_command_line_writes_it(
    client: TestClient,
    web_db: Database,
    run_cli: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    headers = bearer(client, "ru-editor")
    entry = _report(client, headers, {"format": "md", "forecast": False})
    assert entry["filename"] == "sitrep-1-2024-07-15-russia.md"
    assert entry["viewer"] == {"as": "russia", "clearances": []}
    assert entry["label"] == {"readers": ["russia"], "compartments": []}
    download = client.get(entry["download"], headers=headers)
    assert download.status_code == 200
    assert download.headers["content-type"] == "text/markdown; charset=utf-8"
    assert download.headers["content-disposition"] == (
        'attachment; filename="sitrep-1-2024-07-15-russia.md"'
    )
    target = tmp_path / "sitrep-1-2024-07-15-russia.md"
    cli_json(
        run_cli, web_db, monkeypatch, "sitrep", "--as", "russia", "--no-forecast", "-o", str(target)
    )
    assert download.text == target.read_text(encoding="utf-8")
    assert "Heads of the audit chains" in download.text
    assert entry["charts"], "the Markdown report links its charts"
    chart = client.get(entry["charts"][0], headers=headers)
    assert chart.headers["content-type"] == "image/svg+xml"
    assert chart.text.lstrip().startswith("<?xml")
    assert f"{entry['charts'][0].rsplit('/', 1)[-1]}" in download.text
    assert client.get(f"{entry['download']}/charts/nope.svg", headers=headers).status_code == 404
    # The next report follows on from it: number 2, compared with the first.
    second = _report(client, headers, {"format": "html", "as_of": "2024-07-22", "forecast": False})
    assert second["number"] == 2
    assert second["filename"] == "sitrep-2-2024-07-22-russia.html"
    page = client.get(second["download"], headers=headers)
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.text.startswith("<!DOCTYPE html>")
    listed = client.get(f"{API}/sitreps", headers=bearer(client, "ru-viewer")).json()["items"]
    assert [item["id"] for item in listed] == [second["id"], entry["id"]]


def test_reports_are_the_readers_own(client: TestClient) -> None:
    us_cleared = bearer(client, "us-editor")
    entry = _report(client, us_cleared, {"format": "md", "forecast": False})
    assert entry["label"] == {"readers": ["united-states"], "compartments": ["back-channel"]}
    assert entry["filename"] == "sitrep-1-2024-07-15-united-states.md"
    for user in ("ru-editor", "us-editor-2", "mediator"):
        other = bearer(client, user)
        assert client.get(f"{API}/sitreps", headers=other).json()["items"] == []
        missing = client.get(f"{API}/sitreps/{entry['id']}", headers=other)
        nothing = client.get(f"{API}/sitreps/00000000-0000-4000-8000-000000000000", headers=other)
        assert missing.status_code == nothing.status_code == 404
        assert missing.json() == nothing.json()
    # us-editor-2 (not cleared) gets a report of its own, numbered 1: not a sequel of the other.
    own = _report(client, bearer(client, "us-editor-2"), {"format": "md", "forecast": False})
    assert own["number"] == 1
    assert own["label"] == {"readers": ["united-states"], "compartments": []}


def test_a_pdf_report_and_its_forecast(client: TestClient) -> None:
    headers = bearer(client, "ru-editor")
    location = start(client, headers, "sitreps", {"format": "pdf"})
    job, _ = wait_for(client, headers, location)
    assert job["status"] == "done", job
    assert job["progress"]["done"] == job["progress"]["total"] > 0
    entry = client.get(job["result"], headers=headers).json()
    download = client.get(entry["download"], headers=headers)
    assert download.headers["content-type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    assert entry["filename"] == "sitrep-1-2024-07-15-russia.pdf"


def test_every_route_here_is_in_the_api_reference() -> None:
    import re

    from fastapi.routing import APIRoute

    from summitry.web.analyses import router

    doc = (Path(__file__).parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    section = doc.split("## Analyses, jobs, reports and mediation", 1)[1]
    for route in router.routes:
        assert isinstance(route, APIRoute)
        path = route.path.removeprefix("/api/v1/workspaces/{workspace}/")
        path = re.sub(r"\{\w+_id\}", "{id}", path)
        for method in route.methods:
            assert f"`{method} {path}`" in section, (method, path)
