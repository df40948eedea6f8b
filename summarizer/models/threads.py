"""How many threads the models may use: the CPUs this process may really run on.

torch and CTranslate2 size their thread pools from the CPUs in the process's affinity mask, but
not from a container's CPU quota: in a container limited to 2 CPUs on a 64-core host, 64 threads
would take turns on 2 CPUs, and every parallel section would wait for its slowest thread.
"""

from __future__ import annotations

import math
import os
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


def limit_torch_threads() -> int:
    """Lower torch's intra-op threads to the usable CPUs (never raise them); the count used."""
    import torch

    threads = min(torch.get_num_threads(), usable_cpus())
    torch.set_num_threads(threads)
    return threads
