"""Postings per second per core: `careerpath predict`'s code path (one process, one core;
and two processes at once, one per core) beside Spark local mode on 2 cores
(`careerpath.spark.score`), in one run, on the same real postings, all timed with the bundle
already loaded; the outputs are compared line by line.

    python -m bench.spark_throughput --store models [--models recommend tags]
        [--postings 2000 20000]

Each model scores enough postings for Spark's fixed cost per job (scheduling the stage,
starting the Python workers' tasks, writing Parquet) to be what it is for a large archive: a
small share. The shared postings are cycled to reach the count, each copy its own id.
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

    jobs = [job for name in ("indeed_unlabeled.tsv", "indeed_tags_dev.tsv")
            for job in read_jobs(SHARED / "jobs" / name)[0]]
    return [{"id": f"p{i}", "title": jobs[i % len(jobs)].title,
             "description": jobs[i % len(jobs)].description} for i in range(n)]


def _predict(bundle: Path, model: str, source: Path, out: Path, barrier=None) -> float:
    """`careerpath predict`'s code path in this process, timed after the bundle is loaded
    (Spark's workers are timed warm too) and, with a `barrier`, once every process has."""
    from careerpath.predict import answer_for, predict_jsonl
    from runtime.bundles import resolve_bundle
    from runtime.loaded import load_bundle

    answer = answer_for(load_bundle(resolve_bundle(bundle)), model)
    if barrier is not None:
        barrier.wait()
    with out.open("w", encoding="utf-8") as handle:
        started = time.perf_counter()
        predict_jsonl(source, handle, answer)
        return time.perf_counter() - started


def _predict_in_parallel(bundle: Path, model: str, source: Path, workdir: Path) -> float:
    """Wall seconds for `CORES` predict processes, each on its share of the lines, started
    together once each has loaded the bundle: what the cores give without Spark, when they
    all work at once (they share the memory bus and caches)."""
    import multiprocessing

    lines = source.read_text().splitlines(keepends=True)
    shares = []
    for i in range(CORES):
        share = workdir / f"share{i}.jsonl"
        share.write_text("".join(lines[i::CORES]))
        shares.append(share)
    context = multiprocessing.get_context("spawn")
    barrier = context.Manager().Barrier(CORES)
    with context.Pool(CORES) as pool:
        return max(pool.starmap(_predict, [(bundle, model, share, share.with_suffix(
            ".out"), barrier) for share in shares]))


def _spark(spark, bundle: Path, model: str, source: Path, out: Path) -> float:
    from careerpath.spark import score

    frame = spark.read.schema("id string, title string, description string").json(str(source))
    frame = frame.repartition(CORES * 4).cache()
    frame.count()  # the input in memory before the clock starts, as predict's file is
    started = time.perf_counter()
    score(frame, bundle, model).write.mode("overwrite").parquet(str(out))
    seconds = time.perf_counter() - started
    frame.unpersist()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=Path("models"))
    parser.add_argument("--models", nargs="+", default=["recommend", "tags"])
    parser.add_argument("--postings", type=int, nargs="+", default=[2000, 20000],
                        help="how many postings each model scores, in the order of --models")
    parser.add_argument("--out", type=Path, default=Path("bench/results/spark_throughput"))
    args = parser.parse_args()
    if len(args.postings) != len(args.models):
        parser.error("give --postings a count for each model")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    # one BLAS thread per process, as Spark gives its Python workers (spark.task.cpus): a
    # threaded product would let "one core" of predict use both
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = "1"  # for the processes started from here
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)  # for this one, whose BLAS has started
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master(f"local[{CORES}]").appName("careerpath-bench")
             .config("spark.ui.enabled", "false")
             .config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.driver.host", "127.0.0.1").getOrCreate())
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        for model, count in zip(args.models, args.postings, strict=True):
            postings = _postings(count)
            source = Path(workdir) / f"{model}_postings.jsonl"  # a new path: a new cache
            source.write_text("".join(json.dumps(p) + "\n" for p in postings))
            predicted = Path(workdir) / f"{model}.jsonl"
            warm = Path(workdir) / f"{model}_warm.jsonl"
            warm.write_text("".join(json.dumps(p) + "\n" for p in postings[:50]))
            _spark(spark, args.store, model, warm, Path(workdir) / "warm")  # the workers
            spark_seconds = _spark(spark, args.store, model, source,
                                   Path(workdir) / f"{model}.parquet")
            predict_seconds = _predict(args.store, model, source, predicted)
            parallel_seconds = _predict_in_parallel(args.store, model, source, Path(workdir))
            expected = {json.loads(line)["id"]: json.loads(line)
                        for line in predicted.read_text().splitlines()}
            found = {row.id: json.loads(row.result) for row in
                     spark.read.parquet(str(Path(workdir) / f"{model}.parquet")).collect()}
            single = len(postings) / predict_seconds
            per_core = len(postings) / spark_seconds / CORES
            rows.append({"model": model, "postings": len(postings),
                         "predict_per_s (1 core)": round(single, 1),
                         "predict_per_s_per_core (2 processes)": round(
                             len(postings) / parallel_seconds / CORES, 1),
                         "spark_per_s_per_core (local[2])": round(per_core, 1),
                         "spark / predict": round(per_core / single, 2),
                         "identical outputs": found == expected})
    spark.stop()
    save(rows, "Batch scoring throughput", args.out, "model",
         ["predict_per_s (1 core)", "predict_per_s_per_core (2 processes)",
          "spark_per_s_per_core (local[2])"], ylabel="postings/s")


if __name__ == "__main__":
    main()
