"""Every word the tool writes around the sources' text, in each briefing language.

One table per language, so `--lang id` gives a wholly Indonesian briefing (headings, labels,
notes, the verifier's reasons, skip reasons, the verification line) and `--lang en` a wholly
English one. Text quoted from the sources is never translated.

Labels are the fixed words of the page. Messages are what a stage says about one article, file
or sentence (a note, a skip reason, why a citation was removed): the stage makes a `Message` with
a key and its values, and each output words it in the briefing's language with `Labels.say`. A
`Message` is also a `str` holding its English wording, which the run table, the logs, the state
database and briefing.json keep (the tool's UI and machine-readable language is English).

Pure data and formatting: any stage may import it.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from summarizer.lang import BriefingLanguage

# The key of a message made of other messages joined by a separator (see Message.joined).
_JOINED = "joined"


class Message(str):
    """A sentence the tool writes, with the key and values every language words it from.

    As a `str` it is the English wording. Values are data (ids, numbers, words quoted from a
    source) or other messages, which are worded in the same language as the message itself.
    """

    key: str
    values: Mapping[str, Any]

    def __new__(cls, key: str, /, **values: Any) -> Message:
        message = super().__new__(cls, EN.render(key, values))
        message.key = key
        message.values = values
        return message

    @classmethod
    def joined(cls, separator: str, parts: Iterable[str]) -> Message:
        """Several messages (or plain strings) as one, e.g. every problem of a citation."""
        return cls(_JOINED, separator=separator, parts=tuple(parts))

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled across processes (the Ray executor) with its key, not as plain English.
        return (_message, (self.key, dict(self.values)))

    def to_data(self) -> dict[str, Any]:
        """A JSON-ready form that `message_from_data` turns back into this message."""
        return {"message": self.key, "values": {k: _value_to_data(v) for k, v in self.values.items()}}


def _message(key: str, values: dict[str, Any]) -> Message:
    return Message(key, **values)


def _value_to_data(value: Any) -> Any:
    if isinstance(value, Message):
        return value.to_data()
    if isinstance(value, (list, tuple)):
        return [_value_to_data(v) for v in value]
    return value


def message_from_data(data: Any) -> Any:
    """A message (or plain value) back from `Message.to_data` (or as it was, when it is not one)."""
    if isinstance(data, dict) and set(data) == {"message", "values"}:
        values = {k: message_from_data(v) for k, v in data["values"].items()}
        if data["message"] == _JOINED:
            values["parts"] = tuple(values["parts"])
        return Message(data["message"], **values)
    if isinstance(data, list):
        return [message_from_data(v) for v in data]
    return data


class _Formatter(string.Formatter):
    """str.format, with a language's decimal mark in every fractional number ("0,80" in Indonesian)."""

    def __init__(self, decimal_mark: str) -> None:
        self.decimal_mark = decimal_mark

    def format_field(self, value: Any, format_spec: str) -> str:
        text = super().format_field(value, format_spec)
        return text.replace(".", self.decimal_mark) if isinstance(value, float) else text


