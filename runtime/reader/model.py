"""The posting reader: which parts of a posting state the job.

A posting is split into parts (`pipelines.segment`) and each part is scored by how much it
states the job ("job": its duties, requirements and terms such as schedule and pay) rather
than anything else ("other": the company's story, benefits, equal opportunity, how to
apply). Two signals decide: a sentence classifier over the part's hashed words and word
pairs, learned from the postings' own headed sections (`training/reader`), and the heading
the part sits under, as a prior the classifier overrules when it is sure: boilerplate
pasted under "Requirements" is still boilerplate. Every model reads postings through the
reader of its bundle, at training time and when serving, so what is evaluated is what is
served."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
from scipy import sparse
from scipy.special import expit

from pipelines.segment import Part, split_parts
from pipelines.text import Memo, tokenize

HASHED_FEATURES = 2**16
READINGS_KEPT = 16  # a posting page's requests (and one request's models) read the same posting


def part_terms(text: str) -> list[str]:
    """What the classifier reads of a part: its words and word pairs."""
    tokens = tokenize(text)
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def _columns(terms: list[str]) -> list[int]:
    import mmh3

    return [mmh3.hash(term) % HASHED_FEATURES for term in terms]


_COLUMNS: Memo[str, int] = Memo(_columns, limit=500_000)


def hashed_features(texts: Sequence[str]) -> sparse.csr_matrix:
    """Each text's hashed terms, present or not, the row scaled to unit length (so a long
    sentence weighs no more than a short one)."""
    columns: list[int] = []
    indptr = [0]
    for text in texts:
        columns += set(_COLUMNS.map(part_terms(text)))
        indptr.append(len(columns))
    counts = np.diff(indptr)
    data = np.repeat(1 / np.sqrt(np.maximum(counts, 1)), counts).astype(np.float32)
    return sparse.csr_matrix((data, np.asarray(columns, dtype=np.int64), indptr),
                             shape=(len(texts), HASHED_FEATURES))


@dataclass(frozen=True)
class ScoredPart:
    part: Part
    job: float  # the probability that the part states the job


class PostingReader:
    """Scores a posting's parts: a logistic regression over their hashed terms (`kernel`,
    `bias`) plus the log-odds `heading_weight` toward the kind a recognised heading names, so
    a part under "Benefits" needs strong words to count as the job's, and one under
    "Requirements" strong words to count as boilerplate. Thread-safe."""

    def __init__(self, kernel: np.ndarray, bias: float, heading_weight: float = 2.0) -> None:
        self.kernel = np.asarray(kernel, dtype=np.float32)
        self.bias = float(bias)
        self.heading_weight = float(heading_weight)
        self._read = lru_cache(maxsize=READINGS_KEPT)(self._read_uncached)

    @cached_property
    def version(self) -> str:
        """A short fingerprint of the weights, recorded by the models that read with them."""
        return hashlib.sha256(self.kernel.tobytes() + repr(self.bias).encode()).hexdigest()[:12]

    def score(self, parts: Sequence[Part]) -> list[ScoredPart]:
        if not parts:
            return []
        logits = hashed_features([part.text for part in parts]) @ self.kernel + self.bias
        prior = {"job": self.heading_weight, "other": -self.heading_weight, None: 0.0}
        logits += np.array([prior[part.heading_kind] for part in parts], dtype=np.float32)
        return [ScoredPart(part, float(p)) for part, p in zip(parts, expit(logits), strict=True)]

    def read(self, description: str) -> tuple[ScoredPart, ...]:
        """The posting's parts, scored. The last few readings are kept: one request's models
        (courses, their skills, the confidence) read the same posting."""
        return self._read(description)

    def _read_uncached(self, description: str) -> tuple[ScoredPart, ...]:
        return tuple(self.score(split_parts(description)))

    def job_text(self, description: str, threshold: float = 0.5) -> str:
        """The posting's parts that state the job, one a line; the whole posting when none
        does (a posting of nothing but boilerplate still gets an answer)."""
        kept = [scored.part.text for scored in self.read(description) if scored.job >= threshold]
        return "\n".join(kept) if kept else description
