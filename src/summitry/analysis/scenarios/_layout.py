"""Where each descriptor's variants sit in the matrix, and what the search and succession share.

`_Layout` is the form the kernels take a model and its forced variants in; the helpers here
draw start scenarios, size the searched space, phrase coverage and turn the kernels' raw rows
back into `Scenario` values, best first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

# Kernels are called through their module, not imported by name: see `_kernels`.
from summitry.analysis.scenarios import _kernels
from summitry.analysis.scenarios._model import BoolArray, CrossImpactModel, IntArray, SmallArray
from summitry.analysis.scenarios._results import Scenario
from summitry.errors import InputError


@dataclass(frozen=True)
class _Layout:
    """Where each descriptor's variants sit in the matrix, and the forced variants."""

    start: IntArray
    count: IntArray
    allowed: BoolArray
    checked: BoolArray
    frozen: BoolArray
    fixed: tuple[tuple[str, str], ...]


def _layout(
    model: CrossImpactModel, fixed: Mapping[str, str] | None, exempt_fixed: bool
) -> _Layout:
    count = np.array([len(d.variants) for d in model.descriptors], dtype=np.int64)
    start = np.concatenate(([0], np.cumsum(count)[:-1])).astype(np.int64)
    allowed = np.ones(int(count.sum()), dtype=np.bool_)
    checked = np.ones(len(count), dtype=np.bool_)
    frozen = np.zeros(len(count), dtype=np.bool_)
    pairs: list[tuple[str, str]] = []
    for name, variant in (fixed or {}).items():
        j = model.descriptor_index(name)
        v = model.variant_index(name, variant)
        allowed[start[j] : start[j] + count[j]] = False
        allowed[start[j] + v] = True
        frozen[j] = True
        checked[j] = not exempt_fixed
        pairs.append((name, variant))
    return _Layout(start, count, allowed, checked, frozen, tuple(pairs))


def _spans(layout: _Layout) -> list[tuple[int, int]]:
    return [(int(s), int(c)) for s, c in zip(layout.start, layout.count, strict=True)]


def _scenarios(
    model: CrossImpactModel, impacts: IntArray, layout: _Layout, rows: SmallArray
) -> tuple[Scenario, ...]:
    """Score raw variant rows and return them as scenarios, best first."""
    if len(rows) == 0:
        return ()
    inconsistency, score = _kernels._score(
        impacts, layout.start, layout.count, layout.checked, rows
    )
    order = np.lexsort((*rows.T[::-1], -score, inconsistency))
    names = tuple(d.name for d in model.descriptors)
    variants = [d.variants for d in model.descriptors]
    out = []
    for i in order:
        indices = tuple(int(v) for v in rows[i])
        out.append(
            Scenario(
                descriptors=names,
                variants=tuple(variants[j][v] for j, v in enumerate(indices)),
                indices=indices,
                inconsistency=int(inconsistency[i]),
                total_impact_score=int(score[i]),
            )
        )
    return tuple(out)


def _searched_size(layout: _Layout) -> int:
    size = 1
    for first, width in _spans(layout):
        size *= int(layout.allowed[first : first + width].sum())
    return size


def _percent(share: float) -> str:
    percent = share * 100
    if percent >= 1:
        return f"{percent:.0f} %"
    if percent >= 0.01:
        return f"{percent:.2f} %"
    return f"{percent:.1e} %"


def _random_starts(layout: _Layout, starts: int, seed: int) -> SmallArray:
    if starts < 1:
        raise InputError(f"succession needs at least one start, not {starts}")
    rng = np.random.default_rng(seed)
    columns = []
    for first, width in _spans(layout):
        options = np.flatnonzero(layout.allowed[first : first + width])
        columns.append(options[rng.integers(0, len(options), size=starts)])
    return np.stack(columns, axis=1).astype(np.int8)


def _all_starts(layout: _Layout) -> SmallArray:
    options = [
        np.flatnonzero(layout.allowed[first : first + width]) for first, width in _spans(layout)
    ]
    grids = np.meshgrid(*options, indexing="ij")
    return np.stack([g.ravel() for g in grids], axis=1).astype(np.int8)
