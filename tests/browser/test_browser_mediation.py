"""The blind mediation in real browsers: five users, each in their own browser context.

Both delegations withdraw the release the demo starts with and release again (one editor
asks, the second confirms), the mediator runs and publishes the mediation, and each
delegation ends up seeing the package and its own score only. Also: the other delegation's
position cannot be opened by URL (404, as a missing id), and the pages pass axe-core.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from browserkit import LiveServer, serious_violations
from playwright.sync_api import Browser, Page, expect

MISSING = "00000000-0000-0000-0000-000000000000"


def _rerelease(asker: Page, confirmer: Page) -> None:
    asker.goto("/w/demo/mediation")
    asker.get_by_role("button", name="Withdraw the release").click()
    expect(asker.locator("#mediation-panel")).to_contain_text("Not released")
    asker.get_by_role("button", name="Release our position to the mediator").click()
    expect(asker.locator("#mediation-panel")).to_contain_text("waits for a second editor")
    expect(asker.get_by_role("button", name="Confirm the release to the mediator")).to_have_count(0)
    confirmer.goto("/w/demo/mediation")
    confirmer.get_by_role("button", name="Confirm the release to the mediator").click()
    expect(confirmer.locator("#mediation-panel")).to_contain_text("Released:")


def test_the_whole_blind_mediation_with_five_users(as_user: Callable[[str], Page]) -> None:
    ru, ru2 = as_user("ru-editor"), as_user("ru-editor-2")
    us, us2 = as_user("us-editor"), as_user("us-editor-2")
    mediator = as_user("mediator")
    _rerelease(ru, ru2)
    _rerelease(us, us2)

    mediator.goto("/w/demo/mediation")
    releases = mediator.get_by_role("table").first
    expect(releases.get_by_role("row", name=re.compile("Russian Federation"))).to_contain_text(
        "Released"
    )
    expect(releases.get_by_role("row", name=re.compile("United States"))).to_contain_text(
        "Released"
    )
    mediator.get_by_role("button", name="Run the mediation and publish it").click()
    scores = mediator.locator("table.scores")
    expect(scores.locator("tbody tr")).to_have_count(2)
    own = {
        "Russian Federation": scores.get_by_role("row", name=re.compile("Russian Federation"))
        .locator("td.own-score")
        .inner_text(),
        "United States": scores.get_by_role("row", name=re.compile("United States"))
        .locator("td.own-score")
        .inner_text(),
    }
    package = mediator.locator("table.package td").all_inner_texts()
    assert len(package) == 5

    for page, mine, other in (
        (ru, "Russian Federation", "United States"),
        (us2, "United States", "Russian Federation"),
    ):
        page.goto("/w/demo/mediation")
        expect(page.locator("table.package td")).to_have_text(package)
        rows = page.locator("table.scores tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(mine)
        expect(rows.first.locator("td.own-score")).to_have_text(own[mine])
        expect(page.locator("main")).not_to_contain_text(other + " (")
        if own[other] != own[mine]:
            expect(page.locator("main")).not_to_contain_text(own[other])


def test_the_other_delegations_position_is_not_found_by_url(
    as_user: Callable[[str], Page],
) -> None:
    us = as_user("us-editor")
    us.goto("/w/demo/agenda/position")
    link = us.get_by_role("link", name=re.compile("Our estimate of"))
    estimate = link.get_attribute("href")
    assert estimate is not None
    ru = as_user("ru-editor")
    hidden = ru.goto(estimate)
    assert hidden is not None
    assert hidden.status == 404
    hidden_text = ru.locator("main").inner_text()
    record = estimate.rsplit("/", 1)[1]
    missing = ru.goto(f"/w/demo/agenda/positions/{MISSING}")
    assert missing is not None
    assert missing.status == 404
    assert ru.locator("main").inner_text().replace(MISSING, "ID") == hidden_text.replace(
        record, "ID"
    )


def test_the_agenda_and_mediation_pages_pass_axe(
    browser: Browser, live_server: LiveServer, as_user: Callable[[str], Page]
) -> None:
    delegation = as_user("ru-editor").context.cookies()
    mediator = as_user("mediator").context.cookies()
    problems = [
        line
        for cookies, path in (
            (delegation, "/w/demo/agenda"),
            (delegation, "/w/demo/agenda/position"),
            (delegation, "/w/demo/agenda/analysis"),
            (delegation, "/w/demo/mediation"),
            (mediator, "/w/demo/mediation"),
        )
        for line in serious_violations(browser, live_server.url, cookies, path)
    ]
    assert problems == []
