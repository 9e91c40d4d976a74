"""Save the README's screenshots: Russia's dashboard and the mediation result.

Uses the browser tests' tooling (``tests/browser/browserkit.py``): a fresh demo workspace
served on a free port, the system's chromium (``SUMMITRY_BROWSER``, default ``chromium``).
The mediator runs the blind mediation on its page ("Run the mediation"), then Russia's editor's
mediation page is photographed. Run from the repository: ``.venv/bin/python
scripts/screenshots.py``; it writes ``docs/img/dashboard.png`` and ``docs/img/mediation.png``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from browserkit import sign_in_page, start_server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

OUT = ROOT / "docs" / "img"


def main() -> None:
    """Start the demo server, sign in, and save the two screenshots."""
    os.environ.setdefault("SUMMITRY_AUDIT_KEY", "screenshots")
    program = shutil.which(os.environ.get("SUMMITRY_BROWSER", "chromium"))
    if program is None:
        raise SystemExit("no chromium: sudo apt-get install chromium libatomic1")
    OUT.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as folder,
        start_server(Path(folder) / "s.db") as server,
        sync_playwright() as driver,
    ):
        browser = driver.chromium.launch(executable_path=program, args=["--no-sandbox"])
        context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        sign_in_page(page, "ru-editor")
        page.goto("/w/demo")
        page.screenshot(path=str(OUT / "dashboard.png"), full_page=False)
        print(f"wrote {OUT / 'dashboard.png'}")
        mediator = browser.new_context(base_url=server.url).new_page()
        sign_in_page(mediator, "mediator")
        mediator.goto("/w/demo/mediation")
        run = mediator.get_by_role("button", name="Run the mediation")
        if run.count():
            run.first.click()
            mediator.wait_for_load_state("networkidle")
            page.goto("/w/demo/mediation")
            page.screenshot(path=str(OUT / "mediation.png"), full_page=False)
            print(f"wrote {OUT / 'mediation.png'}")
        else:
            print("the mediation page has no run button yet: mediation.png not made")
        browser.close()


if __name__ == "__main__":
    main()
