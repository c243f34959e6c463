"""Fits the skill matcher: the first token vectors (`vectors.py`), trained contrastively on the
free pairs of the taxonomy and the postings (`pairs.py`, `contrastive.py`), the skills' and
occupations' vectors, the calibration on graded postings (`calibrate.py`), and each course's
skills."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from pipelines.records import Course
from runtime.reader import PostingReader
from runtime.skills.encoder import StaticEncoder
from runtime.skills.index import SkillIndex
from runtime.skills.model import Skill, SkillConfig, SkillExtractor
from runtime.skills.occupations import Occupations
from training.skills import calibrate
from training.skills.contrastive import ContrastiveConfig, train_vectors
from training.skills.pairs import posting_pairs, posting_sentences, taxonomy_pairs
from training.skills.taxonomy import TaxonomyOccupation, TaxonomySkill
from training.skills.vectors import initial_encoder

COURSE_SKILLS = 10


@dataclass
class SkillsReport:
    pairs: dict[str, int] = field(default_factory=dict)
    calibration: dict = field(default_factory=dict)


def fit_skills(taxonomy: Sequence[TaxonomySkill], reader: PostingReader,
               corpus: Sequence[str] = (), courses: Sequence[Course] = (),
               occupations: Sequence[TaxonomyOccupation] = (),
               graded: Sequence[calibrate.GradedPosting] = (), seed: int = 13,
               encoder: str = "auto", contrastive: ContrastiveConfig | None = None,
               progress: bool = True) -> tuple[SkillExtractor, SkillsReport]:
    report = SkillsReport()
    first, made_by = initial_encoder([*(s.text for s in taxonomy), *corpus], seed, encoder)
    pairs = taxonomy_pairs(taxonomy) + posting_pairs(taxonomy, posting_sentences(corpus))
    report.pairs = {kind: sum(p.kind == kind for p in pairs)
                    for kind in ("definition", "alternatives", "posting")}
    print(f"skill pairs: {report.pairs}", file=sys.stderr)
    labels = [skill.label for skill in taxonomy]
    trained = train_vectors(first, pairs, labels, contrastive or ContrastiveConfig(), seed,
                            progress)
    extractor = SkillExtractor(
        [Skill(s.uri, s.label) for s in taxonomy], trained,
        SkillIndex.build(trained.encode(labels)),
        occupation_table(trained, occupations, len(taxonomy)), calibrate.UNCALIBRATED,
        SkillConfig(encoder=made_by), reader=reader)
    if graded:
        calibration, threshold, report.calibration = calibrate.fit(extractor, graded)
        extractor = extractor.with_calibration(calibration, threshold)
    return extractor.with_course_skills(course_skills(extractor, courses)), report


def occupation_table(encoder: StaticEncoder, occupations: Sequence[TaxonomyOccupation],
                     skills: int) -> Occupations:
    def matrix(positions: list[tuple[int, ...]]) -> sparse.csr_matrix:
        rows = np.repeat(np.arange(len(positions)), [len(p) for p in positions])
        columns = np.fromiter((c for p in positions for c in p), dtype=int)
        return sparse.csr_matrix((np.ones(len(columns), dtype=np.float32), (rows, columns)),
                                 shape=(len(positions), skills))

    vectors = (encoder.encode([o.text for o in occupations]) if occupations
               else np.zeros((0, encoder.dimensions), dtype=np.float32))
    return Occupations(tuple(o.name for o in occupations), vectors,
                       matrix([o.essential for o in occupations]),
                       matrix([o.optional for o in occupations]))


def course_skills(extractor: SkillExtractor, courses: Sequence[Course],
                  k: int = COURSE_SKILLS) -> dict[str, list[tuple[str, float]]]:
    """Each course's skills, found in its description and the skills its catalog lists, as a
    posting's are (every part counts: a course is no posting)."""
    found = {}
    for course in courses:
        text = course.description + ("\n" + "\n".join(course.skills) if course.skills else "")
        found[course.id] = [(m.skill.uri, m.score)
                            for m in extractor.extract(course.title, text, k, read_parts=False)]
    return found
