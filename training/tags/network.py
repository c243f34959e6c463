"""Trains the job tag model in TensorFlow/Keras and exports it to the NumPy runtime:
hashed n-grams -> autoencoder pre-trained on labeled and unlabeled postings -> encoder feeding a
DNN with 5 ReLU hidden layers and dropout (+ engineered features, + a wide linear part) ->
sigmoid per tag, with per-tag thresholds tuned on out-of-fold predictions for every labeled
posting. The out-of-fold classifiers then join the main one as an ensemble on the shared
encoder, and a linear member (`training.tag_linear`) is blended in."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
from scipy import sparse
from tqdm import tqdm

from pipelines.records import Job
from runtime.tags.features import PART_THRESHOLD, TagFeaturizer, scale
from runtime.tags.model import (
    DEEP_LAYERS,
    HEAD_LAYERS,
    HEAD_WEIGHTS,
    TagModel,
    blend,
    stack_heads,
)
from training.metrics import multilabel_metrics
from training.tags.data import (
    VALIDATION_SALT,
    fit_scaling,
    fold_of,
    label_matrix,
    postings,
    split_by_id,
    tune_thresholds,
)
from training.tags.linear import fit_linear_member

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


class NewTagError(ValueError):
    """New postings carry a tag the model has no output for: that needs a full retrain."""


@dataclass(frozen=True)
class TagTrainingConfig:
    latent_size: int = 100
    encoder_hidden: int = 256
    hidden: tuple[int, ...] = (256, 128, 128, 64, 32)
    dropout: float = 0.5
    autoencoder_epochs: int = 4
    epochs: int = 60
    patience: int = 8
    batch_size: int = 32
    learning_rate: float = 3e-3
    freeze_encoder: bool = True
    reconstruction_features: int = 2048
    validation_fraction: float = 0.15
    max_positive_weight: float = 5.0
    threshold_folds: int = 4
    # serve the mean of the main classifier and the threshold folds' classifiers
    ensemble: bool = True
    # the linear member's weight in the blend with the network (0: none); it needs the
    # threshold folds' out-of-fold predictions
    linear_share: float = 0.5
    wide_l2: float = 1e-6
    # copies of each labeled posting with real boilerplate added, labeled as the original: the
    # model learns that such text does not change a posting's tags
    boilerplate_copies: int = 1
    # read the parts of a posting that state the job at least this probably (None: all)
    part_threshold: float | None = PART_THRESHOLD
    seed: int = 13

    def __post_init__(self) -> None:
        if len(self.hidden) != DEEP_LAYERS:
            raise ValueError(f"the classifier has exactly {DEEP_LAYERS} hidden layers")
        if self.ensemble and self.threshold_folds > 1 and not self.freeze_encoder:
            raise ValueError("an ensemble's classifiers share one frozen encoder: "
                             "fine-tuning it needs ensemble=False")
        if not 0 <= self.linear_share < 1:
            raise ValueError("linear_share is the linear member's weight: at least 0, below 1")

    @classmethod
    def from_dict(cls, values: dict) -> TagTrainingConfig:
        known = {k: v for k, v in values.items() if k in cls.__dataclass_fields__}
        if "hidden" in known:
            known["hidden"] = tuple(known["hidden"])
        return cls(**known)


@dataclass
class TrainingReport:
    """`validation` scores the main classifier alone on the validation share: the threshold
    folds' classifiers, and so an ensemble of them, were trained on it."""

    autoencoder: dict[str, float] = field(default_factory=dict)
    validation: dict[str, object] = field(default_factory=dict)
    epochs_run: int = 0
    best_epoch: int = 0


