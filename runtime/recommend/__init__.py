"""The course recommender at run time: Doc2Vec fused with TF-IDF (no FastAPI, no TensorFlow)."""

from runtime.recommend.config import Filters, RecommenderConfig
from runtime.recommend.model import Recommendation, Recommender
from runtime.recommend.storage import load_recommender, save_recommender

COMPONENT = "recommender"  # its directory in a bundle
load = load_recommender

__all__ = ["COMPONENT", "Filters", "Recommendation", "Recommender", "RecommenderConfig",
           "load", "load_recommender", "save_recommender"]
