"""Translation speed benchmark: naive per-sentence generate() vs this project's default engine vs CTranslate2.

Not a test. Builds a random-weight MarianMTModel with the exact opus-mt-id-en architecture
(notes/models.md §9, MARIAN_ID_EN) and a SentencePiece tokenizer trained on the seeds, then
translates every seed sentence with beam 4 and the output length forced to 1.15 × the source
length (min == max new tokens, per batch), so random weights cost what real ones do.

Variants, each in its own subprocess so that peak RSS is per variant:
  a  one sentence per generate() call, fp32 (how most scripts do it)
  b  this project's default engine: summarizer.translate.factory.load_translator (engine "auto", which
     picks CTranslate2 int8 on CPU) driven by translate_articles over the seed articles, with
     the model converted the way the engine converts it (ctranslate2-int8/ in the model folder)
  c  plain CTranslate2 int8 on the same model, batches of 16 sentences (when ctranslate2 imports)
  d  the previous default engine, for reference: HFTranslator (torch, length-sorted token-budget
     batches, dtype chosen by summarizer.models.loading: bf16 on a CPU with AVX512-BF16/AMX)

    /work/venv/bin/python benchmarks/bench_translate.py [--variants abcd] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
# notes/models.md §9: the opus-mt-id-en architecture, exactly.
MARIAN_ID_EN = dict(
    d_model=512,
    encoder_layers=6,
    decoder_layers=6,
    encoder_attention_heads=8,
    decoder_attention_heads=8,
    encoder_ffn_dim=2048,
    decoder_ffn_dim=2048,
    vocab_size=54796,
    decoder_vocab_size=54796,
    max_position_embeddings=512,
    activation_function="swish",
    scale_embedding=True,
    share_encoder_decoder_embeddings=True,
    static_position_embeddings=True,
    normalize_embedding=False,
    pad_token_id=54795,
    decoder_start_token_id=54795,
    eos_token_id=0,
    bos_token_id=0,
    forced_eos_token_id=0,
)
SPM_VOCAB = 4000
BEAMS = 4
OUTPUT_RATIO = 1.15


def forced_new_tokens(source_tokens: int) -> int:
    return math.ceil(OUTPUT_RATIO * source_tokens)


# --- preparation (parent process) -------------------------------------------------------------


def seed_sentences() -> list[str]:
    """Every distinct sentence of the seed articles, as the pipeline segments them."""
    from summarizer.ingest.folder import load_folder

    folder = load_folder(SEEDS)
    return list(dict.fromkeys(s.text for a in folder.articles for s in a.sentences()))


def build_model(model_dir: Path) -> None:
    """The random-weight opus-mt-id-en stand-in, saved like a downloaded model."""
    import io

    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    model_dir.mkdir(parents=True, exist_ok=True)
    lines = [
        line.strip() for p in sorted(SEEDS.glob("*.txt")) for line in p.read_text("utf-8").splitlines() if line.strip()
    ]
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buffer,
        vocab_size=SPM_VOCAB,
        hard_vocab_limit=False,
        character_coverage=1.0,
        minloglevel=2,
    )
    processor = spm.SentencePieceProcessor(model_proto=buffer.getvalue())
    pieces = [
        processor.id_to_piece(i)
        for i in range(processor.get_piece_size())
        if not (processor.is_control(i) or processor.is_unknown(i))
    ]
    # opus-mt layout: </s>=0, <unk>=1, pieces, and <pad> at the very end of the 54,796 rows.
    vocab = {"</s>": 0, "<unk>": 1, **{p: i + 2 for i, p in enumerate(pieces)}}
    # Fill the rest of the real vocabulary size with placeholders (CTranslate2's converter
    # checks that the vocabulary matches the embedding rows; random weights emit any id).
    vocab |= {f"<unused{i}>": i for i in range(len(vocab), MARIAN_ID_EN["pad_token_id"])}
    vocab["<pad>"] = MARIAN_ID_EN["pad_token_id"]
    for name in ("source.spm", "target.spm"):
        (model_dir / name).write_bytes(buffer.getvalue())
    (model_dir / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    tokenizer = MarianTokenizer(
        source_spm=str(model_dir / "source.spm"),
        target_spm=str(model_dir / "target.spm"),
        vocab=str(model_dir / "vocab.json"),
        source_lang="id",
        target_lang="en",
        model_max_length=512,
    )
    torch.manual_seed(0)
    model = MarianMTModel(MarianConfig(**MARIAN_ID_EN))
    # The published generation settings (models.md §1.2/§4); from_config would give max_length 20.
    model.generation_config = GenerationConfig(
        bad_words_ids=[[54795]],
        bos_token_id=0,
        decoder_start_token_id=54795,
        eos_token_id=0,
        forced_eos_token_id=0,
        max_length=512,
        num_beams=6,
        pad_token_id=54795,
        renormalize_logits=True,
    )
    model.save_pretrained(model_dir)
    tokenizer.save_pretrained(model_dir)


def convert_ct2(model_dir: Path, ct2_dir: Path) -> bool:
    """c's model: converted with the plain converter, as a script would (False: no ctranslate2)."""
    try:
        import ctranslate2
    except ImportError:
        return False
    if (ct2_dir / "model.bin").exists():
        return True
    ctranslate2.converters.TransformersConverter(str(model_dir)).convert(str(ct2_dir), quantization="int8", force=True)
    return True


