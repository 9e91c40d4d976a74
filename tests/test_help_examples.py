"""Every example in a command's --help runs, in order, on the bundled example files."""

from __future__ import annotations

import os
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest

from summitry.cli import app, example_path

EXAMPLES = example_path("summit.toml").parent


def _examples(command: str) -> list[list[str]]:
    """The ``summitry ...`` lines under "For example:" in the command's help text."""
    info = next(c for c in app.registered_commands if (c.name or c.callback.__name__) == command)
    doc = info.callback.__doc__ or ""
    lines = doc.split("For example:", 1)[1].splitlines()
    return [shlex.split(line, comments=True)[1:] for line in lines if line.strip()]


SERVERS = {"serve"}
"""Commands that run until stopped: tests/web/test_serve.py starts them as a real process."""

COMMANDS = sorted(
    {c.name or c.callback.__name__.removesuffix("_command") for c in app.registered_commands}
    - SERVERS
)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_example_runs(
    command: str, run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for source in EXAMPLES.iterdir():
        if source.is_file():
            shutil.copy(source, tmp_path / source.name)
    monkeypatch.chdir(tmp_path)
    examples = _examples(command)
    assert len(examples) >= 2, f"'summitry {command} --help' shows fewer than two examples"
    for args in examples:
        code, _, err = run_cli(*args)
        assert code == 0, f"summitry {' '.join(args)}: {err}"
    assert os.getcwd() == str(tmp_path)
