"""A posting reader on disk: its weights in one component directory of a bundle. Bundles
written before the reader was a component read with the weights that shipped beside the code
then (`earlier_bundles.npz`), so they answer as they always did."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from runtime.reader.model import PostingReader

WEIGHTS_FILE = "reader.npz"
EARLIER_BUNDLES = Path(__file__).with_name("earlier_bundles.npz")


def save_reader(reader: PostingReader, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(directory / WEIGHTS_FILE, kernel=reader.kernel.astype(np.float16),
                        bias=np.float32(reader.bias),
                        heading_weight=np.float32(reader.heading_weight))


def load_reader(directory: Path | None) -> PostingReader:
    """The reader saved in `directory`; None: the reader of bundles without one."""
    path = EARLIER_BUNDLES if directory is None else directory / WEIGHTS_FILE
    with np.load(path) as stored:
        return PostingReader(stored["kernel"], float(stored["bias"]),
                             float(stored["heading_weight"]))
