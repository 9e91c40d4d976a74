"""Venue selection: screening, rankings checked by hand, SMAA-2, rank reversal, weight flips."""

from __future__ import annotations

import math

import numpy as np
import pytest

from summitry.analysis.venues import (
    Criterion,
    Requirements,
    VenueOption,
    analyse_venues,
    decision_matrix,
    normalise_weights,
    promethee_flows,
    promethee_ii,
    rank_reversals,
    reweighted,
    sample_weights,
    screen,
    smaa2,
    topsis,
    venue_options,
    weight_envelope,
    weighted_sum,
    winner_flips,
)
from summitry.errors import InputError

# The textbook example: three venues, security and access are benefits, cost is a cost.
# Columns were chosen so that the vector norms are whole: |(2,3,6)| = 7, |(4,1,8)| = 9,
# |(9,6,2)| = 11. Weights 0.5 / 0.3 / 0.2.
#
# Vector-normalised and weighted (v = w * x / norm):
#   A: 0.5*2/7 = 0.14286   0.3*4/9 = 0.13333   0.2*9/11 = 0.16364
#   B: 0.5*3/7 = 0.21429   0.3*1/9 = 0.03333   0.2*6/11 = 0.10909
#   C: 0.5*6/7 = 0.42857   0.3*8/9 = 0.26667   0.2*2/11 = 0.03636
# Ideal (max, min, max) = (0.42857, 0.03333, 0.16364); anti-ideal = (0.14286, 0.26667, 0.03636).
#   A: d+ = sqrt(0.28571^2 + 0.1^2)                   = 0.30271
#      d- = sqrt(0.13333^2 + 0.12727^2)               = 0.18433   closeness 0.37847
#   B: d+ = sqrt(0.21429^2 + 0.05455^2)               = 0.22112
#      d- = sqrt(0.07143^2 + 0.23333^2 + 0.07273^2)   = 0.25463   closeness 0.53522
#   C: d+ = sqrt(0.23333^2 + 0.12727^2)               = 0.26579
#      d- = 0.28571                                   = 0.28571   closeness 0.51807
# So B > C > A with vector normalisation.
#
# Min-max normalised (cost turned around): security (0, 0.25, 1), cost (4/7, 1, 0),
# access (1, 4/7, 0). Weighted: A (0, 0.17143, 0.2), B (0.125, 0.3, 0.11429), C (0.5, 0, 0);
# ideal (0.5, 0.3, 0.2), anti-ideal 0.
#   A: d+ = 0.51627, d- = 0.26342, closeness 0.33785
#   B: d+ = 0.38467, d- = 0.34451, closeness 0.47246
#   C: d+ = 0.36056, d- = 0.5,     closeness 0.58102
# So C > B > A: the normalisation alone changes the winner.
#
# Weighted sum of the min-max scores: A 0.17143 + 0.2 = 0.37143, B 0.125 + 0.3 + 0.11429 =
# 0.53929, C 0.5.
CRITERIA = [Criterion("security"), Criterion("cost", "cost"), Criterion("access")]
VENUES = [
    VenueOption("A", {"security": 2, "cost": 4, "access": 9}),
    VenueOption("B", {"security": 3, "cost": 1, "access": 6}),
    VenueOption("C", {"security": 6, "cost": 8, "access": 2}),
]
WEIGHTS = {"security": 0.5, "cost": 0.3, "access": 0.2}


@pytest.fixture
def matrix():  # type: ignore[no-untyped-def]
    return decision_matrix(VENUES, CRITERIA)


def scores(ranking) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return {v.venue: v.score for v in ranking.venues}


def test_textbook_topsis_with_vector_normalisation(matrix) -> None:  # type: ignore[no-untyped-def]
    ranking = topsis(matrix, WEIGHTS, normalisation="vector")
    assert ranking.order == ("B", "C", "A")
    assert ranking.normalisation == "vector"
    assert scores(ranking) == pytest.approx({"A": 0.37847, "B": 0.53522, "C": 0.51807}, abs=1e-5)


