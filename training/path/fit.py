"""Fits the path planner: the calibration of recommended courses' confidence on graded
judgments, checked on postings held out from the fit, and the confidence floor a course
needs to enter a path."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipelines.judgments import Query
from runtime.loaded import POSTING_SKILLS
from runtime.path import Calibration, PathPlanner
from runtime.recommend import Recommender
from runtime.skills import SkillExtractor

DEPTH = 20  # the recommended courses per posting the calibration learns from
FOLDS = 5
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


@dataclass(frozen=True)
class Ranked:
    """One posting's recommended courses, best first: features and whether each is relevant
    (judged 1 or 2; an unjudged course counts as not relevant)."""

    qid: str
    features: np.ndarray
    relevant: np.ndarray


def ranked_postings(recommender: Recommender, extractor: SkillExtractor | None,
                    queries: Sequence[Query], qrels: dict[str, dict[str, int]],
                    depth: int = DEPTH) -> list[Ranked]:
    """What the calibration learns from, computed as `LoadedBundle.recommend` computes it."""
    found = []
    for query in queries:
        if query.qid not in qrels:
            continue
        try:
            courses = recommender.recommend(query.title, query.text, depth)
        except ValueError:  # a posting the recommender cannot read
            continue
        wanted = (set() if extractor is None else
                  {m.skill.uri for m in extractor.extract(query.title, query.text,
                                                          POSTING_SKILLS)})
        taught = [len(wanted & extractor.taught_by(r.course.id)) if extractor else 0
                  for r in courses]
        found.append(Ranked(query.qid, Calibration.features([r.score for r in courses], taught),
                            np.array([qrels[query.qid].get(r.course.id, 0) >= 1
                                      for r in courses])))
    return found


def fit_calibration(ranked: Sequence[Ranked], c: float = 1.0) -> Calibration:
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([r.features for r in ranked])
    y = np.concatenate([r.relevant for r in ranked])
    model = LogisticRegression(C=c, max_iter=1000).fit(x, y)
    return Calibration(tuple(float(v) for v in model.coef_[0]), float(model.intercept_[0]))


def fold_of(qid: str) -> int:
    return int(hashlib.sha1(f"calibration:{qid}".encode()).hexdigest(), 16) % FOLDS


def held_out_confidence(ranked: Sequence[Ranked]) -> list[np.ndarray]:
    """Each posting's confidences from a calibration fitted without it (by fold)."""
    models = {fold: fit_calibration([r for r in ranked if fold_of(r.qid) != fold])
              for fold in range(FOLDS)}
    return [models[fold_of(r.qid)].probabilities(r.features) for r in ranked]


def reliability(confidence: Sequence[np.ndarray], ranked: Sequence[Ranked],
                shown: int = 10) -> dict[str, object]:
    """Of the top `shown` courses: mean confidence against the observed relevance rate,
    overall and per confidence bin."""
    p = np.concatenate([c[:shown] for c in confidence])
    y = np.concatenate([r.relevant[:shown] for r in ranked]).astype(float)
    bins = []
    for low, high in zip(BINS, BINS[1:], strict=False):
        inside = (p >= low) & ((p < high) if high < 1 else (p <= high))
        if inside.any():
            bins.append({"from": low, "to": high, "courses": int(inside.sum()),
                         "mean_confidence": round(float(p[inside].mean()), 3),
                         "relevant_rate": round(float(y[inside].mean()), 3)})
    return {"courses": int(len(p)), "mean_confidence": round(float(p.mean()), 3),
            "relevant_rate": round(float(y.mean()), 3),
            "expected_calibration_error": round(float(sum(
                b["courses"] * abs(b["mean_confidence"] - b["relevant_rate"]) for b in bins)
                / len(p)), 3), "bins": bins}


def fit_planner(ranked: Sequence[Ranked], floor: float) -> tuple[PathPlanner, dict]:
    """The planner fitted on every posting, and the held-out calibration report."""
    report = reliability(held_out_confidence(ranked), ranked)
    return PathPlanner(fit_calibration(ranked), floor=floor), report
