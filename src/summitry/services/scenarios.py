"""Scenario planning and the risk register.

Consistent scenarios, the risks each switches on, and the risks by exposure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from summitry.access.labels import Label
from summitry.errors import InputError
from summitry.services.source import PlanSource, read_view, result_label

if TYPE_CHECKING:
    from summitry.access.policy import Principal
    from summitry.analysis.risks import RiskRow
    from summitry.analysis.scenarios import (
        CrossImpactModel,
        EnsembleComparison,
        MatrixDiagnostics,
        Scenario,
        ScenarioSet,
    )
    from summitry.domain.plan import Plan


def under_scenario(view: Plan, scenario: Scenario) -> Plan:
    """The view with the risks the scenario switches on made certain.

    Usage: ``under_scenario(view, consistent_scenario(view, 1))``.
    """
    from summitry.analysis.scenarios import under_scenario as certain

    return certain(view, scenario)


def consistent_scenario(view: Plan, number: int) -> Scenario:
    """Consistent scenario ``number`` (from 1) of the view's scenario model.

    Usage: ``consistent_scenario(view, 1).as_dict()``.
    """
    from summitry.analysis.scenarios import cib_model, find_scenarios

    found = find_scenarios(cib_model(view)).consistent
    if not 1 <= number <= len(found):
        raise InputError(
            f"scenario {number}: there are {len(found)} consistent scenarios, not {number}"
        )
    return found[number - 1]


def switched_on(view: Plan, scenarios: Sequence[Scenario], as_of: dt.date) -> dict[int, list[str]]:
    """The names of the risks each scenario switches on, by the scenario's index.

    The one mapping from a scenario to its risks, for the terminal, the reports and the web.
    Usage: ``switched_on(view, found.scenarios, as_of)[0]``.
    """
    from summitry.analysis.risks import risk_register

    return {
        index: [row.name for row in risk_register(view, as_of, scenario) if row.active_in_scenario]
        for index, scenario in enumerate(scenarios)
    }


@dataclass(frozen=True)
class ScenarioOutcome:
    """Consistent scenarios of one model, the risks each switches on, and diagnostics.

    ``view`` is None when the model came from a CSV matrix rather than a plan.
    """

    view: Plan | None
    model: CrossImpactModel
    found: ScenarioSet
    diagnostics: MatrixDiagnostics | None
    succession_cycles: int
    risks: Mapping[int, list[str]]
    label: Label | None


def scenarios(
    source: PlanSource,
    principal: Principal,
    *,
    fixed: Mapping[str, str] | None = None,
    max_inconsistency: int = 0,
) -> ScenarioOutcome:
    """The consistent scenarios of a plan's descriptors (the view's) or of a CSV matrix.

    Usage: ``scenarios(Path("summit.toml"), KEEPER).found.consistent``.
    """
    from summitry.analysis.scenarios import cib_model, diagnose, find_scenarios, succession
    from summitry.io.cibcsv import read_matrix

    view = None
    if source.suffix.lower() == ".csv":
        model = read_matrix(source)
    else:
        view = read_view(source, principal)
        model = cib_model(view)
    found = find_scenarios(model, max_inconsistency=max_inconsistency, fixed=dict(fixed or {}))
    # The search just made already holds every consistent scenario: no second search.
    diagnostics = diagnose(model, found if found.exact else None) if not fixed else None
    ending = succession(model, fixed=dict(fixed or {}))
    risks: dict[int, list[str]] = {}
    label = None
    if view is not None:
        risks = switched_on(view, found.scenarios, view.summit.as_of or dt.date.today())
        label = result_label(view, "scenarios")
    return ScenarioOutcome(view, model, found, diagnostics, len(ending.cycles), risks, label)


def compare_experts(sources: Sequence[Path], max_inconsistency: int = 0) -> EnsembleComparison:
    """Several experts' cross-impact matrices compared: which scenarios each supports.

    Usage: ``compare_experts([Path("a.csv"), Path("b.csv")]).consensus``.
    """
    from summitry.analysis.scenarios import compare_ensemble
    from summitry.io.cibcsv import read_matrix

    models = [read_matrix(path) for path in sources]
    return compare_ensemble(
        models, experts=[path.stem for path in sources], max_inconsistency=max_inconsistency
    )


def export_matrix(outcome: ScenarioOutcome) -> str:
    """The scenario model as the CSV layout experts fill in.

    Usage: ``Path("matrix.csv").write_text(export_matrix(outcome))``.
    """
    from summitry.io.cibcsv import dumps

    return dumps(outcome.model)


@dataclass(frozen=True)
class RiskOutcome:
    """The risk register of a view (with a scenario's risks first when one is chosen)."""

    view: Plan
    as_of: dt.date
    scenario: Scenario | None
    rows: list[RiskRow]
    label: Label


def risks(
    source: PlanSource,
    principal: Principal,
    *,
    as_of: dt.date | None = None,
    scenario: int | None = None,
) -> RiskOutcome:
    """Open risks by exposure, with triggers, contingency plans and decision points.

    Usage: ``risks(Path("summit.toml"), KEEPER, scenario=1).rows[0].name``.
    """
    from summitry.analysis.risks import risk_register

    view = read_view(source, principal)
    day = as_of or view.summit.as_of or dt.date.today()
    chosen = consistent_scenario(view, scenario) if scenario is not None else None
    rows = risk_register(view, day, chosen)
    return RiskOutcome(view, day, chosen, rows, result_label(view, "risks"))
