"""The tag model's autoencoder: its encoder is pre-trained to reconstruct labeled and
unlabeled postings (semi-supervised), and refreshed on newer postings when retraining."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from tqdm import tqdm

from training.tags.config import TagTrainingConfig
from training.tags.network import ProgressBar


def pretrain(models: dict, matrix: sparse.csr_matrix, config: TagTrainingConfig,
             progress: bool = True) -> dict[str, float]:
    """Fit the autoencoder on the postings' hashed rows (labeled and unlabeled). Sparse hashed
    vectors defeat a plain MSE autoencoder (all-zeros is already a near-perfect MSE), so it
    reconstructs the presence of the most frequent hashed features with binary cross-entropy,
    and its quality is reported against the feature-frequency baseline on held-out postings."""
    import keras

    order = np.random.default_rng(config.seed).permutation(matrix.shape[0])
    cut = max(1, int(0.9 * len(order)))
    fit_rows, held_rows = order[:cut], order[cut:] if len(order) > 1 else order[:1]
    present = presence(matrix, config.reconstruction_features)
    autoencoder = models["autoencoder"]
    autoencoder.compile(keras.optimizers.Adam(config.learning_rate), "binary_crossentropy")
    with tqdm(total=config.autoencoder_epochs, desc="autoencoder epochs",
              disable=not progress) as bar:
        autoencoder.fit(matrix[fit_rows], present[fit_rows], epochs=config.autoencoder_epochs,
                        batch_size=config.batch_size, verbose=0, callbacks=[ProgressBar(bar)])
    for layer in models["encoder"]:
        layer.trainable = not config.freeze_encoder
    reconstructed = autoencoder.predict(matrix[held_rows], verbose=0)
    return reconstruction_quality(present[held_rows], reconstructed,
                                  present[fit_rows].mean(axis=0))


def refresh_encoder(models: dict, matrix: sparse.csr_matrix, config: TagTrainingConfig) -> None:
    """Autoencoder training on newer postings, starting from the live encoder: the fresh
    decoder is fitted with the encoder frozen first, so its random start cannot scramble
    what the encoder knows; then one joint epoch at a tenth of the learning rate."""
    import keras

    present = presence(matrix, config.reconstruction_features)
    autoencoder = models["autoencoder"]
    for trainable, rate, epochs in ((False, 1.0, 2), (True, 0.1, 1)):
        for layer in models["encoder"]:
            layer.trainable = trainable
        autoencoder.compile(keras.optimizers.Adam(config.learning_rate * rate),
                            "binary_crossentropy")
        autoencoder.fit(matrix, present, epochs=epochs, verbose=0,
                        batch_size=config.batch_size)


def presence(matrix: sparse.csr_matrix, features: int) -> np.ndarray:
    """What the autoencoder reconstructs: whether each posting has each of the `features`
    most frequent hashed features."""
    frequency = np.asarray((matrix > 0).mean(axis=0)).ravel()
    targets = np.argsort(-frequency, kind="stable")[:features]
    return (matrix[:, targets] > 0).astype(np.float32).toarray()


def reconstruction_quality(present: np.ndarray, reconstructed: np.ndarray,
                           frequency: np.ndarray) -> dict[str, float]:
    """Autoencoder vs trivial baselines on held-out postings: binary cross-entropy (lower is
    better) and the share of present features found among its top-n guesses (n = how many are
    present), which predicting all zeros cannot do and the frequency baseline does poorly."""
    eps = 1e-7

    def bce(prediction: np.ndarray) -> float:
        p = np.clip(prediction, eps, 1 - eps)
        return float(-np.mean(present * np.log(p) + (1 - present) * np.log(1 - p)))

    def recall(scores: np.ndarray) -> float:
        found = []
        for row, score in zip(present, scores, strict=True):
            n = int(row.sum())
            if n:
                found.append(row[np.argsort(-score)[:n]].sum() / n)
        return float(np.mean(found)) if found else 0.0

    baseline = np.broadcast_to(frequency, present.shape)
    return {
        "bce": bce(reconstructed),
        "bce_mean_baseline": bce(baseline),
        "bce_zeros_baseline": bce(np.zeros_like(present)),
        "recall_at_n": recall(reconstructed),
        "recall_at_n_mean_baseline": recall(baseline),
        "held_out_postings": int(present.shape[0]),
    }
