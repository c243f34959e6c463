"""The runtime skill extractor: the ESCO skills a text asks for, sentence by sentence.

Three signals rank every skill for a sentence, each standardised over the taxonomy (so that
a sentence's best skills stand out by how far they are from its typical one) and added with
fixed weights:
- `words`: TF-IDF cosine of the sentence's stemmed words and word pairs with the skill's
  text (its preferred and alternative labels and its definition);
- `chars`: TF-IDF cosine of character 3-5-grams with the skill's labels, which catches
  "JavaScript" for "javascript" and "programming" for "programmer";
- `meaning`: cosine of static sentence vectors (the sentence's word vectors, weighted by
  IDF) with skill vectors, so that "build dashboards in Tableau" lands near "use data
  visualisation software". The vectors are made at training time (distilled from a
  sentence encoder when one is installed); serving needs NumPy only.
A posting's skills are those of the parts that state the job (its bundle's reader), each with
its best score and the part it came from as evidence."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from pipelines.text import clean, normalize, tokenize
from runtime.errors import PostingError
from runtime.ranking import top_k
from runtime.reader import PostingReader
from runtime.tfidf import TfidfIndex

SIGNALS = ("words", "chars", "meaning")


class UnknownSkillError(PostingError):
    """A profile names a skill the taxonomy does not have."""


@dataclass(frozen=True)
class Skill:
    uri: str
    label: str


@dataclass(frozen=True)
class SkillConfig:
    """Every parameter of the extractor, stored with it."""

    # chosen on the benchmark's validation splits (docs/experiments.md)
    words_weight: float = 0.5
    chars_weight: float = 0.5
    meaning_weight: float = 2.0
    part_threshold: float = 0.3  # a posting's parts that state the job at least this probably
    per_part: int = 10  # each part's best skills that compete for the posting's
    # Character grams in more than this share of the skills' labels ("ing", " co") are left
    # out of the products: they weigh little and made the character product nearly dense.
    char_max_df: float = 0.05
    encoder: str = "none"  # what made the vectors: a sentence encoder's name, or word2vec

    @classmethod
    def from_dict(cls, values: dict) -> SkillConfig:
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class SkillMatch:
    skill: Skill
    score: float
    evidence: str


def word_terms(text: str) -> list[str]:
    """Stemmed words (stop words dropped) and word pairs."""
    tokens = normalize(tokenize(text))
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def char_terms(text: str) -> list[str]:
    """Character 3-5-grams of each word, padded with a space at both ends."""
    return [gram for token in tokenize(text) for gram in _word_grams(token)]


@lru_cache(maxsize=65536)
def _word_grams(token: str) -> tuple[str, ...]:
    """One word's grams: postings repeat their words, so each is cut once."""
    padded, grams = f" {token} ", []
    for n in range(3, 6):
        grams += [padded[i:i + n] for i in range(max(1, len(padded) - n + 1))]
        if len(padded) <= n:
            break
    return tuple(grams)


class WordVectors:
    """Static sentence vectors: the IDF-weighted sum of a text's word vectors, unit length."""

    def __init__(self, vocabulary: dict[str, int], vectors: np.ndarray, idf: np.ndarray) -> None:
        self.vocabulary = vocabulary
        self.vectors = np.asarray(vectors, dtype=np.float32)  # a memory map stays one
        self.idf = np.asarray(idf, dtype=np.float32)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.vectors.shape[1]), dtype=np.float32)
        for row, text in enumerate(texts):
            known = [self.vocabulary[t] for t in tokenize(text) if t in self.vocabulary]
            if known:
                out[row] = self.idf[known] @ self.vectors[known]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def _without_common_terms(matrix: sparse.csr_matrix, max_df: float) -> sparse.csr_matrix:
    """A (terms, skills) matrix with the rows of terms found in more than `max_df` of the
    skills emptied; the skills' norms stay those of their full vectors."""
    common = np.diff(matrix.indptr) > max_df * matrix.shape[1]
    pruned = (sparse.diags((~common).astype(matrix.dtype)) @ matrix).tocsr()
    pruned.eliminate_zeros()
    return pruned


def _standardised(scores: np.ndarray) -> np.ndarray:
    """Each row's scores as distances from the row's mean, in standard deviations."""
    deviation = scores.std(axis=1, keepdims=True)
    return (scores - scores.mean(axis=1, keepdims=True)) / np.where(deviation > 0, deviation, 1)


def _add_standardised(total: np.ndarray, signal: sparse.csr_matrix, weight: float) -> None:
    """total += weight × `signal` standardised row by row (as `_standardised` would, zeros
    included), without making the sparse signal dense."""
    columns = signal.shape[1]
    rows = np.repeat(np.arange(signal.shape[0]), np.diff(signal.indptr))
    mean = np.bincount(rows, signal.data, minlength=signal.shape[0]) / columns
    squares = np.bincount(rows, signal.data ** 2, minlength=signal.shape[0]) / columns
    deviation = np.sqrt(np.maximum(squares - mean ** 2, 0))
    scale = (weight / np.where(deviation > 0, deviation, 1)).astype(np.float32)
    total -= (mean.astype(np.float32) * scale)[:, None]
    # by flat position: (row, column) pairs of a CSR matrix are distinct, and this is faster
    total.reshape(-1)[rows * columns + signal.indices] += (signal.data.astype(np.float32)
                                                           * scale[rows])


