"""Renderers of a :class:`~summitry.reports.document.Document`: Markdown, HTML and PDF.

Markdown links its charts as SVG files written beside it; HTML is one self-contained file with
the charts inline and a print style sheet; PDF is typeset by typst with the DejaVu fonts that
ship with matplotlib, so Latin, Cyrillic and Greek render with nothing else installed. Other
scripts (e.g. CJK) need a font that has them: pass its folder as ``font_dirs``.
"""

from __future__ import annotations

import datetime as dt
import html
import tempfile
from collections.abc import Sequence
from pathlib import Path

from summitry.reports.document import (
    Block,
    Bullets,
    Commentary,
    Document,
    Paragraph,
    Table,
)


def markdown(document: Document, chart_dir: str = "charts") -> tuple[str, dict[str, str]]:
    """Render Markdown; returns the text and the chart files (relative name → SVG) it links.

    Usage: ``text, charts = markdown(doc, "report-charts")``.
    """
    lines = [f"# {_md(document.title)}", ""]
    lines += [f"- **{_md(key)}:** {_md(value)}" for key, value in document.meta]
    files: dict[str, str] = {}
    for number, section in enumerate(document.sections, start=1):
        lines += ["", f"## {number}. {_md(section.title)}", ""]
        for block in section.blocks:
            lines += _md_block(block, chart_dir, files)
            lines.append("")
    lines += ["---", ""] + [f"{_md(line)}  " for line in document.footer]
    return "\n".join(lines).rstrip() + "\n", files


def _md(text: str) -> str:
    # Escape what Markdown would read as markup; keep the text otherwise as written.
    for char in "\\`*_[]<>|#":
        text = text.replace(char, "\\" + char)
    return text


def _md_block(block: Block, chart_dir: str, files: dict[str, str]) -> list[str]:
    if isinstance(block, Paragraph):
        return [_md(block.text)]
    if isinstance(block, Commentary):
        return [f"> {_md(line)}" for line in block.text.splitlines() or [""]]
    if isinstance(block, Bullets):
        return [f"- {_md(item)}" for item in block.items]
    if isinstance(block, Table):
        rows = [block.header, *block.rows]
        out = ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows]
        out.insert(1, "|" + "---|" * len(block.header))
        return out
    path = f"{chart_dir}/{block.name}.svg"
    files[path] = block.svg
    return [f"![{_md(block.caption)}]({path})"]


_CSS = """
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1f2933;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .3rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #cbd2d9; padding-bottom: .2rem; margin-top: 2rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; }
dl.meta dt { font-weight: bold; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .9rem; }
th, td { border: 1px solid #cbd2d9; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f4f8; }
blockquote { border-left: 4px solid #2f6db5; margin: .5rem 0; padding: .2rem .8rem;
             background: #f5f8fc; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .85rem; color: #52606d; }
footer { margin-top: 2rem; font-size: .8rem; color: #52606d; border-top: 1px solid #cbd2d9; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; }
               table, figure { break-inside: avoid; } }
"""


def html_page(document: Document) -> str:
    """Render one self-contained HTML page with inline SVG charts, ready to print.

    Usage: ``Path("report.html").write_text(html_page(doc))``.
    """
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(document.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(document.title)}</h1>",
        '<dl class="meta">',
        *(f"<dt>{esc(key)}</dt><dd>{esc(value)}</dd>" for key, value in document.meta),
        "</dl>",
    ]
    for number, section in enumerate(document.sections, start=1):
        parts.append(f'<section id="{esc(section.id)}"><h2>{number}. {esc(section.title)}</h2>')
        parts += [_html_block(block) for block in section.blocks]
        parts.append("</section>")
    parts.append("<footer>" + "<br>".join(esc(line) for line in document.footer) + "</footer>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_block(block: Block) -> str:
    esc = html.escape
    if isinstance(block, Paragraph):
        return f"<p>{esc(block.text)}</p>"
    if isinstance(block, Commentary):
        return (
            "<blockquote>" + "<br>".join(esc(x) for x in block.text.splitlines()) + "</blockquote>"
        )
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{esc(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Table):
        head = "".join(f"<th>{esc(cell)}</th>" for cell in block.header)
        body = "".join(
            "<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>"
            for row in block.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    svg = block.svg[block.svg.find("<svg") :]  # drop the XML prologue inside HTML
    return f"<figure>{svg}<figcaption>{esc(block.caption)}</figcaption></figure>"


def pdf(document: Document, font_dirs: Sequence[Path] = (), day: dt.date | None = None) -> bytes:
    """Typeset the document as PDF with typst; ``day`` dates it (else the current time).

    Usage: ``Path("report.pdf").write_bytes(pdf(doc, day=date(2024, 7, 15)))``.
    """
    import matplotlib
    import typst

    fonts = [Path(matplotlib.get_data_path()) / "fonts" / "ttf", *font_dirs]
    with tempfile.TemporaryDirectory(prefix="summitry-report-") as folder:
        root = Path(folder)
        for figure in document.figures():
            (root / f"{figure.name}.svg").write_text(figure.svg, encoding="utf-8")
        (root / "report.typ").write_text(_typst(document), encoding="utf-8")
        stamp = None
        if day is not None:
            stamp = int(dt.datetime.combine(day, dt.time(), dt.UTC).timestamp())
        result: bytes = typst.compile(
            str(root / "report.typ"),
            root=str(root),
            font_paths=[str(path) for path in fonts],
            timestamp=stamp,
        )
    return result


def _ts(text: str) -> str:
    # Text goes into typst as string literals, so markup characters in it stay plain text.
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _typst(document: Document) -> str:
    lines = [
        '#set text(font: "DejaVu Sans", size: 9.5pt)',
        '#set page(paper: "a4", margin: 2cm, numbering: "1")',
        "#set heading(numbering: none)",
        "#show heading.where(level: 2): it => block(above: 1.4em, below: 0.7em, it)",
        f"#heading(level: 1, {_ts(document.title)})",
        "#table(columns: 2, stroke: none, inset: 2pt, "
        + ", ".join(f"strong({_ts(key)}), {_ts(value)}" for key, value in document.meta)
        + ")",
    ]
    for number, section in enumerate(document.sections, start=1):
        lines.append(f"#heading(level: 2, {_ts(f'{number}. {section.title}')})")
        for block in section.blocks:
            lines.append(_typst_block(block))
    lines.append("#line(length: 100%, stroke: 0.5pt + gray)")
    lines += [f"#text(size: 8pt, fill: gray, {_ts(line)})\\" for line in document.footer]
    return "\n\n".join(lines) + "\n"


def _typst_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"#par({_ts(block.text)})"
    if isinstance(block, Commentary):
        return (
            '#block(stroke: (left: 3pt + rgb("#2f6db5")), inset: 6pt, fill: rgb("#f5f8fc"), '
            f"width: 100%, {_ts(block.text)})"
        )
    if isinstance(block, Bullets):
        return "#list(" + ", ".join(_ts(item) for item in block.items) + ")"
    if isinstance(block, Table):
        cells = [f"strong({_ts(cell)})" for cell in block.header]
        cells += [_ts(cell) for row in block.rows for cell in row]
        return (
            f"#table(columns: {len(block.header)}, inset: 4pt, stroke: 0.4pt + gray, "
            + ", ".join(cells)
            + ")"
        )
    return f'#figure(image("{block.name}.svg", width: 100%), caption: {_ts(block.caption)})'
