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
    # The calendar says which weekday is right when the year is known.
    assert set(found) == {"weekday of 20/6 (20/6/2025 is a Jumat)"}
    assert found["weekday of 20/6 (20/6/2025 is a Jumat)"] == {1: "Jumat", 2: "Jumat", 3: "Kamis"}


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


# ---- what is one figure, and when two are about the same thing ---------------------------------


def _found(tmp_path: Path, pages: dict[str, str | tuple[str, str]], date: str = "19 Juni 2025 | 10.00 WIB") -> dict:
    """Conflicts of a made-up folder: file name -> body, or (title, body)."""
    story = tmp_path / "story"
    story.mkdir()
    for name, page in pages.items():
        title, body = page if isinstance(page, tuple) else ("Berita Hari Ini", page)
        (story / name).write_text(f"{title}\nRina Wati\n{date}\n{body}\n", encoding="utf-8")
    folder = load_folder(story)
    return _by_what(find_conflicts(folder, {a.id: n for n, a in enumerate(folder.articles, start=1)}))


def test_prices_of_different_sellers_or_days_are_not_a_conflict(tmp_path: Path) -> None:
    # Antam at its boutique and Antam at a pawnshop chain: every price differs, none is shared.
    found = _found(
        tmp_path,
        {
            "01_okezone_emas.txt": "Harga emas Antam hari ini turun Rp6.000 menjadi Rp1.937.000 per gram dari "
            "harga sebelumnya Rp1.943.000 per gram. Harga buyback turun ke Rp1.781.000 per gram.",
            "02_republika_emas.txt": "Harga emas di Pegadaian turun. Emas Antam turun Rp7.000 dari semula Rp2.005.000 "
            "menjadi Rp1.998.000 per gram. Emas UBS turun Rp12.000 menjadi Rp1.941.000 per gram.",
        },
    )
    assert found == {}


def test_a_change_on_the_previous_day_is_compared_with_the_previous_day(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        {
            "01_kompas_emas.txt": "Harga emas Antam turun Rp 6.000 pada hari ini menjadi Rp 1.937.000 per gram, "
            "melanjutkan pelemahan hari sebelumnya yang sudah turun Rp 8.000 per gram.",
            "02_tempo_emas.txt": "Harga emas Antam anjlok Rp 6.000 menjadi Rp 1.937.000 per gram. Sehari sebelumnya, "
            "harga emas Antam juga terkoreksi Rp 7.000.",
        },
    )
    assert found == {"Antam: turun (hari sebelumnya)": {1: "8000", 2: "7000"}}  # not today's Rp 6.000


def test_a_story_that_gives_both_values_tells_two_things_apart(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        {
            "01_detik_siaga.txt": "Status kesiagaan KBRI Teheran dinaikkan dari siaga 2 menjadi siaga 1 oleh Menlu.",
            "02_kompas_siaga.txt": "Menlu menetapkan status KBRI Teheran menjadi siaga 1 hari ini.",
            "03_detik_poin.txt": "Jepang finis teratas dengan 23 poin sementara Indonesia finis keempat dengan 12 poin.",
            "04_okezone_poin.txt": "Indonesia finis keempat dengan 12 poin di klasemen akhir Grup C.",
        },
    )
    assert found == {}


def test_scores_minutes_and_ordinals_are_not_figures(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        {
            "01_detik_bola.txt": "Jepang mencetak gol pada menit ke-15. Indonesia tertinggal 0-2 dari Jepang. "
            "Gol ketiga dicetak Mao Hosoya (Kodai Sano 61').",
            "02_okezone_bola.txt": "Jepang mencetak gol pada menit ke-19. Indonesia tertinggal 0-3 dari Jepang. "
            "Gol ketiga dicetak Mao Hosoya (80’). Empat menit kemudian, Jepang menggandakan skor.",
            "03_kompas_bola.txt": "Jepang menggandakan keunggulan dua menit berselang.",
        },
    )
    assert found == {}


