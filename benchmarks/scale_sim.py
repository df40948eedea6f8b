"""Simulate a day's inbox on 1, 10 and 100 nodes with one driver, from measured costs.

Worker side (per 2-vCPU node, one actor using both cores): docs/benchmarks.md run E, the shipped
default models at their real sizes: 153.5 s per five-article folder, model load 1.6 s (+0.7 s of
imports) once per actor, peak RSS 3.8-4.1 GiB. Driver side: docs/driver_overhead.json, measured by
benchmarks/driver_overhead.py (ship lookup, store rows, write files, record state), fitted here as
a + b * folders already in the SQLite file (before schema 2 indexed the ship lookup it grew with
them: docs/driver_overhead_schema1.json; pass it as --overhead to see that driver).

Folders arrive over 24 h (Poisson, two thirds of them between 06:00 and 18:00), 2-10 articles
each (worker time scales with articles / 5). Each node runs one actor; the driver is one FIFO
server that ships a folder when an actor is free and finishes (stores, writes, records) each result.

    python benchmarks/scale_sim.py [--overhead docs/driver_overhead.json] [--seed 14]
"""

from __future__ import annotations

import argparse
import heapq
import json
import random
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKER_SECONDS_PER_5_ARTICLES = 153.5  # docs/benchmarks.md, run E, whole process
ACTOR_START_SECONDS = 1.6 + 0.7  # model load + imports, once per actor
DAY = 24 * 3600


def fit_driver_cost(path: Path) -> tuple[float, float]:
    """(a, b): driver seconds per folder = a + b * folders already stored (least squares, with
    b >= 0: more stored rows never make the driver faster, so a falling fit is noise and the cost
    is taken as flat, their mean)."""
    measured = json.loads(path.read_text())["ms per folder by earlier folders"]
    xs = [float(n) for n in measured]
    ys = [row["total"] / 1000 for row in measured.values()]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    b = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum((x - mean_x) ** 2 for x in xs)
    if b < 0:
        return mean_y, 0.0
    return mean_y - b * mean_x, b


def arrivals(count: int, rng: random.Random) -> list[tuple[float, int]]:
    """(arrival second, articles) for a day's folders, busier in the daytime."""
    folders = []
    for _ in range(count):
        daytime = rng.random() < 2 / 3
        start = rng.uniform(6 * 3600, 18 * 3600) if daytime else rng.uniform(0, DAY)
        folders.append((start, rng.randint(2, 10)))
    return sorted(folders)


def simulate(nodes: int, folders: list[tuple[float, int]], cost: tuple[float, float], history: int) -> dict:
    """Event simulation; returns completion, latency and utilisation figures."""
    a, b = cost
    free_actors = nodes
    driver_free_at = 0.0
    driver_busy = 0.0
    stored = history
    queue: list[tuple[float, int, int]] = []  # waiting folders: (arrival, articles, index)
    events: list[tuple[float, int, str, int]] = []  # (time, order, kind, folder index)
    order = 0
    for index, (when, _) in enumerate(folders):
        heapq.heappush(events, (when, order, "arrive", index))
        order += 1
    done_at: dict[int, float] = {}
    worker_busy = 0.0
    while events:
        now, _, kind, index = heapq.heappop(events)
        if kind == "arrive":
            queue.append((folders[index][0], folders[index][1], index))
        elif kind == "worker-done":
            # The driver stores the rows, writes the files and records the state, one folder at a time.
            service = a + b * stored
            start = max(now, driver_free_at)
            driver_free_at = start + service
            driver_busy += service
            stored += 1
            done_at[index] = driver_free_at
            free_actors += 1
        while free_actors and queue:
            _, articles, waiting = queue.pop(0)
            free_actors -= 1
            work = WORKER_SECONDS_PER_5_ARTICLES * articles / 5
            worker_busy += work
            heapq.heappush(events, (now + work, order, "worker-done", waiting))
            order += 1
    latencies = [done_at[i] - folders[i][0] for i in range(len(folders))]
    end = max(done_at.values())
    return {
        "nodes": nodes,
        "folders": len(folders),
        "all done after h": round(end / 3600, 1),
        "median latency min": round(statistics.median(latencies) / 60, 1),
        "p95 latency min": round(sorted(latencies)[int(0.95 * len(latencies))] / 60, 1),
        "actor busy %": round(100 * worker_busy / (nodes * end), 1),
        "driver busy %": round(100 * driver_busy / end, 2),
        "driver s/folder at end": round(a + b * stored, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--overhead", type=Path, default=ROOT / "docs" / "driver_overhead.json")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    cost = fit_driver_cost(args.overhead)
    print(f"driver seconds per folder = {cost[0]:.4f} + {cost[1] * 1e6:.3f} us x folders stored")
    # Per node and day: 86,400 / 153.5 s is about 560 five-article folders at most.
    scenarios = [
        (1, 400, 0),
        (10, 4_000, 0),
        (100, 40_000, 0),
        (100, 40_000, 300_000),  # a year of history in the SQLite file
        (1000, 400_000, 300_000),
    ]
    rows = []
    for nodes, count, history in scenarios:
        rng = random.Random(args.seed)
        row = simulate(nodes, arrivals(count, rng), cost, history)
        row["folders already stored"] = history
        rows.append(row)
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")


if __name__ == "__main__":
    main()
