"""The command line on the sample data: train one bundle, predict in batch, evaluate."""

from __future__ import annotations

import json

import pytest

from careerpath.bundles import BundleStore, read_manifest
from careerpath.cli import main
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def trained_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("store")
    recommender_config = tmp_path_factory.mktemp("cfg") / "recommender.json"
    recommender_config.write_text(json.dumps({"vector_size": 24, "epochs": 10, "min_count": 1}))
    code = main(["train", "recommender", "--courses", str(SAMPLE / "courses.jsonl"),
                 "--corpus", str(SAMPLE / "jobs.jsonl"), "--config", str(recommender_config),
                 "--out", str(store)])
    assert code == 0
    return store


def test_train_writes_a_versioned_live_bundle(trained_store):
    bundle = BundleStore(trained_store).live()
    manifest = read_manifest(bundle)
    assert manifest["version"] == bundle.name and manifest["components"] == ["recommender"]
    data = manifest["data"]["recommender"]
    assert len(data["courses"]["sha256"]) == 64 and data["course_count"] == 169
    assert manifest["parameters"]["recommender"]["vector_size"] == 24


def test_predict_recommend_writes_jsonl(trained_store, tmp_path):
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text(json.dumps({"id": "j1", "title": "Accountant",
                                "description": "Reconcile accounts and prepare financial "
                                               "statements under GAAP."}) + "\n"
                    + json.dumps({"id": "j2", "description": "qqq zzz"}) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["predict", "recommend", "--bundle", str(trained_store), "--input", str(jobs),
                 "--k", "3", "--out", str(out)]) == 0
    first, second = (json.loads(line) for line in out.read_text().splitlines())
    assert first["id"] == "j1" and len(first["courses"]) == 3
    assert first["courses"][0]["id"].startswith("accounting-")
    assert set(first["courses"][0]) == {"id", "title", "score", "reason"}
    assert second["courses"] == [] and "no word" in second["error"]


def test_train_rejects_missing_inputs(tmp_path, capsys):
    assert main(["train", "tags", "--out", str(tmp_path)]) == 2
    assert "--jobs" in capsys.readouterr().err


def test_predict_tags_writes_jsonl_and_reports_bad_lines(sample_store, tmp_path, capsys):
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text(json.dumps({"id": "a", "title": "Nurse", "description": "Part-time nurse, "
                                "$25 per hour, license required."}) + "\n"
                    + json.dumps({"id": "b", "description": "  "}) + "\n"
                    + "{not json\n")
    out = tmp_path / "tags.jsonl"
    assert main(["predict", "tags", "--bundle", str(sample_store), "--input", str(jobs),
                 "--out", str(out)]) == 0
    first, second, third = (json.loads(line) for line in out.read_text().splitlines())
    assert first["id"] == "a" and len(first["scores"]) == 12
    assert set(first["tags"]) <= set(first["scores"])
    assert second == {"id": "b", "tags": [], "error": "empty description"}
    assert third["id"] == 3 and third["tags"] == [] and third["error"]
    assert "2 postings could not be scored" in capsys.readouterr().err