class TagTrainer:
    def __init__(self, config: TagTrainingConfig | None = None,
                 featurizer: TagFeaturizer | None = None, progress: bool = True) -> None:
        self.config = config or TagTrainingConfig()
        self.featurizer = featurizer or TagFeaturizer(part_threshold=self.config.part_threshold)
        self.progress = progress

    def fit(self, labeled: Sequence[Job], unlabeled: Sequence[Job] = ()) -> tuple[TagModel,
                                                                                 TrainingReport]:
        import keras

        keras.utils.set_random_seed(self.config.seed)
        labeled = [job for job in labeled if job.tags is not None]
        tags = sorted({tag for job in labeled for tag in job.tags or []})
        if not tags:
            raise ValueError("no labeled postings: the tag model needs postings with tags")
        train, validation = split_by_id(labeled, self.config.validation_fraction,
                                        VALIDATION_SALT)
        report = TrainingReport()
        hashed, engineered = self.featurizer.transform(postings(train))
        mean, std = fit_scaling(engineered)
        models = self._build(len(tags))
        report.autoencoder = self._pretrain(models, hashed, unlabeled)
        encoder = [layer.get_weights() for layer in models["encoder"]]
        truth = label_matrix(train, tags)
        val_inputs = self._inputs(validation, mean, std)
        history = self._train_classifier(
            models["classifier"], [hashed, scale(engineered, mean, std)], truth,
            (val_inputs, label_matrix(validation, tags)), _positive_weights(truth, self.config),
            self.config.epochs)
        report.epochs_run = len(history["loss"])
        report.best_epoch = _best_epoch(history)
        model = self._export(models["classifier"], tags, mean, std)
        # a few labeled postings per fold would tune thresholds on noise
        if self.config.threshold_folds > 1 and len(labeled) >= 10 * self.config.threshold_folds:
            folds = self._folds(labeled)
            probabilities, members = self._out_of_fold(labeled, folds, tags, encoder, mean, std,
                                                       report.best_epoch)
            truth = label_matrix(labeled, tags)
            linear: dict[str, np.ndarray] = {}
            if self.config.linear_share:
                linear, linear_probabilities = self._linear_member(labeled, folds, tags, mean,
                                                                    std)
                probabilities = blend(probabilities, linear_probabilities,
                                      self.config.linear_share)
            model.thresholds = tune_thresholds(probabilities, truth)
            report.validation = self._score(model, validation, tags)
            heads = [model.weights, *(m.weights for m in members if self.config.ensemble)]
            model = TagModel(tags, model.thresholds, {**stack_heads(heads), **linear},
                             self.featurizer, model.parameters)
        else:
            report.validation = self._calibrate(model, validation, tags)
        return model, report

    def _out_of_fold(self, jobs: Sequence[Job], folds: np.ndarray, tags: Sequence[str],
                     encoder: list, mean: np.ndarray, std: np.ndarray,
                     epochs: int) -> tuple[np.ndarray, list[TagModel]]:
        """Each posting's probabilities from a classifier trained without it, and those k
        classifiers: each on the pre-trained encoder, for the main run's best number of
        epochs. Thresholds tuned on these see every labeled posting instead of the validation
        share alone (a dozen positives of the rarer tags)."""
        import keras

        probabilities = np.zeros((len(jobs), len(tags)), dtype=np.float32)
        members = []
        with tqdm(total=self.config.threshold_folds, desc="threshold folds",
                  disable=not self.progress) as bar:
            for fold in range(self.config.threshold_folds):
                keras.utils.set_random_seed(self.config.seed + 1 + fold)
                models = self._build(len(tags))
                for layer, weights in zip(models["encoder"], encoder, strict=True):
                    layer.set_weights(weights)
                    layer.trainable = not self.config.freeze_encoder
                rest = [job for job, f in zip(jobs, folds, strict=True) if f != fold]
                held = [job for job, f in zip(jobs, folds, strict=True) if f == fold]
                truth = label_matrix(rest, tags)
                self._train_classifier(models["classifier"], self._inputs(rest, mean, std), truth,
                                       None, _positive_weights(truth, self.config), epochs,
                                       nested=True)
                fold_model = self._export(models["classifier"], tags, mean, std)
                probabilities[folds == fold] = fold_model.predict_proba(postings(held))
                members.append(fold_model)
                bar.update(1)
        return probabilities, members

    def _folds(self, jobs: Sequence[Job]) -> np.ndarray:
        """Each posting's threshold fold (copies of a posting share one)."""
        folds = max(2, self.config.threshold_folds)
        return np.array([fold_of(job.id, folds, "thresholds") for job in jobs])

    def _linear_member(self, jobs: Sequence[Job], folds: np.ndarray, tags: Sequence[str],
                       mean: np.ndarray, std: np.ndarray) -> tuple[dict[str, np.ndarray],
                                                                   np.ndarray]:
        """The linear member's weights (its share included) and out-of-fold probabilities."""
        hashed, scaled = self._inputs(jobs, mean, std)
        weights, out_of_fold = fit_linear_member(hashed, scaled, label_matrix(jobs, tags),
                                                 folds, self.progress)
        weights["linear/share"] = np.array(self.config.linear_share, dtype=np.float32)
        return weights, out_of_fold

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
                             "TagTrainer(config, featurizer=model.featurizer)")
        jobs = [*new, *replay]
        mean, std = model.weights["engineered/mean"], model.weights["engineered/std"]
        inputs = self._inputs(jobs, mean, std)
        truth = label_matrix(jobs, model.tags)
        val = (self._inputs(validation, mean, std), label_matrix(validation, model.tags))
        encoder = None
        heads = []
        for head in range(model.heads):
            keras.utils.set_random_seed(self.config.seed + head)
            models = self._build(len(model.tags))
            _load_weights(models["classifier"], model.weights, head)
            if encoder is None:  # the first head's, refreshed once, is every head's
                if unlabeled:
                    self._refresh_encoder(models, [*jobs, *unlabeled])
                encoder = [layer.get_weights() for layer in models["encoder"]]
            for layer, weights in zip(models["encoder"], encoder, strict=True):
                layer.set_weights(weights)
                layer.trainable = not self.config.freeze_encoder
            # The other heads were trained on the validation postings (out of fold), so only
            # the main one may stop early on them; the rest train as many epochs as it did.
            history = self._train_classifier(models["classifier"], inputs, truth,
                                             val if head == 0 else None,
                                             _positive_weights(truth, self.config), epochs)
            if head == 0:
                epochs = _best_epoch(history)
            heads.append(self._export(models["classifier"], model.tags, mean, std))
        linear: dict[str, np.ndarray] = {}
        if model.linear_share:
            learned = [*new, *(earlier or replay)]
            linear = self._linear_member(learned, self._folds(learned), model.tags, mean, std)[0]
            linear["linear/share"] = model.weights["linear/share"]  # the trained blend's
        return TagModel(model.tags, model.thresholds.copy(),
                        {**stack_heads([head.weights for head in heads]), **linear},
                        self.featurizer, heads[0].parameters)

    def keras_classifiers(self, model: TagModel) -> list:
        """One Keras classifier per head of `model`, its weights loaded: the Keras side of the
        NumPy runtime (whose output is the mean of theirs)."""
        classifiers = []
        for head in range(model.heads):
            classifier = self._build(len(model.tags))["classifier"]
            _load_weights(classifier, model.weights, head)
            classifiers.append(classifier)
        return classifiers

    def _inputs(self, jobs: Sequence[Job], mean: np.ndarray, std: np.ndarray) -> list:
        hashed, engineered = self.featurizer.transform(postings(jobs))
        return [hashed, scale(engineered, mean, std)]

    def _build(self, n_tags: int) -> dict:
        import keras
        from keras import layers

        c = self.config
        hashed = keras.Input((self.featurizer.n_features,), sparse=True, name="hashed")
        engineered = keras.Input((len(self.featurizer.engineered_names),), name="engineered")
        encoder_hidden = layers.Dense(c.encoder_hidden, activation="relu", name="encoder_hidden")
        latent_layer = layers.Dense(c.latent_size, name="latent")
        latent = latent_layer(encoder_hidden(hashed))
        decoded = layers.Dense(c.encoder_hidden, activation="relu", name="decoder_hidden")(latent)
        reconstruction = layers.Dense(c.reconstruction_features, activation="sigmoid",
                                      name="reconstruction")(decoded)
        autoencoder = keras.Model(hashed, reconstruction, name="autoencoder")
        x = layers.Concatenate()([latent, engineered])
        for i, units in enumerate(c.hidden):
            x = layers.Dense(units, activation="relu", name=f"deep_{i}")(x)
            x = layers.Dropout(c.dropout, seed=c.seed + i)(x)
        deep = layers.Dense(n_tags, name="deep_logits")(x)
        regularizer = keras.regularizers.L2(c.wide_l2)
        wide = layers.Dense(n_tags, name="wide", kernel_regularizer=regularizer)(hashed)
        wide_engineered = layers.Dense(n_tags, use_bias=False, name="wide_engineered")(engineered)
        logits = layers.Add()([deep, wide, wide_engineered])
        probabilities = layers.Activation("sigmoid")(logits)
        classifier = keras.Model([hashed, engineered], probabilities, name="tagger")
        return {"autoencoder": autoencoder, "classifier": classifier,
                "encoder": [encoder_hidden, latent_layer]}

    def _pretrain(self, models: dict, hashed: sparse.csr_matrix,
                  unlabeled: Sequence[Job]) -> dict[str, float]:
        """Fit the autoencoder on labeled and unlabeled postings. Sparse hashed vectors defeat a
        plain MSE autoencoder (all-zeros is already a near-perfect MSE), so it reconstructs
        the presence of the most frequent hashed features with binary cross-entropy, and its
        quality is reported against the feature-frequency baseline on held-out postings."""
        import keras

        extra = self.featurizer.hashed(postings(unlabeled)) if unlabeled else None
        matrix = sparse.vstack([hashed, extra]).tocsr() if extra is not None else hashed
        order = np.random.default_rng(self.config.seed).permutation(matrix.shape[0])
        cut = max(1, int(0.9 * len(order)))
        fit_rows, held_rows = order[:cut], order[cut:] if len(order) > 1 else order[:1]
        present = self._presence(matrix)
        autoencoder = models["autoencoder"]
        autoencoder.compile(keras.optimizers.Adam(self.config.learning_rate),
                            "binary_crossentropy")
        with tqdm(total=self.config.autoencoder_epochs, desc="autoencoder epochs",
                  disable=not self.progress) as bar:
            autoencoder.fit(matrix[fit_rows], present[fit_rows], epochs=self.config.
                            autoencoder_epochs, batch_size=self.config.batch_size,
                            verbose=0, callbacks=[_ProgressBar(bar)])
        for layer in models["encoder"]:
            layer.trainable = not self.config.freeze_encoder
        reconstructed = autoencoder.predict(matrix[held_rows], verbose=0)
        return reconstruction_quality(present[held_rows], reconstructed,
                                      present[fit_rows].mean(axis=0))

    def _refresh_encoder(self, models: dict, jobs: Sequence[Job]) -> None:
        """Autoencoder training on newer postings, starting from the live encoder: the fresh
        decoder is fitted with the encoder frozen first, so its random start cannot scramble
        what the encoder knows; then one joint epoch at a tenth of the learning rate."""
        import keras

        matrix = self.featurizer.hashed(postings(jobs))
        present = self._presence(matrix)
        autoencoder = models["autoencoder"]
        for trainable, rate, epochs in ((False, 1.0, 2), (True, 0.1, 1)):
            for layer in models["encoder"]:
                layer.trainable = trainable
            autoencoder.compile(keras.optimizers.Adam(self.config.learning_rate * rate),
                                "binary_crossentropy")
            autoencoder.fit(matrix, present, epochs=epochs, verbose=0,
                            batch_size=self.config.batch_size)

    def _presence(self, matrix: sparse.csr_matrix) -> np.ndarray:
        """What the autoencoder reconstructs: whether each posting has each of the most
        frequent hashed features."""
        frequency = np.asarray((matrix > 0).mean(axis=0)).ravel()
        targets = np.argsort(-frequency, kind="stable")[: self.config.reconstruction_features]
        return (matrix[:, targets] > 0).astype(np.float32).toarray()

    def _train_classifier(self, classifier, inputs: list, truth: np.ndarray,
                          validation: tuple | None, positive_weight: np.ndarray,
                          epochs: int, nested: bool = False) -> dict[str, list[float]]:
        """Train, stopping early on the validation loss when there are validation postings;
        returns the Keras history. A `nested` run's epoch bar clears itself when done, under
        the bar of the folds it belongs to."""
        import keras

        classifier.compile(keras.optimizers.Adam(self.config.learning_rate),
                           _weighted_bce(positive_weight))
        has_validation = validation is not None and validation[1].shape[0] > 0
        callbacks: list = []
        if has_validation:
            callbacks.append(keras.callbacks.EarlyStopping(
                patience=self.config.patience, restore_best_weights=True))
        with tqdm(total=epochs, desc="classifier epochs", disable=not self.progress,
                  leave=not nested) as bar:
            history = classifier.fit(
                inputs, truth, epochs=epochs, batch_size=self.config.batch_size, verbose=0,
                validation_data=validation if has_validation else None,
                callbacks=[*callbacks, _ProgressBar(bar)])
        return history.history

    def _export(self, classifier, tags: Sequence[str], mean: np.ndarray,
                std: np.ndarray) -> TagModel:
        weights = _export_weights(classifier)
        weights["engineered/mean"], weights["engineered/std"] = mean, std
        return TagModel(tags, [0.5] * len(tags), weights, self.featurizer,
                        {"training": _jsonable(asdict(self.config))})

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


