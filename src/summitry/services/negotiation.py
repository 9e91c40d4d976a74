"""Negotiation use cases: the analysis of the agenda, a package assessed, the blind mediation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from summitry.access.labels import Label
from summitry.domain.base import JOINT
from summitry.errors import InputError
from summitry.services.source import PlanSource, read_view, result_label

if TYPE_CHECKING:
    from summitry.access.policy import Principal
    from summitry.access.release import MediationRelease
    from summitry.analysis.negotiation import NegotiationAnalysis
    from summitry.analysis.preferences import AdditiveProfile
    from summitry.domain.plan import Plan


@dataclass(frozen=True)
class NegotiationOutcome:
    """The analysis of a view's agenda from the positions its reader holds.

    ``basis`` says in words whose positions it was computed from.
    """

    view: Plan
    analysis: NegotiationAnalysis
    profiles: list[AdditiveProfile]
    basis: str
    label: Label

    @property
    def reservations(self) -> list[float]:
        """Each analysed party's reservation value, in analysis order."""
        return [profile.reservation_value for profile in self.profiles]


def negotiate(
    source: PlanSource | Plan,
    principal: Principal,
    *,
    parties: Sequence[str] = (),
    package: Mapping[str, str] | None = None,
    seed: int = 0,
) -> NegotiationOutcome:
    """Efficient packages, fair points, ZOPA, trades and opening order for the reader.

    A delegation analyses with its own position and its estimates of the others; the keeper
    with each delegation's own position. ``package`` is a tentative package to assess.
    ``source`` may also be a plan already read (a Genius domain), of which the reader's view
    is taken. Usage: ``negotiate(Path("summit.toml"), Principal.of("russia")).analysis.nash``.
    """
    from summitry.access.views import view_of
    from summitry.analysis.negotiation import (
        analyse_negotiation,
        delegations,
        profiles_from_plan,
        weight_ranges,
    )
    from summitry.domain.plan import Plan

    if principal.reader == JOINT:
        raise InputError(
            "the delegations' positions are not joint material: analyse as a delegation or as "
            "the keeper of the whole file"
        )
    view = view_of(source, principal) if isinstance(source, Plan) else read_view(source, principal)
    held_by = principal.party
    chosen = list(dict.fromkeys(parties)) if parties else delegations(view)
    agenda, profiles = profiles_from_plan(view, chosen, held_by=held_by)
    ranges = weight_ranges(view, chosen, held_by)
    analysis = analyse_negotiation(
        agenda, profiles, package=package, seed=seed, weight_ranges=ranges or None
    )
    basis = (
        f"{view.parties[held_by].name}'s own position and its estimates of the others"
        if held_by
        else "each delegation's own position"
    )
    return NegotiationOutcome(view, analysis, profiles, basis, result_label(view, "negotiate"))


@dataclass(frozen=True)
class MediationOutcome:
    """What the blind mediation releases, and to whom it is shown here."""

    view: Plan
    release: MediationRelease
    shown: list[str]


def mediate(
    source: PlanSource,
    clearances: frozenset[str] = frozenset(),
    *,
    for_party: str | None = None,
    seed: int = 0,
) -> MediationOutcome:
    """Run the blind mediation as the plan's mediator; ``for_party`` keeps one side's part.

    Usage: ``mediate(Path("summit.toml"), for_party="russia").release.package.value``.
    """
    from summitry.access.policy import Principal
    from summitry.access.release import blind_mediation

    mediator = mediator_of(source)
    view = read_view(source, Principal(mediator, clearances))
    release = blind_mediation(view, mediator, seed=seed)
    if for_party is not None and for_party not in release.scores:
        raise InputError(f"'{for_party}' is not one of the mediated delegations")
    shown = [for_party] if for_party else list(release.scores)
    if not isinstance(source, Path):
        from summitry.access.labels import JOINT_LABEL
        from summitry.store.reads import record_release

        # A release is audited: the package on the joint chain, each score on its party's.
        record_release(source, mediator, JOINT_LABEL, "mediation/package")
        for party in shown:
            record_release(source, mediator, Label(frozenset({party})), f"mediation/score/{party}")
    return MediationOutcome(view, release, shown)


def mediator_of(source: PlanSource) -> str:
    """The plan's mediator, as every party may know it.

    Usage: ``mediator_of(Path("summit.toml"))`` gives ``"secretariat"`` for the example.
    """
    from summitry.access.policy import JOINT_READER

    mediator = read_view(source, JOINT_READER).summit.mediator
    if mediator is None:
        raise InputError(
            "summit.mediator: the plan names no mediator; name the party that mediates"
        )
    return mediator
