"""The briefing language is the whole briefing's language: headings, labels, notes, the verifier's
reasons, skip reasons and the verification line of briefing.md, briefing.html and the article pages.

The harness does not list known strings: it takes every text a reader sees (Markdown lines, HTML
text nodes and aria-label/title/alt attributes), removes what comes from the articles (their
sentences, titles, outlets, file names, and anything the tool quotes from them), and checks what
is left, the tool's own words, two ways: no word of the other language's vocabulary, and, for
anything of three words or more, the language identifier py3langid (the one the ingest stage uses)
agreeing on the language. The synthetic folder triggers every optional part of a briefing.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields, replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from briefing_data import make_record
from typer.testing import CliRunner

from summarizer.briefing.compose import compose_briefing
from summarizer.briefing.record import BriefingRecord
from summarizer.cli import app, route
from summarizer.ingest.folder import load_folder
from summarizer.ingest.language import english_probability
from summarizer.ingest.read import _TEXT_FIELDS as TEXT_FIELDS
from summarizer.output import articles, html_out, markdown
from summarizer.output.labels import EN, ID, Message, labels_for, message_from_data
from summarizer.run.pipeline import RunOptions, brief
from summarizer.summarizers.base import BriefingDraft, DraftSentence
from summarizer.text.lexicon import EN_STOP_WORDS, ID_FUNCTION_WORDS

runner = CliRunner()

# Words of the tool's own English that Indonesian never uses (on top of the English stop words).
ENGLISH_WORDS = EN_STOP_WORDS | frozenset(
    """
    article articles source sources outlet outlets sentence sentences figure figures different differ
    differs opens open show shows close unknown undated untitled verified verification citation
    citations cited key point points note notes summary summaries text original translation translated
    skipped dropped removed added copy copies similarity number name quotation evidence wording overlap
    needs draft shown precision flags briefed briefing count weekday dated days kept file files empty
    link read line field cut characters error each every none another event time title headline
    replaced extractive sections models taken picked support supports supported found search check
    left out model's nothing content words source's story stories whitespace records object array
    """.split()
)
# Words of the tool's own Indonesian that English never uses.
INDONESIAN_WORDS = ID_FUNCTION_WORDS | frozenset(
    """
    sumber artikel berita pokok kalimat sitasi tanpa judul salinan kemiripan diverifikasi verifikasi
    dibuang dihapus ditambahkan catatan ringkasan teks tampilkan tutup bagian angka berbeda
    antarsumber diketahui tanggal bertanggal dilewati berkas kosong hari diringkas ditampilkan
    terjemahan asli penanda tersedia diperiksa pemeriksa ekstraktif dipilih semuanya lolos jumlah
    """.split()
)
# Not words of either language's vocabulary: names of formats, tools and units, and technical
# terms Indonesian uses as they are ("recall": the metric's name in Indonesian writing too).
ALLOWED = frozenset(
    """
    url json jsonl html htm txt md yaml utf nul fifo readme windows mib kib wib wita wit utc
    trafilatura charset normalizer markup front matter recall ms
    """.split()
)
# The tool quotes source words (names, stems, titles, values) between these.
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|‘[^’]*’|`[^`]*`")
OPTION = re.compile(r"--[a-z][a-z-]+")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
MIN_IDENTIFIED_WORDS = 3

QUAKE = (
    "{title}\n{byline}\n{date}\n"
    "Gempa bermagnitudo 4,8 mengguncang wilayah Kabupaten Garut, Jawa Barat, Rabu (18/6/2025), pukul 15.24 WIB. "
    "Badan Meteorologi, Klimatologi, dan Geofisika (BMKG) menyebut pusat gempa berada di laut pada kedalaman "
    "{depth} kilometer. Getaran dirasakan warga Garut, Tasikmalaya dan Pangandaran dengan skala intensitas MMI III. "
    "BMKG memastikan gempa tidak berpotensi tsunami dan belum ada laporan kerusakan bangunan.\n"
    "Warga diimbau tetap tenang dan waspada terhadap kemungkinan gempa susulan, kata Kepala BMKG Bandung.\n"
    "{extra}\n"
)
EXTRA = {
    "detik": "Sejumlah warga sempat berhamburan keluar rumah saat guncangan terasa cukup kuat di Garut.",
    "liputan6": "Petugas BPBD Garut masih mendata dampak gempa di sejumlah kecamatan di wilayah selatan.",
    "okezone": "Pemerintah daerah meminta warga tidak mudah percaya pada kabar bohong soal gempa susulan.",
}
GOLD = (
    "Harga Emas Antam Turun Rp6.000\nAgustina Melani\nDiperbarui 18 Jun 2025, 08:50 WIB\n"
    "Harga emas produksi PT Aneka Tambang Tbk kembali turun pada perdagangan Rabu pagi. "
    "Harga emas batangan kini dijual Rp1.937.000 per gram, turun dari Rp1.943.000 sehari sebelumnya. "
    "Harga pembelian kembali atau buyback juga merosot menjadi Rp1.787.000 per gram.\n"
)
FRENCH = (
    "Un séisme de magnitude 4,8 a secoué la région de Garut, à l'ouest de Java, mercredi après-midi. "
    "Les habitants sont sortis de leurs maisons, mais aucun dégât n'a été signalé par les autorités.\n"
)


def synthetic_story(root: Path) -> Path:
    """A story folder that triggers every optional part of a briefing: a copy, a contested value,
    an off-topic article, an article in another language, skipped files, a title cut to length,
    an article of unknown outlet and cleaning notes (a very short body)."""
    story = root / "gempa-garut"
    story.mkdir()
    pages = {
        "01_detik_gempa-garut.txt": ("Gempa M 4,8 Guncang Garut", "Budi Santoso -detikNews", "Rabu, 18 Jun 2025 15:39 WIB", "10"),
        "02_liputan6_gempa-garut.txt": ("Gempa Magnitudo 4,8 Guncang Garut", "Ahmad Apriyono", "Diperbarui 18 Jun 2025, 15:45 WIB", "13"),
        "03_okezone_gempa-garut.txt": ("Gempa M4,8 Guncang Garut, Tak Berpotensi Tsunami", "Binti Mufarida", ", Jurnalis-Rabu, 18 Juni 2025 |17:02 WIB", "10"),
    }  # fmt: skip
    for name, (title, byline, date, depth) in pages.items():
        extra = EXTRA[name.split("_")[1]]
        text = QUAKE.format(title=title, byline=byline, date=date, depth=depth, extra=extra)
        (story / name).write_text(text, encoding="utf-8")
    detik = (story / "01_detik_gempa-garut.txt").read_text(encoding="utf-8")
    (story / "04_kompas_gempa-garut.txt").write_text(detik.replace("Budi Santoso -detikNews", "Rina Wati"), "utf-8")
    (story / "05_emas.txt").write_text(GOLD, encoding="utf-8")
    (story / "06_seisme.txt").write_text(FRENCH, encoding="utf-8")
    (story / "07_warga.txt").write_text(
        "Warga Garut Berhamburan\n\nWarga Garut berhamburan keluar rumah saat gempa bermagnitudo 4,8 mengguncang "
        "Kabupaten Garut pada Rabu sore. Gempa juga dirasakan warga di Tasikmalaya dan Pangandaran.\n",
        encoding="utf-8",
    )
    long_title = "Gempa Guncang Garut " + " ".join(["dan Warga Berhamburan Keluar Rumah"] * 60)
    record = {"title": long_title, "outlet": "Antara", "date": "2025-06-18T16:00:00+07:00", "text": detik}
    (story / "08_antara.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    (story / "09_laporan.pdf").write_bytes(b"%PDF-1.4")
    (story / "10_kosong.txt").write_bytes(b"")
    (story / "11_spasi.txt").write_text("   \n\n  ", encoding="utf-8")
    (story / "12_arsip.json").write_text("[]", encoding="utf-8")
    (story / "README.md").write_text("Berita gempa Garut yang dikumpulkan.\n", encoding="utf-8")
    return story


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_story(tmp_path_factory.mktemp("story"))


@pytest.fixture(scope="module")
def synthetic(story: Path) -> BriefingRecord:
    return brief(load_folder(story), RunOptions(lang="id", summarizer="extractive"))


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> BriefingRecord:
    return brief(load_folder(seeds_dir), RunOptions(lang="id", summarizer="extractive"))


@pytest.fixture(scope="module")
def scripted(seeds: BriefingRecord) -> BriefingRecord:
    """The seeds briefed from a model's Indonesian draft that goes wrong every way the verifier
    reports: a wrong citation (re-cited), an invented claim, a changed number, a quotation no
    source has, a sentence without citation (dropped), and a title naming a number nobody gave."""
    draft = BriefingDraft(
        "Rusia Kirim 99.000 Tentara ke Kursk",
        [
            DraftSentence("Sekretaris Jenderal NATO Mark Rutte membenarkan pasukan Korea Utara dikirim ke Rusia.", [4]),
            DraftSentence("Rusia dan Ukraina sepakat melakukan gencatan senjata di wilayah Kursk.", [1]),
            DraftSentence("Pentagon mencatat sekitar 25.000 tentara Korea Utara dikirim untuk berlatih di Rusia.", [2]),
            DraftSentence('Putin berkata "kami akan memenangkan perang ini" dalam konferensi pers.', [1]),
            DraftSentence("Presiden Amerika Serikat Joe Biden menyebut pengerahan itu berbahaya.", []),
        ],
        "scripted",
        notes=[Message("summary.briefing_groups", tokens=2048, groups=2)],
    )
    texts = seeds.originals
    briefing = compose_briefing(seeds.folder, seeds.sources, texts, texts, draft, seeds.summaries, "id")
    return replace(seeds, briefing=briefing)


# --- what a reader sees ----------------------------------------------------------------------------


class _VisibleText(HTMLParser):
    """Text nodes outside <style>/<script>, and the attributes a screen reader or tooltip shows."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.lang: str | None = None
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._hidden += 1
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        self.texts += [value for name, value in attrs if name in ("aria-label", "title", "alt") and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data)