@dataclass(frozen=True)
class Labels:
    """The words of one briefing language; `{}` fields are filled by the caller."""

    language: str
    decimal_mark: str
    # briefing.md / briefing.html
    key_points: str
    no_key_point: str
    figures: str
    no_figures: str
    sources: str
    verification: str
    dropped: str
    changed: str
    notes: str
    untitled: str
    unknown_outlet: str
    undated: str
    copy: str
    similarity: str  # {value}
    no_attribution: str
    article_dated: str  # {date}
    written: str  # {text}
    removed: str
    added: str
    on_point: str  # {action} [{source}] on "{excerpt}" — {reason}
    sentence_ref: str  # {label}: where a figure stands in its article, "paragraph.sentence"
    sentences_ref: str  # {labels}
    # the line under the title: what was briefed and who wrote the key points
    articles_from: str  # {articles} {outlets}
    one_copy: str
    copies: str  # {count}
    credit_none: str
    credit_extractive: str
    credit_model_failed: str  # {model}
    credit_model: str  # {model}
    credit_mixed: str  # {points} {model} {extractive}
    # contradictions between outlets and articles left out
    title_disputed: str  # {values}
    point_disputed: str  # {values}
    sources_differ: str  # {what}
    off_topic_kept: str
    off_topic_left_out: str
    # briefing.html only
    skip_link: str
    sections: str
    models: str
    not_briefed: str
    all_briefed: str
    skipped: str
    articles: str
    cite_hint_before: str  # the hint reads: before [n] after
    cite_hint_after: str
    cite_button: str  # {number} {source}
    extractive_badge: str
    extractive_badge_title: str
    panel_heading: str  # {number} {source}
    close: str
    sentence_label: str  # {label}
    translation_tag: str
    original_id_tag: str
    original_tag: str
    translation_column: str
    translation_cell: str  # data-label of a translation cell on narrow screens
    original_cell: str
    not_translated: str
    translation_flags: str
    show_sentence: str  # {label}
    show_this_sentence: str
    no_cited_sentence: str
    source_number: str  # {number}
    source_fallback: str  # {number}: a source without an entry
    different_figures: str  # {count}
    shown_precision: str
    shown_recall: str
    draft_precision: str
    draft_recall: str
    draft_sentences: str
    citations: str
    recited_count: str
    dropped_count: str
    original_page: str
    # the verification line
    shown_line: str  # {precision} {recall} {points} {citations}
    draft_line: str  # {precision} {recall} {sentences} {citations} {recited} {dropped}
    not_available: str
    # articles/<id>.md
    summary: str
    no_summary: str
    text: str
    note: str  # {note}
    fallback_title: str  # {folder}
    # singular and plural of counted nouns: "1 article", "2 articles"
    nouns: dict[str, tuple[str, str]] = field(default_factory=dict)
    # figure groups: the English label of what is counted -> this language's word
    counted: dict[str, str] = field(default_factory=dict)
    # what a stage says about an article, file or sentence, by key (see Message)
    messages: dict[str, str] = field(default_factory=dict)

    def count_label(self, counted: str, qualifier: str | None) -> str:
        word = self.counted.get(counted, counted)
        return f"{word} ({qualifier})" if qualifier else word

    def count(self, number: int, noun: str) -> str:
        """ "1 article", "3 articles" ("3 artikel")."""
        singular, plural = self.nouns[noun]
        return f"{number} {singular if number == 1 else plural}"

    def code(self, code: str) -> str:
        """A machine code a reader sees (a flag, a model role, an off-topic reason) as this
        language names it: the message "code.<code>", or the code itself when it has none."""
        return self.messages.get(f"code.{code}", code)

    def number(self, value: float, digits: int = 2) -> str:
        """A fraction with this language's decimal mark: "0.95" / "0,95"."""
        return f"{value:.{digits}f}".replace(".", self.decimal_mark)

    def say(self, text: str) -> str:
        """Text for a reader of this language: a Message worded here, anything else as it is
        (text from the sources)."""
        if isinstance(text, Message):
            return self.render(text.key, text.values)
        return text

    def say_all(self, texts: Iterable[str]) -> list[str]:
        return [self.say(t) for t in texts]

    def render(self, key: str, values: Mapping[str, Any]) -> str:
        """The message `key` with its values, every message among them worded here too."""
        if key == _JOINED:
            return str(values["separator"]).join(self.say(part) for part in values["parts"])
        worded = {k: self.say(v) if isinstance(v, str) else v for k, v in values.items()}
        return _Formatter(self.decimal_mark).vformat(self.messages[key], (), worded)


# Machine codes shown to readers: model roles, why an article is off-topic, run and translation flags.
_CODES = (
    "summarizer translator another-time another-event language-not-supported off-topic number-missing "
    "split-long degenerate degenerate-retried passthrough-en passthrough-no-words"
).split()

