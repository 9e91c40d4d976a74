"""The limits of a plan's numbers and dates, held by the shared types of every field."""

from __future__ import annotations

import datetime as dt
import math
import typing
from collections.abc import Iterator
from typing import Annotated, Any

import annotated_types
import pytest
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from summitry.domain import Plan, WorkCalendar
from summitry.domain.base import (
    ESTIMATE_FORM,
    FIRST_DATE,
    LAST_DATE,
    MAX_WORKING_DAYS,
    Day,
    Estimate,
    clip,
    echo,
)
from summitry.errors import InputError, PlanError

DAY_CHECK = typing.get_args(Day)[1]


def leaves(
    annotation: Any, metadata: list[Any], where: str, seen: set[type]
) -> Iterator[tuple[str, Any, list[Any]]]:
    """Every scalar type reachable from a plan model, with the constraints that apply to it."""
    if typing.get_origin(annotation) is Annotated:
        base, *extra = typing.get_args(annotation)
        flat = [*metadata]
        for item in extra:
            flat += item.metadata if isinstance(item, FieldInfo) else [item]
        yield from leaves(base, flat, where, seen)
        return
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in seen:
            seen.add(annotation)
            for name, field in annotation.model_fields.items():
                where = f"{annotation.__name__}.{name}"
                yield from leaves(field.annotation, list(field.metadata), where, seen)
        return
    args = [arg for arg in typing.get_args(annotation) if arg is not Ellipsis]
    if args:
        # Constraints on a container (a field's own metadata) do not reach its members.
        for arg in args:
            yield from leaves(
                arg, metadata if typing.get_origin(annotation) is None else [], where, seen
            )
        return
    yield where, annotation, metadata


SCALARS = list(leaves(Plan, [], "Plan", set()))


def test_every_number_of_a_plan_is_finite_and_bounded_on_both_sides() -> None:
    numbers = [(where, md) for where, kind, md in SCALARS if kind is float]
    assert len(numbers) >= 20
    for where, metadata in numbers:
        finite = any(getattr(m, "allow_inf_nan", None) is False for m in metadata)
        low = any(isinstance(m, annotated_types.Ge) for m in metadata)
        high = any(isinstance(m, annotated_types.Le) for m in metadata)
        assert finite, where
        assert low, where
        assert high, where


def test_every_date_of_a_plan_is_read_as_a_day() -> None:
    dates = [(where, md) for where, kind, md in SCALARS if kind in (dt.date, dt.datetime)]
    assert len(dates) > 15
    for where, metadata in dates:
        assert DAY_CHECK in metadata, where


def plan_data(**collections: Any) -> dict[str, Any]:
    return {
        "summit": {"title": "Harbour Talks"},
        "parties": {"north": {"name": "Northland"}, "south": {"name": "Southland"}},
        "workstreams": {"prep": {"name": "Preparation"}},
        **collections,
    }


def problems_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises((PlanError, ValidationError)) as caught:
        Plan.model_validate(data)
    if isinstance(caught.value, PlanError):
        return [str(problem) for problem in caught.value.problems]
    return [str(error["msg"]) for error in caught.value.errors()]


def task(**fields: Any) -> dict[str, Any]:
    return {"tasks": {"a": {"name": "A", "workstream": "prep", **fields}}}


def risk(**fields: Any) -> dict[str, Any]:
    return {"risks": {"r": {"name": "R", "probability": 0.5, **fields}}}


BAD_NUMBERS = [math.inf, -math.inf, math.nan, 1e20, 1e308, -1e20]


@pytest.mark.parametrize("value", BAD_NUMBERS)
@pytest.mark.parametrize(
    "place",
    [
        lambda v: task(estimate=[1, 2, v]),
        lambda v: task(estimate={"optimistic": v, "most_likely": 2, "pessimistic": 3}),
        lambda v: {
            **task(),
            "tasks": {
                **task()["tasks"],
                "b": {"name": "B", "workstream": "prep", "depends_on": [{"task": "a", "lag": v}]},
            },
        },
        lambda v: risk(delay=[1, 2, v]),
        lambda v: risk(mitigation={"delay": [0, 1, v]}),
        lambda v: risk(probability=v),
        lambda v: task(percent_complete=v),
        lambda v: {"venues": {"v": {"name": "V", "scores": {"cost": v}}}},
        lambda v: {"venue_criteria": {"c": {"name": "C", "weight": v}}},
        lambda v: {"drivers": {"d": {"name": "D", "correlation": v}}},
        lambda v: {"forecast": {"green": v}},
    ],
    ids=[
        "estimate",
        "estimate-table",
        "lag",
        "risk-delay",
        "mitigation-delay",
        "probability",
        "percent",
        "venue-score",
        "criterion-weight",
        "correlation",
        "green",
    ],
)
def test_infinite_nan_and_huge_numbers_are_refused_where_they_are_read(
    place: Any, value: float
) -> None:
    with pytest.raises((PlanError, ValidationError)):
        Plan.model_validate(plan_data(**place(value)))


