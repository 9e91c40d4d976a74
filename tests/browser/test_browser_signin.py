"""Signing in and out in a real browser, and the accessibility of the first pages."""

from __future__ import annotations

from collections.abc import Callable

from browserkit import LiveServer, serious_violations
from playwright.sync_api import Browser, Page, expect


def test_sign_in_shows_the_dashboard_and_sign_out_ends_the_session(
    as_user: Callable[[str], Page],
) -> None:
    page = as_user("ru-editor")
    page.goto("/w/demo")
    expect(page.get_by_role("heading", name="Preparation aspects")).to_be_visible()
    expect(page.locator("header.top")).to_contain_text("ru-editor · russia · editor")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")
    page.goto("/w/demo")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_wrong_password_says_so_on_the_form(as_user: Callable[[str], Page]) -> None:
    page = as_user("us-viewer")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Username").fill("us-viewer")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong username or password")


def test_first_pages_have_no_serious_accessibility_violation(
    browser: Browser, live_server: LiveServer, as_user: Callable[[str], Page]
) -> None:
    page = as_user("us-editor")
    cookies = page.context.cookies()
    problems = [
        line
        for path in ("/", "/w/demo")
        for line in serious_violations(browser, live_server.url, cookies, path)
    ]
    login = serious_violations(browser, live_server.url, [], "/login")
    assert problems + login == []
