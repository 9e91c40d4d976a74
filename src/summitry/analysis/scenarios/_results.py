"""The values the CIB analyses return: scenarios, searches, attractors, diagnostics, ensembles.

Plain frozen dataclasses with no behaviour beyond convenience views; they depend on nothing else
in the package, so every part of it can use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SuccessionMode = Literal["global", "adiabatic"]


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

    ``exact`` says whether the list is every scenario asked for (a pruned search of the whole
    space) rather than a sample (fixed points of successions from random starts) or a search
    cut short; ``coverage`` says what was covered in words. ``complete`` is false when the
    search was stopped before its end (a time limit): ``searched`` then says how many of the
    ``searched_size`` scenarios the exact search settled (those before where it stopped, in
    its order), or for a sample how many random starts ran. ``fixed`` lists forced
    (descriptor, variant) pairs; with ``exempt_fixed`` their own consistency was not required
    (they are set from outside, as a policy lever).
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
    complete: bool
    searched: int

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
    ``max_steps``. ``complete`` is false when a time limit stopped the run: ``starts`` then
    counts the starts that ran.
    """

    mode: SuccessionMode
    attractors: tuple[Attractor, ...]
    starts: int
    exhaustive: bool
    space_size: int
    unsettled: int
    max_steps: int
    coverage: str
    complete: bool = True

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
    the experts' matrices (the usual CIB way to pool an ensemble). ``complete`` is false when a
    time limit stopped a search: ``searched`` then says, per expert, how many of the
    ``searched_size`` scenarios that expert's search settled (``summed`` says its own).
    """

    experts: tuple[str, ...]
    max_inconsistency: int
    scenarios: tuple[EnsembleScenario, ...]
    summed: ScenarioSet
    complete: bool
    searched: tuple[int, ...]
    searched_size: int

    @property
    def consensus(self) -> tuple[EnsembleScenario, ...]:
        """Scenarios that every expert's matrix supports."""
        return tuple(s for s in self.scenarios if s.support == len(self.experts))
