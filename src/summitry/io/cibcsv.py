r"""Cross-impact matrices as CSV, so experts can fill them in with any spreadsheet.

The layout (also in ``docs/cib-matrix-csv.md``), comma-separated, UTF-8::

    ,,ceasefire,ceasefire,sanctions,sanctions
    ,,holds,fails,relieved,kept
    ceasefire,holds,,,2,-2
    ceasefire,fails,,,-2,2
    sanctions,relieved,1,-1,,
    sanctions,kept,-2,2,,

- Row 1 names the descriptor of each column and row 2 its variant, from the third column on.
- Column 1 names the descriptor of each row and column 2 its variant, from the third row on.
- A blank descriptor name repeats the one before it (what merged cells export as); a
  descriptor's variants stay together, 2 to 6 of them.
- Rows list the variants in the same order as the columns, so the matrix is square.
- The cell in row (i, k) and column (j, l) is the impact of "descriptor i is in variant k" on
  "descriptor j is in variant l": an integer from -3 to +3 (a leading ``+`` is fine); an empty
  cell means 0. Cells where a descriptor meets itself (the diagonal blocks) stay empty or 0.
- The four top-left cells are ignored (room for a note such as "impact of row on column").
  Empty lines at the end and empty cells at the end of a line are ignored.

Every problem is one line ``file:line:column: what is wrong`` (columns count cells from 1);
a cell or name it quotes is cut to about 80 characters, with line breaks shown as ``\n``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from summitry.analysis.scenarios import (
    MAX_IMPACT,
    MAX_VARIANTS,
    MIN_IMPACT,
    MIN_VARIANTS,
    CrossImpactModel,
)
from summitry.domain.base import clip, echo
from summitry.errors import InputError
from summitry.io.textfile import read_text, write_text

HEADER_ROWS = 2
"""Rows before the first matrix row: descriptor names, then variant names."""

HEADER_COLUMNS = 2
"""Columns before the first matrix column: descriptor names, then variant names."""

_INTEGER = re.compile(r"(?P<sign>[+-]?)0*(?P<digits>[0-9]+)")

_IMPACT_DIGITS = len(str(max(-MIN_IMPACT, MAX_IMPACT)))
"""Digits of the largest impact: a number with more (leading zeros aside) is out of range.

