"""Plan files: errors that point at the line, bad files refused whole, and lossless round trips."""

from __future__ import annotations

import datetime as dt
import os
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summitry.domain import Plan
from summitry.errors import InputError, PlanError
from summitry.io import planfile

PLAN_WITH_TASKS = """\
format_version = 2

[summit]
title = "Harbour Talks"
date = 2024-09-16

[parties.north]
name = "Northland"

[parties.south]
name = "Southland"

[workstreams.venue]
name = "Venue"

[tasks.venue-survey]
name = "Survey the candidate venues"
workstream = "venue"
estimate = [2, 3, 6]

[tasks.site-visit]
name = "Site visit"
workstream = "venue"
estimate = { optimistic = 1, most_likely = 2, pessimistic = 4 }
depends_on = [
  "venue-survey",
  { task = "venue-survy", lag = 2 },
]
"""


def problems(text: str) -> list[str]:
    with pytest.raises(PlanError) as caught:
        planfile.loads(text, "summit.toml")
    return [str(problem) for problem in caught.value.problems]


def test_minimal_plan_loads(minimal_plan_text: str) -> None:
    plan = planfile.loads(minimal_plan_text)
    assert plan.summit.title == "Harbour Talks"


def test_unknown_id_names_file_line_key_path_and_suggestion() -> None:
    assert problems(PLAN_WITH_TASKS) == [
        "summit.toml:27: tasks.site-visit.depends_on[1]: unknown task 'venue-survy' "
        "(did you mean 'venue-survey'?)"
    ]


SOUND_PLAN = PLAN_WITH_TASKS.replace('  { task = "venue-survy", lag = 2 },\n', "")


def test_field_errors_point_at_their_lines() -> None:
    text = SOUND_PLAN.replace("estimate = [2, 3, 6]", "estimate = [6, 3, 2]\nowner_name = 'Ana'")
    assert problems(text) == [
        "summit.toml:19: tasks.venue-survey.estimate: estimate must satisfy optimistic ≤ most "
        "likely ≤ pessimistic, got 6, 3, 2",
        "summit.toml:20: tasks.venue-survey.owner_name: unknown field 'owner_name' "
        "(did you mean 'owner'?)",
    ]


def test_field_and_reference_problems_come_in_one_run() -> None:
    # A wrong field in one record does not hide a dangling id in another, and a link to the
    # record with the wrong field is not reported as unknown.
    text = PLAN_WITH_TASKS.replace("estimate = [2, 3, 6]", "estimate = [6, 3, 2]")
    text += (
        '\n[milestones.ready]\nname = "Ready"\ndate = 2024-09-01\ndepends_on = ["venue-survey"]\n'
    )
    assert problems(text) == [
        "summit.toml:19: tasks.venue-survey.estimate: estimate must satisfy optimistic ≤ most "
        "likely ≤ pessimistic, got 6, 3, 2",
        "summit.toml:27: tasks.site-visit.depends_on[1]: unknown task 'venue-survy' "
        "(did you mean 'venue-survey'?)",
    ]


def test_wrong_type_and_missing_field() -> None:
    text = PLAN_WITH_TASKS.replace("venue-survy", "venue-survey")
    text = text.replace('workstream = "venue"\nestimate = [2', "estimate = [2").replace(
        "date = 2024-09-16", 'date = "next autumn"'
    )
    assert problems(text) == [
        "summit.toml:5: summit.date: a date is written YYYY-MM-DD, e.g. 2024-07-19 "
        "(got 'next autumn')",
        "summit.toml:16: tasks.venue-survey.workstream: required field is missing",
    ]


def test_probability_outside_unit_interval() -> None:
    text = SOUND_PLAN + '\n[risks.strike]\nname = "Strike"\n\nprobability = 1.2\n'
    assert problems(text) == [
        "summit.toml:32: risks.strike.probability: must be at most 1 (got 1.2)"
    ]


