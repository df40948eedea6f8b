"""One story folder end to end: articles → translate → summarize → cite → write.

`brief` computes the briefing record and writes nothing; `brief_folder` is `brief` followed by
the chosen writers. Models are loaded lazily, once per process, by a ModelSession shared across
folders; the SQLite cache makes re-runs reuse every translation and summary already made.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import summarizer.progress as progress
from summarizer._version import __version__
from summarizer.briefing.compose import compose_briefing, off_topic_entries, summary_inputs
from summarizer.briefing.conflicts import describe
from summarizer.briefing.record import BriefingRecord, ModelInfo, RunFlag
from summarizer.briefing.sources import SourceNumbering, number_sources
from summarizer.document import ArticleSummary, ArticleTranslation, Folder, to_dict
from summarizer.errors import SummarizerError
from summarizer.ingest.folder import SUPPORTED_SOURCE_LANGUAGES
from summarizer.lang import SUPPORTED_LANGUAGES, BriefingLanguage, UnsupportedLanguageError, needs_translation
from summarizer.models.registry import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATOR, EXTRACTIVE
from summarizer.output.labels import Message, message_from_data
from summarizer.output.writers import DEFAULT_FORMATS
from summarizer.paths import check_utf8_path

if TYPE_CHECKING:
    from summarizer.cache import Cache
    from summarizer.models.store import ResolvedModel
    from summarizer.output.files import Ledger
    from summarizer.summarizers.base import Summarizer, SummaryInput
    from summarizer.translate.base import Translator

log = logging.getLogger(__name__)

SUMMARY_NAMESPACE = "summary"


@dataclass(frozen=True)
class RunOptions:
    """Everything that decides what a run produces (and so what its outputs depend on)."""

    lang: BriefingLanguage = "en"
    translator: str = DEFAULT_TRANSLATOR
    summarizer: str = DEFAULT_SUMMARIZER
    models_dir: Path | None = None
    device: str = "auto"
    dtype: str = "auto"
    progress: bool = True
    engine: str = "auto"  # translation and chat-summarizer engine: auto, ctranslate2 or transformers
    # Output formats (names in summarizer.output.writers.WRITERS). They decide which files are
    # written, not what they say, so settings() leaves them out.
    formats: tuple[str, ...] = DEFAULT_FORMATS
    keep_off_topic: bool = False  # brief articles judged to be about another event too
    # Never touch the network, not even to fetch a missing default model on first use. Not part
    # of settings(): it changes where models may come from, not what a run writes.
    offline: bool = False

    def settings(self) -> dict[str, Any]:
        """The settings recorded with outputs and compared to decide whether a folder is current."""
        return {
            "lang": self.lang,
            "translator": self.translator if needs_translation(self.lang) else None,
            "translation_engine": self.engine if needs_translation(self.lang) else None,
            "summarizer": self.summarizer,
            # A chat summarizer runs on the engine too (summarizer.models.engines), in any --lang.
            "summarizer_engine": self.engine if self.summarizer != EXTRACTIVE else None,
            "device": self.device,
            "dtype": self.dtype,
            "summarize_version": __version__,
            "keep_off_topic": self.keep_off_topic,
        }


@dataclass
class FolderOutcome:
    """What briefing one folder produced, for the run summary."""

    out_dir: Path
    paths: list[Path]
    articles: int
    sentences: int
    translated: int  # sentences sent to the model in this run
    translation_cache_hits: int
    summaries_cached: int
    flags: dict[str, int]  # flag code → count
    precision: float | None  # citation precision and recall of the briefing as shown
    recall: float | None
    points: int
    dropped: int
    timings: dict[str, float] = field(default_factory=dict)
    # Sentences whose translation carries a warning; notes that a sentence was passed through
    # untranslated (it was already English, or had no words) are not warnings.
    flagged_sentences: int = 0
    not_briefed: list[tuple[str, str]] = field(default_factory=list)  # (article id, reason)
    draft_precision: float | None = None  # the summarizer's own citations, before verification
    draft_recall: float | None = None
    notes: list[str] = field(default_factory=list)  # for the run table: off-topic articles kept, conflicts


def check_options(options: RunOptions) -> None:
    """Reject an unusable --lang / model / --format combination before any work (no weights are loaded)."""
    from summarizer.output.writers import check_formats
    from summarizer.summarizers.factory import supported_languages

    check_formats(options.formats)
    if options.models_dir is not None:
        check_utf8_path(options.models_dir, "--models-dir")
    if options.lang not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguageError(options.lang)
    writable = supported_languages(options.summarizer, models_dir=options.models_dir)
    if options.lang not in writable:
        raise SummarizerError(
            f"summarizer '{options.summarizer}' cannot write --lang {options.lang}; it writes: "
            f"{', '.join(writable)}. Choose another with --summarizer (see: summarize models list)"
        )


def check_models_installed(options: RunOptions, folders: list[Folder]) -> None:
    """Make sure, before any folder is briefed, that every model the run needs can be used: the
    translator if some folder must be translated, the summarizer unless it is the built-in one.
    A missing one is fetched where that is allowed; each is then checked without loading it
    (summarizer.models.check: weights whole, tokenizer files there, config readable). All that
    cannot be used are reported together, in one line (exit 4)."""
    from summarizer.errors import ModelError

    refs = []
    if any(needs_translator(folder, options) for folder in folders):
        refs.append(options.translator)
    if options.summarizer != EXTRACTIVE:
        refs.append(options.summarizer)
    unusable: list[ModelError] = []
    for ref in dict.fromkeys(refs):
        try:
            resolved = ready_model(ref, options)
        except ModelError as error:
            unusable.append(error)
        else:
            _note_stale_engine_copy(resolved, options)
    if len(unusable) == 1:
        raise unusable[0]
    if unusable:
        raise ModelError(f"{len(unusable)} models cannot be used: " + " | ".join(map(str, unusable)))


def ready_model(ref: str, options: RunOptions) -> ResolvedModel:
    """Model `ref` fetched if missing (where allowed) and checked (ModelError when it cannot be used)."""
    from summarizer.models.install import ensure_installed
    from summarizer.models.store import verify_model

    ensure_installed(ref, options.models_dir, offline=options.offline, progress=options.progress)
    return verify_model(ref, options.models_dir)


def _note_stale_engine_copy(resolved: ResolvedModel, options: RunOptions) -> None:
    """Say up front when the CTranslate2 copy a model will run from is incomplete or out of date
    (a conversion that was killed, a newer ctranslate2): it is converted again when first needed."""
    from summarizer.models.engines import CTRANSLATE2, choose_engine
    from summarizer.models.families import get_family

    family = get_family(resolved.family)
    if family.task == "summarize" and family.summarizer != "chat":
        return  # seq2seq summarizers run on torch only
    try:
        choice = choose_engine(resolved.family, options.device, options.dtype, options.engine)
    except SummarizerError:
        return  # reported when the model is loaded
    if choice.engine != CTRANSLATE2:
        return
    from summarizer.models.ct2_convert import copy_problem

    problem = copy_problem(resolved, choice.compute_type or "int8")
    if problem:
        log.warning("%s; it will be converted again when first needed", problem)


class ModelSession:
    """The models of one run, each loaded on first use and then reused for every folder."""

    def __init__(self, options: RunOptions, *, threads: int | None = None) -> None:
        """`threads`: a count already decided by whoever reserved the CPUs (a Ray actor), taken
        as it is; without one, the first model opened measures what other work leaves free."""
        self.options = options
        self._translator: Translator | None = None
        self._summarizer: Summarizer | None = None
        self._revisions: dict[str, str | None] = {}
        self._runtimes: dict[str, str] = {}
        self.threads = threads
        self._ready: set[str] = set()

    def _ensure(self, ref: str) -> None:
        """Fetch a missing registered model on first use (when the network and its licence allow)
        and check its files, once per session."""
        if ref != EXTRACTIVE and ref not in self._ready:
            ready_model(ref, self.options)
            self._ready.add(ref)

    def _choose_threads(self) -> None:
        """Once, before the first model is opened (every engine sizes its thread pool then)."""
        if self.threads is None:
            from summarizer.models.threads import limit_torch_threads

            self.threads = limit_torch_threads()
            log.info("models run on %d thread(s)", self.threads)

    def translator(self) -> Translator:
        if self._translator is None:
            from summarizer.translate.factory import load_translator

            self._ensure(self.options.translator)
            self._choose_threads()

            with progress.step(f"loading the translator {self._described(self.options.translator)}"):
                self._translator = load_translator(
                    self.options.translator,
                    models_dir=self.options.models_dir,
                    device=self.options.device,
                    dtype=self.options.dtype,
                    engine=self.options.engine,
                )
        return self._translator

    @property
    def translator_loaded(self) -> bool:
        return self._translator is not None

    def summarizer(self) -> Summarizer:
        if self._summarizer is None:
            from summarizer.summarizers.factory import load_summarizer

            self._ensure(self.options.summarizer)
            self._choose_threads()

            with progress.step(f"loading the summarizer {self._described(self.options.summarizer)}"):
                self._summarizer = load_summarizer(
                    self.options.summarizer,
                    models_dir=self.options.models_dir,
                    device=self.options.device,
                    dtype=self.options.dtype,
                    engine=self.options.engine,
                )
        return self._summarizer

    def _described(self, ref: str) -> str:
        """`ref` with its revision and the requested runtime, as the progress line and -v show it."""
        if ref == "extractive":
            return "extractive (built in)"
        revision = self.revision(ref) or "unknown"
        options = self.options
        return (
            f"{ref} (revision {revision[:12]}; device {options.device}, dtype {options.dtype}, engine {options.engine})"
        )

    def runtime(self, ref: str) -> str:
        """What runs model `ref` ("ctranslate2 int8 on cpu", "transformers qint8 on cpu"), decided
        as its loader decides it but without loading anything: answers differ between engines
        and weight types, so cached summaries are kept apart by it."""
        if ref not in self._runtimes:
            self._runtimes[ref] = self._decide_runtime(ref)
        return self._runtimes[ref]

    def _decide_runtime(self, ref: str) -> str:
        if ref == EXTRACTIVE:
            return "built in"
        from summarizer.models.engines import CTRANSLATE2, choose_engine
        from summarizer.models.loading import choose_runtime
        from summarizer.models.store import resolve_model

        options = self.options
        family = resolve_model(ref, options.models_dir).family
        choice = choose_engine(family, options.device, options.dtype, options.engine)
        if choice.engine == CTRANSLATE2:
            return f"{CTRANSLATE2} {choice.compute_type} on {choice.device}"
        device, dtype = choose_runtime(options.device, options.dtype, family=family)
        return f"{choice.engine} {str(dtype).removeprefix('torch.')} on {device}"

    def revision(self, ref: str) -> str | None:
        """The revision of model `ref`, read once from the store (nothing is loaded)."""
        if ref not in self._revisions:
            from summarizer.models.store import resolve_model

            self._ensure(ref)
            self._revisions[ref] = (
                __version__ if ref == EXTRACTIVE else resolve_model(ref, self.options.models_dir).revision
            )
        return self._revisions[ref]

    def revisions_for(self, folder: Folder) -> dict[str, str | None]:
        """The revisions of the models briefing `folder` needs (the translator only if it must translate)."""
        refs = [self.options.summarizer]
        if needs_translator(folder, self.options):
            refs.insert(0, self.options.translator)
        return {ref: self.revision(ref) for ref in refs}

    def runtimes_for(self, folder: Folder) -> dict[str, str]:
        """What runs each model briefing `folder` needs (engine, weights, device), as recorded
        with its outputs: "--engine auto" can pick differently on another machine or release."""
        return {ref: self.runtime(ref) for ref in self.revisions_for(folder)}


def needs_translator(folder: Folder, options: RunOptions) -> bool:
    """Whether briefing `folder` runs the translation model (some article is not yet English)."""
    return needs_translation(options.lang) and any(a.language == "id" for a in folder.articles)


def brief(
    folder: Folder, options: RunOptions, session: ModelSession | None = None, cache: Cache | None = None
) -> BriefingRecord:
    """Translate, summarize, compose and verify the briefing of one ingested folder; write nothing.

    `session` shares loaded models between calls (else they are loaded for this one); `cache`
    reuses and keeps translations and summaries (else an in-memory cache lasts for this call).
    """
    if session is None:
        session = ModelSession(options)
    if cache is None:
        from summarizer.cache import Cache

        with Cache(":memory:") as scratch:
            return brief(folder, options, session, scratch)
    timings: dict[str, float] = {}
    briefed, run_flags = _briefable(folder, keep_off_topic=options.keep_off_topic)
    sources = number_sources(briefed)
    original_texts = {s.id: s.text for a in briefed.articles for s in a.sentences()}
    hits_before = cache.hits["translation"]

    started = time.perf_counter()
    translations = _translate(briefed, options, session, cache)
    timings["translate"] = time.perf_counter() - started
    sentence_texts = (
        {s.id: s.text for t in translations for s in t.sentences} if needs_translation(options.lang) else original_texts
    )
    translated_total = sum(len(t.sentences) for t in translations)
    cache_hits = cache.hits["translation"] - hits_before if translated_total else 0

    started = time.perf_counter()
    inputs = summary_inputs(briefed, sentence_texts, sources, include_copies=True)
    hashes = {a.id: a.source.sha256 for a in briefed.articles}
    summaries, cached_summaries = _summaries(inputs, options, session, cache, folder.name, hashes)
    timings["summarize"] = time.perf_counter() - started

    started = time.perf_counter()
    stories = _story_inputs(briefed, inputs, sources)  # copies count once
    by_article = {s.article_id: s for s in summaries}
    writer = session.summarizer()
    with progress.step(f"{folder.name}: writing the briefing from {len(stories)} stories with {writer.name}"):
        draft = writer.draft_briefing(stories, [by_article[i.article_id] for i in stories], options.lang)
    timings["briefing"] = time.perf_counter() - started

    started = time.perf_counter()
    with progress.step(f"{folder.name}: checking every citation against its sources"):
        briefing = compose_briefing(briefed, sources, sentence_texts, original_texts, draft, summaries, options.lang)
    briefing.off_topic = off_topic_entries(folder, kept=options.keep_off_topic)
    briefing.notes += folder.topic_notes
    timings["verify"] = time.perf_counter() - started

    return BriefingRecord(
        folder=folder,
        language=options.lang,
        sources=sources,
        translations=translations,
        summaries=summaries,
        briefing=briefing,
        models=_models(session),
        settings=_recorded_settings(options, session.runtimes_for(folder)),
        timings=timings,
        flags=run_flags,
        translation_cache_hits=cache_hits,
        summaries_cached=cached_summaries,
    )


def brief_folder(
    folder: Folder, options: RunOptions, session: ModelSession, cache: Cache, out_dir: Path
) -> FolderOutcome:
    """Brief one ingested folder and write the chosen formats into `out_dir`."""
    return write_briefing(brief(folder, options, session, cache), out_dir, options.formats)


def write_briefing(
    record: BriefingRecord,
    out_dir: Path,
    formats: tuple[str, ...],
    commit: Callable[[FolderOutcome], None] | None = None,
    ledger: Ledger | None = None,
) -> FolderOutcome:
    """Write the chosen formats of a briefing record (made here or by a worker) into `out_dir`.

    `commit(outcome)` records the written briefing (the state database); if it fails, the folder
    is switched back to its previous outputs, so outputs and their record never disagree. The
    state database's `ledger` says which files of a plain output folder of an older version
    were the tool's.
    """
    from summarizer.output.files import undo
    from summarizer.output.writers import publish_outputs

    started = time.perf_counter()
    with progress.step(f"{record.folder.name}: writing {', '.join(formats)} to {out_dir}"):
        paths, switch = publish_outputs(out_dir, record, formats, ledger)
    timings = {**record.timings, "write": time.perf_counter() - started}
    outcome = _outcome(record, out_dir, paths, timings)
    if commit is not None:
        try:
            commit(outcome)
        except BaseException:
            undo(switch)
            raise
    return outcome


def _models(session: ModelSession) -> list[ModelInfo]:
    models = [ModelInfo("summarizer", session.summarizer().name, session.summarizer().revision)]
    if session.translator_loaded:
        models.insert(0, ModelInfo("translator", session.translator().model_name, session.translator().revision))
    return models


def _outcome(record: BriefingRecord, out_dir: Path, paths: list[Path], timings: dict[str, float]) -> FolderOutcome:
    """The run-summary figures of one written briefing."""
    briefed = [a for a in record.folder.articles if a.id in record.sources.numbers]
    translations = record.translations
    shown = record.briefing.shown_metrics
    return FolderOutcome(
        out_dir=out_dir,
        paths=paths,
        articles=len(briefed),
        sentences=sum(a.sentence_count for a in briefed),
        translated=sum(1 for t in translations for s in t.sentences if not s.cached and not _passed_through(s)),
        translation_cache_hits=record.translation_cache_hits,
        summaries_cached=record.summaries_cached,
        flags=_flag_counts(translations),
        flagged_sentences=sum(
            1 for t in translations for s in t.sentences if any(not _is_passthrough(f.code) for f in s.flags)
        ),
        precision=shown.precision if shown else None,
        recall=shown.recall if shown else None,
        points=len(record.briefing.points),
        dropped=len(record.briefing.dropped),
        timings=timings,
        not_briefed=[(flag.where, flag.detail) for flag in record.flags],
        draft_precision=record.briefing.metrics.precision,
        draft_recall=record.briefing.metrics.recall,
        notes=[
            f"{o.article_id}: off-topic ({o.reason}) but briefed (--keep-off-topic): {o.detail}"
            for o in record.briefing.off_topic
            if o.kept
        ]
        + [f"sources differ: {describe(c)}" for c in record.briefing.conflicts],
    )


def _briefable(folder: Folder, *, keep_off_topic: bool = False) -> tuple[Folder, list[RunFlag]]:
    """The folder restricted to articles in a language the pipeline handles and on the folder's
    story (unless `keep_off_topic`); the rest flagged with the reason."""
    off_topic = {} if keep_off_topic else {o.article_id: o for o in folder.off_topic}
    keep = [a for a in folder.articles if a.language in SUPPORTED_SOURCE_LANGUAGES and a.id not in off_topic]
    flags = [
        RunFlag(a.id, "language-not-supported", Message("flag.language", language=a.language_detected))
        for a in folder.articles
        if a.language not in SUPPORTED_SOURCE_LANGUAGES
    ]
    flags += [
        RunFlag(
            o.article_id, "off-topic", Message("flag.off_topic", reason=Message(f"code.{o.reason}"), detail=o.detail)
        )
        for o in off_topic.values()
    ]
    if not keep:
        from summarizer.errors import NoArticlesError

        raise NoArticlesError(f"no article in {folder.path} is in Indonesian or English")
    kept_ids = {a.id for a in keep}
    clusters = [
        replace(c, copies=[x for x in c.copies if x in kept_ids]) for c in folder.clusters if c.original in kept_ids
    ]
    return replace(folder, articles=keep, clusters=[c for c in clusters if c.copies]), flags


def _translate(folder: Folder, options: RunOptions, session: ModelSession, cache: Cache) -> list[ArticleTranslation]:
    if not needs_translation(options.lang):
        return []
    from summarizer.translate.articles import translate_articles

    if not needs_translator(folder, options):
        return translate_articles(folder.articles, _NoModelNeeded(), cache=None, progress=False)
    return translate_articles(folder.articles, session.translator(), cache=cache, progress=options.progress)


class _NoModelNeeded:
    """Stands in for the translator when every article is already English (nothing is sent)."""

    model_name = "none"
    revision: str | None = None
    max_input_tokens = 1 << 30

    def settings_key(self) -> str:
        return "passthrough"

    def token_counts(self, texts: list[str]) -> list[int]:
        return [len(t.split()) for t in texts]

    def translate(self, texts: list[str], *, anti_repetition: bool = False) -> list[str]:
        raise AssertionError("English articles pass through; nothing should reach the translator")


def _summaries(
    inputs: list[SummaryInput],
    options: RunOptions,
    session: ModelSession,
    cache: Cache,
    name: str,
    hashes: dict[str, str],
) -> tuple[list[ArticleSummary], int]:
    """Per-article summaries, reusing cached ones; the rest are generated in one batch and stored
    with their article's content hash (`hashes`, by article id), by which a driver finds them."""
    from summarizer.document import SummarySentence

    keys = {i.article_id: _summary_key(i, options, session) for i in inputs}
    found: dict[str, ArticleSummary] = {}
    for item in inputs:
        stored = cache.get(SUMMARY_NAMESPACE, keys[item.article_id])
        if stored is not None:
            stored["sentences"] = [SummarySentence(**s) for s in stored["sentences"]]
            stored["notes"] = message_from_data(stored["notes"])
            found[item.article_id] = ArticleSummary(**stored)
    missing = [i for i in inputs if i.article_id not in found]
    if missing:
        summarizer = session.summarizer()
        with progress.step(f"{name}: summarizing {len(missing)} article(s) with {summarizer.name}"):
            made = summarizer.summarize(missing, options.lang)
        for summary in _with_extractive_fallback(missing, made, options.lang):
            cache.put(
                SUMMARY_NAMESPACE, keys[summary.article_id], _summary_data(summary), hashes.get(summary.article_id)
            )
            found[summary.article_id] = summary
    return [found[i.article_id] for i in inputs], len(inputs) - len(missing)


