"""The CIB model: descriptors, their variants and the validated cross-impact matrix.

Also the array types the model hands to the compiled kernels, and the limits on impacts and
variant counts that validation (and the CSV reader) enforce.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, SupportsFloat

import numpy as np
import numpy.typing as npt

from summitry.errors import InputError

MIN_IMPACT = -3
"""The strongest hindering impact an expert can enter."""

MAX_IMPACT = 3
"""The strongest promoting impact an expert can enter."""

MIN_VARIANTS = 2
"""A descriptor needs at least two variants to be a question at all."""

MAX_VARIANTS = 6
"""More variants than this make a descriptor hard for experts to judge; CIB practice stops here."""

IntArray = npt.NDArray[np.int64]
SmallArray = npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Descriptor:
    """One uncertain factor of the future and its mutually exclusive variants."""

    name: str
    variants: tuple[str, ...]


@dataclass(frozen=True)
class CrossImpactModel:
    """Descriptors and their cross-impact matrix, validated on construction.

    ``impacts[r][c]`` is the impact of the row variant on the column variant; rows and columns
    list the variants descriptor by descriptor in the order of ``descriptors``.
    """

    descriptors: tuple[Descriptor, ...]
    impacts: tuple[tuple[int, ...], ...]
    source: str = field(default="cross-impact matrix", compare=False)

    def __post_init__(self) -> None:
        """Refuse a model the analyses cannot use, naming the place in one line."""
        _validate(self)

    @classmethod
    def build(
        cls,
        descriptors: Mapping[str, Sequence[str]] | Sequence[tuple[str, Sequence[str]]],
        impacts: Sequence[Sequence[int]] | npt.NDArray[np.integer[Any]],
        *,
        source: str = "cross-impact matrix",
    ) -> CrossImpactModel:
        """Make a model from descriptor names with their variants and a square matrix.

        Usage: ``CrossImpactModel.build({"ceasefire": ["holds", "fails"], ...}, matrix)``.
        """
        pairs = descriptors.items() if isinstance(descriptors, Mapping) else descriptors
        built = tuple(Descriptor(str(name), tuple(str(v) for v in vs)) for name, vs in pairs)
        rows = tuple(tuple(_whole(x, source) for x in row) for row in impacts)
        return cls(built, rows, source)

    @property
    def variant_count(self) -> int:
        """Rows (and columns) of the matrix: the variants of all descriptors together."""
        return sum(len(d.variants) for d in self.descriptors)

    @property
    def space_size(self) -> int:
        """How many scenarios there are: the product of the variant counts."""
        size = 1
        for descriptor in self.descriptors:
            size *= len(descriptor.variants)
        return size

    @property
    def labels(self) -> tuple[tuple[str, str], ...]:
        """(descriptor, variant) of every row and column, in matrix order."""
        return tuple((d.name, v) for d in self.descriptors for v in d.variants)

    @cached_property
    def array(self) -> IntArray:
        """The matrix as a read-only integer array (the form the kernels take)."""
        matrix = np.array(self.impacts, dtype=np.int64).reshape(
            self.variant_count, self.variant_count
        )
        matrix.setflags(write=False)
        return matrix

    def descriptor_index(self, name: str) -> int:
        """Position of a descriptor, or an `InputError` naming the known ones.

        Usage: ``model.descriptor_index("sanctions")``.
        """
        for position, descriptor in enumerate(self.descriptors):
            if descriptor.name == name:
                return position
        known = ", ".join(d.name for d in self.descriptors)
        raise InputError(f"{self.source}: no descriptor '{name}' (descriptors: {known})")

    def variant_index(self, descriptor: str, variant: str) -> int:
        """Position of a variant within its descriptor, or an `InputError` naming the known ones.

        Usage: ``model.variant_index("sanctions", "relieved")``.
        """
        variants = self.descriptors[self.descriptor_index(descriptor)].variants
        if variant not in variants:
            raise InputError(
                f"{self.source}: descriptor '{descriptor}' has no variant '{variant}' "
                f"(variants: {', '.join(variants)})"
            )
        return variants.index(variant)


def _whole(value: SupportsFloat, source: str) -> int:
    number = float(value)
    if not number.is_integer():
        raise InputError(
            f"{source}: impact {value} is not a whole number; impacts are integers from "
            f"{MIN_IMPACT} to +{MAX_IMPACT}"
        )
    return int(number)


def _validate(model: CrossImpactModel) -> None:
    where = model.source
    if not model.descriptors:
        raise InputError(f"{where}: there are no descriptors")
    seen: set[str] = set()
    for descriptor in model.descriptors:
        if not descriptor.name.strip():
            raise InputError(f"{where}: a descriptor has an empty name")
        if descriptor.name in seen:
            raise InputError(f"{where}: descriptor '{descriptor.name}' appears twice")
        seen.add(descriptor.name)
        count = len(descriptor.variants)
        if not MIN_VARIANTS <= count <= MAX_VARIANTS:
            raise InputError(
                f"{where}: descriptor '{descriptor.name}' has {count} variant"
                f"{'' if count == 1 else 's'}; it needs {MIN_VARIANTS} to {MAX_VARIANTS}"
            )
        if len(set(descriptor.variants)) != count:
            raise InputError(f"{where}: descriptor '{descriptor.name}' repeats a variant name")
        if any(not v.strip() for v in descriptor.variants):
            raise InputError(f"{where}: descriptor '{descriptor.name}' has an empty variant name")
    size = model.variant_count
    if len(model.impacts) != size or any(len(row) != size for row in model.impacts):
        raise InputError(
            f"{where}: the matrix must be {size} x {size} (one row and one column per variant)"
        )
    labels = model.labels
    owner = [i for i, d in enumerate(model.descriptors) for _ in d.variants]
    for r, row in enumerate(model.impacts):
        for c, value in enumerate(row):
            if not MIN_IMPACT <= value <= MAX_IMPACT:
                raise InputError(
                    f"{where}: impact of {_label(labels[r])} on {_label(labels[c])} is {value}; "
                    f"impacts are integers from {MIN_IMPACT} to +{MAX_IMPACT}"
                )
            if owner[r] == owner[c] and value != 0:
                raise InputError(
                    f"{where}: impact of {_label(labels[r])} on {_label(labels[c])} is {value}; "
                    "a descriptor does not judge itself, so this cell must be empty or 0"
                )


def _label(pair: tuple[str, str]) -> str:
    return f"'{pair[0]}={pair[1]}'"
