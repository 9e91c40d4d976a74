"""Genius negotiation domains and utility profiles, read into summitry's negotiation model.

Genius (the negotiation platform used by the ANAC competitions, and read by NegMAS) keeps a
negotiation in XML files: one *domain* naming the issues and their values, and one *profile*
per party giving issue weights and an evaluation of every value. :func:`read_genius` turns a
domain and its profiles into an :class:`~summitry.analysis.preferences.Agenda` and one
:class:`~summitry.analysis.preferences.AdditiveProfile` per profile, ready for
:func:`~summitry.analysis.negotiation.analyse_negotiation`.

The domain
    ``<negotiation_template><utility_space><objective>`` holding ``<issue>`` elements, or the
    same starting at ``<utility_space>`` (a profile can serve as the domain: its evaluations and
    weights are then ignored). A discrete issue lists ``<item value="..."/>`` elements; an
    integer issue gives ``lowerbound`` and ``upperbound`` (attributes or a ``<range>`` child)
    and is enumerated value by value. Real-valued issues are refused: discretise them first.
    Issues keep their document order. Issue and option ids are slugs of the Genius names (at
    most 80 characters; ``-2``, ``-3`` … added when two names give the same slug; a negative
    integer ``-3`` becomes ``minus-3``); the names themselves, with runs of white space made
    one space and cut to :data:`MAX_NAME` characters, become the issue names and option labels.

How large a domain may be
    An issue has at most :data:`MAX_OPTIONS` (1,000) options, integer values or discrete items,
    and the domain at most :data:`MAX_PACKAGES` (500,000) packages, one option per issue. The
    analysis finds the Pareto frontier without listing packages, but a domain can have
    (nearly) every package on its frontier — two opposed integer issues of 1 to 1,000 have a
    million frontier points — and then every result lists them all: such a domain ran for
    more than a quarter of an hour, and three such issues took gigabytes of memory. The
    largest linear ANAC domains have a few hundred thousand packages, so they fit.

The profiles
    ``<utility_space><objective>`` with one ``<issue>`` per scored issue, matched to the domain
    by name. A discrete issue gives ``<item value="..." evaluation="..."/>`` for every value of
    the domain. An integer issue gives either such items or a linear evaluator
    ``<evaluator ftype="linear" slope="..." offset="..."/>`` (NegMAS's ``parameter1`` and
    ``parameter0`` are read as slope and offset).

How the numbers are converted
    - Every weight, evaluation, slope and offset is a finite number of at most
      :data:`MAX_NUMBER` (10^12) in size: larger ones are typing slips or corrupt files (and
      1e308 overflows when weights are added up), so they are refused.
    - Item evaluations are any non-negative numbers; each issue's are divided by that issue's
      largest evaluation (what Genius's discrete evaluator does) and scaled to 0–100, the
      largest to exactly 100. An issue whose evaluations are all 0 scores 0 on every option.
    - A linear evaluator is evaluated as Genius does: ``offset + slope × (value − lowerbound)``,
      clipped to 0–1, then scaled to 0–100 without further rescaling, so the utilities are
      Genius's own.
    - Weights come from ``<weight index=".." value=".."/>`` elements beside the issues (matched
      by the issue's ``index``) or from a ``weight`` attribute on an issue. They are divided by
      their sum and scaled to 100 points.
    - The reservation value (``<reservation value=".."/>``, 0–1, missing means 0) is scaled
      to points (× 100). The discount factor is ignored: the analysis has no time.
    - The party is the profile file's stem (``Laptop-C-prof1.xml`` → ``Laptop-C-prof1``),
      shortened like the other names. Two profiles whose parties would have the same name are
      refused; names that merely give the same id (``Buyer`` and ``buyer``) get distinct ids
      in :func:`plan_from_genius` (``buyer``, ``buyer-2``).

Profiles that leave issues out
    An issue the profile neither lists nor weights (or weights 0) gets weight 0: the party does
    not care about it. An issue the profile lists must have a weight, and an issue with a
    positive weight must be listed with its evaluations; a profile with no weights at all, or
    only zero weights, is refused.

Every problem is an :class:`~summitry.errors.InputError` of one line naming the file and, where
the XML allows, the line: ``prof.xml:12: issue 'Price' has no item 'Cheap' of the domain``
(names and values quoted in it are cut to about 80 characters).
Not supported: nested objectives, non-linear evaluators, hyper-rectangle (``utility_function``)
profiles, real-valued issues, and discounting.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from xml.parsers import expat

from pydantic import ValidationError

from summitry.analysis.preferences import (
    SCORE_MAX,
    WEIGHT_TOTAL,
    AdditiveProfile,
    Agenda,
    AgendaItem,
)
from summitry.domain.base import clip, slugify
from summitry.domain.checks import suggest
from summitry.domain.plan import Plan
from summitry.errors import InputError, PlanError, format_path
from summitry.io.textfile import read_text

MAX_OPTIONS = 1_000
"""Most options one issue may have: values of an integer issue or items of a discrete one."""

MAX_INTEGER_VALUES = MAX_OPTIONS
"""Most values an integer issue may have; each becomes one option."""

MAX_PACKAGES = 500_000
"""Most packages (one option per issue) a domain may have; see "How large a domain may be"."""

MAX_NUMBER = 1e12
"""Largest size of a weight, evaluation, slope or offset."""

MAX_NAME = 120
"""Longest issue name, option label or party name kept; longer ones are cut, ending in …."""

ID_LENGTH = 80
"""Longest id of a plan record or option (:data:`summitry.domain.base.Slug`)."""

MIN_PROFILES = 2
"""Fewest profiles a negotiation needs."""


def read_genius(domain: Path, profiles: Sequence[Path]) -> tuple[Agenda, list[AdditiveProfile]]:
    """Read a Genius domain file and its profile files into an agenda and scoring systems.

    Each party is named after its profile file's stem. Bad files raise
    :class:`~summitry.errors.InputError` with one line naming the file (and line).

    Usage: ``agenda, profiles = read_genius(Path("job.xml"), [Path("boss.xml"), Path("me.xml")])``.
    """
    domain_text = read_text(domain)
    texts = [(str(path), read_text(path)) for path in profiles]
    return loads_genius(domain_text, texts, domain_source=str(domain))


def loads_genius(
    domain_text: str,
    profile_texts: Sequence[tuple[str, str]],
    *,
    domain_source: str = "<domain>",
) -> tuple[Agenda, list[AdditiveProfile]]:
    """Read a Genius domain and profiles given as text.

    ``profile_texts`` holds ``(source, text)`` pairs: ``source`` names the profile in error
    messages and its stem names the party. ``domain_source`` names the domain in errors.

    Usage: ``loads_genius(domain_xml, [("a.xml", a_xml), ("b.xml", b_xml)])``.
    """
    if len(profile_texts) < MIN_PROFILES:
        count = len(profile_texts)
        raise InputError(
            f"{domain_source}: {count} profile{'' if count == 1 else 's'} given; "
            f"a negotiation needs at least {MIN_PROFILES}"
        )
    domain = _read_domain(domain_text, domain_source)
    parties: dict[str, str] = {}
    profiles: list[AdditiveProfile] = []
    for source, text in profile_texts:
        stem = PurePath(source).stem
        party = _display(stem) or _display(source) or "party"
        if party in parties:
            # Two parties of one name could not be told apart in any result.
            long = len(" ".join(stem.split())) > MAX_NAME
            cut = f" (its file name cut to {MAX_NAME} characters)" if long else ""
            raise InputError(
                f"{source}: party {_show(party)}{cut} already has a profile ({parties[party]}); "
                "rename one of the files"
            )
        parties[party] = source
        profiles.append(_read_profile(domain, party, text, source))
    return domain.agenda, profiles


@dataclass(frozen=True)
class _Document:
    """A parsed XML file: its root, the line each element starts on, and its name."""

    source: str
    root: ET.Element
    lines: dict[ET.Element, int]

    def error(self, element: ET.Element | None, message: str) -> InputError:
        line = self.lines.get(element) if element is not None else None
        where = self.source if line is None else f"{self.source}:{line}"
        return InputError(f"{where}: {message}")


@dataclass(frozen=True)
class _Issue:
    """A domain issue: its Genius name and index, its values as text, and integer bounds."""

    name: str
    index: int | None
    labels: tuple[str, ...]
    integer: bool
    low: int = 0
    high: int = 0


@dataclass(frozen=True)
class _Domain:
    """The domain's issues next to the agenda built from them (same order)."""

    issues: tuple[_Issue, ...]
    agenda: Agenda


