"""Paragraph refinements after extraction."""

from __future__ import annotations

from aggregator.extraction.refine import drop_title_echo, split_at_title, trim_link_edges

TITLE = "Google Umbar Kelemahan Galaxy S6 Edge"
STORY = [f"Kalimat cerita nomor {i} yang cukup panjang untuk sebuah paragraf." for i in range(4)]


def test_story_between_two_lists_that_carry_its_headline() -> None:
    paragraphs = ["Burung Besi China", TITLE, *STORY, TITLE, "Pengguna Bitcoin Anonim"]
    assert split_at_title(paragraphs, TITLE) == (STORY, 4)


def test_no_repeat_no_change() -> None:
    assert split_at_title(STORY, TITLE) == (STORY, 0)


def test_title_echo_at_the_top_is_dropped() -> None:
    assert drop_title_echo([f"{TITLE}.", *STORY], TITLE) == (STORY, 1)


def test_link_lines_at_the_edges_are_trimmed() -> None:
    anchors = {"Baca berita lain yang menarik di sini", "Berita populer hari ini di Jakarta"}
    paragraphs = ["Baca berita lain yang menarik di sini", *STORY,
                  "Berita populer hari ini di Jakarta"]
    assert trim_link_edges(paragraphs, anchors) == (STORY, 2)
