"""Cleaning Indonesian news text: real lines from the seeds and the scraped corpus."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from summarizer.document import CleanedDocument, Metadata, RawDocument, SourceFile
from summarizer.ingest.clean import build_vocabulary, clean
from summarizer.ingest.clean_dates import find_body_date, parse_date, parse_date_line
from summarizer.ingest.clean_repair import repair_line
from summarizer.ingest.clean_rules import dateline, is_title, looks_like_heading, match_line, read_also_span

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "saudia-bomb-threat-jun2025"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not on this machine")


def raw_doc(text: str, name: str = "a.txt", **kwargs: object) -> RawDocument:
    return RawDocument(name, SourceFile(name, "txt", "utf-8", "0" * 64), text, **kwargs)  # type: ignore[arg-type]


def clean_folder(folder: Path) -> dict[str, CleanedDocument]:
    raws = [raw_doc(path.read_text(encoding="utf-8"), path.name) for path in sorted(folder.glob("*.txt"))]
    vocabulary = build_vocabulary(raw.text for raw in raws)
    return {raw.id.split("_")[0]: clean(raw, vocabulary) for raw in raws}


def body(doc: CleanedDocument) -> str:
    return "\n".join(block.text for block in doc.blocks)


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text))


def assert_nothing_lost(doc: CleanedDocument) -> None:
    """Every word of the input is in a block or a Removal (repairs only moved spaces)."""
    kept = words(body(doc)) + words(" ".join(r.text for r in doc.removals))
    kept += words(" ".join(r.text_before for r in doc.repairs))
    kept -= words(" ".join(r.text_after for r in doc.repairs))
    missing = words(doc.raw.text) - kept
    assert not missing, f"{doc.raw.id}: words lost: {sorted(missing)}"


@pytest.fixture(scope="module")
def seeds() -> dict[str, CleanedDocument]:
    return clean_folder(SEEDS)


@pytest.fixture(scope="module")
def corpus() -> dict[str, CleanedDocument]:
    return clean_folder(CORPUS)


# ---- rules, one at a time ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "iso", "text"),
    [
        ("Selasa, 17 Jun 2025 15:18 WIB", "2025-06-17T15:18:00+07:00", "Selasa, 17 Jun 2025 15:18 WIB"),
        ("Diperbarui 17 Jun 2025, 21:00 WIB", "2025-06-17T21:00:00+07:00", "17 Jun 2025, 21:00 WIB"),
        (
            ",\u00a0 Jurnalis-Rabu, 18 Juni 2025 |20:45 WIB",
            "2025-06-18T20:45:00+07:00",
            "Rabu, 18 Juni 2025 |20:45 WIB",
        ),
        ("Kompas.com- 18/06/2025, 20:32 WIB", "2025-06-18T20:32:00+07:00", "18/06/2025, 20:32 WIB"),
        ("19 Juni 2025 | 09.47 WIB", "2025-06-19T09:47:00+07:00", "19 Juni 2025 | 09.47 WIB"),
        ("Kamis, 3 Okt 2024 10:00 WITA", "2024-10-03T10:00:00+08:00", "Kamis, 3 Okt 2024 10:00 WITA"),
        ("28 Oktober 2024", "2024-10-28", "28 Oktober 2024"),
    ],
)
def test_date_lines_become_iso_dates(line: str, iso: str, text: str) -> None:
    found = parse_date_line(line)
    assert found is not None and (found.iso, found.text) == (iso, text)


def test_a_sentence_with_a_date_is_not_a_date_line() -> None:
    sentence = "Sekretaris Jenderal aliansi Mark Rutte pada Senin 28 Oktober 2024 mengatakan, dia dapat mengonfirmasi"
    assert parse_date_line(sentence) is None
    assert parse_date(sentence).iso == "2024-10-28"  # type: ignore[union-attr]


def test_date_in_brackets_inside_the_story() -> None:
    found = find_body_date("kata Dirjen Hubdar, Lukman F Laisa, kepada wartawan, Selasa (17/6/2025).")
    assert found is not None and (found.iso, found.text) == ("2025-06-17", "Selasa (17/6/2025)")


@pytest.mark.parametrize(
    ("line", "span", "place", "outlet"),
    [
        ("JAKARTA- Pakta Pertahanan Atlantik Utara", "JAKARTA- ", "Jakarta", None),
        ("KONTAN.CO.ID - JAKARTA. Keterlibatan Korea Utara", "KONTAN.CO.ID - JAKARTA. ", "Jakarta", "Kontan"),
        ("MOSKOW - Menteri luar negeri Korea Utara", "MOSKOW - ", "Moskow", None),
        ("Liputan6.com, Jakarta -Sebuah pesawat", "Liputan6.com, Jakarta -", "Jakarta", "Liputan6.com"),
        ("JAKARTA, KOMPAS.com- Kementerian Agama", "JAKARTA, KOMPAS.com- ", "Jakarta", "Kompas.com"),
        ("TEMPO.CO,Jakarta- Kepolisian Resor", "TEMPO.CO,Jakarta- ", "Jakarta", "Tempo"),
        ("Jakarta (ANTARA) - Presiden", "Jakarta (ANTARA) - ", "Jakarta", "Antara"),
        ("Jakarta, CNN Indonesia -- Menteri", "Jakarta, CNN Indonesia -- ", "Jakarta", "CNN Indonesia"),
        ("Jakarta - Pesawat Saudia Airlines", "Jakarta - ", "Jakarta", None),
    ],
)
def test_datelines(line: str, span: str, place: str, outlet: str | None) -> None:
    found = dateline(line)
    assert found is not None and (found.text, found.place, found.outlet) == (span, place, outlet)


@pytest.mark.parametrize(
    "line",
    [
        "Minggu lalu, pemimpin Belarusia Alexander Lukashenko - sekutu setia Presiden Putin",
        "Jakarta menjadi tuan rumah pertemuan tersebut.",
        "Rusia-Ukraina kembali memanas pekan ini.",
        "COVID-19 masih menjadi ancaman.",
        "Pesawat Saudia dengan nomor penerbangan SV-5276 rute Jeddah-Jakarta",
    ],
)
def test_lines_that_only_start_with_a_place_are_not_datelines(line: str) -> None:
    assert dateline(line) is None


def test_read_also_headline_is_cut_where_the_story_resumes() -> None:
    line = (
        "Baca Juga: 10 Kapal Induk Terbesar di Dunia: Armada Amerika Serikat Memimpin Laporan ini juga "
        "dikonfirmasi oleh Sekjen NATO, Mark Rutte."
    )
    start, end = read_also_span(line)  # type: ignore[misc]
    assert line[start:end].strip() == "Baca Juga: 10 Kapal Induk Terbesar di Dunia: Armada Amerika Serikat Memimpin"
    assert line[end:].startswith("Laporan ini juga dikonfirmasi")


@pytest.mark.parametrize(
    ("line", "story"),
    [
        (
            "Baca Juga: Sekjen NATO Konfirmasi Kehadiran Pasukan Korea Utara di Rusia Putin juga menggelar pertemuan BRICS",
            "Putin juga",
        ),
        (
            "Baca Juga: Utusan Korsel akan Berkunjung ke Markas NATO, Bicarakan Hubungan Rusia-Korut Ia berhenti mengonfirmasi",
            "Ia berhenti",
        ),
        (
            "Baca juga:Kesaksian Jemaah Haji Asal Depok Saat Pesawatnya Mendarat Darurat karena Ancaman Bom",
            "",
        ),
    ],
)
def test_read_also_keeps_the_glued_story(line: str, story: str) -> None:
    start, end = read_also_span(line)  # type: ignore[misc]
    assert start == 0 and line[end:].startswith(story) and (story or end == len(line))


@pytest.mark.parametrize(
    ("line", "rule", "values"),
    [
        ("SCROLL TO CONTINUE WITH CONTENT", "scroll-prompt", {}),
        ("Advertisement", "advertisement", {}),
        ("ADVERTISEMENT", "advertisement", {}),
        ("Baca Juga", "related-label", {}),
        ("--------", "rule-line", {}),
        ("Artikel ini telah naik didetikSumut.", "syndication", {"syndicated_from": "detikSumut"}),
        (
            'Artikel ini telah tayang di Kompas.com dengan judul "Judul Asli Berita"',
            "syndication",
            {"syndicated_from": "Kompas.com"},
        ),
        ("(rdp/imk)", "editor-initials", {"editor": "rdp/imk"}),
        ("Editor: Handoyo .", "credit", {"editor": "Handoyo"}),
        (
            "Penulis: Anton Budiman | Editor: Sari Dewi",
            "credit",
            {"author": "Anton Budiman", "editor": "Sari Dewi"},
        ),
        ("Reporter: Rina Ayu", "credit", {"author": "Rina Ayu"}),
        ("Pewarta: Fianda Sjofjan Rassat", "credit", {"author": "Fianda Sjofjan Rassat"}),
        (
            "Laporan Wartawan Tribunnews.com, Ilham Rian Pratama",
            "credit",
            {"author": "Ilham Rian Pratama", "outlet": "Tribunnews.com"},
        ),
        ("Sumber: Antara", "credit", {"syndicated_from": "Antara"}),
        ("[Gambas:Video 20detik]", "video-embed", {}),
        ('Simak video "Detik-detik Pesawat Mendarat Darurat"', "video-teaser", {}),
        ("Tonton juga video: Kapolda Sumut Beri Keterangan", "video-teaser", {}),
        ("Lihat juga: Daftar Maskapai dengan Insiden Terbanyak", "see-also", {}),
        ("Pilihan Editor: Kronologi Ancaman Bom Saudia Airlines", "editor-picks", {}),
        ("Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com.", "promo", {}),
        ("Ikuti kami di Google News", "promo", {}),
        ("Halaman 1 2 3", "pagination", {}),
        ("Halaman selanjutnya", "pagination", {}),
        ("Copyright © 2025 ANTARA", "copyright", {}),
    ],
)
def test_boilerplate_lines(line: str, rule: str, values: dict[str, str]) -> None:
    match = match_line(line)
    assert match is not None and (match.rule, match.values) == (rule, values)


@pytest.mark.parametrize(
    "line",
    [
        "Warga menyebut kabar itu sebagai breaking news yang mengejutkan.",
        "Editor senior harian itu mengatakan redaksi akan menyelidiki kasus tersebut.",
        "Ikuti perkembangannya, kata polisi, tetapi jangan panik.",
        "Halaman gedung itu dipenuhi wartawan.",
        "Artikel ini menjelaskan kronologi kejadian.",
        "Pesawat Saudia Airlines mendapat ancaman bom.",
    ],
)
def test_story_sentences_are_not_boilerplate(line: str) -> None:
    assert match_line(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "Tentara Korea Utara Menuju Ukraina",
        "Meningkatkan Konflik",
        "PELATIHAN PASUKAN",
        "Dukungan Lanjutan dari Negara-negara Anti-Barat",
    ],
)
def test_section_headings(line: str) -> None:
    assert looks_like_heading(line)


@pytest.mark.parametrize(
    "line",
    [
        "Kremlin mengatakan Presiden Rusia Vladimir Putin tidak punya rencana untuk menemuinya.",
        '"Penumpangnya haji, jumlahnya 442 (orang)," kata Ferry.',
        "Di sana, pasukan Rusia mengalami kesulitan menahan serangan balik dari Ukraina.",
    ],
)
def test_story_lines_are_not_headings(line: str) -> None:
    assert not looks_like_heading(line)


def test_titles() -> None:
    assert is_title("Kronologi Saudia Airlines Diancam Bom sampai Mendarat Darurat di Kualanamu")
    assert is_title("Sekuritas Ini Revisi Target Harga Sido Muncul (SIDO) Jadi Rp620, Apa Alasannya?")
    assert not is_title(
        "Konfirmasi ini muncul setelah intelijen militer Ukraina mencatat keberadaan unit Korea Utara di wilayah Kursk, Rusia."
    )
    assert not is_title("Apakah kita akan menggunakannya atau tidak?")


CORPUS_WORDS = build_vocabulary(
    [
        "Usut Pelaku Teror Bom Pesawat. insiden ancaman bom. ancaman bom. membawa jemaah haji. jemaah haji "
        "tersebut. haji. Saudia Airlines. Saudia Airlines. pesawat pesawat bom laporan"
    ]
)


@pytest.mark.parametrize(
    ("token", "fixed", "rule"),
    [
        ("pesawatSaudia", "pesawat Saudia", "camel-join"),
        ("Airlinesyang", "Airlines yang", "word-join"),
        ("bomyang", "bom yang", "word-join"),
        ('"mengenaiancaman', '"mengenai ancaman', "word-join"),
        ("laporAFP,", "lapor AFP,", "camel-join"),
        ("dariCNA,", "dari CNA,", "camel-join"),
        ("442jemaah", "442 jemaah", "digit-join"),
        ("400-anjemaah", "400-an jemaah", "digit-join"),
        ("hajitersebut", "haji tersebut", "word-join"),
        ("insidenancaman", "insiden ancaman", "word-join"),
        ("pelakuteror", "pelaku teror", "word-join"),
        ("bomterhadap", "bom terhadap", "word-join"),
        ("didetikSumut.", "di detikSumut.", "camel-join"),
    ],
)
def test_glued_words_are_repaired_and_recorded(token: str, fixed: str, rule: str) -> None:
    text, repairs = repair_line(f"kata {token} itu", 7, CORPUS_WORDS)
    assert text == f"kata {fixed} itu"
    assert [(r.text_before, r.text_after, r.line, r.rule) for r in repairs] == [(token, fixed, 7, rule)]


@pytest.mark.parametrize(
    "token",
    ["InJourney", "detikTravel", "iPhone", "Rp620", "SV-5276", "macOS", "Pyongyang", "paramiliter", "daripada",
     "Ukrainmengatakan", "asing.Informasi", "dikirim", "bersama", "pesawatnya", "meskipun", "10km"],
)  # fmt: skip
def test_words_that_are_not_glued_stay(token: str) -> None:
    vocabulary = CORPUS_WORDS + Counter({"kirim": 3, "sama": 3, "meski": 3, "militer": 3, "pyongyang": 1})
    assert repair_line(token, 1, vocabulary) == (token, [])


def test_a_name_made_of_function_words_stays_whole() -> None:
    vocabulary = build_vocabulary(["dan antara lain dan antara", "Danantara"])
    assert repair_line("Danantara", 1, vocabulary)[0] == "Danantara"


def test_a_joined_form_the_folder_uses_is_a_word() -> None:
    vocabulary = build_vocabulary(["matahari terbit. matahari terbenam. mata hari mata hari"])
    assert repair_line("matahari", 1, vocabulary)[0] == "matahari"


# ---- whole documents --------------------------------------------------------------------------


def test_seed_001_headlines_rubric_dateline_and_heading(seeds: dict[str, CleanedDocument]) -> None:
    doc = seeds["001"]
    assert doc.metadata.title == "NATO Konfirmasi Pasukan Korea Utara Sudah Beroperasi ke Kursk"
    assert (doc.metadata.section, doc.metadata.place, doc.metadata.dateline) == (
        "Dunia",
        "Jakarta",
        "JAKARTA-",
    )
    assert doc.blocks[0].text.startswith("Bentrokan terus terjadi") and doc.blocks[0].kind == "text"
    assert doc.blocks[1].text.startswith("Pakta Pertahanan Atlantik Utara")
    headlines = [r.line for r in doc.removals if r.rule == "related-headlines"]
    assert headlines == [8, 9, 10, 22, 23, 24]
    assert not any(word in body(doc) for word in ("Sekuritas", "Asuransi", "Bahlil", "Dunia\n"))
    assert [b.text for b in doc.blocks if b.kind == "heading"] == ["Meningkatkan Konflik"]
    assert "dukungan asing.Informasi resmi" in body(doc)


def test_seed_003_read_also_editor_and_kontan_dateline(seeds: dict[str, CleanedDocument]) -> None:
    doc = seeds["003"]
    assert (doc.metadata.outlet, doc.metadata.place, doc.metadata.editor) == ("Kontan", "Jakarta", "Handoyo")
    assert doc.metadata.title is None
    assert "Baca Juga" not in body(doc) and "Kapal Induk" not in body(doc) and "Handoyo" not in body(doc)
    assert [r.kind for r in doc.removals if r.rule == "baca-juga"] == ["span", "span", "span"]
    paragraphs = [b.text for b in doc.blocks]
    assert any(p.startswith("Laporan ini juga dikonfirmasi oleh Sekjen NATO, Mark Rutte") for p in paragraphs)
    assert any(p.startswith("Putin juga menggelar pertemuan BRICS") for p in paragraphs)
    assert any(p.startswith("Ia berhenti mengonfirmasi") for p in paragraphs)
    assert paragraphs[0].startswith("Keterlibatan Korea Utara")
    assert [b.text for b in doc.blocks if b.kind == "heading"] == [
        "Tentara Korea Utara Menuju Ukraina",
        "Peningkatan Kerjasama Rusia-Korea Utara",
        "Dukungan Lanjutan dari Negara-negara Anti-Barat",
        "Respon Amerika Serikat dan NATO",
        "Potensi Dampak pada Dukungan AS untuk Ukraina",
    ]


def test_seed_004_dateline_and_caps_heading(seeds: dict[str, CleanedDocument]) -> None:
    doc = seeds["004"]
    assert doc.metadata.place == "Moskow" and doc.blocks[0].text.startswith("Menteri luar negeri Korea Utara")
    assert [b.text for b in doc.blocks if b.kind == "heading"] == ["PELATIHAN PASUKAN"]


def test_plain_seeds_get_no_invented_title(seeds: dict[str, CleanedDocument]) -> None:
    for key in ("000", "002"):
        assert seeds[key].metadata.title is None and seeds[key].removals == []
        assert all(block.kind == "text" for block in seeds[key].blocks)
    assert len(seeds["000"].blocks) == 1
    assert seeds["002"].blocks[0].text.startswith("Konfirmasi ini muncul")


def test_every_seed_keeps_every_story_sentence(seeds: dict[str, CleanedDocument]) -> None:
    for doc in seeds.values():
        assert_nothing_lost(doc)
        assert not re.search(r"(?m)^- |JAKARTA-|MOSKOW -|KONTAN\.CO\.ID|Baca Juga|Editor:", body(doc))


@needs_corpus
def test_corpus_headers_become_metadata(corpus: dict[str, CleanedDocument]) -> None:
    expected = {
        "01": ("Tim detikcom", "2025-06-17T15:18:00+07:00", None),
        "02": ("Asnida Riani", "2025-06-17T21:00:00+07:00", "Jakarta"),
        "03": ("Finta Rahyuni", "2025-06-17T21:15:00+07:00", None),
        "04": ("Puteranegara Batubara", "2025-06-18T20:45:00+07:00", "Jakarta"),
        "05": ("Novianti Setuningsih", "2025-06-18T20:32:00+07:00", "Jakarta"),
        "06": ("Oyuk Ivani Siagian", "2025-06-19T09:47:00+07:00", "Jakarta"),
    }
    for key, (author, date, place) in expected.items():
        meta = corpus[key].metadata
        assert (meta.author, meta.date, meta.place) == (author, date, place), key
        assert meta.title and meta.title not in body(corpus[key])
    assert corpus["03"].metadata.syndicated_from == "detikSumut"
    assert corpus["04"].metadata.editor == "Arief Setyadi"
    assert corpus["05"].metadata.outlet == "Kompas.com" and corpus["06"].metadata.outlet == "Tempo"


@needs_corpus
def test_corpus_boilerplate_is_gone_and_story_stays(corpus: dict[str, CleanedDocument]) -> None:
    for doc in corpus.values():
        assert_nothing_lost(doc)
        text = body(doc)
        for junk in ("SCROLL TO CONTINUE", "Advertisement", "Baca juga", "Baca Juga", "----", "Artikel ini telah",
                     "Arief Setyadi", "KOMPAS.com-", "TEMPO.CO", "Liputan6.com", "JAKARTA-"):  # fmt: skip
            assert junk not in text, (doc.raw.id, junk)
    assert corpus["02"].blocks[0].text.startswith("Sebuah pesawat Saudia Airlines yang membawa ratusan jemaah")
    assert "kata InJourney Airports" in body(corpus["02"])
    assert "membawa 442 jemaah haji" in body(corpus["02"])
    assert "Jemaah Haji Penumpang Saudia Airlines yang Dapat Teror" not in body(corpus["05"])
    assert body(corpus["05"]).rstrip().endswith("kata Kepala Kemenag Depok Enjat Mujiat kepada wartawan, Rabu.")
    assert "sekitar 400-an jemaah haji tersebut" in body(corpus["06"])
    assert "SV-5276" in body(corpus["01"]) and "Rp" not in body(corpus["01"])


def test_container_title_is_not_looked_for_again() -> None:
    text = "Pesawat Mendarat Darurat di Kualanamu\nPesawat Saudia Airlines mendapat ancaman bom."
    doc = clean(raw_doc(text, metadata=Metadata(title="Judul Lain"), title_from_container=True))
    assert doc.metadata.title == "Judul Lain" and doc.blocks[0].text == "Pesawat Mendarat Darurat di Kualanamu"
    repeated = clean(
        raw_doc(text, metadata=Metadata(title="Pesawat Mendarat Darurat di Kualanamu"), title_from_container=True)
    )
    assert [r.rule for r in repeated.removals] == ["title-repeat"]
    assert [b.text for b in repeated.blocks] == ["Pesawat Saudia Airlines mendapat ancaman bom."]


def test_container_metadata_wins_over_the_page() -> None:
    text = "Judul Berita Ini\nAsnida Riani\nSelasa, 17 Jun 2025 15:18 WIB\nPesawat itu mendarat darurat."
    doc = clean(raw_doc(text, metadata=Metadata(date="2025-06-16", author="Redaksi")))
    assert (doc.metadata.date, doc.metadata.author) == ("2025-06-16", "Redaksi")
    assert [(r.rule, r.moved_to) for r in doc.removals] == [
        ("title", "title"),
        ("byline", None),
        ("date-line", "date_text"),
    ]


def test_inline_inserts_footers_and_pagination_in_one_page() -> None:
    text = "\n".join(
        [
            "Polisi Perketat Pengamanan Bandara",
            "Jakarta - Polisi memperketat pengamanan bandara, Selasa (17/6/2025). Warga menyebut kabar itu breaking news.",
            "[Gambas:Video 20detik]",
            'Simak Video "Detik-detik Pesawat Mendarat"',
            "Pengamanan dilakukan hingga akhir pekan, kata polisi. (rdp/imk)",
            "Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com.",
            "Halaman 1 2 3",
        ]
    )
    doc = clean(raw_doc(text))
    assert [b.text for b in doc.blocks] == [
        "Polisi memperketat pengamanan bandara, Selasa (17/6/2025). Warga menyebut kabar itu breaking news.",
        "Pengamanan dilakukan hingga akhir pekan, kata polisi.",
    ]
    assert (doc.metadata.date, doc.metadata.editor, doc.metadata.place) == (
        "2025-06-17",
        "rdp/imk",
        "Jakarta",
    )
    assert any("pagination" in note for note in doc.notes)
    assert any("taken from the story text" in note for note in doc.notes)
    assert_nothing_lost(doc)


def test_a_line_broken_mid_sentence_is_one_paragraph() -> None:
    text = "Pesawat itu membawa 442 jemaah haji\ndan mendarat darurat di Kualanamu.\nAdvertisement\nPilot memilih bandara terdekat."
    doc = clean(raw_doc(text))
    assert [(b.line, b.text) for b in doc.blocks] == [
        (1, "Pesawat itu membawa 442 jemaah haji dan mendarat darurat di Kualanamu."),
        (4, "Pilot memilih bandara terdekat."),
    ]


def test_a_list_of_names_in_the_story_is_kept() -> None:
    text = "Tiga pejabat hadir dalam rapat itu:\n- Joko Widodo\n- Prabowo Subianto\n- Gibran Rakabuming Raka\nRapat berlangsung tertutup."
    doc = clean(raw_doc(text))
    assert [(b.kind, b.text) for b in doc.blocks][1:4] == [
        ("text", "Joko Widodo"),
        ("text", "Prabowo Subianto"),
        ("text", "Gibran Rakabuming Raka"),
    ]
    assert {r.rule for r in doc.removals} == {"list-marker"}


def test_a_short_body_is_noted() -> None:
    doc = clean(raw_doc("Pesawat itu mendarat darurat di Kualanamu."))
    assert any("very short body" in note for note in doc.notes)
    assert clean(raw_doc("")).notes == ["no story text left after cleaning"]
