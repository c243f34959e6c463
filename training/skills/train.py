"""`careerpath train skills`: the skill extractor fitted on a taxonomy, as a bundle component."""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path
from typing import Any

from runtime.bundles import ComponentRecord
from runtime.components import Models
from runtime.skills import SkillConfig
from training.bundle import Component, data_hashes
from training.inputs import TrainingInputs
from training.skills.fit import fit_skills
from training.skills.taxonomy import read_taxonomy
from training.sources import load_corpus, load_courses

CORPUS_POSTINGS = 3_000  # of each corpus file: enough for the word vectors' vocabulary
SEED = 13


def train_component(inputs: TrainingInputs, models: Models) -> Component:
    assert inputs.taxonomy is not None
    entries, report = read_taxonomy(inputs.taxonomy)
    print(report.summary(), file=sys.stderr)
    corpus_paths = [*inputs.corpus, *inputs.unlabeled]
    corpus = [job.description for path in corpus_paths
              for job in load_corpus([path])[:CORPUS_POSTINGS]]
    courses = load_courses(inputs.courses) if inputs.courses else []
    seed = SEED if inputs.seed is None else inputs.seed
    encoder = inputs.parameters.get("skills", {}).get("encoder_asked", inputs.encoder)
    started = time.perf_counter()
    extractor = fit_skills(entries, models["reader"], corpus, courses, SkillConfig(),
                           seed=seed, encoder=encoder)
    metrics = {"training_seconds": round(time.perf_counter() - started, 1),
               "skills": len(extractor.skills), "courses_with_skills": len(extractor.course_skills),
               "taxonomy_rows_skipped": report.skipped}
    data = {"taxonomy": data_hashes([inputs.taxonomy])[0], "corpus": data_hashes(corpus_paths),
            **({"courses": data_hashes([inputs.courses])[0]} if inputs.courses else {})}
    parameters = {**dataclasses.asdict(extractor.config), "seed": seed,
                  "encoder_asked": encoder}
    return Component("skills", extractor, parameters, metrics, data)


def recorded_inputs(record: ComponentRecord) -> dict[str, Any]:
    courses = record.data.get("courses")
    return {"taxonomy": Path(record.data["taxonomy"]["path"]),
            "corpus": [entry["path"] for entry in record.data["corpus"]],
            "courses": Path(courses["path"]) if courses else None,
            "seed": record.parameters.get("seed", SEED),
            "parameters": {"skills": {"encoder_asked": record.parameters.get(
                "encoder_asked", record.parameters.get("encoder", "auto"))}}}
