"""The job tag model at run time: exported Keras weights run with NumPy (no TensorFlow)."""

from runtime.tags.features import TagFeaturizer
from runtime.tags.model import TagModel, TagScore
from runtime.tags.storage import load_tags, save_tags

load, save = load_tags, save_tags  # what the component registry calls

__all__ = ["TagFeaturizer", "TagModel", "TagScore", "load", "load_tags", "save", "save_tags"]
