"""Batch scoring on Spark, for archives too big for one machine: a DataFrame of postings
(`id`, `title`, `description`) scored with a bundle by `mapInPandas`. Each executor's Python
worker loads the bundle once (no TensorFlow: the same NumPy runtime as the service) and answers
every posting exactly as `careerpath predict` does; a posting that cannot be answered gets its
error in its row, and the others go on.

    from careerpath.spark import score
    postings = spark.read.parquet("postings/")            # id, title, description
    score(postings, "/shared/models", "tags").write.parquet("tags/")

Needs the `spark` extra (pyspark, pyarrow) and a bundle at the same path on every executor
(a shared volume, as the service's).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from careerpath.predict import Answer, answer_for, answer_record

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame

# One row per posting: its id and the JSON line `careerpath predict` writes for it.
RESULT_SCHEMA = "id string, result string"
POSTING_FIELDS = ("title", "description")


@lru_cache(maxsize=4)
def _answer(bundle: str, model: str, k: int) -> Answer:
    """Loaded once per Python worker: Spark reuses its workers across tasks."""
    from runtime.bundles import resolve_bundle
    from runtime.loaded import load_bundle

    return answer_for(load_bundle(resolve_bundle(Path(bundle))), model, k)


def score(postings: DataFrame, bundle: str | Path, model: str, k: int = 10) -> DataFrame:
    """`postings` (an `id` column and the posting's fields) answered by `model` (recommend,
    tags, skills or path) with `bundle` (a bundle or a store, whose live bundle is used)."""
    store = str(Path(bundle).resolve())
    fields = [name for name in ("id", *POSTING_FIELDS) if name in postings.columns]

    def score_batches(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import pandas as pd

        answer = _answer(store, model, k)
        for batch in batches:
            rows = ({name: value for name, value in row.items() if pd.notna(value)}
                    for row in batch.to_dict("records"))  # a null field is an absent one
            records = [answer_record(row, answer) for row in rows]
            yield pd.DataFrame({"id": [str(r["id"]) for r in records],
                                "result": [json.dumps(r, ensure_ascii=False) for r in records]})

    return postings.select(*fields).mapInPandas(score_batches, schema=RESULT_SCHEMA)
