"""Terminal output: user data printed as it is written, and prose that fits the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from summitry.cli import example_path

EXAMPLE = example_path("summit.toml").read_text(encoding="utf-8")


def _bracketed_plan() -> str:
    """The bundled plan with a bracketed name in every place the terminal commands show."""
    text = EXAMPLE
    for old, new in (
        ('name = "Logistics and Protocol"', 'name = "Logistics [draft]"'),
        ('name = "Trade Sanctions"', 'name = "Trade Sanctions [red]"'),
        (
            'name = "The delegations cannot agree on a venue"',
            'name = "Venue deadlock [bold]"',
        ),
        (
            'name = "Geneva, lakeside conference villa"',
            'name = "Geneva [tbc], lakeside villa"',
        ),
        (
            'name = "Compile the long-list of candidate venues"',
            'name = "Venue long-list [v2]"',
        ),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    # The long-list task open and due the day after the as-of date: in the attention list.
    text = text.replace(
        'status = "complete"\npercent_complete = 100\ndue = 2024-07-05',
        'status = "in-progress"\npercent_complete = 10\ndue = 2024-07-16',
        1,
    )
    return text


@pytest.mark.parametrize(
    ("command", "names"),
    [
        ("status", ["Logistics [draft]", "Trade Sanctions [red]", "Venue long-list [v2]"]),
        ("forecast", ["Logistics [draft]"]),
        ("negotiate", ["Trade Sanctions [red]"]),
        ("risks", ["Venue deadlock [bold]"]),
        ("venues", ["Geneva [tbc], lakeside villa"]),
    ],
)
def test_bracketed_names_keep_their_brackets(
    run_cli: Any, write_file: Any, monkeypatch: pytest.MonkeyPatch, command: str, names: list[str]
) -> None:
    from summitry.console import out as console

    # Wide enough that no table wraps a name over two lines.
    monkeypatch.setattr(console, "_width", 400)
    plan = str(write_file("summit.toml", _bracketed_plan()))
    code, out, err = run_cli(command, plan)
    assert code == 0, err
    for name in names:
        assert name in out, (name, out)
        # Every mention keeps its brackets, in tables and in lines alike.
        bare = name.split(" [")[0]
        assert out.count(bare) == out.count(name), (name, out)


LONG_NAME = "Logistics [draft] " + "and a very long piece of prose about it " * 7
LONG_PROSE = "The delegations cannot agree, and then " + "they go on and on about it " * 14


def _long_plan() -> str:
    text = _bracketed_plan()
    text = text.replace('name = "Venue long-list [v2]"', f'name = "{LONG_NAME.strip()}"', 1)
    text = text.replace(
        'trigger = "No agreed shortlist by 24 July."', f'trigger = "{LONG_PROSE.strip()}"', 1
    )
    text = text.replace(
        'contingency = "Fall back on the host\'s standing offer in Vienna."',
        f'contingency = "{LONG_PROSE.strip()}"',
        1,
    )
    return text


@pytest.mark.parametrize("command", ["status", "risks"])
def test_long_prose_wraps_to_the_terminal_width_in_a_pipe(tmp_path: Path, command: str) -> None:
    assert len(LONG_NAME.strip()) <= 300
    assert len(LONG_PROSE.strip()) >= 400
    plan = tmp_path / "summit.toml"
    plan.write_text(_long_plan(), encoding="utf-8")
    # A real process with its output in a pipe and COLUMNS=80: what `summitry status | less`
    # gets (the console reads its width when it is made, so this cannot be done in-process).
    environment = {**os.environ, "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-m", "summitry", command, str(plan)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any("Logistics [draft]" in line or "they go on" in line for line in lines)
    # Tables wrap their cells to the width; lines of prose (notes) may run a little past it.
    widest = max(lines, key=len)
    assert len(widest) <= 100, widest
