"""The runtime tag model: the exported Keras weights run with NumPy (no TensorFlow). The first
layer is a sparse-row gather over the hashed features. A model may hold several classifier
heads on one shared encoder (an ensemble); it serves the mean of their probabilities, blended
with a linear member's when it has one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.special import expit

from runtime.tags.features import TagFeaturizer, scale

DEEP_LAYERS = 5
# Each head has its own copy of these; the encoder ("encoder_hidden", "latent") is shared.
HEAD_LAYERS = (*(f"deep_{i}" for i in range(DEEP_LAYERS)), "deep_logits", "wide")
HEAD_WEIGHTS = (*(f"{layer}/{part}" for layer in HEAD_LAYERS for part in ("kernel", "bias")),
                "wide_engineered/kernel")
# The linear member: logistic regressions over the hashed n-grams, stacked under logistic
# regressions over their logits and the scaled engineered features; "linear/share" is its
# weight in the blend with the network.
LINEAR_WEIGHTS = ("linear/kernel", "linear/bias", "stack/kernel", "stack/bias", "linear/share")


@dataclass(frozen=True)
class TagScore:
    tag: str
    score: float


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0, out=x)


def blend(network: np.ndarray, linear: np.ndarray, share: float) -> np.ndarray:
    """The two members' probabilities, the linear member weighing `share`: how the model
    serves, and how training blends the out-of-fold predictions its thresholds are tuned on."""
    return (1 - share) * network + share * linear


def stack_heads(members: Sequence[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """An ensemble's weights from its members' (one head each, all on the first member's
    encoder): every head weight gains a leading axis with one entry per member."""
    stacked = {name: np.asarray(value) for name, value in members[0].items()}
    for name in HEAD_WEIGHTS:
        stacked[name] = np.concatenate([_one_per_head(name, member[name])
                                        for member in members])
    return stacked


def _one_per_head(name: str, value: np.ndarray) -> np.ndarray:
    """A head weight with its leading head axis (single-head exports have none)."""
    value = np.asarray(value, dtype=np.float32)
    return value[None] if value.ndim == (2 if name.endswith("kernel") else 1) else value


class TagModel:
    """Hashed n-grams -> encoder (pre-trained as an autoencoder) -> latent; latent + scaled
    engineered features -> 5 ReLU layers -> one logit per tag, plus a wide linear part over
    the hashed and engineered features; sigmoid; per-tag thresholds. With several heads on
    the one encoder, each has its own deep and wide layers and their probabilities are
    averaged. With a linear member (`LINEAR_WEIGHTS`), its probabilities are blended in."""

    def __init__(self, tags: Sequence[str], thresholds: Sequence[float] | np.ndarray,
                 weights: dict[str, np.ndarray], featurizer: TagFeaturizer,
                 parameters: dict | None = None) -> None:
        self.tags = list(tags)
        self.thresholds = np.asarray(thresholds, dtype=np.float32)
        self.weights = {name: _one_per_head(name, value) if name in HEAD_WEIGHTS
                        else np.asarray(value, dtype=np.float32)
                        for name, value in weights.items()}
        self.featurizer = featurizer
        self.parameters = parameters or {}
        self.heads = self.weights["wide/kernel"].shape[0]
        self.linear_share = float(self.weights.get("linear/share", 0.0))
        # One gather for every layer that reads the hashed input: the encoder, each wide part
        # and the linear member.
        wide = self.weights["wide/kernel"]
        blocks = [self.weights["encoder_hidden/kernel"],
                  wide.transpose(1, 0, 2).reshape(wide.shape[1], -1)]
        if self.linear_share:
            blocks.append(self.weights["linear/kernel"])
        self._first = np.hstack(blocks)
        self._split = self.weights["encoder_hidden/kernel"].shape[1]
        self._linear_split = self._split + wide.shape[0] * wide.shape[2]

    def features(self, postings: Sequence[tuple[str, str]]) -> tuple[sparse.csr_matrix,
                                                                      np.ndarray]:
        return self.featurizer.transform(postings)

    def forward(self, hashed: sparse.csr_matrix, engineered: np.ndarray) -> np.ndarray:
        """Tag probabilities for feature rows."""
        return self.blend(*self.members(hashed, engineered))

    def blend(self, network: np.ndarray, linear: np.ndarray | None) -> np.ndarray:
        """The network's probabilities blended with the linear member's by its share."""
        return network if linear is None else blend(network, linear, self.linear_share)

    def members(self, hashed: sparse.csr_matrix,
                engineered: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """The network's probabilities (the same maths as the Keras model, averaged over the
        heads) and the linear member's (None without one). Head arrays are (heads, rows,
        units); matmul broadcasts the shared rows."""
        w = self.weights
        first = np.asarray(hashed @ self._first, dtype=np.float32)
        hidden = _relu(first[:, : self._split] + w["encoder_hidden/bias"])
        rows = first.shape[0]
        wide = first[:, self._split:self._linear_split].reshape(rows, self.heads, -1)
        wide = wide.transpose(1, 0, 2)
        wide = wide + w["wide/bias"][:, None]
        x = hidden @ w["latent/kernel"] + w["latent/bias"]
        scaled = scale(engineered, w["engineered/mean"], w["engineered/std"])
        x = np.concatenate([x, scaled], axis=1)
        for i in range(DEEP_LAYERS):
            x = _relu(np.matmul(x, w[f"deep_{i}/kernel"]) + w[f"deep_{i}/bias"][:, None])
        wide += np.matmul(scaled, w["wide_engineered/kernel"])
        logits = np.matmul(x, w["deep_logits/kernel"]) + w["deep_logits/bias"][:, None] + wide
        network = expit(logits).mean(axis=0)
        if not self.linear_share:
            return network, None
        linear = first[:, self._linear_split:] + w["linear/bias"]
        stacked = np.concatenate([scaled, linear], axis=1) @ w["stack/kernel"] + w["stack/bias"]
        return network, expit(stacked)

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
