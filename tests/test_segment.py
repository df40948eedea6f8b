from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from summarizer.document import (
    Block,
    CleanedDocument,
    Metadata,
    RawDocument,
    Removal,
    Repair,
    SourceFile,
)
from summarizer.ingest.segment import segment, split_sentences

DATA = Path(__file__).resolve().parent / "data"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CORPUS = Path("/work/shared/corpus/saudia-bomb-threat-jun2025")
BOUNDARY = "||"


def _split_cases() -> list[tuple[str, str, str]]:
    cases = []
    for line in (DATA / "split_cases.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            origin, trap, passage = line.split("\t")
            cases.append((origin, trap, passage))
    return cases


SPLIT_CASES = _split_cases()
SEED_SPLIT = json.loads((DATA / "seed_split.json").read_text(encoding="utf-8"))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_regression_suite_is_large_and_covers_seeds_corpus_and_traps() -> None:
    assert len(SPLIT_CASES) >= 60
    origins = {origin for origin, _, _ in SPLIT_CASES}
    assert {"seed000", "seed001", "seed002", "seed003", "seed004"} <= origins
    assert any(origin.startswith("corpus") for origin in origins)


@pytest.mark.parametrize("passage", [c[2] for c in SPLIT_CASES], ids=[f"{c[0]}: {c[1]}" for c in SPLIT_CASES])
def test_split_regression_case(passage: str) -> None:
    expected = [part.strip() for part in passage.split(BOUNDARY)]
    assert split_sentences(passage.replace(BOUNDARY, "")) == expected


@pytest.mark.parametrize("name", sorted(SEED_SPLIT))
def test_seed_paragraphs_split_as_hand_checked(name: str) -> None:
    for paragraph in SEED_SPLIT[name]:
        assert split_sentences(" ".join(paragraph)) == paragraph


def test_seed_split_sentences_come_from_the_seed_in_order() -> None:
    # Guards the expected file itself: every seed sentence comes from the seed, in order.
    for name, paragraphs in SEED_SPLIT.items():
        source = _squeeze((SEEDS / name).read_text(encoding="utf-8"))
        position = 0
        for paragraph in paragraphs:
            for sentence in paragraph:
                found = source.find(_squeeze(sentence), position)
                assert found >= 0, (name, sentence)
                position = found + len(_squeeze(sentence))


def _all_texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    if CORPUS.is_dir():
        texts += [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]
    return texts + [c[2].replace(BOUNDARY, "") for c in SPLIT_CASES]


@pytest.mark.parametrize("text", _all_texts())
def test_no_character_is_lost_or_changed(text: str) -> None:
    sentences = split_sentences(text)
    assert _squeeze("".join(sentences)) == _squeeze(text)
    assert all(s == s.strip() and s for s in sentences)


def test_every_line_break_is_a_boundary() -> None:
    text = "Baca juga: Harga BBM Naik Lagi\nPemerintah menaikkan harga BBM mulai Senin."
    assert split_sentences(text) == [
        "Baca juga: Harga BBM Naik Lagi",
        "Pemerintah menaikkan harga BBM mulai Senin.",
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_text_has_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


def _cleaned(blocks: list[Block]) -> CleanedDocument:
    source = SourceFile(path="a/001.txt", format="txt", encoding="utf-8", sha256="0" * 64)
    raw = RawDocument(id="a/001.txt", source=source, text="")
    metadata = Metadata(title="Judul", outlet="Kontan", place="Jakarta")
    removal = Removal(rule="dateline", text="KONTAN.CO.ID - JAKARTA.", line=1, moved_to="place")
    repair = Repair(text_before="442jemaah", text_after="442 jemaah", line=2, rule="digit-join")
    return CleanedDocument(
        raw=raw,
        metadata=metadata,
        blocks=blocks,
        removals=[removal],
        notes=["short body"],
        repairs=[repair],
    )


def test_segment_numbers_paragraphs_and_sentences_and_keeps_headings_whole() -> None:
    doc = _cleaned(
        [
            Block(kind="text", text="Rupiah melemah ke Rp 15.750 per dollar AS. BI siap.", line=1),
            Block(kind="heading", text="Respon Amerika Serikat dan NATO. Lagi", line=3),
            Block(kind="text", text="   ", line=4),
            Block(kind="text", text='"Kami siap," kata Kompol. Ahmad.', line=5),
        ]
    )
    article = segment(doc, "id", "ms")
    assert [(p.index, p.kind) for p in article.paragraphs] == [
        (1, "text"),
        (2, "heading"),
        (3, "text"),
    ]
    assert [(s.id, s.text) for s in article.sentences()] == [
        ("a/001.txt:1:1", "Rupiah melemah ke Rp 15.750 per dollar AS."),
        ("a/001.txt:1:2", "BI siap."),
        ("a/001.txt:2:1", "Respon Amerika Serikat dan NATO. Lagi"),
        ("a/001.txt:3:1", '"Kami siap," kata Kompol. Ahmad.'),
    ]
    assert (article.language, article.language_detected) == ("id", "ms")
    assert article.metadata.outlet == "Kontan"
    assert article.removals == doc.removals and article.notes == ["short body"]
    assert article.repairs == doc.repairs
    assert article.source is doc.raw.source and article.id == "a/001.txt"
