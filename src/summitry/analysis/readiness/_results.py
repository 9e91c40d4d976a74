"""The readiness forecast as values: the `Forecast` and its parts, and their JSON form.

Frozen dataclasses (percentiles, S-curve points, the overall, workstream and item forecasts,
risk drivers, merge bias) that pydantic writes to and reads from the ``forecast`` JSON document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, TypeAlias

from pydantic import TypeAdapter, ValidationError

from summitry.domain.forecasting import Distribution
from summitry.errors import InputError

SCHEMA_VERSION = 1
"""Version of the JSON document written by :meth:`Forecast.to_dict`."""

TrafficLight: TypeAlias = Literal["green", "amber", "red", "none"]


@dataclass(frozen=True)
class FinishQuantile:
    """A percentile of a finish: its date, its offset and the offset's standard error.

    ``days`` is in working days from the forecast start (continuous; the date is the day it
    falls on) and ``se_days`` its Monte Carlo standard error by batch means.
    """

    level: int
    date: date
    days: float
    se_days: float


@dataclass(frozen=True)
class CurvePoint:
    """One point of an S-curve: the probability of being finished on or before ``date``."""

    date: date
    probability: float


@dataclass(frozen=True)
class OverallForecast:
    """The whole plan: readiness by the summit date and the finish distribution.

    ``ready_probability`` (and its standard error) is None when there is no summit date.
    ``mean_days`` and ``sd_days`` are the mean and standard deviation of the finish in working
    days. ``deterministic_finish`` is the CPM finish with most likely durations and no risks.
    """

    ready_probability: float | None
    ready_se: float | None
    p50: FinishQuantile
    p80: FinishQuantile
    p95: FinishQuantile
    mean_days: float
    sd_days: float
    deterministic_finish: date
    deterministic_days: float
    s_curve: tuple[CurvePoint, ...]


@dataclass(frozen=True)
class WorkstreamForecast:
    """One workstream: readiness by its deadline and by the summit date, and its finish.

    ``light`` is green when the probability of being ready by the deadline is at least the
    plan's ``forecast.green``, amber from ``forecast.amber``, red below, and "none" when the
    workstream has no deadline.
    """

    id: str
    name: str
    deadline: date | None
    ready_by_deadline: float | None
    ready_by_deadline_se: float | None
    ready_by_summit: float | None
    ready_by_summit_se: float | None
    p50: FinishQuantile
    p80: FinishQuantile
    p95: FinishQuantile
    deterministic_finish: date
    light: TrafficLight
    s_curve: tuple[CurvePoint, ...]


@dataclass(frozen=True)
class ItemForecast:
    """One task or action item.

    Dates and float come from the deterministic CPM (None for finished work).
    ``criticality`` is the share of iterations in which the item lies on a critical path to
    the overall finish; ``sensitivity`` the Spearman rank correlation of its sampled duration
    (its three-point estimate, without risk delays) with the overall finish (None when that
    does not vary); ``p80_finish`` the date by which it is finished in 80 % of iterations.
    """

    id: str
    name: str
    kind: Literal["task", "action"]
    workstream: str | None
    finished: bool
    early_start: date | None
    early_finish: date | None
    late_start: date | None
    late_finish: date | None
    total_float: float | None
    critical: bool
    criticality: float
    sensitivity: float | None
    p80_finish: date | None


@dataclass(frozen=True)
class RiskDriver:
    """What one risk event does to the forecast (Hulett: the baseline minus it).

    ``p80_shift_days`` is how much later the overall P80 is with the risk than without it
    (with its standard error, from the paired runs); ``ready_shift`` how much the probability
    of being ready by the summit date rises without it (None without a summit date).
    ``probability`` is the one used, after mitigation when ``mitigated``.
    """

    id: str
    name: str
    probability: float
    mitigated: bool
    p80_shift_days: float
    p80_shift_se: float
    mean_shift_days: float
    ready_shift: float | None


@dataclass(frozen=True)
class MergeBias:
    """Where parallel paths join: the simulated start against the deterministic one.

    ``difference_days`` = ``mean_start_days`` − ``deterministic_start_days`` (most likely
    durations). ``expected_path_start_days`` is the CPM start with mean durations (risks at
    their expected delay); ``merge_bias_days`` = ``mean_start_days`` − that, the part due to
    the join alone (never negative but for Monte Carlo noise).
    """

    id: str
    name: str
    predecessors: int
    deterministic_start: date
    deterministic_start_days: float
    mean_start_days: float
    difference_days: float
    expected_path_start_days: float
    merge_bias_days: float


@dataclass(frozen=True)
class Forecast:
    """The readiness forecast of a plan; see :func:`forecast`.

    ``converged`` is None unless ``iterations="auto"`` was asked for. ``mitigated`` and
    ``dropped`` name the risks changed for this variant.
    """

    as_of: date
    summit_date: date | None
    iterations: int
    seed: int
    distribution: Distribution
    converged: bool | None
    mitigated: tuple[str, ...]
    dropped: tuple[str, ...]
    overall: OverallForecast
    workstreams: tuple[WorkstreamForecast, ...]
    items: tuple[ItemForecast, ...]
    critical_path: tuple[str, ...]
    risk_drivers: tuple[RiskDriver, ...]
    merge_bias: tuple[MergeBias, ...]
    warnings: tuple[str, ...]

    def workstream(self, workstream_id: str) -> WorkstreamForecast:
        """The forecast of one workstream.

        Usage: ``result.workstream("security").ready_by_deadline``.
        """
        for entry in self.workstreams:
            if entry.id == workstream_id:
                return entry
        raise KeyError(workstream_id)

    def item(self, item_id: str) -> ItemForecast:
        """The forecast of one task or action item.

        Usage: ``result.item("venue-survey").criticality``.
        """
        for entry in self.items:
            if entry.id == item_id:
                return entry
        raise KeyError(item_id)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings) with ``schema_version`` and ``kind``.

        Usage: ``json.dumps(result.to_dict())``.
        """
        body: dict[str, Any] = _FORECAST_JSON.dump_python(self, mode="json")
        return {"schema_version": SCHEMA_VERSION, "kind": "forecast", **body}

    @classmethod
    def from_dict(cls, data: Any) -> Forecast:
        """Read back a dict written by :meth:`to_dict` (e.g. a previous forecast).

        Raises :class:`~summitry.errors.InputError` (one line) when it is not one.

        Usage: ``Forecast.from_dict(json.loads(path.read_text()))``.
        """
        if not isinstance(data, dict) or data.get("kind") != "forecast":
            raise InputError('not a summitry forecast (expected "kind": "forecast")')
        if data.get("schema_version") != SCHEMA_VERSION:
            raise InputError(
                f"forecast schema_version {data.get('schema_version')!r} is not supported "
                f"(expected {SCHEMA_VERSION})"
            )
        body = {k: v for k, v in data.items() if k not in ("schema_version", "kind")}
        try:
            return _FORECAST_JSON.validate_python(body)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise InputError(
                f"forecast document is incomplete or damaged: {where}: {first['msg']}"
            ) from None


# The result classes are plain dataclasses; pydantic reads and writes them, dates as ISO text.
_FORECAST_JSON: TypeAdapter[Forecast] = TypeAdapter(Forecast)
