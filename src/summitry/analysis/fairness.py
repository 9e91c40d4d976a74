"""Fair packages on the rational frontier, the opposition level, and where a package stands.

Gains are measured from each party's reservation value (what no deal is worth to it) and only
rational packages — every party at or above its reservation value — are candidates:

- **Nash**: the largest product of gains;
- **Kalai–Smorodinsky**: the smallest spread (largest minus smallest) of the normalised gains,
  each party's gain divided by its largest gain over rational packages;
- **egalitarian**: the largest smallest gain (NegMAS calls this point "Kalai");
- **max-welfare**: the largest sum of utilities.

Every optimum of a finite set of packages is attained on the frontier, so each concept is
found there. Ties are exact on the fixed-point grid of
:mod:`~summitry.analysis.preferences`, which keeps complementary scores exact (every package
of a zero-sum domain has the same welfare): the candidates within a floating-point hair of the
best are compared again in exact integer (or rational) arithmetic, and every tied point is
reported. A point is one utility vector; the packages that share it are its ``count``, so a
concept's tied packages number :attr:`FairPoint.package_count`, not ``len(points)``.

The **opposition level** is the distance from the ideal point (every party at its best
package) to the nearest rational package, with each party's utility divided by its best:
0 when one package is best for everyone, up to √n for n parties. The nearest package is always
efficient, so the frontier gives it exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from summitry.analysis.dominance import dominated_by_any
from summitry.analysis.frontier import Frontier, FrontierPoint
from summitry.analysis.preferences import (
    UNITS_PER_POINT,
    IntArray,
    Method,
    Package,
    to_points,
)

SHORTLIST = 1e-9
"""Relative margin within which floating-point candidates are re-checked exactly."""

CONCEPTS = ("nash", "kalai-smorodinsky", "egalitarian", "max-welfare")
"""The fair-point concepts, in the order results list them."""


@dataclass(frozen=True)
class FairPoint:
    """The rational frontier points where one fairness concept is at its optimum.

    ``points`` holds every tied optimum (empty when no package is rational), one per distinct
    utility vector; ``value`` the optimised quantity: product of gains (points^n), spread of
    normalised gains (0–1), smallest gain (points) or welfare (points), computed from the same
    fixed-point utilities as the points.

    Usage: ``analysis.nash.package``; ``[p.utilities for p in analysis.nash.points]``.
    """

    concept: str
    points: tuple[FrontierPoint, ...]
    value: float | None
    space_size: int
    method: Method

    @property
    def package(self) -> Package | None:
        """The first optimal package, or None when there is no rational package.

        Usage: ``fair.package.as_dict()``.
        """
        return self.points[0].package if self.points else None

    @property
    def package_count(self) -> int:
        """How many rational frontier packages attain the optimum: every tied point's together.

        For max-welfare (and Nash when some product is positive) that is every rational
        package at the optimum; an egalitarian optimum may also be met by dominated packages,
        which are not counted.

        Usage: ``analysis.max_welfare.package_count``.
        """
        return sum(point.count for point in self.points)

    @property
    def utilities(self) -> tuple[float, ...] | None:
        """Each party's points at the first optimum.

        Usage: ``fair.utilities``.
        """
        return self.points[0].utilities if self.points else None


@dataclass(frozen=True)
class FairPoints:
    """The four fair points of one analysis."""

    nash: FairPoint
    kalai_smorodinsky: FairPoint
    egalitarian: FairPoint
    max_welfare: FairPoint

    def all(self) -> tuple[FairPoint, ...]:
        """The four points in the order of :data:`CONCEPTS`.

        Usage: ``{f.concept: f.package for f in fair.all()}``.
        """
        return (self.nash, self.kalai_smorodinsky, self.egalitarian, self.max_welfare)


def fair_points(rational: Frontier) -> FairPoints:
    """Nash, Kalai–Smorodinsky, egalitarian and max-welfare points of a rational frontier.

    Usage: ``fair = fair_points(frontier.rational())``.
    """
    gains = rational.units - rational.space.reservation
    return FairPoints(
        nash=_make(rational, "nash", *_nash(gains)),
        kalai_smorodinsky=_make(rational, "kalai-smorodinsky", *_kalai_smorodinsky(gains)),
        egalitarian=_make(rational, "egalitarian", *_egalitarian(gains)),
        max_welfare=_make(rational, "max-welfare", *_welfare(rational.units)),
    )


def optimal_rows(concept: str, units: IntArray, reservation: IntArray) -> IntArray:
    """Rows of rational utility points (fixed point) where ``concept`` is at its optimum.

    Usage: ``optimal_rows("nash", rational.units, space.reservation)``.
    """
    gains = units - reservation
    finders = {
        "nash": lambda: _nash(gains),
        "kalai-smorodinsky": lambda: _kalai_smorodinsky(gains),
        "egalitarian": lambda: _egalitarian(gains),
        "max-welfare": lambda: _welfare(units),
    }
    return finders[concept]()[0]


FEW_TIES = 8
"""Up to this many tied points are built one by one; more come from the frontier's full list."""


