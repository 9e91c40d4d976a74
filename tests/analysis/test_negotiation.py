"""The negotiation engine against brute-force enumeration, hand-worked cases and bad input."""

from __future__ import annotations

import itertools
import math
import pathlib
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

import summitry
from summitry.analysis import frontier as frontier_module
from summitry.analysis.dominance import nondominated, numpy_block_filter
from summitry.analysis.frontier import pareto_frontier
from summitry.analysis.negotiation import analyse_negotiation, profiles_from_plan
from summitry.analysis.preferences import (
    AdditiveProfile,
    Agenda,
    LinkedTerm,
    compile_space,
    option_units,
    weight_units,
)
from summitry.errors import InputError

EXAMPLE = pathlib.Path(summitry.__file__).parent / "examples" / "summit.toml"
UNITS = 10_000_000  # fixed-point units per point, as the engine counts

# --------------------------------------------------------------------------------------------
# Brute force: every package, utilities in exact integers computed independently of the engine
# --------------------------------------------------------------------------------------------


@dataclass
class Instance:
    agenda: Agenda
    profiles: list[AdditiveProfile]


def brute_units(inst: Instance) -> dict[tuple[int, ...], tuple[int, ...]]:
    items = inst.agenda.items
    out: dict[tuple[int, ...], tuple[int, ...]] = {}
    for package in itertools.product(*(range(len(item.options)) for item in items)):
        row = []
        for profile in inst.profiles:
            total = 0
            for item, k in zip(items, package, strict=True):
                weight = int(profile.weights.get(item.id, 0))
                score = int(profile.scores.get(item.id, {}).get(item.options[k], 0))
                total += weight * score * 100_000  # w × s / 100 points
            for term in profile.linked:
                a = [i.id for i in items].index(term.issue)
                b = [i.id for i in items].index(term.other_issue)
                if (
                    items[a].options[package[a]] == term.option
                    and items[b].options[package[b]] == term.other_option
                ):
                    total += int(term.points) * UNITS
            row.append(total)
        out[package] = tuple(row)
    return out


def dominates(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return all(x >= y for x, y in zip(a, b, strict=True)) and a != b


def efficient(units: dict[tuple[int, ...], tuple[int, ...]]) -> set[tuple[int, ...]]:
    values = set(units.values())
    return {p for p, u in units.items() if not any(dominates(v, u) for v in values)}


def reservations(inst: Instance) -> tuple[int, ...]:
    return tuple(int(p.reservation_value) * UNITS for p in inst.profiles)


def rational(inst: Instance, units: dict[tuple[int, ...], tuple[int, ...]]) -> dict:
    floor = reservations(inst)
    return {p: u for p, u in units.items() if all(x >= r for x, r in zip(u, floor, strict=True))}


def argbest(values: dict[tuple[int, ...], object], best: object) -> set[tuple[int, ...]]:
    return {u for u, v in values.items() if v == best}


def brute_fair(inst: Instance) -> dict[str, set[tuple[int, ...]]]:
    # Fair points are efficient: the optima among the efficient rational packages. (For
    # Nash, egalitarian and welfare that is also the optimum value over every rational
    # package, which test_fair_values_are_optimal_over_every_rational_package checks.)
    ok = rational(inst, brute_units(inst))
    points = {ok[p] for p in efficient(ok)}
    if not points:
        return {c: set() for c in ("nash", "kalai-smorodinsky", "egalitarian", "max-welfare")}
    floor = reservations(inst)
    gains = {u: tuple(x - r for x, r in zip(u, floor, strict=True)) for u in points}
    ideal = [max(g[i] for g in gains.values()) for i in range(len(floor))]
    nash = {u: math.prod(g) for u, g in gains.items()}

    def spread(g: tuple[int, ...]) -> Fraction:
        normal = [Fraction(x, a) if a > 0 else Fraction(0) for x, a in zip(g, ideal, strict=True)]
        return max(normal) - min(normal)

    ks = {u: -spread(g) for u, g in gains.items()}
    egal = {u: min(g) for u, g in gains.items()}
    welfare = {u: sum(u) for u in points}
    return {
        "nash": argbest(nash, max(nash.values())),
        "kalai-smorodinsky": argbest(ks, max(ks.values())),
        "egalitarian": argbest(egal, max(egal.values())),
        "max-welfare": argbest(welfare, max(welfare.values())),
    }


def units_of(points) -> set[tuple[int, ...]]:  # type: ignore[no-untyped-def]
    return {tuple(round(u * UNITS) for u in p.utilities) for p in points}


# --------------------------------------------------------------------------------------------
# Random instances
# --------------------------------------------------------------------------------------------


@st.composite
def weights(draw: st.DrawFn, n: int) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=n - 1, max_size=n - 1)))
    bounds = [0, *cuts, 100]
    return [b - a for a, b in itertools.pairwise(bounds)]


