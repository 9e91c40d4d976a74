"""The task network of a plan: arrays for the simulation, the deterministic CPM and its checks.

Time runs in **working days from the start of the forecast** (``as_of``): a task of 5 days
that starts at offset 0 occupies working days 1 to 5 and finishes at offset 5. An offset ``f``
falls on finish day ``ceil(f)``, day ``k ≥ 1`` being the ``k``-th working day on or after
``as_of``; offset 0 (nothing left to do) is ``as_of`` itself. Work is ready by a date ``D`` when
its finish offset is at most the number of working days in ``[as_of, D]`` — so a deadline on a
holiday or a weekend means the working day before it.

Only open work is scheduled. A finished item (closed status) takes no time and constrains
nothing, except that the lag of a link from it still has to run from the start of the forecast
(we cannot tell whether it already has). Work in progress keeps ``1 − percent_complete/100`` of
its duration. A missing estimate counts as zero duration (and is reported).

An open risk that occurs adds its sampled delay, in full, to each open item it names (to the
remaining work of an item in progress); one draw per iteration serves all its items.
Mitigated risks use their mitigation's probability and/or delay; dropped, closed and
delay-less risks are left out.

Dates stay within the supported range (``FIRST_DATE`` … ``LAST_DATE`` of the domain): a
:class:`DayTable` refuses a start outside it, and :meth:`DayTable.check_reach` refuses work
that could end after its last day, before any offset is turned into a date.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from summitry.analysis.sampling import (
    EPSILON,
    FIXED,
    PERT,
    TRIANGULAR,
    FloatArray,
    IntArray,
    SimulationInput,
    cpm_passes,
)
from summitry.domain.base import LAST_DATE, Estimate, is_supported_date, unsupported_date
from summitry.domain.calendar import WEEKDAYS, WorkCalendar
from summitry.domain.forecasting import Distribution
from summitry.domain.plan import Plan
from summitry.domain.risks import Risk, RiskStatus
from summitry.domain.schedule import ActionItem, Task, WorkItem
from summitry.errors import InputError

_KIND = {Distribution.PERT: PERT, Distribution.TRIANGULAR: TRIANGULAR}


# --- calendar ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayTable:
    """Working-day offsets ↔ dates for one forecast start and one calendar (vectorised).

    Usage: ``DayTable.of(plan.summit.calendar, date(2024, 7, 15)).finish_date(5.0)``.
    """

    as_of: date
    weekmask: str
    holidays: npt.NDArray[np.datetime64]

    @classmethod
    def of(cls, calendar: WorkCalendar, as_of: date) -> DayTable:
        """The table of a calendar, counting from ``as_of``.

        Raises :class:`~summitry.errors.InputError` when ``as_of`` is outside the supported
        dates. Usage: ``DayTable.of(WorkCalendar(), date(2024, 7, 15))``.
        """
        if not is_supported_date(as_of):
            raise InputError(f"as_of: {unsupported_date(as_of)}")
        weekmask = "".join("0" if day in calendar.weekend else "1" for day in WEEKDAYS)
        holidays = np.array(sorted(set(calendar.holidays)), dtype="datetime64[D]")
        return cls(as_of=as_of, weekmask=weekmask, holidays=holidays)

    def day_dates(self, days: npt.ArrayLike) -> list[date]:
        """Dates of finish days (0 is ``as_of``; ``k ≥ 1`` the ``k``-th working day).

        Usage: ``table.day_dates([0, 1, 5])``.
        """
        numbers = np.asarray(days, dtype=np.int64)
        if numbers.size == 0:
            return []
        shifted = np.busday_offset(
            np.datetime64(self.as_of, "D"),
            np.maximum(numbers - 1, 0),
            roll="forward",
            weekmask=self.weekmask,
            holidays=self.holidays,
        )
        out: list[date] = shifted.astype(object).tolist()
        return [self.as_of if k <= 0 else day for k, day in zip(numbers.tolist(), out, strict=True)]

    def finish_date(self, offset: float) -> date:
        """The date on which work ending at ``offset`` working days finishes.

        Usage: ``table.finish_date(5.0)`` is the fifth working day from ``as_of``.
        """
        return self.finish_dates([offset])[0]

    def finish_dates(self, offsets: npt.ArrayLike) -> list[date]:
        """:meth:`finish_date` of many offsets at once.

        Usage: ``table.finish_dates(result.early_finish)``.
        """
        return self.day_dates(finish_days(offsets))

    def start_dates(self, offsets: npt.ArrayLike, durations: npt.ArrayLike) -> list[date]:
        """The dates on which work starting at ``offsets`` (lasting ``durations``) begins.

        Work starting at offset ``s`` begins on day ``floor(s) + 1``; a zero-duration item
        starts on the day it finishes.

        Usage: ``table.start_dates([0.0, 5.0], [3.0, 0.0])``.
        """
        start = np.asarray(offsets, dtype=np.float64)
        days = np.floor(start + EPSILON).astype(np.int64) + 1
        instant = np.asarray(durations, dtype=np.float64) <= EPSILON
        return self.day_dates(np.where(instant, finish_days(start), days))

    def check_reach(self, days: float, how: str) -> None:
        """Refuse (one line) work ending ``days`` working days on if that is past LAST_DATE.

        ``how`` says which finish it is, for the message.

        Usage: ``table.check_reach(longest_finish(spec), "at its longest")``.
        """
        if not days <= self.days_until(LAST_DATE):
            raise InputError(
                f"the open work runs {days:,.0f} working days from {self.as_of} {how}, past "
                f"{LAST_DATE}, the last date summitry supports; check the estimates, lags and "
                "risk delays"
            )

    def days_until(self, day: date) -> int:
        """Working days in ``[as_of, day]``: work ready by ``day`` ends at most this offset.

        Usage: ``table.days_until(date(2024, 7, 19))`` is 5 from Monday 15 July.
        """
        if day < self.as_of:
            return 0
        return int(
            np.busday_count(
                np.datetime64(self.as_of, "D"),
                np.datetime64(day + timedelta(days=1), "D"),
                weekmask=self.weekmask,
                holidays=self.holidays,
            )
        )


def finish_days(offsets: npt.ArrayLike) -> IntArray:
    """The finish day numbers of offsets: ``ceil(offset)``, 0 for no work.

    Usage: ``finish_days([0.0, 4.2, 5.0])`` is ``[0, 5, 5]``.
    """
    values = np.asarray(offsets, dtype=np.float64)
    return np.maximum(np.ceil(values - EPSILON), 0).astype(np.int64)


# --- the network ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Network:
    """The open work of a plan in topological order, with the simulation arrays.

    ``order`` lists open item ids in topological order (the index of ``spec``'s arrays);
    ``finished`` lists closed items. ``most_likely`` and ``mean`` are the remaining durations
    of the deterministic plan and their expectations (risks included in ``mean`` at their
    expected delay). ``successors`` counts each open item's open successors. ``risks`` maps
    the ids of risks that enter the simulation to their index in ``spec``, with the
    probability used.
    """

    order: tuple[str, ...]
    finished: frozenset[str]
    spec: SimulationInput
    workstreams: tuple[str, ...]
    most_likely: FloatArray
    mean: FloatArray
    successors: IntArray
    risks: Mapping[str, tuple[int, float]]
    streams: Mapping[str, str | None]

    @property
    def index(self) -> dict[str, int]:
        """Position of each open item in ``order``.

        Usage: ``network.index["venue-survey"]``.
        """
        return {item: i for i, item in enumerate(self.order)}


def build_network(
    plan: Plan,
    distribution: Distribution | None = None,
    mitigate: Iterable[str] = (),
    drop: Iterable[str] = (),
) -> Network:
    """Turn a plan into simulation arrays (ids of ``mitigate``/``drop`` are assumed checked).

    ``distribution`` replaces the plan's default (items that name their own keep it).

    Usage: ``build_network(plan).spec``.
    """
    default = distribution or plan.forecast.distribution
    work = plan.work_items()
    positions = {item: k for k, item in enumerate(work)}
    streams_of = {item: workstream_of(record) for item, record in work.items()}
    closed = {sid for sid, status in plan.status_vocabulary.items() if status.is_closed}
    finished = frozenset(item for item, record in work.items() if record.status in closed)
    order = _topological(work, finished)
    index = {item: i for i, item in enumerate(order)}
    n = len(order)

    kind = np.zeros(n, dtype=np.int64)
    low = np.zeros(n)
    span = np.zeros(n)
    mode = np.full(n, 0.5)
    remaining = np.ones(n)
    release = np.zeros(n)
    most_likely = np.zeros(n)
    mean = np.zeros(n)
    slot = np.zeros(n, dtype=np.int64)
    preds: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    successors = np.zeros(n, dtype=np.int64)
    for i, item in enumerate(order):
        record = work[item]
        slot[i] = 2 * positions[item]
        remaining[i] = 1.0 - record.percent_complete / 100.0
        if record.estimate is not None:
            shape = _KIND[record.distribution or default]
            kind[i], low[i], span[i], mode[i] = _shape(record.estimate, shape)
            most_likely[i] = record.estimate.most_likely * remaining[i]
            mean[i] = _mean(record.estimate, shape) * remaining[i]
        for dep in record.depends_on:
            if dep.task in finished:
                release[i] = max(release[i], dep.lag)
            else:
                preds[i].append((index[dep.task], dep.lag))
                successors[index[dep.task]] += 1
    pred_ptr = np.zeros(n + 1, dtype=np.int64)
    pred_ptr[1:] = np.cumsum([len(p) for p in preds])
    pred_index = np.array([p for ps in preds for p, _ in ps], dtype=np.int64)
    pred_lag = np.array([lag for ps in preds for _, lag in ps], dtype=np.float64)

    slot_base = 2 * len(work)
    driver_ptr, driver_index, driver_load, own_load = _loadings(plan, index, kind)
    driver_slot = slot_base + 2 * np.arange(len(plan.drivers), dtype=np.int64)
    slot_base += 2 * len(plan.drivers)

    risk_rows = _risk_rows(plan, set(mitigate), set(drop), index)
    risk_count = len(plan.risks)
    risk_probability = np.zeros(risk_count)
    risk_kind = np.zeros(risk_count, dtype=np.int64)
    risk_low = np.zeros(risk_count)
    risk_span = np.zeros(risk_count)
    risk_mode = np.full(risk_count, 0.5)
    risk_slot = slot_base + 2 * np.arange(risk_count, dtype=np.int64)
    item_risks: list[list[int]] = [[] for _ in range(n)]
    used: dict[str, tuple[int, float]] = {}
    risk_ids = list(plan.risks)
    for r, row in enumerate(risk_rows):
        if row is None:
            continue
        probability, delay, affected = row
        risk_probability[r] = probability
        shape = _KIND[default]
        risk_kind[r], risk_low[r], risk_span[r], risk_mode[r] = _shape(delay, shape)
        expected = probability * _mean(delay, shape)
        for i in affected:
            item_risks[i].append(r)
            mean[i] += expected
        used[risk_ids[r]] = (r, probability)
    item_risk_ptr = np.zeros(n + 1, dtype=np.int64)
    item_risk_ptr[1:] = np.cumsum([len(r) for r in item_risks])
    item_risk_index = np.array([r for rs in item_risks for r in rs], dtype=np.int64)

    streams = tuple(plan.workstreams)
    stream_index = {w: k for k, w in enumerate(streams)}
    workstream = np.array(
        [stream_index.get(streams_of[item] or "", -1) for item in order], dtype=np.int64
    )
    spec = SimulationInput(
        slots=int(slot_base + 2 * risk_count),
        kind=kind,
        low=low,
        span=span,
        mode=mode,
        remaining=remaining,
        release=release,
        slot=slot,
        pred_ptr=pred_ptr,
        pred_index=pred_index,
        pred_lag=pred_lag,
        driver_ptr=driver_ptr,
        driver_index=driver_index,
        driver_load=driver_load,
        own_load=own_load,
        driver_slot=driver_slot,
        risk_probability=risk_probability,
        risk_kind=risk_kind,
        risk_low=risk_low,
        risk_span=risk_span,
        risk_mode=risk_mode,
        risk_slot=risk_slot,
        item_risk_ptr=item_risk_ptr,
        item_risk_index=item_risk_index,
        workstream=workstream,
        workstreams=len(streams),
    )
    return Network(
        order=tuple(order),
        finished=finished,
        spec=spec,
        workstreams=streams,
        most_likely=most_likely,
        mean=mean,
        successors=successors,
        risks=used,
        streams=streams_of,
    )


def _topological(work: Mapping[str, WorkItem], finished: frozenset[str]) -> list[str]:
    # Kahn's algorithm, taking ready items in plan order so that the order is reproducible.
    # Cycles were rejected by the plan model.
    open_items = [item for item in work if item not in finished]
    waiting = {
        item: sum(1 for dep in work[item].depends_on if dep.task not in finished)
        for item in open_items
    }
    followers: dict[str, list[str]] = {item: [] for item in open_items}
    for item in open_items:
        for dep in work[item].depends_on:
            if dep.task not in finished:
                followers[dep.task].append(item)
    ready = deque(item for item in open_items if waiting[item] == 0)
    order: list[str] = []
    while ready:
        item = ready.popleft()
        order.append(item)
        for follower in followers[item]:
            waiting[follower] -= 1
            if waiting[follower] == 0:
                ready.append(follower)
    return order


def _shape(estimate: Estimate, kind: int) -> tuple[int, float, float, float]:
    low, likely, high = estimate.optimistic, estimate.most_likely, estimate.pessimistic
    width = high - low
    if width <= 0:
        return FIXED, low, 0.0, 0.5
    return kind, low, width, (likely - low) / width


def _mean(estimate: Estimate, kind: int) -> float:
    return estimate.triangular_mean if kind == TRIANGULAR else estimate.pert_mean


def _loadings(
    plan: Plan, index: Mapping[str, int], kind: IntArray
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    # A driver's correlation ρ is read as the rank correlation it gives two items that share
    # only that driver; in the Gaussian copula that takes a latent correlation of
    # 2·sin(πρ/6), the share of each item's latent variance the driver carries. An item in
    # several drivers adds the shares; if they exceed 1 they are scaled to sum to 1.
    n = kind.shape[0]
    shares: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for d, driver in enumerate(plan.drivers.values()):
        share = 2.0 * math.sin(math.pi * driver.correlation / 6.0)
        if share <= 0:
            continue
        for item in dict.fromkeys(driver.tasks):
            i = index.get(item)
            if i is not None and kind[i] != FIXED:
                shares[i].append((d, share))
    ptr = np.zeros(n + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(s) for s in shares])
    driver_index = np.array([d for s in shares for d, _ in s], dtype=np.int64)
    load = np.zeros(int(ptr[-1]))
    own = np.ones(n)
    for i, item_shares in enumerate(shares):
        total = sum(share for _, share in item_shares)
        scale = 1.0 / total if total > 1.0 else 1.0
        for k, (_, share) in enumerate(item_shares):
            load[ptr[i] + k] = math.sqrt(share * scale)
        own[i] = math.sqrt(max(0.0, 1.0 - total * scale))
    return ptr, driver_index, load, own


def _risk_rows(
    plan: Plan,
    mitigate: set[str],
    drop: set[str],
    index: Mapping[str, int],
) -> list[tuple[float, Estimate, list[int]] | None]:
    rows: list[tuple[float, Estimate, list[int]] | None] = []
    for rid, risk in plan.risks.items():
        probability, delay = effective_risk(risk, rid in mitigate)
        affected = [index[item] for item in dict.fromkeys(risk.tasks) if item in index]
        usable = (
            risk.status is RiskStatus.OPEN
            and rid not in drop
            and delay is not None
            and affected
            and probability > 0
            and delay.pessimistic > 0
        )
        rows.append((probability, delay, affected) if usable and delay is not None else None)
    return rows


def effective_risk(risk: Risk, mitigated: bool) -> tuple[float, Estimate | None]:
    """The probability and delay of a risk, after its mitigation when ``mitigated``.

    Usage: ``effective_risk(plan.risks["venue-deadlock"], mitigated=True)``.
    """
    probability, delay = risk.probability, risk.delay
    if mitigated and risk.mitigation is not None:
        if risk.mitigation.probability is not None:
            probability = risk.mitigation.probability
        if risk.mitigation.delay is not None:
            delay = risk.mitigation.delay
    return probability, delay


# --- deterministic CPM ------------------------------------------------------------------------


@dataclass(frozen=True)
class Passes:
    """Early/late starts and finishes (working days) of the open items, in network order."""

    early_start: FloatArray
    early_finish: FloatArray
    late_start: FloatArray
    late_finish: FloatArray
    finish: float

    @property
    def total_float(self) -> FloatArray:
        """Late start minus early start, in working days (rounding noise cleared to 0).

        Usage: ``passes(network, network.most_likely).total_float``.
        """
        slack = self.late_start - self.early_start
        return np.where(np.abs(slack) <= EPSILON, 0.0, slack)


def passes(network: Network, durations: FloatArray) -> Passes:
    """Forward and backward CPM passes with the given durations (one per open item).

    Items with no open successor end at the overall finish in the backward pass.

    Usage: ``passes(network, network.most_likely).finish``.
    """
    spec = network.spec
    early_start, early_finish, late_start, late_finish = cpm_passes(
        spec.pred_ptr, spec.pred_index, spec.pred_lag, spec.release, np.asarray(durations)
    )
    finish = float(early_finish.max()) if spec.items else 0.0
    return Passes(early_start, early_finish, late_start, late_finish, finish)


def driving_path(network: Network, result: Passes) -> tuple[str, ...]:
    """One critical path of a CPM result, from its first item to the one that ends last.

    Walks back from the latest-finishing item through the predecessor that drives each start
    (the first in plan order on a tie) until an item starts at the forecast start or at the
    end of a lag after finished work.

    Usage: ``driving_path(network, passes(network, network.most_likely))``.
    """
    spec = network.spec
    if spec.items == 0:
        return ()
    i = int(np.argmax(result.early_finish))
    path = [i]
    while True:
        driver = -1
        for e in range(spec.pred_ptr[i], spec.pred_ptr[i + 1]):
            p = int(spec.pred_index[e])
            if result.early_finish[p] + spec.pred_lag[e] >= result.early_start[i] - EPSILON:
                driver = p
                break
        if driver < 0:
            break
        path.append(driver)
        i = driver
    return tuple(network.order[k] for k in reversed(path))


@dataclass(frozen=True)
class CpmItem:
    """Deterministic dates of one open work item (most likely remaining durations).

    Offsets are working days from the forecast start; ``total_float`` is how far the item
    can slip without moving the overall finish.
    """

    id: str
    early_start: date
    early_finish: date
    late_start: date
    late_finish: date
    early_start_days: float
    early_finish_days: float
    total_float: float
    critical: bool


@dataclass(frozen=True)
class Cpm:
    """The deterministic schedule of a plan's open work.

    Usage: ``cpm(plan, as_of=date(2024, 7, 15)).finish``.
    """

    as_of: date
    finish: date
    finish_days: float
    items: tuple[CpmItem, ...]
    critical_path: tuple[str, ...]

    def item(self, item_id: str) -> CpmItem:
        """The CPM entry of one open item.

        Usage: ``schedule.item("venue-survey").total_float``.
        """
        for entry in self.items:
            if entry.id == item_id:
                return entry
        raise KeyError(item_id)


def cpm(plan: Plan, *, as_of: date | None = None) -> Cpm:
    """Critical path method on the plan's open work with most likely (remaining) durations.

    Risks are not included; finished items take no time. ``as_of`` defaults to the plan's
    ``summit.as_of``, else today.

    Usage: ``cpm(plan).critical_path``.
    """
    start = as_of or plan.summit.as_of or date.today()
    network = build_network(plan)
    return schedule_of(network, DayTable.of(plan.summit.calendar, start))


def schedule_of(network: Network, table: DayTable) -> Cpm:
    """The :class:`Cpm` of an already built network.

    Usage: ``schedule_of(network, DayTable.of(calendar, as_of))``.
    """
    result = passes(network, network.most_likely)
    table.check_reach(result.finish, "with most likely durations")
    slack = result.total_float
    durations = network.most_likely
    columns = zip(
        network.order,
        table.start_dates(result.early_start, durations),
        table.finish_dates(result.early_finish),
        table.start_dates(result.late_start, durations),
        table.finish_dates(result.late_finish),
        strict=True,
    )
    items = tuple(
        CpmItem(
            id=item,
            early_start=early_start,
            early_finish=early_finish,
            late_start=late_start,
            late_finish=late_finish,
            early_start_days=float(result.early_start[i]),
            early_finish_days=float(result.early_finish[i]),
            total_float=float(slack[i]),
            critical=bool(slack[i] <= EPSILON),
        )
        for i, (item, early_start, early_finish, late_start, late_finish) in enumerate(columns)
    )
    return Cpm(
        as_of=table.as_of,
        finish=table.finish_date(result.finish),
        finish_days=result.finish,
        items=items,
        critical_path=driving_path(network, result),
    )


# --- schedule-quality check -------------------------------------------------------------------


def quality_check(plan: Plan) -> list[str]:
    """Warnings about the schedule to read before trusting a forecast; empty when clean.

    Each warning starts with the key path of the record it is about. It reports:

    - a missing estimate (the item is forecast as taking no time);
    - an **open end**: an open item that no open item depends on and that is not the end
      of its workstream — the end being the open item(s) of the workstream with the latest
      deterministic early finish. Its delays reach no successor; only its workstream's own
      finish can show them;
    - a finished item that depends on work still open (the status or the link is wrong);
    - an item without a workstream (it counts only toward the overall finish);
    - a blocked item (the forecast assumes the work can resume now);
    - a risk or driver that affects no open work, and a workstream deadline after the
      summit date.

    Usage: ``for warning in quality_check(plan): print(warning)``.
    """
    return network_warnings(plan, build_network(plan))


def network_warnings(plan: Plan, network: Network) -> list[str]:
    """:func:`quality_check` on an already built network of the plan.

    Usage: ``network_warnings(plan, build_network(plan))``.
    """
    warnings: list[str] = []
    work = plan.work_items()
    result = passes(network, network.most_likely)
    ends: dict[str, float] = {}
    for i, item in enumerate(network.order):
        stream = network.streams[item]
        if stream is not None:
            ends[stream] = max(ends.get(stream, 0.0), float(result.early_finish[i]))
    for i, item in enumerate(network.order):
        record = work[item]
        stream = network.streams[item]
        where = _where(plan, item)
        if record.estimate is None:
            warnings.append(f"{where}: no estimate; forecast as taking no time")
        if stream is None:
            warnings.append(f"{where}: no workstream; it counts only toward the overall finish")
        elif network.successors[i] == 0 and result.early_finish[i] < ends[stream] - EPSILON:
            warnings.append(
                f"{where}: open end: no open work depends on it and it is not the end of "
                f"workstream '{stream}'"
            )
        if record.is_blocked:
            warnings.append(f"{where}: blocked; the forecast assumes the work resumes now")
    for item, record in work.items():
        if item not in network.finished:
            continue
        for dep in record.depends_on:
            if dep.task not in network.finished:
                warnings.append(
                    f"{_where(plan, item)}: finished, but depends on '{dep.task}', which is "
                    "still open"
                )
    open_work = set(network.order)
    for rid, risk in plan.risks.items():
        if risk.status is RiskStatus.OPEN and risk.tasks and not open_work.intersection(risk.tasks):
            warnings.append(f"risks.{rid}: delays only finished work; it cannot move the forecast")
    for did, driver in plan.drivers.items():
        if len(open_work.intersection(driver.tasks)) < 2:
            warnings.append(
                f"drivers.{did}: links fewer than two open items; it correlates nothing"
            )
    summit = plan.summit.earliest_date
    for wid, workstream in plan.workstreams.items():
        deadline = workstream.deadline
        if summit is not None and deadline is not None and deadline > summit:
            warnings.append(
                f"workstreams.{wid}: deadline {deadline} is after the summit date {summit}"
            )
    return warnings


def workstream_of(record: WorkItem) -> str | None:
    """The workstream of a task or action item (an action may have none).

    Usage: ``workstream_of(plan.work_items()["venue-survey"])``.
    """
    return record.workstream if isinstance(record, (Task, ActionItem)) else None


def _where(plan: Plan, item: str) -> str:
    return f"tasks.{item}" if item in plan.tasks else f"actions.{item}"


def predecessor_counts(network: Network) -> IntArray:
    """Open predecessors of each open item, in network order.

    Usage: ``predecessor_counts(network)[network.index["venue-decision"]]``.
    """
    return np.diff(network.spec.pred_ptr)
