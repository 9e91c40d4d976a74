"""The Pareto frontier of an additive negotiation, built without enumerating packages.

With additive scoring, a package's utilities are the sum of its options' points, and a package
whose first k issues are beaten by another choice on those issues is beaten as a whole. So the
frontier is built issue by issue: keep the efficient combinations of the issues merged so far,
add every efficient option of the next issue, and prune the dominated sums again. For two
parties the kept set stays in the hundreds at 10^12 packages; for three in the thousands.
Linked-issue terms are handled by scoring linked issues as one block (see
:mod:`summitry.analysis.preferences`), which keeps the sum additive and the result exact.

Each merge step runs in one compiled kernel (:func:`~summitry.analysis.dominance.merge_kernel`):
candidate sums are filtered chunk by chunk when there are many, and for the rational frontier
a partial package is dropped as soon as even the best options on the remaining issues cannot
lift it to every reservation value.

Packages that tie (equal utilities for every party) are all efficient: a frontier point stands
for every package with its utilities, with a count and a way to list them.

When the kept set would exceed a budget (many parties, many issues), the frontier is estimated
from a seeded sample instead — the best packages for random positive weightings of the parties
plus uniformly drawn ones — and says so in its :class:`~summitry.analysis.preferences.Method`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from summitry.analysis.dominance import (
    NOTHING_LEFT,
    TOO_LARGE,
    merge_kernel,
    nondominated,
)
from summitry.analysis.preferences import (
    IntArray,
    Method,
    Package,
    ScoredSpace,
    to_points,
)

FloatArray = npt.NDArray[np.float64]

MAX_POINTS = 1_000_000
"""Most distinct efficient points kept at any merge step before the frontier is sampled."""

CHUNK_ROWS = 1 << 21
"""Candidate sums filtered at once; larger merge steps are filtered chunk by chunk."""

SAMPLES = 100_000
"""Packages drawn when a frontier has to be estimated."""

TIE_LIMIT = 1_000
"""Default number of tied packages listed for one frontier point."""


@dataclass(frozen=True)
class FrontierPoint:
    """One efficient utility point: each party's points, one package, how many packages tie."""

    index: int
    utilities: tuple[float, ...]
    package: Package
    count: int


@dataclass(frozen=True, eq=False)
class _Level:
    """One merge step: block ``block``'s points and, per point, its members."""

    block: int
    member_start: IntArray
    member_parent: IntArray
    member_class: IntArray


@dataclass(frozen=True, eq=False)
class _Lineage:
    """How each merged point was reached: its members (parent point, option class) per step."""

    space: ScoredSpace
    levels: tuple[_Level, ...]

    def representatives(self) -> IntArray:
        n_points = len(self.levels[-1].member_start) - 1
        out = np.zeros((n_points, len(self.space.agenda.items)), dtype=np.int64)
        point = np.arange(n_points)
        for level in reversed(self.levels):
            member = level.member_start[point]
            cls = level.member_class[member]
            block = self.space.blocks[level.block]
            row = block.class_rows[block.class_start[cls]]
            out[:, list(block.issues)] = block.combos[row]
            point = level.member_parent[member]
        return out

    def packages(self, point: int, limit: int) -> list[tuple[int, ...]]:
        out: list[tuple[int, ...]] = []
        choice = [0] * len(self.space.agenda.items)

        def walk(depth: int, at: int) -> Iterator[None]:
            level = self.levels[depth]
            block = self.space.blocks[level.block]
            for member in range(level.member_start[at], level.member_start[at + 1]):
                cls = level.member_class[member]
                first, last = block.class_start[cls], block.class_start[cls + 1]
                for row in block.class_rows[first:last]:
                    for column, issue in enumerate(block.issues):
                        choice[issue] = int(block.combos[row, column])
                    if depth == 0:
                        yield None
                    else:
                        yield from walk(depth - 1, int(level.member_parent[member]))

        for _ in walk(len(self.levels) - 1, point):
            out.append(tuple(choice))
            if len(out) >= limit:
                break
        return out


@dataclass(frozen=True, eq=False)
class _Listed:
    """Tied packages listed explicitly (a sampled frontier)."""

    groups: tuple[IntArray, ...]

    def representatives(self) -> IntArray:
        if not self.groups:
            return np.zeros((0, 0), dtype=np.int64)
        return np.array([group[0] for group in self.groups], dtype=np.int64)

    def packages(self, point: int, limit: int) -> list[tuple[int, ...]]:
        return [tuple(int(v) for v in row) for row in self.groups[point][:limit]]


