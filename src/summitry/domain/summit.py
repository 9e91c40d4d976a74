"""The summit itself, its parties and people, and the status vocabulary of the plan."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from summitry.domain.base import DateWindow, Day, Model, Name, Record, Slug, Text, echo
from summitry.domain.calendar import WorkCalendar


class PartyKind(StrEnum):
    """The role a party plays at the summit."""

    DELEGATION = "delegation"
    HOST = "host"
    MEDIATOR = "mediator"
    SECRETARIAT = "secretariat"
    OBSERVER = "observer"


RESERVED_READERS = ("all", "joint")
"""Reader names that are not parties: a party of either id could not be told from them."""


class Party(Record):
    """A delegation, host, mediator or secretariat taking part in the summit."""

    name: Name
    kind: PartyKind = PartyKind.DELEGATION
    leader: Text = ""

    @field_validator("id")
    @classmethod
    def _not_a_reader_name(cls, value: str) -> str:
        if value in RESERVED_READERS:
            raise ValueError(f"'{value}' names a reader, not a party; choose another id")
        return value


class Person(Record):
    """Someone who owns work or sits in a working group."""

    name: Name
    party: Slug
    role: Text = ""


class Status(Record):
    """One entry of the status vocabulary; ``is_closed`` marks work that is finished."""

    label: Name
    is_closed: bool = False
    aliases: tuple[Text, ...] = ()


def _status(slug: str, label: str, closed: bool = False, *aliases: str) -> Status:
    return Status(id=slug, label=label, is_closed=closed, aliases=aliases)


DEFAULT_STATUSES: tuple[Status, ...] = (
    _status("not-started", "Not started", False, "planned", "to do", "todo", "pending"),
    _status("in-progress", "In progress", False, "ongoing", "underway", "active", "started"),
    _status("under-review", "Under review", False, "in review", "review", "for review"),
    _status("shortlisting", "Shortlisting", False, "shortlisting phase", "shortlist"),
    _status("blocked", "Blocked", False, "on hold", "stalled"),
    _status("complete", "Complete", True, "completed", "done", "finished", "finalised"),
    _status("cancelled", "Cancelled", True, "canceled", "dropped", "withdrawn"),
)
"""The statuses every plan knows; a plan may add its own under ``[statuses]``."""


class Summit(Model):
    """What the plan prepares: title, date (or window), time zone and reference date.

    ``host`` and ``mediator`` name parties. ``confirmed`` says whether the date is agreed or a
    planning assumption. ``as_of`` is the reference date for the due-soon and overdue bands;
    the CLI's ``--as-of`` overrides it and defaults to today.
    """

    title: Name
    description: Text = ""
    date: Day | None = None
    window: DateWindow | None = None
    confirmed: bool = False
    location: Text = ""
    timezone: str = "UTC"
    host: Slug | None = None
    mediator: Slug | None = None
    as_of: Day | None = None
    calendar: WorkCalendar = Field(default_factory=WorkCalendar)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(  # noqa: B904 (pydantic reports the ValueError, not its cause)
                f"unknown time zone {echo(value)} (use an IANA name such as 'Europe/Vienna')"
            )
        return value

    @model_validator(mode="after")
    def _one_date(self) -> Self:
        if self.date is not None and self.window is not None:
            raise ValueError("give either a summit date or a window, not both")
        return self

    @property
    def earliest_date(self) -> dt.date | None:
        """The summit date, or the first day of its window; None while it is not set.

        Usage: ``plan.summit.earliest_date``.
        """
        if self.date is not None:
            return self.date
        return self.window.start if self.window is not None else None
