"""Scenario planning by cross-impact balance (CIB) analysis.

A CIB model has descriptors (``ceasefire``, ``sanctions``, ...), each with 2-6 mutually
exclusive variants, and a cross-impact matrix of integers -3..+3. The cell in the row of variant
*k* of descriptor *i* and the column of variant *l* of descriptor *j* says how strongly "*i* is
in *k*" promotes (positive) or hinders (negative) "*j* is in *l*". Cells where *i* = *j* (the
diagonal blocks) must be zero: a descriptor does not judge itself.

For a scenario (one variant per descriptor) the **impact balance** of a variant is the sum of
the impacts it receives from the variants the scenario has chosen. A descriptor is consistent
when its chosen variant has the highest balance among its variants (ties allowed); its
**inconsistency** is the best balance minus the chosen one. A scenario's inconsistency is the
largest inconsistency over its descriptors (Weimer-Jehle's definition), so 0 means consistent
and *k* means "nearly consistent at level k". The **total impact score** is the sum of the
chosen variants' balances; it ranks scenarios by how strongly they hold together.

The exact search never scores every combination: it assigns descriptors depth-first and drops
a branch as soon as a lower bound proves some descriptor must end more than *k* away from its
best variant (see `_bound_tables`). The search is compiled with numba and runs the top-level
branches on worker threads. Succession analysis (global and adiabatic) follows the CIB update
rule from every start (small spaces) or from random starts with the coverage stated.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Literal, SupportsFloat, TypeVar, cast

import numba
import numpy as np
import numpy.typing as npt

from summitry.errors import InputError

MIN_IMPACT = -3
"""The strongest hindering impact an expert can enter."""

MAX_IMPACT = 3
"""The strongest promoting impact an expert can enter."""

MIN_VARIANTS = 2
"""A descriptor needs at least two variants to be a question at all."""

MAX_VARIANTS = 6
"""More variants than this make a descriptor hard for experts to judge; CIB practice stops here."""

RESULT_LIMIT = 100_000
"""Most scenarios one search returns before it asks for a tighter question."""

NODE_BUDGET = 300_000_000
"""Search nodes `find_scenarios` spends on the exact search before it falls back to sampling.