@dataclass(frozen=True, eq=False)
class Frontier:
    """The efficient packages as distinct utility points, best for the first party first.

    ``units`` holds each point's utilities in fixed point (points × parties); ``counts`` how
    many packages share each point; ``representatives`` one package per point (option
    positions), worked out when first needed. ``rational_only`` marks the rational frontier
    (every party at or above its reservation value). ``method`` says whether the frontier is
    exact or sampled; ``source`` and ``rows`` recover the tied packages of each point.

    Usage: ``[p.utilities for p in frontier.points]``; ``frontier.tied_packages(0)``.
    """

    space: ScoredSpace
    units: IntArray
    counts: FloatArray
    method: Method
    rational_only: bool
    source: _Lineage | _Listed
    rows: IntArray

    @cached_property
    def representatives(self) -> IntArray:
        """One package per point, as option positions (points × issues).

        Usage: ``frontier.representatives[0]``.
        """
        every: IntArray = self.source.representatives()
        return every[self.rows]

    def __len__(self) -> int:
        """The number of distinct efficient utility points."""
        return int(self.units.shape[0])

    @property
    def parties(self) -> tuple[str, ...]:
        """Party names, in the order of each point's utilities.

        Usage: ``frontier.parties``.
        """
        return self.space.parties

    @property
    def space_size(self) -> int:
        """How many packages the agenda has.

        Usage: ``frontier.space_size``.
        """
        return self.space.size

    @property
    def package_count(self) -> int:
        """How many packages are efficient (every tied package counted).

        Usage: ``frontier.package_count``.
        """
        return round(float(self.counts.sum()))

    @property
    def utilities(self) -> FloatArray:
        """Each point's utilities in points (points × parties).

        Usage: ``frontier.utilities[:, 0]``.
        """
        return to_points(self.units)

    @cached_property
    def points(self) -> tuple[FrontierPoint, ...]:
        """Every frontier point with its first package.

        Usage: ``frontier.points[0].package.as_dict()``.
        """
        agenda = self.space.agenda
        utilities = self.utilities.tolist()
        return tuple(
            FrontierPoint(k, tuple(utilities[k]), agenda.package_at(rep), round(count))
            for k, (rep, count) in enumerate(
                zip(self.representatives.tolist(), self.counts.tolist(), strict=True)
            )
        )

    def point(self, index: int) -> FrontierPoint:
        """One frontier point, without building the others.

        Usage: ``frontier.point(0).utilities``.
        """
        if "points" in self.__dict__:
            cached: FrontierPoint = self.points[index]
            return cached
        return FrontierPoint(
            index,
            tuple(float(u) for u in self.utilities[index]),
            self.space.agenda.package_at(self.representatives[index].tolist()),
            round(float(self.counts[index])),
        )

    def tied_packages(self, index: int, limit: int = TIE_LIMIT) -> tuple[Package, ...]:
        """Up to ``limit`` packages that share the utilities of point ``index``.

        Usage: ``frontier.tied_packages(3, limit=10)``.
        """
        agenda = self.space.agenda
        found = self.source.packages(int(self.rows[index]), limit)
        return tuple(agenda.package_at(p) for p in found)

    def subset(self, keep: npt.NDArray[np.bool_], rational_only: bool) -> Frontier:
        """The frontier restricted to the points where ``keep`` is true.

        Usage: ``frontier.subset(mask, rational_only=True)``.
        """
        return Frontier(
            space=self.space,
            units=self.units[keep],
            counts=self.counts[keep],
            method=self.method,
            rational_only=rational_only,
            source=self.source,
            rows=self.rows[keep],
        )

    def rational(self) -> Frontier:
        """The rational frontier: the points where every party reaches its reservation value.

        A rational package that no rational package dominates is not dominated by an
        irrational one either, so this is also the frontier of the rational packages alone.

        Usage: ``frontier.rational()``.
        """
        if self.rational_only:
            return self
        keep = np.all(self.units >= self.space.reservation, axis=1)
        return self.subset(keep, rational_only=True)


class FrontierTooLargeError(Exception):
    """The exact merge would keep more points than the budget allows."""


def pareto_frontier(
    space: ScoredSpace,
    *,
    rational_only: bool = False,
    max_points: int = MAX_POINTS,
    samples: int = SAMPLES,
    seed: int = 0,
) -> Frontier:
    """The Pareto frontier of the whole package space (or of its rational packages only).

    Exact by merging per-block efficient sets with dominance pruning (and, for
    ``rational_only``, dropping partial packages that cannot reach every reservation value);
    estimated from ``samples`` packages drawn with ``seed`` when an exact merge step would keep
    more than ``max_points`` points.

    Usage: ``frontier = pareto_frontier(compile_space(agenda, profiles))``.
    """
    try:
        units, counts, lineage = merge_blocks(
            space, range(len(space.blocks)), rational_only=rational_only, max_points=max_points
        )
    except FrontierTooLargeError:
        return sampled_frontier(space, samples=samples, seed=seed, rational_only=rational_only)
    if lineage is None:
        return Frontier(
            space,
            units,
            counts,
            Method.exact(),
            rational_only,
            _Listed(()),
            np.zeros(0, dtype=np.int64),
        )
    return Frontier(
        space=space,
        units=units,
        counts=counts,
        method=Method.exact(),
        rational_only=rational_only,
        source=lineage,
        rows=np.arange(units.shape[0], dtype=np.int64),
    )


