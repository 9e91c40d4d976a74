"""Reading a plan into the scenario engine: its descriptors as a model, a scenario as risks.

`cib_model` builds the cross-impact model from the plan's descriptors; `under_scenario` turns a
scenario back into a plan whose switched-on risks are certain, for the readiness forecast.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np

from summitry.analysis.scenarios._model import CrossImpactModel
from summitry.analysis.scenarios._results import Scenario
from summitry.errors import InputError

if TYPE_CHECKING:
    # The plan is only read here, so its type is needed for checking only: importing it at run
    # time would load pydantic and the whole domain with the engine (a CSV matrix needs neither).
    from summitry.domain.plan import Plan


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


def under_scenario(plan: Plan, scenario: Scenario) -> Plan:
    """The plan with the risks the scenario switches on made certain (probability 1).

    This is the typed value the readiness forecast takes, so a forecast of the result is the
    readiness in that scenario. Usage: ``forecast(under_scenario(plan, found.consistent[0]))``.
    """
    # Imported here for the same reason as `Plan`: the register loads the domain's risk types.
    from summitry.analysis.risks import risk_register

    active = {
        row.id for row in risk_register(plan, dt.date.min, scenario) if row.active_in_scenario
    }
    risks = {
        rid: risk.model_copy(update={"probability": 1.0}) if rid in active else risk
        for rid, risk in plan.risks.items()
    }
    return plan.model_copy(update={"risks": risks})
