"""Situation report of the bundled example in all three formats, with a time breakdown.

Target (issue 6): the full report with all charts in all three formats in ≤ 2 s after imports.
"""

from __future__ import annotations

import datetime as dt
import time

from summitry.access.policy import JOINT_READER
from summitry.access.views import view_of
from summitry.cli import example_path
from summitry.io.planfile import load
from summitry.reports.render import html_page, markdown, pdf
from summitry.services.sitrep import SitrepRequest, sitrep


def main() -> None:
    """Print the breakdown of one full report run (after a warm-up run that compiles kernels)."""
    plan = load(example_path("summit.toml"))
    as_of = plan.summit.as_of or dt.date.today()
    for attempt in ("warm-up", "measured"):
        start = time.perf_counter()
        view = view_of(plan, JOINT_READER)
        report = sitrep(view, JOINT_READER, SitrepRequest(as_of=as_of)).report
        assert report is not None
        built = time.perf_counter()
        markdown(report.document)
        html_page(report.document)
        rendered = time.perf_counter()
        pdf(report.document)
        done = time.perf_counter()
        if attempt == "measured":
            charts = len(report.document.figures())
            print("Situation report (bundled example, joint view), one run after a warm-up")
            print(f"  analyses (forecast, fair packages, scenarios, venues) and {charts} charts,")
            print(f"  built into the document    {1e3 * (built - start):8.1f} ms")
            print(f"  markdown + html            {1e3 * (rendered - built):8.1f} ms")
            print(f"  typst pdf                  {1e3 * (done - rendered):8.1f} ms")
            print(
                f"  total                      {1e3 * (done - start):8.1f} ms  (target ≤ 2000 ms)"
            )


if __name__ == "__main__":
    main()
