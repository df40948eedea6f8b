"""Every word the briefing itself writes around the sources' text, in each briefing language.

One table per language, so `--lang id` gives a wholly Indonesian briefing (headings, labels,
notes, the verification line) and `--lang en` a wholly English one. Text quoted from the sources
and the verifier's technical reasons are not translated. Pure data and formatting: any stage may
import it (the briefing's notes are worded here too).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from summarizer.lang import BriefingLanguage


@dataclass(frozen=True)
class Labels:
    """The UI strings of one briefing language; `{}` fields are filled by the caller."""

    # briefing.md / briefing.html
    key_points: str
    no_key_point: str
    figures: str
    no_figures: str
    sources: str
    verification: str
    dropped: str
    changed: str
    notes: str
    briefed: str  # {stories} {articles} {model}
    untitled: str
    unknown_outlet: str
    undated: str
    copy: str
    similarity: str  # {value}
    no_attribution: str
    article_dated: str  # {date}
    written: str  # {text}
    removed: str
    added: str
    on_point: str  # {action} [{source}] on "{excerpt}" — {reason}
    # contradictions between outlets and articles left out
    title_disputed: str  # {values}
    point_disputed: str  # {values}
    sources_differ: str  # {what}
    off_topic_kept: str
    off_topic_left_out: str
    # briefing.html only
    skip_link: str
    models: str
    not_briefed: str
    all_briefed: str
    skipped: str
    articles: str
    shown_precision: str
    shown_recall: str
    draft_precision: str
    draft_recall: str
    draft_sentences: str
    citations: str
    recited_count: str
    dropped_count: str
    original_page: str
    # the verification line
    shown_line: str  # {precision} {recall} {points} {citations}
    draft_line: str  # {precision} {recall} {sentences} {citations} {recited} {dropped}
    not_available: str
    # articles/<id>.md
    summary: str
    no_summary: str
    text: str
    note: str  # {note}
    # notes written while composing
    repeated: str  # {count}
    failed: str  # {failed} {drafted}
    no_model_point: str
    filled: str  # {what} {added}
    no_support: str  # {count}
    recited: str  # {count}
    no_title: str
    title_replaced: str  # {title} {problems}
    fallback_title: str  # {folder}
    # figure groups: the English label of what is counted -> this language's word
    counted: dict[str, str] = field(default_factory=dict)

    def count_label(self, counted: str, qualifier: str | None) -> str:
        word = self.counted.get(counted, counted)
        return f"{word} ({qualifier})" if qualifier else word


EN = Labels(
    key_points="Key points",
    no_key_point="No key point could be verified.",
    figures="Figures and claims by source",
    no_figures="No figure differs between sources.",
    title_disputed="The sources differ on a value in this title: {values}",
    point_disputed="sources differ: {values}",
    sources_differ="Sources differ: {what}",
    off_topic_kept="Off-topic articles (briefed anyway)",
    off_topic_left_out="Left out: off-topic articles",
    sources="Sources",
    verification="Verification",
    dropped="Dropped (no source supports them):",
    changed="Citations changed by the verifier (only supporting citations are shown):",
    notes="Notes:",
    briefed="{stories} stories from {articles} articles · key points by {model}, verified against the sources",
    untitled="(untitled)",
    unknown_outlet="unknown outlet",
    undated="undated",
    copy="copy",
    similarity="similarity {value}",
    no_attribution="no attribution in the text",
    article_dated="article dated {date}",
    written='written "{text}"',
    removed="removed",
    added="added",
    on_point='{action} [{source}] on "{excerpt}" — {reason}',
    skip_link="Skip to the briefing",
    models="Models",
    not_briefed="Not briefed",
    all_briefed="Every file in the folder was briefed.",
    skipped="skipped",
    articles="Articles",
    shown_precision="Citation precision (shown)",
    shown_recall="Citation recall (shown)",
    draft_precision="Draft citation precision",
    draft_recall="Draft citation recall",
    draft_sentences="Model sentences",
    citations="Citations",
    recited_count="Re-cited",
    dropped_count="Dropped",
    original_page="original page",
    shown_line="shown citations: precision {precision}, recall {recall} ({points} points, {citations} citations)",
    draft_line=(
        "model draft citations: precision {precision}, recall {recall} ({sentences} sentences, "
        "{citations} citations); {recited} re-cited, {dropped} dropped"
    ),
    not_available="n/a",
    summary="Summary",
    no_summary="No summary for this article (a copy of another story, or not summarized).",
    text="Text",
    note="note: {note}",
    repeated="{count} model sentence(s) repeated an earlier point and were left out",
    failed="{failed} of {drafted} model sentence(s) failed verification",
    no_model_point="the model wrote no key point",
    filled="{what}; {added} extractive key point(s) taken from the sources were added",
    no_support="{count} model sentence(s) had no support in any source and were dropped",
    recited="{count} model sentence(s) were re-cited to the sources that support them",
    no_title="the model gave no title",
    title_replaced="model title '{title}' replaced: {problems}",
    fallback_title="Briefing: {folder}",
)

ID = Labels(
    key_points="Pokok berita",
    no_key_point="Tidak ada pokok berita yang dapat diverifikasi.",
    figures="Angka dan klaim menurut sumber",
    no_figures="Tidak ada angka yang berbeda antarsumber.",
    title_disputed="Sumber-sumber berbeda tentang nilai dalam judul ini: {values}",
    point_disputed="sumber berbeda: {values}",
    sources_differ="Sumber berbeda: {what}",
    off_topic_kept="Artikel di luar topik (tetap diringkas)",
    off_topic_left_out="Tidak disertakan: artikel di luar topik",
    sources="Sumber",
    verification="Verifikasi",
    dropped="Dibuang (tidak didukung sumber mana pun):",
    changed="Sitasi yang diubah pemeriksa (hanya sitasi yang mendukung yang ditampilkan):",
    notes="Catatan:",
    briefed="{stories} berita dari {articles} artikel · pokok berita oleh {model}, diperiksa terhadap sumber",
    untitled="(tanpa judul)",
    unknown_outlet="media tidak diketahui",
    undated="tanpa tanggal",
    copy="salinan",
    similarity="kemiripan {value}",
    no_attribution="tanpa atribusi dalam teks",
    article_dated="artikel bertanggal {date}",
    written='tertulis "{text}"',
    removed="dihapus",
    added="ditambahkan",
    on_point='{action} [{source}] pada "{excerpt}" — {reason}',
    skip_link="Langsung ke ringkasan",
    models="Model",
    not_briefed="Tidak diringkas",
    all_briefed="Semua berkas dalam folder diringkas.",
    skipped="dilewati",
    articles="Artikel",
    shown_precision="Presisi sitasi (ditampilkan)",
    shown_recall="Recall sitasi (ditampilkan)",
    draft_precision="Presisi sitasi draf",
    draft_recall="Recall sitasi draf",
    draft_sentences="Kalimat model",
    citations="Sitasi",
    recited_count="Disitasi ulang",
    dropped_count="Dibuang",
    original_page="halaman asli",
    shown_line=(
        "sitasi yang ditampilkan: presisi {precision}, recall {recall} ({points} pokok berita, {citations} sitasi)"
    ),
    draft_line=(
        "sitasi draf model: presisi {precision}, recall {recall} ({sentences} kalimat, {citations} sitasi); "
        "{recited} disitasi ulang, {dropped} dibuang"
    ),
    not_available="t/a",
    summary="Ringkasan",
    no_summary="Tidak ada ringkasan untuk artikel ini (salinan berita lain, atau tidak diringkas).",
    text="Teks",
    note="catatan: {note}",
    repeated="{count} kalimat model mengulang pokok sebelumnya dan tidak dimasukkan",
    failed="{failed} dari {drafted} kalimat model gagal verifikasi",
    no_model_point="model tidak menulis pokok berita",
    filled="{what}; {added} pokok berita ekstraktif dari sumber ditambahkan",
    no_support="{count} kalimat model tidak didukung sumber mana pun dan dibuang",
    recited="{count} kalimat model disitasi ulang ke sumber yang mendukungnya",
    no_title="model tidak memberi judul",
    title_replaced="judul model '{title}' diganti: {problems}",
    fallback_title="Ringkasan: {folder}",
    counted={
        "troops": "tentara",
        "people": "orang",
        "casualties": "korban",
        "deaths": "korban tewas",
        "passengers": "penumpang",
        "pilgrims": "jemaah",
        "crew": "awak",
        "aircraft": "pesawat",
        "missiles": "rudal",
        "shells": "peluru",
        "drones": "drone",
        "vehicles": "kendaraan",
        "buildings": "bangunan",
        "flights": "penerbangan",
    },
)

LABELS: dict[str, Labels] = {"en": EN, "id": ID}


def labels_for(language: BriefingLanguage | str) -> Labels:
    """The labels of a briefing language (English for any other)."""
    return LABELS.get(str(language), EN)
