"""What the briefing says about itself, the same in Markdown and HTML: readable dates, how many
articles from how many outlets, and who wrote the key points."""

from __future__ import annotations

from dataclasses import replace

import pytest
from briefing_data import make_record

from summarizer.output.html_out import render_html
from summarizer.output.markdown import render_briefing
from summarizer.output.wording import articles_line, briefed_line, readable_date


@pytest.mark.parametrize(
    ("value", "language", "shown"),
    [
        ("2025-06-17T15:18:00+07:00", "en", "17 June 2025, 15:18 WIB"),
        ("2025-06-17T15:18:00+07:00", "id", "17 Juni 2025, 15.18 WIB"),
        ("2024-10-03T10:00:00+08:00", "en", "3 October 2024, 10:00 WITA"),
        ("2024-10-03T10:00:00+09:00", "en", "3 October 2024, 10:00 WIT"),
        ("2024-10-03T10:00:00+00:00", "en", "3 October 2024, 10:00 UTC"),
        ("2024-10-03T10:00:00-04:30", "en", "3 October 2024, 10:00 UTC-04:30"),
        ("2024-10-03T10:00:00", "en", "3 October 2024, 10:00"),
        ("2024-10-28", "en", "28 October 2024"),
        ("Selasa, 17 Jun 2025", "en", "Selasa, 17 Jun 2025"),  # not ISO: shown as written
        (None, "en", None),
    ],
)
def test_dates_read_as_dates(value, language, shown):
    assert readable_date(value, language) == shown


def test_the_folder_is_one_story_told_by_articles_from_outlets():
    record = make_record()
    assert articles_line(record) == "4 articles from 4 outlets (one a copy)"
    folder = record.folder
    # Two articles of one outlet count as one outlet; two copies are counted as such.
    same_outlet = replace(folder.articles[2], metadata=replace(folder.articles[2].metadata, outlet="bbc"))
    record = replace(record, folder=replace(folder, articles=[folder.articles[0], folder.articles[1], same_outlet]))
    assert articles_line(record).startswith("3 articles from 2 outlets")


def mixed_record():
    """The scripted model wrote two of the points; the rest were extractive fill-ins."""
    record = make_record()
    points = record.briefing.points
    points = [points[0], points[1], *(replace(p, origin="extractive") for p in points[2:])]
    return replace(record, briefing=replace(record.briefing, points=points))


def test_the_header_credits_the_model_only_for_the_points_it_wrote():
    line = briefed_line(mixed_record())
    assert "2 key points by scripted, 1 picked from the articles (extractive)" in line
    everything = make_record()
    all_extractive = [replace(p, origin="extractive") for p in everything.briefing.points]
    record = replace(everything, briefing=replace(everything.briefing, points=all_extractive))
    assert "none of scripted's passed verification" in briefed_line(record)
    assert "key points by scripted" not in briefed_line(record)


def test_markdown_and_html_say_the_same_header_and_dates():
    record = mixed_record()
    markdown, page = render_briefing(record), render_html(record)
    header = briefed_line(record)
    assert f"_{header}_" in markdown
    assert header.replace("'", "&#39;") in page
    assert "28 October 2024" in markdown and "28 October 2024" in page
    assert "2024-10-28" not in markdown
    assert ">2024-10-28<" not in page and "— 2024-10-28 —" not in page


def test_the_header_and_dates_read_in_indonesian():
    record = mixed_record()
    indonesian = replace(record, language="id", briefing=replace(record.briefing, language="id"))
    assert articles_line(indonesian) == "4 artikel dari 4 media (satu di antaranya salinan)"
    assert "2 pokok berita oleh scripted, 1 dipilih dari artikel (ekstraktif)" in briefed_line(indonesian)
    page = render_briefing(indonesian)
    assert "28 Oktober 2024" in page and "28 October" not in page
