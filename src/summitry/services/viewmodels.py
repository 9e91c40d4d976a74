"""What to show of a result, decided once for every renderer (terminal, reports, web pages).

A view model is a plain typed value; renderers format it and choose nothing themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from summitry.analysis.readiness import Forecast, ItemForecast
    from summitry.domain.plan import Plan

FINISH_DRIVERS = 5
"""How many tasks "drive the finish" on every page, terminal and report."""


def finish_drivers(result: Forecast, limit: int = FINISH_DRIVERS) -> list[ItemForecast]:
    """The tasks that drive the finish: open work, most often critical first, then sensitive.

    Usage: ``[item.name for item in finish_drivers(forecast(plan))]``.
    """
    return sorted(
        (item for item in result.items if not item.finished),
        key=lambda item: (-item.criticality, -abs(item.sensitivity or 0), item.id),
    )[:limit]


@dataclass(frozen=True)
class WhatIf:
    """A what-if of the forecast: what was changed, in words (empty for none)."""

    summit_date: str | None = None
    scenario: int | None = None
    mitigated: Sequence[str] = ()
    dropped: Sequence[str] = ()

    @property
    def any(self) -> bool:
        """Whether anything was changed at all."""
        return bool(self.summit_date or self.scenario or self.mitigated or self.dropped)

    def describe(self) -> str:
        """The changes in words: ``summit on 2024-09-23, scenario 1, strike mitigated``."""
        parts = [f"summit on {self.summit_date}"] if self.summit_date else []
        parts += [f"scenario {self.scenario}"] if self.scenario else []
        parts += [f"{rid} mitigated" for rid in self.mitigated]
        parts += [f"without {rid}" for rid in self.dropped]
        return ", ".join(parts)


FORMAT_DOC = "docs/plan-format.md"
NO_OPEN_RISKS = (
    "No open risks in the register: add [risks.<id>] with a probability, the tasks a risk "
    f"delays and a delay estimate (see {FORMAT_DOC}, risks)."
)
NO_WORK = (
    "no tasks yet: add [tasks.<id>] with a workstream and an estimate = [optimistic, most "
    f"likely, pessimistic] working days (see {FORMAT_DOC}, tasks)"
)


def missing(view: Plan) -> list[str]:
    """What the analyses will lack in this view, each with how to add it.

    Notes, not errors: a plan just imported from a briefing has most of them.
    Usage: ``for note in missing(view): print("note:", note)``.
    """
    notes = []
    if view.summit.earliest_date is None:
        notes.append("no summit date: set [summit] date (or window) to forecast readiness by it")
    if not view.work_items():
        notes.append(NO_WORK)
    if not any(issue.options for issue in view.issues.values()):
        notes.append(
            "no agenda issue has options: add options to [issues.<id>] to analyse the "
            f"negotiation (see {FORMAT_DOC}, issues)"
        )
    if not view.positions:
        notes.append(
            "no positions: add [positions.<id>] with each delegation's weights and scores "
            f"(see {FORMAT_DOC}, positions)"
        )
    if not view.risks:
        notes.append(NO_OPEN_RISKS[0].lower() + NO_OPEN_RISKS[1:].rstrip("."))
    return notes


def stale_dates(view: Plan, as_of: dt.date) -> list[str]:
    """Dates of the plan that already lie before the reference date and so mislead.

    Usage: ``stale_dates(view, date.today())``.
    """
    notes = []
    summit = view.summit.earliest_date
    if summit is not None and summit < as_of:
        notes.append(
            f"the summit date {summit} is before the as-of date {as_of}: set [summit] date, "
            "or pass the date to report on"
        )
    for wid, stream in view.workstreams.items():
        window = stream.expected_completion
        if window is not None and window.end < as_of and not view.is_closed(stream.status):
            notes.append(
                f"workstreams.{wid}: expected completion {window.label or window.end} is before "
                f"the as-of date {as_of} and the workstream is not complete: update it"
            )
    return notes
