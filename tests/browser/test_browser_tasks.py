"""The tasks pages in a real browser: create and edit, the in-place status change, a conflict."""

from __future__ import annotations

import re
from collections.abc import Callable

from browserkit import LiveServer, serious_violations
from playwright.sync_api import Browser, Page, expect


def _create(page: Page, name: str) -> str:
    """Create a task through the form; the URL of its page."""
    page.goto("/w/demo/tasks/new")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Workstream").select_option(label="Logistics and Protocol")
    page.get_by_label("Optimistic").fill("1")
    page.get_by_label("Most likely").fill("2")
    page.get_by_label("Pessimistic").fill("3")
    page.get_by_role("button", name="Create the task").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    return page.url


def test_create_edit_and_change_the_status_in_place(as_user: Callable[[str], Page]) -> None:
    page = as_user("ru-editor")
    url = _create(page, "Order the motorcade flags")
    page.get_by_role("link", name="Edit this task").click()
    page.get_by_label("Percent complete").fill("40")
    page.get_by_role("button", name="Save the task").click()
    expect(page.locator("dl.fields dd", has_text=re.compile(r"^40 %$"))).to_be_visible()
    assert page.url == url

    page.goto("/w/demo/tasks?workstream=logistics")
    page.evaluate("window.stillTheSamePage = true")
    row = page.locator("tr", has=page.get_by_role("link", name="Order the motorcade flags"))
    row.get_by_label("Status of Order the motorcade flags").select_option(label="In progress")
    row.get_by_role("button", name="Set the status of Order the motorcade flags").click()
    expect(row.locator("td.status")).to_have_text("In progress")
    assert page.evaluate("window.stillTheSamePage === true")  # swapped by htmx, no page load
    page.reload()
    expect(row.locator("td.status")).to_have_text("In progress")


def test_a_stale_edit_shows_the_conflict(as_user: Callable[[str], Page]) -> None:
    first = as_user("ru-editor")
    second = as_user("ru-editor-2")
    url = _create(first, "Agree the toast wording")
    first.goto(url + "/edit")
    second.goto(url + "/edit")
    first.get_by_label("Name", exact=True).fill("Agree the toast wording with protocol")
    first.get_by_role("button", name="Save the task").click()
    expect(first.get_by_role("heading", level=1)).to_have_text(
        "Agree the toast wording with protocol"
    )
    second.get_by_label("Name", exact=True).fill("Agree the toast wording, short version")
    second.get_by_role("button", name="Save the task").click()
    expect(second.get_by_role("heading", name="Someone saved this task first")).to_be_visible()
    expect(second.get_by_role("alert")).to_contain_text("changed by ru-editor")
    name_row = second.get_by_role("row", name=re.compile("^Name"))
    expect(name_row).to_contain_text("Agree the toast wording with protocol")
    expect(name_row).to_contain_text("Agree the toast wording, short version")
    second.get_by_role("button", name="Save mine over revision 2").click()
    expect(second.get_by_role("heading", level=1)).to_have_text(
        "Agree the toast wording, short version"
    )


def test_the_tasks_pages_have_no_serious_accessibility_violation(
    browser: Browser, live_server: LiveServer, as_user: Callable[[str], Page]
) -> None:
    page = as_user("ru-editor")
    page.goto("/w/demo/tasks?workstream=venue")
    task = page.get_by_role("link", name="Score the long-listed venues").get_attribute("href")
    assert task is not None
    cookies = page.context.cookies()
    paths = ["/w/demo/tasks", task, "/w/demo/tasks/new", task + "/edit", "/w/demo/timeline"]
    paths.append("/w/demo/workstreams")
    problems = [
        line
        for path in paths
        for line in serious_violations(browser, live_server.url, cookies, path)
    ]
    assert problems == []