def _show(text: str) -> str:
    """A name or value quoted for a one-line message, on one line and cut to about 80."""
    return "'" + clip(" ".join(text.split())) + "'"


def _display(text: str) -> str:
    """A Genius name as summitry shows it: one space between words, at most MAX_NAME long."""
    name = " ".join(text.split())
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1].rstrip() + "…"


def _parse(text: str, source: str) -> _Document:
    """Parse XML with expat into ElementTree elements, remembering each element's line."""
    stripped = text.lstrip()
    shift = text[: len(text) - len(stripped)].count("\n")
    builder = ET.TreeBuilder()
    lines: dict[ET.Element, int] = {}
    parser = expat.ParserCreate()

    def start(tag: str, attributes: dict[str, str]) -> None:
        lines[builder.start(tag, attributes)] = parser.CurrentLineNumber + shift

    def end(tag: str) -> None:
        builder.end(tag)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(stripped, True)
    except expat.ExpatError as err:
        reason = expat.ErrorString(err.code) or "not well-formed"
        raise InputError(
            f"{source}:{err.lineno + shift}: not a Genius XML file ({reason} at column "
            f"{err.offset + 1})"
        ) from None
    return _Document(source, builder.close(), lines)


def _objective(doc: _Document) -> tuple[ET.Element, ET.Element]:
    """The ``utility_space`` and the ``objective`` holding the issues, checked."""
    root = doc.root
    if root.tag == "negotiation_template":
        space = root.find("utility_space")
        if space is None:
            raise doc.error(root, "<negotiation_template> has no <utility_space> element")
    elif root.tag == "utility_space":
        space = root
    else:
        raise doc.error(
            root,
            f"the root element is <{root.tag}>; a Genius file starts with "
            "<negotiation_template> or <utility_space>",
        )
    objective = space.find("objective")
    if objective is None:
        if space.find("issue") is None:
            raise doc.error(space, "no <objective> element holding the issues")
        objective = space
    if objective.find("objective") is not None:
        raise doc.error(objective.find("objective"), "nested objectives are not supported")
    if objective.find("issue") is None:
        raise doc.error(objective, "the objective has no <issue> elements")
    return space, objective


