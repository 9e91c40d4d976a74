"""Briefing import: what a cell lead gets from a messy briefing, and what is reported back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from summitry.cli import example_path
from summitry.domain import ImpactLevel
from summitry.errors import InputError
from summitry.io.briefing import import_briefing
from summitry.io.planfile import dumps, loads

# Our own briefing with the layout quirks of real ones: a lead paragraph before the headline,
# title lines without '#', tables without a left outer pipe glued to the prose around them,
# and bullet lists that run straight into the next paragraph.
MESSY = """\
Negotiators from Northland and Southland agreed to keep preparing the harbour talks.
Harbour Talks Preparation Moves Ahead
Officials listed the open strands of work:
- Ferry Arrangements: crossings for both delegations are being booked.
- Security Arrangements: the coast guard is drafting joint patrol rules.
The lists were shared with the press on Friday.
Progress So Far
Workstream | Status | Expected Completion | Deadline |
---|---|---|---|
Ferry Logistics | In Progress | mid-June 2025 | 30 June 2025 |
Security Planning | Awaiting Sign-off | Q3 2025 | |
Catering | Complete | sometime soon | |
Both sides said the timetable is tight.
Items For The Leaders
Topics that the leaders are expected to discuss include:
- Fishing rights in the strait
- Port fees and customs
- Storm warnings shared in real time
Topic | Priority | Objective |
---|---|---|
Fishing Rights | High | Shared quotas |
Port Fees | Moderate | Lower fees |
Storm Warnings | Critical | A joint warning centre |
Hotel | Rooms | Rate |
---|---|---|
Harbour Inn | 120 | 95 |
A Closing Word
Mediators recommended these steps:
- Set up a joint working group on fisheries to prepare quota options.
- Publish short situation reports every fortnight, so that the press stays informed.
Nobody expects a final deal before autumn.
"""


def test_messy_briefing_is_read_faithfully() -> None:
    result = import_briefing(MESSY, "harbour.txt")
    plan = result.plan
    assert plan.summit.title == "Harbour Talks Preparation Moves Ahead"
    assert set(plan.parties) == {"party-a", "party-b"}  # invented states are not in the gazetteer
    streams = plan.workstreams
    assert list(streams) == ["ferry-logistics", "security-planning", "catering"]
    ferry = streams["ferry-logistics"]
    assert ferry.status == "in-progress"
    assert ferry.expected_completion is not None
    assert (ferry.expected_completion.start, ferry.expected_completion.end) == (
        dt.date(2025, 6, 11),
        dt.date(2025, 6, 20),
    )
    assert ferry.deadline == dt.date(2025, 6, 30)
    assert ferry.key_points == (
        "Ferry Arrangements: crossings for both delegations are being booked.",
    )
    assert streams["security-planning"].key_points[0].startswith("Security Arrangements")
    assert streams["catering"].status == "complete"
    assert streams["catering"].expected_completion is None
    assert [(i.name, i.impact, i.focus) for i in plan.issues.values()] == [
        ("Fishing Rights", ImpactLevel.HIGH, "Shared quotas"),
        ("Port Fees", ImpactLevel.MEDIUM, "Lower fees"),
        ("Storm Warnings", ImpactLevel.CRITICAL, "A joint warning centre"),
    ]
    assert [t.name for t in plan.topics.values()] == [
        "Fishing rights in the strait",
        "Port fees and customs",
        "Storm warnings shared in real time",
    ]
    assert [m.name for m in plan.mechanisms.values()] == [
        "Set up a joint working group on fisheries",
        "Publish short situation reports every fortnight",
    ]
    # The hotel table means nothing to summitry: kept whole as a note, and said so.
    (note,) = (n for n in plan.notes.values() if n.id != "background")
    assert "Harbour Inn | 120 | 95" in note.text
    reported = "\n".join(result.not_understood)
    assert "table 'Hotel | Rooms | Rate' is not one summitry knows" in reported
    assert "'sometime soon' (for Catering) is not a date" in reported
    assert "status 'Awaiting Sign-off' is not a built-in one" in reported
    assert "could not tell the two parties" in reported
    # No line of prose became a record.
    names = [r.name for _, r in plan.records() if hasattr(r, "name")]
    assert not any("timetable" in name or "press" in name for name in names)


def test_custom_status_from_a_briefing_survives_a_save() -> None:
    plan = import_briefing(MESSY, "harbour.txt").plan
    assert plan.statuses["awaiting-sign-off"].label == "Awaiting Sign-off"
    assert loads(dumps(plan)) == plan


def test_parties_given_by_the_user_win() -> None:
    result = import_briefing(MESSY, "harbour.txt", parties=["Northland", "Southland", "Northland"])
    assert [p.name for p in result.plan.parties.values()] == ["Northland", "Southland"]
    assert not any("parties" in line for line in result.not_understood)


def test_parties_are_found_in_the_prose() -> None:
    text = MESSY.replace("Northland and Southland", "Japan and South Korea").replace(
        "harbour talks", "Seoul-Tokyo talks"
    )
    plan = import_briefing(text).plan
    assert sorted(p.name for p in plan.parties.values()) == ["Japan", "South Korea"]


def test_clean_markdown_briefing() -> None:
    text = """\
