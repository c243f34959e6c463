"""The command line on the sample data: train one bundle, predict in batch, evaluate."""

from __future__ import annotations

import json

import pytest

from careerpath.cli import main
from runtime.bundles import BundleStore, read_manifest
from tests.conftest import SAMPLE


def _reader_store(path):
    """A store whose live bundle holds a posting reader (learned from the sample)."""
    assert main(["train", "reader", "--postings", str(SAMPLE / "postings.jsonl"),
                 "--store", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def trained_store(tmp_path_factory):
    store = _reader_store(tmp_path_factory.mktemp("store"))
    recommender_config = tmp_path_factory.mktemp("cfg") / "recommender.json"
    recommender_config.write_text(json.dumps({"vector_size": 24, "epochs": 10, "min_count": 1}))
    code = main(["train", "recommend", "--courses", str(SAMPLE / "courses.jsonl"),
                 "--corpus", str(SAMPLE / "jobs.jsonl"), "--recommend-config",
                 str(recommender_config), "--store", str(store)])
    assert code == 0
    return store


def test_train_writes_a_versioned_live_bundle(trained_store):
    bundle = BundleStore(trained_store).live()
    manifest = read_manifest(bundle)
    assert manifest.version == bundle.name
    assert list(manifest.components) == ["reader", "recommend"]
    data = manifest.components["recommend"].data
    assert len(data["courses"]["sha256"]) == 64 and data["course_count"] == 169
    assert manifest.components["recommend"].parameters["vector_size"] == 24
    assert manifest.components["recommend"].metrics["training_seconds"] > 0
    assert manifest.components["recommend"].built_on == {
        "reader": manifest.components["reader"].fingerprint}


def test_a_component_needs_a_reader_trained_with_it_or_live(tmp_path, capsys):
    assert main(["train", "recommend", "--courses", str(SAMPLE / "courses.jsonl"),
                 "--store", str(tmp_path)]) == 2
    assert "needs a posting reader" in capsys.readouterr().err


def test_predict_recommend_writes_jsonl(trained_store, tmp_path, capsys):
    jobs = tmp_path / "jobs.jsonl"
    accountant = {"title": "Accountant", "description": "Reconcile accounts and prepare "
                                                       "financial statements under GAAP."}
    jobs.write_text("\n".join(json.dumps(line) for line in [
        {"id": "j1", **accountant}, {"id": "j2", "description": "qqq zzz"},
        {"id": "j3", "description": "<p><br/></p>"}, {**accountant, "k": 2}]) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["predict", "recommend", "--store", str(trained_store), "--input", str(jobs),
                 "--k", "3", "--out", str(out)]) == 1
    first, second, third, fourth = (json.loads(line) for line in out.read_text().splitlines())
    assert first["id"] == "j1" and len(first["courses"]) == 3
    assert first["courses"][0]["id"].startswith("accounting-")
    assert set(first["courses"][0]) == {"id", "title", "provider", "level", "url", "score",
                                        "skills", "reason"}  # what the API answers
    assert first["model_version"] == BundleStore(trained_store).live().name
    # readable words no model knows: an empty, explained answer, as the API gives
    assert second["courses"] == [] and "nothing in the catalog fits" in second["explanation"]
    assert third["id"] == "j3" and third["line"] == 3 and "courses" not in third
    assert third["type"] == "urn:careerpath:problem:unreadable-text"  # as the API names it
    assert fourth["id"] is None and len(fourth["courses"]) == 2  # the line's own k
    assert "1 postings could not be answered" in capsys.readouterr().err


def test_train_rejects_missing_inputs(tmp_path, capsys):
    assert main(["train", "tags", "--store", str(tmp_path)]) == 2
    assert "--jobs" in capsys.readouterr().err


def test_predict_tags_writes_jsonl_and_reports_bad_lines(sample_store, tmp_path, capsys):
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text(json.dumps({"id": "a", "title": "Nurse", "description": "Part-time nurse, "
                                "$25 per hour, license required."}) + "\n"
                    + json.dumps({"id": "b", "description": "  "}) + "\n"
                    + "{not json\n"
                    + '{"id": "e", "description": "Nurse \\ud800, part time"}\n'
                    + "[1, 2]\n"
                    + json.dumps({"id": "d", "description": "Se busca enfermera con licencia "
                                  "vigente y dos años de experiencia en hospital."}) + "\n")
    out = tmp_path / "tags.jsonl"
    assert main(["predict", "tags", "--store", str(sample_store), "--input", str(jobs),
                 "--out", str(out)]) == 1
    first, second, third, fourth, fifth, sixth = (json.loads(line)
                                                  for line in out.read_text().splitlines())
    assert first["id"] == "a" and len(first["scores"]) == 12
    assert {t["tag"] for t in first["tags"]} <= set(first["scores"])
    assert second["id"] == "b" and "tags" not in second and "empty" in second["error"]
    assert third["id"] is None and third["line"] == 3 and "tags" not in third and third["error"]
    assert fourth["id"] == "e" and "surrogate" in fourth["error"]
    assert fifth["id"] is None and fifth["line"] == 5 and "not a JSON object" in fifth["error"]
    assert sixth["id"] == "d" and "tags" not in sixth and "English" in sixth["error"]
    assert "5 postings could not be answered" in capsys.readouterr().err


@pytest.fixture(scope="module")
def sample_judgments(tmp_path_factory):
    """Judgments for a few sample postings: courses of the posting's field are relevant."""
    from pipelines.courses import load_catalog
    from pipelines.jobs import read_jobs

    folder = tmp_path_factory.mktemp("judgments")
    courses = load_catalog(SAMPLE / "courses.jsonl")
    jobs = read_jobs(SAMPLE / "jobs.jsonl")[0][::30]
    with (folder / "queries_dev.jsonl").open("w") as queries, \
            (folder / "qrels_dev.jsonl").open("w") as qrels:
        for job in jobs:
            queries.write(json.dumps({"qid": job.id, "title": job.title,
                                      "text": job.description}) + "\n")
            field = job.id.split("-job-")[0]
            for course in courses:
                relevant = course.id.startswith(field + "-")
                qrels.write(json.dumps({"qid": job.id, "id": course.id,
                                        "rel": 2 if relevant else 0}) + "\n")
    return folder


def test_evaluate_recommend_writes_report_and_chart(trained_store, sample_judgments, tmp_path):
    assert main(["evaluate", "recommend", "--store", str(trained_store), "--judgments",
                 str(sample_judgments), "--report-dir", str(tmp_path)]) == 0
    report = (tmp_path / "recommender_report.md").read_text()
    assert "baseline: TF-IDF cosine" in report and "baseline: BM25" in report
    line = next(row for row in report.splitlines() if row.startswith("| careerpath"))
    assert float(line.split("|")[2]) > 0.6  # nDCG@10 on the easy sample judgments
    assert (tmp_path / "recommender_report.png").stat().st_size > 10_000


def test_tune_writes_the_best_configuration(sample_judgments, reader, tmp_path):
    from training.recommend.tune import tune

    out = tmp_path / "best.json"
    best = tune(SAMPLE / "courses.jsonl", [SAMPLE / "jobs.jsonl"], sample_judgments, out, reader,
                training_grid=[{"vector_size": 16, "epochs": 5, "min_count": 1}],
                scoring_grid={"doc2vec_weight": [0.0, 0.3], "title_weight": [1, 2]})
    trials = json.loads(out.with_suffix(".trials.json").read_text())
    assert len(trials) == 4
    chosen = json.loads(out.read_text())
    assert chosen["vector_size"] == 16
    assert best == max(trials, key=lambda t: t["metrics"]["ndcg@10"] + t["metrics"]["ndcg'@10"])
    assert chosen["doc2vec_weight"] == best["config"]["doc2vec_weight"]


def test_evaluate_tags_scores_model_and_baseline_on_the_held_out_split(tmp_path):
    from tests.conftest import TINY_TAGS

    store = _reader_store(tmp_path / "store")
    config = tmp_path / "tags.json"
    config.write_text(json.dumps(TINY_TAGS))
    assert main(["train", "tags", "--jobs", str(SAMPLE / "jobs.jsonl"), "--tags-config",
                 str(config), "--store", str(store)]) == 0
    manifest = read_manifest(BundleStore(store).live())
    assert manifest.components["tags"].data["labeled_test"] > 40
    assert manifest.components["tags"].metrics["held_out"]["micro_f1"] > 0.7
    assert manifest.components["tags"].metrics["training_seconds"] > 0
    assert main(["evaluate", "tags", "--store", str(store), "--report-dir",
                 str(tmp_path)]) == 0  # on the postings its record names
    report = (tmp_path / "tags_report.md").read_text()
    assert "linear SVM" in report and "part-time-job" in report
    assert (tmp_path / "tags_f1.png").exists() and (tmp_path / "tags_pr.png").exists()


def test_rollback_after_two_trainings_makes_the_first_bundle_live_again(tmp_path, capsys):
    config = tmp_path / "recommender.json"
    config.write_text(json.dumps({"vector_size": 8, "epochs": 2, "min_count": 1}))
    store = _reader_store(tmp_path / "store")
    reader_only = BundleStore(store).live()
    arguments = ["train", "recommend", "--courses", str(SAMPLE / "courses.jsonl"),
                 "--recommend-config", str(config), "--store", str(store)]
    assert main(arguments) == 0
    first = BundleStore(store).live()
    assert main(arguments) == 0
    assert BundleStore(store).live() != first
    assert main(["rollback", "--store", str(store)]) == 0
    assert BundleStore(store).live() == first
    assert f"bundle {first.name} is live again" in capsys.readouterr().out
    assert main(["rollback", "--store", str(store)]) == 0
    assert BundleStore(store).live() == reader_only
    assert main(["rollback", "--store", str(store)]) == 2
    assert "no promotion to roll back" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["train", "tags"], ["predict", "recommend"],
                                     ["evaluate", "tags"], ["tune", "recommend"],
                                     ["retrain"], ["serve"]])
