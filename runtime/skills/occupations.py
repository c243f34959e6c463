"""The occupation a posting is for, read from its title and job text, as a prior on its skills:
ESCO names each occupation's essential and optional skills, so a registered nurse's posting
makes nursing skills likelier and a mail room's less so."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from runtime.ranking import top_k


@dataclass(frozen=True)
class Occupations:
    """`vectors`: (occupations, dimensions), unit rows; `essential` and `optional`:
    (occupations, skills) 0/1 matrices."""

    names: tuple[str, ...]
    vectors: np.ndarray  # a plain array: a memory map's subclass costs on every product
    essential: sparse.csr_matrix
    optional: sparse.csr_matrix
    top: int = 3  # the likeliest occupations that lend their skills
    sharpness: float = 10.0  # how much likelier the best one is than the next, by similarity

    def likeliest(self, vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The `top` occupations nearest a posting's vector and their weights (summing to 1)."""
        if not len(self.names) or not vector.any():
            return np.zeros(0, dtype=int), np.zeros(0)
        similarity = self.vectors @ vector
        top = top_k(similarity, self.top)
        weights = np.exp(self.sharpness * (similarity[top] - similarity[top[0]]))
        return top, weights / weights.sum()

    def prior(self, top: np.ndarray, weights: np.ndarray,
              columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For the skills at `columns`: the weight of the occupations `top` (`likeliest`) that
        call each essential, and optional."""
        essential, optional = np.zeros(len(columns)), np.zeros(len(columns))
        for occupation, weight in zip(top, weights, strict=True):
            essential += weight * np.isin(columns, self._row(self.essential, occupation))
            optional += weight * np.isin(columns, self._row(self.optional, occupation))
        return essential, optional

    @staticmethod
    def _row(matrix: sparse.csr_matrix, row: int) -> np.ndarray:
        return matrix.indices[matrix.indptr[row]:matrix.indptr[row + 1]]

    def skills_of(self, top: np.ndarray) -> np.ndarray:
        """The skills (columns) the occupations `top` call essential."""
        return np.unique(np.concatenate([np.zeros(0, dtype=np.int32),
                                         *(self._row(self.essential, o) for o in top)]))