def test_minmax_normalisation_changes_the_topsis_winner(matrix) -> None:  # type: ignore[no-untyped-def]
    ranking = topsis(matrix, WEIGHTS, normalisation="minmax")
    assert ranking.order == ("C", "B", "A")
    assert scores(ranking) == pytest.approx({"A": 0.33785, "B": 0.47246, "C": 0.58102}, abs=1e-5)


def test_weighted_sum_by_hand(matrix) -> None:  # type: ignore[no-untyped-def]
    ranking = weighted_sum(matrix, {"security": 5, "cost": 3, "access": 2})
    assert ranking.order == ("B", "C", "A")
    assert scores(ranking) == pytest.approx({"A": 0.37143, "B": 0.53929, "C": 0.5}, abs=1e-5)
    assert [v.rank for v in ranking.venues] == [1, 2, 3]


def test_ties_share_the_better_rank() -> None:
    twins = [
        VenueOption("x", {"q": 1.0}),
        VenueOption("y", {"q": 1.0}),
        VenueOption("z", {"q": 0.0}),
    ]
    ranking = weighted_sum(decision_matrix(twins, [Criterion("q")]), {"q": 1})
    assert [v.rank for v in ranking.venues] == [1, 1, 3]


def test_agrees_with_pymcdm(matrix) -> None:  # type: ignore[no-untyped-def]
    import pymcdm
    from pymcdm import normalizations

    values = matrix.array
    w = np.array([0.5, 0.3, 0.2])
    types = np.array([1, -1, 1])
    vector = pymcdm.methods.TOPSIS(normalizations.vector_normalization)(values, w, types)
    minmax = pymcdm.methods.TOPSIS(normalizations.minmax_normalization)(values, w, types)
    assert [scores(topsis(matrix, WEIGHTS))[v] for v in "ABC"] == pytest.approx(vector)
    ours = topsis(matrix, WEIGHTS, normalisation="minmax")
    assert [scores(ours)[v] for v in "ABC"] == pytest.approx(minmax)
    usual = pymcdm.methods.PROMETHEE_II("usual")(values, w, types)
    assert promethee_flows(matrix, w, "usual") == pytest.approx(usual)
    spread = values.max(axis=0) - values.min(axis=0)
    linear = pymcdm.methods.PROMETHEE_II("vshape_2", p=spread, q=np.zeros(3))(values, w, types)
    assert promethee_flows(matrix, w, "linear") == pytest.approx(linear)


def test_promethee_usual_by_hand(matrix) -> None:  # type: ignore[no-untyped-def]
    # pi(B, A) = security 0.5 + cost 0.3 = 0.8; pi(A, B) = access 0.2; pi(C, A) = 0.5;
    # pi(A, C) = 0.5; pi(B, C) = 0.5; pi(C, B) = 0.5. Net flow of B = (0.8 + 0.5 - 0.2 - 0.5) / 2.
    ranking = promethee_ii(matrix, WEIGHTS)
    assert scores(ranking) == pytest.approx({"A": -0.3, "B": 0.3, "C": 0.0})
    custom = promethee_ii(matrix, WEIGHTS, preference="linear", thresholds={"cost": (1, 4)})
    assert custom.winner == "B"


# --- screening ----------------------------------------------------------------------------


def test_screening_keeps_every_reason() -> None:
    venues = [
        VenueOption("geneva", {}, 300, {"secure-communications": True, "diplomatic": True}),
        VenueOption("oslo", {}, 80, {"secure-communications": True, "diplomatic": True}),
        VenueOption("doha", {}, None, {"secure-communications": False}),
        VenueOption("vienna", {}, 500, {"secure-communications": True, "diplomatic": True}),
    ]
    result = screen(
        venues,
        Requirements(
            required=("secure-communications", "diplomatic"),
            min_capacity=120,
            vetoes={"north": ["vienna"], "south": []},
        ),
    )
    assert result.passed == ("geneva",)
    reasons = {s.venue: s.reasons for s in result.screened_out}
    assert reasons == {
        "oslo": ("capacity 80 below the 120 needed",),
        "doha": (
            "secure-communications: not met",
            "diplomatic: not recorded",
            "capacity unknown (at least 120 needed)",
        ),
        "vienna": ("not acceptable to north",),
    }