def test_cycle_is_named_with_the_line() -> None:
    text = PLAN_WITH_TASKS.replace('  { task = "venue-survy", lag = 2 },\n', "").replace(
        "estimate = [2, 3, 6]", 'estimate = [2, 3, 6]\ndepends_on = ["site-visit"]'
    )
    assert problems(text) == [
        "summit.toml:20: tasks.venue-survey.depends_on: dependency cycle: venue-survey → "
        "site-visit → venue-survey"
    ]


def test_syntax_error_gives_line_and_column() -> None:
    with pytest.raises(InputError) as caught:
        planfile.loads('[summit]\ntitle = "Talks\n', "summit.toml")
    assert str(caught.value).startswith("summit.toml:2:")
    assert "not valid TOML" in str(caught.value)


def test_text_that_ends_too_early() -> None:
    with pytest.raises(InputError, match=r"summit.toml:2: not valid TOML: .*ends too early"):
        planfile.loads("[summit]\ntitle = [", "summit.toml")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        ('title = "Gen\u00e8ve"\n'.encode("latin-1"), "not UTF-8 text"),
    ],
)
def test_unusable_files_are_refused_in_one_line(
    write_file: Any, content: bytes, message: str
) -> None:
    path = write_file("summit.toml", content)
    with pytest.raises(InputError, match=message) as caught:
        planfile.load(path)
    assert "\n" not in str(caught.value)
    assert str(path) in str(caught.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        planfile.load(tmp_path / "nope.toml")
    with pytest.raises(InputError, match="is a directory"):
        planfile.load(tmp_path)


def test_newer_and_older_format_versions(minimal_plan_text: str) -> None:
    newer = minimal_plan_text.replace("format_version = 2", "format_version = 99")
    with pytest.raises(InputError, match="newer summitry"):
        planfile.loads(newer, "summit.toml")
    with pytest.raises(PlanError, match="format_version: must be a whole number"):
        planfile.loads(minimal_plan_text.replace("= 2", '= "one"', 1), "summit.toml")


def test_upgrade_runs_each_migration_in_turn(
    monkeypatch: pytest.MonkeyPatch, minimal_plan_text: str
) -> None:
    # Pretend the current format is 4 and that version 2 files spelt the title 'name'.
    monkeypatch.setattr(planfile, "FORMAT_VERSION", 4)

    def rename(data: dict[str, Any]) -> dict[str, Any]:
        summit = dict(data["summit"])
        summit["title"] = summit.pop("name")
        return {**data, "summit": summit}

    monkeypatch.setattr(planfile, "MIGRATIONS", {2: rename, 3: lambda data: data})
    old = planfile.parse_toml(minimal_plan_text.replace("title =", "name ="), "old.toml")
    data, version = planfile.upgrade_data(old)
    assert version == 2
    assert data["format_version"] == 4
    assert data["summit"]["title"] == "Harbour Talks"
    with pytest.raises(InputError, match=r"old\.toml: format_version 2 is older than 4; upgrade"):
        planfile.loads(minimal_plan_text, "old.toml")


FORMAT_1_VENUES = """\
format_version = 1

[summit]
title = "Harbour Talks"

[parties.north]
name = "Northland"

[parties.south]
name = "Southland"

[venues.quay]
name = "Quay hall"
unacceptable_to = ["south"]

[venues.fort]
name = "Fort"
visibility = "north"
unacceptable_to = ["north"]

[venue_criteria.access]
name = "Access"
weights = { north = 3, south = 1 }

[venue_criteria.secrecy]
name = "Secrecy"
visibility = "north"
compartments = ["security"]
weights = { north = 5 }
"""


def test_upgrade_to_format_2_moves_preferences_keeping_their_labels() -> None:
    data, old = planfile.upgrade_data(planfile.parse_toml(FORMAT_1_VENUES, "old.toml"))
    plan = planfile.from_data(data)
    assert old == 1
    assert plan.format_version == 2
    found = {
        (p.held_by, p.visibility, p.compartments): (dict(p.weights), p.vetoes)
        for p in plan.venue_preferences.values()
    }
    assert found == {
        ("north", "joint", ()): ({"access": 3}, ()),
        ("south", "joint", ()): ({"access": 1}, ("quay",)),
        ("north", "north", ()): ({}, ("fort",)),
        ("north", "north", ("security",)): ({"secrecy": 5}, ()),
    }


def test_save_is_atomic_and_refuses_a_missing_folder(
    tmp_path: Path, minimal_plan_text: str
) -> None:
    plan = planfile.loads(minimal_plan_text)
    with pytest.raises(InputError, match="does not exist"):
        planfile.save(plan, tmp_path / "missing" / "summit.toml")
    assert not (tmp_path / "missing").exists()
    target = tmp_path / "summit.toml"
    planfile.save(plan, target)
    assert planfile.load(target) == plan
    assert os.listdir(tmp_path) == ["summit.toml"]  # no temporary file left behind


# -- round trip -------------------------------------------------------------------------------

slugs = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=8)
names = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1
).filter(lambda s: s.strip() == s and s.strip())
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",))).map(str.strip)
days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
numbers = st.floats(min_value=0, max_value=500, allow_nan=False) | st.integers(0, 500)


