"""Feedback -> retrain -> hot reload, on the sample data with small models."""

from __future__ import annotations

import json
import shutil
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from careerpath.cli import main
from pipelines.feedback import FeedbackStore
from pipelines.jobs import read_jobs
from runtime.bundles import BundleStore, read_manifest, stale_components
from runtime.components import load_component
from service.app import create_app
from service.settings import ServiceSettings as Settings
from tests.conftest import SAMPLE, TINY_RECOMMENDER, TINY_TAGS
from training.retrain import RetrainBusyError, Retrainer, exclusive


@pytest.fixture(scope="module")
def template_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("retrain")
    recommender_config, tags_config = root / "recommender.json", root / "tags.json"
    recommender_config.write_text(json.dumps(TINY_RECOMMENDER))
    tags_config.write_text(json.dumps(TINY_TAGS))
    store = root / "models"
    assert main(["train", "--courses", str(SAMPLE / "courses.jsonl"),
                 "--corpus", str(SAMPLE / "jobs.jsonl"),
                 "--jobs", str(SAMPLE / "jobs.jsonl"),
                 "--unlabeled", str(SAMPLE / "unlabeled.jsonl"),
                 "--postings", str(SAMPLE / "postings.jsonl"),
                 "--taxonomy", str(SAMPLE / "skills.jsonl"), "--encoder", "word2vec",
                 "--judgments", str(SAMPLE / "judgments"),
                 "--recommend-config", str(recommender_config), "--tags-config",
                 str(tags_config), "--store", str(store)]) == 0
    return store


@pytest.fixture()
def settings(template_store, tmp_path):
    models = tmp_path / "models"
    shutil.copytree(template_store, models)
    return Settings(model_dir=models, feedback_url=f"sqlite:///{tmp_path / 'feedback.db'}")


def _rank(client, job, course_id):
    courses = client.post("/recommend", json={**job, "k": 50}).json()["courses"]
    return [c["id"] for c in courses].index(course_id)


def _job():
    job = read_jobs(SAMPLE / "jobs.jsonl")[0][40]
    return {"title": job.title, "description": job.description}


def _retrain(settings, tolerance=0.05):
    store = FeedbackStore(settings.feedback_url)
    try:
        return Retrainer(settings, tolerance=tolerance).run(store)
    finally:
        store.close()


def test_feedback_changes_answers_after_retrain_and_hot_reload(settings):
    job = _job()
    near_duplicate = {**job, "description": job["description"] + " Apply today."}
    with TestClient(create_app(settings)) as client:
        old_version = client.get("/version").json()["model_version"]
        courses = client.post("/recommend", json={**job, "k": 12}).json()["courses"]
        target = courses[9]["id"]
        before, before_near = _rank(client, job, target), _rank(client, near_duplicate, target)
        tags_before = {t["tag"] for t in client.post("/tags", json=job).json()["tags"]}
        corrected = sorted(tags_before ^ {"supervising-job"})
        assert client.post("/feedback", json={"job": job, "course_id": target,
                                              "helpful": True}).status_code == 202
        assert client.post("/feedback", json={"job": job, "tags": corrected}).status_code == 202

        result = _retrain(settings)
        assert result.status == "promoted", result.notes
        assert client.app.state.live.refresh()
        assert client.get("/version").json()["model_version"] == result.candidate != old_version
        assert _rank(client, job, target) < before
        assert _rank(client, near_duplicate, target) < before_near
        tags_after = {t["tag"] for t in client.post("/tags", json=job).json()["tags"]}
        assert tags_after == set(corrected)
    gate = result.metrics
    for name, value in gate["live"].items():
        assert gate["candidate"][name] >= value - 0.05
    manifest = read_manifest(BundleStore(settings.model_dir).live())
    assert manifest.feedback_watermark == 2
    assert _retrain(settings).status == "nothing-to-do"


def test_a_retrained_recommender_leaves_no_component_describing_the_one_it_replaced(settings):
    """The path planner's confidence is calibrated on the recommender's rankings: when the
    recommender learns from feedback, the calibration is refitted on the new one."""
    live = BundleStore(settings.model_dir).live()
    before = read_manifest(live)
    course_id = load_component(live, "recommend").courses[0].id
    FeedbackStore(settings.feedback_url).add("course", {
        "job": _job(), "course_id": course_id, "helpful": True})
    result = _retrain(settings, tolerance=1.0)
    assert result.status == "promoted", result.notes
    after = read_manifest(BundleStore(settings.model_dir).live())
    assert after.components["recommend"].fingerprint != before.components["recommend"].fingerprint
    assert after.components["path"].built_on["recommend"] == after.components[
        "recommend"].fingerprint
    assert after.components["path"].parameters["calibration"] != before.components[
        "path"].parameters["calibration"]
    assert stale_components(after) == {}
    assert "refitted on the updated models: path" in " ".join(result.notes)