def _best_epoch(history: dict[str, list[float]]) -> int:
    """The epoch of the lowest validation loss (the weights early stopping kept), or the last
    one when there was no validation."""
    if "val_loss" in history:
        return int(np.argmin(history["val_loss"])) + 1
    return len(history["loss"])


def _positive_weights(truth: np.ndarray, config: TagTrainingConfig) -> np.ndarray:
    positives = truth.sum(axis=0)
    ratio = (truth.shape[0] - positives) / np.maximum(positives, 1)
    return np.clip(np.sqrt(ratio), 1.0, config.max_positive_weight).astype(np.float32)


def _weighted_bce(positive_weight: np.ndarray):
    from keras import ops

    weight = ops.convert_to_tensor(positive_weight)

    def loss(truth, predicted):
        predicted = ops.clip(predicted, 1e-7, 1 - 1e-7)
        terms = weight * truth * ops.log(predicted) + (1 - truth) * ops.log(1 - predicted)
        return -ops.mean(terms, axis=-1)

    return loss


_EXPORTED = ("encoder_hidden", "latent", *HEAD_LAYERS)


def _export_weights(classifier) -> dict[str, np.ndarray]:
    weights = {}
    for name in _EXPORTED:
        kernel, bias = classifier.get_layer(name).get_weights()
        weights[f"{name}/kernel"], weights[f"{name}/bias"] = kernel, bias
    (weights["wide_engineered/kernel"],) = classifier.get_layer("wide_engineered").get_weights()
    return weights


def _load_weights(classifier, weights: dict[str, np.ndarray], head: int = 0) -> None:
    """A Keras classifier gets the shared encoder and one head of a runtime model's weights."""
    def value(name: str) -> np.ndarray:
        return weights[name][head] if name in HEAD_WEIGHTS else weights[name]

    for name in _EXPORTED:
        classifier.get_layer(name).set_weights([value(f"{name}/kernel"), value(f"{name}/bias")])
    classifier.get_layer("wide_engineered").set_weights([value("wide_engineered/kernel")])


def _jsonable(values: dict) -> dict:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


class _ProgressBar:
    """Keras callback advancing a tqdm bar per epoch (defined lazily: keras is heavy)."""

    def __new__(cls, bar: tqdm):
        import keras

        class Callback(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                bar.update(1)
                if logs:
                    bar.set_postfix({k: round(float(v), 4) for k, v in logs.items()})

        return Callback()
