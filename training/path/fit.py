"""Fits the path planner: the calibration of recommended courses' confidence on graded
judgments (both the tech and data postings and the everyday ones), checked on postings held
out from the fit (folds by posting), and the confidence floor a course needs to enter a path."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipelines.judgments import Query
from runtime.loaded import POSTING_SKILLS
from runtime.logistic import Logistic
from runtime.path import Confidence, PathPlanner
from runtime.path.confidence import FEATURES
from runtime.recommend import Recommender
from runtime.skills import SkillExtractor

DEPTH = 20  # the recommended courses per posting the calibration learns from
FOLDS = 5
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
SURE = 0.7  # a first course this confident should be relevant


@dataclass(frozen=True)
class Ranked:
    """One posting's recommended courses, best first: features and whether each is relevant
    (judged 1 or 2; an unjudged course counts as not relevant)."""

    qid: str
    group: str
    features: np.ndarray
    relevant: np.ndarray
    anything_relevant: bool  # whether the judged pool holds a relevant course


def ranked_postings(recommender: Recommender, extractor: SkillExtractor | None,
                    queries: Sequence[Query], qrels: dict[str, dict[str, int]],
                    depth: int = DEPTH) -> list[Ranked]:
    """What the calibration learns from, computed as `LoadedBundle.recommend` computes it."""
    found = []
    for query in queries:
        if query.qid not in qrels:
            continue
        try:
            ranking = recommender.ranking(query.title, query.text, depth)
        except ValueError:  # a posting the recommender cannot read
            continue
        wanted = (set() if extractor is None else
                  {m.skill.uri for m in extractor.extract(query.title, query.text,
                                                          POSTING_SKILLS)})
        taught = [len(wanted & extractor.taught_by(r.course.id)) if extractor else 0
                  for r in ranking.courses]
        judged = qrels[query.qid]
        found.append(Ranked(query.qid, query.group, Confidence.features(ranking, taught),
                            np.array([judged.get(r.course.id, 0) >= 1
                                      for r in ranking.courses]),
                            any(grade >= 1 for grade in judged.values())))
    return found


def fit_calibration(ranked: Sequence[Ranked], c: float = 1.0) -> Confidence:
    return Confidence(Logistic.fit(FEATURES, np.vstack([r.features for r in ranked]),
                                   np.concatenate([r.relevant for r in ranked]), c=c))


def fold_of(qid: str) -> int:
    return int(hashlib.sha1(f"calibration:{qid}".encode()).hexdigest(), 16) % FOLDS


def held_out_confidence(ranked: Sequence[Ranked]) -> list[np.ndarray]:
    """Each posting's confidences from a calibration fitted without it (by fold)."""
    models = {fold: fit_calibration([r for r in ranked if fold_of(r.qid) != fold])
              for fold in range(FOLDS)}
    return [models[fold_of(r.qid)].model.probabilities(r.features) for r in ranked]


def reliability(confidence: Sequence[np.ndarray], ranked: Sequence[Ranked], floor: float,
                shown: int = 10) -> dict[str, object]:
    """Of the top `shown` courses: mean confidence against the observed relevance rate,
    overall and per confidence bin; the calibration error over the top 5 too; and per group
    of postings, how often a sure first course (confidence of SURE or more) is wrong and how
    many postings with nothing relevant in their judged pool have no course over the floor."""
    report = _bins(np.concatenate([c[:shown] for c in confidence]),
                   np.concatenate([r.relevant[:shown] for r in ranked]).astype(float))
    report["top5_expected_calibration_error"] = _bins(
        np.concatenate([c[:5] for c in confidence]),
        np.concatenate([r.relevant[:5] for r in ranked]).astype(float))[
        "expected_calibration_error"]
    report["groups"] = {}
    for group in sorted({r.group for r in ranked}):
        pairs = [(c, r) for c, r in zip(confidence, ranked, strict=True) if r.group == group]
        nothing = [c for c, r in pairs if not r.anything_relevant]
        report["groups"][group] = {
            "postings": len(pairs),
            "sure_first_course_wrong": round(float(sum(
                len(c) > 0 and c[0] >= SURE and not r.relevant[0] for c, r in pairs))
                / max(1, len(pairs)), 3),
            "nothing_relevant": len(nothing),
            "nothing_relevant_below_floor": int(sum(len(c) == 0 or c.max() < floor
                                                    for c in nothing))}
    return report


def _bins(p: np.ndarray, y: np.ndarray) -> dict:
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
                / max(1, len(p))), 3), "bins": bins}


def fit_planner(ranked: Sequence[Ranked], floor: float) -> tuple[PathPlanner, dict]:
    """The planner fitted on every posting, and the held-out calibration report."""
    report = reliability(held_out_confidence(ranked), ranked, floor)
    return PathPlanner(fit_calibration(ranked), floor=floor), report
