"""The tag model's data helpers, shared by training, evaluation, retraining and the benches:
stable splits and folds by posting id, label matrices, and the thresholds and feature scaling
fitted on training postings."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence

import numpy as np

from pipelines.records import Job
from training.boilerplate import MODES, Noise
from training.metrics import binary_f1

VALIDATION_SALT = "validation"
TEST_SALT = "test"
EARLIER_TEST_FRACTION = 0.2  # what models held out before the split was stored


def split_by_id(jobs: Sequence[Job], fraction: float, salt: str) -> tuple[list[Job], list[Job]]:
    """(rest, held out): a stable split by a hash of each job's id, the same in every run."""
    rest: list[Job] = []
    held: list[Job] = []
    for job in jobs:
        digest = hashlib.sha1(f"{salt}:{job.id}".encode()).digest()
        (held if int.from_bytes(digest[:4], "big") / 2**32 < fraction else rest).append(job)
    return rest, held


def fold_of(job_id: str, folds: int, salt: str) -> int:
    """A stable fold for each job, by a hash of its id."""
    return int(hashlib.sha1(f"{salt}:{job_id}".encode()).hexdigest(), 16) % folds


def label_matrix(jobs: Sequence[Job], tags: Sequence[str]) -> np.ndarray:
    index = {tag: i for i, tag in enumerate(tags)}
    matrix = np.zeros((len(jobs), len(tags)), dtype=np.float32)
    for row, job in enumerate(jobs):
        for tag in job.tags or []:
            matrix[row, index[tag]] = 1.0
    return matrix


def postings(jobs: Sequence[Job]) -> list[tuple[str, str]]:
    return [(job.title, job.description) for job in jobs]


def tune_thresholds(probabilities: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Per tag, the threshold with the best F1 on validation postings (0.5 without positives)."""
    grid = np.linspace(0.05, 0.95, 37)
    thresholds = np.full(truth.shape[1], 0.5, dtype=np.float32)
    for tag in range(truth.shape[1]):
        positives = truth[:, tag] > 0
        if not positives.any():
            continue
        f1 = [binary_f1(positives, probabilities[:, tag] >= t) for t in grid]
        thresholds[tag] = grid[int(np.argmax(f1))]
    return thresholds


def fit_scaling(engineered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-feature mean and standard deviation of the training postings' engineered features.
    A feature that never varied gets an infinite deviation, which scales it to zero: the
    network never learned what it means (title words, when the labeled postings have no
    titles, would otherwise arrive a thousand deviations out and saturate every tag)."""
    deviation = engineered.std(axis=0)
    return engineered.mean(axis=0), np.where(deviation > 1e-6, deviation, np.inf)


def held_out_split(parameters: dict) -> tuple[float, str]:
    """The (fraction, salt) of the postings a tag model was trained without, from its stored
    parameters; models from before the split was stored held out a fifth."""
    split = parameters.get("split", {})
    return (split.get("test_fraction", EARLIER_TEST_FRACTION),
            split.get("test_salt", TEST_SALT))


def with_boilerplate(jobs: Sequence[Job], noise: Noise, copies: int, seed: int) -> list[Job]:
    """`jobs` and `copies` of each with boilerplate added (appended, prepended or
    interleaved), labeled as the original and sharing its id, so a copy falls in its
    original's fold and validation share."""
    if not noise.blocks or copies < 1:
        return list(jobs)
    rng = random.Random(seed)
    return [*jobs, *(job.model_copy(update={"description": noise.add(
        job.description, rng.choice(MODES), rng)}) for job in jobs for _ in range(copies))]
