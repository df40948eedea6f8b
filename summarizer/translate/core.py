"""Indonesian → English translation, sentence by sentence, fast and without losing anything.

Two layers:
- a `Translator` does raw model I/O (`translate(texts) -> texts`, same order); `HFTranslator`
  runs a transformers seq2seq model in length-sorted batches under a token budget, the biggest
  CPU speed lever (notes: performance.md);
- `translate_articles` turns articles into `ArticleTranslation`s aligned 1:1 with the source
  sentence ids: English and word-less sentences pass through, repeated sentences (wire copies)
  are translated once, the cache is consulted and filled, over-long sentences are split instead
  of truncated, and every output goes through the guards (guards.py).
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from summarizer import progress
from summarizer.cache import Cache, CachedTranslation, TranslationKey
from summarizer.document import Article, ArticleTranslation, Flag, TranslatedSentence
from summarizer.errors import ModelError
from summarizer.translate.guards import check_output, number_flag, split_to_fit

if TYPE_CHECKING:
    from pathlib import Path

    from summarizer.models.loading import LoadedModel

log = logging.getLogger(__name__)

# Padded source tokens per generate() call (rows × longest row) and a cap on rows. On the
# opus-mt-id-en architecture 16 rows beat 32 (faster, and a third less peak memory, since each
# row carries 4 beams of 54,796 logits) and 8: see docs/benchmarks.md.
DEFAULT_TOKEN_BUDGET = 1200
DEFAULT_MAX_BATCH_SIZE = 16
# opus-mt publishes 6 beams; beyond 4 the cost grows linearly for no measurable MT gain.
MAX_DEFAULT_BEAMS = 4
# Room for the output: English runs about as long as Indonesian in subword tokens; 1.5× + 10
# leaves ample space, so only a looping output ever reaches the cap (and the guards flag it).
OUTPUT_TOKENS_PER_INPUT_TOKEN = 1.5
OUTPUT_EXTRA_TOKENS = 10
# The one retry of a degenerate output blocks loops.
ANTI_REPETITION = {"no_repeat_ngram_size": 4, "repetition_penalty": 1.3}
# Sentences per call to Translator.translate: the unit of progress and of cache writes (so a
# killed run keeps what it finished).
SENTENCES_PER_CHUNK = 64

TRANSLATION_FAMILIES = ("marian", "nllb", "m2m100")
NLLB_SOURCE, NLLB_TARGET = "ind_Latn", "eng_Latn"
M2M100_SOURCE, M2M100_TARGET = "id", "en"


class Translator(Protocol):
    """Raw model I/O: `translate` returns one output per input text, in the same order."""

    model_name: str
    revision: str | None
    max_input_tokens: int

    def settings_key(self) -> str:
        """A stable hash of everything besides the model that can change an output."""
        ...

    def token_counts(self, texts: list[str]) -> list[int]:
        """Model input length of each text, special tokens included."""
        ...

    def translate(self, texts: list[str], *, anti_repetition: bool = False) -> list[str]: ...


class HFTranslator:
    """A transformers seq2seq translation model (Marian, NLLB, M2M100) behind `Translator`."""

    def __init__(
        self,
        loaded: LoadedModel,
        *,
        num_beams: int | None = None,
        token_budget: int = DEFAULT_TOKEN_BUDGET,
        max_batch_size: int = DEFAULT_MAX_BATCH_SIZE,
    ) -> None:
        if loaded.family not in TRANSLATION_FAMILIES:
            raise ModelError(
                f"model '{loaded.name}' ({loaded.family}) is not a translation model; "
                f"use one of the families {', '.join(TRANSLATION_FAMILIES)}"
            )
        self.loaded = loaded
        self.model_name = loaded.name
        self.revision = loaded.revision
        self.max_input_tokens = loaded.max_input_tokens
        self.token_budget = token_budget
        self.max_batch_size = max_batch_size
        self.generation_config = _generation_config(loaded, num_beams)
        if loaded.device.type == "cpu":
            # One-token decoder steps run faster in plain matmul attention than in torch's CPU
            # SDPA kernel (about 15% per batch in bf16, docs/benchmarks.md).
            loaded.model.set_attn_implementation("eager")
        # Decoder positions bound the output length (Marian fails past 512).
        positions = getattr(loaded.model.config, "max_position_embeddings", None) or 512
        self.max_new_tokens_cap = positions - 1

    def settings_key(self) -> str:
        settings = self.generation_config.to_dict()
        settings.pop("transformers_version", None)
        settings["_output_rule"] = [OUTPUT_TOKENS_PER_INPUT_TOKEN, OUTPUT_EXTRA_TOKENS]
        settings["_anti_repetition"] = ANTI_REPETITION
        settings["_dtype"] = str(self.loaded.dtype)  # bf16 and fp32 can choose different words
        encoded = json.dumps(settings, sort_keys=True, default=str)
        return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:16]

    def token_counts(self, texts: list[str]) -> list[int]:
        if not texts:
            return []
        return [len(ids) for ids in self.loaded.tokenizer(texts)["input_ids"]]

    def translate(self, texts: list[str], *, anti_repetition: bool = False) -> list[str]:
        lengths = self.token_counts(texts)
        too_long = [n for n in lengths if n > self.max_input_tokens]
        if too_long:
            # Callers split long sentences first (translate_articles does); cutting here would
            # silently drop text.
            raise ValueError(
                f"{len(too_long)} input(s) exceed {self.max_input_tokens} tokens "
                f"(longest {max(too_long)}); split them before translating"
            )
        outputs: list[str] = [""] * len(texts)
        for batch in plan_batches(lengths, self.token_budget, self.max_batch_size):
            translated = self._generate([texts[i] for i in batch], anti_repetition)
            for index, text in zip(batch, translated, strict=True):
                outputs[index] = text
        return outputs

    def _generate(self, texts: list[str], anti_repetition: bool) -> list[str]:
        import torch

        tokenizer = self.loaded.tokenizer
        encoded = tokenizer(texts, return_tensors="pt", padding=True).to(self.loaded.device)
        min_new_tokens, max_new_tokens = self._length_limits(encoded["input_ids"].shape[1])
        config = copy.deepcopy(self.generation_config)
        # Lengths count the decoder start token; setting max_length (not max_new_tokens) keeps
        # the model's published max_length from clashing with it on every call.
        config.max_length = max_new_tokens + 1
        if min_new_tokens:
            config.min_length = min_new_tokens + 1
        if anti_repetition:
            config.update(**ANTI_REPETITION)
        with torch.inference_mode():
            generated = self.loaded.model.generate(
                **encoded, generation_config=config, past_key_values=self._new_cache()
            )
        if config.forced_bos_token_id is not None:
            # Drop the decoder start and the forced language token: M2M100's __en__ is not a
            # special token to its transformers 5 tokenizer and would end up in the text.
            generated = generated[:, 2:]
        decoded = tokenizer.batch_decode(generated, skip_special_tokens=True)
        return [text.strip() for text in decoded]

    def _new_cache(self) -> Any:
        """A decoder cache whose beam reordering leaves the cross-attention half alone.

        Beam search only ever swaps beams of the same sentence, whose cross-attention keys and
        values are identical (they depend on the source alone), so reordering them is wasted
        work: skipping it gives bit-identical output, about 5-10% faster on CPU.
        """
        from transformers.cache_utils import DynamicCache, EncoderDecoderCache

        class SelfAttentionReorderCache(EncoderDecoderCache):
            def reorder_cache(self, beam_idx: Any) -> None:
                self.self_attention_cache.reorder_cache(beam_idx)

        config = self.loaded.model.config
        return SelfAttentionReorderCache(DynamicCache(config=config), DynamicCache(config=config))

    def _length_limits(self, source_tokens: int) -> tuple[int, int]:
        """(min, max) new tokens for a batch whose longest input has `source_tokens` tokens."""
        room = math.ceil(OUTPUT_TOKENS_PER_INPUT_TOKEN * source_tokens + OUTPUT_EXTRA_TOKENS)
        return 0, min(room, self.max_new_tokens_cap)


def load_translator(
    ref: str,
    *,
    models_dir: Path | None = None,
    device: str = "auto",
    dtype: str = "auto",
    engine: str = "auto",
) -> Translator:
    """The translator for model `ref` on the engine `engine` chooses (summarizer.translate.ct2):
    "auto" runs CTranslate2 when it is installed and can run the model, else transformers."""
    from summarizer.models.store import resolve_model
    from summarizer.translate.ct2 import CT2Translator, choose_engine

    resolved = resolve_model(ref, models_dir)
    choice = choose_engine(resolved.family, device, dtype, engine)
    if choice.engine == "ctranslate2":
        log.info("translation engine: ctranslate2 (%s on %s)", choice.compute_type, choice.device)
        return CT2Translator(resolved, device=choice.device or "cpu", compute_type=choice.compute_type or "int8")
    from summarizer.models.loading import load_model

    log.info("translation engine: transformers (%s)", choice.reason)
    return HFTranslator(load_model(ref, models_dir=models_dir, device=device, dtype=dtype))


def _generation_config(loaded: LoadedModel, num_beams: int | None) -> Any:
    """The model's own generation settings, plus what its family needs to translate id→en."""
    config = copy.deepcopy(loaded.generation_config)
    own_beams = config.num_beams or 1
    config.num_beams = num_beams or min(own_beams, MAX_DEFAULT_BEAMS)
    config.do_sample = False
    # The output length is set per batch from the input (a fixed max_length, such as NLLB's
    # published 200, would cut long translations).
    tokenizer = loaded.tokenizer
    if loaded.family == "nllb":
        tokenizer.src_lang = NLLB_SOURCE
        config.forced_bos_token_id = _known_token_id(tokenizer, NLLB_TARGET, loaded.name)
    elif loaded.family == "m2m100":
        tokenizer.src_lang = M2M100_SOURCE
        config.forced_bos_token_id = tokenizer.get_lang_id(M2M100_TARGET)
    return config


