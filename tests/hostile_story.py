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


def hostile_record(root: Path) -> BriefingRecord:
    """A synthetic story whose text, metadata and file name carry markup and script."""
    story = root / "story"
    story.mkdir()
    (story / "berita.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (story / '"><svg onload=alert(1)>.txt').write_text(
        "Gubernur Jakarta mengatakan 2.000 guru baru akan direkrut untuk sekolah tersebut tahun depan "
        "<img src=x onerror=alert(1)>.\nPemerintah daerah menyebut program itu didanai oleh anggaran provinsi.\n",
        encoding="utf-8",
    )
    (story / "meta.json").write_text(json.dumps(HOSTILE_RECORD), encoding="utf-8")
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
