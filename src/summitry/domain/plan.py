"""The summit plan: every record of a summit, keyed by id, checked for consistency as a whole."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any, Self

from pydantic import Field, ValidationInfo, model_validator

from summitry.domain.agenda import AgendaIssue, Position, Topic
from summitry.domain.base import Model, Record
from summitry.domain.catalogue import COLLECTIONS, SETTINGS
from summitry.domain.checks import plan_problems
from summitry.domain.engagement import (
    Decision,
    Development,
    EngagementMechanism,
    Meeting,
    Note,
    Stakeholder,
    WorkingGroup,
)
from summitry.domain.forecasting import Driver, ForecastSettings
from summitry.domain.reporting import SitrepSettings
from summitry.domain.risks import Risk
from summitry.domain.scenarios import Descriptor
from summitry.domain.schedule import ActionItem, Milestone, Task, WorkItem, Workstream
from summitry.domain.summit import DEFAULT_STATUSES, Party, Person, Status, Summit
from summitry.domain.venues import Venue, VenueCriterion, VenuePreference, VenueRequirements
from summitry.errors import PlanError

FORMAT_VERSION = 2
"""The plan-file format this version of summitry writes."""

UNCHECKED = "unchecked"
"""Validation-context key: build the plan without its whole-plan checks (the caller runs them)."""

__all__ = ["COLLECTIONS", "FORMAT_VERSION", "SETTINGS", "UNCHECKED", "Plan", "record_type"]


class Plan(Model):
    """A whole summit plan.

    Collections map record ids to records; they may also be given as lists of records, which
    are keyed by their ids. Constructing a plan checks every cross-reference and raises
    :class:`summitry.errors.PlanError` naming each problem.

    Usage: ``Plan(summit=Summit(title="Talks"), parties=[Party(id="a", name="A"), ...])``.
    """

    format_version: int = FORMAT_VERSION
    summit: Summit
    forecast: ForecastSettings = Field(default_factory=ForecastSettings)
    sitrep: SitrepSettings = Field(default_factory=SitrepSettings)
    venue_requirements: VenueRequirements = Field(default_factory=VenueRequirements)
    parties: dict[str, Party] = Field(default_factory=dict)
    people: dict[str, Person] = Field(default_factory=dict)
    statuses: dict[str, Status] = Field(default_factory=dict)
    workstreams: dict[str, Workstream] = Field(default_factory=dict)
    tasks: dict[str, Task] = Field(default_factory=dict)
    milestones: dict[str, Milestone] = Field(default_factory=dict)
    topics: dict[str, Topic] = Field(default_factory=dict)
    issues: dict[str, AgendaIssue] = Field(default_factory=dict)
    positions: dict[str, Position] = Field(default_factory=dict)
    mechanisms: dict[str, EngagementMechanism] = Field(default_factory=dict)
    venues: dict[str, Venue] = Field(default_factory=dict)
    venue_criteria: dict[str, VenueCriterion] = Field(default_factory=dict)
    venue_preferences: dict[str, VenuePreference] = Field(default_factory=dict)
    working_groups: dict[str, WorkingGroup] = Field(default_factory=dict)
    meetings: dict[str, Meeting] = Field(default_factory=dict)
    actions: dict[str, ActionItem] = Field(default_factory=dict)
    decisions: dict[str, Decision] = Field(default_factory=dict)
    risks: dict[str, Risk] = Field(default_factory=dict)
    drivers: dict[str, Driver] = Field(default_factory=dict)
    descriptors: dict[str, Descriptor] = Field(default_factory=dict)
    developments: dict[str, Development] = Field(default_factory=dict)
    stakeholders: dict[str, Stakeholder] = Field(default_factory=dict)
    notes: dict[str, Note] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _key_records(cls, data: Any) -> Any:
        # A plan file keys records by id ([tasks.survey]); the id is filled in from the key.
        # Lists of records (handy in Python) are keyed by their own ids.
        if not isinstance(data, dict):
            return data
        out = dict(data)
        for name in COLLECTIONS:
            value = out.get(name)
            if isinstance(value, list | tuple):
                out[name] = {_record_id(item): item for item in value}
            elif isinstance(value, dict):
                out[name] = {
                    key: {"id": key, **item} if isinstance(item, dict) else item
                    for key, item in value.items()
                }
        return out

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Self:
        # Loaders that collect every problem of a file check the whole plan themselves.
        if isinstance(info.context, dict) and info.context.get(UNCHECKED):
            return self
        problems = plan_problems(self)
        if problems:
            raise PlanError(problems)
        return self

    @property
    def status_vocabulary(self) -> dict[str, Status]:
        """The built-in statuses overlaid with the plan's own, by id.

        Usage: ``plan.status_vocabulary["complete"].is_closed`` is True.
        """
        vocabulary = {status.id: status for status in DEFAULT_STATUSES}
        vocabulary.update(self.statuses)
        return vocabulary

    def is_closed(self, status: str) -> bool:
        """Whether a status id means the work is finished.

        Usage: ``plan.is_closed(task.status)``.
        """
        entry = self.status_vocabulary.get(status)
        return entry is not None and entry.is_closed

    def work_items(self) -> dict[str, WorkItem]:
        """Tasks and action items together, by id: everything the forecast schedules.

        Usage: ``plan.work_items()["venue-survey"].estimate``.
        """
        return {**self.tasks, **self.actions}

    def tasks_of(self, workstream: str) -> list[Task]:
        """The tasks of one workstream, in plan order.

        Usage: ``plan.tasks_of("security")``.
        """
        return [task for task in self.tasks.values() if task.workstream == workstream]

    def records(self) -> Iterator[tuple[str, Record]]:
        """Every record with the name of its collection, in file order.

        Usage: ``{record.id for _, record in plan.records()}``.
        """
        for name in COLLECTIONS:
            collection: dict[str, Record] = getattr(self, name)
            for record in collection.values():
                yield name, record


def record_type(collection: str) -> type[Record]:
    """The record class of a collection.

    Usage: ``record_type("tasks")`` is :class:`~summitry.domain.schedule.Task`.
    """
    annotation = Plan.model_fields[collection].annotation
    kind: type[Record] = typing.get_args(annotation)[1]
    return kind


def _record_id(item: Any) -> Any:
    if isinstance(item, Record):
        return item.id
    if isinstance(item, dict):
        return item.get("id")
    return None