# --- variants (one subprocess each) -----------------------------------------------------------


def run_naive(model_dir: Path, sentences: list[str]) -> dict:
    import copy

    import torch
    from transformers import MarianMTModel, MarianTokenizer

    model = MarianMTModel.from_pretrained(model_dir, dtype=torch.float32).eval()
    tokenizer = MarianTokenizer.from_pretrained(model_dir)
    source_tokens = output_tokens = 0
    start = time.perf_counter()
    for text in sentences:
        encoded = tokenizer([text], return_tensors="pt")
        n = forced_new_tokens(encoded["input_ids"].shape[1])
        config = copy.deepcopy(model.generation_config)
        config.update(num_beams=BEAMS, max_length=n + 1, min_length=n + 1)
        with torch.inference_mode():
            generated = model.generate(**encoded, generation_config=config)
        source_tokens += encoded["input_ids"].shape[1]
        output_tokens += generated.shape[1] - 1
    return dict(
        seconds=time.perf_counter() - start,
        source_tokens=source_tokens,
        output_tokens=output_tokens,
        dtype="float32",
    )


def run_default_engine(model_dir: Path, sentences: list[str], budget: int, max_batch: int) -> dict:
    """b: what `summarize run` does, from load_translator through translate_articles."""
    from summarizer.translate.articles import translate_articles
    from summarizer.translate.factory import load_translator

    translator = load_translator(str(model_dir), device="cpu")
    if budget:
        translator.token_budget = budget
    if max_batch:
        translator.max_batch_size = max_batch
    # The engine ends one step early at the cap for a model that forces EOS there (Marian, as
    # transformers does); asking for n + 1 gives n decoding steps, the same work as a, c and d.
    translator.length_limits = lambda source_tokens: (
        forced_new_tokens(source_tokens),
        forced_new_tokens(source_tokens) + 1,
    )
    counter = _CountingEngine(translator.engine)
    translator.engine = counter
    suppressed = _run_guards_without_retries()
    start = time.perf_counter()
    translations = translate_articles([as_article(sentences)], translator, cache=None, progress=False)
    seconds = time.perf_counter() - start
    translated = {s.source for t in translations for s in t.sentences}
    assert translated == set(sentences), "b must translate exactly the sentences a and c do"
    flags: dict[str, int] = {}
    for sentence in (s for t in translations for s in t.sentences):
        for flag in sentence.flags:
            flags[flag.code] = flags.get(flag.code, 0) + 1
    return dict(
        seconds=seconds,
        source_tokens=sum(translator.token_counts(sentences)),
        output_tokens=counter.output_tokens,
        dtype=translator.compute_type,
        engine=type(translator).__name__,
        threads=translator.threads,
        token_budget=translator.token_budget,
        max_batch_size=translator.max_batch_size,
        batches=counter.calls,
        retried_sentences=counter.retried,
        retries_suppressed=suppressed[0],
        flags=flags,
    )


def as_article(sentences: list[str]):
    """The benchmark sentences as one Indonesian article, one paragraph each (so that --limit
    works too; the seeds have no English sentence, so none passes through untranslated)."""
    from summarizer.document import Article, Metadata, Paragraph, Sentence, SourceFile, sentence_id

    paragraphs = [
        Paragraph(i, "text", [Sentence(sentence_id("bench", i, 1), text)]) for i, text in enumerate(sentences, 1)
    ]
    return Article("bench", SourceFile("bench", "txt", "utf-8", "0"), Metadata(), "id", "id", paragraphs)


def _run_guards_without_retries() -> list[int]:
    """Random weights emit gibberish that the output guards rightly call degenerate, and the
    anti-repetition retry would then translate every sentence twice, which a real model rarely
    needs. The guards still run (their cost is timed); their verdict is counted, then ignored."""
    from summarizer.translate import articles as translate
    from summarizer.translate.guards import OutputCheck, check_output

    failed = [0]

    def check_then_pass(source: str, output: str) -> OutputCheck:
        failed[0] += not check_output(source, output).ok
        return OutputCheck((), 0.0)

    translate.check_output = check_then_pass
    return failed


