"""How sure careerpath is that a recommended course is relevant to a job: a calibrated
probability from a logistic regression over the course's place in the ranking (its score, its
gap to the best course's, its rank), how many of the posting's skills it teaches, and how far
it and the best course stand out from the catalog's background for this posting. A job the
catalog does not cover shows as a best course that barely stands out: no course is likely."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from runtime.errors import OutdatedComponentError
from runtime.logistic import Logistic
from runtime.recommend import Ranking

FEATURES = ("score", "gap_to_best", "log_rank", "skills_taught", "above_background",
            "best_above_background")


@dataclass(frozen=True)
class Confidence:
    model: Logistic

    @staticmethod
    def features(ranking: Ranking, skills_taught: Sequence[int]) -> np.ndarray:
        """One row per course of the ranking (best first), in FEATURES order."""
        scores = np.array([r.score for r in ranking.courses], dtype=np.float64)
        if not len(scores):
            return np.zeros((0, len(FEATURES)))
        spread = ranking.spread if ranking.spread > 0 else 1.0
        return np.column_stack([
            scores, scores - scores[0], np.log(np.arange(1, len(scores) + 1)),
            np.asarray(skills_taught, dtype=np.float64),
            (scores - ranking.background) / spread,
            np.full(len(scores), (scores[0] - ranking.background) / spread)])

    def probabilities(self, ranking: Ranking, skills_taught: Sequence[int]) -> np.ndarray:
        """Each course's probability of being relevant."""
        return self.model.probabilities(self.features(ranking, skills_taught))

    def to_dict(self) -> dict:
        return self.model.to_dict()

    @classmethod
    def from_dict(cls, values: dict) -> Confidence:
        if "scale" not in values:
            raise OutdatedComponentError(
                "the path planner of this bundle was calibrated by an earlier release on "
                "other features: train it again (`careerpath train path`)")
        return cls(Logistic.from_dict(values, FEATURES))
