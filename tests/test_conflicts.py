"""Values the outlets contradict each other on are shown with who said what, and flagged where
the briefing itself states them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from summarizer.briefing.conflicts import disputed_in, find_conflicts
from summarizer.cli import app, route
from summarizer.ingest.folder import load_folder

runner = CliRunner()

HEADER = "{title}\n{author}\n{date}\n"
PAGES = {
    "01_detik_pesawat.txt": (
        "Pesawat Saudia SV-5726 Mendarat Darurat di Kualanamu",
        "Tim detikcom -detikTravel",
        "Selasa, 17 Jun 2025 15:18 WIB",
        "Pesawat Saudia Airlines SV-5726 rute Jeddah-Jakarta mendarat darurat di Bandara Kualanamu setelah ancaman bom. "
        "Pesawat mendarat pukul 02.02 WIB dengan 442 jemaah haji. "
        "Api dari percikan korsleting sempat membakar tujuh rumah warga di dekat landasan.",
    ),
    "02_liputan6_pesawat.txt": (
        "Pesawat Jemaah Haji Mendarat Darurat di Kualanamu",
        "Asnida Riani",
        "Diperbarui 17 Jun 2025, 21:00 WIB",
        "Liputan6.com, Jakarta - Pesawat Saudia Airlines SV 5276 rute Jeddah-Jakarta mendarat darurat di Bandara "
        "Kualanamu setelah ancaman bom. Pesawat mendarat pukul 02.05 WIB dengan 442 jemaah haji. "
        "Api dari percikan korsleting sempat membakar sejumlah rumah warga di dekat landasan.",
    ),
    "03_kompas_pesawat.txt": (
        "Ancaman Bom, Pesawat Haji Mendarat di Medan",
        "Novianti Setuningsih",
        "Kompas.com- 17/06/2025, 20:32 WIB",
        "JAKARTA, KOMPAS.com - Pesawat Saudia Airlines SV 5276 rute Jeddah-Jakarta mendarat darurat di Bandara "
        "Kualanamu karena ancaman bom. Pesawat membawa 442 jemaah haji dan mendarat pukul 02.05 WIB. "
        "Harga tiket rute itu Rp12.000.000, Rp15.000.000 dan Rp18.000.000 per kursi.",
    ),
}


def _story(tmp_path: Path) -> Path:
    story = tmp_path / "saudia"
    story.mkdir()
    for name, (title, author, date, body) in PAGES.items():
        (story / name).write_text(HEADER.format(title=title, author=author, date=date) + body + "\n", encoding="utf-8")
    return story


def _by_what(conflicts: list) -> dict[str, dict[int, str]]:
    return {c.what: {claim.source: claim.value for claim in c.claims} for c in conflicts}


def test_identifiers_times_and_counts_that_differ_are_conflicts(tmp_path: Path) -> None:
    folder = load_folder(_story(tmp_path))
    numbers = {a.id: n for n, a in enumerate(folder.articles, start=1)}
    found = _by_what(find_conflicts(folder, numbers))
    assert found["SV number"] == {1: "5726", 2: "5276", 3: "5276"}
    assert found["mendarat"] == {1: "2:02", 2: "2:05", 3: "2:05"}
    assert found["rumah (count)"] == {1: "7", 2: "sejumlah"}
    assert not any("442" in values.values() for values in found.values())  # every outlet agrees on 442
    assert not any("12000000" in values.values() for values in found.values())  # one outlet's price list


def test_a_range_word_that_covers_the_exact_count_agrees_with_it(tmp_path: Path) -> None:
    story = tmp_path / "haji"
    story.mkdir()
    pages = {
        "01_detik_haji.txt": "Pesawat Saudia membawa 442 jemaah haji mendarat darurat di Bandara Kualanamu.",
        "02_kompas_haji.txt": "Pesawat Saudia membawa ratusan jemaah haji mendarat darurat di Bandara Kualanamu.",
        "03_tempo_haji.txt": "Pesawat Saudia membawa puluhan jemaah haji mendarat darurat di Bandara Kualanamu.",
    }
    for name, body in pages.items():
        (story / name).write_text(
            f"Pesawat Haji Mendarat\nRina Wati\n17 Juni 2025 | 10.00 WIB\n{body}\n", encoding="utf-8"
        )
    folder = load_folder(story)
    found = _by_what(find_conflicts(folder, {a.id: n for n, a in enumerate(folder.articles, start=1)}))
    assert found == {"jemaah (count)": {1: "442", 2: "ratusan", 3: "puluhan"}}  # "puluhan" is the odd one out
    agreeing = [a for a in folder.articles if not a.id.startswith("03_")]
    assert find_conflicts(folder, {a.id: n for n, a in enumerate(agreeing, start=1)}) == []


def test_a_title_stating_a_contested_value_is_flagged(tmp_path: Path) -> None:
    folder = load_folder(_story(tmp_path))
    conflicts = find_conflicts(folder, {a.id: n for n, a in enumerate(folder.articles, start=1)})
    assert any("SV" in d for d in disputed_in("Pesawat Saudia SV-5726 Mendarat Darurat", conflicts))
    assert disputed_in("Pesawat Saudia mendarat darurat di Kualanamu", conflicts) == []


def test_conflicts_reach_the_markdown_the_json_and_the_run_table(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = [str(_story(tmp_path)), "--lang", "id", "--summarizer", "extractive", "-o", str(out), "-q"]
    result = runner.invoke(app, route(args), catch_exceptions=False)
    assert "sources differ: SV number" in result.output
    record = json.loads((out / "saudia" / "briefing.json").read_text(encoding="utf-8"))["briefing"]
    whats = {c["what"] for c in record["conflicts"]}
    assert "SV number" in whats
    markdown = (out / "saudia" / "briefing.md").read_text(encoding="utf-8")
    assert "Sumber berbeda: nomor SV" in markdown and "SV-5726" in markdown and "SV 5276" in markdown
    page = (out / "saudia" / "briefing.html").read_text(encoding="utf-8")
    assert "Sumber berbeda: nomor SV" in page and "SV-5726" in page and "SV 5276" in page
    if record["title_disputed"]:
        assert "Sumber-sumber berbeda tentang nilai dalam judul ini" in page
    assert "No figure differs between sources" not in markdown
    for point in record["points"]:  # a point that states a contested value says so
        if "SV-5726" in point["text"] or "02.02" in point["text"]:
            assert point["disputed"]
    if "5726" in record["title"]:
        assert record["title_disputed"]


def test_different_subjects_with_different_values_are_not_a_conflict(tmp_path: Path) -> None:
    story = tmp_path / "emas"
    story.mkdir()
    pages = {
        "01_liputan6_emas.txt": "Harga emas Antam hari ini turun Rp6.000 per gram di Butik Logam Mulia Jakarta.",
        "02_kompas_emas.txt": "Harga emas UBS hari ini turun Rp12.000 per gram di gerai Pegadaian Jakarta.",
        "03_tempo_emas.txt": "Harga emas Antam hari ini turun Rp6.000 per gram menurut laman Logam Mulia.",
    }
    for name, body in pages.items():
        (story / name).write_text(f"Harga Emas Turun\nRina Wati\n19 Juni 2025 | 10.00 WIB\n{body}\n", encoding="utf-8")
    folder = load_folder(story)
    assert find_conflicts(folder, {a.id: n for n, a in enumerate(folder.articles, start=1)}) == []


def test_a_date_with_and_without_its_year_is_one_date(tmp_path: Path) -> None:
    story = tmp_path / "sidang"
    story.mkdir()
    pages = {
        "01_detik_sidang.txt": "Sidang lanjutan Hasto digelar di Pengadilan Tipikor Jakarta pada Jumat (20/6/2025).",
        "02_kompas_sidang.txt": "Sidang lanjutan Hasto digelar di Pengadilan Tipikor Jakarta pada Jumat (20/6).",
        "03_okezone_sidang.txt": "Sidang lanjutan Hasto digelar di Pengadilan Tipikor Jakarta pada Kamis (20/6).",
    }
    for name, body in pages.items():
        (story / name).write_text(f"Sidang Hasto\nRina Wati\n20 Juni 2025 | 10.00 WIB\n{body}\n", encoding="utf-8")
    folder = load_folder(story)
    found = _by_what(find_conflicts(folder, {a.id: n for n, a in enumerate(folder.articles, start=1)}))
    assert set(found) == {"weekday of 20/6"}
    assert found["weekday of 20/6"] == {1: "Jumat", 2: "Jumat", 3: "Kamis"}


def test_an_articles_main_figure_is_its_claim_when_it_lists_several(tmp_path: Path) -> None:
    story = tmp_path / "bus"
    story.mkdir()
    pages = {
        "01_detik_bus.txt": (
            "Kadishub Sebut 20 Bus Eks Transjakarta Terbakar",
            "Kadishub menyebut ada sebanyak 20 bus bekas yang terbakar di pool Rawa Buaya. "
            "Total sebanyak 20 bus yang terbakar dari sebanyak 104 bus yang ada di pool Rawa Buaya. "
            "Bus itu bagian dari 417 bus yang dilelang Transjakarta.",
        ),
        "02_kompas_bus.txt": (
            "Bangkai Bus Transjakarta Terbakar di Cengkareng",
            "Petugas damkar menyebut sekitar 50 unit bus bekas ludes terbakar di pool Rawa Buaya.",
        ),
        "03_okezone_bus.txt": (
            "Kebakaran di Pool Rawa Buaya",
            "Api melalap pool bus bekas di Rawa Buaya pada Selasa siang.",
        ),
    }
    for name, (title, body) in pages.items():
        (story / name).write_text(f"{title}\nRina Wati\n10 Juni 2025 | 21.00 WIB\n{body}\n", encoding="utf-8")
    folder = load_folder(story)
    found = _by_what(find_conflicts(folder, {a.id: n for n, a in enumerate(folder.articles, start=1)}))
    assert found["bus (count)"] == {1: "20", 2: "50"}
