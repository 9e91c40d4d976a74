"""Comparing several experts' matrices: who supports which scenario, and the summed matrix."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Kernels are called through their module, not imported by name: see `_kernels`.
from summitry.analysis.scenarios import _kernels
from summitry.analysis.scenarios._layout import _layout, _percent, _scenarios, _searched_size
from summitry.analysis.scenarios._model import CrossImpactModel, IntArray, SmallArray
from summitry.analysis.scenarios._results import EnsembleComparison, EnsembleScenario, ScenarioSet
from summitry.analysis.scenarios._search import RESULT_LIMIT, _run_search
from summitry.analysis.scenarios._watch import Progress, ShouldStop
from summitry.errors import InputError


def compare_ensemble(
    models: Sequence[CrossImpactModel],
    *,
    experts: Sequence[str] | None = None,
    max_inconsistency: int = 0,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> EnsembleComparison:
    """Compare several experts' matrices over the same descriptors and variants.

    Each scenario within ``max_inconsistency`` for at least one expert is listed with the
    experts that support it; ``summed`` searches the sum of the matrices. The searches run one
    after another, each reporting to ``progress``; once ``should_stop()`` is true they stop
    and the comparison covers what they settled (``complete`` false, ``searched`` per expert).
    Usage: ``compare_ensemble([alice, bob], experts=["alice", "bob"]).consensus``.
    """
    if not models:
        raise InputError("an ensemble needs at least one matrix")
    names = tuple(experts) if experts is not None else tuple(m.source for m in models)
    if len(names) != len(models):
        raise InputError(f"{len(models)} matrices but {len(names)} expert names")
    if len(set(names)) != len(names):
        names = tuple(f"expert {i + 1}" for i in range(len(models)))
    first = models[0]
    for model in models[1:]:
        if model.descriptors != first.descriptors:
            raise InputError(
                f"{model.source}: descriptors or variants differ from {first.source}; an "
                "ensemble needs the same structure in every matrix"
            )
    layout = _layout(first, None, exempt_fixed=True)
    found: list[SmallArray] = []
    searched: list[int] = []
    for model in models:
        search = _run_search(
            model.array,
            layout,
            max_inconsistency,
            RESULT_LIMIT,
            None,
            None,
            progress,
            should_stop,
        )
        if search.status == 1:
            raise InputError(
                f"{model.source}: more than {RESULT_LIMIT:,} scenarios have inconsistency "
                f"<= {max_inconsistency}; lower the maximum inconsistency"
            )
        found.append(search.rows)
        searched.append(search.searched)
    union = np.unique(np.concatenate(found), axis=0)
    table = (
        np.stack(
            [
                _kernels._score(m.array, layout.start, layout.count, layout.checked, union)[0]
                for m in models
            ]
        )
        if len(union)
        else np.empty((len(models), 0), dtype=np.int64)
    )
    rows = []
    for i in range(len(union)):
        within = table[:, i] <= max_inconsistency
        indices = tuple(int(v) for v in union[i])
        rows.append(
            EnsembleScenario(
                descriptors=tuple(d.name for d in first.descriptors),
                variants=tuple(first.descriptors[j].variants[v] for j, v in enumerate(indices)),
                indices=indices,
                support=int(within.sum()),
                experts=tuple(n for n, ok in zip(names, within, strict=True) if ok),
                inconsistencies=tuple(int(x) for x in table[:, i]),
            )
        )
    rows.sort(key=lambda r: (-r.support, sum(r.inconsistencies), r.indices))
    summed = _summed_search(
        first, [m.array for m in models], max_inconsistency, progress, should_stop
    )
    space = _searched_size(layout)
    return EnsembleComparison(
        experts=names,
        max_inconsistency=max_inconsistency,
        scenarios=tuple(rows),
        summed=summed,
        complete=summed.complete and all(n == space for n in searched),
        searched=tuple(searched),
        searched_size=space,
    )


def _summed_search(
    structure: CrossImpactModel,
    arrays: Sequence[IntArray],
    max_inconsistency: int,
    progress: Progress | None,
    should_stop: ShouldStop | None,
) -> ScenarioSet:
    # The sum may leave -3..+3, so it is searched as a raw array rather than a model.
    total = np.sum(arrays, axis=0).astype(np.int64)
    layout = _layout(structure, None, exempt_fixed=True)
    search = _run_search(
        total, layout, max_inconsistency, RESULT_LIMIT, None, None, progress, should_stop
    )
    if search.status == 1:
        raise InputError(
            f"more than {RESULT_LIMIT:,} scenarios are within inconsistency {max_inconsistency} "
            "of the summed matrix; lower the maximum inconsistency"
        )
    space = structure.space_size
    complete = search.status == 0
    if complete:
        coverage = f"exact: sum of {len(arrays)} matrices, pruned search ({search.nodes:,} nodes)"
    else:
        coverage = (
            f"partial: sum of {len(arrays)} matrices, stopped at the time limit after "
            f"{search.searched:,} of {space:,} scenarios ({_percent(search.searched / space)}) in "
            f"search order ({search.nodes:,} nodes); scenarios in the rest are not listed"
        )
    return ScenarioSet(
        descriptors=tuple(d.name for d in structure.descriptors),
        scenarios=_scenarios(structure, total, layout, search.rows),
        max_inconsistency=max_inconsistency,
        fixed=(),
        exempt_fixed=True,
        exact=complete,
        space_size=space,
        searched_size=space,
        nodes=search.nodes,
        coverage=coverage,
        complete=complete,
        searched=search.searched,
    )