def _summary_data(summary: ArticleSummary) -> dict[str, Any]:
    """A summary as the cache keeps it: its notes with their message keys, so a cached summary's
    notes are worded in the briefing's language like fresh ones."""
    data: dict[str, Any] = to_dict(summary)
    data["notes"] = [n.to_data() if isinstance(n, Message) else n for n in summary.notes]
    return data


def _with_extractive_fallback(
    inputs: list[SummaryInput], summaries: list[ArticleSummary], language: BriefingLanguage
) -> list[ArticleSummary]:
    """Every article gets a summary: where the model produced none, its extractive one, noted."""
    empty = [i for i, s in zip(inputs, summaries, strict=True) if not s.sentences]
    if not empty:
        return summaries
    from summarizer.summarizers.extractive import ExtractiveSummarizer

    replacements = {s.article_id: s for s in ExtractiveSummarizer().summarize(empty, language)}
    result = []
    for summary in summaries:
        replacement = replacements.get(summary.article_id)
        if replacement is not None:
            replacement.notes = [*summary.notes, Message("summary.fallback", model=summary.model)]
            summary = replacement
        result.append(summary)
    return result


def _summary_key(item: SummaryInput, options: RunOptions, session: ModelSession) -> str:
    payload = {
        "summarizer": options.summarizer,
        "revision": session.revision(options.summarizer),
        "lang": options.lang,
        "dtype": options.dtype,
        # int8 CTranslate2 and bf16 or int8 torch can choose different words: never mix their
        # summaries, also when "auto" picks another engine than it did when they were cached.
        "engine": options.engine,
        "runtime": session.runtime(options.summarizer),
        # Nor those of a GPU (CTranslate2 int8_float16, torch fp16/bf16) with a CPU's.
        **({"device": "cuda"} if options.device == "cuda" else {}),
        # The source number is left out: adding an article can renumber the others, and an
        # article's own summary does not depend on its number.
        "input": {k: v for k, v in to_dict(item).items() if k != "number"},
        "version": __version__,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _is_passthrough(code: str) -> bool:
    return code.startswith("passthrough")


def _passed_through(sentence: Any) -> bool:
    return any(_is_passthrough(f.code) for f in sentence.flags)


def _flag_counts(translations: list[ArticleTranslation]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for translation in translations:
        for sentence in translation.sentences:
            for flag in sentence.flags:
                counts[flag.code] = counts.get(flag.code, 0) + 1
    return counts


def _recorded_settings(options: RunOptions, runtimes: dict[str, str]) -> dict[str, Any]:
    settings = options.settings()
    settings["models_dir"] = str(options.models_dir) if options.models_dir else None
    settings["runtimes"] = runtimes
    return settings


def _story_inputs(folder: Folder, inputs: list[SummaryInput], sources: SourceNumbering) -> list[SummaryInput]:
    """One input per story: near-duplicate copies count once, through their original, which
    also carries the sentences only a copy has (cited to the copy, under the story's number)."""
    from summarizer.ingest.dedup import copy_only_sentences

    copy_of = {c: cluster.original for cluster in folder.clusters for c in cluster.copies}
    own = copy_only_sentences(folder.articles, folder.clusters)
    extra: dict[str, list[tuple[str, str]]] = {}
    for item in inputs:
        if item.article_id in copy_of:
            extra.setdefault(copy_of[item.article_id], []).extend(s for s in item.sentences if s[0] in own)
    return [
        replace(i, sentences=[*i.sentences, *extra.get(i.article_id, [])])
        for i in inputs
        if i.article_id in sources.originals
    ]
