"""The posting reader at run time: a posting's parts, and how much each states the job."""

from runtime.reader.model import READINGS_KEPT, PostingReader, ScoredPart, hashed_features
from runtime.reader.storage import load_reader, save_reader

load, save = load_reader, save_reader  # what the component registry calls

__all__ = ["READINGS_KEPT", "PostingReader", "ScoredPart", "hashed_features", "load",
           "load_reader", "save", "save_reader"]
