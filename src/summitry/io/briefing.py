"""Briefing import: turn a plain-text or Markdown briefing into a summit plan.

The structural reading (tables, lists, titles) is :mod:`summitry.io.briefing_text`; this
module decides what each block means. Tables are recognised by their header (with synonyms)
and by their values; bullet lists by their labels, their intro line and the shape of their
items. Nothing is dropped silently: a table that cannot be mapped is kept as a note, and the
result says what was understood and what was not.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from summitry.domain.agenda import AgendaIssue, ImpactLevel, Topic
from summitry.domain.base import FIRST_DATE, LAST_DATE, DateWindow, is_supported_date, slugify
from summitry.domain.engagement import EngagementMechanism, Note
from summitry.domain.plan import Plan
from summitry.domain.schedule import Workstream
from summitry.domain.summit import DEFAULT_STATUSES, Party, Status, Summit
from summitry.errors import InputError
from summitry.io.briefing_text import (
    Block,
    BulletList,
    Heading,
    Paragraph,
    Table,
    read_blocks,
    split_labelled,
)
from summitry.io.fuzzydates import parse_fuzzy_date


@dataclass(frozen=True)
class ImportResult:
    """The plan read from a briefing, and a line for everything understood or not."""

    plan: Plan
    understood: tuple[str, ...]
    not_understood: tuple[str, ...]


# Column roles and the header words that name them.
_COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "aspect": (
        "preparation aspect",
        "aspect",
        "preparation area",
        "area",
        "workstream",
        "work stream",
        "strand",
        "task",
        "activity",
    ),
    "status": ("status", "state", "progress"),
    "expected": ("expected completion", "completion", "eta", "estimated completion", "expected by"),
    "deadline": ("deadline", "due", "due date", "must be done by"),
    "issue": ("issue", "topic", "strategic issue", "agenda item", "subject"),
    "impact": ("potential impact", "impact", "priority", "importance", "significance"),
    "focus": ("negotiation focus", "focus", "objective", "goal", "aim"),
    "component": ("component", "mechanism", "instrument", "recommendation", "measure"),
    "description": ("description", "details", "what it is", "purpose"),
}

# Country names, short forms and capitals, so that parties can be found in the prose.
_STATES: dict[str, tuple[str, ...]] = {
    "United States": ("United States", "U.S.", "USA", "US", "America", "Washington"),
    "Russia": ("Russia", "Russian Federation", "Moscow", "Kremlin"),
    "China": ("China", "Beijing", "People's Republic of China"),
    "Ukraine": ("Ukraine", "Kyiv", "Kiev"),
    "United Kingdom": ("United Kingdom", "U.K.", "UK", "Britain", "London"),
    "France": ("France", "Paris", "Élysée"),
    "Germany": ("Germany", "Berlin"),
    "Japan": ("Japan", "Tokyo"),
    "India": ("India", "New Delhi"),
    "North Korea": ("North Korea", "DPRK", "Pyongyang"),
    "South Korea": ("South Korea", "Republic of Korea", "Seoul"),
    "Iran": ("Iran", "Tehran"),
    "Israel": ("Israel", "Jerusalem"),
    "Turkey": ("Turkey", "Türkiye", "Ankara"),
    "Saudi Arabia": ("Saudi Arabia", "Riyadh"),
    "Brazil": ("Brazil", "Brasília", "Brasilia"),
    "Canada": ("Canada", "Ottawa"),
    "European Union": ("European Union", "EU", "Brussels"),
}

_RECOMMENDATION_WORDS = ("recommend", "advise", "suggest", "propose", "urge")
_TOPIC_WORDS = ("topic", "subject", "agenda", "issue", "discuss", "address")
_NAME_CUTS = (" focusing ", " to ", " so that ", " in order ", " that ", " which ", ", ", "; ")


def import_briefing(
    text: str, source: str = "<briefing>", parties: Sequence[str] = ()
) -> ImportResult:
    """Read a briefing's text into a plan, reporting what was and was not understood.

    ``parties`` names the parties when the text does not name them clearly. Raises
    :class:`~summitry.errors.InputError` when the text has no structure a briefing would have.
    Usage: ``result = import_briefing(Path("briefing.txt").read_text(), "briefing.txt")``.
    """
    return _Importer(source).run(read_blocks(text), text, parties)


@dataclass
class _Importer:
    source: str
    understood: list[str] = field(default_factory=list)
    not_understood: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)

    def new_id(self, name: str) -> str:
        # Ids stay short enough to type: at most six words of the name.
        base = "-".join(slugify(name).split("-")[:6])
        candidate, n = base, 2
        while candidate in self.ids:
            candidate, n = f"{base}-{n}", n + 1
        self.ids.add(candidate)
        return candidate

    def add(self, collection: str, record: Any) -> None:
        self.records.setdefault(collection, {})[record.id] = record

    def at(self, line: int) -> str:
        return f"{self.source}:{line}"

    # -- the whole document -------------------------------------------------------------------
    def run(self, blocks: list[Block], text: str, parties: Sequence[str]) -> ImportResult:
        tables = [b for b in blocks if isinstance(b, Table)]
        lists = [b for b in blocks if isinstance(b, BulletList)]
        for table in tables:
            self.table(table)
        for bullets in lists:
            self.bullet_list(bullets)
        mapped = sum(len(self.records.get(name, {})) for name in self.records)
        if not mapped:
            raise InputError(
                f"{self.source}: no recognisable structure (no table, list or section a "
                "briefing would have); nothing imported"
            )
        summit = self.summit(blocks)
        party_records = self.parties(text, parties)
        self.background(blocks)
        plan = Plan(
            summit=summit,
            parties=party_records,
            statuses=self.records.get("statuses", {}),
            workstreams=self.records.get("workstreams", {}),
            topics=self.records.get("topics", {}),
            issues=self.records.get("issues", {}),
            mechanisms=self.records.get("mechanisms", {}),
            notes=self.records.get("notes", {}),
        )
        self.not_understood.append("no summit date in the text; set summit.date when it is known")
        return ImportResult(plan, tuple(self.understood), tuple(self.not_understood))

    def background(self, blocks: list[Block]) -> None:
        """Keep the briefing's prose as one background note, so nothing read is lost."""
        paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
        if not paragraphs:
            return
        rid = self.new_id("background")
        text = "\n\n".join(p.text for p in paragraphs)
        self.add("notes", Note(id=rid, title=f"Background from {self.source}", text=text))
        self.understood.append(
            f"{self.at(paragraphs[0].line)}: {len(paragraphs)} prose paragraphs kept as the "
            f"note '{rid}'"
        )

    def summit(self, blocks: list[Block]) -> Summit:
        headings = [b for b in blocks if isinstance(b, Heading)]
        title = headings[0].text if headings else "Imported summit"
        lead = next((b.text for b in blocks if isinstance(b, Paragraph)), "")
        self.understood.append(f"title: {title}")
        return Summit(title=title, description=lead)

    def parties(self, text: str, given: Sequence[str]) -> list[Party]:
        names = list(dict.fromkeys(name.strip() for name in given if name.strip()))
        if names:
            self.understood.append(f"parties (from --party): {', '.join(names)}")
        else:
            names = _states_in(text)
            if len(names) >= 2:
                self.understood.append(f"parties found in the text: {', '.join(names)}")
        if len(names) < 2:
            found = f" (found only {names[0]})" if names else ""
            self.not_understood.append(
                f"could not tell the two parties from the text{found}; named them Party A and "
                "Party B — pass --party to name them"
            )
            names = [*names, "Party A", "Party B"][: max(2, len(names))]
            if len(names) < 2:
                names = ["Party A", "Party B"]
        return [Party(id=self.new_id(name), name=name) for name in names]

    # -- tables -------------------------------------------------------------------------------
    def table(self, table: Table) -> None:
        roles = _column_roles(table)
        impacts = _impact_column_is_levels(table, roles)
        if "aspect" in roles and ({"status", "expected", "deadline"} & roles.keys()):
            self.workstream_table(table, roles)
        elif "issue" in roles and (impacts or "focus" in roles):
            self.issue_table(table, roles, impacts)
        elif "component" in roles or ("description" in roles and len(table.header) >= 2):
            self.mechanism_table(table, roles)
        else:
            self.table_note(table)

    def workstream_table(self, table: Table, roles: dict[str, int]) -> None:
        for row in table.rows:
            name = row[roles["aspect"]]
            if not name:
                continue
            fields: dict[str, Any] = {"name": name}
            if "status" in roles and row[roles["status"]]:
                fields["status"] = self.status(row[roles["status"]], table.line)
            if "expected" in roles and row[roles["expected"]]:
                window = self.window(row[roles["expected"]], name, table.line)
                if window is not None:
                    fields["expected_completion"] = window
            if "deadline" in roles and row[roles["deadline"]]:
                window = self.window(row[roles["deadline"]], name, table.line)
                if window is not None:
                    fields["deadline"] = window.end
            self.add("workstreams", Workstream(id=self.new_id(name), **fields))
        self.understood.append(
            f"{self.at(table.line)}: table '{' | '.join(table.header)}' → "
            f"{len(table.rows)} workstreams"
        )

    def issue_table(self, table: Table, roles: dict[str, int], impacts: bool) -> None:
        for row in table.rows:
            name = row[roles["issue"]]
            if not name:
                continue
            impact = ImpactLevel.parse(row[roles["impact"]]) if impacts else None
            focus = row[roles["focus"]] if "focus" in roles else ""
            self.add(
                "issues", AgendaIssue(id=self.new_id(name), name=name, impact=impact, focus=focus)
            )
        self.understood.append(
            f"{self.at(table.line)}: table '{' | '.join(table.header)}' → "
            f"{len(table.rows)} agenda issues"
        )

    def mechanism_table(self, table: Table, roles: dict[str, int]) -> None:
        name_column = roles.get("component", 0)
        for row in table.rows:
            name = row[name_column]
            if not name:
                continue
            description = row[roles["description"]] if "description" in roles else ""
            impact = row[roles["impact"]] if "impact" in roles else ""
            mechanism = EngagementMechanism(
                id=self.new_id(name), name=name, description=description, impact=impact
            )
            self.add("mechanisms", mechanism)
        self.understood.append(
            f"{self.at(table.line)}: table '{' | '.join(table.header)}' → "
            f"{len(table.rows)} engagement mechanisms"
        )

    def table_note(self, table: Table) -> None:
        title = table.title or f"Table at line {table.line}"
        lines = [" | ".join(table.header), *(" | ".join(row) for row in table.rows)]
        note = Note(id=self.new_id(title), title=title, text="\n".join(lines))
        self.add("notes", note)
        self.not_understood.append(
            f"{self.at(table.line)}: table '{' | '.join(table.header)}' is not one summitry "
            f"knows; kept as note '{note.id}'"
        )

    def status(self, text: str, line: int) -> str:
        known = _status_lookup()
        key = _status_key(text)
        if key in known:
            return known[key]
        existing = self.records.get("statuses", {})
        slug = slugify(text)
        if slug not in existing:
            self.ids.add(slug)
            self.add("statuses", Status(id=slug, label=text.strip()))
            self.not_understood.append(
                f"{self.at(line)}: status '{text.strip()}' is not a built-in one; added it to "
                "[statuses] as an open status"
            )
        return slug

    def window(self, text: str, name: str, line: int) -> DateWindow | None:
        parsed = parse_fuzzy_date(text)
        if parsed is None:
            self.not_understood.append(
                f"{self.at(line)}: '{text}' (for {name}) is not a date summitry can read; left out"
            )
            return None
        if not (is_supported_date(parsed.start) and is_supported_date(parsed.end)):
            self.not_understood.append(
                f"{self.at(line)}: '{text}' (for {name}) lies outside the dates summitry "
                f"supports ({FIRST_DATE.year}–{LAST_DATE.year}); left out"
            )
            return None
        return DateWindow(start=parsed.start, end=parsed.end, label=parsed.label)

    # -- bullet lists -------------------------------------------------------------------------
    def bullet_list(self, bullets: BulletList) -> None:
        title = (bullets.title or "").lower()
        labelled = [split_labelled(item) for item in bullets.items]
        if all(label for label, _ in labelled):
            self.key_points(bullets, labelled)
        elif any(word in title for word in _RECOMMENDATION_WORDS):
            self.recommendations(bullets)
        elif all(_is_short_phrase(item) for item in bullets.items) and (
            any(word in title for word in _TOPIC_WORDS) or not title
        ):
            for item in bullets.items:
                self.add("topics", Topic(id=self.new_id(item), name=item))
            self.understood.append(
                f"{self.at(bullets.line)}: list of {len(bullets.items)} short items → topics"
            )
        else:
            self.list_note(bullets)

    def key_points(self, bullets: BulletList, labelled: list[tuple[str | None, str]]) -> None:
        streams: dict[str, Workstream] = self.records.get("workstreams", {})
        unmatched: list[str] = []
        for label, text in labelled:
            point = f"{label}: {text}"
            target = _best_match(label or "", streams.values())
            if target is None:
                unmatched.append(point)
                continue
            streams[target.id] = target.model_copy(
                update={"key_points": (*target.key_points, point)}
            )
            self.understood.append(
                f"{self.at(bullets.line)}: key point '{label}' → workstream '{target.id}'"
            )
        if unmatched:
            title = bullets.title or f"Points at line {bullets.line}"
            note = Note(id=self.new_id(title), title=title, text="\n".join(unmatched))
            self.add("notes", note)
            self.not_understood.append(
                f"{self.at(bullets.line)}: {len(unmatched)} labelled points match no workstream; "
                f"kept as note '{note.id}'"
            )

    def recommendations(self, bullets: BulletList) -> None:
        for item in bullets.items:
            name = _leading_phrase(item)
            mechanism = EngagementMechanism(
                id=self.new_id(name), name=name, description=item.strip()
            )
            self.add("mechanisms", mechanism)
        self.understood.append(
            f"{self.at(bullets.line)}: {len(bullets.items)} recommendations → engagement mechanisms"
        )

    def list_note(self, bullets: BulletList) -> None:
        title = bullets.title or f"List at line {bullets.line}"
        note = Note(id=self.new_id(title), title=title, text="\n".join(bullets.items))
        self.add("notes", note)
        self.not_understood.append(
            f"{self.at(bullets.line)}: list of {len(bullets.items)} items not recognised; kept "
            f"as note '{note.id}'"
        )


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]", " ", text.lower())).strip()


