"""Rendering for the terminal: the console every command prints to, and shared lines.

The renderers of each command group live in the submodules; they format view models and
choose nothing themselves. What they print is read as rich markup, so every piece of user data
goes through ``rich.markup.escape`` first, or its line is printed with ``markup=False``: a task
named "Logistics [draft]" keeps its brackets instead of being taken for a style.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from rich.console import Console

from summitry.domain.base import JOINT
from summitry.domain.catalogue import COLLECTIONS

if TYPE_CHECKING:
    from summitry.access.policy import Principal
    from summitry.domain.plan import Plan


class _Console(Console):
    """The terminal console; a reader that goes away (``| head``) ends the output quietly."""

    def on_broken_pipe(self) -> None:
        """Stop writing; the command line's error boundary ends with success, not exit 1."""
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise BrokenPipeError


# On a terminal prose wraps to its width; into a pipe or a file each line stays whole, so
# that grep and scripts see one line per message.
out = _Console(highlight=False, soft_wrap=not sys.stdout.isatty())
"""Standard output for everything the CLI prints."""


def counts_phrase(counts: dict[str, int]) -> str:
    """Counts as words, e.g. ``2 parties, 1 note, 40 tasks``.

    Usage: ``counts_phrase(record_counts(plan))``.
    """
    return ", ".join(
        f"{n} {COLLECTIONS[name] if n == 1 else name.replace('_', ' ')}"
        for name, n in counts.items()
    )


def render_viewer(principal: Principal, plan: Plan, note: str = "") -> None:
    """Print, first, whose view the output shows.

    Usage: ``render_viewer(Principal.of("russia"), view)``.
    """
    if principal.is_keeper:
        who = "all (the whole plan file)"
    elif principal.reader == JOINT:
        who = "joint (what every party may read)"
    else:
        party = principal.party or ""
        who = f"{plan.parties[party].name} ({party})" if party in plan.parties else party
    cleared = f", cleared for {', '.join(sorted(principal.clearances))}"
    out.print(f"As {who}{cleared if principal.clearances else ''}{note}", markup=False)
