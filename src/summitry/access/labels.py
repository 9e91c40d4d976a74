"""Labels: who may read a record or a result — its readers and its compartments.

A label's readers are every party (``joint``) or a set of party ids; its compartments are
need-to-know groups a reader must be cleared for. A result derived from several inputs carries
the combination of their labels: readers intersect, compartments unite, so nothing derived is
ever readable by someone who could not read all of its inputs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from summitry.domain.base import JOINT, Record
from summitry.domain.catalogue import HELD
from summitry.domain.plan import Plan

T = TypeVar("T")


@dataclass(frozen=True)
class Label:
    """Readers (None: every party, ``joint``) and compartments of a record or result.

    Usage: ``Label(frozenset({"north"}), frozenset({"back-channel"}))``.
    """

    readers: frozenset[str] | None = None
    compartments: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_joint(self) -> bool:
        """Whether every party may read it, with no compartment."""
        return self.readers is None and not self.compartments

    def combine(self, other: Label) -> Label:
        """The label of something derived from both: readers intersect, compartments unite.

        Usage: ``JOINT_LABEL.combine(Label(frozenset({"north"})))`` is north's label.
        """
        if self.readers is None:
            readers = other.readers
        elif other.readers is None:
            readers = self.readers
        else:
            readers = self.readers & other.readers
        return Label(readers, self.compartments | other.compartments)

    def covers(self, other: Label) -> bool:
        """Whether everyone who may read ``other`` may also read this label.

        A link from a record labelled ``other`` to one labelled ``self`` is safe exactly then.
        Usage: ``JOINT_LABEL.covers(Label(frozenset({"north"})))`` is True.
        """
        if other.readers is not None and not other.readers:
            return True  # only the keeper reads the source, and the keeper reads everything
        if not self.compartments <= other.compartments:
            return False
        if self.readers is None:
            return True
        return other.readers is not None and other.readers <= self.readers

    def describe(self, names: dict[str, str] | None = None) -> str:
        """The label in words, e.g. ``joint`` or ``Northland, Secretariat · back-channel``.

        Usage: ``label.describe({pid: p.name for pid, p in plan.parties.items()})``.
        """
        names = names or {}
        who = (
            JOINT
            if self.readers is None
            else ", ".join(names.get(p, p) for p in sorted(self.readers))
            or "the keeper of the whole file only"
        )
        return " · ".join([who, *sorted(self.compartments)])

    def as_dict(self) -> dict[str, Any]:
        """The label as JSON-ready data: ``{"readers": "joint" | [...], "compartments": [...]}``.

        Usage: ``json.dumps(label.as_dict())``.
        """
        readers: str | list[str] = JOINT if self.readers is None else sorted(self.readers)
        return {"readers": readers, "compartments": sorted(self.compartments)}


JOINT_LABEL = Label()
"""The label of material every party may read."""

NOBODY = Label(frozenset())
"""The label of something no party may read (only the plan's keeper): a record whose label
cannot be read from its fields is treated so — deny by default."""


def combined(labels: Iterable[Label]) -> Label:
    """The combination of many labels (``joint`` for none).

    Usage: ``combined(label_of(r) for r in view.tasks.values())``.
    """
    out = JOINT_LABEL
    for label in labels:
        out = out.combine(label)
    return out


def derived_label(view: Plan, collections: Iterable[str] | None = None) -> Label:
    """The label of a result drawn from a view: the combination of its records' labels.

    ``collections`` limits it to the collections the result reads (all of them by default).
    Usage: ``derived_label(view, ("tasks", "risks"))``.
    """
    names = set(collections) if collections is not None else None
    return combined(
        label_of(record) for name, record in view.records() if names is None or name in names
    )


def label_of(record: Record) -> Label:
    """The label of a validated record.

    Usage: ``label_of(plan.notes["channel"])``.
    """
    return Label(record.readers, frozenset(record.compartments))


def raw_label(collection: str, body: object) -> Label:
    """The label of a record as written in a plan file, before the record is validated.

    Views are built from file data so that a mistake inside a record nobody else may read
    stops nobody else; a label that cannot be read is :data:`NOBODY` (deny by default).
    Usage: ``raw_label("tasks", {"name": "Survey", "visibility": "north"})``.
    """
    if not isinstance(body, dict):
        return NOBODY
    default: object = JOINT
    if collection in HELD:
        default = body.get("held_by", JOINT)
    visibility = body.get("visibility", default)
    compartments = body.get("compartments", [])
    if not isinstance(compartments, list | tuple) or not all(
        isinstance(c, str) for c in compartments
    ):
        return NOBODY
    if isinstance(visibility, str):
        readers = None if visibility == JOINT else frozenset({visibility})
    elif (
        isinstance(visibility, list | tuple)
        and visibility
        and all(isinstance(p, str) and p != JOINT for p in visibility)
    ):
        readers = frozenset(visibility)
    else:
        return NOBODY
    return Label(readers, frozenset(compartments))


def owning_party(collection: str, record: Record) -> str | None:
    """The party whose record it is; None for joint material nobody has claimed.

    The ``owned_by`` written in the file, else the holder of a position or preference, else the
    first reader of a private record. Usage: ``owning_party("positions", position)``.
    """
    if record.owned_by is not None:
        return record.owned_by
    if collection in HELD:
        holder: str = getattr(record, "held_by")  # noqa: B009 (held records have it)
        return holder
    if isinstance(record.visibility, tuple):
        return record.visibility[0]
    return None if record.visibility == JOINT else record.visibility


@dataclass(frozen=True)
class Labelled(Generic[T]):
    """A result together with the label of everything it was derived from.

    Nothing leaves a service without its label, so a renderer can say who may read it.
    Usage: ``Labelled(result, combined(label_of(r) for r in inputs))``.
    """

    value: T
    label: Label