def test_every_subcommand_explains_its_options_and_shows_defaults(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert f"usage: careerpath {' '.join(command)}" in text
    for option in {"train": ["--hold-out", "(default: 0.2)", "--jobs"],
                   "predict": ["--k", "courses per posting (default: 10)", "CAREERPATH_MODEL_DIR"],
                   "evaluate": ["--report-dir", "(default: reports)"],
                   "tune": ["--judgments", "--store"],
                   "retrain": ["--tolerance", "(default: 0.02)"],
                   "serve": ["--port", "(default: 8000)", "--host"]}[command[0]]:
        assert option in text


def test_the_old_spellings_still_work(capsys):
    with pytest.raises(SystemExit):
        main(["train", "recommender", "--help"])
    assert "--courses" in capsys.readouterr().out


@pytest.fixture(scope="module")
def skills_store(tmp_path_factory):
    store = _reader_store(tmp_path_factory.mktemp("skills"))
    assert main(["train", "skills", "--taxonomy", str(SAMPLE / "skills.jsonl"),
                 "--courses", str(SAMPLE / "courses.jsonl"),
                 "--corpus", str(SAMPLE / "jobs.jsonl"), "--encoder", "word2vec",
                 "--store", str(store)]) == 0
    return store


def test_train_skills_writes_a_component_with_its_courses_skills(skills_store):
    record = read_manifest(BundleStore(skills_store).live()).components["skills"]
    assert record.parameters["encoder"] == "word2vec"
    assert record.metrics["skills"] == 130 and record.metrics["courses_with_skills"] == 169


def test_predict_skills_ranks_one_sentence_lines(skills_store, tmp_path):
    lines = tmp_path / "sentences.jsonl"
    lines.write_text(json.dumps({"id": "s1", "description": "Strong Python and SQL."}) + "\n"
                     + json.dumps({"id": "s2", "description": ""}) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["predict", "skills", "--store", str(skills_store), "--input", str(lines),
                 "--k", "3", "--out", str(out)]) == 1
    first, second = (json.loads(line) for line in out.read_text().splitlines())
    assert first["id"] == "s1" and len(first["skills"]) == 3
    assert {"Python", "SQL"} <= {s["label"] for s in first["skills"]}
    assert set(first["skills"][0]) == {"uri", "label", "score", "evidence"}
    assert "skills" not in second and second["error"]


def test_evaluate_skills_scores_the_benchmark_beside_tfidf(skills_store, tmp_path):
    benchmark = tmp_path / "benchmark"
    benchmark.mkdir()
    rows = "sentence,span,sub_span,label\n" + "\n".join([
        "Write SQL queries daily,SQL,,SQL", "Deploy with Docker and Git,Docker,,Docker",
        "Deploy with Docker and Git,Git,,Git", "Be kind,kind,,LABEL NOT PRESENT"])
    for split in ("tech", "house"):
        (benchmark / f"{split}_validation.csv").write_text(rows + "\n")
    assert main(["evaluate", "skills", "--store", str(skills_store), "--benchmark",
                 str(benchmark), "--taxonomy", str(SAMPLE / "skills.jsonl"),
                 "--report-dir", str(tmp_path)]) == 0
    report = (tmp_path / "skills_report.md").read_text()
    assert "baseline: TF-IDF" in report and "(tech: 2, house: 2)" in report
    line = next(row for row in report.splitlines() if row.startswith("| careerpath"))
    assert float(line.split("|")[2]) == 1.0  # tech RP@5: both sentences fully right
    assert (tmp_path / "skills_report.png").exists()


def test_evaluate_reader_scores_the_held_out_headed_parts(trained_store, tmp_path):
    assert main(["evaluate", "reader", "--store", str(trained_store), "--report-dir",
                 str(tmp_path)]) == 0  # on the postings its record names
    report = (tmp_path / "reader_report.md").read_text()
    line = next(row for row in report.splitlines() if row.startswith("| careerpath"))
    assert float(line.split("|")[2]) > 0.8  # accuracy on the sample's held-out parts


def test_evaluate_refuses_judgments_it_cannot_find(trained_store, tmp_path, capsys):
    assert main(["evaluate", "recommend", "--store", str(trained_store), "--judgments",
                 str(tmp_path / "absent"), "--report-dir", str(tmp_path)]) == 2
    assert "not found" in capsys.readouterr().err


def test_predict_answers_a_job_posting_line_exactly_as_the_api(sample_store, tmp_path):
    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.settings import ServiceSettings

    posting = {"@context": "https://schema.org/", "@type": "JobPosting", "title": "Nurse",
               "description": "<p>Part-time RN, $30 per hour.</p>", "employmentType": "FULL_TIME",
               "baseSalary": {"@type": "MonetaryAmount", "value": {"unitText": "YEAR"}},
               "k": 3}
    lines = tmp_path / "postings.jsonl"
    lines.write_text(json.dumps({"id": "n1", **posting}) + "\n")
    out = tmp_path / "out.jsonl"
    settings = ServiceSettings(model_dir=sample_store, feedback_url="sqlite://")
    with TestClient(create_app(settings)) as client:
        for model, path, body in (("tags", "/tags", {**posting, "include_scores": True}),
                                  ("recommend", "/recommend", posting)):
            assert main(["predict", model, "--store", str(sample_store), "--input", str(lines),
                         "--out", str(out)]) == 0
            assert json.loads(out.read_text()) == {"id": "n1", **client.post(path,
                                                                             json=body).json()}
