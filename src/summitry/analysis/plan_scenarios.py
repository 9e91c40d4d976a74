"""What could go wrong and where to meet, read from the plan.

Builds the cross-impact model from the plan's descriptors, says which risks a scenario
switches on (through the risks' ``scenario_variants``) and how large each risk's exposure is,
and runs the venue analysis on the plan's venues, criteria, requirements and vetoes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from summitry.analysis.scenarios import CrossImpactModel, Scenario
from summitry.analysis.venues import (
    Criterion,
    Requirements,
    VenueAnalysis,
    analyse_venues,
    venue_options,
)
from summitry.domain.plan import Plan
from summitry.domain.risks import Risk, RiskStatus
from summitry.errors import InputError


def cib_model(plan: Plan) -> CrossImpactModel:
    """The cross-impact model of the plan's descriptors (cells not written are 0).

    Usage: ``find_scenarios(cib_model(plan))``.
    """
    if not plan.descriptors:
        raise InputError("descriptors: the plan has no scenario descriptors")
    labels = [(did, v) for did, d in plan.descriptors.items() for v in d.variants]
    index = {label: position for position, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for did, descriptor in plan.descriptors.items():
        for variant, targets in descriptor.impacts.items():
            for target, cells in targets.items():
                for cell, impact in cells.items():
                    matrix[index[(did, variant)], index[(target, cell)]] = impact
    descriptors = [(did, list(d.variants)) for did, d in plan.descriptors.items()]
    return CrossImpactModel.build(descriptors, matrix, source="descriptors")


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
    rows = [
        _row(rid, risk, as_of, bool(chosen & set(risk.scenario_variants)))
        for rid, risk in plan.risks.items()
        if risk.status is RiskStatus.OPEN
    ]
    return sorted(rows, key=lambda row: (not row.active_in_scenario, -row.exposure, row.id))


def _row(rid: str, risk: Risk, as_of: dt.date, active: bool) -> RiskRow:
    mean_delay = risk.delay.pert_mean if risk.delay else 0.0
    point = risk.decision_point
    return RiskRow(
        id=rid,
        name=risk.name,
        probability=risk.probability,
        exposure=round(risk.probability * mean_delay, 2),
        trigger=risk.trigger,
        contingency=risk.contingency,
        owner=risk.owner,
        contingency_owner=risk.contingency_owner,
        decision_point=point,
        days_to_decision=(point - as_of).days if point else None,
        scenario_variants=risk.scenario_variants,
        active_in_scenario=active,
    )


def venue_analysis(plan: Plan, *, seed: int = 0) -> VenueAnalysis:
    """Screen and rank the plan's venues: the joint weights and each delegation's own.

    Weight sets are ``joint`` (the criteria's agreed weights) and one per delegation that has
    venue preferences with weights; vetoes come from the preferences too. Run it on a reader's
    view and it uses only the preferences that reader may see.
    Usage: ``venue_analysis(plan).smaa.venues[0].first``.
    """
    if not plan.venues:
        raise InputError("venues: the plan has no candidate venues")
    if not plan.venue_criteria:
        raise InputError("venue_criteria: name the criteria venues are scored on")
    criteria = [Criterion(cid, c.direction.value) for cid, c in plan.venue_criteria.items()]
    vetoes: dict[str, list[str]] = {}
    own: dict[str, dict[str, float]] = {}
    for preference in plan.venue_preferences.values():
        party = preference.held_by
        if preference.vetoes:
            vetoes.setdefault(party, []).extend(preference.vetoes)
        if preference.weights:
            own.setdefault(party, {}).update(preference.weights)
    requirements = Requirements(
        required=plan.venue_requirements.required,
        min_capacity=plan.venue_requirements.min_capacity,
        vetoes=vetoes,
    )
    weight_sets: dict[str, dict[str, float]] = {
        "joint": {cid: c.weight for cid, c in plan.venue_criteria.items()}
    }
    for party in plan.parties:
        if own.get(party):
            weight_sets[party] = {cid: own[party].get(cid, 0.0) for cid in plan.venue_criteria}
    return analyse_venues(
        venue_options(plan.venues.values()),
        criteria,
        requirements,
        weight_sets,
        seed=seed,
        promethee="linear",
    )


def under_scenario(plan: Plan, scenario: Scenario) -> Plan:
    """The plan with the risks the scenario switches on made certain (probability 1).

    This is the typed value the readiness forecast takes, so a forecast of the result is the
    readiness in that scenario. Usage: ``forecast(under_scenario(plan, found.consistent[0]))``.
    """
    active = {
        row.id for row in risk_register(plan, dt.date.min, scenario) if row.active_in_scenario
    }
    risks = {
        rid: risk.model_copy(update={"probability": 1.0}) if rid in active else risk
        for rid, risk in plan.risks.items()
    }
    return plan.model_copy(update={"risks": risks})
