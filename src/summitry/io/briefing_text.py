"""Structural reader for briefing documents, whether tidy Markdown or messy pasted text.

Approach: a hand-written, line-by-line classifier rather than markdown-it-py. Pasted
briefings put tables, bullet lists and prose on consecutive lines with no blank line between
them. CommonMark semantics then do the wrong thing: the table rule keeps taking lines as rows
until a blank line (so the prose after a table becomes a row), a list item absorbs the next
prose line as a "lazy continuation", and title lines without ``#`` merge into paragraphs.
Normalising the text for markdown-it would need the same per-line decisions made here, so
the classifier does the whole job and also handles the Markdown that briefings actually use.

The reader only recovers structure (headings, paragraphs, bullet lists, pipe tables). It does
not interpret the content; inline Markdown such as ``**bold**`` is left in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Block",
    "BulletList",
    "Heading",
    "Paragraph",
    "Table",
    "read_blocks",
    "split_labelled",
]


@dataclass(frozen=True)
class Table:
    """A pipe table.

    Attributes:
        title: Text of the intro sentence ending with ``:`` in the paragraph just before the
            table (without the colon), else the nearest preceding heading, else ``None``.
        header: Header cells, stripped.
        rows: Body rows, each padded with empty strings or truncated to ``len(header)``.
        line: 1-based line number of the header row.

    """

    title: str | None
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    line: int


@dataclass(frozen=True)
class BulletList:
    """A run of consecutive bullet or numbered list items.

    Attributes:
        title: Intro sentence ending with ``:`` just before the list (without the colon),
            else the nearest preceding heading, else ``None``.
        items: Item texts without their markers.
        line: 1-based line number of the first item.

    """

    title: str | None
    items: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of prose.

    Attributes:
        text: The paragraph's lines joined with single spaces.
        line: 1-based line number of the paragraph's first line.

    """

    text: str
    line: int


@dataclass(frozen=True)
class Heading:
    """A heading, either a Markdown ``#`` heading or an inferred title line.

    Attributes:
        text: Heading text without markers.
        level: Number of ``#`` for Markdown headings (1 for a ``===`` underline); 2 for
            inferred title lines and ``---`` underlines.
        line: 1-based line number of the heading.

    """

    text: str
    level: int
    line: int


Block = Table | BulletList | Paragraph | Heading

# Longest line treated as a hard-wrapped line of a longer paragraph. Pasted briefings put a
# whole paragraph on one line, so a longer line that ends a sentence also ends its paragraph.
_WRAP_WIDTH = 100
_MAX_TITLE_WORDS = 12
_MAX_LABEL_WORDS = 8
_MAX_LABEL_CHARS = 60

_ATX_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_BULLET = re.compile(
    r"(?P<indent>\s*)(?:(?P<symbol>[-*+\u2022\u2023\u25e6\u2013\u2014])|\d{1,3}(?P<delimiter>[.)]))"
    r"\s+(?P<text>\S.*)"
)
_SEPARATOR_CELL = re.compile(r":?[-\u2013\u2014]+:?")
_THEMATIC_BREAK = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})")
_SETEXT_UNDERLINE = re.compile(r" {0,3}(=+|-+)[ \t]*")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_CLOSERS = "\"')]}\u2019\u201d\u00bb*_"
_OPENERS = "\"'([{\u2018\u201c\u00ab*_"
_SENTENCE_END = ".!?:"
_TITLE_FORBIDDEN_END = ".,;:"
# Short words that stay lowercase in title case; they neither help nor hurt a title.
_MINOR_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on"}
    | {"onto", "or", "over", "per", "the", "to", "via", "vs", "with"}
)
# A line ending in one of these words runs on into the next line.
_RUN_ON_WORDS = _MINOR_WORDS | frozenset({"nor", "than", "that", "which", "who"})
_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.){1,3}$|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Col|vs|etc)\.$")


def read_blocks(text: str) -> list[Block]:
    """Split a briefing into headings, paragraphs, bullet lists and tables, in order.

    Args:
        text: The whole document. CRLF or CR line endings, tabs and a leading
            UTF-8 byte order mark are accepted.

    Returns:
        The blocks in document order.

    """
    return _Reader(_lines(text)).read()


