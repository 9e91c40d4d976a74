"""Matrix diagnostics: row and column sums, unused variants and unbalanced judgement groups."""

from __future__ import annotations

import numpy as np

from summitry.analysis.scenarios._layout import _layout
from summitry.analysis.scenarios._model import CrossImpactModel
from summitry.analysis.scenarios._results import (
    JudgementSection,
    MatrixDiagnostics,
    ScenarioSet,
    VariantDiagnostics,
)
from summitry.analysis.scenarios._search import consistent_scenarios


def diagnose(model: CrossImpactModel, consistent: ScenarioSet | None = None) -> MatrixDiagnostics:
    """Row and column sums, variants in no consistent scenario, unbalanced judgement groups.

    ``consistent`` defaults to an exact search of the unconstrained model.
    Usage: ``diagnose(model).unused_variants``.
    """
    if consistent is None:
        consistent = consistent_scenarios(model)
    impacts = model.array
    layout = _layout(model, None, exempt_fixed=True)
    uses = np.zeros(model.variant_count, dtype=np.int64)
    for scenario in consistent.consistent:
        uses[layout.start + np.array(scenario.indices, dtype=np.int64)] += 1
    labels = model.labels
    variants = tuple(
        VariantDiagnostics(
            descriptor=labels[r][0],
            variant=labels[r][1],
            row_sum=int(impacts[r].sum()),
            column_sum=int(impacts[:, r].sum()),
            activity=int(np.abs(impacts[r]).sum()),
            passivity=int(np.abs(impacts[:, r]).sum()),
            consistent_scenarios=int(uses[r]),
        )
        for r in range(model.variant_count)
    )
    sections = []
    for r, (source, variant) in enumerate(labels):
        for j, target in enumerate(model.descriptors):
            if target.name == source:
                continue
            first = int(layout.start[j])
            total = int(impacts[r, first : first + len(target.variants)].sum())
            if total:
                sections.append(JudgementSection(source, variant, target.name, total))
    return MatrixDiagnostics(
        variants=variants,
        unused_variants=tuple(labels[r] for r in range(model.variant_count) if uses[r] == 0),
        unbalanced_sections=tuple(sections),
        consistent_count=len(consistent.consistent),
    )
