"""The readiness pages: a forecast run from the form as a job, its result, its what-ifs."""

from __future__ import annotations

import re
import time

from fastapi.testclient import TestClient
from webkit import sign_in

BASE = "/w/demo/readiness"
MISSING = "00000000-0000-4000-8000-000000000000"


def run(client: TestClient, csrf: str, **fields: object) -> tuple[str, str]:
    """Post the form, follow to the job's page and wait for the job to end; (url, page)."""
    posted = client.post(BASE, data={"csrf_token": csrf, **fields}, follow_redirects=False)
    assert posted.status_code == 303, posted.text
    location = posted.headers["location"]
    assert location.startswith(f"{BASE}/jobs/")
    running = client.get(location).text
    assert re.search(r"The forecast is (queued|running)", running)
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in running
    assert 'hx-trigger="every 1s"' in running
    fragment = client.get(location, headers={"HX-Request": "true"}).text
    assert fragment.lstrip().startswith('<div id="forecast-job"')
    assert "<html" not in fragment
    deadline = time.monotonic() + 120
    while True:
        answer = client.get(location)
        assert answer.status_code == 200
        if "The forecast is done" in answer.text or "The forecast failed" in answer.text:
            return location, answer.text
        assert time.monotonic() < deadline, "the forecast did not end"
        time.sleep(0.05)


def percents(page: str, row: str) -> list[int]:
    """The percentages of one row of a table (by its heading cell)."""
    found = re.search(rf'<th scope="row">{re.escape(row)}</th>(.*?)</tr>', page, re.S)
    assert found, f"no row {row!r}"
    return [int(n) for n in re.findall(r"(\d+)%", found.group(1))]


def test_a_forecast_from_the_form_shows_its_result_and_then_the_change(
    client: TestClient,
) -> None:
    csrf = sign_in(client, "ru-editor")
    first = client.get(BASE)
    assert first.status_code == 200
    assert "No forecast yet — run one" in first.text
    assert 'name="iterations"' in first.text
    location, page = run(client, csrf, iterations="200")
    assert "Ready by the summit date (2024-09-16)" in page
    assert re.search(r'class="big">\d+%</dd>', page)
    assert "P50 finish" in page
    assert "P80 finish" in page
    assert "Tasks that drive the finish" in page
    assert "Risk events that delay the finish" in page
    assert "No earlier forecast for this reader" in page
    assert "hx-trigger" not in page, "a finished job stops polling"
    chart = client.get(f"{location}/s-curve.svg")
    assert chart.status_code == 200
    assert chart.headers["content-type"] == "image/svg+xml"
    assert "<svg" in chart.text
    assert f'src="{location}/s-curve.svg"' in page
    assert client.get(f"{location}/nope.svg").status_code == 404
    # /readiness now shows it, and the next forecast says what changed since.
    latest = client.get(BASE).text
    assert "No forecast yet" not in latest
    assert f'href="{location}"' in latest
    _, second = run(client, csrf, iterations="200", drop="venue-deadlock")
    assert "No earlier forecast for this reader" not in second
    assert re.search(r'class="was">was \d+% on 2024-07-15', second)


def test_a_what_if_changes_the_result(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    _, page = run(
        client, csrf, iterations="300", summit_date="2024-10-14", mitigate="venue-deadlock"
    )
    assert "What if: summit on 2024-10-14, venue-deadlock mitigated" in page
    baseline, what_if = percents(page, "Ready by the summit date")
    assert what_if > baseline


def test_another_partys_forecast_is_404_as_a_missing_one(client: TestClient) -> None:
    csrf = sign_in(client, "ru-viewer")  # a viewer may run a forecast, as the API allows
    location, _ = run(client, csrf, iterations="100")
    job_id = location.rsplit("/", 1)[-1]
    client.cookies.clear()
    sign_in(client, "us-editor")
    assert "No forecast yet" in client.get(BASE).text
    for suffix in ("", "/s-curve.svg"):
        hidden = client.get(f"{BASE}/jobs/{job_id}{suffix}")
        missing = client.get(f"{BASE}/jobs/{MISSING}{suffix}")
        assert hidden.status_code == missing.status_code == 404
        assert hidden.text == missing.text
        assert "no such job" in hidden.text


def test_form_errors_are_shown_next_to_their_field(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    answer = client.post(BASE, data={"csrf_token": csrf, "iterations": "0", "drop": "no-such-risk"})
    assert answer.status_code == 422
    page = answer.text
    iterations = re.search(r'<p class="field-error" id="f-iterations-error">([^<]*)</p>', page)
    assert iterations
    assert "a number from 100 to 10,000,000" in iterations.group(1)
    assert re.search(r'name="iterations"[^>]*aria-invalid="true"', page)
    assert re.search(r'name="iterations"[^>]*aria-describedby="f-iterations-error"', page)
    drop = re.search(r'<p class="field-error" id="f-drop-error">([^<]*)</p>', page)
    assert drop
    assert "no risk &#39;no-such-risk&#39;" in drop.group(1)
    assert 'value="0"' in page, "the form keeps what was typed"
    assert "No forecast yet" in client.get(BASE).text, "no job was started"