Checked before ``int()``, which refuses more than 4,300 digits (leading zeros included) with
an error of its own.
"""


@dataclass(frozen=True)
class _Line:
    number: int
    cells: list[str]


def read_matrix(path: Path) -> CrossImpactModel:
    """Read a cross-impact matrix CSV file into a validated model.

    Usage: ``model = read_matrix(Path("experts/alice.csv"))``.
    """
    return loads(read_text(path), source=str(path))


def write_matrix(path: Path, model: CrossImpactModel) -> None:
    """Write a model as CSV in the documented layout, atomically.

    Usage: ``write_matrix(Path("matrix.csv"), model)``.
    """
    write_text(path, dumps(model))


def dumps(model: CrossImpactModel) -> str:
    """Render a model in the documented layout; diagonal blocks are left empty.

    Usage: ``text = dumps(model)``.
    """
    labels = model.labels
    owner = [descriptor for descriptor, _ in labels]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["", "", *owner])
    writer.writerow(["", "", *(variant for _, variant in labels)])
    for r, (descriptor, variant) in enumerate(labels):
        cells = [
            "" if owner[c] == descriptor else _number(value)
            for c, value in enumerate(model.impacts[r])
        ]
        writer.writerow([descriptor, variant, *cells])
    return out.getvalue()


def _number(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def loads(text: str, *, source: str = "<matrix>") -> CrossImpactModel:
    """Parse CSV text in the documented layout into a validated model.

    Usage: ``loads(path.read_text(), source="matrix.csv")``.
    """
    lines = _lines(text, source)
    if len(lines) < HEADER_ROWS + 1:
        raise InputError(
            f"{source}: a cross-impact matrix needs two header rows (descriptors, variants) "
            "and at least one row of impacts"
        )
    top, second = lines[0], lines[1]
    width = max(len(top.cells), len(second.cells))
    if width <= HEADER_COLUMNS:
        raise InputError(
            f"{source}:{top.number}: no variant columns; descriptor names start in column "
            f"{HEADER_COLUMNS + 1}"
        )
    columns = _header_labels(top, second, width, source)
    descriptors = _group(columns, source)
    rows = lines[HEADER_ROWS:]
    if len(rows) != len(columns):
        where = rows[-1].number if len(rows) > len(columns) else lines[-1].number
        raise InputError(
            f"{source}:{where}: the matrix has {len(rows)} rows of variants but "
            f"{len(columns)} columns; it must be square, one row and one column per variant"
        )
    impacts: list[tuple[int, ...]] = []
    previous = ""
    for index, line in enumerate(rows):
        cells = line.cells + [""] * (HEADER_COLUMNS + len(columns) - len(line.cells))
        if any(cell.strip() for cell in cells[HEADER_COLUMNS + len(columns) :]):
            raise InputError(
                f"{source}:{line.number}:{HEADER_COLUMNS + len(columns) + 1}: a value beyond the "
                f"last variant column; the header names {len(columns)} variants"
            )
        descriptor = cells[0].strip() or previous
        previous = descriptor
        variant = cells[1].strip()
        expected = columns[index]
        if (descriptor, variant) != expected.label:
            raise InputError(
                f"{source}:{line.number}:1: row {index + 1} is {_shown((descriptor, variant))} "
                f"but column {index + 1} is {_shown(expected.label)}; rows must list the "
                "variants in the same order as the columns"
            )
        impacts.append(_row(line, cells, columns, expected, source))
    return CrossImpactModel.build(descriptors, impacts, source=source)


def _lines(text: str, source: str) -> list[_Line]:
    first = text.split("\n", 1)[0]
    if ";" in first and "," not in first:
        raise InputError(
            f"{source}:1: the cells are separated by ';'; save the matrix as comma-separated CSV"
        )
    reader = csv.reader(io.StringIO(text))
    lines: list[_Line] = []
    try:
        start = 1
        for cells in reader:
            # A quoted cell may hold line breaks; a row is named by the line it starts on.
            lines.append(_Line(start, cells))
            start = reader.line_num + 1
    except csv.Error as err:
        raise InputError(f"{source}:{reader.line_num}: not valid CSV ({err})") from None
    while lines and not any(cell.strip() for cell in lines[-1].cells):
        lines.pop()
    for line in lines:
        if not any(cell.strip() for cell in line.cells):
            raise InputError(
                f"{source}:{line.number}: an empty line inside the matrix; every variant needs "
                "its row"
            )
    return lines


def _shown(label: tuple[str, str]) -> str:
    """A variant as messages quote it: ``'descriptor=variant'``, one line, about 80 wide."""
    return echo(f"{label[0]}={label[1]}")


@dataclass(frozen=True)
class _Column:
    label: tuple[str, str]
    owner: int
    cell: int


def _header_labels(top: _Line, second: _Line, width: int, source: str) -> list[_Column]:
    names = top.cells + [""] * (width - len(top.cells))
    variants = second.cells + [""] * (width - len(second.cells))
    # Trailing empty cells in both header rows are spreadsheet padding, not columns.
    while (
        width > HEADER_COLUMNS and not names[width - 1].strip() and not variants[width - 1].strip()
    ):
        width -= 1
    columns: list[_Column] = []
    current = ""
    owner = -1
    for cell in range(HEADER_COLUMNS, width):
        name = names[cell].strip()
        if name and name != current:
            current = name
            owner += 1
        if not current:
            raise InputError(
                f"{source}:{top.number}:{cell + 1}: column {cell + 1} has no descriptor name"
            )
        variant = variants[cell].strip()
        if not variant:
            raise InputError(
                f"{source}:{second.number}:{cell + 1}: column {cell + 1} has no variant name"
            )
        columns.append(_Column((current, variant), owner, cell))
    seen: dict[str, int] = {}
    for column in columns:
        name = column.label[0]
        if name in seen and seen[name] != column.owner:
            raise InputError(
                f"{source}:{top.number}:{column.cell + 1}: descriptor {echo(name)} appears again "
                "after another descriptor; keep a descriptor's variants in adjacent columns"
            )
        seen[name] = column.owner
    for column in columns:
        if sum(1 for c in columns if c.owner == column.owner) < MIN_VARIANTS:
            raise InputError(
                f"{source}:{top.number}:{column.cell + 1}: descriptor {echo(column.label[0])} has "
                f"1 variant; it needs {MIN_VARIANTS} to {MAX_VARIANTS}"
            )
    for index, column in enumerate(columns):
        for other in columns[:index]:
            if other.label == column.label:
                raise InputError(
                    f"{source}:{second.number}:{column.cell + 1}: descriptor "
                    f"{echo(column.label[0])} has the variant {echo(column.label[1])} twice"
                )
    return columns


def _group(columns: list[_Column], source: str) -> list[tuple[str, list[str]]]:
    groups: list[tuple[str, list[str]]] = []
    for column in columns:
        if not groups or groups[-1][0] != column.label[0]:
            groups.append((column.label[0], []))
        groups[-1][1].append(column.label[1])
    for name, variants in groups:
        if len(variants) > MAX_VARIANTS:
            first = next(c for c in columns if c.label[0] == name)
            raise InputError(
                f"{source}:1:{first.cell + 1}: descriptor {echo(name)} has {len(variants)} "
                f"variants; it needs {MIN_VARIANTS} to {MAX_VARIANTS}"
            )
    return groups


def _row(
    line: _Line, cells: list[str], columns: list[_Column], own: _Column, source: str
) -> tuple[int, ...]:
    values: list[int] = []
    for column in columns:
        raw = cells[column.cell].strip()
        where = f"{source}:{line.number}:{column.cell + 1}"
        pair = f"{_shown(own.label)} on {_shown(column.label)}"
        if not raw:
            values.append(0)
            continue
        number = _INTEGER.fullmatch(raw)
        if number is None:
            raise InputError(
                f"{where}: {echo(raw)} is not a whole number; the impact of {pair} must be an "
                f"integer from {MIN_IMPACT} to +{MAX_IMPACT} or empty"
            )
        shown = clip(raw)  # the number as written (+2), cut when it has thousands of digits
        digits = number.group("digits")
        too_long = len(digits) > _IMPACT_DIGITS
        value = 0 if too_long else int(number.group("sign") + digits)
        if too_long or not MIN_IMPACT <= value <= MAX_IMPACT:
            raise InputError(
                f"{where}: impact {shown} of {pair} is outside {MIN_IMPACT}..+{MAX_IMPACT}"
            )
        if column.owner == own.owner and value != 0:
            raise InputError(
                f"{where}: impact {shown} of {pair}: a descriptor does not judge itself; leave "
                "this cell empty"
            )
        values.append(value)
    return tuple(values)
