"""Where a plan comes from, read as one principal may see it.

Today a plan source is a plan file; the workspace (a database) will be the other kind.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from summitry.access.labels import Label, derived_label

if TYPE_CHECKING:
    from summitry.access.policy import Principal
    from summitry.domain.plan import Plan

PlanSource = Path
"""A plan file (a workspace, once there is one)."""


def read_view(source: PlanSource, principal: Principal) -> Plan:
    """The principal's view of the plan at ``source``, checked alone.

    Usage: ``view = read_view(Path("summit.toml"), Principal.of("russia"))``.
    """
    from summitry.access.views import load_view

    return load_view(source, principal)


READS: dict[str, tuple[str, ...] | None] = {
    "status": None,
    "forecast": ("statuses", "workstreams", "tasks", "milestones", "actions", "risks", "drivers"),
    "negotiate": ("parties", "issues", "positions"),
    "scenarios": ("descriptors", "risks"),
    "risks": ("risks", "descriptors"),
    "venues": ("venues", "venue_criteria", "venue_preferences"),
    "sitrep": None,
}
"""The collections each use case draws its result from (None: all), for the result's label."""


def result_label(view: Plan, use_case: str) -> Label:
    """The label of a use case's result: the combination of the labels of what it read.

    Usage: ``result_label(view, "forecast").describe()``.
    """
    return derived_label(view, READS[use_case])
