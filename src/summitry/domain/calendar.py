"""The working-day calendar of a summit: which days count when an estimate says "5 days"."""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Literal

import numpy as np
from pydantic import field_validator

from summitry.domain.base import (
    FIRST_DATE,
    LAST_DATE,
    Day,
    Model,
    is_supported_date,
    unsupported_date,
)
from summitry.errors import InputError

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class WorkCalendar(Model):
    """Weekend days and holidays; every other day is a working day.

    Durations in summitry are working days unless a field says otherwise.
    """

    weekend: tuple[Weekday, ...] = ("sat", "sun")
    holidays: tuple[Day, ...] = ()

    @field_validator("weekend")
    @classmethod
    def _leaves_a_working_day(cls, value: tuple[Weekday, ...]) -> tuple[Weekday, ...]:
        # With no working day in the week, no duration could ever end.
        if set(WEEKDAYS) <= set(value):
            raise ValueError("the weekend takes every day of the week; leave at least one")
        return value

    @cached_property
    def _weekmask(self) -> list[bool]:
        return [day not in self.weekend for day in WEEKDAYS]

    @cached_property
    def _holidays(self) -> np.ndarray[tuple[int], np.dtype[np.datetime64]]:
        return np.array(sorted(set(self.holidays)), dtype="datetime64[D]")

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is neither a weekend day nor a holiday.

        Usage: ``WorkCalendar().is_working_day(date(2024, 7, 6))`` is False (a Saturday).
        """
        return bool(np.is_busday(day, weekmask=self._weekmask, holidays=self._holidays))

    def add_working_days(self, start: date, days: int) -> date:
        """The date ``days`` working days after ``start`` (before it when negative).

        A non-working ``start`` first rolls forward to the next working day. Raises
        :class:`~summitry.errors.InputError` when ``start`` or the result is outside the
        supported dates (numpy counts far past the year 9999; ``date`` does not).
        Usage: ``WorkCalendar().add_working_days(date(2024, 7, 5), 1)`` gives Monday 8 July.
        """
        if not is_supported_date(start):
            raise InputError(unsupported_date(start))
        result = np.busday_offset(
            np.datetime64(start, "D"),
            days,
            roll="forward",
            weekmask=self._weekmask,
            holidays=self._holidays,
        )
        if not np.datetime64(FIRST_DATE, "D") <= result <= np.datetime64(LAST_DATE, "D"):
            raise InputError(
                f"{days:,} working days from {start} leave the dates summitry supports "
                f"({FIRST_DATE} to {LAST_DATE})"
            )
        return date.fromisoformat(str(result))

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in ``[start, end)``; if ``end`` is earlier, minus those in ``[end, start)``.

        Usage: ``WorkCalendar().working_days_between(date(2024, 7, 1), date(2024, 7, 8))`` is 5.
        """
        if end < start:
            return -self.working_days_between(end, start)
        return int(
            np.busday_count(
                np.datetime64(start, "D"),
                np.datetime64(end, "D"),
                weekmask=self._weekmask,
                holidays=self._holidays,
            )
        )
