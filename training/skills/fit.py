"""Fits the skill extractor on a skills taxonomy, with unlabeled job text for its word
vectors, and finds each course's skills."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pipelines.records import Course
from runtime.reader import PostingReader
from runtime.skills.model import (
    Skill,
    SkillConfig,
    SkillExtractor,
    char_terms,
    word_terms,
)
from runtime.tfidf import TfidfIndex
from training.skills.taxonomy import TaxonomySkill
from training.skills.vectors import fit_vectors

COURSE_SKILLS = 10
WORD2VEC_MEANING_WEIGHT = 0.5


def fit_skills(taxonomy: Sequence[TaxonomySkill], reader: PostingReader,
               corpus: Sequence[str] = (), courses: Sequence[Course] = (),
               config: SkillConfig | None = None, seed: int = 13,
               encoder: str = "auto") -> SkillExtractor:
    """The extractor over `taxonomy`: TF-IDF of the skill texts' words and of the labels'
    characters, vectors from `corpus` and the texts, and the skills of `courses`."""
    word_documents = [word_terms(skill.text) for skill in taxonomy]
    words = TfidfIndex.fit(word_documents)
    char_documents = [char_terms(skill.label) for skill in taxonomy]
    chars = TfidfIndex.fit(char_documents)
    word_vectors, skill_vectors, made_by = fit_vectors(taxonomy, corpus, seed, encoder)
    config = SkillConfig(**{**(config.__dict__ if config else {}), "encoder": made_by})
    if made_by == "word2vec":  # vectors learned here, from far less text, say less
        config = replace(config, meaning_weight=WORD2VEC_MEANING_WEIGHT)
    extractor = SkillExtractor([Skill(s.uri, s.label) for s in taxonomy], words,
                               words.transform(word_documents), chars,
                               chars.transform(char_documents), word_vectors, skill_vectors,
                               config, reader=reader)
    return extractor.with_course_skills(course_skills(extractor, courses))


def course_skills(extractor: SkillExtractor, courses: Sequence[Course],
                  k: int = COURSE_SKILLS) -> dict[str, list[tuple[str, float]]]:
    """Each course's k skills, found in its description and the skills its catalog lists."""
    found = {}
    for course in courses:
        text = course.description + ("\n" + "\n".join(course.skills) if course.skills else "")
        found[course.id] = [(m.skill.uri, m.score)
                            for m in extractor.extract(course.title, text, k, read_parts=False)]
    return found
