"""Model-independent text handling for the model summarizers.

Packing sentences into parts that fit a token budget (never truncating), splitting model output
into sentences, and reading the ``[n]`` citation markers a model puts after a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from summarizer.summarizers.base import DraftSentence

LANGUAGE_NAMES = {
    "en": "English", "id": "Indonesian", "ms": "Malay", "zh": "Chinese", "fr": "French",
    "es": "Spanish", "pt": "Portuguese", "de": "German", "it": "Italian", "ru": "Russian",
    "ja": "Japanese", "ko": "Korean", "vi": "Vietnamese", "th": "Thai", "ar": "Arabic",
    "nl": "Dutch", "pl": "Polish", "tr": "Turkish", "cs": "Czech", "sv": "Swedish",
    "fi": "Finnish", "da": "Danish", "no": "Norwegian", "hu": "Hungarian", "ro": "Romanian",
    "el": "Greek", "he": "Hebrew", "uk": "Ukrainian", "hi": "Hindi", "bn": "Bengali",
    "ur": "Urdu", "fa": "Persian", "tl": "Tagalog",
}  # fmt: skip

# "[1]", "[1][3]", "[1, 3]", "[1,3; 4]": one or more bracketed groups of source numbers.
CITATION_GROUP = re.compile(r"\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\]")
CITATION_RUN = re.compile(rf"(?:[ \t]*{CITATION_GROUP.pattern})+")
# Markers written after the full stop ("... Moscow. [2][4]") belong to the sentence before it.
MARKERS_AFTER_STOP = re.compile(rf"([.!?…]['\"”’)]*)({CITATION_RUN.pattern})")
# Sentence boundary for English-like text: end punctuation, optional closing quote, space, then
# an uppercase letter, digit or opening quote.
SIMPLE_BOUNDARY = re.compile(r"(?<=[.!?…])(?:['\"”’)]+)?\s+(?=[\"“‘(\[]?[A-Z0-9])")
LIST_PREFIX = re.compile(r"^\s*(?:[-*•]+|\d+[.)])\s+")
TITLE_PREFIX = re.compile(r"^(?:\s*(?:#+|\*\*|title\s*:|judul\s*:))+\s*", re.IGNORECASE)
WORD = re.compile(r"\w")


def language_name(code: str) -> str:
    """The English name of a language code, for prompts ("id" -> "Indonesian")."""
    return LANGUAGE_NAMES.get(code, code)


def pack_sentences(
    sentences: list[tuple[str, str]], count_tokens: Callable[[str], int], budget: int
) -> list[list[tuple[str, str]]]:
    """Consecutive (id, text) sentences grouped into parts of at most ``budget`` tokens each.

    A single sentence over the budget is split between words into pieces that fit (each piece
    keeps the sentence's id), so no text is ever dropped: every word is in exactly one part.
    """
    if budget < 1:
        raise ValueError(f"token budget must be positive, got {budget}")
    parts: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for sentence_id, text in sentences:
        for piece in fit_sentence(text, count_tokens, budget):
            joined = " ".join([*(t for _, t in current), piece])
            if current and count_tokens(joined) > budget:
                parts.append(current)
                current = []
            current.append((sentence_id, piece))
    if current:
        parts.append(current)
    return parts


def fit_sentence(sentence: str, count_tokens: Callable[[str], int], budget: int) -> list[str]:
    """The sentence itself when it fits, else consecutive word pieces that each fit."""
    if count_tokens(sentence) <= budget:
        return [sentence]
    pieces: list[str] = []
    words: list[str] = []
    for word in sentence.split():
        if words and count_tokens(" ".join([*words, word])) > budget:
            pieces.append(" ".join(words))
            words = []
        words.append(word)
    if words:
        pieces.append(" ".join(words))
    return pieces


def split_output_sentences(text: str, language: str) -> list[str]:
    """Model output split into sentences; every line break is a boundary, list bullets dropped."""
    lines = [LIST_PREFIX.sub("", line).strip() for line in text.splitlines()]
    sentences: list[str] = []
    for line in filter(None, lines):
        sentences += _split_line(line, language)
    return sentences


def _split_line(line: str, language: str) -> list[str]:
    if language == "id":
        from summarizer.ingest.segment import split_sentences

        return split_sentences(line)
    return [part.strip() for part in SIMPLE_BOUNDARY.split(line) if part.strip()]


def parse_cited_sentences(text: str, language: str) -> list[DraftSentence]:
    """Sentences with their ``[n]`` markers read into ``sources`` and stripped from the text."""
    moved = MARKERS_AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)
    drafts = []
    for sentence in split_output_sentences(moved, language):
        sources = citation_numbers(sentence)
        clean = strip_citations(sentence)
        if WORD.search(clean):
            drafts.append(DraftSentence(text=clean, sources=sources))
        elif drafts:
            # A line holding only markers: they belong to the sentence before it.
            drafts[-1].sources += [n for n in sources if n not in drafts[-1].sources]
    return drafts


def citation_numbers(text: str) -> list[int]:
    """Every source number in the text's [n] markers, in order of first appearance."""
    numbers: list[int] = []
    for group in CITATION_GROUP.findall(text):
        for number in map(int, re.findall(r"\d+", group)):
            if number not in numbers:
                numbers.append(number)
    return numbers


def strip_citations(text: str) -> str:
    """The text without [n] markers, with the spacing around them tidied."""
    stripped = CITATION_RUN.sub("", text)
    return re.sub(r"\s+([.,;:!?…])", r"\1", stripped).strip()


def split_title(text: str) -> tuple[str, str]:
    """The title line (prefixes and markers removed) and the rest of the text.

    The first line is the title when it is labelled ("Title:", "# ...") or carries no [n]
    markers; a first line with markers is already a cited sentence, so the title stays empty.
    """
    lines = text.strip().splitlines()
    if not lines:
        return "", ""
    label = TITLE_PREFIX.match(lines[0])
    if CITATION_GROUP.search(lines[0]) and not (label and label.group().strip()):
        return "", text.strip()
    title = strip_citations(TITLE_PREFIX.sub("", lines[0]))
    return title.strip("*# ").strip(), "\n".join(lines[1:])
