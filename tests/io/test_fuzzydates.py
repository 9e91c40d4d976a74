from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summitry.io.fuzzydates import FuzzyDate, parse_fuzzy_date

D = date


def span(text: str, today: date | None = None) -> tuple[date, date]:
    result = parse_fuzzy_date(text, today=today)
    assert result is not None, text
    return result.start, result.end


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024-07-31", D(2024, 7, 31), D(2024, 7, 31)),
        ("31 July 2024", D(2024, 7, 31), D(2024, 7, 31)),
        ("July 31, 2024", D(2024, 7, 31), D(2024, 7, 31)),
        ("31 Jul 2024", D(2024, 7, 31), D(2024, 7, 31)),
        ("3rd of March 2025", D(2025, 3, 3), D(2025, 3, 3)),
        ("Sept 9, 2025", D(2025, 9, 9), D(2025, 9, 9)),
        ("Sept. 2025", D(2025, 9, 1), D(2025, 9, 30)),
        ("sep 2025", D(2025, 9, 1), D(2025, 9, 30)),
        ("August 2024", D(2024, 8, 1), D(2024, 8, 31)),
        ("Early July 2024", D(2024, 7, 1), D(2024, 7, 10)),
        ("Mid July 2024", D(2024, 7, 11), D(2024, 7, 20)),
        ("mid-July 2024", D(2024, 7, 11), D(2024, 7, 20)),
        ("Mid-July 2024", D(2024, 7, 11), D(2024, 7, 20)),
        ("Mid\u2013July 2024", D(2024, 7, 11), D(2024, 7, 20)),
        ("Late July 2024", D(2024, 7, 21), D(2024, 7, 31)),
        ("Late June 2024", D(2024, 6, 21), D(2024, 6, 30)),
        ("Late February 2024", D(2024, 2, 21), D(2024, 2, 29)),
        ("Late Feb 2023", D(2023, 2, 21), D(2023, 2, 28)),
        ("End of July 2024", D(2024, 7, 31), D(2024, 7, 31)),
        ("end of February 2100", D(2100, 2, 28), D(2100, 2, 28)),
        ("Beginning of July 2024", D(2024, 7, 1), D(2024, 7, 1)),
        ("Start of July 2024", D(2024, 7, 1), D(2024, 7, 1)),
        ("Q3 2024", D(2024, 7, 1), D(2024, 9, 30)),
        ("q1 2025", D(2025, 1, 1), D(2025, 3, 31)),
        ("third quarter of 2024", D(2024, 7, 1), D(2024, 9, 30)),
        ("H1 2025", D(2025, 1, 1), D(2025, 6, 30)),
        ("H2 2025", D(2025, 7, 1), D(2025, 12, 31)),
        ("first half of 2025", D(2025, 1, 1), D(2025, 6, 30)),
        ("Second half 2025", D(2025, 7, 1), D(2025, 12, 31)),
        ("2024", D(2024, 1, 1), D(2024, 12, 31)),
        ("Early 2025", D(2025, 1, 1), D(2025, 4, 30)),
        ("mid-2025", D(2025, 5, 1), D(2025, 8, 31)),
        ("Late 2025", D(2025, 9, 1), D(2025, 12, 31)),
        ("End of 2025", D(2025, 12, 31), D(2025, 12, 31)),
        ("the beginning of 2025", D(2025, 1, 1), D(2025, 1, 1)),
        ("July\u2013August 2024", D(2024, 7, 1), D(2024, 8, 31)),
        ("July-August 2024", D(2024, 7, 1), D(2024, 8, 31)),
        ("July to August 2024", D(2024, 7, 1), D(2024, 8, 31)),
        ("July \u2014 August 2024", D(2024, 7, 1), D(2024, 8, 31)),
        ("November\u2013February 2025", D(2024, 11, 1), D(2025, 2, 28)),
        ("December 2024 to January 2025", D(2024, 12, 1), D(2025, 1, 31)),
        ("10\u201312 July 2024", D(2024, 7, 10), D(2024, 7, 12)),
        ("July 10-12, 2024", D(2024, 7, 10), D(2024, 7, 12)),
        ("Week 32 2024", D(2024, 8, 5), D(2024, 8, 11)),
        ("W32 2024", D(2024, 8, 5), D(2024, 8, 11)),
        ("week 1 of 2025", D(2024, 12, 30), D(2025, 1, 5)),
        ("2024-W32", D(2024, 8, 5), D(2024, 8, 11)),
        ("Week 53 2020", D(2020, 12, 28), D(2021, 1, 3)),
    ],
)
def test_recognised_phrases(text: str, start: date, end: date) -> None:
    assert span(text) == (start, end)


