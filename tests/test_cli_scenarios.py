"""`summitry scenarios`, `risks` and `venues` on the bundled plan and on hand-made inputs."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from summitry.analysis.scenarios import cib_model
from summitry.cli import example_path
from summitry.io.planfile import load

PLAN = str(example_path("summit.toml"))


def brute_force_consistent(plan_path: str) -> set[tuple[str, ...]]:
    """Score every scenario of the plan's matrix by hand: the consistent ones."""
    plan = load(Path(plan_path))
    descriptors = list(plan.descriptors.items())
    found = set()
    for choice in itertools.product(*(list(d.variants) for _, d in descriptors)):
        chosen = dict(zip((did for did, _ in descriptors), choice, strict=True))
        consistent = True
        for did, descriptor in descriptors:
            balances = {
                variant: sum(
                    plan.descriptors[other]
                    .impacts.get(chosen[other], {})
                    .get(did, {})
                    .get(variant, 0)
                    for other in chosen
                    if other != did
                )
                for variant in descriptor.variants
            }
            if balances[chosen[did]] < max(balances.values()):
                consistent = False
                break
        if consistent:
            found.add(choice)
    return found


def test_consistent_scenarios_match_brute_force(run_cli: Any) -> None:
    code, out, err = run_cli("scenarios", PLAN, "--json")
    assert code == 0, err
    document = json.loads(out)
    listed = {tuple(s["variants"]) for s in document["found"]["scenarios"]}
    assert listed == brute_force_consistent(PLAN)
    assert document["found"]["exact"] is True


def test_scenarios_name_the_risks_they_switch_on(run_cli: Any) -> None:
    plan = load(Path(PLAN))
    _, out, _ = run_cli("scenarios", PLAN, "--json")
    document = json.loads(out)
    for number, scenario in enumerate(document["found"]["scenarios"], start=1):
        chosen = {
            f"{d}.{v}" for d, v in zip(scenario["descriptors"], scenario["variants"], strict=True)
        }
        expected = [r.name for r in plan.risks.values() if chosen & set(r.scenario_variants)]
        assert sorted(document["risks"][str(number)]) == sorted(expected)


def test_matrix_csv_round_trip_and_ensemble(run_cli: Any, tmp_path: Path) -> None:
    exported = tmp_path / "matrix.csv"
    code, _, err = run_cli("scenarios", PLAN, "--export-csv", str(exported))
    assert code == 0, err
    code, from_csv, _ = run_cli("scenarios", str(exported), "--json")
    code, from_plan, _ = run_cli("scenarios", PLAN, "--json")
    assert json.loads(from_csv)["found"]["scenarios"] == json.loads(from_plan)["found"]["scenarios"]
    second = tmp_path / "second.csv"
    second.write_text(exported.read_text())
    code, out, _ = run_cli("scenarios", str(exported), str(second))
    assert code == 0
    assert "2 experts; consistent for all: 3" in out


def test_fixed_variant_and_bad_input(run_cli: Any, write_file: Any) -> None:
    code, out, _ = run_cli("scenarios", PLAN, "--fix", "sanctions=relief", "--json")
    assert code == 0
    for scenario in json.loads(out)["found"]["scenarios"]:
        assert (
            dict(zip(scenario["descriptors"], scenario["variants"], strict=True))["sanctions"]
            == "relief"
        )
    code, _, err = run_cli("scenarios", PLAN, "--fix", "sanctions")
    assert (code, err.strip()) == (2, "error: --fix: 'sanctions' should read DESCRIPTOR=VARIANT")
    bad = write_file("bad.csv", "x,y\n1,2\n")
    code, _, err = run_cli("scenarios", str(bad))
    assert code == 2
    assert len(err.splitlines()) == 1


def test_risks_by_exposure_and_by_scenario(run_cli: Any) -> None:
    plan = load(Path(PLAN))
    code, out, err = run_cli("risks", PLAN, "--json")
    assert code == 0, err
    rows = json.loads(out)["risks"]
    exposures = [row["exposure"] for row in rows]
    assert exposures == sorted(exposures, reverse=True)
    first = max(
        plan.risks.values(), key=lambda r: r.probability * (r.delay.pert_mean if r.delay else 0)
    )
    assert rows[0]["name"] == first.name
    code, out, _ = run_cli("risks", PLAN, "--scenario", "1", "--json")
    document = json.loads(out)
    active = [row for row in document["risks"] if row["active_in_scenario"]]
    assert document["risks"][: len(active)] == active
    code, _, err = run_cli("risks", PLAN, "--scenario", "9")
    assert code == 2
    assert "consistent scenarios, not 9" in err
    assert cib_model(plan).space_size == 3**9


def test_venues_screen_rank_and_chart(run_cli: Any, tmp_path: Path) -> None:
    code, out, err = run_cli("venues", PLAN, "--json", "--charts", str(tmp_path))
    assert code == 0, err
    analysis = json.loads(out)["analysis"]
    screened = {row["venue"]: row["reasons"] for row in analysis["screening"]["screened_out"]}
    assert screened["budapest"] == ["not acceptable to united-states"]
    assert "abu-dhabi" in screened
    shares = [row["ranks"][0] for row in analysis["smaa"]["venues"]]
    assert abs(sum(shares) - 1) < 1e-9
    assert (tmp_path / "venue-acceptability.svg").read_text().startswith("<?xml")
    for weight_set in analysis["weight_sets"]:
        assert weight_set["promethee"]["method"] == "promethee-ii"
        assert sorted(v["venue"] for v in weight_set["promethee"]["venues"]) == sorted(
            analysis["screening"]["passed"]
        )
    code, out, _ = run_cli("venues", PLAN)
    assert "Rank acceptability" in out
    assert "PROMETHEE II" in out
