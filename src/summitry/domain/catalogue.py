"""What a plan is made of: its collections, its settings, and every field that names a record.

This is a leaf module (it imports nothing of summitry), so both the model (``domain/plan.py``),
the checks (``domain/checks.py``) and the views (``access/views.py``) can read it without an
import circle. One table, :data:`LINKS`, lists every place a record names another record; the
checks use it to report ids that point nowhere and the views use it to drop links to records a
reader may not see. A test walks the model's fields to prove the table complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

COLLECTIONS: dict[str, str] = {
    "parties": "party",
    "people": "person",
    "statuses": "status",
    "workstreams": "workstream",
    "tasks": "task",
    "milestones": "milestone",
    "topics": "topic",
    "issues": "agenda issue",
    "positions": "position",
    "mechanisms": "engagement mechanism",
    "venues": "venue",
    "venue_criteria": "venue criterion",
    "venue_preferences": "venue preference",
    "working_groups": "working group",
    "meetings": "meeting",
    "actions": "action item",
    "decisions": "decision",
    "risks": "risk",
    "drivers": "driver",
    "descriptors": "scenario descriptor",
    "developments": "development",
    "stakeholders": "stakeholder",
    "notes": "note",
}
"""Each collection of the plan (its key in the file) and what one record of it is called."""

SETTINGS = ("forecast", "sitrep", "venue_requirements")
"""Plan-wide settings tables (not collections of records)."""

HELD = ("positions", "venue_preferences")
"""Collections of one party's own preferences: ``held_by`` names it, and by default only it
may read them."""


class Shape(StrEnum):
    """How a field holds the ids it names."""

    ONE = "one"
    """A single id, or nothing."""
    MANY = "many"
    """A list of ids."""
    KEYS = "keys"
    """The keys of a table (``stances = { cybersecurity = "neutral" }``)."""
    DEPENDENCIES = "dependencies"
    """A list of plain ids or ``{ task = ..., lag = ... }`` tables."""
    LINKED_TERMS = "linked-terms"
    """A position's ``linked`` terms: each names ``issue`` and ``with_issue``."""
    VARIANTS = "variants"
    """A list of ``"descriptor.variant"`` strings: the descriptor is the record."""
    IMPACT_TARGETS = "impact-targets"
    """``impacts.<own variant>.<descriptor>``: the second-level keys are descriptors."""
    READERS = "readers"
    """A label's readers: ``joint``, one party id, or a list of party ids."""


WORK = ("tasks", "actions")
ANY = ("*",)
SUMMIT = "summit"


@dataclass(frozen=True)
class Link:
    """Field ``field`` of the records of ``collection`` names records of ``targets``.

    ``targets`` is a tuple of collection names (``("*",)``: any record). ``required`` says the
    record cannot stand without every record the field names: when a reader may not see one of
    them, the record leaves the reader's view too (a task of a hidden workstream, a position
    weighing a hidden issue). Otherwise the link alone is dropped. ``collection`` is
    ``summit`` for the plan's ``[summit]`` table.
    """

    collection: str
    field: str
    targets: tuple[str, ...]
    noun: str
    shape: Shape = Shape.ONE
    required: bool = False


_PARTY = ("parties",)
_PERSON = ("people",)
_ISSUE = ("issues",)

