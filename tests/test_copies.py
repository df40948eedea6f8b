"""Copies are the same report, not the same template; a copy's own sentences stay citable."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from summarizer.cli import app, route
from summarizer.document import Article, Metadata, Paragraph, Sentence, SourceFile, sentence_id
from summarizer.ingest.dedup import find_duplicates, pairwise_scores
from summarizer.ingest.folder import load_folder

runner = CliRunner()


def _article(article_id: str, sentences: list[str], outlet: str | None = None) -> Article:
    built = [Sentence(sentence_id(article_id, 1, n), t) for n, t in enumerate(sentences, start=1)]
    source = SourceFile(path=article_id, format="txt", encoding="utf-8", sha256="0" * 64)
    return Article(article_id, source, Metadata(outlet=outlet), "id", "id", [Paragraph(1, "text", built)])


def _verdict(defendant: str, years: int, fine: str, role: str) -> list[str]:
    """One outlet's court template, filled in for one defendant."""
    return [
        f"Majelis hakim Pengadilan Tipikor Jakarta menjatuhkan vonis {years} tahun penjara kepada {defendant}.",
        f"{defendant} juga dihukum membayar denda Rp{fine} subsider enam bulan kurungan.",
        f"Hakim menyatakan {defendant} terbukti bersalah melakukan korupsi secara bersama-sama sebagai {role}.",
        "Putusan dibacakan dalam sidang yang digelar di Pengadilan Tipikor Jakarta Pusat pada Kamis (19/6/2025).",
        f"Vonis terhadap {defendant} lebih ringan dari tuntutan jaksa penuntut umum.",
        "Atas putusan tersebut, terdakwa dan jaksa menyatakan pikir-pikir selama tujuh hari.",
    ]


def test_one_template_two_defendants_is_not_a_copy() -> None:
    first = _article("a.txt", _verdict("Budi Santoso", 7, "500 juta", "pejabat pembuat komitmen"), "detik")
    second = _article("b.txt", _verdict("Andi Wijaya", 5, "300 juta", "direktur perusahaan rekanan"), "Kompas.com")
    (score,) = pairwise_scores([first, second]).values()
    assert score.coverage >= 0.5  # the template aligns ...
    assert score.vetoed and not score.is_duplicate  # ... but the people and figures differ
    assert "budi" in score.example or "7" in score.example
    assert find_duplicates([first, second]) == []


def test_a_wire_copy_with_a_spelling_variant_is_still_a_copy() -> None:
    text = [
        "Polres Padang Pariaman menangkap Satria Juhanda alias Wanda (25) di rumahnya pada Kamis (19/6/2025).",
        "Tersangka membunuh tiga perempuan dan membuang dua jenazah ke sumur tua di belakang rumah.",
        "Kapolres AKBP Ahmad Faisol mengatakan motif pembunuhan masih didalami penyidik.",
        "Polisi juga menyita sebilah parang dan sepeda motor milik korban sebagai barang bukti.",
    ]
    copy = [t.replace("Juhanda", "Johanda").replace("(19/6/2025)", "(19/6)") for t in text]
    copy.append("Kasus ini menggegerkan warga Kabupaten Padang Pariaman sejak pekan lalu.")
    (cluster,) = find_duplicates([_article("a.txt", text, "Liputan6.com"), _article("b.txt", copy, "detikNews")])
    assert {cluster.original, *cluster.copies} == {"a.txt", "b.txt"}


def test_an_outlets_update_that_reuses_its_earlier_text_is_a_new_report() -> None:
    earlier = [
        "Pemerintah menyiapkan evakuasi 380 WNI dari Iran melalui jalur darat.",
        "Kedutaan Besar RI di Teheran sudah mendata seluruh WNI yang ingin pulang.",
        "Menlu Sugiono mengatakan keselamatan WNI menjadi prioritas utama pemerintah.",
        "Rute darat dipilih karena wilayah udara Iran ditutup untuk penerbangan sipil.",
    ]
    later = ["Evakuasi tahap pertama dimulai hari ini dengan empat bus dari Teheran menuju Baku.", *earlier]
    later += ["Sebanyak 115 WNI diberangkatkan pada gelombang pertama, kata juru bicara Kemlu."]
    articles = [_article("a.txt", earlier, "detikNews"), _article("b.txt", later, "detikNews")]
    (score,) = pairwise_scores(articles).values()
    assert score.coverage == 1.0 and not score.is_duplicate
    assert find_duplicates(articles) == []


STATEMENT = (
    "PT Sinar Terang Abadi menyatakan pabrik di Cikarang berhenti beroperasi sejak Senin (16/6/2025). "
    "Penghentian dilakukan untuk pemeriksaan mesin setelah kebakaran kecil di gudang bahan baku. "
    "Perusahaan memastikan seluruh 1.200 karyawan tetap menerima gaji selama pabrik berhenti."
)
BACKGROUND = (
    "Pabrik tersebut dibangun pada 1998 dan memasok komponen untuk tiga merek mobil nasional. "
    "Tahun lalu perusahaan mencatat penjualan Rp4,2 triliun, naik 12 persen dari tahun sebelumnya."
)


def test_a_copys_own_background_reaches_the_briefing_cited_to_the_copy(tmp_path: Path) -> None:
    story = tmp_path / "statement"
    story.mkdir()
    header = "Pabrik Sinar Terang Berhenti Beroperasi\n{author}\n{date}\n"
    pages = {
        "01_kompas.txt": ("Rina Wati", "Kompas.com- 17/06/2025, 09:00 WIB", "JAKARTA, KOMPAS.com - " + STATEMENT),
        "02_detik.txt": ("Andi Saputra -detikFinance", "Selasa, 17 Jun 2025 10:00 WIB", STATEMENT),
        "03_tempo.txt": (
            "Sari Dewi",
            "17 Juni 2025 | 11.00 WIB",
            "TEMPO.CO, Jakarta - " + STATEMENT + "\n" + BACKGROUND,
        ),
    }
    for name, (author, date, body) in pages.items():
        (story / name).write_text(header.format(author=author, date=date) + body + "\n", encoding="utf-8")
    folder = load_folder(story)
    (cluster,) = folder.clusters
    assert len(cluster.copies) == 2
    out = tmp_path / "out"
    args = [str(story), "--lang", "id", "--summarizer", "extractive", "-o", str(out), "-q"]
    result = runner.invoke(app, route(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    briefing = json.loads((out / "statement" / "briefing.json").read_text(encoding="utf-8"))["briefing"]
    cited = {cite["id"] for point in briefing["points"] for cite in point["cites"]}
    texts = " ".join(point["text"] for point in briefing["points"])
    assert "Rp4,2 triliun" in texts or "1998" in texts
    assert any(sid.startswith("03_tempo.txt:") for sid in cited)
