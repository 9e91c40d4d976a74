"""Named releases: the only ways less-restricted output leaves restricted input.

There is one today, the blind mediation. The mediator (``summit.mediator``) holds the
positions the delegations have released to it; the mediation runs on the mediator's view over
the issues every mediated delegation may read, and releases exactly this: one package to all
(or "no proposal" when no package meets every reservation value), and to each delegation — and
the mediator — that delegation's own score for it and whether its reservation value is met.
Nothing else leaves: not the other side's score, weights, reservation value or an issue the
other side may not read.
"""

from __future__ import annotations

from dataclasses import dataclass

from summitry.access.labels import Label, Labelled, combined, label_of
from summitry.access.policy import Principal, can_read
from summitry.analysis.negotiation import analyse_negotiation, profiles_from_plan
from summitry.domain.agenda import Position
from summitry.domain.plan import Plan
from summitry.errors import InputError


@dataclass(frozen=True)
class ProposedPackage:
    """The mediator's package: an option per issue and its wording; empty when none is fair.

    ``package`` is None when no package meets every delegation's reservation value.
    """

    package: dict[str, str] | None
    wording: str


@dataclass(frozen=True)
class OwnScore:
    """One delegation's own score for the proposed package (None when there is no proposal)."""

    party: str
    score: float | None
    reservation_met: bool | None


@dataclass(frozen=True)
class MediationRelease:
    """What the blind mediation releases: the package to all, each side its own score."""

    mediator: str
    package: Labelled[ProposedPackage]
    scores: dict[str, Labelled[OwnScore]]


def blind_mediation(view: Plan, mediator: str, *, seed: int = 0) -> MediationRelease:
    """Run the blind mediation on the mediator's view and release its results.

    The mediated delegations are those whose own position is in the mediator's view. A
    released position that weighs an issue some mediated delegation may not read is refused,
    naming the issue. Usage: ``blind_mediation(load_view(path, Principal.of("secretariat")),
    "secretariat")``.
    """
    released: dict[str, tuple[str, Position]] = {}
    for pid, position in view.positions.items():
        if position.about != position.held_by or position.held_by == mediator:
            continue
        if position.held_by in released:
            raise InputError(
                f"positions.{pid}: '{position.held_by}' has released a second own position "
                f"('{released[position.held_by][0]}' is the other); release one"
            )
        released[position.held_by] = (pid, position)
    parties = [pid for pid in view.parties if pid in released]
    if len(parties) < 2:
        raise InputError(
            f"positions: the mediator '{mediator}' holds fewer than two delegations' own "
            "positions; each delegation releases its own position to the mediator first"
        )
    readers = {party: Principal.of(party) for party in parties}
    common = {
        iid
        for iid, issue in view.issues.items()
        if all(can_read(reader, label_of(issue)) for reader in readers.values())
    }
    for party in parties:
        pid, position = released[party]
        for iid in position.issues:
            if iid not in common:
                others = [
                    p for p in parties if not can_read(readers[p], label_of(view.issues[iid]))
                ]
                raise InputError(
                    f"positions.{pid}: weighs issue '{iid}', which {', '.join(others)} may not "
                    "read; a mediated package may only hold issues every side may read"
                )
    agenda, profiles = profiles_from_plan(view, parties, issues=common)
    nash = analyse_negotiation(agenda, profiles, seed=seed).nash
    package_label = combined(label_of(view.issues[item.id]) for item in agenda.items)
    if nash.package is None or nash.utilities is None:
        proposal = ProposedPackage(None, "")
        scores = {party: OwnScore(party, None, None) for party in parties}
    else:
        chosen = nash.package.as_dict()
        proposal = ProposedPackage(chosen, _wording(view, chosen))
        scores = {
            party: OwnScore(
                party,
                round(nash.utilities[index], 2),
                nash.utilities[index] >= profiles[index].reservation_value,
            )
            for index, party in enumerate(parties)
        }
    return MediationRelease(
        mediator=mediator,
        package=Labelled(proposal, package_label),
        scores={
            party: Labelled(
                scores[party],
                Label(frozenset({party, mediator}), frozenset(released[party][1].compartments)),
            )
            for party in parties
        },
    )


def _wording(view: Plan, package: dict[str, str]) -> str:
    parts = []
    for issue_id, option in package.items():
        issue = view.issues[issue_id]
        parts.append(f"{issue.name}: {issue.options.get(option, option)}")
    return "; ".join(parts)
