"""summitry: a workbench for preparing a high-level summit.

The public API: the summit plan as typed values (:mod:`summitry.domain`), plan files
(:func:`load_plan`, :func:`save_plan`), one reader's view (:func:`load_view`, :class:`Principal`),
briefing import (:func:`import_briefing`), the analyses and the use cases
(:mod:`summitry.services`). Importing the package is cheap: each name loads its module on first
use (PEP 562), so an engine and its compiled kernels load only when they run. Usage::

    import summitry
    plan = summitry.load_plan("summit.toml")              # the whole file (its keeper)
    view = summitry.load_view("summit.toml", summitry.Principal.of("russia"))  # one reader
    board = summitry.dashboard(view, view.summit.as_of)
    readiness = summitry.forecast(view, iterations=10_000, seed=1)
    fair = summitry.negotiation(plan).nash.package
"""

import importlib as _importlib
import typing as _typing
from pathlib import Path as _Path

__version__ = "0.1.0"

_LAZY: dict[str, tuple[str, str]] = {
    "ActionItem": ("summitry.domain", "ActionItem"),
    "AdditiveProfile": ("summitry.analysis.preferences", "AdditiveProfile"),
    "Agenda": ("summitry.analysis.preferences", "Agenda"),
    "AgendaIssue": ("summitry.domain", "AgendaIssue"),
    "Attitude": ("summitry.domain", "Attitude"),
    "Band": ("summitry.analysis.dashboard", "Band"),
    "CrossImpactModel": ("summitry.analysis.scenarios", "CrossImpactModel"),
    "Dashboard": ("summitry.analysis.dashboard", "Dashboard"),
    "DateWindow": ("summitry.domain", "DateWindow"),
    "Decision": ("summitry.domain", "Decision"),
    "DecisionStatus": ("summitry.domain", "DecisionStatus"),
    "Dependency": ("summitry.domain", "Dependency"),
    "Development": ("summitry.domain", "Development"),
    "EngagementMechanism": ("summitry.domain", "EngagementMechanism"),
    "Estimate": ("summitry.domain", "Estimate"),
    "Forecast": ("summitry.analysis.readiness", "Forecast"),
    "ImpactLevel": ("summitry.domain", "ImpactLevel"),
    "ImportResult": ("summitry.io.briefing", "ImportResult"),
    "InputError": ("summitry.errors", "InputError"),
    "IssueScores": ("summitry.domain", "IssueScores"),
    "JOINT": ("summitry.domain", "JOINT"),
    "Label": ("summitry.access.labels", "Label"),
    "Labelled": ("summitry.access.labels", "Labelled"),
    "MediationRelease": ("summitry.access.release", "MediationRelease"),
    "Meeting": ("summitry.domain", "Meeting"),
    "Milestone": ("summitry.domain", "Milestone"),
    "Mitigation": ("summitry.domain", "Mitigation"),
    "NegotiationAnalysis": ("summitry.analysis.negotiation", "NegotiationAnalysis"),
    "Note": ("summitry.domain", "Note"),
    "Party": ("summitry.domain", "Party"),
    "PartyKind": ("summitry.domain", "PartyKind"),
    "Person": ("summitry.domain", "Person"),
    "Plan": ("summitry.domain", "Plan"),
    "PlanError": ("summitry.errors", "PlanError"),
    "Position": ("summitry.domain", "Position"),
    "Principal": ("summitry.access.policy", "Principal"),
    "Problem": ("summitry.errors", "Problem"),
    "Risk": ("summitry.domain", "Risk"),
    "RiskStatus": ("summitry.domain", "RiskStatus"),
    "ScenarioSet": ("summitry.analysis.scenarios", "ScenarioSet"),
    "Stakeholder": ("summitry.domain", "Stakeholder"),
    "Status": ("summitry.domain", "Status"),
    "Summit": ("summitry.domain", "Summit"),
    "SummitryError": ("summitry.errors", "SummitryError"),
    "Task": ("summitry.domain", "Task"),
    "Topic": ("summitry.domain", "Topic"),
    "Venue": ("summitry.domain", "Venue"),
    "VenueAnalysis": ("summitry.analysis.venues", "VenueAnalysis"),
    "VenueCriterion": ("summitry.domain", "VenueCriterion"),
    "VenuePreference": ("summitry.domain", "VenuePreference"),
    "VenueStatus": ("summitry.domain", "VenueStatus"),
    "WorkCalendar": ("summitry.domain", "WorkCalendar"),
    "WorkingGroup": ("summitry.domain", "WorkingGroup"),
    "Workstream": ("summitry.domain", "Workstream"),
    "analyse_negotiation": ("summitry.analysis.negotiation", "analyse_negotiation"),
    "blind_mediation": ("summitry.access.release", "blind_mediation"),
    "can_read": ("summitry.access.policy", "can_read"),
    "cib_model": ("summitry.analysis.scenarios", "cib_model"),
    "dashboard": ("summitry.analysis.dashboard", "dashboard"),
    "dump_plan": ("summitry.io.planfile", "dumps"),
    "find_scenarios": ("summitry.analysis.scenarios", "find_scenarios"),
    "forecast": ("summitry.analysis.readiness", "forecast"),
    "import_briefing": ("summitry.io.briefing", "import_briefing"),
    "negotiation": ("summitry.analysis.negotiation", "negotiation"),
    "parse_plan": ("summitry.io.planfile", "loads"),
    "risk_register": ("summitry.analysis.risks", "risk_register"),
    "under_scenario": ("summitry.analysis.scenarios", "under_scenario"),
    "venue_analysis": ("summitry.analysis.venues", "venue_analysis"),
    "view_of": ("summitry.access.views", "view_of"),
}
"""Each lazily loaded public name: the module it lives in and its name there."""

