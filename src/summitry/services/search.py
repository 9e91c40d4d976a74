"""Search across everything a reader may see, ranked within that reader's view alone.

The index is built from the reader's view (``read_view``), never from the stored rows: a
ranking statistic counted over every row — how many records hold a word, how long records are
on average — would let another party's private text reorder this reader's hits. Here every
number that decides a hit, its score, its order, the count and the snippet comes from
records the reader may read, so the answer is the same whether or not anyone else's private
records exist.

Ranking is Okapi BM25 (k1 = 1.2, b = 0.75; Robertson and Zaragoza, "The Probabilistic
Relevance Framework: BM25 and Beyond", 2009) over the words of each record's free text. A hit
holds every word of the query; the last word also matches as a prefix (``mediat`` finds
"mediation"), so a query can be typed as it is thought of. Ties go by collection and id.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from summitry.domain.catalogue import COLLECTIONS, links_of

if TYPE_CHECKING:
    from summitry.access.policy import Principal
    from summitry.domain.plan import Plan
    from summitry.services.source import PlanSource

K1 = 1.2
B = 0.75
SNIPPET = 160
"""Characters of text a snippet shows around the first word it matched."""
MAX_QUERY_WORDS = 12

_WORD = re.compile(r"\w+", re.UNICODE)
_NOT_TEXT = frozenset({"id", "visibility", "compartments", "owned_by", "held_by"})


@dataclass(frozen=True)
class Document:
    """One record's searchable text: where it is, its title, its fields' text."""

    collection: str
    id: str
    title: str
    fields: tuple[tuple[str, str], ...]
    """(field path, text) pairs, in the record's field order."""
    words: Counter[str]
    length: int


@dataclass(frozen=True)
class Snippet:
    """A piece of one field's text with the matched word in the middle: ``before match after``."""

    field: str
    before: str
    match: str
    after: str


@dataclass(frozen=True)
class Hit:
    """A record that holds every word of the query, with its score and a snippet."""

    collection: str
    id: str
    title: str
    score: float
    snippet: Snippet | None

    @property
    def kind(self) -> str:
        """What the record is: ``task``, ``agenda issue``, ``note`` and so on."""
        return COLLECTIONS.get(self.collection, self.collection)


@dataclass(frozen=True)
class SearchResult:
    """A page of hits, the number of hits in all, and the words searched for."""

    query: str
    words: tuple[str, ...]
    total: int
    hits: tuple[Hit, ...]
    offset: int


def words_of(text: str) -> list[str]:
    """The words of ``text`` as the index holds them: lower case, letters and digits.

    Usage: ``words_of("Cyber-security, 2024")`` gives ``["cyber", "security", "2024"]``.
    """
    return [w.casefold() for w in _WORD.findall(text)]


def _texts(value: Any, path: str, skip: frozenset[str]) -> list[tuple[str, str]]:
    """The free-text strings of a dumped record, with their field paths."""
    if isinstance(value, Enum):
        return []
    if isinstance(value, str):
        return [(path, value)] if value.strip() else []
    if isinstance(value, dict):
        # Only the record's own fields are skipped by name (links, labels); below them, all.
        kept = {k: v for k, v in value.items() if path or k not in skip}
        return [
            pair
            for key, item in kept.items()
            for pair in _texts(item, f"{path}.{key}" if path else str(key), frozenset())
        ]
    if isinstance(value, (list, tuple)):
        return [pair for i, item in enumerate(value) for pair in _texts(item, f"{path}[{i}]", skip)]
    return []


def documents(view: Plan) -> tuple[Document, ...]:
    """Every record of the view as a searchable document (records with no text left out).

    Link fields (ids of other records) and labels are not text; enumerated values are not
    either. Usage: ``documents(read_view(source, principal))``.
    """
    out: list[Document] = []
    for collection in COLLECTIONS:
        records = getattr(view, collection)
        skip = _NOT_TEXT | {link.field for link in links_of(collection)}
        for record_id, record in records.items():
            fields = tuple(_texts(record.model_dump(), "", skip))
            if not fields:
                continue
            counted: Counter[str] = Counter()
            for _, text in fields:
                counted.update(words_of(text))
            title = next(
                (text for name, text in fields if name in ("name", "title", "label")), record_id
            )
            out.append(
                Document(collection, record_id, title, fields, counted, sum(counted.values()))
            )
    return tuple(out)


