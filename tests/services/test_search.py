"""Search: BM25 ranking within the reader's view, and nothing of anyone else's records."""

from __future__ import annotations

import math

import pytest

from summitry.access.policy import Principal
from summitry.access.views import loads_view
from summitry.cli import example_path
from summitry.services.search import build_index, search, search_index, words_of

PLAN = """
format_version = 2
[summit]
title = "Talks"
[parties.north]
name = "Borealia"
[parties.south]
name = "Meridia"
[notes.harbour]
title = "Harbour access"
text = "Fishing rights in the harbour"
[notes.border]
title = "Border crossings"
text = "Opening hours of the crossings"
"""

SOUTH_PRIVATE = """
[notes.south-harbour]
title = "Harbour harbour harbour"
text = "Our harbour fallback, harbour fishing rights and a border line"
visibility = "south"
"""


def _view(text: str, party: str = "north"):  # type: ignore[no-untyped-def]
    return loads_view(text, "<test>", Principal.of(party))


def test_a_score_is_bm25_over_the_readers_records() -> None:
    # Four records: the two parties (one word each) and two notes of seven words; "fishing"
    # is in one note. By hand: idf = ln(1 + (N - n + 0.5) / (n + 0.5)) with N = 4, n = 1;
    # the note's length 7 against the average 4 gives the norm k1 (1 - b + b 7/4); tf = 1.
    index = build_index(_view(PLAN))
    assert sorted(d.length for d in index.documents) == [1, 1, 7, 7]
    k1, b = 1.2, 0.75
    idf = math.log(1 + (4 - 1 + 0.5) / (1 + 0.5))
    expected = idf * (k1 + 1) / (1 + k1 * (1 - b + b * 7 / 4))
    found = search_index(index, "fishing")
    assert [h.id for h in found.hits] == ["harbour"]
    assert found.hits[0].score == pytest.approx(expected, abs=1e-6)


def test_a_word_said_more_often_and_a_rarer_word_score_higher() -> None:
    extra = """
[notes.quay]
title = "Quay"
text = "harbour harbour fees"
"""
    index = build_index(_view(PLAN + extra))
    ranked = [h.id for h in search_index(index, "harbour").hits]
    assert ranked == ["quay", "harbour"]  # as often, in a shorter record
    rare, common = search_index(index, "fees").hits[0], search_index(index, "harbour").hits[0]
    assert rare.id == common.id == "quay"
    assert rare.score > common.score  # in one record of five; "harbour" is in three


def test_every_word_must_be_found_and_the_last_may_be_a_prefix() -> None:
    view = _view(PLAN)
    assert [h.id for h in search_index(build_index(view), "harbour fish").hits] == ["harbour"]
    assert search_index(build_index(view), "harbour crossings").total == 0
    assert search_index(build_index(view), "fish harbour").total == 0  # only the last is a prefix
    assert search_index(build_index(view), "  ").hits == ()


def test_the_snippet_shows_the_matched_word_in_its_field() -> None:
    hit = search_index(build_index(_view(PLAN)), "hours").hits[0]
    assert hit.snippet is not None
    assert (hit.snippet.field, hit.snippet.match) == ("text", "hours")
    assert hit.snippet.before + hit.snippet.match + hit.snippet.after == (
        "Opening hours of the crossings"
    )


def test_labels_and_links_are_not_text() -> None:
    # "south" is only a reader in the private note's label; the north view has no trace of it,
    # and south's own view does not find its note by the label either.
    view = _view(PLAN + SOUTH_PRIVATE, "south")
    assert search_index(build_index(view), "south").total == 0
    assert search_index(build_index(view), "fallback").total == 1


def test_another_partys_private_records_change_nothing_the_reader_gets() -> None:
    # South's note repeats "harbour" and "border": over all rows it would change every
    # document frequency and the average length, and so north's scores and order.
    alone, beside = _view(PLAN), _view(PLAN + SOUTH_PRIVATE)
    for query in ("harbour", "border", "harbour fishing", "crossings", "rights", "o"):
        assert search_index(build_index(alone), query) == search_index(
            build_index(beside), query
        ), query


def test_pages_of_hits_add_up_to_the_whole_list_and_keep_the_count() -> None:
    source, reader = example_path("summit.toml"), Principal.of("russia")
    whole = search(source, reader, "the", limit=1000)
    assert whole.total == len(whole.hits) > 20
    scores = [h.score for h in whole.hits]
    assert scores == sorted(scores, reverse=True)
    pages = [search(source, reader, "the", limit=7, offset=k) for k in range(0, whole.total, 7)]
    assert {p.total for p in pages} == {whole.total}
    assert tuple(h for p in pages for h in p.hits) == whole.hits


def test_a_back_channel_note_is_found_only_by_those_cleared_for_it() -> None:
    source, query = example_path("summit.toml"), "informal contact"
    cleared = search(source, Principal.of("united-states", ["back-channel"]), query)
    assert [(h.collection, h.id) for h in cleared.hits] == [("notes", "back-channel-signal")]
    for reader in (Principal.of("united-states"), Principal.of("russia", ["back-channel"])):
        assert search(source, reader, query).total == 0


def test_words_are_lower_case_letters_and_digits() -> None:
    assert words_of("Cyber-Security, 2024 Straße") == ["cyber", "security", "2024", "strasse"]
