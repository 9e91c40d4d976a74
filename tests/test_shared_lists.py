"""The terminal and the situation report show the same lists, in the same order.

Each list is decided once, in a service; here the two renderings of the bundled example are
read back as a user would read them and compared.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from summitry.cli import example_path

PLAN = str(example_path("summit.toml"))


def _table_column(text: str, title: str) -> list[str]:
    """The first column of a rich table printed under ``title``."""
    block = text.split(title, 1)[1]
    rows = []
    for line in block.splitlines()[4:]:
        if not line.startswith("│"):
            break
        rows.append(line.split("│")[1].strip())
    return rows


@pytest.fixture
def report(run_cli: Any, tmp_path: Path) -> str:
    target = tmp_path / "report.md"
    code, _, err = run_cli("sitrep", PLAN, "--as", "all", "-o", str(target))
    assert code == 0, err
    return target.read_text(encoding="utf-8")


def test_the_tasks_that_drive_the_finish_agree(
    run_cli: Any, report: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    code, out, err = run_cli("forecast", PLAN)
    assert code == 0, err
    terminal = _table_column(out, "Tasks that drive the finish")
    line = re.search(r"Tasks that drive the finish: (.*)\.\n", report)
    assert line is not None
    in_report = [re.sub(r" \(critical in \d+%\)$", "", part) for part in line[1].split("; ")]
    assert terminal
    assert terminal == in_report


def test_the_risks_by_exposure_agree(
    run_cli: Any, report: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    code, out, err = run_cli("risks", PLAN)
    assert code == 0, err
    terminal = _table_column(out, "Risks by exposure")
    table = report.split("| Risk |", 1)[1].split("\n\n", 1)[0]
    in_report = [row.split("|")[1].strip() for row in table.splitlines()[2:]]
    assert len(terminal) >= 3
    assert terminal[: len(in_report)] == in_report