def test_a_veto_of_an_unknown_venue_is_refused() -> None:
    with pytest.raises(InputError, match="vetoes of 'north': no venue 'atlantis'"):
        screen(VENUES, Requirements(vetoes={"north": ["atlantis"]}))


# --- SMAA-2 ---------------------------------------------------------------------------------


def test_smaa_dominant_venue_is_first_in_every_weighting() -> None:
    venues = [
        VenueOption("best", {"a": 9, "b": 9, "c": 1}),
        VenueOption("mid", {"a": 5, "b": 8, "c": 3}),
        VenueOption("low", {"a": 1, "b": 2, "c": 9}),
    ]
    matrix = decision_matrix(venues, [Criterion("a"), Criterion("b"), Criterion("c", "cost")])
    result = smaa2(matrix, samples=5_000, seed=1)
    best = result.venues[0]
    assert best.venue == "best"
    assert best.first == 1.0
    assert best.confidence == 1.0
    assert best.central_weights is not None
    assert sum(best.central_weights.values()) == pytest.approx(1.0)
    # Uniform on the simplex, so the mean weighting is close to equal shares.
    assert all(abs(w - 1 / 3) < 0.02 for w in best.central_weights.values())
    assert result.sentence("best") == "best ranks first in 100 % of plausible weightings"
    for row in result.venues:
        assert sum(row.ranks) == pytest.approx(1.0)
    others = {r.venue: r for r in result.venues[1:]}
    assert others["mid"].central_weights is None
    assert others["mid"].confidence is None


@pytest.mark.parametrize("intervals", [None, {"x": (0.2, 0.8), "y": (0.2, 0.8)}])
def test_smaa_symmetric_venues_split_evenly(intervals) -> None:  # type: ignore[no-untyped-def]
    venues = [VenueOption("p", {"x": 1, "y": 0}), VenueOption("q", {"x": 0, "y": 1})]
    matrix = decision_matrix(venues, [Criterion("x"), Criterion("y")])
    samples = 20_000
    result = smaa2(matrix, samples=samples, seed=7, weight_intervals=intervals)
    error = math.sqrt(0.25 / samples)
    for row in result.venues:
        assert abs(row.first - 0.5) < 4 * error
    if intervals:
        assert "within the weight intervals" in result.weights


def test_weight_samples_respect_intervals_and_the_simplex() -> None:
    w = sample_weights(["a", "b", "c"], 4_000, intervals={"a": (0.5, 0.9), "b": (0.0, 0.2)})
    assert w.shape == (4_000, 3)
    assert np.allclose(w.sum(axis=1), 1.0)
    assert (w[:, 0] >= 0.5 - 1e-12).all()
    assert (w[:, 0] <= 0.9 + 1e-12).all()
    assert (w[:, 1] <= 0.2 + 1e-12).all()
    with pytest.raises(InputError, match=r"lower bounds sum to 1\.2"):
        sample_weights(["a", "b"], 10, intervals={"a": (0.6, 1), "b": (0.6, 1)})


def test_score_uncertainty_lowers_confidence_of_a_near_tie() -> None:
    venues = [VenueOption("p", {"x": 10.0}), VenueOption("q", {"x": 9.9})]
    matrix = decision_matrix(venues, [Criterion("x")])
    certain = smaa2(matrix, samples=2_000)
    assert certain.venues[0].confidence == 1.0
    shaky = smaa2(matrix, samples=2_000, score_uncertainty={"x": 1.0})
    assert 0.3 < shaky.venues[0].first < 0.7
    assert shaky.venues[0].confidence is not None
    assert 0.3 < shaky.venues[0].confidence < 0.8


# --- rank reversal and weight flips --------------------------------------------------------


