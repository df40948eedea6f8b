"""A synthetic story whose text, metadata and file name carry markup, script and script links."""

from __future__ import annotations

import json
from pathlib import Path

from summarizer.briefing.record import BriefingRecord
from summarizer.cache import Cache
from summarizer.ingest.folder import load_folder
from summarizer.run.pipeline import ModelSession, RunOptions, brief

# What every injected script would do if it ran.
PAYLOAD = "document.title='pwned'"


def hostile_story(root: Path) -> Path:
    """A story folder whose text, metadata (titles, outlets, authors, URLs) and file names carry
    HTML, script, script links and Markdown block and link syntax."""
    story = root / "story"
    story.mkdir()
    (story / "berita.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (story / '"><svg onload=alert(1)>.txt').write_text(
        "Gubernur Jakarta mengatakan 2.000 guru baru akan direkrut untuk sekolah tersebut tahun depan "
        "<img src=x onerror=alert(1)>.\nPemerintah daerah menyebut program itu didanai oleh anggaran provinsi.\n",
        encoding="utf-8",
    )
    (story / "meta.json").write_text(json.dumps(HOSTILE_RECORD), encoding="utf-8")
    (story / "judul.json").write_text(json.dumps(MARKDOWN_RECORD), encoding="utf-8")
    (story / "baris `x` [y](javascript:z).txt").write_text(MARKDOWN_LINES, encoding="utf-8")
    return story


def hostile_record(root: Path) -> BriefingRecord:
    """The briefing record of `hostile_story`, made without models."""
    story = hostile_story(root)
    options = RunOptions(lang="id", summarizer="extractive", models_dir=root / "no-models", progress=False)
    cache = Cache(root / "cache.sqlite3")
    try:
        return brief(load_folder(story), options, ModelSession(options), cache)
    finally:
        cache.close()


HOSTILE_TEXT = f"""Sekolah baru <script>{PAYLOAD}</script> di Jakarta
Presiden Joko Widodo mengatakan <script>{PAYLOAD}</script> bahwa pemerintah akan membangun 1.000 sekolah baru di Jakarta tahun depan.
Menteri Pendidikan menyebut <img src=x onerror="{PAYLOAD}"> rencana itu sebagai langkah penting bagi anak-anak Indonesia.
Anggaran sebesar 5 triliun rupiah disiapkan </style><script>{PAYLOAD}</script> oleh Kementerian Keuangan untuk proyek tersebut.
Informasi lebih lanjut ada di [situs resmi](javascript:{PAYLOAD}) dan <a href="javascript:{PAYLOAD}">tautan ini</a> menurut juru bicara kementerian.
"""
HOSTILE_RECORD = {
    "title": f"</title><script>{PAYLOAD}</script>",
    "url": f"javascript:{PAYLOAD}",
    "source": f'"><script>{PAYLOAD}</script>',
    "date": "2024-10-28",
    "text": "Wakil Gubernur mengatakan sekolah itu akan dibuka pada bulan Juli. "
    "Para orang tua menyambut baik rencana pembangunan 1.000 sekolah baru tersebut.",
}

# Markdown that, were it not escaped, would add headings, sections, quotes, lists, links, link
# definitions, images, autolinks or raw HTML to briefing.md and the article pages.
MARKDOWN_RECORD = {
    "title": "Judul berita\n# Injected heading\n---\n[klik](javascript:alert(1))",
    "source": "[evil]: javascript:alert(1)\n===",
    "author": "<iframe src=javascript:alert(1)></iframe>",
    "url": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "date": "2024-10-29",
    "text": 'Kepala dinas pendidikan mengatakan <iframe src="https://evil.example/"></iframe> pembangunan '
    "sekolah dimulai bulan depan.\n"
    "# Injected heading di tengah teks berita tentang pembangunan sekolah baru di Jakarta\n"
    "> Kutipan palsu yang tidak boleh menjadi blok kutipan dalam ringkasan berita sekolah\n"
    "Para guru menyambut &lt;script&gt;alert(1)&lt;/script&gt; rencana pembangunan sekolah itu.\n",
}
MARKDOWN_LINES = """# Judul sisipan dari berkas teks tentang sekolah baru di Jakarta
Dinas pendidikan menyebut <object data="https://evil.example/x.swf"></object> sekolah baru dibuka Juli.
---
===
- Daftar palsu tentang anggaran sekolah yang tidak boleh menjadi daftar dalam ringkasan.
1. Nomor palsu tentang jumlah guru sekolah yang tidak boleh menjadi daftar bernomor.
[a]: javascript:alert(1) adalah tautan palsu yang disisipkan ke dalam berita sekolah.
Wali kota berkata <embed src="https://evil.example/x.svg"> bahwa anggaran sekolah sudah disetujui DPRD.
Menurut camat <p style="background:url(javascript:alert(1))">warga</p> mendukung pembangunan sekolah.
Sekretaris daerah <a href="vbscript:msgbox(1)">menyatakan</a> lahan sekolah sudah dibebaskan tahun ini.
Lihat <JAVASCRIPT:alert(1)> dan <https://evil.example/pixel.png> untuk rincian anggaran sekolah baru.
Foto ![gambar](https://evil.example/pixel.png) menunjukkan lokasi pembangunan sekolah di Jakarta Timur.
Rencana itu *disetujui* oleh __dewan__ dan `dinas` pada rapat | tabel | sekolah pekan lalu.
"""
