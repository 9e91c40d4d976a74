"""Venue selection: hard-constraint screening, then multi-criteria ranking and its robustness.

Screening comes first: a venue that lacks a required facility (secure communication lines,
diplomatic facilities), is too small, or is vetoed by a delegation as not neutral is out, and
the reason is kept. The remaining venues are ranked per weight set (one per delegation and a
joint one) by

- **weighted sum** of min-max normalised scores (benefit: ``(x - min) / (max - min)``, cost:
  ``(max - x) / (max - min)``; a criterion on which all venues score alike counts 0);
- **TOPSIS** (closeness to the ideal venue) with the normalisation stated: ``"vector"`` divides
  each criterion by its Euclidean norm (Hwang and Yoon's textbook form, our default) and
  ``"minmax"`` uses the min-max form above (pymcdm's default). The two can put a different
  venue first on the same data, so every ranking names its normalisation;
- optionally **PROMETHEE II** net flows with the usual or the linear preference function.

Robustness: **SMAA-2** rank-acceptability indices (the share of plausible weightings, sampled
uniformly on the simplex or within weight intervals, in which each venue takes each rank),
central weights and confidence factors; a **rank-reversal** check that drops each venue in turn
and re-ranks; and, per criterion, the **smallest weight change that flips the winner** of the
weighted sum, found exactly by solving the linear condition (other weights scaled to keep the
total).

The package re-exports everything public from its private submodules, so import from
``summitry.analysis.venues`` only: `_types` (input and result values), `_input` (screening, the
decision matrix, weights), `_ranking`, `_robustness`, `_analyse` (everything at once) and `_plan`
(reading a plan's venues into the analysis).
"""

from summitry.analysis.venues._analyse import analyse_venues
from summitry.analysis.venues._input import (
    check_criteria,
    decision_matrix,
    normalise_weights,
    screen,
)
from summitry.analysis.venues._plan import venue_analysis, venue_options
from summitry.analysis.venues._ranking import (
    minmax_normalised,
    promethee_flows,
    promethee_ii,
    rank,
    topsis,
    topsis_closeness,
    weighted_sum,
)
from summitry.analysis.venues._robustness import (
    SMAA_SAMPLES,
    rank_reversals,
    reweighted,
    sample_weights,
    smaa2,
    weight_envelope,
    winner_flips,
)
from summitry.analysis.venues._types import (
    Acceptability,
    Criterion,
    DecisionMatrix,
    Direction,
    FloatArray,
    Method,
    Normalisation,
    PreferenceFunction,
    RankedVenue,
    Ranking,
    RankReversal,
    Requirements,
    ScreenedOut,
    Screening,
    SmaaResult,
    VenueAnalysis,
    VenueOption,
    WeightFlip,
    WeightSetResult,
)

__all__ = [
    "SMAA_SAMPLES",
    "Acceptability",
    "Criterion",
    "DecisionMatrix",
    "Direction",
    "FloatArray",
    "Method",
    "Normalisation",
    "PreferenceFunction",
    "RankReversal",
    "RankedVenue",
    "Ranking",
    "Requirements",
    "ScreenedOut",
    "Screening",
    "SmaaResult",
    "VenueAnalysis",
    "VenueOption",
    "WeightFlip",
    "WeightSetResult",
    "analyse_venues",
    "check_criteria",
    "decision_matrix",
    "minmax_normalised",
    "normalise_weights",
    "promethee_flows",
    "promethee_ii",
    "rank",
    "rank_reversals",
    "reweighted",
    "sample_weights",
    "screen",
    "smaa2",
    "topsis",
    "topsis_closeness",
    "venue_analysis",
    "venue_options",
    "weight_envelope",
    "weighted_sum",
    "winner_flips",
]
