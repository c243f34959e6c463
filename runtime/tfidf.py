"""Sublinear TF-IDF over a fixed vocabulary, the recommender's lexical signal. Training fits the
vocabulary and IDF with scikit-learn; this small transform is what training-time evaluation
and the service both apply, so the service needs no scikit-learn (slow to import in every
worker) and one posting costs no vectorizer's validation overhead."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from scipy import sparse


class TfidfIndex:
    """Weights 1 + ln(tf) times idf, rows scaled to unit length: what scikit-learn's
    `TfidfVectorizer(sublinear_tf=True)` computes (a parity test holds the two together)."""

    def __init__(self, vocabulary: dict[str, int], idf: Sequence[float]) -> None:
        self.vocabulary = dict(vocabulary)
        self.idf = np.asarray(idf, dtype=np.float64)
        self.terms = np.empty(len(self.vocabulary), dtype=object)
        for term, column in self.vocabulary.items():
            self.terms[column] = term

    @classmethod
    def fit(cls, documents: Iterable[list[str]]) -> TfidfIndex:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
        vectorizer.fit(list(documents))
        return cls({t: int(i) for t, i in vectorizer.vocabulary_.items()}, vectorizer.idf_)

    def row(self, counts: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """One document's (sorted column indices, weights), from its terms' counts. A count
        under one (a term of a part weighed down) weighs in proportion; from one on, 1 + ln."""
        counts = {t: n for t, n in counts.items() if t in self.vocabulary and n > 0}
        if not counts:
            return np.empty(0, dtype=np.int32), np.empty(0)
        columns = np.fromiter((self.vocabulary[t] for t in counts), dtype=np.int32,
                              count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        order = np.argsort(columns)
        return columns[order], self._weights(columns[order], tf[order])

    def column_row(self, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`row` for a document given as its known terms' columns, one per occurrence."""
        unique, counts = np.unique(columns, return_counts=True)
        return unique.astype(np.int32), self._weights(unique, counts.astype(np.float64))

    def _weights(self, columns: np.ndarray, tf: np.ndarray) -> np.ndarray:
        weights = sublinear(tf) * self.idf[columns]
        norm = math.sqrt(float(weights @ weights))
        return weights / norm if norm else weights

    def transform(self, documents: Iterable[list[str]]) -> sparse.csr_matrix:
        return self.stack(self.row(Counter(tokens)) for tokens in documents)

    def stack(self, rows: Iterable[tuple[np.ndarray, np.ndarray]]) -> sparse.csr_matrix:
        """Rows from `row` or `column_row` as one sparse matrix."""
        indices, data, indptr = [], [], [0]
        for columns, weights in rows:
            indices.append(columns)
            data.append(weights)
            indptr.append(indptr[-1] + len(columns))
        return sparse.csr_matrix(
            (np.concatenate([np.empty(0), *data]),
             np.concatenate([np.empty(0, dtype=np.int32), *indices]), indptr),
            shape=(len(indptr) - 1, len(self.vocabulary)))

    def to_dict(self) -> dict:
        return {"vocabulary": self.vocabulary, "idf": self.idf.tolist()}

    @classmethod
    def from_dict(cls, values: dict) -> TfidfIndex:
        return cls(values["vocabulary"], values["idf"])


def sublinear(counts: np.ndarray) -> np.ndarray:
    """1 + ln(count) from one on, the count itself below (whole counts as scikit-learn's
    `sublinear_tf`)."""
    return np.where(counts >= 1, 1.0 + np.log(np.maximum(counts, 1)), counts)


def _identity(tokens: list[str]) -> list[str]:
    return tokens
