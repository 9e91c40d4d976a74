"""Which fields of which records name other records: one table for checking and for filtering.

Checks use it to report ids that point nowhere; visibility filtering uses it to drop links to
records a viewer may not see. Links with more structure (dependencies with lags, scores keyed by
issue) are handled where they are used.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reference:
    """Field ``field`` of the records in ``collection`` names records of ``targets``.

    ``targets`` is a tuple of collection names; ``("*",)`` means any record. ``many`` says the
    field holds a list of ids rather than one optional id.
    """

    collection: str
    field: str
    targets: tuple[str, ...]
    noun: str
    many: bool = False


WORK = ("tasks", "actions")
ANY = ("*",)

REFERENCES: tuple[Reference, ...] = (
    Reference("people", "party", ("parties",), "party"),
    Reference("workstreams", "owner", ("working_groups",), "working group"),
    Reference("workstreams", "lead", ("people",), "person"),
    Reference("tasks", "workstream", ("workstreams",), "workstream"),
    Reference("tasks", "owner", ("people",), "person"),
    Reference("milestones", "workstream", ("workstreams",), "workstream"),
    Reference("milestones", "depends_on", WORK, "task", many=True),
    Reference("topics", "issue", ("issues",), "agenda issue"),
    Reference("positions", "about", ("parties",), "party"),
    Reference("positions", "held_by", ("parties",), "party"),
    Reference("venues", "unacceptable_to", ("parties",), "party", many=True),
    Reference("working_groups", "issues", ("issues",), "agenda issue", many=True),
    Reference("working_groups", "members", ("people",), "person", many=True),
    Reference("working_groups", "chair", ("people",), "person"),
    Reference("meetings", "group", ("working_groups",), "working group"),
    Reference("meetings", "attendees", ("people",), "person", many=True),
    Reference("meetings", "decisions", ("decisions",), "decision", many=True),
    Reference("actions", "workstream", ("workstreams",), "workstream"),
    Reference("actions", "owner", ("people",), "person"),
    Reference("actions", "meeting", ("meetings",), "meeting"),
    Reference("decisions", "owner", ("people",), "person"),
    Reference("decisions", "about", ANY, "record"),
    Reference("risks", "tasks", WORK, "task", many=True),
    Reference("risks", "issues", ("issues",), "agenda issue", many=True),
    Reference("risks", "owner", ("people",), "person"),
    Reference("risks", "contingency_owner", ("people",), "person"),
    Reference("drivers", "tasks", WORK, "task", many=True),
    Reference("notes", "about", ANY, "record"),
)
"""Every plain id field of the plan, in file order of collections."""
