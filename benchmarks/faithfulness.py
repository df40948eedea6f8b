"""How often the citation verifier catches a wrong briefing sentence, and wrongly rejects a right one.

From real story folders (../shared/corpus and seeds/), source sentences that the verifier accepts
as they are are turned into briefing sentences that are wrong in exactly one way, or right but
worded differently, and each is put through the path a model's sentence takes (verify, repair,
widen, final check: summarizer.briefing.compose.shown_point) with the citation a model would give:

wrong (target: >= 95% caught, i.e. not shown, or for a wrong outlet, that outlet not shown)
  number     one number changed to a value the folder does not contain
  entity     a name replaced by another name from the same folder
  speaker    the speaker of reported speech replaced by another speaker from the folder
  negation   a negation added before the main verb, or an existing one removed
  date       a date's day (or a weekday) shifted by one
  merged     the first part of one story's sentence joined to the second part of another's,
             cited to both (a claim neither makes)
  quote      a span of the sentence put in quotation marks with two of its words swapped
             (a quotation no source contains)
  outlet     a sentence only one story supports, cited to a different story
right (target: <= 5% rejected)
  reordered  "A, B." rewritten "B, A."
  copy       a sentence of a near-duplicate copy, cited to its original's number
  unit       a quantity rewritten in an equivalent form ("1,5 juta" / "1.500.000", "persen" / "%")

Indonesian briefings (checked against the originals), so no translation model is needed. Cases are
drawn with a fixed seed, at most --per-kind per kind and folder.

    PYTHONPATH=. python benchmarks/faithfulness.py [FOLDER ...] [--per-kind N] [--json] [--show KIND]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
WRONG = ("number", "entity", "speaker", "negation", "date", "merged", "quote", "outlet")
RIGHT = ("reordered", "copy", "unit")
NEGATIONS = ("tidak", "tak", "belum", "bukan")
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
# Where a sentence may honestly be joined to another ("A, B", "A dan B", "A, namun B").
CLAUSE_BREAK = re.compile(r"[,;:]|\s[-–—]\s|\s(?:dan|serta|sementara|sedangkan|namun|tetapi)\s")
# A reordered "A, B" reads as "B, A" only when neither part leans on the other.
LEANING = frozenset("namun tetapi kata ujar tutur ungkap jelas tegas sementara dan serta yang sehingga karena".split())
PRONOUN_OPENERS = frozenset("ia dia mereka ini itu hal namun".split())
VERB_PREFIX = re.compile(r"^(me|mem|men|meng|meny|ber|di|ter)[a-z]{3,}$")
NAME_RUN = re.compile(r"(?<![.!?]\s)(?<!^)\b(?:[A-Z][\w-]+)(?:\s+[A-Z][\w-]+)*")


def load_story(path: Path) -> Any:
    """A story folder's articles; a corpus folder's README.md and expected.json describe the
    story and are not articles, so only its .txt files are read."""
    import shutil
    import tempfile

    from summarizer.ingest.folder import load_folder

    if not (path / "expected.json").exists() and not (path / "README.md").exists():
        return load_folder(path)
    with tempfile.TemporaryDirectory() as tmp:
        story = Path(tmp) / path.name
        story.mkdir()
        for file in sorted(path.glob("*.txt")):
            shutil.copy(file, story / file.name)
        folder = load_folder(story)
    folder.path = str(path)
    return folder


@dataclass
class Case:
    kind: str
    folder: str
    text: str
    cited: list[int]
    base: str  # the source sentence it was made from
    bad_source: int | None = None  # for "outlet": the wrongly cited story


class Folder:
    """One story folder with its evidence pool and the verifier's view of a drafted sentence."""

    def __init__(self, path: Path) -> None:
        from summarizer.briefing.sources import number_sources
        from summarizer.briefing.support import EvidencePool, claim_facts
        from summarizer.run.pipeline import _briefable

        self.name = path.name
        self.folder, _ = _briefable(load_story(path))
        self.texts = {s.id: s.text for a in self.folder.articles for s in a.sentences()}
        self.pool = EvidencePool.build(self.folder, self.texts, number_sources(self.folder), "id")
        self.originals = [
            s
            for s in self.pool.sentences
            if not s.copy and len(s.text.split()) >= 8 and claim_facts(s.text, "id").checkable
        ]
        self.copy_sentences = [s for s in self.pool.sentences if s.copy and len(s.text.split()) >= 8]
        self._cache: dict[tuple[str, tuple[int, ...]], Any] = {}

    def shown(self, text: str, cited: list[int]) -> Any:
        from summarizer.briefing.compose import shown_point

        key = (text, tuple(cited))
        if key not in self._cache:
            self._cache[key] = shown_point(text, cited, self.pool)
        return self._cache[key]

    def accepted(self, sentence: Any) -> bool:
        return self.shown(sentence.text, [sentence.number]) is not None


