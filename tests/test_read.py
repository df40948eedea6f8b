"""Reading story folders: formats, encodings, bad files, ordering (inputs written in tmp_path)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from summarizer.errors import InputError
from summarizer.ingest.decoding import DecodeError, decode_bytes
from summarizer.ingest.read import FOLDER_NOTE_REASON, MAX_FILE_BYTES, natural_key, read_folder

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CORPUS = Path("/work/shared/corpus/saudia-bomb-threat-jun2025")

# Indonesian news prose with the characters legacy Windows editors write as 0x93 0x94 0x96 0x97.
QUOTED = "Kapolres menegaskan, “Tidak ada bom di pesawat” – kata dia — Selasa (17/6/2025)."
PARAGRAPH = "Pesawat Saudia mendarat darurat di Bandara Kualanamu, Medan, setelah ancaman bom."


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def read_one(folder: Path):
    documents, skipped = read_folder(folder)
    assert skipped == []
    assert len(documents) == 1
    return documents[0]


def skip_reasons(folder: Path) -> dict[str, str]:
    return {item.path: item.reason for item in read_folder(folder)[1]}


# --- Encodings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-be", "utf-16-be"),
        ("utf-32", "utf-32"),
    ],
)
def test_unicode_encodings_decode_to_the_same_text_without_bom(tmp_path, codec, reported):
    data = f"{QUOTED}\n{PARAGRAPH}\n".encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data  # an explicit big-endian BOM
        reported = "utf-16"
    write(tmp_path, "a.txt", data)
    document = read_one(tmp_path)
    assert document.text == f"{QUOTED}\n{PARAGRAPH}\n"
    assert document.source.encoding == reported
    assert "\ufeff" not in document.text


def test_short_cp1252_indonesian_text_keeps_curly_quotes_and_dashes(tmp_path):
    data = QUOTED.encode("cp1252")
    assert {0x93, 0x94, 0x96, 0x97} <= set(data)
    write(tmp_path, "a.txt", data)
    document = read_one(tmp_path)
    assert document.text == QUOTED
    assert document.source.encoding == "cp1252"


def test_cp1252_with_accented_names_is_not_read_as_another_code_page(tmp_path):
    text = "Pertemuan di kafé “Nusantara” – kata André."
    write(tmp_path, "a.txt", text.encode("cp1252"))
    assert read_one(tmp_path).text == text


def test_latin1_text_is_read_as_western_not_as_a_baltic_code_page(tmp_path):
    # charset-normalizer alone reads these bytes as cp775: "Z³rich", "SŃo Paulo".
    text = "Kunjungan ke Zürich dan São Paulo, kata José Ramos-Horta."
    write(tmp_path, "a.txt", text.encode("latin-1"))
    document = read_one(tmp_path)
    assert document.text == text
    assert document.source.encoding == "latin-1"


def test_a_non_latin_legacy_encoding_is_still_recognised():
    text = "Министр заявил, что переговоры продолжатся на следующей неделе."
    decoded = decode_bytes(text.encode("cp1251"))
    assert decoded.text == text
    assert decoded.encoding == "cp1251"


def test_crlf_and_lone_cr_become_newlines(tmp_path):
    write(tmp_path, "crlf.txt", f"{QUOTED}\r\n\r\n{PARAGRAPH}\r\n".encode("cp1252"))
    write(tmp_path, "cr.txt", f"{QUOTED}\r{PARAGRAPH}\r".encode())
    documents, skipped = read_folder(tmp_path)
    assert skipped == []
    texts = {document.id: document.text for document in documents}
    assert texts == {"cr.txt": f"{QUOTED}\n{PARAGRAPH}\n", "crlf.txt": f"{QUOTED}\n\n{PARAGRAPH}\n"}


def test_utf16_saved_without_bom_is_recognised(tmp_path):
    write(tmp_path, "a.txt", f"{QUOTED}\r\n{PARAGRAPH}".encode("utf-16-le"))
    document = read_one(tmp_path)
    assert document.text == f"{QUOTED}\n{PARAGRAPH}"
    assert document.source.encoding == "utf-16-le"


def test_every_line_break_is_a_newline_so_line_numbers_agree(tmp_path):
    write(tmp_path, "a.txt", "satu\u2028dua\x0ctiga\u2029empat\x85lima")
    text = read_one(tmp_path).text
    assert text == "satu\ndua\ntiga\n\nempat…lima"  # U+0085 is a cp1252 ellipsis read as latin-1
    assert text.split("\n") == text.splitlines()


def test_text_is_nfc_normalized(tmp_path):
    write(tmp_path, "a.txt", "Kafe\u0301 di Jakarta.")  # e + combining acute
    assert read_one(tmp_path).text == "Kaf\u00e9 di Jakarta."


def test_utf8_with_a_few_cp1252_bytes_is_repaired_and_noted(tmp_path):
    data = "Menteri di Jakarta menyebut angka Rp 1,2 triliun é.\n".encode() + b"\x93Aman,\x94 katanya."
    write(tmp_path, "a.txt", data)
    document = read_one(tmp_path)
    assert document.text == "Menteri di Jakarta menyebut angka Rp 1,2 triliun é.\n“Aman,” katanya."
    assert document.source.encoding == "utf-8+cp1252"
    assert document.notes == ["2 byte(s) were not valid UTF-8 and were read as Windows-1252"]


def test_c1_control_characters_from_double_decoding_become_punctuation():
    assert decode_bytes("kata \u0093aman\u0094 \u0096 ya".encode()).text == "kata “aman” – ya"


def test_undecodable_bytes_raise_a_decode_error():
    with pytest.raises(DecodeError, match="undecodable"):
        decode_bytes(bytes(range(0x80, 0x100)) * 4)


# --- Formats --------------------------------------------------------------------------------------


def test_plain_text_document_fields(tmp_path):
    data = f"{QUOTED}\n{PARAGRAPH}".encode()
    write(tmp_path, "Berita.TXT", data)
    document = read_one(tmp_path)
    assert document.id == "Berita.TXT"
    assert document.source.path == "Berita.TXT"
    assert document.source.format == "txt"
    assert document.source.sha256 == hashlib.sha256(data).hexdigest()
    assert document.source.record is None
    assert document.title_from_container is False


MARKDOWN = """---
title: "Polisi: Tak Ada Bom di Pesawat Saudia"
date: 2025-06-17
author: [Rina Ayu, Budi]
source: Kompas.com
---
# Polisi: Tak Ada Bom di Pesawat Saudia

