"""The briefing language is the whole briefing's language: headings, labels, notes, verification."""

from __future__ import annotations

from dataclasses import fields

import pytest
from briefing_data import make_record

from summarizer.ingest.folder import load_folder
from summarizer.output.html_out import render_html
from summarizer.output.labels import EN, ID, labels_for
from summarizer.output.markdown import render_briefing
from summarizer.run.pipeline import RunOptions, brief

ENGLISH_ONLY = [
    EN.key_points,
    EN.figures,
    EN.sources,
    EN.verification,
    "troops",
    "model draft citations",
    "shown citations",
]


@pytest.fixture(scope="module")
def indonesian(seeds_dir):
    return brief(load_folder(seeds_dir), RunOptions(lang="id", summarizer="extractive"))


def test_every_label_has_a_different_wording_in_each_language():
    for f in fields(EN):
        if f.name == "counted":
            continue
        assert getattr(ID, f.name) and getattr(EN, f.name), f.name
    untranslated = [f.name for f in fields(EN) if f.name != "counted" and getattr(EN, f.name) == getattr(ID, f.name)]
    assert untranslated == []
    assert labels_for("id") is ID and labels_for("en") is EN


def test_indonesian_briefing_has_no_english_headings_labels_or_verification_line(indonesian):
    markdown = render_briefing(indonesian)
    for heading in (ID.key_points, ID.figures, ID.sources, ID.verification):
        assert f"## {heading}" in markdown
    assert "sitasi yang ditampilkan: presisi" in markdown and "sitasi draf model" in markdown
    for english in ENGLISH_ONLY:
        assert english not in markdown, english
    html = render_html(indonesian)
    assert '<html lang="id">' in html
    for english in ("Key points</h2>", "Figures and claims by source", "Citation precision", ">Sources<"):
        assert english not in html, english


def test_indonesian_figure_labels_and_notes(indonesian):
    markdown = render_briefing(indonesian)
    figures = markdown.split(f"## {ID.figures}")[1].split(f"## {ID.sources}")[0]
    for group in indonesian.briefing.figures:
        assert f"**{ID.count_label(group.counted, group.qualifier)}**" in figures
    assert all(not note.startswith(("the model", "model title")) for note in indonesian.briefing.notes)


def test_english_briefing_stays_english():
    record = make_record()
    markdown = render_briefing(record)
    assert "## Key points" in markdown and "shown citations: precision" in markdown
    assert ID.key_points not in markdown and "sitasi" not in markdown
