"""The blind mediation for a member: run it and store its release, read the latest one.

The API's ``mediation/run`` and ``mediation`` routes and the mediation page call these, so a
page and a client get the same answer for the same member. Running is the mediator's: only
members of the plan's mediator party see it (to everyone else it answers as a route that does
not exist) and only its editors run it. Running *is* publishing: the package is stored with
its label (every party may read it) and each delegation's own score with the label of that
delegation and the mediator, so that each reads its own score and never the other's.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from fastapi import HTTPException

from summitry.errors import InputError
from summitry.web.deps import ROLES_THAT_WRITE, Member
from summitry.web.jobs import Output, Requester, audit_reads, list_results, store_result

if TYPE_CHECKING:
    from summitry.access.labels import Labelled

MEDIATION_PACKAGE = "mediation"
"""The kind of the stored result holding the proposed package."""

MEDIATION_SCORE = "mediation-score"
"""The kind of the stored result holding one delegation's own score."""

NO_MEDIATION = "no mediation has been released in this workspace yet"


def not_found() -> HTTPException:
    """The answer of a route that does not exist (the mediation run, to all but the mediator)."""
    return HTTPException(404, "Not Found")


def mediator_party(member: Member) -> str | None:
    """The plan's mediator party as every party may know it, or None when it names none.

    Usage: ``mediator_party(member) == member.principal.party``.
    """
    from summitry.services.negotiation import mediator_of

    try:
        return mediator_of(member.source)
    except InputError:
        return None


def run_mediation(member: Member, seed: int = 0) -> dict[str, Any]:
    """Run the blind mediation as the member (the mediator's editor) and store the release.

    404 (as for a route that does not exist) unless the member is of the mediator's party,
    403 unless they are an editor of it. The answer is the ``mediation`` document the
    mediator reads: the package, every delegation's own score, the stored id and when.
    Usage: ``run_mediation(member)["package"]["value"]["package"]``.
    """
    from summitry.access.policy import Principal
    from summitry.services.negotiation import mediate

    mediator = mediator_party(member)
    if mediator is None or member.principal.party != mediator:
        raise not_found()
    if member.role not in ROLES_THAT_WRITE:
        raise HTTPException(403, f"a {member.role} does not run the mediation; an editor does")
    source = member.source
    clearances = member.principal.clearances
    outcome = mediate(source, clearances, seed=seed)
    release = outcome.release
    requester = Requester.of(member)
    package = {"mediator": mediator, "package": _labelled(release.package)}
    proposals = {party: _labelled(release.scores[party]) for party in outcome.shown}
    with member.writing() as session:
        stored = store_result(
            session, requester, Output(MEDIATION_PACKAGE, package, release.package.label)
        )
        for party in outcome.shown:
            score = release.scores[party]
            part = {"run": stored.id, "party": party, "proposal": proposals[party]}
            store_result(session, requester, Output(MEDIATION_SCORE, part, score.label))
    extra = {"id": stored.id, "released_at": utc(stored.created_at)}
    return _document({**package, "proposals": proposals, **extra}, Principal(mediator, clearances))


def latest_mediation(member: Member) -> dict[str, Any] | None:
    """What the latest stored mediation gives the member, or None when none is stored yet.

    The package, and the scores the member may read: a delegation its own, the mediator
    every one, the host none. Reading it is audited.
    Usage: ``found = latest_mediation(member); found["proposals"] if found else {}``.
    """
    principal = member.principal
    with member.reading() as session:
        packages = list_results(session, member.workspace.id, principal, (MEDIATION_PACKAGE,), 1)
        if not packages:
            return None
        package = packages[0]
        scores = [
            row
            for row in list_results(
                session, member.workspace.id, principal, (MEDIATION_SCORE,), 200
            )
            if row.body.get("run") == package.id
        ]
        audit_reads(session, member, [package, *scores])
    proposals = {row.body["party"]: row.body["proposal"] for row in scores}
    body = {
        **package.body,
        "proposals": dict(sorted(proposals.items())),
        "id": package.id,
        "released_at": utc(package.created_at),
    }
    return _document(body, principal)


def utc(moment: dt.datetime) -> str:
    """A stored moment (UTC, with or without its zone) in ISO form with its zone."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return aware.isoformat()


def _labelled(result: Labelled[Any]) -> dict[str, Any]:
    from dataclasses import asdict

    return {**asdict(result.value), "label": result.label.as_dict()}


def _document(payload: dict[str, Any], principal: Any) -> dict[str, Any]:
    from summitry.web.analyses import document

    return document("mediation", payload, principal)
