"""Reading a plan into the readiness forecast: the checked options as one forecast's context.

The plan's task network itself is built by `summitry.analysis.network.build_network` (shared
with the deterministic CPM); here the forecast's options are resolved against the plan (start,
summit date, distribution, risks to mitigate or drop), checked, and gathered with the network
and the plan's schedule warnings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from summitry.analysis.network import DayTable, Network, build_network, network_warnings
from summitry.analysis.sampling import check_input, longest_finish
from summitry.domain.base import is_supported_date, unsupported_date
from summitry.domain.checks import suggest
from summitry.domain.forecasting import Distribution
from summitry.domain.plan import Plan
from summitry.errors import InputError


@dataclass(frozen=True)
class _Context:
    plan: Plan
    network: Network
    table: DayTable
    summit: date | None
    seed: int
    distribution: Distribution
    mitigate: tuple[str, ...]
    drop: tuple[str, ...]

    @property
    def summit_days(self) -> int | None:
        """Working days from the start to the summit date, inclusive (None without one).

        Usage: ``context.summit_days``.
        """
        return None if self.summit is None else self.table.days_until(self.summit)


def _check_risk_ids(plan: Plan, option: str, ids: Sequence[str]) -> None:
    for rid in ids:
        if rid not in plan.risks:
            raise InputError(f"{option}: unknown risk '{rid}'{suggest(rid, plan.risks)}")


def _check_dates(
    plan: Plan, network: Network, start: date, summit: date | None, given: bool
) -> None:
    where = "summit_date" if given else "summit.date"
    if summit is not None and not is_supported_date(summit):
        raise InputError(f"{where}: {unsupported_date(summit)}")
    if summit is not None and summit < start:
        raise InputError(f"{where}: {summit} is before the forecast starts ({start})")
    # A deadline that has passed is an error only while its workstream still has open work:
    # finished workstreams keep their historical deadlines without blocking the forecast.
    active = set(network.spec.workstream.tolist())
    for k, (wid, stream) in enumerate(plan.workstreams.items()):
        if k in active and stream.deadline is not None and stream.deadline < start:
            raise InputError(
                f"workstreams.{wid}.deadline: {stream.deadline} is before the forecast starts "
                f"({start})"
            )


def _read_plan(
    plan: Plan,
    *,
    seed: int,
    as_of: date | None,
    summit_date: date | None,
    mitigate: Sequence[str],
    drop: Sequence[str],
    distribution: Distribution | None,
) -> tuple[_Context, list[str]]:
    """The context of one forecast of the plan, and the warnings to report with it.

    Raises `InputError` for unknown risk ids and for dates before the start (see `forecast`).
    """
    _check_risk_ids(plan, "mitigate", mitigate)
    _check_risk_ids(plan, "drop", drop)
    start = as_of or plan.summit.as_of or date.today()
    table = DayTable.of(plan.summit.calendar, start)
    summit = summit_date or plan.summit.earliest_date
    used = Distribution(distribution) if distribution else plan.forecast.distribution
    network = build_network(plan, used, mitigate, drop)
    _check_dates(plan, network, start, summit, summit_date is not None)
    # Refuse up front, before any iteration runs, what the chunks would refuse each time, and
    # a horizon that leaves the supported dates: the longest finish bounds every sample.
    check_input(network.spec)
    longest = longest_finish(network.spec)
    table.check_reach(longest, "at its longest (every estimate pessimistic, every risk occurring)")
    warnings = network_warnings(plan, network)
    for rid in dict.fromkeys(mitigate):
        if plan.risks[rid].mitigation is None:
            warnings.append(f"risks.{rid}: has no mitigation; mitigating it changes nothing")
    if summit is None:
        warnings.append(
            "summit: no summit date; the probability of being ready by it is not computed"
        )
    context = _Context(
        plan=plan,
        network=network,
        table=table,
        summit=summit,
        seed=seed,
        distribution=used,
        mitigate=tuple(dict.fromkeys(mitigate)),
        drop=tuple(dict.fromkeys(drop)),
    )
    return context, warnings
