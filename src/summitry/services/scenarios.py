"""Scenario planning and the risk register.

Consistent scenarios, the risks each switches on, and the risks by exposure.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from summitry.access.labels import Label
from summitry.errors import InputError
from summitry.services.source import PlanSource, read_view, result_label

if TYPE_CHECKING:
    from summitry.access.policy import Principal
    from summitry.analysis.risks import RiskRow
    from summitry.analysis.scenarios import (
        CrossImpactModel,
        EnsembleComparison,
        MatrixDiagnostics,
        Scenario,
        ScenarioSet,
    )
    from summitry.domain.plan import Plan


def under_scenario(view: Plan, scenario: Scenario) -> Plan:
    """The view with the risks the scenario switches on made certain.

    Usage: ``under_scenario(view, consistent_scenario(view, 1))``.
    """
    from summitry.analysis.scenarios import under_scenario as certain

    return certain(view, scenario)


def consistent_scenario(view: Plan, number: int) -> Scenario:
    """Consistent scenario ``number`` (from 1) of the view's scenario model.

    Usage: ``consistent_scenario(view, 1).as_dict()``.
    """
    from summitry.analysis.scenarios import cib_model, find_scenarios

    found = find_scenarios(cib_model(view)).consistent
    if not 1 <= number <= len(found):
        raise InputError(
            f"scenario {number}: there are {len(found)} consistent scenarios, not {number}"
        )
    return found[number - 1]


def switched_on(view: Plan, scenarios: Sequence[Scenario], as_of: dt.date) -> dict[int, list[str]]:
    """The names of the risks each scenario switches on, by the scenario's index.

    The one mapping from a scenario to its risks, for the terminal, the reports and the web.
    Usage: ``switched_on(view, found.scenarios, as_of)[0]``.
    """
    from summitry.analysis.risks import risk_register

    return {
        index: [row.name for row in risk_register(view, as_of, scenario) if row.active_in_scenario]
        for index, scenario in enumerate(scenarios)
    }


@dataclass(frozen=True)
class ScenarioOutcome:
    """Consistent scenarios of one model, the risks each switches on, and diagnostics.

    ``view`` is None when the model came from a CSV matrix rather than a plan.
    ``complete`` is false when a time limit cut the analysis short; ``notes`` then say what was
    cut (the search's own ``found.coverage`` says how much of the space it covered).
    ``succession_cycles`` is None when the time limit left no time for succession analysis.
    """

    view: Plan | None
    model: CrossImpactModel
    found: ScenarioSet
    diagnostics: MatrixDiagnostics | None
    succession_cycles: int | None
    risks: Mapping[int, list[str]]
    label: Label | None
    complete: bool = True
    notes: tuple[str, ...] = ()


def _deadline(time_limit: float | None) -> Callable[[], bool] | None:
    """A should-stop check that turns true ``time_limit`` seconds from now (None: never)."""
    if time_limit is None:
        return None
    if not math.isfinite(time_limit) or time_limit < 0:
        raise InputError(f"the time limit must be a number of seconds, 0 or more, not {time_limit}")
    # A monotonic clock: a change of the wall clock must not end or stretch the limit.
    deadline = time.monotonic() + time_limit

    def past() -> bool:
        return time.monotonic() >= deadline

    return past


def scenarios(
    source: PlanSource,
    principal: Principal,
    *,
    fixed: Mapping[str, str] | None = None,
    max_inconsistency: int = 0,
    time_limit: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScenarioOutcome:
    """The consistent scenarios of a plan's descriptors (the view's) or of a CSV matrix.

    With ``time_limit`` (seconds) the analysis stops when the time is up and says what it
    covered (``complete`` false); ``progress(done, total)`` follows each stage (the search,
    then succession analysis) a few times a second.
    Usage: ``scenarios(Path("summit.toml"), KEEPER, time_limit=60).found.coverage``.
    """
    from summitry.analysis.scenarios import cib_model, diagnose, find_scenarios, succession
    from summitry.io.cibcsv import read_matrix

    view = None
    if isinstance(source, Path) and source.suffix.lower() == ".csv":
        model = read_matrix(source)
    else:
        view = read_view(source, principal)
        model = cib_model(view)
    should_stop = _deadline(time_limit)
    found = find_scenarios(
        model,
        max_inconsistency=max_inconsistency,
        fixed=dict(fixed or {}),
        progress=progress,
        should_stop=should_stop,
    )
    notes: list[str] = []
    # Diagnostics count each variant's consistent scenarios, so they need every one of them:
    # the search just made holds them when it was exact (no second search), and when it was
    # not, a second exact search would be the very search that ran out of budget or time.
    diagnostics = None
    if not fixed:
        if found.exact:
            diagnostics = diagnose(model, found)
        else:
            notes.append("matrix diagnostics left out: they need an exact, complete search")
    cycles: int | None = None
    succession_complete = False
    if should_stop is not None and should_stop():
        notes.append("succession analysis skipped: the time limit was reached")
    else:
        ending = succession(
            model, fixed=dict(fixed or {}), progress=progress, should_stop=should_stop
        )
        cycles = len(ending.cycles)
        succession_complete = ending.complete
        if not ending.complete:
            notes.append(f"succession analysis {ending.coverage}")
    risks: dict[int, list[str]] = {}
    label = None
    if view is not None:
        risks = switched_on(view, found.scenarios, view.summit.as_of or dt.date.today())
        label = result_label(view, "scenarios")
    complete = found.complete and succession_complete
    return ScenarioOutcome(
        view, model, found, diagnostics, cycles, risks, label, complete, tuple(notes)
    )


def compare_experts(
    sources: Sequence[Path],
    max_inconsistency: int = 0,
    *,
    time_limit: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EnsembleComparison:
    """Several experts' cross-impact matrices compared: which scenarios each supports.

    ``time_limit`` and ``progress`` work as in `scenarios`; a comparison cut short says how
    much of each expert's space it searched.
    Usage: ``compare_experts([Path("a.csv"), Path("b.csv")]).consensus``.
    """
    from summitry.analysis.scenarios import compare_ensemble
    from summitry.io.cibcsv import read_matrix

    models = [read_matrix(path) for path in sources]
    return compare_ensemble(
        models,
        experts=[path.stem for path in sources],
        max_inconsistency=max_inconsistency,
        progress=progress,
        should_stop=_deadline(time_limit),
    )


def export_matrix(outcome: ScenarioOutcome) -> str:
    """The scenario model as the CSV layout experts fill in.

    Usage: ``Path("matrix.csv").write_text(export_matrix(outcome))``.
    """
    from summitry.io.cibcsv import dumps

    return dumps(outcome.model)


@dataclass(frozen=True)
class RiskOutcome:
    """The risk register of a view (with a scenario's risks first when one is chosen)."""

    view: Plan
    as_of: dt.date
    scenario: Scenario | None
    rows: list[RiskRow]
    label: Label


def risks(
    source: PlanSource,
    principal: Principal,
    *,
    as_of: dt.date | None = None,
    scenario: int | None = None,
) -> RiskOutcome:
    """Open risks by exposure, with triggers, contingency plans and decision points.

    Usage: ``risks(Path("summit.toml"), KEEPER, scenario=1).rows[0].name``.
    """
    from summitry.analysis.risks import risk_register

    view = read_view(source, principal)
    day = as_of or view.summit.as_of or dt.date.today()
    chosen = consistent_scenario(view, scenario) if scenario is not None else None
    rows = risk_register(view, day, chosen)
    return RiskOutcome(view, day, chosen, rows, result_label(view, "risks"))
