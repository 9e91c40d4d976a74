"""Errors a user can cause, carrying where in their input the problem is.

Every command and endpoint turns these into one readable line (and a non-zero exit or a 4xx);
anything else that escapes is an internal error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

KeyPath = tuple[str | int, ...]


def format_path(path: KeyPath) -> str:
    """Render a key path the way a plan file spells it.

    Usage: ``format_path(("tasks", "a", "depends_on", 0))`` gives ``tasks.a.depends_on[0]``.
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is (key path, file, line) and what it is."""

    path: KeyPath
    message: str
    source: str | None = None
    line: int | None = None

    def located(self, source: str | None, line: int | None) -> Problem:
        """Return a copy that names the file and line.

        Usage: ``problem.located("summit.toml", 42)``.
        """
        return replace(self, source=source, line=line)

    def __str__(self) -> str:
        """Render as ``file:line: key.path: message``, leaving out the parts that are unknown."""
        where = ""
        if self.source is not None:
            where = self.source if self.line is None else f"{self.source}:{self.line}"
        dotted = format_path(self.path)
        parts = [p for p in (where, dotted) if p]
        return ": ".join([*parts, self.message])


class SummitryError(Exception):
    """A problem the user can fix: bad input, an unknown id, a file that cannot be written."""


class InputError(SummitryError):
    """A file or value that cannot be used, described in one line."""


class PlanError(SummitryError):
    """A summit plan with one or more problems; each problem names its key path."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        """Keep the problems in input order; the message is the first one."""
        self.problems: tuple[Problem, ...] = tuple(problems)
        first = str(self.problems[0]) if self.problems else "invalid plan"
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        super().__init__(first + suffix)
