"""Spark local mode on the sample bundle: the rows equal `careerpath predict`'s lines."""

from __future__ import annotations

import json
import os
import sys

import pytest

from careerpath.cli import main
from careerpath.spark import score
from tests.conftest import SAMPLE

pyspark = pytest.importorskip("pyspark")


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers need careerpath's packages
    session = (SparkSession.builder.master("local[2]").appName("careerpath-test")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "8")
               .config("spark.driver.bindAddress", "127.0.0.1")  # loopback only
               .config("spark.driver.host", "127.0.0.1").getOrCreate())
    yield session
    session.stop()


def _postings() -> list[dict]:
    jobs = [json.loads(line) for line in (SAMPLE / "jobs.jsonl").read_text().splitlines()[:20]]
    postings = [{"id": f"j{i}", "title": job.get("title"), "description": job["description"]}
                for i, job in enumerate(jobs)]
    return [*postings,
            {"id": "de", "title": None,
             "description": "Wir suchen eine erfahrene Pflegekraft in Vollzeit für Berlin."},
            {"id": "blank", "title": "Nurse", "description": " "}]


@pytest.mark.parametrize("model", ["recommend", "tags"])
def test_spark_rows_equal_the_predict_lines(spark, sample_store, tmp_path, model):
    postings = _postings()
    source = tmp_path / "postings.jsonl"
    source.write_text("".join(json.dumps({k: v for k, v in p.items() if v is not None}) + "\n"
                              for p in postings))
    out = tmp_path / "predicted.jsonl"
    assert main(["predict", model, "--store", str(sample_store), "--input", str(source),
                 "--out", str(out)]) == 1  # the German and the blank posting
    expected = {line["id"]: {k: v for k, v in line.items() if k != "line"}
                for line in map(json.loads, out.read_text().splitlines())}

    frame = spark.createDataFrame(postings, "id string, title string, description string")
    parquet = tmp_path / "scored.parquet"
    score(frame.repartition(3), sample_store, model).write.parquet(str(parquet))
    rows = spark.read.parquet(str(parquet)).collect()
    found = {row.id: json.loads(row.result) for row in rows}
    assert found == expected
    assert "error" in found["de"] and "error" in found["blank"]
    assert sum("error" not in line for line in found.values()) == 20
