"""Candidate venues, the criteria they are compared on, and the hard requirements."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from summitry.domain.base import Model, Name, NonNegative, Number, Record, Slug, Text


class VenueStatus(StrEnum):
    """How far a venue has come in the selection."""

    LONG_LIST = "long-list"
    SHORTLIST = "shortlist"
    SELECTED = "selected"
    REJECTED = "rejected"


class Venue(Record):
    """A candidate venue: criterion scores and hard constraints it meets or not.

    ``scores`` are per criterion of ``[venue_criteria]``; ``constraints`` record hard
    requirements such as ``secure-communications = true``; ``unacceptable_to`` lists the
    delegations that cannot accept it (for instance as not neutral).
    """

    name: Name
    location: Text = ""
    status: VenueStatus = VenueStatus.LONG_LIST
    capacity: int | None = Field(default=None, ge=0)
    scores: dict[Slug, Number] = Field(default_factory=dict)
    constraints: dict[Slug, bool] = Field(default_factory=dict)
    unacceptable_to: tuple[Slug, ...] = ()
    notes: Text = ""


class Direction(StrEnum):
    """Whether more of a criterion is better (benefit) or worse (cost)."""

    BENEFIT = "benefit"
    COST = "cost"


class VenueCriterion(Record):
    """A criterion venues are scored on, with the joint weight and each delegation's own.

    ``weights`` maps a party id to that delegation's weight; weights are relative (they need
    not sum to anything) and must not be negative.
    """

    name: Name
    direction: Direction = Direction.BENEFIT
    weight: Number = Field(default=1, ge=0)
    weights: dict[Slug, NonNegative] = Field(default_factory=dict)
    description: Text = ""


class VenueRequirements(Model):
    """Hard requirements every venue must meet before it is ranked at all."""

    required: tuple[Slug, ...] = ()
    min_capacity: int | None = Field(default=None, ge=0)