def _known_token_id(tokenizer: Any, token: str, model_name: str) -> int:
    token_id = tokenizer.convert_tokens_to_ids(token)
    if token_id is None or token_id == tokenizer.unk_token_id:
        raise ModelError(f"the tokenizer of '{model_name}' has no language token {token}")
    return token_id


def plan_batches(lengths: list[int], token_budget: int, max_batch_size: int) -> list[list[int]]:
    """Group input indices into batches, longest first, so that rows × longest row stays
    within the token budget (padding wastes little when neighbours have similar lengths).
    A single input longer than the budget gets a batch of its own."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        longest = lengths[current[0]] if current else lengths[index]
        if current and ((len(current) + 1) * longest > token_budget or len(current) >= max_batch_size):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


# --- articles -------------------------------------------------------------------------------


@dataclass
class _Result:
    text: str
    flags: list[Flag] = field(default_factory=list)
    cached: bool = False


def translate_articles(
    articles: list[Article],
    translator: Translator,
    *,
    cache: Cache | None = None,
    progress: bool = True,
) -> list[ArticleTranslation]:
    """Translate every sentence of every article; one TranslatedSentence per source sentence,
    with its id, in reading order (headings included)."""
    passthrough = _passthrough_flags(articles)
    pending = _texts_to_translate(articles, passthrough)
    results: dict[str, _Result] = {}
    key = TranslationKey(translator.model_name, translator.revision, translator.settings_key())
    if cache is not None and pending:
        for source, hit in cache.get_translations(key, pending).items():
            results[source] = _Result(hit.text, list(hit.flags), cached=True)
    todo = [text for text in pending if text not in results]
    tracker = _Progress(articles, passthrough, set(results), enabled=progress)
    try:
        for chunk in _chunks(todo, translator):
            translated = _translate_chunk(chunk, translator)
            if cache is not None:
                cache.put_translations(
                    key, [(s, CachedTranslation(r.text, tuple(r.flags))) for s, r in translated.items()]
                )
            results.update(translated)
            tracker.done(chunk)
    finally:
        tracker.close()
    return [_assemble(article, passthrough, results, translator) for article in articles]


def _passthrough_flags(articles: list[Article]) -> dict[str, Flag]:
    """Sentence id → flag, for the sentences that are kept as they are instead of translated."""
    from summarizer.ingest.language import is_english_sentence

    flags: dict[str, Flag] = {}
    for article in articles:
        for sentence in article.sentences():
            if article.language == "en":
                flags[sentence.id] = Flag("passthrough-en", "the article is in English")
            elif not any(ch.isalpha() for ch in sentence.text):
                # Models invent text for number-only input (fairseq #4854): keep it verbatim.
                flags[sentence.id] = Flag("passthrough-no-words", "no words to translate")
            elif is_english_sentence(sentence.text):
                flags[sentence.id] = Flag("passthrough-en", "the sentence is in English")
    return flags


def _texts_to_translate(articles: list[Article], passthrough: dict[str, Flag]) -> list[str]:
    """Each distinct sentence text that needs the model, in first-seen order."""
    texts = (s.text for a in articles for s in a.sentences() if s.id not in passthrough)
    return list(dict.fromkeys(texts))


def _chunks(texts: list[str], translator: Translator) -> Iterator[list[str]]:
    # Longest first across all articles, so each chunk's batches hold similar lengths.
    lengths = dict(zip(texts, translator.token_counts(texts), strict=True))
    ordered = sorted(texts, key=lambda t: lengths[t], reverse=True)
    for start in range(0, len(ordered), SENTENCES_PER_CHUNK):
        yield ordered[start : start + SENTENCES_PER_CHUNK]


def _translate_chunk(texts: list[str], translator: Translator) -> dict[str, _Result]:
    limit = translator.max_input_tokens
    pieces = {}
    for text, count in zip(texts, translator.token_counts(texts), strict=True):
        if count <= limit:
            pieces[text] = [text]
        else:
            pieces[text] = split_to_fit(text, lambda part: translator.token_counts([part])[0] <= limit)
    inputs = list(dict.fromkeys(p for parts in pieces.values() for p in parts))
    outputs = _translate_guarded(inputs, translator)
    results: dict[str, _Result] = {}
    for text, parts in pieces.items():
        flags: list[Flag] = []
        if len(parts) > 1:
            flags.append(Flag("split-long", f"over {limit} tokens: translated in {len(parts)} parts"))
        for part in parts:
            flags.extend(f for f in outputs[part].flags if f not in flags)
        translation = " ".join(outputs[part].text for part in parts)
        missing = number_flag(text, translation)
        if missing is not None:
            flags.append(missing)
        results[text] = _Result(translation, flags)
    return results


def _translate_guarded(inputs: list[str], translator: Translator) -> dict[str, _Result]:
    """Translate, then retry degenerate outputs once with anti-repetition settings, keeping
    the better attempt and flagging it."""
    first = dict(zip(inputs, translator.translate(inputs), strict=True))
    checks = {text: check_output(text, output) for text, output in first.items()}
    failed = [text for text in inputs if not checks[text].ok]
    results = {text: _Result(first[text]) for text in inputs}
    if not failed:
        return results
    second = dict(zip(failed, translator.translate(failed, anti_repetition=True), strict=True))
    for text in failed:
        retry = check_output(text, second[text])
        problems = "; ".join(checks[text].problems)
        if retry.ok:
            results[text] = _Result(second[text], [Flag("degenerate-retried", problems)])
        else:
            best_text, best = (
                (second[text], retry) if retry.badness < checks[text].badness else (first[text], checks[text])
            )
            results[text] = _Result(best_text, [Flag("degenerate", "; ".join(best.problems))])
    return results


def _assemble(
    article: Article, passthrough: dict[str, Flag], results: dict[str, _Result], translator: Translator
) -> ArticleTranslation:
    sentences = []
    for sentence in article.sentences():
        if sentence.id in passthrough:
            sentences.append(TranslatedSentence(sentence.id, sentence.text, sentence.text, [passthrough[sentence.id]]))
            continue
        result = results[sentence.text]
        sentences.append(
            TranslatedSentence(sentence.id, sentence.text, result.text, list(result.flags), cached=result.cached)
        )
    return ArticleTranslation(article.id, translator.model_name, translator.revision, sentences)


class _Progress:
    """Two bars on the current progress reporter: sentences translated, and articles fully translated."""

    def __init__(
        self, articles: list[Article], passthrough: dict[str, Flag], ready: set[str], *, enabled: bool
    ) -> None:
        self._waiting: dict[int, set[str]] = {}
        self._readers: dict[str, list[int]] = defaultdict(list)
        self._occurrences: dict[str, int] = defaultdict(int)
        done_sentences = 0
        for index, article in enumerate(articles):
            needed = set()
            for sentence in article.sentences():
                if sentence.id in passthrough or sentence.text in ready:
                    done_sentences += 1
                    continue
                needed.add(sentence.text)
                self._occurrences[sentence.text] += 1
            self._waiting[index] = needed
            for text in needed:
                self._readers[text].append(index)
        total = sum(a.sentence_count for a in articles)
        self._articles = progress.bar("translating: articles", len(articles), "articles", enabled=enabled)
        self._sentences = progress.bar("translating: sentences", total, "sentences", enabled=enabled)
        self._articles.update(sum(1 for needed in self._waiting.values() if not needed))
        self._sentences.update(done_sentences)

    def done(self, texts: list[str]) -> None:
        self._sentences.update(sum(self._occurrences[t] for t in texts))
        for text in texts:
            for index in self._readers.pop(text, []):
                waiting = self._waiting[index]
                waiting.discard(text)
                if not waiting:
                    self._articles.update(1)

    def close(self) -> None:
        self._sentences.close()
        self._articles.close()
