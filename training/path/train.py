"""`careerpath train path`: the path planner's calibration fitted on graded judgments for a
recommender and skill extractor, as a bundle component."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.judgments import load_qrels, load_queries
from runtime.bundles import ComponentRecord
from runtime.components import Models
from training.bundle import Component, data_hashes
from training.inputs import TrainingInputs
from training.path.fit import fit_planner, ranked_postings


def train_component(inputs: TrainingInputs, models: Models) -> Component:
    assert inputs.judgments is not None
    queries_path = inputs.judgments / "queries_dev.jsonl"
    qrels_path = inputs.judgments / "qrels_dev.jsonl"
    ranked = ranked_postings(models["recommend"], models["skills"],
                             load_queries(queries_path), load_qrels(qrels_path))
    if len(ranked) < 10:
        raise ValueError(f"{inputs.judgments} judges {len(ranked)} postings: the calibration "
                         "needs at least 10")
    planner, reliability = fit_planner(ranked, inputs.path_floor)
    return Component("path", planner,
                     {"floor": planner.floor, "candidates": planner.candidates,
                      "posting_skills": planner.posting_skills,
                      "calibration": planner.calibration.to_dict()},
                     {"calibration": reliability, "postings": len(ranked)},
                     {"judgments": data_hashes([queries_path, qrels_path])})


def recorded_inputs(record: ComponentRecord) -> dict[str, Any]:
    return {"judgments": Path(record.data["judgments"][0]["path"]).parent,
            "path_floor": record.parameters["floor"]}
