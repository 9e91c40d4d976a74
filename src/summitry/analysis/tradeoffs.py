"""Logrolling hints and an agenda-sequencing suggestion, read from the parties' scores.

Both look at issues one at a time or in pairs, from each party's additive scores (linked-issue
terms are left out: they describe packages, not the shape of single issues).

**Compromise on an issue** (between some parties): the option whose worst normalised score
among them is highest, each party's scores on the issue rescaled so that its worst option is
0 and its best 1 (a party indifferent on the issue counts every option as 1). Ties go to the
larger sum of points, then to the earlier option.

**Logrolling hint** for parties p and q and issues i and j: p gets its best option on i (the
one q likes most among p's best), q its best on j. The hint is given when both gain over
compromising on both issues, which happens when p weighs i more heavily than q does and q
weighs j more heavily than p does. Hints are ranked by the smaller of the two gains.

**Sequencing rule.** An issue's *compatibility* is its compromise option's worst normalised
score across all parties: 1 when one option is every party's best, 0.5 or less when the
parties are directly opposed. The suggestion opens with the compatible issues
(compatibility at least :data:`COMPATIBLE_AT`), most compatible first and, among equals, the
heaviest first — agreeing on them gives everyone an early gain at no one's cost. It then takes
the logrolling pairs as bundles, best hint first, each issue once, so that concessions are
traded rather than given away. It closes with the remaining distributive issues, lightest
first, leaving the heaviest for when the earlier agreements have built momentum.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Literal

import numpy as np

from summitry.analysis.preferences import RESOLUTION, SCORE_MAX, FloatArray, ScoredSpace

COMPATIBLE_AT = 0.75
"""Compatibility from which an issue is suggested as an opening issue."""

SEQUENCING_RULE = (
    "Open with compatible issues (an option gives every party at least 75 % of its range on "
    "the issue), most compatible and heaviest first; then bundle logrolling pairs, best joint "
    "gain first; close with the distributive issues, lightest first."
)
"""The sequencing rule in one sentence, for reports."""


@dataclass(frozen=True)
class LogrollHint:
    """Two issues worth trading between two parties.

    ``parties[0]`` gets its way on ``issues[0]``, ``parties[1]`` on ``issues[1]``.
    ``options`` are the proposed options on the two issues, ``baseline`` the compromise
    options they improve on, ``gains`` each party's points over the compromise, and
    ``weights`` each party's weights on the two issues (``weights[0]`` for ``parties[0]``).

    Usage: ``hint.joint_gain``.
    """

    parties: tuple[str, str]
    issues: tuple[str, str]
    options: tuple[str, str]
    baseline: tuple[str, str]
    gains: tuple[float, float]
    weights: tuple[tuple[float, float], tuple[float, float]]

    @property
    def joint_gain(self) -> float:
        """Both parties' gains together, in points.

        Usage: ``hint.joint_gain``.
        """
        return self.gains[0] + self.gains[1]


@dataclass(frozen=True)
class IssueCompatibility:
    """How far one option of an issue satisfies every party (0–1), and the issue's weight."""

    issue: str
    option: str
    compatibility: float
    stake: float


@dataclass(frozen=True)
class SequenceStep:
    """One step of the suggested order: the issues taken together and the options to try."""

    kind: Literal["compatible", "logroll", "distributive"]
    issues: tuple[str, ...]
    options: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class AgendaSequence:
    """The suggested order in which to open the issues, with the rule that produced it.

    Usage: ``analysis.sequencing.order``.
    """

    steps: tuple[SequenceStep, ...]
    issues: tuple[IssueCompatibility, ...]
    rule: str

    @property
    def order(self) -> tuple[str, ...]:
        """Every issue once, in the suggested order.

        Usage: ``sequence.order[0]``.
        """
        return tuple(issue for step in self.steps for issue in step.issues)


def _points(space: ScoredSpace, issue: int) -> FloatArray:
    """Each party's points for each option of an issue (parties × options)."""
    points: FloatArray = space.weights[:, issue : issue + 1] * space.scores[issue] / SCORE_MAX
    return points


def _normalised(points: FloatArray) -> FloatArray:
    low = points.min(axis=1, keepdims=True)
    span = points.max(axis=1, keepdims=True) - low
    flat = span <= RESOLUTION
    out: FloatArray = np.where(flat, 1.0, (points - low) / np.where(flat, 1.0, span))
    return out


