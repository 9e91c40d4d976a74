from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summitry.io.briefing_text import (
    Block,
    BulletList,
    Heading,
    Paragraph,
    Table,
    read_blocks,
    split_labelled,
)

# An invented summit written in the layout of pasted news briefings: no Markdown headings,
# tables without an outer left pipe, and lists, tables and prose on consecutive lines.
SEEDLIKE = """\
Officials in Valdoria and the Kestrel Isles say planning for a first leaders' meeting in Port Amsel is moving ahead, according to the Harbour Gazette. Both governments call the contacts constructive, though neither has named a date, and observers expect fishing rights and undersea cables to dominate.
Valdoria And Kestrel Isles Step Up Planning For Port Amsel Meeting
Staff from the two foreign offices met twice last week to settle the practical side of the visit, and a joint note circulated to diplomats sets out what remains to be done. The note lists three work streams:
- Programme Drafting: A shared list of agenda items is being narrowed to fit a single working day.
- Protection Detail: Police units from both sides are rehearsing motorcade routes along the harbour front.
- Press Centre: A hall near the ferry terminal has been booked for up to four hundred reporters.
A senior Valdorian official told reporters that the schedule was tight but achievable, adding that most of the heavy lifting would happen in the final fortnight.
Work Stream | Owner | Target Date |
---|---|---|
Programme Drafting | Joint Secretariat | Mid-August 2025 |
Protection Detail | Interior Ministries | Late August 2025 |
Press Centre | Kestrel Isles Media Office | End of August 2025 |
Negotiators described the transport question as ferry | rail | air, with no option ruled out yet.
Fishing Quotas And Cable Security Expected To Lead Talks
Fisheries remain the most sensitive file. Trawler crews on both sides have complained for years about overlapping zones, and a provisional quota deal lapsed in the spring.
Undersea data cables are the second priority. Analysts at the Amsel Institute expect the leaders to discuss joint patrols and a common incident hotline. Their briefing ranks the likely topics as follows:
- Shared fishing zones
- Protection of undersea cables
- Ferry and port tariffs
- Student exchange schemes
The institute cautions that the order could change if a maritime incident occurs before the meeting.
Topic | Priority | Likely Outcome |
---|---|---|
Fishing Zones | High | Interim Quota Accord |
Undersea Cables | High | Joint Patrol Pilot |
Port Tariffs | Medium | Working Group |
Student Exchanges | Low | Memorandum |
Mediators Urge Quiet Diplomacy Before The Leaders Meet
Former envoys recommend that both capitals keep public statements short until the agenda is final, warning that early leaks have derailed similar meetings in the region. The envoys propose the following supporting measures:
Measure | Purpose | Expected Effect |
---|---|---|
Weekly Secretariat Calls | Keep drafts aligned | Fewer last-minute disputes |
Sealed Draft Texts | Limit leaks | Calmer press coverage |
Fallback Venue | Cover bad weather | Meeting goes ahead regardless |
Key Takeaways
Planning is well advanced, but the date, the final agenda and the guest list all remain open, and both sides say further details will follow once the secretariat reports back."""  # noqa: E501

HEADLINE = "Valdoria And Kestrel Isles Step Up Planning For Port Amsel Meeting"
TOPICS_HEADING = "Fishing Quotas And Cable Security Expected To Lead Talks"


def kinds(blocks: list[Block]) -> str:
    letters = {Heading: "H", Paragraph: "P", Table: "T", BulletList: "L"}
    return "".join(letters[type(block)] for block in blocks)


def tables(blocks: list[Block]) -> list[Table]:
    return [block for block in blocks if isinstance(block, Table)]


def lists(blocks: list[Block]) -> list[BulletList]:
    return [block for block in blocks if isinstance(block, BulletList)]


def paragraphs(blocks: list[Block]) -> list[Paragraph]:
    return [block for block in blocks if isinstance(block, Paragraph)]


def headings(blocks: list[Block]) -> list[Heading]:
    return [block for block in blocks if isinstance(block, Heading)]