def html_texts(page: str) -> tuple[list[str], str | None]:
    parser = _VisibleText()
    parser.feed(page)
    return parser.texts, parser.lang


# A backslash before ASCII punctuation is a CommonMark escape: the reader sees the character.
MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def markdown_texts(page: str) -> list[str]:
    return [MARKDOWN_ESCAPE.sub(r"\1", line) for line in page.splitlines() if line.strip()]


def visible_texts(record: BriefingRecord) -> dict[str, list[str]]:
    """Every output page a reader opens, as the texts on it."""
    pages = {**markdown.render(record), **articles.render(record)}
    texts = {name: markdown_texts(page) for name, page in pages.items()}
    page, lang = html_texts(html_out.render(record)[html_out.FILE_NAME])
    assert lang == record.language
    texts[html_out.FILE_NAME] = page
    return texts


def source_strings(record: BriefingRecord) -> list[str]:
    """Everything a briefing shows that comes from the articles or names them, longest first."""
    found: set[str] = {record.folder.name, record.folder.path}
    for article in record.folder.articles:
        meta = article.metadata
        found |= {article.id, article.source.path, *(s.text for s in article.sentences())}
        found |= {v for v in (meta.title, meta.outlet, meta.author, meta.date_text, meta.url) if v}
    found |= {s.path for s in record.folder.skipped}
    found |= {t.text for t in record.translated.values()}
    found |= {s.text for summary in record.summaries for s in summary.sentences}
    b = record.briefing
    found |= {b.title, *(p.text for p in b.points), *(d.text for d in b.dropped)}
    # A point as the list of changed citations cuts it, and the JSON field names a reader must use.
    found |= {p.text[:77].rstrip() for p in b.points} | {", ".join(TEXT_FIELDS)}
    found |= {m.name for m in record.models} | {s.title or "" for s in b.sources}
    for group in b.figures:
        found |= {group.qualifier or ""}
        for c in group.claims:
            found |= {c.display, c.text, c.who or "", c.when or "", c.as_written}
    for conflict in b.conflicts:
        found |= {c.text for c in conflict.claims} | {c.sentence for c in conflict.claims}
        found |= {conflict.what} if not isinstance(conflict.what, Message) else set(conflict.what.values.values())
    # The outputs show every value on one line, its runs of spaces as one.
    return sorted({" ".join(s.split()) for s in found if s and s.strip()}, key=len, reverse=True)


