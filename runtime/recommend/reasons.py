"""Why a course was recommended, in words a jobseeker can read."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice

import numpy as np
from scipy import sparse

from pipelines.records import Course
from pipelines.text import analyze, normalize, tokenize
from runtime.tfidf import TfidfIndex

URL_PARTS = frozenset(["www", "com", "org", "net", "http", "https", "html"])


def readable_term(term: str) -> bool:
    """Whether a shared term reads as a reason: not a number, a stray letter or a URL part
    (they still count in the score; a jobseeker just learns nothing from "Covers 10, www")."""
    return not term.isdigit() and (len(term) > 1 or term in ("c", "r")) and term not in URL_PARTS


class Reasons:
    """The terms a posting and a course share, weighted by both TF-IDF rows; shown as the
    course's listed skills they spell out, or else as the terms themselves."""

    def __init__(self, courses: Sequence[Course], course_tfidf: sparse.csr_matrix,
                 lexicon: TfidfIndex, stemmed: bool) -> None:
        self.courses = courses
        self.course_tfidf = course_tfidf
        self.lexicon = lexicon
        self.stemmed = stemmed
        self._skill_cache: dict[int, list[tuple[str, list[str]]]] = {}

    def explain(self, index: int, posting: np.ndarray) -> tuple[str, list[str]]:
        """(reason, what it names) for course `index`; `posting`: the posting's TF-IDF
        weights as a dense row over the vocabulary."""
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
        shown = (skills or [self._surface(term, course) for term in terms])[:4]
        if shown:
            return "Covers " + ", ".join(shown) + " from the posting", shown
        return "Close in topic to the posting as a whole", shown

    def _skill_words(self, index: int) -> list[tuple[str, list[str]]]:
        """The course's listed skills with their tokens (computed once per course)."""
        cached = self._skill_cache.get(index)
        if cached is None:
            cached = [(skill, normalize(tokenize(skill), stemmed=self.stemmed))
                      for skill in self.courses[index].skills]
            self._skill_cache[index] = cached
        return cached

    def _surface(self, term: str, course: Course) -> str:
        """A readable word for a term: the term itself, or with stemming the course's word."""
        if not self.stemmed:
            return term
        for token in tokenize(f"{course.title} {course.description}"):
            if analyze(token) == [term]:
                return token
        return term