@dataclass(frozen=True)
class Index:
    """The documents of one view and the statistics BM25 needs, all from that view."""

    documents: tuple[Document, ...]
    frequency: Counter[str]
    """In how many documents each word occurs."""
    average_length: float


def build_index(view: Plan) -> Index:
    """The search index of one reader's view.

    Usage: ``index = build_index(view)``; ``search_index(index, "venue security")``.
    """
    docs = documents(view)
    frequency: Counter[str] = Counter()
    for doc in docs:
        frequency.update(doc.words.keys())
    average = sum(d.length for d in docs) / len(docs) if docs else 0.0
    return Index(docs, frequency, average)


def _idf(index: Index, word: str) -> float:
    n = len(index.documents)
    have = index.frequency[word]
    return math.log(1 + (n - have + 0.5) / (have + 0.5))


def _matches(doc: Document, term: str, prefix: bool) -> list[str]:
    """The document's words that the query term matches."""
    if term in doc.words and not prefix:
        return [term]
    if not prefix:
        return []
    return sorted(w for w in doc.words if w.startswith(term))


def _score(index: Index, doc: Document, matched: list[list[str]]) -> float:
    norm = K1 * (1 - B + B * doc.length / index.average_length) if index.average_length else K1
    total = 0.0
    for words in matched:
        for word in words:
            tf = doc.words[word]
            total += _idf(index, word) * tf * (K1 + 1) / (tf + norm)
    return total


def _snippet(doc: Document, words: set[str]) -> Snippet | None:
    for field, text in doc.fields:
        for found in _WORD.finditer(text):
            if found.group().casefold() in words:
                start, end = found.span()
                room = max(0, SNIPPET - (end - start)) // 2
                left, right = max(0, start - room), min(len(text), end + room)
                before = ("…" if left else "") + text[left:start]
                after = text[end:right] + ("…" if right < len(text) else "")
                return Snippet(field, before, found.group(), after)
    return None


def search_index(index: Index, query: str, *, limit: int = 20, offset: int = 0) -> SearchResult:
    """The hits of ``query`` in ``index``, best first: a page of them and their count.

    Usage: ``search_index(build_index(view), "venue securi", limit=10)``.
    """
    terms = tuple(dict.fromkeys(words_of(query)))[:MAX_QUERY_WORDS]
    if not terms:
        return SearchResult(query, (), 0, (), offset)
    scored: list[tuple[float, Document, set[str]]] = []
    for doc in index.documents:
        matched = [_matches(doc, term, prefix=i == len(terms) - 1) for i, term in enumerate(terms)]
        if all(matched):
            scored.append((_score(index, doc, matched), doc, {w for ws in matched for w in ws}))
    scored.sort(key=lambda item: (-item[0], item[1].collection, item[1].id))
    page = scored[offset : offset + limit]
    hits = tuple(
        Hit(doc.collection, doc.id, doc.title, round(score, 6), _snippet(doc, words))
        for score, doc, words in page
    )
    return SearchResult(query, terms, len(scored), hits, offset)


_indexes: OrderedDict[int, tuple[Plan, Index]] = OrderedDict()
_indexes_lock = threading.Lock()
_INDEXES = 32


def index_of(view: Plan) -> Index:
    """The index of a view, built once per view (views are cached per workspace revision).

    Usage: ``index_of(read_view(source, principal))``.
    """
    key = id(view)
    with _indexes_lock:
        found = _indexes.get(key)
        if found is not None and found[0] is view:
            _indexes.move_to_end(key)
            return found[1]
    index = build_index(view)
    with _indexes_lock:
        _indexes[key] = (view, index)
        while len(_indexes) > _INDEXES:
            _indexes.popitem(last=False)
    return index


def search(
    source: PlanSource, principal: Principal, query: str, *, limit: int = 20, offset: int = 0
) -> SearchResult:
    """Search what ``principal`` may read at ``source``: hits, their count, their order.

    Usage: ``search(member.source, member.principal, "security venue")``.
    """
    from summitry.services.source import read_view

    return search_index(index_of(read_view(source, principal)), query, limit=limit, offset=offset)
