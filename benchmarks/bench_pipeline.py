"""Whole-run speed benchmark: `summarize seeds/ --lang en` with the default models at their exact size.

Not a test. Builds random-weight models of the exact published architectures (notes/models.md §9):
opus-mt-id-en and Qwen2.5-1.5B-Instruct, each with a real tokenizer trained on the seeds, and
saves them as a model store (safetensors + manifest). The run then goes through the real loader
and the real pipeline (load_folder -> ModelSession -> brief_folder, as `summarize run` does) in a
fresh process with an empty cache. Random weights never stop on their own, so output lengths are
forced: translations 1.15 x the source tokens (as bench_translate.py), exactly 120 new tokens per
article summary and 250 for the briefing.

Two quirks of random weights are neutralised so that they cost what real weights cost and no
more: only ids the tokenizers can decode are ever chosen (the Marian placeholder ids get a -1e4
output bias; the Qwen embedding rows past the tokenizer are zero, so their logit is 0 and never
the argmax). Greedy random weights also loop, which real ones rarely do, so by default the
translation guard's anti-repetition retry is skipped and counted (--retries keeps it).

    /work/venv/bin/python benchmarks/bench_pipeline.py [--workdir /tmp/bench_pipeline]
    /work/venv/bin/python benchmarks/bench_pipeline.py --folders   # the "batch folders" question

Progress goes to stderr, the raw figures (JSON) to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "tests")]

import bench_translate  # noqa: E402  (the Marian builder, machine() and peak_rss_mib())

TRANSLATOR = "opus-mt-id-en"
SUMMARIZER = "qwen2.5-1.5b-instruct"
BENCH_REVISION = "bench-random"
# notes/models.md §9, QWEN25_15B: the Qwen2.5-1.5B-Instruct architecture, exactly.
QWEN25_15B = dict(
    hidden_size=1536,
    intermediate_size=8960,
    num_hidden_layers=28,
    num_attention_heads=12,
    num_key_value_heads=2,
    tie_word_embeddings=True,
    vocab_size=151936,
    max_position_embeddings=32768,
    rms_norm_eps=1e-6,
    rope_theta=1e6,
    hidden_act="silu",
)
SUMMARY_NEW_TOKENS = 120
BRIEFING_NEW_TOKENS = 250


# --- prompts of real length -------------------------------------------------------------------
# Qwen2.5's vocabulary extends OpenAI's cl100k_base byte-level BPE; the benchmark tokenizes with
# cl100k_base itself (100,256 tokens, the copy the litellm wheel ships so that it works offline)
# and Qwen2's pre-tokenizer pattern (digits one by one), plus Qwen's three special tokens.
LITELLM_WHEEL = "litellm==1.110.2"
CL100K_FILE = "litellm/litellm_core_utils/tokenizers/9b5ad71b2ce5302211f9c61530b329a4922fc6a4"
QWEN_SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
# English words per Indonesian word in a translation. Indonesian has no articles, no tense
# auxiliaries and fewer prepositions than English, so English runs a little longer in words;
# an assumption, stated and printed with the token counts it gives (not measured here: no
# parallel corpus is on this machine).
ENGLISH_WORDS_PER_INDONESIAN_WORD = 1.1
# Plain English prose to cut the stand-in translations from (on every Debian machine).
ENGLISH_PROSE = Path("/usr/share/common-licenses/GPL-3")


def cl100k_ranks(work: Path) -> dict[bytes, int]:
    """cl100k_base's merge ranks, from the litellm wheel (downloaded once, no dependencies)."""
    import base64
    import zipfile

    wheels = work / "wheels"
    if not list(wheels.glob("litellm-*.whl")):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(wheels), LITELLM_WHEEL],
            check=True,
        )
    wheel = next(wheels.glob("litellm-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        lines = archive.read(CL100K_FILE).decode("ascii").split()
    return {base64.b64decode(token): int(rank) for token, rank in zip(lines[::2], lines[1::2], strict=True)}


def qwen_kind_vocabulary(work: Path) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """cl100k_base as a Hugging Face byte-level BPE (vocab, merges), Qwen's special tokens last."""
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    ranks = cl100k_ranks(work)
    byte_encoder = bytes_to_unicode()

    def as_text(token: bytes) -> str:
        return "".join(byte_encoder[b] for b in token)

    vocab = {as_text(token): rank for token, rank in ranks.items()}
    merges = []
    for token, rank in ranks.items():
        # Every split of a token into two tokens is a merge of the token's rank: byte-level BPE
        # then merges the pair of lowest rank first, as tiktoken does.
        splits = [(token[:i], token[i:]) for i in range(1, len(token)) if token[:i] in ranks and token[i:] in ranks]
        for left, right in sorted(splits, key=lambda pair: (ranks[pair[0]], ranks[pair[1]])):
            merges.append((rank, as_text(left), as_text(right)))
    for special in QWEN_SPECIALS:
        vocab[special] = len(vocab)
    return vocab, [(left, right) for _, left, right in sorted(merges)]


def english_stand_in(words: int, offset: int) -> str:
    """`words` words of English prose, starting `offset` words in (cycling)."""
    prose = ENGLISH_PROSE.read_text(encoding="utf-8").split()
    return " ".join(prose[(offset + i) % len(prose)] for i in range(words))


# --- the model store (parent process) ---------------------------------------------------------


def build_store(store: Path) -> None:
    import torch

    from summarizer.models.registry import REGISTRY
    from summarizer.models.store import write_manifest

    torch.set_num_threads(1)  # building is not measured; leave the other core to other work
    for name, build in ((TRANSLATOR, build_marian), (SUMMARIZER, build_qwen)):
        target = store / name
        if (target / "summarize-manifest.json").is_file():
            continue
        print(f"building random {name} in {target} ...", file=sys.stderr, flush=True)
        shutil.rmtree(target, ignore_errors=True)
        build(target)
        write_manifest(target, REGISTRY[name], BENCH_REVISION)


def build_marian(target: Path) -> None:
    import torch
    from transformers import MarianMTModel

    bench_translate.build_model(target)
    vocab = json.loads((target / "vocab.json").read_text("utf-8"))
    placeholders = [i for token, i in vocab.items() if token.startswith("<unused")]
    model = MarianMTModel.from_pretrained(target)
    with torch.no_grad():
        model.final_logits_bias[0, placeholders] = -1e4
    model.save_pretrained(target)


def build_qwen(target: Path) -> None:
    import torch
    from tiny_models import QWEN25_CHAT_TEMPLATE
    from transformers import GenerationConfig, Qwen2Config, Qwen2ForCausalLM, Qwen2Tokenizer

    vocab, merges = qwen_kind_vocabulary(target.parent)
    tokenizer = Qwen2Tokenizer(
        vocab=vocab,
        merges=merges,
        bos_token=None,
        unk_token=None,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        extra_special_tokens=["<|im_start|>", "<|im_end|>"],
        model_max_length=131072,
    )
    tokenizer.chat_template = QWEN25_CHAT_TEMPLATE
    endoftext, im_end = tokenizer.convert_tokens_to_ids(["<|endoftext|>", "<|im_end|>"])
    config = Qwen2Config(**QWEN25_15B, bos_token_id=endoftext, eos_token_id=im_end, dtype="bfloat16")
    torch.manual_seed(0)
    torch.set_default_dtype(torch.bfloat16)  # as published: bf16 safetensors (3.09 GB)
    try:
        model = Qwen2ForCausalLM(config)
    finally:
        torch.set_default_dtype(torch.float32)
    with torch.no_grad():  # tied: the output rows of undecodable ids go to 0 as well
        model.model.embed_tokens.weight[len(tokenizer) :] = 0
    # Qwen2.5-Instruct's generation_config.json, with this tokenizer's special ids.
    model.generation_config = GenerationConfig(
        bos_token_id=endoftext,
        pad_token_id=endoftext,
        do_sample=True,
        eos_token_id=[im_end, endoftext],
        repetition_penalty=1.1,
        temperature=0.7,
        top_p=0.8,
        top_k=20,
    )
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)


# --- the measured run (child process) ---------------------------------------------------------


class GenerateLog:
    """Wraps a model's generate() to record each call: batch, prompt tokens, new tokens, seconds."""

    def __init__(self, model) -> None:
        self.calls: list[dict] = []
        self._generate = model.generate
        # A seq2seq output starts with the decoder start token; a causal one with the prompt.
        self._seq2seq = bool(model.config.is_encoder_decoder)
        model.generate = self

    def __call__(self, *args, **kwargs):
        inputs = kwargs["input_ids"] if "input_ids" in kwargs else args[0]
        started = time.perf_counter()
        output = self._generate(*args, **kwargs)
        seconds = time.perf_counter() - started
        new = output.shape[1] - (1 if self._seq2seq else inputs.shape[1])
        mask = kwargs.get("attention_mask")
        rows = mask.sum(dim=1).tolist() if mask is not None else [int(inputs.shape[1])] * int(inputs.shape[0])
        self.calls.append(
            dict(
                batch=int(inputs.shape[0]),
                prompt_tokens=[int(r) for r in rows],
                input_tokens=int(inputs.shape[1]),
                new_tokens=int(new),
                seconds=round(seconds, 2),
            )
        )
        return output


class ChatLog:
    """Wraps a CTranslate2 chat model's generate_ids() to record each call like GenerateLog
    (CT2 takes the prompts unpadded: their longest and shortest lengths are recorded)."""

    def __init__(self, chat) -> None:
        self.calls: list[dict] = []
        self._generate_ids = chat.generate_ids
        chat.generate_ids = self

    def __call__(self, prompts: list[list[int]], new_tokens: int, *, exact: bool = False) -> list[list[int]]:
        lengths = [len(ids) for ids in prompts]
        started = time.perf_counter()
        output = self._generate_ids(prompts, new_tokens, exact=exact)
        seconds = time.perf_counter() - started
        self.calls.append(
            dict(
                batch=len(prompts),
                prompt_tokens=lengths,
                input_tokens=max(lengths),
                shortest_input=min(lengths),
                new_tokens=max(len(ids) for ids in output),
                seconds=round(seconds, 2),
            )
        )
        return output


class TranslateLog:
    """Wraps a translator (whichever engine the pipeline chose) to force its output lengths and
    record each translate() call. Greedy random weights loop, which real ones rarely do, so the
    degenerate-output guard would retry nearly every sentence and double the stage: unless
    `retries`, a retry gets the first attempt back (still flagged) and is counted instead."""

    def __init__(self, translator, retries: bool) -> None:
        self.calls: list[dict] = []
        self.skipped_retries = 0
        self._first: dict[str, str] = {}
        self._offset = 0
        self._translate = translator.translate
        self._retries = retries
        cap = translator.max_new_tokens_cap
        # CTranslate2 leaves Marian's forced final EOS out of its decoding length (see
        # CT2Translator._submit), so the same n tokens need a minimum one lower there.
        short = 0 if hasattr(translator, "loaded") else 1

        def forced(source_tokens: int) -> tuple[int, int]:
            n = min(bench_translate.forced_new_tokens(source_tokens), cap)
            return n - short, n

        translator.length_limits = forced
        translator.translate = self

    def _english(self, source: str) -> str:
        words = max(1, round(len(source.split()) * ENGLISH_WORDS_PER_INDONESIAN_WORD))
        self._offset += words
        return english_stand_in(words, self._offset - words)

    def __call__(self, texts: list[str], *, anti_repetition: bool = False) -> list[str]:
        if anti_repetition and not self._retries:
            self.skipped_retries += len(texts)
            return [self._first[t] for t in texts]
        started = time.perf_counter()
        outputs = self._translate(texts, anti_repetition=anti_repetition)
        self.calls.append(
            dict(sentences=len(texts), retry=anti_repetition, seconds=round(time.perf_counter() - started, 2))
        )
        # The translation is done and timed; what goes on to the summarizer is English text as
        # long as a real translation (random weights emit random pieces, which a byte-level BPE
        # cuts into about twice the tokens of English).
        outputs = [self._english(text) for text in texts]
        if not anti_repetition:
            self._first.update(zip(texts, outputs, strict=True))
        return outputs


def bench_session(options, retries: bool = False, restore_threads: bool = False):
    """The pipeline's own ModelSession (same factories, same engines), with the output lengths
    forced and each model's load time and generate calls recorded."""
    from dataclasses import replace

    from summarizer.run.pipeline import ModelSession

    class BenchSession(ModelSession):
        def __init__(self, options) -> None:
            super().__init__(options)
            self.load_seconds: dict[str, float] = {}
            self.logs: dict[str, GenerateLog | TranslateLog] = {}

        def translator(self):
            if self._translator is None:
                import torch

                threads = torch.get_num_threads()
                started = time.perf_counter()
                translator = super().translator()
                self.load_seconds["translator"] = time.perf_counter() - started
                # Opening a CTranslate2 translator sets the OpenMP thread count it shares with
                # torch (to its intra_threads): recorded, and undone with --restore-threads.
                self.torch_threads_around_translator_load = (threads, torch.get_num_threads())
                if restore_threads:
                    torch.set_num_threads(threads)
                self.logs["translator"] = TranslateLog(translator, retries)
            return self._translator

        def summarizer(self):
            if self._summarizer is None:
                started = time.perf_counter()
                summarizer = super().summarizer()
                self.load_seconds["summarizer"] = time.perf_counter() - started
                summarizer.settings = replace(
                    summarizer.settings,
                    summary_new_tokens=SUMMARY_NEW_TOKENS,
                    briefing_new_tokens=BRIEFING_NEW_TOKENS,
                    exact_new_tokens=True,
                )
                chat = summarizer.engine == "ctranslate2"
                engine = summarizer.chat
                self.logs["summarizer"] = ChatLog(engine) if chat else GenerateLog(engine.loaded.model)
            return self._summarizer

    return BenchSession(options)


def describe_translator(translator) -> dict:
    if hasattr(translator, "loaded"):
        loaded = translator.loaded
        return dict(
            engine="transformers",
            dtype=str(loaded.dtype),
            attention=loaded.model.config._attn_implementation,
            beams=translator.generation_config.num_beams,
        )
    return dict(
        engine="ctranslate2",
        compute_type=translator.compute_type,
        beams=translator.generation_config.num_beams,
        parallel_batches=translator.parallel_batches,
        threads=translator.threads,
    )


def describe_summarizer(summarizer) -> dict:
    loaded = summarizer.chat
    if summarizer.engine == "ctranslate2":
        return dict(engine="ctranslate2", compute_type=loaded.compute_type, batch_size=summarizer.settings.batch_size)
    loaded = loaded.loaded
    return dict(
        engine="transformers",
        dtype=str(loaded.dtype),
        attention=loaded.model.config._attn_implementation,
        batch_size=summarizer.settings.batch_size,
    )


def measure_run(
    store: Path, outputs: Path, threads: int | None, retries: bool, restore_threads: bool, engine: str = "auto"
) -> dict:
    started = time.perf_counter()
    import torch

    from summarizer.cache import CACHE_FILE_NAME, Cache
    from summarizer.ingest.folder import load_folder
    from summarizer.run.pipeline import RunOptions, brief_folder, check_options

    if threads:
        torch.set_num_threads(threads)
    timings = {"imports": time.perf_counter() - started}
    options = RunOptions(lang="en", models_dir=store, progress=False, engine=engine)
    check_options(options)
    mark = time.perf_counter()
    folder = load_folder(SEEDS)
    timings["ingest"] = time.perf_counter() - mark
    session = bench_session(options, retries, restore_threads)
    mark = time.perf_counter()
    translator, summarizer = session.translator(), session.summarizer()
    timings["model load"] = time.perf_counter() - mark
    cache = Cache(outputs / CACHE_FILE_NAME)
    try:
        outcome = brief_folder(folder, options, session, cache, outputs / folder.name)
    finally:
        cache.close()
    timings.update(
        {
            "summaries" if k == "summarize" else "briefing draft" if k == "briefing" else k: v
            for k, v in outcome.timings.items()
        }
    )
    timings["total in process"] = time.perf_counter() - started
    return dict(
        timings={k: round(v, 2) for k, v in timings.items()},
        load_seconds={k: round(v, 2) for k, v in session.load_seconds.items()},
        generate_calls={k: log.calls for k, log in session.logs.items()},
        articles=outcome.articles,
        sentences=outcome.sentences,
        translated=outcome.translated,
        translation_cache_hits=outcome.translation_cache_hits,
        summaries_cached=outcome.summaries_cached,
        flags=outcome.flags,
        points=outcome.points,
        translation_retries=retries,
        skipped_retries=session.logs["translator"].skipped_retries,
        translator=describe_translator(translator),
        summarizer=describe_summarizer(summarizer),
        device=str(getattr(summarizer.chat, "device", None) or summarizer.chat.loaded.device),
        torch_threads=torch.get_num_threads(),
        torch_threads_before_after_translator_load=session.torch_threads_around_translator_load,
        restore_threads=restore_threads,
        peak_rss_mib=round(bench_translate.peak_rss_mib()),
        engine_option=engine,
        omp_wait_policy=os.environ.get("OMP_WAIT_POLICY", "(unset)"),
    )


def prepare_models(store: Path, engine: str = "auto") -> dict:
    """The one-time step after `models pull`: the first use converts the models for CTranslate2."""
    from summarizer.run.pipeline import ModelSession, RunOptions

    session = ModelSession(RunOptions(lang="en", models_dir=store, progress=False, engine=engine))
    started = time.perf_counter()
    translator = session.translator()
    translator_seconds = time.perf_counter() - started
    summarizer = session.summarizer()
    return dict(
        seconds=round(time.perf_counter() - started, 2),
        translator_seconds=round(translator_seconds, 2),
        translator=describe_translator(translator),
        summarizer=describe_summarizer(summarizer),
    )


def measure_translate(store: Path, folder_path: Path, threads: int | None) -> dict:
    """Translate each folder in turn with one model (the `--folders` experiment)."""
    started = time.perf_counter()
    import torch

    from summarizer.ingest.folder import load_folder
    from summarizer.run.pipeline import RunOptions
    from summarizer.translate.articles import translate_articles

    if threads:
        torch.set_num_threads(threads)
    session = bench_session(RunOptions(lang="en", models_dir=store, progress=False))
    mark = time.perf_counter()
    translator = session.translator()
    load = time.perf_counter() - mark
    per_folder = {}
    for path in sorted(p for p in folder_path.iterdir() if p.is_dir()):
        mark = time.perf_counter()
        translate_articles(load_folder(path).articles, translator, cache=None, progress=False)
        per_folder[path.name] = round(time.perf_counter() - mark, 2)
    return dict(
        load=round(load, 2),
        translate=per_folder,
        torch_threads=torch.get_num_threads(),
        total_in_process=round(time.perf_counter() - started, 2),
        peak_rss_mib=round(bench_translate.peak_rss_mib()),
    )


# --- driver (parent process) ------------------------------------------------------------------


def busy_cores(seconds: float = 3.0) -> float:
    """How many cores other work kept busy over the last few seconds (from /proc/stat)."""

    def sample() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = values[3] + values[4]
        return sum(values) - idle, sum(values)

    busy0, total0 = sample()
    time.sleep(seconds)
    busy1, total1 = sample()
    return round((busy1 - busy0) / max(total1 - total0, 1) * (os.cpu_count() or 1), 2)


def cpu_seconds() -> tuple[float, float]:
    """(all busy CPU seconds on the machine, CPU seconds of this process's finished children)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    busy = (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return busy, children.ru_utime + children.ru_stime


def child(args: list[str], env: dict[str, str] | None = None) -> tuple[dict, float]:
    """Run this script in a fresh process; its JSON result and its wall time, start to exit.
    The result also says how many cores OTHER work kept busy meanwhile (0 = a quiet machine)."""
    busy0, ours0 = cpu_seconds()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, *args],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    wall = time.perf_counter() - started
    busy1, ours1 = cpu_seconds()
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["other_busy_cores_during"] = round(max(0.0, (busy1 - busy0) - (ours1 - ours0)) / wall, 2)
    return result, wall


def cpu_hog() -> subprocess.Popen:
    """Other work on the machine: one process that keeps one core busy, and stops when this
    benchmark does, however it ends (a killed benchmark must not leave it spinning)."""
    spin = "import os\nparent = os.getppid()\nwhile os.getppid() == parent:\n    pass\n"
    return subprocess.Popen([sys.executable, "-c", spin])


def run_pipeline(
    store: Path,
    work: Path,
    threads: int | None,
    retries: bool,
    restore_threads: bool,
    engine: str = "auto",
    env: dict[str, str] | None = None,
    hog: bool = False,
) -> dict:
    outputs = work / "outputs"
    shutil.rmtree(outputs, ignore_errors=True)  # an empty cache: a first run
    outputs.mkdir(parents=True)
    quiet = busy_cores()
    command = ["--measure", "run", "--store", str(store), "--outputs", str(outputs)]
    command += ["--threads", str(threads)] if threads else []
    command += ["--restore-threads"] if restore_threads else []
    command += ["--engine", engine]
    hogging = cpu_hog() if hog else None
    try:
        result, wall = child(command + (["--retries"] if retries else []), env)
    finally:
        if hogging is not None:
            hogging.kill()
            hogging.wait()
    result.update(whole_run_wall=round(wall, 2), busy_cores_before=quiet, cpu_hog=hog)
    for stage, seconds in result["timings"].items():
        print(f"  {stage:>18}: {seconds:7.1f} s", file=sys.stderr)
    print(
        f"  {'whole process':>18}: {wall:7.1f} s   peak RSS {result['peak_rss_mib']} MiB, "
        f"{result['translator']}, {result['summarizer']}, torch threads "
        f"{result['torch_threads_before_after_translator_load']} before/after opening the translator, "
        f"{result['torch_threads']} at the end; other work: {quiet} cores before, "
        f"{result['other_busy_cores_during']} during",
        file=sys.stderr,
    )
    for call in result["generate_calls"].get("summarizer", []):
        print(
            f"  summarizer call: {call['batch']} prompt(s) of {call['prompt_tokens']} tokens, "
            f"{call['new_tokens']} new, {call['seconds']} s",
            file=sys.stderr,
        )
    return result


PASSIVE_WAIT = {"OMP_WAIT_POLICY": "PASSIVE"}
# Each variant is a whole `summarize seeds/ --lang en` in a fresh process with an empty cache.
VARIANTS: dict[str, dict] = {
    "previous": dict(
        engine="ctranslate2",
        what="the previous default: CTranslate2 int8 for both models, a summary call per prompt length",
    ),
    "default": dict(engine="auto", what="the default now (--engine auto)"),
    "default-busy": dict(engine="auto", hog=True, what="the default now, one core busy with other work"),
    "default-passive": dict(engine="auto", env=PASSIVE_WAIT, what="the default now, OMP_WAIT_POLICY=PASSIVE"),
    "default-passive-busy": dict(
        engine="auto", env=PASSIVE_WAIT, hog=True, what="OMP_WAIT_POLICY=PASSIVE, one core busy with other work"
    ),
    "previous-busy": dict(engine="ctranslate2", hog=True, what="the previous default, one core busy"),
}
TARGET_MODEL_STAGES_RATIO = 0.4
TARGET_WHOLE_RUN_RATIO = 0.5
TARGET_BUSY_RATIO = 1.5
TARGET_PEAK_RSS_MIB = 4096


def run_variants(store: Path, work: Path, args: argparse.Namespace, names: list[str]) -> dict:
    """The variants one after another in this run, and the `compare` object of the targets."""
    runs = {}
    for name in names:
        variant = VARIANTS[name]
        print(f"--- {name}: {variant['what']}", file=sys.stderr, flush=True)
        runs[name] = run_pipeline(
            store,
            work,
            args.threads,
            args.retries,
            args.restore_threads,
            engine=variant["engine"],
            env=variant.get("env"),
            hog=variant.get("hog", False),
        )
        runs[name]["what"] = variant["what"]
    return dict(variants=runs, compare=compare(runs))


def compare(runs: dict[str, dict]) -> dict:
    def model_stages(run: dict) -> float:
        return round(run["timings"]["summaries"] + run["timings"]["briefing draft"], 2)

    result: dict = {}
    if "default" in runs and "previous" in runs:
        new, old = runs["default"], runs["previous"]
        result.update(
            model_stages_s=model_stages(new),
            previous_default_model_stages_s=model_stages(old),
            whole_run_s=new["whole_run_wall"],
            previous_default_whole_run_s=old["whole_run_wall"],
        )
        result["model_stages_ratio"] = round(result["model_stages_s"] / result["previous_default_model_stages_s"], 3)
        result["whole_run_ratio"] = round(result["whole_run_s"] / result["previous_default_whole_run_s"], 3)
        result["peak_rss_mib"] = new["peak_rss_mib"]
        result["targets_met"] = {
            f"model stages <= {TARGET_MODEL_STAGES_RATIO} x previous": result["model_stages_ratio"]
            <= TARGET_MODEL_STAGES_RATIO,
            f"whole run <= {TARGET_WHOLE_RUN_RATIO} x previous": result["whole_run_ratio"] <= TARGET_WHOLE_RUN_RATIO,
            f"peak RSS <= {TARGET_PEAK_RSS_MIB} MiB": new["peak_rss_mib"] <= TARGET_PEAK_RSS_MIB,
        }
    for quiet, busy in (
        ("default", "default-busy"),
        ("default-passive", "default-passive-busy"),
        ("previous", "previous-busy"),
    ):
        if quiet in runs and busy in runs:
            ratio = round(runs[busy]["whole_run_wall"] / runs[quiet]["whole_run_wall"], 3)
            result[f"{busy}_vs_{quiet}_whole_run_ratio"] = ratio
            if quiet == "default":
                result.setdefault("targets_met", {})[f"one core busy: whole run <= {TARGET_BUSY_RATIO} x quiet"] = (
                    ratio <= TARGET_BUSY_RATIO
                )
    print(json.dumps(result, indent=2), file=sys.stderr)
    return result


def split_seeds(root: Path) -> Path:
    """The five seeds as two story folders of about equal length."""
    shutil.rmtree(root, ignore_errors=True)
    files = sorted(SEEDS.glob("*.txt"), key=lambda p: -len(p.read_text("utf-8").split()))
    halves: list[list[Path]] = [[], []]
    for path in files:  # longest first into the lighter half
        lighter = min(halves, key=lambda h: sum(len(p.read_text("utf-8").split()) for p in h))
        lighter.append(path)
    for n, half in enumerate(halves, 1):
        (root / f"story{n}").mkdir(parents=True)
        for path in half:
            shutil.copy(path, root / f"story{n}" / path.name)
    return root


def run_folders(store: Path, work: Path) -> dict:
    """Two story folders: one process with 2 threads one after the other, vs two 1-thread
    processes side by side (each with its own model)."""
    stories = split_seeds(work / "stories")
    quiet = busy_cores()
    sequential, sequential_wall = child(
        ["--measure", "translate", "--store", str(store), "--folder", str(stories), "--threads", "2"]
    )
    parallel_quiet = busy_cores()
    started = time.perf_counter()
    processes = []
    for story in sorted(stories.iterdir()):
        single = work / f"single-{story.name}"
        shutil.rmtree(single, ignore_errors=True)
        single.mkdir()
        os.symlink(story, single / story.name)
        command = [
            sys.executable,
            __file__,
            "--measure",
            "translate",
            "--store",
            str(store),
            "--folder",
            str(single),
            "--threads",
            "1",
        ]
        processes.append(subprocess.Popen(command, stdout=subprocess.PIPE, text=True))
    parallel = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in processes]
    parallel_wall = time.perf_counter() - started
    result = dict(
        sequential=dict(sequential, wall=round(sequential_wall, 2), busy_cores_before=quiet),
        parallel=dict(processes=parallel, wall=round(parallel_wall, 2), busy_cores_before=parallel_quiet),
    )
    print(
        f"  one process, 2 threads, folders in turn: {sequential_wall:.1f} s wall "
        f"(translate {sequential['translate']}, load {sequential['load']} s)",
        file=sys.stderr,
    )
    print(
        f"  two processes, 1 thread each, side by side: {parallel_wall:.1f} s wall "
        f"({[p['translate'] for p in parallel]})",
        file=sys.stderr,
    )
    return result


def versions() -> str:
    import torch
    import transformers

    return f"torch {torch.__version__}, transformers {transformers.__version__}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, help="keep the built models here (default: a temp dir)")
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's own, as the CLI)")
    parser.add_argument(
        "--retries",
        action="store_true",
        help="let the translation guard retry looping (random) output, as it would",
    )
    parser.add_argument(
        "--restore-threads",
        action="store_true",
        help="set torch's threads back after the translator is opened (see torch_threads_* in the output)",
    )
    parser.add_argument("--folders", action="store_true", help="measure the batch-folders question instead")
    parser.add_argument(
        "--variants",
        default=",".join(VARIANTS),
        help=f"which runs, side by side in this order (default: all of {', '.join(VARIANTS)})",
    )
    parser.add_argument("--engine", default="auto", help=argparse.SUPPRESS)
    parser.add_argument("--measure", choices=["prepare", "run", "translate"], help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--outputs", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure == "run":
        print(
            json.dumps(
                measure_run(args.store, args.outputs, args.threads, args.retries, args.restore_threads, args.engine)
            )
        )
        return
    if args.measure == "prepare":
        print(json.dumps(prepare_models(args.store, args.engine)))
        return
    if args.measure == "translate":
        print(json.dumps(measure_translate(args.store, args.folder, args.threads)))
        return
    with tempfile.TemporaryDirectory() as scratch:
        work = args.workdir or Path(scratch)
        store = work / "models"
        build_store(store)
        # Both engines' one-time conversions happen here, not in a measured run.
        child(["--measure", "prepare", "--store", str(store), "--engine", "ctranslate2"])
        prepared, _ = child(["--measure", "prepare", "--store", str(store)])
        print(
            f"models ready in {prepared['seconds']} s (translator {prepared['translator_seconds']} s; a one-time "
            f"conversion on first use, if any): {prepared['translator']}, {prepared['summarizer']}",
            file=sys.stderr,
            flush=True,
        )
        print(f"{versions()}; {bench_translate.machine()}", file=sys.stderr, flush=True)
        if args.folders:
            result = run_folders(store, work)
        else:
            result = run_variants(store, work, args, args.variants.split(","))
        result.update(
            model_preparation=prepared,
            machine=bench_translate.machine(),
            versions=versions(),
            date=time.strftime("%Y-%m-%d %H:%M %Z"),
        )
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