@st.composite
def estimates(draw: st.DrawFn) -> list[float]:
    return sorted(draw(st.lists(numbers, min_size=3, max_size=3)))


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    ids = draw(st.lists(slugs, min_size=16, max_size=20, unique=True))
    parties = ids[:2] + ids[2 : 2 + draw(st.integers(0, 2))]
    rest = ids[len(parties) :]
    stream, task_ids, issue_ids = rest[0], rest[1:5], rest[5:7]
    tasks: dict[str, Any] = {}
    for index, tid in enumerate(task_ids):
        earlier = task_ids[:index]
        deps = draw(st.lists(st.sampled_from(earlier), unique=True)) if earlier else []
        tasks[tid] = {
            "name": draw(names),
            "workstream": stream,
            "estimate": draw(estimates()),
            "depends_on": [
                dep if draw(st.booleans()) else {"task": dep, "lag": draw(st.integers(-3, 5))}
                for dep in deps
            ],
            "status": draw(st.sampled_from(["not-started", "in-progress", "complete"])),
            "percent_complete": draw(st.floats(0, 100)),
            "due": draw(st.none() | days),
            "blocked": False,
            "description": draw(texts),
            "visibility": draw(st.sampled_from(["joint", *parties])),
        }
    issues = {
        iid: {
            "name": draw(names),
            "impact": draw(st.sampled_from(["low", "Moderate", "high", "critical"])),
            "options": {f"o{n}": draw(texts) for n in range(draw(st.integers(1, 4)))},
        }
        for iid in issue_ids
    }
    first = draw(st.integers(0, 100))
    position = {
        "about": parties[1],
        "held_by": parties[0],
        "issues": {
            issue_ids[0]: {"weight": first, "scores": {"o0": draw(st.floats(0, 100))}},
            issue_ids[1]: {"weight": 100 - first},
        },
        "reservation_value": draw(st.none() | st.floats(0, 100)),
        "batna": draw(texts),
    }
    window_start = draw(days)
    data = {
        "summit": {
            "title": draw(names),
            "window": {
                "start": window_start,
                "end": window_start + dt.timedelta(days=draw(st.integers(0, 30))),
                "label": draw(st.none() | names),
            },
            "calendar": {"holidays": draw(st.lists(days, max_size=3))},
            "timezone": draw(st.sampled_from(["UTC", "Europe/Vienna", "Asia/Tokyo"])),
        },
        "parties": {pid: {"name": draw(names)} for pid in parties},
        "workstreams": {stream: {"name": draw(names), "expected_completion": draw(days)}},
        "tasks": tasks,
        "issues": issues,
        "positions": {rest[7]: position},
        "venues": {
            rest[8]: {
                "name": draw(names),
                "scores": {"security": draw(numbers)},
                "constraints": {"secure-communications": draw(st.booleans())},
            }
        },
        "risks": {
            rest[9]: {
                "name": draw(names),
                "probability": draw(st.floats(0, 1)),
                "delay": draw(estimates()),
                "tasks": [task_ids[0]],
                "mitigation": {"probability": draw(st.floats(0, 1))},
            }
        },
        "notes": {
            rest[10]: {
                "title": draw(names),
                "text": draw(texts),
                "visibility": parties[0],
                "compartments": ["back-channel"],
            }
        },
    }
    return Plan.model_validate(data)


