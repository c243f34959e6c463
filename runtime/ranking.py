"""Top-k selection over a score array."""

from __future__ import annotations

import numpy as np


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest scores, best first, ties in index order: what a stable sort
    of the whole array gives, without sorting 100k scores for ten results."""
    if k >= len(scores):
        return np.argsort(-scores, kind="stable")
    kth = np.partition(scores, len(scores) - k)[len(scores) - k]
    contenders = np.flatnonzero(scores >= kth)
    return contenders[np.argsort(-scores[contenders], kind="stable")[:k]]
