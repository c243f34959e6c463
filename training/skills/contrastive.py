"""Contrastive training of the static token vectors (TensorFlow): a text of a pair should be
nearer its skill than any other skill of the taxonomy, each skill read as its preferred label
by the same encoder, so that every skill's vector moves with the words it shares. A full
softmax over the taxonomy, in the static encoder's own pooling (the mean of the token
vectors, unit length)."""

from __future__ import annotations

import os
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from tqdm import tqdm

from runtime.skills.encoder import StaticEncoder
from training.skills.pairs import Pair

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@dataclass(frozen=True)
class ContrastiveConfig:
    epochs: int = 4
    batch_size: int = 128
    learning_rate: float = 1e-3
    scale: float = 20.0  # the softmax's inverse temperature over cosine similarities


def train_vectors(encoder: StaticEncoder, pairs: Sequence[Pair], labels: Sequence[str],
                  config: ContrastiveConfig, seed: int = 13,
                  progress: bool = True) -> StaticEncoder:
    """The encoder with its token vectors trained on `pairs` against the skills' `labels`."""
    import tensorflow as tf

    if not pairs:
        return encoder
    tf.random.set_seed(seed)
    # the same vectors from the same data, whatever ran before in the process: threaded
    # reductions otherwise add in whatever order their threads finish
    tf.config.experimental.enable_op_determinism()
    table = tf.Variable(np.asarray(encoder.vectors, dtype=np.float32))
    skills = tf.ragged.constant(encoder.token_ids(labels), dtype=tf.int64)
    texts = encoder.token_ids([pair.text for pair in pairs])
    targets = np.array([pair.skill for pair in pairs])
    optimizer = tf.keras.optimizers.Adam(config.learning_rate)

    def pooled(ids: tf.RaggedTensor) -> tf.Tensor:
        mean = tf.reduce_mean(tf.gather(table, ids), axis=1)  # ragged: each row its own length
        return tf.math.l2_normalize(tf.where(tf.math.is_nan(mean), 0.0, mean), axis=1)

    @tf.function(reduce_retracing=True)
    def step(batch: tf.RaggedTensor, target: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as tape:
            logits = config.scale * tf.matmul(pooled(batch), pooled(skills), transpose_b=True)
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(target, logits))
        optimizer.apply_gradients(zip(tape.gradient(loss, [table]), [table], strict=True))
        return loss

    order = list(range(len(pairs)))
    shuffle = random.Random(seed)
    with tqdm(total=config.epochs, desc="skill vectors epochs", disable=not progress) as bar:
        for _ in range(config.epochs):
            shuffle.shuffle(order)
            losses = []
            for start in range(0, len(order), config.batch_size):
                chosen = order[start:start + config.batch_size]
                batch = tf.ragged.constant([texts[i] or [0] for i in chosen], dtype=tf.int64)
                losses.append(float(step(batch, tf.constant(targets[chosen]))))
            bar.update(1)
            bar.set_postfix(loss=round(float(np.mean(losses)), 4))
    return StaticEncoder(encoder.tokenizer, table.numpy())