@st.composite
def instances(draw: st.DrawFn, linked: bool = True, max_parties: int = 3) -> Instance:
    n_parties = draw(st.integers(2, max_parties))
    n_issues = draw(st.integers(2, 4))
    sizes = [draw(st.integers(2, 4)) for _ in range(n_issues)]
    agenda = Agenda.of({f"i{i}": [f"o{k}" for k in range(s)] for i, s in enumerate(sizes)})
    # A coarse score grid makes ties (equal packages, equal points) common.
    score = st.sampled_from([0, 25, 50, 75, 100]) | st.integers(0, 100)
    profiles = []
    for p in range(n_parties):
        w = draw(weights(n_issues))
        scores = {item.id: {o: draw(score) for o in item.options} for item in agenda.items}
        terms: list[LinkedTerm] = []
        if linked and draw(st.booleans()):
            a, b = draw(st.sampled_from(list(itertools.permutations(range(n_issues), 2))))
            terms.append(
                LinkedTerm(
                    f"i{a}",
                    draw(st.sampled_from(agenda.items[a].options)),
                    f"i{b}",
                    draw(st.sampled_from(agenda.items[b].options)),
                    draw(st.integers(-30, 30)),
                )
            )
        profiles.append(
            AdditiveProfile(
                party=f"p{p}",
                weights={item.id: w[i] for i, item in enumerate(agenda.items)},
                scores=scores,
                reservation_value=draw(st.integers(0, 80)),
                linked=tuple(terms),
            )
        )
    return Instance(agenda, profiles)


# --------------------------------------------------------------------------------------------
# Properties against brute force
# --------------------------------------------------------------------------------------------


@given(instances())
def test_frontier_is_the_brute_force_efficient_set_with_every_tie(inst: Instance) -> None:
    units = brute_units(inst)
    frontier = pareto_frontier(compile_space(inst.agenda, inst.profiles))
    assert frontier.method.is_exact
    listed = {p.indices for k in range(len(frontier)) for p in frontier.tied_packages(k)}
    assert listed == efficient(units)
    assert frontier.package_count == len(listed)
    assert {tuple(int(x) for x in row) for row in frontier.units} == {units[p] for p in listed}
    for point in frontier.points:
        assert units[point.package.indices] == tuple(round(u * UNITS) for u in point.utilities)


@given(instances())
def test_rational_frontier_and_fair_points_equal_brute_force_optima(inst: Instance) -> None:
    analysis = analyse_negotiation(inst.agenda, inst.profiles)
    ok = rational(inst, brute_units(inst))
    assert units_of(analysis.rational_frontier.points) == {ok[p] for p in efficient(ok)}
    expected = brute_fair(inst)
    for fair in analysis.fair.all():
        assert units_of(fair.points) == expected[fair.concept], fair.concept


@given(instances())
def test_fair_values_are_optimal_over_every_rational_package(inst: Instance) -> None:
    analysis = analyse_negotiation(inst.agenda, inst.profiles)
    ok = rational(inst, brute_units(inst))
    if not ok:
        return
    floor = reservations(inst)
    gains = [[x - r for x, r in zip(u, floor, strict=True)] for u in ok.values()]
    n = len(floor)
    assert analysis.nash.value == pytest.approx(max(math.prod(g) for g in gains) / UNITS**n)
    assert analysis.egalitarian.value == pytest.approx(max(min(g) for g in gains) / UNITS)
    assert analysis.max_welfare.value == pytest.approx(max(sum(u) for u in ok.values()) / UNITS)