def test_counts_of_different_groups_are_not_a_conflict(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        {
            "01_liputan6_wni.txt": "Judha menyampaikan, saat ini terdapat 386 WNI di Iran. Dari total 194 WNI di "
            "Israel, sebanyak 11 orang ingin dievakuasi pulang.",
            "02_detik_wni.txt": "Sugiono mengatakan terdapat 380 WNI yang berada di wilayah Iran. Sebanyak 380 "
            "orang WNI di Iran ingin dievakuasi pulang.",
        },
    )
    assert found == {"wni (count)": {1: "386", 2: "380"}}  # Iran's count; the 11 in Israel are not Iran's 380


def test_a_part_another_or_a_whole_is_not_the_count(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        {
            "01_detik_bunuh.txt": (
                "Pelaku Mutilasi Juga Bunuh 2 Wanita",
                "Orang tua salah satu korban mutilasi meninggal di sumur. Sebanyak 20 bus terbakar dari sebanyak "
                "104 bus di pool Rawa Buaya.",
            ),
            "02_liputan6_bunuh.txt": (
                "Pelaku Mutilasi Bunuh 3 Wanita",
                "Dua korban mutilasi lainnya dibuang ke sumur. Tak hanya satu korban mutilasi di sumur. "
                "Sebanyak 20 bus terbakar di pool Rawa Buaya.",
            ),
        },
    )
    assert found == {}


def test_the_speaker_of_a_count_is_not_whose_it_is(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        {
            "01_detik_bus.txt": "Kepala Dinas Perhubungan, Syafrin Liputo mengungkapkan, ada sebanyak 20 bus "
            "bekas terbakar di pool Rawa Buaya.",
            "02_kompas_bus.txt": "Di lokasi, Suroto menambahkan, sekitar 50 unit bus bekas ludes terbakar di pool "
            "Rawa Buaya.",
        },
    )
    assert found == {"bus (count)": {1: "20", 2: "50"}}


def test_a_text_stating_the_value_about_another_thing_is_not_flagged(tmp_path: Path) -> None:
    story = tmp_path / "emas"
    story.mkdir()
    pages = {
        "01_kompas_emas.txt": "Harga emas Antam turun Rp 6.000 pada hari ini menjadi Rp 1.937.000 per gram, "
        "melanjutkan pelemahan hari sebelumnya yang sudah turun Rp 8.000 per gram.",
        "02_tempo_emas.txt": "Harga emas Antam anjlok Rp 6.000 menjadi Rp 1.937.000 per gram. Sehari sebelumnya, "
        "harga emas Antam juga terkoreksi Rp 7.000.",
    }
    for name, body in pages.items():
        (story / name).write_text(f"Harga Emas\nRina Wati\n19 Juni 2025 | 10.00 WIB\n{body}\n", encoding="utf-8")
    folder = load_folder(story)
    conflicts = find_conflicts(folder, {a.id: n for n, a in enumerate(folder.articles, start=1)})
    assert disputed_in("Sehari sebelumnya, harga emas Antam turun Rp 7.000.", conflicts)
    assert not disputed_in("Di Pegadaian, harga emas Antam hari ini turun Rp 7.000 per gram.", conflicts)


def test_a_headline_stating_a_contested_value_in_its_own_words_is_flagged(tmp_path: Path) -> None:
    story = tmp_path / "gempa"
    story.mkdir()
    pages = {
        "01_detik_gempa.txt": "Gempa berkekuatan magnitudo 4,8 terjadi di Garut, Jawa Barat.",
        "02_okezone_gempa.txt": "Gempa berkekuatan magnitudo 4,9 mengguncang Garut, Jawa Barat.",
    }
    for name, body in pages.items():
        (story / name).write_text(f"Gempa Garut\nRina Wati\n18 Juni 2025 | 16.00 WIB\n{body}\n", encoding="utf-8")
    folder = load_folder(story)
    conflicts = find_conflicts(folder, {a.id: n for n, a in enumerate(folder.articles, start=1)})
    assert disputed_in("Gempa M 4,8 Terjadi di Garut Jawa Barat", conflicts)
