"""Whole-plan consistency: references that point nowhere, cycles, and sums that do not add up.

Each check yields a :class:`~summitry.errors.Problem` with the key path of the offending value,
so that file loaders can point at the line.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from summitry.domain.base import JOINT, Record
from summitry.domain.plan import COLLECTIONS
from summitry.domain.references import ANY, REFERENCES
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


def plan_problems(plan: Plan) -> list[Problem]:
    """Every consistency problem of a plan, in file order; empty when the plan is sound.

    Usage: ``for problem in plan_problems(plan): print(problem)``.
    """
    problems: list[Problem] = []
    problems += _unique_ids(plan)
    problems += _summit_refs(plan)
    problems += _plain_references(plan)
    problems += _visibility(plan)
    problems += _schedule(plan)
    problems += _agenda(plan)
    problems += _engagement(plan)
    problems += _risks(plan)
    problems += _venues(plan)
    problems += _descriptors(plan)
    return problems


def _unique_ids(plan: Plan) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for collection in COLLECTIONS:
        records: Mapping[str, Record] = getattr(plan, collection)
        for key, record in records.items():
            if key != record.id:
                yield Problem(
                    (collection, key, "id"),
                    f"id '{record.id}' differs from the table key '{key}'; leave the id out",
                )
    for collection, record in plan.records():
        if record.id in seen and seen[record.id] != collection:
            yield Problem(
                (collection, record.id),
                f"id '{record.id}' is already used in {seen[record.id]}; ids are unique "
                "within a plan",
            )
        seen.setdefault(record.id, collection)


def _summit_refs(plan: Plan) -> Iterator[Problem]:
    if len(plan.parties) < 2:
        yield Problem(("parties",), "a summit plan needs at least two parties")
    yield from _ref(("summit", "host"), plan.summit.host, plan.parties, "party")
    yield from _ref(("summit", "mediator"), plan.summit.mediator, plan.parties, "party")


def _plain_references(plan: Plan) -> Iterator[Problem]:
    every_id = {record.id: record for _, record in plan.records()}
    for ref in REFERENCES:
        known: Mapping[str, object] = (
            every_id
            if ref.targets == ANY
            else {rid: r for name in ref.targets for rid, r in getattr(plan, name).items()}
        )
        records: Mapping[str, Record] = getattr(plan, ref.collection)
        for rid, record in records.items():
            value = getattr(record, ref.field)
            path: KeyPath = (ref.collection, rid, ref.field)
            if ref.many:
                yield from _refs(path, value, known, ref.noun)
            else:
                yield from _ref(path, value, known, ref.noun)


def _visibility(plan: Plan) -> Iterator[Problem]:
    for collection, record in plan.records():
        if record.visibility != JOINT and record.visibility not in plan.parties:
            yield Problem(
                (collection, record.id, "visibility"),
                f"visibility must be 'joint' or a party id, not '{record.visibility}'"
                f"{suggest(record.visibility, [JOINT, *plan.parties])}",
            )


def _status_ref(plan: Plan, path: KeyPath, status: str) -> Iterator[Problem]:
    vocabulary = plan.status_vocabulary
    if status in vocabulary:
        return
    # "done" is an alias of "complete": name the id to write instead.
    spoken = status.replace("-", " ")
    for entry in vocabulary.values():
        if spoken in (alias.lower() for alias in (entry.label, *entry.aliases)):
            yield Problem(path, f"unknown status '{status}' (did you mean '{entry.id}'?)")
            return
    yield from _ref(path, status, vocabulary, "status")


def _schedule(plan: Plan) -> Iterator[Problem]:
    work = plan.work_items()
    for wid, stream in plan.workstreams.items():
        yield from _status_ref(plan, ("workstreams", wid, "status"), stream.status)
    collections: tuple[tuple[str, Mapping[str, Task | ActionItem]], ...] = (
        ("tasks", plan.tasks),
        ("actions", plan.actions),
    )
    for collection, items in collections:
        for tid, item in items.items():
            base: KeyPath = (collection, tid)
            yield from _status_ref(plan, (*base, "status"), item.status)
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


def _agenda(plan: Plan) -> Iterator[Problem]:
    for pid, position in plan.positions.items():
        base: KeyPath = ("positions", pid)
        for iid, scored in position.issues.items():
            issue = plan.issues.get(iid)
            if issue is None:
                yield Problem(
                    (*base, "issues", iid),
                    f"unknown agenda issue '{iid}'{suggest(iid, plan.issues)}",
                )
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
                    yield from _ref(where, issue_id, plan.issues, "agenda issue")
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
    for sid, stakeholder in plan.stakeholders.items():
        for iid in stakeholder.stances:
            yield from _ref(("stakeholders", sid, "stances", iid), iid, plan.issues, "agenda issue")


def _risks(plan: Plan) -> Iterator[Problem]:
    known = {f"{d}.{v}" for d, descriptor in plan.descriptors.items() for v in descriptor.variants}
    for rid, risk in plan.risks.items():
        if risk.tasks and risk.delay is None:
            yield Problem(("risks", rid, "delay"), "a risk that names tasks needs a delay estimate")
        for index, name in enumerate(risk.scenario_variants):
            if name not in known:
                yield Problem(
                    ("risks", rid, "scenario_variants", index),
                    f"unknown scenario variant '{name}' (write 'descriptor.variant')"
                    f"{suggest(name, known)}",
                )


def _venues(plan: Plan) -> Iterator[Problem]:
    criteria = plan.venue_criteria
    for cid, criterion in criteria.items():
        for party in criterion.weights:
            yield from _ref(("venue_criteria", cid, "weights", party), party, plan.parties, "party")
    if not criteria:
        return
    for vid, venue in plan.venues.items():
        for name in venue.scores:
            yield from _ref(("venues", vid, "scores", name), name, criteria, "venue criterion")


def _descriptors(plan: Plan) -> Iterator[Problem]:
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
                    yield from _ref((*where, target), target, plan.descriptors, "descriptor")
                    continue
                for cell in cells:
                    yield from _ref(
                        (*where, target, cell), cell, other.variants, f"variant of '{target}'"
                    )
    settings = plan.forecast
    if settings.amber > settings.green:
        yield Problem(("forecast", "amber"), "amber must not be above green")
