"""Bounded work on hostile input: time per MiB of reading a story folder (read, decode, clean,
repair glued words, split sentences, detect language, find duplicates) for ordinary news text and
for the inputs that used to grow quadratically, plus the time to refuse a 1 GB sparse file.

Each case is one file in its own folder, read through `load_folder` (what `summarize` and
`summarize inspect` do), in a fresh subprocess so earlier cases cannot warm caches for later ones
(the sentence splitter and the language model are loaded before the clock starts).

    python benchmarks/bench_hostile.py            # 1 MiB per case
    python benchmarks/bench_hostile.py --mib 2    # larger inputs: the per-MiB figures should hold

Prints one JSON object; the figures and the machine go in docs/reliability.md. The target: the
three per-MiB times within 3x of each other.
"""

from __future__ import annotations

import argparse
import json
import random
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024


def make_case(kind: str, size: int) -> str:
    if kind == "ordinary":  # the seed articles, repeated: real Indonesian news prose
        seeds = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
        return (seeds * (size // len(seeds.encode()) + 1))[:size]
    if kind == "token":  # a pasted base64 blob: one word, no spaces
        rng = random.Random(17)
        return "".join(rng.choice(string.ascii_letters + string.digits + "+/") for _ in range(size))
    if kind == "repeated":  # one character, over and over
        return "a" * size
    raise ValueError(kind)


def run_case(kind: str, size: int) -> dict[str, float]:
    """In this process: build the file, warm the models, time load_folder."""
    from summarizer.ingest.folder import load_folder
    from summarizer.ingest.language import detect_language
    from summarizer.ingest.segment import split_sentences

    split_sentences("Dia pergi. Kami pulang.")
    detect_language("Presiden mengatakan bahwa pemerintah akan membantu warga yang terdampak banjir.")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "story" / "article.txt"
        path.parent.mkdir()
        path.write_text(make_case(kind, size), encoding="utf-8")
        started = time.perf_counter()
        folder = load_folder(path.parent)
        seconds = time.perf_counter() - started
    sentences = sum(a.sentence_count for a in folder.articles)
    return {
        "bytes": size,
        "seconds": round(seconds, 2),
        "seconds_per_mib": round(seconds / (size / MIB), 2),
        "sentences": sentences,
    }


def sparse_refusal() -> dict[str, object]:
    from summarizer.ingest.read import read_folder

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "huge.txt"
        with open(path, "wb") as handle:
            handle.truncate(1024**3)
        started = time.perf_counter()
        documents, skipped = read_folder(Path(tmp))
        seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 4), "reason": skipped[0].reason if skipped else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=float, default=1.0, help="size of each input in MiB")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # internal: run one case in this process
    args = parser.parse_args()
    size = int(args.mib * MIB)
    if args.case:
        print(json.dumps(sparse_refusal() if args.case == "sparse" else run_case(args.case, size)))
        return
    results: dict[str, object] = {}
    for kind in ("ordinary", "token", "repeated", "sparse"):
        print(f"{kind}...", file=sys.stderr, flush=True)
        output = subprocess.run(
            [sys.executable, __file__, "--mib", str(args.mib), "--case", kind],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        ).stdout
        results[kind] = json.loads(output)
    per_mib = [results[k]["seconds_per_mib"] for k in ("ordinary", "token", "repeated")]  # type: ignore[index]
    results["max_over_min"] = round(max(per_mib) / max(min(per_mib), 1e-9), 2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
