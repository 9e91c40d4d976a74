"""Settings of the regular situation reports: their cadence and the cell's own commentary."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from summitry.domain.base import Model, Text

MAX_DAYS_BEFORE = 100_000
"""The furthest from the summit a cadence rule may start, in calendar days."""


class CadenceRule(Model):
    """From ``days_before`` calendar days before the summit on, a report every ``every`` days.

    ``days_before`` is at most :data:`MAX_DAYS_BEFORE` (the default's first rule is 10,000) and
    ``every`` at most a year, so that due dates stay dates.
    """

    days_before: int = Field(ge=0, le=MAX_DAYS_BEFORE)
    every: int = Field(ge=1, le=366)


DEFAULT_CADENCE: tuple[CadenceRule, ...] = (
    CadenceRule(days_before=10_000, every=7),
    CadenceRule(days_before=30, every=3),
    CadenceRule(days_before=7, every=1),
)
"""Weekly until T-30, twice a week until T-7, then daily to the summit."""


class SitrepSettings(Model):
    """How often situation reports are due, and free text the cell adds to them.

    ``commentary`` maps a section id (``bluf``, ``changes``, ``workstreams``, ``deadlines``,
    ``negotiation``, ``risks``, ``venue``, ``developments``, ``decisions``, ``actions``) to text
    printed at the top of that section.
    """

    cadence: tuple[CadenceRule, ...] = DEFAULT_CADENCE
    classification: Text = ""
    commentary: dict[str, Text] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _cadence_in_order(self) -> Self:
        days = [rule.days_before for rule in self.cadence]
        if days != sorted(days, reverse=True) or len(set(days)) != len(days):
            raise ValueError("cadence rules must run from the most days before to the fewest")
        return self

    def interval(self, days_before: int) -> int:
        """Days between reports when the summit is ``days_before`` days away.

        Usage: ``settings.interval(20)`` is 3 with the default cadence.
        """
        every = self.cadence[0].every if self.cadence else 7
        for rule in self.cadence:
            if days_before <= rule.days_before:
                every = rule.every
        return every
