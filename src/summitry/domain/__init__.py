"""The summit plan as typed, validated values (no I/O)."""

from summitry.domain.agenda import AgendaIssue, ImpactLevel, IssueScores, Position, Topic
from summitry.domain.base import JOINT, DateWindow, Estimate, Record, slugify
from summitry.domain.calendar import WorkCalendar
from summitry.domain.engagement import (
    Attitude,
    Decision,
    DecisionStatus,
    Development,
    EngagementMechanism,
    Meeting,
    Note,
    Stakeholder,
    WorkingGroup,
)
from summitry.domain.forecasting import Distribution, Driver, ForecastSettings
from summitry.domain.plan import COLLECTIONS, FORMAT_VERSION, Plan
from summitry.domain.reporting import CadenceRule, SitrepSettings
from summitry.domain.risks import Mitigation, Risk, RiskStatus
from summitry.domain.scenarios import Descriptor
from summitry.domain.schedule import ActionItem, Dependency, Milestone, Task, WorkItem, Workstream
from summitry.domain.summit import DEFAULT_STATUSES, Party, PartyKind, Person, Status, Summit
from summitry.domain.venues import (
    Direction,
    Venue,
    VenueCriterion,
    VenuePreference,
    VenueRequirements,
    VenueStatus,
)

__all__ = [
    "COLLECTIONS",
    "DEFAULT_STATUSES",
    "FORMAT_VERSION",
    "JOINT",
    "ActionItem",
    "AgendaIssue",
    "Attitude",
    "CadenceRule",
    "DateWindow",
    "Decision",
    "DecisionStatus",
    "Dependency",
    "Descriptor",
    "Development",
    "Direction",
    "Distribution",
    "Driver",
    "EngagementMechanism",
    "Estimate",
    "ForecastSettings",
    "ImpactLevel",
    "IssueScores",
    "Meeting",
    "Milestone",
    "Mitigation",
    "Note",
    "Party",
    "PartyKind",
    "Person",
    "Plan",
    "Position",
    "Record",
    "Risk",
    "RiskStatus",
    "SitrepSettings",
    "Stakeholder",
    "Status",
    "Summit",
    "Task",
    "Topic",
    "Venue",
    "VenueCriterion",
    "VenuePreference",
    "VenueRequirements",
    "VenueStatus",
    "WorkCalendar",
    "WorkItem",
    "WorkingGroup",
    "Workstream",
    "slugify",
]
