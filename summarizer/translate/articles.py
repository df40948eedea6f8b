"""Articles through a `Translator`: `ArticleTranslation`s aligned 1:1 with the source sentence ids.

English and word-less sentences pass through, repeated sentences (wire copies) are translated
once, the cache is consulted and filled, over-long sentences are split instead of truncated, and
every output goes through the guards (guards.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from summarizer import progress
from summarizer.cache import Cache, CachedTranslation, TranslationKey
from summarizer.document import Article, ArticleTranslation, Flag, TranslatedSentence
from summarizer.translate.base import Translator
from summarizer.translate.guards import check_output, number_flag, split_to_fit

# Sentences per call to Translator.translate: the unit of progress and of cache writes (so a
# killed run keeps what it finished).
SENTENCES_PER_CHUNK = 64


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
