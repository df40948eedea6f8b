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
        "executor": batch.executor,
        # Folders a Ctrl-C kept from being started (the run stopped after those in progress).
        "not_started": batch.not_started,
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
            flagged_sentences=outcome.flagged_sentences,
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


# Fixed columns of the run table after the folder name: (heading, width), right-aligned.
_COLUMNS = (("articles", 8), ("new", 5), ("cached", 6), ("flagged", 7), ("prec", 4), ("recall", 6), ("draft P/R", 9))
_STATUS_WIDTH = 9
_MIN_NAME_WIDTH = 12

# What each column counts, printed under the table so no figure has to be guessed.
LEGEND = (
    "articles: articles briefed (copies included); new / cached: sentences translated in this run "
    "/ taken from the translation cache; flagged: sentences whose translation carries a warning "
    "(degenerate output, a missing number, split or retried); prec / recall: citation precision "
    "and recall of the briefing as shown; draft P/R: the same for the summarizer's own citations, "
    "before verification repaired them (- when none)"
)


def render_summary(batch: BatchResult, width: int = 80) -> str:
    """The run table, at most `width` columns wide: one line per folder, its output folder and
    any problem on the lines below it, the totals, and what each column counts."""
    fixed = _STATUS_WIDTH + sum(w + 1 for _, w in _COLUMNS) + 1
    name_width = max(_MIN_NAME_WIDTH, width - fixed)
    header = f"{'folder':<{name_width}} {'status':<{_STATUS_WIDTH}}" + "".join(
        f" {title:>{w}}" for title, w in _COLUMNS
    )
    lines = [header]
    for result in batch.folders:
        lines.append(_folder_line(result, name_width))
        if result.status == "failed" and result.detail:
            lines.extend(_wrapped(f"error: {result.detail}", width))
        elif result.out_dir:
            lines.extend(_wrapped(f"-> {result.out_dir}", width))
        for path, reason in result.skipped_files:
            what = "left out" if reason.startswith("off-topic") else "skipped file"
            lines.extend(_wrapped(f"{what} {path}: {reason}", width))
        for note in result.outcome.notes if result.outcome else []:
            lines.extend(_wrapped(f"note: {note}", width))
    for path, reason in batch.ignored_files:
        lines.extend(_wrapped(f"ignored {path}: {reason}", width, indent=""))
    if batch.not_started:
        names = ", ".join(Path(path).name for path in batch.not_started)
        lines.extend(_wrapped(f"stopped by Ctrl-C before {len(batch.not_started)} folder(s): {names}", width, ""))
    counts = batch.counts()
    lines.append(f"{counts['briefed']} briefed, {counts['unchanged']} unchanged (skipped), {counts['failed']} failed")
    if batch.executor.get("name") == "ray":
        lines.append(_ray_line(batch.executor))
    if batch.outputs_root:
        # One path per line: a path is never split, and each stays readable on its own.
        lines += [f"outputs in {batch.outputs_root}", f"models from {batch.models_dir}"]
    if any(result.outcome is not None for result in batch.folders):
        lines.extend(_wrapped(LEGEND, width, indent=""))
    return "\n".join(lines) + "\n"


def _ray_line(executor: dict[str, Any]) -> str:
    """How many Ray actors briefed the folders, and what each had."""
    actors, cpus, gpus = executor["actors"], executor["cpus_per_actor"], executor["gpus_per_actor"]
    each = f"{cpus} CPU{'s' if cpus != 1 else ''}, {executor['threads_per_actor']} thread(s)"
    if gpus:
        each = f"{gpus} GPU + {each}"
    return f"briefed on Ray: {actors} actor{'s' if actors != 1 else ''}, each {each}, device {executor['device']}"


def _wrapped(text: str, width: int, indent: str = "  ") -> list[str]:
    import textwrap

    # Paths are never broken in the middle: a long one overflows rather than becoming two halves.
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_long_words=False,
        break_on_hyphens=False,
    )


def _folder_line(result: FolderResult, name_width: int) -> str:
    name = _shortened(Path(result.path).name, name_width)
    start = f"{name:<{name_width}} {result.status:<{_STATUS_WIDTH}}"
    outcome = result.outcome
    if outcome is None:
        return start.rstrip()
    values = (
        outcome.articles,
        outcome.translated,
        outcome.translation_cache_hits,
        outcome.flagged_sentences,
        _ratio(outcome.precision),
        _ratio(outcome.recall),
        f"{_ratio(outcome.draft_precision)}/{_ratio(outcome.draft_recall)}",
    )
    return start + "".join(f" {value!s:>{w}}" for value, (_, w) in zip(values, _COLUMNS, strict=True))


def _shortened(name: str, width: int) -> str:
    """`name` cut to `width` with an ellipsis in the middle, so both ends stay recognisable."""
    if len(name) <= width:
        return name
    head = (width - 1) // 2
    return name[:head] + "…" + name[len(name) - (width - 1 - head) :]


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