def tool_words(text: str, sources: list[str]) -> list[str]:
    """The words the tool itself wrote in `text`: the articles' text, quotations, options removed."""
    text = " ".join(text.split())
    for source in sources:
        if source in text:
            text = text.replace(source, " ")
    text = OPTION.sub(" ", QUOTED.sub(" ", text))
    return [w for w in WORD.findall(text) if w.casefold() not in ALLOWED and len(w) > 1]


def wrong_language(record: BriefingRecord) -> list[tuple[str, str, str]]:
    """(page, text, why) for every tool text that is not in the briefing's language."""
    sources = source_strings(record)
    others = ENGLISH_WORDS if record.language == "id" else INDONESIAN_WORDS
    found = []
    for page, texts in visible_texts(record).items():
        for text in texts:
            words = tool_words(text, sources)
            foreign = [w for w in words if w.casefold() in others]
            if foreign:
                found.append((page, text, f"words {foreign}"))
            elif len(words) >= MIN_IDENTIFIED_WORDS:
                english = english_probability(" ".join(words)) >= 0.5
                if english != (record.language == "en"):
                    found.append((page, text, f"identified as {'en' if english else 'id'}: {' '.join(words)}"))
    return found


def as_english(record: BriefingRecord) -> BriefingRecord:
    """The same briefing rendered for an English reader: every word the tool adds is English."""
    return replace(record, language="en", briefing=replace(record.briefing, language="en"))