# What the stages say, in English: the exact wording of the run table, the logs and briefing.json.
_EN_MESSAGES = {
    # why a source sentence does not support a claim (summarizer.briefing.support)
    "support.number": "number {number} not in the evidence",
    "support.name": "name '{name}' not in the evidence",
    "support.quote": 'quotation "{quote}" not found verbatim',
    "support.speaker": "no evidence sentence has '{speaker}' say it",
    "support.too_little": "too little content to check (needs two content words)",
    "support.no_evidence": "no evidence",
    "support.overlap": "wording overlap {overlap:.2f} below {minimum}",
    "support.unstated": "no single source sentence states '{clause}'",
    "support.negated": "the source negates what '{clause}' asserts, or the reverse",
    "support.fused": "'{clause}' fuses two source sentences ({words})",
    # why no article at all supports a claim
    "nowhere.number": "number {number} in no article",
    "nowhere.name": "name '{name}' in no article",
    "nowhere.quote": 'quotation "{quote}" in no article',
    "nowhere.speaker": "no evidence sentence has '{speaker}' say it in any article",
    "nowhere.wording": "no article supports its wording (best overlap {best:.2f}, needs {minimum})",
    # citations the verifier moved, removed or added (summarizer.briefing.cite and compose)
    "cite.none": "no citation",
    "cite.unknown": "cites unknown source {marks}",
    "cite.unsupported": "{marks} does not support it: {problems}",
    "cite.exact_elsewhere": "{marks} does not support it; its exact source sentences do",
    "cite.spliced": "words '{words}' come from source sentences its citations do not cover",
    "cite.adds_nothing": "adds nothing to the support",
    "cite.search_fails": "found by search but fails the final check: {reason}",
    "cite.alone": "supports it on its own",
    "cite.needed": "needed with the others to support it",
    "cite.not_a_source": "[{number}] is not a source of this folder",
    "cite.redundant": "[{number}] adds nothing the other citations do not already support",
    # notes written while composing the briefing
    "note.repeated": "{count} model sentence(s) repeated an earlier point and were left out",
    "note.failed": "{failed} of {drafted} model sentence(s) failed verification",
    "note.no_model_point": "the model wrote no key point",
    "note.filled": "{what}; {added} extractive key point(s) taken from the sources were added",
    "note.no_support": "{count} model sentence(s) had no support in any source and were dropped",
    "note.recited": "{count} model sentence(s) were re-cited to the sources that support them",
    "note.no_title": "the model gave no title",
    "note.title_replaced": "model title '{title}' replaced: {problems}",
    "note.headline_replaced": "title '{title}' replaced by the outlets' most shared headline: {why}",
    "title.quotation": "it is a quotation",
    "title.glued": "it has words glued together",
    "title.sentence": "it is a sentence of {words} words, not a headline",
    "title.contested": "it states a contested value ({value})",
    # values the outlets contradict each other on (summarizer.briefing.conflicts)
    "conflict.count": "{noun} (count)",
    "conflict.weekday": "weekday of {date}",
    "conflict.identifier": "{prefix} number",
    "conflict.values": "{what}: {claims}",
    "conflict.weekday_calendar": "weekday of {date} ({full} is a {weekday})",
    "conflict.time_on": "time on {date}",
    "conflict.weekday_date": "date given with {weekday} ({full} is a {weekday})",
    "conflict.score_full_time": "score at full time",
    "conflict.score_half_time": "score at half-time",
    "conflict.score_minute": "score at minute {minute}",
    "conflict.quotation": "wording of a quotation by {speaker}",
    "conflict.statement_day": "day of a statement by {speaker}",
    "conflict.spelling": "spelling of a name: {first} / {second}",
    "conflict.role": "role of {person}",
    "conflict.role_elsewhere": "role of {person} (the other outlets' {role} is {other})",
    "conflict.status": "whether someone is a {status}",
    "conflict.sex": "sex of the victim",
    # articles about another event (summarizer.ingest.topic)
    "topic.another_event": (
        "shares almost no names or content words with any other article (best similarity {best:.2f})"
    ),
    "topic.kept_unrelated": "{article}: little in common with the other articles (best similarity {best:.2f}); kept",
    "topic.kept_dated": (
        "{article}: dated {day}, {gap} days from the other articles ({span}), but its text names their dates; kept"
    ),
    "topic.another_time": "dated {day}, {gap} days from the other {count} articles ({span}); its text gives {told}",
    "topic.no_other_date": "no other date",
    # what cleaning found in an article (summarizer.ingest.clean)
    "clean.title_empty": "the title line is empty",
    "clean.byline": "byline field {field!r} not understood; removed as page metadata",
    "clean.pagination": "pagination found on line {line} ({text!r}): this file may hold only part of the article",
    "clean.outlet_from": "outlet {outlet!r} taken from {where}",
    "clean.from_copyright": "the copyright line",
    "clean.from_footer": "a credit or footer line",
    "clean.from_file_name": "the file name",
    "clean.body_date": "no date line: the date {date!r} was taken from the story text",
    "clean.no_text": "no story text left after cleaning",
    "clean.short": "very short body ({words} words): possibly a teaser or a cut-off page",
    "clean.no_text_left": "no article text left after removing boilerplate",
    "clean.internal": "internal error while cleaning: {error}",
    "language.not_briefed": "language '{language}' is neither Indonesian nor English; this article is not briefed",
    # why a file could not be read (summarizer.ingest.read, decoding, markup)
    "read.folder_note": "a folder note (README, licence, notes), not an article",
    "read.unsupported": "unsupported file type ({kind}); supported: {supported}",
    "read.no_extension": "no extension",
    "read.whitespace": "empty: only whitespace",
    "read.too_deep": "nested too deeply to read",
    "read.memory": "too large to read in the memory available",
    "read.internal": "internal error while reading: {error}",
    "read.vanished": "file vanished or is a broken link",
    "read.not_regular": "not a regular file ({kind}); not read",
    "read.fifo": "a FIFO",
    "read.socket": "a socket",
    "read.character_device": "a character device",
    "read.block_device": "a block device",
    "read.folder": "a folder",
    "read.special": "a special file",
    "read.empty": "empty file (0 bytes)",
    "read.link_loop": "symbolic link loop; not read",
    "read.link_folder": "symbolic link to a folder; not followed (pass --follow-symlinks to read it)",
    "read.link_outside": (
        "symbolic link to a file outside the story folder; not read (pass --follow-symlinks to read it)"
    ),
    "read.link_swapped": "symbolic link loop or a link swapped in while reading; not read",
    "read.device": "not a regular file (a socket or device); not read",
    "read.cannot": "cannot read: {error}",
    "read.too_large": "file is {size}, larger than the {limit} limit",
    "read.bytes": "{count} bytes",
    "read.markup_only": "no article text: only a title, front matter or markup",
    "read.html_empty": "HTML with no article text (trafilatura found no main content)",
    "read.json_invalid": "invalid JSON at line {line}, column {column}: {error}",
    "read.json_kind": "expected a JSON object or an array of objects, found {kind}",
    "read.json_empty": "no records: the JSON array is empty",
    "read.jsonl_invalid": "invalid JSON on line {line}, column {column}: {error}",
    "read.jsonl_line": "line {line}: {error}",
    "read.jsonl_none": "not JSON Lines: no line holds a JSON value ({reason})",
    "read.json_deep": "JSON nested deeper than {depth} levels",
    "read.json_integer": "JSON integer with {digits} digits (more than {limit})",
    "read.json_not_object": "not a JSON object (found {kind})",
    "read.json_no_text": "no text/body field (looked for: {fields})",
    "read.json_html_empty": "the HTML in the text field has no article text",
    "read.json_boolean": "true/false",
    "read.json_string": "a string",
    "read.json_number": "a number",
    "read.json_array": "an array",
    "read.json_object": "an object",
    "read.cut": "{field} cut to {limit} characters (it had {length})",
    "field.title": "title",
    "field.url": "url",
    "field.date_text": "date_text",
    "field.outlet": "outlet",
    "field.author": "author",
    "read.front_matter": "front matter not read: {error}; it is left in the text",
    "markup.aliases": "it uses YAML aliases (*name), which are not accepted",
    "markup.too_deep": "nested deeper than {depth} levels",
    "markup.yaml": "not valid YAML",
    "markup.yaml_at": "not valid YAML at line {line}",
    "decode.binary": "binary file (mostly control characters), not text",
    "decode.bad_bom": "invalid {codec} after its byte-order mark (byte {position})",
    "decode.nul": "binary file (contains NUL bytes), or UTF-16 without a byte-order mark",
    "decode.unknown": "undecodable: not UTF-8, UTF-16 or any legacy encoding charset-normalizer knows",
    "decode.stray_bytes": "{count} byte(s) were not valid UTF-8 and were read as Windows-1252",
    # summaries and drafts (summarizer.summarizers, summarizer.run.pipeline)
    "summary.none": "no summary for source [{number}] ({article}); left out of the briefing",
    "summary.nothing": "nothing to brief from",
    "summary.no_usable": "no usable sentences to brief from",
    "summary.no_sentences": "no sentences to summarize",
    "summary.empty": "the model returned an empty summary",
    "summary.no_briefing": "the model returned no briefing sentences",
    "summary.few_sentences": (
        "only {usable} usable sentence(s) of {total} (headings and sentences under {min_words} words are "
        "skipped); summary has {picked}"
    ),
    "summary.article_parts": (
        "article longer than the model's {tokens}-token input: summarized in {parts} parts and the parts combined"
    ),
    "summary.context_parts": (
        "article longer than the {tokens}-token context budget: summarized in {parts} parts and the parts combined"
    ),
    "summary.briefing_parts": (
        "the summaries exceed the model's {tokens}-token input: briefed in {parts} parts and combined"
    ),
    "summary.briefing_groups": (
        "sources did not fit the {tokens}-token context at once: briefed in {groups} groups and merged"
    ),
    "summary.fallback": "{model} produced no usable summary; these are extractive sentences from the article",
    "flag.language": "detected '{language}': not briefed",
    # machine codes a reader sees, as English shows them: the codes themselves
    **{f"code.{code}": code for code in _CODES},
    "flag.off_topic": "off-topic ({reason}): {detail}; not briefed (--keep-off-topic keeps it)",
}