if _typing.TYPE_CHECKING:
    from summitry.access.labels import Label, Labelled
    from summitry.access.policy import Principal, can_read
    from summitry.access.release import MediationRelease, blind_mediation
    from summitry.access.views import view_of
    from summitry.analysis.dashboard import Band, Dashboard, dashboard
    from summitry.analysis.negotiation import NegotiationAnalysis, analyse_negotiation, negotiation
    from summitry.analysis.preferences import AdditiveProfile, Agenda
    from summitry.analysis.readiness import Forecast, forecast
    from summitry.analysis.risks import risk_register
    from summitry.analysis.scenarios import (
        CrossImpactModel,
        ScenarioSet,
        cib_model,
        find_scenarios,
        under_scenario,
    )
    from summitry.analysis.venues import VenueAnalysis, venue_analysis
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
    from summitry.io.planfile import loads as parse_plan


def __getattr__(name: str) -> _typing.Any:
    """Load a public name from its module on first use (PEP 562)."""
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'summitry' has no attribute {name!r}") from None
    value = getattr(_importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, loaded or not."""
    return sorted(set(globals()) | set(_LAZY))


def load_plan(path: str | _Path) -> "Plan":
    """Read and validate a plan file: the whole file, as its keeper sees it.

    Usage: ``plan = summitry.load_plan("summit.toml")``.
    """
    from summitry.io.planfile import load

    return load(_Path(path))


def load_view(path: str | _Path, principal: "Principal") -> "Plan":
    """Read a plan file as one principal may see it, checking only what they may see.

    Usage: ``view = summitry.load_view("summit.toml", summitry.Principal.of("russia"))``.
    """
    from summitry.access.views import load_view as read

    return read(_Path(path), principal)


def save_plan(plan: "Plan", path: str | _Path) -> None:
    """Write a plan file atomically.

    Usage: ``summitry.save_plan(plan, "summit.toml")``.
    """
    from summitry.io.planfile import save

    save(plan, _Path(path))


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
