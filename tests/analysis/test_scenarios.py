"""CIB scenario analysis: a hand-worked model, brute force on random matrices, succession."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from summitry.analysis.scenarios import (
    CrossImpactModel,
    compare_ensemble,
    consistent_scenarios,
    diagnose,
    evaluate,
    find_scenarios,
    impact_balances,
    sample_scenarios,
    succession,
)
from summitry.errors import InputError

# The hand-worked model. Rows exert, columns receive; order: ceasefire (holds, fails),
# sanctions (relieved, kept), mediation (active, absent).
#
#                       ceasefire      sanctions      mediation
#                       holds fails   relieved kept   active absent
#   ceasefire holds       .     .        +2    -2       +1    -1
#   ceasefire fails       .     .        -2    +2       +2    -2
#   sanctions relieved   +1    -1         .     .       -1    +1
#   sanctions kept       -2    +2         .     .       +1    -1
#   mediation active     +2    -2        +1    -1        .     .
#   mediation absent     -1    +1        -1    +1        .     .
#
# Balances of each descriptor's variants are the column sums over the chosen rows; the chosen
# variant is marked *; inconsistency = max over descriptors of (best - chosen).
#
#   scenario (c, s, m)          ceasefire     sanctions     mediation     incons.  TIS
#   holds relieved active       *3  -3        *3  -3        *0   0          0       6
#   holds relieved absent       *0   0        *1  -1         0  *0          0       1
#   holds kept active           *0   0         3 *-3        *2  -2          6      -1
#   holds kept absent          *-3   3         1 *-1         2 *-2          6      -6
#   fails relieved active        3 *-3       *-1   1        *1  -1          6      -3
#   fails relieved absent        0  *0       *-3   3         1 *-1          6      -4
#   fails kept active            0  *0        -1  *1        *3  -3          0       4
#   fails kept absent           -3  *3        -3  *3         3 *-3          6       3
#
# So three scenarios are consistent, ranked by total impact score (TIS): holds-relieved-active
# (6), fails-kept-active (4), holds-relieved-absent (1); every other one has inconsistency 6.
HAND_DESCRIPTORS = {
    "ceasefire": ["holds", "fails"],
    "sanctions": ["relieved", "kept"],
    "mediation": ["active", "absent"],
}
HAND_MATRIX = [
    [0, 0, 2, -2, 1, -1],
    [0, 0, -2, 2, 2, -2],
    [1, -1, 0, 0, -1, 1],
    [-2, 2, 0, 0, 1, -1],
    [2, -2, 1, -1, 0, 0],
    [-1, 1, -1, 1, 0, 0],
]


@pytest.fixture
def hand() -> CrossImpactModel:
    return CrossImpactModel.build(HAND_DESCRIPTORS, HAND_MATRIX)


def names_of(result: object) -> list[tuple[str, ...]]:
    return [s.variants for s in result.scenarios]  # type: ignore[attr-defined]


# --- brute force, written independently of the engine ----------------------------------------


def brute_force(
    matrix: np.ndarray,
    counts: list[int],
    *,
    fixed: dict[int, int] | None = None,
    exempt: bool = True,
) -> dict[tuple[int, ...], tuple[int, int]]:
    """Every scenario -> (inconsistency, total impact score), by direct definition."""
    starts = [sum(counts[:j]) for j in range(len(counts))]
    fixed = fixed or {}
    out = {}
    for choice in itertools.product(*(range(c) for c in counts)):
        if any(choice[j] != v for j, v in fixed.items()):
            continue
        worst = 0
        score = 0
        for j, width in enumerate(counts):
            balance = [
                sum(int(matrix[starts[i] + choice[i], starts[j] + m]) for i in range(len(counts)))
                for m in range(width)
            ]
            score += balance[choice[j]]
            if exempt and j in fixed:
                continue
            worst = max(worst, max(balance) - balance[choice[j]])
        out[choice] = (worst, score)
    return out


@st.composite
def models(draw: st.DrawFn, max_descriptors: int = 5, max_variants: int = 4) -> CrossImpactModel:
    counts = draw(st.lists(st.integers(2, max_variants), min_size=1, max_size=max_descriptors))
    size = sum(counts)
    cells = draw(st.lists(st.integers(-3, 3), min_size=size * size, max_size=size * size))
    matrix = np.array(cells).reshape(size, size)
    first = 0
    for width in counts:
        matrix[first : first + width, first : first + width] = 0
        first += width
    descriptors = [(f"d{j}", [f"v{m}" for m in range(w)]) for j, w in enumerate(counts)]
    return CrossImpactModel.build(descriptors, matrix)


def counts_of(model: CrossImpactModel) -> list[int]:
    return [len(d.variants) for d in model.descriptors]


# --- the hand-worked example ------------------------------------------------------------------


def test_hand_example_consistent_scenarios_ranked_by_total_impact_score(
    hand: CrossImpactModel,
) -> None:
    result = consistent_scenarios(hand)
    assert names_of(result) == [
        ("holds", "relieved", "active"),
        ("fails", "kept", "active"),
        ("holds", "relieved", "absent"),
    ]
    assert [s.total_impact_score for s in result.scenarios] == [6, 4, 1]
    assert all(s.consistent for s in result.scenarios)
    assert result.exact
    assert result.space_size == 8
    assert result.coverage.startswith("exact")


def test_hand_example_near_consistency_levels(hand: CrossImpactModel) -> None:
    assert len(consistent_scenarios(hand, max_inconsistency=5).scenarios) == 3
    everything = consistent_scenarios(hand, max_inconsistency=6)
    assert len(everything.scenarios) == 8
    assert len(everything.consistent) == 3
    worst = everything.scenarios[-1]
    assert worst.variants == ("holds", "kept", "absent")
    assert (worst.inconsistency, worst.total_impact_score) == (6, -6)


def test_hand_example_fixed_descriptor_as_a_policy_lever(hand: CrossImpactModel) -> None:
    # Forcing mediation to "absent" from outside: ceasefire and sanctions must be consistent,
    # mediation itself need not be. From the table: holds-relieved-absent and
    # fails-kept-absent (whose mediation inconsistency of 6 is exempt).
    lever = consistent_scenarios(hand, fixed={"mediation": "absent"})
    assert names_of(lever) == [("fails", "kept", "absent"), ("holds", "relieved", "absent")]
    assert lever.fixed == (("mediation", "absent"),)
    assert lever.searched_size == 4
    strict = consistent_scenarios(hand, fixed={"mediation": "absent"}, exempt_fixed=False)
    assert names_of(strict) == [("holds", "relieved", "absent")]


def test_hand_example_evaluate_and_balances(hand: CrossImpactModel) -> None:
    scenario = evaluate(
        hand, {"ceasefire": "fails", "sanctions": "relieved", "mediation": "active"}
    )
    assert (scenario.inconsistency, scenario.total_impact_score) == (6, -3)
    assert impact_balances(hand, scenario) == {
        "ceasefire": {"holds": 3, "fails": -3},
        "sanctions": {"relieved": -1, "kept": 1},
        "mediation": {"active": 1, "absent": -1},
    }
    exempt = evaluate(
        hand,
        {"ceasefire": "fails", "sanctions": "kept", "mediation": "absent"},
        fixed=["mediation"],
    )
    assert exempt.consistent


def test_hand_example_succession_fixed_points_are_the_consistent_scenarios(
    hand: CrossImpactModel,
) -> None:
    consistent = {s.indices for s in consistent_scenarios(hand).scenarios}
    for mode in ("global", "adiabatic"):
        result = succession(hand, mode=mode)  # type: ignore[arg-type]
        assert result.exhaustive
        assert result.starts == 8
        assert {s.indices for s in result.fixed_points} == consistent
        assert sum(a.basin for a in result.attractors) + result.unsettled == 8


def test_hand_example_diagnostics(hand: CrossImpactModel) -> None:
    report = diagnose(hand)
    assert report.consistent_count == 3
    assert report.unused_variants == ()
    assert report.unbalanced_sections == ()
    by_label = {(v.descriptor, v.variant): v for v in report.variants}
    # Row "ceasefire fails": -2 +2 +2 -2 sums to 0 with activity 8; column "ceasefire holds"
    # receives +1 -2 +2 -1 = 0 with passivity 6; "mediation active" is in two consistent ones.
    assert by_label[("ceasefire", "fails")].row_sum == 0
    assert by_label[("ceasefire", "fails")].activity == 8
    assert by_label[("ceasefire", "holds")].passivity == 6
    assert by_label[("mediation", "active")].consistent_scenarios == 2


def test_diagnostics_find_unused_variants_and_unbalanced_sections() -> None:
    # "b2" is hindered by every variant of A and "a2" by every variant of B: only (a1, b1) is
    # consistent, and the a1 -> B group sums to -2.
    model = CrossImpactModel.build(
        {"A": ["a1", "a2"], "B": ["b1", "b2"]},
        [[0, 0, 1, -3], [0, 0, 1, -1], [2, -2, 0, 0], [1, -1, 0, 0]],
    )
    report = diagnose(model)
    assert report.unused_variants == (("A", "a2"), ("B", "b2"))
    assert [
        (s.source_variant, s.target_descriptor, s.total) for s in report.unbalanced_sections
    ] == [("a1", "B", -2)]


# --- cycles --------------------------------------------------------------------------------


def test_succession_reports_a_cycle_when_there_is_no_consistent_scenario() -> None:
    # a1 favours b1, b1 favours a2, a2 favours b2, b2 favours a1: a chase with no rest.
    model = CrossImpactModel.build(
        {"A": ["a1", "a2"], "B": ["b1", "b2"]},
        [[0, 0, 1, -1], [0, 0, -1, 1], [-1, 1, 0, 0], [1, -1, 0, 0]],
    )
    assert consistent_scenarios(model).scenarios == ()
    for mode in ("global", "adiabatic"):
        result = succession(model, mode=mode)  # type: ignore[arg-type]
        assert result.fixed_points == ()
        (cycle,) = result.cycles
        assert cycle.basin == 4
        assert [s.variants for s in cycle.states] == [
            ("a1", "b1"),
            ("a2", "b1"),
            ("a2", "b2"),
            ("a1", "b2"),
        ]


def test_global_succession_can_cycle_where_adiabatic_settles() -> None:
    # Mutual reinforcement a1<->b1 and a2<->b2: from (a1, b2) both flip at once under global
    # succession and keep swapping; adiabatic moves one descriptor and settles.
    model = CrossImpactModel.build(
        {"A": ["a1", "a2"], "B": ["b1", "b2"]},
        [[0, 0, 2, -2], [0, 0, -2, 2], [2, -2, 0, 0], [-2, 2, 0, 0]],
    )
    glob = succession(model, mode="global")
    assert {s.variants for s in glob.fixed_points} == {("a1", "b1"), ("a2", "b2")}
    (cycle,) = glob.cycles
    assert {s.variants for s in cycle.states} == {("a1", "b2"), ("a2", "b1")}
    adiabatic = succession(model, mode="adiabatic")
    assert adiabatic.cycles == ()
    assert sum(a.basin for a in adiabatic.attractors) == 4


# --- properties against brute force ------------------------------------------------------


@given(models(), st.integers(0, 4))
def test_search_equals_full_enumeration(model: CrossImpactModel, k: int) -> None:
    expected = {
        choice: values
        for choice, values in brute_force(model.array, counts_of(model)).items()
        if values[0] <= k
    }
    result = consistent_scenarios(model, max_inconsistency=k)
    found = {s.indices: (s.inconsistency, s.total_impact_score) for s in result.scenarios}
    assert found == expected
    keys = [(s.inconsistency, -s.total_impact_score) for s in result.scenarios]
    assert keys == sorted(keys)


@given(models(), st.data(), st.booleans(), st.integers(0, 2))
def test_fixed_descriptors_equal_filtered_enumeration(
    model: CrossImpactModel, data: st.DataObject, exempt: bool, k: int
) -> None:
    counts = counts_of(model)
    chosen = data.draw(st.sets(st.integers(0, len(counts) - 1), max_size=len(counts)))
    fixed = {j: data.draw(st.integers(0, counts[j] - 1)) for j in chosen}
    by_name = {
        model.descriptors[j].name: model.descriptors[j].variants[v] for j, v in fixed.items()
    }
    expected = {
        choice
        for choice, (worst, _) in brute_force(
            model.array, counts, fixed=fixed, exempt=exempt
        ).items()
        if worst <= k
    }
    result = consistent_scenarios(model, max_inconsistency=k, fixed=by_name, exempt_fixed=exempt)
    assert {s.indices for s in result.scenarios} == expected


@given(models(max_descriptors=4))
def test_succession_fixed_points_equal_consistent_scenarios(model: CrossImpactModel) -> None:
    consistent = {s.indices for s in consistent_scenarios(model).scenarios}
    for mode in ("global", "adiabatic"):
        result = succession(model, mode=mode)  # type: ignore[arg-type]
        assert {s.indices for s in result.fixed_points} == consistent
        assert result.unsettled == 0
        assert sum(a.basin for a in result.attractors) == model.space_size


@given(st.lists(models(max_descriptors=3, max_variants=3), min_size=1, max_size=3), st.data())
def test_ensemble_support_matches_each_expert(
    drawn: list[CrossImpactModel], data: st.DataObject
) -> None:
    structure = drawn[0]
    size = structure.variant_count
    experts = [structure]
    for _ in drawn[1:]:
        cells = data.draw(st.lists(st.integers(-3, 3), min_size=size * size, max_size=size * size))
        matrix = np.array(cells).reshape(size, size) * (structure.array != 0)
        experts.append(
            CrossImpactModel.build([(d.name, d.variants) for d in structure.descriptors], matrix)
        )
    comparison = compare_ensemble(experts, experts=[f"e{i}" for i in range(len(experts))])
    per_expert = [
        {c for c, (w, _) in brute_force(e.array, counts_of(e)).items() if w == 0} for e in experts
    ]
    union = set().union(*per_expert)
    assert {row.indices for row in comparison.scenarios} == union
    for row in comparison.scenarios:
        assert row.support == sum(row.indices in s for s in per_expert)
        assert row.experts == tuple(f"e{i}" for i, s in enumerate(per_expert) if row.indices in s)
    assert {row.indices for row in comparison.consensus} == set.intersection(*per_expert)
    summed = sum(e.array for e in experts)
    assert {s.indices for s in comparison.summed.scenarios} == {
        c for c, (w, _) in brute_force(summed, counts_of(structure)).items() if w == 0
    }


def test_threaded_search_on_a_larger_space_equals_vectorised_enumeration() -> None:
    rng = np.random.default_rng(11)
    n = 11
    matrix = rng.integers(-3, 4, size=(3 * n, 3 * n))
    for i in range(n):
        matrix[3 * i : 3 * i + 3, 3 * i : 3 * i + 3] = 0
    model = CrossImpactModel.build([(f"d{i}", ["x", "y", "z"]) for i in range(n)], matrix)
    codes = np.arange(3**n)
    choice = (codes[:, None] // 3 ** np.arange(n - 1, -1, -1)) % 3
    balance = np.zeros((len(codes), 3 * n), dtype=np.int64)
    for i in range(n):
        balance += matrix[3 * i + choice[:, i]]
    grouped = balance.reshape(len(codes), n, 3)
    chosen = np.take_along_axis(grouped, choice[:, :, None], axis=2)[:, :, 0]
    worst = (grouped.max(axis=2) - chosen).max(axis=1)
    for k in (0, 2):
        expected = {tuple(int(v) for v in row) for row in choice[worst <= k]}
        threaded = consistent_scenarios(model, max_inconsistency=k, workers=2)
        single = consistent_scenarios(model, max_inconsistency=k, workers=1)
        assert {s.indices for s in threaded.scenarios} == expected
        assert threaded.scenarios == single.scenarios
        assert threaded.nodes < 3**n


# --- approximate modes --------------------------------------------------------------------


def test_sampling_finds_only_consistent_scenarios_and_says_it_is_approximate(
    hand: CrossImpactModel,
) -> None:
    sampled = sample_scenarios(hand, starts=200, seed=3)
    assert not sampled.exact
    assert "approximate" in sampled.coverage
    assert "200 random starts" in sampled.coverage
    assert {s.indices for s in sampled.scenarios} == {
        s.indices for s in consistent_scenarios(hand).scenarios
    }


def test_find_scenarios_falls_back_to_sampling_past_its_node_budget() -> None:
    rng = np.random.default_rng(5)
    n = 16
    matrix = rng.integers(-3, 4, size=(3 * n, 3 * n))
    for i in range(n):
        matrix[3 * i : 3 * i + 3, 3 * i : 3 * i + 3] = 0
    model = CrossImpactModel.build([(f"d{i}", ["x", "y", "z"]) for i in range(n)], matrix)
    exact = find_scenarios(model)
    assert exact.exact
    cut = find_scenarios(model, node_budget=1, starts=5_000)
    assert not cut.exact
    assert cut.coverage.startswith("exact search stopped")
    assert {s.indices for s in cut.scenarios} <= {s.indices for s in exact.scenarios}
    assert all(s.consistent for s in cut.scenarios)


def test_random_start_succession_states_its_coverage(hand: CrossImpactModel) -> None:
    result = succession(hand, starts=50, seed=1)
    assert not result.exhaustive
    assert result.starts == 50
    assert "50 random starts" in result.coverage


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("descriptors", "matrix", "message"),
    [
        (
            {"A": ["a1", "a2"], "B": ["b1", "b2"]},
            [[0, 0, 4, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
            "impact of 'A=a1' on 'B=b1' is 4",
        ),
        (
            {"A": ["a1", "a2"], "B": ["b1", "b2"]},
            [[0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
            "a descriptor does not judge itself",
        ),
        (
            {"A": ["a1"], "B": ["b1", "b2"]},
            [[0, 0, 0], [0, 0, 0], [0, 0, 0]],
            "descriptor 'A' has 1 variant; it needs 2 to 6",
        ),
        (
            {"A": [f"a{i}" for i in range(7)], "B": ["b1", "b2"]},
            np.zeros((9, 9), dtype=int),
            "descriptor 'A' has 7 variants",
        ),
        (
            {"A": ["a1", "a2"], "B": ["b1", "b2"]},
            [[0, 0, 0], [0, 0, 0], [0, 0, 0]],
            "the matrix must be 4 x 4",
        ),
        (
            {"A": ["a1", "a1"], "B": ["b1", "b2"]},
            np.zeros((4, 4), dtype=int),
            "repeats a variant name",
        ),
    ],
)
def test_bad_models_are_refused_in_one_line(
    descriptors: dict[str, list[str]], matrix: object, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        CrossImpactModel.build(descriptors, matrix)  # type: ignore[arg-type]
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_unknown_fixed_descriptor_or_variant_is_refused(hand: CrossImpactModel) -> None:
    with pytest.raises(InputError, match="no descriptor 'tariffs'"):
        consistent_scenarios(hand, fixed={"tariffs": "high"})
    with pytest.raises(InputError, match="'sanctions' has no variant 'doubled'"):
        consistent_scenarios(hand, fixed={"sanctions": "doubled"})


def test_too_many_results_ask_for_a_tighter_question(hand: CrossImpactModel) -> None:
    with pytest.raises(InputError, match="more than 5 scenarios"):
        consistent_scenarios(hand, max_inconsistency=6, limit=5)
    with pytest.raises(InputError, match="0 or more"):
        consistent_scenarios(hand, max_inconsistency=-1)


def test_non_integer_or_ragged_impacts_are_refused() -> None:
    with pytest.raises(InputError, match=r"impact 1\.5 is not a whole number"):
        CrossImpactModel.build({"A": ["a1", "a2"], "B": ["b1", "b2"]}, [[0, 0, 1.5, 0]] * 4)
    with pytest.raises(InputError, match="the matrix must be 4 x 4"):
        CrossImpactModel.build(
            {"A": ["a1", "a2"], "B": ["b1", "b2"]}, [[0, 0, 1, 0], [0, 0], [0] * 4, [0] * 4]
        )


def test_compiled_kernels_agree_with_their_python_source(
    hand: CrossImpactModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The kernels run compiled everywhere else; running their Python source once checks that
    # compilation did not change what they compute (and lets coverage see them).
    from summitry.analysis.scenarios import _kernels

    rng = np.random.default_rng(3)
    matrix = rng.integers(-3, 4, size=(9, 9))
    for i in range(3):
        matrix[3 * i : 3 * i + 3, 3 * i : 3 * i + 3] = 0
    small = CrossImpactModel.build([(f"d{i}", ["x", "y", "z"]) for i in range(3)], matrix)
    cycling = CrossImpactModel.build(
        {"A": ["a1", "a2"], "B": ["b1", "b2"]},
        [[0, 0, 2, -2], [0, 0, -2, 2], [2, -2, 0, 0], [-2, 2, 0, 0]],
    )

    def run() -> list[object]:
        return [
            consistent_scenarios(hand, max_inconsistency=6),
            consistent_scenarios(hand, fixed={"mediation": "absent"}, exempt_fixed=False),
            consistent_scenarios(small, max_inconsistency=2),
            succession(small, mode="global"),
            succession(cycling, mode="global"),
            succession(cycling, mode="adiabatic"),
            sample_scenarios(small, starts=30),
        ]

    compiled = run()
    for name in (
        "_feasible",
        "_search",
        "_score",
        "_step",
        "_balance_of",
        "_remember",
        "_succession",
    ):
        monkeypatch.setattr(_kernels, name, getattr(_kernels, name).py_func)
    assert run() == compiled


def test_structure_mistakes_and_small_helpers(hand: CrossImpactModel) -> None:
    two = {"A": ["a1", "a2"]}
    for descriptors, message in [
        ({}, "there are no descriptors"),
        ({" ": ["a1", "a2"]}, "a descriptor has an empty name"),
        ({"A": ["a1", " "]}, "has an empty variant name"),
    ]:
        size = sum(len(v) for v in descriptors.values())
        with pytest.raises(InputError, match=message):
            CrossImpactModel.build(descriptors, np.zeros((size, size), dtype=int))
    with pytest.raises(InputError, match="descriptor 'A' appears twice"):
        CrossImpactModel.build([("A", ["a1", "a2"]), ("A", ["b1", "b2"])], np.zeros((4, 4)))
    assert CrossImpactModel.build(two, np.zeros((2, 2))).space_size == 2
    best = consistent_scenarios(hand).scenarios[0]
    assert best.as_dict() == {"ceasefire": "holds", "sanctions": "relieved", "mediation": "active"}
    with pytest.raises(InputError, match="gives no variant for 'mediation'"):
        evaluate(hand, {"ceasefire": "holds", "sanctions": "kept"})
    with pytest.raises(InputError, match="'global' or 'adiabatic'"):
        succession(hand, mode="sideways")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="at least one start"):
        sample_scenarios(hand, starts=0)


def test_ensemble_input_mistakes_and_names(hand: CrossImpactModel) -> None:
    with pytest.raises(InputError, match="at least one matrix"):
        compare_ensemble([])
    with pytest.raises(InputError, match="2 matrices but 1 expert names"):
        compare_ensemble([hand, hand], experts=["alice"])
    other = CrossImpactModel.build({"x": ["1", "2"], "y": ["1", "2"]}, np.zeros((4, 4)))
    with pytest.raises(InputError, match="an ensemble needs the same structure"):
        compare_ensemble([hand, other])
    # Unnamed experts whose sources coincide are numbered.
    comparison = compare_ensemble([hand, hand])
    assert comparison.experts == ("expert 1", "expert 2")
    assert comparison.consensus[0].as_dict()["ceasefire"] == "holds"


# --- time limits: progress, stopping and partial results ------------------------------------


def _dense(n: int, variants: int, seed: int) -> CrossImpactModel:
    rng = np.random.default_rng(seed)
    size = variants * n
    matrix = rng.integers(-3, 4, size=(size, size))
    for i in range(n):
        matrix[variants * i : variants * (i + 1), variants * i : variants * (i + 1)] = 0
    names = [f"v{k}" for k in range(variants)]
    return CrossImpactModel.build([(f"d{i}", names) for i in range(n)], matrix)


def _rank(indices: tuple[int, ...], variants: int) -> int:
    """Position of a scenario in the search's (lexicographic) order."""
    position = 0
    for v in indices:
        position = position * variants + v
    return position


