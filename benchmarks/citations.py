"""Citation quality and key-fact coverage of the model-free briefing on real story folders.

For the seeds and every story folder of ../shared/corpus (or the folders given), briefs with the
extractive summarizer in Indonesian (no model needed), then reports per folder: the draft's
citation precision/recall (as the summarizer cited), the shown briefing's (what the reader
reads), how many points are shown, and how many of the folder's `expected.json` key facts the
briefing's key points state (Indonesian patterns).

    PYTHONPATH=. python benchmarks/citations.py [FOLDER ...] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def brief(folder_path: Path, lang: str = "id") -> Any:
    """The verified briefing of one folder, made by the extractive summarizer (nothing written)."""
    from faithfulness import load_story

    from summarizer.run.pipeline import RunOptions, brief

    return brief(load_story(folder_path), RunOptions(lang=lang, summarizer="extractive")).briefing


def key_facts(folder_path: Path, text: str, lang: str = "id") -> tuple[int, int] | None:
    expected = folder_path / "expected.json"
    if not expected.exists():
        return None
    facts = json.loads(expected.read_text(encoding="utf-8"))["key_facts"]
    key = "patterns_id" if lang == "id" else "patterns_en"
    found = sum(all(re.search(p, text, re.IGNORECASE) for p in f[key]) for f in facts)
    return found, len(facts)


def _metrics(m: Any) -> dict[str, Any]:
    return {"precision": m.precision, "recall": m.recall, "sentences": m.sentences, "citations": m.citations}


def measure(folder_path: Path) -> dict[str, Any]:
    briefing = brief(folder_path)
    points_text = "\n".join(p.text for p in briefing.points)
    row: dict[str, Any] = {"folder": folder_path.name, "points": len(briefing.points)}
    row["draft"] = _metrics(briefing.metrics)
    shown = getattr(briefing, "shown_metrics", None)
    row["shown"] = _metrics(shown) if shown is not None else None
    row["key_facts"] = key_facts(folder_path, points_text)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folders = args.folders or [
        ROOT / "seeds",
        *sorted(p for p in CORPUS.iterdir() if (p / "expected.json").exists() or p.name.startswith("saudia")),
    ]
    rows = []
    for folder in folders:
        row = measure(folder)
        rows.append(row)
        if not args.json:
            shown = row["shown"] or {}
            kf = row["key_facts"]
            print(
                f"{row['folder']:40s} points {row['points']:2d}  draft P {row['draft']['precision']} "
                f"R {row['draft']['recall']}  shown P {shown.get('precision')} R {shown.get('recall')}  "
                f"key facts {f'{kf[0]}/{kf[1]}' if kf else '-'}",
                file=sys.stderr,
            )
    if args.json:
        print(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