LINKS: tuple[Link, ...] = (
    Link(SUMMIT, "host", _PARTY, "party"),
    Link(SUMMIT, "mediator", _PARTY, "party"),
    Link("people", "party", _PARTY, "party", required=True),
    Link("workstreams", "status", ("statuses",), "status"),
    Link("workstreams", "owner", ("working_groups",), "working group"),
    Link("workstreams", "lead", _PERSON, "person"),
    Link("tasks", "workstream", ("workstreams",), "workstream", required=True),
    Link("tasks", "status", ("statuses",), "status"),
    Link("tasks", "owner", _PERSON, "person"),
    Link("tasks", "depends_on", WORK, "task", Shape.DEPENDENCIES),
    Link("milestones", "workstream", ("workstreams",), "workstream"),
    Link("milestones", "depends_on", WORK, "task", Shape.MANY),
    Link("topics", "issue", _ISSUE, "agenda issue"),
    Link("positions", "about", _PARTY, "party", required=True),
    Link("positions", "held_by", _PARTY, "party", required=True),
    Link("positions", "issues", _ISSUE, "agenda issue", Shape.KEYS, required=True),
    Link("positions", "linked", _ISSUE, "agenda issue", Shape.LINKED_TERMS, required=True),
    Link("venues", "scores", ("venue_criteria",), "venue criterion", Shape.KEYS),
    Link("venue_preferences", "held_by", _PARTY, "party", required=True),
    Link("venue_preferences", "weights", ("venue_criteria",), "venue criterion", Shape.KEYS),
    Link("venue_preferences", "vetoes", ("venues",), "venue", Shape.MANY),
    Link("working_groups", "issues", _ISSUE, "agenda issue", Shape.MANY),
    Link("working_groups", "members", _PERSON, "person", Shape.MANY),
    Link("working_groups", "chair", _PERSON, "person"),
    Link("meetings", "group", ("working_groups",), "working group"),
    Link("meetings", "attendees", _PERSON, "person", Shape.MANY),
    Link("meetings", "decisions", ("decisions",), "decision", Shape.MANY),
    Link("actions", "workstream", ("workstreams",), "workstream"),
    Link("actions", "status", ("statuses",), "status"),
    Link("actions", "owner", _PERSON, "person"),
    Link("actions", "meeting", ("meetings",), "meeting"),
    Link("actions", "depends_on", WORK, "task", Shape.DEPENDENCIES),
    Link("decisions", "owner", _PERSON, "person"),
    Link("decisions", "about", ANY, "record"),
    Link("risks", "tasks", WORK, "task", Shape.MANY),
    Link("risks", "issues", _ISSUE, "agenda issue", Shape.MANY),
    Link("risks", "owner", _PERSON, "person"),
    Link("risks", "contingency_owner", _PERSON, "person"),
    Link("risks", "scenario_variants", ("descriptors",), "scenario variant", Shape.VARIANTS),
    Link("drivers", "tasks", WORK, "task", Shape.MANY),
    Link("descriptors", "impacts", ("descriptors",), "descriptor", Shape.IMPACT_TARGETS),
    Link("stakeholders", "stances", _ISSUE, "agenda issue", Shape.KEYS),
    Link("notes", "about", ANY, "record"),
)
"""Every field of the plan that names another record, in file order of collections."""

RECORD_LINKS: tuple[Link, ...] = tuple(
    Link(name, field, _PARTY, "party", shape)
    for name in COLLECTIONS
    for field, shape in (("visibility", Shape.READERS), ("owned_by", Shape.ONE))
)
"""The two fields every record has that name parties: its readers and its owning party."""

NOT_LINKS: frozenset[tuple[str, str]] = frozenset(
    {
        # Ids of things inside a record, not of records.
        ("*", "id"),
        ("*", "compartments"),
        ("issues", "options"),
        ("positions", "issues.*.scores"),
        ("positions", "linked.option"),
        ("positions", "linked.with_option"),
        ("descriptors", "variants"),
        ("venues", "constraints"),
        ("venue_requirements", "required"),
    }
)
"""Slug fields that name something other than a record (an option, a variant, a constraint).

Listed so that the completeness test can tell a forgotten link from a field that is not one.
``impacts`` keys other than the target descriptor are variants; the target is in :data:`LINKS`.
"""


def links_of(collection: str) -> tuple[Link, ...]:
    """The links of one collection (``summit`` for the summit table), including its label's.

    Usage: ``[link.field for link in links_of("tasks")]``.
    """
    own = tuple(link for link in LINKS if link.collection == collection)
    return own + tuple(link for link in RECORD_LINKS if link.collection == collection)
