"""`summitry negotiate`: fair packages checked by brute force, views, and the blind mediator."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from summitry.cli import example_path
from summitry.domain import Plan
from summitry.io.planfile import load

PLAN = str(example_path("summit.toml"))


def brute_force_nash(plan: Plan, held: dict[str, str]) -> tuple[dict[str, str], list[float]]:
    """Every package scored by hand from the plan's positions; the best product of gains."""
    issues = [(iid, list(issue.options)) for iid, issue in plan.issues.items() if issue.options]
    positions = {
        party: next(p for p in plan.positions.values() if p.about == party and p.held_by == holder)
        for party, holder in held.items()
    }
    best: tuple[float, dict[str, str], list[float]] = (-1.0, {}, [])
    for combo in itertools.product(*(options for _, options in issues)):
        package = dict(zip((iid for iid, _ in issues), combo, strict=True))
        scores = []
        for position in positions.values():
            total = sum(
                scored.weight / 100 * scored.scores.get(package[iid], 0)
                for iid, scored in position.issues.items()
            )
            scores.append(total)
        gains = [
            s - (p.reservation_value or 0) for s, p in zip(scores, positions.values(), strict=True)
        ]
        if min(gains) < 0:
            continue
        product = gains[0] * gains[1]
        if product > best[0] + 1e-9:
            best = (product, package, scores)
    return best[1], best[2]


def test_fair_package_matches_brute_force(run_cli: Any) -> None:
    plan = load(example_path("summit.toml"))
    code, out, err = run_cli("negotiate", PLAN, "--json")
    assert code == 0, err
    document = json.loads(out)
    assert (document["kind"], document["viewer"]) == ("negotiate", {"as": "all", "clearances": []})
    package, scores = brute_force_nash(plan, {"russia": "russia", "united-states": "united-states"})
    assert document["fair"]["nash"]["package"] == package
    assert document["fair"]["nash"]["utilities"] == pytest.approx(scores, abs=1e-6)
    assert document["space_size"] == 4 * 4 * 4 * 4 * 3


def test_a_delegation_analyses_with_its_own_estimates(run_cli: Any) -> None:
    plan = load(example_path("summit.toml"))
    code, out, _ = run_cli("negotiate", PLAN, "--as", "united-states", "--json")
    assert code == 0
    document = json.loads(out)
    package, _ = brute_force_nash(
        plan, {"russia": "united-states", "united-states": "united-states"}
    )
    assert document["fair"]["nash"]["package"] == package
    assert document["viewer"] == {"as": "united-states", "clearances": []}


def test_blind_mediator_gives_each_side_only_its_own_score(run_cli: Any) -> None:
    code, out, err = run_cli("negotiate", PLAN, "--mediate", "--for", "russia", "--json")
    assert code == 0, err
    document = json.loads(out)
    assert list(document["proposals"]) == ["russia"]
    proposal = document["proposals"]["russia"]
    assert set(proposal) == {"party", "score", "reservation_met", "label"}
    assert proposal["label"] == {"readers": ["russia", "secretariat"], "compartments": []}
    assert document["viewer"] == {"as": "secretariat", "clearances": []}
    assert document["package"]["label"] == {"readers": "joint", "compartments": []}
    assert "united-states" not in out
    full = json.loads(run_cli("negotiate", PLAN, "--json")[1])
    assert document["package"]["package"] == full["fair"]["nash"]["package"]
    assert proposal["score"] == round(full["fair"]["nash"]["utilities"][0], 2)
    code, text, _ = run_cli("negotiate", PLAN, "--mediate", "--for", "russia")
    assert "your score" in text
    assert "United States" not in text


def test_package_assessment_and_bad_packages(run_cli: Any, write_file: Any) -> None:
    plan = load(example_path("summit.toml"))
    first = {iid: next(iter(issue.options)) for iid, issue in plan.issues.items()}
    tentative = write_file("tentative.toml", "".join(f'{k} = "{v}"\n' for k, v in first.items()))
    code, out, err = run_cli("negotiate", PLAN, "--package", str(tentative), "--json")
    assert code == 0, err
    assessment = json.loads(out)["assessment"]
    assert assessment["package"] == first
    if not assessment["efficient"]:
        assert assessment["improvements"]
    bad = {**first, "cybersecurity": "world-peace"}
    wrong = write_file("wrong.toml", "".join(f'{k} = "{v}"\n' for k, v in bad.items()))
    code, out, err = run_cli("negotiate", PLAN, "--package", str(wrong))
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert "world-peace" in err


def test_views_that_cannot_negotiate(run_cli: Any, tmp_path: Path) -> None:
    code, _, err = run_cli("negotiate", PLAN, "--as", "joint")
    assert code == 2
    assert "positions are not joint material" in err
    code, _, err = run_cli("negotiate", PLAN, "--mediate", "--as", "russia")
    assert code == 2
    assert "runs as the mediator 'secretariat'" in err
    # A chart circulates: without --as it is for 'joint', which holds no positions.
    code, _, err = run_cli("negotiate", PLAN, "--charts", str(tmp_path / "c"))
    assert code == 2
    assert not (tmp_path / "c").exists()
    code, _, err = run_cli("negotiate", PLAN, "--charts", str(tmp_path / "c"), "--as", "all")
    assert code == 0, err
    assert (tmp_path / "c" / "negotiation-frontier.svg").read_text().startswith("<?xml")


def test_linked_terms_and_weight_ranges_reach_the_analysis(run_cli: Any, write_file: Any) -> None:
    plan = load(example_path("summit.toml"))
    own = plan.positions["russia-position"]
    assert own.linked, "the example carries a linked term"
    _, out, _ = run_cli("negotiate", PLAN, "--as", "united-states", "--json")
    document = json.loads(out)
    ranges = document["robustness"]["ranges"]["russia"]
    estimate = plan.positions["united-states-view-of-russia"]
    assert ranges == {
        iid: list(scored.weight_range or (scored.weight, scored.weight))
        for iid, scored in estimate.issues.items()
    }
    for concept in document["robustness"]["concepts"]:
        assert (
            0 <= concept["stays_fair"] <= concept["stays_efficient"] or concept["stays_fair"] <= 1
        )
    # The linked term lowers Russia's score of packages that pair broad relief with no
    # commitment on Eastern Europe: check one such package against the hand-computed total.
    package = {iid: next(iter(issue.options)) for iid, issue in plan.issues.items()}
    package["trade-sanctions"] = "broad-relief"
    package["eastern-europe-security"] = "no-commitment"
    expected = (
        sum(
            scored.weight / 100 * scored.scores.get(package[iid], 0)
            for iid, scored in own.issues.items()
        )
        + own.linked[0].points
    )
    tentative = write_file("package.toml", "".join(f'{k} = "{v}"\n' for k, v in package.items()))
    _, out, _ = run_cli("negotiate", PLAN, "--package", str(tentative), "--json")
    assessment = json.loads(out)["assessment"]
    assert assessment["utilities"][0] == pytest.approx(expected, abs=1e-6)