def _number(doc: _Document, element: ET.Element, attribute: str, what: str) -> float:
    """A finite number from an attribute; an error naming ``what`` otherwise."""
    raw = element.get(attribute)
    if raw is None:
        raise doc.error(element, f"{what} has no '{attribute}' attribute")
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise doc.error(element, f"{what}: '{attribute}' is {_show(raw)}, not a finite number")
    if abs(value) > MAX_NUMBER:
        raise doc.error(
            element,
            f"{what}: '{attribute}' is {_show(raw)}; numbers larger than {MAX_NUMBER:.0e} "
            "are refused, write it on a smaller scale",
        )
    return value


def _integer(doc: _Document, element: ET.Element, attribute: str, what: str) -> int | None:
    """An optional whole number from an attribute."""
    raw = element.get(attribute)
    if raw is None:
        return None
    try:
        return int(raw.strip())
    except ValueError:
        raise doc.error(
            element, f"{what}: '{attribute}' is {_show(raw)}, not a whole number"
        ) from None


def _name(doc: _Document, element: ET.Element) -> str:
    name = element.get("name")
    if name is None or not name.strip():
        raise doc.error(element, "an <issue> has no name")
    return name


def _bounds(doc: _Document, element: ET.Element, what: str) -> tuple[int | None, int | None]:
    """An integer issue's bounds, from its attributes or a ``<range>`` child."""
    low = _integer(doc, element, "lowerbound", what)
    high = _integer(doc, element, "upperbound", what)
    for child in element.findall("range"):
        low = _integer(doc, child, "lowerbound", what) if "lowerbound" in child.attrib else low
        high = _integer(doc, child, "upperbound", what) if "upperbound" in child.attrib else high
    return low, high


def _kind(element: ET.Element) -> str:
    return (element.get("type") or element.get("etype") or "discrete").strip().lower()