@given(plans())
def test_load_save_load_gives_an_equal_plan(plan: Plan) -> None:
    text = planfile.dumps(plan)
    assert planfile.loads(text) == plan
    assert planfile.dumps(planfile.loads(text)) == text


def test_a_format_1_plan_that_does_not_say_so_is_sent_to_upgrade() -> None:
    unmarked = FORMAT_1_VENUES.replace("format_version = 1\n", "")
    with pytest.raises(InputError, match="format_version 1 is older than 2"):
        planfile.loads(unmarked, "old.toml")


# --- Limits and one-line messages (issue 11, section 3) --------------------------------------


def one_problem(text: str) -> str:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


def sound(text: str) -> str:
    return SOUND_PLAN + text


@pytest.mark.parametrize(
    ("snippet", "where"),
    [
        ("estimate = [1, 2, 1e20]", "tasks.extra.estimate: "),
        ("estimate = [1, 2, 1e308]", "tasks.extra.estimate: "),
        ("estimate = [1, 2, inf]", "tasks.extra.estimate: "),
        ("estimate = [nan, 2, 3]", "tasks.extra.estimate: "),
        ('depends_on = [{ task = "venue-survey", lag = nan }]', "tasks.extra.depends_on[0].lag: "),
        ('depends_on = [{ task = "venue-survey", lag = -inf }]', "tasks.extra.depends_on[0].lag: "),
        ('depends_on = [{ task = "venue-survey", lag = 1e20 }]', "tasks.extra.depends_on[0].lag: "),
        ("percent_complete = nan", "tasks.extra.percent_complete: "),
    ],
)
def test_non_finite_and_huge_numbers_in_a_file_are_one_problem_naming_the_key(
    snippet: str, where: str
) -> None:
    text = sound(f'\n[tasks.extra]\nname = "Extra"\nworkstream = "venue"\n{snippet}\n')
    problem = one_problem(text)
    assert f"summit.toml:{text.count(chr(10))}: {where}" in problem


@pytest.mark.parametrize("delay", ["delay = [1, 2, 1e20]", "mitigation = { delay = [1, 2, inf] }"])
def test_risk_delays_are_bounded_like_estimates(delay: str) -> None:
    text = sound(f'\n[risks.strike]\nname = "Strike"\nprobability = 0.5\n{delay}\n')
    assert "working days, e.g. [1, 2, 4]" in one_problem(text)


