"""The outputs folder and the story folders must never overlap.

A run writes (and deletes its own stale files) under the outputs folder; were that folder the
story folder, inside it or around it, a run would read its own outputs as articles or write
into the user's folder. Paths are compared as resolved real paths, so a symbolic link or `..`
cannot hide an overlap.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from summarizer.errors import OutputsOverlapError
from summarizer.ingest.read import display_name
from summarizer.paths import check_utf8_path


def real_path(path: Path) -> Path:
    """`path` with every symbolic link and `..` resolved, whether or not it exists yet."""
    return Path(os.path.realpath(path))


def overlap(story: Path, out_dir: Path) -> str | None:
    """How the folder `out_dir` (where files are written) overlaps `story`, or None."""
    story_real, out_real = real_path(story), real_path(out_dir)
    if out_real == story_real:
        return "is"
    if out_real.is_relative_to(story_real):
        return "is inside"
    if story_real.is_relative_to(out_real):
        return "contains"
    return None


def check_outputs_apart(given: Iterable[Path], stories: Iterable[Path], outputs_root: Path) -> None:
    """Refuse (one line, exit 2), before anything is written, an outputs folder whose name is not
    valid UTF-8, or that is, is inside or contains a story folder, or whose `<story name>/`
    sub-folder (where that story's files go) is one of those.

    `given` are the folders named on the command line. One of them may be an inbox holding the
    outputs folder as a direct sub-folder (`-o inbox/outputs`), which is then not a story; the
    outputs folder deeper inside it would sooner or later be inside a story, and is refused.
    """
    check_utf8_path(outputs_root, "--output-dir")
    for story in stories:
        own = outputs_root / real_path(story).name
        for out_dir, what in ((outputs_root, "the outputs folder"), (own, "the story's outputs folder")):
            how = overlap(story, out_dir)
            if how is not None:
                raise OutputsOverlapError(refusal(story, out_dir, how, what))
    for folder in given:
        how = overlap(folder, outputs_root)
        if how is not None and not (how == "is inside" and real_path(outputs_root).parent == real_path(folder)):
            raise OutputsOverlapError(refusal(folder, outputs_root, how, "the outputs folder", "inbox folder"))


def refusal(story: Path, out_dir: Path, how: str, what: str = "the outputs folder", kind: str = "story folder") -> str:
    """One line: which folder overlaps which, and the way out."""
    return (
        f"{what} {display_name(str(out_dir))} {how} the {kind} {display_name(str(story))}; "
        "keep outputs apart from the articles: choose another outputs folder (-o)"
    )