def test_a_component_that_cannot_be_refitted_rejects_the_candidate(settings, tmp_path):
    """A calibration whose judgments are gone cannot follow the recommender: the candidate is
    kept for inspection, not promoted."""
    live = BundleStore(settings.model_dir).live()
    manifest = read_manifest(live)
    record = manifest.components["path"]
    record.data["judgments"] = [{"path": str(tmp_path / "gone" / "queries_dev.jsonl")}]
    (live / "manifest.json").write_text(manifest.model_dump_json())
    course_id = load_component(live, "recommend").courses[0].id
    FeedbackStore(settings.feedback_url).add("course", {
        "job": _job(), "course_id": course_id, "helpful": True})
    result = _retrain(settings, tolerance=1.0)
    assert result.status == "rejected" and BundleStore(settings.model_dir).live() == live
    assert "path component" in " ".join(result.notes) and "gone" in " ".join(result.notes)


def test_a_worse_candidate_is_rejected_and_kept_for_inspection(settings):
    store = BundleStore(settings.model_dir)
    live = store.live()
    feedback = FeedbackStore(settings.feedback_url)
    every_tag = read_manifest(live).components["tags"].parameters["thresholds"].keys()
    for job in read_jobs(SAMPLE / "jobs.jsonl")[0][:150]:
        feedback.add("tags", {"job": {"title": job.title, "description": job.description},
                              "tags": sorted(every_tag), "proposed_new_tags": []})
    result = _retrain(settings, tolerance=0.005)  # the poisoned labels cost ~0.013 F1
    assert result.status == "rejected"
    assert store.live() == live
    assert (settings.model_dir / result.candidate / "REJECTED.json").exists()
    assert read_manifest(live).feedback_watermark == 0
    assert len(feedback.since(0)) == 150  # feedback is kept, and not marked consumed


def test_a_killed_retrain_changes_nothing(settings, monkeypatch):
    store = BundleStore(settings.model_dir)
    live = store.live()
    FeedbackStore(settings.feedback_url).add("course", {
        "job": _job(), "course_id": "accounting-00-x", "helpful": True, "request_id": None})

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(Retrainer, "_score", killed)
    with pytest.raises(KeyboardInterrupt):
        _retrain(settings)
    assert store.live() == live and len(store.versions()) == 1
    assert not list(settings.model_dir.glob(".staging-*"))


def test_a_second_retrain_exits_cleanly_while_one_runs(settings, capsys):
    feedback = FeedbackStore(settings.feedback_url)
    with exclusive(settings, feedback):
        with pytest.raises(RetrainBusyError):
            Retrainer(settings).run(feedback)
        assert main(["retrain", "--store", str(settings.model_dir),
                     "--feedback-url", settings.feedback_url]) == 0
    assert "another retrain" in capsys.readouterr().err


def test_rollback_restores_the_previous_bundle(settings):
    store = BundleStore(settings.model_dir)
    first = store.live()
    course_id = json.loads((first / "recommend" / "courses.jsonl").read_text()
                           .splitlines()[0])["id"]
    FeedbackStore(settings.feedback_url).add("course", {
        "job": _job(), "course_id": course_id, "helpful": True, "request_id": None})
    assert _retrain(settings).status == "promoted"
    assert store.live() != first
    assert store.rollback() == first and store.live() == first
    with pytest.raises(ValueError, match="no promotion"):
        store.rollback()


@pytest.mark.postgres
def test_retrain_with_the_postgresql_store(settings, postgres_url):
    schema = f"careerpath_{uuid.uuid4().hex[:8]}"
    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(text(f"create schema {schema}"))
    url = f"{postgres_url}?options=-csearch_path%3D{schema}"
    try:
        pg = settings.model_copy(update={"feedback_url": url})
        with TestClient(create_app(pg)) as client:
            job = _job()
            target = client.post("/recommend", json=job).json()["courses"][5]["id"]
            assert client.post("/feedback", json={"job": job, "course_id": target,
                                                  "helpful": True}).status_code == 202
            assert _retrain(pg).status == "promoted"
            assert client.app.state.live.refresh()
            assert _rank(client, job, target) < 5
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"drop schema {schema} cascade"))
        engine.dispose()


def _catalog(tmp_path, courses):
    path = tmp_path / "catalog.jsonl"
    path.write_text("".join(course.model_dump_json() + "\n" for course in courses))
    return path


def test_catalog_changes_add_and_remove_courses(settings, tmp_path):
    from pipelines.courses import load_catalog
    from pipelines.records import Course

    courses = load_catalog(SAMPLE / "courses.jsonl")
    removed = courses[0].id
    new = Course(id="nursing-icu-critical-care", title="Critical Care Nursing in the ICU",
                 description="Ventilator care, sedation, triage and patient assessment in "
                             "intensive care units.",
                 skills=["patient assessment", "triage"], level="advanced")
    catalog = _catalog(tmp_path, [*courses[1:], new])
    feedback = FeedbackStore(settings.feedback_url)
    result = Retrainer(settings, catalog=catalog, tolerance=0.05).run(feedback)
    assert result.status == "promoted" and "1 courses added, 1 removed" in result.notes[0]
    with TestClient(create_app(settings)) as client:
        found = client.post("/recommend", json={
            "title": "ICU Nurse", "description": "Critical care nurse for our intensive care "
            "unit: ventilator care, sedation and patient assessment.", "k": 5}).json()
        assert new.id in [c["id"] for c in found["courses"]]
        assert client.post("/feedback", json={"job": _job(), "course_id": removed,
                                              "helpful": True}).status_code == 422