# Lake Summit: Preparation Status

The delegations of France and Germany meet at the lake in October.

## Workstreams

| Workstream | Status | Deadline |
|:-----------|:------:|---------:|
| Agenda     | Done   | 2025-09-01 |
| Transport  | Not started | End of September 2025 |

## Agenda

- **Water rights**: sharing the lake's water in dry summers
- **Border crossings**: faster checks for commuters
"""
    result = import_briefing(text, "lake.md")
    plan = result.plan
    assert plan.summit.title == "Lake Summit: Preparation Status"
    assert sorted(p.name for p in plan.parties.values()) == ["France", "Germany"]
    assert plan.workstreams["agenda"].status == "complete"
    assert plan.workstreams["transport"].deadline == dt.date(2025, 9, 30)
    # Labelled bullets that match no workstream are kept as a note rather than dropped.
    assert any("Water rights" in note.text for note in plan.notes.values())


def test_text_without_structure_imports_nothing() -> None:
    with pytest.raises(InputError, match="no recognisable structure"):
        import_briefing("Talks went well. More talks next week.\n", "notes.txt")


def test_the_bundled_briefing_gives_the_briefing_tables() -> None:
    text = Path(example_path("briefing.txt")).read_text(encoding="utf-8")
    result = import_briefing(text, "briefing.txt")
    plan = result.plan
    assert [(w.name, w.status) for w in plan.workstreams.values()] == [
        ("Agenda Development", "in-progress"),
        ("Security Protocols", "under-review"),
        ("Venue Selection", "shortlisting"),
    ]
    venue = plan.workstreams["venue-selection"].expected_completion
    assert venue is not None
    assert venue.end == dt.date(2024, 7, 31)
    assert all(len(w.key_points) == 1 for w in plan.workstreams.values())
    impacts = {i.name: i.impact for i in plan.issues.values()}
    assert impacts == {
        "Eastern Europe Security": ImpactLevel.HIGH,
        "Trade Sanctions": ImpactLevel.MEDIUM,
        "Cybersecurity": ImpactLevel.CRITICAL,
        "Nuclear Arms Control": ImpactLevel.HIGH,
        "Energy Cooperation": ImpactLevel.MEDIUM,
    }
    assert len(plan.topics) == 5
    assert len(plan.mechanisms) == 6  # three components and three recommendations
    assert sorted(p.name for p in plan.parties.values()) == ["Russia", "United States"]
    # The prose is kept, whole, as one background note; nothing else becomes a note.
    assert list(plan.notes) == ["background"]
    kept = plan.notes["background"].text
    assert "More information is likely to come out as preparations move forward." in kept
    assert any(
        "prose paragraphs kept as the note 'background'" in line for line in result.understood
    )


def test_a_date_outside_the_supported_range_is_left_out_and_said() -> None:
    text = (
        "Preparation Aspect | Status | Expected Completion |\n---|---|---|\n"
        "Agenda Development | In Progress | Late July 2500 |\n"
        "Venue Selection | Shortlisting Phase | End of July 2024 |\n"
    )
    result = import_briefing(text, "far.txt")
    windows = {w.name: w.expected_completion for w in result.plan.workstreams.values()}
    assert windows["Agenda Development"] is None
    assert windows["Venue Selection"] is not None
    assert any("'Late July 2500'" in line and "outside" in line for line in result.not_understood)