def split_labelled(item: str) -> tuple[str | None, str]:
    """Split a ``Label: text`` list item into its label and text.

    A label is a short phrase (at most 8 words, no sentence punctuation) before the first
    colon, followed by non-empty text. Bold markers around the label are dropped. Clock times
    ("10:30") and URLs ("https://...") are not labels.

    Args:
        item: A list item's text, without its marker.

    Returns:
        ``(label, text)``, or ``(None, item)`` with the item stripped when there is no label.

    """
    stripped = item.strip()
    colon = stripped.find(":")
    if colon <= 0:
        return None, stripped
    label = stripped[:colon].strip().strip("*_").strip()
    rest = stripped[colon + 1 :].lstrip("*_").strip()
    if (
        not label
        or not rest
        or rest.startswith("//")
        or (stripped[colon - 1].isdigit() and stripped[colon + 1 : colon + 2].isdigit())
        or len(label) > _MAX_LABEL_CHARS
        or len(label.split()) > _MAX_LABEL_WORDS
        or any(mark in label for mark in ".;!?|")
        or not label[0].isalnum()
    ):
        return None, stripped
    return label, rest


def _lines(text: str) -> list[str]:
    """Normalise line endings, tabs, a byte order mark and odd spaces; split into lines."""
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    # Split on "\n" only: str.splitlines also breaks at form feeds and other separators,
    # which would shift line numbers away from what an editor shows.
    return [line.expandtabs(4).rstrip() for line in text.split("\n")]


def _is_blank(line: str) -> bool:
    return not line.strip()


def _pipe_count(line: str) -> int:
    return len(_UNESCAPED_PIPE.findall(line))


def _outer_pipes(line: str) -> tuple[bool, bool]:
    stripped = line.strip()
    return stripped.startswith("|"), stripped.endswith("|") and not stripped.endswith("\\|")


def _cells(line: str) -> list[str]:
    """Split a table line into stripped cells, ignoring the outer pipes."""
    stripped = line.strip()
    leading, trailing = _outer_pipes(stripped)
    if leading:
        stripped = stripped[1:]
    if trailing:
        stripped = stripped[:-1]
    return [cell.strip().replace("\\|", "|") for cell in _UNESCAPED_PIPE.split(stripped)]


def _is_separator(line: str) -> bool:
    """Tell whether a line is a table's header separator such as ``---|:--:|``."""
    if _pipe_count(line) == 0:
        # A bare "---" is a thematic break or a heading underline, not a table separator.
        return False
    cells = _cells(line)
    return all(_SEPARATOR_CELL.fullmatch(cell) for cell in cells)


@dataclass(frozen=True)
class _Item:
    """A list item line: its indentation, marker kind and text."""

    indent: int
    kind: str
    text: str


def _bullet(line: str) -> _Item | None:
    match = _BULLET.fullmatch(line)
    if match is None or _THEMATIC_BREAK.fullmatch(line):
        return None
    # Numbered items share a kind per delimiter, so "1." and "2." belong to the same list.
    kind = match["symbol"] or f"1{match['delimiter']}"
    return _Item(indent=len(match["indent"]), kind=kind, text=match["text"].strip())


def _bullet_text(line: str) -> str | None:
    item = _bullet(line)
    return None if item is None else item.text


def _atx_heading(line: str) -> tuple[int, str] | None:
    match = _ATX_HEADING.fullmatch(line)
    if match is None:
        return None
    return len(match.group(1)), (match.group(2) or "").strip()


def _strip_emphasis(line: str) -> str:
    """Drop ``**`` or ``__`` wrapping the whole line, as in ``**Key Points**``."""
    stripped = line.strip()
    for marker in ("**", "__"):
        wrapped = stripped.startswith(marker) and stripped.endswith(marker)
        if wrapped and len(stripped) > 2 * len(marker):
            return stripped[len(marker) : -len(marker)].strip()
    return stripped


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _starts_lowercase(line: str) -> bool:
    stripped = line.lstrip().lstrip(_OPENERS)
    return bool(stripped) and stripped[0].islower()


