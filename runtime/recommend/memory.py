"""The feedback memory: what users said of courses for postings, applied to similar postings."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

LexicalRow = tuple[np.ndarray, np.ndarray]  # a posting's TF-IDF: (columns, weights)


@dataclass(frozen=True)
class FeedbackMemory:
    """Postings users judged against a course (TF-IDF rows), the course and the verdict
    (+1 helpful, -1 not). A posting similar to one of them moves that course up or down."""

    postings: sparse.csr_matrix
    courses: np.ndarray
    signs: np.ndarray

    def adjustments(self, lexical: LexicalRow, n_courses: int, weight: float,
                    min_similarity: float) -> np.ndarray:
        columns, weights = lexical
        similarity = self.postings[:, columns] @ weights
        close = similarity >= min_similarity
        delta = np.zeros(n_courses)
        np.add.at(delta, self.courses[close], weight * self.signs[close] * similarity[close])
        return delta
