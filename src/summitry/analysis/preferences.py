"""Inputs of the negotiation analysis: the agenda, additive scoring systems, and packages.

A package chooses one option on every issue. Each party scores it with an additive scoring
system (Raiffa, Inspire): issue weights that sum to 100 points, a 0–100 score per option, and
optional linked-issue terms that add or take away points when two options occur together. A
reservation value says how many points no deal is worth to that party.

:func:`compile_space` checks these inputs and turns them into the integer form every algorithm
works on. Utilities are held in fixed point, one unit being :data:`RESOLUTION` points (a
billionth of the 100-point scale), so that sums are exact and ties and dominance mean the same
thing whatever order a package's points were added in.

Each option's points are rounded to units once, per party and issue, and that rounding must
not tell apart packages that are worth the same. So each party's weights become even numbers
of units summing to 100 points (:func:`weight_units`), and a score above 50 is rounded by its
shortfall from the full weight (:func:`option_units`). An option scored ``s`` by one party and
``100 - s`` by another under the same weight then adds up to exactly that weight: every
package of a zero-sum domain has exactly the same welfare (100 points), and a package scoring
100 everywhere is worth exactly 100 points. What rounding cannot keep is a tie that holds only
through sums of numbers that are not whole units across several issues (a third of the weight
here, two thirds there): such packages may differ by a unit, 1e-7 points.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from summitry.analysis.dominance import nondominated
from summitry.domain.checks import suggest
from summitry.errors import InputError

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

WEIGHT_TOTAL = 100.0
"""Issue weights of a profile sum to this many points."""

SCORE_MAX = 100.0
"""Option scores run from 0 to this."""

UNITS_PER_POINT = 10_000_000
"""Fixed-point units in one utility point."""

RESOLUTION = 1.0 / UNITS_PER_POINT
"""Smallest utility difference the analysis tells apart, in points (1e-9 of the 0–100 scale)."""

MIN_PARTIES = 2
MAX_PARTIES = 6

SNAP_DIGITS = 9
"""Decimals weights and scores are rounded to before they become fixed-point units.

