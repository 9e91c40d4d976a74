"""The working-day calendar, checked against counting days one by one."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from summitry.domain import WorkCalendar

HOLIDAYS = (dt.date(2024, 8, 15), dt.date(2024, 12, 25), dt.date(2024, 12, 26))


def brute_working(calendar: WorkCalendar, day: dt.date) -> bool:
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return names[day.weekday()] not in calendar.weekend and day not in calendar.holidays


days = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2026, 12, 31))
calendars = st.sampled_from(
    [
        WorkCalendar(holidays=HOLIDAYS),
        WorkCalendar(weekend=("fri", "sat"), holidays=HOLIDAYS),
        WorkCalendar(weekend=()),
    ]
)


@given(calendars, days, days)
def test_counting_matches_walking_day_by_day(
    calendar: WorkCalendar, start: dt.date, end: dt.date
) -> None:
    lo, hi = min(start, end), max(start, end)
    walked = sum(brute_working(calendar, lo + dt.timedelta(days=i)) for i in range((hi - lo).days))
    assert calendar.working_days_between(lo, hi) == walked
    assert calendar.working_days_between(hi, lo) == -walked


@given(calendars, days, st.integers(min_value=0, max_value=60))
def test_adding_days_lands_on_a_working_day_that_far_ahead(
    calendar: WorkCalendar, start: dt.date, n: int
) -> None:
    end = calendar.add_working_days(start, n)
    assert brute_working(calendar, end)
    first = start
    while not brute_working(calendar, first):
        first += dt.timedelta(days=1)
    assert calendar.working_days_between(first, end) == n


def test_weekend_and_holiday() -> None:
    calendar = WorkCalendar(holidays=HOLIDAYS)
    assert not calendar.is_working_day(dt.date(2024, 8, 17))  # Saturday
    assert not calendar.is_working_day(dt.date(2024, 8, 15))  # listed holiday
    # Wednesday 14 August + 1 working day skips the Thursday holiday.
    assert calendar.add_working_days(dt.date(2024, 8, 14), 1) == dt.date(2024, 8, 16)
