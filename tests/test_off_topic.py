"""Off-topic articles are found from the folder itself, left out, reported, and never guessed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app, route
from summarizer.ingest.folder import load_folder
from summarizer.inspect_view import render_folder

runner = CliRunner()

QUAKE = (
    "{title}\n{author}\n{date}\n"
    "Gempa bermagnitudo {mag} mengguncang wilayah {place}, Jawa Barat, {day}, pukul {time} WIB. "
    "Badan Meteorologi, Klimatologi, dan Geofisika (BMKG) menyebut pusat gempa berada di laut pada kedalaman "
    "{depth} kilometer. Getaran dirasakan warga {felt} dengan skala intensitas MMI III. "
    "BMKG memastikan gempa tidak berpotensi tsunami dan belum ada laporan kerusakan bangunan.\n"
    "Warga diimbau tetap tenang dan waspada terhadap kemungkinan gempa susulan, kata Kepala BMKG Bandung.\n"
)
GARUT = {
    "place": "Kabupaten Garut",
    "mag": "4,8",
    "time": "15.24",
    "depth": "10",
    "felt": "Garut, Tasikmalaya dan Pangandaran",
    "day": "Rabu (18/6/2025)",
}
PAGES = {
    "02_detik_gempa-garut.txt": ("Gempa M 4,8 Guncang Garut", "Budi Santoso -detikNews", "Rabu, 18 Jun 2025 15:39 WIB"),
    "03_liputan6_gempa-garut.txt": ("Gempa Magnitudo 4,8 Guncang Garut", "Ahmad Apriyono", "Diperbarui 18 Jun 2025, 15:45 WIB"),
    "04_okezone_gempa-garut.txt": ("Gempa M4,8 Guncang Garut, Tak Berpotensi Tsunami", "Binti Mufarida", ", Jurnalis-Rabu, 18 Juni 2025 |17:02 WIB"),
    "05_kompas_gempa-garut.txt": ("Gempa Garut Terasa Hingga Tasikmalaya", "Rina Wati", "Kompas.com- 18/06/2025, 18:00 WIB"),
}  # fmt: skip
EARLIER = ("Gempa Magnitudo 5,0 Guncang Pangandaran", "Devira Prastiwi", "Diperbarui 10 Jun 2025, 06:10 WIB")
UNRELATED = (
    "Harga Emas Antam Turun Rp6.000\nAgustina Melani\nDiperbarui 18 Jun 2025, 08:50 WIB\n"
    "Harga emas produksi PT Aneka Tambang Tbk kembali turun pada perdagangan Rabu pagi. "
    "Harga emas batangan kini dijual Rp1.937.000 per gram, turun dari Rp1.943.000 sehari sebelumnya. "
    "Harga pembelian kembali atau buyback juga merosot menjadi Rp1.787.000 per gram.\n"
)


def _story(tmp_path: Path, extra: dict[str, str]) -> Path:
    story = tmp_path / "gempa"
    story.mkdir()
    for name, (title, author, date) in PAGES.items():
        text = QUAKE.format(title=title, author=author, date=date, **GARUT)
        (story / name).write_text(text, encoding="utf-8")
    for name, text in extra.items():
        (story / name).write_text(text, encoding="utf-8")
    return story


def _earlier_quake(day_in_text: str) -> str:
    values = {**GARUT, "place": "Kabupaten Pangandaran", "mag": "5,0", "time": "23.55", "day": day_in_text}
    title, author, date = EARLIER
    return QUAKE.format(title=title, author=author, date=date, **values)


def test_a_similar_event_at_another_time_is_left_out(tmp_path: Path) -> None:
    story = _story(tmp_path, {"01_liputan6_gempa-pangandaran.txt": _earlier_quake("Senin (9/6/2025)")})
    folder = load_folder(story)
    (item,) = folder.off_topic
    assert item.article_id == "01_liputan6_gempa-pangandaran.txt"
    assert item.reason == "another-time"
    assert "2025-06-09" in item.detail and "8 days" in item.detail
    assert "01_liputan6_gempa-pangandaran.txt: another-time" in render_folder(folder)


def test_a_late_article_that_names_the_events_day_is_kept_with_a_note(tmp_path: Path) -> None:
    late = _earlier_quake("Rabu (18/6/2025)").replace("Diperbarui 10 Jun 2025", "Diperbarui 26 Jun 2025")
    folder = load_folder(_story(tmp_path, {"09_liputan6_gempa-garut-sepekan.txt": late}))
    assert folder.off_topic == []
    assert any("09_liputan6" in note and "kept" in note for note in folder.topic_notes)


def test_an_unrelated_page_is_left_out(tmp_path: Path) -> None:
    folder = load_folder(_story(tmp_path, {"06_liputan6_harga-emas.txt": UNRELATED}))
    (item,) = folder.off_topic
    assert (item.article_id, item.reason) == ("06_liputan6_harga-emas.txt", "another-event")


def test_on_topic_folders_lose_nothing() -> None:
    assert load_folder(Path(__file__).resolve().parent.parent / "seeds").off_topic == []


def test_two_articles_decide_nothing(tmp_path: Path) -> None:
    story = tmp_path / "two"
    story.mkdir()
    (story / "a.txt").write_text(QUAKE.format(title="Gempa Garut", author="A B", date="18 Jun 2025 15:00", **GARUT))
    (story / "b.txt").write_text(UNRELATED)
    assert load_folder(story).off_topic == []


@pytest.mark.parametrize("keep", [False, True])
def test_off_topic_is_reported_in_every_output_and_kept_on_request(tmp_path: Path, keep: bool) -> None:
    story = _story(tmp_path, {"01_liputan6_gempa-pangandaran.txt": _earlier_quake("Senin (9/6/2025)")})
    out = tmp_path / "out"
    args = [str(story), "--lang", "id", "--summarizer", "extractive", "-o", str(out), "-q"]
    result = runner.invoke(app, route(args + (["--keep-off-topic"] if keep else [])), catch_exceptions=False)
    assert "01_liputan6_gempa-pangandaran.txt" in result.output  # the run table
    record = json.loads((out / "gempa" / "briefing.json").read_text(encoding="utf-8"))
    (entry,) = record["briefing"]["off_topic"]
    assert entry["article_id"] == "01_liputan6_gempa-pangandaran.txt" and entry["kept"] is keep
    markdown = (out / "gempa" / "briefing.md").read_text(encoding="utf-8")
    assert "di luar topik" in markdown.lower() and "01_liputan6_gempa-pangandaran.txt" in markdown
    page = (out / "gempa" / "briefing.html").read_text(encoding="utf-8")
    assert 'id="off-topic"' in page and "01_liputan6_gempa-pangandaran.txt" in page
    sources = {s["file"] for s in record["briefing"]["sources"]}
    sources |= {c["file"] for s in record["briefing"]["sources"] for c in s["copies"]}
    assert ("01_liputan6_gempa-pangandaran.txt" in sources) is keep
    if not keep:
        cited = {c["article_id"] for p in record["briefing"]["points"] for c in p["cites"]}
        assert "01_liputan6_gempa-pangandaran.txt" not in cited
        assert "5,0" not in " ".join(p["text"] for p in record["briefing"]["points"])