# --- the harness itself --------------------------------------------------------------------------


def test_the_harness_catches_an_english_label_and_an_english_reason(synthetic: BriefingRecord) -> None:
    leaky = replace(ID, key_points="Key points", messages={**ID.messages, "read.empty": "empty file (0 bytes)"})
    from summarizer.output import labels

    original = labels.LABELS["id"]
    labels.LABELS["id"] = leaky
    try:
        found = wrong_language(synthetic)
    finally:
        labels.LABELS["id"] = original
    assert any(text == "## Key points" for _, text, _ in found)
    assert any("empty file" in text for _, text, _ in found)


def test_the_harness_catches_an_english_sentence_without_listed_words() -> None:
    # No word below is on the word list: py3langid must catch it.
    assert english_probability("verifier discarded unsupported citations") >= 0.5
    assert english_probability("pemeriksa membuang sitasi yang tidak didukung") < 0.5


# --- the briefing language, both ways ------------------------------------------------------------


def test_the_synthetic_folder_triggers_every_optional_part(synthetic: BriefingRecord) -> None:
    b = synthetic.briefing
    assert any(s.copies for s in b.sources)
    assert b.conflicts and b.off_topic and synthetic.folder.skipped and synthetic.flags
    assert any(a.metadata.outlet is None for a in synthetic.folder.articles)
    notes = [n for a in synthetic.folder.articles for n in a.notes]
    assert any(isinstance(n, Message) and n.key == "read.cut" for n in notes)
    assert any(isinstance(n, Message) and n.key == "clean.short" for n in notes)


def test_the_seeds_have_notes_and_changed_citations(seeds: BriefingRecord, scripted: BriefingRecord) -> None:
    assert seeds.briefing.notes and any(p.changes for p in seeds.briefing.points)
    b = scripted.briefing
    assert len(b.dropped) >= 2 and b.metrics.recited >= 1
    keys = {n.key for n in b.notes if isinstance(n, Message)}
    assert {"note.title_replaced", "note.no_support", "note.filled", "summary.briefing_groups"} <= keys


@pytest.mark.parametrize("which", ["seeds", "synthetic", "scripted"])
def test_an_indonesian_briefing_has_no_english_of_the_tools_own(which: str, request: pytest.FixtureRequest) -> None:
    record = request.getfixturevalue(which)
    assert wrong_language(record) == []


@pytest.mark.parametrize("which", ["seeds", "synthetic", "scripted"])
def test_the_same_briefing_in_english_has_no_indonesian_of_the_tools_own(
    which: str, request: pytest.FixtureRequest
) -> None:
    assert wrong_language(as_english(request.getfixturevalue(which))) == []


def test_an_english_briefing_with_translations_and_flags_stays_english() -> None:
    record = make_record()
    assert wrong_language(record) == []
    page = markdown.render_briefing(record)
    assert "## Key points" in page and "shown citations: precision" in page
    assert ID.key_points not in page and "sitasi" not in page


