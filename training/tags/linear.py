"""The tag model's linear member: one logistic regression per tag over the hashed n-grams
(balanced class weights: the tags are imbalanced), stacked under one per tag over the scaled
engineered features and all the first ones' logits, so a tag can lean on its neighbours
("hourly" against "salary"). Trained apart from the network, it errs differently, and the
blend of the two beats either. Exported as plain weights for the NumPy runtime."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.special import expit
from tqdm import tqdm

HASHED_C = 4.0
STACKED_C = 1.0


def fit_linear_member(hashed: sparse.csr_matrix, scaled: np.ndarray, truth: np.ndarray,
                      folds: np.ndarray, progress: bool = True) -> tuple[dict[str, np.ndarray],
                                                                        np.ndarray]:
    """The member's weights, fitted on every posting, and its out-of-fold probabilities (each
    posting scored by regressions that did not train on it) for tuning thresholds. The
    stacked regressions learn from out-of-fold logits, as they will meet unseen postings."""
    fold_ids = np.unique(folds)
    with tqdm(total=2 * (len(fold_ids) + 1), desc="linear member fits",
              disable=not progress) as bar:
        logits = np.zeros(truth.shape, dtype=np.float32)
        for fold in fold_ids:
            held = folds == fold
            kernel, bias = _logistic_layer(hashed[~held], truth[~held], HASHED_C, balanced=True)
            logits[held] = hashed[held] @ kernel + bias
            bar.update(1)
        linear_kernel, linear_bias = _logistic_layer(hashed, truth, HASHED_C, balanced=True)
        bar.update(1)
        stacked = np.hstack([scaled, logits])
        out_of_fold = np.zeros(truth.shape, dtype=np.float32)
        for fold in fold_ids:
            held = folds == fold
            kernel, bias = _logistic_layer(stacked[~held], truth[~held], STACKED_C)
            out_of_fold[held] = expit(stacked[held] @ kernel + bias)
            bar.update(1)
        stack_kernel, stack_bias = _logistic_layer(stacked, truth, STACKED_C)
        bar.update(1)
    weights = {"linear/kernel": linear_kernel, "linear/bias": linear_bias,
               "stack/kernel": stack_kernel, "stack/bias": stack_bias}
    return weights, out_of_fold


def _logistic_layer(x: sparse.csr_matrix | np.ndarray, truth: np.ndarray, c: float,
                    balanced: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """One logistic regression per tag, as a (features, tags) kernel and a bias. A tag with
    one class only among these postings gets the log-odds of its (clipped) frequency."""
    from sklearn.linear_model import LogisticRegression

    kernel = np.zeros((x.shape[1], truth.shape[1]), dtype=np.float32)
    bias = np.zeros(truth.shape[1], dtype=np.float32)
    for tag in range(truth.shape[1]):
        y = truth[:, tag] > 0
        if y.all() or not y.any():
            p = float(np.clip(y.mean(), 1e-3, 1 - 1e-3))
            bias[tag] = np.log(p / (1 - p))
            continue
        model = LogisticRegression(C=c, class_weight="balanced" if balanced else None,
                                   max_iter=2000).fit(x, y)
        kernel[:, tag], bias[tag] = model.coef_[0], model.intercept_[0]
    return kernel, bias
