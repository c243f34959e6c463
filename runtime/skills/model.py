"""The skill matcher at run time: the ESCO skills a posting asks for, each with the probability
that it does and the part of the posting that says so.

1. The parts of the posting that state the job (its bundle's reader) and its title are encoded
   with static sentence vectors trained to land near the skills they state (`encoder.py`).
2. Candidates: each part's nearest skills in the index (`index.py`), the skills whose label a
   part names (word for word), and the essential skills of the occupations the posting most
   likely is for (`occupations.py`).
3. Each candidate gets features (how near its best part is, and how near once the words
   they share are left out, so that "registered nurse" is not "handle registered mail";
   whether that part names it, how surely that part states the job, whether it is a pay or
   schedule line, how many parts point to it, whether the likely occupations call for it,
   weighed by how near it is: an occupation's skill no part comes near counts little) and a
   calibrated probability that the posting asks for it, from a logistic regression fitted on
   graded postings.
4. The skills above the threshold are returned, likeliest first, near-duplicates of a skill
   already taken left out.
NumPy, a tokenizer and an index only: no FastAPI, no TensorFlow, no torch."""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from pipelines.text import STOP_WORDS, tokenize
from runtime.errors import PostingError
from runtime.logistic import Logistic
from runtime.reader import READINGS_KEPT, PostingReader
from runtime.skills.encoder import StaticEncoder
from runtime.skills.index import SkillIndex
from runtime.skills.occupations import Occupations

FEATURES = ("best", "context", "whole", "named", "coverage", "job", "terms", "support",
            "rank", "essential", "optional")
CONTESTED = 40  # the likeliest candidates whose context is worked out
WINDOW_CHARS = 80  # consecutive parts that look for candidates together
SUPPORT = 0.9  # a part this near a skill, of its best part's similarity, supports it too
NAMING_BONUS = 0.3  # a sentence's ranking: what naming all of a label adds to similarity
CLAUSE_CHARS, MIN_CLAUSE_CHARS = 80, 20  # a part is cut into clauses past the first
_CLAUSE = re.compile(r"[;,]\s+|\s+and\s+(?=[a-z])")
# A line of pay, schedule or benefits: "$15 per hour plus tips" asks for no skill.
TERMS = re.compile(r"\$|\b(per (hour|hr|year|week)|hourly|salary|wages?|tips|bonus|"
                   r"full[- ]time|part[- ]time|shifts?|schedule|benefits?|401\(?k\)?|"
                   r"paid time off|pto|insurance|job type)\b", re.IGNORECASE)


def words(text: str) -> frozenset[str]:
    """A text's content words, lower case, plurals made singular: what naming a skill takes
    ("accountable" names no "accounting", as a stemmer would have it)."""
    return frozenset(word[:-1] if len(word) > 3 and word.endswith("s") and not
                     word.endswith("ss") else word
                     for word in tokenize(text) if word not in STOP_WORDS)


def clauses(text: str) -> list[str]:
    """A part cut where a list goes on (commas, semicolons, "and"), when it is long; a piece
    too short to say anything joins the one before it."""
    if len(text) <= CLAUSE_CHARS:
        return [text]
    pieces: list[str] = []
    for piece in _CLAUSE.split(text):
        piece = piece.strip(" .")
        if pieces and len(piece) < MIN_CLAUSE_CHARS:
            pieces[-1] += ", " + piece
        elif piece:
            pieces.append(piece)
    return pieces or [text]


class UnknownSkillError(PostingError):
    """A profile names a skill the taxonomy does not have."""


@dataclass(frozen=True)
class Skill:
    uri: str
    label: str


@dataclass(frozen=True)
class SkillMatch:
    skill: Skill
    score: float  # the probability that the text asks for the skill
    evidence: str


