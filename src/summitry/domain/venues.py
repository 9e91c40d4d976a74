"""Candidate venues for the summit."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from summitry.domain.base import Name, Number, Record, Slug, Text


class VenueStatus(StrEnum):
    """How far a venue has come in the selection."""

    LONG_LIST = "long-list"
    SHORTLIST = "shortlist"
    SELECTED = "selected"
    REJECTED = "rejected"


class Venue(Record):
    """A candidate venue: criterion scores and hard constraints it meets or not.

    ``scores`` are per criterion (higher is better unless the venue analysis says otherwise);
    ``constraints`` record hard requirements such as ``secure-communications = true``.
    """

    name: Name
    location: Text = ""
    status: VenueStatus = VenueStatus.LONG_LIST
    capacity: int | None = Field(default=None, ge=0)
    scores: dict[Slug, Number] = Field(default_factory=dict)
    constraints: dict[Slug, bool] = Field(default_factory=dict)
    notes: Text = ""