Weights and scores worked out from other numbers (a Genius evaluation divided by the largest,
100 × (1 − e)) carry float noise in their last bits: 55.00000000000001 for 55. Rounding to
1e-9 points, far below one unit of the weighted points, removes it, so that a score and its
complement 100 − score are exact complements again and equal weights are equal.
"""

MAX_LINKED_COMBINATIONS = 200_000
"""Most option combinations one group of linked issues may have."""


@dataclass(frozen=True)
class AgendaItem:
    """One issue of the agenda: its id and its options in order (with optional wording)."""

    id: str
    options: tuple[str, ...]
    labels: tuple[str, ...] = ()
    name: str = ""


@dataclass(frozen=True)
class Agenda:
    """The issues negotiated as one package, in order.

    Usage: ``Agenda.of({"sanctions": ["none", "partial", "full"], "ceasefire": ["no", "yes"]})``.
    """

    items: tuple[AgendaItem, ...]

    def __post_init__(self) -> None:
        """Reject an empty agenda, duplicate ids and issues without options."""
        if not self.items:
            raise InputError("agenda: no issue has options to negotiate")
        seen: set[str] = set()
        for item in self.items:
            if item.id in seen:
                raise InputError(f"agenda: issue '{item.id}' appears twice")
            seen.add(item.id)
            if not item.options:
                raise InputError(f"agenda: issue '{item.id}' has no options")
            if len(set(item.options)) != len(item.options):
                raise InputError(f"agenda: issue '{item.id}' lists an option twice")
            if item.labels and len(item.labels) != len(item.options):
                raise InputError(f"agenda: issue '{item.id}' has labels for some options only")

    @classmethod
    def of(cls, options: Mapping[str, Sequence[str]]) -> Agenda:
        """An agenda from issue ids mapped to their option ids, in order.

        Usage: ``Agenda.of({"trade": ["a", "b"], "security": ["x", "y", "z"]})``.
        """
        return cls(tuple(AgendaItem(iid, tuple(opts)) for iid, opts in options.items()))

    @property
    def issue_ids(self) -> tuple[str, ...]:
        """The issue ids in agenda order.

        Usage: ``agenda.issue_ids``.
        """
        return tuple(item.id for item in self.items)

    @property
    def size(self) -> int:
        """How many packages there are: the product of the option counts.

        Usage: ``Agenda.of({"a": ["x", "y"], "b": ["p", "q", "r"]}).size`` is 6.
        """
        return math.prod(len(item.options) for item in self.items)

    def item(self, issue: str) -> AgendaItem:
        """The issue with this id; :class:`InputError` naming it when there is none.

        Usage: ``agenda.item("trade").options``.
        """
        for item in self.items:
            if item.id == issue:
                return item
        raise InputError(f"agenda: unknown issue '{issue}'{suggest(issue, self.issue_ids)}")

    def package(self, choice: Mapping[str, str], where: str = "package") -> Package:
        """The package that picks these options, checked against the agenda.

        Usage: ``agenda.package({"trade": "a", "security": "z"})``.
        """
        for issue in choice:
            if issue not in self.issue_ids:
                known = suggest(issue, self.issue_ids)
                raise InputError(f"{where}: unknown issue '{issue}'{known}")
        indices: list[int] = []
        for item in self.items:
            if item.id not in choice:
                raise InputError(f"{where}: no option chosen for issue '{item.id}'")
            option = choice[item.id]
            if option not in item.options:
                hint = suggest(option, item.options)
                raise InputError(f"{where}: issue '{item.id}' has no option '{option}'{hint}")
            indices.append(item.options.index(option))
        return self.package_at(indices)

    def package_at(self, indices: Sequence[int]) -> Package:
        """The package with these option positions, one per issue in agenda order.

        Usage: ``agenda.package_at([0, 2])``.
        """
        options = tuple(item.options[int(i)] for item, i in zip(self.items, indices, strict=True))
        return Package(tuple(int(i) for i in indices), options, self.issue_ids)


@dataclass(frozen=True)
class Package:
    """One option on every issue, by position and by id.

    Usage: ``package.as_dict()`` gives ``{"trade": "a", "security": "z"}``.
    """

    indices: tuple[int, ...]
    options: tuple[str, ...]
    issues: tuple[str, ...]

    def as_dict(self) -> dict[str, str]:
        """Issue id to chosen option id.

        Usage: ``package.as_dict()["trade"]``.
        """
        return dict(zip(self.issues, self.options, strict=True))


@dataclass(frozen=True)
class LinkedTerm:
    """Points added (or, when negative, taken away) when two options occur together.

    Usage: ``LinkedTerm("sanctions", "relief", "ceasefire", "none", -30)``.
    """

    issue: str
    option: str
    other_issue: str
    other_option: str
    points: float


@dataclass(frozen=True)
class AdditiveProfile:
    """One party's additive scoring system.

    ``weights`` are points per issue summing to 100 (an issue left out weighs 0); ``scores``
    rate each option 0–100 (an option left out scores 0). A package is worth the sum over issues
    of weight × score / 100, plus the points of every linked term it contains. Packages below
    ``reservation_value`` are worse for this party than no deal. ``source`` names the place the
    profile came from in error messages (a plan key path, a file).

    Usage: ``AdditiveProfile("north", {"trade": 60, "security": 40}, {"trade": {"a": 100}})``.
    """

    party: str
    weights: Mapping[str, float]
    scores: Mapping[str, Mapping[str, float]]
    reservation_value: float = 0.0
    linked: tuple[LinkedTerm, ...] = ()
    batna: str = ""
    source: str = ""

    @property
    def where(self) -> str:
        """How error messages name this profile.

        Usage: ``profile.where`` gives ``profile 'north'``.
        """
        return self.source or f"profile '{self.party}'"


@dataclass(frozen=True)
class Method:
    """How a result was computed: exactly, or from a seeded sample of packages.

    Usage: ``str(Method.sampled(100_000, 7))`` gives ``sampled (100,000 packages, seed 7)``.
    """

    kind: Literal["exact", "sampled"]
    samples: int | None = None
    seed: int | None = None
    unit: str = "packages"

    @classmethod
    def exact(cls) -> Method:
        """The method of a result computed without sampling.

        Usage: ``Method.exact()``.
        """
        return cls("exact")

    @classmethod
    def sampled(cls, samples: int, seed: int, unit: str = "packages") -> Method:
        """The method of a result estimated from ``samples`` draws (of ``unit``) with ``seed``.

        Usage: ``Method.sampled(200_000, 0)``.
        """
        return cls("sampled", samples, seed, unit)

    @property
    def is_exact(self) -> bool:
        """Whether no sampling was involved.

        Usage: ``result.method.is_exact``.
        """
        return self.kind == "exact"

    def __str__(self) -> str:
        """``exact`` or ``sampled (n packages, seed s)``."""
        if self.kind == "exact":
            return "exact"
        return f"sampled ({self.samples:,} {self.unit}, seed {self.seed})"


@dataclass(frozen=True, eq=False)
class Block:
    """Issues scored together: one issue, or a group joined by linked terms.

    ``combos`` holds the option positions of every combination (rows) over ``issues``;
    ``units`` holds each party's points for each combination in fixed point (parties × rows).
    Combinations with equal points for every party form a class (interchangeable options):
    class c has utilities ``class_units[c]`` and combinations
    ``class_rows[class_start[c]:class_start[c + 1]]`` (``class_sizes[c]`` of them);
    ``efficient`` lists the classes no other class of the block dominates.
    """

    issues: tuple[int, ...]
    combos: IntArray
    units: IntArray
    class_units: IntArray
    class_start: IntArray
    class_rows: IntArray
    efficient: IntArray
    class_sizes: IntArray


def make_block(issues: tuple[int, ...], combos: IntArray, units: IntArray) -> Block:
    """A block with its combinations grouped into classes of equal utilities.

    Usage: ``make_block((0,), np.arange(3).reshape(3, 1), units)``.
    """
    points = np.ascontiguousarray(units.T)
    order = np.lexsort([-points[:, c] for c in range(points.shape[1] - 1, -1, -1)])
    ranked = points[order]
    starts = np.ones(len(order), dtype=np.bool_)
    starts[1:] = np.any(ranked[1:] != ranked[:-1], axis=1)
    class_units = np.ascontiguousarray(ranked[starts])
    class_start = np.append(np.flatnonzero(starts), len(order)).astype(np.int64)
    efficient, _ = nondominated(class_units)
    return Block(
        issues,
        combos,
        units,
        class_units,
        class_start,
        order.astype(np.int64),
        np.sort(efficient),
        np.diff(class_start),
    )


@dataclass(frozen=True, eq=False)
class ScoredSpace:
    """Checked inputs in the fixed-point form the algorithms use.

    ``weights`` (parties × issues) and ``scores`` (per issue, parties × options) are the
    checked floats and ``units`` (per issue, parties × options) each option's points in fixed
    point (:func:`option_units`); ``blocks`` partition the issues; ``reservation`` is in
    fixed-point units.

    Usage: ``space = compile_space(agenda, profiles)``; ``space.evaluate(packages)``.
    """

    agenda: Agenda
    parties: tuple[str, ...]
    weights: FloatArray
    scores: tuple[FloatArray, ...]
    units: tuple[IntArray, ...]
    links: tuple[tuple[int, int, int, int, int, int], ...]
    blocks: tuple[Block, ...]
    reservation: IntArray
    reservation_points: tuple[float, ...]
    size: int = field(default=0)

    @property
    def n_parties(self) -> int:
        """How many parties score packages.

        Usage: ``space.n_parties``.
        """
        return len(self.parties)

    def issue_units(self, issue: int) -> IntArray:
        """Each party's fixed-point points for each option of one issue (parties × options).

        Usage: ``space.issue_units(0)``.
        """
        return self.units[issue]

    def evaluate(self, packages: IntArray) -> IntArray:
        """Fixed-point utilities (rows × parties) of packages given as option positions.

        Usage: ``space.evaluate(np.array([[0, 1, 2]]))``.
        """
        packages = np.asarray(packages, dtype=np.int64)
        total = np.zeros((packages.shape[0], self.n_parties), dtype=np.int64)
        for issue in range(len(self.agenda.items)):
            total += self.issue_units(issue).T[packages[:, issue]]
        for party, issue, option, other, other_option, units in self.links:
            hit = (packages[:, issue] == option) & (packages[:, other] == other_option)
            total[hit, party] += units
        return total

    def best_units(self) -> IntArray:
        """Each party's utility at its best package, in fixed-point units.

        Usage: ``space.best_units()``.
        """
        return np.asarray(
            sum(block.units.max(axis=1) for block in self.blocks), dtype=np.int64
        ).reshape(self.n_parties)

    def reweighted(self, party: int, weights: FloatArray) -> ScoredSpace:
        """The same space with one party's issue weights replaced (scores unchanged).

        Usage: ``space.reweighted(1, np.array([50.0, 50.0]))``.
        """
        new_weights = self.weights.copy()
        new_weights[party] = weights
        return _assemble(
            self.agenda,
            self.parties,
            new_weights,
            self.scores,
            self.links,
            self.reservation_points,
        )


def to_points(units: IntArray | int | np.int64) -> FloatArray:
    """Fixed-point units as utility points.

    Usage: ``to_points(space.reservation)``.
    """
    return np.asarray(units, dtype=np.float64) / UNITS_PER_POINT


def _to_units(points: FloatArray | float) -> IntArray:
    return np.rint(np.asarray(points, dtype=np.float64) * UNITS_PER_POINT).astype(np.int64)


def weight_units(weights: FloatArray) -> IntArray:
    """Issue weights (parties × issues, points) in fixed point: even, and summing to 100 points.

    Each weight is cut to an even number of units and the units missing to 100 points are
    handed out by largest remainder, equal weights alike: equal weights that the leftover
    cannot all raise stay cut (three weights of 33.3… end a few units short of 100 rather than
    unequal, which would split ties between packages that differ only in which of them they
    favour). A zero weight stays zero.

    Usage: ``weight_units(np.array([[75.0, 25.0]]))`` gives ``[[750000000, 250000000]]``.
    """
    # Even, so that half the weight (a score of 50) is a whole number of units.
    pairs = np.round(np.asarray(weights, dtype=np.float64), SNAP_DIGITS) * (UNITS_PER_POINT / 2)
    cut = np.floor(pairs)
    out = cut.astype(np.int64)
    target = round(WEIGHT_TOTAL * UNITS_PER_POINT / 2)
    for party in range(out.shape[0]):
        left = target - int(out[party].sum())
        remainders = pairs[party] - cut[party]
        ranked = sorted(
            {float(v) for v, r in zip(pairs[party], remainders, strict=True) if r > 0},
            key=lambda v: (-(v - math.floor(v)), v),
        )
        for value in ranked:
            equal = np.flatnonzero(pairs[party] == value)
            if len(equal) > left:
                continue
            out[party, equal] += 1
            left -= len(equal)
    doubled: IntArray = out * 2
    return doubled


def option_units(weights: IntArray, scores: FloatArray) -> IntArray:
    """Each party's fixed-point points for each option of one issue (parties × options).

    ``weights`` holds each party's weight of the issue in units (:func:`weight_units`),
    ``scores`` the 0–100 scores. A score up to 50 is rounded as weight × score / 100; a higher
    one as the weight less its rounded shortfall, weight × (100 − score) / 100. Scores ``s``
    and ``100 - s`` thus round to two numbers that add up to the weight exactly, and a score
    of 100 gives the weight itself.

    Usage: ``option_units(np.array([600000000]), np.array([[0.0, 62.5, 100.0]]))``.
    """
    full = np.asarray(weights, dtype=np.float64).reshape(-1, 1)
    points = np.round(np.asarray(scores, dtype=np.float64), SNAP_DIGITS)
    # Snapped again after the subtraction: 100 − 99.997 is 0.0030000000000001137 in floats,
    # which must round like the other party's 0.003.
    shortfall = np.round(SCORE_MAX - points, SNAP_DIGITS)
    below = np.rint(full * points / SCORE_MAX)
    above = full - np.rint(full * shortfall / SCORE_MAX)
    return np.where(points <= SCORE_MAX / 2, below, above).astype(np.int64)


def compile_space(agenda: Agenda, profiles: Sequence[AdditiveProfile]) -> ScoredSpace:
    """Check every profile against the agenda and build the fixed-point scored space.

    Raises :class:`InputError` with one line naming the place for weights that are negative or
    do not sum to 100, scores outside 0–100, unknown issues or options, and party counts
    outside 2–6.

    Usage: ``space = compile_space(agenda, [north, south])``.
    """
    if not MIN_PARTIES <= len(profiles) <= MAX_PARTIES:
        raise InputError(
            f"negotiation: {len(profiles)} parties given; the analysis takes "
            f"{MIN_PARTIES} to {MAX_PARTIES}"
        )
    parties = tuple(p.party for p in profiles)
    for index, party in enumerate(parties):
        if party in parties[:index]:
            raise InputError(f"negotiation: party '{party}' has two profiles")
    n_issues = len(agenda.items)
    weights = np.zeros((len(profiles), n_issues), dtype=np.float64)
    scores = [np.zeros((len(profiles), len(item.options))) for item in agenda.items]
    links: list[tuple[int, int, int, int, int, int]] = []
    reservation: list[float] = []
    for p, profile in enumerate(profiles):
        _check_profile(agenda, profile, p, weights, scores)
        links.extend(_check_links(agenda, profile, p))
        if not math.isfinite(profile.reservation_value):
            raise InputError(f"{profile.where}: reservation value must be a finite number")
        reservation.append(float(profile.reservation_value))
    return _assemble(agenda, parties, weights, tuple(scores), tuple(links), tuple(reservation))


def _check_profile(
    agenda: Agenda,
    profile: AdditiveProfile,
    p: int,
    weights: FloatArray,
    scores: list[FloatArray],
) -> None:
    where = profile.where
    ids = agenda.issue_ids
    for issue, weight in profile.weights.items():
        if issue not in ids:
            raise InputError(f"{where}: unknown issue '{issue}'{suggest(issue, ids)}")
        if not math.isfinite(weight):
            raise InputError(f"{where}: weight of '{issue}' must be a finite number")
        if weight < 0:
            raise InputError(
                f"{where}: weight of '{issue}' is {weight:g}; weights cannot be negative"
            )
        weights[p, ids.index(issue)] = weight
    total = float(weights[p].sum())
    if not math.isclose(total, WEIGHT_TOTAL, rel_tol=1e-9, abs_tol=1e-6):
        raise InputError(
            f"{where}: issue weights sum to {total:g}; they must sum to {WEIGHT_TOTAL:g}"
        )
    for issue, table in profile.scores.items():
        if issue not in ids:
            raise InputError(f"{where}: unknown issue '{issue}'{suggest(issue, ids)}")
        item = agenda.items[ids.index(issue)]
        for option, score in table.items():
            if option not in item.options:
                hint = suggest(option, item.options)
                raise InputError(f"{where}: issue '{issue}' has no option '{option}'{hint}")
            if not (math.isfinite(score) and 0 <= score <= SCORE_MAX):
                raise InputError(
                    f"{where}: score of '{issue}' option '{option}' is {score:g}; "
                    f"scores run from 0 to {SCORE_MAX:g}"
                )
            scores[ids.index(issue)][p, item.options.index(option)] = score


def _check_links(
    agenda: Agenda, profile: AdditiveProfile, p: int
) -> list[tuple[int, int, int, int, int, int]]:
    out: list[tuple[int, int, int, int, int, int]] = []
    ids = agenda.issue_ids
    for number, term in enumerate(profile.linked):
        where = f"{profile.where}: linked term {number + 1}"
        ends: list[tuple[int, int]] = []
        for issue, option in ((term.issue, term.option), (term.other_issue, term.other_option)):
            if issue not in ids:
                raise InputError(f"{where}: unknown issue '{issue}'{suggest(issue, ids)}")
            item = agenda.items[ids.index(issue)]
            if option not in item.options:
                hint = suggest(option, item.options)
                raise InputError(f"{where}: issue '{issue}' has no option '{option}'{hint}")
            ends.append((ids.index(issue), item.options.index(option)))
        if ends[0][0] == ends[1][0]:
            raise InputError(f"{where}: links issue '{term.issue}' with itself")
        if not math.isfinite(term.points):
            raise InputError(f"{where}: points must be a finite number")
        units = int(_to_units(term.points))
        out.append((p, ends[0][0], ends[0][1], ends[1][0], ends[1][1], units))
    return out


def _assemble(
    agenda: Agenda,
    parties: tuple[str, ...],
    weights: FloatArray,
    scores: tuple[FloatArray, ...],
    links: tuple[tuple[int, int, int, int, int, int], ...],
    reservation: tuple[float, ...],
) -> ScoredSpace:
    n_issues = len(agenda.items)
    # Linked issues are scored together: a group joined by terms becomes one block whose
    # combinations carry the terms' points, and the rest of the analysis stays additive.
    group = list(range(n_issues))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for _, a, _, b, _, _ in links:
        group[root(a)] = root(b)
    members: dict[int, list[int]] = {}
    for i in range(n_issues):
        members.setdefault(root(i), []).append(i)
    fixed_weights = weight_units(weights)
    issue_units = tuple(option_units(fixed_weights[:, i], scores[i]) for i in range(n_issues))
    blocks: list[Block] = []
    for issues in sorted(members.values()):
        sizes = [len(agenda.items[i].options) for i in issues]
        count = math.prod(sizes)
        if len(issues) > 1 and count > MAX_LINKED_COMBINATIONS:
            names = ", ".join(f"'{agenda.items[i].id}'" for i in issues)
            raise InputError(
                f"linked terms join issues {names} into {count:,} option combinations; "
                f"at most {MAX_LINKED_COMBINATIONS:,} can be analysed"
            )
        combos = np.array(list(itertools.product(*(range(s) for s in sizes))), dtype=np.int64)
        combos = combos.reshape(count, len(issues))
        units = np.zeros((len(parties), count), dtype=np.int64)
        for column, i in enumerate(issues):
            units += issue_units[i][:, combos[:, column]]
        position = {i: column for column, i in enumerate(issues)}
        for party, a, oa, b, ob, pts in links:
            if a in position:
                hit = (combos[:, position[a]] == oa) & (combos[:, position[b]] == ob)
                units[party, hit] += pts
        blocks.append(make_block(tuple(issues), combos, units))
    return ScoredSpace(
        agenda=agenda,
        parties=parties,
        weights=weights,
        scores=scores,
        units=issue_units,
        links=links,
        blocks=tuple(blocks),
        reservation=_to_units(np.array(reservation)),
        reservation_points=reservation,
        size=agenda.size,
    )