def _domain_issue(doc: _Document, element: ET.Element) -> _Issue:
    name = _name(doc, element)
    what = f"issue {_show(name)}"
    index = _integer(doc, element, "index", what)
    kind = _kind(element)
    if kind == "discrete":
        labels: list[str] = []
        for item in element.findall("item"):
            value = item.get("value")
            if value is None:
                raise doc.error(item, f"{what}: an <item> has no 'value' attribute")
            if value in labels:
                raise doc.error(item, f"{what} lists item {_show(value)} twice")
            labels.append(value)
        if not labels:
            raise doc.error(element, f"{what} has no <item> values")
        if len(labels) > MAX_OPTIONS:
            raise doc.error(
                element,
                f"{what} has {len(labels):,} items; an issue may have at most {MAX_OPTIONS:,} "
                "options, so merge some",
            )
        return _Issue(name, index, tuple(labels), integer=False)
    if kind == "integer":
        low, high = _bounds(doc, element, what)
        if low is None or high is None:
            raise doc.error(element, f"integer {what} needs a lowerbound and an upperbound")
        if low > high:
            raise doc.error(element, f"integer {what} has lowerbound {low} above upperbound {high}")
        count = high - low + 1
        if count > MAX_OPTIONS:
            raise doc.error(
                element,
                f"integer {what} has {count:,} values ({low} to {high}); at most "
                f"{MAX_OPTIONS:,} can be enumerated, so narrow or discretise it",
            )
        labels = [str(v) for v in range(low, high + 1)]
        return _Issue(name, index, tuple(labels), integer=True, low=low, high=high)
    if kind == "real":
        raise doc.error(element, f"real-valued issue {_show(name)} is not supported; discretise it")
    raise doc.error(
        element, f"{what} has type {_show(kind)}; Genius issues are discrete, integer or real"
    )


def _suffixed(slug: str, suffix: str) -> str:
    """``slug`` + ``suffix``, the slug cut so that the id stays within ID_LENGTH."""
    return slug[: ID_LENGTH - len(suffix)].rstrip("-") + suffix


def _unique(slug: str, taken: set[str]) -> str:
    out, number = slug, 2
    while out in taken:
        out = _suffixed(slug, f"-{number}")
        number += 1
    taken.add(out)
    return out


def _option_slug(issue: _Issue, label: str) -> str:
    if issue.integer:
        value = int(label)
        return str(value) if value >= 0 else f"minus-{-value}"
    return slugify(label)


def _read_domain(text: str, source: str) -> _Domain:
    doc = _parse(text, source)
    _, objective = _objective(doc)
    issues: list[_Issue] = []
    for element in objective.findall("issue"):
        issue = _domain_issue(doc, element)
        if any(other.name == issue.name for other in issues):
            raise doc.error(element, f"issue {_show(issue.name)} appears twice")
        if issue.index is not None and any(o.index == issue.index for o in issues):
            raise doc.error(element, f"two issues have index {issue.index}")
        issues.append(issue)
    counts = [len(issue.labels) for issue in issues]
    packages = math.prod(counts)
    if packages > MAX_PACKAGES:
        raise doc.error(
            objective,
            f"the domain has {packages:,} packages ({' × '.join(f'{c:,}' for c in counts)} "
            f"options); at most {MAX_PACKAGES:,} can be analysed, so merge options or narrow "
            "integer ranges",
        )
    issue_ids: set[str] = set()
    items: list[AgendaItem] = []
    for issue in issues:
        option_ids: set[str] = set()
        options = tuple(_unique(_option_slug(issue, label), option_ids) for label in issue.labels)
        iid = _unique(slugify(issue.name), issue_ids)
        labels = tuple(_display(label) for label in issue.labels)
        items.append(AgendaItem(iid, options, labels, _display(issue.name)))
    return _Domain(tuple(issues), Agenda(tuple(items)))


def _item_scores(
    doc: _Document, element: ET.Element, issue: _Issue, what: str
) -> tuple[float, ...]:
    """Scores 0–100 from ``<item evaluation=..>`` elements, divided by the largest."""
    found: dict[str, float] = {}
    for item in element.findall("item"):
        value = item.get("value")
        if value is None:
            raise doc.error(item, f"{what}: an <item> has no 'value' attribute")
        if value not in issue.labels:
            hint = suggest(value, issue.labels)
            raise doc.error(item, f"{what} has no item {_show(value)} of the domain{hint}")
        if value in found:
            raise doc.error(item, f"{what} evaluates item {_show(value)} twice")
        evaluation = _number(doc, item, "evaluation", f"{what} item {_show(value)}")
        if evaluation < 0:
            raise doc.error(
                item,
                f"{what} item {_show(value)} has evaluation {evaluation:g}; "
                "evaluations cannot be negative",
            )
        found[value] = evaluation
    for label in issue.labels:
        if label not in found:
            raise doc.error(element, f"{what} gives no evaluation for item {_show(label)}")
    top = max(found.values())
    if top == 0:
        return tuple(0.0 for _ in issue.labels)
    # Divided first: 100 × 0.123 / 0.123 is 100.00000000000001 in floats, 100 × (0.123 / 0.123)
    # is exactly 100 (x / top is at most 1, and exactly 1 for the top); min() guards the rest.
    return tuple(min(SCORE_MAX, SCORE_MAX * (found[label] / top)) for label in issue.labels)