About 15 s on two cores (dense 22 x 3 matrices take 20-30 million nodes).
"""

EXHAUSTIVE_STARTS = 200_000
"""Largest space in which succession analysis starts from every scenario."""

RANDOM_STARTS = 20_000
"""Random starts for succession analysis (and sampling) in spaces larger than that."""

MAX_STEPS = 1_000
"""Succession steps after which a run that has not repeated a state counts as unsettled."""

SuccessionMode = Literal["global", "adiabatic"]
IntArray = npt.NDArray[np.int64]
SmallArray = npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]

_F = TypeVar("_F", bound=Callable[..., Any])


def _compiled(func: _F) -> _F:
    # nogil lets the top-level branches run on threads; cache keeps start-up short after the
    # first run on a machine.
    return cast(_F, numba.njit(cache=True, nogil=True)(func))


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Descriptor:
    """One uncertain factor of the future and its mutually exclusive variants."""

    name: str
    variants: tuple[str, ...]


@dataclass(frozen=True)
class CrossImpactModel:
    """Descriptors and their cross-impact matrix, validated on construction.

    ``impacts[r][c]`` is the impact of the row variant on the column variant; rows and columns
    list the variants descriptor by descriptor in the order of ``descriptors``.
    """

    descriptors: tuple[Descriptor, ...]
    impacts: tuple[tuple[int, ...], ...]
    source: str = field(default="cross-impact matrix", compare=False)

    def __post_init__(self) -> None:
        """Refuse a model the analyses cannot use, naming the place in one line."""
        _validate(self)

    @classmethod
    def build(
        cls,
        descriptors: Mapping[str, Sequence[str]] | Sequence[tuple[str, Sequence[str]]],
        impacts: Sequence[Sequence[int]] | npt.NDArray[np.integer[Any]],
        *,
        source: str = "cross-impact matrix",
    ) -> CrossImpactModel:
        """Make a model from descriptor names with their variants and a square matrix.

        Usage: ``CrossImpactModel.build({"ceasefire": ["holds", "fails"], ...}, matrix)``.
        """
        pairs = descriptors.items() if isinstance(descriptors, Mapping) else descriptors
        built = tuple(Descriptor(str(name), tuple(str(v) for v in vs)) for name, vs in pairs)
        rows = tuple(tuple(_whole(x, source) for x in row) for row in impacts)
        return cls(built, rows, source)

    @property
    def variant_count(self) -> int:
        """Rows (and columns) of the matrix: the variants of all descriptors together."""
        return sum(len(d.variants) for d in self.descriptors)

    @property
    def space_size(self) -> int:
        """How many scenarios there are: the product of the variant counts."""
        size = 1
        for descriptor in self.descriptors:
            size *= len(descriptor.variants)
        return size

    @property
    def labels(self) -> tuple[tuple[str, str], ...]:
        """(descriptor, variant) of every row and column, in matrix order."""
        return tuple((d.name, v) for d in self.descriptors for v in d.variants)

    @cached_property
    def array(self) -> IntArray:
        """The matrix as a read-only integer array (the form the kernels take)."""
        matrix = np.array(self.impacts, dtype=np.int64).reshape(
            self.variant_count, self.variant_count
        )
        matrix.setflags(write=False)
        return matrix

    def descriptor_index(self, name: str) -> int:
        """Position of a descriptor, or an `InputError` naming the known ones.

        Usage: ``model.descriptor_index("sanctions")``.
        """
        for position, descriptor in enumerate(self.descriptors):
            if descriptor.name == name:
                return position
        known = ", ".join(d.name for d in self.descriptors)
        raise InputError(f"{self.source}: no descriptor '{name}' (descriptors: {known})")

    def variant_index(self, descriptor: str, variant: str) -> int:
        """Position of a variant within its descriptor, or an `InputError` naming the known ones.

        Usage: ``model.variant_index("sanctions", "relieved")``.
        """
        variants = self.descriptors[self.descriptor_index(descriptor)].variants
        if variant not in variants:
            raise InputError(
                f"{self.source}: descriptor '{descriptor}' has no variant '{variant}' "
                f"(variants: {', '.join(variants)})"
            )
        return variants.index(variant)


def _whole(value: SupportsFloat, source: str) -> int:
    number = float(value)
    if not number.is_integer():
        raise InputError(
            f"{source}: impact {value} is not a whole number; impacts are integers from "
            f"{MIN_IMPACT} to +{MAX_IMPACT}"
        )
    return int(number)


def _validate(model: CrossImpactModel) -> None:
    where = model.source
    if not model.descriptors:
        raise InputError(f"{where}: there are no descriptors")
    seen: set[str] = set()
    for descriptor in model.descriptors:
        if not descriptor.name.strip():
            raise InputError(f"{where}: a descriptor has an empty name")
        if descriptor.name in seen:
            raise InputError(f"{where}: descriptor '{descriptor.name}' appears twice")
        seen.add(descriptor.name)
        count = len(descriptor.variants)
        if not MIN_VARIANTS <= count <= MAX_VARIANTS:
            raise InputError(
                f"{where}: descriptor '{descriptor.name}' has {count} variant"
                f"{'' if count == 1 else 's'}; it needs {MIN_VARIANTS} to {MAX_VARIANTS}"
            )
        if len(set(descriptor.variants)) != count:
            raise InputError(f"{where}: descriptor '{descriptor.name}' repeats a variant name")
        if any(not v.strip() for v in descriptor.variants):
            raise InputError(f"{where}: descriptor '{descriptor.name}' has an empty variant name")
    size = model.variant_count
    if len(model.impacts) != size or any(len(row) != size for row in model.impacts):
        raise InputError(
            f"{where}: the matrix must be {size} x {size} (one row and one column per variant)"
        )
    labels = model.labels
    owner = [i for i, d in enumerate(model.descriptors) for _ in d.variants]
    for r, row in enumerate(model.impacts):
        for c, value in enumerate(row):
            if not MIN_IMPACT <= value <= MAX_IMPACT:
                raise InputError(
                    f"{where}: impact of {_label(labels[r])} on {_label(labels[c])} is {value}; "
                    f"impacts are integers from {MIN_IMPACT} to +{MAX_IMPACT}"
                )
            if owner[r] == owner[c] and value != 0:
                raise InputError(
                    f"{where}: impact of {_label(labels[r])} on {_label(labels[c])} is {value}; "
                    "a descriptor does not judge itself, so this cell must be empty or 0"
                )


def _label(pair: tuple[str, str]) -> str:
    return f"'{pair[0]}={pair[1]}'"


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """One variant per descriptor, with how consistent it is.

    ``indices`` are variant positions (0-based) per descriptor; ``inconsistency`` is 0 for a
    consistent scenario; ``total_impact_score`` is the sum of the chosen variants' balances.
    """

    descriptors: tuple[str, ...]
    variants: tuple[str, ...]
    indices: tuple[int, ...]
    inconsistency: int
    total_impact_score: int

    @property
    def consistent(self) -> bool:
        """Whether every descriptor sits on a variant of maximal impact balance."""
        return self.inconsistency == 0

    def as_dict(self) -> dict[str, str]:
        """Descriptor name to chosen variant name.

        Usage: ``scenario.as_dict()["sanctions"]``.
        """
        return dict(zip(self.descriptors, self.variants, strict=True))


@dataclass(frozen=True)
class ScenarioSet:
    """Scenarios found by a search, best first (lowest inconsistency, then highest score).

    ``exact`` says whether the list is complete (exhaustive pruned search) or a sample
    (fixed points of successions from random starts); ``coverage`` says what was covered in
    words. ``fixed`` lists forced (descriptor, variant) pairs; with ``exempt_fixed`` their own
    consistency was not required (they are set from outside, as a policy lever).
    """

    descriptors: tuple[str, ...]
    scenarios: tuple[Scenario, ...]
    max_inconsistency: int
    fixed: tuple[tuple[str, str], ...]
    exempt_fixed: bool
    exact: bool
    space_size: int
    searched_size: int
    nodes: int
    coverage: str

    @property
    def consistent(self) -> tuple[Scenario, ...]:
        """Only the fully consistent scenarios, in rank order."""
        return tuple(s for s in self.scenarios if s.inconsistency == 0)


@dataclass(frozen=True)
class Attractor:
    """Where successions end: a fixed point (one scenario) or a cycle of scenarios.

    ``basin`` is how many of the starts ended here and ``basin_share`` that count over the
    number of starts (over settled and unsettled starts alike).
    """

    kind: Literal["fixed point", "cycle"]
    states: tuple[Scenario, ...]
    basin: int
    basin_share: float


@dataclass(frozen=True)
class SuccessionResult:
    """Attractors of global or adiabatic succession, largest basin first.

    Global succession moves every inconsistent descriptor at once to its best variant;
    adiabatic succession moves only the most inconsistent descriptor (the first on ties). On a
    tie for the best variant a descriptor keeps its variant if it is among the best, otherwise
    it takes the first best. ``unsettled`` counts starts that repeated no state within
    ``max_steps``.
    """

    mode: SuccessionMode
    attractors: tuple[Attractor, ...]
    starts: int
    exhaustive: bool
    space_size: int
    unsettled: int
    max_steps: int
    coverage: str

    @property
    def fixed_points(self) -> tuple[Scenario, ...]:
        """The scenarios that succession does not change: exactly the consistent ones reached."""
        return tuple(a.states[0] for a in self.attractors if a.kind == "fixed point")

    @property
    def cycles(self) -> tuple[Attractor, ...]:
        """Attractors that are cycles of two or more scenarios."""
        return tuple(a for a in self.attractors if a.kind == "cycle")


@dataclass(frozen=True)
class VariantDiagnostics:
    """What one variant exerts and receives, and how often it appears in consistent scenarios.

    ``row_sum`` is the net impact the variant exerts (its row), ``column_sum`` the net impact
    it receives (its column); ``activity`` and ``passivity`` are the same with absolute values.
    """

    descriptor: str
    variant: str
    row_sum: int
    column_sum: int
    activity: int
    passivity: int
    consistent_scenarios: int


@dataclass(frozen=True)
class JudgementSection:
    """One judgement group (a source variant on all variants of one target) that is unbalanced.

    CIB practice keeps each group summing to zero so that only relative judgements count; a
    non-zero ``total`` shifts every balance of the target alike and is often a typing slip.
    """

    source_descriptor: str
    source_variant: str
    target_descriptor: str
    total: int


@dataclass(frozen=True)
class MatrixDiagnostics:
    """Row and column sums, unused variants and unbalanced judgement groups of one matrix."""

    variants: tuple[VariantDiagnostics, ...]
    unused_variants: tuple[tuple[str, str], ...]
    unbalanced_sections: tuple[JudgementSection, ...]
    consistent_count: int


@dataclass(frozen=True)
class EnsembleScenario:
    """A scenario consistent for at least one expert, and for whom.

    ``inconsistencies`` has one entry per expert (in ``EnsembleComparison.experts`` order);
    ``support`` counts the experts for whom it is within the maximum inconsistency.
    """

    descriptors: tuple[str, ...]
    variants: tuple[str, ...]
    indices: tuple[int, ...]
    support: int
    experts: tuple[str, ...]
    inconsistencies: tuple[int, ...]

    def as_dict(self) -> dict[str, str]:
        """Descriptor name to chosen variant name.

        Usage: ``row.as_dict()["ceasefire"]``.
        """
        return dict(zip(self.descriptors, self.variants, strict=True))


@dataclass(frozen=True)
class EnsembleComparison:
    """Scenarios by how many experts' matrices find them consistent, most support first.

    ``consensus`` are those consistent for every expert; ``summed`` is the search on the sum of
    the experts' matrices (the usual CIB way to pool an ensemble).
    """

    experts: tuple[str, ...]
    max_inconsistency: int
    scenarios: tuple[EnsembleScenario, ...]
    summed: ScenarioSet

    @property
    def consensus(self) -> tuple[EnsembleScenario, ...]:
        """Scenarios that every expert's matrix supports."""
        return tuple(s for s in self.scenarios if s.support == len(self.experts))


