"""The briefing's title is a headline of the event, never a quotation, a glued sentence or a lead."""

from __future__ import annotations

from summarizer.briefing.compose import headline, title_problems
from summarizer.document import Article, Folder, Metadata, Paragraph, Sentence, SourceFile


def _article(article_id: str, title: str) -> Article:
    source = SourceFile(article_id, "txt", "utf-8", "0" * 64)
    sentences = [Sentence(f"{article_id}:1:1", "Kebakaran melanda permukiman di Tebet, Jakarta Selatan.")]
    return Article(article_id, source, Metadata(title=title), "id", "id", [Paragraph(1, "text", sentences)])


FOLDER = Folder(
    "x",
    "kebakaran",
    [
        _article("a.txt", "Kebakaran Landa Permukiman Padat di Tebet, 7 Rumah Hangus"),
        _article("b.txt", "Kebakaran di Tebet Hanguskan Rumah Warga"),
        _article("c.txt", "“Api Cepat Membesar,” Kata Warga Tebet"),
        _article("d.txt", "Damkar Kerahkan 12 Unit Padamkan Kebakaran di Tebet"),
    ],
)


def test_quotations_glued_sentences_and_leads_are_not_headlines() -> None:
    assert "it is a quotation" in title_problems("“Menjatuhkan pidana penjara selama 7 tahun,” tutur hakim")
    assert "it has words glued together" in title_problems("Kebakaran di Tebet, Jakarta Selatan,kebakaranpada Kamis")
    assert title_problems(
        "Warga di Tebet, Jakarta Selatan dikejutkan oleh kebakaran yang melanda permukiman padat pada Kamis pagi sekitar pukul 04.30 WIB"
    )
    assert title_problems("Kebakaran di Tebet Hanguskan Rumah Warga") == []


def test_a_bad_title_is_replaced_by_the_outlets_most_shared_headline() -> None:
    notes: list[str] = []
    chosen = headline("“Menjatuhkan pidana penjara selama 7 tahun,” tutur hakim", FOLDER, [], "id", notes)
    assert chosen in {
        "Kebakaran Landa Permukiman Padat di Tebet, 7 Rumah Hangus",
        "Kebakaran di Tebet Hanguskan Rumah Warga",
    }
    assert "quotation" in notes[0]


def test_a_good_title_is_kept() -> None:
    notes: list[str] = []
    assert (
        headline("Kebakaran Hanguskan Rumah di Tebet", FOLDER, [], "id", notes) == "Kebakaran Hanguskan Rumah di Tebet"
    )
    assert notes == []