@pytest.mark.parametrize(
    ("estimate", "detail"),
    [
        ('"3 days"', " (got '3 days')"),
        ("[1, 2]", "; it takes three numbers (got [1, 2])"),
        ('["a", 2, 3]', "; optimistic must be a number from 0 to 5,000 (got 'a')"),
        ('["a", "b", "c"]', "; optimistic must be a number from 0 to 5,000 (got 'a')"),
        ("{ optimistic = 1 }", "; most likely is missing"),
        (
            "{ optimistic = 1, most_likely = 2, pessimistic = 3, worst = 9 }",
            "; unknown field 'worst'",
        ),
        ("[1, 2, 9000]", "; pessimistic must be a number from 0 to 5,000 (got 9000)"),
    ],
)
def test_an_estimate_error_reads_as_the_way_to_write_one(estimate: str, detail: str) -> None:
    text = SOUND_PLAN.replace("estimate = [2, 3, 6]", f"estimate = {estimate}")
    assert one_problem(text) == (
        "summit.toml:19: tasks.venue-survey.estimate: estimate should be [optimistic, most "
        f"likely, pessimistic] working days, e.g. [1, 2, 4]{detail}"
    )


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("date = 2024-9-16", "'2024-9-16'"),
        ("date = 2024/09/16", "'2024/09/16'"),
        ("calendar = { holidays = [2024-12-24, 2024-12-5] }", "'2024-12-5'"),
        ("window = { start = 16-09-2024, end = 2024-09-20 }", "'16-09-2024'"),
    ],
)
def test_a_toml_date_not_written_yyyy_mm_dd_says_how_dates_are_written(
    written: str, shown: str
) -> None:
    text = PLAN_WITH_TASKS.replace("date = 2024-09-16", written)
    with pytest.raises(InputError) as caught:
        planfile.loads(text, "summit.toml")
    message = str(caught.value)
    assert message.startswith("summit.toml:5:")
    assert message.endswith(
        f"not valid TOML: {shown} is not a date: a date is written YYYY-MM-DD, e.g. 2024-07-19"
    )


def test_a_real_toml_date_that_does_not_exist_keeps_the_reader_s_reason() -> None:
    text = PLAN_WITH_TASKS.replace("date = 2024-09-16", "date = 2024-09-31")
    with pytest.raises(InputError, match=r"summit\.toml:5:8: not valid TOML: invalid date"):
        planfile.loads(text, "summit.toml")


@pytest.mark.parametrize(
    ("line", "where"),
    [
        ("date = 9999-12-31", "summit.date: 9999-12-31"),
        ("as_of = 0001-01-01", "summit.as_of: 0001-01-01"),
        ("date = 1899-12-31", "summit.date: 1899-12-31"),
    ],
)
def test_dates_outside_the_supported_range_are_named_with_their_line(line: str, where: str) -> None:
    text = SOUND_PLAN.replace("date = 2024-09-16", line)
    assert one_problem(text) == (
        f"summit.toml:5: {where} is outside the dates summitry supports (1900-01-01 to 2200-12-31)"
    )


def test_echoed_values_and_keys_are_one_line_of_bounded_length() -> None:
    huge = "y" * 3_000_000
    text = SOUND_PLAN
    text = text.replace("date = 2024-09-16", f'date = "{huge}"')
    text = text.replace(
        'name = "Site visit"', f'name = "Site visit"\nstatus = "{huge}"\n"bad\\nkey{huge}" = 1'
    )
    found = problems(text)
    assert len(found) == 3
    for problem in found:
        assert "\n" not in problem
        assert len(problem) < 300
    assert "bad\\nkey" in found[-1]


def test_a_newline_in_an_unknown_field_is_shown_escaped() -> None:
    text = SOUND_PLAN.replace('name = "Site visit"', 'name = "Site visit"\n"lag\\nx" = 1')
    assert one_problem(text) == (
        "summit.toml:23: tasks.site-visit.lag\\nx: unknown field 'lag\\nx'"
    )


@pytest.mark.parametrize(
    "nested",
    [
        "x = " + "[" * 40 + "]" * 40,
        "x = " + "[" * 5_000 + "]" * 5_000,
        "x = " + "{ a = " * 500 + "1" + " }" * 500,
        "a." * 300 + "b = 1",
        "[" + "a." * 300 + "b]",
    ],
    ids=["arrays-40", "arrays-5000", "inline-tables-500", "dotted-keys", "table-header"],
)
def test_nesting_deeper_than_the_limit_is_one_line(nested: str) -> None:
    text = f"format_version = 2\n{nested}\n"
    with pytest.raises(InputError) as caught:
        planfile.loads(text, "summit.toml")
    message = str(caught.value)
    assert message.startswith("summit.toml")
    assert message.endswith(
        "tables and arrays are nested more than 32 levels deep; a plan file nests at most 32"
    )
    assert "\n" not in message


