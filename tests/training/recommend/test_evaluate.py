from pathlib import Path

from pipelines.judgments import Query, load_queries
from training.recommend.evaluate import evaluate_on, rank_with, score


def test_a_query_the_recommender_cannot_read_scores_zero_instead_of_failing(recommender):
    known = Query("q1", "Data Analyst", "Write SQL queries and build dashboards.")
    unreadable = Query("q2", "Zyxw", "qqqq wwww zzzz")
    course = rank_with(recommender)(known)[0]
    qrels = {"q1": {course: 2}, "q2": {course: 2}}
    metrics = score(rank_with(recommender), [known, unreadable], qrels)
    assert rank_with(recommender)(unreadable) == []
    assert metrics["queries"] == 2 and metrics["ndcg@10"] == 0.5


def test_the_sample_judgments_are_scored_as_make_serve_scores_them(recommender):
    sample = Path(__file__).resolve().parents[3] / "data" / "sample" / "judgments"
    metrics = evaluate_on(recommender, sample)
    assert metrics["queries"] == len(load_queries(sample / "queries_dev.jsonl"))
    assert 0 < metrics["ndcg@10"] <= 1
