"""Cross-impact matrix CSV: the documented layout round-trips, and every mistake names its cell."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from summitry.analysis.scenarios import CrossImpactModel
from summitry.errors import InputError
from summitry.io.cibcsv import dumps, loads, read_matrix, write_matrix

GOOD = """\
,,ceasefire,ceasefire,sanctions,sanctions
,,holds,fails,relieved,kept
ceasefire,holds,,,2,-2
ceasefire,fails,,,-2,2
sanctions,relieved,1,-1,,
sanctions,kept,-2,2,,
"""


def test_reads_the_documented_layout() -> None:
    model = loads(GOOD, source="m.csv")
    assert [(d.name, d.variants) for d in model.descriptors] == [
        ("ceasefire", ("holds", "fails")),
        ("sanctions", ("relieved", "kept")),
    ]
    assert model.impacts == (
        (0, 0, 2, -2),
        (0, 0, -2, 2),
        (1, -1, 0, 0),
        (-2, 2, 0, 0),
    )
    assert model.source == "m.csv"


def test_spreadsheet_habits_are_accepted() -> None:
    # Merged descriptor cells export as blanks, "+2" and explicit zeros are fine, a note in the
    # corner, padding cells and trailing blank lines are ignored.
    text = (
        "impact of row on column,,ceasefire,,sanctions,,\n"
        ",,holds,fails,relieved,kept,\n"
        "ceasefire,holds,0,,+2,-2,\n"
        ",fails,,,-2,+2\n"
        "sanctions,relieved,1,-1,,,\n"
        ",kept,-2,2,0,0\n"
        ",,,,,\n"
        "\n"
    )
    assert loads(text) == loads(GOOD)


def test_round_trip_through_a_file(tmp_path: Path) -> None:
    model = loads(GOOD)
    path = tmp_path / "matrix.csv"
    write_matrix(path, model)
    assert read_matrix(path) == model
    assert path.read_text(encoding="utf-8").splitlines()[2] == "ceasefire,holds,,,+2,-2"


@st.composite
def models(draw: st.DrawFn) -> CrossImpactModel:
    counts = draw(st.lists(st.integers(2, 6), min_size=1, max_size=5))
    size = sum(counts)
    cells = draw(st.lists(st.integers(-3, 3), min_size=size * size, max_size=size * size))
    matrix = np.array(cells).reshape(size, size)
    first = 0
    for width in counts:
        matrix[first : first + width, first : first + width] = 0
        first += width
    # Names with commas, quotes and spaces must survive the CSV quoting.
    label = st.text(alphabet=st.sampled_from('abc XYZ,"-é'), min_size=1, max_size=8).filter(
        lambda s: s.strip() == s and s.strip()
    )
    names = draw(st.lists(label, min_size=len(counts), max_size=len(counts), unique=True))
    descriptors = [
        (name, draw(st.lists(label, min_size=w, max_size=w, unique=True)))
        for name, w in zip(names, counts, strict=True)
    ]
    return CrossImpactModel.build(descriptors, matrix)


@given(models())
def test_any_model_round_trips(model: CrossImpactModel) -> None:
    assert loads(dumps(model)) == model


def lines_with(row: int, column: int, value: str) -> str:
    """GOOD with one cell (1-based line and column) replaced."""
    lines = [line.split(",") for line in GOOD.splitlines()]
    lines[row - 1][column - 1] = value
    return "\n".join(",".join(line) for line in lines) + "\n"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            lines_with(3, 5, "4"),
            "m.csv:3:5:",
            "impact 4 of 'ceasefire=holds' on 'sanctions=relieved'",
        ),
        (lines_with(5, 3, "-7"), "m.csv:5:3:", "outside -3..+3"),
        (lines_with(4, 6, "1.5"), "m.csv:4:6:", "'1.5' is not a whole number"),
        (lines_with(6, 4, "high"), "m.csv:6:4:", "'high' is not a whole number"),
        (lines_with(3, 4, "1"), "m.csv:3:4:", "a descriptor does not judge itself"),
        (lines_with(5, 2, "lifted"), "m.csv:5:1:", "row 3 is 'sanctions=lifted'"),
        (lines_with(2, 6, ""), "m.csv:2:6:", "column 6 has no variant name"),
        (
            GOOD + "sanctions,extra,0,0,0,0\n",
            "m.csv:7:",
            "5 rows of variants but 4 columns",
        ),
        (
            "\n".join(GOOD.splitlines()[:-1]) + "\n",
            "m.csv:5:",
            "3 rows of variants but 4 columns",
        ),
        (
            ",,ceasefire,ceasefire,sanctions\n,,holds,fails,relieved\n"
            "ceasefire,holds,,,1\nceasefire,fails,,,1\nsanctions,relieved,1,1,\n",
            "m.csv:1:5:",
            "descriptor 'sanctions' has 1 variant; it needs 2 to 6",
        ),
        (
            ",,a,a,b,b,a\n,,x,y,x,y,z\n" + "\n".join(f"r{i},v,0,0,0,0,0" for i in range(5)),
            "m.csv:1:7:",
            "descriptor 'a' appears again",
        ),
        (
            ",,a,a,b,b\n,,x,x,x,y\na,x,,,,\na,x,,,,\nb,x,,,,\nb,y,,,,\n",
            "m.csv:2:4:",
            "has the variant 'x' twice",
        ),
        (
            GOOD.replace(",2,-2\n", ",2,-2,1\n", 1),
            "m.csv:3:7:",
            "a value beyond the last variant column",
        ),
        (GOOD.replace("\nceasefire,fails", "\n\nceasefire,fails"), "m.csv:4:", "an empty line"),
        (GOOD.replace(",", ";"), "m.csv:1:", "separated by ';'"),
        (",,a,a\n,,x,y\n", "m.csv:", "at least one row of impacts"),
    ],
)
def test_every_mistake_names_file_line_and_column(text: str, where: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        loads(text, source="m.csv")
    line = str(caught.value)
    assert line.startswith(where), line
    assert message in line
    assert "\n" not in line


def test_a_missing_or_empty_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_matrix(tmp_path / "absent.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        read_matrix(empty)


def test_seven_variants_are_refused_at_the_descriptor() -> None:
    header = ",," + ",".join(["a"] * 7 + ["b", "b"]) + "\n"
    header += ",," + ",".join([f"v{i}" for i in range(7)] + ["x", "y"]) + "\n"
    rows = "".join(
        f"{d},{v}" + ",0" * 9 + "\n"
        for d, v in [("a", f"v{i}") for i in range(7)] + [("b", "x"), ("b", "y")]
    )
    with pytest.raises(InputError) as caught:
        loads(header + rows, source="m.csv")
    assert str(caught.value).startswith("m.csv:1:3: descriptor 'a' has 7 variants")


def test_the_documented_example_is_the_layout_we_read() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "cib-matrix-csv.md").read_text(
        encoding="utf-8"
    )
    example = doc.split("```csv\n", 1)[1].split("```", 1)[0]
    assert loads(example) == loads(GOOD)
    for mistake, where in [
        (lines_with(3, 5, "4"), "matrix.csv:3:5: impact 4 of 'ceasefire=holds'"),
        (lines_with(4, 6, "1.5"), "matrix.csv:4:6: '1.5' is not a whole number"),
    ]:
        with pytest.raises(InputError) as caught:
            loads(mistake, source="matrix.csv")
        assert str(caught.value).startswith(where)
        assert str(caught.value) in doc


def mistake(text: str) -> str:
    """The one-line message of the InputError that reading ``text`` raises."""
    with pytest.raises(InputError) as caught:
        loads(text, source="m.csv")
    line = str(caught.value)
    assert "\n" not in line
    return line


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("9" * 5000, "impact 999"),  # int() itself refuses more than 4,300 digits
        ("-" + "0" * 5000 + "4", "impact -000"),  # leading zeros count towards that limit
        ("+00000000000000000000003", None),  # but the value is +3: fine
    ],
)
def test_numbers_of_thousands_of_digits_are_out_of_range(cell: str, shown: str | None) -> None:
    text = lines_with(3, 5, cell)
    if shown is None:
        assert loads(text).impacts[0][2] == 3
        return
    line = mistake(text)
    assert line.startswith(f"m.csv:3:5: {shown}")
    assert line.endswith("of 'ceasefire=holds' on 'sanctions=relieved' is outside -3..+3")
    assert len(line) < 250


def test_quoted_cells_and_names_are_cut_and_kept_on_one_line() -> None:
    long_cell = lines_with(3, 5, '"' + "x" * 5000 + '"')
    line = mistake(long_cell)
    assert line.startswith("m.csv:3:5: 'xxx")
    assert "…' is not a whole number" in line
    assert len(line) < 250
    broken = lines_with(3, 5, '"2\nor 3"')
    assert mistake(broken).startswith("m.csv:3:5: '2\\nor 3' is not a whole number")
    renamed = lines_with(5, 2, '"lifted\n' + "y" * 300 + '"')
    line = mistake(renamed)
    assert line.startswith("m.csv:5:1: row 3 is 'sanctions=lifted\\nyyy")
    assert len(line) < 300
