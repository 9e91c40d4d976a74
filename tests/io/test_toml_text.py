"""Our TOML writer and key locator, checked against the standard library's TOML reader."""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from summitry.io.tomlkeys import key_lines, line_of
from summitry.io.tomlwrite import dumps

keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
scalars = (
    st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)))
    | st.dates()
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=12,
)
documents = st.dictionaries(keys, values, max_size=6)


@given(documents)
def test_written_toml_reads_back_equal(data: dict[str, Any]) -> None:
    assert tomllib.loads(dumps(data)) == data


def leaf_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in leaf_paths(item, (*path, key))]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in leaf_paths(item, (*path, index))]
    return [path]


@given(documents)
def test_every_written_key_is_located_on_a_line_that_names_it(data: dict[str, Any]) -> None:
    text = dumps(data)
    lines = key_lines(text)
    rows = text.split("\n")
    for path in leaf_paths(data):
        line = line_of(lines, path)
        assert line is not None
        named = [part for part in path if isinstance(part, str)]
        if named and path[-1] == named[-1]:
            written_key = dumps({named[-1]: True}).split(" = ")[0]
            assert written_key in rows[line - 1]


def test_locator_handles_handwritten_layouts() -> None:
    text = """\
# comment with [brackets] and key = value
title = "A [b] = c"   # trailing comment
calendar.holidays = [2024-01-01,
  2024-12-25]
notes = '''
[not.a.table]
'''
[tasks.survey]
depends_on = [
  "a",
  { task = "b", lag = 2 },
]
[[rounds]]
n = 1
[[rounds]]
n = 2
["quoted key".inner]
value = 3
"""
    lines = key_lines(text)
    assert lines[("title",)] == 2
    assert lines[("calendar", "holidays", 1)] == 4
    assert ("not", "a", "table") not in lines
    assert lines[("tasks", "survey", "depends_on", 1, "lag")] == 11
    assert lines[("rounds", 1, "n")] == 16
    assert lines[("quoted key", "inner", "value")] == 18
    assert line_of(lines, ("tasks", "survey", "owner")) == 8
    assert tomllib.loads(text)["rounds"][1]["n"] == 2


def test_dates_and_short_records_stay_on_one_line() -> None:
    text = dumps(
        {"tasks": {"survey": {"name": "Survey", "estimate": [1, 2, 3], "due": dt.date(2024, 7, 1)}}}
    )
    assert text == '[tasks.survey]\nname = "Survey"\nestimate = [1, 2, 3]\ndue = 2024-07-01\n'


def test_locator_steps_over_nesting_deeper_than_the_limit_without_recursing() -> None:
    # Past MAX_DEPTH the scanner only counts brackets (strings and comments included), so a
    # pathological text neither exhausts the stack nor loses the keys that follow it.
    deep = "[" * 5_000 + '"]}[{", # ] comment\n' + "]" * 5_000
    text = f"a = {deep}\nb = {{ c = [{deep}], d = 1 }}\n[t]\ne = 2\n"
    lines = key_lines(text)
    assert lines[("a",)] == 1
    assert lines[("b",)] == 3
    assert lines[("b", "d")] == 4
    assert lines[("t", "e")] == 6
    assert line_of(lines, ("a", *[0] * 100)) == 1
