"""The runtime tag model: the exported Keras weights run with NumPy (no TensorFlow). The first
layer is a sparse-row gather over the hashed features."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.special import expit

from service.tag_features import TagFeaturizer, scale

WEIGHTS_FILE = "weights.npz"
META_FILE = "tags.json"
DEEP_LAYERS = 5


@dataclass(frozen=True)
class TagScore:
    tag: str
    score: float


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0, out=x)


class TagModel:
    """Hashed n-grams -> encoder (pre-trained as an autoencoder) -> latent; latent + scaled
    engineered features -> 5 ReLU layers -> one logit per tag, plus a wide linear part over
    the hashed and engineered features; sigmoid; per-tag thresholds."""

    def __init__(self, tags: Sequence[str], thresholds: Sequence[float],
                 weights: dict[str, np.ndarray], featurizer: TagFeaturizer | None = None,
                 parameters: dict | None = None) -> None:
        self.tags = list(tags)
        self.thresholds = np.asarray(thresholds, dtype=np.float32)
        self.weights = {name: np.asarray(value, dtype=np.float32)
                        for name, value in weights.items()}
        self.featurizer = featurizer or TagFeaturizer()
        self.parameters = parameters or {}
        # One gather for both layers that read the hashed input.
        self._first = np.hstack([self.weights["encoder_hidden/kernel"],
                                 self.weights["wide/kernel"]])
        self._split = self.weights["encoder_hidden/kernel"].shape[1]

    def features(self, postings: Sequence[tuple[str, str]]) -> tuple[sparse.csr_matrix,
                                                                      np.ndarray]:
        return self.featurizer.transform(postings)

    def forward(self, hashed: sparse.csr_matrix, engineered: np.ndarray) -> np.ndarray:
        """Tag probabilities for feature rows (the same maths as the Keras model)."""
        w = self.weights
        first = np.asarray(hashed @ self._first, dtype=np.float32)
        hidden = _relu(first[:, : self._split] + w["encoder_hidden/bias"])
        wide = first[:, self._split:] + w["wide/bias"]
        x = hidden @ w["latent/kernel"] + w["latent/bias"]
        scaled = scale(engineered, w["engineered/mean"], w["engineered/std"])
        x = np.concatenate([x, scaled], axis=1)
        for i in range(DEEP_LAYERS):
            x = _relu(x @ w[f"deep_{i}/kernel"] + w[f"deep_{i}/bias"])
        wide += scaled @ w["wide_engineered/kernel"]
        logits = x @ w["deep_logits/kernel"] + w["deep_logits/bias"] + wide
        return expit(logits)

    def predict_proba(self, postings: Sequence[tuple[str, str]]) -> np.ndarray:
        return self.forward(*self.features(postings))

    def predict(self, title: str, description: str,
                threshold: float | None = None) -> tuple[list[TagScore], dict[str, float]]:
        """The tags over their thresholds (or over `threshold` when given), best first, and
        every tag's probability."""
        probabilities = self.predict_proba([(title, description)])[0]
        cut = self.thresholds if threshold is None else np.full_like(self.thresholds, threshold)
        chosen = [TagScore(tag, round(float(p), 6))
                  for tag, p, t in zip(self.tags, probabilities, cut, strict=True) if p >= t]
        chosen.sort(key=lambda s: -s.score)
        return chosen, {tag: round(float(p), 6) for tag, p in zip(self.tags, probabilities,
                                                                   strict=True)}

    def decide(self, probabilities: np.ndarray) -> np.ndarray:
        return probabilities >= self.thresholds

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.savez(directory / WEIGHTS_FILE, **self.weights)  # type: ignore[arg-type]
        (directory / META_FILE).write_text(json.dumps({
            "tags": self.tags,
            "thresholds": [float(t) for t in self.thresholds],
            "engineered_features": list(self.featurizer.engineered_names),
            "n_features": self.featurizer.n_features,
            "ngram_max": self.featurizer.ngram_max,
            "parameters": self.parameters,
        }, indent=2))

    @classmethod
    def load(cls, directory: Path) -> TagModel:
        meta = json.loads((directory / META_FILE).read_text())
        featurizer = TagFeaturizer(meta["n_features"], meta["ngram_max"],
                                   meta["engineered_features"])
        with np.load(directory / WEIGHTS_FILE) as archive:
            weights = {name: archive[name] for name in archive.files}
        return cls(meta["tags"], meta["thresholds"], weights, featurizer, meta["parameters"])
