"""In-process recommender latency per 1,500-character posting for catalogs of 3.4k, 30k and
100k courses (the larger ones synthesised from the real catalog: each course repeated with a
perturbed Doc2Vec vector), plus the bundle's training time.

    python -m bench.recommender_latency --store models [--out reports/bench/recommender]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from scipy import sparse

from bench.common import percentiles, postings, save
from runtime.bundles import read_manifest, resolve_bundle
from runtime.components import load_component
from runtime.recommend import Recommender


def scaled(base: Recommender, size: int, seed: int = 0) -> Recommender:
    if size <= len(base.courses):
        return base
    repeats = -(-size // len(base.courses))
    rng = np.random.default_rng(seed)
    courses = [c.model_copy(update={"id": f"{c.id}~{r}"}) for r in range(repeats)
               for c in base.courses][:size]
    vectors = np.vstack([base.course_vectors] * repeats)[:size]
    vectors = vectors + rng.normal(0, 0.05, vectors.shape).astype(np.float32)
    tfidf = sparse.vstack([base.course_tfidf] * repeats).tocsr()[:size]
    return Recommender(courses, base.doc2vec, vectors, base.lexicon, tfidf, base.config,
                       reader=base.reader)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=Path("models"))
    parser.add_argument("--out", type=Path, default=Path("reports/bench/recommender"))
    parser.add_argument("--postings", type=int, default=200)
    args = parser.parse_args()
    bundle = resolve_bundle(args.store)
    base = load_component(bundle, "recommend")
    jobs = postings(args.postings)
    rows = []
    for size in (len(base.courses), 30_000, 100_000):
        model = scaled(base, size)
        for title, text in jobs[:5]:
            model.recommend(title, text, 10)
        timings = []
        for title, text in jobs:
            start = time.perf_counter()
            model.recommend(title, text, 10)
            timings.append(time.perf_counter() - start)
        rows.append({"courses": size, **percentiles(timings)})
    save(rows, "Recommender latency per posting (in process, k=10)", args.out, "courses",
         ["p50_ms", "p99_ms"])
    manifest = read_manifest(bundle)
    record = manifest.components["recommender"]
    data, metrics = record.data, record.metrics
    print(f"\nbundle {manifest.version}: {data['course_count']} courses, "
          f"{len(data['corpus'])} corpus files; training took "
          f"{metrics.get('training_seconds', 'an unrecorded number of')} s")


if __name__ == "__main__":
    main()
