"""`careerpath train tags`: the tag model fitted on labeled and unlabeled postings, as a bundle
component."""

from __future__ import annotations

import json
import time
from typing import Any

from runtime.bundles import ComponentRecord
from runtime.components import Models
from training.boilerplate import Noise, boilerplate_blocks
from training.bundle import Component, data_hashes
from training.inputs import TrainingInputs
from training.reader.fit import held_out
from training.sources import read_labeled, read_unlabeled
from training.tags.data import (
    TEST_SALT,
    label_matrix,
    postings,
    split_by_id,
    with_boilerplate,
)

BOILERPLATE_CHARS = (1_000, 12_000)


def train_component(inputs: TrainingInputs, models: Models) -> Component:
    """Train on all but a stable held-out share of the labeled postings, which scores it. With
    no share held out the model learns from every posting, and its expected quality is the
    cross-validated one (`bench.tags_cv`). The split is stored with the model, which is where
    evaluation and retraining read it."""
    from training.metrics import multilabel_metrics
    from training.tags.config import TagTrainingConfig
    from training.tags.trainer import TagTrainer

    assert inputs.jobs is not None
    test_fraction = inputs.hold_out
    labeled = read_labeled(inputs.jobs)
    train, test = split_by_id(labeled, test_fraction, TEST_SALT)
    values = inputs.parameters.get("tags") or (
        json.loads(inputs.tags_config.read_text()) if inputs.tags_config else {})
    if inputs.seed is not None:
        values = {**values, "seed": inputs.seed}
    config = TagTrainingConfig.from_dict(values)
    unlabeled = read_unlabeled(inputs.unlabeled)
    started = time.perf_counter()
    # boilerplate from the postings that the robustness benchmark does not sample
    noise = Noise(boilerplate_blocks(job for job in [*labeled, *unlabeled] if not held_out(job)),
                  BOILERPLATE_CHARS[0], BOILERPLATE_CHARS[1])
    augmented = with_boilerplate(train, noise, config.boilerplate_copies, config.seed)
    model, report = TagTrainer(config, models["reader"]).fit(augmented, unlabeled)
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
    data = {"jobs": data_hashes([inputs.jobs])[0], "unlabeled": data_hashes(inputs.unlabeled),
            "labeled_train": len(train), "labeled_test": len(test)}
    return Component("tags", model, parameters, metrics, data)


def recorded_inputs(record: ComponentRecord) -> dict[str, Any]:
    return {"jobs": record.data["jobs"]["path"],
            "unlabeled": [entry["path"] for entry in record.data["unlabeled"]],
            "hold_out": record.parameters["split"]["test_fraction"],
            "parameters": {"tags": record.parameters["training"]}}


def _summary(metrics: dict) -> dict:
    return {k: v for k, v in metrics.items() if k != "per_label"}