def _looks_like_title(line: str) -> bool:
    """Judge a line by its shape alone: short, unpunctuated and mostly capitalised."""
    if _pipe_count(line) or _bullet_text(line) is not None or _atx_heading(line):
        return False
    text = _strip_emphasis(line)
    words = text.split()
    if not words or len(words) > _MAX_TITLE_WORDS:
        return False
    core = text.rstrip(_CLOSERS)
    if not core or core[-1] in _TITLE_FORBIDDEN_END:
        return False
    if words[-1].lower().strip(_CLOSERS) in _RUN_ON_WORDS:
        return False
    capitalised = significant = 0
    for index, word in enumerate(words):
        bare = word.lstrip(_OPENERS)
        if not bare or not bare[0].isalpha():
            continue
        if index > 0 and bare.lower() in _MINOR_WORDS:
            continue
        significant += 1
        capitalised += bare[0].isupper()
    # "Most words" means at least two thirds of the words that are not minor words.
    return significant > 0 and 3 * capitalised >= 2 * significant


def _last_sentence(text: str) -> str:
    """Return the final sentence of a paragraph, not splitting after "U.S." or "Dr."."""
    start = 0
    for match in re.finditer(r"[.!?][\"'\u2019\u201d)]*\s+(?=[\"'\u2018\u201c(]?[A-Z0-9])", text):
        before = text[start : match.start() + 1]
        if _ABBREVIATION.search(before):
            continue
        start = match.end()
    return text[start:].strip()


def _intro_title(text: str) -> str | None:
    """Return the paragraph's closing sentence if it ends with a colon, without the colon."""
    sentence = _last_sentence(text).rstrip()
    if not sentence.endswith(":"):
        return None
    return sentence[:-1].rstrip() or None


