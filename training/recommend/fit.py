"""Fits the course recommender: Doc2Vec over course descriptions plus in-domain text (postings,
occupation profiles), and the TF-IDF index it is fused with."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from tqdm import tqdm

from pipelines.records import Course, Job
from runtime.ranking import top_k
from runtime.reader import PostingReader
from runtime.recommend import Recommender, RecommenderConfig
from runtime.recommend.memory import FeedbackMemory
from runtime.recommend.tokens import course_tokens, posting_tokens
from runtime.tfidf import TfidfIndex
from training.gensim_seed import stable_hash


class _EpochProgress:
    """A gensim callback that advances a progress bar once per epoch."""

    def __init__(self, bar: tqdm) -> None:
        self.bar = bar

    def on_epoch_begin(self, model) -> None:
        pass

    def on_epoch_end(self, model) -> None:
        self.bar.update(1)

    def on_train_begin(self, model) -> None:
        pass

    def on_train_end(self, model) -> None:
        pass


def fit_recommender(courses: Sequence[Course], corpus: Sequence[Job],
                    config: RecommenderConfig, reader: PostingReader,
                    progress: bool = True) -> Recommender:
    """Train Doc2Vec on the courses (tagged by id) and the extra corpus (job language), then
    index the courses. Deterministic for the same inputs and seed with `workers=1`.

    Each corpus document also carries the tags of the courses it matches best lexically
    (distant supervision), so a course's vector learns the job language of the postings that
    call for it, words its own description may never use (what it adds on the dev judgments
    is in docs/experiments.md)."""
    from gensim.models.callbacks import CallbackAny2Vec
    from gensim.models.doc2vec import Doc2Vec, TaggedDocument

    if not courses:
        raise ValueError("the catalog is empty")
    course_docs = [course_tokens(c, config) for c in courses]
    lexicon = TfidfIndex.fit(course_docs)
    course_tfidf = lexicon.transform(course_docs)
    corpus_docs = [posting_tokens(job.title, job.description, config, reader)
                   for job in corpus]
    matched = matched_courses(lexicon, course_tfidf, corpus_docs, config)
    documents = [TaggedDocument(tokens, [c.id]) for c, tokens in zip(courses, course_docs,
                                                                      strict=True)]
    documents += [
        TaggedDocument(tokens, [f"corpus:{i}", *(courses[j].id for j in matches)])
        for i, (tokens, matches) in enumerate(zip(corpus_docs, matched, strict=True))
    ]
    model = Doc2Vec(
        vector_size=config.vector_size, window=config.window, min_count=config.min_count,
        negative=config.negative, sample=config.sample, dm=config.dm,
        dbow_words=config.dbow_words, epochs=config.epochs, seed=config.seed,
        workers=config.workers, hashfxn=stable_hash,
    )
    model.build_vocab(documents)
    with tqdm(total=config.epochs, desc="doc2vec epochs", disable=not progress) as bar:
        callback = type("Progress", (_EpochProgress, CallbackAny2Vec), {})(bar)
        model.train(documents, total_examples=len(documents), epochs=model.epochs,
                    callbacks=[callback])
    course_vectors = np.vstack([model.dv[c.id] for c in courses])
    return Recommender(courses, model, course_vectors, lexicon, course_tfidf, config,
                       reader=reader)


def matched_courses(lexicon: TfidfIndex, course_tfidf: sparse.csr_matrix,
                    documents: Sequence[list[str]], config: RecommenderConfig,
                    chunk: int = 1000) -> list[list[int]]:
    """For each document, the positions of the courses it matches best by TF-IDF cosine: at
    most `corpus_course_tags`, each at least `corpus_tag_min_similarity`."""
    if config.corpus_course_tags <= 0:
        return [[] for _ in documents]
    rows = lexicon.transform(documents)
    by_course = course_tfidf.T.tocsc()
    matched = []
    for start in range(0, rows.shape[0], chunk):
        for scores in (rows[start:start + chunk] @ by_course).toarray():
            best = top_k(scores, config.corpus_course_tags)
            matched.append([int(i) for i in best
                            if scores[i] >= config.corpus_tag_min_similarity])
    return matched


def learn_from_feedback(recommender: Recommender,
                        judged: Sequence[tuple[str, str, str, bool]],
                        epochs: int = 5, alpha: float = 0.01) -> Recommender:
    """Feedback as training data: a posting marked helpful for a course becomes an extra
    Doc2Vec document carrying that course's tag (pulling the course toward the jobs it helped),
    and every judgment joins the feedback memory (helpful promotes, unhelpful demotes the course
    for similar postings). Needs a recommender loaded with `mmap=None`."""
    from gensim.models.doc2vec import TaggedDocument

    config = recommender.config
    helpful = [TaggedDocument(posting_tokens(t, d, config, recommender.reader), [c])
               for t, d, c, h in judged if h and c in recommender]
    if helpful:
        model = recommender.doc2vec
        model.train(helpful, total_examples=len(helpful), epochs=epochs, start_alpha=alpha,
                    end_alpha=alpha / 10)
        vectors = recommender.course_vectors.copy()
        for document in helpful:
            vectors[recommender.position(document.tags[0])] = model.dv[document.tags[0]]
        recommender = Recommender(recommender.courses, model, vectors, recommender.lexicon,
                                  recommender.course_tfidf, config, recommender.feedback,
                                  reader=recommender.reader)
    return recommender.with_feedback(judged)


def update_catalog(recommender: Recommender, catalog: Sequence[Course]) -> Recommender:
    """The recommender over a new catalog without retraining Doc2Vec: kept courses keep their
    vectors (their descriptions are refreshed), new ones get inferred vectors and TF-IDF rows
    in the existing vocabulary, removed ones go (with their feedback)."""
    config = recommender.config
    latest = {course.id: course for course in catalog}
    keep = [i for i, course in enumerate(recommender.courses) if course.id in latest]
    added = [course for course in catalog if course.id not in recommender]
    tokens = [course_tokens(course, config) for course in added]
    vectors = recommender.course_vectors[keep]
    tfidf = recommender.course_tfidf[keep]
    if added:
        vectors = np.vstack([vectors, *[recommender.infer(t)[None, :] for t in tokens]])
        tfidf = sparse.vstack([tfidf, recommender.lexicon.transform(tokens)]).tocsr()
    courses = [latest[recommender.courses[i].id] for i in keep] + added
    feedback = recommender.feedback
    if feedback is not None:
        moved = {old: new for new, old in enumerate(keep)}
        rows = [n for n, course in enumerate(feedback.courses) if int(course) in moved]
        feedback = FeedbackMemory(feedback.postings[rows],
                                  np.array([moved[int(feedback.courses[n])] for n in rows],
                                           dtype=int),
                                  feedback.signs[rows]) if rows else None
    return Recommender(courses, recommender.doc2vec, vectors, recommender.lexicon, tfidf,
                       config, feedback, reader=recommender.reader)
