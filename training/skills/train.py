"""`careerpath train skills`: the skill matcher fitted on a taxonomy, as a bundle component."""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path
from typing import Any

from runtime.bundles import ComponentRecord
from runtime.components import Models
from training.bundle import Component, data_hashes
from training.inputs import TrainingInputs
from training.skills.calibrate import read_graded_postings
from training.skills.fit import fit_skills
from training.skills.taxonomy import TaxonomyOccupation, read_occupations, read_taxonomy
from training.sources import load_corpus, load_courses

CORPUS_POSTINGS = 3_000  # of each corpus file: enough sentences that state skills
SEED = 13


def train_component(inputs: TrainingInputs, models: Models) -> Component:
    assert inputs.taxonomy is not None
    entries, report = read_taxonomy(inputs.taxonomy)
    print(report.summary(), file=sys.stderr)
    occupations: list[TaxonomyOccupation] = []
    if inputs.occupations:
        occupations, occupation_report = read_occupations(inputs.occupations, entries)
        print(occupation_report.summary(), file=sys.stderr)
    corpus_paths = [*inputs.corpus, *inputs.unlabeled]
    corpus = [job.description for path in corpus_paths
              for job in load_corpus([path])[:CORPUS_POSTINGS]]
    courses = load_courses(inputs.courses) if inputs.courses else []
    graded = read_graded_postings(inputs.skill_judgments) if inputs.skill_judgments else []
    seed = SEED if inputs.seed is None else inputs.seed
    encoder = inputs.parameters.get("skills", {}).get("encoder_asked", inputs.encoder)
    started = time.perf_counter()
    extractor, fitted = fit_skills(entries, models["reader"], corpus, courses, occupations,
                                   graded, seed=seed, encoder=encoder)
    metrics = {"training_seconds": round(time.perf_counter() - started, 1),
               "skills": len(extractor.skills), "occupations": len(occupations),
               "courses_with_skills": len(extractor.course_skills),
               "taxonomy_rows_skipped": report.skipped, "pairs": fitted.pairs,
               "calibration": fitted.calibration or "none: no graded postings given"}
    data: dict[str, Any] = {"taxonomy": data_hashes([inputs.taxonomy])[0],
                            "corpus": data_hashes(corpus_paths)}
    for name, path in (("courses", inputs.courses), ("occupations", inputs.occupations)):
        if path:
            data[name] = data_hashes([path])[0]
    if inputs.skill_judgments:
        data["skill_judgments"] = str(inputs.skill_judgments)
    parameters = {**dataclasses.asdict(extractor.config), "seed": seed,
                  "encoder_asked": encoder, "calibration": extractor.calibration.to_dict()}
    return Component("skills", extractor, parameters, metrics, data)


def recorded_inputs(record: ComponentRecord) -> dict[str, Any]:
    def path(name: str) -> Path | None:
        entry = record.data.get(name)
        return Path(entry["path"]) if entry else None

    judgments = record.data.get("skill_judgments")
    return {"taxonomy": path("taxonomy"), "occupations": path("occupations"),
            "courses": path("courses"),
            "corpus": [entry["path"] for entry in record.data["corpus"]],
            "skill_judgments": Path(judgments) if judgments else None,
            "seed": record.parameters.get("seed", SEED),
            "parameters": {"skills": {"encoder_asked": record.parameters.get(
                "encoder_asked", record.parameters.get("encoder", "auto"))}}}
