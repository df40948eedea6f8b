"""Model-free sentence similarity: TF-IDF vectors and LexRank centrality.

Plain word statistics are enough to tell which sentences of a news story say the same thing:
outlets reporting one fact share its names and numbers. Numbers are normalised so that
"1.500" (Indonesian) and "1,500" (English) become the same token.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:-[^\W\d_]+)*")

# Function words and reporting verbs: they say nothing about which fact a sentence reports.
STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        """a about above after again against all also although am an and any are as at be
        because been before being below between both but by can could did do does doing down
        during each even few for from further had has have having he her here hers him his how
        however i if in into is it its itself just last least less many may me might more most
        much must my new no nor not now of off on once one only or other our ours out over own
        per said same say says she should since so some still such than that the their theirs
        them then there these they this those through to told too under until up upon us very
        was we were what when where whether which while who whom whose why will with within
        without would year years yet you your according added also reported reportedly""".split()
    ),
    "id": frozenset(
        """ada adalah agar akan aku anda antara apa apakah atas atau bagi bahkan bahwa banyak
        baru beberapa begitu belum berada bersama bisa bukan dalam dan dapat dari demikian
        dengan di dia diri dua hal hanya hari harus hingga ia ini itu jadi jika juga kalau kami
        kamu karena kata ke kembali kemudian kepada ketika kini kita lagi lain lalu lebih maka
        masih melalui memang mengatakan menjadi menurut mereka merupakan namun oleh pada para
        pernah pula pun saat saja salah sama sampai satu sebagai sebelum sebuah sedang sejak
        sekitar selama seluruh semua sementara seperti serta setelah sudah supaya tahun tak
        tanpa telah tentang terhadap tersebut tetapi tidak tiga ujar untuk yaitu yakni yang
        sebut menyebut menyatakan katanya ungkap jelas tegas tambah imbuh tutur""".split()
    ),
}


def tokens(text: str, language: str) -> list[str]:
    """Content words of a sentence, lowercased, numbers normalised, stop words removed."""
    stop_words = STOP_WORDS.get(language, frozenset())
    found = []
    for token in TOKEN.findall(text.lower()):
        if token[0].isdigit():
            found.append(re.sub(r"[.,]", "", token))
        elif len(token) > 1 and token not in stop_words:
            found.append(_strip_suffix(token, language))
    return found


def _strip_suffix(word: str, language: str) -> str:
    # A light touch only: enough for "troops"/"troop" or "pasukannya"/"pasukan" to match. Real
    # Indonesian stemming needs nasal-assimilation rules (mengirim -> kirim); a crude one merged
    # unrelated words on the seeds, so matching stays conservative.
    if language == "en" and len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    if language == "id" and len(word) > 6 and word.endswith("nya"):
        return word[:-3]
    return word


def tfidf_matrix(token_lists: Sequence[list[str]]) -> np.ndarray:
    """One L2-normalised row per token list (sublinear tf, smoothed idf); empty lists: 0 rows."""
    vocabulary: dict[str, int] = {}
    for token_list in token_lists:
        for token in token_list:
            vocabulary.setdefault(token, len(vocabulary))
    matrix = np.zeros((len(token_lists), max(len(vocabulary), 1)))
    for row, token_list in enumerate(token_lists):
        for token, count in Counter(token_list).items():
            matrix[row, vocabulary[token]] = 1.0 + math.log(count)
    document_frequency = (matrix > 0).sum(axis=0)
    idf = np.log((1.0 + len(token_lists)) / (1.0 + document_frequency)) + 1.0
    matrix *= idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def cosine_similarities(matrix: np.ndarray) -> np.ndarray:
    """Pairwise cosine similarity of L2-normalised rows."""
    return np.clip(matrix @ matrix.T, 0.0, 1.0)


def lexrank(similarities: np.ndarray, threshold: float = 0.1, damping: float = 0.85) -> np.ndarray:
    """LexRank centrality (Erkan & Radev 2004, continuous variant), scaled so the max is 1."""
    size = similarities.shape[0]
    if size == 0:
        return np.zeros(0)
    graph = np.where(similarities >= threshold, similarities, 0.0)
    np.fill_diagonal(graph, 0.0)
    row_sums = graph.sum(axis=1, keepdims=True)
    # A sentence similar to nothing spreads its vote evenly instead of dropping it.
    transition = np.divide(graph, row_sums, out=np.full_like(graph, 1.0 / size), where=row_sums > 0)
    scores = np.full(size, 1.0 / size)
    for _ in range(100):
        updated = (1.0 - damping) / size + damping * transition.T @ scores
        if np.abs(updated - scores).sum() < 1e-9:
            scores = updated
            break
        scores = updated
    return scores / scores.max()
