"""The tag model's network in Keras, and its export to the NumPy runtime: hashed n-grams ->
encoder (pre-trained as an autoencoder, `autoencoder.py`) -> latent; latent + engineered
features -> 5 ReLU layers with dropout -> one logit per tag, plus a wide linear part over the
hashed and engineered features -> sigmoid."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import asdict

import numpy as np
from tqdm import tqdm

from runtime.tags.features import TagFeaturizer
from runtime.tags.model import HEAD_LAYERS, HEAD_WEIGHTS, TagModel
from training.tags.config import TagTrainingConfig

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def build(config: TagTrainingConfig, featurizer: TagFeaturizer, n_tags: int) -> dict:
    """The Keras models: the autoencoder over the hashed input, and the classifier on its
    encoder (`encoder`: the two layers they share)."""
    import keras
    from keras import layers

    c = config
    hashed = keras.Input((featurizer.n_features,), sparse=True, name="hashed")
    engineered = keras.Input((len(featurizer.engineered_names),), name="engineered")
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


def train_classifier(classifier, inputs: list, truth: np.ndarray, validation: tuple | None,
                     positive_weight: np.ndarray, epochs: int, config: TagTrainingConfig,
                     progress: bool = True, nested: bool = False) -> dict[str, list[float]]:
    """Train, stopping early on the validation loss when there are validation postings;
    returns the Keras history. A `nested` run's epoch bar clears itself when done, under
    the bar of the folds it belongs to."""
    import keras

    classifier.compile(keras.optimizers.Adam(config.learning_rate),
                       weighted_bce(positive_weight))
    has_validation = validation is not None and validation[1].shape[0] > 0
    callbacks: list = []
    if has_validation:
        callbacks.append(keras.callbacks.EarlyStopping(
            patience=config.patience, restore_best_weights=True))
    with tqdm(total=epochs, desc="classifier epochs", disable=not progress,
              leave=not nested) as bar:
        history = classifier.fit(
            inputs, truth, epochs=epochs, batch_size=config.batch_size, verbose=0,
            validation_data=validation if has_validation else None,
            callbacks=[*callbacks, ProgressBar(bar)])
    return history.history


def export(classifier, tags: Sequence[str], mean: np.ndarray, std: np.ndarray,
           featurizer: TagFeaturizer, config: TagTrainingConfig) -> TagModel:
    """The NumPy model of a Keras classifier, at thresholds of 0.5 until they are tuned."""
    weights = export_weights(classifier)
    weights["engineered/mean"], weights["engineered/std"] = mean, std
    return TagModel(tags, [0.5] * len(tags), weights, featurizer,
                    {"training": jsonable(asdict(config))})


def best_epoch(history: dict[str, list[float]]) -> int:
    """The epoch of the lowest validation loss (the weights early stopping kept), or the last
    one when there was no validation."""
    if "val_loss" in history:
        return int(np.argmin(history["val_loss"])) + 1
    return len(history["loss"])


def positive_weights(truth: np.ndarray, config: TagTrainingConfig) -> np.ndarray:
    positives = truth.sum(axis=0)
    ratio = (truth.shape[0] - positives) / np.maximum(positives, 1)
    return np.clip(np.sqrt(ratio), 1.0, config.max_positive_weight).astype(np.float32)


def weighted_bce(positive_weight: np.ndarray):
    from keras import ops

    weight = ops.convert_to_tensor(positive_weight)

    def loss(truth, predicted):
        predicted = ops.clip(predicted, 1e-7, 1 - 1e-7)
        terms = weight * truth * ops.log(predicted) + (1 - truth) * ops.log(1 - predicted)
        return -ops.mean(terms, axis=-1)

    return loss


_EXPORTED = ("encoder_hidden", "latent", *HEAD_LAYERS)


def export_weights(classifier) -> dict[str, np.ndarray]:
    weights = {}
    for name in _EXPORTED:
        kernel, bias = classifier.get_layer(name).get_weights()
        weights[f"{name}/kernel"], weights[f"{name}/bias"] = kernel, bias
    (weights["wide_engineered/kernel"],) = classifier.get_layer("wide_engineered").get_weights()
    return weights


def load_weights(classifier, weights: dict[str, np.ndarray], head: int = 0) -> None:
    """A Keras classifier gets the shared encoder and one head of a runtime model's weights."""
    def value(name: str) -> np.ndarray:
        return weights[name][head] if name in HEAD_WEIGHTS else weights[name]

    for name in _EXPORTED:
        classifier.get_layer(name).set_weights([value(f"{name}/kernel"), value(f"{name}/bias")])
    classifier.get_layer("wide_engineered").set_weights([value("wide_engineered/kernel")])


def jsonable(values: dict) -> dict:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


class ProgressBar:
    """Keras callback advancing a tqdm bar per epoch (defined lazily: keras is heavy)."""

    def __new__(cls, bar: tqdm):
        import keras

        class Callback(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                bar.update(1)
                if logs:
                    bar.set_postfix({k: round(float(v), 4) for k, v in logs.items()})

        return Callback()
