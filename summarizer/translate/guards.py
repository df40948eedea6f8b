"""Checks around the translation model: catch what it is known to get wrong, never hide it.

- Degenerate output: opus-mt loops on Indonesian input ("I'm sorry I'm sorry ...", UKPLab/EasyNMT
  #38), and seq2seq models drop or invent content; such output is retried once with
  anti-repetition settings and flagged either way.
- Numbers: every source number must survive translation (see numbers.py).
- Length limits: Marian fails past 512 tokens and other families degrade; a sentence over the
  limit is split at clause boundaries so nothing is truncated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from summarizer.document import Flag
from summarizer.text.numbers import missing_numbers

# A phrase of this many words (or more) repeated back to back this many times is a loop.
# Single words get a higher bar: "very, very" and "no, no, no" are real English.
LOOP_MIN_REPEATS_WORD = 4
LOOP_MIN_REPEATS_PHRASE = 3
LOOP_MAX_PHRASE_WORDS = 8
# The same few characters over and over, with or without spaces ("(掌声)(掌声)...", "!!!!!!!!").
CHARACTER_LOOP = re.compile(r"(\S{1,20}?)\1{5,}")
# Output characters per source character outside this range means content was dropped or
# invented. Indonesian→English usually stays near 0.8–1.1; the bounds are generous on purpose.
MIN_LENGTH_RATIO = 0.4
MAX_LENGTH_RATIO = 2.2
# Below this many source characters the ratio says nothing (headings, "Rusia." → "Russia.").
MIN_CHARS_FOR_RATIO = 30

# Where a sentence that is too long for the model may be cut, best first. Each cut keeps its
# punctuation on the left piece; the connective word starts the right piece.
CLAUSE_BREAKS = (
    re.compile(r"(?<=;)\s+"),
    re.compile(r"\s+(?=[—–]\s)|(?<=[—–])\s+|\s+(?=--\s)|(?<=--)\s+"),
    re.compile(r"(?<=:)\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(
        r"\s+(?=(?:yang|bahwa|dan|tetapi|namun|sedangkan|karena|sehingga|ketika|setelah|sebelum|"
        r"sementara|serta|atau|agar|untuk|dengan|di|ke|dari|pada)\s)"
    ),
)
# A clause cut is only taken when it leaves at least this share of the text on each side;
# otherwise the next kind of break is tried (and finally a plain word boundary).
BALANCED_SHARE = 0.2

_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class OutputCheck:
    """What is wrong with one model output (nothing when `problems` is empty)."""

    problems: tuple[str, ...]
    badness: float  # 0 for a clean output; higher is worse, to pick the best of two attempts

    @property
    def ok(self) -> bool:
        return not self.problems


def check_output(source: str, output: str) -> OutputCheck:
    """Look for the usual failures of a translation: empty, looping, far too short or long."""
    if not output.strip():
        if any(ch.isalnum() for ch in source):
            return OutputCheck(("empty output",), 100.0)
        return OutputCheck((), 0.0)
    problems: list[str] = []
    badness = 0.0
    loop = _longest_loop(output)
    if loop is not None:
        phrase, repeats, share = loop
        problems.append(f"repeats '{phrase}' {repeats} times")
        badness += 10.0 * share + repeats
    ratio = _length_ratio(source, output)
    if ratio is not None and not MIN_LENGTH_RATIO <= ratio <= MAX_LENGTH_RATIO:
        problems.append(f"output/input length ratio {ratio:.2f}")
        badness += abs(ratio - 1.0) * 5
    return OutputCheck(tuple(problems), badness)


def _length_ratio(source: str, output: str) -> float | None:
    source_chars = len("".join(source.split()))
    if source_chars < MIN_CHARS_FOR_RATIO:
        return None
    return len("".join(output.split())) / source_chars


def _longest_loop(output: str) -> tuple[str, int, float] | None:
    """(phrase, times repeated back to back, share of the output it covers) of the worst loop."""
    words = [w.lower() for w in _WORD.findall(output)]
    worst: tuple[str, int, float] | None = None
    for size in range(1, LOOP_MAX_PHRASE_WORDS + 1):
        needed = LOOP_MIN_REPEATS_WORD if size == 1 else LOOP_MIN_REPEATS_PHRASE
        start = 0
        while start + size * needed <= len(words):
            phrase = words[start : start + size]
            repeats = 1
            while words[start + repeats * size : start + (repeats + 1) * size] == phrase:
                repeats += 1
            if repeats >= needed:
                share = repeats * size / len(words)
                if worst is None or share > worst[2]:
                    worst = (" ".join(phrase), repeats, share)
                start += repeats * size
            else:
                start += 1
    if worst is None:
        match = CHARACTER_LOOP.search(output)
        if match:
            repeats = len(match.group(0)) // len(match.group(1))
            worst = (match.group(1), repeats, len(match.group(0)) / max(len(output), 1))
    return worst


def number_flag(source: str, translation: str) -> Flag | None:
    """A "number-missing" flag listing the source numbers absent from the translation."""
    missing = missing_numbers(source, translation)
    if not missing:
        return None
    return Flag("number-missing", ", ".join(missing))


def split_to_fit(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Cut `text` into consecutive pieces that each fit (clause boundaries first, then words,
    then characters). Joining the pieces with single spaces gives back the text, apart from
    the whitespace at the cuts."""
    text = text.strip()
    if fits(text) or len(text) < 2:
        return [text]
    cut = _best_cut(text)
    left, right = text[:cut].strip(), text[cut:].strip()
    return split_to_fit(left, fits) + split_to_fit(right, fits)


def _best_cut(text: str) -> int:
    middle = len(text) / 2
    margin = len(text) * BALANCED_SHARE
    for pattern in CLAUSE_BREAKS:
        cuts = [m.end() for m in pattern.finditer(text) if margin <= m.end() <= len(text) - margin]
        if cuts:
            return min(cuts, key=lambda c: abs(c - middle))
    spaces = [m.end() for m in re.finditer(r"\s+", text) if 0 < m.start() and m.end() < len(text)]
    if spaces:
        return min(spaces, key=lambda c: abs(c - middle))
    return len(text) // 2  # one enormous "word" (a URL, a table row without spaces)