EN = Labels(
    language="en",
    decimal_mark=".",
    key_points="Key points",
    no_key_point="No key point could be verified.",
    figures="Figures and claims by source",
    no_figures="No figure differs between sources.",
    title_disputed="The sources differ on a value in this title: {values}",
    point_disputed="sources differ: {values}",
    sources_differ="Sources differ: {what}",
    off_topic_kept="Off-topic articles (briefed anyway)",
    off_topic_left_out="Left out: off-topic articles",
    sources="Sources",
    verification="Verification",
    dropped="Dropped (no source supports them):",
    changed="Citations changed by the verifier (only supporting citations are shown):",
    notes="Notes:",
    untitled="(untitled)",
    unknown_outlet="unknown outlet",
    undated="undated",
    copy="copy",
    similarity="similarity {value}",
    no_attribution="no attribution in the text",
    article_dated="article dated {date}",
    written='written "{text}"',
    removed="removed",
    added="added",
    on_point='{action} [{source}] on "{excerpt}" — {reason}',
    sentence_ref="sentence {label}",
    sentences_ref="sentences {labels}",
    articles_from="{articles} from {outlets}",
    one_copy="one a copy",
    copies="{count} of them copies",
    credit_none="no key point could be verified",
    credit_extractive="key points are sentences picked from the articles (extractive), verified against the sources",
    credit_model_failed=(
        "key points picked from the articles (extractive): none of {model}'s passed verification; "
        "all verified against the sources"
    ),
    credit_model="key points by {model}, verified against the sources",
    credit_mixed=(
        "{points} by {model}, {extractive} picked from the articles (extractive) where too few of the model's "
        "passed verification; all verified against the sources"
    ),
    skip_link="Skip to the briefing",
    sections="Sections",
    models="Models",
    not_briefed="Not briefed",
    all_briefed="Every file in the folder was briefed.",
    skipped="skipped",
    articles="Articles",
    cite_hint_before="Each",
    cite_hint_after="opens the sentences of source n that support the point.",
    cite_button="Source {number} ({source}): show the cited sentences",
    extractive_badge="extractive",
    extractive_badge_title="Taken verbatim from a source because too few model sentences could be verified",
    panel_heading="Source [{number}] · {source}",
    close="Close",
    sentence_label="sentence {label}",
    translation_tag="English translation",
    original_id_tag="Indonesian original",
    original_tag="Original",
    translation_column="English translation",
    translation_cell="English",
    original_cell="Original",
    not_translated="(not translated)",
    translation_flags="Translation flags",
    show_sentence="Show sentence {label} in the article",
    show_this_sentence="Show this sentence in the article",
    no_cited_sentence="No sentence of this source is recorded for this point.",
    source_number="Source {number}",
    source_fallback="source {number}",
    different_figures="{count} different figures",
    shown_precision="Citation precision (shown)",
    shown_recall="Citation recall (shown)",
    draft_precision="Draft citation precision",
    draft_recall="Draft citation recall",
    draft_sentences="Model sentences",
    citations="Citations",
    recited_count="Re-cited",
    dropped_count="Dropped",
    original_page="original page",
    shown_line="shown citations: precision {precision}, recall {recall} ({points} points, {citations} citations)",
    draft_line=(
        "model draft citations: precision {precision}, recall {recall} ({sentences} sentences, "
        "{citations} citations); {recited} re-cited, {dropped} dropped"
    ),
    not_available="n/a",
    summary="Summary",
    no_summary="No summary for this article (a copy of another story, or not summarized).",
    text="Text",
    note="note: {note}",
    fallback_title="Briefing: {folder}",
    nouns={"article": ("article", "articles"), "outlet": ("outlet", "outlets"), "point": ("key point", "key points")},
    messages=_EN_MESSAGES,
)