# --------------------------------------------------------------------------------------------
# Compiled kernels
# --------------------------------------------------------------------------------------------


@_compiled
def _feasible(
    depth: int,
    partial: IntArray,
    choice: IntArray,
    start: IntArray,
    count: IntArray,
    allowed: BoolArray,
    checked: BoolArray,
    suffix: IntArray,
    k: int,
) -> bool:
    # A descriptor can still end within k of its best variant only if, for some variant it has
    # (or could take), every rival's lead stays <= k even when the unassigned descriptors all
    # push as much as they can against the rival; `suffix` holds that best push.
    for j in range(start.shape[0]):
        if not checked[j]:
            continue
        first = start[j]
        width = count[j]
        if j < depth:
            chosen = first + choice[j]
            base = partial[chosen]
            for m in range(width):
                if partial[first + m] - base + suffix[depth, chosen, m] > k:
                    return False
        else:
            possible = False
            for v in range(width):
                if not allowed[first + v]:
                    continue
                chosen = first + v
                base = partial[chosen]
                good = True
                for m in range(width):
                    if partial[first + m] - base + suffix[depth, chosen, m] > k:
                        good = False
                        break
                if good:
                    possible = True
                    break
            if not possible:
                return False
    return True


@_compiled
def _search(
    impacts: IntArray,
    start: IntArray,
    count: IntArray,
    allowed: BoolArray,
    checked: BoolArray,
    suffix: IntArray,
    k: int,
    prefix: IntArray,
    limit: int,
    budget: int,
    progress: IntArray,
    slot: int,
) -> tuple[SmallArray, int, int]:
    n = start.shape[0]
    width = impacts.shape[1]
    partial = np.zeros((n + 1, width), dtype=np.int64)
    choice = np.full(n, -1, dtype=np.int64)
    found = np.empty((64, n), dtype=np.int8)
    hits = 0
    nodes = 0
    status = 0
    top = prefix.shape[0]
    for d in range(top):
        choice[d] = prefix[d]
        row = start[d] + prefix[d]
        if not allowed[row]:
            return found[:0], 0, 0
        for c in range(width):
            partial[d + 1, c] = partial[d, c] + impacts[row, c]
    if not _feasible(top, partial[top], choice, start, count, allowed, checked, suffix, k):
        return found[:0], 0, 0
    depth = top
    while depth >= top:
        if depth == n:
            if hits == found.shape[0]:
                grown = np.empty((found.shape[0] * 2, n), dtype=np.int8)
                grown[:hits] = found
                found = grown
            for d in range(n):
                found[hits, d] = choice[d]
            hits += 1
            if hits > limit:
                status = 1
                break
            depth -= 1
            continue
        v = choice[depth] + 1
        first = start[depth]
        while v < count[depth] and not allowed[first + v]:
            v += 1
        if v >= count[depth]:
            choice[depth] = -1
            depth -= 1
            continue
        choice[depth] = v
        row = first + v
        for c in range(width):
            partial[depth + 1, c] = partial[depth, c] + impacts[row, c]
        nodes += 1
        if (nodes & 0xFFF) == 0:
            # Each task writes only its own slot; reading the others' is a benign race that
            # makes the budget approximate by at most one check interval per task.
            progress[slot] = nodes
            if progress.sum() > budget:
                status = 2
                break
        if _feasible(
            depth + 1, partial[depth + 1], choice, start, count, allowed, checked, suffix, k
        ):
            depth += 1
            if depth < n:
                choice[depth] = -1
    progress[slot] = nodes
    return found[:hits], nodes, status


