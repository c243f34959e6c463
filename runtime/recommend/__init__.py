"""The course recommender at run time: Doc2Vec fused with TF-IDF (no FastAPI, no TensorFlow)."""

from runtime.recommend.config import Filters, RecommenderConfig
from runtime.recommend.model import Ranking, Recommendation, Recommender
from runtime.recommend.storage import load_recommender, save_recommender

load, save = load_recommender, save_recommender  # what the component registry calls

__all__ = ["Filters", "Ranking", "Recommendation", "Recommender", "RecommenderConfig", "load",
           "load_recommender", "save", "save_recommender"]
