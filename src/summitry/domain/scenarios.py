"""The scenario model of a plan: descriptors of the future and their cross impacts.

Cross-impact balance analysis (CIB) asks experts how strongly "descriptor A is in variant a"
promotes (+1 … +3) or hinders (−1 … −3) "descriptor B is in variant b". A descriptor keeps the
impacts of each of its variants on the other descriptors, sparsely: what is not written is 0.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from summitry.domain.base import Name, Record, Slug, Text

Impact = Annotated[int, Field(ge=-3, le=3)]


class Descriptor(Record):
    """An uncertain factor ("ceasefire status") with its variants and their impacts.

    ``variants`` maps variant ids to their wording, in order; ``impacts[v][d][w]`` is the
    impact of this descriptor being in variant ``v`` on descriptor ``d`` being in variant ``w``.
    In a plan file: ``[descriptors.ceasefire.impacts.holding]`` then
    ``sanctions = { relieved = 2, tightened = -2 }``.
    """

    name: Name
    description: Text = ""
    variants: dict[Slug, Text] = Field(default_factory=dict)
    impacts: dict[Slug, dict[Slug, dict[Slug, Impact]]] = Field(default_factory=dict)