def test_a_search_stopped_midway_lists_exactly_the_scenarios_of_the_part_it_searched() -> None:
    # 22 dense descriptors of 3 variants take tens of millions of nodes: seconds, far longer
    # than the first look of the watcher, which stops the search once it has seen progress.
    model = _dense(22, 3, seed=6)
    seen: list[tuple[int, int]] = []
    partial = consistent_scenarios(
        model,
        workers=1,
        progress=lambda done, total: seen.append((done, total)),
        should_stop=lambda: any(done > 0 for done, _ in seen),
    )
    assert not partial.complete
    assert not partial.exact
    assert 0 < partial.searched < partial.searched_size == 3**22
    assert partial.coverage.startswith("partial: stopped at the time limit after")
    assert f"{partial.searched:,} of {3**22:,} scenarios" in partial.coverage
    assert seen[-1] == (partial.searched, 3**22)
    # With one worker the search settles a prefix of the lexicographic order: what it lists is
    # every consistent scenario there, and nothing else.
    full = consistent_scenarios(model)
    expected = {s.indices for s in full.scenarios if _rank(s.indices, 3) < partial.searched}
    assert {s.indices for s in partial.scenarios} == expected


def test_threaded_stopped_search_lists_only_true_scenarios_and_counts_what_it_settled() -> None:
    model = _dense(22, 3, seed=6)
    seen: list[int] = []
    partial = consistent_scenarios(
        model,
        workers=2,
        progress=lambda done, _: seen.append(done),
        should_stop=lambda: any(seen),
    )
    assert not partial.complete
    assert 0 < partial.searched < partial.searched_size
    truth = {s.indices for s in consistent_scenarios(model).scenarios}
    assert {s.indices for s in partial.scenarios} <= truth


