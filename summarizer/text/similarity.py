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

from summarizer.text.lexicon import NUMBER_OR_WORD, SIMILARITY_STOP_WORDS, suffix_stem


def tokens(text: str, language: str) -> list[str]:
    """Content words of a sentence, lowercased, numbers normalised, stop words removed."""
    # Function words and reporting verbs: they say nothing about which fact a sentence reports.
    stop_words = SIMILARITY_STOP_WORDS.get(language, frozenset())
    found = []
    for token in NUMBER_OR_WORD.findall(text.lower()):
        if token[0].isdigit():
            found.append(re.sub(r"[.,]", "", token))
        elif len(token) > 1 and token not in stop_words:
            found.append(suffix_stem(token, language))
    return found


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
