"""The skills' vectors, and the approximate nearest-neighbour index over them (usearch's HNSW
graph) that finds a part's candidates without scoring all the taxonomy's skills: a few dozen
comparisons a part instead of 13,000. Both are memory-mapped from the bundle."""

from __future__ import annotations

from pathlib import Path

import numpy as np

VECTORS_FILE, GRAPH_FILE = "skill_vectors.npy", "skill_graph.usearch"
CONNECTIVITY, EXPANSION_ADD, EXPANSION_SEARCH = 16, 128, 32


class SkillIndex:
    def __init__(self, vectors: np.ndarray, graph) -> None:  # a usearch Index over `vectors`
        self.vectors = np.asarray(vectors, dtype=np.float32)  # (skills, dimensions), unit rows
        self.graph = graph

    @classmethod
    def build(cls, vectors: np.ndarray) -> SkillIndex:
        from usearch.index import Index

        graph = Index(ndim=vectors.shape[1], metric="ip", dtype="f16",
                      connectivity=CONNECTIVITY, expansion_add=EXPANSION_ADD,
                      expansion_search=EXPANSION_SEARCH)
        graph.add(np.arange(len(vectors)), np.asarray(vectors, dtype=np.float32), threads=1)
        return cls(vectors, graph)

    def search(self, queries: np.ndarray, k: int) -> np.ndarray:
        """(queries, k): each query's k nearest skills, nearest first (a query of no known
        token, all zeros, finds none: -1)."""
        found = np.full((len(queries), k), -1, dtype=np.int64)
        known = np.flatnonzero(np.abs(queries).sum(axis=1) > 0)
        if len(known):
            matches = self.graph.search(np.ascontiguousarray(queries[known]), k, threads=1)
            keys = np.asarray(matches.keys, dtype=np.int64).reshape(len(known), -1)
            counts = np.asarray(getattr(matches, "counts", [keys.shape[1]])).reshape(-1)
            valid = np.arange(keys.shape[1])[None, :] < counts[:, None]
            found[known, :keys.shape[1]] = np.where(valid, keys, -1)
        return found

    def save(self, directory: Path) -> None:
        np.save(directory / VECTORS_FILE, self.vectors)
        self.graph.save(str(directory / GRAPH_FILE))

    @classmethod
    def load(cls, directory: Path) -> SkillIndex:
        from usearch.index import Index

        graph = Index.restore(str(directory / GRAPH_FILE), view=True)
        if graph is None:
            raise ValueError(f"{directory / GRAPH_FILE} holds no index")
        graph.expansion_search = EXPANSION_SEARCH  # type: ignore[misc]  # not kept in the file
        return cls(np.load(directory / VECTORS_FILE, mmap_mode="r"), graph)
