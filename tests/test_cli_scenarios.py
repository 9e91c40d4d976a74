"""`summitry scenarios`, `risks` and `venues` on the bundled plan and on hand-made inputs."""

from __future__ import annotations

import functools
import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

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


def _big_matrix_csv(descriptors: int = 20, variants: int = 6, seed: int = 1) -> str:
    """A dense random CIB matrix far too big to search exhaustively (6**20 scenarios)."""
    rng = np.random.default_rng(seed)
    size = descriptors * variants
    matrix = rng.integers(-3, 4, size=(size, size))
    for i in range(descriptors):
        matrix[i * variants : (i + 1) * variants, i * variants : (i + 1) * variants] = 0
    columns = [f"d{i}" for i in range(descriptors) for _ in range(variants)]
    names = [f"v{k}" for _ in range(descriptors) for k in range(variants)]
    lines = [",," + ",".join(columns), ",," + ",".join(names)]
    for r in range(size):
        lines.append(f"{columns[r]},{names[r]}," + ",".join(str(x) for x in matrix[r]))
    return "\n".join(lines) + "\n"


def test_a_time_limit_stops_a_big_search_and_says_the_result_is_partial(
    run_cli: Any, write_file: Any
) -> None:
    big = str(write_file("big.csv", _big_matrix_csv()))
    # A limit of 0 s is up before the search starts: the same result on every machine.
    code, out, err = run_cli("scenarios", big, "--time-limit", "0", "--json")
    assert code == 0, err
    document = json.loads(out)
    assert document["complete"] is False
    found = document["found"]
    assert (found["complete"], found["exact"], found["searched"]) == (False, False, 0)
    assert found["searched_size"] == 6**20
    assert document["succession_cycles"] is None
    assert document["diagnostics"] is None
    code, out, err = run_cli("scenarios", big, "--time-limit", "0")
    assert code == 0, err
    last = [line for line in out.splitlines() if not line.startswith("  note:")][-1]
    assert last.startswith(f"Partial result: stopped at the time limit after 0 of {6**20:,}")
    assert "note: succession analysis skipped: the time limit was reached" in out
    code, out, err = run_cli("scenarios", big, big, "--time-limit", "0", "--json")
    assert code == 0, err
    document = json.loads(out)
    assert document["complete"] is False
    assert document["ensemble"]["searched"] == [0, 0]
    code, out, err = run_cli("scenarios", big, big, "--time-limit", "0")
    assert "Partial result: the time limit stopped the experts' searches" in out


def test_without_a_time_limit_the_result_says_it_is_complete(run_cli: Any) -> None:
    code, out, err = run_cli("scenarios", PLAN, "--json", "--time-limit", "600")
    assert code == 0, err
    document = json.loads(out)
    assert document["complete"] is True
    assert document["found"]["searched"] == document["found"]["searched_size"] == 3**9
    assert document["notes"] == []


def test_a_time_limit_that_is_not_a_number_of_seconds_is_refused(run_cli: Any) -> None:
    for value in ("nan", "inf", "-1", "soon"):
        code, out, err = run_cli("scenarios", PLAN, "--time-limit", value)
        assert (code, out) == (2, ""), value
        assert err.startswith("error: --time-limit: "), err
        assert len(err.splitlines()) == 1


def test_past_the_node_budget_no_second_exact_search_runs_for_diagnostics(
    run_cli: Any, write_file: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import summitry.analysis.scenarios as engine

    # A budget of one node stands for a matrix too big to search: the fallback samples, and the
    # diagnostics, which would need the exact search that just ran out, are left out.
    monkeypatch.setattr(
        engine, "find_scenarios", functools.partial(engine.find_scenarios, node_budget=1)
    )
    monkeypatch.setattr(
        engine,
        "diagnose",
        lambda model, found=None: pytest.fail("diagnostics searched again"),
    )
    matrix = str(write_file("m.csv", _big_matrix_csv(descriptors=14, variants=3)))
    code, out, err = run_cli("scenarios", matrix, "--json")
    assert code == 0, err
    document = json.loads(out)
    assert document["found"]["exact"] is False
    assert document["complete"] is True
    assert document["diagnostics"] is None
    assert document["notes"] == ["matrix diagnostics left out: they need an exact, complete search"]
