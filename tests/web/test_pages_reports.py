"""The situation-report pages: generate from the form as a job, the series, downloads."""

from __future__ import annotations

import re
import time

from fastapi.testclient import TestClient
from webkit import sign_in

BASE = "/w/demo/reports"
MISSING = "00000000-0000-4000-8000-000000000000"


def generate(client: TestClient, csrf: str, **fields: str) -> str:
    """Post the form, wait for the job on its page; the stored report's id."""
    data = {"csrf_token": csrf, "format": "md", **fields}
    posted = client.post(BASE, data=data, follow_redirects=False)
    assert posted.status_code == 303, posted.text
    location = posted.headers["location"]
    assert location.startswith(f"{BASE}/jobs/")
    deadline = time.monotonic() + 120
    while True:
        page = client.get(location).text
        if "The report is written" in page or "The report was not written" in page:
            break
        assert time.monotonic() < deadline, "the report was not written in time"
        time.sleep(0.05)
    found = re.search(rf'href="{BASE}/([0-9a-f-]{{36}})/download"', page)
    assert found, page
    return found.group(1)


def test_a_report_from_the_form_is_listed_and_downloaded(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    empty = client.get(BASE)
    assert empty.status_code == 200
    assert "No situation reports stored yet" in empty.text
    assert "Your first report is due now" in empty.text
    assert 'may be read by <span class="label-ahead">Russian Federation</span>' in empty.text
    report_id = generate(client, csrf)
    download = client.get(f"{BASE}/{report_id}/download")
    assert download.status_code == 200
    assert download.headers["content-type"] == "text/markdown; charset=utf-8"
    disposition = download.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=")
    assert report_id in disposition
    assert disposition.endswith('.md"')
    assert download.text.startswith("# Situation report No. 1")
    listing = client.get(BASE).text
    assert f'href="{BASE}/{report_id}"' in listing
    assert "<td>MD</td><td>Russian Federation</td>" in listing
    # Weekly until 30 days before the summit (16 September): due a week after 15 July.
    assert "Your next report is due on 2024-07-22" in listing
    assert "This is the first report" in listing
    about = client.get(f"{BASE}/{report_id}")
    assert about.status_code == 200
    assert "Situation report No. 1" in about.text
    assert f'href="{BASE}/{report_id}/download"' in about.text


def test_the_next_reports_list_changes_and_download_as_html_and_pdf(client: TestClient) -> None:
    csrf = sign_in(client, "ru-editor")
    first = generate(client, csrf)
    second = generate(client, csrf, format="html", as_of="2024-07-22")
    listing = client.get(BASE).text
    assert listing.index(f"{BASE}/{second}") < listing.index(f"{BASE}/{first}")
    assert "From report No. 2 as of 2024-07-22" in listing
    assert "This is the first report" not in listing.split("Stored reports")[0]
    download = client.get(f"{BASE}/{second}/download")
    assert download.headers["content-type"] == "text/html; charset=utf-8"
    assert download.headers["content-disposition"].startswith("attachment;")
    third = generate(client, csrf, format="pdf", as_of="2024-07-29")
    pdf = client.get(f"{BASE}/{third}/download")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].endswith(f'-{third}.pdf"')
    assert pdf.content.startswith(b"%PDF")


def test_another_delegations_report_is_invisible_and_404(client: TestClient) -> None:
    csrf = sign_in(client, "ru-viewer")  # a viewer may generate a report, as the API allows
    report_id = generate(client, csrf)
    client.cookies.clear()
    sign_in(client, "us-editor")
    listing = client.get(BASE).text
    assert report_id not in listing
    assert "No situation reports stored yet" in listing
    for suffix in ("", "/download"):
        hidden = client.get(f"{BASE}/{report_id}{suffix}")
        missing = client.get(f"{BASE}/{MISSING}{suffix}")
        assert hidden.status_code == missing.status_code == 404
        assert hidden.text == missing.text
        assert "no such situation report" in hidden.text


def test_form_errors_are_shown_next_to_their_field(client: TestClient) -> None:
    csrf = sign_in(client, "us-editor")
    answer = client.post(BASE, data={"csrf_token": csrf, "format": "docx", "as_of": "2024-13-01"})
    assert answer.status_code == 422
    format_error = re.search(r'id="f-format-error">([^<]*)<', answer.text)
    assert format_error
    assert "'md', 'html' or 'pdf'" in format_error.group(1).replace("&#39;", "'")
    as_of = re.search(r'id="f-as-of-error">([^<]*)<', answer.text)
    assert as_of
    assert "date" in as_of.group(1)
    assert re.search(r'name="as_of"[^>]*aria-invalid="true"', answer.text)
    assert "No situation reports stored yet" in answer.text
