"""The command line as a user meets it: outputs, exit codes, one-line errors, no half writes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

BROKEN_PLAN = """\
[summit]
title = "Harbour Talks"

[parties.north]
name = "Northland"

[parties.south]
name = "Southland"

[workstreams.venue]
name = "Venue"

[tasks.survey]
name = "Survey"
workstream = "venu"
estimate = [5, 3, 1]
"""

BRIEFING = """\
Harbour Talks Preparation Update
Officials from Northland and Southland met again this week in the harbour city.
Workstream | Status | Expected Completion |
---|---|---|
Agenda Drafting | In Progress | Late May 2025 |
Ferry Logistics | Not Started | June 2025 |
Issues On The Table
Issue | Priority | Objective |
---|---|---|
Fishing Rights | High | Shared quotas |
Port Fees | Low | Lower fees |
"""


def test_validate_a_good_plan(run_cli: Any, write_file: Any, minimal_plan_text: str) -> None:
    path = write_file("summit.toml", minimal_plan_text)
    code, out, err = run_cli("validate", str(path))
    assert code == 0, err
    assert "valid — 2 parties" in out


def test_validate_lists_every_mistake_with_its_line(run_cli: Any, write_file: Any) -> None:
    path = write_file("summit.toml", BROKEN_PLAN)
    code, out, err = run_cli("validate", str(path))
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        f"{path}:16: tasks.survey.estimate: estimate must satisfy optimistic ≤ most likely ≤ "
        "pessimistic, got 5, 3, 1"
    ]
    path.write_text(BROKEN_PLAN.replace("[5, 3, 1]", "[1, 3, 5]"))
    code, out, err = run_cli("validate", str(path))
    assert err.splitlines() == [
        f"{path}:15: tasks.survey.workstream: unknown workstream 'venu' (did you mean 'venue'?)"
    ]


def test_validate_json(run_cli: Any, write_file: Any, minimal_plan_text: str) -> None:
    good = write_file("good.toml", minimal_plan_text)
    code, out, _ = run_cli("validate", str(good), "--json")
    document = json.loads(out)
    assert (code, document["schema_version"], document["valid"]) == (0, 2, True)
    assert document["counts"] == {"parties": 2}
    bad = write_file("bad.toml", BROKEN_PLAN)
    code, out, _ = run_cli("validate", str(bad), "--json")
    document = json.loads(out)
    assert code == 2
    assert document["valid"] is False
    assert document["problems"][0]["line"] == 16
    assert document["problems"][0]["path"] == ["tasks", "survey", "estimate"]


def test_other_commands_report_a_bad_plan_in_one_line(run_cli: Any, write_file: Any) -> None:
    text = BROKEN_PLAN.replace("[5, 3, 1]", "[1, 3, 5]").replace(
        'name = "Venue"', 'name = "Venue"\nowner = "x"'
    )
    path = write_file("summit.toml", text)
    code, _, err = run_cli("status", str(path))
    assert code == 2
    assert len(err.splitlines()) == 1
    assert err.startswith(f"error: {path}:12: workstreams.venue.owner: unknown working group")
    assert err.rstrip().endswith("(and 1 more problem)")


def test_status_shows_the_three_tables(run_cli: Any, write_file: Any) -> None:
    text = BROKEN_PLAN.replace("[5, 3, 1]", "[1, 3, 5]").replace('"venu"', '"venue"')
    text += '\n[issues.fish]\nname = "Fishing rights"\nimpact = "Moderate"\n'
    text += '\n[mechanisms.jwg]\nname = "Joint working group"\n'
    text = text.replace("estimate = [1, 3, 5]", "estimate = [1, 3, 5]\ndue = 2024-07-10")
    path = write_file("summit.toml", text)
    code, out, err = run_cli("status", str(path), "--as-of", "2024-07-15")
    assert code == 0, err
    for expected in (
        "Preparation aspects",
        "Strategic issues",
        "Engagement",
        "Fishing rights",
        "Medium",
        "Joint working group",
        "Needs attention",
        "5 days overdue",
    ):
        assert expected in out
    code, out, _ = run_cli("status", str(path), "--as-of", "2024-07-15", "--json")
    board = json.loads(out)["dashboard"]
    assert board["as_of"] == "2024-07-15"
    assert board["attention"][0]["band"] == "overdue"


def test_bad_option_values_exit_2(run_cli: Any, write_file: Any, minimal_plan_text: str) -> None:
    path = write_file("summit.toml", minimal_plan_text)
    code, _, err = run_cli("status", str(path), "--as-of", "next week")
    assert (code, err) == (2, "error: --as-of: 'next week' is not a date; use YYYY-MM-DD\n")
    code, _, err = run_cli("status", str(path), "--no-such-option")
    assert code == 2
    assert err.startswith("error: No such option: --no-such-option")


def test_import_writes_a_valid_plan_and_reports(
    run_cli: Any, write_file: Any, tmp_path: Path
) -> None:
    briefing = write_file("briefing.txt", BRIEFING)
    target = tmp_path / "summit.toml"
    code, out, err = run_cli("import", str(briefing), "-o", str(target))
    assert code == 0, err
    assert "2 workstreams" in out
    assert "2 agenda issues" in out or "2 issues" in out
    code, out, err = run_cli("validate", str(target))
    assert code == 0, err


def test_import_never_overwrites_without_force(run_cli: Any, write_file: Any) -> None:
    briefing = write_file("briefing.txt", BRIEFING)
    existing = write_file("summit.toml", "keep me")
    code, _, err = run_cli("import", str(briefing), "-o", str(existing))
    assert code == 2
    assert "already exists; pass --force" in err
    assert existing.read_text() == "keep me"
    code, _, err = run_cli("import", str(briefing), "-o", str(existing), "--force")
    assert code == 0, err
    assert "[workstreams.agenda-drafting]" in existing.read_text()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("We met. We talked. We will meet again next month.\n", "no recognisable structure"),
        (b"\xff\xfe\x00b\x00a\x00d", "binary file"),
        ("", "the file is empty"),
    ],
)
def test_import_of_unusable_briefing_writes_nothing(
    run_cli: Any, write_file: Any, tmp_path: Path, content: str | bytes, message: str
) -> None:
    briefing = write_file("briefing.txt", content)
    target = tmp_path / "summit.toml"
    code, _, err = run_cli("import", str(briefing), "-o", str(target))
    assert code == 2
    assert message in err
    assert len(err.splitlines()) == 1
    assert not target.exists()


def test_import_to_a_folder_that_does_not_exist(
    run_cli: Any, write_file: Any, tmp_path: Path
) -> None:
    briefing = write_file("briefing.txt", BRIEFING)
    code, _, err = run_cli("import", str(briefing), "-o", str(tmp_path / "no" / "plan.toml"))
    assert code == 2
    assert "does not exist" in err
    assert not (tmp_path / "no").exists()


def test_import_json_and_parties(run_cli: Any, write_file: Any, tmp_path: Path) -> None:
    briefing = write_file("briefing.txt", BRIEFING)
    target = tmp_path / "summit.toml"
    code, out, _ = run_cli(
        "import",
        str(briefing),
        "-o",
        str(target),
        "--json",
        "--party",
        "Northland",
        "--party",
        "Southland",
    )
    document = json.loads(out)
    assert (code, document["kind"], document["schema_version"]) == (0, "import", 2)
    assert document["counts"]["parties"] == 2
    assert document["counts"]["workstreams"] == 2
    assert 'name = "Northland"' in target.read_text()


def test_upgrade_of_a_current_plan_changes_nothing(
    run_cli: Any, write_file: Any, minimal_plan_text: str, tmp_path: Path
) -> None:
    path = write_file("summit.toml", minimal_plan_text)
    code, out, _ = run_cli("upgrade", str(path))
    assert code == 0
    assert "nothing to do" in out
    assert path.read_text() == minimal_plan_text
    code, out, _ = run_cli("upgrade", str(path), "-o", str(tmp_path / "copy.toml"))
    assert code == 0
    assert "Northland" in (tmp_path / "copy.toml").read_text()


def test_demo_runs_the_example_and_writes_outputs(run_cli: Any, tmp_path: Path) -> None:
    code, out, err = run_cli("demo", "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert "Preparation aspects" in out
    assert "Strategic issues" in out
    status = json.loads((tmp_path / "out" / "status.json").read_text())
    assert status["schema_version"] == 2
    for name in ("sitrep-joint.md", "sitrep-joint.html", "sitrep-joint.pdf", "sitrep-joint.json"):
        assert (tmp_path / "out" / name).stat().st_size > 500
    # The demo's report is the joint one: no delegation's private positions in it.
    assert "as estimated by" not in (tmp_path / "out" / "sitrep-joint.md").read_text()
    code, out, err = run_cli("validate", str(tmp_path / "out" / "imported-plan.toml"))
    assert code == 0, err


def test_demo_json(run_cli: Any, tmp_path: Path) -> None:
    code, out, _ = run_cli("demo", "--out", str(tmp_path), "--json")
    document = json.loads(out)
    assert code == 0
    assert document["import"]["counts"]["issues"] == 5
    assert document["plan"]["counts"]["tasks"] >= 40


def test_internal_error_is_one_line_and_exit_1(
    run_cli: Any, write_file: Any, minimal_plan_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the dashboard broke")

    import summitry.analysis.dashboard

    monkeypatch.setattr(summitry.analysis.dashboard, "dashboard", broken)
    path = write_file("summit.toml", minimal_plan_text)
    code, out, err = run_cli("status", str(path))
    assert (code, out) == (1, "")
    assert err == (
        "internal error: RuntimeError: the dashboard broke (run with --debug for the traceback)\n"
    )
    code, _, err = run_cli("--debug", "status", str(path))
    assert code == 1
    assert "Traceback" in err


def test_version_and_bare_command(run_cli: Any) -> None:
    code, out, _ = run_cli("--version")
    assert (code, out) == (0, "summitry 0.1.0\n")
    code, out, _ = run_cli()
    assert code == 0
    assert "Commands" in out


def test_every_command_has_help_with_examples(run_cli: Any) -> None:
    for command in ("validate", "status", "import", "upgrade", "demo"):
        code, out, _ = run_cli(command, "--help")
        assert code == 0
        assert "For example:" in out
        assert f"summitry {command}" in out


def test_runs_as_a_module_in_its_own_process(tmp_path: Path, minimal_plan_text: str) -> None:
    path = tmp_path / "summit.toml"
    path.write_text(minimal_plan_text.replace('name = "Northland"', "name = "))
    result = subprocess.run(
        [sys.executable, "-m", "summitry", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == f"error: {path}:7:8: not valid TOML: invalid value\n"
    assert "Traceback" not in result.stderr


GOOD = BROKEN_PLAN.replace("[5, 3, 1]", "[1, 3, 5]").replace('"venu"', '"venue"')


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[summit\ntitle = "x"\n', ":1:8: not valid TOML"),
        (GOOD + "colour = 'blue'\n", ":17: tasks.survey.colour: unknown field 'colour'"),
        (GOOD.replace('title = "Harbour Talks"\n', ""), ":1: summit.title: required field"),
        (
            GOOD + "percent_complete = 'half'\n",
            ":17: tasks.survey.percent_complete: must be a number",
        ),
        (GOOD + "owner = 'ana'\n", ":17: tasks.survey.owner: unknown person 'ana'"),
        (
            GOOD + "depends_on = ['survey2']\n[tasks.survey2]\nname = 'S'\nworkstream = 'venue'\n"
            "depends_on = ['survey']\n",
            ":17: tasks.survey.depends_on: dependency cycle: survey → survey2 → survey",
        ),
        (GOOD.replace("[1, 3, 5]", "[6, 3, 5]"), ":16: tasks.survey.estimate: estimate must"),
        (
            GOOD + "[risks.r]\nname = 'R'\nprobability = -0.1\n",
            ":19: risks.r.probability: must be at least 0",
        ),
        ("", ": the file is empty"),
        (b"\x00\x01\x02binary", ": this is a binary file"),
        ("title = 'Z\u00fcrich'\n".encode("cp1252"), ":1: the file is not UTF-8 text"),
    ],
)
def test_every_kind_of_bad_plan_is_one_line_and_exit_2(
    run_cli: Any, write_file: Any, tmp_path: Path, content: str | bytes, expected: str
) -> None:
    path = write_file("summit.toml", content)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run_cli("status", str(path))
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith(f"error: {path}{expected}")
    assert sorted(p.name for p in tmp_path.iterdir()) == before