class _Reader:
    """Walks the lines once, emitting blocks; holds the paragraph being accumulated."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.blocks: list[Block] = []
        self.paragraph: list[str] = []
        self.paragraph_line = 0
        # A document without blank lines between its blocks separates paragraphs by single
        # newlines; otherwise single newlines are taken as hard wraps inside a paragraph.
        filled = [number for number, line in enumerate(lines) if not _is_blank(line)]
        inner = lines[filled[0] : filled[-1] + 1] if filled else []
        self.newline_paragraphs = not any(_is_blank(line) for line in inner)

    def read(self) -> list[Block]:
        index = 0
        while index < len(self.lines):
            index = self._step(index)
        self._flush()
        return self.blocks

    def _step(self, index: int) -> int:
        """Classify the line at ``index`` and return the index of the next unread line."""
        line = self.lines[index]
        if _is_blank(line):
            self._flush()
            return index + 1
        atx = _atx_heading(line)
        if atx is not None:
            self._flush()
            if atx[1]:
                self._add_heading(atx[1], atx[0], index)
            return index + 1
        if self._is_setext_underline(line):
            text, start = " ".join(self.paragraph), self.paragraph_line
            self.paragraph = []
            level = 1 if line.strip().startswith("=") else 2
            self.blocks.append(Heading(text=text, level=level, line=start + 1))
            return index + 1
        if self._starts_table(index):
            self._flush()
            return self._read_table(index)
        item = _bullet(line)
        if item is not None:
            self._flush()
            return self._read_list(index, item)
        if _THEMATIC_BREAK.fullmatch(line):
            self._flush()
            return index + 1
        if self._is_title(index):
            self._flush()
            self._add_heading(_strip_emphasis(line), 2, index)
            return index + 1
        if self.paragraph and self._breaks_paragraph(self.paragraph[-1]):
            self._flush()
        if not self.paragraph:
            self.paragraph_line = index
        self.paragraph.append(line.strip())
        return index + 1

    def _flush(self) -> None:
        if self.paragraph:
            text = " ".join(self.paragraph)
            self.blocks.append(Paragraph(text=text, line=self.paragraph_line + 1))
            self.paragraph = []

    def _add_heading(self, text: str, level: int, index: int) -> None:
        self.blocks.append(Heading(text=text, level=level, line=index + 1))

    def _breaks_paragraph(self, previous: str) -> bool:
        """Tell whether a newline after ``previous`` ends its paragraph."""
        if not _ends_sentence(previous):
            return False
        return self.newline_paragraphs or len(previous) > _WRAP_WIDTH

    def _is_setext_underline(self, line: str) -> bool:
        # Only a one-line paragraph can be a setext heading; otherwise "---" is a rule.
        return len(self.paragraph) == 1 and bool(_SETEXT_UNDERLINE.fullmatch(line))

    def _starts_table(self, index: int) -> bool:
        if index + 1 >= len(self.lines) or _pipe_count(self.lines[index]) == 0:
            return False
        return _is_separator(self.lines[index + 1])

    def _is_title(self, index: int) -> bool:
        line = self.lines[index]
        if not _looks_like_title(line):
            return False
        if self.paragraph and not _ends_sentence(self.paragraph[-1]):
            # The paragraph so far stops mid-sentence, so this line carries it on.
            return False
        following = index + 1
        if following >= len(self.lines) or _is_blank(self.lines[following]):
            return True
        if _SETEXT_UNDERLINE.fullmatch(self.lines[following]):
            # Leave it to the underline, which says which heading level is meant.
            return False
        # A lowercase start on the very next line means the "title" was half a sentence.
        return not _starts_lowercase(self.lines[following])

    def _title_for(self) -> str | None:
        """Pick a title for a list or table about to be added after the current blocks."""
        if self.blocks and isinstance(self.blocks[-1], Paragraph):
            intro = _intro_title(self.blocks[-1].text)
            if intro is not None:
                return intro
        for block in reversed(self.blocks):
            if isinstance(block, Heading):
                return block.text
        return None

    def _read_table(self, index: int) -> int:
        header_line = self.lines[index]
        header = tuple(_cells(header_line))
        width = len(header)
        leading, trailing = _outer_pipes(header_line)
        # Rows of a table whose header has no outer pipes may hold one pipe fewer.
        min_pipes = 2 if leading or trailing or width > 2 else 1
        rows: list[tuple[str, ...]] = []
        position = index + 2
        while position < len(self.lines):
            line = self.lines[position]
            if _is_blank(line) or _pipe_count(line) < min_pipes:
                break
            row_leading, row_trailing = _outer_pipes(line)
            shares_outer_pipe = (leading and row_leading) or (trailing and row_trailing)
            if (leading or trailing) and not shares_outer_pipe:
                # Prose that happens to contain pipes does not start or end with one.
                break
            if self._starts_table(position):
                # A row followed by a separator is the header of the next table.
                break
            if not _is_separator(line):
                cells = _cells(line)
                rows.append(tuple((cells + [""] * width)[:width]))
            position += 1
        table = Table(title=self._title_for(), header=header, rows=tuple(rows), line=index + 1)
        self.blocks.append(table)
        return position

    def _read_list(self, index: int, first: _Item) -> int:
        items = [first.text]
        position = index + 1
        while position < len(self.lines):
            line = self.lines[position]
            item = _bullet(line)
            if item is not None:
                if item.indent <= first.indent and item.kind != first.kind:
                    # A new marker style at the list's own depth starts another list.
                    break
                items.append(item.text)
                position += 1
                continue
            if _is_blank(line):
                # A blank line inside a loose list: the list goes on if a like item follows.
                ahead = position
                while ahead < len(self.lines) and _is_blank(self.lines[ahead]):
                    ahead += 1
                upcoming = _bullet(self.lines[ahead]) if ahead < len(self.lines) else None
                if upcoming is not None and (
                    upcoming.indent > first.indent or upcoming.kind == first.kind
                ):
                    position = ahead
                    continue
                break
            if line.startswith("  ") and not self._starts_table(position):
                # An indented line continues the item above, as in Markdown; prose in pasted
                # briefings starts at the margin and so ends the list instead.
                items[-1] = f"{items[-1]} {line.strip()}"
                position += 1
                continue
            break
        self.blocks.append(BulletList(title=self._title_for(), items=tuple(items), line=index + 1))
        return position
