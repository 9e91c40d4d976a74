"""Scoring one given scenario, and the impact balances that explain its score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from summitry.analysis.scenarios._layout import _layout, _scenarios
from summitry.analysis.scenarios._model import CrossImpactModel
from summitry.analysis.scenarios._results import Scenario
from summitry.errors import InputError


def evaluate(
    model: CrossImpactModel, scenario: Mapping[str, str], *, fixed: Sequence[str] = ()
) -> Scenario:
    """Score one scenario given as descriptor -> variant (every descriptor named).

    Descriptors listed in ``fixed`` are exempt from the consistency check, as in a search with
    ``fixed``.
    Usage: ``evaluate(model, {"ceasefire": "holds", "sanctions": "relieved", ...})``.
    """
    missing = [d.name for d in model.descriptors if d.name not in scenario]
    if missing:
        raise InputError(f"{model.source}: the scenario gives no variant for '{missing[0]}'")
    for name in [*scenario, *fixed]:
        model.descriptor_index(name)
    layout = _layout(model, {name: scenario[name] for name in fixed}, exempt_fixed=True)
    row = np.array(
        [[model.variant_index(d.name, scenario[d.name]) for d in model.descriptors]],
        dtype=np.int8,
    )
    return _scenarios(model, model.array, layout, row)[0]


def impact_balances(model: CrossImpactModel, scenario: Scenario) -> dict[str, dict[str, int]]:
    """The impact balance of every variant under a scenario (why it is, or is not, consistent).

    Usage: ``impact_balances(model, result.scenarios[0])["sanctions"]["relieved"]``.
    """
    layout = _layout(model, None, exempt_fixed=True)
    rows = layout.start + np.array(scenario.indices, dtype=np.int64)
    balance = model.array[rows].sum(axis=0)
    return {
        d.name: {v: int(balance[layout.start[j] + m]) for m, v in enumerate(d.variants)}
        for j, d in enumerate(model.descriptors)
    }
