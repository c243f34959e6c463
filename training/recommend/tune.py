"""`careerpath tune recommend`: a grid search on the dev judgments."""

from __future__ import annotations

import dataclasses
import itertools
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipelines.judgments import load_qrels, load_queries
from runtime.reader import PostingReader
from runtime.recommend import RecommenderConfig
from training.sources import load_corpus, load_courses

TRAINING_GRID: list[dict[str, object]] = [
    {"dbow_words": 0, "vector_size": 150, "epochs": 20},
    {"dbow_words": 1, "vector_size": 150, "window": 5, "epochs": 10, "sample": 1e-3},
    {"dbow_words": 0, "vector_size": 150, "epochs": 20, "corpus_course_tags": 0},
]
SCORING_GRID: dict[str, list[object]] = {
    "posting_vector": ["output_words", "inferred"],
    "doc2vec_weight": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5],
    "title_weight": [1, 2, 3],
    "read_parts": [True, False],
}


def tune_objective(metrics: dict[str, float]) -> float:
    """Mean of nDCG@10 and its condensed form: rewards finding judged-relevant courses without
    punishing a ranking for relevant courses the judgment pool never saw."""
    return (metrics["ndcg@10"] + metrics["ndcg'@10"]) / 2


def tune(courses_path: Path, corpus: Sequence[Path], judgments: Path, out: Path,
         reader: PostingReader,
         training_grid: Sequence[dict[str, object]] = TRAINING_GRID,
         scoring_grid: dict[str, list[object]] = SCORING_GRID) -> dict:
    """Grid search on the dev judgments: each training configuration is trained once, then
    the cheap scoring parameters are swept over the trained model."""
    from training.recommend.evaluate import rank_with, score
    from training.recommend.fit import fit_recommender

    courses, documents = load_courses(courses_path), load_corpus(corpus)
    queries = load_queries(judgments / "queries_dev.jsonl")
    qrels = load_qrels(judgments / "qrels_dev.jsonl")
    trials: list[dict[str, Any]] = []
    for training in training_grid:
        recommender = fit_recommender(courses, documents,
                                      RecommenderConfig.from_dict(training), reader)
        names = list(scoring_grid)
        for values in itertools.product(*scoring_grid.values()):
            scoring = dict(zip(names, values, strict=True))
            metrics = score(rank_with(recommender, **scoring), queries, qrels)
            trials.append({"config": {**training, **scoring}, "metrics": metrics})
            print(json.dumps(trials[-1]), file=sys.stderr)
    best = max(trials, key=lambda t: tune_objective(t["metrics"]))
    config = dataclasses.asdict(RecommenderConfig.from_dict(best["config"]))
    out.write_text(json.dumps(config, indent=2))
    (out.with_suffix(".trials.json")).write_text(json.dumps(trials, indent=2))
    return best
