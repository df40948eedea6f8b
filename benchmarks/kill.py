"""Kill safety, measured: SIGKILL a multi-folder `--lang en` run at many moments, rerun it, check.

The run uses the test suite's tiny random-weight models (tests/tiny_models.py: opus-mt-id-en and
qwen2.5-1.5b-instruct, converted for CTranslate2 on first use, so conversion is part of every run)
on an inbox of story folders made from seeds/. Each trial gets a fresh outputs folder and a fresh
copy of the models (not yet converted).

Moments are chosen two ways:

- by stage: the CLI runs under a small wrapper (WRAPPER below; nothing in the shipped code knows
  about it) that replaces named stage functions -- reading a folder, loading and converting each
  model, each translation chunk and its cache write, each generation call of the summarizer, each
  output file, the switch of a folder's outputs, the state records, the end of a folder -- with
  one that SIGKILLs its own process at the Nth call (before or after the real call). N is taken
  from an uninterrupted run's call counts: the first, a middle and the last call of every stage;
- by time: SIGKILL from outside at fractions of an uninterrupted run's duration.

After each kill the run is repeated without a kill, and the trial checks: the state database
passes `PRAGMA integrity_check` (right after the kill and after the rerun); every output parses
(JSON loads, Markdown is UTF-8, HTML parses and ends with </html>), right after the kill too; no
temp file, half-built generation or conversion scratch folder is left; the outputs equal an
uninterrupted run's apart from timings and paths; `status` called the killed run `killed`; and
how many sentences were translated again (the wrapper counts the sentences of every translation
chunk; at most one chunk per kill may be redone).

    PYTHONPATH=. python benchmarks/kill.py [--json docs/kill.json] [--time-kills 6] [--only STAGE ...]

Prints a table and writes the figures as JSON; the last figures are in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
TRANSLATOR, SUMMARIZER = "opus-mt-id-en", "qwen2.5-1.5b-instruct"
# Three stories from the five seed articles (the third shares one article with the first, as a
# wire copy would).
STORIES = {
    "nato-confirms": ["000_04288ddc473c17d6.txt", "001_4608beaca02b4922.txt", "002_99ffd495cf952c86.txt"],
    "pentagon-estimates": ["003_a6e29feac7495037.txt", "004_cf0cacba1d35eebe.txt"],
    "troops-in-russia": ["000_04288ddc473c17d6.txt", "003_a6e29feac7495037.txt"],
}

# Stage name -> "module:attribute" of the function the wrapper counts (and may kill the run in).
STAGES = {
    "read-folder": "summarizer.run.batch:_read_story",
    "load-translator": "summarizer.translate.factory:load_translator",
    "load-summarizer": "summarizer.summarizers.factory:load_summarizer",
    "convert": "summarizer.models.ct2_convert:_convert",
    "convert-install": "summarizer.models.ct2_convert:_install",
    "translate-chunk": "summarizer.translate.articles:_translate_chunk",
    "cache-translations": "summarizer.cache:Cache.put_translations",
    "generate": "summarizer.summarizers.chat_ct2:CT2Chat.generate_ids",
    "cache-summary": "summarizer.cache:Cache.put",
    "write-file": "summarizer.output.files:write_file",
    "switch-outputs": "summarizer.output.files:_point",
    "record-folder": "summarizer.run.state:State.record_briefed",
    "between-folders": "summarizer.run.state:State.record_run_folder",
    "finish-run": "summarizer.run.state:State.finish_run",
}

# Runs the real entry point with the stage functions wrapped. argv: COUNTS_FILE KILL_SPEC CLI-ARGS...
# KILL_SPEC is "-" or "stage:n:before|after". Every call appends "stage 0" to COUNTS_FILE, and every
# finished translation chunk "translated SENTENCES", each with one unbuffered write, so the counts
# survive the SIGKILL.
WRAPPER = """
import functools, importlib, json, os, signal, sys
counts_path, kill_spec, cli = sys.argv[1], sys.argv[2], sys.argv[3:]
stages = json.loads(os.environ["KILL_STAGES"])
target = None
if kill_spec != "-":
    stage, n, when = kill_spec.split(":")
    target = (stage, int(n), when)