def _linear_scores(
    doc: _Document, element: ET.Element, evaluator: ET.Element, issue: _Issue, what: str
) -> tuple[float, ...]:
    """Scores 0–100 from a linear evaluator, computed the way Genius does."""
    ftype = evaluator.get("ftype", "")
    if ftype.strip().lower() != "linear":
        raise doc.error(
            evaluator,
            f"{what} has an evaluator of ftype {_show(ftype)}; only 'linear' is supported",
        )
    low, high = _bounds(doc, element, what)
    if (low is not None and low != issue.low) or (high is not None and high != issue.high):
        raise doc.error(
            element,
            f"{what} has bounds {low} to {high} here but {issue.low} to {issue.high} in the domain",
        )
    slope_key = next((k for k in ("slope", "parameter1") if k in evaluator.attrib), "slope")
    slope = _number(doc, evaluator, slope_key, f"{what} evaluator")
    offset_key = next((k for k in ("offset", "parameter0") if k in evaluator.attrib), None)
    offset = 0.0 if offset_key is None else _number(doc, evaluator, offset_key, f"{what} evaluator")
    out: list[float] = []
    for value in range(issue.low, issue.high + 1):
        utility = min(1.0, max(0.0, offset + slope * (value - issue.low)))
        out.append(SCORE_MAX * utility)
    return tuple(out)


def _profile_scores(doc: _Document, element: ET.Element, issue: _Issue) -> tuple[float, ...]:
    what = f"issue {_show(issue.name)}"
    evaluators = element.findall("evaluator")
    if len(evaluators) > 1:
        raise doc.error(evaluators[1], f"{what} has more than one evaluator")
    if evaluators:
        if not issue.integer:
            raise doc.error(
                evaluators[0],
                f"{what} is discrete in the domain; give <item evaluation=..> values, "
                "not an evaluator",
            )
        if element.find("item") is not None:
            raise doc.error(element, f"{what} has both an evaluator and items; keep one")
        return _linear_scores(doc, element, evaluators[0], issue, what)
    if element.find("item") is None:
        raise doc.error(element, f"{what} has no <item> evaluations")
    return _item_scores(doc, element, issue, what)


def _reservation(doc: _Document, space: ET.Element) -> float:
    element = space.find("reservation")
    if element is None:
        return 0.0
    value = _number(doc, element, "value", "the reservation")
    if not 0 <= value <= 1:
        raise doc.error(
            element, f"the reservation value is {value:g}; Genius reservation values run 0–1"
        )
    return WEIGHT_TOTAL * value


def _read_profile(domain: _Domain, party: str, text: str, source: str) -> AdditiveProfile:
    doc = _parse(text, source)
    space, objective = _objective(doc)
    for child in objective:
        if child.tag in ("utility_function", "utility"):
            raise doc.error(child, "hyper-rectangle <utility_function> profiles are not supported")
    names = [issue.name for issue in domain.issues]
    listed: dict[int, ET.Element] = {}
    scores: dict[int, tuple[float, ...]] = {}
    by_index: dict[int, int] = {}
    weights: dict[int, tuple[float, ET.Element]] = {}
    for element in objective.findall("issue"):
        name = _name(doc, element)
        if name not in names:
            raise doc.error(
                element, f"issue {_show(name)} is not in the domain{suggest(name, names)}"
            )
        position = names.index(name)
        if position in listed:
            raise doc.error(element, f"issue {_show(name)} appears twice")
        listed[position] = element
        index = _integer(doc, element, "index", f"issue {_show(name)}")
        if index is None:
            index = domain.issues[position].index
        if index is not None:
            if index in by_index:
                raise doc.error(element, f"two issues have index {index}")
            by_index[index] = position
        scores[position] = _profile_scores(doc, element, domain.issues[position])
        if "weight" in element.attrib:
            weights[position] = (_number(doc, element, "weight", f"issue {_show(name)}"), element)
    for position, issue in enumerate(domain.issues):
        if position not in listed and issue.index is not None:
            by_index.setdefault(issue.index, position)
    for element in objective.findall("weight"):
        index = _integer(doc, element, "index", "a <weight>")
        if index is None:
            raise doc.error(element, "a <weight> has no 'index' attribute")
        if index not in by_index:
            if objective.get("index") == str(index):
                continue
            raise doc.error(element, f"<weight> index {index} matches no issue")
        position = by_index[index]
        what = f"issue {_show(domain.issues[position].name)}"
        if position in weights:
            raise doc.error(element, f"{what} has two weights")
        weights[position] = (_number(doc, element, "value", f"the weight of {what}"), element)
    if not weights:
        raise doc.error(objective, "no issue weights; give <weight index=.. value=..> elements")
    for position, (weight, element) in weights.items():
        what = f"issue {_show(domain.issues[position].name)}"
        if weight < 0:
            raise doc.error(element, f"{what} has weight {weight:g}; weights cannot be negative")
        if weight > 0 and position not in listed:
            raise doc.error(element, f"{what} has weight {weight:g} but no evaluations")
    for position, element in listed.items():
        if position not in weights:
            raise doc.error(element, f"issue {_show(domain.issues[position].name)} has no weight")
    total = sum(weight for weight, _ in weights.values())
    if total <= 0:
        raise doc.error(objective, "every issue weight is 0")
    agenda = domain.agenda
    return AdditiveProfile(
        party=party,
        # Each weight divided by the total first, as the scores are: at most 1, so at most 100.
        weights={
            item.id: min(WEIGHT_TOTAL, WEIGHT_TOTAL * (weights[p][0] / total))
            if p in weights
            else 0.0
            for p, item in enumerate(agenda.items)
        },
        scores={
            item.id: dict(zip(item.options, scores[p], strict=True))
            for p, item in enumerate(agenda.items)
            if p in scores
        },
        reservation_value=_reservation(doc, space),
        source=source,
    )


