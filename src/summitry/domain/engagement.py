"""The engagement machinery and the record of what happened.

Mechanisms, working groups, meetings, decisions, developments, stakeholders and notes.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from summitry.domain.base import Day, Name, Record, Slug, Text


class EngagementMechanism(Record):
    """A component of diplomatic engagement: joint working groups, situation reports, ..."""

    name: Name
    description: Text = ""
    impact: Text = ""


class WorkingGroup(Record):
    """A joint team with a mandate over some agenda issues and members from each delegation."""

    name: Name
    mandate: Text = ""
    issues: tuple[Slug, ...] = ()
    members: tuple[Slug, ...] = ()
    chair: Slug | None = None


class Meeting(Record):
    """A meeting of a working group (or of principals): who attended, minutes, decisions."""

    title: Name
    date: Day
    group: Slug | None = None
    attendees: tuple[Slug, ...] = ()
    minutes: Text = ""
    decisions: tuple[Slug, ...] = ()


class DecisionStatus(StrEnum):
    """Where a decision of the principals stands."""

    OPEN = "open"
    DECIDED = "decided"
    DEFERRED = "deferred"
    WITHDRAWN = "withdrawn"


class Decision(Record):
    """An entry of the decisions register: what the principals must decide, and by when.

    ``about`` names the record the decision concerns (a venue, an issue, a task).
    """

    title: Name
    description: Text = ""
    due: Day | None = None
    status: DecisionStatus = DecisionStatus.OPEN
    outcome: Text = ""
    decided_on: Day | None = None
    owner: Slug | None = None
    about: Slug | None = None


class Development(Record):
    """A dated entry of the timeline, with its source."""

    date: Day
    title: Name
    text: Text = ""
    source: Text = ""


class Attitude(StrEnum):
    """A stakeholder's stance on an issue."""

    SUPPORTIVE = "supportive"
    LEANING_SUPPORTIVE = "leaning-supportive"
    NEUTRAL = "neutral"
    LEANING_OPPOSED = "leaning-opposed"
    OPPOSED = "opposed"
    UNKNOWN = "unknown"


class Stakeholder(Record):
    """An organisation with a stake in the outcome, and its stance per issue."""

    name: Name
    organisation: Text = ""
    stances: dict[Slug, Attitude] = Field(default_factory=dict)


class Note(Record):
    """Free text, optionally about one record; back-channel notes carry a compartment."""

    title: Name
    text: Text = ""
    about: Slug | None = None
    date: Day | None = None
