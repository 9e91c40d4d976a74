"""Whole-plan consistency: references that point nowhere, cycles, and sums that do not add up.

Each check yields a :class:`~summitry.errors.Problem` with the key path of the offending value,
so that file loaders can point at the line.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from summitry.domain.base import JOINT, Record, echo
from summitry.domain.catalogue import ANY, COLLECTIONS, HELD, LINKS, SUMMIT, Link, Shape
from summitry.errors import KeyPath, Problem

if TYPE_CHECKING:
    from summitry.domain.plan import Plan
    from summitry.domain.schedule import ActionItem, Task

WEIGHT_TOTAL = 100.0
"""Issue weights of a position sum to this many points."""


def suggest(name: str, known: Iterable[str]) -> str:
    """A "did you mean" hint for a misspelt id, or an empty string.

    Usage: ``suggest("venue-survy", ["venue-survey"])`` gives `` (did you mean 'venue-survey'?)``.
    """
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _refs(
    path: KeyPath, ids: Iterable[str], known: Mapping[str, object], noun: str
) -> Iterator[Problem]:
    for index, ref in enumerate(ids):
        if ref not in known:
            yield Problem((*path, index), f"unknown {noun} '{ref}'{suggest(ref, known)}")


def _ref(
    path: KeyPath, ref: str | None, known: Mapping[str, object], noun: str
) -> Iterator[Problem]:
    if ref is not None and ref not in known:
        yield Problem(path, f"unknown {noun} '{ref}'{suggest(ref, known)}")


Present = Mapping[str, Collection[str]]
"""Ids, by collection, of records that exist in the input but failed their own validation."""


def plan_problems(plan: Plan, present: Present | None = None) -> list[Problem]:
    """Every consistency problem of a plan, in file order; empty when the plan is sound.

    ``present`` names records left out of ``plan`` because their fields are wrong: links to
    them are not reported as unknown (their own problems already are).
    Usage: ``for problem in plan_problems(plan): print(problem)``.
    """
    known = _Known(plan, present or {})
    problems: list[Problem] = []
    problems += _unique_ids(plan)
    if len(plan.parties) + len(known.present.get("parties", ())) < 2:
        problems.append(Problem(("parties",), "a summit plan needs at least two parties"))
    problems += _plain_references(plan, known)
    problems += _labels(plan, known)
    problems += _schedule(plan, known)
    problems += _agenda(plan, known)
    problems += _engagement(plan)
    problems += _risks(plan, known)
    problems += _venues(plan)
    problems += _descriptors(plan, known)
    return problems


class _Known:
    """The ids a link may name: the plan's records plus those present but invalid."""

    def __init__(self, plan: Plan, present: Present) -> None:
        self.plan = plan
        self.present = present

    def ids(self, targets: tuple[str, ...]) -> dict[str, object]:
        names = COLLECTIONS if targets == ANY else targets
        out: dict[str, object] = {}
        for name in names:
            out.update(getattr(self.plan, name))
            out.update(dict.fromkeys(self.present.get(name, ())))
        return out

    def invalid(self, collection: str, rid: str) -> bool:
        """Whether ``rid`` exists but failed validation, so its contents cannot be checked."""
        return rid in self.present.get(collection, ())


def _unique_ids(plan: Plan) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for collection in COLLECTIONS:
        records: Mapping[str, Record] = getattr(plan, collection)
        for key, record in records.items():
            if key != record.id:
                yield Problem(
                    (collection, key, "id"),
                    f"id '{record.id}' differs from the table key {echo(key)}; leave the id out",
                )
    for collection, record in plan.records():
        if record.id in seen and seen[record.id] != collection:
            yield Problem(
                (collection, record.id),
                f"id '{record.id}' is already used in {seen[record.id]}; ids are unique "
                "within a plan",
            )
        seen.setdefault(record.id, collection)


def _holders(plan: Plan, link: Link) -> Iterator[tuple[KeyPath, object]]:
    """Each record (or the summit) that ``link`` reads, with its key path."""
    if link.collection == SUMMIT:
        yield (SUMMIT,), plan.summit
        return
    records: Mapping[str, Record] = getattr(plan, link.collection)
    for rid, record in records.items():
        yield (link.collection, rid), record


