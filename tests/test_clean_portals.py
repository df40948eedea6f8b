"""Cleaning and metadata on portals beyond the seeds: scraped headers, glued datelines, outlets,
promos, repeated paragraphs and mojibake. Synthetic pages built like the real ones, plus the corpus."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from summarizer.document import CleanedDocument, RawDocument, SourceFile
from summarizer.ingest.clean import clean
from summarizer.ingest.clean_rules import byline, dateline
from summarizer.ingest.folder import load_folder
from summarizer.ingest.outlets import PORTALS, portal_for, portal_in_file_name, portals_mentioned
from summarizer.ingest.segment import segment

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def raw_doc(text: str, name: str = "a.txt") -> RawDocument:
    return RawDocument(name, SourceFile(name, "txt", "utf-8", "0" * 64), text)


def sentences(doc: CleanedDocument) -> list[str]:
    return [s.text for s in segment(doc, "id", "id").sentences()]


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text))


def assert_nothing_lost(doc: CleanedDocument) -> None:
    kept = words("\n".join(b.text for b in doc.blocks)) + words(" ".join(r.text for r in doc.removals))
    kept += words(" ".join(r.text_before for r in doc.repairs))
    kept -= words(" ".join(r.text_after for r in doc.repairs))
    assert not words(doc.raw.text) - kept


BODY = (
    "Bank Indonesia memperkirakan inflasi tetap terkendali dalam sasaran tahun ini.\n"
    "Gubernur BI Perry Warjiyo mengatakan harga pangan mulai stabil pada Juni 2025.\n"
)


# ---- scraped header: title, byline field, date field on lines 1-3 -----------------------------


def test_two_author_byline_and_kompas_date_line_are_metadata_not_sentences() -> None:
    text = (
        "Inflasi Juni Terkendali, BI Yakin Sasaran Tercapai\n"
        "Yohana Artha Uly, Erlangga Djumena\n"
        "Kompas.com- 19/06/2025, 09:31 WIB\n"
        "JAKARTA, KOMPAS.com-" + BODY
    )
    doc = clean(raw_doc(text))
    meta = doc.metadata
    assert meta.title == "Inflasi Juni Terkendali, BI Yakin Sasaran Tercapai"
    assert meta.author == "Yohana Artha Uly, Erlangga Djumena"
    assert meta.outlet == "Kompas.com"
    assert meta.date == "2025-06-19T09:31:00+07:00"
    found = sentences(doc)
    assert found[0].startswith("Bank Indonesia memperkirakan")
    assert not any("Djumena" in s or "19/06/2025" in s for s in found)
    assert_nothing_lost(doc)


def test_empty_title_line_never_promotes_the_byline_to_title() -> None:
    text = "\nFriska Yolandha\nKamis   19 Jun 2025  09:30 WIB\nREPUBLIKA.CO.ID,JAKARTA -- " + BODY
    doc = clean(raw_doc(text))
    assert doc.metadata.title is None
    assert doc.metadata.author == "Friska Yolandha"
    assert doc.metadata.outlet == "Republika"
    assert any("title line is empty" in note for note in doc.notes)


def test_glued_liputan6_dateline_is_split_off_and_names_the_outlet() -> None:
    text = "Inflasi Terkendali\nAgustina Melani\nDiperbarui 19 Jun 2025, 08:50 WIB\nLiputan6.com, Jakarta" + BODY
    doc = clean(raw_doc(text))
    assert doc.metadata.outlet == "Liputan6.com"
    assert doc.metadata.place == "Jakarta"
    assert sentences(doc)[0].startswith("Bank Indonesia memperkirakan")


@pytest.mark.parametrize(
    ("line", "place", "rest"),
    [
        ("JAKARTA-Harga emas turun.", "Jakarta", "Harga emas turun."),
        ("TEMPO.CO,Jakarta-Harga emas turun.", "Jakarta", "Harga emas turun."),
        ("Liputan6.com, Padang PariamanSJ alias Wanda ditangkap.", "Padang Pariaman", "SJ alias Wanda ditangkap."),
        ("REPUBLIKA.CO.ID,JAKARTA -- Harga emas turun.", "Jakarta", "Harga emas turun."),
    ],
)
def test_glued_datelines(line: str, place: str, rest: str) -> None:
    found = dateline(line)
    assert found is not None and found.place == place
    assert line[len(found.text) :].strip() == rest


def test_a_number_after_a_caps_word_is_not_a_dateline() -> None:
    assert dateline("COVID-19 kembali menyebar.") is None


def test_okezone_page_names_its_outlet_only_in_the_file_name() -> None:
    text = "Harga Emas Turun\nAnggie Ariesta\n, Jurnalis-Kamis, 19 Juni 2025 |08:50 WIB\nJAKARTA-" + BODY
    doc = clean(raw_doc(text, "02_okezone_harga-emas-turun.txt"))
    assert doc.metadata.outlet == "Okezone"
    assert doc.metadata.date == "2025-06-19T08:50:00+07:00"
    assert any("file name" in note for note in doc.notes)
    assert sentences(doc)[0].startswith("Bank Indonesia")


def test_antara_credits_give_author_editor_and_outlet() -> None:
    text = (
        "Inflasi Terkendali\n\n" + BODY + "Pewarta: Rizka Khaerunnisa Editor: Budi Santoso\nCopyright © ANTARA 2025\n"
    )
    doc = clean(raw_doc(text, "story.txt"))
    assert (doc.metadata.author, doc.metadata.editor, doc.metadata.outlet) == (
        "Rizka Khaerunnisa",
        "Budi Santoso",
        "Antara",
    )
    assert not any("Pewarta" in s or "ANTARA" in s for s in sentences(doc))


def test_outlet_from_a_footer_domain_mention() -> None:
    text = (
        "Harga Emas Turun\n\n"
        + BODY
        + "Dapatkan update berita pilihan setiap hari dari Suara.com, ikuti channel kami.\n"
    )
    doc = clean(raw_doc(text, "story.txt"))
    assert doc.metadata.outlet == "Suara.com"


@pytest.mark.parametrize(
    ("field", "author", "editor", "outlet", "section"),
    [
        ("Pewarta: Rizka Khaerunnisa Editor: Budi Santoso", "Rizka Khaerunnisa", "Budi Santoso", None, None),
        ("Matius Alfons Hutajulu -detikNews", "Matius Alfons Hutajulu", None, "detikNews", None),
        ("Lucas Aditya - Sepakbola", "Lucas Aditya", None, None, "Sepakbola"),
        ("Adil Nursalam, Sem Bagaskara Tim Redaksi", "Adil Nursalam, Sem Bagaskara", None, None, None),
    ],
)
def test_byline_fields(field: str, author: str, editor: str | None, outlet: str | None, section: str | None) -> None:
    found = byline(field)
    assert found is not None
    assert (found.author, found.editor, found.outlet, found.section) == (author, editor, outlet, section)


def test_a_sentence_is_not_a_byline() -> None:
    assert byline("Gempa terjadi di Garut pada sore hari.") is None


@pytest.mark.parametrize(
    ("name", "domain"),
    [
        ("detikFinance", "detik.com"),
        ("KOMPAS.com", "kompas.com"),
        ("Liputan6.com", "liputan6.com"),
        ("Okezone", "okezone.com"),
        ("TEMPO.CO", "tempo.co"),
        ("REPUBLIKA.CO.ID", "republika.co.id"),
        ("ANTARA", "antaranews.com"),
        ("CNN Indonesia", "cnnindonesia.com"),
        ("kumparanNEWS", "kumparan.com"),
        ("TRIBUNNEWS.COM", "tribunnews.com"),
        ("Suara.com", "suara.com"),
        ("merdeka.com", "merdeka.com"),
        ("SINDOnews.com", "sindonews.com"),
        ("VIVA.co.id", "viva.co.id"),
        ("Bisnis.com", "bisnis.com"),
        ("KONTAN.CO.ID", "kontan.co.id"),
        ("CNBC Indonesia", "cnbcindonesia.com"),
        ("IDN Times", "idntimes.com"),
        ("JPNN.com", "jpnn.com"),
        ("iNews.id", "inews.id"),
        ("https://news.detik.com/berita/d-123/x", "detik.com"),
    ],
)
def test_portal_names(name: str, domain: str) -> None:
    portal = portal_for(name)
    assert portal is not None and portal.domain == domain


def test_portal_words_in_prose_are_not_outlets() -> None:
    assert portal_for("Suara warga makin keras") is None
    assert portals_mentioned("Penonton memenuhi tribun stadion dengan suara riuh.") == []
    assert portal_in_file_name("01_harga-emas-tempo-hari-ini.txt") is None
    assert {p.domain for p in PORTALS} >= {"detik.com", "okezone.com", "antaranews.com", "jpnn.com"}


# ---- boilerplate ------------------------------------------------------------------------------


def test_promos_and_channel_footers_are_removed_and_audited() -> None:
    text = (
        "Harga Emas Turun\n\n" + BODY + "Ikuti Whatsapp Channel Republika\n"
        "Simak breaking news dan berita pilihan kami langsung di ponselmu.\n"
        "Download aplikasi Kompas untuk berita terbaru.\n"
        "https://www.whatsapp.com/channel/0029VaFPbedBPzjZrk13HO3D\n"
        ". Pastikan kamu sudah install aplikasi WhatsApp ya.\n"
    )
    doc = clean(raw_doc(text))
    kept = "\n".join(sentences(doc))
    for gone in ("Ikuti", "Simak", "Download", "whatsapp.com", "Pastikan"):
        assert gone not in kept
    assert {r.rule for r in doc.removals} >= {"promo", "url-line"}
    assert_nothing_lost(doc)


def test_promo_glued_to_the_last_line_goes_and_its_source_credit_is_kept() -> None:
    text = "Harga Emas Turun\n\n" + BODY.rstrip("\n") + "Ikuti Whatsapp Channel Republikasumber : ANTARA\n"
    doc = clean(raw_doc(text))
    assert sentences(doc)[-1].endswith("Juni 2025.")
    assert doc.metadata.syndicated_from == "ANTARA"


def test_a_sentence_about_whatsapp_is_kept() -> None:
    line = "Meta merilis fitur WhatsApp Channel baru bagi pengguna di Indonesia."
    doc = clean(raw_doc("Fitur Baru WhatsApp\n\n" + BODY + line + "\n"))
    assert line in sentences(doc)


def test_read_also_label_line_takes_the_headline_on_the_next_line() -> None:
    text = (
        "Harga Emas Turun\n\nBank Indonesia memperkirakan inflasi terkendali.\nBaca juga:\n"
        "Ronde 4 Kualifikasi Piala Dunia 2026: Indonesia Pot 3, Kapan Drawing?\n"
        "Gubernur BI mengatakan harga pangan stabil.\n"
    )
    doc = clean(raw_doc(text))
    assert sentences(doc) == [
        "Bank Indonesia memperkirakan inflasi terkendali.",
        "Gubernur BI mengatakan harga pangan stabil.",
    ]


def test_glued_read_also_headlines_inside_a_paragraph() -> None:
    text = (
        "Harga Emas Turun\n\nEmas Antam turun Rp7.000 per gram.Baca JugaJadwal Lengkap Agenda Presiden di Rusia"
        "Bandara Ahmad Yani Buka Rute Internasional ke Malaysia dan SingapuraSementara emas UBS kini dibanderol "
        "Rp1.941.000 per gram.\n"
    )
    doc = clean(raw_doc(text))
    kept = " ".join(sentences(doc))
    assert "Jadwal Lengkap" not in kept and "Bandara Ahmad Yani" not in kept
    assert "Sementara emas UBS kini dibanderol" in kept


def test_tag_list_under_the_story_is_removed() -> None:
    text = "Kebakaran Pool Bus\n\n" + BODY + "(jbr/mei)\nkebakaran\njabodetabek\nHoegeng Awards 2025\nSelengkapnya\n"
    doc = clean(raw_doc(text))
    assert sentences(doc)[-1].endswith("Juni 2025.")
    assert sum(r.rule == "tag-list" for r in doc.removals) == 4


def test_lines_broken_at_every_link_are_joined() -> None:
    text = (
        "Jepang Unggul\nLucas Aditya - Sepakbola\n10 Jun 2025 17:56\nJakarta\n-\nTimnas Indonesia\n"
        "ketinggalan 0-2 dari\nTimnas Jepang\ndalam laga lanjutan\nKualifikasi Piala Dunia 2026\n"
        ". Daichi Kamada membawa Samurai Biru unggul.\n"
    )
    doc = clean(raw_doc(text, "01_detik_jepang.txt"))
    assert sentences(doc) == [
        "Timnas Indonesia ketinggalan 0-2 dari Timnas Jepang dalam laga lanjutan Kualifikasi Piala Dunia 2026.",
        "Daichi Kamada membawa Samurai Biru unggul.",
    ]
    assert doc.metadata.place == "Jakarta" and doc.metadata.section == "Sepakbola"
    assert doc.metadata.outlet == "detik"


def test_repeated_paragraphs_and_nested_copies_count_once() -> None:
    first = "Emas Antam turun Rp7.000 dari semula Rp2.005.000 menjadi Rp1.998.000 per gram."
    second = "Emas UBS kini dibanderol dengan harga Rp1.941.000 atau turun Rp12.000 per gram."
    text = "Harga Emas Turun\n\n" + f"{first} {second}\n{first}\n{second}\n" * 20
    doc = clean(raw_doc(text))
    assert sentences(doc) == [first, second]
    article = segment(doc, "id", "id")
    rules = Counter(r.rule for r in article.removals)
    assert rules["repeated-paragraph"] + rules["repeated-sentence"] >= 58


def test_short_repeated_lines_stay() -> None:
    text = 'Sidang Hasto\n\n"Ya," jawab saksi.\nHakim bertanya lagi kepada saksi soal nomor itu.\n"Ya," jawab saksi.\n'
    assert sentences(clean(raw_doc(text))).count('"Ya," jawab saksi.') == 2


def test_mojibake_is_repaired_and_recorded() -> None:
    text = "Inflasi Terkendali\n\nBI menjaga inflasi dalam sasaran 2,5Â±1% tahun ini.\n“Harga stabil,” kata Perry.\n"
    doc = clean(raw_doc(text))
    found = sentences(doc)
    assert "BI menjaga inflasi dalam sasaran 2,5±1% tahun ini." in found
    assert "“Harga stabil,” kata Perry." in found  # curly quotes are not mojibake
    assert [(r.text_before, r.text_after, r.rule) for r in doc.repairs] == [("2,5Â±1%", "2,5±1%", "mojibake")]


# ---- the corpus -------------------------------------------------------------------------------


def corpus_folders() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*") if (p / "expected.json").is_file()) if CORPUS.is_dir() else []


@pytest.mark.corpus
@pytest.mark.skipif(not corpus_folders(), reason="the shared corpus is not on this machine")
def test_corpus_metadata_and_leaks(tmp_path: Path) -> None:
    right = total = 0
    leaks = []
    for folder in corpus_folders():
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        story = tmp_path / folder.name
        story.mkdir()
        for path in folder.glob("*.txt"):
            (story / path.name).symlink_to(path)
        loaded = load_folder(story)
        for article in loaded.articles:
            portal = portal_for(article.metadata.outlet or "")
            total += 2
            right += portal is not None and portal.domain == expected["outlets"][article.id]
            right += (article.metadata.date or "")[:10] == expected["dates"][article.id]
            kept = [s.text for s in article.sentences()]
            leaks += [(article.id, bad) for bad in expected["must_not_appear"] if any(bad in s for s in kept)]
    assert right / total >= 0.95
    assert leaks == []
