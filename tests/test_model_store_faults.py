"""Model store faults: a damaged model is found before any article is briefed, reported in one
line naming the model and a fix that works, and names never reach outside the models folder.

Each fault is injected into a store of tiny models (tests/tiny_models.py) and run through the
CLI; the fix the error line suggests is then run as typed (against the local test hub) and the
briefing must go through.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from local_hub import LocalHub
from typer.testing import CliRunner, Result

from summarizer.cli import app, route
from summarizer.models.ct2_convert import STAMP_NAME, copy_problem
from summarizer.models.registry import REGISTRY
from summarizer.models.store import MANIFEST_NAME, resolve_model, verify_model

TRANSLATOR, SUMMARIZER = "opus-mt-id-en", "qwen2.5-1.5b-instruct"
ROOT = Path(__file__).resolve().parent.parent
STORIES = ("000_04288ddc473c17d6.txt", "003_a6e29feac7495037.txt")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, route(list(args)), catch_exceptions=False)


def one_error_line(result: Result, code: int) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("summarize: error:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


@pytest.fixture
def story(tmp_path: Path, seeds_dir: Path) -> Path:
    folder = tmp_path / "banjir"
    folder.mkdir()
    for name in STORIES:
        shutil.copy(seeds_dir / name, folder / name)
    return folder


@pytest.fixture
def store(tiny_models_for, tmp_path: Path) -> Path:
    """A private store holding the two default models (as pulled, without conversions)."""
    source = tiny_models_for(TRANSLATOR, SUMMARIZER)
    target = tmp_path / "models"
    for name in (TRANSLATOR, SUMMARIZER):
        shutil.copytree(source / name, target / name, ignore=shutil.ignore_patterns("ctranslate2-*", ".*"))
    return target


@pytest.fixture
def hub(local_hub: LocalHub, tiny_models_for) -> LocalHub:
    """The tiny default models published on the local hub, so a suggested pull can be run."""
    for name in (TRANSLATOR, SUMMARIZER):
        spec = REGISTRY[name]
        folder = tiny_models_for(name) / name
        local_hub.add_model_folder(spec.repo_id, folder, commit=spec.revision if spec.pinned else None)
    return local_hub


def brief(story: Path, store: Path, out: Path, model: str) -> Result:
    """Brief `story` needing only `model`: the translator (English, extractive summaries) or the
    summarizer (Indonesian, from the originals)."""
    needs = ["--lang", "en", "--summarizer", "extractive"] if model == TRANSLATOR else ["--lang", "id"]
    return invoke("run", str(story), *needs, "--models-dir", str(store), "-o", str(out), "-q")


def assert_nothing_briefed(out: Path) -> None:
    """No output folder, no translation cached, and the run on record as failed before any folder."""
    assert not (out / "banjir").exists()
    database = out / "summarize.sqlite3"
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM translations").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM run_folders").fetchone()[0] == 0
    runs = json.loads(invoke("status", "-o", str(out), "--json").stdout)["runs"]
    assert runs[0]["status"] == "failed"


def run_fix(line: str) -> None:
    """Run the commands after "fix: " in an error line, as a user would type them."""
    fix = line.split("fix: ", 1)[1].split(" (", 1)[0]
    for command in fix.split(" && "):
        words = shlex.split(command)
        assert words[0] == "summarize", line
        result = invoke(*words[1:])
        assert result.exit_code == 0, (command, result.output)


# --- each fault: found up front, one line, the fix works ------------------------------------------


def truncate_weights(model: Path) -> str:
    weights = model / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    return "model.safetensors is cut short"


def zero_weights_header(model: Path) -> str:
    weights = model / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[8:64] = bytes(56)
    weights.write_bytes(bytes(data))
    return "model.safetensors has a damaged header"


def delete_source_spm(model: Path) -> str:
    (model / "source.spm").unlink()
    return "source.spm is missing"


def delete_tokenizer_json(model: Path) -> str:
    (model / "tokenizer.json").unlink()
    return "tokenizer.json is missing"


def garbage_config(model: Path) -> str:
    (model / "config.json").write_text("<html>502 Bad Gateway</html>", encoding="utf-8")
    return "config.json is not valid JSON"


def config_of_another_family(model: Path) -> str:
    config = json.loads((model / "config.json").read_text(encoding="utf-8"))
    (model / "config.json").write_text(json.dumps({**config, "model_type": "qwen2"}), encoding="utf-8")
    return "config.json describes a qwen2 model, not a marian one"


def garbage_manifest(model: Path) -> str:
    (model / MANIFEST_NAME).write_bytes(b"\x00\x01 not json")
    return f"{MANIFEST_NAME} is not valid JSON"


def shrink_generation_config(model: Path) -> str:
    # A file the family does not need, cut short: only the manifest's sizes can tell.
    (model / "generation_config.json").write_text("{}", encoding="utf-8")
    return "generation_config.json is 2 bytes; it was"


def weights_link_out_of_the_store(model: Path) -> str:
    outside = model.parent.parent / "elsewhere.safetensors"
    shutil.move(model / "model.safetensors", outside)
    (model / "model.safetensors").symlink_to(outside)
    return "model.safetensors is a symbolic link out of the model folder"


def model_folder_link_out_of_the_store(model: Path) -> str:
    outside = model.parent.parent / "outside-copy"
    shutil.move(model, outside)
    model.symlink_to(outside)
    return f"it is a symbolic link (to {outside})"


def file_in_place_of_the_model(model: Path) -> str:
    shutil.rmtree(model)
    model.write_text("not a model", encoding="utf-8")
    return "it is a file, not a model folder"


FAULTS: list[tuple[Callable[[Path], str], str]] = [
    (truncate_weights, TRANSLATOR),
    (zero_weights_header, TRANSLATOR),
    (delete_source_spm, TRANSLATOR),
    (delete_tokenizer_json, SUMMARIZER),
    (garbage_config, TRANSLATOR),
    (config_of_another_family, TRANSLATOR),
    (garbage_manifest, SUMMARIZER),
    (shrink_generation_config, SUMMARIZER),
    (weights_link_out_of_the_store, TRANSLATOR),
    (model_folder_link_out_of_the_store, TRANSLATOR),
    (file_in_place_of_the_model, SUMMARIZER),
]


@pytest.mark.parametrize(("damage", "model"), FAULTS, ids=[damage.__name__ for damage, _ in FAULTS])
def test_a_damaged_model_stops_the_run_before_any_article_with_a_fix_that_works(
    damage: Callable[[Path], str], model: str, story: Path, store: Path, hub: LocalHub, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    problem = damage(store / model)

    line = one_error_line(brief(story, store, out, model), 4)
    assert f"model '{model}'" in line and problem in line
    assert "fix: summarize models " in line
    assert_nothing_briefed(out)
    assert hub.requests == []  # nothing was fetched implicitly

    run_fix(line)
    again = brief(story, store, out, model)
    assert again.exit_code == 0, again.output
    assert (out / "banjir" / "briefing.md").is_file()
    assert verify_model(model, store).path == store / model


def test_remove_then_pull_also_repairs_a_damaged_model(story: Path, store: Path, hub: LocalHub, tmp_path: Path):
    truncate_weights(store / TRANSLATOR)
    for command in ("remove", "pull"):
        result = invoke("models", command, TRANSLATOR, "--models-dir", str(store))
        assert result.exit_code == 0, result.output
    assert brief(story, store, tmp_path / "out", TRANSLATOR).exit_code == 0


def test_a_link_in_a_models_place_is_never_followed_and_remove_deletes_only_the_link(
    story: Path, store: Path, hub: LocalHub, tmp_path: Path
) -> None:
    outside = tmp_path / "outside-copy"
    model_folder_link_out_of_the_store(store / TRANSLATOR)
    before = sorted((p.name, p.stat().st_size) for p in outside.iterdir())

    line = one_error_line(brief(story, store, tmp_path / "out", TRANSLATOR), 4)
    assert f"summarize models remove {TRANSLATOR}" in line
    # Nothing was converted or written into the folder the link points to.
    assert sorted((p.name, p.stat().st_size) for p in outside.iterdir()) == before
    pull = invoke("models", "pull", TRANSLATOR, "--models-dir", str(store), "-q")
    assert "symbolic link" in one_error_line(pull, 4)

    removed = invoke("models", "remove", TRANSLATOR, "--models-dir", str(store))
    assert removed.exit_code == 0
    assert removed.stdout == f"removed the link {TRANSLATOR} (it pointed to {outside}; nothing there was deleted)\n"
    assert not os.path.lexists(store / TRANSLATOR)
    assert sorted((p.name, p.stat().st_size) for p in outside.iterdir()) == before


def test_every_unusable_model_is_named_in_the_one_line(story: Path, store: Path, tmp_path: Path) -> None:
    truncate_weights(store / TRANSLATOR)
    delete_tokenizer_json(store / SUMMARIZER)
    out = tmp_path / "out"
    result = invoke("run", str(story), "--lang", "en", "--models-dir", str(store), "-o", str(out), "-q")
    line = one_error_line(result, 4)
    assert "2 models cannot be used" in line
    assert f"model '{TRANSLATOR}'" in line and f"model '{SUMMARIZER}'" in line
    assert_nothing_briefed(out)


def test_the_check_comes_before_the_first_of_several_folders(tmp_path: Path, store: Path, seeds_dir: Path) -> None:
    inbox = tmp_path / "inbox"
    for name in ("alpha", "beta"):
        shutil.copytree(seeds_dir, inbox / name)
    delete_source_spm(store / TRANSLATOR)
    out = tmp_path / "out"
    result = invoke("run", str(inbox), "--summarizer", "extractive", "--models-dir", str(store), "-o", str(out), "-q")
    one_error_line(result, 4)
    assert not (out / "alpha").exists() and not (out / "beta").exists()
    runs = json.loads(invoke("status", "-o", str(out), "--json").stdout)["runs"]
    assert runs[0]["status"] == "failed" and runs[0]["folders"] == []


def test_models_list_shows_a_damaged_model_and_its_fix(store: Path) -> None:
    truncate_weights(store / TRANSLATOR)
    result = invoke("models", "list", "--models-dir", str(store))
    assert result.exit_code == 0
    row = next(line for line in result.stdout.splitlines() if line.startswith(TRANSLATOR))
    assert row.split()[2:4] == ["yes", "damaged"]  # default, installed
    assert f"fix: summarize models pull {TRANSLATOR}" in result.stdout
    rows = {
        row["name"]: row for row in json.loads(invoke("models", "list", "--models-dir", str(store), "--json").stdout)
    }
    assert "cut short" in rows[TRANSLATOR]["problem"] and rows[SUMMARIZER]["problem"] == ""


def test_a_local_model_folder_with_a_damaged_file_is_one_line(story: Path, store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "my-finetune"
    shutil.copytree(store / TRANSLATOR, folder)
    (folder / MANIFEST_NAME).unlink()
    garbage_config(folder)
    out = tmp_path / "out"
    result = invoke("run", str(story), "--translator", str(folder), "--summarizer", "extractive", "-o", str(out), "-q")
    line = one_error_line(result, 4)
    assert f"model 'my-finetune' in {folder} cannot be used: config.json is not valid JSON" in line
    assert f"replace {folder} with a complete copy" in line


# --- a half-converted CTranslate2 copy: found up front, converted again ------------------------------


def half_converted(model: Path, how: str) -> str:
    """Leave `model`'s CTranslate2 copy as a conversion stopped half-way would (or a partial copy of
    a store); returns what the run must say about it."""
    from summarizer.models.ct2_convert import converted_dir

    target = converted_dir(resolve_model(TRANSLATOR, model.parent), "int8")
    weights = target / "model.bin"
    if how == "no-stamp":
        (target / STAMP_NAME).unlink()
        weights.write_bytes(weights.read_bytes()[:1000])
        return f"has no readable {STAMP_NAME} (a conversion stopped half-way)"
    if how == "cut-short":
        size = weights.stat().st_size
        weights.write_bytes(weights.read_bytes()[:1000])
        return f"has model.bin at 1,000 bytes instead of {size:,}"
    assert how == "scratch-only"
    shutil.rmtree(target)
    scratch = model / ".ctranslate2-int8.k1ll3d00" / "model"
    scratch.mkdir(parents=True)
    (scratch / "model.bin").write_bytes(b"the first bytes of a model")
    return "was stopped before it finished"


@pytest.mark.parametrize("how", ["no-stamp", "cut-short", "scratch-only"])
def test_a_half_converted_copy_is_found_up_front_and_converted_again(
    how: str, story: Path, store: Path, tmp_path: Path
) -> None:
    said = half_converted(store / TRANSLATOR, how)
    out = tmp_path / "out"
    result = invoke("run", str(story), "--summarizer", "extractive", "--models-dir", str(store), "-o", str(out))
    assert result.exit_code == 0, result.output
    warning = next(line for line in result.stderr.splitlines() if "converted again" in line)
    assert TRANSLATOR in warning and said in warning
    assert result.stderr.index(warning) < result.stderr.index("loading the translator")  # before any article
    assert copy_problem(resolve_model(TRANSLATOR, store), "int8") is None
    assert [p.name for p in (store / TRANSLATOR).iterdir() if p.is_dir()] == ["ctranslate2-int8"]
    assert (out / "banjir" / "briefing.md").is_file()


# --- unreadable store (real permissions; as root, without the capability that overrides them) -----


def _without_permission_override() -> None:
    """In the child before exec: root loses CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, so file
    permissions apply to it as to anyone."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    preexec = _without_permission_override if os.geteuid() == 0 else None
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=preexec,  # noqa: PLW1509  (no threads are started before it)
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("locked", ["models-folder", "model-folder", "weights-file"])
def test_an_unreadable_store_is_one_line_naming_the_model_and_chmod_fixes_it(
    locked: str, story: Path, store: Path, tmp_path: Path
) -> None:
    target = {
        "models-folder": store,
        "model-folder": store / TRANSLATOR,
        "weights-file": store / TRANSLATOR / "model.safetensors",
    }[locked]
    mode = target.stat().st_mode
    out = tmp_path / "out"
    args = ["run", str(story), "--summarizer", "extractive", "--models-dir", str(store), "-o", str(out), "-q"]
    target.chmod(0)
    try:
        completed = run_cli(*args)
    finally:
        target.chmod(mode)
    assert completed.returncode == 4, completed.stderr
    assert "Traceback" not in completed.stderr
    (line,) = [line for line in completed.stderr.splitlines() if line.startswith("summarize: error:")]
    assert f"model '{TRANSLATOR}'" in line and "Permission denied" in line
    assert "fix: make it readable (chmod -R u+rwX " in line
    assert not (out / "banjir").exists()
    # The fix (permissions back) is enough.
    assert invoke(*args).exit_code == 0


