"""The environment a cron job or a pipe gives: no traceback for a C locale, a closed stdout,
no HOME, or a $TMPDIR that cannot be written."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from summarizer.ingest import language

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def _env(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONUTF8", "PYTHONIOENCODING"))}
    env["PYTHONPATH"] = str(ROOT)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _summarize(*args: str, env: dict[str, str], **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=300,
        **options,  # type: ignore[call-overload]
    )


def test_c_locale(tmp_path: Path) -> None:
    story = tmp_path / "café “berita”"
    story.mkdir()
    (story / "a.txt").write_text((SEEDS / "000_04288ddc473c17d6.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = _summarize("inspect", str(story), env=_env(LANG="C", LC_ALL="C"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "“" in result.stdout


def test_closed_stdout_is_not_a_traceback() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "summarizer", "inspect", str(SEEDS)],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(20)  # like `| head -c 20`: read a little, then hang up
    process.stdout.close()
    stderr = process.stderr.read().decode("utf-8", "replace")
    process.wait(timeout=300)
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert process.returncode in (0, 141)


def test_no_home(tmp_path: Path) -> None:
    env = _env(HOME=None, SUMMARIZE_OUTPUT_DIR=str(tmp_path / "out"), SUMMARIZE_MODELS_DIR=str(tmp_path / "models"))
    result = _summarize("run", "--lang", "id", "--summarizer", "extractive", "-q", str(SEEDS), env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "seeds" / "briefing.json").is_file()


def test_language_model_needs_no_temp_space(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(30, "Read-only file system")

    for name in ("TemporaryFile", "NamedTemporaryFile", "mkstemp", "mkdtemp"):
        monkeypatch.setattr(tempfile, name, refuse)
    language._full_identifier.cache_clear()
    language._en_id_identifier.cache_clear()
    try:
        assert (
            language.detect_language("Pemerintah mengumumkan bantuan baru bagi warga yang terdampak banjir.")[0] == "id"
        )
        assert language.is_english_sentence("The government said that it will help all of the people there.")
    finally:
        language._full_identifier.cache_clear()
        language._en_id_identifier.cache_clear()


def test_inspect_writes_nothing_at_all() -> None:
    """Under a file-size limit of 0 bytes any write fails with EFBIG: inspect still works, so no
    temp file (the language model's included) is needed to read a folder."""

    def no_writes() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))

    result = _summarize("inspect", str(SEEDS), env=_env(TMPDIR="/nonexistent"), preexec_fn=no_writes)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
