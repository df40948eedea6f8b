"""The thread count follows the CPUs the process may really use (affinity and cgroup quota)."""

from __future__ import annotations

from pathlib import Path

from summarizer.models.threads import cgroup_cpu_quota, usable_cpus


def _membership(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cgroup"
    path.write_text(text, encoding="utf-8")
    return path


def test_cgroup_v2_quota_is_read_from_the_process_cgroup(tmp_path: Path) -> None:
    (tmp_path / "job").mkdir()
    (tmp_path / "job" / "cpu.max").write_text("150000 100000\n")
    assert cgroup_cpu_quota(tmp_path, _membership(tmp_path, "0::/job\n")) == 1.5
    (tmp_path / "job" / "cpu.max").write_text("max 100000\n")
    assert cgroup_cpu_quota(tmp_path, _membership(tmp_path, "0::/job\n")) is None


def test_cgroup_v1_quota_and_unlimited(tmp_path: Path) -> None:
    folder = tmp_path / "cpu" / "docker" / "abc"
    folder.mkdir(parents=True)
    (folder / "cpu.cfs_quota_us").write_text("200000\n")
    (folder / "cpu.cfs_period_us").write_text("100000\n")
    membership = _membership(tmp_path, "4:memory:/x\n1:cpu,cpuacct:/docker/abc\n")
    assert cgroup_cpu_quota(tmp_path, membership) == 2.0
    (folder / "cpu.cfs_quota_us").write_text("-1\n")
    assert cgroup_cpu_quota(tmp_path, membership) is None


def test_unreadable_or_garbage_cgroup_files_mean_no_quota(tmp_path: Path) -> None:
    (tmp_path / "job").mkdir()
    (tmp_path / "job" / "cpu.max").write_text("lots 0\n")
    assert cgroup_cpu_quota(tmp_path, _membership(tmp_path, "0::/job\n")) is None
    assert cgroup_cpu_quota(tmp_path, tmp_path / "missing") is None


def test_usable_cpus_never_exceeds_the_affinity_mask(monkeypatch) -> None:
    import os

    from summarizer.models import threads

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    monkeypatch.setattr(threads, "cgroup_cpu_quota", lambda: 1.2)
    assert usable_cpus() == 2
    monkeypatch.setattr(threads, "cgroup_cpu_quota", lambda: None)
    assert usable_cpus() == 4


def test_a_core_taken_by_other_work_is_left_to_it() -> None:
    from summarizer.models.threads import threads_for_this_run

    assert threads_for_this_run(2, 0.02) == 2  # a quiet machine
    assert threads_for_this_run(2, 0.95) == 1  # one core busy elsewhere
    assert threads_for_this_run(2, 1.9) == 1  # never fewer than one
    assert threads_for_this_run(8, 2.4) == 6


def test_other_work_is_measured_without_this_process(tmp_path: Path) -> None:
    """A busy loop in this process is not "other work"; a busy child process is."""
    import subprocess
    import sys
    import time

    from summarizer.models.threads import cores_busy_with_other_work

    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)
        assert cores_busy_with_other_work(0.5) > 0.5
    finally:
        hog.kill()
        hog.wait()
    stat = tmp_path / "stat"
    stat.write_text("garbage\n")
    assert cores_busy_with_other_work(0.01, stat) == 0.0
