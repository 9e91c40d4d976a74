"""Use cases on a plan as a whole: validate, status, import a briefing, upgrade, export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from summitry.access.labels import Label
from summitry.domain.base import LAST_DATE
from summitry.errors import InputError, PlanError, Problem
from summitry.services.source import PlanSource, read_view, result_label
from summitry.services.viewmodels import missing, stale_dates

if TYPE_CHECKING:
    from summitry.access.policy import Principal
    from summitry.analysis.dashboard import Dashboard
    from summitry.domain.plan import Plan
    from summitry.io.briefing import ImportResult


def reference_date(view: Plan, given: dt.date | None) -> dt.date:
    """The date bands and forecasts are reckoned from: given, else the plan's, else today.

    Usage: ``reference_date(view, None)``.
    """
    return given or view.summit.as_of or dt.date.today()


def record_counts(plan: Plan) -> dict[str, int]:
    """How many records of each collection a plan (view) holds, leaving out empty ones.

    Usage: ``record_counts(view)["tasks"]``.
    """
    from summitry.domain.catalogue import COLLECTIONS

    return {name: len(getattr(plan, name)) for name in COLLECTIONS if getattr(plan, name)}


@dataclass(frozen=True)
class Validation:
    """What checking a plan found: the view when it is sound, every problem, the warnings.

    ``warnings`` do not stop the analyses: for the keeper of a file, links that some readers of
    a record cannot follow; in a workspace, links to records deleted since.
    """

    view: Plan | None
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    notes: tuple[str, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        """Records by collection in the view (empty when the plan has problems)."""
        return record_counts(self.view) if self.view is not None else {}


def validate(source: PlanSource, principal: Principal) -> Validation:
    """Check the principal's view of a plan: every problem at once, and narrowing links.

    The links that narrow are reported to the keeper only.

    Usage: ``validate(Path("summit.toml"), KEEPER).problems``.
    """
    from summitry.access.views import narrowing_links, view_data
    from summitry.io import planfile
    from summitry.io.textfile import read_text

    if not isinstance(source, Path):
        from summitry.store.reads import workspace_check

        checked, problems, deleted = workspace_check(source, principal)
        if checked is None:
            return Validation(None, problems, deleted)
        return Validation(checked, (), deleted, tuple(missing(checked)))
    text = read_text(source)
    data = planfile.read_data(text, str(source))
    warnings = narrowing_links(data) if principal.is_keeper else []
    located = tuple(planfile.locate(warnings, text, str(source)))
    try:
        view = planfile.from_data(view_data(data, principal), text, str(source))
    except PlanError as err:
        return Validation(None, err.problems, located)
    return Validation(view, (), located, tuple(missing(view)))


@dataclass(frozen=True)
class Status:
    """The dashboard of a view, with the label of what it shows."""

    view: Plan
    board: Dashboard
    label: Label
    notes: tuple[str, ...] = ()


def status(
    source: PlanSource, principal: Principal, as_of: dt.date | None = None, due_soon: int = 10
) -> Status:
    """The dashboard: preparation aspects, strategic issues, engagement, what needs attention.

    Usage: ``status(Path("summit.toml"), Principal.of("russia")).board.attention``.
    """
    from summitry.analysis.dashboard import dashboard

    view = read_view(source, principal)
    day = reference_date(view, as_of)
    window, clipped = due_soon_window(view, day, due_soon)
    board = dashboard(view, day, window)
    notes = list(stale_dates(view, day))
    if clipped:
        notes.append(
            f"the due-soon window of {due_soon:,} working days is cut at {LAST_DATE}, the last "
            "date summitry supports"
        )
    return Status(view, board, result_label(view, "status"), tuple(notes))


def due_soon_window(view: Plan, day: dt.date, due_soon: int) -> tuple[int, bool]:
    """The due-soon look-ahead in working days, cut so that it ends by the last supported date.

    Returns the days and whether they were cut. Every plan date lies on or before
    ``LAST_DATE``, so a window cut there bands every item as the full window would.
    Usage: ``due_soon_window(view, dt.date(2200, 12, 31), 10)`` gives ``(0, True)``.
    """
    calendar = view.summit.calendar
    try:
        calendar.add_working_days(day, due_soon)
        return due_soon, False
    except InputError:
        pass
    # Working days in [day, LAST_DATE) is the most the window can take; one fewer (or a few,
    # when LAST_DATE and the days before it are not working days) keeps its end in range.
    days = min(due_soon, max(0, calendar.working_days_between(day, LAST_DATE)))
    while days >= 0:
        try:
            calendar.add_working_days(day, days)
            return days, True
        except InputError:
            days -= 1
    # Not even the day itself rolls forward to a working day in range: nothing can be due
    # soon after it, and the dashboard's own check reports the date.
    return 0, True


def import_briefing_file(
    briefing: Path, output: Path, parties: tuple[str, ...] = (), *, force: bool = False
) -> ImportResult:
    """Turn a briefing into a plan file; refuses to overwrite one unless ``force``.

    Usage: ``import_briefing_file(Path("briefing.txt"), Path("summit.toml")).not_understood``.
    """
    from summitry.io import planfile
    from summitry.io.briefing import import_briefing
    from summitry.io.textfile import read_text

    if output.exists() and not force:
        raise InputError(f"{output}: already exists; it is not overwritten unless forced")
    result = import_briefing(read_text(briefing), source=str(briefing), parties=parties)
    planfile.save(result.plan, output)
    return result


@dataclass(frozen=True)
class Upgrade:
    """What an upgrade did: the version the file had, where it went (None: nothing to do)."""

    old_version: int
    written: Path | None


def upgrade_file(source: Path, output: Path | None = None) -> Upgrade:
    """Migrate a plan file to the current format, in place or to ``output``.

    The keeper's whole file: an upgrade reads and writes everything, so it takes no principal.
    Usage: ``upgrade_file(Path("old.toml")).old_version``.
    """
    from summitry.domain.plan import FORMAT_VERSION
    from summitry.io import planfile
    from summitry.io.textfile import read_text

    text = read_text(source)
    data, old = planfile.upgrade_data(planfile.parse_toml(text, str(source)))
    if old == FORMAT_VERSION and output is None:
        return Upgrade(old, None)
    plan = planfile.from_data(data, text if old == FORMAT_VERSION else "", str(source))
    target = output or source
    planfile.save(plan, target)
    return Upgrade(old, target)


def export_view(source: PlanSource, principal: Principal) -> tuple[Plan, str]:
    """The principal's view, and as plan-file text: the plan a reader may take away.

    Usage: ``view, text = export_view(path, Principal.of("russia"))``.
    """
    from summitry.io import planfile

    view = read_view(source, principal)
    return view, planfile.dumps(view)
