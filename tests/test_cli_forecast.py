"""`summitry forecast` as a planning officer uses it: headline, trend, what-ifs, charts, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summitry.cli import example_path

# Two tasks in a row with no uncertainty: the finish is known exactly. The summit and the
# deadline fall the working day after it, so readiness is certain; a certain one-day risk
# on the first task makes it impossible for the deadline (and still fine for the summit).
PLAN = """\
[summit]
title = "Harbour Talks"
date = 2024-07-26
as_of = 2024-07-15

[parties.north]
name = "Northland"

[parties.south]
name = "Southland"

[workstreams.venue]
name = "Venue"
deadline = 2024-07-22

[tasks.survey]
name = "Survey"
workstream = "venue"
estimate = [3, 3, 3]

[tasks.visit]
name = "Visit"
workstream = "venue"
estimate = [2, 2, 2]
depends_on = ["survey"]

[risks.storm]
name = "Storm"
probability = 1
delay = [1, 1, 1]
tasks = ["survey"]
mitigation = { probability = 0 }
"""


@pytest.fixture
def plan_file(write_file: Any) -> Path:
    path: Path = write_file("summit.toml", PLAN)
    return path


def test_headline_table_and_json(run_cli: Any, plan_file: Path) -> None:
    code, out, err = run_cli("forecast", str(plan_file), "--iterations", "1000")
    assert code == 0, err
    # 15 July + 3 + 1 (storm) + 2 working days: finished at the end of Monday 22 July.
    assert "Ready by the summit date (2024-07-26): 100%" in out
    assert "P80 2024-07-22" in out
    assert "Venue" in out
    code, out, _ = run_cli("forecast", str(plan_file), "--iterations", "1000", "--json")
    document = json.loads(out)
    assert (document["kind"], document["schema_version"]) == ("forecast", 1)
    assert document["overall"]["ready_probability"] == 1.0
    assert document["workstreams"][0]["ready_by_deadline"] == 1.0


def test_what_if_and_trend(run_cli: Any, plan_file: Path, tmp_path: Path) -> None:
    saved = tmp_path / "last.json"
    code, _, err = run_cli(
        "forecast",
        str(plan_file),
        "--iterations",
        "1000",
        "--save",
        str(saved),
        "--summit-date",
        "2024-07-22",
        "--as",
        "all",
    )
    assert code == 0, err
    assert json.loads(saved.read_text())["kind"] == "forecast"
    assert json.loads(saved.read_text())["viewer"] == {"as": "all", "clearances": []}
    code, out, err = run_cli(
        "forecast",
        str(plan_file),
        "--iterations",
        "1000",
        "--summit-date",
        "2024-07-19",
        "--mitigate",
        "storm",
    )
    assert code == 0, err
    assert "What if: summit on 2024-07-19, storm mitigated" in out
    code, out, _ = run_cli(
        "forecast", str(plan_file), "--iterations", "1000", "--previous", str(saved)
    )
    assert "(was 100%)" in out
    # A forecast saved for one reader is not compared with another reader's.
    code, out, err = run_cli("forecast", str(plan_file), "--as", "joint", "--previous", str(saved))
    assert (code, out) == (2, "")
    assert "that forecast was made as 'all', this one is as 'joint'" in err


def test_charts_are_written(run_cli: Any, plan_file: Path, tmp_path: Path) -> None:
    charts = tmp_path / "charts"
    code, _, err = run_cli(
        "forecast", str(plan_file), "--iterations", "1000", "--charts", str(charts)
    )
    assert code == 0, err
    names = sorted(path.name for path in charts.iterdir())
    assert "readiness-s-curve.svg" in names
    assert "readiness-gantt.svg" in names
    assert all((charts / name).read_text().lstrip().startswith("<?xml") for name in names)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--iterations", "lots"], "--iterations: 'lots' is not a number or 'auto'"),
        (["--iterations", "10"], "iterations must be from 100 to 10,000,000, not 10"),
        (["--mitigate", "stom"], "stom"),
        (["--drop", "nothing"], "nothing"),
        (["--summit-date", "soon"], "--summit-date: 'soon' is not a date"),
        (["--as-of", "2024-07-23"], "deadline"),
    ],
)
def test_bad_forecast_input_is_one_line(
    run_cli: Any, plan_file: Path, args: list[str], message: str
) -> None:
    code, out, err = run_cli("forecast", str(plan_file), *args)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert message in err


def test_previous_that_is_not_a_forecast(run_cli: Any, plan_file: Path, write_file: Any) -> None:
    other = write_file("other.json", json.dumps({"kind": "status"}))
    code, _, err = run_cli("forecast", str(plan_file), "--previous", str(other))
    assert code == 2
    assert "not a summitry forecast" in err
    broken = write_file("broken.json", "{")
    code, _, err = run_cli("forecast", str(plan_file), "--previous", str(broken))
    assert code == 2
    assert str(broken) in err


def test_scheduler_runs_the_same_forecast_on_a_dask_cluster(run_cli: Any, plan_file: Path) -> None:
    import distributed

    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        dashboard_address=None,
        protocol="tcp",
    ) as cluster:
        code, remote, err = run_cli(
            "forecast",
            str(example_path("summit.toml")),
            "--json",
            "--scheduler",
            cluster.scheduler_address,
        )
    assert code == 0, err
    code, local, _ = run_cli("forecast", str(example_path("summit.toml")), "--json")
    assert json.loads(remote)["overall"] == json.loads(local)["overall"]


def test_sitrep_carries_the_forecast(run_cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    code, _, err = run_cli(
        "sitrep", str(example_path("summit.toml")), "-o", str(target), "--as", "joint"
    )
    assert code == 0, err
    text = target.read_text()
    assert "Probability of being ready by the summit date:" in text
    assert "report-charts/readiness-gantt.svg" in text
    assert (tmp_path / "report-charts" / "readiness-gantt.svg").exists()
    assert json.loads((tmp_path / "report.json").read_text())["readiness"] is not None
    # The other analyses of the joint view are in their sections too.
    assert "Consistent scenarios, strongest first:" in text
    assert "report-charts/venue-acceptability.svg" in text
    assert "The delegations' positions are not joint material" in text


def test_forecast_in_a_scenario_makes_its_risks_certain(run_cli: Any) -> None:
    plan_file = str(example_path("summit.toml"))
    _, out, _ = run_cli("scenarios", plan_file, "--json")
    switched = json.loads(out)["risks"]
    calm = next(number for number, names in switched.items() if not names)
    stormy = max(switched, key=lambda number: len(switched[number]))
    common = ("forecast", plan_file, "--iterations", "2000", "--json", "--scenario")
    code, out, err = run_cli(*common, calm)
    assert code == 0, err
    document = json.loads(out)
    # A scenario that switches no risk on leaves the forecast exactly as it was.
    assert document["variant"]["overall"] == document["overall"]
    _, out, _ = run_cli(*common, stormy)
    document = json.loads(out)
    assert (
        document["variant"]["overall"]["ready_probability"]
        < document["overall"]["ready_probability"]
    )
    code, _, err = run_cli("forecast", plan_file, "--scenario", "99")
    assert code == 2
    assert "consistent scenarios, not 99" in err
