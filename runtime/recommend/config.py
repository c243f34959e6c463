"""The recommender's parameters, stored with the model, and the filters a caller may set."""

from __future__ import annotations

from dataclasses import dataclass

POSTING_VECTORS = frozenset(["output_words", "inferred"])


@dataclass(frozen=True)
class RecommenderConfig:
    """Every parameter of the recommender, stored with the model."""

    vector_size: int = 150
    window: int = 5
    epochs: int = 20
    min_count: int = 3
    negative: int = 5
    sample: float = 1e-4
    dm: int = 0
    dbow_words: int = 0
    infer_epochs: int = 10
    stem: bool = False
    title_weight: int = 2
    skills_weight: int = 1
    # how a posting meets the course vectors: "output_words" (the weighted sum of its words'
    # output vectors, scoring each course by how well it predicts them) or "inferred"
    posting_vector: str = "output_words"
    doc2vec_weight: float = 0.3
    corpus_course_tags: int = 5
    corpus_tag_min_similarity: float = 0.15
    # read only the parts of a posting that state the job (by the reader): a part
    # counts from `part_floor` on, by its probability to the power `part_power`
    read_parts: bool = True
    part_floor: float = 0.3
    part_power: float = 2.0
    posting_stop_words: bool = True
    feedback_weight: float = 0.3
    feedback_min_similarity: float = 0.5
    seed: int = 13
    workers: int = 1

    def __post_init__(self) -> None:
        if self.posting_vector not in POSTING_VECTORS:
            raise ValueError(f"posting_vector must be one of {sorted(POSTING_VECTORS)}")

    @classmethod
    def from_dict(cls, values: dict) -> RecommenderConfig:
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Filters:
    level: str | None = None
    provider: str | None = None
    language: str | None = None