def _make(rational: Frontier, concept: str, rows: IntArray, value: float | None) -> FairPoint:
    # Frontier.point converts every point's utilities on each call, so building thousands of
    # tied points that way is quadratic (every package of a zero-sum domain ties for
    # max-welfare); the full list is built once, in linear time.
    pick = rational.point if len(rows) <= FEW_TIES else rational.points.__getitem__
    return FairPoint(
        concept,
        tuple(pick(int(k)) for k in rows),
        value,
        rational.space_size,
        rational.method,
    )


def _empty() -> tuple[IntArray, float | None]:
    return np.zeros(0, dtype=np.int64), None


def _nash(gains: IntArray) -> tuple[IntArray, float | None]:
    if gains.shape[0] == 0:
        return _empty()
    product = np.prod(to_points(gains), axis=1)
    best = float(product.max())
    shortlist = np.flatnonzero(product >= best * (1 - SHORTLIST))
    exact = [math.prod(int(g) for g in gains[k]) for k in shortlist]
    top = max(exact)
    rows = np.array([k for k, e in zip(shortlist, exact, strict=True) if e == top], dtype=np.int64)
    return rows, top / float(UNITS_PER_POINT) ** gains.shape[1]


def _kalai_smorodinsky(gains: IntArray) -> tuple[IntArray, float | None]:
    if gains.shape[0] == 0:
        return _empty()
    ideal = gains.max(axis=0)
    # A party whose every rational package gives the same gain has nothing to normalise by;
    # its normalised gain counts as 0 (as NegMAS does).
    scale = np.where(ideal > 0, ideal, 1).astype(np.float64)
    normal = np.where(ideal > 0, gains / scale, 0.0)
    spread = normal.max(axis=1) - normal.min(axis=1)
    best = float(spread.min())
    shortlist = np.flatnonzero(spread <= best + SHORTLIST)

    def exact(k: int) -> Fraction:
        values = [
            Fraction(int(g), int(a)) if a > 0 else Fraction(0)
            for g, a in zip(gains[k], ideal, strict=True)
        ]
        return max(values) - min(values)

    spreads = [exact(int(k)) for k in shortlist]
    low = min(spreads)
    rows = np.array(
        [k for k, s in zip(shortlist, spreads, strict=True) if s == low], dtype=np.int64
    )
    return rows, float(low)


def _egalitarian(gains: IntArray) -> tuple[IntArray, float | None]:
    if gains.shape[0] == 0:
        return _empty()
    least = gains.min(axis=1)
    best = least.max()
    return np.flatnonzero(least == best).astype(np.int64), float(best) / UNITS_PER_POINT


