"""Postings per second per core: `careerpath predict`'s code path (one process, one core)
beside Spark local mode on 2 cores (`careerpath.spark.score`), in one run, on the same real
postings, both timed with the bundle already loaded; the outputs are compared line by line.

    python -m bench.spark_throughput --bundle models [--postings 2000] [--models recommend tags]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.common import SHARED, save

CORES = 2


def _postings(n: int) -> list[dict]:
    from pipelines.jobs import read_jobs

    jobs = read_jobs(SHARED / "jobs" / "indeed_unlabeled.tsv")[0][:n]
    return [{"id": f"p{i}", "title": job.title, "description": job.description}
            for i, job in enumerate(jobs)]


def _predict(bundle: Path, model: str, source: Path, out: Path) -> float:
    """`careerpath predict`'s code path in this process, timed after the bundle is loaded
    (Spark's workers are timed warm too)."""
    from careerpath.predict import answer_for, predict_jsonl
    from runtime.bundles import resolve_bundle
    from runtime.loaded import load_bundle

    answer = answer_for(load_bundle(resolve_bundle(bundle)), model)
    with out.open("w", encoding="utf-8") as handle:
        started = time.perf_counter()
        predict_jsonl(source, handle, answer)
        return time.perf_counter() - started


def _spark(spark, bundle: Path, model: str, postings: list[dict], out: Path) -> float:
    from careerpath.spark import score

    frame = spark.createDataFrame(postings, "id string, title string, description string")
    frame = frame.repartition(CORES * 4).cache()
    frame.count()  # the input in memory before the clock starts, as predict's file is
    started = time.perf_counter()
    score(frame, bundle, model).write.mode("overwrite").parquet(str(out))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bundle", type=Path, default=Path("models"))
    parser.add_argument("--postings", type=int, default=2000)
    parser.add_argument("--models", nargs="+", default=["recommend", "tags"])
    parser.add_argument("--out", type=Path, default=Path("bench/results/spark_throughput"))
    args = parser.parse_args()
    os.environ["PYSPARK_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master(f"local[{CORES}]").appName("careerpath-bench")
             .config("spark.ui.enabled", "false")
             .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate())
    postings = _postings(args.postings)
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        source = Path(workdir) / "postings.jsonl"
        source.write_text("".join(json.dumps(p) + "\n" for p in postings))
        for model in args.models:
            predicted = Path(workdir) / f"{model}.jsonl"
            _spark(spark, args.bundle, model, postings[:50], Path(workdir) / "warm")  # workers
            spark_seconds = _spark(spark, args.bundle, model, postings,
                                   Path(workdir) / f"{model}.parquet")
            predict_seconds = _predict(args.bundle, model, source, predicted)
            expected = {json.loads(line)["id"]: json.loads(line)
                        for line in predicted.read_text().splitlines()}
            found = {row.id: json.loads(row.result) for row in
                     spark.read.parquet(str(Path(workdir) / f"{model}.parquet")).collect()}
            single = len(postings) / predict_seconds
            per_core = len(postings) / spark_seconds / CORES
            rows.append({"model": model, "postings": len(postings),
                         "predict_per_s (1 core)": round(single, 1),
                         "spark_per_s_per_core (local[2])": round(per_core, 1),
                         "spark / predict": round(per_core / single, 2),
                         "identical outputs": found == expected})
    spark.stop()
    save(rows, f"Batch scoring throughput, {args.postings} postings", args.out, "model",
         ["predict_per_s (1 core)", "spark_per_s_per_core (local[2])"], ylabel="postings/s")


if __name__ == "__main__":
    main()