def test_a_large_catalog_change_rebuilds_the_recommender(settings, tmp_path):
    from pipelines.courses import load_catalog

    courses = load_catalog(SAMPLE / "courses.jsonl")
    result = Retrainer(settings, catalog=_catalog(tmp_path, courses[:100]),
                       tolerance=1.0).run(FeedbackStore(settings.feedback_url))
    assert result.status == "promoted" and "full rebuild" in result.notes[0]
    live = load_component(BundleStore(settings.model_dir).live(), "recommend")
    assert [c.id for c in live.courses] == [c.id for c in courses[:100]]


def test_recorded_postings_refresh_the_autoencoder_once(settings):
    recording = settings.model_copy(update={"record_postings": True})
    with TestClient(create_app(recording)) as client:
        for job in read_jobs(SAMPLE / "unlabeled.jsonl")[0][:40]:
            assert client.post("/tags", json={"title": job.title,
                                              "description": job.description}).status_code == 200
    assert len(FeedbackStore(settings.feedback_url).postings()) == 40
    result = _retrain(recording, tolerance=0.05)
    assert result.status == "promoted", result.notes
    assert "autoencoder refreshed with 40 recorded postings" in " ".join(result.notes)
    assert read_manifest(BundleStore(settings.model_dir).live()).postings_watermark == 40
    assert _retrain(recording).status == "nothing-to-do"


def test_feedback_stored_with_half_a_surrogate_pair_does_not_block_retraining(settings):
    """The API has refused such text since it was found to crash the tag features; feedback
    acknowledged before then must still train."""
    job = _job()
    broken = {**job, "description": job["description"] + " \ud83d"}
    live = BundleStore(settings.model_dir).live()
    course_id = load_component(live, "recommend").courses[0].id
    store = FeedbackStore(settings.feedback_url)
    store.add("tags", {"job": broken, "tags": ["supervising-job"], "proposed_new_tags": []})
    store.add("course", {"job": broken, "course_id": course_id, "helpful": True})
    store.close()
    result = _retrain(settings)
    assert result.status in ("promoted", "rejected"), result.notes
    assert result.feedback == 2


def test_a_model_trained_on_every_posting_has_no_held_out_split_and_says_so(tmp_path, capsys):
    config = tmp_path / "tags.json"
    config.write_text(json.dumps(TINY_TAGS))
    models = tmp_path / "models"
    labeled = [job for job in read_jobs(SAMPLE / "jobs.jsonl")[0] if job.tags is not None]
    assert main(["train", "reader", "--postings", str(SAMPLE / "postings.jsonl"),
                 "--store", str(models)]) == 0
    assert main(["train", "tags", "--jobs", str(SAMPLE / "jobs.jsonl"), "--tags-config",
                 str(config), "--hold-out", "0", "--store", str(models)]) == 0
    manifest = read_manifest(BundleStore(models).live())
    assert manifest.components["tags"].data["labeled_train"] == len(labeled)
    assert manifest.components["tags"].data["labeled_test"] == 0
    assert "held_out" not in manifest.components["tags"].metrics
    assert main(["evaluate", "tags", "--store", str(models), "--jobs",
                 str(SAMPLE / "jobs.jsonl"), "--report-dir", str(tmp_path)]) == 2
    assert "trained on every posting" in capsys.readouterr().err

    settings = Settings(model_dir=models, feedback_url=f"sqlite:///{tmp_path / 'feedback.db'}")
    FeedbackStore(settings.feedback_url).add(
        "tags", {"job": _job(), "tags": ["supervising-job"], "proposed_new_tags": []})
    result = _retrain(settings)
    assert result.status == "promoted", result.notes
    assert "no held-out postings gate this update" in " ".join(result.notes)


@pytest.mark.parametrize("share", ["1", "-0.1"])
@pytest.mark.parametrize("what", ["tags", "all"])
def test_train_rejects_a_hold_out_that_is_not_a_share_before_training(what, share, tmp_path,
                                                                       capsys, monkeypatch):
    import training.reader.train

    def no_training(*args, **kwargs):
        raise AssertionError("a model trained before the arguments were checked")

    monkeypatch.setattr(training.reader.train, "train_component", no_training)
    courses = ["--courses", str(SAMPLE / "courses.jsonl")] if what == "all" else []
    assert main(["train", what, *courses, "--jobs", str(SAMPLE / "jobs.jsonl"),
                 "--hold-out", share, "--store", str(tmp_path)]) == 2
    assert "hold-out" in capsys.readouterr().err
