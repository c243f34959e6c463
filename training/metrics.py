"""Every quality metric the project reports, in one place."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np


def dcg(gains: Sequence[float]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at_k(ranking: Sequence[str], judgments: Mapping[str, int], k: int = 10) -> float:
    """Graded nDCG@k; unjudged items count as not relevant."""
    ideal = dcg(sorted(judgments.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([judgments.get(item, 0) for item in ranking[:k]]) / ideal


def precision_at_k(ranking: Sequence[str], judgments: Mapping[str, int], k: int = 5,
                   min_rel: int = 1) -> float:
    return sum(judgments.get(item, 0) >= min_rel for item in ranking[:k]) / k


def judged_at_k(ranking: Sequence[str], judgments: Mapping[str, int], k: int = 10) -> float:
    """Share of the top k that has a judgment: a low value makes the other scores lower bounds."""
    return sum(item in judgments for item in ranking[:k]) / k


def ranking_metrics(rankings: Mapping[str, Sequence[str]],
                    qrels: Mapping[str, Mapping[str, int]]) -> dict[str, float]:
    """Mean nDCG@10, P@5 (rel >= 1), the share whose first course is not relevant and
    judged@10 over the judged queries, plus the condensed
    nDCG'@10 and P'@5 (unjudged items removed from the ranking first; Sakai 2007), which do not
    punish a new system for finding courses the pool never showed the judges."""
    queries = [q for q in qrels if q in rankings]
    condensed = {q: [c for c in rankings[q] if c in qrels[q]] for q in queries}

    def mean(metric, lists) -> float:
        return float(np.mean([metric(lists[q], qrels[q]) for q in queries]))

    return {
        "ndcg@10": mean(ndcg_at_k, rankings),
        "p@5": mean(precision_at_k, rankings),
        "first_wrong": mean(lambda ranked, judged: float(not ranked or judged.get(
            ranked[0], 0) < 1), rankings),
        "judged@10": mean(judged_at_k, rankings),
        "ndcg'@10": mean(ndcg_at_k, condensed),
        "p'@5": mean(precision_at_k, condensed),
        "queries": len(queries),
    }


def binary_f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    """F1 of one label's boolean predictions (0 when nothing is right)."""
    tp = float((truth & predicted).sum())
    return 2 * tp / (truth.sum() + predicted.sum()) if tp else 0.0


def multilabel_metrics(truth: np.ndarray, predicted: np.ndarray,
                       labels: Sequence[str]) -> dict[str, Any]:
    """Micro/macro F1, micro precision/recall and per-label P/R/F1 of 0/1 matrices."""
    truth, predicted = truth.astype(bool), predicted.astype(bool)
    tp = (truth & predicted).sum(axis=0)
    fp = (~truth & predicted).sum(axis=0)
    fn = (truth & ~predicted).sum(axis=0)
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = _ratio(2 * precision * recall, precision + recall)
    micro_p = _ratio(tp.sum(), tp.sum() + fp.sum())
    micro_r = _ratio(tp.sum(), tp.sum() + fn.sum())
    return {
        "micro_f1": float(_ratio(2 * micro_p * micro_r, micro_p + micro_r)),
        "macro_f1": float(np.mean(f1)),
        "micro_precision": float(micro_p),
        "micro_recall": float(micro_r),
        "per_label": {
            label: {"precision": float(p), "recall": float(r), "f1": float(f),
                    "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, truth.sum(axis=0),
                                         strict=True)
        },
    }


def _ratio(numerator, denominator):
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    return np.divide(numerator, denominator, out=np.zeros_like(numerator),
                     where=denominator > 0)


def r_precision_at_k(ranking: Sequence[str], gold: set[str] | frozenset[str], k: int) -> float:
    """The relevant items in the top k over min(k, the number of relevant items)."""
    return sum(item in gold for item in ranking[:k]) / min(k, len(gold)) if gold else 0.0
