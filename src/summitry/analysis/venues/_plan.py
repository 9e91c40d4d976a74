"""Reading a plan into the venue engine: its venues, criteria, requirements and preferences.

`venue_options` turns the plan's venue records into analysis input; `venue_analysis` runs the
whole analysis with the joint weights and each delegation's own (as far as the reader may see).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from summitry.analysis.venues._analyse import analyse_venues
from summitry.analysis.venues._types import Criterion, Requirements, VenueAnalysis, VenueOption
from summitry.errors import InputError

if TYPE_CHECKING:
    # The plan is only read here, so its types are needed for checking only: importing them at
    # run time would load pydantic and the whole domain with the engine.
    from summitry.domain.plan import Plan
    from summitry.domain.venues import Venue


def venue_options(venues: Iterable[Venue]) -> list[VenueOption]:
    """Turn plan venues into analysis input, named by their ids.

    Usage: ``venue_options(plan.venues.values())``.
    """
    return [VenueOption(v.id, dict(v.scores), v.capacity, dict(v.constraints)) for v in venues]


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
