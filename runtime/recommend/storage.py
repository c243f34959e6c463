"""A recommender on disk: the Doc2Vec model, course vectors, TF-IDF, feedback memory, catalog
and configuration, in one component directory of a bundle."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
from scipy import sparse

from pipelines.records import Course
from runtime.reader import PostingReader
from runtime.recommend.config import RecommenderConfig
from runtime.recommend.memory import FeedbackMemory
from runtime.recommend.model import Recommender
from runtime.tfidf import TfidfIndex

DOC2VEC_FILE = "doc2vec.model"
CONFIG_FILE = "config.json"
COURSES_FILE = "courses.jsonl"


def save_recommender(recommender: Recommender, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    recommender.doc2vec.save(str(directory / DOC2VEC_FILE))
    np.save(directory / "course_vectors.npy", recommender.course_vectors)
    sparse.save_npz(directory / "course_tfidf.npz", recommender.course_tfidf)
    (directory / "tfidf.json").write_text(json.dumps(recommender.lexicon.to_dict()))
    (directory / CONFIG_FILE).write_text(json.dumps(asdict(recommender.config), indent=2))
    feedback = recommender.feedback
    if feedback is not None:
        sparse.save_npz(directory / "feedback_postings.npz", feedback.postings)
        np.savez(directory / "feedback.npz", courses=feedback.courses, signs=feedback.signs)
    with (directory / COURSES_FILE).open("w", encoding="utf-8") as handle:
        for course in recommender.courses:
            handle.write(course.model_dump_json() + "\n")


def load_recommender(directory: Path, reader: PostingReader,
                     mmap: str | None = "r") -> Recommender:
    """Load a saved recommender; `mmap=None` loads a copy that can be trained further."""
    from gensim.models.doc2vec import Doc2Vec

    values = json.loads((directory / CONFIG_FILE).read_text())
    values.setdefault("posting_vector", "inferred")  # bundles from before the choice
    # bundles from before the posting reader read the whole posting
    values.setdefault("read_parts", False)
    config = RecommenderConfig.from_dict(values)
    lexicon = TfidfIndex.from_dict(json.loads((directory / "tfidf.json").read_text()))
    with (directory / COURSES_FILE).open(encoding="utf-8") as handle:
        courses = [Course.model_validate_json(line) for line in handle if line.strip()]
    feedback = None
    if (directory / "feedback.npz").exists():
        with np.load(directory / "feedback.npz") as stored:
            feedback = FeedbackMemory(sparse.load_npz(directory / "feedback_postings.npz"),
                                      stored["courses"], stored["signs"])
    return Recommender(
        courses,
        Doc2Vec.load(str(directory / DOC2VEC_FILE), mmap=mmap),
        np.load(directory / "course_vectors.npy"),
        lexicon,
        sparse.load_npz(directory / "course_tfidf.npz"),
        config,
        feedback,
        reader=reader,
    )
