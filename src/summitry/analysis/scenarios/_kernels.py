"""The numba-compiled kernels of the CIB analyses: pruning test, search, scoring, succession.

The kernels work on plain arrays laid out by `_layout`. They compile lazily, on their first
call (or load from numba's on-disk cache), so importing the package compiles nothing. Callers
use them through this module (``_kernels._search(...)``) rather than importing the names, so
that a test can swap in their Python source (``.py_func``) in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np

from summitry.analysis.scenarios._model import BoolArray, IntArray, SmallArray

_F = TypeVar("_F", bound=Callable[..., Any])


def _compiled(func: _F) -> _F:
    # nogil lets the top-level branches run on threads; cache keeps start-up short after the
    # first run on a machine.
    return cast(_F, numba.njit(cache=True, nogil=True)(func))


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
    where: IntArray,
    stop: IntArray,
) -> tuple[SmallArray, int, int]:
    # Status: 0 done, 1 over the result limit, 2 over the node budget, 3 told to stop. At every
    # check the branch's current choice goes to ``where[slot]``: everything before it in search
    # order is settled, which is what the caller reports as searched.
    n = start.shape[0]
    width = impacts.shape[1]
    partial = np.zeros((n + 1, width), dtype=np.int64)
    choice = np.full(n, -1, dtype=np.int64)
    found = np.empty((64, n), dtype=np.int8)
    hits = 0
    nodes = 0
    status = 0
    top = prefix.shape[0]
    if stop[0] != 0:
        return found[:0], 0, 3
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
            where[slot, :] = choice
            if stop[0] != 0:
                status = 3
                break
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