@_compiled
def _score(
    impacts: IntArray,
    start: IntArray,
    count: IntArray,
    checked: BoolArray,
    scenarios: SmallArray,
) -> tuple[IntArray, IntArray]:
    total = scenarios.shape[0]
    n = start.shape[0]
    width = impacts.shape[1]
    inconsistency = np.zeros(total, dtype=np.int64)
    score = np.zeros(total, dtype=np.int64)
    balance = np.zeros(width, dtype=np.int64)
    for s in range(total):
        balance[:] = 0
        for i in range(n):
            row = start[i] + scenarios[s, i]
            for c in range(width):
                balance[c] += impacts[row, c]
        worst = 0
        points = 0
        for j in range(n):
            chosen = balance[start[j] + scenarios[s, j]]
            points += chosen
            if checked[j]:
                best = chosen
                for m in range(count[j]):
                    best = max(best, balance[start[j] + m])
                worst = max(worst, best - chosen)
        inconsistency[s] = worst
        score[s] = points
    return inconsistency, score


@_compiled
def _step(
    impacts: IntArray,
    start: IntArray,
    count: IntArray,
    frozen: BoolArray,
    current: SmallArray,
    following: SmallArray,
    balance: IntArray,
    adiabatic: bool,
) -> None:
    # ``balance`` holds the balances of ``current`` on entry and of ``following`` on exit:
    # updating it for the descriptors that moved is far cheaper than summing every row, and
    # adiabatic succession moves one descriptor per step.
    n = start.shape[0]
    width = impacts.shape[1]
    following[:] = current
    best_gap = 0
    best_descriptor = -1
    best_variant = 0
    for j in range(n):
        if frozen[j]:
            continue
        first = start[j]
        top = 0
        for m in range(1, count[j]):
            if balance[first + m] > balance[first + top]:
                top = m
        gap = balance[first + top] - balance[first + current[j]]
        if gap <= 0:
            continue
        if adiabatic:
            if gap > best_gap:
                best_gap = gap
                best_descriptor = j
                best_variant = top
        else:
            following[j] = top
    if adiabatic and best_descriptor >= 0:
        following[best_descriptor] = best_variant
    for j in range(n):
        if following[j] != current[j]:
            old = start[j] + current[j]
            new = start[j] + following[j]
            for c in range(width):
                balance[c] += impacts[new, c] - impacts[old, c]


@_compiled
def _balance_of(impacts: IntArray, start: IntArray, state: SmallArray, balance: IntArray) -> None:
    balance[:] = 0
    for i in range(start.shape[0]):
        row = start[i] + state[i]
        for c in range(impacts.shape[1]):
            balance[c] += impacts[row, c]


@_compiled
def _remember(
    slot_key: IntArray, slot_step: IntArray, slot_owner: IntArray, key: int, step: int, owner: int
) -> None:
    slots = slot_key.shape[0]
    probe = (key ^ (key >> 13) ^ (key >> 31)) & (slots - 1)
    while slot_owner[probe] == owner:
        probe = (probe + 1) & (slots - 1)
    slot_key[probe] = key
    slot_step[probe] = step
    slot_owner[probe] = owner


@_compiled
def _succession(
    impacts: IntArray,
    start: IntArray,
    count: IntArray,
    frozen: BoolArray,
    starts: SmallArray,
    adiabatic: bool,
    max_steps: int,
) -> tuple[SmallArray, IntArray]:
    total, n = starts.shape
    width = impacts.shape[1]
    canonical = np.empty((total, n), dtype=np.int8)
    length = np.zeros(total, dtype=np.int64)
    path = np.empty((max_steps + 1, n), dtype=np.int8)
    keys = np.empty(max_steps + 1, dtype=np.int64)
    balance = np.empty(width, dtype=np.int64)
    # Mixed-radix keys are exact (and ordered like the states) while the space fits in 63
    # bits; beyond that they wrap, so equal keys are confirmed state by state.
    radix = np.ones(n, dtype=np.int64)
    for d in range(n - 2, -1, -1):
        radix[d] = radix[d + 1] * count[d + 1]
    # An open-addressing table from key to step finds a repeat in constant time; global
    # succession can wander for a hundred steps before it closes a cycle. Stamping slots with
    # the start number saves clearing the table between starts.
    slots = 1
    while slots < 4 * (max_steps + 1):
        slots *= 2
    slot_key = np.zeros(slots, dtype=np.int64)
    slot_step = np.zeros(slots, dtype=np.int64)
    slot_owner = np.full(slots, -1, dtype=np.int64)
    for s in range(total):
        path[0] = starts[s]
        canonical[s] = starts[s]
        keys[0] = 0
        for d in range(n):
            keys[0] += path[0, d] * radix[d]
        _balance_of(impacts, start, path[0], balance)
        _remember(slot_key, slot_step, slot_owner, keys[0], 0, s)
        for step in range(max_steps):
            _step(impacts, start, count, frozen, path[step], path[step + 1], balance, adiabatic)
            key = 0
            for d in range(n):
                key += path[step + 1, d] * radix[d]
            keys[step + 1] = key
            repeat = -1
            probe = (key ^ (key >> 13) ^ (key >> 31)) & (slots - 1)
            while slot_owner[probe] == s:
                if slot_key[probe] == key:
                    q = slot_step[probe]
                    same = True
                    for d in range(n):
                        if path[q, d] != path[step + 1, d]:
                            same = False
                            break
                    if same:
                        repeat = q
                        break
                probe = (probe + 1) & (slots - 1)
            if repeat < 0:
                _remember(slot_key, slot_step, slot_owner, key, step + 1, s)
            if repeat >= 0:
                # Name the cycle by its lexicographically smallest state, so that every start
                # that falls into it reports the same one.
                best = repeat
                for q in range(repeat + 1, step + 1):
                    for d in range(n):
                        if path[q, d] != path[best, d]:
                            if path[q, d] < path[best, d]:
                                best = q
                            break
                canonical[s] = path[best]
                length[s] = step + 1 - repeat
                break
    return canonical, length


