"""The read policy as a SQL predicate, and labels as the text columns it tests.

The store keeps a label in two text columns that both SQLite and PostgreSQL can test with
plain string functions: readers are ``joint`` or the party ids wrapped in commas
(``,russia,secretariat,``; ``,`` alone for no party), compartments are empty or wrapped likewise.
:func:`readable` builds, for one principal, the predicate that admits exactly the rows
:func:`~summitry.access.policy.can_read` admits; a property test checks the two agree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, true

from summitry.access.labels import Label
from summitry.access.policy import Principal
from summitry.domain.base import JOINT


def encode_readers(label: Label) -> str:
    """A label's readers as stored: ``joint`` or ``,a,b,``.

    Usage: ``encode_readers(Label(frozenset({"north"})))`` gives ``,north,``.
    """
    return JOINT if label.readers is None else _wrapped(label.readers) or ","


def encode_compartments(names: frozenset[str]) -> str:
    """Compartments (or clearances) as stored: empty, or ``,a,b,``.

    Usage: ``encode_compartments(frozenset({"back-channel"}))``.
    """
    return _wrapped(names)


def decode_set(text: str) -> frozenset[str]:
    """The names in a stored ``,a,b,`` list.

    Usage: ``decode_set(",a,b,")`` gives ``frozenset({"a", "b"})``.
    """
    return frozenset(part for part in text.split(",") if part)


def decode_label(readers: str, compartments: str) -> Label:
    """The label stored in a row's two columns.

    Usage: ``decode_label(row.readers, row.compartments)``.
    """
    who = None if readers == JOINT else decode_set(readers)
    return Label(who, decode_set(compartments))


def label_key(label: Label) -> str:
    """One string per label class: the audit chain's name and the view cache's key part.

    Usage: ``label_key(JOINT_LABEL)`` gives ``joint|``.
    """
    return f"{encode_readers(label)}|{encode_compartments(label.compartments)}"


def readable(principal: Principal, readers: Any, compartments: Any) -> ColumnElement[bool]:
    """The SQL form of ``can_read(principal, label)`` over a row's label columns.

    Usage: ``select(RecordRow).where(readable(p, RecordRow.readers, RecordRow.compartments))``.
    """
    if principal.is_keeper:
        return true()
    if principal.reader is None:
        return false()
    remaining = compartments
    for name in sorted(principal.clearances):
        remaining = func.replace(remaining, f",{name},", ",")
    cleared = remaining.in_(("", ","))
    if principal.party is None:
        return and_(readers == JOINT, cleared)
    # replace() is case-sensitive on both databases (SQLite's LIKE is not) and has no wildcards.
    named = func.replace(readers, f",{principal.party},", "") != readers
    return and_(or_(readers == JOINT, named), cleared)


def _wrapped(names: frozenset[str]) -> str:
    return f",{','.join(sorted(names))}," if names else ""
