"""How many threads the models may use: the CPUs this process may really run on.

torch and CTranslate2 size their thread pools from the CPUs in the process's affinity mask, but
not from a container's CPU quota: in a container limited to 2 CPUs on a 64-core host, 64 threads
would take turns on 2 CPUs, and every parallel section would wait for its slowest thread.
"""

from __future__ import annotations

import math
import os
import time
from pathlib import Path

_CGROUP_ROOT = Path("/sys/fs/cgroup")


def usable_cpus() -> int:
    """CPUs in the affinity mask, capped by the cgroup CPU quota (v2 or v1) when one is set."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    quota = cgroup_cpu_quota()
    if quota is not None:
        cpus = min(cpus, max(1, math.ceil(quota)))
    return max(1, cpus)


def cgroup_cpu_quota(root: Path = _CGROUP_ROOT, membership: Path = Path("/proc/self/cgroup")) -> float | None:
    """The CPU quota (in CPUs) of this process's cgroup, or None when unlimited or unknown."""
    try:
        lines = membership.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        relative = path.lstrip("/")
        if controllers == "":  # cgroup v2: "0::/path"
            quota = _v2_quota(root / relative / "cpu.max")
        elif "cpu" in controllers.split(","):
            quota = _v1_quota(root / "cpu" / relative) or _v1_quota(root / "cpu,cpuacct" / relative)
        else:
            continue
        if quota is not None:
            return quota
    return None


def _v2_quota(path: Path) -> float | None:
    try:
        limit, period = path.read_text(encoding="ascii").split()[:2]
    except (OSError, ValueError):
        return None
    if limit == "max":
        return None
    return _ratio(limit, period)


def _v1_quota(folder: Path) -> float | None:
    try:
        limit = (folder / "cpu.cfs_quota_us").read_text(encoding="ascii").strip()
        period = (folder / "cpu.cfs_period_us").read_text(encoding="ascii").strip()
    except OSError:
        return None
    if limit.startswith("-"):
        return None
    return _ratio(limit, period)


def _ratio(limit: str, period: str) -> float | None:
    try:
        value = int(limit) / int(period)
    except (ValueError, ZeroDivisionError):
        return None
    return value if value > 0 else None


def cores_busy_with_other_work(seconds: float = 0.3, stat: Path = Path("/proc/stat")) -> float:
    """How many cores other processes kept busy over the last `seconds` (0.0 where unknown).

    A model step is thousands of short parallel sections, each waiting for its slowest thread;
    a thread that shares its core with another busy process is descheduled for whole time
    slices, so two threads on two cores of which one is busy run several times slower than one
    thread on the free core (docs/benchmarks.md, "Under load").
    """
    try:
        before, own_before = _busy_ticks(stat), _own_ticks()
        time.sleep(seconds)
        after, own_after = _busy_ticks(stat), _own_ticks()
    except (OSError, ValueError, IndexError):
        return 0.0
    elapsed = after[1] - before[1]
    if elapsed <= 0:
        return 0.0
    cpus = os.cpu_count() or 1
    others = (after[0] - before[0]) - (own_after - own_before)
    return max(0.0, others / elapsed * cpus)


def _busy_ticks(stat: Path) -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot."""
    values = [int(v) for v in stat.read_text(encoding="ascii").splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def _own_ticks() -> int:
    times = os.times()
    return round((times.user + times.system) * os.sysconf("SC_CLK_TCK"))


def threads_for_this_run(usable: int, busy_elsewhere: float) -> int:
    """One thread per usable core that other work leaves free (at least one): a core more than
    half taken by another process is left to it."""
    return max(1, min(usable, usable - math.floor(busy_elsewhere + 0.5)))


def limit_torch_threads() -> int:
    """Set torch's intra-op threads (which CTranslate2 also takes) to the usable CPUs that other
    work leaves free, never more than torch's own default; the count used."""
    import torch

    threads = min(torch.get_num_threads(), threads_for_this_run(usable_cpus(), cores_busy_with_other_work()))
    torch.set_num_threads(threads)
    return threads
