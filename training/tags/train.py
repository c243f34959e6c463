"""`careerpath train tags`: the tag model fitted on labeled and unlabeled postings, as a bundle
component."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

from runtime import tags
from training.bundle import Component, data_hashes
from training.parts import Noise, boilerplate_blocks, held_out
from training.sources import read_labeled, read_unlabeled
from training.tags.data import (
    TEST_FRACTION,
    TEST_SALT,
    label_matrix,
    postings,
    split_by_id,
    with_boilerplate,
)

BOILERPLATE_CHARS = (1_000, 12_000)


def tags_component(jobs_source: str, unlabeled_sources: Sequence[str], seed: int | None = None,
                   test_fraction: float = TEST_FRACTION,
                   config_path: Path | None = None) -> Component:
    """Train on all but a stable held-out share of the labeled postings, which scores it. With
    no share held out the model learns from every posting, and its expected quality is the
    cross-validated one (`bench.tags_cv`). The split is stored with the model, which is where
    evaluation and retraining read it."""
    from training.metrics import multilabel_metrics
    from training.tags.network import TagTrainer, TagTrainingConfig

    labeled = read_labeled(jobs_source)
    train, test = split_by_id(labeled, test_fraction, TEST_SALT)
    values = json.loads(config_path.read_text()) if config_path else {}
    if seed is not None:
        values["seed"] = seed
    config = TagTrainingConfig.from_dict(values)
    unlabeled = read_unlabeled(unlabeled_sources)
    started = time.perf_counter()
    # boilerplate from the postings that the robustness benchmark does not sample
    noise = Noise(boilerplate_blocks(job for job in [*labeled, *unlabeled] if not held_out(job)),
                  BOILERPLATE_CHARS[0], BOILERPLATE_CHARS[1])
    augmented = with_boilerplate(train, noise, config.boilerplate_copies, config.seed)
    model, report = TagTrainer(config).fit(augmented, unlabeled)
    model.parameters["split"] = {"test_fraction": test_fraction, "test_salt": TEST_SALT}
    metrics: dict[str, object] = {"training_seconds": round(time.perf_counter() - started, 1),
                                  "autoencoder": report.autoencoder,
                                  "validation": _summary(report.validation),
                                  "epochs_run": report.epochs_run,
                                  "best_epoch": report.best_epoch}
    if test:
        truth = label_matrix(test, model.tags)
        metrics["held_out"] = multilabel_metrics(
            truth, model.decide(model.predict_proba(postings(test))), model.tags)
    parameters = {**model.parameters, "thresholds": dict(zip(
        model.tags, map(float, model.thresholds), strict=True))}
    data = {"jobs": data_hashes([jobs_source])[0], "unlabeled": data_hashes(unlabeled_sources),
            "labeled_train": len(train), "labeled_test": len(test)}
    return Component(tags.COMPONENT, model.save, parameters, metrics, data)


def _summary(metrics: dict) -> dict:
    return {k: v for k, v in metrics.items() if k != "per_label"}
