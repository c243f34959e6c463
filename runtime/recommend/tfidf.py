"""Sublinear TF-IDF over a fixed vocabulary, the recommender's lexical signal. Training fits the
vocabulary and IDF with scikit-learn; this small transform is what training-time evaluation
and the service both apply, so the service needs no scikit-learn (slow to import in every
worker) and one posting costs no vectorizer's validation overhead."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

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

    def row(self, tokens: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """One document's (sorted column indices, weights)."""
        counts = Counter(t for t in tokens if t in self.vocabulary)
        if not counts:
            return np.empty(0, dtype=np.int32), np.empty(0)
        columns = np.fromiter((self.vocabulary[t] for t in counts), dtype=np.int32,
                              count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        weights = (1.0 + np.log(tf)) * self.idf[columns]
        order = np.argsort(columns)
        return columns[order], weights[order] / math.sqrt(float(weights @ weights))

    def transform(self, documents: Iterable[list[str]]) -> sparse.csr_matrix:
        indices, data, indptr = [], [], [0]
        for tokens in documents:
            columns, weights = self.row(tokens)
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


def _identity(tokens: list[str]) -> list[str]:
    return tokens
