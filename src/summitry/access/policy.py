"""The visibility policy, and the plan as one viewer may see it.

A record is visible to a viewer when its ``visibility`` is ``joint`` or the viewer's own party,
and the viewer holds every compartment the record carries. What a viewer may not see is removed
without trace: links to it are dropped, and records that cannot stand without it (a task of a
hidden workstream, a position weighing a hidden issue) go with it, so that nothing — not a
count, not a dangling id — tells that it exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from summitry.domain.base import JOINT, Record
from summitry.domain.checks import suggest
from summitry.domain.plan import COLLECTIONS, Plan, record_type
from summitry.domain.references import ANY, REFERENCES
from summitry.errors import InputError


@dataclass(frozen=True)
class Viewer:
    """Someone reading the plan: their party (None for joint material only) and clearances."""

    party: str | None = None
    compartments: frozenset[str] = field(default_factory=frozenset)

    def can_see(self, record: Record) -> bool:
        """Whether this viewer may see ``record``.

        Usage: ``Viewer("north").can_see(plan.notes["channel"])``.
        """
        if not set(record.compartments) <= self.compartments:
            return False
        return record.visibility == JOINT or record.visibility == self.party


def view_of(plan: Plan, party: str | None, compartments: Iterable[str] = ()) -> Plan:
    """The plan as seen by a party id, by ``joint`` (joint material only), or whole for None.

    An unknown party gets the same one-line error whether or not something is hidden from it.
    Usage: ``view_of(plan, "united-states", ["back-channel"])``.
    """
    if party is None:
        return plan
    if party != JOINT and party not in plan.parties:
        raise InputError(f"unknown delegation '{party}'{suggest(party, [JOINT, *plan.parties])}")
    viewer = Viewer(None if party == JOINT else party, frozenset(compartments))
    return visible_plan(plan, viewer)


def visible_plan(plan: Plan, viewer: Viewer) -> Plan:
    """The plan with everything ``viewer`` may not see removed, links included.

    Usage: ``visible_plan(plan, Viewer("united-states"))``.
    """
    data = plan.model_dump(mode="python")
    hidden = {record.id for _, record in plan.records() if not viewer.can_see(record)}
    while True:
        for name in COLLECTIONS:
            data[name] = {rid: rec for rid, rec in data[name].items() if rid not in hidden}
        orphans = set(_orphans(data, hidden))
        if not orphans:
            break
        hidden |= orphans
    _drop_links(data, hidden)
    return Plan.model_validate(data)


def _targets(data: dict[str, Any], targets: Iterable[str]) -> set[str]:
    names = COLLECTIONS if tuple(targets) == ANY else targets
    return {rid for name in names for rid in data[name]}


def _orphans(data: dict[str, Any], hidden: set[str]) -> Iterable[str]:
    """Records whose required links point at hidden records."""
    for ref in REFERENCES:
        if ref.many or not record_type(ref.collection).model_fields[ref.field].is_required():
            continue
        for rid, record in data[ref.collection].items():
            if record[ref.field] in hidden:
                yield rid
    for pid, position in data["positions"].items():
        if any(issue in hidden for issue in position["issues"]):
            yield pid


def _drop_links(data: dict[str, Any], hidden: set[str]) -> None:
    for ref in REFERENCES:
        for record in data[ref.collection].values():
            value = record.get(ref.field)
            if ref.many:
                record[ref.field] = tuple(item for item in value if item not in hidden)
            elif value in hidden:
                record[ref.field] = None
    for name in ("tasks", "actions"):
        for record in data[name].values():
            # Dependencies dump as a plain id, or as a table when they carry a lag.
            record["depends_on"] = tuple(
                dep
                for dep in record["depends_on"]
                if (dep if isinstance(dep, str) else dep["task"]) not in hidden
            )
    for record in data["stakeholders"].values():
        record["stances"] = {
            issue: stance for issue, stance in record["stances"].items() if issue not in hidden
        }
    for role in ("host", "mediator"):
        if data["summit"].get(role) in hidden:
            data["summit"][role] = None
