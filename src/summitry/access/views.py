"""The one door for every read: the plan as one principal may see it, built before it is checked.

A view is made from the plan file's data, not from a validated plan: records the principal may
not read are removed first, links to them are dropped, records that cannot stand without them
go too, and only then is what is left validated. So a mistake inside a record the reader may
not see is never reported to them, and every message, suggestion, count and hash they get is
drawn from their view alone. The keeper (``all``) sees the whole file and is warned of links
that narrow (a joint record naming a record only some of its readers may read).
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from summitry.access.labels import Label, raw_label
from summitry.access.policy import JOINT_READER, Principal, can_read
from summitry.domain.base import JOINT
from summitry.domain.catalogue import ANY, COLLECTIONS, LINKS, SUMMIT, Link, Shape, links_of
from summitry.domain.checks import suggest
from summitry.domain.plan import Plan
from summitry.domain.summit import DEFAULT_STATUSES
from summitry.errors import InputError, KeyPath, Problem
from summitry.io import planfile
from summitry.io.textfile import read_text

_BUILT_IN_STATUSES = frozenset(status.id for status in DEFAULT_STATUSES)


def load_view(path: Path, principal: Principal) -> Plan:
    """Read a plan file as ``principal`` may see it, checking only what they may see.

    Usage: ``view = load_view(Path("summit.toml"), Principal.of("russia"))``.
    """
    return loads_view(read_text(path), str(path), principal)


def loads_view(text: str, source: str, principal: Principal) -> Plan:
    """The view of plan-file text; ``source`` names the file in errors.

    Usage: ``loads_view(text, "summit.toml", JOINT_READER)``.
    """
    data = planfile.read_data(text, source)
    return planfile.from_data(view_data(data, principal), text, source)


def view_of(plan: Plan, principal: Principal) -> Plan:
    """The view of an already validated plan (the same door as for files).

    Usage: ``view_of(plan, Principal.of("north", ["back-channel"]))``.
    """
    if principal.is_keeper:
        return plan
    return planfile.from_data(view_data(planfile.to_data(plan), principal))


def view_version(view: Plan) -> str:
    """A short hash of a view's content: it changes only when what the reader sees changes.

    Usage: ``view_version(view)`` gives twelve hex digits.
    """
    return hashlib.sha256(planfile.dumps(view).encode()).hexdigest()[:12]


def check_reader(data: dict[str, Any], principal: Principal) -> None:
    """Refuse a party principal that is not a party every party may know of.

    An unknown party and one whose record is not joint get the same message, with
    suggestions drawn from the joint parties only.
    Usage: ``check_reader(planfile.read_data(text), Principal.of("russia"))``.
    """
    party = principal.party
    if principal.reader is None or party is None:
        return
    parties = data.get("parties")
    known = [
        pid
        for pid, body in (parties.items() if isinstance(parties, dict) else ())
        if can_read(JOINT_READER, raw_label("parties", body))
    ]
    if party not in known:
        hint = suggest(party, ["all", JOINT, *known])
        raise InputError(
            f"unknown reader '{party}': give 'all', 'joint' or one of the plan's parties{hint}"
        )


def view_data(data: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """Plan data with everything ``principal`` may not read removed, links included.

    Usage: ``view_data(planfile.read_data(text), Principal.of("north"))``.
    """
    check_reader(data, principal)
    if principal.is_keeper:
        return data
    out = copy.deepcopy(data)
    tables = {name: _table(out, name) for name in COLLECTIONS}
    hidden = {
        name: {rid for rid, body in table.items() if not can_read(principal, raw_label(name, body))}
        for name, table in tables.items()
    }
    is_hidden = _hidden_test(tables, hidden)
    while orphans := list(_orphans(tables, hidden, is_hidden)):
        for name, rid in orphans:
            hidden[name].add(rid)
    for name, table in tables.items():
        for rid in hidden[name]:
            del table[rid]
    for link in (*LINKS, *_record_links()):
        for body in _bodies(out, tables, link.collection):
            _drop(link, body, is_hidden)
    return out


def narrowing_links(data: dict[str, Any]) -> list[Problem]:
    """Warnings for the keeper: links some readers of a record cannot follow.

    A joint task depending on one delegation's private task loads, for everyone else, without
    that dependency; their forecasts then leave that work out (as they must, or their dates
    would reveal it). Usage: ``for w in narrowing_links(planfile.read_data(text)): print(w)``.
    """
    tables = {name: _table(data, name) for name in COLLECTIONS}
    labels = {
        name: {rid: raw_label(name, body) for rid, body in table.items()}
        for name, table in tables.items()
    }
    warnings: list[Problem] = []
    for link in (*LINKS, *_record_links()):
        names = COLLECTIONS if link.targets == ANY else link.targets
        for rid, body in _keyed_bodies(data, tables, link.collection):
            source = Label() if link.collection == SUMMIT else labels[link.collection][rid]
            for sub, target in named_ids(link, body.get(link.field)):
                found = [labels[n][target] for n in names if target in labels[n]]
                if not found or (link.targets == ("statuses",) and target in _BUILT_IN_STATUSES):
                    continue
                if not found[0].covers(source):
                    what = "leave the record out" if link.required else "leave the link out"
                    where = (SUMMIT,) if link.collection == SUMMIT else (link.collection, rid)
                    warnings.append(
                        Problem(
                            (*where, link.field, *sub),
                            f"{link.noun} '{target}' may be read by {found[0].describe()}, "
                            f"'{rid}' by {source.describe()}: the other readers' views "
                            f"{what}",
                        )
                    )
    return warnings


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    table = data.get(name)
    return table if isinstance(table, dict) else {}


def _record_links() -> Iterator[Link]:
    for name in COLLECTIONS:
        yield from (link for link in links_of(name) if link.field in ("visibility", "owned_by"))


def _bodies(
    out: dict[str, Any], tables: dict[str, Any], collection: str
) -> Iterator[dict[str, Any]]:
    for _, body in _keyed_bodies(out, tables, collection):
        yield body


def _keyed_bodies(
    data: dict[str, Any], tables: dict[str, Any], collection: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    if collection == SUMMIT:
        summit = data.get(SUMMIT)
        if isinstance(summit, dict):
            yield SUMMIT, summit
        return
    for rid, body in tables[collection].items():
        if isinstance(body, dict):
            yield rid, body


HiddenTest = Callable[[str, tuple[str, ...]], bool]


def _hidden_test(tables: dict[str, Any], hidden: dict[str, set[str]]) -> HiddenTest:
    """Whether an id names only records the reader may not see, among the given collections."""

    def test(rid: str, targets: tuple[str, ...]) -> bool:
        names = COLLECTIONS if targets == ANY else targets
        if targets == ("statuses",) and rid in _BUILT_IN_STATUSES:
            return False  # a built-in status stays whatever the plan's own entries are
        somewhere = any(rid in hidden[name] for name in names)
        return somewhere and not any(
            rid in tables[name] and rid not in hidden[name] for name in names
        )

    return test


def _orphans(
    tables: dict[str, Any], hidden: dict[str, set[str]], is_hidden: HiddenTest
) -> Iterator[tuple[str, str]]:
    """Visible records that cannot stand without a record the reader may not see."""
    for link in LINKS:
        if not link.required:
            continue
        for rid, body in tables[link.collection].items():
            if rid in hidden[link.collection] or not isinstance(body, dict):
                continue
            named = named_ids(link, body.get(link.field))
            if any(is_hidden(target, link.targets) for _, target in named):
                yield link.collection, rid


def named_ids(link: Link, value: Any) -> Iterator[tuple[KeyPath, str]]:
    """Each id a link's field names, with its key path below the field.

    Usage: ``[rid for _, rid in named_ids(link, body.get(link.field))]``.
    """
    shape = link.shape
    if shape in (Shape.ONE, Shape.READERS) and isinstance(value, str):
        if shape is Shape.ONE or value != JOINT:
            yield (), value
    elif shape in (Shape.MANY, Shape.READERS) and isinstance(value, list | tuple):
        yield from (((i,), item) for i, item in enumerate(value) if isinstance(item, str))
    elif shape is Shape.KEYS and isinstance(value, dict):
        yield from (((key,), key) for key in value)
    elif shape is Shape.DEPENDENCIES and isinstance(value, list | tuple):
        for index, item in enumerate(value):
            task = item.get("task") if isinstance(item, dict) else item
            if isinstance(task, str):
                yield (index,), task
    elif shape is Shape.LINKED_TERMS and isinstance(value, list | tuple):
        for index, term in enumerate(value):
            for key in ("issue", "with_issue"):
                if isinstance(term, dict) and isinstance(term.get(key), str):
                    yield (index, key), term[key]
    elif shape is Shape.VARIANTS and isinstance(value, list | tuple):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield (index,), item.split(".")[0]
    elif shape is Shape.IMPACT_TARGETS and isinstance(value, dict):
        for variant, targets in value.items():
            if isinstance(targets, dict):
                yield from (((variant, key), key) for key in targets)


def _drop(link: Link, body: dict[str, Any], is_hidden: HiddenTest) -> None:
    """Remove from ``body`` the ids of ``link`` that name records the reader may not see."""
    value = body.get(link.field)
    if value is None:
        return
    gone = {sub for sub, target in named_ids(link, value) if is_hidden(target, link.targets)}
    if not gone:
        return
    if link.shape is Shape.READERS and isinstance(value, str):
        return  # never widen: a reader of a one-party record is that party
    if link.shape is Shape.ONE and isinstance(value, str):
        del body[link.field]
    elif link.shape is Shape.KEYS:
        body[link.field] = {k: v for k, v in value.items() if (k,) not in gone}
    elif link.shape is Shape.IMPACT_TARGETS:
        body[link.field] = {
            variant: {k: v for k, v in targets.items() if (variant, k) not in gone}
            if isinstance(targets, dict)
            else targets
            for variant, targets in value.items()
        }
    else:
        body[link.field] = [item for i, item in enumerate(value) if (i,) not in gone]


def rename_ids(link: Link, value: Any, rename: Callable[[str], str | None]) -> Any:
    """``value`` of ``link``'s field with every id it names replaced by ``rename(id)``.

    An id renamed to None is left out (with its key, list item or linked term); a single id
    renamed to None gives None. The store uses this to turn slugs into record ids and back.
    Usage: ``rename_ids(link, body["depends_on"], {"survey": "3f2c…"}.get)``.
    """
    shape = link.shape
    if shape is Shape.ONE:
        return rename(value) if isinstance(value, str) else value
    if shape is Shape.MANY and isinstance(value, list | tuple):
        return [r for r in (rename(v) if isinstance(v, str) else v for v in value) if r is not None]
    if shape is Shape.KEYS and isinstance(value, dict):
        return _renamed_keys(value, rename)
    if shape is Shape.DEPENDENCIES and isinstance(value, list | tuple):
        out: list[Any] = []
        for item in value:
            task = item.get("task") if isinstance(item, dict) else item
            new = rename(task) if isinstance(task, str) else task
            if new is not None:
                out.append({**item, "task": new} if isinstance(item, dict) else new)
        return out
    if shape is Shape.LINKED_TERMS and isinstance(value, list | tuple):
        terms: list[Any] = []
        for term in value:
            if not isinstance(term, dict):
                terms.append(term)
                continue
            new_term = dict(term)
            for key in ("issue", "with_issue"):
                if isinstance(term.get(key), str):
                    new_term[key] = rename(term[key])
            if all(new_term.get(key) is not None for key in ("issue", "with_issue") if key in term):
                terms.append(new_term)
        return terms
    if shape is Shape.VARIANTS and isinstance(value, list | tuple):
        refs: list[Any] = []
        for item in value:
            if not isinstance(item, str):
                refs.append(item)
                continue
            head, dot, rest = item.partition(".")
            new = rename(head)
            if new is not None:
                refs.append(new + dot + rest)
        return refs
    if shape is Shape.IMPACT_TARGETS and isinstance(value, dict):
        return {
            variant: _renamed_keys(targets, rename) if isinstance(targets, dict) else targets
            for variant, targets in value.items()
        }
    return value


def _renamed_keys(table: dict[str, Any], rename: Callable[[str], str | None]) -> dict[str, Any]:
    pairs = ((rename(key), item) for key, item in table.items())
    return {key: item for key, item in pairs if key is not None}
