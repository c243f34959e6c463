"""`careerpath train recommend`: the recommender fitted on a catalog and corpus, as a bundle
component."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path
from typing import Any

from runtime.bundles import ComponentRecord
from runtime.components import Models
from runtime.recommend import RecommenderConfig
from training.bundle import Component, data_hashes
from training.inputs import TrainingInputs
from training.sources import load_corpus, load_courses


def train_component(inputs: TrainingInputs, models: Models) -> Component:
    from training.recommend.evaluate import evaluate_on
    from training.recommend.fit import fit_recommender

    assert inputs.courses is not None
    config = config_from(inputs)
    courses = load_courses(inputs.courses)
    corpus = load_corpus(inputs.corpus)
    started = time.perf_counter()
    recommender = fit_recommender(courses, corpus, config, models["reader"])
    metrics: dict[str, Any] = {"training_seconds": round(time.perf_counter() - started, 1)}
    data: dict[str, Any] = {"courses": data_hashes([inputs.courses])[0],
                            "corpus": data_hashes(inputs.corpus), "course_count": len(courses)}
    if inputs.judgments:
        metrics |= evaluate_on(recommender, inputs.judgments)
        data["judgments"] = str(inputs.judgments)
    return Component("recommend", recommender, dataclasses.asdict(config), metrics, data)


def config_from(inputs: TrainingInputs) -> RecommenderConfig:
    """The recording's parameters, else the configuration file's, then the run's seed."""
    values = inputs.parameters.get("recommend") or (
        json.loads(inputs.recommend_config.read_text()) if inputs.recommend_config else {})
    if inputs.seed is not None:
        values = {**values, "seed": inputs.seed}
    return RecommenderConfig.from_dict(values)


def recorded_inputs(record: ComponentRecord) -> dict[str, Any]:
    judgments = record.data.get("judgments")
    return {"courses": Path(record.data["courses"]["path"]),
            "corpus": [entry["path"] for entry in record.data["corpus"]],
            "judgments": Path(judgments) if judgments else None,
            "parameters": {"recommend": record.parameters}}
