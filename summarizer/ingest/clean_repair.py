"""Repair words glued together where a scraper stripped a link ("pesawatSaudia", "hajitersebut").

Three conservative rules, each recorded as a Repair:
- camel-join: a lowercase word glued to a capitalised one ("dikutip dariCNA"), except brand
  spellings ("detikTravel", "kumparanNEWS", "iPhone", "InJourney", "macOS");
- digit-join: a number glued to a known word ("442jemaah", "400-anjemaah"), never "Rp620" or
  "SV-5276";
- word-join: two known words glued in lowercase ("hajitersebut"), only when the folder vocabulary
  backs the split and the joined form is not itself a word the folder uses.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

from summarizer.document import Repair
from summarizer.text.lexicon import REPAIR_FUNCTION_WORDS as FUNCTION_WORDS
from summarizer.text.lexicon import WORD

# Real words that split into two known words; never split them.
NEVER_SPLIT = frozenset(
    "daripada padahal sebagaimana apabila demikian bagaimana barangkali kadangkala manakala "
    "bilamana antarabangsa paramiliter dimana kemana darimana kepada terhadap tersebut".split()
)
# Affixes that look like words: a split must not cut them off ("ber|sama", "pesawat|nya").
_PREFIXES = frozenset("ber ter per mem men meng meny pem pen peng peny memper diper keber".split())
_SUFFIXES = frozenset("kan nya lah kah pun tah wan wati isme isasi".split())
# Lowercase brand prefixes: "detikTravel", "kumparanNEWS", "tvOne".
_BRAND_PREFIXES = frozenset("detik kumparan tv viva oke jak idn my mac watch vision".split())
_MIN_HALF = 3  # characters; "di", "ke", "se" are prefixes as often as words
_MIN_GLUED = 6
# Two glued Indonesian words are never longer than this; a longer run of letters is a blob
# (base64, a minified script) and trying every cut point in it would cost its length squared.
_MAX_GLUED = 40
_KNOWN_COUNT = 2  # a folder word seen at least this often is a known word
_LONG_FUNCTION_WORD = 6  # letters: "terhadap", "tersebut", "sehingga", "mengenai"

_TOKEN_RE = re.compile(r"\S+")
_CAMEL_RE = re.compile(r"^(?P<lower>[a-z]{2,})(?P<upper>[A-Z][\w-]*)$")
_DIGIT_RE = re.compile(r"^(?P<number>\d[\d.,]*(?:-an)?)(?P<word>[a-z]{3,})$")
_EDGE_PUNCT = "\"'“”‘’()[]{},.:;!?«»"


def build_vocabulary(texts: Iterable[str]) -> Counter[str]:
    """Lowercase word counts over a story folder, plus counts of adjacent pairs ("insiden ancaman").

    Pairs are keyed by the two words joined with one space; they let a glued "insidenancaman" be
    split because the folder also writes "insiden ancaman".
    """
    counts: Counter[str] = Counter()
    for text in texts:
        for line in text.splitlines():
            words = [w.lower() for w in WORD.findall(line)]
            counts.update(words)
            counts.update(f"{a} {b}" for a, b in pairwise(words))
    return counts


def repair_line(text: str, line: int, vocabulary: Counter[str]) -> tuple[str, list[Repair]]:
    """The line with glued words split apart, and one Repair per change."""
    repairs: list[Repair] = []
    pieces: list[str] = []
    last = 0
    for token in _TOKEN_RE.finditer(text):
        fixed, rule = _repair_token(token.group(0), vocabulary)
        if rule:
            repairs.append(Repair(token.group(0), fixed, line, rule))
        pieces.append(text[last : token.start()] + fixed)
        last = token.end()
    pieces.append(text[last:])
    return "".join(pieces), repairs


def _repair_token(token: str, vocabulary: Counter[str]) -> tuple[str, str | None]:
    """(repaired token, rule) — the token unchanged and None when nothing needs repair."""
    core = token.strip(_EDGE_PUNCT)
    if not core:
        return token, None
    head = token[: token.index(core)]
    tail = token[token.index(core) + len(core) :]
    for rule, split in _SPLITTERS:
        parts = split(core, vocabulary)
        if parts:
            # A camel or digit split may leave a second glue in its tail ("dariAntaranews" is one,
            # "Airlinesyang" in "pesawatSaudia Airlinesyang" is another token).
            right, _ = _repair_token(parts[1], vocabulary)
            return f"{head}{parts[0]} {right}{tail}", rule
    return token, None


def _known(word: str, vocabulary: Counter[str]) -> bool:
    word = word.lower()
    return word in FUNCTION_WORDS or vocabulary[word] >= _KNOWN_COUNT


def _split_camel(core: str, vocabulary: Counter[str]) -> tuple[str, str] | None:
    match = _CAMEL_RE.match(core)
    if not match or match.group("upper") == "OS":
        return None
    lower, upper = match.group("lower"), match.group("upper")
    if lower in _BRAND_PREFIXES:
        return None
    # A word glued to a brand spelling: "didetikSumut" is "di detikSumut".
    for brand in _BRAND_PREFIXES:
        if lower.endswith(brand) and _known(lower[: -len(brand)], vocabulary):
            return lower[: -len(brand)], brand + upper
    return lower, upper


def _split_digit(core: str, vocabulary: Counter[str]) -> tuple[str, str] | None:
    match = _DIGIT_RE.match(core)
    if not match or not _known(match.group("word"), vocabulary):
        return None
    return match.group("number"), match.group("word")


def _split_word(core: str, vocabulary: Counter[str]) -> tuple[str, str] | None:
    """The best split of a glued word into two known words, or None when the word may be real.

    A joined form the folder uses more than once is taken for a real word, unless the split sheds
    a long function word that never ends a real word ("bomterhadap" glued the same way by two
    outlets).
    """
    lower = core.lower()
    if not _MIN_GLUED <= len(core) <= _MAX_GLUED or not core.isalpha() or not core[1:].islower():
        return None
    if lower in NEVER_SPLIT or lower in FUNCTION_WORDS:
        return None
    joined_known = vocabulary[lower] >= _KNOWN_COUNT
    candidates = [
        (vocabulary[f"{lower[:i]} {lower[i:]}"], min(vocabulary[lower[:i]], vocabulary[lower[i:]]), i)
        for i in range(_MIN_HALF, len(lower) - _MIN_HALF + 1)
        if _is_backed_split(lower[:i], lower[i:], vocabulary, capitalised=core[0].isupper())
        and (not joined_known or _sheds_long_function_word(lower[:i], lower[i:]))
    ]
    if not candidates:
        return None
    cut = max(candidates)[2]
    return core[:cut], core[cut:]


def _sheds_long_function_word(left: str, right: str) -> bool:
    return any(half in FUNCTION_WORDS and len(half) >= _LONG_FUNCTION_WORD for half in (left, right))


def _is_backed_split(left: str, right: str, vocabulary: Counter[str], capitalised: bool) -> bool:
    """Whether the folder backs reading ``left + right`` as two words.

    Either the folder also writes the pair apart, or one half is a function word and the other a
    content word the folder uses. A capitalised token may only shed a trailing function word
    after a content word ("Airlinesyang"), so names such as "Danantara" (dan + antara) stay whole.
    """
    if left in _PREFIXES or right in _SUFFIXES:
        return False
    left_fn, right_fn = left in FUNCTION_WORDS, right in FUNCTION_WORDS
    if capitalised:
        return right_fn and not left_fn and vocabulary[left] >= _KNOWN_COUNT
    if vocabulary[f"{left} {right}"] >= 1:
        return True
    if left_fn == right_fn:
        return False
    content = right if left_fn else left
    return vocabulary[content] >= _KNOWN_COUNT


_SPLITTERS = (("camel-join", _split_camel), ("digit-join", _split_digit), ("word-join", _split_word))
