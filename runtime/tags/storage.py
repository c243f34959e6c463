"""A tag model on disk: its exported weights and what it was trained on, in one component
directory of a bundle."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from runtime.reader import PostingReader
from runtime.tags.features import TagFeaturizer
from runtime.tags.model import TagModel

WEIGHTS_FILE = "weights.npz"
META_FILE = "tags.json"


def save_tags(model: TagModel, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    np.savez(directory / WEIGHTS_FILE, **model.weights)  # type: ignore[arg-type]
    featurizer = model.featurizer
    (directory / META_FILE).write_text(json.dumps({
        "tags": model.tags,
        "thresholds": [float(t) for t in model.thresholds],
        "engineered_features": list(featurizer.engineered_names),
        "n_features": featurizer.n_features,
        "ngram_max": featurizer.ngram_max,
        "part_threshold": featurizer.part_threshold,
        "read_terms": featurizer.read_terms,
        "parameters": model.parameters,
    }, indent=2))


def load_tags(directory: Path, reader: PostingReader) -> TagModel:
    meta = json.loads((directory / META_FILE).read_text())
    featurizer = TagFeaturizer(reader, meta["n_features"], meta["ngram_max"],
                               meta["engineered_features"], meta.get("part_threshold"),
                               meta.get("read_terms", False))
    with np.load(directory / WEIGHTS_FILE) as archive:
        weights = {name: archive[name] for name in archive.files}
    return TagModel(meta["tags"], meta["thresholds"], weights, featurizer, meta["parameters"])
