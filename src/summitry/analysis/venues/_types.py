"""The values the venue analysis takes and gives: criteria, venues, requirements and results.

Inputs (`Criterion`, `VenueOption`, `Requirements`, `DecisionMatrix`), the screening, the
rankings, the SMAA-2 acceptabilities, rank reversals, weight flips and the whole
`VenueAnalysis`, with the literal types that name directions, normalisations and methods.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from summitry.errors import InputError

Direction = Literal["benefit", "cost"]
Normalisation = Literal["vector", "minmax"]
Method = Literal["weighted-sum", "topsis", "promethee-ii"]
PreferenceFunction = Literal["usual", "linear"]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Criterion:
    """A criterion venues are scored on, and whether more of it is better (benefit) or worse."""

    name: str
    direction: Direction = "benefit"


@dataclass(frozen=True)
class VenueOption:
    """A candidate venue as the analysis sees it: scores, capacity and met hard constraints."""

    name: str
    scores: Mapping[str, float]
    capacity: int | None = None
    constraints: Mapping[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class Requirements:
    """Hard constraints every venue must meet to be ranked at all.

    ``required`` names constraints a venue must record as true; ``vetoes`` maps a delegation
    to the venues it cannot accept (for instance as not neutral).
    """

    required: tuple[str, ...] = ()
    min_capacity: int | None = None
    vetoes: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class ScreenedOut:
    """A venue removed by screening, with every reason (not just the first)."""

    venue: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Screening:
    """Venues that passed screening (input order) and those screened out with reasons."""

    passed: tuple[str, ...]
    screened_out: tuple[ScreenedOut, ...]


@dataclass(frozen=True)
class DecisionMatrix:
    """Venues x criteria scores with each criterion's direction, validated and complete."""

    venues: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    scores: tuple[tuple[float, ...], ...]

    @property
    def array(self) -> FloatArray:
        """The scores as a (venues, criteria) float array."""
        return np.array(self.scores, dtype=np.float64).reshape(len(self.venues), -1)

    @property
    def benefit(self) -> npt.NDArray[np.bool_]:
        """True for criteria where more is better."""
        return np.array([c.direction == "benefit" for c in self.criteria], dtype=np.bool_)

    def without(self, venue: str) -> DecisionMatrix:
        """The same matrix with one venue left out.

        Usage: ``matrix.without("geneva")``.
        """
        keep = [i for i, v in enumerate(self.venues) if v != venue]
        return DecisionMatrix(
            tuple(self.venues[i] for i in keep), self.criteria, tuple(self.scores[i] for i in keep)
        )


@dataclass(frozen=True)
class RankedVenue:
    """One venue's score and rank (1 is best; tied scores share the better rank)."""

    venue: str
    score: float
    rank: int


@dataclass(frozen=True)
class Ranking:
    """Venues best first under one method, normalisation and weight set."""

    method: Method
    normalisation: str
    weight_set: str
    venues: tuple[RankedVenue, ...]

    @property
    def winner(self) -> str:
        """The venue ranked first (the first listed on a tie)."""
        return self.venues[0].venue

    @property
    def order(self) -> tuple[str, ...]:
        """Venue names best first."""
        return tuple(v.venue for v in self.venues)


@dataclass(frozen=True)
class Acceptability:
    """SMAA-2 results for one venue.

    ``ranks[r]`` is the share of sampled weightings in which the venue takes rank r + 1;
    ``central_weights`` is the mean weighting that makes it first (None if none does);
    ``confidence`` is the share of score samples in which it is first at its central weights
    (1 or 0 without score uncertainty; None if it is never first).
    """

    venue: str
    ranks: tuple[float, ...]
    central_weights: Mapping[str, float] | None
    confidence: float | None

    @property
    def first(self) -> float:
        """Share of plausible weightings in which this venue ranks first."""
        return self.ranks[0]


@dataclass(frozen=True)
class SmaaResult:
    """SMAA-2 rank acceptability of every venue, most often first listed first.

    Utilities are weighted sums of min-max normalised scores; ``weights`` says how the
    weightings were sampled and ``samples`` how many (the sampling error of a share p is
    about ``sqrt(p (1 - p) / samples)``).
    """

    samples: int
    weights: str
    venues: tuple[Acceptability, ...]

    def sentence(self, venue: str) -> str:
        """One line a principal can read: how often the venue ranks first.

        Usage: ``smaa.sentence("geneva")`` gives "geneva ranks first in 62 % of plausible
        weightings".
        """
        for row in self.venues:
            if row.venue == venue:
                return f"{venue} ranks first in {row.first:.0%} of plausible weightings".replace(
                    "%", " %"
                )
        raise InputError(f"no venue '{venue}' in the SMAA result")


@dataclass(frozen=True)
class RankReversal:
    """What changed when one venue was dropped and the rest re-ranked.

    ``swapped`` lists pairs (a, b) where a ranked above b with the venue present and below it
    without; an empty tuple means no rank reversal.
    """

    dropped: str
    winner_before: str
    winner_after: str
    swapped: tuple[tuple[str, str], ...]

    @property
    def winner_changed(self) -> bool:
        """Whether dropping the venue changed which venue comes first (other than itself)."""
        return self.winner_before != self.dropped and self.winner_before != self.winner_after


@dataclass(frozen=True)
class WeightFlip:
    """The smallest one-criterion weight change that hands first place to another venue.

    Shares are of the total weight; the other criteria keep their proportions. ``up_to`` is
    the share at which raising this criterion's weight lets ``up_rival`` tie the winner (beyond
    it the rival wins); ``down_to`` and ``down_rival`` likewise for lowering. None means no
    change in that direction flips the winner.
    """

    criterion: str
    share: float
    up_to: float | None
    up_rival: str | None
    down_to: float | None
    down_rival: str | None

    @property
    def smallest_change(self) -> float | None:
        """The smaller of the two changes in share points, or None if neither flips."""
        options = [abs(s - self.share) for s in (self.up_to, self.down_to) if s is not None]
        return min(options) if options else None


@dataclass(frozen=True)
class WeightSetResult:
    """Rankings, reversals and flips for one weight set (a delegation's or the joint one)."""

    name: str
    weights: Mapping[str, float]
    weighted_sum: Ranking
    topsis: Ranking
    promethee: Ranking | None
    reversals: tuple[RankReversal, ...]
    flips: tuple[WeightFlip, ...]


@dataclass(frozen=True)
class VenueAnalysis:
    """Everything `analyse_venues` found: screening, per-weight-set results and SMAA-2."""

    screening: Screening
    matrix: DecisionMatrix
    weight_sets: tuple[WeightSetResult, ...]
    smaa: SmaaResult | None