# --------------------------------------------------------------------------------------------
# The search
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """Where each descriptor's variants sit in the matrix, and the forced variants."""

    start: IntArray
    count: IntArray
    allowed: BoolArray
    checked: BoolArray
    frozen: BoolArray
    fixed: tuple[tuple[str, str], ...]


def _layout(
    model: CrossImpactModel, fixed: Mapping[str, str] | None, exempt_fixed: bool
) -> _Layout:
    count = np.array([len(d.variants) for d in model.descriptors], dtype=np.int64)
    start = np.concatenate(([0], np.cumsum(count)[:-1])).astype(np.int64)
    allowed = np.ones(int(count.sum()), dtype=np.bool_)
    checked = np.ones(len(count), dtype=np.bool_)
    frozen = np.zeros(len(count), dtype=np.bool_)
    pairs: list[tuple[str, str]] = []
    for name, variant in (fixed or {}).items():
        j = model.descriptor_index(name)
        v = model.variant_index(name, variant)
        allowed[start[j] : start[j] + count[j]] = False
        allowed[start[j] + v] = True
        frozen[j] = True
        checked[j] = not exempt_fixed
        pairs.append((name, variant))
    return _Layout(start, count, allowed, checked, frozen, tuple(pairs))


def _bound_tables(impacts: IntArray, layout: _Layout) -> IntArray:
    """For every depth, the smallest lead each rival can end with over a chosen variant.

    ``suffix[t, c, m]`` is the sum over descriptors i >= t of the minimum, over the variants i
    may still take, of ``impacts[i's variant, rival m] - impacts[i's variant, c]``, where rival
    m is variant m of c's descriptor. The final lead of rival m over the chosen variant c is the
    lead from the assigned descriptors plus one such difference per unassigned descriptor, and
    each difference is at least its minimum because the descriptors choose independently. So
    the partial lead plus ``suffix`` is a lower bound on the final lead: if it exceeds k for
    every variant a descriptor can take, no completion of the branch is within k, and cutting
    it loses nothing. At full depth the suffix is zero and the test is the exact definition.
    """
    start, count = layout.start, layout.count
    n = len(count)
    width = impacts.shape[1]
    widest = int(count.max())
    owner = np.repeat(np.arange(n), count)
    offsets = np.arange(widest)
    rivals = start[owner][:, None] + np.minimum(offsets[None, :], count[owner][:, None] - 1)
    real = offsets[None, :] < count[owner][:, None]
    least = np.zeros((n + 1, width, widest), dtype=np.int64)
    for i in range(n):
        rows = impacts[start[i] : start[i] + count[i]][
            layout.allowed[start[i] : start[i] + count[i]]
        ]
        lead = rows[:, rivals] - rows[:, :, None]
        least[i] = np.where(real, lead.min(axis=0), 0)
    return np.cumsum(least[::-1], axis=0)[::-1].copy()


def _prefixes(layout: _Layout, tasks: int) -> list[tuple[int, ...]]:
    """Split the search into branches by the first descriptors' variants (enough for the pool)."""
    choices: list[list[int]] = []
    size = 1
    for j in range(len(layout.count)):
        if size >= tasks:
            break
        first = int(layout.start[j])
        options = [v for v in range(int(layout.count[j])) if layout.allowed[first + v]]
        choices.append(options)
        size *= len(options)
    return list(itertools.product(*choices))


def _run_search(
    impacts: IntArray,
    layout: _Layout,
    k: int,
    limit: int,
    budget: int | None,
    workers: int | None,
) -> tuple[SmallArray, int, int]:
    """Return (scenarios, nodes, status); status 1 means over the limit, 2 over the budget."""
    suffix = _bound_tables(impacts, layout)
    n = len(layout.count)
    threads = max(1, workers if workers is not None else (os.cpu_count() or 1))
    # Threads only pay once the space is large; small searches stay on the calling thread.
    # Eight branches per thread even out branches that prune early.
    tasks = 1 if threads == 1 or _searched_size(layout) < 50_000 else threads * 8
    prefixes = _prefixes(layout, tasks)
    progress = np.zeros(len(prefixes), dtype=np.int64)
    cap = budget if budget is not None else np.iinfo(np.int64).max

    def branch(slot: int) -> tuple[SmallArray, int, int]:
        prefix = np.array(prefixes[slot], dtype=np.int64)
        return _search(
            impacts,
            layout.start,
            layout.count,
            layout.allowed,
            layout.checked,
            suffix,
            k,
            prefix,
            limit,
            cap,
            progress,
            slot,
        )

    if len(prefixes) == 1:
        parts = [branch(0)]
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            parts = list(pool.map(branch, range(len(prefixes))))
    found = [p[0] for p in parts if len(p[0])]
    scenarios = np.concatenate(found) if found else np.empty((0, n), dtype=np.int8)
    nodes = sum(int(p[1]) for p in parts)
    status = max(int(p[2]) for p in parts)
    if len(scenarios) > limit:
        status = max(status, 1)
    return scenarios, nodes, status


def _spans(layout: _Layout) -> list[tuple[int, int]]:
    return [(int(s), int(c)) for s, c in zip(layout.start, layout.count, strict=True)]


def _scenarios(
    model: CrossImpactModel, impacts: IntArray, layout: _Layout, rows: SmallArray
) -> tuple[Scenario, ...]:
    """Score raw variant rows and return them as scenarios, best first."""
    if len(rows) == 0:
        return ()
    inconsistency, score = _score(impacts, layout.start, layout.count, layout.checked, rows)
    order = np.lexsort((*rows.T[::-1], -score, inconsistency))
    names = tuple(d.name for d in model.descriptors)
    variants = [d.variants for d in model.descriptors]
    out = []
    for i in order:
        indices = tuple(int(v) for v in rows[i])
        out.append(
            Scenario(
                descriptors=names,
                variants=tuple(variants[j][v] for j, v in enumerate(indices)),
                indices=indices,
                inconsistency=int(inconsistency[i]),
                total_impact_score=int(score[i]),
            )
        )
    return tuple(out)


