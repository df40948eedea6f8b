"""Language identification: once per document, plus a conservative English-sentence check.

py3langid confuses Indonesian and Malay in both directions on short text, so the document-level
answer maps Malay to "id" (this tool reads Indonesian news), and detection runs on the whole body,
never per sentence. The sentence check exists only to pass quoted English through untranslated;
it must never fire on an Indonesian sentence that merely contains English names or terms.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from summarizer.text.lexicon import APOSTROPHE_WORD, EN_FUNCTION_WORDS, ID_FUNCTION_WORDS

# Fewer letters than this and any detector answer is noise.
MIN_LETTERS_FOR_DETECTION = 20

# Languages this tool treats as Indonesian for routing (Malay is the usual confusion).
INDONESIAN_ALIASES = frozenset({"id", "ms"})

# A sentence needs at least this many words before it can be called English.
MIN_ENGLISH_WORDS = 4
# Share of the words that must be English function words, and the smallest count of them.
MIN_ENGLISH_FUNCTION_SHARE = 0.2
MIN_ENGLISH_FUNCTION_WORDS = 2
# Probability py3langid (restricted to en/id/ms) must give English.
MIN_ENGLISH_PROBABILITY = 0.95
# A sentence with thin function-word evidence ("Flight SV-5276 landed safely in Medan.") passes
# only with no Indonesian function word at all and a near-certain detector.
MIN_ENGLISH_PROBABILITY_THIN = 0.99


def detect_language(text: str) -> tuple[str, str]:
    """The language of a whole cleaned article body: (normalized code, raw detector answer).

    Indonesian and Malay both give "id"; too little text gives ("und", "und").
    """
    letters = sum(1 for ch in text if ch.isalpha())
    if letters < MIN_LETTERS_FOR_DETECTION:
        return "und", "und"
    raw, _score = _full_identifier().classify(text)
    return normalize_language(raw), raw


def normalize_language(code: str) -> str:
    """Map a detector's code to the code this tool routes on ("ms" counts as "id")."""
    code = code.lower()
    return "id" if code in INDONESIAN_ALIASES else code


def is_english_sentence(text: str) -> bool:
    """True only for a sentence that is clearly written in English.

    Three independent signals must agree: English function words are present (a real share of
    the words, or else no Indonesian function word at all), Indonesian function words are
    (almost) absent, and py3langid restricted to en/id/ms
    gives English a high probability. Requiring all three keeps Indonesian sentences full of
    English names ("Sekretaris Jenderal NATO Mark Rutte ...") out.
    """
    words = [w.lower() for w in APOSTROPHE_WORD.findall(text)]
    if len(words) < MIN_ENGLISH_WORDS:
        return False
    english = sum(1 for w in words if w in EN_FUNCTION_WORDS)
    indonesian = sum(1 for w in words if w in ID_FUNCTION_WORDS)
    if english == 0 or indonesian > english // 4:
        return False
    thin = english < MIN_ENGLISH_FUNCTION_WORDS or english / len(words) < MIN_ENGLISH_FUNCTION_SHARE
    if thin and indonesian > 0:
        return False
    threshold = MIN_ENGLISH_PROBABILITY_THIN if thin else MIN_ENGLISH_PROBABILITY
    return english_probability(text) >= threshold


def english_probability(text: str) -> float:
    """py3langid's probability that text is English rather than Indonesian or Malay."""
    scores = dict(_en_id_identifier().rank(text))
    return float(scores.get("en", 0.0))


@lru_cache(maxsize=1)
def _full_identifier() -> Any:
    """py3langid over all its languages (loaded on first use, not at import)."""
    return _load_identifier()


def _load_identifier(**options: Any) -> Any:
    """A py3langid identifier whose model is decompressed in memory.

    py3langid's own loader unpacks the model into a temp file, so a full or read-only $TMPDIR or a
    small file-size limit would fail the run before any article is read; this needs no disk.
    """
    import io
    import lzma

    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
    from py3langid.modelio import _to_array

    with lzma.open(MODEL_DIR / MODEL_FILE) as source:
        buffer = io.BytesIO(source.read())
    with np.load(buffer, allow_pickle=False) as data:
        model = (
            data["ptc"],
            data["pc"],
            data["classes"].tolist(),
            _to_array(data["nextmove"]),
            _to_array(data["nextmove_row"]),
            data["out_feat"].tolist(),
        )
    ptc, pc, classes, nextmove, row, output = model
    return LanguageIdentifier(np.asarray(ptc), np.asarray(pc), classes, nextmove, output, tk_row=row, **options)


@lru_cache(maxsize=1)
def _en_id_identifier() -> Any:
    """A separate py3langid instance limited to English/Indonesian/Malay, with probabilities.

    Separate so that restricting it never changes what detect_language sees.
    """
    identifier = _load_identifier(norm_probs=True)
    identifier.set_languages(["en", "id", "ms"])
    return identifier
