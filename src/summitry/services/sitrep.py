"""The situation report use case: every analysis the reader's view allows, in one report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from summitry.access.labels import Label
from summitry.errors import InputError
from summitry.services.forecasting import Progress, reader_text
from summitry.services.source import PlanSource, read_view, result_label

if TYPE_CHECKING:
    from summitry.access.policy import Principal
    from summitry.domain.plan import Plan
    from summitry.reports.document import Block
    from summitry.reports.sitrep import ReadinessSummary, SituationReport
    from summitry.reports.snapshot import Snapshot


@dataclass(frozen=True)
class SitrepRequest:
    """What goes into the report: the reference date, the forecast and its seed."""

    as_of: dt.date | None = None
    forecasting: bool = True
    seed: int = 0


@dataclass(frozen=True)
class SitrepOutcome:
    """A built report (None when it is not due yet), with its view and label."""

    view: Plan
    as_of: dt.date
    report: SituationReport | None
    not_due: str | None
    label: Label


def read_previous(path: Path, principal: Principal) -> Snapshot:
    """The snapshot of an earlier report, refused when it was made for another reader.

    Comparing views would list the other view's records as removed or new.
    Usage: ``read_previous(Path("sitrep-3.json"), JOINT_READER).number``.
    """
    from summitry.io.textfile import read_text
    from summitry.reports.snapshot import Snapshot

    last = Snapshot.read(read_text(path), str(path))
    if not last.made_for(principal):
        raise InputError(
            f"{path}: that report was for {reader_text(last.principal)}, this one is for "
            f"{reader_text(principal.as_dict())}"
        )
    return last


def sitrep(
    source: PlanSource | Plan,
    principal: Principal,
    request: SitrepRequest,
    *,
    previous: Path | None = None,
    only_when_due: bool = False,
    progress: Progress | None = None,
) -> SitrepOutcome:
    """Build the situation report of the principal's view.

    With ``only_when_due``, no report is built before the cadence says the next is due.
    Usage: ``sitrep(Path("summit.toml"), JOINT_READER, SitrepRequest()).report``.
    """
    from summitry.access.views import view_of, view_version
    from summitry.domain.plan import Plan
    from summitry.reports.sitrep import build_sitrep, next_due

    view = view_of(source, principal) if isinstance(source, Plan) else read_view(source, principal)
    day = request.as_of or view.summit.as_of or dt.date.today()
    label = result_label(view, "sitrep")
    last = read_previous(previous, principal) if previous is not None else None
    if only_when_due and last is not None and day < next_due(view, last.as_of):
        message = f"not due: report No. {last.number + 1} is due on {next_due(view, last.as_of)}"
        return SitrepOutcome(view, day, None, message, label)
    report = build_sitrep(
        view,
        as_of=day,
        principal=principal,
        previous=last,
        plan_version=view_version(view),
        readiness=_readiness(view, day, request, progress),
        additions={
            "negotiation": _negotiation(view, principal),
            "risks": _scenarios(view, day),
            "venue": _venues(view, principal),
            **_audit(source, principal),
        },
    )
    return SitrepOutcome(view, day, report, None, label)


def _audit(source: PlanSource | Plan, principal: Principal) -> dict[str, list[Block]]:
    """A workspace's report ends with the heads of the audit chains its reader may see.

    Printed heads let anyone holding the report detect later that a chain was cut short or
    rewritten (``summitry audit verify --against REPORT``). Chains of material the reader may
    not see are not named, so the section is the same whatever others did in private.
    """
    from pathlib import Path

    from summitry.domain.plan import Plan
    from summitry.reports.document import Bullets, Paragraph
    from summitry.reports.sitrep import AUDIT_SECTION

    if isinstance(source, Path | Plan):
        return {}
    from summitry.store.reads import chain_heads

    heads = chain_heads(source, principal)
    return {
        AUDIT_SECTION: [
            Paragraph(
                "Heads of the audit chains this reader may see, as of this report; keep it to "
                "check later that none was cut short or rewritten."
            ),
            Bullets(tuple(head.describe() for head in heads)),
        ]
    }


def _readiness(
    view: Plan, day: dt.date, request: SitrepRequest, progress: Progress | None
) -> ReadinessSummary | None:
    from summitry.analysis.readiness import forecast
    from summitry.reports.readiness_view import forecast_figures, readiness_summary

    if not request.forecasting or not view.work_items():
        return None
    result = forecast(view, as_of=day, seed=request.seed, progress=progress)
    return readiness_summary(view, result, forecast_figures(view, result))


def _negotiation(view: Plan, principal: Principal) -> list[Block]:
    """The fair packages the reader may see: computed from their view only."""
    from summitry.domain.base import JOINT
    from summitry.reports.document import Paragraph
    from summitry.reports.negotiation_view import negotiation_blocks
    from summitry.services.negotiation import negotiate

    if principal.reader == JOINT:
        return [Paragraph("The delegations' positions are not joint material: no fair packages.")]
    try:
        outcome = negotiate(view, principal)
    except InputError as err:
        return [Paragraph(f"No fair-package analysis in this view ({err}).")]
    return negotiation_blocks(view, outcome.analysis, outcome.reservations, outcome.basis)


def _scenarios(view: Plan, day: dt.date) -> list[Block]:
    from summitry.analysis.scenarios import cib_model, find_scenarios
    from summitry.reports.outlook_view import scenario_blocks
    from summitry.services.scenarios import switched_on

    if not view.descriptors:
        return []
    found = find_scenarios(cib_model(view)).consistent
    return scenario_blocks(found, switched_on(view, found, day))


def _venues(view: Plan, principal: Principal) -> list[Block]:
    from summitry.reports.outlook_view import venue_blocks
    from summitry.services.venues import ACCEPTABILITY_TITLE, venues

    if not view.venues or not view.venue_criteria:
        return []
    return venue_blocks(venues(view, principal), ACCEPTABILITY_TITLE)
