"""Building blocks shared by every plan record: slugs, visibility labels, dates and estimates."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    field_validator,
    model_serializer,
    model_validator,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
JOINT = "joint"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
"""A record id: lowercase letters and digits joined by single hyphens (``venue-survey``)."""

VARIANT_REF = "descriptor.variant"
VariantRef = Annotated[str, VARIANT_REF]
"""A scenario variant named as ``descriptor.variant``; the descriptor part is a record id."""


def _plain_number(value: float) -> float | int:
    # Whole numbers are written back as integers so that saved plans stay as people wrote them.
    return int(value) if float(value).is_integer() else value


Number = Annotated[float, PlainSerializer(_plain_number)]
"""A float that is written back without a trailing ``.0`` when it is whole."""

NonNegative = Annotated[Number, Field(ge=0)]
Percent = Annotated[Number, Field(ge=0, le=100)]
Probability = Annotated[Number, Field(ge=0, le=1)]
Text = Annotated[str, StringConstraints(strip_whitespace=True)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


def slugify(text: str) -> str:
    """Turn free text into a record id.

    Usage: ``slugify("Eastern Europe Security")`` gives ``eastern-europe-security``.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80].rstrip("-") or "item"


class Model(BaseModel):
    """Base of every plan value: immutable, and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


Readers = Slug | tuple[Slug, ...]
"""Who may read a record: ``joint`` (every party), one party id, or a list of party ids."""


class Record(Model):
    """A plan record: an id unique within the plan, who may read it, and whose it is.

    ``visibility`` lists the readers: ``joint`` (every party of the summit, now and later), the
    id of the one party whose private material it is, or a list of party ids (a record one
    party has released to another, e.g. ``["russia", "secretariat"]``). ``compartments``
    narrow it further to readers cleared for each (e.g. ``back-channel``). ``owned_by`` is
    the party whose record it is; when it is not written, it is the holder of a position or
    preference, the first reader of a private record, and nobody in particular (the plan's
    keeper) for joint material.
    """

    id: Slug
    visibility: Readers = JOINT
    compartments: tuple[Slug, ...] = ()
    owned_by: Slug | None = None

    @field_validator("visibility")
    @classmethod
    def _readers(cls, value: Readers) -> Readers:
        if isinstance(value, tuple):
            if not value:
                raise ValueError("a list of readers needs at least one party")
            if JOINT in value:
                raise ValueError("'joint' already means every party; write it alone")
            if len(set(value)) != len(value):
                raise ValueError("a party is listed twice among the readers")
        return value

    @property
    def readers(self) -> frozenset[str] | None:
        """The parties that may read this record; None when every party may (joint).

        Usage: ``plan.positions["north-own"].readers`` gives ``frozenset({"north"})``.
        """
        if isinstance(self.visibility, tuple):
            return frozenset(self.visibility)
        return None if self.visibility == JOINT else frozenset({self.visibility})

    @property
    def is_joint(self) -> bool:
        """Whether every party may read this record (readers joint, no compartment)."""
        return self.visibility == JOINT and not self.compartments


def private_to_holder(cls: type[Record], value: Any) -> Any:
    """Before-validator of held records: readable only by ``held_by`` unless they say otherwise.

    Usage: ``_private = model_validator(mode="before")(private_to_holder)`` in a record class.
    """
    if isinstance(value, dict) and "visibility" not in value and "held_by" in value:
        return {**value, "visibility": value["held_by"]}
    return value


class DateWindow(Model):
    """An inclusive range of dates, e.g. an expected completion of "Late July 2024".

    In a plan file a single date stands for a one-day window; a window is written
    ``{ start = 2024-07-21, end = 2024-07-31, label = "Late July 2024" }``.
    """

    start: date
    end: date
    label: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_single_date(cls, value: Any) -> Any:
        if isinstance(value, date):
            return {"start": value, "end": value}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"window ends ({self.end}) before it starts ({self.start})")
        return self

    @model_serializer(mode="wrap")
    def _compact(self, handler: Any) -> Any:
        if self.start == self.end and self.label is None:
            return self.start
        return handler(self)

    @classmethod
    def on(cls, day: date) -> DateWindow:
        """A one-day window.

        Usage: ``DateWindow.on(date(2024, 7, 31))``.
        """
        return cls(start=day, end=day)


class Estimate(Model):
    """A three-point duration estimate in working days: optimistic ≤ most likely ≤ pessimistic.

    In a plan file it is written ``[3, 5, 9]`` (or as a table with the three names).
    """

    optimistic: NonNegative
    most_likely: NonNegative
    pessimistic: NonNegative

    @model_validator(mode="before")
    @classmethod
    def _from_triple(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            if len(value) != 3:
                raise ValueError(
                    "an estimate is three numbers: [optimistic, most_likely, pessimistic]"
                )
            return dict(zip(("optimistic", "most_likely", "pessimistic"), value, strict=True))
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        o, m, p = self.optimistic, self.most_likely, self.pessimistic
        if not o <= m <= p:
            raise ValueError(
                f"estimate must satisfy optimistic ≤ most likely ≤ pessimistic, got {o:g}, {m:g}, "
                f"{p:g}"
            )
        return self

    @model_serializer(mode="plain")
    def _as_triple(self) -> list[float | int]:
        return [_plain_number(v) for v in (self.optimistic, self.most_likely, self.pessimistic)]

    @property
    def pert_mean(self) -> float:
        """Mean of the Beta-PERT distribution (λ = 4).

        Usage: ``Estimate.model_validate([2, 4, 12]).pert_mean`` gives 5.0.
        """
        return (self.optimistic + 4 * self.most_likely + self.pessimistic) / 6

    @property
    def triangular_mean(self) -> float:
        """Mean of the triangular distribution over the three points."""
        return (self.optimistic + self.most_likely + self.pessimistic) / 3
