"""The runtime course recommender: Doc2Vec similarity fused with a lexical TF-IDF signal.
Used by the service, by `careerpath predict recommend` and by evaluation alike."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from pipelines.records import Course
from pipelines.text import analyze, requirements_text, tokenize

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
    infer_epochs: int = 40
    stem: bool = False
    title_weight: int = 2
    skills_weight: int = 1
    doc2vec_weight: float = 0.15
    strip_boilerplate: bool = True
    posting_stop_words: bool = True
    seed: int = 13
    workers: int = 1

    @classmethod
    def from_dict(cls, values: dict) -> RecommenderConfig:
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Filters:
    level: str | None = None
    provider: str | None = None
    language: str | None = None


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


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def tfidf_vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=_identity, sublinear_tf=True, vocabulary=vocabulary)


class Recommender:
    """Ranks catalog courses for a job posting. Thread-safe and deterministic: Doc2Vec inference
    reseeds the model's generator under a lock, so the same posting gets the same vector."""

    def __init__(self, courses: Sequence[Course], doc2vec, course_vectors: np.ndarray,
                 vectorizer: TfidfVectorizer, course_tfidf: sparse.csr_matrix,
                 config: RecommenderConfig) -> None:
        self.courses = list(courses)
        self.doc2vec = doc2vec
        self.course_vectors = _unit_rows(course_vectors.astype(np.float32))
        self.vectorizer = vectorizer
        self.course_tfidf = course_tfidf.tocsr()
        self.config = config
        self._terms = np.array(vectorizer.get_feature_names_out())
        self._lock = threading.Lock()
        self._index = {course.id: i for i, course in enumerate(self.courses)}
        self._levels = np.array([c.level or "" for c in self.courses])
        self._providers = np.array([c.provider.lower() for c in self.courses])
        self._languages = np.array([c.language.lower() for c in self.courses])

    def __contains__(self, course_id: str) -> bool:
        return course_id in self._index

    def course(self, course_id: str) -> Course:
        return self.courses[self._index[course_id]]

    def embed(self, tokens: list[str]) -> np.ndarray:
        """The posting's Doc2Vec vector (unit length)."""
        known = [t for t in tokens if t in self.doc2vec.wv.key_to_index]
        if not known:
            return np.zeros(self.course_vectors.shape[1], dtype=np.float32)
        with self._lock:
            self.doc2vec.random = np.random.RandomState(self.config.seed)
            vector = self.doc2vec.infer_vector(known, epochs=self.config.infer_epochs)
        return _unit_rows(vector[None, :])[0]

    def scores(self, title: str, description: str) -> tuple[np.ndarray, sparse.csr_matrix]:
        """The fused score of every course, and the posting's TF-IDF row (for reasons)."""
        tokens = posting_tokens(title, description, self.config)
        lexical = self.vectorizer.transform([tokens])
        if lexical.nnz == 0 and not any(t in self.doc2vec.wv.key_to_index for t in tokens):
            raise UnknownTextError(
                "the posting has no word the model knows; send an English job description"
            )
        semantic = self.course_vectors @ self.embed(tokens)
        literal = np.asarray((self.course_tfidf @ lexical.T).todense()).ravel()
        weight = self.config.doc2vec_weight
        return weight * semantic + (1 - weight) * literal, lexical

    def recommend(self, title: str, description: str, k: int = 10,
                  filters: Filters | None = None) -> list[Recommendation]:
        scores, lexical = self.scores(title, description)
        candidates = self._filter(filters or Filters())
        if len(candidates) == 0:
            return []
        top = candidates[np.argsort(-scores[candidates], kind="stable")[:k]]
        return [self._recommendation(int(i), float(scores[i]), lexical) for i in top]

    def _filter(self, filters: Filters) -> np.ndarray:
        mask = np.ones(len(self.courses), dtype=bool)
        if filters.level:
            mask &= self._levels == filters.level.lower()
        if filters.provider:
            mask &= self._providers == filters.provider.lower()
        if filters.language:
            mask &= self._languages == filters.language.lower()
        return np.flatnonzero(mask)

    def _recommendation(self, index: int, score: float,
                        lexical: sparse.csr_matrix) -> Recommendation:
        course = self.courses[index]
        shared = lexical.multiply(self.course_tfidf[index]).tocoo()
        order = np.argsort(-shared.data)[:4]
        stems = [str(self._terms[shared.col[i]]) for i in order]
        skills = _skills_in(course, set(stems))
        terms = skills or [_surface(stem, course) for stem in stems]
        if terms:
            reason = "Covers " + ", ".join(terms[:4]) + " from the posting"
        else:
            reason = "Close in topic to the posting as a whole"
        return Recommendation(course, round(score, 6), reason, terms[:4])

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.doc2vec.save(str(directory / DOC2VEC_FILE))
        np.save(directory / "course_vectors.npy", self.course_vectors)
        sparse.save_npz(directory / "course_tfidf.npz", self.course_tfidf)
        (directory / "tfidf.json").write_text(json.dumps({
            "vocabulary": {t: int(i) for t, i in self.vectorizer.vocabulary_.items()},
            "idf": self.vectorizer.idf_.tolist(),
        }))
        (directory / CONFIG_FILE).write_text(json.dumps(asdict(self.config), indent=2))
        with (directory / COURSES_FILE).open("w", encoding="utf-8") as handle:
            for course in self.courses:
                handle.write(course.model_dump_json() + "\n")

    @classmethod
    def load(cls, directory: Path) -> Recommender:
        from gensim.models.doc2vec import Doc2Vec

        config = RecommenderConfig.from_dict(json.loads((directory / CONFIG_FILE).read_text()))
        tfidf = json.loads((directory / "tfidf.json").read_text())
        vectorizer = tfidf_vectorizer(tfidf["vocabulary"])
        vectorizer.idf_ = np.asarray(tfidf["idf"])
        with (directory / COURSES_FILE).open(encoding="utf-8") as handle:
            courses = [Course.model_validate_json(line) for line in handle if line.strip()]
        return cls(
            courses,
            Doc2Vec.load(str(directory / DOC2VEC_FILE), mmap="r"),
            np.load(directory / "course_vectors.npy"),
            vectorizer,
            sparse.load_npz(directory / "course_tfidf.npz"),
            config,
        )


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def _skills_in(course: Course, stems: set[str]) -> list[str]:
    """The course's listed skills whose words are among the shared stems."""
    found = []
    for skill in course.skills:
        words = analyze(skill)
        if words and all(w in stems for w in words):
            found.append(skill)
    return found


def _surface(stem: str, course: Course) -> str:
    """A readable word for a stem, as the course spells it."""
    for token in tokenize(f"{course.title} {course.description}"):
        if token.startswith(stem[: max(3, len(stem) - 1)]) and analyze(token) == [stem]:
            return token
    return stem