def test_dropping_a_venue_can_reverse_two_others() -> None:
    # With weights x 0.4, y 0.6 and c present: x = (1, 0, 0.2), y = (0, 0.6, 1) after min-max,
    # so a = 0.4 > b = 0.36 (c = 0.68 first). Without c, y rescales to (0, 1): b = 0.6 > a = 0.4.
    venues = [
        VenueOption("a", {"x": 10, "y": 0}),
        VenueOption("b", {"x": 0, "y": 6}),
        VenueOption("c", {"x": 2, "y": 10}),
    ]
    matrix = decision_matrix(venues, [Criterion("x"), Criterion("y")])
    weights = {"x": 0.4, "y": 0.6}
    assert weighted_sum(matrix, weights).order == ("c", "a", "b")
    reversals = {r.dropped: r for r in rank_reversals(matrix, weights, "weighted-sum")}
    assert reversals["c"].swapped == (("a", "b"),)
    assert reversals["c"].winner_after == "b"
    assert not reversals["c"].winner_changed  # the winner itself was dropped
    assert reversals["a"].swapped == ()
    assert reversals["b"].swapped == ()


def test_weight_flip_for_security_by_hand(matrix) -> None:  # type: ignore[no-untyped-def]
    # Security share s, cost 0.6 (1 - s), access 0.4 (1 - s). U_B = 0.25 s + (29/35)(1 - s),
    # U_C = s, so C catches B at s = (29/35) / (0.75 + 29/35) = 0.524887; lowering security
    # only widens B's lead over C, and U_B - U_A = 0.25 s + (3/35)(1 - s) > 0 throughout.
    flips = {f.criterion: f for f in winner_flips(matrix, WEIGHTS)}
    security = flips["security"]
    assert security.share == pytest.approx(0.5)
    assert security.up_to == pytest.approx((29 / 35) / (0.75 + 29 / 35))
    assert security.up_rival == "C"
    assert security.down_to is None
    assert security.smallest_change == pytest.approx(security.up_to - 0.5)


def test_every_weight_flip_is_exact_to_epsilon(matrix) -> None:  # type: ignore[no-untyped-def]
    w = normalise_weights(matrix, WEIGHTS)
    names = [c.name for c in matrix.criteria]
    winner = weighted_sum(matrix, WEIGHTS).winner
    found = 0
    for c, flip in enumerate(winner_flips(matrix, WEIGHTS)):
        for target, rival, step in (
            (flip.up_to, flip.up_rival, 1),
            (flip.down_to, flip.down_rival, -1),
        ):
            if target is None:
                continue
            found += 1
            before = reweighted(w, c, target - step * 1e-7)
            after = reweighted(w, c, target + step * 1e-7)
            assert weighted_sum(matrix, dict(zip(names, before, strict=True))).winner == winner
            assert weighted_sum(matrix, dict(zip(names, after, strict=True))).winner == rival
    assert found == 4


@pytest.mark.parametrize("seed", range(5))
def test_weight_flips_on_random_data_are_exact(seed: int) -> None:
    rng = np.random.default_rng(seed)
    criteria = [Criterion(f"c{j}", "cost" if j % 2 else "benefit") for j in range(4)]
    venues = [
        VenueOption(f"v{i}", {c.name: float(rng.uniform(0, 10)) for c in criteria})
        for i in range(6)
    ]
    matrix = decision_matrix(venues, criteria)
    weights = {c.name: float(rng.uniform(0.1, 1)) for c in criteria}
    w = normalise_weights(matrix, weights)
    winner = weighted_sum(matrix, weights).winner
    for c, flip in enumerate(winner_flips(matrix, weights)):
        for target, rival, step in (
            (flip.up_to, flip.up_rival, 1),
            (flip.down_to, flip.down_rival, -1),
        ):
            if target is None:
                # No share on that side hands first place to anyone: check the end point.
                end = reweighted(w, c, 1.0 if step > 0 else 0.0)
                shifted = dict(zip(weights, end, strict=True))
                if sum(end) > 0:
                    assert weighted_sum(matrix, shifted).winner == winner
                continue
            before = dict(zip(weights, reweighted(w, c, target - step * 1e-7), strict=True))
            after = dict(zip(weights, reweighted(w, c, target + step * 1e-7), strict=True))
            assert weighted_sum(matrix, before).winner == winner
            assert weighted_sum(matrix, after).winner == rival


# --- the whole analysis ---------------------------------------------------------------------


