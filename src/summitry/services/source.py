"""Where a plan comes from, read as one principal may see it: a plan file or a workspace.

Both kinds go through the one door: a file's view is built by ``access.views`` from the file's
data, a workspace's by ``store.reads`` from the rows the principal may read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from summitry.access.labels import Label, derived_label

if TYPE_CHECKING:
    from summitry.access.policy import Principal
    from summitry.domain.plan import Plan
    from summitry.store.reads import WorkspaceRef

PlanSource: TypeAlias = "Path | WorkspaceRef"
"""A plan file, or a workspace in a database."""


def read_view(source: PlanSource, principal: Principal) -> Plan:
    """The principal's view of the plan at ``source``, checked alone.

    Usage: ``view = read_view(Path("summit.toml"), Principal.of("russia"))``.
    """
    from summitry.access.views import load_view

    if not isinstance(source, Path):
        from summitry.store.reads import workspace_view

        return workspace_view(source, principal)

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
