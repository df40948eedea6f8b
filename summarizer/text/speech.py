"""Who says a sentence's claim: the speaker of reported speech, in English and Indonesian.

News attributes claims with a small set of constructions: the speaker before a speech verb
("Rutte mengatakan ...", "Rutte said ..."), after an inverted one ("..., kata Rutte",
"..., said Rutte"), after "menurut" / "according to", or a pronoun pointing back to the last
speaker ("katanya", "ia menambahkan", "he said"). Finding the speaker lets the citation check
require that a source sentence carrying an attributed claim has the same person (or role)
making it, so a quote moved from one person to another is caught.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Verbs after their speaker ("X mengatakan", "X said").
_SPEAKER_FIRST = {
    "en": frozenset(
        """said says say stated states told tells announced announces confirmed confirms warned
        warns added adds claimed claims insisted insists explained explains stressed stresses
        argued argues admitted admits denied denies asserted asserts acknowledged acknowledges
        urged urges called calls described describes estimated estimates declared declares
        emphasised emphasized revealed reveals noted notes""".split()
    ),
    "id": frozenset(
        """mengatakan menyatakan menyebut menyebutkan menegaskan menjelaskan mengungkapkan
        menuturkan menambahkan membenarkan mengonfirmasi mengkonfirmasi memperingatkan mengklaim
        mengakui menilai berkata menyampaikan membantah menyangkal mengimbau mengumumkan
        menekankan memastikan memperkirakan mengingatkan menyebutnya mengutarakan
        menerangkan memaparkan""".split()
    ),
}
# Inverted speech verbs followed by their speaker ("..., kata Rutte", "..., said Rutte").
_SPEAKER_AFTER = {
    "en": frozenset("said says told added according".split()),
    "id": frozenset("kata ujar ucap tutur ungkap imbuh tegas jelas terang papar sebut menurut".split()),
}
# The same verbs with a pronoun suffix ("katanya", "ujarnya"): the speaker is the last one named.
_PRONOUN_VERB = re.compile(r"^(kata|ujar|ucap|tutur|ungkap|imbuh|tegas|jelas|terang|papar|sebut|menurut)nya$")
_PRONOUNS = frozenset("ia dia beliau mereka he she they it".split())
# Words of a role or title rather than a person's name: two different people share them
# ("Presiden", "Menteri"), so a speaker match needs more than these.
TITLE_WORDS = frozenset(
    """presiden wakil menteri sekretaris jenderal sekjen kepala ketua direktur juru bicara jubir
    gubernur bupati wali kapolres kapolda kapolri kapolsek kasat kasatreskrim komandan panglima
    perdana duta besar dubes anggota pengamat kuasa hukum jaksa hakim saksi ahli pelatih manajer
    akbp kombes brigjen irjen kompol iptu ipda aiptu bripka dr prof ir bapak ibu pak bu
    president vice minister secretary general chief head director spokesperson spokesman
    spokeswoman governor mayor regent ambassador prime deputy commander coach manager mr mrs ms
    the""".split()
)
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|[\"“”„«»]", re.UNICODE)
_QUOTE = frozenset('"“”„«»')
# Lower-case words that may sit inside a speaker phrase ("juru bicara Pentagon", "the Pentagon").
_PHRASE_LINKS = frozenset("juru bicara the of de van von bin binti al".split())
_MAX_SPEAKER_TOKENS = 8
_MAX_SKIPPED = 2


@dataclass(frozen=True)
class Speaker:
    """The speaker of a sentence's reported speech: name/role word stems, or a pronoun."""

    words: frozenset[str]
    pronoun: bool = False

    @property
    def distinctive(self) -> frozenset[str]:
        return self.words - TITLE_WORDS


def _key(word: str) -> str:
    word = word.lower()
    return word[:-2] if word.endswith("'s") else word


def _capital(token: str) -> bool:
    return token[:1].isupper()


def find_speaker(text: str, language: str) -> Speaker | None:
    """The speaker of the first reported-speech construction in the sentence, if any."""
    lang = "id" if language in ("id", "ms") else "en"
    tokens = _TOKEN.findall(text)
    lowered = [t.lower() for t in tokens]
    for i, word in enumerate(lowered):
        if _PRONOUN_VERB.match(word):
            return Speaker(frozenset(), pronoun=True)
        if word in _SPEAKER_AFTER[lang] and (i == 0 or not _capital(tokens[i - 1]) or tokens[i - 1] in _QUOTE):
            after = _phrase_after(tokens, i + 1 + (word == "according" and lowered[i + 1 : i + 2] == ["to"]))
            if after is not None:
                return after
        if word in _SPEAKER_FIRST[lang]:
            before = _phrase_before(tokens, i)
            if before is not None:
                return before
    return None


def _phrase_after(tokens: list[str], start: int) -> Speaker | None:
    words: list[str] = []
    for token in tokens[start : start + _MAX_SPEAKER_TOKENS]:
        lower = token.lower()
        if lower in _PRONOUNS and not words:
            return Speaker(frozenset(), pronoun=True)
        if _capital(token) or lower in _PHRASE_LINKS or lower in TITLE_WORDS:
            words.append(_key(token))
            continue
        break
    named = [w for w in words if w not in _PHRASE_LINKS]
    return Speaker(frozenset(named)) if named else None


def _phrase_before(tokens: list[str], verb: int) -> Speaker | None:
    if verb > 0 and tokens[verb - 1].lower() in _PRONOUNS:
        return Speaker(frozenset(), pronoun=True)
    words: list[str] = []
    skipped = 0
    for token in reversed(tokens[max(0, verb - _MAX_SPEAKER_TOKENS) : verb]):
        if token in _QUOTE:
            break
        if _capital(token) or token.lower() in TITLE_WORDS:
            words.append(_key(token))
        elif token.lower() not in _PHRASE_LINKS:
            # "Putin menolak untuk menyangkal": a verb phrase may sit between speaker and verb.
            skipped += 1
            if words or skipped > _MAX_SKIPPED:
                break
    named = [w for w in words if w not in _PHRASE_LINKS]
    return Speaker(frozenset(named)) if named else None


def same_speaker(claimed: frozenset[str], found: frozenset[str]) -> bool:
    """Does a source's speaker (or the names around an unattributed sentence) match the claim's?

    Titles alone ("Presiden") do not make two speakers the same; among the distinctive words,
    two must be shared, or all of the shorter phrase's ("Yoon" matches "Presiden Korea Selatan
    Yoon Suk-yeol"; "Korea Utara" does not, nor does "Ahmad Faisol" match "Ahmad Kamis").
    A claim naming only a role matches on the role.
    """
    claim_distinct = claimed - TITLE_WORDS
    found_distinct = found - TITLE_WORDS
    if not claim_distinct:
        return bool(claimed & found)
    if not found_distinct:
        return False
    needed = min(len(claim_distinct), len(found_distinct), 2)
    return len(_matching(claim_distinct, found_distinct)) >= needed


def _matching(a: frozenset[str], b: frozenset[str]) -> set[str]:
    """Words of `a` found in `b`, allowing inflection (Korea/Korean, Rutte/Rutte's)."""
    return {
        w for w in a if w in b or any(len(w) >= 4 and (v.startswith(w) or w.startswith(v)) for v in b if len(v) >= 4)
    }
