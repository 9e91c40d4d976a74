"""summitry: a workbench for preparing a high-level summit.

The public API: the summit plan as typed values (:mod:`summitry.domain`), plan files
(:func:`load_plan`, :func:`save_plan`), briefing import (:func:`import_briefing`) and the
analyses. Usage::

    import summitry
    plan = summitry.load_plan("summit.toml")              # the whole file (its keeper)
    view = summitry.load_view("summit.toml", summitry.Principal.of("russia"))  # one reader
    board = summitry.dashboard(view, view.summit.as_of)
    readiness = summitry.forecast(plan, iterations=10_000, seed=1)
    fair = summitry.negotiation(plan).nash.package
"""

from __future__ import annotations

from pathlib import Path

from summitry.access.labels import Label, Labelled
from summitry.access.policy import Principal, can_read
from summitry.access.release import MediationRelease, blind_mediation
from summitry.access.views import load_view as _load_view
from summitry.access.views import view_of
from summitry.analysis.dashboard import Band, Dashboard, dashboard
from summitry.analysis.negotiation import NegotiationAnalysis, analyse_negotiation, negotiation
from summitry.analysis.plan_scenarios import (
    cib_model,
    risk_register,
    under_scenario,
    venue_analysis,
)
from summitry.analysis.preferences import AdditiveProfile, Agenda
from summitry.analysis.readiness import Forecast, forecast
from summitry.analysis.scenarios import CrossImpactModel, ScenarioSet, find_scenarios
from summitry.analysis.venues import VenueAnalysis
from summitry.domain import (
    JOINT,
    ActionItem,
    AgendaIssue,
    Attitude,
    DateWindow,
    Decision,
    DecisionStatus,
    Dependency,
    Development,
    EngagementMechanism,
    Estimate,
    ImpactLevel,
    IssueScores,
    Meeting,
    Milestone,
    Mitigation,
    Note,
    Party,
    PartyKind,
    Person,
    Plan,
    Position,
    Risk,
    RiskStatus,
    Stakeholder,
    Status,
    Summit,
    Task,
    Topic,
    Venue,
    VenueCriterion,
    VenuePreference,
    VenueStatus,
    WorkCalendar,
    WorkingGroup,
    Workstream,
)
from summitry.errors import InputError, PlanError, Problem, SummitryError
from summitry.io.briefing import ImportResult, import_briefing
from summitry.io.planfile import dumps as dump_plan
from summitry.io.planfile import load, save
from summitry.io.planfile import loads as parse_plan

__version__ = "0.1.0"


def load_plan(path: str | Path) -> Plan:
    """Read and validate a plan file.

    Usage: ``plan = summitry.load_plan("summit.toml")``.
    """
    return load(Path(path))


def load_view(path: str | Path, principal: Principal) -> Plan:
    """Read a plan file as one principal may see it, checking only what they may see.

    Usage: ``view = summitry.load_view("summit.toml", summitry.Principal.of("russia"))``.
    """
    return _load_view(Path(path), principal)


def save_plan(plan: Plan, path: str | Path) -> None:
    """Write a plan file atomically.

    Usage: ``summitry.save_plan(plan, "summit.toml")``.
    """
    save(plan, Path(path))


__all__ = [
    "ActionItem",
    "AdditiveProfile",
    "Agenda",
    "AgendaIssue",
    "Attitude",
    "Band",
    "CrossImpactModel",
    "Dashboard",
    "DateWindow",
    "Decision",
    "DecisionStatus",
    "Dependency",
    "Development",
    "EngagementMechanism",
    "Estimate",
    "Forecast",
    "ImpactLevel",
    "ImportResult",
    "InputError",
    "IssueScores",
    "JOINT",
    "Label",
    "Labelled",
    "MediationRelease",
    "Meeting",
    "Milestone",
    "Mitigation",
    "NegotiationAnalysis",
    "Note",
    "Party",
    "PartyKind",
    "Person",
    "Plan",
    "PlanError",
    "Position",
    "Principal",
    "Problem",
    "Risk",
    "RiskStatus",
    "ScenarioSet",
    "Stakeholder",
    "Status",
    "Summit",
    "SummitryError",
    "Task",
    "Topic",
    "Venue",
    "VenueAnalysis",
    "VenueCriterion",
    "VenuePreference",
    "VenueStatus",
    "WorkCalendar",
    "WorkingGroup",
    "Workstream",
    "__version__",
    "analyse_negotiation",
    "blind_mediation",
    "can_read",
    "cib_model",
    "dashboard",
    "dump_plan",
    "find_scenarios",
    "forecast",
    "import_briefing",
    "load_plan",
    "load_view",
    "negotiation",
    "parse_plan",
    "risk_register",
    "save_plan",
    "under_scenario",
    "venue_analysis",
    "view_of",
]