def test_nesting_up_to_the_limit_is_parsed() -> None:
    # 31 arrays under one key: the innermost value sits 32 keys and positions deep.
    data = planfile.parse_toml("x = " + "[" * 31 + "1" + "]" * 31 + "\n", "summit.toml")
    assert "x" in data
    with pytest.raises(InputError, match="nested more than 32"):
        planfile.parse_toml("x = " + "[" * 32 + "1" + "]" * 32 + "\n", "summit.toml")


@pytest.mark.parametrize("version", [0, -1, True, "one", 99])
def test_upgrade_refuses_a_version_it_has_no_step_for(version: Any) -> None:
    with pytest.raises(InputError, match="is not one this summitry can upgrade"):
        planfile.upgrade_data({"format_version": version, "summit": {"title": "T"}})


def test_reading_format_version_0_is_one_line(minimal_plan_text: str) -> None:
    text = minimal_plan_text.replace("format_version = 2", "format_version = 0")
    with pytest.raises(InputError) as caught:
        planfile.loads(text, "summit.toml")
    assert str(caught.value) == (
        "summit.toml:1: format_version 0 is not a format version; they run from 1 to 2"
    )


_WORKSTREAM_AND_TASK = (
    '\n[workstreams.venue]\nname = "Venue"\n\n[tasks.survey]\nworkstream = "venue"\n'
)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            'name = "S"\ndepends_on = [{ task = "survey", lag = 99999 }]\n',
            "tasks.survey.depends_on[0].lag: must be at most 5000 (got 99999)",
        ),
        (
            'name = "S"\ndepends_on = [{ task = "survey", lag = -99999 }]\n',
            "tasks.survey.depends_on[0].lag: must be at least -5000 (got -99999)",
        ),
        (
            'name = "S"\npercent_complete = "half"\n',
            "percent_complete: must be a number (got 'half')",
        ),
        (
            'name = "S"\nestimate = [1, 2, 3]\nbaseline = 1\n',
            "tasks.survey.baseline: a date is written YYYY-MM-DD, e.g. 2024-07-19 (got 1)",
        ),
        ('name = ""\n', "tasks.survey.name: must not be empty (got '')"),
        (
            f'name = "{"x" * 400}"\n',
            "tasks.survey.name: must be at most 300 characters long (got 'xxx",
        ),
        ('name = "S"\nstatus = "in_progress"\n', "status: must be an id: lower-case letters"),
        ('name = "S"\ndepends_on = "x"\n', "depends_on: must be a list"),
        ("", "tasks.survey.name: required field is missing"),
        ('name = "S"\ncolour = "red"\n', "tasks.survey.colour: unknown field 'colour'"),
    ],
)
def test_field_errors_read_in_our_words(minimal_plan_text: str, extra: str, expected: str) -> None:
    found = problems(minimal_plan_text + _WORKSTREAM_AND_TASK + extra)
    assert any(expected in line for line in found), found
    assert not any("input should" in line or "should have" in line for line in found), found


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("[forecast]\niterations = 20000000\n", "forecast.iterations: must be at most 10000000"),
        ("[forecast]\niterations = 1.5\n", "forecast.iterations: must be a whole number (got 1.5)"),
        ("[forecast]\niterations = 'many'\n", "forecast.iterations: must be a whole number"),
        ("[summit.calendar]\nweekend = ['sat', 'someday']\n", "must be 'mon', 'tue', 'wed'"),
        (
            "[milestones.m]\nname = 'M'\ndate = 2024-09-01\nmet = 'perhaps'\n",
            "met: must be true or false",
        ),
        (
            "[risks.r]\nname = 'R'\nprobability = 1.2\n",
            "risks.r.probability: must be at most 1 (got 1.2)",
        ),
    ],
)
def test_setting_errors_read_in_our_words(
    minimal_plan_text: str, extra: str, expected: str
) -> None:
    found = problems(minimal_plan_text + extra)
    assert any(expected in line for line in found), found
    assert not any("input should" in line for line in found), found
