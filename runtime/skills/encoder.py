"""Sentence vectors at the cost of a lookup: a text's vector is the mean of its tokens' static
vectors, unit length (the pooling of model2vec's static models). The token vectors are made
at training time (distilled from a sentence encoder, or word2vec without one) and trained so
that a sentence lands near the skills it states; serving needs a tokenizer (Hugging Face
`tokenizers`) and NumPy only, and the vectors are memory-mapped, one copy for all workers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

TOKENIZER_FILE, VECTORS_FILE = "tokenizer.json", "token_vectors.npy"
MAX_TOKENS = 512


class StaticEncoder:
    def __init__(self, tokenizer, vectors: np.ndarray) -> None:  # a tokenizers.Tokenizer
        self.tokenizer = tokenizer
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.vectors = np.asarray(vectors)  # (tokens, dimensions); a memory map stays one
        self._unknown = _unknown_id(tokenizer)

    @property
    def dimensions(self) -> int:
        return int(self.vectors.shape[1])

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's token ids, the unknown token left out (it carries no meaning)."""
        encodings = self.tokenizer.encode_batch_fast(list(texts), add_special_tokens=False)
        return [[i for i in e.ids if i != self._unknown] for e in encodings]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(texts, dimensions), each row unit length (zeros for a text of no known token)."""
        return self.pool(self.token_ids(texts))

    def pool(self, token_ids: Sequence[Sequence[int]]) -> np.ndarray:
        """The unit-length mean vector of each list of token ids."""
        out = np.zeros((len(token_ids), self.dimensions), dtype=np.float32)
        for row, ids in enumerate(token_ids):
            if ids:
                out[row] = self.vectors[list(ids)].mean(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.tokenizer.save(str(directory / TOKENIZER_FILE))
        np.save(directory / VECTORS_FILE, np.asarray(self.vectors, dtype=np.float32))

    @classmethod
    def load(cls, directory: Path) -> StaticEncoder:
        from tokenizers import Tokenizer

        return cls(Tokenizer.from_file(str(directory / TOKENIZER_FILE)),
                   np.load(directory / VECTORS_FILE, mmap_mode="r"))


def _unknown_id(tokenizer) -> int | None:
    model = tokenizer.model
    token = getattr(model, "unk_token", None)
    return tokenizer.token_to_id(token) if token else None
