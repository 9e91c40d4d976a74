"""The negotiation agenda: topics, issues with options, and each side's scored positions."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Self

from pydantic import Field, field_validator, model_validator

from summitry.domain.base import (
    Model,
    Name,
    Number,
    Percent,
    Readers,
    Record,
    Slug,
    Text,
    echo,
    private_to_holder,
)


class ImpactLevel(StrEnum):
    """Potential impact of an issue, ordered Low < Medium < High < Critical."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """Position on the scale, 0 for Low up to 3 for Critical."""
        return list(ImpactLevel).index(self)

    @classmethod
    def parse(cls, text: str) -> ImpactLevel | None:
        """Read a level from free text, accepting "Moderate" for Medium; None when not a level.

        Usage: ``ImpactLevel.parse("Moderate")`` gives ``ImpactLevel.MEDIUM``.
        """
        key = text.strip().lower()
        key = _IMPACT_ALIASES.get(key, key)
        return cls(key) if key in cls._value2member_map_ else None

    def __lt__(self, other: object) -> bool:
        """Compare by rank, not alphabetically."""
        if not isinstance(other, ImpactLevel):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        """Compare by rank, not alphabetically."""
        if not isinstance(other, ImpactLevel):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        """Compare by rank, not alphabetically."""
        if not isinstance(other, ImpactLevel):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        """Compare by rank, not alphabetically."""
        if not isinstance(other, ImpactLevel):
            return NotImplemented
        return self.rank >= other.rank


_IMPACT_ALIASES = {"moderate": "medium", "med": "medium", "severe": "critical"}


class Topic(Record):
    """An agenda topic not yet worked into an issue with options; ``issue`` once it has been."""

    name: Name
    description: Text = ""
    issue: Slug | None = None


class AgendaIssue(Record):
    """A strategic issue negotiated as part of the package.

    ``options`` maps option ids to their wording, in order; ``ordinal`` says that order means
    something (e.g. from no relief to full relief).
    """

    name: Name
    impact: ImpactLevel | None = None
    focus: Text = ""
    description: Text = ""
    options: dict[Slug, Text] = Field(default_factory=dict)
    ordinal: bool = False

    @field_validator("impact", mode="before")
    @classmethod
    def _impact_alias(cls, value: Any) -> Any:
        if isinstance(value, str):
            level = ImpactLevel.parse(value)
            if level is None:
                raise ValueError(
                    f"unknown impact level {echo(value)} (use low, medium, high or critical)"
                )
            return level
        return value


class IssueScores(Model):
    """One issue inside a position: its weight (points of 100) and a 0–100 score per option.

    ``weight_range`` ``[low, high]`` says how unsure the holder is of the weight — useful for an
    estimate of the other side; the robustness analysis samples weightings within the ranges.
    """

    weight: Number = Field(ge=0, le=100)
    scores: dict[Slug, Percent] = Field(default_factory=dict)
    weight_range: tuple[Percent, Percent] | None = None

    @model_validator(mode="after")
    def _range_holds_weight(self) -> Self:
        if self.weight_range is not None:
            low, high = self.weight_range
            if not low <= self.weight <= high:
                raise ValueError(
                    f"weight_range [{low:g}, {high:g}] must contain the weight {self.weight:g}"
                )
        return self


class Linkage(Model):
    """Points added (negative: taken away) when two options of two issues come together.

    E.g. sanction relief is worth less without a verified ceasefire:
    ``{ issue = "sanctions", option = "relief", with_issue = "ceasefire", with_option = "none",
    points = -20 }``.
    """

    issue: Slug
    option: Slug
    with_issue: Slug
    with_option: Slug
    points: Number = Field(ge=-100, le=100)


class Position(Record):
    """An additive scoring system describing one party's preferences over the agenda.

    ``about`` is the party whose preferences these are; ``held_by`` is the delegation that
    entered them — its own declared position, or its private estimate of the other side's.
    Issue weights sum to 100. A position is private to ``held_by`` unless it says otherwise.
    """

    about: Slug
    held_by: Slug
    visibility: Readers
    issues: dict[Slug, IssueScores] = Field(default_factory=dict)
    linked: tuple[Linkage, ...] = ()
    reservation_value: Percent | None = None
    batna: Text = ""

    _private_by_default = model_validator(mode="before")(private_to_holder)

    @property
    def is_estimate(self) -> bool:
        """Whether this is one delegation's estimate of another party's preferences."""
        return self.about != self.held_by