class TestSeedLikeDocument:
    blocks = read_blocks(SEEDLIKE)

    def test_block_sequence_and_lines(self) -> None:
        assert kinds(self.blocks) == "PHPLPTPHPPLPTHPTHP"
        assert [block.line for block in self.blocks] == [
            1, 2, 3, 4, 7, 8, 13, 14, 15, 16, 17, 21, 22, 28, 29, 30, 35, 36,
        ]  # fmt: skip

    def test_headings(self) -> None:
        assert [(h.text, h.level) for h in headings(self.blocks)] == [
            (HEADLINE, 2),
            (TOPICS_HEADING, 2),
            ("Mediators Urge Quiet Diplomacy Before The Leaders Meet", 2),
            ("Key Takeaways", 2),
        ]

    def test_tables(self) -> None:
        first, second, third = tables(self.blocks)
        assert first.header == ("Work Stream", "Owner", "Target Date")
        assert first.rows == (
            ("Programme Drafting", "Joint Secretariat", "Mid-August 2025"),
            ("Protection Detail", "Interior Ministries", "Late August 2025"),
            ("Press Centre", "Kestrel Isles Media Office", "End of August 2025"),
        )
        assert first.title == HEADLINE
        assert second.header == ("Topic", "Priority", "Likely Outcome")
        assert len(second.rows) == 4
        assert second.rows[-1] == ("Student Exchanges", "Low", "Memorandum")
        assert second.title == TOPICS_HEADING
        assert third.header == ("Measure", "Purpose", "Expected Effect")
        assert [row[0] for row in third.rows] == [
            "Weekly Secretariat Calls",
            "Sealed Draft Texts",
            "Fallback Venue",
        ]
        assert third.title == "The envoys propose the following supporting measures"

    def test_lists(self) -> None:
        streams, topics = lists(self.blocks)
        assert streams.title == "The note lists three work streams"
        assert [split_labelled(item)[0] for item in streams.items] == [
            "Programme Drafting",
            "Protection Detail",
            "Press Centre",
        ]
        assert streams.items[2] == (
            "Press Centre: A hall near the ferry terminal has been booked for up to four "
            "hundred reporters."
        )
        assert topics.title == "Their briefing ranks the likely topics as follows"
        assert topics.items == (
            "Shared fishing zones",
            "Protection of undersea cables",
            "Ferry and port tariffs",
            "Student exchange schemes",
        )

    def test_every_prose_line_is_its_own_paragraph(self) -> None:
        prose = [
            line
            for line in SEEDLIKE.splitlines()
            if len(line.split()) > 12 and not line.startswith("- ") and not line.endswith("|")
        ]
        assert len(prose) == 9
        assert [p.text for p in paragraphs(self.blocks)] == prose

    def test_no_prose_inside_tables_or_lists(self) -> None:
        contained = [cell for table in tables(self.blocks) for row in table.rows for cell in row]
        contained += [item for bullet_list in lists(self.blocks) for item in bullet_list.items]
        for text in contained:
            assert not text.startswith(("Negotiators", "A senior", "The institute", "Key"))
            assert len(text.split()) <= 18

    def test_prose_with_pipes_ends_the_table(self) -> None:
        assert self.blocks[6] == Paragraph(
            "Negotiators described the transport question as ferry | rail | air, with no option "
            "ruled out yet.",
            13,
        )

    def test_paragraph_right_before_a_table_header_stays_a_paragraph(self) -> None:
        before_third = self.blocks[14]
        assert isinstance(before_third, Paragraph)
        assert before_third.text.endswith("the following supporting measures:")
        assert isinstance(self.blocks[15], Table)
        assert self.blocks[15].line == before_third.line + 1

    def test_crlf_bom_and_tabs_read_the_same(self) -> None:
        lines = [
            line.replace(" | ", "\t|\t") if line.endswith("|") else line
            for line in SEEDLIKE.split("\n")
        ]
        messy = "\ufeff" + "\r\n".join(lines)
        assert "\t" in messy
        assert read_blocks(messy) == self.blocks

    def test_old_mac_line_endings(self) -> None:
        assert read_blocks(SEEDLIKE.replace("\n", "\r")) == self.blocks


CLEAN_MARKDOWN = """\
# Harbour Summit Readiness

## Logistics

The secretariat has confirmed the venue and most of the
catering, and expects the remaining contracts to close soon.

| Item | Status | Due |
|:-----|:------:|----:|
| Venue | Confirmed | 2025-08-01 |
| Catering \\| drinks | Pending | Early August 2025 |

Delegations were asked for these details:

* Names of principals
* Arrival times

1. Confirm the guest list
2. Circulate the seating plan

- Transport: Ferries chartered for both delegations.
- Security: Joint patrols agreed in principle,
  pending sign-off by both interior ministries.

### Open Points ###

Nothing else is outstanding.
"""


