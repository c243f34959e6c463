"""Learning paths: the few courses that together cover what a job needs.

`plan_path` chooses the path, a maximal-marginal-relevance cover: the recommender's
candidates that clear a confidence floor, surest first, each taken only if it teaches a job
skill (one the candidate does not have) that no course taken so far teaches, and if its title
does not nearly repeat a taken one's. The surest course enters even when it teaches none of
the job's skills by name, so that a job whose skills the taxonomy misses is not left empty
when a course is likely relevant. The chosen courses are ordered foundations first: beginner
before intermediate before advanced. (Taking the course with the most confidence times
skill weight instead gave longer, less precise paths: docs/experiments.md.)"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

LEVEL_ORDER = {"beginner": 0, "mixed": 1, "intermediate": 1, None: 1, "advanced": 2}
_WORD = re.compile(r"[a-z0-9+#]+")


@dataclass(frozen=True)
class Candidate:
    """A course that may enter a path: its id, title, level, confidence and the job skills
    (URIs) it teaches."""

    id: str
    title: str
    level: str | None
    confidence: float
    skills: frozenset[str]


@dataclass
class LearningPath:
    courses: list[Candidate] = field(default_factory=list)
    covered: set[str] = field(default_factory=set)


def title_words(title: str) -> set[str]:
    return set(_WORD.findall(title.lower()))


def near_duplicate(a: str, b: str, overlap: float = 0.6) -> bool:
    """Titles that share most of their words ("Introduction to SQL" and "SQL: an
    introduction")."""
    words_a, words_b = title_words(a), title_words(b)
    if not words_a or not words_b:
        return False
    return len(words_a & words_b) / min(len(words_a), len(words_b)) >= overlap


def plan_path(candidates: Sequence[Candidate], needed: dict[str, float], max_courses: int,
              floor: float, skills_found: bool = True) -> LearningPath:
    """The path over `candidates` for the job skills `needed` (URI -> weight). When the posting
    names no skill (`skills_found` false), only the surest course can enter."""
    path = LearningPath()
    if not needed and skills_found:  # nothing left to learn
        return path
    for candidate in sorted((c for c in candidates if c.confidence >= floor),
                            key=lambda c: -c.confidence):
        if len(path.courses) == max_courses:
            break
        adds = (candidate.skills & needed.keys()) - path.covered
        repeats = any(near_duplicate(candidate.title, c.title) for c in path.courses)
        if not repeats and (adds or not path.courses):
            path.courses.append(candidate)
            path.covered |= candidate.skills & needed.keys()
    path.courses.sort(key=lambda c: LEVEL_ORDER.get(c.level, 1))  # stable: surest first within
    return path