class SkillExtractor:
    """Ranks the taxonomy's skills for sentences and extracts a posting's skills. Stateless
    after construction, so thread-safe; deterministic."""

    def __init__(self, skills: Sequence[Skill], words: TfidfIndex,
                 word_matrix: sparse.csr_matrix, chars: TfidfIndex,
                 char_matrix: sparse.csr_matrix, word_vectors: WordVectors,
                 skill_vectors: np.ndarray, config: SkillConfig,
                 course_skills: dict[str, list[tuple[str, float]]] | None = None, *,
                 reader: PostingReader) -> None:
        self.skills = list(skills)
        self.reader = reader
        self.words, self.chars = words, chars
        # (terms, skills): a sentence's row times these gives its cosine with every skill
        self._word_matrix = word_matrix.T.tocsr()
        self._char_matrix = _without_common_terms(char_matrix.T.tocsr(), config.char_max_df)
        self.word_matrix, self.char_matrix = word_matrix, char_matrix
        self.word_vectors = word_vectors
        self.skill_vectors = np.asarray(skill_vectors, dtype=np.float32)
        # the faster layout for the product; no copy when stored so (a memory map stays one)
        self._skill_vectors_t = np.ascontiguousarray(self.skill_vectors.T)
        self.config = config
        self._names = {**{s.label.lower(): s for s in self.skills},
                       **{s.uri: s for s in self.skills}}
        self._set_course_skills(course_skills or {})
        self._gram_columns = lru_cache(maxsize=65536)(self._word_gram_columns)
        self._weights = np.array([config.words_weight, config.chars_weight,
                                  config.meaning_weight], dtype=np.float32)

    def with_config(self, config: SkillConfig) -> SkillExtractor:
        """A copy scoring with other weights (for ablations); the fitted parts are shared."""
        return SkillExtractor(self.skills, self.words, self.word_matrix, self.chars,
                              self.char_matrix, self.word_vectors, self.skill_vectors, config,
                              self.course_skills, reader=self.reader)

    def resolve(self, names: Sequence[str]) -> list[Skill]:
        """Skills named by URI or preferred label (any case); an unknown name is an error."""
        found = [self._names.get(name.strip()) or self._names.get(name.strip().lower())
                 for name in names]
        unknown = [name for name, skill in zip(names, found, strict=True) if skill is None]
        if unknown:
            raise UnknownSkillError(f"unknown skills {unknown[:5]}: send ESCO skill URIs or "
                                    "preferred labels", unknown=unknown[:20])
        return [skill for skill in found if skill is not None]

    def with_course_skills(self, course_skills: dict[str, list[tuple[str, float]]]
                           ) -> SkillExtractor:
        """A copy whose courses teach `course_skills`; the fitted parts are shared."""
        extractor = copy.copy(self)
        extractor._set_course_skills(course_skills)
        return extractor

    def _set_course_skills(self, course_skills: dict[str, list[tuple[str, float]]]) -> None:
        # each course's skills (uri, score), found in its description and listed skills
        self.course_skills = course_skills
        self._taught = {course: frozenset(uri for uri, _ in found)
                        for course, found in course_skills.items()}
        self._teaching = frozenset().union(*self._taught.values())

    def taught_by(self, course_id: str) -> frozenset[str]:
        """The skills (URIs) a course teaches."""
        return self._taught.get(course_id, frozenset())

    def teaching(self) -> frozenset[str]:
        """The skills some course teaches."""
        return self._teaching

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """(texts, skills): each skill's fused score for each text."""
        if not texts:
            return np.zeros((0, len(self.skills)), dtype=np.float32)
        words = self.words.transform(word_terms(t) for t in texts) @ self._word_matrix
        chars = self.char_rows(texts) @ self._char_matrix
        meaning = self.word_vectors.embed(texts) @ self._skill_vectors_t
        words_weight, chars_weight, meaning_weight = self._weights
        total = meaning_weight * _standardised(meaning)
        _add_standardised(total, words.tocsr(), float(words_weight))
        _add_standardised(total, chars.tocsr(), float(chars_weight))
        return total

    def char_rows(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The texts' character-gram TF-IDF rows, as `self.chars.transform(char_terms(t) for t
        in texts)` makes them, with each word's gram columns looked up once."""
        return self.chars.stack(self.chars.column_row(np.concatenate(
            [np.empty(0, np.int32), *(self._gram_columns(token) for token in tokenize(text))]))
            for text in texts)

    def _word_gram_columns(self, token: str) -> np.ndarray:
        vocabulary = self.chars.vocabulary
        return np.array([vocabulary[gram] for gram in _word_grams(token) if gram in vocabulary],
                        dtype=np.int32)

    def rank(self, text: str, k: int = 10) -> list[SkillMatch]:
        """The k skills that best match one text taken whole (a sentence, say)."""
        scores = self.scores([text])[0]
        return [SkillMatch(self.skills[i], round(float(scores[i]), 4), text)
                for i in top_k(scores, k)]

    def extract(self, title: str, description: str, k: int = 10,
                read_parts: bool = True) -> list[SkillMatch]:
        """A text's k best skills: each part of it that states the job (every part, without
        `read_parts`: a course is no posting) and the title rank the taxonomy, and a skill
        keeps its best score and the part that gave it. A text of one part is ranked on its
        own, whatever the reader makes of it."""
        parts = self.reader.read(description)
        kept = [p.part.text for p in parts
                if not read_parts or p.job >= self.config.part_threshold]
        texts = ([title] if title.strip() else []) + (kept if len(parts) > 1 and kept
                                                      else [clean(description)])
        scores = self.scores(texts)
        best: dict[int, tuple[float, str]] = {}
        for row, text in enumerate(texts):
            for i in top_k(scores[row], self.config.per_part):
                if i not in best or scores[row, i] > best[i][0]:
                    best[i] = (float(scores[row, i]), text)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:k]
        return [SkillMatch(self.skills[i], round(score, 4), evidence)
                for i, (score, evidence) in ranked]
