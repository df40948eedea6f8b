"""ROUGE of the per-article extractive summaries against IndoSum's gold summaries, vs lead-3.

Each article of ../shared/corpus/indosum-dev/pairs.jsonl is briefed the way a user's folder would
be: written to a temporary one-article folder, read, cleaned and segmented by summarizer.ingest,
then summarized by the extractive summarizer in Indonesian. Scored with Google's rouge-score
(`RougeScorer(['rouge1', 'rouge2', 'rougeL'], use_stemmer=False)`, its default tokenizer), the
scorer and settings of the corpus README's baseline, against:

- lead-3 (IndoSum): the pair's `lead3` field, the README's baseline;
- lead-3 (ours): the first three sentences of the same cleaned, segmented article the summarizer
  sees, so the only difference from the summary is which sentences are chosen.

Means over the pairs (x100), F1 with a 95% bootstrap interval (1,000 resamples, numpy seed
20250618). Needs `pip install -e ".[bench]"`.

    PYTHONPATH=. python benchmarks/rouge.py [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT.parent / "shared" / "corpus" / "indosum-dev" / "pairs.jsonl"
METRICS = ("rouge1", "rouge2", "rougeL")


def summaries(article: str, workdir: Path, name: str) -> tuple[str, str]:
    """(extractive summary, our lead-3) of one article, through the same path as a folder run."""
    from summarizer.briefing.compose import summary_inputs
    from summarizer.briefing.sources import number_sources
    from summarizer.ingest.folder import load_folder
    from summarizer.summarizers.extractive import ExtractiveSummarizer

    folder_path = workdir / name
    folder_path.mkdir()
    (folder_path / "article.txt").write_text(article + "\n", encoding="utf-8")
    folder = load_folder(folder_path)
    texts = {s.id: s.text for a in folder.articles for s in a.sentences()}
    inputs = summary_inputs(folder, texts, number_sources(folder), include_copies=True)
    (summary,) = ExtractiveSummarizer().summarize(inputs, "id")
    lead = " ".join(text for _, text in inputs[0].sentences[:3])
    return " ".join(s.text for s in summary.sentences), lead


def main() -> int:
    import numpy as np
    from rouge_score import rouge_scorer, scoring

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    pairs = [json.loads(line) for line in args.pairs.read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = pairs[: args.limit] if args.limit else pairs
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=False)
    systems = ("extractive", "lead-3 (ours)", "lead-3 (IndoSum)")
    aggregators = {name: scoring.BootstrapAggregator(n_samples=1000) for name in systems}
    np.random.seed(20250618)
    with tempfile.TemporaryDirectory() as tmp:
        for i, pair in enumerate(pairs):
            summary, lead = summaries(pair["article"], Path(tmp), f"a{i:04d}")
            for name, text in zip(systems, (summary, lead, pair["lead3"]), strict=True):
                aggregators[name].add_scores(scorer.score(pair["summary"], text))
    result: dict[str, Any] = {}
    for name, aggregator in aggregators.items():
        aggregate = aggregator.aggregate()
        result[name] = {
            m: {
                "f1": round(100 * aggregate[m].mid.fmeasure, 2),
                "f1_low": round(100 * aggregate[m].low.fmeasure, 2),
                "f1_high": round(100 * aggregate[m].high.fmeasure, 2),
                "precision": round(100 * aggregate[m].mid.precision, 2),
                "recall": round(100 * aggregate[m].mid.recall, 2),
            }
            for m in METRICS
        }
    if args.json:
        print(json.dumps({"pairs": len(pairs), "scores": result}, indent=1))
        return 0
    print(f"{len(pairs)} pairs; F1 (95% interval), precision, recall, x100")
    for name, scores in result.items():
        cells = "  ".join(
            f"{m} {s['f1']:.2f} ({s['f1_low']:.2f}-{s['f1_high']:.2f}) P {s['precision']:.2f} R {s['recall']:.2f}"
            for m, s in scores.items()
        )
        print(f"{name:18s} {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
