"""The machine-readable state a situation report records, so the next one can say what changed.

Each report writes its snapshot as JSON beside it; ``summitry sitrep --previous`` reads it back.
A snapshot only ever holds what the report's reader could see.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from summitry.access.policy import Principal
from summitry.analysis.dashboard import Dashboard
from summitry.domain.plan import Plan
from summitry.errors import InputError

SNAPSHOT_SCHEMA = 1


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class StreamState(_Value):
    """A workstream as reported: status, band, dates and progress."""

    name: str
    status: str
    band: str
    expected_end: dt.date | None = None
    deadline: dt.date | None = None
    percent_complete: float = 0
    p80: dt.date | None = None


class ItemState(_Value):
    """A task, action item, milestone or decision as reported."""

    name: str
    kind: str
    status: str
    date: dt.date | None = None
    baseline: dt.date | None = None


class RiskState(_Value):
    """A risk as reported: open or closed, and its exposure in working days."""

    name: str
    status: str
    exposure: float


class Snapshot(_Value):
    """Everything a later report compares against."""

    schema_version: int = SNAPSHOT_SCHEMA
    kind: str = "sitrep-snapshot"
    number: int
    as_of: dt.date
    viewer: str
    clearances: tuple[str, ...] = ()
    readiness: float | None = None
    workstreams: dict[str, StreamState]
    items: dict[str, ItemState]
    risks: dict[str, RiskState]

    @property
    def principal(self) -> dict[str, object]:
        """The reader the snapshot was taken for, as :meth:`Principal.as_dict` gives it."""
        return {"as": self.viewer, "clearances": sorted(self.clearances)}

    def made_for(self, principal: Principal) -> bool:
        """Whether this snapshot was taken for ``principal`` (the same reader and clearances).

        Usage: ``last.made_for(Principal.of("north"))``.
        """
        return self.viewer == principal.name and set(self.clearances) == principal.clearances

    @classmethod
    def read(cls, text: str, source: str) -> Snapshot:
        """Parse a snapshot written by an earlier report, with a one-line error if it is not one.

        Usage: ``Snapshot.read(Path("last.json").read_text(), "last.json")``.
        """
        try:
            snapshot = cls.model_validate_json(text)
        except ValueError:
            raise InputError(
                f"{source}: not a situation-report snapshot (the .json written beside a report)"
            ) from None
        if snapshot.kind != "sitrep-snapshot" or snapshot.schema_version > SNAPSHOT_SCHEMA:
            raise InputError(f"{source}: not a snapshot this summitry can read")
        return snapshot


def take_snapshot(
    plan: Plan,
    board: Dashboard,
    *,
    number: int,
    principal: Principal,
    readiness: float | None = None,
    p80: dict[str, dt.date] | None = None,
) -> Snapshot:
    """Record the reportable state of a (viewer's) plan.

    Usage: ``take_snapshot(view, dashboard(view, as_of), number=3, principal=JOINT_READER)``.
    """
    p80 = p80 or {}
    streams = {
        row.id: StreamState(
            name=row.name,
            status=row.status,
            band=row.band.value,
            expected_end=row.expected_completion.end if row.expected_completion else None,
            deadline=row.deadline,
            percent_complete=row.percent_complete,
            p80=p80.get(row.id),
        )
        for row in board.workstreams
    }
    items: dict[str, ItemState] = {}
    for wid, work in plan.work_items().items():
        kind = "task" if wid in plan.tasks else "action"
        items[wid] = ItemState(
            name=work.name, kind=kind, status=work.status, date=work.due, baseline=work.baseline
        )
    for mid, milestone in plan.milestones.items():
        met = {True: "met", False: "missed", None: "open"}[milestone.met]
        items[mid] = ItemState(
            name=milestone.name,
            kind="milestone",
            status=met,
            date=milestone.date,
            baseline=milestone.baseline,
        )
    for did, decision in plan.decisions.items():
        items[did] = ItemState(
            name=decision.title, kind="decision", status=decision.status.value, date=decision.due
        )
    risks = {
        rid: RiskState(
            name=risk.name,
            status=risk.status.value,
            exposure=risk.exposure,
        )
        for rid, risk in plan.risks.items()
    }
    return Snapshot(
        number=number,
        as_of=board.as_of,
        viewer=principal.name,
        clearances=tuple(sorted(principal.clearances)),
        readiness=readiness,
        workstreams=streams,
        items=items,
        risks=risks,
    )


def changes(previous: Snapshot, current: Snapshot) -> dict[str, list[str]]:
    """What changed between two snapshots, by kind; an empty list means no change.

    Usage: ``changes(last_week, today)["dates"]``.
    """
    out: dict[str, list[str]] = {
        "readiness": [],
        "status": [],
        "bands": [],
        "dates": [],
        "new risks": [],
        "closed risks": [],
    }
    was, now = previous.readiness, current.readiness
    if was is not None and now is not None and round(was, 2) != round(now, 2):
        out["readiness"].append(f"ready by the summit date: {now:.0%} (was {was:.0%})")
    for sid, stream in current.workstreams.items():
        before = previous.workstreams.get(sid)
        if before is None:
            out["status"].append(f"{stream.name}: new workstream ({stream.status})")
            continue
        if before.status != stream.status:
            out["status"].append(f"{stream.name}: {before.status} → {stream.status}")
        if before.band != stream.band:
            out["bands"].append(f"{stream.name}: {before.band} → {stream.band}")
        for label, old, new in (
            ("expected completion", before.expected_end, stream.expected_end),
            ("deadline", before.deadline, stream.deadline),
            ("P80 finish", before.p80, stream.p80),
        ):
            if old != new and old is not None and new is not None:
                out["dates"].append(f"{stream.name}: {label} {old} → {new}")
    for iid, item in current.items.items():
        before_item = previous.items.get(iid)
        if before_item is None:
            continue
        if before_item.status != item.status:
            out["status"].append(f"{item.name} ({item.kind}): {before_item.status} → {item.status}")
        if before_item.date != item.date and before_item.date and item.date:
            out["dates"].append(f"{item.name} ({item.kind}): {before_item.date} → {item.date}")
    for rid, risk in current.risks.items():
        before_risk = previous.risks.get(rid)
        if before_risk is None and risk.status == "open":
            out["new risks"].append(f"{risk.name} (exposure {risk.exposure:g} working days)")
        elif before_risk is not None and before_risk.status == "open" and risk.status == "closed":
            out["closed risks"].append(risk.name)
    for rid, risk in previous.risks.items():
        if rid not in current.risks and risk.status == "open":
            out["closed risks"].append(f"{risk.name} (removed from the register)")
    return out