@given(instances())
def test_zopa_size_and_options_equal_brute_force(inst: Instance) -> None:
    zopa = analyse_negotiation(inst.agenda, inst.profiles).zopa
    ok = rational(inst, brute_units(inst))
    assert zopa.method.is_exact
    assert zopa.options_method.is_exact
    assert zopa.exists == bool(ok)
    assert zopa.rational_packages == len(ok)
    assert zopa.fraction == pytest.approx(len(ok) / inst.agenda.size)
    for i, item in enumerate(inst.agenda.items):
        used = {p[i] for p in ok}
        assert zopa.options[item.id] == tuple(o for k, o in enumerate(item.options) if k in used)


@given(instances(), st.data())
def test_post_settlement_improvements_equal_brute_force(
    inst: Instance, data: st.DataObject
) -> None:
    choice = {item.id: data.draw(st.sampled_from(item.options)) for item in inst.agenda.items}
    analysis = analyse_negotiation(inst.agenda, inst.profiles, package=choice)
    assessment = analysis.assessment
    assert assessment is not None
    units = brute_units(inst)
    mine = units[assessment.package.indices]
    better = {units[p] for p in efficient(units) if dominates(units[p], mine)}
    assert units_of(assessment.improvements) == better
    assert assessment.efficient == (not better)
    assert assessment.rational == all(x >= r for x, r in zip(mine, reservations(inst), strict=True))
    if assessment.efficient:
        assert assessment.distance_to_frontier == 0


@given(instances(linked=False))
def test_opposition_is_the_exact_minimum_over_rational_packages(inst: Instance) -> None:
    opposition = analyse_negotiation(inst.agenda, inst.profiles).opposition
    units = brute_units(inst)
    ok = rational(inst, units)
    if not ok:
        assert opposition.value is None
        return
    best = [max(u[i] for u in units.values()) for i in range(len(inst.profiles))]
    distances = [
        math.sqrt(
            sum((1 - x / b if b else 1 - x / UNITS) ** 2 for x, b in zip(u, best, strict=True))
        )
        for u in ok.values()
    ]
    assert opposition.value == pytest.approx(min(distances), abs=1e-12)


def test_four_parties_frontier_and_zopa_match_brute_force() -> None:
    rng = np.random.default_rng(4)
    agenda = Agenda.of({f"i{i}": [f"o{k}" for k in range(3)] for i in range(4)})
    profiles = []
    for p in range(4):
        cuts = sorted(rng.integers(0, 101, size=3).tolist())
        w = [b - a for a, b in itertools.pairwise([0, *cuts, 100])]
        profiles.append(
            AdditiveProfile(
                f"p{p}",
                {item.id: w[i] for i, item in enumerate(agenda.items)},
                {
                    item.id: {o: int(rng.integers(0, 101)) for o in item.options}
                    for item in agenda.items
                },
                reservation_value=30,
            )
        )
    inst = Instance(agenda, profiles)
    analysis = analyse_negotiation(agenda, profiles)
    units = brute_units(inst)
    assert units_of(analysis.frontier.points) == {units[p] for p in efficient(units)}
    assert analysis.zopa.rational_packages == len(rational(inst, units))
    expected = brute_fair(inst)
    for fair in analysis.fair.all():
        assert units_of(fair.points) == expected[fair.concept]


