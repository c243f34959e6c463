"""The job tag model at run time: exported Keras weights run with NumPy (no TensorFlow)."""

from runtime.tags.features import TagFeaturizer
from runtime.tags.model import TagModel, TagScore

COMPONENT = "tags"  # its directory in a bundle
load = TagModel.load

__all__ = ["COMPONENT", "TagFeaturizer", "TagModel", "TagScore", "load"]
