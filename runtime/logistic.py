"""A logistic regression over named features, fitted at training time (scikit-learn) and
applied here with NumPy: the calibrated probabilities of the skill matcher and of a course's
relevance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import expit


@dataclass(frozen=True)
class Logistic:
    """P = sigmoid(((x - mean) / scale) @ coefficients + intercept), x in `features` order."""

    features: tuple[str, ...]
    coefficients: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        if not len(x):
            return np.zeros(0)
        standard = (np.asarray(x, dtype=np.float64) - np.asarray(self.mean)) / np.asarray(
            self.scale)
        return expit(standard @ np.asarray(self.coefficients) + self.intercept)

    @classmethod
    def fit(cls, features: Sequence[str], x: np.ndarray, y: np.ndarray, c: float = 1.0,
            balanced: bool = False) -> Logistic:
        from sklearn.linear_model import LogisticRegression

        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale = np.where(scale > 1e-9, scale, 1.0)
        model = LogisticRegression(C=c, max_iter=2000,
                                   class_weight="balanced" if balanced else None)
        model.fit((x - mean) / scale, y)
        return cls(tuple(features), tuple(float(v) for v in model.coef_[0]),
                   float(model.intercept_[0]), tuple(map(float, mean)), tuple(map(float, scale)))

    def to_dict(self) -> dict:
        return {"features": list(self.features), "coefficients": list(self.coefficients),
                "intercept": self.intercept, "mean": list(self.mean), "scale": list(self.scale)}

    @classmethod
    def from_dict(cls, values: dict, features: Sequence[str]) -> Logistic:
        if values.get("features") != list(features):
            raise ValueError(f"a logistic regression over {values.get('features')}, not "
                             f"{list(features)}: this code computes other features")
        return cls(tuple(values["features"]), tuple(values["coefficients"]),
                   float(values["intercept"]), tuple(values["mean"]), tuple(values["scale"]))
