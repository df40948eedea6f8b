"""The end-of-run report: a table on stderr and the same facts as JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from summarizer.run.batch import BatchResult, FolderResult


def summary_json(batch: BatchResult) -> dict[str, Any]:
    """A machine-readable run summary (printed by --json)."""
    return {
        "exit_code": int(batch.exit_code),
        "counts": batch.counts(),
        "cache": {"hits": batch.cache_hits, "misses": batch.cache_misses},
        "models_dir": batch.models_dir,
        "outputs_dir": batch.outputs_root,
        "folders": [_folder_json(f) for f in batch.folders],
        "ignored_files": [{"file": path, "reason": reason} for path, reason in batch.ignored_files],
    }


def _folder_json(result: FolderResult) -> dict[str, Any]:
    data: dict[str, Any] = {
        "folder": result.path,
        "status": result.status,
        "detail": result.detail,
        "out_dir": result.out_dir,
        "skipped_files": [{"file": path, "reason": reason} for path, reason in result.skipped_files],
    }
    outcome = result.outcome
    if outcome is not None:
        data.update(
            articles=outcome.articles,
            sentences=outcome.sentences,
            translated_sentences=outcome.translated,
            translation_cache_hits=outcome.translation_cache_hits,
            summaries_from_cache=outcome.summaries_cached,
            translation_flags=outcome.flags,
            citation_precision=outcome.precision,
            citation_recall=outcome.recall,
            draft_citation_precision=outcome.draft_precision,
            draft_citation_recall=outcome.draft_recall,
            key_points=outcome.points,
            dropped_sentences=outcome.dropped,
            timings_s={k: round(v, 3) for k, v in outcome.timings.items()},
            files=[str(p) for p in outcome.paths],
            notes=outcome.notes,
        )
    return data


def render_summary(batch: BatchResult) -> str:
    """A compact table: one line per folder, then the totals."""
    lines = [
        f"{'folder':<28} {'status':<10} {'articles':>8} {'new/cached':>11} {'flags':>5} {'prec':>5} "
        f"{'recall':>6} {'draft P/R':>9}  detail"
    ]
    for result in batch.folders:
        lines.append(_folder_line(result))
        for path, reason in result.skipped_files:
            what = "left out" if reason.startswith("off-topic") else "skipped file"
            lines.append(f"{'':<28} {what} {path}: {reason}")
        for note in result.outcome.notes if result.outcome else []:
            lines.append(f"{'':<28} note: {note}")
    for path, reason in batch.ignored_files:
        lines.append(f"ignored {path}: {reason}")
    counts = batch.counts()
    lines.append(f"{counts['briefed']} briefed, {counts['unchanged']} unchanged (skipped), {counts['failed']} failed")
    if batch.outputs_root:
        lines.append(f"outputs in {batch.outputs_root}, models from {batch.models_dir}")
    return "\n".join(lines) + "\n"


def _folder_line(result: FolderResult) -> str:
    name = Path(result.path).name[:28]
    outcome = result.outcome
    if outcome is None:
        return f"{name:<28} {result.status:<10} {'':>8} {'':>11} {'':>5} {'':>5} {'':>6} {'':>9}  {result.detail}"
    new_cached = f"{outcome.translated}/{outcome.translation_cache_hits}"
    flags = sum(outcome.flags.values())
    # prec/recall: the citations the reader sees; draft P/R: the summarizer's own, before repair.
    draft = f"{_ratio(outcome.draft_precision)}/{_ratio(outcome.draft_recall)}"
    return (
        f"{name:<28} {result.status:<10} {outcome.articles:>8} {new_cached:>11} {flags:>5} "
        f"{_ratio(outcome.precision):>5} {_ratio(outcome.recall):>6} {draft:>9}  {result.out_dir}"
    )


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
