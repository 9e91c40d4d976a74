"""What to show of a result, decided once for every renderer (terminal, reports, web pages).

A view model is a plain typed value; renderers format it and choose nothing themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from summitry.analysis.readiness import Forecast, ItemForecast

FINISH_DRIVERS = 5
"""How many tasks "drive the finish" on every page, terminal and report."""


def finish_drivers(result: Forecast, limit: int = FINISH_DRIVERS) -> list[ItemForecast]:
    """The tasks that drive the finish: open work, most often critical first, then sensitive.

    Usage: ``[item.name for item in finish_drivers(forecast(plan))]``.
    """
    return sorted(
        (item for item in result.items if not item.finished),
        key=lambda item: (-item.criticality, -abs(item.sensitivity or 0), item.id),
    )[:limit]


@dataclass(frozen=True)
class WhatIf:
    """A what-if of the forecast: what was changed, in words (empty for none)."""

    summit_date: str | None = None
    scenario: int | None = None
    mitigated: Sequence[str] = ()
    dropped: Sequence[str] = ()

    @property
    def any(self) -> bool:
        """Whether anything was changed at all."""
        return bool(self.summit_date or self.scenario or self.mitigated or self.dropped)

    def describe(self) -> str:
        """The changes in words: ``summit on 2024-09-23, scenario 1, strike mitigated``."""
        parts = [f"summit on {self.summit_date}"] if self.summit_date else []
        parts += [f"scenario {self.scenario}"] if self.scenario else []
        parts += [f"{rid} mitigated" for rid in self.mitigated]
        parts += [f"without {rid}" for rid in self.dropped]
        return ", ".join(parts)
