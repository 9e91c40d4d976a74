"""Candidate venues, the criteria they are compared on, and the hard requirements."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from summitry.domain.base import (
    Model,
    Name,
    Readers,
    Record,
    Score,
    Slug,
    Text,
    Weight,
    private_to_holder,
)


class VenueStatus(StrEnum):
    """How far a venue has come in the selection."""

    LONG_LIST = "long-list"
    SHORTLIST = "shortlist"
    SELECTED = "selected"
    REJECTED = "rejected"


class Venue(Record):
    """A candidate venue: criterion scores and hard constraints it meets or not.

    ``scores`` are per criterion of ``[venue_criteria]``; ``constraints`` record hard
    requirements such as ``secure-communications = true``. A delegation that cannot accept a
    venue says so in its own :class:`VenuePreference`.
    """

    name: Name
    location: Text = ""
    status: VenueStatus = VenueStatus.LONG_LIST
    capacity: int | None = Field(default=None, ge=0)
    scores: dict[Slug, Score] = Field(default_factory=dict)
    constraints: dict[Slug, bool] = Field(default_factory=dict)
    notes: Text = ""


class Direction(StrEnum):
    """Whether more of a criterion is better (benefit) or worse (cost)."""

    BENEFIT = "benefit"
    COST = "cost"


class VenueCriterion(Record):
    """A criterion venues are scored on, with the jointly agreed weight.

    Weights are relative (they need not sum to anything) and must not be negative. Each
    delegation's own weights are its :class:`VenuePreference`.
    """

    name: Name
    direction: Direction = Direction.BENEFIT
    weight: Weight = 1
    description: Text = ""


class VenuePreference(Record):
    """One delegation's own view of the venues: its criterion weights and its vetoes.

    Like a position, it is the holder's record and by default only the holder may read it.
    ``weights`` maps criterion ids to relative weights; ``vetoes`` lists venues the holder
    cannot accept, with the reason in ``reason``. A delegation may split its view over several
    preferences (weights private, a veto announced to all) but weighs each criterion once.
    """

    held_by: Slug
    visibility: Readers
    weights: dict[Slug, Weight] = Field(default_factory=dict)
    vetoes: tuple[Slug, ...] = ()
    reason: Text = ""

    _private_by_default = model_validator(mode="before")(private_to_holder)


class VenueRequirements(Model):
    """Hard requirements every venue must meet before it is ranked at all."""

    required: tuple[Slug, ...] = ()
    min_capacity: int | None = Field(default=None, ge=0)