def _column_role(header: str) -> str | None:
    # An exact synonym wins; otherwise the longest synonym found as whole words in the header
    # ("Focus of Talks" is a focus column, "Expected Impact" an impact column).
    name = _normal(header)
    best: tuple[int, str] | None = None
    for role, synonyms in _COLUMN_SYNONYMS.items():
        for synonym in synonyms:
            if name == synonym:
                return role
            if re.search(rf"\b{re.escape(synonym)}\b", name) and (
                best is None or len(synonym) > best[0]
            ):
                best = (len(synonym), role)
    return best[1] if best else None


def _column_roles(table: Table) -> dict[str, int]:
    roles: dict[str, int] = {}
    for index, header in enumerate(table.header):
        role = _column_role(header)
        if role is not None and role not in roles:
            roles[role] = index
    if table.header and 0 not in roles.values():
        # An unlabelled or unusual first column still names the rows.
        first = _normal(table.header[0])
        if any(word in first for word in ("aspect", "workstream", "task", "area")):
            roles.setdefault("aspect", 0)
    return roles


def _impact_column_is_levels(table: Table, roles: dict[str, int]) -> bool:
    # "Impact" means a level only when its values are levels; prose impact is a description.
    if "impact" not in roles:
        return False
    values = [row[roles["impact"]] for row in table.rows if row[roles["impact"]]]
    return bool(values) and all(ImpactLevel.parse(value) is not None for value in values)