@pytest.mark.parametrize(
    "text",
    ["  late   JULY   2024  ", "Late July 2024.", "LATE JULY 2024 .", "\tLate July\n2024"],
)
def test_case_spacing_and_trailing_period_are_tolerated(text: str) -> None:
    assert span(text) == (D(2024, 7, 21), D(2024, 7, 31))


def test_label_is_the_stripped_original() -> None:
    result = parse_fuzzy_date("  Mid-July 2024. ")
    assert result == FuzzyDate(D(2024, 7, 11), D(2024, 7, 20), "Mid-July 2024.")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        ".",
        "Ongoing",
        "TBD",
        "To be confirmed",
        "In Progress",
        "31 February 2024",
        "2024-13-01",
        "Week 53 2021",
        "Q5 2024",
        "H3 2024",
        "0000",
        "Julember 2024",
        "12345",
        "Phase 2 to 3",
        "August 2025 to July 2025",
    ],
)
def test_non_dates_give_none(text: str) -> None:
    assert parse_fuzzy_date(text) is None
    assert parse_fuzzy_date(text, today=D(2024, 5, 1)) is None


@pytest.mark.parametrize(
    "text", ["Late July", "July", "31 July", "Q3", "H2", "W32", "July-August", "10-12 July"]
)
def test_missing_year_needs_today(text: str) -> None:
    assert parse_fuzzy_date(text) is None
    result = parse_fuzzy_date(text, today=D(2023, 1, 15))
    assert result is not None
    assert result.start.year == 2023


def test_missing_year_uses_today_year() -> None:
    assert span("Late July", today=D(2023, 1, 15)) == (D(2023, 7, 21), D(2023, 7, 31))
    assert span("Late February", today=D(2028, 12, 1)) == (D(2028, 2, 21), D(2028, 2, 29))


def test_explicit_year_ignores_today() -> None:
    assert span("August 2024", today=D(1999, 1, 1)) == (D(2024, 8, 1), D(2024, 8, 31))


@given(st.dates())
def test_iso_dates_round_trip(day: date) -> None:
    assert span(day.isoformat()) == (day, day)


@given(st.dates(min_value=D(1000, 1, 1)), st.sampled_from(["long", "abbr", "us"]))
def test_written_dates_round_trip(day: date, style: str) -> None:
    if style == "long":
        text = f"{day.day} {calendar.month_name[day.month]} {day.year}"
    elif style == "abbr":
        text = f"{day.day} {calendar.month_abbr[day.month]} {day.year}"
    else:
        text = f"{calendar.month_name[day.month]} {day.day}, {day.year}"
    assert span(text) == (day, day)


@given(
    st.integers(min_value=1000, max_value=9999),
    st.integers(min_value=1, max_value=12),
    st.sampled_from(["Early", "Mid", "Late", "End of", "Beginning of", ""]),
)
def test_month_parts_stay_inside_the_month(year: int, month: int, part: str) -> None:
    start, end = span(f"{part} {calendar.month_name[month]} {year}")
    last = calendar.monthrange(year, month)[1]
    assert D(year, month, 1) <= start <= end <= D(year, month, last)
    if part in {"Late", "End of", ""}:
        assert end.day == last


@given(st.dates(min_value=D(1000, 1, 10), max_value=D(9999, 12, 20)))
def test_iso_weeks_run_monday_to_sunday(day: date) -> None:
    year, week, _ = day.isocalendar()
    start, end = span(f"Week {week} {year}")
    assert start.isoweekday() == 1
    assert end - start == timedelta(days=6)
    assert start <= day <= end


@given(st.text(max_size=40), st.one_of(st.none(), st.dates()))
def test_arbitrary_text_never_raises_and_ranges_are_ordered(text: str, today: date | None) -> None:
    result = parse_fuzzy_date(text, today=today)
    if result is not None:
        assert result.start <= result.end
        assert result.label == text.strip()


@given(
    st.lists(
        st.sampled_from(
            [
                "early",
                "mid",
                "late",
                "end of",
                "q2",
                "h1",
                "week",
                "w",
                "july",
                "sept",
                "-",
                "to",
                "2024",
                "2025",
                "15",
                "31",
                ",",
                ".",
                "of",
                "first half",
                "  ",
            ]
        ),
        max_size=6,
    ),
    st.one_of(st.none(), st.dates()),
)
def test_date_like_word_soup_is_ordered(words: list[str], today: date | None) -> None:
    result = parse_fuzzy_date(" ".join(words), today=today)
    if result is not None:
        assert result.start <= result.end