def merge_blocks(
    space: ScoredSpace,
    order: range | list[int],
    *,
    rational_only: bool = False,
    max_points: int = MAX_POINTS,
    steps: list[IntArray] | None = None,
) -> tuple[IntArray, FloatArray, _Lineage | None]:
    """Merge the given blocks in order into their exact efficient set.

    Returns the distinct efficient points (fixed point), the number of packages (over the
    merged blocks) behind each, and the lineage to recover them; no lineage when nothing is
    left (``rational_only`` with no rational package). When ``steps`` is given, the efficient
    points after each merge step are appended to it. Raises :class:`FrontierTooLargeError`
    when a step would keep more than ``max_points`` points.

    Usage: ``units, counts, lineage = merge_blocks(space, range(len(space.blocks)))``.
    """
    n = space.n_parties
    blocks = [space.blocks[b] for b in order]
    classes = [block.efficient for block in blocks]
    step_units = np.concatenate(
        [block.class_units[ids] for block, ids in zip(blocks, classes, strict=True)]
    )
    sizes = np.concatenate(
        [block.class_sizes[ids] for block, ids in zip(blocks, classes, strict=True)]
    ).astype(np.float64)
    offsets = np.zeros(len(blocks) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(ids) for ids in classes])
    # What the blocks after each step can still add at most, for the rational pruning.
    floors = np.zeros((len(blocks), n), dtype=np.int64)
    rest = np.zeros(n, dtype=np.int64)
    for k in range(len(blocks) - 1, -1, -1):
        floors[k] = space.reservation - rest
        rest = rest + blocks[k].class_units.max(axis=0)
    status, counts, point_off, points, start_off, starts, member_off, parents, members = (
        merge_kernel(
            np.ascontiguousarray(step_units),
            sizes,
            offsets,
            floors,
            rational_only,
            max_points,
            CHUNK_ROWS,
        )
    )
    if status == TOO_LARGE:
        raise FrontierTooLargeError
    done = int(np.count_nonzero(np.diff(point_off) > 0))
    if steps is not None:
        steps.extend(points[point_off[k] : point_off[k + 1]] for k in range(done))
    if status == NOTHING_LEFT:
        return np.zeros((0, n), dtype=np.int64), np.zeros(0, dtype=np.float64), None
    levels = tuple(
        _Level(
            block=list(order)[k],
            member_start=starts[start_off[k] : start_off[k + 1]],
            member_parent=parents[member_off[k] : member_off[k + 1]],
            member_class=classes[k][members[member_off[k] : member_off[k + 1]]],
        )
        for k in range(len(blocks))
    )
    final = points[point_off[-2] : point_off[-1]]
    return final, counts, _Lineage(space, levels)


def sample_packages(space: ScoredSpace, samples: int, seed: int) -> IntArray:
    """Packages drawn for estimates: half best for random positive party weightings, half uniform.

    The first half are efficient packages of the additive space (each maximises a positive
    weighted sum of the parties' utilities); the second half spread over the whole space.

    Usage: ``packages = sample_packages(space, 10_000, seed=0)``.
    """
    rng = np.random.default_rng(seed)
    n_issues = len(space.agenda.items)
    out = np.zeros((samples, n_issues), dtype=np.int64)
    half = samples // 2
    lambdas = rng.dirichlet(np.ones(space.n_parties), size=half)
    for block in space.blocks:
        best = np.argmax(lambdas @ block.units.astype(np.float64), axis=1)
        out[:half, list(block.issues)] = block.combos[best]
    for issue, item in enumerate(space.agenda.items):
        out[half:, issue] = rng.integers(0, len(item.options), size=samples - half)
    return out


def sampled_frontier(
    space: ScoredSpace, *, samples: int, seed: int, rational_only: bool = False
) -> Frontier:
    """The efficient points among ``samples`` drawn packages (an estimate of the frontier).

    Usage: ``sampled_frontier(space, samples=100_000, seed=0)``.
    """
    packages = np.unique(sample_packages(space, samples, seed), axis=0)
    units = space.evaluate(packages)
    if rational_only:
        ok = np.all(units >= space.reservation, axis=1)
        packages, units = packages[ok], units[ok]
    rows, group = nondominated(units)
    starts = np.ones(len(rows), dtype=np.bool_)
    starts[1:] = group[1:] != group[:-1]
    bounds = np.append(np.flatnonzero(starts), len(rows))
    groups = tuple(packages[rows[a:b]] for a, b in itertools.pairwise(bounds))
    return Frontier(
        space=space,
        units=units[rows[starts]],
        counts=np.diff(bounds).astype(np.float64),
        method=Method.sampled(samples, seed),
        rational_only=rational_only,
        source=_Listed(groups),
        rows=np.arange(len(groups), dtype=np.int64),
    )