def test_a_stop_asked_before_the_start_searches_nothing_and_says_so() -> None:
    model = _dense(12, 3, seed=1)
    stopped = find_scenarios(model, should_stop=lambda: True)
    assert (stopped.complete, stopped.exact, stopped.searched, stopped.scenarios) == (
        False,
        False,
        0,
        (),
    )
    assert "after 0 of 531,441 scenarios" in stopped.coverage


def test_without_a_stop_a_watched_search_is_the_same_search() -> None:
    model = _dense(14, 3, seed=2)
    ticks: list[tuple[int, int]] = []
    watched = consistent_scenarios(model, progress=lambda d, t: ticks.append((d, t)))
    plain = consistent_scenarios(model)
    assert watched == plain
    assert plain.complete
    assert plain.searched == plain.searched_size
    assert ticks[-1] == (3**14, 3**14)


def test_succession_and_sampling_stopped_say_how_many_starts_ran() -> None:
    model = _dense(14, 3, seed=2)
    calls = iter(range(10**6))
    # Let the watcher look once, then stop: the chunks already running finish, the rest do not.
    ended = succession(model, starts=20_000, should_stop=lambda: next(calls) >= 1)
    assert not ended.complete
    assert not ended.exhaustive
    assert ended.starts < 20_000
    assert "partial: stopped at the time limit" in ended.coverage
    sampled = sample_scenarios(model, starts=20_000, should_stop=lambda: True)
    assert (sampled.complete, sampled.searched, sampled.scenarios) == (False, 0, ())
    assert "stopped at the time limit" in sampled.coverage
    whole = succession(model, starts=2_000, progress=lambda d, t: None)
    assert whole.complete
    assert whole.starts == 2_000
    assert whole == succession(model, starts=2_000)


def test_an_ensemble_stopped_by_its_time_limit_says_it_is_partial(
    hand: CrossImpactModel,
) -> None:
    model = _dense(12, 3, seed=1)
    compared = compare_ensemble([model, model], should_stop=lambda: True)
    assert not compared.complete
    assert compared.searched == (0, 0)
    assert compared.searched_size == 3**12
    assert not compared.summed.complete
    assert compare_ensemble([hand, hand]).complete
