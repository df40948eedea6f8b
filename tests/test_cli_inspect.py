"""`summarize inspect` through the real command line entry point."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from summarizer.cli import app, route

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, route(list(args)), catch_exceptions=False)


def test_inspect_seeds_shows_metadata_removals_and_clusters(seeds_dir):
    result = invoke("inspect", str(seeds_dir))
    assert result.exit_code == 0
    out = result.output
    assert "5 articles, 0 skipped" in out
    assert "[related-headlines] '- Sekuritas Ini Revisi" in out
    assert "[dateline -> place,outlet] 'KONTAN.CO.ID - JAKARTA. '" in out
    assert "[credit -> editor] 'Editor: Handoyo .'" in out
    assert "original: 001_4608beaca02b4922.txt" in out
    assert "copy: 000_04288ddc473c17d6.txt" in out


def test_inspect_json_is_the_same_data(seeds_dir):
    result = invoke("inspect", str(seeds_dir), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [a["id"] for a in data["articles"]][:2] == ["000_04288ddc473c17d6.txt", "001_4608beaca02b4922.txt"]
    kontan = data["articles"][3]
    assert kontan["metadata"]["editor"] == "Handoyo"
    assert kontan["paragraphs"][0]["sentences"][0]["id"] == "003_a6e29feac7495037.txt:1:1"
    assert data["clusters"][0]["original"] == "001_4608beaca02b4922.txt"


def test_inspect_reports_bad_files_and_exits_partial(tmp_path, seeds_dir):
    (tmp_path / "good.txt").write_text((seeds_dir / "004_cf0cacba1d35eebe.txt").read_text())
    (tmp_path / "empty.txt").write_text("   \n")
    result = invoke("inspect", str(tmp_path))
    assert result.exit_code == 1
    assert "1 articles, 1 skipped" in result.stdout
    assert "summarize: warning: skipped empty.txt:" in result.stderr


def test_inspect_folder_without_articles_is_one_line_error(tmp_path):
    result = invoke("inspect", str(tmp_path))
    assert result.exit_code == 3
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("summarize: error: no article files in")


def test_inspect_missing_folder_is_one_line_error(tmp_path):
    result = invoke("inspect", str(tmp_path / "nope"))
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    assert result.stderr.startswith("summarize: error:")


def test_python_dash_m_entry_point_runs(seeds_dir):
    completed = subprocess.run(
        [sys.executable, "-m", "summarizer", "inspect", str(seeds_dir), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert len(json.loads(completed.stdout)["articles"]) == 5


def test_models_list_works_offline_and_marks_licences_and_pins(tmp_path):
    result = invoke("models", "list", "--models-dir", str(tmp_path))
    assert result.exit_code == 0
    lines = {line.split()[0]: line for line in result.stdout.splitlines()[1:] if line.strip()}
    assert "NON-COMMERCIAL" in lines["nllb-200-distilled-600M"] and "NON-COMMERCIAL" in lines["mt5-xlsum"]
    assert "main*" in lines["opus-mt-id-en"] and "a4f8f3e" in lines["distilbart-cnn-12-6"]
    assert " no " in lines["opus-mt-id-en"]
    assert "built-in" in lines["extractive"]


def test_models_remove_of_missing_model_is_one_line(tmp_path):
    result = invoke("models", "remove", "opus-mt-id-en", "--models-dir", str(tmp_path))
    assert result.exit_code == 4
    assert result.stderr.startswith("summarize: error:") and result.stderr.count("\n") == 1


def test_models_pull_of_unknown_name_lists_the_known_ones(tmp_path):
    result = invoke("models", "pull", "gpt-5", "--models-dir", str(tmp_path))
    assert result.exit_code == 4
    assert "opus-mt-id-en" in result.stderr and "Traceback" not in result.output
