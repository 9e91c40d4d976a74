"""Writing a situation report to disk: the document in one format, its charts, its snapshot.

Everything is rendered in memory first and then written file by file atomically, so a failure
(an unwritable folder, a typesetting error) leaves no half-written report behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from summitry.errors import InputError
from summitry.io.textfile import write_text
from summitry.reports.render import html_page, markdown, pdf
from summitry.reports.sitrep import SituationReport

Format = Literal["md", "html", "pdf"]
FORMATS: tuple[Format, ...] = ("md", "html", "pdf")


def check_font_dirs(font_dirs: Sequence[Path]) -> None:
    """Refuse a font folder that does not exist, before any work is done.

    Usage: ``check_font_dirs([Path("fonts")])``.
    """
    for folder in font_dirs:
        if not folder.is_dir():
            raise InputError(f"--font-dir: '{folder}' is not a folder")


def publish(
    report: SituationReport, output: Path, fmt: Format, font_dirs: Sequence[Path] = ()
) -> list[Path]:
    """Write the report as ``output`` in ``fmt`` plus its snapshot (``.json`` beside it).

    Markdown charts go into a folder ``<name>-charts`` beside the file; ``font_dirs`` add fonts
    for the PDF (scripts the bundled DejaVu fonts lack, such as CJK). Returns the paths written.
    Usage: ``publish(build_sitrep(...), Path("sitrep-12.pdf"), "pdf")``.
    """
    if output.suffix.lstrip(".") != fmt:
        raise InputError(f"{output}: the file name should end in .{fmt} for --format {fmt}")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{output}: cannot write, the folder '{folder}' does not exist")
    files: dict[Path, str | bytes] = {}
    if fmt == "md":
        chart_dir = f"{output.stem}-charts"
        text, charts = markdown(report.document, chart_dir)
        files[output] = text
        files.update({folder / name: svg for name, svg in charts.items()})
    elif fmt == "html":
        files[output] = html_page(report.document)
    else:
        check_font_dirs(font_dirs)
        # Stamped with the report's own date, so the same report gives the same bytes.
        files[output] = pdf(report.document, font_dirs, report.snapshot.as_of)
    files[output.with_suffix(".json")] = report.snapshot.model_dump_json(indent=2) + "\n"
    for path, content in files.items():
        if path.parent != folder:
            path.parent.mkdir(exist_ok=True)
        write_text(path, content)
    return list(files)