class TestCleanMarkdown:
    blocks = read_blocks(CLEAN_MARKDOWN)

    def test_sequence(self) -> None:
        assert kinds(self.blocks) == "HHPTPLLLHP"

    def test_atx_headings_and_levels(self) -> None:
        assert [(h.text, h.level, h.line) for h in headings(self.blocks)] == [
            ("Harbour Summit Readiness", 1, 1),
            ("Logistics", 2, 3),
            ("Open Points", 3, 25),
        ]

    def test_wrapped_paragraph_lines_are_joined(self) -> None:
        assert self.blocks[2] == Paragraph(
            "The secretariat has confirmed the venue and most of the catering, and expects the "
            "remaining contracts to close soon.",
            5,
        )

    def test_table_with_outer_pipes_and_alignment(self) -> None:
        table = self.blocks[3]
        assert table == Table(
            title="Logistics",
            header=("Item", "Status", "Due"),
            rows=(
                ("Venue", "Confirmed", "2025-08-01"),
                ("Catering | drinks", "Pending", "Early August 2025"),
            ),
            line=8,
        )

    def test_marker_styles_make_separate_lists(self) -> None:
        stars, numbers, dashes = lists(self.blocks)
        assert stars.items == ("Names of principals", "Arrival times")
        assert stars.title == "Delegations were asked for these details"
        assert numbers.items == ("Confirm the guest list", "Circulate the seating plan")
        assert numbers.title == "Logistics"
        assert [split_labelled(item) for item in dashes.items] == [
            ("Transport", "Ferries chartered for both delegations."),
            (
                "Security",
                "Joint patrols agreed in principle, pending sign-off by both interior ministries.",
            ),
        ]


def test_table_needs_a_separator_line() -> None:
    text = "Name | Role | Since |\nAda Marsh | Envoy | 2021 |\n"
    assert kinds(read_blocks(text)) == "P"


def test_separator_without_pipes_is_not_a_table() -> None:
    blocks = read_blocks("Preparation | Status\n---\nDone\n")
    assert all(not isinstance(block, Table) for block in blocks)


def test_row_needs_two_separators() -> None:
    text = (
        "Item | Status | Due |\n---|---|---|\nVenue | Booked | June 2025 |\n"
        "Observers called the venue choice safe | if unexciting.\n"
    )
    blocks = read_blocks(text)
    assert kinds(blocks) == "TP"
    table = tables(blocks)[0]
    assert table.rows == (("Venue", "Booked", "June 2025"),)


def test_prose_with_two_pipes_is_not_a_row_of_an_outer_pipe_table() -> None:
    text = "| A | B |\n|---|---|\n| 1 | 2 |\nThe memo offered yes | no | maybe as answers.\n"
    blocks = read_blocks(text)
    assert kinds(blocks) == "TP"
    assert tables(blocks)[0].rows == (("1", "2"),)


def test_two_column_table_without_outer_pipes() -> None:
    blocks = read_blocks("Office | Head\n--- | ---\nProtocol | R. Ilves\nPress | T. Okafor\n")
    assert tables(blocks)[0].rows == (("Protocol", "R. Ilves"), ("Press", "T. Okafor"))


def test_rows_are_padded_and_truncated_to_the_header() -> None:
    text = "A | B | C |\n---|---|---|\nx | y |\np | q | r | s | t |\n"
    assert tables(read_blocks(text))[0].rows == (("x", "y", ""), ("p", "q", "r"))


def test_table_ends_at_blank_line() -> None:
    text = "| A | B |\n|---|---|\n| 1 | 2 |\n\n| 3 | 4 |\n"
    blocks = read_blocks(text)
    assert kinds(blocks) == "TP"


def test_dash_word_at_line_start_is_not_a_bullet() -> None:
    assert read_blocks("-based screening will be used at both ports.\n") == [
        Paragraph("-based screening will be used at both ports.", 1)
    ]
    wrapped = "Both sides backed the risk\n-based screening model for cargo.\n"
    assert read_blocks(wrapped) == [
        Paragraph("Both sides backed the risk -based screening model for cargo.", 1)
    ]