@dataclass(frozen=True)
class SkillConfig:
    """Every parameter of the matcher, stored with it."""

    part_threshold: float = 0.3  # a posting's parts that state the job at least this probably
    per_part: int = 30  # the nearest skills of each run of parts that become candidates
    threshold: float = 0.5  # the probability a skill needs to be returned (fitted on judgments)
    duplicate_similarity: float = 0.85  # a skill this near one already taken repeats it
    per_evidence: int = 2  # the skills one part may give that it does not name
    encoder: str = "none"  # what made the first token vectors

    @classmethod
    def from_dict(cls, values: dict) -> SkillConfig:
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Evidence:
    """A text's parts as the matcher reads them: each part's text, vector and stems, and how
    surely it states the job."""

    texts: list[str]
    vectors: np.ndarray
    tokens: list[list[int]]
    stems: list[frozenset[str]]
    job: np.ndarray
    whole: np.ndarray


class SkillExtractor:
    """Stateless after construction, so thread-safe; deterministic."""

    def __init__(self, skills: Sequence[Skill], encoder: StaticEncoder, index: SkillIndex,
                 occupations: Occupations, calibration: Logistic, config: SkillConfig,
                 course_skills: dict[str, list[tuple[str, float]]] | None = None, *,
                 reader: PostingReader) -> None:
        self.skills = list(skills)
        self.encoder, self.index, self.occupations = encoder, index, occupations
        self.calibration, self.config, self.reader = calibration, config, reader
        self.label_stems = [words(s.label) for s in self.skills]
        self.label_ids = encoder.token_ids([s.label for s in self.skills])
        self.label_tokens = [frozenset(ids) for ids in self.label_ids]
        self._by_stem: dict[str, list[int]] = {}  # a label's rarest stem -> its skills
        frequency = Counter(stem for stems in self.label_stems for stem in stems)
        for column, stems in enumerate(self.label_stems):
            if stems:
                self._by_stem.setdefault(min(stems, key=lambda s: (frequency[s], s)),
                                         []).append(column)
        self._names = {**{s.label.lower(): s for s in self.skills},
                       **{s.uri: s for s in self.skills}}
        self._set_course_skills(course_skills or {})
        self._forget_scores()

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

    def with_calibration(self, calibration: Logistic, threshold: float) -> SkillExtractor:
        extractor = copy.copy(self)
        extractor.calibration = calibration
        extractor.config = SkillConfig(**{**self.config.__dict__, "threshold": threshold})
        extractor._forget_scores()
        return extractor

    def _forget_scores(self) -> None:
        # a posting page's requests (/recommend, /skills, /path) score the same posting
        self._scored = lru_cache(maxsize=READINGS_KEPT)(self._score)

    def _set_course_skills(self, course_skills: dict[str, list[tuple[str, float]]]) -> None:
        # each course's skills (uri, probability), found in its description and listed skills
        self.course_skills = course_skills
        self._taught = {course: frozenset(uri for uri, _ in found)
                        for course, found in course_skills.items()}
        self._teaching = frozenset().union(*self._taught.values())

    def taught_by(self, course_id: str) -> frozenset[str]:
        return self._taught.get(course_id, frozenset())

    def teaching(self) -> frozenset[str]:
        return self._teaching

    def read(self, title: str, description: str, read_parts: bool = True,
             whole: bool = False) -> Evidence:
        """The parts of `description` that state the job (every part, without `read_parts`:
        a course is no posting), a long one cut at its commas into clauses (a sentence that
        lists five duties asks for five skills), the title first; a text of one part is read
        whole (and, with `whole`, the description is one part, uncut)."""
        parts = self.reader.read(description) if not whole else ()
        kept = [p for p in parts if not read_parts or p.job >= self.config.part_threshold]
        texts, job = [], []
        for scored in kept:
            for clause in clauses(scored.part.text):
                texts.append(clause)
                job.append(scored.job if read_parts else 1.0)
        if len(parts) <= 1 and description.strip():
            texts = [" ".join(description.split())]
            texts = texts if whole else clauses(texts[0])
            job = [1.0] * len(texts)
        if title.strip():
            texts, job = [title.strip(), *texts], [1.0, *job]
        tokens = self.encoder.token_ids(texts)
        vectors = self.encoder.pool(tokens)
        # float32 throughout: a float64 vector against the float32 matrices takes numpy's
        # slow mixed-type path (3 ms for the occupations alone)
        weight = np.asarray(job, dtype=np.float32)
        if texts and title.strip():
            weight[0] *= 2
        overall = (weight @ vectors if len(texts)
                   else np.zeros(self.encoder.dimensions, dtype=np.float32))
        norm = np.linalg.norm(overall)
        return Evidence(texts, vectors, tokens, [words(t) for t in texts],
                        np.asarray(job, dtype=np.float64), overall / norm if norm else overall)

    def features(self, evidence: Evidence, occupations: bool = True, every_context: bool = False,
                 per_part: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(candidate skill columns, their features in FEATURES order, each one's best part).
        `every_context`: the context of every candidate (to fit the calibration), not only of
        those likely enough to be returned."""
        if not evidence.texts:
            return np.zeros(0, dtype=int), np.zeros((0, len(FEATURES))), np.zeros(0, dtype=int)
        nearest = self.index.search(self._windows(evidence), per_part or self.config.per_part)
        top, weights = (self.occupations.likeliest(evidence.whole) if occupations
                        else (np.zeros(0, dtype=int), np.zeros(0)))
        columns = np.unique(np.concatenate([nearest[nearest >= 0], self.occupations.skills_of(top),
                                            self._named(evidence)]).astype(int))
        similarity = evidence.vectors @ self.index.vectors[columns].T  # (parts, candidates)
        best_part = similarity.argmax(axis=0)
        best = similarity[best_part, np.arange(len(columns))]
        support = (similarity >= SUPPORT * best[None, :]).sum(axis=0)  # parts nearly as near
        within = (similarity[best_part] > best[:, None]).sum(axis=1)  # its rank in that part
        covered = np.array([len(self.label_stems[c] & evidence.stems[p])
                            / max(1, len(self.label_stems[c]))
                            for c, p in zip(columns, best_part, strict=True)])
        terms = np.array([bool(TERMS.search(t)) for t in evidence.texts], dtype=float)
        essential, optional = self.occupations.prior(top, weights, columns)
        table = np.column_stack([
            best, best, self.index.vectors[columns] @ evidence.whole, covered == 1.0, covered,
            evidence.job[best_part], terms[best_part], np.log1p(support), np.log1p(within),
            essential * np.maximum(best, 0), optional * np.maximum(best, 0)])
        # What shares no word with its part is near it by meaning alone (context = best). The
        # rest, where it could matter: the likeliest candidates without it, which could be
        # returned.
        likely = np.zeros(len(columns), dtype=bool)
        likely[np.argsort(-self.calibration.probabilities(table))[:CONTESTED]] = True
        contested = (covered > 0) & (covered < 1) & (every_context | likely)
        chosen = np.flatnonzero(contested)
        table[chosen, 1] = self._contexts(columns[chosen], best_part[chosen], best[chosen],
                                          evidence)
        return columns, table, best_part

    def extract(self, title: str, description: str, k: int = 10,
                read_parts: bool = True) -> list[SkillMatch]:
        """The skills the text asks for with a probability over the threshold, at most k,
        likeliest first (`choose`); none for a text with no part that states a job."""
        evidence, columns, table, best_part, probabilities = self._scored(
            title, description, read_parts)
        return [SkillMatch(self.skills[columns[i]], round(float(probabilities[i]), 4),
                           evidence.texts[best_part[i]])
                for i in self.choose(columns, table, best_part, probabilities, k)]

    def _score(self, title: str, description: str, read_parts: bool
               ) -> tuple[Evidence, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The text's evidence, candidates (columns), their features and probabilities."""
        evidence = self.read(title, description, read_parts)
        columns, table, best_part = self.features(evidence)
        probabilities = self.calibration.probabilities(table)
        for array in (columns, table, best_part, probabilities):
            array.flags.writeable = False
        return evidence, columns, table, best_part, probabilities

    def choose(self, columns: np.ndarray, table: np.ndarray, best_part: np.ndarray,
               probabilities: np.ndarray, k: int, threshold: float | None = None) -> list[int]:
        """The candidates to return, likeliest first: over the threshold, at most k, and of
        those the posting does not name outright, none that nearly repeats one taken before
        it and at most `per_evidence` from one part (one clause seldom asks for more)."""
        threshold = self.config.threshold if threshold is None else threshold
        named = table[:, FEATURES.index("named")] > 0
        chosen: list[int] = []
        from_part: Counter[int] = Counter()
        for i in np.argsort(-probabilities, kind="stable"):
            if probabilities[i] < threshold or len(chosen) == k:
                break
            if not named[i] and from_part[best_part[i]] >= self.config.per_evidence:
                continue
            if named[i] or not self._repeats(columns[i], [columns[j] for j in chosen]):
                chosen.append(int(i))
                from_part[best_part[i]] += not named[i]
        return chosen

    def rank(self, text: str, k: int = 10) -> list[SkillMatch]:
        """The k skills nearest one sentence taken whole, with no threshold (the benchmark's
        task): by similarity, and by `NAMING_BONUS` more for every share of a skill's label
        the sentence names. The score is that sum, not a probability: the calibration is of
        whole postings."""
        evidence = self.read("", text, read_parts=False, whole=True)
        columns, table, _ = self.features(evidence, occupations=False,
                                          per_part=max(2 * k, self.config.per_part))
        near = (table[:, FEATURES.index("best")]
                + NAMING_BONUS * table[:, FEATURES.index("coverage")])
        return [SkillMatch(self.skills[columns[i]], round(float(near[i]), 4), text)
                for i in np.argsort(-near, kind="stable")[:k]]

    def _windows(self, evidence: Evidence) -> np.ndarray:
        """The vectors that look for candidates: runs of consecutive parts of at least
        `WINDOW_CHARS` together (a list of short items is one query, not one each)."""
        windows: list[list[int]] = [[]]
        length = 0
        for text, tokens in zip(evidence.texts, evidence.tokens, strict=True):
            if length >= WINDOW_CHARS:
                windows.append([])
                length = 0
            windows[-1] += tokens
            length += len(text)
        return self.encoder.pool(windows)

    def _named(self, evidence: Evidence) -> list[int]:
        """The skills whose every label stem some part has."""
        return [column for stems in evidence.stems for stem in stems
                for column in self._by_stem.get(stem, ()) if self.label_stems[column] <= stems]

    def _contexts(self, columns: np.ndarray, parts: np.ndarray, similarity: np.ndarray,
                  evidence: Evidence) -> np.ndarray:
        """How near each skill's label and its part are once the tokens they share are left
        out of both: what a shared word alone made near falls apart. Where nothing is left
        on a side, the similarity stays."""
        vectors = self.encoder.vectors
        out = similarity.astype(np.float64)
        for part in np.unique(parts):
            rows = np.flatnonzero(parts == part)
            tokens = evidence.tokens[part]
            in_part = set(tokens)
            part_vectors = np.asarray(vectors[tokens], dtype=np.float64)
            shared = np.array([[token in self.label_tokens[columns[r]] for token in tokens]
                               for r in rows], dtype=np.float64)
            rest = part_vectors.sum(axis=0) - shared @ part_vectors
            label_rest = np.array([np.asarray(vectors[[t for t in self.label_ids[columns[r]]
                                                       if t not in in_part]], np.float64)
                                   .sum(axis=0) for r in rows]).reshape(len(rows), -1)
            norms = np.linalg.norm(rest, axis=1) * np.linalg.norm(label_rest, axis=1)
            cosine = np.einsum("ij,ij->i", rest, label_rest) / np.where(norms > 1e-9, norms, 1)
            left = (shared.sum(axis=1) < len(tokens)) & (norms > 1e-9)
            out[rows[left]] = cosine[left]
        return out

    def _repeats(self, column: int, chosen: list[int]) -> bool:
        if not chosen:
            return False
        vectors = self.index.vectors
        return bool((vectors[chosen] @ vectors[column]).max() >= self.config.duplicate_similarity)
