"""The position editor and the package assessment in a real browser."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect


def test_the_position_editor_names_the_weights_then_saves(as_user: Callable[[str], Page]) -> None:
    page = as_user("ru-editor")
    page.goto("/w/demo/agenda/position")
    weight = page.locator("#f-weight-cybersecurity")
    weight.fill("20")
    page.get_by_role("button", name="Save the position").click()
    expect(page.locator("#f-weights-error")).to_contain_text("must sum to 100")
    expect(page.locator("#f-weight-cybersecurity")).to_have_attribute("aria-invalid", "true")
    page.locator("#f-weight-cybersecurity").fill("10")
    page.get_by_label("BATNA (what we do without an agreement)").fill("Wait for a better moment.")
    page.get_by_role("button", name="Save the position").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.get_by_label("BATNA (what we do without an agreement)")).to_have_value(
        "Wait for a better moment."
    )


def test_a_tentative_package_is_assessed_on_the_analysis_page(
    as_user: Callable[[str], Page],
) -> None:
    page = as_user("us-editor")
    page.goto("/w/demo/agenda/analysis")
    chart = page.get_by_role("img", name="Efficient packages")
    expect(chart).to_be_visible()
    loaded = "img => img.complete && img.naturalWidth > 0"
    page.wait_for_function(loaded, arg=chart.element_handle())
    page.get_by_label("Trade Sanctions").select_option("status-quo")
    page.get_by_role("button", name="Assess this package").click()
    result = page.locator(".assessed")
    expect(result).to_contain_text("United States (our own position)")
    expect(result).to_contain_text("Russian Federation (as we estimate it)")
    expect(page.get_by_label("Trade Sanctions")).to_have_value("status-quo")