def test_dash_and_number_markers_need_a_space() -> None:
    text = "Turnout was modest.\n-5 percent on last year was reported.\n2024. A hard year.\n"
    assert all(isinstance(block, Paragraph) for block in read_blocks(text))


def test_list_ends_at_first_non_bullet_line() -> None:
    text = (
        "The delegates agreed on:\n- a joint hotline\n- annual reviews\n"
        "Talks on tariffs will resume in the autumn, officials said.\n"
    )
    blocks = read_blocks(text)
    assert kinds(blocks) == "PLP"
    assert lists(blocks)[0].items == ("a joint hotline", "annual reviews")
    assert blocks[2] == Paragraph("Talks on tariffs will resume in the autumn, officials said.", 4)


def test_list_running_into_a_table() -> None:
    text = "- one\n- two\nCol | Val |\n---|---|\nx | 1 |\n"
    assert kinds(read_blocks(text)) == "LT"


def test_unicode_bullets_and_loose_lists() -> None:
    text = "Agenda:\n\u2022 Ports\n\n\u2022 Cables\n\u2013 Fisheries\n"
    blocks = read_blocks(text)
    assert [b.items for b in lists(blocks)] == [("Ports", "Cables"), ("Fisheries",)]


def test_nested_items_stay_in_the_list() -> None:
    text = "- Venue\n    * main hall\n    * press room\n- Transport\n"
    assert lists(read_blocks(text))[0].items == ("Venue", "main hall", "press room", "Transport")


@pytest.mark.parametrize(
    "title",
    [
        "Key Takeaways",
        "Joint Statement Expected On Energy Transit",
        "Background",
        "Kestrel Isles\u2019 Position on the \u201cBlue Corridor\u201d",
        "**Next Steps**",
        "Will The Ferry Deal Hold?",
    ],
)
def test_title_lines_become_headings(title: str) -> None:
    text = f"The ministers met on Tuesday.\n{title}\nA statement followed on Wednesday.\n"
    blocks = read_blocks(text)
    assert kinds(blocks) == "PHP"
    assert blocks[1] == Heading(title.strip("*"), 2, 2)


@pytest.mark.parametrize(
    "line",
    [
        "Officials said the talks continue",
        "Key Points To Note:",
        "Ports, Cables, Fisheries,",
        "One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen",
        "Venue | Status",
        "Summit Planning Begins.",
    ],
)
def test_lines_that_are_not_titles(line: str) -> None:
    text = f"The ministers met on Tuesday.\n{line}\nA statement followed on Wednesday.\n"
    assert not headings(read_blocks(text))


def test_title_shaped_line_continued_by_the_next_line_is_prose() -> None:
    text = "The ministers met on Tuesday.\nPresident Aurel Vance Of Valdoria\nsaid little.\n"
    assert kinds(read_blocks(text)) == "PP"


def test_title_shaped_line_in_mid_sentence_is_prose() -> None:
    text = "The talks were chaired by\nForeign Minister Ilse Brandt\nof the Kestrel Isles.\n"
    assert read_blocks(text) == [
        Paragraph("The talks were chaired by Foreign Minister Ilse Brandt of the Kestrel Isles.", 1)
    ]


def test_first_line_headline_is_a_heading() -> None:
    text = "Harbour Talks Enter Final Week\nNegotiators from both sides returned to Port Amsel.\n"
    assert read_blocks(text) == [
        Heading("Harbour Talks Enter Final Week", 2, 1),
        Paragraph("Negotiators from both sides returned to Port Amsel.", 2),
    ]


def test_setext_headings() -> None:
    text = "Summit Brief\n============\n\nlogistics overview\n---\n\nBody text.\n"
    assert read_blocks(text) == [
        Heading("Summit Brief", 1, 1),
        Heading("logistics overview", 2, 4),
        Paragraph("Body text.", 7),
    ]


def test_empty_markdown_heading_is_dropped() -> None:
    assert read_blocks("#\nText follows.\n") == [Paragraph("Text follows.", 2)]


def test_thematic_break_is_dropped() -> None:
    assert kinds(read_blocks("First part.\n\n***\n\nSecond part.\n")) == "PP"


