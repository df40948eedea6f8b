"""Conflicts beyond single figures: a match's score, a price-table row, the day of an event,
a quotation's wording and day, a name's spelling, a role, a suspect's status and a victim's
sex. Each is shown with who said what, and each has a look-alike that is not a conflict."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from summarizer.briefing.conflicts import Conflict, disputed_in, find_conflicts
from summarizer.cli import app, route
from summarizer.ingest.folder import load_folder

runner = CliRunner()


def _write(tmp_path: Path, pages: dict[str, str | tuple[str, str]], date: str) -> Path:
    story = tmp_path / "story"
    story.mkdir()
    for name, page in pages.items():
        title, body = page if isinstance(page, tuple) else ("Berita Hari Ini", page)
        (story / name).write_text(f"{title}\nRina Wati\n{date}\n{body}\n", encoding="utf-8")
    return story


def _conflicts(tmp_path: Path, pages: dict[str, str | tuple[str, str]], date: str = "19 Juni 2025 | 10.00 WIB"):
    folder = load_folder(_write(tmp_path, pages, date))
    return find_conflicts(folder, {a.id: n for n, a in enumerate(folder.articles, start=1)})


def _by_what(conflicts: list[Conflict]) -> dict[str, list[tuple[int, str, str]]]:
    return {c.what: [(x.source, x.value, x.text) for x in c.claims] for c in conflicts}


# ---- scores ---------------------------------------------------------------------------------------


def test_final_scores_that_differ_are_a_conflict_and_live_scores_are_not(tmp_path: Path) -> None:
    found = _by_what(
        _conflicts(
            tmp_path,
            {
                "01_kompas_bola.txt": "Laga Jepang vs Indonesia berakhir dengan skor 6-0 di Stadion Suita.",
                "02_okezone_bola.txt": "Skor akhir 5-0 untuk kemenangan Jepang atas Indonesia.",
                "03_okezone_bola.txt": "Skor laga Jepang vs Indonesia untuk sementara 4-0 untuk Samurai Biru.",
                "04_detik_bola.txt": "Di laga lain, Arab Saudi vs Australia berakhir 2-1 di Jeddah.",
            },
        )
    )
    assert found == {"score at full time": [(1, "6-0", "berakhir dengan skor 6-0"), (2, "5-0", "Skor akhir 5-0")]}


def test_a_title_stating_a_contested_score_is_flagged(tmp_path: Path) -> None:
    conflicts = _conflicts(
        tmp_path,
        {
            "01_kompas_bola.txt": "Laga Jepang vs Indonesia berakhir dengan skor 6-0 di Stadion Suita.",
            "02_okezone_bola.txt": "Skor akhir 5-0 untuk kemenangan Jepang atas Indonesia.",
        },
    )
    assert disputed_in("Jepang Libas Indonesia 0-6", conflicts)
    assert not disputed_in("Jepang Libas Indonesia di Suita", conflicts)


# ---- price tables --------------------------------------------------------------------------------

_TABLE = (
    "Harga emas Galeri24 0,5 gram: Rp 1.010.000Harga emas Galeri24 1 gram: Rp 1.925.000Harga emas Galeri24 "
    "2 gram: Rp 3.793.000Harga emas Galeri24 5 gram: Rp 9.411.000Harga emas Galeri24 50 gram: Rp {fifty}"
)


def test_a_table_row_that_differs_where_the_rest_agree_is_a_conflict(tmp_path: Path) -> None:
    found = _by_what(
        _conflicts(
            tmp_path,
            {
                "01_kompas_emas.txt": "Berikut daftar harga emas di Pegadaian: " + _TABLE.format(fifty="93.863.000"),
                "02_republika_emas.txt": "Berikut daftar harga emas di Pegadaian: " + _TABLE.format(fifty="93.547.000"),
            },
        )
    )
    assert found == {
        "Harga emas Galeri24 50 gram": [
            (1, "93863000", "Harga emas Galeri24 50 gram: Rp 93.863.000"),
            (2, "93547000", "Harga emas Galeri24 50 gram: Rp 93.547.000"),
        ]
    }


def test_tables_that_differ_everywhere_are_of_different_sellers(tmp_path: Path) -> None:
    other = "Harga emas Galeri24 0,5 gram: Rp 1.020.000Harga emas Galeri24 1 gram: Rp 1.944.000Harga emas Galeri24 2 gram: Rp 3.811.000Harga emas Galeri24 5 gram: Rp 9.420.000Harga emas Galeri24 50 gram: Rp 93.990.000"
    found = _conflicts(
        tmp_path,
        {
            "01_kompas_emas.txt": "Berikut daftar harga emas di Pegadaian: " + _TABLE.format(fifty="93.863.000"),
            "02_tempo_emas.txt": "Berikut daftar harga emas di butik: " + other,
        },
    )
    assert found == []


# ---- the day of an event -------------------------------------------------------------------------


def test_a_weekday_given_a_mistyped_date_is_held_to_the_right_one(tmp_path: Path) -> None:
    found = _by_what(
        _conflicts(
            tmp_path,
            {
                "01_detik_temu.txt": "Prabowo bertemu Putin di Istana Konstantinovsky, St Petersburg, Kamis (19/6/2025).",
                "02_liputan6_temu.txt": "Putin memberikan koin usai pertemuan di St Petersburg, Kamis, 20 Juni 2025.",
                "03_okezone_temu.txt": "Pelaku ditangkap polisi di rumahnya, Kamis (19/5/2025) dini hari.",
            },
        )
    )
    assert found == {
        "date given with Kamis (19/6/2025 is a Kamis)": [
            (1, "2025-06-19", "Kamis (19/6/2025)"),
            (2, "2025-06-20", "Kamis, 20 Juni 2025"),
            (3, "2025-05-19", "Kamis (19/5/2025)"),
        ]
    }


def test_real_days_a_week_apart_are_not_a_conflict(tmp_path: Path) -> None:
    found = _conflicts(
        tmp_path,
        {
            "01_detik_sidang.txt": "Sidang pertama digelar Kamis (12/6/2025) di Pengadilan Tipikor.",
            "02_kompas_sidang.txt": "Sidang lanjutan digelar Kamis (19/6/2025) di Pengadilan Tipikor.",
        },
    )
    assert found == []


def test_a_date_written_without_its_year_is_not_held_to_the_wrong_year(tmp_path: Path) -> None:
    # Published in January 2026 about June 2025: "Kamis (19/6)" is not "19/6/2026".
    story = _write(
        tmp_path,
        {
            "01_detik_temu.txt": "Kilas balik: Prabowo bertemu Putin di St Petersburg, Kamis (19/6).",
            "02_kompas_temu.txt": "Kilas balik: Prabowo bertemu Putin di St Petersburg pada Kamis (19/6/2025).",
        },
        "5 Januari 2026 | 10.00 WIB",
    )
    folder = load_folder(story)
    assert find_conflicts(folder, {a.id: n for n, a in enumerate(folder.articles, start=1)}) == []


# ---- quotations ----------------------------------------------------------------------------------

_PUTIN = {
    "01_detik_putin.txt": '"Dan harapan saya kepada Indonesia dapat memberikan sumbangan besar dalam kegiatan '
    'organisasi ini," kata Putin.',
    "02_detik_putin.txt": '"Harapan saya Indonesia akan memberikan sumbangan besar dalam kegiatan di organisasi '
    'ini," kata Putin.',
    # Shortened, a spelling variant, and a filler left out: not a different wording.
    "03_kompas_putin.txt": '"Harapan saya kepada Indonesia dapat memberikan sumbangan besar," ujar Presiden '
    "Rusia Vladimir Putin.",
    "04_okezone_putin.txt": '"Dan harapan saya kepada Indonesia ya dapat memberikan sumbangan besar dalam '
    'kegiatan organisasi ini," kata Putin.',
}


def test_a_quotation_worded_differently_by_the_same_speaker(tmp_path: Path) -> None:
    found = _by_what(_conflicts(tmp_path, _PUTIN))
    assert list(found) == ["wording of a quotation by Putin"]
    sources = {source for source, _, _ in found["wording of a quotation by Putin"]}
    assert 1 in sources and 2 in sources
    texts = " | ".join(text for _, _, text in found["wording of a quotation by Putin"])
    assert "dapat memberikan" in texts and "akan memberikan" in texts


def test_a_quotation_only_shortened_or_respelled_is_not_reworded(tmp_path: Path) -> None:
    pages = {name: _PUTIN[name] for name in ("01_detik_putin.txt", "03_kompas_putin.txt", "04_okezone_putin.txt")}
    pages["05_liputan6_putin.txt"] = (
        '"Kami menterjemahkan buku Bapak ke bahasa Rusia dan menerbitkannya untuk koleksi Bapak," kata Putin.'
    )
    pages["06_kompas_putin.txt"] = (
        '"Kami menerjemahkan buku Bapak ke bahasa Rusia dan menerbitkannya untuk koleksi Bapak," kata Putin.'
    )
    # Spoken forms and number words written out by one outlet and not by the other.
    pages["07_detik_sidang.txt"] = (
        '"Saya nggak pernah menyimpan tiga nomor itu di ponsel saya sejak kuliah," jawab Cecep.'
    )
    pages["08_kompas_sidang.txt"] = (
        '"Saya tidak pernah menyimpan 3 nomor itu di ponsel saya sejak kuliah," jawab Cecep.'
    )
    assert _conflicts(tmp_path, pages) == []


def test_the_same_statement_dated_differently(tmp_path: Path) -> None:
    remark = '"Total sebanyak 20 bus yang terbakar dari sebanyak 104 bus yang dititipkan di terminal,"'
    conflicts = _conflicts(
        tmp_path,
        {
            "01_detik_bus.txt": f"{remark} ujar Syafrin saat dikonfirmasi, Selasa (10/6/2025).",
            "02_okezone_bus.txt": f"{remark} kata Kepala Dinas Perhubungan DKI Jakarta, Syafrin Liputo, Rabu (11/6/2025).",
            "03_kompas_bus.txt": f"{remark} kata Syafrin, Selasa (10/6/2025).",
        },
        date="10 Juni 2025 | 21.00 WIB",
    )
    found = _by_what(conflicts)
    assert found == {
        "day of a statement by Syafrin": [
            (1, "06-10", "Selasa (10/6/2025)"),
            (2, "06-11", "Rabu (11/6/2025)"),
            (3, "06-10", "Selasa (10/6/2025)"),
        ]
    }
    assert disputed_in("Syafrin: " + remark + " Rabu (11/6/2025)", conflicts)
    assert not disputed_in("Kebakaran terjadi pada Selasa (10/6/2025) siang.", conflicts)  # the day alone


def test_the_same_words_of_two_speakers_are_not_one_statement(tmp_path: Path) -> None:
    remark = '"Total sebanyak 20 bus yang terbakar dari sebanyak 104 bus yang dititipkan di terminal,"'
    found = _conflicts(
        tmp_path,
        {
            "01_detik_bus.txt": f"{remark} ujar Syafrin saat dikonfirmasi, Selasa (10/6/2025).",
            "02_okezone_bus.txt": f"{remark} kata Suroto, Rabu (11/6/2025).",
        },
    )
    assert [c for c in found if c.kind == "statement date"] == []


# ---- people --------------------------------------------------------------------------------------


def test_a_name_spelled_two_ways_by_two_outlets(tmp_path: Path) -> None:
    found = _by_what(
        _conflicts(
            tmp_path,
            {
                "01_liputan6_pelaku.txt": "Pelaku SJ alias Juhanda alias Wanda (25) ditangkap polisi. Wanda mengaku.",
                "02_detik_pelaku.txt": "Tersangka Satria Johanda alias Wanda (25) ditangkap polisi. Wanda mengaku.",
                # Writes both: its own inconsistency, not a second version.
                "03_okezone_pelaku.txt": "Satria Johanda alias Wanda ditangkap. Keluarga Juhanda terkejut.",
            },
        )
    )
    assert found == {
        "spelling of a name: Johanda / Juhanda": [
            (1, "Juhanda", "SJ alias Juhanda alias Wanda"),
            (2, "Johanda", "Satria Johanda alias Wanda"),
        ]
    }


def test_similar_names_of_different_people_are_not_a_spelling_conflict(tmp_path: Path) -> None:
    found = _conflicts(
        tmp_path,
        {
            "01_detik_gol.txt": "Gol dicetak oleh Kaishu Sano di babak kedua pertandingan.",
            "02_kompas_gol.txt": "Gol dicetak oleh Kaishi Nakamura di babak kedua pertandingan.",
        },
    )
    assert found == []


_REMARK = '"Itu di 2014 Pak Hasto ditawari Mensesneg dan 2019 ditawari Menkominfo, tapi tidak diterima,"'
_WITNESSES = {
    "01_detik_saksi.txt": f"Dosen UI Cecep Hidayat dihadirkan sebagai saksi meringankan Hasto. {_REMARK} kata Cecep.",
    "02_liputan6_saksi.txt": f"Dalam sidang itu Hasto disebut menolak jabatan menteri. {_REMARK} jawabsaksi ahli.",
    "03_kompas_saksi.txt": f"Hal itu diungkapkan Cecep Hidayat saat menjadi saksi meringankan. {_REMARK} ujar Cecep.",
}


def test_a_quotation_given_to_someone_elses_role_is_a_role_conflict(tmp_path: Path) -> None:
    pages = dict(_WITNESSES)
    pages["04_okezone_ahli.txt"] = (
        "Saksi ahli hukum pidana dari Universitas Muhammadiyah Jakarta, Chairul Huda mengatakan penyelidikan "
        "belum pro justitia."
    )
    conflicts = _conflicts(tmp_path, pages)
    found = _by_what(conflicts)
    assert found == {
        "role of Cecep Hidayat (the other outlets' saksi ahli is Chairul Huda)": [
            (1, "saksi meringankan", "saksi meringankan"),
            (2, "saksi ahli", "saksi ahli"),
            (3, "saksi meringankan", "saksi meringankan"),
        ]
    }
    assert disputed_in("Cecep Hidayat, saksi ahli, menyebut Hasto menolak jabatan", conflicts)
    assert not disputed_in("Saksi ahli Chairul Huda menyebut penyelidikan belum pro justitia", conflicts)


def test_a_role_no_one_else_holds_may_be_the_persons_own(tmp_path: Path) -> None:
    # Nothing says the expert is someone else: Cecep may be both; no conflict is claimed.
    assert _conflicts(tmp_path, _WITNESSES) == []


def test_two_witness_kinds_that_exclude_each_other(tmp_path: Path) -> None:
    found = _by_what(
        _conflicts(
            tmp_path,
            {
                "01_detik_saksi.txt": "Dalam sidang itu Budi Santoso hadir sebagai saksi fakta untuk terdakwa.",
                "02_kompas_saksi.txt": "Dalam sidang itu Budi Santoso hadir sebagai saksi ahli untuk terdakwa.",
                # An expert called by the defence: two kinds that go together.
                "03_tempo_saksi.txt": "Dalam sidang itu Budi Santoso hadir sebagai saksi meringankan terdakwa.",
            },
        )
    )
    assert found == {"role of Budi Santoso": [(1, "saksi fakta", "saksi fakta"), (2, "saksi ahli", "saksi ahli")]}


def test_a_quotation_given_to_the_persons_own_title_is_no_conflict(tmp_path: Path) -> None:
    remark = '"Kami masih menunggu hasil autopsi dari rumah sakit terlebih dahulu,"'
    found = _conflicts(
        tmp_path,
        {
            "01_detik_polisi.txt": f"Kapolres AKBP Ahmad Faisol menjadi saksi ahli di persidangan. {remark} kata Ahmad Faisol.",
            "02_kompas_polisi.txt": f"Polisi menyelidiki kasus itu. {remark} kata Kapolres.",
        },
    )
    assert found == []


def test_not_yet_a_suspect_against_the_suspect(tmp_path: Path) -> None:
    found = _by_what(
        _conflicts(
            tmp_path,
            {
                "01_detik_pelaku.txt": "Polisi hingga siang tadi belum menetapkan terduga pelaku sebagai tersangka.",
                "02_okezone_pelaku.txt": "Tersangka tak berkutik saat ditangkap anggota Satreskrim.",
            },
        )
    )
    assert found == {
        "whether someone is a tersangka": [
            (1, "belum tersangka", "belum menetapkan terduga pelaku sebagai tersangka"),
            (2, "tersangka", "Tersangka tak berkutik"),
        ]
    }


def test_two_people_one_a_suspect_and_one_not_are_no_conflict(tmp_path: Path) -> None:
    found = _conflicts(
        tmp_path,
        {
            "01_detik_pelaku.txt": "Polisi menetapkan Budi Santoso sebagai tersangka. Sopirnya belum ditetapkan "
            "sebagai tersangka.",
            "02_okezone_pelaku.txt": "Tersangka Budi Santoso ditahan di Polres Bogor.",
        },
    )
    assert found == []


def test_a_victim_of_one_sex_against_every_victim_of_the_other(tmp_path: Path) -> None:
    found = _by_what(
        _conflicts(
            tmp_path,
            {
                "01_okezone_mutilasi.txt": "Polisi menangkap pelaku mutilasi terhadap jasad pria di Sungai Batang Anai.",
                "02_liputan6_mutilasi.txt": "Ketiga korban berjenis kelamin perempuan, antara lain Septia Adinda.",
            },
        )
    )
    assert found == {
        "sex of the victim": [
            (1, "laki-laki", "jasad pria"),
            (2, "perempuan", "Ketiga korban berjenis kelamin perempuan"),
        ]
    }


def test_victims_of_both_sexes_are_no_conflict(tmp_path: Path) -> None:
    found = _conflicts(
        tmp_path,
        {
            "01_detik_banjir.txt": "Korban pria ditemukan di bawah jembatan setelah banjir.",
            "02_kompas_banjir.txt": "Korban wanita dilarikan ke rumah sakit setelah banjir.",
        },
    )
    assert found == []


# ---- shown where figures are shown --------------------------------------------------------------


def test_new_kinds_reach_the_markdown_the_json_and_the_run_table(tmp_path: Path) -> None:
    remark = '"Total sebanyak 20 bus yang terbakar dari sebanyak 104 bus yang dititipkan di terminal,"'
    story = _write(
        tmp_path,
        {
            "01_detik_bus.txt": (
                "Kadishub Sebut 20 Bus Terbakar",
                f"Kebakaran melanda pool bus di Rawa Buaya. {remark} ujar Syafrin saat dikonfirmasi, Selasa (10/6/2025).",
            ),
            "02_okezone_bus.txt": (
                "Pemprov DKI: 20 Bus Hangus Terbakar",
                f"Kebakaran melanda pool bus di Rawa Buaya. {remark} kata Kepala Dinas Perhubungan DKI Jakarta, "
                "Syafrin Liputo, Rabu (11/6/2025).",
            ),
        },
        "11 Juni 2025 | 07.55 WIB",
    )
    out = tmp_path / "out"
    args = [str(story), "--lang", "id", "--summarizer", "extractive", "-o", str(out), "-q"]
    result = runner.invoke(app, route(args), catch_exceptions=False)
    assert "sources differ: day of a statement by Syafrin: [1] Selasa (10/6/2025);" in result.output
    record = json.loads((out / "story" / "briefing.json").read_text(encoding="utf-8"))["briefing"]
    (conflict,) = [c for c in record["conflicts"] if c["kind"] == "statement date"]
    assert [(c["source"], c["text"]) for c in conflict["claims"]] == [
        (1, "Selasa (10/6/2025)"),
        (2, "Rabu (11/6/2025)"),
    ]
    markdown = (out / "story" / "briefing.md").read_text(encoding="utf-8")
    assert "Sumber berbeda: hari pernyataan Syafrin" in markdown  # worded in the briefing's language
    assert "**Selasa (10/6/2025)** — [1]" in markdown and "**Rabu (11/6/2025)** — [2]" in markdown
