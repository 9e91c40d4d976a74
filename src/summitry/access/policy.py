"""Principals and the one read policy: who reads, and whether a label lets them.

A principal is the plan's keeper (``all``: the whole file, compartments included), the
``joint`` reader (what every party may read), or one party with its clearances. The policy
denies by default: a principal of no party reads nothing, a compartment needs an explicit
clearance, and a party reads a record only when the record's readers are ``joint`` or name it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from summitry.access.labels import Label
from summitry.domain.base import JOINT

ALL = "all"
"""The keeper of the whole plan file: reads everything."""


@dataclass(frozen=True)
class Principal:
    """Who reads: ``all``, ``joint``, a party id, or None (nobody: reads nothing).

    ``clearances`` are the compartments the reader is cleared for.
    Usage: ``Principal("united-states", frozenset({"back-channel"}))``.
    """

    reader: str | None
    clearances: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, reader: str | None, clearances: Iterable[str] = ()) -> Principal:
        """A principal from a reader name and compartment names.

        Usage: ``Principal.of("russia", ["back-channel"])``.
        """
        return cls(reader, frozenset(clearances))

    @property
    def is_keeper(self) -> bool:
        """Whether this is the keeper of the whole file (``all``)."""
        return self.reader == ALL

    @property
    def party(self) -> str | None:
        """The party id of a party principal; None for ``all``, ``joint`` and nobody."""
        return None if self.reader in (ALL, JOINT) else self.reader

    @property
    def name(self) -> str:
        """``all``, ``joint`` or the party id; ``nobody`` for a principal of no party."""
        return self.reader or "nobody"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"as": "russia", "clearances": ["back-channel"]}``.

        Usage: ``json.dumps(principal.as_dict())``.
        """
        return {"as": self.name, "clearances": sorted(self.clearances)}


KEEPER = Principal(ALL)
JOINT_READER = Principal(JOINT)


def can_read(principal: Principal, label: Label) -> bool:
    """Whether ``principal`` may read something labelled ``label``. Denies by default.

    Usage: ``can_read(Principal.of("north"), label_of(plan.notes["channel"]))``.
    """
    if principal.reader == ALL:
        return True
    if principal.reader is None:
        return False
    if not label.compartments <= principal.clearances:
        return False
    if label.readers is None:
        return True
    return principal.reader != JOINT and principal.reader in label.readers


WriteAction = Literal["create", "edit", "delete"]
"""What a write does to a record: make it, change its body, or delete it."""


def can_write(
    principal: Principal, label: Label, owner: str | None, *, action: WriteAction
) -> bool:
    """Whether ``principal`` may ``action`` a record labelled ``label`` and owned by ``owner``.

    The keeper writes anything; ``joint`` and nobody write nothing. A party writes only under a
    label it may read itself, and then: what its own party owns, and joint material nobody owns
    (any party's editors look after it). A joint record owned by another party it may edit but
    not delete or create in that party's name: the owner decides whether it exists. Anything
    else of another party — a private record, one released to some parties (a position the
    owner released to the mediator) — stays the owner's alone, even for a party that may read
    it. Roles (an editor writes; viewers and admins do not) are the server's check, not this.
    Usage: ``can_write(Principal.of("russia"), JOINT_LABEL, "united-states", action="edit")``.
    """
    if principal.is_keeper:
        return True
    party = principal.party
    if party is None or not can_read(principal, label):
        return False
    if owner is None or owner == party:
        return True
    return action == "edit" and label.readers is None


def is_released(label: Label, owner: str | None) -> bool:
    """Whether a record's readers are a list that names a party other than its owner.

    Such a record (a position released to the mediator) is what an owner may withdraw.
    Usage: ``is_released(Label(frozenset({"russia", "secretariat"})), "russia")`` is True.
    """
    return label.readers is not None and bool(label.readers - {owner})


def widens(old: Label, new: Label) -> bool:
    """Whether ``new`` lets strictly more readers in than ``old`` and keeps every one of them.

    Adding a reader or removing a compartment widens; a change that drops any reader of
    ``old`` (a joint record given a list of readers, a compartment added) narrows instead.
    Usage: ``widens(Label(frozenset({"russia"})), Label(frozenset({"russia", "secretariat"})))``.
    """
    return new != old and new.covers(old)