def _replace_number(text: str, rng: random.Random, folder: Folder) -> str | None:
    from summarizer.text.numbers import find_numbers

    mentions = [m for m in find_numbers(text, "id") if m.kind in ("number", "percent", "money")]
    mentions = [m for m in mentions if re.fullmatch(r"\d+", m.text.strip())]
    if not mentions:
        return None
    mention = rng.choice(mentions)
    present = {v for s in folder.pool.sentences for v in s.numbers}
    value = int(mention.text)
    for delta in (3, 7, 11, 13, 17):
        new = value + delta
        if str(new) not in present:
            return text[: mention.start] + str(new) + text[mention.end :]
    return None


def _names(text: str) -> list[re.Match[str]]:
    return [m for m in NAME_RUN.finditer(text) if m.start() > 0]


def _swap_entity(text: str, rng: random.Random, folder: Folder) -> str | None:
    runs = _names(text)
    if not runs:
        return None
    run = rng.choice(runs)
    # Real names only: a word the folder also writes in lower case is a common word that
    # happened to open a sentence or clause.
    lower = {w for s in folder.pool.sentences for w in re.findall(r"\b[a-z][\w-]*", s.text)}
    inventory = sorted({m.group() for s in folder.pool.sentences for m in _names(s.text)} - {m.group() for m in runs})
    inventory = [n for n in inventory if not any(w.lower() in lower for w in n.split())]
    inventory = [n for n in inventory if n.casefold() not in text.casefold() and len(n) > 3]
    if not inventory:
        return None
    return text[: run.start()] + rng.choice(inventory) + text[run.end() :]


def _swap_speaker(text: str, rng: random.Random, folder: Folder) -> str | None:
    from summarizer.text.speech import TITLE_WORDS, find_speaker

    speaker = find_speaker(text, "id")
    if speaker is None or speaker.pronoun or not speaker.distinctive:
        return None
    runs = [m for m in NAME_RUN.finditer(text) if {w.lower() for w in m.group().split()} & speaker.distinctive]
    if not runs:
        return None
    others = set()
    for s in folder.pool.sentences:
        other = find_speaker(s.text, "id")
        if other and not other.pronoun and other.distinctive and not (other.distinctive & speaker.distinctive):
            others |= {
                m.group()
                for m in NAME_RUN.finditer(s.text)
                if {w.lower() for w in m.group().split()} & other.distinctive
            }
    others = {o for o in others if not {w.lower() for w in o.split()} <= TITLE_WORDS}
    if not others:
        return None
    run = rng.choice(runs)
    return text[: run.start()] + rng.choice(sorted(others)) + text[run.end() :]


def _negate(text: str, rng: random.Random, folder: Folder) -> str | None:
    words = text.split(" ")
    for i, word in enumerate(words):
        if word.lower() in NEGATIONS and i + 1 < len(words):
            return " ".join(words[:i] + words[i + 1 :])
    verbs = [i for i, w in enumerate(words) if i > 0 and VERB_PREFIX.match(w) and words[i - 1].lower() not in NEGATIONS]
    if not verbs:
        return None
    i = verbs[0]
    return " ".join(words[:i] + ["tidak"] + words[i:])