def test_the_cli_writes_an_indonesian_briefing(story: Path, tmp_path: Path) -> None:
    """The files `summarize <folder> --lang id --summarizer extractive` writes, read from disk."""
    out = tmp_path / "out"
    done = runner.invoke(app, route([str(story), "--lang", "id", "--summarizer", "extractive", "-o", str(out)]))
    assert done.exit_code == 1, done.output  # skipped files
    folder = out / story.name
    page = (folder / "briefing.md").read_text(encoding="utf-8")
    for heading in (ID.key_points, ID.figures, ID.sources, ID.verification):
        assert f"## {heading}" in page
    assert "sitasi yang ditampilkan: presisi" in page
    assert '<html lang="id">' in (folder / "briefing.html").read_text(encoding="utf-8")
    # The run table and the CLI's messages are the UI's language, English, whatever --lang says.
    assert "briefed" in done.output and "skipped" in done.output


# --- the tables ------------------------------------------------------------------------------------


def _placeholders(template: str) -> set[str]:
    return set(re.findall(r"{(\w+)", template))


def test_every_label_and_message_has_a_wording_in_each_language() -> None:
    plain = [f.name for f in fields(EN) if isinstance(getattr(EN, f.name), str) and f.name != "language"]
    for name in plain:
        assert getattr(ID, name) and getattr(EN, name), name
        assert _placeholders(getattr(ID, name)) == _placeholders(getattr(EN, name)), name
    same = [n for n in plain if getattr(EN, n) == getattr(ID, n)]
    assert same == []
    assert EN.messages.keys() == ID.messages.keys()
    for key, template in EN.messages.items():
        assert _placeholders(ID.messages[key]) == _placeholders(template), key
    assert EN.nouns.keys() == ID.nouns.keys()
    assert labels_for("id") is ID and labels_for("en") is EN and labels_for("xx") is EN


def test_a_message_is_its_english_wording_and_keeps_its_key() -> None:
    reason = Message("cite.unsupported", marks="[2]", problems=Message("support.overlap", overlap=0.5, minimum=0.6))
    assert reason == "[2] does not support it: wording overlap 0.50 below 0.6"
    assert ID.say(reason) == "[2] tidak mendukungnya: kesamaan kata 0,50, di bawah batas 0,6"
    assert EN.say("text from a source") == ID.say("text from a source") == "text from a source"
    stored = json.loads(json.dumps(reason.to_data()))
    assert ID.say(message_from_data(stored)) == ID.say(reason)


def test_inspect_and_the_run_report_speak_the_ui_language(story: Path) -> None:
    """`summarize inspect` has no briefing language: its reasons and notes are English."""
    done = runner.invoke(app, route(["inspect", str(story)]))
    assert done.exit_code == 1, done.output  # skipped files
    assert "empty file (0 bytes)" in done.output and "title cut to 300 characters" in done.output
    assert "berkas kosong" not in done.output


def test_a_cached_summarys_notes_are_worded_in_the_briefing_language(story: Path, tmp_path: Path) -> None:
    """Summaries come back from the on-disk cache with their notes' keys, not as English text."""
    from summarizer.cache import Cache

    folder = load_folder(story)
    options = RunOptions(lang="id", summarizer="extractive")
    with Cache(tmp_path / "cache.sqlite3") as cache:
        fresh = brief(folder, options, cache=cache)
    with Cache(tmp_path / "cache.sqlite3") as cache:
        cached = brief(folder, options, cache=cache)
    assert cached.summaries_cached == len(cached.summaries) > 0
    noted = [s for s in cached.summaries if s.notes]
    assert noted and all(isinstance(n, Message) for s in noted for n in s.notes)
    assert articles.render(cached) == articles.render(fresh)
    assert wrong_language(cached) == []


CORPUS_ROOT = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS_ROOT.is_dir(), reason="../shared/corpus is not present")
def test_corpus_briefings_are_wholly_in_their_language(tmp_path: Path) -> None:
    import shutil

    folders = sorted(p for p in CORPUS_ROOT.iterdir() if p.is_dir() and p.name.endswith("-jun2025"))
    assert folders
    for path in folders:
        story = tmp_path / path.name  # only the articles, as test_brief copies them
        story.mkdir()
        for file in path.glob("*.txt"):
            shutil.copy(file, story / file.name)
        record = brief(load_folder(story), RunOptions(lang="id", summarizer="extractive"))
        assert wrong_language(record) == [], path.name
        assert wrong_language(as_english(record)) == [], path.name
