"""The risk register: events that may delay work or change the negotiation."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from summitry.domain.base import (
    Day,
    Estimate,
    Model,
    Name,
    Probability,
    Record,
    Slug,
    Text,
    VariantRef,
)


class RiskStatus(StrEnum):
    """Whether a risk is still being watched."""

    OPEN = "open"
    CLOSED = "closed"


class Mitigation(Model):
    """What mitigating a risk does: a new probability and/or a new delay."""

    description: Text = ""
    probability: Probability | None = None
    delay: Estimate | None = None


class Risk(Record):
    """A risk event: its probability, the delay it causes to named tasks, and the response.

    ``delay`` is a three-point estimate in working days applied to ``tasks`` when the event
    occurs; ``issues`` and ``impact_note`` record an effect on the negotiation. The contingency
    plan has an owner and a ``decision_point``: the date by which it must be invoked.
    ``scenario_variants`` (``"descriptor.variant"``) name the scenario conditions that switch
    the risk on.
    """

    name: Name
    description: Text = ""
    probability: Probability
    delay: Estimate | None = None
    tasks: tuple[Slug, ...] = ()
    issues: tuple[Slug, ...] = ()
    impact_note: Text = ""
    trigger: Text = ""
    contingency: Text = ""
    contingency_owner: Slug | None = None
    decision_point: Day | None = None
    mitigation: Mitigation | None = None
    owner: Slug | None = None
    status: RiskStatus = RiskStatus.OPEN
    scenario_variants: tuple[VariantRef, ...] = ()

    @property
    def exposure(self) -> float:
        """Expected delay in working days: probability times the mean (PERT) delay.

        The one rule by which every list of risks is ordered. Usage: ``risk.exposure``.
        """
        mean_delay = self.delay.pert_mean if self.delay else 0.0
        return round(self.probability * mean_delay, 2)


def by_exposure(risks: Iterable[Risk]) -> list[Risk]:
    """Risks ordered by exposure, highest first, ties by id: the order every list shows.

    Usage: ``by_exposure(plan.risks.values())[0].name``.
    """
    return sorted(risks, key=lambda risk: (-risk.exposure, risk.id))