def test_analysis_screens_then_ranks_per_weight_set() -> None:
    venues = [
        *VENUES,
        VenueOption("D", {"security": 9, "cost": 1, "access": 9}, 10, {"secure": True}),
    ]
    venues = [
        VenueOption(v.name, v.scores, 200, {"secure": True}) if v.name != "D" else v for v in venues
    ]
    result = analyse_venues(
        venues,
        CRITERIA,
        Requirements(required=("secure",), min_capacity=50),
        {"joint": WEIGHTS, "north": {"security": 8, "cost": 1, "access": 1}},
        promethee="usual",
        samples=2_000,
    )
    assert [s.venue for s in result.screening.screened_out] == ["D"]
    joint, north = result.weight_sets
    assert joint.topsis.winner == "B"
    assert joint.weighted_sum.winner == "B"
    assert joint.promethee is not None
    assert joint.promethee.winner == "B"
    assert north.topsis.winner == "C"
    assert north.weights["security"] == pytest.approx(0.8)
    assert len(joint.reversals) == 3
    assert [f.criterion for f in joint.flips] == ["security", "cost", "access"]
    assert result.smaa is not None
    assert {r.venue for r in result.smaa.venues} == {"A", "B", "C"}
    envelope = weight_envelope(
        result.matrix, {"joint": WEIGHTS, "north": {"security": 8, "cost": 1, "access": 1}}
    )
    assert envelope["security"] == pytest.approx((0.5, 0.8))


def test_nothing_left_after_screening_gives_empty_results() -> None:
    result = analyse_venues(VENUES, CRITERIA, Requirements(min_capacity=10), {"joint": WEIGHTS})
    assert result.screening.passed == ()
    assert result.weight_sets == ()
    assert result.smaa is None


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"security": 0.5, "cost": -0.3, "access": 0.2}, "weight of 'cost' is -0.3"),
        ({"security": 0.5, "cost": 0.3}, "no weight for criterion 'access'"),
        ({"security": 1, "cost": 1, "access": 1, "views": 1}, "'views' is not a criterion"),
        ({"security": 0, "cost": 0, "access": 0}, "all weights are zero"),
        ({"security": float("nan"), "cost": 0, "access": 0}, "weight of 'security' is nan"),
    ],
)
def test_bad_weights_are_one_line(matrix, weights, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        topsis(matrix, weights, weight_set="north")
    assert str(caught.value).startswith("weights 'north': ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_venue_missing_a_score_is_one_line() -> None:
    venues = [*VENUES, VenueOption("D", {"security": 1, "access": 2})]
    with pytest.raises(InputError) as caught:
        decision_matrix(venues, CRITERIA)
    assert str(caught.value) == "venue 'D': no score for criterion 'cost'"


@pytest.mark.parametrize(
    ("venues", "criteria", "message"),
    [
        ([*VENUES, VENUES[0]], CRITERIA, "venue 'A' is listed twice"),
        (VENUES, [*CRITERIA, Criterion("cost", "cost")], "criterion 'cost' is listed twice"),
        (VENUES, [Criterion("security", "more")], "direction must be 'benefit' or 'cost'"),  # type: ignore[arg-type]
        ([VenueOption("A", {"security": float("inf")})], [Criterion("security")], "not a finite"),
        ([], CRITERIA, "at least one venue"),
        (VENUES, [], "at least one criterion"),
    ],
)
def test_bad_matrices_are_refused(venues, criteria, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match=message):
        decision_matrix(venues, criteria)


def test_plan_venues_become_analysis_input_and_screened_out_ones_need_no_scores() -> None:
    from summitry.domain.venues import Venue

    plan_venues = [
        Venue(id="geneva", name="Geneva", capacity=300, scores={"security": 8, "cost": 5}),
        Venue(id="basel", name="Basel", capacity=300, scores={"security": 6, "cost": 2}),
        Venue(id="tiny-hall", name="Tiny hall", capacity=20),
    ]
    options = venue_options(plan_venues)
    assert [o.name for o in options] == ["geneva", "basel", "tiny-hall"]
    result = analyse_venues(
        options,
        [Criterion("security"), Criterion("cost", "cost")],
        Requirements(min_capacity=100),
        {"joint": {"security": 1, "cost": 1}},
        samples=500,
    )
    assert result.screening.passed == ("geneva", "basel")
    assert result.matrix.venues == ("geneva", "basel")
