"""Situation reports in a real browser: generate one, then download it."""

from __future__ import annotations

import re
from collections.abc import Callable

from browserkit import LiveServer, serious_violations
from playwright.sync_api import Browser, Page, expect


def test_generate_and_download_a_situation_report(
    browser: Browser, live_server: LiveServer, as_user: Callable[[str], Page]
) -> None:
    page = as_user("us-editor")
    page.goto("/w/demo/reports")
    expect(page.get_by_text("No situation reports stored yet")).to_be_visible()
    expect(page.locator(".label-ahead")).to_have_text("United States · back-channel")
    cookies = page.context.cookies()
    problems = serious_violations(browser, live_server.url, cookies, "/w/demo/reports")
    page.get_by_label("Include the readiness forecast").uncheck()
    page.get_by_role("button", name="Generate the report").click()
    page.wait_for_url(re.compile(r"/reports/jobs/[0-9a-f-]+$"))
    job_path = page.url.removeprefix(live_server.url)
    link = page.get_by_role("link", name="Download sitrep-1-2024-07-15-united-states")
    expect(link).to_be_visible(timeout=60_000)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.startswith("sitrep-1-2024-07-15-united-states-")
    assert download.suggested_filename.endswith(".md")
    assert download.path().read_text(encoding="utf-8").startswith("# Situation report No. 1")
    page.goto("/w/demo/reports")
    expect(page.get_by_role("link", name="No. 1", exact=True)).to_be_visible()
    for path in ("/w/demo/reports", job_path):
        problems += serious_violations(browser, live_server.url, cookies, path)
    assert problems == []