_ID_MESSAGES = {
    "support.number": "angka {number} tidak ada dalam kalimat sumber",
    "support.name": "nama '{name}' tidak ada dalam kalimat sumber",
    "support.quote": 'kutipan "{quote}" tidak ditemukan persis dalam kalimat sumber',
    "support.speaker": "tidak ada kalimat sumber yang menyebut '{speaker}' menyatakannya",
    "support.too_little": "isinya terlalu sedikit untuk diperiksa (perlu dua kata isi)",
    "support.no_evidence": "tidak ada kalimat sumber",
    "support.overlap": "kesamaan kata {overlap:.2f}, di bawah batas {minimum}",
    "support.unstated": "tidak ada satu kalimat sumber pun yang menyatakan '{clause}'",
    "support.negated": "sumber menyangkal apa yang dinyatakan '{clause}', atau sebaliknya",
    "support.fused": "'{clause}' menggabungkan dua kalimat sumber ({words})",
    "nowhere.number": "angka {number} tidak ada di artikel mana pun",
    "nowhere.name": "nama '{name}' tidak ada di artikel mana pun",
    "nowhere.quote": 'kutipan "{quote}" tidak ada di artikel mana pun',
    "nowhere.speaker": "tidak ada kalimat di artikel mana pun yang menyebut '{speaker}' menyatakannya",
    "nowhere.wording": (
        "tidak ada artikel yang mendukung isi kalimatnya (kesamaan kata tertinggi {best:.2f}, batasnya {minimum})"
    ),
    "cite.none": "tanpa sitasi",
    "cite.unknown": "menyitasi sumber yang tidak ada: {marks}",
    "cite.unsupported": "{marks} tidak mendukungnya: {problems}",
    "cite.exact_elsewhere": "{marks} tidak mendukungnya; kalimat sumber yang dirujuknya mendukung",
    "cite.spliced": "kata '{words}' berasal dari kalimat sumber yang tidak tercakup sitasinya",
    "cite.adds_nothing": "tidak menambah dukungan",
    "cite.search_fails": "ditemukan lewat pencarian, tetapi gagal pada pemeriksaan akhir: {reason}",
    "cite.alone": "mendukungnya sendiri",
    "cite.needed": "diperlukan bersama sumber lain untuk mendukungnya",
    "cite.not_a_source": "[{number}] bukan sumber dalam folder ini",
    "cite.redundant": "[{number}] tidak menambah dukungan di luar sitasi lainnya",
    "note.repeated": "{count} kalimat model mengulang pokok sebelumnya dan tidak dimasukkan",
    "note.failed": "{failed} dari {drafted} kalimat model gagal verifikasi",
    "note.no_model_point": "model tidak menulis pokok berita",
    "note.filled": "{what}; {added} pokok berita ekstraktif dari sumber ditambahkan",
    "note.no_support": "{count} kalimat model tidak didukung sumber mana pun dan dibuang",
    "note.recited": "{count} kalimat model disitasi ulang ke sumber yang mendukungnya",
    "note.no_title": "model tidak memberi judul",
    "note.title_replaced": "judul model '{title}' diganti: {problems}",
    "note.headline_replaced": (
        "judul '{title}' diganti dengan judul berita yang paling banyak kesamaannya antarmedia: {why}"
    ),
    "title.quotation": "judul itu berupa kutipan",
    "title.glued": "ada kata yang menempel",
    "title.sentence": "judul itu berupa kalimat {words} kata, bukan judul berita",
    "title.contested": "judul itu memuat nilai yang diperselisihkan ({value})",
    "conflict.count": "jumlah {noun}",
    "conflict.weekday": "hari pada {date}",
    "conflict.identifier": "nomor {prefix}",
    "conflict.values": "{what}: {claims}",
    "conflict.weekday_calendar": "hari pada {date} ({full} jatuh pada hari {weekday})",
    "conflict.time_on": "pukul pada {date}",
    "conflict.weekday_date": "tanggal untuk hari {weekday} ({full} jatuh pada hari {weekday})",
    "conflict.score_full_time": "skor akhir",
    "conflict.score_half_time": "skor babak pertama",
    "conflict.score_minute": "skor pada menit ke-{minute}",
    "conflict.quotation": "bunyi kutipan {speaker}",
    "conflict.statement_day": "hari pernyataan {speaker}",
    "conflict.spelling": "ejaan nama: {first} / {second}",
    "conflict.role": "peran {person}",
    "conflict.role_elsewhere": "peran {person} ({role} menurut media lain adalah {other})",
    "conflict.status": "status sebagai {status}",
    "conflict.sex": "jenis kelamin korban",
    "topic.another_event": (
        "hampir tidak ada nama atau kata isi yang sama dengan artikel lain (kemiripan tertinggi {best:.2f})"
    ),
    "topic.kept_unrelated": (
        "{article}: hanya sedikit kesamaan dengan artikel lain (kemiripan tertinggi {best:.2f}); tetap disertakan"
    ),
    "topic.kept_dated": (
        "{article}: bertanggal {day}, berselisih {gap} hari dari artikel lain ({span}), tetapi teksnya menyebut "
        "tanggal artikel-artikel itu; tetap disertakan"
    ),
    "topic.another_time": (
        "bertanggal {day}, berselisih {gap} hari dari {count} artikel lainnya ({span}); teksnya menyebut {told}"
    ),
    "topic.no_other_date": "tidak ada tanggal lain",
    "clean.title_empty": "baris judul kosong",
    "clean.byline": "kolom penulis {field!r} tidak dikenali; dihapus sebagai metadata halaman",
    "clean.pagination": (
        "penomoran halaman ditemukan di baris {line} ({text!r}): berkas ini mungkin hanya memuat sebagian artikel"
    ),
    "clean.outlet_from": "media {outlet!r} diambil dari {where}",
    "clean.from_copyright": "baris hak cipta",
    "clean.from_footer": "baris kredit atau kaki halaman",
    "clean.from_file_name": "nama berkas",
    "clean.body_date": "tidak ada baris tanggal: tanggal {date!r} diambil dari teks berita",
    "clean.no_text": "tidak ada teks berita yang tersisa setelah dibersihkan",
    "clean.short": "isi berita sangat pendek ({words} kata): mungkin cuplikan atau halaman yang terpotong",
    "clean.no_text_left": "tidak ada teks artikel yang tersisa setelah unsur halaman dibuang",
    "clean.internal": "galat internal saat membersihkan: {error}",
    "language.not_briefed": "bahasa '{language}' bukan bahasa Indonesia atau Inggris; artikel ini tidak diringkas",
    "read.folder_note": "catatan folder (README, lisensi, catatan), bukan artikel",
    "read.unsupported": "jenis berkas tidak didukung ({kind}); yang didukung: {supported}",
    "read.no_extension": "tanpa ekstensi",
    "read.whitespace": "kosong: hanya berisi spasi",
    "read.too_deep": "bersarang terlalu dalam untuk dibaca",
    "read.memory": "terlalu besar untuk dibaca dengan memori yang tersedia",
    "read.internal": "galat internal saat membaca: {error}",
    "read.vanished": "berkas hilang atau tautannya putus",
    "read.not_regular": "bukan berkas biasa ({kind}); tidak dibaca",
    "read.fifo": "sebuah FIFO",
    "read.socket": "sebuah soket",
    "read.character_device": "perangkat karakter",
    "read.block_device": "perangkat blok",
    "read.folder": "sebuah folder",
    "read.special": "berkas khusus",
    "read.empty": "berkas kosong (0 bita)",
    "read.link_loop": "tautan simbolik berputar; tidak dibaca",
    "read.link_folder": "tautan simbolik ke folder; tidak diikuti (gunakan --follow-symlinks untuk membacanya)",
    "read.link_outside": (
        "tautan simbolik ke berkas di luar folder berita; tidak dibaca (gunakan --follow-symlinks untuk membacanya)"
    ),
    "read.link_swapped": "tautan simbolik berputar atau ditukar saat dibaca; tidak dibaca",
    "read.device": "bukan berkas biasa (soket atau perangkat); tidak dibaca",
    "read.cannot": "tidak dapat dibaca: {error}",
    "read.too_large": "berkas berukuran {size}, melebihi batas {limit}",
    "read.bytes": "{count} bita",
    "read.markup_only": "tidak ada teks artikel: hanya judul, front matter, atau markup",
    "read.html_empty": "HTML tanpa teks artikel (trafilatura tidak menemukan isi utama)",
    "read.json_invalid": "JSON tidak valid di baris {line}, kolom {column}: {error}",
    "read.json_kind": "seharusnya objek JSON atau larik objek, ternyata {kind}",
    "read.json_empty": "tidak ada rekaman: larik JSON kosong",
    "read.jsonl_invalid": "JSON tidak valid di baris {line}, kolom {column}: {error}",
    "read.jsonl_line": "baris {line}: {error}",
    "read.jsonl_none": "bukan JSON Lines: tidak ada baris yang berisi nilai JSON ({reason})",
    "read.json_deep": "JSON bersarang lebih dari {depth} tingkat",
    "read.json_integer": "bilangan bulat JSON dengan {digits} digit (lebih dari {limit})",
    "read.json_not_object": "bukan objek JSON (ternyata {kind})",
    "read.json_no_text": "tidak ada kolom teks/isi (yang dicari: {fields})",
    "read.json_html_empty": "HTML di kolom teks tidak memuat teks artikel",
    "read.json_boolean": "nilai benar/salah",
    "read.json_string": "sebuah string",
    "read.json_number": "sebuah angka",
    "read.json_array": "sebuah larik",
    "read.json_object": "sebuah objek",
    "read.cut": "{field} dipotong menjadi {limit} karakter (semula {length})",
    "field.title": "judul",
    "field.url": "alamat URL",
    "field.date_text": "teks tanggal",
    "field.outlet": "nama media",
    "field.author": "penulis",
    "read.front_matter": "front matter tidak terbaca: {error}; dibiarkan di dalam teks",
    "markup.aliases": "memakai alias YAML (*nama), yang tidak diterima",
    "markup.too_deep": "bersarang lebih dari {depth} tingkat",
    "markup.yaml": "bukan YAML yang valid",
    "markup.yaml_at": "bukan YAML yang valid di baris {line}",
    "decode.binary": "berkas biner (sebagian besar karakter kendali), bukan teks",
    "decode.bad_bom": "{codec} tidak valid setelah penanda urutan bita (bita ke-{position})",
    "decode.nul": "berkas biner (berisi bita NUL), atau UTF-16 tanpa penanda urutan bita",
    "decode.unknown": (
        "tidak dapat didekode: bukan UTF-8, UTF-16, atau pengodean lama yang dikenal charset-normalizer"
    ),
    "decode.stray_bytes": "{count} bita bukan UTF-8 yang valid dan dibaca sebagai Windows-1252",
    "summary.none": "tidak ada ringkasan untuk sumber [{number}] ({article}); tidak dimasukkan ke ringkasan",
    "summary.nothing": "tidak ada bahan untuk diringkas",
    "summary.no_usable": "tidak ada kalimat yang dapat dipakai untuk diringkas",
    "summary.no_sentences": "tidak ada kalimat untuk diringkas",
    "summary.empty": "model mengembalikan ringkasan kosong",
    "summary.no_briefing": "model tidak menghasilkan kalimat ringkasan",
    "summary.few_sentences": (
        "hanya {usable} dari {total} kalimat yang dapat dipakai (subjudul dan kalimat di bawah {min_words} kata "
        "dilewati); ringkasan berisi {picked} kalimat"
    ),
    "summary.article_parts": (
        "artikel lebih panjang daripada masukan model ({tokens} token): diringkas dalam {parts} bagian lalu digabungkan"
    ),
    "summary.context_parts": (
        "artikel lebih panjang daripada batas konteks {tokens} token: diringkas dalam {parts} bagian lalu digabungkan"
    ),
    "summary.briefing_parts": (
        "ringkasan-ringkasan melebihi masukan model ({tokens} token): diringkas dalam {parts} bagian lalu digabungkan"
    ),
    "summary.briefing_groups": (
        "sumber tidak muat sekaligus dalam konteks {tokens} token: diringkas dalam {groups} kelompok lalu digabungkan"
    ),
    "summary.fallback": (
        "{model} tidak menghasilkan ringkasan yang dapat dipakai; ini kalimat ekstraktif dari artikel"
    ),
    "flag.language": "terdeteksi '{language}': tidak diringkas",
    "code.summarizer": "peringkas",
    "code.translator": "penerjemah",
    "code.another-time": "waktu lain",
    "code.another-event": "peristiwa lain",
    "code.language-not-supported": "bahasa tidak didukung",
    "code.off-topic": "di luar topik",
    "code.number-missing": "angka hilang",
    "code.split-long": "dipecah karena panjang",
    "code.degenerate": "terjemahan rusak",
    "code.degenerate-retried": "terjemahan diulang",
    "code.passthrough-en": "sudah berbahasa Inggris",
    "code.passthrough-no-words": "tanpa kata",
    "flag.off_topic": "di luar topik ({reason}): {detail}; tidak diringkas (--keep-off-topic menyertakannya)",
}