def _plain_references(plan: Plan, known: _Known) -> Iterator[Problem]:
    for link in LINKS:
        if link.targets == ("statuses",):
            continue  # statuses have built-in entries too: see _status_ref
        if link.shape not in (Shape.ONE, Shape.MANY, Shape.KEYS):
            continue
        ids = known.ids(link.targets)
        for base, holder in _holders(plan, link):
            value = getattr(holder, link.field)
            path: KeyPath = (*base, link.field)
            if link.shape is Shape.ONE:
                yield from _ref(path, value, ids, link.noun)
            elif link.shape is Shape.MANY:
                yield from _refs(path, value, ids, link.noun)
            elif ids or link.field != "scores":  # scores wait until criteria are named
                for key in value:
                    yield from _ref((*path, key), key, ids, link.noun)


def _labels(plan: Plan, known: _Known) -> Iterator[Problem]:
    parties = known.ids(("parties",))
    for collection, record in plan.records():
        base: KeyPath = (collection, record.id)
        readers = record.readers
        if isinstance(record.visibility, tuple):
            for index, party in enumerate(record.visibility):
                yield from _ref((*base, "visibility", index), party, parties, "party")
        elif readers is not None:
            (party,) = readers
            if party not in parties:
                yield Problem(
                    (*base, "visibility"),
                    f"visibility must be 'joint', a party id or a list of party ids, not "
                    f"'{party}'{suggest(party, [JOINT, *parties])}",
                )
        holder = getattr(record, "held_by", None) if collection in HELD else None
        if readers is not None and holder in parties and holder not in readers:
            yield Problem(
                (*base, "visibility"),
                f"'{holder}' holds this {COLLECTIONS[collection]} but is not among its readers",
            )
        if record.owned_by is not None:
            yield from _ref((*base, "owned_by"), record.owned_by, parties, "party")
            if (
                readers is not None
                and record.owned_by in parties
                and record.owned_by not in readers
            ):
                yield Problem(
                    (*base, "owned_by"),
                    f"the owning party '{record.owned_by}' is not among the record's readers",
                )


def _status_ref(plan: Plan, path: KeyPath, status: str, known: _Known) -> Iterator[Problem]:
    vocabulary = plan.status_vocabulary
    if status in vocabulary or known.invalid("statuses", status):
        return
    # "done" is an alias of "complete": name the id to write instead.
    spoken = status.replace("-", " ")
    for entry in vocabulary.values():
        if spoken in (alias.lower() for alias in (entry.label, *entry.aliases)):
            yield Problem(path, f"unknown status '{status}' (did you mean '{entry.id}'?)")
            return
    yield from _ref(path, status, vocabulary, "status")


def _schedule(plan: Plan, known: _Known) -> Iterator[Problem]:
    work = known.ids(("tasks", "actions"))
    for wid, stream in plan.workstreams.items():
        yield from _status_ref(plan, ("workstreams", wid, "status"), stream.status, known)
    collections: tuple[tuple[str, Mapping[str, Task | ActionItem]], ...] = (
        ("tasks", plan.tasks),
        ("actions", plan.actions),
    )
    for collection, items in collections:
        for tid, item in items.items():
            base: KeyPath = (collection, tid)
            yield from _status_ref(plan, (*base, "status"), item.status, known)
            seen: set[str] = set()
            for index, dep in enumerate(item.depends_on):
                where = (*base, "depends_on", index)
                if dep.task == tid:
                    yield Problem(where, f"'{tid}' cannot depend on itself")
                elif dep.task in seen:
                    yield Problem(where, f"'{tid}' depends on '{dep.task}' more than once")
                else:
                    yield from _ref(where, dep.task, work, "task")
                seen.add(dep.task)
            if item.blocked and not item.blocked_reason:
                yield Problem((*base, "blocked"), "a blocked item needs a blocked_reason")
    yield from _cycles(plan)


def _cycles(plan: Plan) -> Iterator[Problem]:
    work = plan.work_items()
    graph = {
        wid: [dep.task for dep in item.depends_on if dep.task in work and dep.task != wid]
        for wid, item in work.items()
    }
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    reported: set[frozenset[str]] = set()
    for root in graph:
        if state.get(root):
            continue
        # Iterative depth-first search: plans may hold long chains.
        path: list[str] = [root]
        stack: list[Iterator[str]] = [iter(graph[root])]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                cycle = path[path.index(nxt) :]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    loop = " → ".join([*cycle, nxt])
                    collection = "tasks" if cycle[0] in plan.tasks else "actions"
                    yield Problem((collection, cycle[0], "depends_on"), f"dependency cycle: {loop}")
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(graph[nxt]))


