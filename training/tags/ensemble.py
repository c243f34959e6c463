"""The tag model's ensemble: classifiers trained with a fold of the labeled postings left out,
whose out-of-fold probabilities tune the thresholds on every labeled posting and which then
serve beside the main classifier on its shared encoder, and the linear member blended in."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from tqdm import tqdm

from pipelines.records import Job
from runtime.tags.model import TagModel
from training.tags.config import TagTrainingConfig
from training.tags.data import fold_of, label_matrix, postings
from training.tags.linear import fit_linear_member

# (jobs held out in the fold, the fold's number) -> the classifier trained without them
FoldTrainer = Callable[[Sequence[Job], int], TagModel]


def folds_of(jobs: Sequence[Job], config: TagTrainingConfig) -> np.ndarray:
    """Each posting's threshold fold (copies of a posting share one)."""
    folds = max(2, config.threshold_folds)
    return np.array([fold_of(job.id, folds, "thresholds") for job in jobs])


def out_of_fold(jobs: Sequence[Job], folds: np.ndarray, tags: Sequence[str],
                train_without: FoldTrainer, config: TagTrainingConfig,
                progress: bool = True) -> tuple[np.ndarray, list[TagModel]]:
    """Each posting's probabilities from a classifier trained without it, and those k
    classifiers. Thresholds tuned on these see every labeled posting instead of the
    validation share alone (a dozen positives of the rarer tags)."""
    probabilities = np.zeros((len(jobs), len(tags)), dtype=np.float32)
    members = []
    with tqdm(total=config.threshold_folds, desc="threshold folds",
              disable=not progress) as bar:
        for fold in range(config.threshold_folds):
            rest = [job for job, f in zip(jobs, folds, strict=True) if f != fold]
            held = [job for job, f in zip(jobs, folds, strict=True) if f == fold]
            member = train_without(rest, fold)
            probabilities[folds == fold] = member.predict_proba(postings(held))
            members.append(member)
            bar.update(1)
    return probabilities, members


def linear_member(inputs: list, jobs: Sequence[Job], folds: np.ndarray, tags: Sequence[str],
                  share: float, progress: bool = True) -> tuple[dict[str, np.ndarray],
                                                                 np.ndarray]:
    """The linear member's weights (its share in the blend included) and out-of-fold
    probabilities, over the postings' [hashed, scaled engineered] inputs."""
    hashed, scaled = inputs
    weights, probabilities = fit_linear_member(hashed, scaled, label_matrix(jobs, tags), folds,
                                               progress)
    weights["linear/share"] = np.array(share, dtype=np.float32)
    return weights, probabilities
