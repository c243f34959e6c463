"""Doc2Vec inference that gives the same vector for the same words in every process."""

from __future__ import annotations

import zlib

import numpy as np


def infer_vector(doc2vec, words: list[str], epochs: int) -> np.ndarray:
    """gensim's `Doc2Vec.infer_vector`, started from a vector seeded by a stable hash of the
    words. gensim seeds it with Python's `hash`, which is salted per process (gensim#2859):
    two workers, or one after a restart, inferred different vectors for the same posting, and
    top-10 places changed between runs. The caller holds a lock and reseeds
    `doc2vec.random`, which the training routines also draw from."""
    from gensim.models.doc2vec_inner import (
        train_document_dbow,
        train_document_dm,
        train_document_dm_concat,
    )

    size = doc2vec.dv.vector_size
    start = np.random.Generator(np.random.SFC64(zlib.crc32(" ".join(words).encode())))
    vectors = ((start.random(size).astype(np.float32) - 0.5) / size)[None, :]
    lockf = np.ones(1, dtype=np.float32)
    work = np.zeros(doc2vec.layer1_size, dtype=np.float32)
    hidden = np.zeros(doc2vec.layer1_size, dtype=np.float32)
    common = {"learn_words": False, "learn_hidden": False, "doctag_vectors": vectors,
              "doctags_lockf": lockf}
    alpha, step = doc2vec.alpha, (doc2vec.alpha - doc2vec.min_alpha) / max(epochs - 1, 1)
    for _ in range(epochs):
        if doc2vec.sg:
            train_document_dbow(doc2vec, words, [0], alpha, work, **common)
        elif doc2vec.dm_concat:
            train_document_dm_concat(doc2vec, words, [0], alpha, work, hidden, **common)
        else:
            train_document_dm(doc2vec, words, [0], alpha, work, hidden, **common)
        alpha -= step
    return vectors[0]


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)