class _CountingEngine:
    """Counts the tokens a ctranslate2.Translator emits (and the guard retries) for the report."""

    def __init__(self, engine) -> None:
        self.engine, self.output_tokens, self.calls, self.retried = engine, 0, 0, 0

    def translate_batch(self, sources, prefixes=None, **options):
        results = self.engine.translate_batch(sources, prefixes, **options)
        self.calls += 1
        if options.get("no_repeat_ngram_size"):
            self.retried += len(sources)
        return [_CountedResult(r, self) for r in results] if options.get("asynchronous") else self._count(results)

    def _count(self, results):
        self.output_tokens += sum(len(r.hypotheses[0]) for r in results)
        return results


class _CountedResult:
    def __init__(self, pending, counter: _CountingEngine) -> None:
        self.pending, self.counter = pending, counter

    def result(self):
        return self.counter._count([self.pending.result()])[0]


def run_torch_engine(model_dir: Path, sentences: list[str], budget: int, max_batch: int) -> dict:
    """d: the previous default, HFTranslator in torch (bf16 where the CPU has it)."""
    from summarizer.models.loading import load_model
    from summarizer.translate import articles
    from summarizer.translate.hf import HFTranslator

    class ForcedLength(HFTranslator):
        def length_limits(self, source_tokens: int) -> tuple[int, int]:
            n = forced_new_tokens(source_tokens)
            return n, n

    loaded = load_model(str(model_dir))
    translator = ForcedLength(loaded, num_beams=BEAMS, token_budget=budget, max_batch_size=max_batch)
    counted = {"output": 0}
    generate = loaded.model.generate

    def counting_generate(*args, **kwargs):
        out = generate(*args, **kwargs)
        counted["output"] += out.shape[0] * (out.shape[1] - 1)
        return out

    loaded.model.generate = counting_generate
    start = time.perf_counter()
    for chunk in articles._chunks(sentences, translator):
        translator.translate(chunk)
    seconds = time.perf_counter() - start
    return dict(
        seconds=seconds,
        source_tokens=sum(translator.token_counts(sentences)),
        output_tokens=counted["output"],
        dtype=str(loaded.dtype).replace("torch.", ""),
        token_budget=translator.token_budget,
        max_batch_size=translator.max_batch_size,
    )


def run_ct2(model_dir: Path, ct2_dir: Path, sentences: list[str], threads: int, budget: int, max_batch: int) -> dict:
    import ctranslate2
    from transformers import MarianTokenizer

    from summarizer.models.batching import plan_batches

    tokenizer = MarianTokenizer.from_pretrained(model_dir)
    translator = ctranslate2.Translator(
        str(ct2_dir), device="cpu", compute_type="int8", intra_threads=threads, inter_threads=1
    )
    # CT2 needs the tokens with </s>, which the HF tokenizer adds (CT2 docs, transformers guide).
    tokens = [tokenizer.convert_ids_to_tokens(tokenizer(t)["input_ids"]) for t in sentences]
    lengths = [len(t) for t in tokens]
    batches = plan_batches(lengths, budget, max_batch)
    output_tokens = 0
    start = time.perf_counter()
    for batch in batches:
        n = forced_new_tokens(max(lengths[i] for i in batch))
        results = translator.translate_batch(
            [tokens[i] for i in batch],
            beam_size=BEAMS,
            max_batch_size=0,
            min_decoding_length=n,
            max_decoding_length=n,
            return_end_token=True,
        )
        output_tokens += sum(len(r.hypotheses[0]) for r in results)
    return dict(
        seconds=time.perf_counter() - start,
        source_tokens=sum(lengths),
        output_tokens=output_tokens,
        dtype="int8",
    )