def _searched_size(layout: _Layout) -> int:
    size = 1
    for first, width in _spans(layout):
        size *= int(layout.allowed[first : first + width].sum())
    return size


def consistent_scenarios(
    model: CrossImpactModel,
    *,
    max_inconsistency: int = 0,
    fixed: Mapping[str, str] | None = None,
    exempt_fixed: bool = True,
    limit: int = RESULT_LIMIT,
    workers: int | None = None,
) -> ScenarioSet:
    """Find every scenario with inconsistency at most ``max_inconsistency``, exactly.

    ``fixed`` forces variants ("what if sanctions are relieved?") and searches the rest; with
    ``exempt_fixed`` (the default) a forced descriptor need not be consistent itself, since it
    is set from outside. More than ``limit`` results is an `InputError` asking for a tighter
    question. ``workers`` threads share the search (default: one per CPU).
    Usage: ``consistent_scenarios(model, max_inconsistency=1, fixed={"sanctions": "relieved"})``.
    """
    found = _exact(model, max_inconsistency, fixed, exempt_fixed, limit, None, workers)
    assert isinstance(found, ScenarioSet)  # without a budget the search always completes
    return found


def _exact(
    model: CrossImpactModel,
    max_inconsistency: int,
    fixed: Mapping[str, str] | None,
    exempt_fixed: bool,
    limit: int,
    budget: int | None,
    workers: int | None,
) -> ScenarioSet | int:
    """The exact search's result, or the nodes it spent when it ran out of budget."""
    if max_inconsistency < 0:
        raise InputError(f"the maximum inconsistency must be 0 or more, not {max_inconsistency}")
    layout = _layout(model, fixed, exempt_fixed)
    rows, nodes, status = _run_search(
        model.array, layout, max_inconsistency, limit, budget, workers
    )
    if status == 1:
        raise InputError(
            f"{model.source}: more than {limit:,} scenarios have inconsistency "
            f"<= {max_inconsistency}; lower the maximum inconsistency or fix descriptors"
        )
    if status == 2:
        return nodes
    searched = _searched_size(layout)
    return ScenarioSet(
        descriptors=tuple(d.name for d in model.descriptors),
        scenarios=_scenarios(model, model.array, layout, rows),
        max_inconsistency=max_inconsistency,
        fixed=layout.fixed,
        exempt_fixed=exempt_fixed,
        exact=True,
        space_size=model.space_size,
        searched_size=searched,
        nodes=nodes,
        coverage=f"exact: all {searched:,} scenarios covered by a pruned search ({nodes:,} nodes)",
    )


def sample_scenarios(
    model: CrossImpactModel,
    *,
    starts: int = RANDOM_STARTS,
    seed: int = 0,
    fixed: Mapping[str, str] | None = None,
    exempt_fixed: bool = True,
    max_steps: int = MAX_STEPS,
) -> ScenarioSet:
    """Find consistent scenarios approximately: fixed points of successions from random starts.

    Every scenario returned is truly consistent, but the list may miss consistent scenarios
    whose basins no start fell into; ``coverage`` says how many starts were used out of how many
    scenarios. Both global and adiabatic succession run from the same starts.
    Usage: ``sample_scenarios(model, starts=50_000, seed=1).coverage``.
    """
    layout = _layout(model, fixed, exempt_fixed)
    impacts = model.array
    begin = _random_starts(layout, starts, seed)
    ends = []
    for adiabatic in (False, True):
        canonical, length = _run_succession(impacts, layout, begin, adiabatic, max_steps)
        ends.append(canonical[length == 1])
    points = np.unique(np.concatenate(ends), axis=0)
    # With exempt fixed descriptors the fixed points are exactly the scenarios consistent on
    # the free ones; scoring confirms it and filters the non-exempt case.
    scored = _scenarios(model, impacts, layout, points)
    kept = tuple(s for s in scored if s.inconsistency == 0)
    space = _searched_size(layout)
    share = starts / space
    return ScenarioSet(
        descriptors=tuple(d.name for d in model.descriptors),
        scenarios=kept,
        max_inconsistency=0,
        fixed=layout.fixed,
        exempt_fixed=exempt_fixed,
        exact=False,
        space_size=model.space_size,
        searched_size=space,
        nodes=0,
        coverage=(
            f"approximate: fixed points of global and adiabatic succession from {starts:,} random "
            f"starts ({_percent(share)} of {space:,} scenarios); consistent scenarios with small "
            "basins of attraction may be missing"
        ),
    )


def find_scenarios(
    model: CrossImpactModel,
    *,
    max_inconsistency: int = 0,
    fixed: Mapping[str, str] | None = None,
    exempt_fixed: bool = True,
    node_budget: int = NODE_BUDGET,
    starts: int = RANDOM_STARTS,
    seed: int = 0,
    limit: int = RESULT_LIMIT,
    workers: int | None = None,
) -> ScenarioSet:
    """Search exactly within a node budget, else fall back to `sample_scenarios` and say so.

    The fallback finds consistent scenarios only (``max_inconsistency`` is then reported as 0).
    Usage: ``result = find_scenarios(model); print(result.coverage)``.
    """
    found = _exact(model, max_inconsistency, fixed, exempt_fixed, limit, node_budget, workers)
    if isinstance(found, ScenarioSet):
        return found
    sampled = sample_scenarios(
        model, starts=starts, seed=seed, fixed=fixed, exempt_fixed=exempt_fixed
    )
    return replace(
        sampled, coverage=f"exact search stopped after {found:,} nodes; {sampled.coverage}"
    )


def _percent(share: float) -> str:
    percent = share * 100
    if percent >= 1:
        return f"{percent:.0f} %"
    if percent >= 0.01:
        return f"{percent:.2f} %"
    return f"{percent:.1e} %"