def _shift_date(text: str, rng: random.Random, folder: Folder) -> str | None:
    from summarizer.text.numbers import find_numbers

    for mention in find_numbers(text, "id"):
        if mention.kind == "date":
            day = re.match(r"(\d{1,2})(\s)", mention.text)
            if day and 1 <= int(day.group(1)) < 28:
                shifted = str(int(day.group(1)) + 1) + day.group(2) + mention.text[day.end() :]
                return text[: mention.start] + shifted + text[mention.end :]
    for i, weekday in enumerate(WEEKDAYS):
        match = re.search(rf"\b{weekday}\b", text)
        if match:
            return text[: match.start()] + WEEKDAYS[(i + 1) % 7] + text[match.end() :]
    return None


def _quote(text: str, rng: random.Random, folder: Folder) -> str | None:
    if any(q in text for q in '"“”'):
        return None
    words = text.rstrip(".").split(" ")
    if len(words) < 8:
        return None
    start = rng.randrange(1, len(words) - 5)
    span = words[start : start + 5]
    if span[1].lower() == span[2].lower():
        return None
    span[1], span[2] = span[2], span[1]
    return " ".join(words[:start] + ["“" + " ".join(span) + "”"] + words[start + 5 :]) + "."


def _reorder(text: str, rng: random.Random, folder: Folder) -> str | None:
    body = text.rstrip(".")
    parts = body.split(", ")
    if len(parts) != 2 or any(len(p.split()) < 3 for p in parts) or any(q in text for q in '"“”'):
        return None
    first, second = parts
    if second.split()[0].lower() in LEANING or first.split()[0].lower() in PRONOUN_OPENERS:
        return None
    first = first[0].lower() + first[1:] if not _names(" " + first.split()[0]) else first
    return second[0].upper() + second[1:] + ", " + first + "."


def _rewrite_unit(text: str, rng: random.Random, folder: Folder) -> str | None:
    if any(q in text for q in '"“”') or len(text.split()) > 60:
        return None  # a quotation must stay verbatim; very long "sentences" are glued tables
    percent = re.search(r"(\d+(?:,\d+)?) persen\b", text)
    if percent:
        return text[: percent.start()] + percent.group(1) + "%" + text[percent.end() :]
    percent = re.search(r"(\d+(?:,\d+)?) ?%", text)
    if percent:
        return text[: percent.start()] + percent.group(1) + " persen" + text[percent.end() :]
    scaled = re.search(r"(?<![\d,.])(\d+)(?:,(\d+))? (juta|ribu|miliar)\b", text)
    # (a number glued to the next word, "1.051.000Harga", is a scraping defect, not a form)
    if scaled:
        zeros = {"ribu": 3, "juta": 6, "miliar": 9}[scaled.group(3)]
        fraction = scaled.group(2) or ""
        digits = scaled.group(1) + fraction + "0" * (zeros - len(fraction))
        grouped = f"{int(digits):,}".replace(",", ".")
        return text[: scaled.start()] + grouped + text[scaled.end() :]
    grouped = re.search(r"(?<![\d,.])(\d{1,3})\.(\d{3})\.000(?=[\s,;)]|\.(?:\s|$))", text)
    if grouped:
        tenths = grouped.group(2).rstrip("0")
        written = grouped.group(1) + ("," + tenths if tenths else "") + " juta"
        return text[: grouped.start()] + written + text[grouped.end() :]
    return None


MUTATIONS: dict[str, Callable[[str, random.Random, Folder], str | None]] = {
    "number": _replace_number,
    "entity": _swap_entity,
    "speaker": _swap_speaker,
    "negation": _negate,
    "date": _shift_date,
    "quote": _quote,
    "reordered": _reorder,
    "unit": _rewrite_unit,
}


def cases(folder: Folder, per_kind: int, seed: int) -> list[Case]:
    rng = random.Random(f"{seed}:{folder.name}")
    base = [s for s in folder.originals if folder.accepted(s)]
    out: list[Case] = []
    for kind, mutate in MUTATIONS.items():
        made = 0
        for sentence in rng.sample(base, len(base)):
            if made == per_kind:
                break
            text = mutate(sentence.text, rng, folder)
            if text and text != sentence.text:
                out.append(Case(kind, folder.name, text, [sentence.number], sentence.text))
                made += 1
    out += _merged(folder, base, rng, per_kind)
    out += _outlet(folder, base, rng, per_kind)
    copies = rng.sample(folder.copy_sentences, min(per_kind, len(folder.copy_sentences)))
    out += [Case("copy", folder.name, s.text, [s.number], s.text) for s in copies]
    return out


