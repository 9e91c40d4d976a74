"""Readiness forecast: checked against answers worked out independently of the engine.

Closed forms (PERT and triangular moments, products of independent probabilities), hand-worked
CPM dates, and numpy's own Beta sampler stand in for the engine's tabulated inverse CDFs.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summitry.analysis.network import cpm, quality_check
from summitry.analysis.readiness import Forecast, forecast
from summitry.domain import Plan, WorkCalendar
from summitry.errors import InputError
from summitry.io.planfile import load

AS_OF = dt.date(2024, 7, 15)  # a Monday
SUMMIT = dt.date(2024, 12, 2)
CALENDAR = WorkCalendar()


def make_plan(
    tasks: dict[str, Any] | None = None,
    *,
    streams: dict[str, Any] | None = None,
    summit: dt.date | None = SUMMIT,
    **collections: Any,
) -> Plan:
    summit_table: dict[str, Any] = {"title": "Harbour Talks", "as_of": AS_OF}
    if summit is not None:
        summit_table["date"] = summit
    summit_table.update(collections.pop("summit_extra", {}))
    return Plan.model_validate(
        {
            "summit": summit_table,
            "parties": {"north": {"name": "Northland"}, "south": {"name": "Southland"}},
            "workstreams": streams if streams is not None else {"prep": {"name": "Preparation"}},
            "tasks": {
                tid: {"name": tid.title(), "workstream": "prep", **body}
                for tid, body in (tasks or {}).items()
            },
            **collections,
        }
    )


def chain(*estimates: list[float]) -> dict[str, Any]:
    tasks: dict[str, Any] = {}
    for k, estimate in enumerate(estimates):
        tasks[f"t{k}"] = {"estimate": estimate, "depends_on": [f"t{k - 1}"] if k else []}
    return tasks


def pert_moments(o: float, m: float, p: float) -> tuple[float, float]:
    # Beta-PERT (λ = 4): mean (o + 4m + p)/6, variance (μ − o)(p − μ)/7.
    mean = (o + 4 * m + p) / 6
    return mean, (mean - o) * (p - mean) / 7


def triangular_moments(o: float, m: float, p: float) -> tuple[float, float]:
    mean = (o + m + p) / 3
    return mean, (o * o + m * m + p * p - o * m - o * p - m * p) / 18


def working_day(n: int) -> dt.date:
    """The n-th working day counting AS_OF as the first (n ≥ 1)."""
    return CALENDAR.add_working_days(AS_OF, n - 1)


ESTIMATES = [[2, 4, 12], [1, 3, 5], [3, 6, 15], [2, 2, 8], [4, 5, 6]]


# --- distributions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("distribution", "moments"), [("pert", pert_moments), ("triangular", triangular_moments)]
)
def test_chain_mean_is_sum_of_means(distribution: str, moments: Any) -> None:
    plan = make_plan(chain(*ESTIMATES), forecast={"distribution": distribution})
    result = forecast(plan, iterations=20_000, seed=11)
    mean = sum(moments(*e)[0] for e in ESTIMATES)
    sd = math.sqrt(sum(moments(*e)[1] for e in ESTIMATES))
    assert abs(result.overall.mean_days - mean) < 4 * sd / math.sqrt(20_000)
    assert result.overall.sd_days == pytest.approx(sd, rel=0.03)
    assert result.distribution.value == distribution


def test_an_item_can_name_its_own_distribution() -> None:
    tasks = chain(*ESTIMATES)
    tasks["t2"]["distribution"] = "triangular"
    result = forecast(make_plan(tasks), iterations=20_000, seed=12)
    parts = [
        triangular_moments(*e) if k == 2 else pert_moments(*e) for k, e in enumerate(ESTIMATES)
    ]
    mean = sum(m for m, _ in parts)
    sd = math.sqrt(sum(v for _, v in parts))
    assert abs(result.overall.mean_days - mean) < 4 * sd / math.sqrt(20_000)


def test_three_parallel_tasks_at_their_median_are_all_ready_one_time_in_eight() -> None:
    # [2, 5, 8] is symmetric, so each task is done within 5 working days half of the time;
    # the deadline is the fifth working day.
    deadline = working_day(5)
    plan = make_plan(
        {name: {"estimate": [2, 5, 8]} for name in ("a", "b", "c")},
        streams={"prep": {"name": "Preparation", "deadline": deadline}},
    )
    result = forecast(plan, iterations=20_000, seed=5, summit_date=deadline)
    stream = result.workstream("prep")
    se = math.sqrt(0.125 * 0.875 / 20_000)
    assert stream.ready_by_deadline == pytest.approx(0.125, abs=4 * se)
    assert stream.ready_by_deadline_se == pytest.approx(se, rel=0.1)
    assert result.overall.ready_probability == stream.ready_by_deadline
    single = forecast(make_plan({"a": {"estimate": [2, 5, 8]}}), summit_date=deadline, seed=5)
    assert single.overall.ready_probability == pytest.approx(0.5, abs=4 * math.sqrt(0.25 / 10_000))


def test_driver_with_full_correlation_doubles_the_variance_of_a_sum() -> None:
    # Two identical tasks in sequence: independent, var(X + Y) = 2σ²; moving together, 4σ².
    tasks = {"a": {"estimate": [2, 5, 14]}, "b": {"estimate": [2, 5, 14], "depends_on": ["a"]}}
    sigma2 = pert_moments(2, 5, 14)[1]
    independent = forecast(make_plan(tasks), iterations=20_000, seed=2)
    linked = forecast(
        make_plan(
            tasks,
            drivers={"clearance": {"name": "Clearance", "correlation": 1, "tasks": ["a", "b"]}},
        ),
        iterations=20_000,
        seed=2,
    )
    assert independent.overall.sd_days**2 == pytest.approx(2 * sigma2, rel=0.05)
    assert linked.overall.sd_days**2 == pytest.approx(4 * sigma2, rel=0.05)
    assert linked.overall.mean_days == pytest.approx(independent.overall.mean_days, abs=0.1)
    assert linked.overall.p95.days > independent.overall.p95.days


def test_partial_correlation_lies_between() -> None:
    tasks = {"a": {"estimate": [2, 5, 14]}, "b": {"estimate": [2, 5, 14], "depends_on": ["a"]}}
    sigma2 = pert_moments(2, 5, 14)[1]
    half = forecast(
        make_plan(
            tasks,
            drivers={"clearance": {"name": "Clearance", "correlation": 0.5, "tasks": ["a", "b"]}},
        ),
        iterations=20_000,
        seed=2,
    )
    # var(X + Y) = 2σ²(1 + r); a rank correlation of 0.5 gives a Pearson r close to 0.5.
    r = half.overall.sd_days**2 / (2 * sigma2) - 1
    assert 0.42 < r < 0.56


# --- deterministic plans and CPM ----------------------------------------------------------------


DETERMINISTIC = {
    "a": {"estimate": [3, 3, 3]},
    "b": {"estimate": [2, 2, 2], "depends_on": [{"task": "a", "lag": 1}]},
    "c": {"estimate": [4, 4, 4], "depends_on": ["a"]},
    "d": {"estimate": [1, 1, 1], "depends_on": ["b", "c"]},
}


def test_deterministic_plan_equals_cpm_worked_by_hand() -> None:
    # a: days 1–3; b: after a lag of 1, days 5–6; c: days 4–7; d: day 8. b has 1 day of float.
    plan = make_plan(DETERMINISTIC)
    schedule = cpm(plan)
    assert schedule.finish == working_day(8) == dt.date(2024, 7, 24)
    assert schedule.critical_path == ("a", "c", "d")
    assert {item.id: item.total_float for item in schedule.items} == {
        "a": 0.0,
        "b": 1.0,
        "c": 0.0,
        "d": 0.0,
    }
    assert schedule.item("b").early_start == working_day(5)
    assert schedule.item("b").late_finish == working_day(7)
    result = forecast(plan, iterations=1_000)
    for quantile in (result.overall.p50, result.overall.p80, result.overall.p95):
        assert quantile.date == working_day(8)
        assert quantile.days == 8.0
        assert quantile.se_days == 0.0
    assert result.overall.deterministic_finish == working_day(8)
    assert result.critical_path == ("a", "c", "d")
    criticality = {item.id: item.criticality for item in result.items}
    assert criticality == {"a": 1.0, "b": 0.0, "c": 1.0, "d": 1.0}
    assert all(item.sensitivity is None for item in result.items)
    assert result.item("c").early_start == working_day(4)
    assert result.item("d").p80_finish == working_day(8)
    assert result.overall.s_curve[-1].probability == 1.0


def test_tied_paths_are_both_critical() -> None:
    plan = make_plan(
        {
            "a": {"estimate": [2, 2, 2]},
            "b": {"estimate": [2, 2, 2]},
            "end": {"estimate": [1, 1, 1], "depends_on": ["a", "b"]},
        }
    )
    result = forecast(plan, iterations=500)
    assert [item.criticality for item in result.items] == [1.0, 1.0, 1.0]


def test_finished_work_and_progress_shorten_the_forecast() -> None:
    tasks = chain([4, 4, 4], [6, 6, 6], [5, 5, 5])
    base = forecast(make_plan(tasks), iterations=500).overall.p50.days
    assert base == 15.0
    tasks["t0"]["status"] = "complete"
    assert forecast(make_plan(tasks), iterations=500).overall.p50.days == 11.0
    tasks["t1"]["percent_complete"] = 50
    assert forecast(make_plan(tasks), iterations=500).overall.p50.days == 8.0
    # A lag after finished work still runs from the forecast start.
    tasks["t1"]["depends_on"] = [{"task": "t0", "lag": 2}]
    assert forecast(make_plan(tasks), iterations=500).overall.p50.days == 10.0
    closed = forecast(make_plan(tasks), iterations=500).item("t0")
    assert closed.finished
    assert closed.early_finish is None
    assert closed.criticality == 0.0


def test_progress_keeps_only_the_remaining_share_of_an_uncertain_task() -> None:
    plan = make_plan({"a": {"estimate": [2, 4, 12], "percent_complete": 75}})
    result = forecast(plan, iterations=20_000, seed=3)
    mean, var = pert_moments(2, 4, 12)
    assert abs(result.overall.mean_days - mean / 4) < 4 * math.sqrt(var / 16 / 20_000)


# --- risks --------------------------------------------------------------------------------------


def risky_plan(
    probability: float, delay: list[float], mitigation: dict[str, Any] | None = None
) -> Plan:
    risk: dict[str, Any] = {
        "name": "Equipment held",
        "probability": probability,
        "delay": delay,
        "tasks": ["t1"],
    }
    if mitigation is not None:
        risk["mitigation"] = mitigation
    return make_plan(chain(*ESTIMATES), risks={"held": risk})


def test_certain_risk_with_fixed_delay_shifts_every_percentile_by_the_delay() -> None:
    with_risk = forecast(risky_plan(1.0, [3, 3, 3]), iterations=5_000, seed=9)
    without = forecast(risky_plan(1.0, [3, 3, 3]), iterations=5_000, seed=9, drop=["held"])
    for level in ("p50", "p80", "p95"):
        shifted = getattr(with_risk.overall, level).days - getattr(without.overall, level).days
        assert shifted == pytest.approx(3.0, abs=1e-9)
    (driver,) = with_risk.risk_drivers
    assert driver.id == "held"
    assert driver.p80_shift_days == pytest.approx(3.0, abs=1e-9)
    assert driver.p80_shift_se == pytest.approx(0.0, abs=1e-9)
    assert without.risk_drivers == ()
    assert without.dropped == ("held",)


def test_mitigation_and_drop_move_the_forecast_the_right_way() -> None:
    plan = risky_plan(0.5, [5, 10, 15], {"probability": 0.1, "description": "Pre-clear"})
    summit = working_day(40)
    base = forecast(plan, iterations=10_000, seed=4, summit_date=summit)
    mitigated = forecast(plan, iterations=10_000, seed=4, summit_date=summit, mitigate=["held"])
    dropped = forecast(plan, iterations=10_000, seed=4, summit_date=summit, drop=["held"])
    ready = [r.overall.ready_probability or 0.0 for r in (base, mitigated, dropped)]
    assert ready[0] < ready[1] < ready[2]
    assert base.overall.p80.days > mitigated.overall.p80.days > dropped.overall.p80.days
    assert mitigated.risk_drivers[0].probability == 0.1
    assert mitigated.risk_drivers[0].mitigated
    assert base.risk_drivers[0].probability == 0.5
    # Removing the risk from the baseline is what "drop" does: the same numbers.
    assert base.risk_drivers[0].p80_shift_days == pytest.approx(
        base.overall.p80.days - dropped.overall.p80.days, abs=1e-9
    )
    assert base.risk_drivers[0].ready_shift == pytest.approx(ready[2] - ready[0], abs=1e-12)


def test_risk_drivers_are_ranked_by_their_effect_on_p80() -> None:
    plan = make_plan(
        chain(*ESTIMATES),
        risks={
            "small": {"name": "Small", "probability": 0.3, "delay": [1, 1, 2], "tasks": ["t0"]},
            "large": {"name": "Large", "probability": 0.6, "delay": [5, 8, 12], "tasks": ["t2"]},
            "closed": {
                "name": "Closed",
                "probability": 0.9,
                "delay": [9, 9, 9],
                "tasks": ["t2"],
                "status": "closed",
            },
        },
    )
    result = forecast(plan, iterations=5_000, seed=1)
    assert [driver.id for driver in result.risk_drivers] == ["large", "small"]


# --- criticality, sensitivity, merge bias ---------------------------------------------------------


def test_two_equal_parallel_tasks_are_each_critical_half_the_time_and_merge_late() -> None:
    plan = make_plan(
        {
            "a": {"estimate": [2, 5, 8]},
            "b": {"estimate": [2, 5, 8]},
            "join": {"estimate": [1, 1, 1], "depends_on": ["a", "b"]},
        }
    )
    n = 20_000
    result = forecast(plan, iterations=n, seed=8)
    se = math.sqrt(0.25 / n)
    assert result.item("a").criticality == pytest.approx(0.5, abs=4 * se)
    assert result.item("a").criticality + result.item("b").criticality == pytest.approx(1.0)
    assert result.item("join").criticality == 1.0
    # Independent answer: E[max(X, Y)] for two Beta(3, 3) on [2, 8], from numpy's sampler.
    rng = np.random.default_rng(0)
    expected = float(np.mean(2 + 6 * np.maximum(rng.beta(3, 3, 10**6), rng.beta(3, 3, 10**6))))
    (merge,) = result.merge_bias
    assert merge.id == "join"
    assert merge.predecessors == 2
    assert merge.deterministic_start_days == 5.0
    assert merge.mean_start_days == pytest.approx(expected, abs=0.03)
    assert merge.difference_days == pytest.approx(expected - 5.0, abs=0.03)
    assert merge.merge_bias_days == pytest.approx(expected - 5.0, abs=0.03)


def test_sensitivity_is_the_rank_correlation_of_duration_with_finish() -> None:
    plan = make_plan(chain([2, 5, 8], [2, 5, 8], [4, 4, 4]))
    result = forecast(plan, iterations=20_000, seed=6)
    # Independent answer: Spearman of X with X + Y, X and Y Beta(3, 3), from numpy's sampler.
    rng = np.random.default_rng(1)
    x, y = rng.beta(3, 3, 200_000), rng.beta(3, 3, 200_000)
    ranks_x = np.argsort(np.argsort(x))
    ranks_s = np.argsort(np.argsort(x + y))
    expected = float(np.corrcoef(ranks_x, ranks_s)[0, 1])
    assert result.item("t0").sensitivity == pytest.approx(expected, abs=0.02)
    assert result.item("t1").sensitivity == pytest.approx(expected, abs=0.02)
    assert result.item("t2").sensitivity is None


def test_dominant_path_carries_the_criticality() -> None:
    plan = make_plan(
        {
            "long": {"estimate": [20, 25, 30]},
            "short": {"estimate": [1, 2, 3]},
            "end": {"estimate": [1, 2, 3], "depends_on": ["long", "short"]},
        }
    )
    result = forecast(plan, iterations=2_000, seed=1)
    assert result.item("long").criticality == 1.0
    assert result.item("short").criticality == 0.0
    assert result.item("long").sensitivity is not None
    assert result.item("long").sensitivity > 0.9


# --- reproducibility and scale ------------------------------------------------------------------


def test_same_seed_same_result_in_threads_processes_and_on_dask() -> None:
    import distributed

    plan = make_plan(
        chain(*ESTIMATES),
        risks={"held": {"name": "Held", "probability": 0.4, "delay": [1, 3, 9], "tasks": ["t1"]}},
        drivers={"clear": {"name": "Clearance", "correlation": 0.6, "tasks": ["t0", "t2"]}},
    )
    here = forecast(plan, iterations=2_100, seed=7, threads=1)
    assert forecast(plan, iterations=2_100, seed=7, threads=2) == here
    assert forecast(plan, iterations=2_100, seed=7, workers=2) == here
    with (
        distributed.LocalCluster(
            n_workers=2, processes=False, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert forecast(plan, iterations=2_100, seed=7, executor=client) == here
    assert forecast(plan, iterations=2_100, seed=8, threads=1) != here


def test_progress_is_reported_after_every_chunk() -> None:
    calls: list[tuple[int, int]] = []
    plan = risky_plan(0.5, [1, 2, 3])
    forecast(plan, iterations=1_200, progress=lambda done, total: calls.append((done, total)))
    # Three chunks of the baseline, three of the variant without the risk.
    assert [done for done, _ in calls] == [1, 2, 3, 4, 5, 6]
    assert calls[-1] == (6, 6)


def test_auto_iterations_stop_when_p80_and_probability_have_settled() -> None:
    plan = make_plan(chain(*ESTIMATES))
    result = forecast(plan, iterations="auto", seed=3, summit_date=working_day(26))
    assert result.converged is True
    assert result.iterations % 10_000 == 0
    assert result.overall.p80.se_days <= 0.5
    assert result.overall.ready_se is not None
    assert result.overall.ready_se <= 0.005
    assert forecast(plan, iterations=1_000).converged is None


# --- calendar -----------------------------------------------------------------------------------


def test_holidays_and_weekends_push_finish_dates_to_working_days() -> None:
    holiday = dt.date(2024, 7, 17)  # a Wednesday
    plan = make_plan(
        {"a": {"estimate": [5, 5, 5]}},
        summit_extra={"calendar": {"holidays": [holiday]}},
    )
    result = forecast(plan, iterations=500)
    # Mon 15, Tue 16, (holiday), Thu 18, Fri 19, (weekend), Mon 22.
    assert result.overall.p50.date == dt.date(2024, 7, 22)
    assert result.item("a").early_finish == dt.date(2024, 7, 22)


def test_deadline_on_a_holiday_or_weekend_means_the_working_day_before() -> None:
    holiday = dt.date(2024, 7, 19)  # a Friday
    streams = {
        "fri": {"name": "Friday", "deadline": holiday},
        "sat": {"name": "Saturday", "deadline": dt.date(2024, 7, 20)},
        "mon": {"name": "Monday", "deadline": dt.date(2024, 7, 22)},
    }
    plan = Plan.model_validate(
        {
            "summit": {"title": "T", "as_of": AS_OF, "calendar": {"holidays": [holiday]}},
            "parties": {"north": {"name": "N"}, "south": {"name": "S"}},
            "workstreams": streams,
            "tasks": {
                f"{w}-{days}": {"name": f"{w} {days}", "workstream": w, "estimate": [days] * 3}
                for w in streams
                for days in ((4,) if w != "mon" else (5,))
            },
        }
    )
    result = forecast(plan, iterations=500)
    assert result.workstream("fri").ready_by_deadline == 1.0  # done Thursday 18
    assert result.workstream("sat").ready_by_deadline == 1.0
    assert result.workstream("mon").ready_by_deadline == 1.0  # 5 days end on Monday 22
    # A deadline one working day earlier (Wednesday 17) is missed: the work ends on Thursday.
    wednesday = plan.workstreams["fri"].model_copy(update={"deadline": dt.date(2024, 7, 17)})
    late = plan.model_copy(update={"workstreams": {**plan.workstreams, "fri": wednesday}})
    assert forecast(late, iterations=500).workstream("fri").ready_by_deadline == 0.0
    assert forecast(late, iterations=500).workstream("fri").light == "red"


@settings(max_examples=15)
@given(
    holidays=st.lists(
        st.dates(min_value=dt.date(2024, 7, 15), max_value=dt.date(2024, 9, 30)), max_size=8
    ),
    weekend=st.sampled_from([("sat", "sun"), ("fri", "sat"), ("sun",)]),
)
def test_every_reported_date_is_a_working_day(
    holidays: list[dt.date], weekend: tuple[str, ...]
) -> None:
    calendar = {"holidays": holidays, "weekend": list(weekend)}
    plan = make_plan(chain(*ESTIMATES), summit_extra={"calendar": calendar})
    result = forecast(plan, iterations=300, seed=1)
    work_calendar = plan.summit.calendar
    dates = [point.date for point in result.overall.s_curve]
    dates += [result.overall.p50.date, result.overall.p80.date, result.overall.p95.date]
    for item in result.items:
        dates += [d for d in (item.early_start, item.early_finish, item.p80_finish) if d]
    assert all(work_calendar.is_working_day(day) for day in dates)


# --- properties ---------------------------------------------------------------------------------


@settings(max_examples=20)
@given(offsets=st.lists(st.integers(min_value=0, max_value=60), min_size=2, max_size=5))
def test_ready_probability_never_falls_as_the_summit_moves_later(offsets: list[int]) -> None:
    plan = make_plan(chain(*ESTIMATES))
    probabilities = [
        forecast(plan, iterations=500, seed=2, summit_date=working_day(1 + k)).overall
        for k in sorted(offsets)
    ]
    values = [p.ready_probability or 0.0 for p in probabilities]
    assert values == sorted(values)


@st.composite
def networks(draw: st.DrawFn) -> dict[str, Any]:
    size = draw(st.integers(min_value=1, max_value=7))
    tasks: dict[str, Any] = {}
    for k in range(size):
        low = draw(st.integers(min_value=0, max_value=5))
        width = draw(st.integers(min_value=0, max_value=10))
        # Mode at or below the middle: the most likely path is then at most the median.
        likely = low + draw(st.integers(min_value=0, max_value=width // 2))
        preds = draw(st.sets(st.integers(min_value=0, max_value=max(k - 1, 0)), max_size=3))
        tasks[f"t{k}"] = {
            "estimate": [low, likely, low + width],
            "depends_on": [f"t{p}" for p in sorted(preds) if p < k],
        }
    return tasks


@settings(max_examples=20)
@given(tasks=networks())
def test_percentiles_lie_between_optimistic_and_pessimistic_cpm(tasks: dict[str, Any]) -> None:
    result = forecast(make_plan(tasks), iterations=300, seed=4)
    overall = result.overall

    def bound(which: int) -> float:
        fixed = {
            tid: {**body, "estimate": [body["estimate"][which]] * 3} for tid, body in tasks.items()
        }
        schedule = cpm(make_plan(fixed))
        return max((item.early_finish_days for item in schedule.items), default=0.0)

    assert bound(0) - 1e-9 <= overall.p50.days <= overall.p80.days <= overall.p95.days
    assert overall.p95.days <= bound(2) + 1e-9
    assert cpm(make_plan(tasks)).finish <= overall.p95.date


# --- JSON ---------------------------------------------------------------------------------------


def test_to_dict_round_trips_through_json() -> None:
    plan = risky_plan(0.5, [1, 2, 3])
    result = forecast(plan, iterations=1_000, seed=2)
    document = json.loads(json.dumps(result.to_dict()))
    assert document["schema_version"] == 1
    assert document["kind"] == "forecast"
    assert document["as_of"] == "2024-07-15"
    assert Forecast.from_dict(document) == result


@pytest.mark.parametrize(
    "document",
    [
        [],
        {"kind": "status", "schema_version": 1},
        {"kind": "forecast", "schema_version": 2},
        {"kind": "forecast", "schema_version": 1, "as_of": "2024-07-15"},
    ],
)
def test_from_dict_rejects_other_documents(document: Any) -> None:
    with pytest.raises(InputError):
        Forecast.from_dict(document)


# --- bad input, empty plans, warnings -------------------------------------------------------------


def test_deadline_before_the_forecast_start_is_one_clear_line() -> None:
    streams = {
        "prep": {"name": "Preparation"},
        "security": {"name": "Security", "deadline": dt.date(2024, 7, 1)},
    }
    tasks = {"a": {"estimate": [1, 2, 3], "workstream": "security"}}
    with pytest.raises(InputError) as error:
        forecast(make_plan(tasks, streams=streams))
    assert str(error.value) == (
        "workstreams.security.deadline: 2024-07-01 is before the forecast starts (2024-07-15)"
    )
    # Once the workstream is finished, its past deadline is history, not an error.
    tasks["a"]["status"] = "complete"
    tasks["b"] = {"estimate": [1, 2, 3]}
    assert forecast(make_plan(tasks, streams=streams), iterations=200).workstream(
        "security"
    ).ready_by_deadline == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"mitigate": ["helt"]}, "mitigate: unknown risk 'helt' (did you mean 'held'?)"),
        ({"drop": ["nothing"]}, "drop: unknown risk 'nothing'"),
        ({"iterations": 99}, "iterations: must be at least 100, got 99"),
        ({"summit_date": dt.date(2024, 7, 1)}, "summit_date: 2024-07-01 is before the forecast"),
        ({"workers": 0}, "workers: must be at least 1, got 0"),
        ({"threads": 0}, "threads: must be at least 1, got 0"),
    ],
)
def test_bad_options_are_input_errors(options: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match="^" + re.escape(message)):
        forecast(risky_plan(0.5, [1, 2, 3]), **options)


def test_empty_plan_is_ready_at_once_and_says_so() -> None:
    result = forecast(make_plan({}))
    assert result.overall.ready_probability == 1.0
    assert result.overall.p80.date == AS_OF
    assert result.iterations == 0
    assert any("no tasks or action items" in warning for warning in result.warnings)
    finished = forecast(make_plan({"a": {"estimate": [1, 2, 3], "status": "complete"}}))
    assert any("all work is finished" in warning for warning in finished.warnings)


def test_no_summit_date_leaves_the_probability_unset_and_warns() -> None:
    result = forecast(make_plan(chain(*ESTIMATES), summit=None), iterations=500)
    assert result.overall.ready_probability is None
    assert result.summit_date is None
    assert any(warning.startswith("summit: no summit date") for warning in result.warnings)


def test_quality_check_reports_what_a_planner_should_fix() -> None:
    plan = make_plan(
        {
            "survey": {"estimate": [1, 2, 3]},
            "draft": {"depends_on": ["survey"]},
            "final": {"estimate": [2, 3, 4], "depends_on": ["draft"]},
            "stray": {"estimate": [1, 1, 1]},
            "signed": {"status": "complete", "depends_on": ["final"]},
        },
        actions={"call": {"name": "Call the host", "estimate": [1, 1, 1]}},
        drivers={"lonely": {"name": "Lonely", "correlation": 0.5, "tasks": ["survey"]}},
    )
    warnings = quality_check(plan)
    assert "tasks.draft: no estimate; forecast as taking no time" in warnings
    assert (
        "tasks.stray: open end: no open work depends on it and it is not the end of "
        "workstream 'prep'"
    ) in warnings
    assert "tasks.signed: finished, but depends on 'final', which is still open" in warnings
    assert "actions.call: no workstream; it counts only toward the overall finish" in warnings
    assert "drivers.lonely: links fewer than two open items; it correlates nothing" in warnings
    assert not any(w.startswith("tasks.final") or w.startswith("tasks.survey") for w in warnings)
    assert list(forecast(plan, iterations=200).warnings[: len(warnings)]) == warnings


def test_traffic_lights_follow_the_plan_thresholds() -> None:
    deadline = working_day(5)
    plan = make_plan(
        {"a": {"estimate": [2, 5, 8]}},
        streams={"prep": {"name": "Preparation", "deadline": deadline}},
        forecast={"green": 0.9, "amber": 0.4},
    )
    assert forecast(plan, iterations=2_000).workstream("prep").light == "amber"
    strict = plan.model_copy(update={"forecast": plan.forecast.model_copy(update={"amber": 0.6})})
    assert forecast(strict, iterations=2_000).workstream("prep").light == "red"
    lax = plan.model_copy(
        update={"forecast": plan.forecast.model_copy(update={"green": 0.45, "amber": 0.4})}
    )
    assert forecast(lax, iterations=2_000).workstream("prep").light == "green"
    none = make_plan({"a": {"estimate": [2, 5, 8]}})
    assert forecast(none, iterations=500).workstream("prep").light == "none"


def test_example_plan_forecast_reads_sensibly() -> None:
    plan = load(Path(__file__).parents[2] / "examples" / "summit.toml")
    result = forecast(plan, iterations=2_000, seed=1)
    assert result.summit_date == plan.summit.earliest_date
    assert result.overall.ready_probability is not None
    assert 0.0 <= result.overall.ready_probability <= 1.0
    shifts = [driver.p80_shift_days for driver in result.risk_drivers]
    assert shifts == sorted(shifts, reverse=True)
    assert {driver.id for driver in result.risk_drivers} <= set(plan.risks)
    assert all(result.item(item).critical for item in result.critical_path)
    assert result.overall.p50.date <= result.overall.p80.date <= result.overall.p95.date
    assert {stream.id for stream in result.workstreams} == set(plan.workstreams)


# --- Inputs the simulation must not trust (issue 11, section 3) -------------------------------


def network_spec() -> Any:
    from summitry.analysis.network import build_network

    plan = make_plan(chain(*ESTIMATES), risks={"held": risky_plan(0.5, [1, 2, 3]).risks["held"]})
    return build_network(plan).spec


def spoiled(field: str, value: float, at: int = 0) -> Any:
    from dataclasses import replace

    spec = network_spec()
    values = getattr(spec, field).copy()
    values[at] = value
    return replace(spec, **{field: values})


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("low", math.nan, "optimistic durations must be finite numbers from 0 to 5,000"),
        ("span", math.inf, "duration ranges must be finite numbers from 0 to 5,000"),
        ("span", 1e20, "duration ranges must be finite numbers from 0 to 5,000"),
        ("pred_lag", math.nan, "lags must be finite numbers from -5,000 to 5,000"),
        ("pred_lag", 1e20, "lags must be finite numbers from -5,000 to 5,000"),
        ("risk_span", 1e308, "risk delay ranges must be finite numbers from 0 to 5,000"),
        ("risk_probability", 2.0, "risk probabilities must be finite numbers from 0 to 1"),
        ("mode", -0.5, "most likely positions must be finite numbers from 0 to 1"),
        ("remaining", math.nan, "shares of work left must be finite numbers from 0 to 1"),
        ("pred_index", 4, "a link names an item that is not before it in the order"),
        ("pred_index", -7, "a link names an item that is not before it in the order"),
        ("item_risk_index", 3, "a risk link names no risk"),
        ("kind", 7, "a duration has an unknown distribution"),
        ("workstream", 5, "an item names no workstream"),
    ],
)
def test_a_chunk_refuses_a_network_it_cannot_trust_in_one_line(
    field: str, value: float, message: str
) -> None:
    from summitry.analysis.sampling import run_chunk

    with pytest.raises(InputError) as caught:
        run_chunk(spoiled(field, value), seed=0, chunk=0, size=500)
    assert str(caught.value) == f"cannot simulate this forecast: {message}"


def test_a_chunk_refuses_a_finish_beyond_what_the_supported_dates_hold() -> None:
    from summitry.analysis.network import build_network
    from summitry.analysis.sampling import HORIZON_LIMIT, longest_finish, run_chunk

    # 25 tasks of 5,000 working days in one chain: each value in range, the sum not.
    spec = build_network(make_plan(chain(*[[5_000, 5_000, 5_000]] * 25))).spec
    assert longest_finish(spec) == 125_000 > HORIZON_LIMIT
    with pytest.raises(InputError, match="the longest finish is 125,000 working days, more than"):
        run_chunk(spec, seed=0, chunk=0, size=500)


def test_the_longest_finish_is_the_pessimistic_cpm_with_every_risk_occurring() -> None:
    from summitry.analysis.network import build_network
    from summitry.analysis.sampling import longest_finish

    # Pessimistic chain 12 + 5 + 15 + 8 + 6 = 46; the risk on t1 adds at most 3.
    assert longest_finish(build_network(risky_plan(0.5, [1, 2, 3])).spec) == pytest.approx(49)
    assert longest_finish(build_network(risky_plan(0.0, [1, 2, 3])).spec) == pytest.approx(46)


def test_forecast_refuses_work_that_could_run_past_the_last_supported_date() -> None:
    extra = {"as_of": dt.date(2200, 6, 1)}
    plan = make_plan({"a": {"estimate": [1, 2, 4_000]}}, summit=None, summit_extra=extra)
    with pytest.raises(InputError) as caught:
        forecast(plan, iterations=200)
    assert str(caught.value) == (
        "the open work runs 4,000 working days from 2200-06-01 at its longest (every estimate "
        "pessimistic, every risk occurring), past 2200-12-31, the last date summitry supports; "
        "check the estimates, lags and risk delays"
    )
    near_the_end = make_plan(
        {"a": {"estimate": [1, 2, 20]}}, summit=None, summit_extra={"as_of": dt.date(2200, 12, 1)}
    )
    assert forecast(near_the_end, iterations=200).overall.p95.date <= dt.date(2200, 12, 31)


def test_the_deterministic_schedule_refuses_to_run_past_the_last_supported_date() -> None:
    plan = make_plan(chain([40, 50, 60], [40, 50, 60]), summit=None)
    with pytest.raises(InputError, match="runs 100 working days from 2200-12-01 with most likely"):
        cpm(plan, as_of=dt.date(2200, 12, 1))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"as_of": dt.date(1, 1, 1)}, "as_of: 0001-01-01 is outside the dates summitry supports"),
        ({"as_of": dt.date(9999, 12, 30)}, "as_of: 9999-12-30 is outside the dates summitry"),
        ({"summit_date": dt.date(9999, 12, 31)}, "summit_date: 9999-12-31 is outside the dates"),
    ],
)
def test_a_start_or_summit_outside_the_supported_dates_is_one_line(
    options: dict[str, Any], message: str
) -> None:
    with pytest.raises(InputError, match="^" + re.escape(message)):
        forecast(risky_plan(0.5, [1, 2, 3]), iterations=200, **options)