def _agenda(plan: Plan, known: _Known) -> Iterator[Problem]:
    issues = known.ids(("issues",))
    for pid, position in plan.positions.items():
        base: KeyPath = ("positions", pid)
        for iid, scored in position.issues.items():
            issue = plan.issues.get(iid)
            if issue is None:
                yield from _ref((*base, "issues", iid), iid, issues, "agenda issue")
                continue
            for option in scored.scores:
                yield from _ref(
                    (*base, "issues", iid, "scores", option),
                    option,
                    issue.options,
                    f"option of '{iid}'",
                )
        for index, link in enumerate(position.linked):
            where: KeyPath = (*base, "linked", index)
            if link.issue == link.with_issue:
                yield Problem(where, "a linked term joins two different issues")
            for issue_id, option in (
                (link.issue, link.option),
                (link.with_issue, link.with_option),
            ):
                issue = plan.issues.get(issue_id)
                if issue is None:
                    yield from _ref(where, issue_id, issues, "agenda issue")
                else:
                    yield from _ref(where, option, issue.options, f"option of '{issue_id}'")
        if position.issues:
            total = sum(scored.weight for scored in position.issues.values())
            if not math.isclose(total, WEIGHT_TOTAL, rel_tol=1e-9, abs_tol=1e-6):
                yield Problem(
                    (*base, "issues"),
                    f"issue weights sum to {total:g}; they must sum to {WEIGHT_TOTAL:g}",
                )


def _engagement(plan: Plan) -> Iterator[Problem]:
    for did, decision in plan.decisions.items():
        if decision.decided_on is not None and decision.status != "decided":
            yield Problem(
                ("decisions", did, "decided_on"),
                f"decided_on is set but the status is '{decision.status}'",
            )


def _risks(plan: Plan, present: _Known) -> Iterator[Problem]:
    known = {f"{d}.{v}" for d, descriptor in plan.descriptors.items() for v in descriptor.variants}
    for rid, risk in plan.risks.items():
        if risk.tasks and risk.delay is None:
            yield Problem(("risks", rid, "delay"), "a risk that names tasks needs a delay estimate")
        for index, name in enumerate(risk.scenario_variants):
            if name not in known and not present.invalid("descriptors", name.split(".")[0]):
                yield Problem(
                    ("risks", rid, "scenario_variants", index),
                    f"unknown scenario variant {echo(name)} (write 'descriptor.variant')"
                    f"{suggest(name, known)}",
                )


def _venues(plan: Plan) -> Iterator[Problem]:
    weighed: dict[tuple[str, str], str] = {}
    for pid, preference in plan.venue_preferences.items():
        for criterion in preference.weights:
            key = (preference.held_by, criterion)
            if key in weighed:
                yield Problem(
                    ("venue_preferences", pid, "weights", criterion),
                    f"'{preference.held_by}' already weighs '{criterion}' in venue preference "
                    f"'{weighed[key]}'; weigh each criterion once",
                )
            weighed.setdefault(key, pid)


def _descriptors(plan: Plan, known: _Known) -> Iterator[Problem]:
    for did, descriptor in plan.descriptors.items():
        base: KeyPath = ("descriptors", did)
        if len(descriptor.variants) < 2:
            yield Problem((*base, "variants"), "a descriptor needs at least two variants")
        for variant, targets in descriptor.impacts.items():
            where: KeyPath = (*base, "impacts", variant)
            yield from _ref(where, variant, descriptor.variants, f"variant of '{did}'")
            for target, cells in targets.items():
                if target == did:
                    yield Problem((*where, target), "a descriptor has no impact on itself")
                    continue
                other = plan.descriptors.get(target)
                if other is None:
                    descriptors = known.ids(("descriptors",))
                    yield from _ref((*where, target), target, descriptors, "descriptor")
                    continue
                for cell in cells:
                    yield from _ref(
                        (*where, target, cell), cell, other.variants, f"variant of '{target}'"
                    )
    settings = plan.forecast
    if settings.amber > settings.green:
        yield Problem(("forecast", "amber"), "amber must not be above green")
