"""The runtime course recommender: Doc2Vec similarity fused with a lexical TF-IDF signal.
Used by the service, by `careerpath predict recommend` and by evaluation alike."""

from __future__ import annotations

import json
import math
import threading
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from pipelines.records import Course
from pipelines.text import analyze, normalize, requirements_text, tokenize
from service.tfidf import TfidfIndex

DOC2VEC_FILE = "doc2vec.model"
CONFIG_FILE = "config.json"
COURSES_FILE = "courses.jsonl"


# Words of the hiring process, pay and schedule: every posting has them, no course teaches
# them, and left in they pull generic career courses (interviews, résumés) up the ranking.
POSTING_STOP_WORDS = frozenset([
    "hiring", "hire", "hired", "hires", "job", "jobs", "career", "careers", "interview",
    "interviews", "interviewing", "resume", "resumes", "apply", "applying", "applicant",
    "applicants", "application", "applications", "candidate", "candidates", "position",
    "positions", "opportunity", "opportunities", "employer", "employers", "recruit",
    "recruiting", "recruiter", "recruitment", "seeking", "seeker", "looking", "join",
    "joining", "company", "companies", "hour", "hours", "week", "weekly", "pay", "paid",
    "salary", "wage", "wages", "benefits", "bonus", "shift", "shifts", "schedule", "full",
    "part", "time", "per", "year", "years", "experience", "experienced", "preferred",
    "required", "requirements", "qualifications", "qualified", "ability", "able", "must",
    "strong", "excellent", "work", "working", "environment", "team", "role",
    "responsibilities", "duties",
])


POSTING_VECTORS = frozenset(["output_words", "inferred"])


class UnknownTextError(ValueError):
    """The posting shares no word with what the model knows, so any ranking would be noise."""


@dataclass(frozen=True)
class RecommenderConfig:
    """Every parameter of the recommender, stored with the model."""

    vector_size: int = 150
    window: int = 5
    epochs: int = 20
    min_count: int = 3
    negative: int = 5
    sample: float = 1e-4
    dm: int = 0
    dbow_words: int = 0
    infer_epochs: int = 10
    stem: bool = False
    title_weight: int = 2
    skills_weight: int = 1
    # how a posting meets the course vectors: "output_words" (the weighted sum of its words'
    # output vectors, scoring each course by how well it predicts them) or "inferred"
    posting_vector: str = "output_words"
    doc2vec_weight: float = 0.3
    corpus_course_tags: int = 5
    corpus_tag_min_similarity: float = 0.15
    strip_boilerplate: bool = False
    posting_stop_words: bool = True
    feedback_weight: float = 0.3
    feedback_min_similarity: float = 0.5
    seed: int = 13
    workers: int = 1

    def __post_init__(self) -> None:
        if self.posting_vector not in POSTING_VECTORS:
            raise ValueError(f"posting_vector must be one of {sorted(POSTING_VECTORS)}")

    @classmethod
    def from_dict(cls, values: dict) -> RecommenderConfig:
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Filters:
    level: str | None = None
    provider: str | None = None
    language: str | None = None


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


@dataclass(frozen=True)
class Recommendation:
    course: Course
    score: float
    reason: str
    shared_terms: list[str] = field(default_factory=list)


def posting_tokens(title: str, description: str, config: RecommenderConfig) -> list[str]:
    """What the model reads of a job posting: its title (weighted) and its requirements."""
    body = requirements_text(description) if config.strip_boilerplate else description
    tokens = _tokens(title, config) * config.title_weight + _tokens(body, config)
    if config.posting_stop_words:
        tokens = [t for t in tokens if t not in POSTING_STOP_WORDS]
    return tokens


def course_tokens(course: Course, config: RecommenderConfig) -> list[str]:
    skills = _tokens(" ".join(course.skills), config) * config.skills_weight
    title = _tokens(course.title, config) * config.title_weight
    return title + _tokens(course.description, config) + skills


def _tokens(text: str, config: RecommenderConfig) -> list[str]:
    return analyze(text, stemmed=config.stem)