def peak_rss_mib() -> float:
    """This process's peak resident set size. VmHWM belongs to the address space, which exec()
    replaces, so unlike ru_maxrss it never reports the parent's peak inherited over fork."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


VARIANT_NAMES = {
    "a": "one sentence per generate(), fp32",
    "b": "default engine: load_translator (auto) + translate_articles",
    "c": "plain CTranslate2 int8, batches of 16",
    "d": "previous engine: HFTranslator (torch)",
}


def run_variant(variant: str, workdir: Path, threads: int, budget: int | None, max_batch: int | None) -> None:
    import torch

    from summarizer.translate import base as engine

    torch.set_num_threads(threads)
    sentences = json.loads((workdir / "sentences.json").read_text("utf-8"))
    model_dir = workdir / "marian"
    hf_budget = budget or engine.DEFAULT_TOKEN_BUDGET
    hf_batch = max_batch or engine.DEFAULT_MAX_BATCH_SIZE
    if variant == "a":
        result = run_naive(model_dir, sentences)
    elif variant == "b":
        result = run_default_engine(model_dir, sentences, budget, max_batch)
    elif variant == "c":
        result = run_ct2(
            model_dir,
            workdir / "ct2-int8",
            sentences,
            threads,
            engine.DEFAULT_TOKEN_BUDGET,
            engine.DEFAULT_MAX_BATCH_SIZE,
        )
    else:
        result = run_torch_engine(model_dir, sentences, hf_budget, hf_batch)
    result["peak_rss_mib"] = peak_rss_mib()
    result["sentences"] = len(sentences)
    print(json.dumps(result))


# --- driver -----------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    flags = Path("/proc/cpuinfo").read_text().split() if Path("/proc/cpuinfo").exists() else []
    isa = [f for f in ("avx512f", "avx512_bf16", "amx_bf16", "amx_int8") if f in flags]
    return f"{cpu}, {os.cpu_count()} logical CPUs ({' '.join(isa)})"


def versions() -> str:
    import torch
    import transformers

    parts = [f"torch {torch.__version__}", f"transformers {transformers.__version__}"]
    try:
        import ctranslate2

        parts.append(f"ctranslate2 {ctranslate2.__version__}")
    except ImportError:
        pass
    return ", ".join(parts)


def prepare_default_engine(model_dir: Path) -> None:
    """Convert the model for b once, as the engine does on first use, so b times translation."""
    from summarizer.models.ct2_convert import converted_dir
    from summarizer.models.engines import choose_engine
    from summarizer.models.store import resolve_model

    choice = choose_engine("marian", "cpu")
    if choice.compute_type:
        converted_dir(resolve_model(str(model_dir)), choice.compute_type)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", default="abcd", help="which of a, b, c, d to run (default abcd)")
    parser.add_argument("--threads", type=int, default=2, help="torch / CT2 threads per variant")
    parser.add_argument(
        "--token-budget",
        type=int,
        default=None,
        help="padded source tokens per batch (b, d; default: each engine's own)",
    )
    parser.add_argument(
        "--max-batch",
        type=int,
        default=None,
        help="sentences per batch at most (b, d; default: each engine's own)",
    )
    parser.add_argument("--limit", type=int, default=0, help="use only the first N sentences (quick checks)")
    parser.add_argument("--workdir", type=Path, help="keep the built model here (default: a temp dir)")
    parser.add_argument("--run-variant", choices=list(VARIANT_NAMES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_variant:
        run_variant(args.run_variant, args.workdir, args.threads, args.token_budget, args.max_batch)
        return
    with tempfile.TemporaryDirectory() as scratch:
        workdir = args.workdir or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        sentences = seed_sentences()
        if args.limit:
            sentences = sentences[: args.limit]
        (workdir / "sentences.json").write_text(json.dumps(sentences, ensure_ascii=False), "utf-8")
        if not (workdir / "marian" / "model.safetensors").exists():
            build_model(workdir / "marian")
        variants = args.variants
        if ("b" in variants or "c" in variants) and not convert_ct2(workdir / "marian", workdir / "ct2-int8"):
            print("ctranslate2 is not importable: b runs on transformers, c is skipped", file=sys.stderr)
            variants = variants.replace("c", "")
        if "b" in variants:
            prepare_default_engine(workdir / "marian")
        print(
            f"{len(sentences)} sentences, beam {BEAMS}, output forced to {OUTPUT_RATIO} x source tokens, "
            f"{args.threads} threads; {versions()}; {machine()}",
            file=sys.stderr,
        )
        results = {}
        for variant in variants:
            command = [
                sys.executable,
                __file__,
                "--run-variant",
                variant,
                "--workdir",
                str(workdir),
                "--threads",
                str(args.threads),
            ]
            if args.token_budget:
                command += ["--token-budget", str(args.token_budget)]
            if args.max_batch:
                command += ["--max-batch", str(args.max_batch)]
            done = subprocess.run(command, check=True, capture_output=True, text=True)
            results[variant] = json.loads(done.stdout.strip().splitlines()[-1])
            r = results[variant]
            print(
                f"{variant}: {VARIANT_NAMES[variant]}: {r['seconds']:.1f} s, "
                f"{r['source_tokens'] / r['seconds']:.1f} source tok/s, "
                f"{r['output_tokens']} output tokens, peak RSS {r['peak_rss_mib']:.0f} MiB ({r['dtype']})",
                file=sys.stderr,
                flush=True,
            )
        print(json.dumps(results, indent=2))
        for other in "acd":
            if "b" in results and other in results:
                ratio = results[other]["seconds"] / results["b"]["seconds"]
                print(f"b vs {other}: {ratio:.2f}x (above 1 = b faster)", file=sys.stderr)


if __name__ == "__main__":
    main()
