"""The runtime course recommender: Doc2Vec similarity fused with a lexical TF-IDF signal.
Used by the service, by `careerpath predict recommend` and by evaluation alike."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import sparse

from pipelines.records import Course
from runtime.errors import UnknownTextError
from runtime.ranking import top_k
from runtime.reader import READINGS_KEPT, PostingReader
from runtime.recommend.config import Filters, RecommenderConfig
from runtime.recommend.doc2vec import infer_vector, unit_rows
from runtime.recommend.memory import FeedbackMemory, LexicalRow
from runtime.recommend.reasons import Reasons
from runtime.recommend.tokens import posting_counts, posting_tokens
from runtime.tfidf import TfidfIndex, sublinear


@dataclass(frozen=True)
class Recommendation:
    course: Course
    score: float
    reason: str
    shared_terms: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Ranking:
    """A posting's best courses, best first, and where the whole catalog's scores for it
    stand: their background (the 99th percentile) and spread (standard deviation), against
    which a course stands out, or does not when the catalog has nothing for the job."""

    courses: list[Recommendation]
    background: float
    spread: float


BACKGROUND_PERCENTILE = 99


class Recommender:
    """Ranks catalog courses for a job posting. Thread-safe and deterministic: a posting's
    vector is a fixed sum of word vectors, and Doc2Vec inference (new courses, bundles that
    infer posting vectors) reseeds the model's generator under a lock and starts from a vector
    seeded by the words, so the same text gets the same vector in every thread, worker and
    restart."""

    def __init__(self, courses: Sequence[Course], doc2vec, course_vectors: np.ndarray,
                 lexicon: TfidfIndex, course_tfidf: sparse.csr_matrix,
                 config: RecommenderConfig, feedback: FeedbackMemory | None = None, *,
                 reader: PostingReader) -> None:
        self.courses = list(courses)
        self.reader = reader
        self.doc2vec = doc2vec
        self.course_vectors = unit_rows(course_vectors.astype(np.float32))
        self.lexicon = lexicon
        self.course_tfidf = course_tfidf.tocsr()
        self._by_term = self.course_tfidf.tocsc()  # scoring reads only the posting's columns
        self._rarest_idf = float(lexicon.idf.max())  # the weight of a word no course uses
        self.config = config
        self.feedback = feedback
        self.reasons = Reasons(self.courses, self.course_tfidf, lexicon, config.stem)
        self._lock = threading.Lock()
        self._index = {course.id: i for i, course in enumerate(self.courses)}
        self._levels = np.array([c.level or "" for c in self.courses])
        self._providers = np.array([c.provider.lower() for c in self.courses])
        self._languages = np.array([c.language.lower() for c in self.courses])
        self._forget_scores()

    def _forget_scores(self) -> None:
        # a posting page's requests (/recommend, /path) score the same posting
        self._scores = lru_cache(maxsize=READINGS_KEPT)(self._scores_uncached)

    def __contains__(self, course_id: str) -> bool:
        return course_id in self._index

    def position(self, course_id: str) -> int:
        return self._index[course_id]

    def course(self, course_id: str) -> Course:
        return self.courses[self._index[course_id]]

    def posting_vector(self, counts: Mapping[str, float]) -> np.ndarray:
        """What the course vectors are compared with (unit length). With "output_words", the
        posting's words' output vectors, weighted by sublinear TF-IDF (a word no course uses
        weighs as much as the rarest course word): PV-DBOW trains a course vector to predict
        its words by the dot product with their output vectors, so this scores each course
        by how well it predicts the posting, with no noisy inference."""
        if self.config.posting_vector == "inferred":
            return self.infer([t for t, n in counts.items() for _ in range(max(1, round(n)))])
        index = self.doc2vec.wv.key_to_index
        known = [(t, n) for t, n in counts.items() if t in index and n > 0]
        if not known:
            return np.zeros(self.course_vectors.shape[1], dtype=np.float32)
        vocabulary, idf, rarest = self.lexicon.vocabulary, self.lexicon.idf, self._rarest_idf
        tf = sublinear(np.array([n for _, n in known], dtype=np.float64))
        weights = (tf * np.array([idf[vocabulary[t]] if t in vocabulary else rarest
                                  for t, _ in known])).astype(np.float32)
        rows = self.doc2vec.syn1neg[[index[t] for t, _ in known]]
        return unit_rows((weights @ rows)[None, :])[0]

    def infer(self, tokens: list[str]) -> np.ndarray:
        """The Doc2Vec vector inferred for a text (unit length)."""
        known = [t for t in tokens if t in self.doc2vec.wv.key_to_index]
        if not known:
            return np.zeros(self.course_vectors.shape[1], dtype=np.float32)
        with self._lock:
            self.doc2vec.random = np.random.RandomState(self.config.seed)
            vector = infer_vector(self.doc2vec, known, self.config.infer_epochs)
        return unit_rows(vector[None, :])[0]

    def scores(self, title: str, description: str) -> tuple[np.ndarray, LexicalRow]:
        """The fused score of every course, and the posting's TF-IDF row (for reasons); the
        last few postings' are kept (read-only arrays)."""
        return self._scores(title, description)

    def _scores_uncached(self, title: str, description: str) -> tuple[np.ndarray, LexicalRow]:
        counts = posting_counts(title, description, self.config, self.reader)
        lexical = self.lexicon.row(counts)
        columns, weights = lexical
        if len(columns) == 0 and not any(t in self.doc2vec.wv.key_to_index for t in counts):
            raise UnknownTextError(
                "the posting has no word the model knows; send an English job description"
            )
        semantic = self.course_vectors @ self.posting_vector(counts)
        literal = self._by_term[:, columns] @ weights
        weight = self.config.doc2vec_weight
        fused = weight * semantic + (1 - weight) * literal
        if self.feedback is not None and len(columns):
            fused += self.feedback.adjustments(lexical, len(self.courses),
                                               self.config.feedback_weight,
                                               self.config.feedback_min_similarity)
        for array in (fused, *lexical):
            array.flags.writeable = False
        return fused, lexical

    def with_config(self, **overrides: Any) -> Recommender:
        """A copy scoring with parameters changed (for ablations); the trained parts are shared,
        so only scoring parameters make sense here."""
        changed = Recommender.__new__(Recommender)
        changed.__dict__.update(self.__dict__)
        changed.config = replace(self.config, **overrides)
        changed._forget_scores()
        return changed

    def with_feedback(self, judged: Sequence[tuple[str, str, str, bool]]) -> Recommender:
        """A copy that also remembers (title, description, course id, helpful) judgments."""
        known = [(t, d, c, h) for t, d, c, h in judged if c in self._index]
        if not known:
            return self
        rows = self.lexicon.transform(posting_tokens(t, d, self.config, self.reader)
                                      for t, d, _, _ in known)
        courses = np.array([self._index[c] for _, _, c, _ in known])
        signs = np.array([1.0 if h else -1.0 for *_, h in known])
        if self.feedback is not None:
            rows = sparse.vstack([self.feedback.postings, rows]).tocsr()
            courses = np.concatenate([self.feedback.courses, courses])
            signs = np.concatenate([self.feedback.signs, signs])
        return Recommender(self.courses, self.doc2vec, self.course_vectors, self.lexicon,
                           self.course_tfidf, self.config, FeedbackMemory(rows, courses, signs),
                           reader=self.reader)

    def recommend(self, title: str, description: str, k: int = 10,
                  filters: Filters | None = None) -> list[Recommendation]:
        return self.ranking(title, description, k, filters).courses

    def ranking(self, title: str, description: str, k: int = 10,
                filters: Filters | None = None) -> Ranking:
        """The k best courses (among those the filters let through) and the catalog's
        background for this posting (over every course)."""
        scores, lexical = self.scores(title, description)
        background = float(np.percentile(scores, BACKGROUND_PERCENTILE))
        spread = float(scores.std())
        candidates = self._filter(filters or Filters())
        if len(candidates) == 0:
            return Ranking([], background, spread)
        top = candidates[top_k(scores[candidates], k)]
        posting = np.zeros(len(self.lexicon.terms))
        posting[lexical[0]] = lexical[1]
        found = []
        for i in top:
            reason, shown = self.reasons.explain(int(i), posting)
            found.append(Recommendation(self.courses[i], round(float(scores[i]), 6), reason,
                                        shown))
        return Ranking(found, background, spread)

    def _filter(self, filters: Filters) -> np.ndarray:
        mask = np.ones(len(self.courses), dtype=bool)
        if filters.level:
            mask &= self._levels == filters.level.lower()
        if filters.provider:
            mask &= self._providers == filters.provider.lower()
        if filters.language:
            mask &= self._languages == filters.language.lower()
        return np.flatnonzero(mask)