def _merged(folder: Folder, base: list[Any], rng: random.Random, per_kind: int) -> list[Case]:
    out: list[Case] = []
    for _ in range(per_kind * 5):
        if len(out) == per_kind:
            break
        a, b = rng.sample(base, 2)
        if a.number == b.number:
            continue
        head, tail = a.text.rstrip(".").split(" "), b.text.split(" ")
        i, j = len(head) // 2, len(tail) // 2
        # The junction must fall inside a clause, with real content from both sides in it:
        # joined at a clause boundary, "A, B" is an honest merge of two sources.
        before = CLAUSE_BREAK.split(" " + " ".join(head[:i]) + " ")[-1]
        after = CLAUSE_BREAK.split(" " + " ".join(tail[j:]) + " ")[0]
        if len(before.split()) < 3 or len(after.split()) < 3:
            continue
        out.append(Case("merged", folder.name, " ".join(head[:i] + tail[j:]), [a.number, b.number], a.text))
    return out


def _outlet(folder: Folder, base: list[Any], rng: random.Random, per_kind: int) -> list[Case]:
    out: list[Case] = []
    stories = sorted(folder.pool.by_number)
    if len(stories) < 2:
        return out
    for sentence in rng.sample(base, len(base)):
        if len(out) == per_kind:
            break
        point = folder.shown(sentence.text, [sentence.number])
        if point is None or point.sources != [sentence.number]:
            continue  # only one story may support it, or citing another could be right
        wrong = rng.choice([n for n in stories if n != sentence.number])
        out.append(Case("outlet", folder.name, sentence.text, [wrong], sentence.text, wrong))
    return out


def judge(folder: Folder, case: Case) -> bool:
    """True when the verifier does the right thing with the case."""
    point = folder.shown(case.text, case.cited)
    if case.kind == "outlet":
        return point is None or case.bad_source not in point.sources
    if case.kind in WRONG:
        return point is None
    return point is not None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--per-kind", type=int, default=15)
    parser.add_argument("--seed", type=int, default=20250618)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show", help="print the failures of this kind")
    args = parser.parse_args()
    folders = args.folders or [
        ROOT / "seeds",
        *sorted(p for p in CORPUS.iterdir() if p.is_dir() and p.name.endswith("-jun2025")),
    ]
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures: list[Case] = []
    for path in folders:
        folder = Folder(path)
        for case in cases(folder, args.per_kind, args.seed):
            good = judge(folder, case)
            totals[case.kind][0] += 1
            totals[case.kind][1] += good
            if not good:
                failures.append(case)
        print(f"{path.name}: done", file=sys.stderr)
    rows = []
    for kind in (*WRONG, *RIGHT):
        n, good = totals[kind]
        rate = (good if kind in WRONG else n - good) / n if n else None
        rows.append({"kind": kind, "class": "wrong" if kind in WRONG else "right", "cases": n,
                     "caught" if kind in WRONG else "rejected": (good if kind in WRONG else n - good),
                     "rate": None if rate is None else round(rate, 3)})  # fmt: skip
    if args.json:
        print(json.dumps({"folders": [p.name for p in folders], "per_kind": args.per_kind, "rows": rows}, indent=1))
    else:
        print("| kind | sentences | wrong: caught / right: rejected | rate | target |")
        print("|---|---|---|---|---|")
        for row in rows:
            count = row.get("caught", row.get("rejected"))
            target = "≥ 95% caught" if row["class"] == "wrong" else "≤ 5% rejected"
            rate = "-" if row["rate"] is None else f"{100 * row['rate']:.1f}%"
            print(f"| {row['kind']} ({row['class']}) | {row['cases']} | {count} | {rate} | {target} |")
    for case in failures:
        if args.show in (case.kind, "all"):
            point = None
            print(f"\n[{case.kind}] {case.folder} cited {case.cited}\n  made: {case.text}\n  from: {case.base}")
            del point
    return 0


if __name__ == "__main__":
    sys.exit(main())
