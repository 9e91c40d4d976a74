"""The risk register read from the plan: open risks by exposure, and which a scenario switches on.

Not an engine: a ranking of the plan's own risk records. The scenario engine uses it to make
the risks of a scenario certain (`summitry.analysis.scenarios.under_scenario`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from summitry.domain.plan import Plan
from summitry.domain.risks import Risk, RiskStatus, by_exposure

if TYPE_CHECKING:
    # Only a scenario's fields are read, so its type is needed for checking only: importing it
    # at run time would load the CIB engine and its numba kernels with the risk register.
    from summitry.analysis.scenarios import Scenario


@dataclass(frozen=True)
class RiskRow:
    """A risk of the register with its exposure and the state of its contingency plan.

    ``exposure`` is probability × mean delay (working days); ``days_to_decision`` counts
    calendar days from the reference date to the decision point (negative once passed).
    """

    id: str
    name: str
    probability: float
    exposure: float
    trigger: str
    contingency: str
    owner: str | None
    contingency_owner: str | None
    decision_point: dt.date | None
    days_to_decision: int | None
    scenario_variants: tuple[str, ...]
    active_in_scenario: bool


def risk_register(plan: Plan, as_of: dt.date, scenario: Scenario | None = None) -> list[RiskRow]:
    """Open risks by exposure, highest first; with a scenario, the ones it switches on first.

    A risk is switched on by a scenario when any of its ``scenario_variants`` is in it.
    Usage: ``risk_register(plan, date(2024, 7, 15))[0].name``.
    """
    chosen = (
        {f"{d}.{v}" for d, v in zip(scenario.descriptors, scenario.variants, strict=True)}
        if scenario
        else set()
    )
    ranked = by_exposure(risk for risk in plan.risks.values() if risk.status is RiskStatus.OPEN)
    rows = [_row(risk, as_of, bool(chosen & set(risk.scenario_variants))) for risk in ranked]
    # The one order by exposure, with the scenario's risks first (a stable sort keeps it).
    return sorted(rows, key=lambda row: not row.active_in_scenario)


def _row(risk: Risk, as_of: dt.date, active: bool) -> RiskRow:
    point = risk.decision_point
    return RiskRow(
        id=risk.id,
        name=risk.name,
        probability=risk.probability,
        exposure=risk.exposure,
        trigger=risk.trigger,
        contingency=risk.contingency,
        owner=risk.owner,
        contingency_owner=risk.contingency_owner,
        decision_point=point,
        days_to_decision=(point - as_of).days if point else None,
        scenario_variants=risk.scenario_variants,
        active_in_scenario=active,
    )