def _random_starts(layout: _Layout, starts: int, seed: int) -> SmallArray:
    if starts < 1:
        raise InputError(f"succession needs at least one start, not {starts}")
    rng = np.random.default_rng(seed)
    columns = []
    for first, width in _spans(layout):
        options = np.flatnonzero(layout.allowed[first : first + width])
        columns.append(options[rng.integers(0, len(options), size=starts)])
    return np.stack(columns, axis=1).astype(np.int8)


def _all_starts(layout: _Layout) -> SmallArray:
    options = [
        np.flatnonzero(layout.allowed[first : first + width]) for first, width in _spans(layout)
    ]
    grids = np.meshgrid(*options, indexing="ij")
    return np.stack([g.ravel() for g in grids], axis=1).astype(np.int8)


# --------------------------------------------------------------------------------------------
# Evaluating one scenario
# --------------------------------------------------------------------------------------------


def evaluate(
    model: CrossImpactModel, scenario: Mapping[str, str], *, fixed: Sequence[str] = ()
) -> Scenario:
    """Score one scenario given as descriptor -> variant (every descriptor named).

    Descriptors listed in ``fixed`` are exempt from the consistency check, as in a search with
    ``fixed``.
    Usage: ``evaluate(model, {"ceasefire": "holds", "sanctions": "relieved", ...})``.
    """
    missing = [d.name for d in model.descriptors if d.name not in scenario]
    if missing:
        raise InputError(f"{model.source}: the scenario gives no variant for '{missing[0]}'")
    for name in [*scenario, *fixed]:
        model.descriptor_index(name)
    layout = _layout(model, {name: scenario[name] for name in fixed}, exempt_fixed=True)
    row = np.array(
        [[model.variant_index(d.name, scenario[d.name]) for d in model.descriptors]],
        dtype=np.int8,
    )
    return _scenarios(model, model.array, layout, row)[0]


def impact_balances(model: CrossImpactModel, scenario: Scenario) -> dict[str, dict[str, int]]:
    """The impact balance of every variant under a scenario (why it is, or is not, consistent).

    Usage: ``impact_balances(model, result.scenarios[0])["sanctions"]["relieved"]``.
    """
    layout = _layout(model, None, exempt_fixed=True)
    rows = layout.start + np.array(scenario.indices, dtype=np.int64)
    balance = model.array[rows].sum(axis=0)
    return {
        d.name: {v: int(balance[layout.start[j] + m]) for m, v in enumerate(d.variants)}
        for j, d in enumerate(model.descriptors)
    }


# --------------------------------------------------------------------------------------------
# Succession analysis
# --------------------------------------------------------------------------------------------


def succession(
    model: CrossImpactModel,
    *,
    mode: SuccessionMode = "global",
    starts: int | None = None,
    seed: int = 0,
    fixed: Mapping[str, str] | None = None,
    max_steps: int = MAX_STEPS,
) -> SuccessionResult:
    """Run succession from every scenario (small spaces) or from random starts, and collect ends.

    With ``starts`` left out, spaces of up to `EXHAUSTIVE_STARTS` scenarios use every scenario
    as a start and larger ones `RANDOM_STARTS` random starts; ``coverage`` says which. Forced
    descriptors in ``fixed`` keep their variant throughout.
    Usage: ``succession(model, mode="adiabatic").fixed_points``.
    """
    if mode not in ("global", "adiabatic"):
        raise InputError(f"succession mode must be 'global' or 'adiabatic', not '{mode}'")
    layout = _layout(model, fixed, exempt_fixed=True)
    space = _searched_size(layout)
    exhaustive = starts is None and space <= EXHAUSTIVE_STARTS
    if exhaustive:
        begin = _all_starts(layout)
    else:
        begin = _random_starts(layout, starts or RANDOM_STARTS, seed)
    impacts = model.array
    canonical, length = _run_succession(impacts, layout, begin, mode == "adiabatic", max_steps)
    settled = length > 0
    heads, basins = np.unique(canonical[settled], axis=0, return_counts=True)
    total = len(begin)
    attractors = []
    for head, basin in zip(heads, basins, strict=True):
        states = _cycle_from(impacts, layout, head, mode == "adiabatic", max_steps)
        scored = _scenarios(model, impacts, layout, states)
        by_row = {s.indices: s for s in scored}
        ordered = tuple(by_row[tuple(int(v) for v in r)] for r in states)
        attractors.append(
            Attractor(
                kind="fixed point" if len(ordered) == 1 else "cycle",
                states=ordered,
                basin=int(basin),
                basin_share=int(basin) / total,
            )
        )
    attractors.sort(key=lambda a: (-a.basin, len(a.states), a.states[0].indices))
    if exhaustive:
        coverage = f"exhaustive: every one of the {space:,} scenarios used as a start"
    else:
        coverage = (
            f"approximate: {total:,} random starts ({_percent(total / space)} of "
            f"{space:,} scenarios); attractors with small basins may be missing"
        )
    return SuccessionResult(
        mode=mode,
        attractors=tuple(attractors),
        starts=total,
        exhaustive=exhaustive,
        space_size=space,
        unsettled=int((~settled).sum()),
        max_steps=max_steps,
        coverage=coverage,
    )


def _run_succession(
    impacts: IntArray, layout: _Layout, begin: SmallArray, adiabatic: bool, max_steps: int
) -> tuple[SmallArray, IntArray]:
    """Run succession from every start, the starts shared out over one thread per CPU."""
    threads = os.cpu_count() or 1

    def run(chunk: SmallArray) -> tuple[SmallArray, IntArray]:
        return _succession(
            impacts, layout.start, layout.count, layout.frozen, chunk, adiabatic, max_steps
        )

    if threads == 1 or len(begin) < 2_000:
        return run(begin)
    chunks = np.array_split(begin, threads)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        parts = list(pool.map(run, chunks))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _cycle_from(
    impacts: IntArray, layout: _Layout, head: SmallArray, adiabatic: bool, max_steps: int
) -> SmallArray:
    """The states of the cycle named by its smallest state, in succession order."""
    states = [head.astype(np.int8)]
    balance = impacts[layout.start + states[0]].sum(axis=0).astype(np.int64)
    for _ in range(max_steps):
        following = np.empty_like(states[0])
        _step(
            impacts,
            layout.start,
            layout.count,
            layout.frozen,
            states[-1],
            following,
            balance,
            adiabatic,
        )
        if np.array_equal(following, states[0]):
            break
        states.append(following)
    return np.stack(states)