def _welfare(units: IntArray) -> tuple[IntArray, float | None]:
    if units.shape[0] == 0:
        return _empty()
    total = units.sum(axis=1)
    best = total.max()
    return np.flatnonzero(total == best).astype(np.int64), float(best) / UNITS_PER_POINT


@dataclass(frozen=True)
class Opposition:
    """How far the nearest rational package is from every party's best (0 to √n).

    ``ideal`` is each party's utility at its own best package; ``nearest`` the rational
    frontier point at that distance. ``value`` is None when no package is rational.

    Usage: ``analysis.opposition.value``.
    """

    value: float | None
    nearest: FrontierPoint | None
    ideal: tuple[float, ...]
    space_size: int
    method: Method


def opposition_level(rational: Frontier) -> Opposition:
    """The opposition level, computed exactly on the rational frontier.

    Usage: ``opposition_level(frontier.rational()).value``.
    """
    best = to_points(rational.space.best_units())
    ideal = tuple(float(b) for b in best)
    if len(rational) == 0:
        return Opposition(None, None, ideal, rational.space_size, rational.method)
    utilities = rational.utilities
    safe = np.where(best != 0, best, 1.0)
    relative = np.where(best != 0, utilities / safe, utilities)
    distance = np.sqrt(((1.0 - relative) ** 2).sum(axis=1))
    k = int(np.argmin(distance))
    return Opposition(
        float(distance[k]), rational.point(k), ideal, rational.space_size, rational.method
    )


@dataclass(frozen=True)
class PackageAssessment:
    """Where a given package stands: its utilities, distances, and what would improve on it.

    Distances are Euclidean, in utility points, to the nearest frontier point and to the
    nearest tied optimum of each fair concept (None when the concept has no point).
    ``improvements`` are the frontier points at least as good for every party and better for
    one (post-settlement improvements); empty when the package is efficient.

    Usage: ``assessment.improvements[0].package.as_dict()``.
    """

    package: Package
    utilities: tuple[float, ...]
    rational: bool
    efficient: bool
    distance_to_frontier: float
    nearest: FrontierPoint | None
    distance_to_fair: dict[str, float | None]
    improvements: tuple[FrontierPoint, ...]
    space_size: int
    method: Method


def assess_package(frontier: Frontier, fair: FairPoints, package: Package) -> PackageAssessment:
    """Distances of ``package`` to the frontier and the fair points, and its improvements.

    Usage: ``assess_package(frontier, fair, agenda.package({"trade": "a", "security": "z"}))``.
    """
    space = frontier.space
    units = space.evaluate(np.array([package.indices], dtype=np.int64))
    utilities = to_points(units[0])
    rational = bool(np.all(units[0] >= space.reservation))
    efficient = not bool(dominated_by_any(units, frontier.units)[0])
    nearest: FrontierPoint | None = None
    distance = math.inf
    if len(frontier):
        gaps = np.sqrt(((frontier.utilities - utilities) ** 2).sum(axis=1))
        k = int(np.argmin(gaps))
        nearest, distance = frontier.point(k), float(gaps[k])
    to_fair: dict[str, float | None] = {}
    for point in fair.all():
        if not point.points:
            to_fair[point.concept] = None
            continue
        targets = np.array([p.utilities for p in point.points])
        to_fair[point.concept] = float(np.sqrt(((targets - utilities) ** 2).sum(axis=1)).min())
    better = np.all(frontier.units >= units[0], axis=1) & np.any(frontier.units > units[0], axis=1)
    improvements = tuple(frontier.point(int(k)) for k in np.flatnonzero(better))
    return PackageAssessment(
        package=package,
        utilities=tuple(float(u) for u in utilities),
        rational=rational,
        efficient=efficient,
        distance_to_frontier=distance,
        nearest=nearest,
        distance_to_fair=to_fair,
        improvements=improvements,
        space_size=frontier.space_size,
        method=frontier.method,
    )
