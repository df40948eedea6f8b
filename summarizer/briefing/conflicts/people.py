"""What the outlets say differently about a person: how a name is spelled, a role, whether
someone is a suspect, and a victim's sex.

- **spelling**: two spellings of a name one letter apart (two for long names), each used by a
  different story that never uses the other, and written with the same other name of the
  person ("Satria Johanda alias Wanda" vs "SJ alias Juhanda alias Wanda", "Ryota Morishita" vs
  "Ryoya Morishita"). A story that writes both is itself inconsistent, not in conflict;
- **role**: a quotation one outlet gives to a role ("…," jawab saksi ahli) that the folder gives
  to someone else ("Saksi ahli ..., Chairul Huda"), and another outlet to a person by name ("…,"
  kata Cecep) never given that role; or one person given two witness kinds that exclude each
  other ("saksi fakta" vs "saksi ahli", "saksi meringankan" vs "saksi memberatkan");
- **status**: one outlet says the police have not (yet) named anyone a suspect ("belum
  menetapkan terduga pelaku sebagai tersangka"), another calls the person the suspect;
- **sex**: one outlet gives a victim one sex, another says every victim was of the other one
  ("jasad pria" vs "ketiga korban berjenis kelamin perempuan").
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from summarizer.briefing.conflicts.model import Conflict, ConflictClaim, Story, conflict_of
from summarizer.briefing.conflicts.quotes import Quotation, quotations, shared_stretch
from summarizer.output.labels import Message
from summarizer.text.lexicon import ID_FUNCTION_WORDS
from summarizer.text.speech import TITLE_WORDS

_WORD = re.compile(r"[^\W\d_]+")
_NAME_LINKS = frozenset("alias bin binti".split())
# Words of place names ("Sumatera Utara", "Kabupaten Garut"): sharing one says nothing about
# being one person, and a place's spellings ("Sumatera"/"Sumatra") are a house style.
_PLACE_WORDS = frozenset(
    """utara selatan barat timur tengah daya laut kabupaten kota provinsi kecamatan kelurahan desa
    sungai jalan pulau teluk gunung danau selat raya""".split()
)
MIN_NAME_LETTERS = 4
LONG_NAME_LETTERS = 8  # from this length two letters may differ


def proper_names(stories: list[Story]) -> frozenset[str]:
    """Words the folder writes as names: capitalised inside a sentence, never in lower case."""
    capitalised: set[str] = set()
    lower: set[str] = set()
    for story in stories:
        for _, text in story.body:
            for i, match in enumerate(_WORD.finditer(text)):
                word = match.group(0)
                if word.islower():
                    lower.add(word)
                elif i and word[0].isupper():
                    capitalised.add(word.lower())
    return frozenset(capitalised - lower)


def people_conflicts(stories: list[Story], names: frozenset[str]) -> list[Conflict]:
    return (
        spelling_conflicts(stories, names)
        + role_conflicts(stories, quotations(stories), names)
        + status_conflicts(stories)
        + sex_conflicts(stories)
    )


# ---- spelling ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Usage:
    claim: ConflictClaim
    others: frozenset[str]  # the person's other names written next to this one


def spelling_conflicts(stories: list[Story], names: frozenset[str]) -> list[Conflict]:
    # By article, not source number: a copy that spells a name otherwise differs from its original.
    usages: dict[str, dict[str, list[_Usage]]] = defaultdict(lambda: defaultdict(list))
    for story in stories:
        for sentence_id, text in story.sentences:
            for word, full, others in _names_in(text, names):
                usages[word.lower()][story.article_id].append(_Usage(story.claim(sentence_id, word, full), others))
    spellings = sorted(usages)
    variants = {w: {v for v in spellings if v != w and _variants(w, v)} for w in spellings}
    conflicts = []
    for i, first in enumerate(spellings):
        for second in spellings[i + 1 :]:
            if second not in variants[first]:
                continue
            # Only stories that write this name one way: one that also writes it a third way
            # ("Airlines" and "Airlnes") has a typo of its own, not a version of the name.
            cluster = variants[first] | variants[second] | {first, second}
            only_first = _consistent(usages, first, cluster)
            only_second = _consistent(usages, second, cluster)
            if not only_first or not only_second:
                continue
            others_first = frozenset().union(*(u.others for us in only_first for u in us))
            others_second = frozenset().union(*(u.others for us in only_second for u in us))
            if not (others_first & others_second) - _PLACE_WORDS:
                continue  # nothing says they are one person (a shared "Utara" makes no person)
            claims = [us[0].claim for us in [*only_first, *only_second]]
            what = Message("conflict.spelling", first=_shown(first), second=_shown(second))
            conflicts.append(conflict_of(what, "spelling", claims))
    return conflicts


def _consistent(usages: dict[str, dict[str, list[_Usage]]], spelling: str, cluster: set[str]) -> list[list[_Usage]]:
    """The usages of `spelling` in each article that writes no other spelling of `cluster`."""
    others = cluster - {spelling}
    return [us for article, us in usages[spelling].items() if not any(article in usages[o] for o in others)]


def _names_in(text: str, names: frozenset[str]) -> list[tuple[str, str, frozenset[str]]]:
    """Each name word of a sentence with the whole name it is part of ("Satria Johanda alias
    Wanda") and the other name words in it."""
    tokens = list(re.finditer(r"[^\W\d_]+|\S", text))
    found = []
    for i, token in enumerate(tokens):
        word = token.group(0)
        if not _name_word(word, names):
            continue
        start = end = i
        while start > 0 and _in_name(tokens[start - 1].group(0), names):
            start -= 1
        while end + 1 < len(tokens) and _in_name(tokens[end + 1].group(0), names):
            end += 1
        phrase = [t.group(0) for t in tokens[start : end + 1]]
        others = frozenset(w.lower() for w in phrase if w.lower() != word.lower() and _name_word(w, names))
        full = text[tokens[start].start() : tokens[end].end()]
        found.append((word, full, others))
    return found


def _name_word(word: str, names: frozenset[str]) -> bool:
    """A name's word: written as a name in the folder, not all capitals (initials, acronyms), no
    capital inside (words glued by a scraper), and no title ("Presiden")."""
    return (
        len(word) >= MIN_NAME_LETTERS
        and word[0].isupper()
        and word[1:].islower()
        and word.lower() in names
        and word.lower() not in TITLE_WORDS
    )


def _in_name(word: str, names: frozenset[str]) -> bool:
    return word.lower() in _NAME_LINKS or (word[:1].isupper() and word.lower() in names)


def _variants(first: str, second: str) -> bool:
    if first[0] != second[0] or min(len(first), len(second)) < MIN_NAME_LETTERS:
        return False
    allowed = 2 if min(len(first), len(second)) >= LONG_NAME_LETTERS else 1
    return _edit_distance(first, second, allowed) <= allowed


def _edit_distance(first: str, second: str, limit: int) -> int:
    """Levenshtein distance, or limit + 1 as soon as it is known to exceed `limit`."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i]
        for j, b in enumerate(second, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _shown(word: str) -> str:
    return word[:1].upper() + word[1:]


# ---- roles ---------------------------------------------------------------------------------------

# A witness is of one type (an expert, a witness of fact, a crown witness) and called by one side
# (for the defence, for the prosecution): two of one set for one person contradict each other.
_EXCLUSIVE_KINDS = (frozenset({"ahli", "fakta", "mahkota"}), frozenset({"meringankan", "memberatkan"}))
_ROLE = r"(?i:saksi\s+[^\W\d_]{3,}|ahli)\b"
_NAME = r"[A-Z][^\W\d_]+(?:\s+[A-Z][^\W\d_]+){0,3}"
# "Cecep Hidayat, dihadirkan sebagai saksi meringankan", "Chairul dihadirkan ... sebagai ahli".
_ROLE_OF_NAME = re.compile(
    rf"(?P<name>{_NAME})\s*,?(?:\s+[a-z][^\W\d_]*){{0,5}}?\s+(?:menjadi|sebagai|selaku)\s+(?P<role>{_ROLE})"
)
# A sentence opening with the role: "Saksi ahli hukum pidana dari Universitas X, Chairul Huda ...".
_NAME_OF_ROLE = re.compile(
    rf"^(?P<role>{_ROLE})(?:\s+[^\W\d_]+){{0,3}}?(?:\s+dari\s+[^,.]{{1,60}})?,\s+(?P<name>{_NAME})"
)


@dataclass(frozen=True)
class _Role:
    person: tuple[str, ...]  # the person's name words as written, in order
    kind: str  # "meringankan", "ahli"
    claim: ConflictClaim

    @property
    def words(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.person)


def role_conflicts(stories: list[Story], found: list[Quotation], names: frozenset[str]) -> list[Conflict]:
    roles = [r for story in stories for r in _named_roles(story, names)]
    conflicts: dict[str, Conflict] = {}
    for conflict in _misattributed(found, roles, names) + _two_kinds(roles):
        key = conflict.what
        if key in conflicts:
            conflicts[key] = conflict_of(key, "role", conflicts[key].claims + conflict.claims, conflict.subject)
        else:
            conflicts[key] = conflict
    return list(conflicts.values())


def _kind(role: str) -> str:
    """ "saksi ahli" and "ahli" → "ahli"; "saksi meringankan" → "meringankan"."""
    words = role.lower().split()
    return words[1] if words[0] == "saksi" and len(words) > 1 else words[0]


def _named_roles(story: Story, names: frozenset[str]) -> list[_Role]:
    found = []
    for sentence_id, text in story.body:
        for match in [*_ROLE_OF_NAME.finditer(text), *_NAME_OF_ROLE.finditer(text)]:
            person = _person(match.group("name").split(), names)
            role = " ".join(match.group("role").split())
            if person and _kind(role) not in ID_FUNCTION_WORDS:
                found.append(_Role(person, _kind(role), story.claim(sentence_id, role.lower(), role)))
    return found


def _person(words: list[str], names: frozenset[str]) -> tuple[str, ...]:
    """The name words of a phrase ("Dosen UI Cecep Hidayat" → Cecep, Hidayat): written as names
    in the folder, not acronyms, not titles."""
    return tuple(w for w in words if w.lower() in names and not w.isupper() and w.lower() not in TITLE_WORDS)


def _misattributed(found: list[Quotation], roles: list[_Role], names: frozenset[str]) -> list[Conflict]:
    """A quotation one story gives to a role ("…," jawab saksi ahli) that the folder gives to
    someone else (Chairul Huda), and another story to a person by name ("…," kata Cecep) whom
    the folder never gives that role: the first story has the person's role wrong."""
    conflicts = []
    for by_role in (q for q in found if q.role_only):
        role = re.search(_ROLE, by_role.speaker_text)
        if not role:
            continue
        kind = _kind(role.group(0))
        for by_name in found:
            if by_name.story.source == by_role.story.source or by_name.role_only or not by_name.speaker:
                continue
            if shared_stretch(by_role, by_name) is None:
                continue
            person = _person(by_name.speaker_text.split(), names) or tuple(
                w.capitalize() for w in sorted(by_name.speaker - TITLE_WORDS)
            )
            words = {w.lower() for w in person}
            theirs = [r for r in roles if r.words & words]
            holders = [r for r in roles if r.kind == kind and not r.words & words]
            if not holders or any(r.kind == kind for r in theirs):
                continue
            full = max([person, *(r.person for r in theirs)], key=len)
            what = Message(
                "conflict.role_elsewhere",
                person=" ".join(full),
                role=role.group(0).lower(),
                other=" ".join(holders[0].person),
            )
            claim = by_role.story.claim(by_role.sentence_id, role.group(0).lower(), by_role.speaker_text)
            shown = [r.claim for r in theirs] or [by_name.story.claim(by_name.sentence_id, kind, by_name.speaker_text)]
            conflicts.append(conflict_of(what, "role", [claim, *shown], full[0]))
    return conflicts


def _two_kinds(roles: list[_Role]) -> list[Conflict]:
    """One person given two witness kinds of one exclusive set by two stories."""
    conflicts = []
    for person in _people(roles):
        held = [r for r in roles if r.words & person.words]
        for kinds in _EXCLUSIVE_KINDS:
            given = [r for r in held if r.kind in kinds]
            if len({r.kind for r in given}) > 1 and len({r.claim.source for r in given}) > 1:
                what = Message("conflict.role", person=" ".join(person.person))
                conflicts.append(conflict_of(what, "role", [r.claim for r in given], person.person[0]))
    return conflicts


def _people(roles: list[_Role]) -> list[_Role]:
    """One role per person roles are given to, by the fullest name ("Cecep" joins "Cecep Hidayat")."""
    people: list[_Role] = []
    for role in sorted(roles, key=lambda r: -len(r.person)):
        if role.person and not any(role.words & p.words for p in people):
            people.append(role)
    return people


# ---- status --------------------------------------------------------------------------------------

_STATUS = "tersangka|terdakwa"
_NOT_YET = re.compile(
    rf"\b(?:belum|tidak|bukan)\s+(?:(?:ada|pernah|menetapkan|ditetapkan|dijadikan|menjadikan|berstatus)\s+)"
    rf"(?:[^\W\d_]+\s+){{0,3}}?(?:sebagai\s+)?(?P<status>{_STATUS})\b",
    re.IGNORECASE,
)
_STATUS_WORD = re.compile(rf"\b(?P<status>{_STATUS})", re.IGNORECASE)
# A person formally named (" menetapkan SJ sebagai tersangka") in a story that says someone else
# is not: two people, no conflict.
_NAMED_AS = re.compile(rf"\b(?:menetapkan|ditetapkan)\s+(?P<who>{_NAME})\s+(?:sebagai\s+)?(?:{_STATUS})\b")
_GIVEN_TO = re.compile(
    rf"(?i:{_STATUS})\w*(?:\s+[a-z]+){{0,2}}?\s+(?P<who>[A-Z][^\W\d_]+(?:\s+(?:alias\s+)?[A-Z][^\W\d_]+){{0,4}})"
)
_GIVEN_BEFORE = re.compile(
    rf"(?P<who>{_NAME})(?:\s+[a-z]+){{0,3}}?\s+(?:ditetapkan|dijadikan|berstatus|menjadi)\s+(?:sebagai\s+)?$"
)
_NOT_THE_STATUS = re.compile(r"\b(?:calon|penetapan|belum|bukan|tidak)\s+$", re.IGNORECASE)


def status_conflicts(stories: list[Story]) -> list[Conflict]:
    denied: dict[str, list[ConflictClaim]] = defaultdict(list)
    given: dict[str, list[tuple[ConflictClaim, frozenset[str]]]] = defaultdict(list)
    told: dict[str, frozenset[str]] = {}  # the words of each story denying a status
    for story in stories:
        story_denied, story_given = _statuses(story)
        named = any(_NAMED_AS.search(text) for _, text in story.body)
        for status, claims in story_denied.items():
            if not named:
                denied[status] += claims
                told[story.article_id] = frozenset(w.lower() for _, t in story.sentences for w in _WORD.findall(t))
        for status, found in story_given.items():
            if status not in story_denied:
                given[status] += found
    conflicts = []
    for status in sorted(set(denied) & set(given)):
        deniers = {c.article_id for c in denied[status]}
        # "tersangka Harun Masiku" is about the case's suspect only when a denying story names him too.
        same = [c for c, person in given[status] if not person or any(person & told[a] for a in deniers)]
        claims = denied[status] + same
        if same and len({c.source for c in claims}) >= 2:
            conflicts.append(conflict_of(Message("conflict.status", status=status), "status", claims))
    return conflicts


def _given_to(text: str, start: int) -> frozenset[str]:
    """The name words of whom a status is given to: written after it ("tersangka Harun Masiku"),
    or before "ditetapkan sebagai" ("Donny saat ini sudah ditetapkan sebagai tersangka")."""
    match = _GIVEN_TO.match(text, start) or _GIVEN_BEFORE.search(text[:start])
    if not match:
        return frozenset()
    return frozenset(w.lower() for w in match.group("who").split() if w.lower() not in _NAME_LINKS)


def _statuses(
    story: Story,
) -> tuple[dict[str, list[ConflictClaim]], dict[str, list[tuple[ConflictClaim, frozenset[str]]]]]:
    """What a story says of each status: that it is not (yet) given, and who it is given to (the
    name written after it, if any: "tersangka pembunuhan Satria Johanda alias Wanda")."""
    denied: dict[str, list[ConflictClaim]] = defaultdict(list)
    given: dict[str, list[tuple[ConflictClaim, frozenset[str]]]] = defaultdict(list)
    for sentence_id, text in story.sentences:
        negated = [(m.start(), m.end()) for m in _NOT_YET.finditer(text)]
        for match in _NOT_YET.finditer(text):
            status = match.group("status").lower()
            denied[status].append(story.claim(sentence_id, f"belum {status}", match.group(0)))
        for match in _STATUS_WORD.finditer(text):
            if any(a <= match.start() < b for a, b in negated) or _NOT_THE_STATUS.search(text[: match.start()]):
                continue
            status = match.group("status").lower()
            phrase = " ".join(re.findall(r"\S+", text[match.start() :])[:3]).rstrip(",.;:")
            given[status].append((story.claim(sentence_id, status, phrase), _given_to(text, match.start())))
    return denied, given


# ---- sex -----------------------------------------------------------------------------------------

_SEXES = {
    "pria": "laki-laki",
    "laki-laki": "laki-laki",
    "lelaki": "laki-laki",
    "perempuan": "perempuan",
    "wanita": "perempuan",
}
_SEX = "|".join(sorted(_SEXES, key=len, reverse=True))
# A victim of one sex: "jasad pria", "mayat perempuan", "korban wanita", "membunuh seorang perempuan".
_VICTIM = re.compile(
    rf"\b(?:jasad|mayat|jenazah|korban|membunuh|menghabisi\s+nyawa|memutilasi|mutilasi|terhadap)\s+"
    rf"(?:(?:seorang|sesosok|berjenis\s+kelamin)\s+)?(?P<sex>{_SEX})\b",
    re.IGNORECASE,
)
# Every victim of one sex: "ketiga korban berjenis kelamin perempuan", "semua korban perempuan".
_ALL_VICTIMS = re.compile(
    rf"\b(?:kedua|ketiga|keempat|kelima|semua|seluruh)\s+korban\s+(?:(?:berjenis\s+kelamin|adalah|merupakan)\s+)?"
    rf"(?P<sex>{_SEX})\b",
    re.IGNORECASE,
)


def sex_conflicts(stories: list[Story]) -> list[Conflict]:
    one: dict[str, list[ConflictClaim]] = defaultdict(list)  # sex → a victim given it
    every: dict[str, list[ConflictClaim]] = defaultdict(list)  # sex → every victim given it
    for story in stories:
        for sentence_id, text in story.sentences:
            for match in _ALL_VICTIMS.finditer(text):
                sex = _SEXES[match.group("sex").lower()]
                every[sex].append(story.claim(sentence_id, sex, match.group(0)))
            for match in _VICTIM.finditer(text):
                sex = _SEXES[match.group("sex").lower()]
                one[sex].append(story.claim(sentence_id, sex, match.group(0)))
    # A story that gives victims both sexes tells of several victims.
    mixed = {c.source for c in one.get("laki-laki", [])} & {c.source for c in one.get("perempuan", [])}
    conflicts = []
    for sex, against in every.items():
        odd = [c for other, claims in one.items() if other != sex for c in claims]
        odd = [c for c in odd if c.source not in {a.source for a in against} | mixed]
        if odd:
            claims = odd + against + [c for c in one.get(sex, []) if c.source not in {o.source for o in odd}]
            conflicts.append(conflict_of(Message("conflict.sex"), "sex", claims))
    return conflicts
