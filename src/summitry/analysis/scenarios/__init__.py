"""Scenario planning by cross-impact balance (CIB) analysis.

A CIB model has descriptors (``ceasefire``, ``sanctions``, ...), each with 2-6 mutually
exclusive variants, and a cross-impact matrix of integers -3..+3. The cell in the row of variant
*k* of descriptor *i* and the column of variant *l* of descriptor *j* says how strongly "*i* is
in *k*" promotes (positive) or hinders (negative) "*j* is in *l*". Cells where *i* = *j* (the
diagonal blocks) must be zero: a descriptor does not judge itself.

For a scenario (one variant per descriptor) the **impact balance** of a variant is the sum of
the impacts it receives from the variants the scenario has chosen. A descriptor is consistent
when its chosen variant has the highest balance among its variants (ties allowed); its
**inconsistency** is the best balance minus the chosen one. A scenario's inconsistency is the
largest inconsistency over its descriptors (Weimer-Jehle's definition), so 0 means consistent
and *k* means "nearly consistent at level k". The **total impact score** is the sum of the
chosen variants' balances; it ranks scenarios by how strongly they hold together.

The exact search never scores every combination: it assigns descriptors depth-first and drops
a branch as soon as a lower bound proves some descriptor must end more than *k* away from its
best variant (see `_search._bound_tables`). The search is compiled with numba and runs the top-level
branches on worker threads. Succession analysis (global and adiabatic) follows the CIB update
rule from every start (small spaces) or from random starts with the coverage stated.

The package re-exports everything public from its private submodules, so import from
``summitry.analysis.scenarios`` only: `_model` (the model), `_results` (the result values),
`_kernels` (the compiled kernels), `_layout` (what search and succession share), `_search`,
`_evaluate`, `_succession`, `_diagnostics`, `_ensemble`, `_watch` (running kernels on threads
while the caller reports progress and may stop them: a time limit), and `_plan` (reading a plan
into the model, and a scenario back into the plan's risks).
"""

from summitry.analysis.scenarios._diagnostics import diagnose
from summitry.analysis.scenarios._ensemble import compare_ensemble
from summitry.analysis.scenarios._evaluate import evaluate, impact_balances
from summitry.analysis.scenarios._model import (
    MAX_IMPACT,
    MAX_VARIANTS,
    MIN_IMPACT,
    MIN_VARIANTS,
    BoolArray,
    CrossImpactModel,
    Descriptor,
    IntArray,
    SmallArray,
)
from summitry.analysis.scenarios._plan import cib_model, under_scenario
from summitry.analysis.scenarios._results import (
    Attractor,
    EnsembleComparison,
    EnsembleScenario,
    JudgementSection,
    MatrixDiagnostics,
    Scenario,
    ScenarioSet,
    SuccessionMode,
    SuccessionResult,
    VariantDiagnostics,
)
from summitry.analysis.scenarios._search import (
    NODE_BUDGET,
    RESULT_LIMIT,
    consistent_scenarios,
    find_scenarios,
    sample_scenarios,
)
from summitry.analysis.scenarios._succession import (
    EXHAUSTIVE_STARTS,
    MAX_STEPS,
    RANDOM_STARTS,
    succession,
)

__all__ = [
    "EXHAUSTIVE_STARTS",
    "MAX_IMPACT",
    "MAX_STEPS",
    "MAX_VARIANTS",
    "MIN_IMPACT",
    "MIN_VARIANTS",
    "NODE_BUDGET",
    "RANDOM_STARTS",
    "RESULT_LIMIT",
    "Attractor",
    "BoolArray",
    "CrossImpactModel",
    "Descriptor",
    "EnsembleComparison",
    "EnsembleScenario",
    "IntArray",
    "JudgementSection",
    "MatrixDiagnostics",
    "Scenario",
    "ScenarioSet",
    "SmallArray",
    "SuccessionMode",
    "SuccessionResult",
    "VariantDiagnostics",
    "cib_model",
    "compare_ensemble",
    "consistent_scenarios",
    "diagnose",
    "evaluate",
    "find_scenarios",
    "impact_balances",
    "sample_scenarios",
    "succession",
    "under_scenario",
]