log = os.open(counts_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
calls = {}

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def wrap(stage, real):
    @functools.wraps(real)
    def counted(*args, **kwargs):
        calls[stage] = calls.get(stage, 0) + 1
        os.write(log, f"{stage} 0\\n".encode())
        hit = target is not None and target[0] == stage and target[1] == calls[stage]
        if hit and target[2] == "before":
            die()
        result = real(*args, **kwargs)
        if stage == "translate-chunk":  # a chunk the model finished: its sentences count as translated
            os.write(log, f"translated {len(result)}\\n".encode())
        if hit:
            die()
        return result
    return counted

for stage, where in stages.items():
    module_name, _, attribute = where.partition(":")
    module = importlib.import_module(module_name)
    owner_name, _, function_name = attribute.rpartition(".")
    owner = getattr(module, owner_name) if owner_name else module
    setattr(owner, function_name, wrap(stage, getattr(owner, function_name)))

sys.argv = ["summarize", *cli]
from summarizer.cli import main
main()
"""

LEFTOVER_MARKS = (".partial", ".tmp", ".summarize-probe-", ".summarize-walcheck-", ".corrupt-", ".stale-")


@dataclass
class Moment:
    label: str
    stage: str = ""  # stage hooks
    n: int = 0
    when: str = "before"
    seconds: float = 0.0  # or a time offset


@dataclass
class Trial:
    moment: str
    killed: bool
    kill_returncode: int
    seconds_to_kill: float
    rerun_returncode: int
    integrity_after_kill: str
    integrity_after_rerun: str
    outputs_parse_after_kill: bool
    outputs_parse_after_rerun: bool
    leftovers: list[str]
    equal_to_uninterrupted: bool
    # What `status` said of the killed run: killed, or none when it died before recording itself.
    status_after_kill: str
    sentences_translated_again: int
    chunks_translated_again: int
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.rerun_returncode == 0
            and self.integrity_after_kill == "ok"
            and self.integrity_after_rerun == "ok"
            and self.outputs_parse_after_kill
            and self.outputs_parse_after_rerun
            and not self.leftovers
            and self.equal_to_uninterrupted
            and (self.status_after_kill in ("killed", "none") or not self.killed)
            and self.chunks_translated_again <= (1 if self.killed else 0)
        )


class Workbench:
    """The inbox, a pristine tiny model store, and how to run the CLI under the wrapper."""

    def __init__(self, root: Path, stories: dict[str, list[str]] = STORIES, models: Path | None = None) -> None:
        """`models`: a store that already holds the two tiny models (else they are built here)."""
        self.root = root
        self.inbox = root / "inbox"
        for story, names in stories.items():
            (self.inbox / story).mkdir(parents=True, exist_ok=True)
            for name in names:
                shutil.copy(SEEDS / name, self.inbox / story / name)
        self.pristine = root / "pristine-models"
        if models is None:
            sys.path.insert(0, str(ROOT / "tests"))
            from tiny_models import build_tiny_model

            build_tiny_model("marian", self.pristine, TRANSLATOR)
            build_tiny_model("qwen2", self.pristine, SUMMARIZER)
        else:
            for name in (TRANSLATOR, SUMMARIZER):  # without any conversion: every trial converts
                shutil.copytree(models / name, self.pristine / name, ignore=shutil.ignore_patterns("ctranslate2-*"))
        self.stories = list(stories)

    def fresh(self, name: str) -> tuple[Path, Path]:
        """A new outputs folder and a new (unconverted) copy of the models for one trial."""
        folder = self.root / name
        shutil.rmtree(folder, ignore_errors=True)
        models = folder / "models"
        shutil.copytree(self.pristine, models)
        return folder / "out", models

    def start(self, out: Path, models: Path, counts: Path, kill: str = "-") -> subprocess.Popen:
        cli = [str(self.inbox), "--lang", "en", "--models-dir", str(models), "-o", str(out), "-q", "--offline"]
        env = {**os.environ, "KILL_STAGES": json.dumps(STAGES), "PYTHONPATH": str(ROOT)}
        return subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(WRAPPER), str(counts), kill, *cli],
            # Never the terminal: a background process that touches it is stopped (SIGTTIN).
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )

    def run(self, out: Path, models: Path, counts: Path, kill: str = "-") -> tuple[int, float, str]:
        started = time.monotonic()
        process = self.start(out, models, counts, kill)
        _, stderr = process.communicate(timeout=1800)
        return process.returncode, time.monotonic() - started, stderr

    def snapshot(self, out: Path, models: Path) -> dict[str, object]:
        """The outputs by their stable paths, timings and machine paths left out."""
        found: dict[str, object] = {}
        for story in self.stories:
            folder = out / story
            for path in sorted(folder.rglob("*")) if folder.exists() else []:
                if not path.is_file():
                    continue
                data = path.read_bytes()
                for where, mark in ((self.inbox, b"INBOX"), (models, b"MODELS"), (out, b"OUT")):
                    data = data.replace(str(where).encode(), mark)
                name = path.relative_to(out).as_posix()
                if name.endswith(".json"):
                    document = json.loads(data)
                    document.pop("timings", None)
                    # How many sentences came from the cache is this run's history, like timings.
                    for translation in document.get("translations", []):
                        translation.pop("cached", None)
                    found[name] = document
                else:
                    found[name] = data
        return found


def read_counts(path: Path) -> tuple[dict[str, int], list[int]]:
    """Calls per stage, and the sentence count of every translation chunk, from a counts file."""
    calls: dict[str, int] = {}
    chunks: list[int] = []
    for line in path.read_text().splitlines() if path.exists() else []:
        stage, size = line.split()
        if stage == "translated":
            chunks.append(int(size))
        else:
            calls[stage] = calls.get(stage, 0) + 1
    return calls, chunks


def integrity(out: Path) -> str:
    database = out / "summarize.sqlite3"
    if not database.exists():
        return "ok"  # killed before the database was made: nothing to damage
    # A copy is checked, so the check itself never replays or changes what the kill left.
    with tempfile.TemporaryDirectory() as scratch:
        for suffix in ("", "-wal"):
            if Path(f"{database}{suffix}").exists():
                shutil.copyfile(f"{database}{suffix}", Path(scratch) / f"copy.sqlite3{suffix}")
        with sqlite3.connect(Path(scratch) / "copy.sqlite3") as connection:
            return "\n".join(row[0] for row in connection.execute("PRAGMA integrity_check"))


def outputs_parse(out: Path) -> bool:
    import lxml.html

    for path in out.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".json" and path.name.startswith("briefing"):
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".md":
            if not path.read_text(encoding="utf-8").strip():
                return False
        elif path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            lxml.html.document_fromstring(text)
            if not text.rstrip().endswith("</html>"):
                return False
    return True


def visible_outputs_parse(out: Path, stories: list[str]) -> bool:
    """Every output a reader can open by its stable path parses (checked right after a kill)."""
    try:
        return all(outputs_parse(out / story) for story in stories if (out / story).exists())
    except (ValueError, UnicodeDecodeError):
        return False


def _scratch(name: str) -> bool:
    """A conversion's scratch folder (the lock file beside the copy stays by design)."""
    return name.startswith(".ctranslate2-") and not name.endswith(".lock")


def leftovers(*roots: Path) -> list[str]:
    found = []
    for root in roots:
        for path in root.rglob("*") if root.exists() else []:
            if any(mark in path.name for mark in LEFTOVER_MARKS) or _scratch(path.name):
                found.append(str(path.relative_to(root.parent)))
    return found


def status_of_last_run(out: Path) -> str:
    if not (out / "summarize.sqlite3").exists():
        return "none"
    completed = subprocess.run(
        [sys.executable, "-m", "summarizer", "status", "-o", str(out), "--json", "--runs", "1"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    runs = json.loads(completed.stdout)["runs"] if completed.returncode == 0 else []
    return runs[0]["status"] if runs else "none"


@dataclass
class Reference:
    seconds: float
    calls: dict[str, int]
    chunks: list[int]
    outputs: dict[str, object]


def uninterrupted(bench: Workbench) -> Reference:
    out, models = bench.fresh("reference")
    counts = out.parent / "counts"
    code, seconds, stderr = bench.run(out, models, counts)
    if code != 0:
        raise SystemExit(f"the uninterrupted run failed (exit {code}):\n{stderr}")
    calls, chunks = read_counts(counts)
    return Reference(seconds, calls, chunks, bench.snapshot(out, models))


def stage_moments(reference: Reference, only: list[str] | None = None) -> list[Moment]:
    """The first, a middle and the last call of every stage the uninterrupted run went through."""
    moments = []
    for stage in STAGES:
        total = reference.calls.get(stage, 0)
        if not total or (only and stage not in only):
            continue
        for n in sorted({1, (total + 1) // 2, total}):
            when = "after" if stage in ("write-file", "convert", "cache-translations") and n == total else "before"
            moments.append(Moment(f"{stage} #{n}/{total} ({when})", stage, n, when))
    return moments


def time_moments(reference: Reference, count: int) -> list[Moment]:
    return [
        Moment(f"at {100 * (i + 1) // (count + 1)}% of the run", seconds=reference.seconds * (i + 1) / (count + 1))
        for i in range(count)
    ]


def trial(bench: Workbench, reference: Reference, moment: Moment, index: int) -> Trial:
    out, models = bench.fresh(f"trial-{index}")
    counts = out.parent / "counts"
    started = time.monotonic()
    if moment.stage:
        process = bench.start(out, models, counts, f"{moment.stage}:{moment.n}:{moment.when}")
        process.communicate(timeout=1800)
    else:
        process = bench.start(out, models, counts)
        try:
            process.communicate(timeout=moment.seconds)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.communicate()
    seconds_to_kill = time.monotonic() - started
    killed = process.returncode == -signal.SIGKILL
    integrity_after_kill = integrity(out)
    parse_after_kill = visible_outputs_parse(out, bench.stories)
    said = status_of_last_run(out)
    rerun_code, _, _ = bench.run(out, models, counts)
    _, chunks = read_counts(counts)
    outputs = bench.snapshot(out, models)
    differences = sorted(
        name for name in set(outputs) | set(reference.outputs) if outputs.get(name) != reference.outputs.get(name)
    )
    return Trial(
        moment=moment.label,
        killed=killed,
        kill_returncode=process.returncode,
        seconds_to_kill=round(seconds_to_kill, 1),
        rerun_returncode=rerun_code,
        integrity_after_kill=integrity_after_kill,
        integrity_after_rerun=integrity(out),
        outputs_parse_after_kill=parse_after_kill,
        outputs_parse_after_rerun=visible_outputs_parse(out, bench.stories),
        leftovers=leftovers(out, models),
        equal_to_uninterrupted=not differences,
        status_after_kill=said,
        sentences_translated_again=sum(chunks) - sum(reference.chunks),
        chunks_translated_again=len(chunks) - len(reference.chunks),
        differences=differences[:5],
    )


def _status_word(trial: Trial) -> str:
    if not trial.killed:
        return "n/a"
    return "no row" if trial.status_after_kill == "none" else trial.status_after_kill


def table(trials: list[Trial]) -> str:
    header = f"{'moment':<44} {'killed':>6} {'db':>3} {'parse':>5} {'left':>4} {'equal':>5} {'status':>7} {'again':>9}"
    lines = [header, "-" * len(header)]
    for t in trials:
        again = f"{t.sentences_translated_again}/{t.chunks_translated_again}ch"
        lines.append(
            f"{t.moment[:44]:<44} {'yes' if t.killed else 'no':>6} "
            f"{'ok' if t.integrity_after_kill == t.integrity_after_rerun == 'ok' else 'BAD':>3} "
            f"{'ok' if t.outputs_parse_after_kill and t.outputs_parse_after_rerun else 'BAD':>5} "
            f"{len(t.leftovers):>4} {'yes' if t.equal_to_uninterrupted else 'NO':>5} "
            f"{_status_word(t):>7} {again:>9}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--time-kills", type=int, default=6, help="kills at fractions of the run's duration")
    parser.add_argument("--only", nargs="*", help="only these stages (names as in STAGES)")
    parser.add_argument("--workdir", type=Path, help="keep the trials' folders here (default: a temp folder)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="summarize-kill-") as scratch:
        root = args.workdir or Path(scratch)
        bench = Workbench(root)
        reference = uninterrupted(bench)
        print(f"uninterrupted run: {reference.seconds:.1f} s, calls {reference.calls}", file=sys.stderr)
        # Time offsets first, while the machine's load is closest to the uninterrupted run's.
        moments = time_moments(reference, args.time_kills) + stage_moments(reference, args.only)
        trials = []
        for index, moment in enumerate(moments):
            trials.append(trial(bench, reference, moment, index))
            print(
                f"[{index + 1}/{len(moments)}] {moment.label}: {'ok' if trials[-1].ok else 'FAILED'}", file=sys.stderr
            )
    print(table(trials))
    killed = [t for t in trials if t.killed]
    summary = {
        "uninterrupted_seconds": round(reference.seconds, 1),
        "uninterrupted_calls": reference.calls,
        "sentences_translated_uninterrupted": sum(reference.chunks),
        "chunk_sizes": reference.chunks,
        "moments": len(trials),
        "killed": len(killed),
        "all_ok": all(t.ok for t in trials),
        "failed": [t.moment for t in trials if not t.ok],
        "max_sentences_translated_again": max((t.sentences_translated_again for t in killed), default=0),
        "max_chunks_translated_again": max((t.chunks_translated_again for t in killed), default=0),
        "trials": [{**asdict(t), "ok": t.ok} for t in trials],
    }
    print(
        f"\n{len(killed)} of {len(trials)} moments killed the run; all checks passed: {summary['all_ok']}; "
        f"most sentences translated again after one kill: {summary['max_sentences_translated_again']} "
        f"({summary['max_chunks_translated_again']} chunk)"
    )
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0 if summary["all_ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
