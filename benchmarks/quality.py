"""Briefing quality on the real story folders of ../shared/corpus, model-free.

Runs every corpus story folder that has an ``expected.json`` through ``summarize run --lang id
--summarizer extractive`` (a subprocess, so a crash or traceback is caught as such) and checks
the result against the folder's expectations. One table per section; a section is a function
``(list[FolderResult]) -> Table`` listed in SECTIONS, so further sections (ROUGE, faithfulness)
can be added without touching the others.

    python benchmarks/quality.py [--corpus ../shared/corpus] [--markdown docs/quality.md]

The corpus folders also hold a README.md and expected.json that describe them; only the article
files are linked into a scratch folder, so those two never reach the tool.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.document import Folder  # noqa: E402
from summarizer.ingest.folder import load_folder  # noqa: E402
from summarizer.ingest.outlets import portal_for  # noqa: E402
from summarizer.text.lexicon import FIGURE_LEAD_WORDS  # noqa: E402
from summarizer.text.numbers import find_numbers  # noqa: E402

ARTICLE_SUFFIXES = {".txt", ".md", ".html", ".htm", ".json", ".jsonl"}
DESCRIPTION_FILES = {"readme.md", "expected.json"}


@dataclass
class FolderResult:
    """One corpus folder: what was expected and what the tool produced."""

    name: str
    expected: dict[str, Any]
    folder: Folder | None = None
    briefing_json: dict[str, Any] = field(default_factory=dict)
    briefing_md: str = ""
    summaries_md: list[str] = field(default_factory=list)  # the Summary part of each article page
    returncode: int = 0
    stderr: str = ""


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        lines = [f"### {self.title}", "", "| " + " | ".join(self.header) + " |"]
        lines.append("|" + "|".join("---" for _ in self.header) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        lines += ["", *[f"- {note}" for note in self.notes]] if self.notes else []
        return "\n".join(lines) + "\n"


def run_folder(story: Path, work: Path) -> FolderResult:
    expected = json.loads((story / "expected.json").read_text(encoding="utf-8"))
    articles = work / "in" / story.name
    articles.mkdir(parents=True)
    for path in sorted(story.iterdir()):
        if path.suffix.lower() in ARTICLE_SUFFIXES and path.name.lower() not in DESCRIPTION_FILES:
            shutil.copyfile(path, articles / path.name)  # links out of a story are refused
    out = work / "out"
    command = [sys.executable, "-m", "summarizer", "run", str(articles), "--lang", "id"]
    command += ["--summarizer", "extractive", "-o", str(out), "-q", "--force"]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    result = FolderResult(story.name, expected, returncode=done.returncode, stderr=done.stderr)
    result.folder = load_folder(articles)
    briefed = out / story.name
    if (briefed / "briefing.json").exists():
        result.briefing_json = json.loads((briefed / "briefing.json").read_text(encoding="utf-8"))
        result.briefing_md = (briefed / "briefing.md").read_text(encoding="utf-8")
        for page in sorted((briefed / "articles").glob("*.md")):
            text = page.read_text(encoding="utf-8")
            result.summaries_md.append(text.split("## Text", 1)[0])
    return result


# ---- sections ------------------------------------------------------------------------------------


def _percent(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "n/a"


def crashes(results: list[FolderResult]) -> Table:
    rows = []
    for r in results:
        traceback = "Traceback" in r.stderr
        rows.append([r.name, str(r.returncode), "yes" if traceback else "no", "yes" if r.briefing_md else "no"])
    return Table("Runs", ["folder", "exit code", "traceback", "briefing written"], rows)


def leaks(results: list[FolderResult]) -> Table:
    """must_not_appear strings (exact, case-sensitive) in kept sentences or in any output text."""
    rows, total_kept, total_out = [], 0, 0
    for r in results:
        strings = r.expected.get("must_not_appear", [])
        kept = [s.text for a in (r.folder.articles if r.folder else []) for s in a.sentences()]
        briefing = r.briefing_json.get("briefing", {})
        outputs = [r.briefing_md, *r.summaries_md, json.dumps(briefing, ensure_ascii=False)]
        in_kept = sorted({s for s in strings if any(s in text for text in kept)})
        in_out = sorted({s for s in strings if any(s in text for text in outputs)})
        total_kept += len(in_kept)
        total_out += len(in_out)
        shown = ", ".join(repr(s) for s in sorted(set(in_kept) | set(in_out)))[:200]
        rows.append([r.name, str(len(strings)), str(len(in_kept)), str(len(in_out)), shown or "—"])
    rows.append(["**total**", "", str(total_kept), str(total_out), ""])
    return Table(
        "Leaks: must-not-appear strings",
        ["folder", "strings", "in kept sentences", "in outputs", "which"],
        rows,
        ["outputs: briefing.md, the `briefing` record of briefing.json, the Summary part of every article page"],
    )


def metadata(results: list[FolderResult]) -> Table:
    rows, good_outlets, good_dates, total = [], 0, 0, 0
    misses: list[str] = []
    for r in results:
        articles = {a.id: a for a in (r.folder.articles if r.folder else [])}
        outlets_ok = dates_ok = 0
        for file, domain in r.expected.get("outlets", {}).items():
            article = articles.get(file)
            portal = portal_for(article.metadata.outlet or "") if article else None
            if portal and portal.domain == domain:
                outlets_ok += 1
            else:
                misses.append(f"{r.name}/{file}: outlet {article.metadata.outlet if article else None!r}")
        for file, day in r.expected.get("dates", {}).items():
            article = articles.get(file)
            if article and (article.metadata.date or "")[:10] == day:
                dates_ok += 1
            else:
                misses.append(f"{r.name}/{file}: date {article.metadata.date if article else None!r}")
        n = len(r.expected.get("outlets", {}))
        good_outlets, good_dates, total = good_outlets + outlets_ok, good_dates + dates_ok, total + n
        rows.append([r.name, _percent(outlets_ok, n), _percent(dates_ok, len(r.expected.get("dates", {})))])
    rows.append(["**total**", _percent(good_outlets, total), _percent(good_dates, total)])
    return Table("Metadata: outlet and date per article", ["folder", "outlet correct", "date correct"], rows, misses)


def _cluster_pairs(folder: Folder | None) -> set[frozenset[str]]:
    pairs: set[frozenset[str]] = set()
    for cluster in folder.clusters if folder else []:
        members = [cluster.original, *cluster.copies]
        pairs |= {frozenset(pair) for pair in combinations(members, 2)}
    return pairs


def copies(results: list[FolderResult]) -> Table:
    rows, true_pos, predicted, wanted = [], 0, 0, 0
    notes = []
    for r in results:
        found = _cluster_pairs(r.folder)
        expected = {frozenset(p) for g in r.expected.get("duplicates", []) for p in combinations(g, 2)}
        forbidden = {frozenset(p) for p in r.expected.get("not_duplicates", [])}
        hit = found & expected
        true_pos, predicted, wanted = true_pos + len(hit), predicted + len(found), wanted + len(expected)
        wrong = found - expected
        notes += [f"{r.name}: merged {' + '.join(sorted(p))}" for p in wrong]
        rows.append([r.name, str(len(expected)), str(len(found)), str(len(hit)), str(len(found & forbidden))])
    precision = f"{true_pos / predicted:.2f}" if predicted else "1.00 (no merge)"
    recall = f"{true_pos / wanted:.2f}" if wanted else "n/a"
    rows.append(["**total**", str(wanted), str(predicted), str(true_pos), ""])
    notes.insert(0, f"pairwise precision {precision}, recall {recall}")
    return Table(
        "Copies (near-duplicate clusters, counted in pairs)",
        ["folder", "expected pairs", "merged pairs", "correct", "look-alikes merged"],
        rows,
        notes,
    )


def off_topic(results: list[FolderResult]) -> Table:
    rows, caught_all, expected_all, wrong_all = [], 0, 0, 0
    for r in results:
        flagged = {entry["article_id"] for entry in r.briefing_json.get("briefing", {}).get("off_topic", [])}
        expected = set(r.expected.get("off_topic", []))
        caught, wrong = flagged & expected, flagged - expected
        caught_all, expected_all, wrong_all = (
            caught_all + len(caught),
            expected_all + len(expected),
            wrong_all + len(wrong),
        )
        rows.append([r.name, str(len(expected)), str(len(caught)), str(len(wrong)), ", ".join(sorted(wrong)) or "—"])
    rows.append(["**total**", str(expected_all), str(caught_all), str(wrong_all), ""])
    return Table("Off-topic articles", ["folder", "expected", "caught", "on-topic dropped", "which dropped"], rows)


def _value_keys(text: str) -> set[str]:
    """What tells one version from another: its canonical numbers and its words."""
    numbers = {m.value for m in find_numbers(text, "id")}
    return numbers | {w.casefold() for w in re.findall(r"[^\W\d_]+", text)}


def _apart(first: set[str], second: set[str]) -> set[str]:
    """What only `first` has: its numbers and content words, or, when the two differ in function
    words alone ("dapat" for "akan" in a quotation), those."""
    only = first - second
    return only - FIGURE_LEAD_WORDS or only


def _shows(expected: dict[str, str], conflict: dict[str, Any]) -> bool:
    """One reported conflict holds two of the expected versions: two of its claims come from files
    the expected conflict lists with different versions, each by a value or word that sets its
    file's version apart from the other's."""
    versions = {file: _value_keys(text) for file, text in expected.items()}
    claims = [
        (claim["article_id"], _value_keys(claim["text"]) | {claim["value"].casefold()})
        for claim in conflict.get("claims", [])
    ]
    for (file_a, keys_a), (file_b, keys_b) in combinations(claims, 2):
        if file_a not in versions or file_b not in versions:
            continue
        first, second = versions[file_a], versions[file_b]
        if keys_a & _apart(first, second) and keys_b & _apart(second, first):
            return True
    return False


def conflicts(results: list[FolderResult]) -> Table:
    """An expected conflict is shown when one reported conflict holds two of its differing versions."""
    rows, shown_all, total = [], 0, 0
    notes = []
    for r in results:
        reported = r.briefing_json.get("briefing", {}).get("conflicts", [])
        shown = 0
        for conflict in r.expected.get("conflicts", []):
            ok = any(_shows(conflict["values"], c) for c in reported)
            shown += ok
            if not ok:
                notes.append(f"{r.name}: not shown: {conflict['what']}")
        n = len(r.expected.get("conflicts", []))
        shown_all, total = shown_all + shown, total + n
        rows.append([r.name, str(n), str(shown), str(len(reported))])
    rows.append(["**total**", str(total), str(shown_all), ""])
    return Table("Conflicts between outlets", ["folder", "expected", "shown", "reported in all"], rows, notes)


def key_facts(results: list[FolderResult]) -> Table:
    rows, found_all, total = [], 0, 0
    for r in results:
        facts = r.expected.get("key_facts", [])
        found = sum(1 for fact in facts if all(re.search(p, r.briefing_md, re.IGNORECASE) for p in fact["patterns_id"]))
        found_all, total = found_all + found, total + len(facts)
        rows.append([r.name, _percent(found, len(facts))])
    rows.append(["**total**", _percent(found_all, total)])
    return Table("Key facts in the Indonesian briefing (patterns_id)", ["folder", "found"], rows)


Section = Callable[[list[FolderResult]], Table]
SECTIONS: list[Section] = [crashes, leaks, metadata, copies, off_topic, conflicts, key_facts]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--only", nargs="*", help="folder names to run (default: all with expected.json)")
    args = parser.parse_args(argv)
    stories = sorted(p for p in args.corpus.iterdir() if (p / "expected.json").is_file())
    if args.only:
        stories = [s for s in stories if s.name in args.only]
    results = []
    with tempfile.TemporaryDirectory(prefix="quality-") as scratch:
        for story in stories:
            print(f"running {story.name} ...", file=sys.stderr)
            results.append(run_folder(story, Path(scratch) / story.name))
    for section in SECTIONS:
        print(section(results).markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