class Recommender:
    """Ranks catalog courses for a job posting. Thread-safe and deterministic: a posting's
    vector is a fixed sum of word vectors, and Doc2Vec inference (new courses, bundles that
    infer posting vectors) reseeds the model's generator under a lock and starts from a vector
    seeded by the words, so the same text gets the same vector in every thread, worker and
    restart."""

    def __init__(self, courses: Sequence[Course], doc2vec, course_vectors: np.ndarray,
                 lexicon: TfidfIndex, course_tfidf: sparse.csr_matrix,
                 config: RecommenderConfig, feedback: FeedbackMemory | None = None) -> None:
        self.courses = list(courses)
        self.doc2vec = doc2vec
        self.course_vectors = _unit_rows(course_vectors.astype(np.float32))
        self.lexicon = lexicon
        self.course_tfidf = course_tfidf.tocsr()
        self._by_term = self.course_tfidf.tocsc()  # scoring reads only the posting's columns
        self._rarest_idf = float(lexicon.idf.max())  # the weight of a word no course uses
        self.config = config
        self.feedback = feedback
        self._lock = threading.Lock()
        self._index = {course.id: i for i, course in enumerate(self.courses)}
        self._skill_cache: dict[int, list[tuple[str, list[str]]]] = {}
        self._levels = np.array([c.level or "" for c in self.courses])
        self._providers = np.array([c.provider.lower() for c in self.courses])
        self._languages = np.array([c.language.lower() for c in self.courses])

    def __contains__(self, course_id: str) -> bool:
        return course_id in self._index

    def course(self, course_id: str) -> Course:
        return self.courses[self._index[course_id]]

    def posting_vector(self, tokens: list[str]) -> np.ndarray:
        """What the course vectors are compared with (unit length). With "output_words", the
        posting's words' output vectors, weighted by sublinear TF-IDF (a word no course uses
        weighs as much as the rarest course word): PV-DBOW trains a course vector to predict
        its words by the dot product with their output vectors, so this scores each course
        by how well it predicts the posting, with no noisy inference."""
        if self.config.posting_vector == "inferred":
            return self.infer(tokens)
        index = self.doc2vec.wv.key_to_index
        counts = Counter(t for t in tokens if t in index)
        if not counts:
            return np.zeros(self.course_vectors.shape[1], dtype=np.float32)
        vocabulary, idf, rarest = self.lexicon.vocabulary, self.lexicon.idf, self._rarest_idf
        weights = np.fromiter(
            ((1.0 + math.log(n)) * (idf[vocabulary[t]] if t in vocabulary else rarest)
             for t, n in counts.items()), dtype=np.float32, count=len(counts))
        rows = self.doc2vec.syn1neg[[index[t] for t in counts]]
        return _unit_rows((weights @ rows)[None, :])[0]

    def infer(self, tokens: list[str]) -> np.ndarray:
        """The Doc2Vec vector inferred for a text (unit length)."""
        known = [t for t in tokens if t in self.doc2vec.wv.key_to_index]
        if not known:
            return np.zeros(self.course_vectors.shape[1], dtype=np.float32)
        with self._lock:
            self.doc2vec.random = np.random.RandomState(self.config.seed)
            vector = infer_vector(self.doc2vec, known, self.config.infer_epochs)
        return _unit_rows(vector[None, :])[0]

    def scores(self, title: str, description: str) -> tuple[np.ndarray, LexicalRow]:
        """The fused score of every course, and the posting's TF-IDF row (for reasons)."""
        tokens = posting_tokens(title, description, self.config)
        lexical = self.lexicon.row(tokens)
        columns, weights = lexical
        if len(columns) == 0 and not any(t in self.doc2vec.wv.key_to_index for t in tokens):
            raise UnknownTextError(
                "the posting has no word the model knows; send an English job description"
            )
        semantic = self.course_vectors @ self.posting_vector(tokens)
        literal = self._by_term[:, columns] @ weights
        weight = self.config.doc2vec_weight
        fused = weight * semantic + (1 - weight) * literal
        if self.feedback is not None and len(columns):
            fused += self.feedback.adjustments(lexical, len(self.courses),
                                               self.config.feedback_weight,
                                               self.config.feedback_min_similarity)
        return fused, lexical

    def with_config(self, **overrides: Any) -> Recommender:
        """A copy scoring with parameters changed (for ablations); the trained parts are shared,
        so only scoring parameters make sense here."""
        changed = Recommender.__new__(Recommender)
        changed.__dict__.update(self.__dict__)
        changed.config = replace(self.config, **overrides)
        return changed

    def with_feedback(self, judged: Sequence[tuple[str, str, str, bool]]) -> Recommender:
        """A copy that also remembers (title, description, course id, helpful) judgments."""
        known = [(t, d, c, h) for t, d, c, h in judged if c in self._index]
        if not known:
            return self
        rows = self.lexicon.transform(posting_tokens(t, d, self.config)
                                      for t, d, _, _ in known)
        courses = np.array([self._index[c] for _, _, c, _ in known])
        signs = np.array([1.0 if h else -1.0 for *_, h in known])
        if self.feedback is not None:
            rows = sparse.vstack([self.feedback.postings, rows]).tocsr()
            courses = np.concatenate([self.feedback.courses, courses])
            signs = np.concatenate([self.feedback.signs, signs])
        return Recommender(self.courses, self.doc2vec, self.course_vectors, self.lexicon,
                           self.course_tfidf, self.config, FeedbackMemory(rows, courses, signs))

    def recommend(self, title: str, description: str, k: int = 10,
                  filters: Filters | None = None) -> list[Recommendation]:
        scores, lexical = self.scores(title, description)
        candidates = self._filter(filters or Filters())
        if len(candidates) == 0:
            return []
        top = candidates[top_k(scores[candidates], k)]
        posting = np.zeros(len(self.lexicon.terms))
        posting[lexical[0]] = lexical[1]
        return [self._recommendation(int(i), float(scores[i]), posting) for i in top]

    def _filter(self, filters: Filters) -> np.ndarray:
        mask = np.ones(len(self.courses), dtype=bool)
        if filters.level:
            mask &= self._levels == filters.level.lower()
        if filters.provider:
            mask &= self._providers == filters.provider.lower()
        if filters.language:
            mask &= self._languages == filters.language.lower()
        return np.flatnonzero(mask)

    def _recommendation(self, index: int, score: float, posting: np.ndarray) -> Recommendation:
        """`posting`: the posting's TF-IDF weights as a dense row over the vocabulary."""
        course = self.courses[index]
        start, end = self.course_tfidf.indptr[index], self.course_tfidf.indptr[index + 1]
        columns = self.course_tfidf.indices[start:end]
        weight = self.course_tfidf.data[start:end] * posting[columns]
        shared = np.flatnonzero(weight)
        ranked = (str(self.lexicon.terms[c])
                  for c in columns[shared[np.argsort(-weight[shared], kind="stable")]])
        terms = list(islice(filter(readable_term, ranked), 4))
        skills = [skill for skill, words in self._skill_words(index)
                  if words and set(words) <= set(terms)]
        shown = skills or [self._surface(term, course) for term in terms]
        if shown:
            reason = "Covers " + ", ".join(shown[:4]) + " from the posting"
        else:
            reason = "Close in topic to the posting as a whole"
        return Recommendation(course, round(score, 6), reason, shown[:4])

    def _skill_words(self, index: int) -> list[tuple[str, list[str]]]:
        """The course's listed skills with their tokens (computed once per course)."""
        cached = self._skill_cache.get(index)
        if cached is None:
            cached = [(skill, normalize(tokenize(skill), stemmed=self.config.stem))
                      for skill in self.courses[index].skills]
            self._skill_cache[index] = cached
        return cached

    def _surface(self, term: str, course: Course) -> str:
        """A readable word for a term: the term itself, or with stemming the course's word."""
        if not self.config.stem:
            return term
        for token in tokenize(f"{course.title} {course.description}"):
            if analyze(token) == [term]:
                return token
        return term

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.doc2vec.save(str(directory / DOC2VEC_FILE))
        np.save(directory / "course_vectors.npy", self.course_vectors)
        sparse.save_npz(directory / "course_tfidf.npz", self.course_tfidf)
        (directory / "tfidf.json").write_text(json.dumps(self.lexicon.to_dict()))
        (directory / CONFIG_FILE).write_text(json.dumps(asdict(self.config), indent=2))
        if self.feedback is not None:
            sparse.save_npz(directory / "feedback_postings.npz", self.feedback.postings)
            np.savez(directory / "feedback.npz", courses=self.feedback.courses,
                     signs=self.feedback.signs)
        with (directory / COURSES_FILE).open("w", encoding="utf-8") as handle:
            for course in self.courses:
                handle.write(course.model_dump_json() + "\n")

    @classmethod
    def load(cls, directory: Path, mmap: str | None = "r") -> Recommender:
        """Load a saved recommender; `mmap=None` loads a copy that can be trained further."""
        from gensim.models.doc2vec import Doc2Vec

        values = json.loads((directory / CONFIG_FILE).read_text())
        values.setdefault("posting_vector", "inferred")  # bundles from before the choice
        config = RecommenderConfig.from_dict(values)
        lexicon = TfidfIndex.from_dict(json.loads((directory / "tfidf.json").read_text()))
        with (directory / COURSES_FILE).open(encoding="utf-8") as handle:
            courses = [Course.model_validate_json(line) for line in handle if line.strip()]
        feedback = None
        if (directory / "feedback.npz").exists():
            with np.load(directory / "feedback.npz") as stored:
                feedback = FeedbackMemory(sparse.load_npz(directory / "feedback_postings.npz"),
                                          stored["courses"], stored["signs"])
        return cls(
            courses,
            Doc2Vec.load(str(directory / DOC2VEC_FILE), mmap=mmap),
            np.load(directory / "course_vectors.npy"),
            lexicon,
            sparse.load_npz(directory / "course_tfidf.npz"),
            config,
            feedback,
        )


URL_PARTS = frozenset(["www", "com", "org", "net", "http", "https", "html"])


def readable_term(term: str) -> bool:
    """Whether a shared term reads as a reason: not a number, a stray letter or a URL part
    (they still count in the score; a jobseeker just learns nothing from "Covers 10, www")."""
    return not term.isdigit() and (len(term) > 1 or term in ("c", "r")) and term not in URL_PARTS


def infer_vector(doc2vec, words: list[str], epochs: int) -> np.ndarray:
    """gensim's `Doc2Vec.infer_vector`, started from a vector seeded by a stable hash of the
    words. gensim seeds it with Python's `hash`, which is salted per process (gensim#2859):
    two workers, or one after a restart, inferred different vectors for the same posting, and
    13 of 1,000 top-10 places changed between two runs."""
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


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest scores, best first, ties in index order: what a stable sort
    of the whole array gives, without sorting 100k scores for ten results."""
    if k >= len(scores):
        return np.argsort(-scores, kind="stable")
    kth = np.partition(scores, len(scores) - k)[len(scores) - k]
    contenders = np.flatnonzero(scores >= kth)
    return contenders[np.argsort(-scores[contenders], kind="stable")[:k]]


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)
