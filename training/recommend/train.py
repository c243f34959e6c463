"""`careerpath train recommend`: the recommender fitted on a catalog and corpus, as a bundle
component."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Sequence
from pathlib import Path

from runtime import recommend
from runtime.recommend import Recommender, RecommenderConfig, save_recommender
from training.bundle import Component, data_hashes
from training.sources import load_corpus, load_courses


def recommender_component(courses_path: Path, corpus_paths: Sequence[Path | str],
                          config: RecommenderConfig,
                          judgments: Path | None = None) -> tuple[Component, Recommender]:
    from training.recommend.evaluate import evaluate_on
    from training.recommend.fit import fit_recommender

    courses = load_courses(courses_path)
    corpus = load_corpus(corpus_paths)
    started = time.perf_counter()
    recommender = fit_recommender(courses, corpus, config)
    metrics = {"training_seconds": round(time.perf_counter() - started, 1)}
    if judgments:
        metrics |= evaluate_on(recommender, judgments)
    component = Component(
        name=recommend.COMPONENT,
        save=lambda directory: save_recommender(recommender, directory),
        parameters=dataclasses.asdict(config),
        metrics=metrics,
        data={"courses": data_hashes([courses_path])[0], "corpus": data_hashes(corpus_paths),
              "course_count": len(courses)},
    )
    return component, recommender


def config_from(path: Path | None, **overrides: object) -> RecommenderConfig:
    values = json.loads(path.read_text()) if path else {}
    values.update({k: v for k, v in overrides.items() if v is not None})
    return RecommenderConfig.from_dict(values)