ID = Labels(
    language="id",
    decimal_mark=",",
    key_points="Pokok berita",
    no_key_point="Tidak ada pokok berita yang dapat diverifikasi.",
    figures="Angka dan klaim menurut sumber",
    no_figures="Tidak ada angka yang berbeda antarsumber.",
    title_disputed="Sumber-sumber berbeda tentang nilai dalam judul ini: {values}",
    point_disputed="sumber berbeda: {values}",
    sources_differ="Sumber berbeda: {what}",
    off_topic_kept="Artikel di luar topik (tetap diringkas)",
    off_topic_left_out="Tidak disertakan: artikel di luar topik",
    sources="Sumber",
    verification="Verifikasi",
    dropped="Dibuang (tidak didukung sumber mana pun):",
    changed="Sitasi yang diubah pemeriksa (hanya sitasi yang mendukung yang ditampilkan):",
    notes="Catatan:",
    untitled="(tanpa judul)",
    unknown_outlet="media tidak diketahui",
    undated="tanpa tanggal",
    copy="salinan",
    similarity="kemiripan {value}",
    no_attribution="tanpa atribusi dalam teks",
    article_dated="artikel bertanggal {date}",
    written='tertulis "{text}"',
    removed="dihapus",
    added="ditambahkan",
    on_point='{action} [{source}] pada "{excerpt}" — {reason}',
    sentence_ref="kalimat {label}",
    sentences_ref="kalimat {labels}",
    articles_from="{articles} dari {outlets}",
    one_copy="satu di antaranya salinan",
    copies="{count} di antaranya salinan",
    credit_none="tidak ada pokok berita yang dapat diverifikasi",
    credit_extractive=(
        "pokok berita berupa kalimat yang dipilih dari artikel (ekstraktif), diverifikasi terhadap sumber"
    ),
    credit_model_failed=(
        "pokok berita dipilih dari artikel (ekstraktif): tidak ada kalimat {model} yang lolos verifikasi; "
        "semuanya diverifikasi terhadap sumber"
    ),
    credit_model="pokok berita oleh {model}, diverifikasi terhadap sumber",
    credit_mixed=(
        "{points} oleh {model}, {extractive} dipilih dari artikel (ekstraktif) karena terlalu sedikit kalimat "
        "model yang lolos verifikasi; semuanya diverifikasi terhadap sumber"
    ),
    skip_link="Langsung ke ringkasan",
    sections="Bagian",
    models="Model",
    not_briefed="Tidak diringkas",
    all_briefed="Semua berkas dalam folder diringkas.",
    skipped="dilewati",
    articles="Artikel",
    cite_hint_before="Setiap",
    cite_hint_after="membuka kalimat dari sumber n yang mendukung pokok berita tersebut.",
    cite_button="Sumber {number} ({source}): tampilkan kalimat yang dikutip",
    extractive_badge="ekstraktif",
    extractive_badge_title=(
        "Dikutip apa adanya dari sumber karena terlalu sedikit kalimat model yang dapat diverifikasi"
    ),
    panel_heading="Sumber [{number}] · {source}",
    close="Tutup",
    sentence_label="kalimat {label}",
    translation_tag="Terjemahan bahasa Inggris",
    original_id_tag="Teks asli bahasa Indonesia",
    original_tag="Teks asli",
    translation_column="Terjemahan bahasa Inggris",
    translation_cell="Terjemahan",
    original_cell="Teks asli",
    not_translated="(tidak diterjemahkan)",
    translation_flags="Penanda terjemahan",
    show_sentence="Tampilkan kalimat {label} di dalam artikel",
    show_this_sentence="Tampilkan kalimat ini di dalam artikel",
    no_cited_sentence="Tidak ada kalimat dari sumber ini yang tercatat untuk pokok berita ini.",
    source_number="Sumber {number}",
    source_fallback="sumber {number}",
    different_figures="{count} angka berbeda antarsumber",
    shown_precision="Presisi sitasi (ditampilkan)",
    shown_recall="Recall sitasi (ditampilkan)",
    draft_precision="Presisi sitasi draf",
    draft_recall="Recall sitasi draf",
    draft_sentences="Kalimat model",
    citations="Sitasi",
    recited_count="Disitasi ulang",
    dropped_count="Dibuang",
    original_page="halaman asli",
    shown_line=(
        "sitasi yang ditampilkan: presisi {precision}, recall {recall} ({points} pokok berita, {citations} sitasi)"
    ),
    draft_line=(
        "sitasi draf model: presisi {precision}, recall {recall} ({sentences} kalimat, {citations} sitasi); "
        "{recited} disitasi ulang, {dropped} dibuang"
    ),
    not_available="t/a",
    summary="Ringkasan",
    no_summary="Tidak ada ringkasan untuk artikel ini (salinan berita lain, atau tidak diringkas).",
    text="Teks",
    note="catatan: {note}",
    fallback_title="Ringkasan: {folder}",
    nouns={"article": ("artikel", "artikel"), "outlet": ("media", "media"), "point": ("pokok berita", "pokok berita")},
    counted={
        "troops": "tentara",
        "people": "orang",
        "casualties": "korban",
        "deaths": "korban tewas",
        "passengers": "penumpang",
        "pilgrims": "jemaah",
        "crew": "awak",
        "aircraft": "pesawat",
        "missiles": "rudal",
        "shells": "peluru",
        "drones": "drone",
        "vehicles": "kendaraan",
        "buildings": "bangunan",
        "flights": "penerbangan",
    },
    messages=_ID_MESSAGES,
)

LABELS: dict[str, Labels] = {"en": EN, "id": ID}


def labels_for(language: BriefingLanguage | str) -> Labels:
    """The labels of a briefing language (English for any other)."""
    return LABELS.get(str(language), EN)