def test_the_bounds_themselves_are_accepted() -> None:
    days = MAX_WORKING_DAYS
    plan = Plan.model_validate(
        plan_data(
            tasks={
                "a": {"name": "A", "workstream": "prep", "estimate": [0, 0, days]},
                "b": {
                    "name": "B",
                    "workstream": "prep",
                    "depends_on": [{"task": "a", "lag": -days}],
                },
                "c": {
                    "name": "C",
                    "workstream": "prep",
                    "depends_on": [{"task": "a", "lag": days}],
                },
            },
            risks={
                "r": {"name": "R", "probability": 1, "delay": [days, days, days], "tasks": ["a"]}
            },
        )
    )
    assert plan.tasks["a"].estimate is not None
    assert plan.tasks["a"].estimate.pessimistic == days
    assert plan.tasks["b"].depends_on[0].lag == -days


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        ([1, 2], "it takes three numbers (got [1, 2])"),
        ([1, 2, 3, 4], "it takes three numbers (got [1, 2, 3, 4])"),
        ("3 days", "(got '3 days')"),
        (5, "(got 5)"),
    ],
)
def test_an_estimate_that_is_not_three_numbers_says_how_to_write_one(
    value: Any, detail: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Estimate.model_validate(value)
    message = caught.value.errors()[0]["msg"]
    assert ESTIMATE_FORM in message
    assert message.endswith(detail)


DATE_PLACES = [
    lambda d: {"summit": {"title": "T", "date": d}},
    lambda d: {"summit": {"title": "T", "as_of": d}},
    lambda d: {"summit": {"title": "T", "window": {"start": d, "end": d}}},
    lambda d: {"summit": {"title": "T", "calendar": {"holidays": [d]}}},
    lambda d: {"workstreams": {"prep": {"name": "P", "deadline": d}}},
    lambda d: {"workstreams": {"prep": {"name": "P", "expected_completion": d}}},
    lambda d: task(due=d),
    lambda d: task(baseline=d),
    lambda d: {"milestones": {"m": {"name": "M", "date": d}}},
    lambda d: risk(decision_point=d),
    lambda d: {"meetings": {"m": {"title": "M", "date": d}}},
    lambda d: {"decisions": {"d": {"title": "D", "due": d}}},
    lambda d: {"developments": {"d": {"title": "D", "date": d}}},
    lambda d: {"notes": {"n": {"title": "N", "date": d}}},
]


@pytest.mark.parametrize(
    "day", [dt.date(1, 1, 1), dt.date(1899, 12, 31), dt.date(2201, 1, 1), dt.date(9999, 12, 31)]
)
@pytest.mark.parametrize("place", DATE_PLACES)
def test_a_date_outside_the_supported_range_is_refused_everywhere(place: Any, day: dt.date) -> None:
    messages = problems_of(plan_data(**place(day)))
    assert any(f"{day} is outside the dates summitry supports" in m for m in messages)


@pytest.mark.parametrize("place", DATE_PLACES)
def test_the_first_and_last_supported_dates_are_accepted(place: Any) -> None:
    for day in (FIRST_DATE, LAST_DATE):
        Plan.model_validate(plan_data(**place(day)))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-7-19", "a date is written YYYY-MM-DD, e.g. 2024-07-19 (got '2024-7-19')"),
        ("19.07.2024", "a date is written YYYY-MM-DD, e.g. 2024-07-19 (got '19.07.2024')"),
        (20240719, "a date is written YYYY-MM-DD, e.g. 2024-07-19 (got 20240719)"),
        (0, "a date is written YYYY-MM-DD, e.g. 2024-07-19 (got 0)"),
        ("2024-02-30", "'2024-02-30' is not a day of the calendar"),
        (
            dt.datetime(2024, 7, 19, 10, 0),
            "a date is written YYYY-MM-DD, e.g. 2024-07-19, without a time "
            "(got 2024-07-19T10:00:00)",
        ),
    ],
)
def test_a_date_that_is_not_yyyy_mm_dd_says_so(value: Any, message: str) -> None:
    assert problems_of(plan_data(summit={"title": "T", "date": value})) == [
        f"Value error, {message}"
    ]


def test_an_iso_date_as_text_is_still_read() -> None:
    plan = Plan.model_validate(plan_data(summit={"title": "T", "date": "2024-07-19"}))
    assert plan.summit.date == dt.date(2024, 7, 19)


def test_a_week_without_a_working_day_is_refused() -> None:
    every_day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    with pytest.raises(ValidationError, match="the weekend takes every day of the week"):
        WorkCalendar.model_validate({"weekend": every_day})
    WorkCalendar.model_validate({"weekend": every_day[1:]})


def test_adding_working_days_does_not_leave_the_supported_dates() -> None:
    calendar = WorkCalendar()
    assert calendar.add_working_days(dt.date(2200, 12, 1), 5) == dt.date(2200, 12, 8)
    with pytest.raises(InputError, match="leave the dates summitry supports"):
        calendar.add_working_days(dt.date(2200, 12, 30), 10)
    with pytest.raises(InputError, match="leave the dates summitry supports"):
        calendar.add_working_days(dt.date(1900, 1, 2), -10)
    with pytest.raises(InputError, match="9999-12-30 is outside the dates summitry supports"):
        calendar.add_working_days(dt.date(9999, 12, 30), 10)


def test_echoed_values_are_one_line_and_short() -> None:
    assert echo("a\nb\tc") == "'a\\nb\\tc'"
    assert echo("Zürich") == "'Zürich'"
    long = echo("x" * 3_000_000)
    assert len(long) <= 82
    assert long.endswith("…'")
    assert len(echo(list(range(10_000)))) <= 80
    assert clip("\x00" * 100).startswith("\\x00")
    assert len(clip("\x00" * 100)) == 80


@pytest.mark.parametrize("reserved", ["all", "joint"])
def test_a_party_cannot_take_a_reader_name(reserved: str) -> None:
    from summitry.errors import PlanError
    from summitry.io.planfile import loads

    text = f'format_version = 2\n[summit]\ntitle = "T"\n[parties.{reserved}]\nname = "X"\n'
    with pytest.raises(PlanError, match=f"'{reserved}' names a reader, not a party"):
        loads(text)
