"""`careerpath train skills`: the skill extractor fitted on a taxonomy, as a bundle component."""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from runtime import skills
from runtime.skills import SkillConfig, SkillExtractor, save_skills
from training.bundle import Component, data_hashes
from training.skills.fit import fit_skills
from training.skills.taxonomy import read_taxonomy
from training.sources import load_corpus, load_courses

CORPUS_POSTINGS = 3_000  # of each corpus file: enough for the word vectors' vocabulary


def skills_component(taxonomy: Path, corpus_paths: Sequence[Path | str] = (),
                     courses_path: Path | None = None, seed: int | None = None,
                     encoder: str = "auto") -> tuple[Component, SkillExtractor]:
    entries, report = read_taxonomy(taxonomy)
    print(report.summary(), file=sys.stderr)
    corpus = [job.description for path in corpus_paths
              for job in load_corpus([path])[:CORPUS_POSTINGS]]
    courses = load_courses(courses_path) if courses_path else []
    started = time.perf_counter()
    extractor = fit_skills(entries, corpus, courses, SkillConfig(),
                           seed=13 if seed is None else seed, encoder=encoder)
    metrics = {"training_seconds": round(time.perf_counter() - started, 1),
               "skills": len(extractor.skills), "courses_with_skills": len(extractor.course_skills),
               "taxonomy_rows_skipped": report.skipped}
    data = {"taxonomy": data_hashes([taxonomy])[0], "corpus": data_hashes(corpus_paths),
            **({"courses": data_hashes([courses_path])[0]} if courses_path else {})}
    component = Component(skills.COMPONENT, lambda directory: save_skills(extractor, directory),
                          dataclasses.asdict(extractor.config), metrics, data)
    return component, extractor