def test_list_title_falls_back_to_heading_and_table_title_to_none() -> None:
    text = "A | B |\n---|---|\n1 | 2 |\n## Risks\nSome context here.\n- Storms\n"
    table, _, _, bullets = read_blocks(text)
    assert isinstance(table, Table)
    assert table.title is None
    assert isinstance(bullets, BulletList)
    assert bullets.title == "Risks"


def test_intro_title_is_the_last_sentence_even_after_abbreviations() -> None:
    text = "Talks resumed with the U.S. observers present. Dr. Ilves listed three risks:\n- Fog\n"
    assert lists(read_blocks(text))[0].title == "Dr. Ilves listed three risks"


def test_empty_and_blank_documents() -> None:
    assert read_blocks("") == []
    assert read_blocks("\ufeff\r\n\t \n") == []


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            "Security Arrangements: Enhanced checks at every pier.",
            ("Security Arrangements", "Enhanced checks at every pier."),
        ),
        ("**Venue:** Old customs house", ("Venue", "Old customs house")),
        ("**Venue**: Old customs house", ("Venue", "Old customs house")),
        ("Arrival at 10:30 by ferry", (None, "Arrival at 10:30 by ferry")),
        ("See https://example.org for details", (None, "See https://example.org for details")),
        ("Shared fishing zones", (None, "Shared fishing zones")),
        ("Pending:", (None, "Pending:")),
        (": stray colon", (None, ": stray colon")),
        (
            "The delegation, which arrived late. Said this: nothing",
            (None, "The delegation, which arrived late. Said this: nothing"),
        ),
        (
            "one two three four five six seven eight nine: text",
            (None, "one two three four five six seven eight nine: text"),
        ),
        ("  Budget :  Approved  ", ("Budget", "Approved")),
    ],
)
def test_split_labelled(item: str, expected: tuple[str | None, str]) -> None:
    assert split_labelled(item) == expected


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789", min_size=1, max_size=8)
_CELL = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)


@given(
    st.integers(min_value=2, max_value=5).flatmap(
        lambda width: st.tuples(
            st.lists(_CELL, min_size=width, max_size=width),
            st.lists(st.lists(_CELL, min_size=width, max_size=width), max_size=6),
        )
    ),
    st.sampled_from(["seed", "markdown"]),
)
def test_generated_tables_round_trip(table: tuple[list[str], list[list[str]]], style: str) -> None:
    header, rows = table

    def render(cells: list[str]) -> str:
        joined = " | ".join(cells)
        return f"{joined} |" if style == "seed" else f"| {joined} |"

    separator = render(["---"] * len(header)).replace(" ", "")
    lines = ["A short introduction ends here.", render(header), separator]
    lines += [render(row) for row in rows]
    lines.append("Prose resumes after the table.")
    blocks = read_blocks("\n".join(lines))
    assert kinds(blocks) == "PTP"
    parsed = tables(blocks)[0]
    assert parsed.header == tuple(header)
    assert parsed.rows == tuple(tuple(row) for row in rows)
    assert parsed.line == 2


@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text: str) -> None:
    blocks = read_blocks(text)
    # "\r\n", a lone "\r" and "\n" each end one line.
    line_count = text.replace("\r\n", "\n").count("\n") + text.replace("\r\n", "").count("\r") + 1
    numbers = [block.line for block in blocks]
    assert numbers == sorted(set(numbers))
    assert all(1 <= number <= line_count for number in numbers)


@given(
    st.lists(
        st.sampled_from(
            [
                "Plain Title Line",
                "A sentence of prose that ends here.",
                "- item text",
                "1. numbered",
                "Col | Val |",
                "---|---|",
                "x | 1 |",
                "| a | b |",
                "|:--|--:|",
                "",
                "# Heading",
                "---",
                "  indented continuation",
                "and a lowercase follow-on",
            ]
        ),
        max_size=25,
    )
)
def test_structured_soup_keeps_lines_ordered(lines: list[str]) -> None:
    blocks = read_blocks("\n".join(lines))
    numbers = [block.line for block in blocks]
    assert numbers == sorted(set(numbers))
    for block in blocks:
        if isinstance(block, Table):
            assert all(len(row) == len(block.header) for row in block.rows)
        if isinstance(block, BulletList):
            assert block.items