def _status_key(text: str) -> str:
    return _normal(text)


def _status_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for status in DEFAULT_STATUSES:
        for name in (status.id.replace("-", " "), status.label, *status.aliases):
            lookup[_status_key(name)] = status.id
    return lookup


_STOP_WORDS = frozenset({"of", "the", "and", "for", "a", "an", "to", "in", "on"})


def _words(text: str) -> set[str]:
    stems = set()
    for word in _normal(text).split():
        if word not in _STOP_WORDS:
            stems.add(word[:5])  # a crude stem: "security" and "secure" meet at "secur"
    return stems


def _best_match(label: str, streams: Iterable[Workstream]) -> Workstream | None:
    scored = [(len(_words(label) & _words(stream.name)), stream) for stream in streams]
    scored = [(score, stream) for score, stream in scored if score > 0]
    if not scored:
        return None
    best = max(score for score, _ in scored)
    winners = [stream for score, stream in scored if score == best]
    return winners[0] if len(winners) == 1 else None


def _is_short_phrase(item: str) -> bool:
    return len(item.split()) <= 8 and not item.rstrip().endswith((".", "!", "?"))


def _leading_phrase(item: str) -> str:
    text = item.strip().rstrip(".")
    for cut in _NAME_CUTS:
        index = text.find(cut)
        if index > 0 and len(text[:index].split()) >= 2:
            text = text[:index]
    text = text.rstrip(" ,;:.")
    return text[:1].upper() + text[1:]


def _states_in(text: str) -> list[str]:
    counts: Counter[str] = Counter()
    for state, names in _STATES.items():
        for name in names:
            pattern = rf"(?<![\w.]){re.escape(name)}(?![\w])"
            counts[state] += len(re.findall(pattern, text))
    ranked = [state for state, n in counts.most_common() if n > 0]
    return ranked[:2] if len(ranked) >= 2 else ranked
