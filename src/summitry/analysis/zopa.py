"""The zone of possible agreement: its size, and the options that can be part of a deal.

A package is in the zone when every party scores it at or above its reservation value.

Whether a zone exists is read off the rational frontier (exact). Its size is counted exactly
when that is affordable and estimated otherwise:

- two parties: meet in the middle — split the issues in two halves, list each half's
  utility sums, and count the pairs of halves that clear both reservation values with one
  sweep and a Fenwick tree (about √N log N work for N packages, so 10^12 packages take well
  under a second);
- more parties: the same halves, counting the clearing pairs directly (N work, with the pairs
  that cannot clear the first party's reservation skipped), up to :data:`EXACT_PAIRS`;
- beyond that: a seeded uniform sample with a Wilson 95 % confidence interval, whose lower end
  is raised to the number of rational packages already known from the frontier.

An option can be part of a rational deal when some package containing it reaches every
reservation value. That is decided exactly from the efficient sets of the issues before and
after it: any completion is beaten or matched by an efficient one, so it is enough to look
for an efficient prefix and suffix that, with the option, clear every reservation value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np

from summitry.analysis.frontier import (
    Frontier,
    FrontierTooLargeError,
    merge_blocks,
    sample_packages,
)
from summitry.analysis.preferences import IntArray, Method, ScoredSpace

EXACT_PAIRS = 100_000_000
"""Most half-package pairs counted one by one for an exact size (three or more parties)."""

HALF_LIMIT = 1 << 20
"""Most utility sums one half may have for the two-party meet-in-the-middle count."""

ZOPA_SAMPLES = 200_000
"""Packages drawn when the size has to be estimated."""

Z95 = 1.959963984540054
"""Two-sided 95 % quantile of the standard normal distribution."""


@dataclass(frozen=True)
class IssueZone:
    """The options of one issue that can be part of a rational deal, in agenda order."""

    issue: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Zopa:
    """The zone of possible agreement.

    ``exists`` says whether any package reaches every reservation value. ``fraction`` is the
    share of the package space that does, with a 95 % ``interval`` (a single point when
    exact) and ``rational_packages`` the exact count when ``method`` is exact. ``issues`` lists
    per issue the options that can be part of a rational deal (``options_method`` says how
    they were found).

    Usage: ``zopa.fraction``; ``zopa.options["trade"]``.
    """

    exists: bool
    fraction: float
    interval: tuple[float, float]
    rational_packages: int | None
    issues: tuple[IssueZone, ...]
    space_size: int
    method: Method
    options_method: Method

    @property
    def options(self) -> dict[str, tuple[str, ...]]:
        """Issue id to the options that can be part of a rational deal.

        Usage: ``zopa.options["trade"]``.
        """
        return {zone.issue: zone.options for zone in self.issues}


def zone_of_agreement(
    space: ScoredSpace,
    rational: Frontier,
    *,
    exact_pairs: int = EXACT_PAIRS,
    samples: int = ZOPA_SAMPLES,
    seed: int = 0,
) -> Zopa:
    """The zone of possible agreement given the rational frontier.

    Usage: ``zone_of_agreement(space, frontier.rational())``.
    """
    size = space.size
    agenda = space.agenda
    if len(rational) == 0 and rational.method.is_exact:
        empty = tuple(IssueZone(item.id, ()) for item in agenda.items)
        return Zopa(False, 0.0, (0.0, 0.0), 0, empty, size, Method.exact(), Method.exact())
    count = count_rational(space, exact_pairs=exact_pairs)
    if count is not None:
        fraction = count / size
        method = Method.exact()
        interval = (fraction, fraction)
    else:
        fraction, interval = _estimate(space, rational, samples, seed)
        method = Method.sampled(samples, seed)
    zones, options_method = _option_zones(space, samples, seed)
    exists = len(rational) > 0 or (count or 0) > 0
    return Zopa(exists, fraction, interval, count, zones, size, method, options_method)


def _estimate(
    space: ScoredSpace, rational: Frontier, samples: int, seed: int
) -> tuple[float, tuple[float, float]]:
    rng = np.random.default_rng(seed)
    n_issues = len(space.agenda.items)
    hits = 0
    # Drawn in chunks so that memory stays flat whatever the sample size.
    for first in range(0, samples, 65_536):
        n = min(65_536, samples - first)
        packages = np.empty((n, n_issues), dtype=np.int64)
        for issue, item in enumerate(space.agenda.items):
            packages[:, issue] = rng.integers(0, len(item.options), size=n)
        units = space.evaluate(packages)
        hits += int(np.count_nonzero(np.all(units >= space.reservation, axis=1)))
    p = hits / samples
    centre = (p + Z95**2 / (2 * samples)) / (1 + Z95**2 / samples)
    half = (
        Z95 * math.sqrt(p * (1 - p) / samples + Z95**2 / (4 * samples**2)) / (1 + Z95**2 / samples)
    )
    known = rational.package_count / space.size if rational.method.is_exact else 0.0
    low = max(centre - half, known, 0.0)
    high = max(min(centre + half, 1.0), low)
    return max(p, known), (low, high)


def count_rational(space: ScoredSpace, *, exact_pairs: int = EXACT_PAIRS) -> int | None:
    """The exact number of packages reaching every reservation value, or None when too costly.

    Usage: ``count_rational(space)``.
    """
    first, second = _halves(space)
    size_a = math.prod(len(space.blocks[b].combos) for b in first)
    size_b = math.prod(len(space.blocks[b].combos) for b in second)
    two = space.n_parties == 2
    if two and size_a <= HALF_LIMIT and size_b <= HALF_LIMIT:
        a_units, a_weight = _half_sums(space, first)
        b_units, b_weight = _half_sums(space, second)
        return _count_two(a_units, a_weight, b_units, b_weight, space.reservation)
    if size_a * size_b > exact_pairs:
        return None
    a_units, a_weight = _half_sums(space, first)
    b_units, b_weight = _half_sums(space, second)
    order = np.argsort(-b_units[:, 0], kind="stable")
    return int(
        _count_pairs(
            a_units,
            a_weight,
            np.ascontiguousarray(b_units[order]),
            b_weight[order],
            space.reservation,
        )
    )


def _halves(space: ScoredSpace) -> tuple[list[int], list[int]]:
    # Greedy balance of the two halves' sizes (products of option counts), biggest block first.
    sizes = [len(block.combos) for block in space.blocks]
    first: list[int] = []
    second: list[int] = []
    log_a = log_b = 0.0
    for b in sorted(range(len(sizes)), key=lambda b: -sizes[b]):
        if log_a <= log_b:
            first.append(b)
            log_a += math.log(sizes[b])
        else:
            second.append(b)
            log_b += math.log(sizes[b])
    return first, second


def _half_sums(space: ScoredSpace, blocks: list[int]) -> tuple[IntArray, IntArray]:
    """Utility sums of every combination of the blocks, equal options merged with a weight."""
    units = np.zeros((1, space.n_parties), dtype=np.int64)
    weight = np.ones(1, dtype=np.int64)
    for b in blocks:
        block = space.blocks[b]
        units = (units[:, None, :] + block.class_units[None, :, :]).reshape(-1, space.n_parties)
        weight = np.outer(weight, block.class_sizes).ravel()
    return units, weight


def _count_two(
    a_units: IntArray, a_weight: IntArray, b_units: IntArray, b_weight: IntArray, floor: IntArray
) -> int:
    # Pairs with a0 + b0 >= r0 and a1 + b1 >= r1: sweep the halves' first utilities from the
    # top, entering B's points into a Fenwick tree over the ranks of their second utilities.
    b_order = np.argsort(-b_units[:, 0])
    b_first = np.ascontiguousarray(b_units[b_order, 0])
    b_second = np.ascontiguousarray(b_units[b_order, 1])
    by_second = np.argsort(b_second)
    ranked = b_second[by_second]
    distinct = np.ones(len(ranked), dtype=np.bool_)
    distinct[1:] = ranked[1:] != ranked[:-1]
    levels = ranked[distinct]
    b_rank = np.empty(len(ranked), dtype=np.int64)
    b_rank[by_second] = np.cumsum(distinct) - 1
    need_first = floor[0] - a_units[:, 0]
    need_second = floor[1] - a_units[:, 1]
    q_order = np.argsort(-need_first)
    # Searching sorted queries walks the levels in order instead of jumping around memory.
    by_need = np.argsort(need_second)
    q_rank_all = np.empty(len(need_second), dtype=np.int64)
    q_rank_all[by_need] = np.searchsorted(levels, need_second[by_need])
    return int(
        _fenwick_count(
            b_first,
            b_rank,
            np.ascontiguousarray(b_weight[b_order]),
            np.ascontiguousarray(need_first[q_order]),
            np.ascontiguousarray(q_rank_all[q_order]),
            np.ascontiguousarray(a_weight[q_order]),
            len(levels),
        )
    )


@numba.njit(cache=True, nogil=True)
def _fenwick_count(
    b_first: IntArray,
    b_rank: IntArray,
    b_weight: IntArray,
    q_first: IntArray,
    q_rank: IntArray,
    q_weight: IntArray,
    n_levels: int,
) -> int:  # pragma: no cover - compiled
    tree = np.zeros(n_levels + 1, dtype=np.int64)
    total_in = 0
    entered = 0
    result = 0
    n_b = b_first.shape[0]
    for q in range(q_first.shape[0]):
        while entered < n_b and b_first[entered] >= q_first[q]:
            # Fenwick trees count prefixes; index by reversed rank so that "second utility at
            # least this level" becomes a prefix.
            i = n_levels - b_rank[entered]
            while i <= n_levels:
                tree[i] += b_weight[entered]
                i += i & -i
            total_in += b_weight[entered]
            entered += 1
        if q_rank[q] >= n_levels:
            continue
        i = n_levels - q_rank[q]
        acc = 0
        while i > 0:
            acc += tree[i]
            i -= i & -i
        result += acc * q_weight[q]
    return result


@numba.njit(cache=True, nogil=True)
def _count_pairs(
    a_units: IntArray, a_weight: IntArray, b_units: IntArray, b_weight: IntArray, floor: IntArray
) -> int:  # pragma: no cover - compiled
    n_a, d = a_units.shape
    n_b = b_units.shape[0]
    result = 0
    for i in range(n_a):
        acc = 0
        for j in range(n_b):
            # B is sorted by the first party's utility, best first: once it falls short,
            # every later one does too.
            if a_units[i, 0] + b_units[j, 0] < floor[0]:
                break
            ok = True
            for c in range(1, d):
                if a_units[i, c] + b_units[j, c] < floor[c]:
                    ok = False
                    break
            if ok:
                acc += b_weight[j]
        result += acc * a_weight[i]
    return result


def _option_zones(
    space: ScoredSpace, samples: int, seed: int
) -> tuple[tuple[IssueZone, ...], Method]:
    agenda = space.agenda
    n_blocks = len(space.blocks)
    feasible = [np.zeros(len(item.options), dtype=np.bool_) for item in agenda.items]
    try:
        forward: list[IntArray] = []
        backward: list[IntArray] = []
        merge_blocks(space, list(range(n_blocks)), rational_only=True, steps=forward)
        merge_blocks(space, list(range(n_blocks - 1, -1, -1)), rational_only=True, steps=backward)
    except FrontierTooLargeError:
        return _sampled_zones(space, samples, seed), Method.sampled(samples, seed)
    origin = np.zeros((1, space.n_parties), dtype=np.int64)
    for b, block in enumerate(space.blocks):
        after_index = n_blocks - 2 - b
        if b > len(forward) or after_index >= len(backward):
            continue  # a merge step ran out of rational partial packages
        before = forward[b - 1] if b > 0 else origin
        after = backward[after_index] if after_index >= 0 else origin
        ok = _classes_reachable(before, after, block.class_units, space.reservation)
        for cls in np.flatnonzero(ok):
            rows = block.class_rows[block.class_start[cls] : block.class_start[cls + 1]]
            for column, issue in enumerate(block.issues):
                feasible[issue][block.combos[rows, column]] = True
    zones = tuple(
        IssueZone(item.id, tuple(o for o, f in zip(item.options, flags, strict=True) if f))
        for item, flags in zip(agenda.items, feasible, strict=True)
    )
    return zones, Method.exact()


def _classes_reachable(
    before: IntArray, after: IntArray, classes: IntArray, floor: IntArray
) -> np.ndarray:
    if before.shape[0] == 0 or after.shape[0] == 0:
        return np.zeros(classes.shape[0], dtype=np.bool_)
    if floor.shape[0] == 2:
        # On a two-party efficient set sorted by the first utility ascending the second
        # descends, so the best second utility among those reaching a first threshold is at
        # the first one reaching it.
        order = np.argsort(after[:, 0], kind="stable")
        first = after[order, 0]
        second = after[order, 1]
        out = np.zeros(classes.shape[0], dtype=np.bool_)
        for start in range(0, classes.shape[0], 512):
            part = classes[start : start + 512]
            need = floor[None, None, :] - before[None, :, :] - part[:, None, :]
            at = np.searchsorted(first, need[:, :, 0])
            valid = at < len(first)
            best = np.where(valid, second[np.minimum(at, len(first) - 1)], 0)
            out[start : start + 512] = np.any(valid & (best >= need[:, :, 1]), axis=1)
        return out
    reach: np.ndarray = _reachable_nd(
        np.ascontiguousarray(before),
        np.ascontiguousarray(after),
        np.ascontiguousarray(classes),
        floor,
    )
    return reach


@numba.njit(cache=True, nogil=True)
def _reachable_nd(
    before: IntArray, after: IntArray, classes: IntArray, floor: IntArray
) -> np.ndarray:  # pragma: no cover - compiled
    k, d = classes.shape
    out = np.zeros(k, dtype=np.bool_)
    best_after = np.empty(d, dtype=np.int64)
    for c in range(d):
        best_after[c] = after[0, c]
        for j in range(after.shape[0]):
            best_after[c] = max(best_after[c], after[j, c])
    for c_index in range(k):
        for i in range(before.shape[0]):
            hopeful = True
            for c in range(d):
                if before[i, c] + classes[c_index, c] + best_after[c] < floor[c]:
                    hopeful = False
                    break
            if not hopeful:
                continue
            for j in range(after.shape[0]):
                ok = True
                for c in range(d):
                    if before[i, c] + classes[c_index, c] + after[j, c] < floor[c]:
                        ok = False
                        break
                if ok:
                    out[c_index] = True
                    break
            if out[c_index]:
                break
    return out


def _sampled_zones(space: ScoredSpace, samples: int, seed: int) -> tuple[IssueZone, ...]:
    packages = sample_packages(space, samples, seed)
    ok = np.all(space.evaluate(packages) >= space.reservation, axis=1)
    chosen = packages[ok]
    return tuple(
        IssueZone(
            item.id,
            tuple(o for k, o in enumerate(item.options) if np.any(chosen[:, issue] == k)),
        )
        for issue, item in enumerate(space.agenda.items)
    )