@pytest.mark.parametrize("chunk", [1, 7])
def test_chunked_merge_and_rational_pruning_give_the_same_frontiers(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    agenda, profiles, inst = three_party_instance()
    units = brute_units(inst)
    monkeypatch.setattr(frontier_module, "CHUNK_ROWS", chunk)
    space = compile_space(agenda, profiles)
    full = pareto_frontier(space)
    assert {tuple(int(x) for x in row) for row in full.units} == {
        units[p] for p in efficient(units)
    }
    pruned = pareto_frontier(space, rational_only=True)
    ok = rational(inst, units)
    assert {tuple(int(x) for x in row) for row in pruned.units} == {ok[p] for p in efficient(ok)}
    assert pruned.package_count == full.rational().package_count


@pytest.mark.parametrize("parties", [2, 3, 5])
def test_numpy_baseline_filter_agrees_with_the_compiled_one(parties: int) -> None:
    points = np.random.default_rng(parties).integers(0, 6, size=(400, parties))
    rows, _ = nondominated(points)
    assert set(rows.tolist()) == set(np.flatnonzero(numpy_block_filter(points)).tolist())


# --------------------------------------------------------------------------------------------
# Hand-worked cases
# --------------------------------------------------------------------------------------------


def opposed_and_shared(reservation: float = 0) -> tuple[Agenda, list[AdditiveProfile]]:
    """Perfectly opposed on 'split', fully shared on 'joint', equal weights."""
    agenda = Agenda.of({"split": ["low", "mid", "high"], "joint": ["no", "yes"]})
    north = AdditiveProfile(
        "north",
        {"split": 50, "joint": 50},
        {"split": {"low": 0, "mid": 50, "high": 100}, "joint": {"no": 0, "yes": 100}},
        reservation_value=reservation,
    )
    south = AdditiveProfile(
        "south",
        {"split": 50, "joint": 50},
        {"split": {"low": 100, "mid": 50, "high": 0}, "joint": {"no": 0, "yes": 100}},
        reservation_value=reservation,
    )
    return agenda, [north, south]


def test_analytic_frontier_and_fair_points() -> None:
    agenda, profiles = opposed_and_shared()
    analysis = analyse_negotiation(agenda, profiles)
    frontier = [(p.utilities, p.package.as_dict()) for p in analysis.frontier.points]
    assert frontier == [
        ((100.0, 50.0), {"split": "high", "joint": "yes"}),
        ((75.0, 75.0), {"split": "mid", "joint": "yes"}),
        ((50.0, 100.0), {"split": "low", "joint": "yes"}),
    ]
    assert analysis.space_size == 6
    for fair in (analysis.nash, analysis.kalai_smorodinsky, analysis.egalitarian):
        assert fair.utilities == (75.0, 75.0)
        assert fair.package is not None
        assert fair.package.as_dict() == {"split": "mid", "joint": "yes"}
    assert analysis.nash.value == pytest.approx(75.0 * 75.0)
    assert analysis.kalai_smorodinsky.value == 0
    # Every frontier package has welfare 150: all three tie for max-welfare.
    assert len(analysis.max_welfare.points) == 3
    assert analysis.zopa.fraction == 1.0
    assert analysis.opposition.value == pytest.approx(math.sqrt(2) * 0.25)
    assert str(analysis.frontier.method) == "exact"


def test_assessment_distances_and_improvements() -> None:
    agenda, profiles = opposed_and_shared()
    analysis = analyse_negotiation(agenda, profiles, package={"split": "mid", "joint": "no"})
    assessment = analysis.assessment
    assert assessment is not None
    assert assessment.utilities == (25.0, 25.0)
    assert not assessment.efficient
    assert [p.utilities for p in assessment.improvements] == [
        (100.0, 50.0),
        (75.0, 75.0),
        (50.0, 100.0),
    ]
    assert assessment.nearest is not None
    assert assessment.nearest.utilities == (75.0, 75.0)
    assert assessment.distance_to_frontier == pytest.approx(50 * math.sqrt(2))
    assert assessment.distance_to_fair["nash"] == pytest.approx(50 * math.sqrt(2))


def test_reservation_above_every_package_gives_an_empty_zopa_not_an_error() -> None:
    agenda, profiles = opposed_and_shared()
    profiles[0] = AdditiveProfile(
        "north", profiles[0].weights, profiles[0].scores, reservation_value=101
    )
    analysis = analyse_negotiation(agenda, profiles, package={"split": "mid", "joint": "yes"})
    assert not analysis.zopa.exists
    assert analysis.zopa.fraction == 0
    assert all(options == () for options in analysis.zopa.options.values())
    assert len(analysis.rational_frontier) == 0
    assert len(analysis.frontier) == 3
    for fair in analysis.fair.all():
        assert fair.points == ()
        assert fair.package is None
    assert analysis.opposition.value is None
    assert analysis.assessment is not None
    assert analysis.assessment.distance_to_fair["nash"] is None


def test_reservation_values_limit_the_options_of_a_rational_deal() -> None:
    agenda, profiles = opposed_and_shared(reservation=60)
    analysis = analyse_negotiation(agenda, profiles)
    # Only ('mid', 'yes') gives both at least 60.
    assert analysis.zopa.options == {"split": ("mid",), "joint": ("yes",)}
    assert analysis.zopa.rational_packages == 1
    # Gains are measured from the reservation value: 15 each at the only rational package.
    assert analysis.egalitarian.value == pytest.approx(15.0)


def test_options_that_tie_for_everyone_are_all_listed_and_counted() -> None:
    agenda = Agenda.of({"split": ["low", "high"], "venue": ["a", "b", "c"]})
    scores = {"split": {"low": 0, "high": 100}}
    north = AdditiveProfile("north", {"split": 100}, scores)
    south = AdditiveProfile("south", {"split": 100}, {"split": {"low": 100, "high": 0}})
    frontier = analyse_negotiation(agenda, [north, south]).frontier
    assert [p.count for p in frontier.points] == [3, 3]
    assert frontier.package_count == 6
    assert {p.as_dict()["venue"] for p in frontier.tied_packages(0)} == {"a", "b", "c"}
    assert len(frontier.tied_packages(0, limit=2)) == 2


# --------------------------------------------------------------------------------------------
# Exact ties when weights are not whole points (a Genius profile's weights divided by their sum)
# --------------------------------------------------------------------------------------------


@dataclass
class ZeroSum:
    inst: Instance
    exact: dict[tuple[int, ...], tuple[Fraction, Fraction]]  # each package's utilities, exactly
    reservation: tuple[int, int]


@st.composite
def zero_sum_instances(draw: st.DrawFn) -> ZeroSum:
    """Two parties with the same weights, one scoring ``s`` where the other scores ``100 - s``.

    The weights are relative numbers divided by their sum, as a Genius profile gives them
    (thirds, sevenths: not whole fixed-point units), and the scores have up to three decimals,
    so every package's welfare is exactly 100 and nothing else about it is round.
    """
    n_issues = draw(st.integers(1, 4))
    sizes = [draw(st.integers(2, 4)) for _ in range(n_issues)]
    relative = draw(st.lists(st.integers(1, 12), min_size=n_issues, max_size=n_issues, unique=True))
    weights = [Fraction(100 * r, sum(relative)) for r in relative]
    scores = [[Fraction(draw(st.integers(0, 100_000)), 1000) for _ in range(k)] for k in sizes]
    reservation = (draw(st.integers(0, 60)), draw(st.integers(0, 60)))
    agenda = Agenda.of({f"i{i}": [f"o{k}" for k in range(s)] for i, s in enumerate(sizes)})
    profiles = [
        AdditiveProfile(
            party,
            {item.id: float(w) for item, w in zip(agenda.items, weights, strict=True)},
            {
                item.id: {o: float(flip(s)) for o, s in zip(item.options, row, strict=True)}
                for item, row in zip(agenda.items, scores, strict=True)
            },
            reservation_value=r,
        )
        for party, flip, r in (
            ("a", lambda s: s, reservation[0]),
            ("b", lambda s: 100 - s, reservation[1]),
        )
    ]
    exact = {}
    for package in itertools.product(*(range(k) for k in sizes)):
        mine = sum(
            (w * row[k] / 100 for w, row, k in zip(weights, scores, package, strict=True)),
            Fraction(0),
        )
        exact[package] = (mine, 100 - mine)
    # A package exactly at a reservation value is a question of rationality, not of ties.
    assume(all(u != r for pair in exact.values() for u, r in zip(pair, reservation, strict=True)))
    return ZeroSum(Instance(agenda, profiles), exact, reservation)


@given(zero_sum_instances())
def test_every_rational_package_of_a_zero_sum_domain_ties_for_max_welfare(case: ZeroSum) -> None:
    analysis = analyse_negotiation(case.inst.agenda, case.inst.profiles)
    rational = {
        package
        for package, pair in case.exact.items()
        if all(u >= r for u, r in zip(pair, case.reservation, strict=True))
    }
    welfare = analysis.max_welfare
    # Brute force: every rational package attains the optimum, welfare 100.
    assert welfare.package_count == len(rational)
    tied = {
        package.indices
        for point in welfare.points
        for package in analysis.rational_frontier.tied_packages(point.index)
    }
    assert tied == rational
    if rational:
        assert welfare.value == 100.0
        assert all(
            sum(point.utilities) == pytest.approx(100.0, abs=1e-12) for point in welfare.points
        )
    # ``ties`` in the JSON document counts these points: one per distinct utility vector.
    assert len({point.utilities for point in welfare.points}) == len(welfare.points)


@given(
    st.integers(1, 500_000_000).map(lambda k: 2 * k),
    st.integers(0, 10**8).map(lambda k: k / 10**6),
    st.integers(0, 10**8).map(lambda k: k / 10**6),
)
@example(343_750_000, 0.003, 0.0)  # weight × 0.003 / 100 is 10312.5: a tie of the rounding
def test_complementary_scores_round_to_exactly_the_weight(
    units: int, score: float, other: float
) -> None:
    got = option_units(np.array([units, units]), np.array([[score, other], [100 - score, 0]]))
    assert int(got[0, 0] + got[1, 0]) == units
    assert abs(int(got[0, 0]) - units * score / 100) <= 1
    # Rounding keeps the order of the scores (the rule changes at 50).
    assert (got[0, 0] >= got[0, 1]) == (score >= other) or got[0, 0] == got[0, 1]


def test_weights_become_even_units_summing_to_100_points_with_equal_weights_kept_equal() -> None:
    fixed = weight_units(
        np.array([[100 / 3, 200 / 3, 0.0], [100 / 3, 100 / 3, 100 / 3], [25, 75, 0]])
    )
    assert (fixed % 2 == 0).all()
    assert fixed[0].sum() == 100 * UNITS
    assert fixed[0, 2] == 0
    # Three equal thirds cannot be equal and sum to 100 points: they stay equal, just short.
    assert len(set(fixed[1].tolist())) == 1
    assert 0 < 100 * UNITS - fixed[1].sum() <= 6
    assert fixed[2].tolist() == [25 * UNITS, 75 * UNITS, 0]


def test_linked_term_changes_the_frontier() -> None:
    agenda, profiles = opposed_and_shared()
    # South refuses 'high' on the split unless the joint issue is 'no': a penalty otherwise.
    south = AdditiveProfile(
        "south",
        profiles[1].weights,
        profiles[1].scores,
        linked=(LinkedTerm("split", "high", "joint", "yes", -60),),
    )
    analysis = analyse_negotiation(agenda, [profiles[0], south])
    points = [p.utilities for p in analysis.frontier.points]
    # ('high', 'yes') stays efficient (north's best) but falls below south's reservation.
    assert points == [(100.0, -10.0), (75.0, 75.0), (50.0, 100.0)]
    assert [p.utilities for p in analysis.rational_frontier.points] == [(75.0, 75.0), (50.0, 100.0)]
    assert analysis.nash.utilities == (75.0, 75.0)


def test_logrolling_hint_for_the_textbook_trade() -> None:
    agenda = Agenda.of({"x": ["n", "m", "s"], "y": ["n", "m", "s"]})
    up = {"n": 100, "m": 50, "s": 0}
    down = {"n": 0, "m": 50, "s": 100}
    north = AdditiveProfile("north", {"x": 70, "y": 30}, {"x": up, "y": up})
    south = AdditiveProfile("south", {"x": 30, "y": 70}, {"x": down, "y": down})
    analysis = analyse_negotiation(agenda, [north, south])
    hint = analysis.logrolling[0]
    assert hint.parties == ("north", "south")
    assert hint.issues == ("x", "y")
    assert hint.options == ("n", "s")
    assert hint.baseline == ("m", "m")
    assert hint.gains == pytest.approx((20.0, 20.0))
    assert hint.weights == ((70.0, 30.0), (30.0, 70.0))
    assert len(analysis.logrolling) == 1
    assert analysis.sequencing.steps[0].kind == "logroll"


def test_sequencing_opens_with_compatible_issues_and_closes_with_distributive() -> None:
    agenda, profiles = opposed_and_shared()
    sequence = analyse_negotiation(agenda, profiles).sequencing
    assert sequence.order == ("joint", "split")
    assert [s.kind for s in sequence.steps] == ["compatible", "distributive"]
    assert sequence.steps[0].options == ("yes",)
    assert "compatible" in sequence.rule.lower()


# --------------------------------------------------------------------------------------------
# Estimates: every result says how it was computed
# --------------------------------------------------------------------------------------------


def three_party_instance() -> tuple[Agenda, list[AdditiveProfile], Instance]:
    rng = np.random.default_rng(11)
    agenda = Agenda.of({f"i{i}": [f"o{k}" for k in range(4)] for i in range(4)})
    profiles = [
        AdditiveProfile(
            f"p{p}",
            {"i0": 25, "i1": 25, "i2": 25, "i3": 25},
            {
                item.id: {o: int(rng.integers(0, 101)) for o in item.options}
                for item in agenda.items
            },
            reservation_value=45,
        )
        for p in range(3)
    ]
    return agenda, profiles, Instance(agenda, profiles)


def test_zopa_estimate_states_its_sample_and_covers_the_truth() -> None:
    agenda, profiles, inst = three_party_instance()
    truth = len(rational(inst, brute_units(inst))) / agenda.size
    zopa = analyse_negotiation(agenda, profiles, exact_pairs=0, samples=20_000, seed=3).zopa
    assert str(zopa.method) == "sampled (20,000 packages, seed 3)"
    assert zopa.rational_packages is None
    low, high = zopa.interval
    assert low <= truth <= high
    assert high - low < 0.03


def test_frontier_over_budget_is_sampled_and_says_so() -> None:
    agenda, profiles, inst = three_party_instance()
    analysis = analyse_negotiation(agenda, profiles, max_points=2, samples=4_000, seed=5)
    assert analysis.frontier.method.kind == "sampled"
    assert analysis.nash.method == analysis.frontier.method
    units = brute_units(inst)
    # Sampled points are real packages, none dominating another.
    found = [tuple(round(u * UNITS) for u in p.utilities) for p in analysis.frontier.points]
    for point in analysis.frontier.points:
        assert units[point.package.indices] == tuple(round(u * UNITS) for u in point.utilities)
    assert not any(dominates(a, b) for a in found for b in found)


def test_robustness_is_certain_when_the_ranges_are_points() -> None:
    agenda, profiles = opposed_and_shared()
    ranges = {"south": {"split": (50.0, 50.0), "joint": (50.0, 50.0)}}
    result = analyse_negotiation(agenda, profiles, weight_ranges=ranges, robustness_samples=20)
    assert result.robustness is not None
    assert str(result.robustness.method) == "sampled (20 weightings, seed 0)"
    for concept in result.robustness.concepts:
        assert (concept.stays_rational, concept.stays_efficient, concept.stays_fair) == (1, 1, 1)


def test_robustness_reports_how_often_a_fair_package_survives() -> None:
    agenda, profiles = opposed_and_shared()
    ranges = {"south": {"split": (10.0, 90.0), "joint": (10.0, 90.0)}}
    result = analyse_negotiation(agenda, profiles, weight_ranges=ranges, robustness_samples=100)
    assert result.robustness is not None
    nash = result.robustness.concepts[0]
    assert nash.concept == "nash"
    # ('mid', 'yes') stays efficient whatever south's weights (it is never dominated).
    assert nash.stays_efficient == 1.0
    assert 0 < nash.stays_fair <= 1.0


# --------------------------------------------------------------------------------------------
# The plan adapter
# --------------------------------------------------------------------------------------------


def test_profiles_from_plan_use_own_positions_or_the_viewers_estimates() -> None:
    plan = summitry.load_plan(EXAMPLE)
    agenda, own = profiles_from_plan(plan, ["russia", "united-states"])
    assert agenda.issue_ids[0] == "eastern-europe-security"
    assert [p.source for p in own] == [
        "positions.russia-position",
        "positions.united-states-position",
    ]
    _, viewed = profiles_from_plan(plan, ["russia", "united-states"], held_by="russia")
    assert [p.source for p in viewed] == [
        "positions.russia-position",
        "positions.russia-view-of-united-states",
    ]
    assert viewed[1].reservation_value == 50
    analysis = analyse_negotiation(agenda, own)
    assert analysis.zopa.exists
    assert analysis.nash.package is not None


def test_profiles_from_plan_name_the_missing_position() -> None:
    plan = summitry.load_plan(EXAMPLE)
    with pytest.raises(InputError, match=r"unknown party 'ukraine'"):
        profiles_from_plan(plan, ["russia", "united-states"], held_by="ukraine")


# --------------------------------------------------------------------------------------------
# Bad input: one line naming the place
# --------------------------------------------------------------------------------------------


def one_line(error: pytest.ExceptionInfo[InputError]) -> str:
    message = str(error.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("weights", "scores", "expected"),
    [
        ({"split": 50, "joint": 40}, None, "profile 'north': issue weights sum to 90"),
        ({"split": -10, "joint": 110}, None, "profile 'north': weight of 'split' is -10"),
        (None, {"split": {"low": 120}}, "profile 'north': score of 'split' option 'low' is 120"),
        (None, {"split": {"lo": 20}}, "profile 'north': issue 'split' has no option 'lo'"),
        ({"splt": 50, "joint": 50}, None, "profile 'north': unknown issue 'splt'"),
    ],
)
def test_invalid_profiles_raise_one_line_naming_the_place(
    weights: dict[str, float] | None, scores: dict[str, dict[str, float]] | None, expected: str
) -> None:
    agenda, profiles = opposed_and_shared()
    bad = AdditiveProfile(
        "north",
        weights if weights is not None else profiles[0].weights,
        scores if scores is not None else profiles[0].scores,
    )
    with pytest.raises(InputError) as error:
        analyse_negotiation(agenda, [bad, profiles[1]])
    assert expected in one_line(error)


def test_a_package_naming_an_unknown_option_is_rejected() -> None:
    agenda, profiles = opposed_and_shared()
    with pytest.raises(InputError) as error:
        analyse_negotiation(agenda, profiles, package={"split": "middle", "joint": "yes"})
    assert one_line(error) == "package: issue 'split' has no option 'middle' (did you mean 'mid'?)"


@pytest.mark.parametrize("count", [1, 7])
def test_party_count_outside_two_to_six_is_rejected(count: int) -> None:
    agenda, profiles = opposed_and_shared()
    many = [AdditiveProfile(f"p{k}", profiles[0].weights, profiles[0].scores) for k in range(count)]
    with pytest.raises(InputError, match="2 to 6"):
        analyse_negotiation(agenda, many)


def test_bad_weight_ranges_are_rejected() -> None:
    agenda, profiles = opposed_and_shared()
    with pytest.raises(InputError, match="cannot make its weights sum to 100"):
        analyse_negotiation(
            agenda, profiles, weight_ranges={"south": {"split": (0.0, 10.0), "joint": (0.0, 10.0)}}
        )