# --- names never reach outside the models folder ----------------------------------------------


@pytest.fixture
def victim(store: Path) -> Path:
    """A complete model folder beside the store, which no name may reach."""
    folder = store.parent / "victim"
    shutil.copytree(store / TRANSLATOR, folder)
    return folder


def snapshot(folder: Path) -> list[tuple[str, int, int]]:
    return sorted((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*"))


HOSTILE_NAMES = ["../victim", "{victim}", "../../victim", "victim\x00", "victim\nfix: rm -rf ~", "", "."]


@pytest.mark.parametrize("command", ["pull", "remove"])
@pytest.mark.parametrize("raw", HOSTILE_NAMES)
def test_models_pull_and_remove_take_registered_names_only(
    command: str, raw: str, store: Path, victim: Path, hub: LocalHub
) -> None:
    name = raw.format(victim=victim)
    before_victim, before_store = snapshot(victim), snapshot(store)
    result = invoke("models", command, name, "--models-dir", str(store))
    line = one_error_line(result, 4)
    assert "unknown model" in line and result.stderr.count("\n") == 1  # escaped: one line
    assert snapshot(victim) == before_victim and snapshot(store) == before_store
    assert hub.requests == []


@pytest.mark.parametrize("raw", ["../victim", "victim", "victim\x00", "victim\nsecond line"])
def test_a_model_option_is_a_registered_name_or_a_path_never_joined_to_the_store(
    raw: str, story: Path, store: Path, victim: Path, tmp_path: Path, monkeypatch
) -> None:
    # Run from a folder where none of these names is a path, so only a lookup in the store could
    # find the victim beside it.
    elsewhere = tmp_path / "a" / "b"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    before = snapshot(victim)
    for option in ("--translator", "--summarizer"):
        result = invoke(
            "run", str(story), "--lang", "en", option, raw, "--models-dir", str(store), "-o", str(tmp_path / "o"), "-q"
        )
        line = one_error_line(result, 4)
        assert "unknown model" in line and result.stderr.count("\n") == 1  # escaped: one line
    assert snapshot(victim) == before


def test_a_model_folder_given_by_path_is_used_where_it_is(story: Path, store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "my-opus"
    shutil.copytree(store / TRANSLATOR, folder)
    result = invoke(
        "run", str(story), "--translator", str(folder), "--summarizer", "extractive", "-o", str(tmp_path / "o"), "-q"
    )
    assert result.exit_code == 0, result.output
    assert (folder / "ctranslate2-int8" / STAMP_NAME).is_file()  # converted beside it, as asked
    assert not (store / "my-opus").exists()


def test_a_link_in_the_download_area_is_never_written_or_deleted_through(
    store: Path, victim: Path, hub: LocalHub
) -> None:
    """<store>/.partial (downloads in progress) as a link out of the store is refused; a link at
    <store>/.partial/<name> is replaced by a real folder: the pull never writes through it."""
    before = snapshot(victim)
    partial = store / ".partial"
    partial.symlink_to(victim)
    for command in ("pull", "remove"):
        line = one_error_line(invoke("models", command, TRANSLATOR, "--models-dir", str(store)), 4)
        assert f"{partial} is a symbolic link" in line
    assert snapshot(victim) == before

    partial.unlink()
    partial.mkdir()
    (partial / SUMMARIZER).symlink_to(victim)
    shutil.rmtree(store / SUMMARIZER)
    assert invoke("models", "pull", SUMMARIZER, "--models-dir", str(store), "-q").exit_code == 0
    assert snapshot(victim) == before
    assert verify_model(SUMMARIZER, store).path == store / SUMMARIZER
