"""`careerpath train` through the registry: what is built on a component trained again is
refitted from the data its record names."""

from __future__ import annotations

import json
import shutil

import pytest

from careerpath.cli import main
from runtime.bundles import BundleStore, read_manifest, stale_components
from tests.conftest import SAMPLE, TINY_RECOMMENDER


@pytest.fixture(scope="module")
def store_with_a_path(tmp_path_factory):
    root = tmp_path_factory.mktemp("train")
    config = root / "recommend.json"
    config.write_text(json.dumps(TINY_RECOMMENDER))
    store = root / "models"
    assert main(["train", "reader", "--postings", str(SAMPLE / "postings.jsonl"),
                 "--store", str(store)]) == 0
    assert main(["train", "recommend", "--courses", str(SAMPLE / "courses.jsonl"),
                 "--corpus", str(SAMPLE / "jobs.jsonl"), "--recommend-config", str(config),
                 "--store", str(store)]) == 0
    assert main(["train", "skills", "--taxonomy", str(SAMPLE / "skills.jsonl"), "--courses",
                 str(SAMPLE / "courses.jsonl"), "--encoder", "word2vec",
                 "--store", str(store)]) == 0
    assert main(["train", "path", "--judgments", str(SAMPLE / "judgments"),
                 "--store", str(store)]) == 0
    return store


def test_training_the_recommender_again_refits_the_path_planner(store_with_a_path, tmp_path,
                                                                capsys):
    store = tmp_path / "models"
    shutil.copytree(store_with_a_path, store)
    before = read_manifest(BundleStore(store).live())
    assert main(["train", "recommend", "--courses", str(SAMPLE / "courses.jsonl"),
                 "--recommend-config", str(store_with_a_path.parent / "recommend.json"),
                 "--seed", "7", "--store", str(store)]) == 0
    after = read_manifest(BundleStore(store).live())
    assert after.components["recommend"].fingerprint != before.components["recommend"].fingerprint
    assert after.components["path"].fingerprint != before.components["path"].fingerprint
    assert after.components["skills"] == before.components["skills"]  # carried over
    assert stale_components(after) == {}


def test_what_cannot_be_refitted_stops_the_run_before_anything_trains(store_with_a_path,
                                                                     tmp_path, capsys):
    store = tmp_path / "models"
    shutil.copytree(store_with_a_path, store)
    live = BundleStore(store).live()
    manifest = read_manifest(live)
    manifest.components["path"].data["judgments"] = [
        {"path": str(tmp_path / "gone" / "queries_dev.jsonl")}]
    (live / "manifest.json").write_text(manifest.model_dump_json())
    assert main(["train", "skills", "--taxonomy", str(SAMPLE / "skills.jsonl"),
                 "--encoder", "word2vec", "--store", str(store)]) == 2
    error = capsys.readouterr().err
    assert "path component" in error and "gone" in error
    assert BundleStore(store).live() == live