# --------------------------------------------------------------------------------------------
# Diagnostics and ensembles
# --------------------------------------------------------------------------------------------


def diagnose(model: CrossImpactModel, consistent: ScenarioSet | None = None) -> MatrixDiagnostics:
    """Row and column sums, variants in no consistent scenario, unbalanced judgement groups.

    ``consistent`` defaults to an exact search of the unconstrained model.
    Usage: ``diagnose(model).unused_variants``.
    """
    if consistent is None:
        consistent = consistent_scenarios(model)
    impacts = model.array
    layout = _layout(model, None, exempt_fixed=True)
    uses = np.zeros(model.variant_count, dtype=np.int64)
    for scenario in consistent.consistent:
        uses[layout.start + np.array(scenario.indices, dtype=np.int64)] += 1
    labels = model.labels
    variants = tuple(
        VariantDiagnostics(
            descriptor=labels[r][0],
            variant=labels[r][1],
            row_sum=int(impacts[r].sum()),
            column_sum=int(impacts[:, r].sum()),
            activity=int(np.abs(impacts[r]).sum()),
            passivity=int(np.abs(impacts[:, r]).sum()),
            consistent_scenarios=int(uses[r]),
        )
        for r in range(model.variant_count)
    )
    sections = []
    for r, (source, variant) in enumerate(labels):
        for j, target in enumerate(model.descriptors):
            if target.name == source:
                continue
            first = int(layout.start[j])
            total = int(impacts[r, first : first + len(target.variants)].sum())
            if total:
                sections.append(JudgementSection(source, variant, target.name, total))
    return MatrixDiagnostics(
        variants=variants,
        unused_variants=tuple(labels[r] for r in range(model.variant_count) if uses[r] == 0),
        unbalanced_sections=tuple(sections),
        consistent_count=len(consistent.consistent),
    )


def compare_ensemble(
    models: Sequence[CrossImpactModel],
    *,
    experts: Sequence[str] | None = None,
    max_inconsistency: int = 0,
) -> EnsembleComparison:
    """Compare several experts' matrices over the same descriptors and variants.

    Each scenario within ``max_inconsistency`` for at least one expert is listed with the
    experts that support it; ``summed`` searches the sum of the matrices.
    Usage: ``compare_ensemble([alice, bob], experts=["alice", "bob"]).consensus``.
    """
    if not models:
        raise InputError("an ensemble needs at least one matrix")
    names = tuple(experts) if experts is not None else tuple(m.source for m in models)
    if len(names) != len(models):
        raise InputError(f"{len(models)} matrices but {len(names)} expert names")
    if len(set(names)) != len(names):
        names = tuple(f"expert {i + 1}" for i in range(len(models)))
    first = models[0]
    for model in models[1:]:
        if model.descriptors != first.descriptors:
            raise InputError(
                f"{model.source}: descriptors or variants differ from {first.source}; an "
                "ensemble needs the same structure in every matrix"
            )
    layout = _layout(first, None, exempt_fixed=True)
    found: list[SmallArray] = []
    for model in models:
        hits, _, status = _run_search(
            model.array, layout, max_inconsistency, RESULT_LIMIT, None, None
        )
        if status == 1:
            raise InputError(
                f"{model.source}: more than {RESULT_LIMIT:,} scenarios have inconsistency "
                f"<= {max_inconsistency}; lower the maximum inconsistency"
            )
        found.append(hits)
    union = np.unique(np.concatenate(found), axis=0)
    table = (
        np.stack(
            [_score(m.array, layout.start, layout.count, layout.checked, union)[0] for m in models]
        )
        if len(union)
        else np.empty((len(models), 0), dtype=np.int64)
    )
    rows = []
    for i in range(len(union)):
        within = table[:, i] <= max_inconsistency
        indices = tuple(int(v) for v in union[i])
        rows.append(
            EnsembleScenario(
                descriptors=tuple(d.name for d in first.descriptors),
                variants=tuple(first.descriptors[j].variants[v] for j, v in enumerate(indices)),
                indices=indices,
                support=int(within.sum()),
                experts=tuple(n for n, ok in zip(names, within, strict=True) if ok),
                inconsistencies=tuple(int(x) for x in table[:, i]),
            )
        )
    rows.sort(key=lambda r: (-r.support, sum(r.inconsistencies), r.indices))
    summed = _summed_search(first, [m.array for m in models], max_inconsistency)
    return EnsembleComparison(
        experts=names, max_inconsistency=max_inconsistency, scenarios=tuple(rows), summed=summed
    )


def _summed_search(
    structure: CrossImpactModel, arrays: Sequence[IntArray], max_inconsistency: int
) -> ScenarioSet:
    # The sum may leave -3..+3, so it is searched as a raw array rather than a model.
    total = np.sum(arrays, axis=0).astype(np.int64)
    layout = _layout(structure, None, exempt_fixed=True)
    rows, nodes, status = _run_search(total, layout, max_inconsistency, RESULT_LIMIT, None, None)
    if status == 1:
        raise InputError(
            f"more than {RESULT_LIMIT:,} scenarios are within inconsistency {max_inconsistency} "
            "of the summed matrix; lower the maximum inconsistency"
        )
    return ScenarioSet(
        descriptors=tuple(d.name for d in structure.descriptors),
        scenarios=_scenarios(structure, total, layout, rows),
        max_inconsistency=max_inconsistency,
        fixed=(),
        exempt_fixed=True,
        exact=True,
        space_size=structure.space_size,
        searched_size=structure.space_size,
        nodes=nodes,
        coverage=f"exact: sum of {len(arrays)} matrices, pruned search ({nodes:,} nodes)",
    )
