"""The recommender's subcommands: train, predict, evaluate, tune."""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from careerpath.bundles import resolve_bundle
from pipelines.courses import load_catalog, read_courses
from pipelines.jobs import read_jobs
from pipelines.records import Course, Job
from service.recommender import Recommender, RecommenderConfig
from training.bundle import Component, data_hashes
from training.judgments import load_qrels, load_queries

RECOMMENDER_DIR = "recommender"


def load_courses(path: Path) -> list[Course]:
    """A canonical catalog (JSONL) or any catalog file the importers read."""
    if path.suffix == ".jsonl":
        try:
            return load_catalog(path)
        except ValueError:
            pass
    courses, report = read_courses(path)
    print(report.summary(), file=sys.stderr)
    return courses


def load_corpus(paths: Iterable[Path | str]) -> list[Job]:
    corpus: list[Job] = []
    for path in paths:
        jobs, report = read_jobs(path)
        print(f"corpus {report.source}: {len(jobs)} documents", file=sys.stderr)
        corpus += jobs
    return corpus


def recommender_component(courses_path: Path, corpus_paths: Sequence[Path | str],
                          config: RecommenderConfig,
                          judgments: Path | None = None) -> tuple[Component, Recommender]:
    from training.recommender import fit_recommender

    courses = load_courses(courses_path)
    corpus = load_corpus(corpus_paths)
    started = time.perf_counter()
    recommender = fit_recommender(courses, corpus, config)
    metrics = {"training_seconds": round(time.perf_counter() - started, 1)}
    if judgments:
        metrics |= evaluate_on(recommender, judgments)
    component = Component(
        name=RECOMMENDER_DIR,
        save=recommender.save,
        parameters=dataclasses.asdict(config),
        metrics=metrics,
        data={"courses": data_hashes([courses_path])[0], "corpus": data_hashes(corpus_paths),
              "course_count": len(courses)},
    )
    return component, recommender


def evaluate_on(recommender: Recommender, judgments: Path) -> dict[str, float]:
    from training.evaluate_recommender import rank_with, score

    queries = load_queries(judgments / "queries_dev.jsonl")
    return score(rank_with(recommender), queries, load_qrels(judgments / "qrels_dev.jsonl"))


def config_from(path: Path | None, **overrides: object) -> RecommenderConfig:
    values = json.loads(path.read_text()) if path else {}
    values.update({k: v for k, v in overrides.items() if v is not None})
    return RecommenderConfig.from_dict(values)




def load_recommender(bundle: Path) -> Recommender:
    return Recommender.load(resolve_bundle(bundle) / RECOMMENDER_DIR)


def predict(bundle: Path, input_path: Path, k: int, out) -> int:
    from training.batch import predict_jsonl

    recommender = load_recommender(bundle)

    def courses(title: str, description: str) -> dict:
        found = recommender.recommend(title, description, k)
        return {"courses": [{"id": r.course.id, "title": r.course.title, "score": r.score,
                             "reason": r.reason} for r in found]}

    return predict_jsonl(input_path, out, courses, {"courses": []})


def evaluate(bundle: Path, judgments: Path, seed_labels: Path | None, out_dir: Path) -> Path:
    from training import evaluate_recommender as ev

    recommender = load_recommender(bundle)
    queries = load_queries(judgments / "queries_dev.jsonl")
    qrels = load_qrels(judgments / "qrels_dev.jsonl")
    systems = {
        **ev.ablations(recommender),
        "baseline: TF-IDF cosine": ev.tfidf_baseline(recommender.courses),
        "baseline: BM25": ev.bm25_baseline(recommender.courses),
    }
    results = {name: ev.score(ranker, queries, qrels) for name, ranker in systems.items()}
    similarity = ev.seed_label_similarity(recommender, seed_labels) if seed_labels else None
    report = ev.write_report(results, similarity, out_dir,
                             f"Recommender {resolve_bundle(bundle).name}")
    print(report.read_text())
    return report


TRAINING_GRID: list[dict[str, object]] = [
    {"dbow_words": 0, "vector_size": 150, "epochs": 20},
    {"dbow_words": 1, "vector_size": 150, "window": 5, "epochs": 10, "sample": 1e-3},
    {"dbow_words": 0, "vector_size": 150, "epochs": 20, "corpus_course_tags": 0},
]
SCORING_GRID: dict[str, list[object]] = {
    "posting_vector": ["output_words", "inferred"],
    "doc2vec_weight": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5],
    "title_weight": [1, 2, 3],
    "strip_boilerplate": [True, False],
}


def tune_objective(metrics: dict[str, float]) -> float:
    """Mean of nDCG@10 and its condensed form: rewards finding judged-relevant courses without
    punishing a ranking for relevant courses the judgment pool never saw."""
    return (metrics["ndcg@10"] + metrics["ndcg'@10"]) / 2


def tune(courses_path: Path, corpus: Sequence[Path], judgments: Path, out: Path,
         training_grid: Sequence[dict[str, object]] = TRAINING_GRID,
         scoring_grid: dict[str, list[object]] = SCORING_GRID) -> dict:
    """Grid search on the dev judgments: each training configuration is trained once, then
    the cheap scoring parameters are swept over the trained model."""
    import itertools

    from training.evaluate_recommender import rank_with, score
    from training.recommender import fit_recommender

    courses, documents = load_courses(courses_path), load_corpus(corpus)
    queries = load_queries(judgments / "queries_dev.jsonl")
    qrels = load_qrels(judgments / "qrels_dev.jsonl")
    trials: list[dict[str, Any]] = []
    for training in training_grid:
        recommender = fit_recommender(courses, documents, RecommenderConfig.from_dict(training))
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
