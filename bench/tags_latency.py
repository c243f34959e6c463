"""Tag model: in-process latency per 1,500-character posting, NumPy path (feature extraction
included, and the forward pass alone) vs Keras `model(x)` (each head's, averaged), training
time and peak memory of a full training run on the shared data.

    python -m bench.tags_latency --store models [--train]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from bench.common import SHARED, percentiles, postings, save, timed
from runtime.bundles import resolve_bundle
from runtime.components import load_component
from runtime.tags.model import TagModel


def keras_timings(model: TagModel, items) -> list[float]:
    from training.tags.config import TagTrainingConfig
    from training.tags.trainer import TagTrainer

    parameters = model.parameters.get("training", {})
    trainer = TagTrainer(TagTrainingConfig.from_dict(parameters), model.featurizer.reader,
                         model.featurizer, progress=False)
    classifiers = trainer.keras_classifiers(model)
    import tensorflow as tf

    w = model.weights
    prepared = []
    for item in items:
        hashed, engineered = model.features([item])
        coo = hashed.tocoo()
        tensor = tf.sparse.reorder(tf.SparseTensor(
            np.stack([coo.row, coo.col], axis=1).astype(np.int64), coo.data, coo.shape))
        scaled = (engineered - w["engineered/mean"]) / w["engineered/std"]
        prepared.append((tensor, tf.convert_to_tensor(scaled)))
    def forward(x):
        return sum(classifier([x[0], x[1]], training=False) for classifier in classifiers) / len(
            classifiers)

    return timed(forward, prepared)


def training_run() -> dict:
    jobs = SHARED / "jobs"
    command = [sys.executable, "-m", "careerpath.cli", "train", "tags",
               "--jobs", str(jobs / "indeed_tags_dev.tsv"),
               "--unlabeled", str(jobs / "indeed_unlabeled.tsv"),
               *map(str, sorted((jobs / "glassdoor").glob("*.csv"))),
               "--out", "/tmp/careerpath-bench-models"]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"training_seconds": elapsed, "peak_rss_mb": peak}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=Path("models"))
    parser.add_argument("--out", type=Path, default=Path("reports/bench/tags"))
    parser.add_argument("--train", action="store_true", help="also time a full training run")
    args = parser.parse_args()
    model = load_component(resolve_bundle(args.store), "tags")
    items = postings(300)
    features = [model.features([item]) for item in items]
    rows = [
        {"path": "numpy, features + forward",
         **percentiles(timed(lambda x: model.predict(*x), items))},
        {"path": "numpy, forward only",
         **percentiles(timed(lambda f: model.forward(*f), features))},
        {"path": "keras model(x), forward only", **percentiles(keras_timings(model, items))},
    ]
    save(rows, "Tag model latency per posting (1,500 characters)", args.out, "path",
         ["p50_ms", "p99_ms"])
    if args.train:
        print(training_run())


if __name__ == "__main__":
    main()
