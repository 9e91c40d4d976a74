"""A newcomer's path: every command says what is missing and refuses options that do nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from summitry.cli import example_path

PLAN = str(example_path("summit.toml"))


@pytest.fixture
def imported(run_cli: Any, tmp_path: Path) -> str:
    """A plan just imported from the bundled briefing: no tasks, no risks, no positions."""
    target = tmp_path / "summit.toml"
    code, _, err = run_cli("import", str(example_path("briefing.txt")), "-o", str(target))
    assert code == 0, err
    return str(target)


def test_a_fresh_plan_is_told_what_to_add(run_cli: Any, imported: str) -> None:
    code, out, err = run_cli("validate", imported)
    assert (code, err) == (0, "")
    notes = [line for line in out.splitlines() if line.startswith("note: ")]
    assert any("no summit date" in note for note in notes)
    assert any("no tasks yet: add [tasks.<id>]" in note for note in notes)
    assert any("no positions" in note for note in notes)
    code, out, err = run_cli("forecast", imported)
    assert (code, out) == (2, "")
    assert err.startswith("error: nothing to forecast: no tasks yet: add [tasks.<id>]")
    code, out, _ = run_cli("risks", imported)
    assert code == 0
    assert "No open risks in the register: add [risks.<id>]" in out
    assert "Exposure" not in out


def test_dates_before_the_as_of_date_are_pointed_out(run_cli: Any, write_file: Any) -> None:
    text = example_path("summit.toml").read_text(encoding="utf-8")
    path = write_file("late.toml", text.replace("as_of = 2024-07-15", "as_of = 2024-10-01"))
    code, out, err = run_cli("status", str(path))
    assert code == 0, err
    assert "the summit date 2024-09-16 passed" in out
    assert "-" not in out.split("passed", 1)[1].split("working days", 1)[0]
    assert "note: the summit date 2024-09-16 is before the as-of date 2024-10-01" in out
    assert "note: workstreams.venue: expected completion" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mitigate", "equipment-held"], "has no mitigation to apply"),
        (
            ["--mitigate", "venue-deadlok"],
            "no risk 'venue-deadlok' (did you mean 'venue-deadlock'?)",
        ),
        (["--drop", "strike"], "the risks are: "),
        (["--iterations", "10000000000"], "iterations must be from 100 to 10,000,000"),
        (["--seed", "abc"], "--seed: not a whole number"),
        (["--seed", "-1"], "--seed: must be at least 0"),
        (["--scheduler", "localhost"], "should read tcp://HOST:PORT"),
    ],
)
def test_forecast_options_that_would_do_nothing_or_crash_are_refused(
    run_cli: Any, args: list[str], message: str
) -> None:
    code, out, err = run_cli("forecast", PLAN, *args)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert message in err


def test_the_mitigation_the_example_has_runs(run_cli: Any) -> None:
    code, out, err = run_cli(
        "forecast", PLAN, "--iterations", "500", "--mitigate", "venue-deadlock"
    )
    assert code == 0, err
    assert "venue-deadlock mitigated" in out


def test_status_bounds_and_one_line_echoes(run_cli: Any) -> None:
    code, _, err = run_cli("status", PLAN, "--due-soon", "100000000000")
    assert (code, err.strip()) == (
        2,
        "error: --due-soon: must be at most 3650 (see 'summitry status --help')",
    )
    code, _, err = run_cli("status", PLAN, "--as", "some\nbody" + "x" * 5000)
    assert code == 2
    assert len(err.splitlines()) == 1
    assert "some\\nbody" in err
    assert len(err) < 700


def test_a_report_is_not_overwritten_without_force(run_cli: Any, tmp_path: Path) -> None:
    target = str(tmp_path / "report.md")
    assert run_cli("sitrep", PLAN, "--no-forecast", "-o", target)[0] == 0
    code, out, err = run_cli("sitrep", PLAN, "--no-forecast", "-o", target)
    assert (code, out) == (2, "")
    assert "already exists; pass --force" in err
    assert run_cli("sitrep", PLAN, "--no-forecast", "-o", target, "--force")[0] == 0


def test_output_into_a_closed_pipe_ends_quietly() -> None:
    command = [sys.executable, "-m", "summitry", "status", PLAN]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        process.stdout.read(10)
        process.stdout.close()  # like `| head -c 10`
        assert process.stderr is not None
        err = process.stderr.read().decode()
        code = process.wait(timeout=120)
    assert (code, err) == (0, "")


def test_numbers_say_whose_they_are(run_cli: Any) -> None:
    package = str(example_path("tentative-package.toml"))
    code, out, err = run_cli("negotiate", PLAN, "--package", package)
    assert code == 0, err
    line = next(line for line in out.splitlines() if line.startswith("Given package:"))
    assert line.startswith("Given package: Russian Federation ")
    assert ", United States " in line
    # The zone of agreement is summarised, not every option of every issue spelt out.
    assert "Energy Cooperation: any of its 3 options" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", PLAN, "--as-of", "0001-01-01"], "--as-of: 0001-01-01 is outside the dates"),
        (["forecast", PLAN, "--summit-date", "9999-12-31"], "--summit-date: 9999-12-31 is outside"),
    ],
)
def test_option_dates_outside_the_supported_range_are_refused(
    run_cli: Any, args: list[str], message: str
) -> None:
    code, out, err = run_cli(*args)
    assert (code, out) == (2, "")
    assert message in err


def test_the_due_soon_window_is_cut_at_the_last_supported_date(
    run_cli: Any, write_file: Any, minimal_plan_text: str
) -> None:
    code, out, err = run_cli("status", PLAN, "--as-of", "2200-12-31")
    assert code == 0, err
    assert "note: the due-soon window of 10 working days is cut at 2200-12-31" in out
    # The last supported day a holiday: the window ends on the working day before it, and
    # what falls due then is still due soon.
    plan = (
        minimal_plan_text.replace(
            'title = "Harbour Talks"\n',
            'title = "Harbour Talks"\n\n[summit.calendar]\nholidays = [2200-12-31]\n',
        )
        + '\n[milestones.last]\nname = "Last call"\ndate = 2200-12-30\n'
    )
    path = str(write_file("late.toml", plan))
    code, out, err = run_cli("status", path, "--as-of", "2200-12-29", "--json")
    assert code == 0, err
    document = json.loads(out)
    assert [(item["id"], item["band"]) for item in document["dashboard"]["attention"]] == [
        ("last", "due-soon")
    ]
    assert any("cut at 2200-12-31" in note for note in document["notes"])
    code, out, err = run_cli("status", path, "--as-of", "2200-12-01", "--due-soon", "5")
    assert code == 0, err
    assert "cut at" not in out
