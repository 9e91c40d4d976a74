"""A small document model that every report format renders: sections of plain-text blocks.

Builders fill it with already-authorised content; renderers (Markdown, HTML, PDF) decide the
markup. Text is plain: renderers escape it, so content can never inject markup.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A bulleted list."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Figure:
    """A chart: SVG text, a file-friendly name and a caption."""

    name: str
    svg: str
    caption: str


@dataclass(frozen=True)
class Commentary:
    """Text the cell wrote itself, set apart from the generated content."""

    text: str


Block = Paragraph | Bullets | Table | Figure | Commentary


@dataclass(frozen=True)
class Section:
    """A numbered section; ``id`` is stable across reports (``bluf``, ``risks``, ...)."""

    id: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    """A whole report: title, header facts, sections and footer lines."""

    title: str
    meta: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    footer: tuple[str, ...]

    def figures(self) -> list[Figure]:
        """Every chart in the document, in order.

        Usage: ``[figure.name for figure in document.figures()]``.
        """
        return [block for s in self.sections for block in s.blocks if isinstance(block, Figure)]