def _compromise(points: FloatArray) -> tuple[int, float]:
    """The compromise option among the given parties' rows, and its worst normalised score."""
    worst = _normalised(points).min(axis=0)
    total = points.sum(axis=0)
    best = max(range(points.shape[1]), key=lambda o: (worst[o], total[o], -o))
    return best, float(worst[best])


def _favourite(points: FloatArray, party: int, other: int) -> int:
    """Party's best option, the other party's favourite among ties."""
    row, alt = points[party], points[other]
    top = row.max()
    return max(
        (o for o in range(len(row)) if row[o] >= top - RESOLUTION),
        key=lambda o: (alt[o], -o),
    )


def logrolling_hints(space: ScoredSpace) -> tuple[LogrollHint, ...]:
    """Every issue pair on which two parties both gain by trading, best first.

    Usage: ``logrolling_hints(compile_space(agenda, profiles))[0].issues``.
    """
    agenda = space.agenda
    issue_points = [_points(space, i) for i in range(len(agenda.items))]
    hints: list[tuple[float, float, LogrollHint]] = []
    for p, q in itertools.combinations(range(space.n_parties), 2):
        pair = [pts[[p, q]] for pts in issue_points]
        middle = [_compromise(pts)[0] for pts in pair]
        for i, j in itertools.permutations(range(len(agenda.items)), 2):
            a = _favourite(pair[i], 0, 1)
            b = _favourite(pair[j], 1, 0)
            gain = pair[i][:, a] - pair[i][:, middle[i]] + pair[j][:, b] - pair[j][:, middle[j]]
            if gain[0] <= RESOLUTION or gain[1] <= RESOLUTION:
                continue
            hint = LogrollHint(
                parties=(space.parties[p], space.parties[q]),
                issues=(agenda.items[i].id, agenda.items[j].id),
                options=(agenda.items[i].options[a], agenda.items[j].options[b]),
                baseline=(
                    agenda.items[i].options[middle[i]],
                    agenda.items[j].options[middle[j]],
                ),
                gains=(float(gain[0]), float(gain[1])),
                weights=(
                    (float(space.weights[p, i]), float(space.weights[p, j])),
                    (float(space.weights[q, i]), float(space.weights[q, j])),
                ),
            )
            hints.append((float(gain.min()), float(gain.sum()), hint))
    hints.sort(key=lambda h: (-h[0], -h[1]))
    return tuple(h[2] for h in hints)


def issue_compatibility(space: ScoredSpace) -> tuple[IssueCompatibility, ...]:
    """Each issue's compromise option across all parties and how well it satisfies them.

    Usage: ``issue_compatibility(space)[0].compatibility``.
    """
    out: list[IssueCompatibility] = []
    for i, item in enumerate(space.agenda.items):
        option, worst = _compromise(_points(space, i))
        out.append(
            IssueCompatibility(
                item.id, item.options[option], worst, float(space.weights[:, i].sum())
            )
        )
    return tuple(out)


def sequencing(space: ScoredSpace, hints: tuple[LogrollHint, ...] | None = None) -> AgendaSequence:
    """The suggested order of the issues (see the module docstring for the rule).

    Usage: ``sequencing(space).order``.
    """
    hints = logrolling_hints(space) if hints is None else hints
    issues = issue_compatibility(space)
    steps: list[SequenceStep] = []
    used: set[str] = set()
    opening = sorted(
        (c for c in issues if c.compatibility >= COMPATIBLE_AT),
        key=lambda c: (-c.compatibility, -c.stake),
    )
    for c in opening:
        steps.append(
            SequenceStep(
                "compatible",
                (c.issue,),
                (c.option,),
                f"'{c.option}' gives every party at least {c.compatibility:.0%} of its range "
                "on this issue",
            )
        )
        used.add(c.issue)
    for hint in hints:
        if used & set(hint.issues):
            continue
        steps.append(
            SequenceStep(
                "logroll",
                hint.issues,
                hint.options,
                f"{hint.parties[0]} gets its way on '{hint.issues[0]}', {hint.parties[1]} on "
                f"'{hint.issues[1]}': {hint.gains[0]:.1f} and {hint.gains[1]:.1f} points over "
                "compromising on both",
            )
        )
        used.update(hint.issues)
    rest = sorted((c for c in issues if c.issue not in used), key=lambda c: c.stake)
    for c in rest:
        steps.append(
            SequenceStep(
                "distributive",
                (c.issue,),
                (),
                f"the parties are opposed here (best compromise {c.compatibility:.0%} of "
                "each range)",
            )
        )
    return AgendaSequence(tuple(steps), issues, SEQUENCING_RULE)
