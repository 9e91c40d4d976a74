"""What the readiness forecast needs beyond the task network: shared drivers and settings."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from summitry.domain.base import Model, Name, Number, Record, Slug, Text


class Distribution(StrEnum):
    """How a three-point estimate is sampled."""

    PERT = "pert"
    TRIANGULAR = "triangular"


class Driver(Record):
    """A shared cause of delay ("interagency clearance") that stretches its tasks together.

    ``correlation`` (0–1) is how strongly the durations of the linked tasks move together.
    """

    name: Name
    description: Text = ""
    correlation: Number = Field(ge=0, le=1)
    tasks: tuple[Slug, ...] = ()


class ForecastSettings(Model):
    """Plan-wide defaults of the readiness forecast; the CLI's options override them.

    A workstream is green when its probability of being ready by its deadline is at least
    ``green``, amber from ``amber``, red below.
    """

    distribution: Distribution = Distribution.PERT
    iterations: int = Field(default=10_000, ge=100, le=10_000_000)
    green: Number = Field(default=0.8, ge=0, le=1)
    amber: Number = Field(default=0.5, ge=0, le=1)
