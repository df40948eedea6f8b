"""Fingerprint what `summarize` writes for the seeds, so two versions of the code can be compared.

Builds the tests' tiny random-weight models, runs `summarize seeds/ --lang en` (tiny Marian +
tiny Qwen2) and `summarize seeds/ --lang id --summarizer extractive` through the CLI in fresh
folders, and prints one sha256 per output file after removing what legitimately differs between
runs (timings, run ids, timestamps, temp paths). Run it on two checkouts and diff the output:

    python benchmarks/output_snapshot.py > after.txt
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

# Set SNAPSHOT_DUMP=DIR to also keep the normalised files, for a diff when fingerprints differ.
DUMP = os.environ.get("SNAPSHOT_DUMP")
VOLATILE_KEYS = {"timings", "seconds", "started", "finished", "run_id", "elapsed", "created", "generated_at"}
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
SECONDS = re.compile(r"\b\d+(?:\.\d+)?\s?s\b")


def scrub(value: object) -> object:
    if isinstance(value, dict):
        return {k: ("*" if k in VOLATILE_KEYS else scrub(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, str):
        return TIMESTAMP.sub("<time>", value)
    return value


def normalised(path: Path, tmp: Path) -> bytes:
    text = path.read_text(encoding="utf-8").replace(str(tmp), "<tmp>").replace(str(ROOT), "<root>")
    if path.suffix == ".json":
        return json.dumps(scrub(json.loads(text)), sort_keys=True, ensure_ascii=False).encode()
    return SECONDS.sub("<secs>", TIMESTAMP.sub("<time>", text)).encode()


def run(tmp: Path, models: Path, name: str, *args: str) -> None:
    out = tmp / name
    cmd = [
        sys.executable,
        "-m",
        "summarizer",
        "run",
        str(ROOT / "seeds"),
        "--models-dir",
        str(models),
        "-o",
        str(out),
        "-q",
        *args,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr[-2000:]}")
    for path in sorted(out.rglob("*")):
        if path.is_file() and not path.name.startswith(("summarize.sqlite3", ".summarize.lock")):
            content = normalised(path, tmp)
            digest = hashlib.sha256(content).hexdigest()[:16]
            if DUMP:
                target = Path(DUMP) / name / path.relative_to(out)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
            print(f"{name}/{path.relative_to(out)} {digest}")


def main() -> None:
    import torch
    from tiny_models import build_tiny_model

    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as workdir:
        tmp = Path(workdir)
        models = tmp / "models"
        build_tiny_model("marian", models, "opus-mt-id-en")
        build_tiny_model("qwen2", models, "qwen2.5-1.5b-instruct")
        run(tmp, models, "en-tiny", "--lang", "en")
        run(tmp, models, "id-extractive", "--lang", "id", "--summarizer", "extractive")


if __name__ == "__main__":
    main()
