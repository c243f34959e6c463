"""Trains the job tag model in TensorFlow/Keras and exports it to the NumPy runtime: the
autoencoder is pre-trained on labeled and unlabeled postings (`autoencoder.py`), the
classifier trained on its encoder (`network.py`), thresholds tuned per tag on out-of-fold
predictions for every labeled posting, whose classifiers then join the main one as an
ensemble, with a linear member blended in (`ensemble.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from pipelines.records import Job
from runtime.reader import PostingReader
from runtime.tags.features import TagFeaturizer, scale
from runtime.tags.model import TagModel, blend, stack_heads
from training.metrics import multilabel_metrics
from training.tags import ensemble
from training.tags.autoencoder import pretrain, refresh_encoder
from training.tags.config import TagTrainingConfig
from training.tags.data import (
    VALIDATION_SALT,
    fit_scaling,
    label_matrix,
    postings,
    split_by_id,
    tune_thresholds,
)
from training.tags.network import (
    best_epoch,
    build,
    export,
    load_weights,
    positive_weights,
    train_classifier,
)


class NewTagError(ValueError):
    """New postings carry a tag the model has no output for: that needs a full retrain."""


@dataclass
class TrainingReport:
    """`validation` scores the main classifier alone on the validation share: the threshold
    folds' classifiers, and so an ensemble of them, were trained on it."""

    autoencoder: dict[str, float] = field(default_factory=dict)
    validation: dict[str, object] = field(default_factory=dict)
    epochs_run: int = 0
    best_epoch: int = 0


