"""Scores a recommender on graded judgments beside lexical baselines computed in the same run,
plus the original project's own metric on its seed labels; writes a Markdown report and a chart."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from pipelines.judgments import Query, load_qrels, load_queries
from pipelines.records import Course
from pipelines.text import analyze
from runtime.bundles import resolve_bundle
from runtime.components import load_component
from runtime.errors import PostingError
from runtime.ranking import top_k
from runtime.recommend import Recommender
from runtime.recommend.tokens import posting_tokens
from runtime.tfidf import TfidfIndex
from training.charts import metric_bars, metric_table
from training.metrics import ranking_metrics

Ranker = Callable[[Query], list[str]]
DEPTH = 100


def rank_with(recommender: Recommender, **overrides: Any) -> Ranker:
    """The recommender's ranking, optionally with parameters changed (for ablations)."""
    model = recommender.with_config(**overrides) if overrides else recommender

    def rank(query: Query) -> list[str]:
        try:
            return [r.course.id for r in model.recommend(query.title, query.text, DEPTH)]
        except PostingError:  # the service would refuse it: nothing relevant is shown
            return []

    return rank


def tfidf_baseline(courses: Sequence[Course]) -> Ranker:
    """TF-IDF cosine between the full posting and course title + description."""
    documents = [analyze(f"{c.title}\n{c.description}", stemmed=False) for c in courses]
    lexicon = TfidfIndex.fit(documents)
    by_term = lexicon.transform(documents).tocsc()
    ids = np.array([c.id for c in courses])

    def rank(query: Query) -> list[str]:
        columns, weights = lexicon.row(Counter(analyze(f"{query.title}\n{query.text}",
                                                      stemmed=False)))
        scores = by_term[:, columns] @ weights
        return list(ids[top_k(scores, DEPTH)])

    return rank


def bm25_baseline(courses: Sequence[Course]) -> Ranker:
    from rank_bm25 import BM25Okapi

    index = BM25Okapi([analyze(f"{c.title}\n{c.description}", stemmed=False) for c in courses])
    ids = np.array([c.id for c in courses])

    def rank(query: Query) -> list[str]:
        scores = index.get_scores(analyze(f"{query.title}\n{query.text}", stemmed=False))
        return list(ids[top_k(scores, DEPTH)])

    return rank


def evaluate_on(recommender: Recommender, judgments: Path) -> dict[str, float]:
    """The recommender's metrics on the dev judgments in `judgments`."""
    queries = load_queries(judgments / "queries_dev.jsonl")
    return score(rank_with(recommender), queries, load_qrels(judgments / "qrels_dev.jsonl"))


def evaluate_bundle(bundle: Path, judgments: Path, seed_labels: Path | None,
                    out_dir: Path) -> Path:
    """`careerpath evaluate recommend`: the bundle's recommender, its ablations and the
    lexical baselines on the dev judgments, as a Markdown report with a chart."""
    bundle = resolve_bundle(bundle)
    recommender = load_component(bundle, "recommend")
    queries = load_queries(judgments / "queries_dev.jsonl")
    qrels = load_qrels(judgments / "qrels_dev.jsonl")
    systems = {
        **ablations(recommender),
        "baseline: TF-IDF cosine": tfidf_baseline(recommender.courses),
        "baseline: BM25": bm25_baseline(recommender.courses),
    }
    results = {name: score(ranker, queries, qrels) for name, ranker in systems.items()}
    main = next(iter(systems))
    for group in sorted({q.group for q in queries}):
        members = [q for q in queries if q.group == group]
        answerable = [q for q in members if any(r >= 1 for r in qrels.get(q.qid, {}).values())]
        results[f"{main}, {group} ({len(members)})"] = score(systems[main], members, qrels)
        results[f"... {group} with a relevant course judged ({len(answerable)})"] = score(
            systems[main], answerable, qrels)
        results[f"baseline: TF-IDF cosine, {group}"] = score(
            systems["baseline: TF-IDF cosine"], members, qrels)
    similarity = seed_label_similarity(recommender, seed_labels) if seed_labels else None
    report = write_report(results, similarity, out_dir, f"Recommender {bundle.name}")
    print(report.read_text())
    return report


def score(ranker: Ranker, queries: Sequence[Query],
          qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    return ranking_metrics({q.qid: ranker(q) for q in queries}, qrels)


def ablations(recommender: Recommender) -> dict[str, Ranker]:
    """What each signal adds: the full model and the model with one part taken away."""
    other = "inferred" if recommender.config.posting_vector == "output_words" else "output_words"
    return {
        "careerpath (Doc2Vec + TF-IDF fusion)": rank_with(recommender),
        "Doc2Vec alone": rank_with(recommender, doc2vec_weight=1.0),
        f"Doc2Vec alone, {other} posting vector": rank_with(
            recommender, doc2vec_weight=1.0, posting_vector=other),
        "its TF-IDF alone": rank_with(recommender, doc2vec_weight=0.0),
        ("reading the whole posting" if recommender.config.read_parts
         else "reading only the parts that state the job"): rank_with(
            recommender, read_parts=not recommender.config.read_parts),
        "without title weighting": rank_with(recommender, title_weight=1),
        "without the hiring stop words": rank_with(recommender, posting_stop_words=False),
    }


def seed_label_similarity(recommender: Recommender, seed_dir: Path) -> float | None:
    """The original project's metric: mean cosine similarity (Doc2Vec) between each labeled
    job and the courses its author judged relevant for that job title."""
    jobs_path = seed_dir / "jobs_test_sample.csv"
    courses_path = seed_dir / "courses_test_sample.csv"
    if not (jobs_path.exists() and courses_path.exists()):
        return None
    config = recommender.config
    with jobs_path.open(encoding="utf-8") as handle:
        jobs = list(csv.DictReader(handle))
    with courses_path.open(encoding="utf-8") as handle:
        labeled = list(csv.DictReader(handle))
    course_vectors = {
        row["name"]: recommender.infer(posting_tokens(row["name"], row["description"], config,
                                               recommender.reader))
        for row in labeled
    }
    similarities = []
    for job in jobs:
        job_vector = recommender.infer(posting_tokens(job["Job_title"], job["Job_Desc"], config,
                                                     recommender.reader))
        for row in labeled:
            if row["job_title"] == job["Job_title"]:
                similarities.append(float(job_vector @ course_vectors[row["name"]]))
    return float(np.mean(similarities)) if similarities else None


def write_report(results: dict[str, dict[str, float]], seed_similarity: float | None,
                 out_dir: Path, title: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    columns = ["ndcg@10", "p@5", "first_wrong", "judged@10", "ndcg'@10", "p'@5"]
    lines = [f"# {title}", "",
             "Unjudged courses count as not relevant in nDCG@10 and P@5, so read them with "
             "judged@10: a low judged@10 makes them lower bounds. nDCG'@10 and P'@5 are the "
             "condensed-list versions (unjudged courses removed before scoring).", "",
             *metric_table(results, columns)]
    if seed_similarity is not None:
        lines += ["", "Original project's metric (mean Doc2Vec cosine between its labeled jobs "
                  f"and courses; it reported about 0.85): **{seed_similarity:.3f}**"]
    report = out_dir / "recommender_report.md"
    report.write_text("\n".join(lines) + "\n")
    metric_bars(results, ["ndcg@10", "p@5", "ndcg'@10", "judged@10"],
                "Course recommendation on the dev judgments", out_dir / "recommender_report.png")
    return report


