"""The readiness forecast use case: baseline, one what-if, and the change since last time."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from summitry.access.labels import Label
from summitry.errors import InputError
from summitry.services.source import PlanSource, read_view, result_label
from summitry.services.viewmodels import NO_WORK, WhatIf

MAX_ITER = 10_000_000
"""The most Monte Carlo iterations a forecast runs: the plan's own setting has the same cap."""

if TYPE_CHECKING:
    from summitry.access.policy import Principal
    from summitry.analysis.readiness import Forecast
    from summitry.domain.plan import Plan

Progress = Callable[[int, int], None]
"""Called with (done, total) after each chunk of iterations."""


@dataclass(frozen=True)
class ForecastRequest:
    """How to run the forecast and which what-if to compare with the baseline.

    ``iterations`` None takes the plan's setting; ``scheduler`` is a dask scheduler address;
    ``scenario`` is a consistent scenario's number as the scenario list gives it.
    """

    iterations: int | Literal["auto"] | None = None
    seed: int = 0
    as_of: dt.date | None = None
    workers: int = 1
    scheduler: str | None = None
    summit_date: dt.date | None = None
    mitigate: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    scenario: int | None = None

    @property
    def what_if(self) -> WhatIf:
        """The what-if in words, for every renderer."""
        summit = str(self.summit_date) if self.summit_date else None
        return WhatIf(summit, self.scenario, self.mitigate, self.drop)


@dataclass(frozen=True)
class ReadinessOutcome:
    """The forecast of a view: baseline, the what-if variant if one was asked, and last time's.

    ``label`` is the combination of the labels of the records the forecast read.
    """

    view: Plan
    baseline: Forecast
    variant: Forecast | None
    what_if: WhatIf
    previous: Forecast | None
    label: Label

    def saved(self, principal: Principal) -> dict[str, Any]:
        """The baseline as a document to keep for next time, naming its reader and label.

        Usage: ``json.dumps(outcome.saved(principal))``.
        """
        return {**self.baseline.to_dict(), "viewer": principal.as_dict(), **self._label()}

    def document(self, principal: Principal) -> dict[str, Any]:
        """The ``forecast --json`` document: the baseline, its reader and label, the variant.

        Usage: ``json.dumps(outcome.document(principal))``.
        """
        out = self.saved(principal)
        if self.variant is not None:
            out["variant"] = self.variant.to_dict()
        return out

    def _label(self) -> dict[str, Any]:
        return {"label": self.label.as_dict()}


def readiness(
    source: PlanSource,
    principal: Principal,
    request: ForecastRequest,
    *,
    previous: Path | None = None,
    progress: Progress | None = None,
) -> ReadinessOutcome:
    """Forecast the readiness of the principal's view, with the what-if of ``request``.

    ``previous`` is a forecast saved earlier for the same reader (another reader's is refused:
    comparing two views would show the other view's work as changes).
    Usage: ``readiness(Path("summit.toml"), KEEPER, ForecastRequest(seed=1)).baseline``.
    """
    from summitry.analysis.readiness import forecast
    from summitry.services.scenarios import consistent_scenario, under_scenario

    view = read_view(source, principal)
    if not view.work_items():
        raise InputError(f"nothing to forecast: {NO_WORK}")
    _check_what_if(view, request)
    last = previous_forecast(previous, principal) if previous is not None else None
    variant_plan = view
    if request.scenario is not None:
        variant_plan = under_scenario(view, consistent_scenario(view, request.scenario))
    as_of = request.as_of or view.summit.as_of or dt.date.today()
    client = _executor(request.scheduler)
    try:

        def run(plan: Plan, **what_if: Any) -> Forecast:
            return forecast(
                plan,
                iterations=request.iterations,
                seed=request.seed,
                as_of=as_of,
                workers=request.workers,
                executor=client,
                progress=progress,
                **what_if,
            )

        baseline = run(view)
        variant = None
        if request.what_if.any:
            variant = run(
                variant_plan,
                summit_date=request.summit_date,
                mitigate=request.mitigate,
                drop=request.drop,
            )
    finally:
        if client is not None:
            client.close()
    return ReadinessOutcome(
        view, baseline, variant, request.what_if, last, result_label(view, "forecast")
    )


def _check_what_if(view: Plan, request: ForecastRequest) -> None:
    """Refuse a what-if that would silently change nothing, or name a risk not in the view."""
    from summitry.domain.checks import suggest

    for rid in (*request.mitigate, *request.drop):
        if rid not in view.risks:
            known = ", ".join(sorted(view.risks)) or "none"
            raise InputError(
                f"no risk '{rid}'{suggest(rid, view.risks)}; the risks are: {known}"[:400]
            )
    for rid in request.mitigate:
        if view.risks[rid].mitigation is None:
            raise InputError(
                f"risk '{rid}' has no mitigation to apply: describe it under "
                f"[risks.{rid}.mitigation] (a new probability and/or delay)"
            )
    count = request.iterations
    if isinstance(count, int) and not 100 <= count <= MAX_ITER:
        raise InputError(f"iterations must be from 100 to {MAX_ITER:,}, not {count:,}")


def previous_forecast(path: Path, principal: Principal) -> Forecast:
    """A forecast saved earlier, refused when it was made for another reader.

    Usage: ``previous_forecast(Path("last-week.json"), KEEPER)``.
    """
    from summitry.access.policy import KEEPER
    from summitry.analysis.readiness import Forecast
    from summitry.io.textfile import read_text

    try:
        data = json.loads(read_text(path))
        if not isinstance(data, dict):
            raise InputError('not a summitry forecast (expected "kind": "forecast")')
        saved = data.pop("viewer", KEEPER.as_dict())
        data.pop("label", None)
        last = Forecast.from_dict(data)
    except (InputError, json.JSONDecodeError) as err:
        raise InputError(f"{path}: {err}") from None
    if saved != principal.as_dict():
        raise InputError(
            f"{path}: that forecast was made as {reader_text(saved)}, this one is as "
            f"{reader_text(principal.as_dict())}"
        )
    return last


def reader_text(viewer: object) -> str:
    """A reader as a snapshot records it, in words: ``'russia' cleared for back-channel``.

    Usage: ``reader_text(principal.as_dict())``.
    """
    if not isinstance(viewer, dict):
        return "an unknown reader"
    cleared = ", ".join(viewer.get("clearances") or [])
    return f"'{viewer.get('as')}'" + (f" cleared for {cleared}" if cleared else "")


def _executor(scheduler: str | None) -> Any:
    if scheduler is None:
        return None
    if not re.fullmatch(r"(tcp|tls|ucx|inproc)://[^\s:/]+:\d{1,5}|[^\s:/]+:\d{1,5}", scheduler):
        raise InputError(
            f"scheduler address '{scheduler[:80]}' should read tcp://HOST:PORT (e.g. "
            "tcp://127.0.0.1:8786)"
        )
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            "running on a cluster needs dask.distributed: pip install 'summitry[distributed]'"
        ) from None
    try:
        return Client(scheduler, timeout=10)  # type: ignore[no-untyped-call]
    except OSError as err:
        raise InputError(f"cannot reach the scheduler {scheduler} ({err})") from None