def plan_from_genius(agenda: Agenda, profiles: Sequence[AdditiveProfile]) -> Plan:
    """A minimal plan holding a Genius domain as agenda issues and each profile as a position.

    Lets every plan-based analysis and report run on a Genius negotiation as it is. Each
    party's id is the slug of its name, made distinct from the issue ids and the other
    parties' (``buyer``, ``buyer-2``); its position is ``<party id>-profile``. Anything the
    plan still refuses is an :class:`~summitry.errors.InputError` of one line naming the
    profile files. Usage: ``plan = plan_from_genius(*read_genius(domain, [a, b]))``.
    """
    taken = set(agenda.issue_ids)
    party_ids = [_unique(slugify(profile.party), taken) for profile in profiles]
    position_ids = [_unique(_suffixed(pid, "-profile"), taken) for pid in party_ids]
    issues = {
        item.id: {
            "name": item.name or item.id,
            "options": dict(zip(item.options, item.labels or item.options, strict=True)),
        }
        for item in agenda.items
    }
    positions = {
        position: {
            "about": party,
            "held_by": party,
            "reservation_value": profile.reservation_value,
            "issues": {
                iid: {"weight": weight, "scores": dict(profile.scores.get(iid, {}))}
                for iid, weight in profile.weights.items()
            },
        }
        for position, party, profile in zip(position_ids, party_ids, profiles, strict=True)
    }
    try:
        return Plan.model_validate(
            {
                "summit": {"title": "Genius negotiation domain"},
                "parties": {
                    pid: {"name": profile.party}
                    for pid, profile in zip(party_ids, profiles, strict=True)
                },
                "issues": issues,
                "positions": positions,
            }
        )
    except (ValidationError, PlanError) as err:
        sources = [profile.source or profile.party for profile in profiles]
        owners = dict(zip(party_ids + position_ids, sources + sources, strict=True))
        raise InputError(_plan_problem(err, owners, ", ".join(sources))) from None


def _plan_problem(err: ValidationError | PlanError, owners: dict[str, str], every: str) -> str:
    """The first thing the plan refuses, as one line naming the file it came from.

    A problem of a party or position names that profile's file; one of the agenda names every
    profile file, the domain being the one they share.
    """
    if isinstance(err, PlanError):
        first = err.problems[0] if err.problems else None
        path, message = (first.path, first.message) if first else ((), str(err))
    else:
        detail = err.errors()[0]
        path, message = tuple(detail["loc"]), detail["msg"]
    owner = (
        owners.get(str(path[1])) if len(path) > 1 and path[0] in ("parties", "positions") else None
    )
    where = owner if owner is not None else f"the Genius domain of {every}"
    shown = ": ".join(part for part in (clip(format_path(path)), clip(message, 200)) if part)
    return f"{where}: {shown}"
