"""Preparation work: workstreams, their tasks and milestones, and action items."""

from __future__ import annotations

from typing import Any

from pydantic import model_serializer, model_validator

from summitry.domain.base import (
    DateWindow,
    Day,
    Estimate,
    Lag,
    Model,
    Name,
    Percent,
    Record,
    Slug,
    Text,
)
from summitry.domain.forecasting import Distribution


class Dependency(Model):
    """A finish-to-start link: this work starts ``lag`` working days after ``task`` finishes.

    In a plan file a plain id means no lag; ``{ task = "survey", lag = 2 }`` adds one.
    """

    task: Slug
    lag: Lag = 0

    @model_validator(mode="before")
    @classmethod
    def _from_id(cls, value: Any) -> Any:
        return {"task": value} if isinstance(value, str) else value

    @model_serializer(mode="wrap")
    def _compact(self, handler: Any) -> Any:
        return self.task if self.lag == 0 else handler(self)


class Workstream(Record):
    """A line of preparation (agenda, security protocols, venue, logistics).

    ``expected_completion`` is the current estimate, a date window; ``deadline`` is the date it
    must be done by (e.g. T-14). ``owner`` names the working group in charge, ``lead`` the
    person who leads it.
    """

    name: Name
    status: Slug = "not-started"
    expected_completion: DateWindow | None = None
    deadline: Day | None = None
    owner: Slug | None = None
    lead: Slug | None = None
    description: Text = ""
    key_points: tuple[Text, ...] = ()


class WorkItem(Record):
    """What tasks and action items share: an estimate, links, progress, dates and an owner.

    ``baseline`` is the first committed due date and is never overwritten; ``due`` is the
    current one. ``distribution`` overrides the plan's forecast setting for this item.
    """

    name: Name
    estimate: Estimate | None = None
    depends_on: tuple[Dependency, ...] = ()
    status: Slug = "not-started"
    percent_complete: Percent = 0
    due: Day | None = None
    baseline: Day | None = None
    blocked: bool = False
    blocked_reason: Text = ""
    owner: Slug | None = None
    description: Text = ""
    distribution: Distribution | None = None

    @property
    def is_blocked(self) -> bool:
        """Whether the work is stuck: flagged ``blocked`` or given the status ``blocked``.

        Usage: ``[t.name for t in plan.tasks.values() if t.is_blocked]``.
        """
        return self.blocked or self.status == "blocked"

    @property
    def block_reason(self) -> str:
        """Why it is stuck, as recorded; a stand-in when only the status says so.

        Usage: ``task.block_reason``.
        """
        return self.blocked_reason or "status is blocked (no reason recorded)"


class Task(WorkItem):
    """A task of a workstream."""

    workstream: Slug


class ActionItem(WorkItem):
    """An action agreed in a meeting; the readiness forecast treats it as a task."""

    workstream: Slug | None = None
    meeting: Slug | None = None


class Milestone(Record):
    """A dated checkpoint, reached when the work it depends on is finished."""

    name: Name
    date: Day
    baseline: Day | None = None
    met: bool | None = None
    workstream: Slug | None = None
    depends_on: tuple[Slug, ...] = ()
