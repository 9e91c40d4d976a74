"""Parse the loose date phrases that briefings use for deadlines and milestones.

Briefing tables rarely hold exact dates: a status column says "Late July 2024", "Q3 2024" or
"End of July 2024". :func:`parse_fuzzy_date` turns such a phrase into an inclusive date range
so that readiness and timeline code can compare and sort milestones. Anything that is not a
recognisable date ("Ongoing", "TBD", an empty cell) yields ``None`` rather than an error,
because callers feed it arbitrary table cells.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

__all__ = ["FuzzyDate", "parse_fuzzy_date"]


_Span = tuple[date, date]


@dataclass(frozen=True)
class FuzzyDate:
    """An inclusive range of days described by a loose date phrase.

    Attributes:
        start: First day of the range.
        end: Last day of the range (inclusive); equal to ``start`` for a single day.
        label: The original phrase, stripped of surrounding whitespace.

    """

    start: date
    end: date
    label: str


# Spelled out rather than taken from ``calendar.month_name``, which follows the process locale.
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(_MONTH_NAMES, start=1):
    _MONTHS[_name] = _number
    _MONTHS[_name[:3]] = _number
_MONTHS["sept"] = 9

_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH = rf"(?P<month>{_MONTH_RE})"
_YEAR = r"(?P<year>\d{4})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}

# Parts of a month and of a year, as (first day, last day) or a rule for them. ``None`` as
# the last day stands for "last day of the month", which depends on the month and year.
_MONTH_PARTS: dict[str, tuple[int, int | None]] = {
    "early": (1, 10),
    "mid": (11, 20),
    "late": (21, None),
}
_YEAR_PARTS: dict[str, tuple[int, int]] = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_EDGE_WORDS: dict[str, str] = {
    "end of": "end",
    "the end of": "end",
    "beginning of": "start",
    "the beginning of": "start",
    "start of": "start",
    "the start of": "start",
}
_EDGE = r"(?:(?P<part>early|mid|late)|(?P<edge>(?:the )?(?:end|beginning|start) of)) "

_RANGE_SEPARATOR = re.compile(r"\s*(?:-|\bto\b|\bthrough\b|\buntil\b|\btill\b)\s*")


def parse_fuzzy_date(text: str, *, today: date | None = None) -> FuzzyDate | None:
    """Interpret a loose date phrase as an inclusive range of days.

    Recognised forms (case-insensitive, extra whitespace and a trailing period tolerated):
    ISO dates, "31 July 2024", "July 31, 2024", a month and year, "Early/Mid/Late <month>",
    "End of" / "Beginning of" / "Start of" a month, quarters ("Q3 2024"), halves ("H1 2025",
    "first half of 2025"), a bare year, month ranges ("July–August 2024") and ISO weeks
    ("Week 32 2024", "W32 2024"). Phrases without a year borrow the year of ``today``.

    Args:
        text: The phrase to interpret, for example a table cell.
        today: Reference date whose year completes phrases that omit the year. Without it
            such phrases are not dated and the result is ``None``.

    Returns:
        The date range, or ``None`` when the text is not a recognisable date.

    """
    label = text.strip()
    phrase = _normalise(text)
    if not phrase:
        return None
    default_year = today.year if today is not None else None
    span = _parse_single(phrase, default_year)
    if span is None:
        span = _parse_range(phrase, default_year)
    if span is None:
        return None
    return FuzzyDate(start=span[0], end=span[1], label=label)


def _normalise(text: str) -> str:
    """Lower-case the phrase and reduce punctuation and spacing to one canonical form."""
    phrase = text.translate(_DASHES).lower().strip()
    phrase = phrase.rstrip(".").strip()
    phrase = phrase.replace(",", " ")
    # "Sept." and "Jul." are the same months as "sept" and "jul".
    phrase = re.sub(rf"\b({_MONTH_RE})\.", r"\1", phrase)
    # "mid-July" and "mid - July" mean "mid July"; done before range splitting sees the dash.
    phrase = re.sub(r"\bmid\s*-\s*", "mid ", phrase)
    return " ".join(phrase.split())


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _whole_months(year: int, first: int, last: int) -> _Span:
    return date(year, first, 1), date(year, last, _month_end(year, last))


def _resolve_year(raw: str | None, default_year: int | None) -> int | None:
    if raw is not None:
        return int(raw)
    return default_year


def _iso(match: re.Match[str], default_year: int | None) -> _Span | None:
    day = date(int(match["year"]), int(match["m"]), int(match["day"]))
    return day, day


def _day_month(match: re.Match[str], default_year: int | None) -> _Span | None:
    year = _resolve_year(match["year"], default_year)
    if year is None:
        return None
    day = date(year, _MONTHS[match["month"]], int(match["day"]))
    return day, day


def _day_range(match: re.Match[str], default_year: int | None) -> _Span | None:
    year = _resolve_year(match["year"], default_year)
    if year is None:
        return None
    month = _MONTHS[match["month"]]
    return date(year, month, int(match["d1"])), date(year, month, int(match["d2"]))


def _month(match: re.Match[str], default_year: int | None) -> _Span | None:
    year = _resolve_year(match["year"], default_year)
    if year is None:
        return None
    month = _MONTHS[match["month"]]
    last = _month_end(year, month)
    part, edge = match["part"], match["edge"]
    if part is not None:
        first_day, last_day = _MONTH_PARTS[part]
        return date(year, month, first_day), date(year, month, last_day or last)
    if edge is not None:
        day = last if _EDGE_WORDS[edge] == "end" else 1
        return date(year, month, day), date(year, month, day)
    return _whole_months(year, month, month)


def _year(match: re.Match[str], default_year: int | None) -> _Span | None:
    year = int(match["year"])
    part, edge = match["part"], match["edge"]
    if part is not None:
        first, last = _YEAR_PARTS[part]
        return _whole_months(year, first, last)
    if edge is not None:
        day = date(year, 12, 31) if _EDGE_WORDS[edge] == "end" else date(year, 1, 1)
        return day, day
    return _whole_months(year, 1, 12)


def _quarter(match: re.Match[str], default_year: int | None) -> _Span | None:
    year = _resolve_year(match["year"], default_year)
    if year is None:
        return None
    raw = match["q"]
    quarter = int(raw) if raw.isdigit() else _ORDINALS[raw]
    return _whole_months(year, 3 * quarter - 2, 3 * quarter)


def _half(match: re.Match[str], default_year: int | None) -> _Span | None:
    year = _resolve_year(match["year"], default_year)
    if year is None:
        return None
    raw = match["h"]
    half = int(raw) if raw.isdigit() else _ORDINALS[raw]
    return _whole_months(year, 6 * half - 5, 6 * half)


def _week(match: re.Match[str], default_year: int | None) -> _Span | None:
    year = _resolve_year(match["year"], default_year)
    if year is None:
        return None
    week = int(match["week"])
    return date.fromisocalendar(year, week, 1), date.fromisocalendar(year, week, 7)


_Handler = Callable[[re.Match[str], int | None], _Span | None]
_OPTIONAL_YEAR = rf"(?: (?:of )?{_YEAR})?"

# Each pattern must match the whole normalised phrase; the first that matches decides.
_PATTERNS: tuple[tuple[re.Pattern[str], _Handler], ...] = tuple(
    # ASCII mode keeps \d to the digits 0-9 rather than every script's decimal digits.
    (re.compile(pattern, re.ASCII), handler)
    for pattern, handler in (
        (r"(?P<year>\d{4})-(?P<m>\d{1,2})-(?P<day>\d{1,2})", _iso),
        (rf"{_DAY} (?:of )?{_MONTH}{_OPTIONAL_YEAR}", _day_month),
        (rf"{_MONTH} {_DAY}{_OPTIONAL_YEAR}", _day_month),
        (rf"(?P<d1>\d{{1,2}}) ?- ?(?P<d2>\d{{1,2}}) {_MONTH}{_OPTIONAL_YEAR}", _day_range),
        (rf"{_MONTH} (?P<d1>\d{{1,2}}) ?- ?(?P<d2>\d{{1,2}}){_OPTIONAL_YEAR}", _day_range),
        (rf"(?:{_EDGE})?{_MONTH}{_OPTIONAL_YEAR}", _month),
        (rf"(?:{_EDGE})?{_YEAR}", _year),
        (rf"q(?P<q>[1-4]){_OPTIONAL_YEAR}", _quarter),
        (rf"{_YEAR} q(?P<q>[1-4])", _quarter),
        (
            rf"(?:the )?(?P<q>first|second|third|fourth|[1-4](?:st|nd|rd|th)) quarter"
            rf"{_OPTIONAL_YEAR}",
            _quarter,
        ),
        (rf"h(?P<h>[12]){_OPTIONAL_YEAR}", _half),
        (rf"{_YEAR} h(?P<h>[12])", _half),
        (rf"(?:the )?(?P<h>first|second|1st|2nd) half{_OPTIONAL_YEAR}", _half),
        (rf"(?:week|wk|w) ?(?P<week>\d{{1,2}}){_OPTIONAL_YEAR}", _week),
        (rf"{_YEAR} ?-? ?w(?P<week>\d{{1,2}})", _week),
    )
)


def _parse_single(phrase: str, default_year: int | None) -> _Span | None:
    """Parse a phrase that names one period, not a range of two periods."""
    for pattern, handler in _PATTERNS:
        match = pattern.fullmatch(phrase)
        if match is None:
            continue
        try:
            span = handler(match, default_year)
        except ValueError:
            # Out-of-range pieces such as "31 February" or week 60: not a date.
            return None
        if span is None or span[0] > span[1]:
            return None
        return span
    return None


def _parse_range(phrase: str, default_year: int | None) -> _Span | None:
    """Parse "<period> to <period>", letting the left side borrow the right side's year."""
    for separator in _RANGE_SEPARATOR.finditer(phrase):
        left, right = phrase[: separator.start()], phrase[separator.end() :]
        if not left or not right:
            continue
        right_span = _parse_single(right, default_year)
        if right_span is None:
            continue
        right_year = right_span[1].year
        left_span = _parse_single(left, right_year)
        if left_span is not None and left_span[0] > right_span[1]:
            # "November–February 2025" crosses a year boundary: November of the year before.
            left_span = _parse_single(left, right_year - 1)
        if left_span is not None and left_span[0] <= right_span[1]:
            return left_span[0], right_span[1]
    return None