class TagTrainer:
    def __init__(self, config: TagTrainingConfig, reader: PostingReader | None,
                 featurizer: TagFeaturizer | None = None, progress: bool = True) -> None:
        self.config = config
        self.featurizer = featurizer or TagFeaturizer(reader,
                                                      part_threshold=config.part_threshold)
        self.progress = progress

    def fit(self, labeled: Sequence[Job], unlabeled: Sequence[Job] = ()) -> tuple[TagModel,
                                                                                 TrainingReport]:
        import keras

        config = self.config
        keras.utils.set_random_seed(config.seed)
        labeled = [job for job in labeled if job.tags is not None]
        tags = sorted({tag for job in labeled for tag in job.tags or []})
        if not tags:
            raise ValueError("no labeled postings: the tag model needs postings with tags")
        train, validation = split_by_id(labeled, config.validation_fraction, VALIDATION_SALT)
        report = TrainingReport()
        hashed, engineered = self.featurizer.transform(postings(train))
        mean, std = fit_scaling(engineered)
        models = build(config, self.featurizer, len(tags))
        extra = [self.featurizer.hashed(postings(unlabeled))] if unlabeled else []
        report.autoencoder = pretrain(models, sparse.vstack([hashed, *extra]).tocsr(), config,
                                      self.progress)
        encoder = [layer.get_weights() for layer in models["encoder"]]
        truth = label_matrix(train, tags)
        val_inputs = self._inputs(validation, mean, std)
        history = self.train_classifier(
            models["classifier"], [hashed, scale(engineered, mean, std)], truth,
            (val_inputs, label_matrix(validation, tags)), positive_weights(truth, config),
            config.epochs)
        report.epochs_run = len(history["loss"])
        report.best_epoch = best_epoch(history)
        model = self._export(models["classifier"], tags, mean, std)
        # a few labeled postings per fold would tune thresholds on noise
        if config.threshold_folds > 1 and len(labeled) >= 10 * config.threshold_folds:
            served = self._ensemble(model, labeled, tags, encoder, mean, std, report.best_epoch)
            report.validation = self._score(model, validation, tags)  # the main one alone
            model = served
        else:
            report.validation = self._calibrate(model, validation, tags)
        return model, report

    def _ensemble(self, model: TagModel, labeled: Sequence[Job], tags: Sequence[str],
                  encoder: list, mean: np.ndarray, std: np.ndarray, epochs: int) -> TagModel:
        """The main classifier joined by the out-of-fold ones (each on the pre-trained
        encoder, trained for the main run's best number of epochs) and the linear member,
        at thresholds tuned on their blended out-of-fold probabilities, which the main
        classifier `model` takes too."""
        import keras

        config = self.config

        def train_without(rest: Sequence[Job], fold: int) -> TagModel:
            keras.utils.set_random_seed(config.seed + 1 + fold)
            models = build(config, self.featurizer, len(tags))
            for layer, weights in zip(models["encoder"], encoder, strict=True):
                layer.set_weights(weights)
                layer.trainable = not config.freeze_encoder
            truth = label_matrix(rest, tags)
            self.train_classifier(models["classifier"], self._inputs(rest, mean, std), truth,
                                  None, positive_weights(truth, config), epochs, nested=True)
            return self._export(models["classifier"], tags, mean, std)

        folds = ensemble.folds_of(labeled, config)
        probabilities, members = ensemble.out_of_fold(labeled, folds, tags, train_without,
                                                      config, self.progress)
        linear: dict[str, np.ndarray] = {}
        if config.linear_share:
            linear, linear_probabilities = ensemble.linear_member(
                self._inputs(labeled, mean, std), labeled, folds, tags, config.linear_share,
                self.progress)
            probabilities = blend(probabilities, linear_probabilities, config.linear_share)
        thresholds = tune_thresholds(probabilities, label_matrix(labeled, tags))
        model.thresholds = thresholds
        heads = [model.weights, *(m.weights for m in members if config.ensemble)]
        return TagModel(tags, thresholds, {**stack_heads(heads), **linear}, self.featurizer,
                        model.parameters)

    def update(self, model: TagModel, new: Sequence[Job], replay: Sequence[Job],
               validation: Sequence[Job], epochs: int = 5, unlabeled: Sequence[Job] = (),
               earlier: Sequence[Job] = ()) -> TagModel:
        """Continue training each of `model`'s heads from its weights on new labeled postings
        mixed with a replay sample of earlier ones (after refreshing the autoencoder on
        `unlabeled` postings, when given); the main head stops early on `validation`, the
        others train for as many epochs, as in `fit`. The model's thresholds are kept: tuned
        on every labeled posting out of fold, they suit the updated model better than
        thresholds re-tuned on the validation share alone. The linear member, seconds to fit,
        is fitted afresh on the new postings and `earlier` (every posting the model learned
        from, when given; else the replay sample)."""
        import keras

        unknown = {tag for job in new for tag in job.tags or []} - set(model.tags)
        if unknown:
            raise NewTagError(f"new tags {sorted(unknown)} need a full retrain "
                              "(`careerpath train tags`)")
        if model.featurizer != self.featurizer:
            raise ValueError("the model was trained on other features: continue with "
                             "TagTrainer(config, reader, featurizer=model.featurizer)")
        jobs = [*new, *replay]
        mean, std = model.weights["engineered/mean"], model.weights["engineered/std"]
        inputs = self._inputs(jobs, mean, std)
        truth = label_matrix(jobs, model.tags)
        val = (self._inputs(validation, mean, std), label_matrix(validation, model.tags))
        encoder = None
        heads = []
        for head in range(model.heads):
            keras.utils.set_random_seed(self.config.seed + head)
            models = build(self.config, self.featurizer, len(model.tags))
            load_weights(models["classifier"], model.weights, head)
            if encoder is None:  # the first head's, refreshed once, is every head's
                if unlabeled:
                    refresh_encoder(models, self.featurizer.hashed(postings([*jobs, *unlabeled])),
                                    self.config)
                encoder = [layer.get_weights() for layer in models["encoder"]]
            for layer, weights in zip(models["encoder"], encoder, strict=True):
                layer.set_weights(weights)
                layer.trainable = not self.config.freeze_encoder
            # The other heads were trained on the validation postings (out of fold), so only
            # the main one may stop early on them; the rest train as many epochs as it did.
            history = self.train_classifier(models["classifier"], inputs, truth,
                                            val if head == 0 else None,
                                            positive_weights(truth, self.config), epochs)
            if head == 0:
                epochs = best_epoch(history)
            heads.append(self._export(models["classifier"], model.tags, mean, std))
        linear: dict[str, np.ndarray] = {}
        if model.linear_share:
            learned = [*new, *(earlier or replay)]
            linear = ensemble.linear_member(
                self._inputs(learned, mean, std), learned, ensemble.folds_of(learned, self.config),
                model.tags, model.linear_share, self.progress)[0]
            linear["linear/share"] = model.weights["linear/share"]  # the trained blend's
        return TagModel(model.tags, model.thresholds.copy(),
                        {**stack_heads([head.weights for head in heads]), **linear},
                        self.featurizer, heads[0].parameters)

    def keras_classifiers(self, model: TagModel) -> list:
        """One Keras classifier per head of `model`, its weights loaded: the Keras side of the
        NumPy runtime (whose output is the mean of theirs)."""
        classifiers = []
        for head in range(model.heads):
            classifier = build(self.config, self.featurizer, len(model.tags))["classifier"]
            load_weights(classifier, model.weights, head)
            classifiers.append(classifier)
        return classifiers

    def train_classifier(self, classifier, inputs: list, truth: np.ndarray,
                         validation: tuple | None, positive_weight: np.ndarray, epochs: int,
                         nested: bool = False) -> dict[str, list[float]]:
        return train_classifier(classifier, inputs, truth, validation, positive_weight, epochs,
                                self.config, self.progress, nested)

    def _inputs(self, jobs: Sequence[Job], mean: np.ndarray, std: np.ndarray) -> list:
        hashed, engineered = self.featurizer.transform(postings(jobs))
        return [hashed, scale(engineered, mean, std)]

    def _export(self, classifier, tags: Sequence[str], mean: np.ndarray,
                std: np.ndarray) -> TagModel:
        return export(classifier, tags, mean, std, self.featurizer, self.config)

    def _calibrate(self, model: TagModel, validation: Sequence[Job],
                   tags: Sequence[str]) -> dict[str, object]:
        """Tune per-tag thresholds on validation postings with the NumPy model itself."""
        if not validation:
            return {}
        probabilities = model.predict_proba(postings(validation))
        truth = label_matrix(validation, tags)
        model.thresholds = tune_thresholds(probabilities, truth)
        return multilabel_metrics(truth, model.decide(probabilities), tags)

    @staticmethod
    def _score(model: TagModel, jobs: Sequence[Job], tags: Sequence[str]) -> dict[str, object]:
        if not jobs:
            return {}
        probabilities = model.predict_proba(postings(jobs))
        return multilabel_metrics(label_matrix(jobs, tags), model.decide(probabilities), tags)