JAKARTA, KOMPAS.com - Polisi *memastikan* tidak ada **bom** di [pesawat](https://x.id/a) Saudia.
Baris kedua paragraf yang sama.

![Foto pesawat](pesawat.jpg)

Baca juga: [Kronologi Ancaman Bom](https://x.id/b)

- Jemaah selamat
- Pesawat diperiksa

| Jam | Kejadian |
|---|---|
| 10.00 | Mendarat |
"""


def test_markdown_front_matter_and_title_become_metadata_and_markup_becomes_text(tmp_path):
    write(tmp_path, "a.md", MARKDOWN)
    document = read_one(tmp_path)
    assert document.source.format == "md"
    assert document.title_from_container is True
    metadata = document.metadata
    assert metadata.title == "Polisi: Tak Ada Bom di Pesawat Saudia"
    assert (metadata.date, metadata.author, metadata.outlet) == ("2025-06-17", "Rina Ayu, Budi", "Kompas.com")
    assert document.text == (
        "JAKARTA, KOMPAS.com - Polisi memastikan tidak ada bom di pesawat Saudia.\n"
        "Baris kedua paragraf yang sama.\n\n"
        "Baca juga: Kronologi Ancaman Bom\n\n"
        "- Jemaah selamat\n- Pesawat diperiksa\n\n"
        "| Jam | Kejadian |\n| 10.00 | Mendarat |"
    )


def test_markdown_leading_heading_is_the_title_without_front_matter(tmp_path):
    write(tmp_path, "a.md", f"# Ancaman Bom Saudia\n\n{PARAGRAPH}\n\n## Penyelidikan\n\n{QUOTED}\n")
    document = read_one(tmp_path)
    assert document.metadata.title == "Ancaman Bom Saudia"
    assert document.text == f"{PARAGRAPH}\n\nPenyelidikan\n\n{QUOTED}"


def test_markdown_without_title_leaves_title_to_the_cleaner(tmp_path):
    write(tmp_path, "a.md", f"{PARAGRAPH}\n\n{QUOTED}\n")
    document = read_one(tmp_path)
    assert document.title_from_container is False
    assert document.text == f"{PARAGRAPH}\n\n{QUOTED}"


def test_markdown_with_broken_front_matter_keeps_the_text_and_says_so(tmp_path):
    write(tmp_path, "a.md", f"---\ntitle: [tidak ditutup\n---\n{PARAGRAPH}\n")
    document = read_one(tmp_path)
    assert PARAGRAPH in document.text
    assert "tidak ditutup" in document.text
    assert document.notes == ["front matter not read: not valid YAML at line 2; it is left in the text"]


HTML = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Polisi Usut Ancaman Bom | Kompas.com</title>
<meta property="og:title" content="Polisi Usut Ancaman Bom di Pesawat Saudia">
<meta name="author" content="Rina Ayu">
<meta property="og:site_name" content="Kompas.com">
<meta property="og:url" content="https://www.kompas.com/read/2025/06/17/polisi-usut">
<meta property="article:published_time" content="2025-06-17T10:00:00+07:00">
</head><body>
<nav><a href="/">Beranda</a> <a href="/nasional">Nasional</a> <a href="/dunia">Dunia</a></nav>
<article><h1>Polisi Usut Ancaman Bom di Pesawat Saudia</h1>
<p>JAKARTA, KOMPAS.com - Polisi mengusut ancaman bom terhadap pesawat Saudia yang membawa
442 jemaah haji dari Jeddah.</p>
<p>Baca juga: Kronologi Pesawat Saudia Diancam Bom</p>
<p>“Kami masih menyelidiki pengirim email itu,” kata Kapolres.<br>Pemeriksaan selesai sore hari.</p>
<ul><li>Jemaah selamat</li><li>Pesawat diperiksa</li></ul>
<table><tr><td>Jam</td><td>Kejadian</td></tr><tr><td>10.00</td><td>Mendarat</td></tr></table>
</article>
<footer>Copyright 2025 Kompas Cyber Media. Seluruh hak cipta dilindungi.</footer>
</body></html>"""


def test_html_main_text_keeps_paragraphs_lines_and_in_body_boilerplate(tmp_path):
    write(tmp_path, "a.html", HTML)
    document = read_one(tmp_path)
    assert document.source.format == "html"
    assert document.title_from_container is True
    metadata = document.metadata
    assert metadata.title == "Polisi Usut Ancaman Bom di Pesawat Saudia"
    assert (metadata.author, metadata.outlet, metadata.date) == ("Rina Ayu", "Kompas.com", "2025-06-17")
    assert metadata.url == "https://www.kompas.com/read/2025/06/17/polisi-usut"
    paragraphs = document.text.split("\n\n")
    assert paragraphs[0].startswith("JAKARTA, KOMPAS.com - Polisi mengusut")  # headline not repeated
    assert "Baca juga: Kronologi Pesawat Saudia Diancam Bom" in paragraphs  # left for the cleaner
    assert "“Kami masih menyelidiki pengirim email itu,” kata Kapolres.\nPemeriksaan selesai sore hari." in paragraphs
    assert "- Jemaah selamat\n- Pesawat diperiksa" in paragraphs
    assert "| Jam | Kejadian |\n| 10.00 | Mendarat |" in paragraphs
    assert "Beranda" not in document.text and "Copyright" not in document.text


def test_html_leading_h1_is_the_title_over_a_suffixed_title_tag(tmp_path):
    page = (
        "<html><head><title>Tak Ada Bom di Pesawat Saudia - detikNews</title></head><body>"
        f"<article><h1>Tak Ada Bom di Pesawat Saudia</h1><p>{PARAGRAPH}</p><p>{QUOTED}</p></article>"
        "</body></html>"
    )
    write(tmp_path, "a.html", page)
    document = read_one(tmp_path)
    assert document.metadata.title == "Tak Ada Bom di Pesawat Saudia"
    assert document.text == f"{PARAGRAPH}\n\n{QUOTED}"


def test_html_declared_legacy_charset_is_honoured(tmp_path):
    page = HTML.replace('charset="utf-8"', 'charset="windows-1252"').replace("Saudia yang", "Saudia—yang")
    write(tmp_path, "a.htm", page.encode("cp1252"))
    document = read_one(tmp_path)
    assert document.source.encoding == "cp1252"
    assert "“Kami masih menyelidiki" in document.text
    assert "Saudia—yang" in document.text


def test_json_array_records_with_field_aliases(tmp_path):
    records = [
        {
            "title": "Ancaman Bom",
            "body": PARAGRAPH,
            "link": "https://detik.com/1",
            "published_at": "2025-06-17T15:18:00+07:00",
            "publisher": "detik",
            "byline": "Tim detikcom",
            "views": 1200,
        },
        {"judul": "tanpa judul dikenal", "content": "", "article": QUOTED, "source": {"name": "Liputan6"}},
    ]
    write(tmp_path, "berita.json", json.dumps(records, ensure_ascii=False, indent=2))
    documents, skipped = read_folder(tmp_path)
    assert skipped == []
    first, second = documents
    assert (first.id, first.source.record, first.source.format) == ("berita.json@1", 1, "json")
    assert first.text == PARAGRAPH
    assert first.title_from_container is True
    assert first.metadata.title == "Ancaman Bom"
    assert first.metadata.url == "https://detik.com/1"
    assert first.metadata.date == "2025-06-17T15:18:00+07:00"
    assert first.metadata.date_text == "2025-06-17T15:18:00+07:00"
    assert (first.metadata.outlet, first.metadata.author) == ("detik", "Tim detikcom")
    canonical = json.dumps(records[0], sort_keys=True, ensure_ascii=False).encode()
    assert first.source.sha256 == hashlib.sha256(canonical).hexdigest()
    assert second.id == "berita.json@2"
    assert second.text == QUOTED  # first NON-EMPTY text field
    assert second.title_from_container is False
    assert second.metadata.outlet == "Liputan6"


def test_json_single_object_and_non_iso_date(tmp_path):
    record = {"title": "Ancaman Bom", "text": PARAGRAPH, "date": "Selasa, 17 Jun 2025 15:18 WIB"}
    write(tmp_path, "satu.json", json.dumps(record))
    document = read_one(tmp_path)
    assert document.id == "satu.json@1"
    assert (document.metadata.date, document.metadata.date_text) == (None, "Selasa, 17 Jun 2025 15:18 WIB")


def test_jsonl_records_skip_blank_lines_and_report_bad_ones(tmp_path):
    lines = [
        json.dumps({"title": "Satu", "text": PARAGRAPH}),
        "",
        '{"title": "Dua", "text": "rusak"',
        json.dumps({"title": "Tiga"}),
        json.dumps({"title": "Empat", "text": QUOTED}),
        "",
    ]
    write(tmp_path, "feed.jsonl", "\n".join(lines))
    documents, skipped = read_folder(tmp_path)
    assert [d.id for d in documents] == ["feed.jsonl@1", "feed.jsonl@4"]
    assert [d.metadata.title for d in documents] == ["Satu", "Empat"]
    assert documents[1].source.format == "jsonl"
    assert [(s.path, s.reason) for s in skipped] == [
        ("feed.jsonl@2", "invalid JSON on line 3, column 33: Expecting ',' delimiter"),
        ("feed.jsonl@3", "no text/body field (looked for: text, body, content, article)"),
    ]


def test_html_in_a_json_text_field_goes_through_extraction(tmp_path):
    body = f"<p>{PARAGRAPH}</p><p>Baca juga: Kronologi</p><p>{QUOTED}<br>Baris baru.</p>"
    write(tmp_path, "a.json", json.dumps({"title": "Judul", "content": body}))
    document = read_one(tmp_path)
    assert document.text == f"{PARAGRAPH}\n\nBaca juga: Kronologi\n\n{QUOTED}\nBaris baru."
    assert document.metadata.title == "Judul"


# --- Bad files ------------------------------------------------------------------------------------


def test_bad_files_are_skipped_with_specific_reasons_and_the_rest_is_read(tmp_path):
    write(tmp_path, "01_ok.txt", PARAGRAPH)
    write(tmp_path, "02_empty.txt", b"")
    write(tmp_path, "03_blank.md", " \n\t\r\n  ")
    write(tmp_path, "04_binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    write(tmp_path, "05_controls.txt", b"\x01\x02\x03\x04\x05 abc \x06\x07\x08\x0e\x0f")
    write(tmp_path, "06_undecodable.txt", bytes(range(0x80, 0x100)) * 4)
    write(tmp_path, "07_nav.html", "<html><body><nav></nav><footer></footer></body></html>")
    write(tmp_path, "08_broken.json", '[{"text": "a"},\n {"text": "b"')
    write(tmp_path, "09_norecord.json", json.dumps([{"title": "Tanpa isi"}, {"text": QUOTED}]))
    write(tmp_path, "10_scalar.json", '"hanya string"')
    write(tmp_path, "11_emptyarray.json", "[]")
    write(tmp_path, "12_notobject.json", json.dumps([["a"], {"body": PARAGRAPH}]))
    write(tmp_path, "13_pretty.jsonl", json.dumps([{"text": "a"}], indent=2))
    write(tmp_path, "14_titleonly.md", "---\ntitle: Judul\n---\n# Judul\n")
    write(tmp_path, "15_ok.md", QUOTED)
    documents, skipped = read_folder(tmp_path)
    assert [d.id for d in documents] == ["01_ok.txt", "09_norecord.json@2", "12_notobject.json@2", "15_ok.md"]
    assert [(s.path, s.reason) for s in skipped] == [
        ("02_empty.txt", "empty file (0 bytes)"),
        ("03_blank.md", "empty: only whitespace"),
        ("04_binary.txt", "binary file (contains NUL bytes), or UTF-16 without a byte-order mark"),
        ("05_controls.txt", "binary file (mostly control characters), not text"),
        (
            "06_undecodable.txt",
            "undecodable: not UTF-8, UTF-16 or any legacy encoding charset-normalizer knows",
        ),
        ("07_nav.html", "HTML with no article text (trafilatura found no main content)"),
        ("08_broken.json", "invalid JSON at line 2, column 14: Expecting ',' delimiter"),
        ("09_norecord.json@1", "no text/body field (looked for: text, body, content, article)"),
        ("10_scalar.json", "expected a JSON object or an array of objects, found a string"),
        ("11_emptyarray.json", "no records: the JSON array is empty"),
        ("12_notobject.json@1", "not a JSON object (found an array)"),
        (
            "13_pretty.jsonl",
            "not JSON Lines: no line holds a JSON value (invalid JSON on line 1, column 2: Expecting value)",
        ),
        ("14_titleonly.md", "no article text: only a title, front matter or markup"),
    ]


def test_file_over_the_size_limit_is_skipped_with_size_and_limit(tmp_path):
    write(tmp_path, "besar.txt", PARAGRAPH * 40)  # 3320 bytes
    write(tmp_path, "kecil.txt", PARAGRAPH)
    documents, skipped = read_folder(tmp_path, max_bytes=2048)
    assert [d.id for d in documents] == ["kecil.txt"]
    assert skipped[0].path == "besar.txt"
    assert skipped[0].reason == "file is 3.2 KiB, larger than the 2 KiB limit"
    assert MAX_FILE_BYTES == 10 * 2**20


def test_unsupported_files_are_listed_and_hidden_files_ignored(tmp_path):
    write(tmp_path, "a.txt", PARAGRAPH)
    write(tmp_path, "laporan.pdf", b"%PDF-1.4")
    write(tmp_path, "README", "catatan")
    write(tmp_path, ".DS_Store", b"\x00\x01")
    write(tmp_path, ".draft.txt", PARAGRAPH)
    write(tmp_path, "~$laporan.docx", b"\x00")
    write(tmp_path, "Thumbs.db", b"\x00")
    (tmp_path / "cerita-lain").mkdir()
    write(tmp_path / "cerita-lain", "b.txt", PARAGRAPH)
    documents, skipped = read_folder(tmp_path)
    assert [d.id for d in documents] == ["a.txt"]
    supported = "supported: .txt, .md, .html/.htm, .json, .jsonl"
    assert [(s.path, s.reason) for s in skipped] == [
        ("laporan.pdf", f"unsupported file type ('.pdf'); {supported}"),
        ("README", FOLDER_NOTE_REASON),
    ]


def test_natural_order_of_files_then_records(tmp_path):
    for name in ["10.txt", "2.txt", "1.txt", "b.txt", "A.txt"]:
        write(tmp_path, name, f"{PARAGRAPH} {name}")
    write(tmp_path, "3.jsonl", "\n".join(json.dumps({"text": f"rekaman {n}"}) for n in (1, 2, 3)))
    ids = [d.id for d in read_folder(tmp_path)[0]]
    assert ids == ["1.txt", "2.txt", "3.jsonl@1", "3.jsonl@2", "3.jsonl@3", "10.txt", "A.txt", "b.txt"]
    assert sorted(["berita-10.md", "berita-9.md"], key=natural_key) == ["berita-9.md", "berita-10.md"]


def test_missing_folder_and_file_path_raise_input_error(tmp_path):
    with pytest.raises(InputError, match="story folder not found"):
        read_folder(tmp_path / "tidak-ada")
    write(tmp_path, "a.txt", PARAGRAPH)
    with pytest.raises(InputError, match="not a folder"):
        read_folder(tmp_path / "a.txt")


def test_empty_folder_reads_nothing(tmp_path):
    assert read_folder(tmp_path) == ([], [])


def test_broken_link_is_skipped_and_the_rest_is_read(tmp_path):
    write(tmp_path, "a.txt", PARAGRAPH)
    (tmp_path / "b.txt").symlink_to(tmp_path / "hilang.txt")
    documents, skipped = read_folder(tmp_path)
    assert [d.id for d in documents] == ["a.txt"]
    assert [(s.path, s.reason) for s in skipped] == [("b.txt", "file vanished or is a broken link")]


# --- Real inputs ----------------------------------------------------------------------------------


def test_seeds_are_read_whole_without_skips():
    documents, skipped = read_folder(SEEDS)
    assert skipped == []
    assert len(documents) == 5
    for document in documents:
        raw = (SEEDS / document.id).read_bytes()
        assert document.text == raw.decode("utf-8")  # nothing lost or altered
        assert document.source.sha256 == hashlib.sha256(raw).hexdigest()


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_corpus_folder_is_read_without_skips():
    documents, skipped = read_folder(CORPUS)
    assert skipped == []
    assert [d.id for d in documents] == sorted(p.name for p in CORPUS.iterdir() if not p.name.startswith("."))
    assert all(d.text.strip() and "\r" not in d.text for d in documents)


def test_folder_notes_are_never_read_as_articles(tmp_path):
    write(tmp_path, "a.txt", PARAGRAPH)
    for name in ("README.md", "readme.txt", "LICENSE", "Notes.md", "CHANGELOG.txt"):
        write(tmp_path, name, PARAGRAPH)
    write(tmp_path, "readme-of-the-week.txt", PARAGRAPH)  # an article whose name only starts like one
    documents, skipped = read_folder(tmp_path)
    assert [d.id for d in documents] == ["a.txt", "readme-of-the-week.txt"]
    assert sorted(s.path for s in skipped) == sorted(
        ["README.md", "readme.txt", "LICENSE", "Notes.md", "CHANGELOG.txt"]
    )
    assert {s.reason for s in skipped} == {FOLDER_NOTE_REASON}
