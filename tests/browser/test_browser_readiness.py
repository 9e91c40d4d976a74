"""Readiness in a real browser: a forecast's progress turns into its result in place."""

from __future__ import annotations

import re
from collections.abc import Callable

from browserkit import LiveServer, serious_violations
from playwright.sync_api import Browser, Page, expect


def test_a_forecast_runs_and_its_result_replaces_the_progress_in_place(
    browser: Browser, live_server: LiveServer, as_user: Callable[[str], Page]
) -> None:
    page = as_user("ru-editor")
    page.goto("/w/demo/readiness")
    expect(page.get_by_text("No forecast yet — run one")).to_be_visible()
    page.get_by_label("Monte Carlo iterations").fill("500")
    page.get_by_label("The delegations cannot agree on a venue — Provisional").check()
    page.get_by_role("button", name="Run the forecast").click()
    page.wait_for_url(re.compile(r"/readiness/jobs/[0-9a-f-]+$"))
    job_path = page.url.removeprefix(live_server.url)
    page.evaluate("window.summitryMarker = 'still the same page'")
    expect(page.get_by_role("progressbar", name="Progress")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(
        re.compile(r"The forecast is (queued|running)")
    )
    expect(page.get_by_role("heading", name="Tasks that drive the finish")).to_be_visible(
        timeout=60_000
    )
    assert page.evaluate("window.summitryMarker") == "still the same page"
    expect(page.get_by_role("img", name=re.compile("^S-curve: the probability"))).to_be_visible()
    expect(page.get_by_role("heading", name="What if: venue-deadlock mitigated")).to_be_visible()
    cookies = page.context.cookies()
    problems = [
        line
        for path in ("/w/demo/readiness", job_path)
        for line in serious_violations(browser, live_server.url, cookies, path)
    ]
    assert problems == []
