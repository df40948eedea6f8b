"""What the single driver spends per folder with `--executor ray`, as the cache grows.

The driver alone touches SQLite and the output files, so its per-folder work bounds how many
workers one driver can keep busy. Per folder it: looks up the rows to ship (`job_entries`), stores
the rows the worker made (`Cache.add`), writes the outputs (`write_briefing`) and records the state
(`State.record_briefed`). This times each on a seeds-sized folder (5 articles, 142 sentences;
the record comes from `brief` with `--lang id --summarizer extractive`, so no model is needed and
only driver work is timed) with 0 to 50,000 earlier folders' rows already in the database.

    python benchmarks/driver_overhead.py [--sizes 0,1000,10000,50000] > result.json
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summarizer.cache import CachedTranslation, CacheEntries, TranslationKey  # noqa: E402
from summarizer.ingest.folder import load_folder  # noqa: E402
from summarizer.run.executors import job_entries  # noqa: E402
from summarizer.run.pipeline import SUMMARY_NAMESPACE, RunOptions, brief, write_briefing  # noqa: E402
from summarizer.run.state import State  # noqa: E402

REPEATS = 5


def fill(cache_path: Path, folders: int) -> None:
    """Rows of `folders` earlier folders: 30 translated sentences and 5 summaries each."""
    from summarizer.cache import Cache

    key = TranslationKey("opus-mt-id-en", "rev", "settings")
    with Cache(cache_path) as cache:
        for start in range(0, folders, 1000):
            rows = CacheEntries()
            for n in range(start, min(folders, start + 1000)):
                rows.translations += [
                    (key, f"kalimat {n}-{i} yang cukup panjang", CachedTranslation(f"sentence {n}-{i}"))
                    for i in range(30)
                ]
                rows.values += [
                    (SUMMARY_NAMESPACE, f"{n}-{i}", {"article_id": f"{n:06d}_{i}.txt", "sentences": []}, f"{n}-{i}")
                    for i in range(5)
                ]
            cache.add(rows)


def measure(folders: int, workdir: Path) -> dict[str, float]:
    from summarizer.cache import Cache

    out = workdir / f"out-{folders}"
    database = out / "summarize.sqlite3"
    out.mkdir(parents=True)
    fill(database, folders)
    options = RunOptions(lang="id", summarizer="extractive", progress=False)
    folder = load_folder(ROOT / "seeds")
    made = Cache(":memory:")
    record = brief(folder, options, cache=made)
    shipped_back = CacheEntries(
        values=[
            (SUMMARY_NAMESPACE, f"new-{i}", {"article_id": a.id}, a.source.sha256)
            for i, a in enumerate(folder.articles)
        ]
    )
    key = TranslationKey("opus-mt-id-en", "rev", "settings")
    shipped_back.translations = [
        (key, s.text, CachedTranslation(s.text)) for a in folder.articles for s in a.sentences()
    ]
    times: dict[str, list[float]] = {"ship (lookup)": [], "store new rows": [], "write outputs": [], "record state": []}
    state = State(database)
    with Cache(database) as cache:
        for _ in range(REPEATS):
            started = time.perf_counter()
            job_entries(cache, folder)
            times["ship (lookup)"].append(time.perf_counter() - started)
            started = time.perf_counter()
            cache.add(shipped_back)
            times["store new rows"].append(time.perf_counter() - started)
            started = time.perf_counter()
            outcome = write_briefing(record, out / "seeds", options.formats)
            times["write outputs"].append(time.perf_counter() - started)
            started = time.perf_counter()
            state.claim_out_dir(str(folder.path), "seeds", out)
            state.record_briefed(str(folder.path), "f", {}, [], outcome.paths)
            times["record state"].append(time.perf_counter() - started)
    state.close()
    result = {name: round(statistics.median(values) * 1000, 2) for name, values in times.items()}
    result["total"] = round(sum(result.values()), 2)
    result["database MiB"] = round(database.stat().st_size / 2**20, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,1000,10000,50000", help="earlier folders already in the database")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="driver-overhead-") as workdir:
        rows = {n: measure(n, Path(workdir)) for n in sizes}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"ms per folder by earlier folders": rows, "driver peak RSS MiB": round(peak)}, indent=2))


if __name__ == "__main__":
    main()
