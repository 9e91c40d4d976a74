"""Building blocks shared by every plan record: slugs, visibility labels, dates and estimates.

Every number and date of a plan is read through the types here, so their limits hold
everywhere: numbers are finite, durations stay within :data:`MAX_WORKING_DAYS` and dates within
:data:`FIRST_DATE` … :data:`LAST_DATE` (docs/plan-format.md, "Limits").
"""

from __future__ import annotations

import re
import reprlib
import unicodedata
from datetime import date, datetime
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
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


ECHO_LIMIT = 80
"""The most characters of a user's value that a message repeats."""

_ECHO = reprlib.Repr()
_ECHO.maxstring = _ECHO.maxother = ECHO_LIMIT
_ECHO.maxlist = _ECHO.maxtuple = _ECHO.maxdict = _ECHO.maxset = 6
_ECHO.maxlevel = 3


def clip(text: str, limit: int = ECHO_LIMIT) -> str:
    r"""Text made fit for a one-line message: control characters escaped, cut at ``limit``.

    Usage: ``clip("a\nb")`` gives ``a\\nb``; a longer text ends in ``…``.
    """
    # Cut before escaping: a value can be megabytes long, and only its start is shown.
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text[: limit + 1])
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def echo(value: object) -> str:
    """A user's value as a message repeats it: quoted when text, on one line, about 80 wide.

    Usage: ``f"unknown time zone {echo(value)}"`` gives ``unknown time zone 'Mars/Base'``.
    """
    if isinstance(value, str):
        return f"'{clip(value)}'"
    return clip(_ECHO.repr(value))


def _plain_number(value: float) -> float | int:
    # Whole numbers are written back as integers so that saved plans stay as people wrote them.
    return int(value) if float(value).is_integer() else value


Number = Annotated[float, Field(allow_inf_nan=False), PlainSerializer(_plain_number)]
"""A finite float (never inf or nan), written back without a trailing ``.0`` when whole."""

MAX_WORKING_DAYS = 5_000
"""The longest duration, risk delay or lag (and lead) of a plan: about twenty working years.

Summit preparation counts in days and weeks; the bound is far above any real estimate and
keeps the forecast's arithmetic and its dates well inside what they can represent.
"""

WorkingDays = Annotated[Number, Field(ge=0, le=MAX_WORKING_DAYS)]
"""A duration in working days, from 0 to :data:`MAX_WORKING_DAYS`."""
Lag = Annotated[Number, Field(ge=-MAX_WORKING_DAYS, le=MAX_WORKING_DAYS)]
"""A lag in working days; negative is a lead, bounded like a lag."""

MAX_WEIGHT = 1_000_000
"""The largest relative weight of a venue criterion."""
MAX_SCORE = 1_000_000_000
"""The largest size of a venue score, either sign (a cost in euros fits)."""

Weight = Annotated[Number, Field(ge=0, le=MAX_WEIGHT)]
"""A relative weight, from 0 to :data:`MAX_WEIGHT`."""
Score = Annotated[Number, Field(ge=-MAX_SCORE, le=MAX_SCORE)]
"""A venue score on the criterion's own scale, within ±:data:`MAX_SCORE`."""
Percent = Annotated[Number, Field(ge=0, le=100)]
Probability = Annotated[Number, Field(ge=0, le=1)]

FIRST_DATE = date(1900, 1, 1)
"""The earliest date a plan may hold."""
LAST_DATE = date(2200, 12, 31)
"""The latest date a plan may hold, and the latest a forecast may reach."""

DATE_FORM = "a date is written YYYY-MM-DD, e.g. 2024-07-19"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def is_supported_date(day: date) -> bool:
    """Whether ``day`` lies in the supported range :data:`FIRST_DATE` … :data:`LAST_DATE`.

    Usage: ``is_supported_date(date(9999, 12, 31))`` is False.
    """
    return FIRST_DATE <= day <= LAST_DATE


def unsupported_date(day: date) -> str:
    """The message for a date outside the supported range.

    Usage: ``raise InputError(f"as_of: {unsupported_date(day)}")``.
    """
    return f"{day} is outside the dates summitry supports ({FIRST_DATE} to {LAST_DATE})"


def _day(value: Any) -> Any:
    # One reading of every plan date: a TOML date, or ISO text from Python and JSON callers.
    # A datetime is a date subclass, so it must be refused before the date check.
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{echo(value)} is not a day of the calendar") from None
    if isinstance(value, datetime):
        raise ValueError(f"{DATE_FORM}, without a time (got {value.isoformat()})")
    if not isinstance(value, date):
        raise ValueError(f"{DATE_FORM} (got {echo(value)})")
    if not is_supported_date(value):
        raise ValueError(unsupported_date(value))
    return value


Day = Annotated[date, BeforeValidator(_day)]
"""A plan date: ``YYYY-MM-DD``, from :data:`FIRST_DATE` to :data:`LAST_DATE`."""

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

    start: Day
    end: Day
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


ESTIMATE_FORM = (
    "estimate should be [optimistic, most likely, pessimistic] working days, e.g. [1, 2, 4]"
)
"""How an estimate is written: the message of every estimate that is not three such numbers."""


class Estimate(Model):
    """A three-point duration estimate in working days: optimistic ≤ most likely ≤ pessimistic.

    In a plan file it is written ``[3, 5, 9]`` (or as a table with the three names); each
    point is from 0 to :data:`MAX_WORKING_DAYS`.
    """

    optimistic: WorkingDays
    most_likely: WorkingDays
    pessimistic: WorkingDays

    @model_validator(mode="before")
    @classmethod
    def _from_triple(cls, value: Any) -> Any:
        if isinstance(value, list | tuple) and len(value) == 3:
            return dict(zip(("optimistic", "most_likely", "pessimistic"), value, strict=True))
        if isinstance(value, dict | Estimate):
            return value
        count = "; it takes three numbers" if isinstance(value, list | tuple) else ""
        raise ValueError(f"{ESTIMATE_FORM}{count} (got {echo(value)})")

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
